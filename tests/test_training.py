"""Tests for nnmat.training.trainNN (ex4.m's fmincg step)."""

import itertools
import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from threadpoolctl import threadpool_info

from nnmat import (
    ConvergenceWarning,
    nnCostFunction,
    predict,
    randInitializeWeights,
    trainNN,
    unrollParams,
)
from nnmat.training import METHODS


@pytest.fixture
def blobs(rng):
    """Three separable classes in 2-D and a small 2-4-3 starting point."""
    centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]])
    X = np.vstack([c + 0.5 * rng.normal(size=(40, 2)) for c in centers])
    y = np.repeat([1, 2, 3], 40)
    p0 = unrollParams([randInitializeWeights(2, 4, rng=1), randInitializeWeights(4, 3, rng=2)])
    return p0, X, y


def test_trains_to_full_accuracy_and_converges(blobs):
    p0, X, y = blobs
    res = trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=200)  # no warning: it converges
    assert res.success
    assert res.nit < 200
    assert res.fun < 0.1 * nnCostFunction(p0, 2, 4, 3, X, y, 0.1)[0]
    assert np.mean(predict(*res.Thetas, X) == y) == 1.0


def test_maxiter_counts_iterations_and_warns(blobs):
    p0, X, y = blobs
    message = r"^L-BFGS-B stopped after 10 iterations without converging"
    with pytest.warns(ConvergenceWarning, match=message):
        res = trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=10)
    assert res.nit == 10
    assert not res.success


def test_result_fields_are_consistent(blobs):
    p0, X, y = blobs
    with pytest.warns(ConvergenceWarning):
        res = trainNN(p0, 2, 4, 3, X, y, 1.0, maxiter=20)
    assert res.layer_sizes == (2, 4, 3)
    assert [T.shape for T in res.Thetas] == [(4, 3), (3, 5)]
    assert_array_equal(unrollParams(res.Thetas), res.x)
    assert res.cost_history.shape == (res.nit,)
    assert res.cost_history[-1] == pytest.approx(res.fun, rel=1e-12)
    assert np.all(np.diff(res.cost_history) <= 1e-12)  # L-BFGS-B never goes uphill
    J, _grad = nnCostFunction(res.x, 2, 4, 3, X, y, 1.0)
    assert_allclose(res.fun, J, rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_trains(method, blobs):
    p0, X, y = blobs
    with pytest.warns(ConvergenceWarning):
        res = trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=15, method=method)
    assert res.nit == 15
    assert res.fun < nnCostFunction(p0, 2, 4, 3, X, y, 0.1)[0]


def test_deeper_network(blobs, rng):
    _, X, y = blobs
    sizes = (2, 6, 5, 3)
    p0 = unrollParams([randInitializeWeights(a, b, rng=rng) for a, b in itertools.pairwise(sizes)])
    res = trainNN(p0, 2, (6, 5), 3, X, y, 0.01, maxiter=500)
    assert [T.shape for T in res.Thetas] == [(6, 3), (5, 7), (3, 6)]
    assert np.mean(predict(*res.Thetas, X) == y) > 0.95


def test_callback_sees_every_iteration_and_can_stop(blobs):
    p0, X, y = blobs
    seen = []

    def callback(info):
        seen.append((info.nit, info.fun, info.x.shape))
        if info.nit == 7:
            raise StopIteration

    res = trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=50, callback=callback)
    assert [s[0] for s in seen] == list(range(1, 8))
    assert [s[1] for s in seen] == list(res.cost_history)
    assert res.nit == 7


def test_initial_parameters_are_not_modified(blobs):
    p0, X, y = blobs
    before = p0.copy()
    with pytest.warns(ConvergenceWarning):
        trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=5)
    assert_array_equal(p0, before)


def test_float32_mode_trains(blobs):
    p0, X, y = blobs
    res = trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=200, dtype=np.float32, tol=1e-5)
    assert res.x.dtype == np.float64
    assert np.mean(predict(*res.Thetas, X) == y) == 1.0


def test_non_finite_cost_is_an_error(blobs):
    # Output weights of 1e308 overflow the logits to inf - inf = nan.
    _, X, y = blobs
    p0 = np.concatenate([np.zeros(4 * 3), np.full(3 * 5, 1e308) * np.tile([1, -1, 1], 5)])
    with pytest.raises(
        FloatingPointError,
        match=r"^the cost became (inf|nan) after 0 iterations: the weights diverged",
    ):
        trainNN(p0, 2, 4, 3, X, y, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"method": "TNC"}, ValueError, "method must be one of L-BFGS-B, CG, BFGS; got 'TNC'."),
        (
            {"maxiter": 0},
            ValueError,
            "maxiter must be an int >= 1 (the number of iterations); got 0. "
            "To evaluate without training, call nnCostFunction.",
        ),
        (
            {"maxiter": 2.5},
            ValueError,
            "maxiter must be an int >= 1 (the number of iterations); got 2.5. "
            "To evaluate without training, call nnCostFunction.",
        ),
        ({"tol": -1.0}, ValueError, "tol must be None or a finite number >= 0; got -1.0."),
        ({"tol": "x"}, ValueError, "tol must be None or a finite number >= 0; got 'x'."),
        (
            {"callback": 5},
            TypeError,
            "callback must be callable as callback(info) or None; got int.",
        ),
        ({"dtype": np.int32}, ValueError, "dtype must be float64 or float32; got int32."),
    ],
)
def test_bad_options(kwargs, exc, message, blobs):
    p0, X, y = blobs
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        trainNN(p0, 2, 4, 3, X, y, 0.1, **kwargs)


def test_bad_initial_params_are_named(blobs):
    _, X, y = blobs
    message = (
        "initial_nn_params has 5 elements; layer sizes (2, 4, 3) need 27 "
        "(Theta1 (4, 3) + Theta2 (3, 5)). Check the layer sizes or rebuild nn_params "
        "with unrollParams."
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        trainNN(np.zeros(5), 2, 4, 3, X, y)


def test_blas_runs_single_threaded_during_training_and_is_restored(blobs):
    p0, X, y = blobs

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        trainNN(p0, 2, 4, 3, X, y, 0.1, maxiter=3, callback=lambda _: seen.append(blas_threads()))
    assert seen and all(set(counts) == {1} for counts in seen)
    assert blas_threads() == before
