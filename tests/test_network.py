"""Tests for nnmat.network: nnCostFunction (nnCostFunction.m) and predict (predict.m)."""

import gc
import itertools
import math
import os
import re
import subprocess
import sys
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from nnmat import (
    checkNNGradients,
    computeNumericalGradient,
    debugInitializeWeights,
    network,
    nnCostFunction,
    predict,
    randInitializeWeights,
    rollParams,
    unrollParams,
)

# --------------------------------------------------------------------------- helpers


def course_reference(Thetas, X, y, lambda_):
    """The course's unvectorized backprop, written independently of nnmat.

    One example at a time (ex4's "for t = 1:m" loop), explicit bias units, an explicit
    one-hot y, the literal formula -y log(h) - (1 - y) log(1 - h), and
    regularization of Theta(:, 2:) only.  Any depth.
    """
    m = X.shape[0]
    K = Thetas[-1].shape[0]
    J = 0.0
    grads = [np.zeros_like(T) for T in Thetas]
    for t in range(m):
        a = [np.concatenate(([1.0], X[t]))]  # a1 with its bias unit
        for i, T in enumerate(Thetas):
            h = 1.0 / (1.0 + np.exp(-(T @ a[-1])))
            a.append(h if i == len(Thetas) - 1 else np.concatenate(([1.0], h)))
        yk = np.zeros(K)
        yk[int(y[t]) - 1] = 1.0
        h = a[-1]
        J += np.sum(-yk * np.log(h) - (1.0 - yk) * np.log(1.0 - h))
        d = h - yk
        for i in range(len(Thetas) - 1, -1, -1):
            grads[i] += np.outer(d, a[i])
            if i > 0:
                ai = a[i][1:]
                d = (Thetas[i][:, 1:].T @ d) * ai * (1.0 - ai)
    J /= m
    reg = sum(np.sum(T[:, 1:] ** 2) for T in Thetas)
    J += lambda_ / (2 * m) * reg
    for T, G in zip(Thetas, grads, strict=True):
        G /= m
        G[:, 1:] += lambda_ / m * T[:, 1:]
    return J, unrollParams(grads)


def random_problem(rng, sizes, m, scale=1.0):
    Thetas = [
        randInitializeWeights(n_in, n_out, rng=rng) * scale
        for n_in, n_out in itertools.pairwise(sizes)
    ]
    X = rng.normal(size=(m, sizes[0]))
    y = rng.integers(1, sizes[-1] + 1, size=m)
    return Thetas, X, y


def course_net():
    """checkNNGradients' 3-5-3 network with m = 5."""
    T1, T2 = debugInitializeWeights(5, 3), debugInitializeWeights(3, 5)
    X = debugInitializeWeights(5, 2)
    y = 1 + np.arange(1, 6) % 3
    return unrollParams([T1, T2]), X, y


# --------------------------------------------------------------------------- known values


def test_hand_worked_tiny_network():
    # 1 input, 1 hidden unit, 2 labels, one example x = 3 with label 1.
    #   Theta1 = [0 0]            -> z2 = 0 + 0*3 = 0, a2 = g(0) = 0.5
    #   Theta2 = [0 2; 0 -2]      -> z3 = [2*0.5, -2*0.5] = [1, -1]
    #   h = [g(1), g(-1)] = [0.7310585786300049, 0.2689414213699951], Y = [1 0]
    #   J = -log g(1) - log(1 - g(-1)) = 2 log(1 + e^-1) = 2 * 0.31326168751822286
    #   delta3 = h - Y = [-0.2689414213699951, 0.2689414213699951]
    #   Theta2_grad = delta3' * [1 a2] = [-0.26894 -0.13447; 0.26894 0.13447]
    #   delta2 = (Theta2(:, 2)' * delta3) * g'(0) = (2 * -0.26894 - 2 * 0.26894) * 0.25
    #          = -0.2689414213699951
    #   Theta1_grad = delta2 * [1 x] = [-0.2689414213699951, -0.8068242641099853]
    #   With lambda = 1 (m = 1): J += 1/2 * (0^2 + 2^2 + (-2)^2) = 4 and
    #   Theta2_grad(:, 2) += [2, -2]; the bias column is left alone.
    nn_params = [0.0, 0.0, 0.0, 0.0, 2.0, -2.0]  # [Theta1(:); Theta2(:)]
    X, y = np.array([[3.0]]), np.array([1])
    s = 0.2689414213699951
    expected_grad = np.array([-s, -3 * s, -s, s, -s / 2, s / 2])

    J, grad = nnCostFunction(nn_params, 1, 1, 2, X, y, 0.0)
    assert_allclose(J, 2 * 0.31326168751822286, rtol=1e-15)
    assert_allclose(grad, expected_grad, rtol=1e-15)

    J, grad = nnCostFunction(nn_params, 1, 1, 2, X, y, 1.0)
    assert_allclose(J, 2 * 0.31326168751822286 + 4.0, rtol=1e-15)
    assert_allclose(grad, expected_grad + np.array([0, 0, 0, 0, 2, -2]), rtol=1e-15)


def test_course_weights_regularization_term(ex4weights, rng):
    # The handout's term for ex4weights, m = 5000, bias columns excluded: 0.096140693929605
    # (including them would give 0.0968586, a common porting bug). It does not depend on X.
    p = unrollParams([ex4weights["Theta1"], ex4weights["Theta2"]])
    X = rng.random((5000, 400))
    y = rng.integers(1, 11, size=5000)
    J0, g0 = nnCostFunction(p, 400, 25, 10, X, y, 0.0)
    J1, g1 = nnCostFunction(p, 400, 25, 10, X, y, 1.0)
    assert_allclose(J1 - J0, 0.096140693929605, rtol=0, atol=1e-14)
    # Gradient of the term: Theta(:, 2:) / m; zero on the bias columns.
    T1, T2 = rollParams(g1 - g0, [400, 25, 10])
    assert_allclose(T1[:, 0], 0.0, atol=1e-16)
    assert_allclose(T1[:, 1:], ex4weights["Theta1"][:, 1:] / 5000, rtol=1e-10, atol=1e-17)
    assert_allclose(T2[:, 1:], ex4weights["Theta2"][:, 1:] / 5000, rtol=1e-10, atol=1e-17)


def test_check_nn_gradients_course_net():
    for lam in (0.0, 3.0):
        assert checkNNGradients(lam).relative_difference < 1e-9


# --------------------------------------------------------------------------- vs reference

NETS = [
    pytest.param((3, 5, 3), 5, id="course-3-5-3"),
    pytest.param((4, 6, 2), 1, id="m=1"),
    pytest.param((6, 5, 4, 3), 13, id="depth2"),
    pytest.param((5, 4, 7, 3, 4), 9, id="depth3"),
    pytest.param((2, 1, 1), 4, id="one-unit"),
]


@pytest.mark.parametrize(("sizes", "m"), NETS)
@pytest.mark.parametrize("lambda_", [0.0, 1.0, 3.5])
def test_matches_the_course_formula(sizes, m, lambda_, rng):
    Thetas, X, y = random_problem(rng, sizes, m, scale=5.0)
    J, grad = nnCostFunction(unrollParams(Thetas), sizes[0], sizes[1:-1], sizes[-1], X, y, lambda_)
    J_ref, grad_ref = course_reference(Thetas, X, y, lambda_)
    assert_allclose(J, J_ref, rtol=1e-12)
    assert_allclose(grad, grad_ref, rtol=0, atol=1e-12 * np.abs(grad_ref).max())


@pytest.mark.parametrize(("sizes", "m"), NETS)
@pytest.mark.parametrize("lambda_", [0.0, 3.0])
def test_backprop_agrees_with_numerical_gradient(sizes, m, lambda_, rng):
    Thetas, X, y = random_problem(rng, sizes, m)
    hidden = sizes[1:-1]

    def cost(p):
        return nnCostFunction(p, sizes[0], hidden, sizes[-1], X, y, lambda_)

    p = unrollParams(Thetas)
    numgrad = computeNumericalGradient(cost, p)
    grad = cost(p)[1]
    # The course metric; central differences with e = 1e-4 give ~1e-11 here.
    assert np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad) < 1e-9


def test_int_hidden_equals_one_element_sequence(rng):
    Thetas, X, y = random_problem(rng, (4, 3, 2), 6)
    p = unrollParams(Thetas)
    a = nnCostFunction(p, 4, 3, 2, X, y, 1.0)
    b = nnCostFunction(p, 4, [3], 2, X, y, 1.0)
    assert a[0] == b[0]
    assert_array_equal(a[1], b[1])


def test_labels_absent_from_the_data(rng):
    # Only labels 2 and 4 of 1..4 occur: the other outputs are pushed towards 0.
    Thetas, X, _ = random_problem(rng, (3, 4, 4), 6)
    y = np.array([2, 4, 4, 2, 2, 4])
    J, grad = nnCostFunction(unrollParams(Thetas), 3, 4, 4, X, y, 0.5)
    J_ref, grad_ref = course_reference(Thetas, X, y, 0.5)
    assert_allclose(J, J_ref, rtol=1e-12)
    assert_allclose(grad, grad_ref, rtol=0, atol=1e-12 * np.abs(grad_ref).max())


# --------------------------------------------------------------------------- numerics


def test_saturated_weights_give_finite_cost_and_gradient(rng):
    # Weights x1000 push every sigmoid to exactly 0.0 or 1.0 in floating point: the
    # literal formula gives inf (log 0) and nan gradients; nnmat stays finite.
    Thetas, X, y = random_problem(rng, (20, 10, 4), 50, scale=1000.0)
    p = unrollParams(Thetas)
    J, grad = nnCostFunction(p, 20, 10, 4, X, y, 1.0)
    assert np.isfinite(J) and J > 0
    assert np.all(np.isfinite(grad))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        J_literal, _ = course_reference(Thetas, X, y, 1.0)
    assert not np.isfinite(J_literal)  # the case really is saturated


def test_saturated_cost_is_the_exact_limit():
    # One output unit with z = +-800: h = g(z) is exactly 0 or 1 in floating point.
    # The wrong class at z = 800 costs -log(1 - g(800)) = log(1 + e^800) = 800 + log(1 + e^-800)
    # (= 800 in floats); the right class at z = 800 costs log(1 + e^-800) = 0.
    X = np.array([[1.0]])
    # Theta1 = [0 0] -> a2 = 0.5; Theta2 = [800 0] -> z3 = 800.
    p = [0.0, 0.0, 800.0, 0.0]
    assert nnCostFunction(p, 1, 1, 1, X, [1], 0.0)[0] == 0.0
    p2 = [0.0, 0.0, 800.0, -800.0, 0.0, 0.0]  # two labels: z3 = [800, -800]
    assert_allclose(nnCostFunction(p2, 1, 1, 2, X, [2], 0.0)[0], 1600.0, rtol=1e-15)


def test_mat_file_shapes_are_accepted(rng):
    # loadmat gives y as an (m, 1) float column and nn_params as an (n, 1) column.
    Thetas, X, y = random_problem(rng, (4, 5, 3), 7)
    p = unrollParams(Thetas)
    J, grad = nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    J2, grad2 = nnCostFunction(
        p[:, None].copy(), 4, 5, 3, np.asfortranarray(X), y[:, None].astype(float), 1.0
    )
    assert J2 == pytest.approx(J, rel=1e-15)
    assert grad2.shape == (p.size,)
    assert_allclose(grad2, grad, rtol=1e-14, atol=1e-17)


def test_integer_and_float32_inputs(rng):
    Thetas, _, y = random_problem(rng, (4, 5, 3), 7)
    X = rng.integers(0, 3, size=(7, 4))
    p = unrollParams(Thetas)
    J, grad = nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    J_ref, _grad_ref = course_reference(Thetas, X.astype(float), y, 1.0)
    assert_allclose(J, J_ref, rtol=1e-12)
    assert grad.dtype == np.float64


def test_caller_arrays_are_not_modified(rng):
    Thetas, X, y = random_problem(rng, (4, 5, 3), 7)
    p = unrollParams(Thetas)
    copies = p.copy(), X.copy(), y.copy()
    nnCostFunction(p, 4, 5, 3, X, y, 2.0)
    nnCostFunction(p, 4, 5, 3, X, y, 2.0)  # the memoized path too
    for before, after in zip(copies, (p, X, y), strict=True):
        assert_array_equal(before, after)


def test_repeated_calls_give_the_same_result(rng):
    # The second call reuses the validated data and its buffers.
    Thetas, X, y = random_problem(rng, (4, 5, 3), 7)
    p = unrollParams(Thetas)
    J1, g1 = nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    J2, g2 = nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    assert J1 == J2
    assert_array_equal(g1, g2)
    assert g1 is not g2  # optimizers keep old gradients: each call returns a new array


def test_new_arrays_are_validated_again(rng):
    Thetas, X, y = random_problem(rng, (4, 5, 3), 7)
    p = unrollParams(Thetas)
    nnCostFunction(p, 4, 5, 3, X, y)
    X2 = X.copy()
    X2[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"^X contains NaN or inf \(first at row 2, column 1\)"):
        nnCostFunction(p, 4, 5, 3, X2, y)
    y2 = y.copy()
    y2[0] = 4
    with pytest.raises(ValueError, match=r"^y holds labels from 1 to 4, outside 1\.\.3"):
        nnCostFunction(p, 4, 5, 3, X, y2)


def test_labels_edited_in_place_between_calls_count(rng):
    Thetas, X, y = random_problem(rng, (4, 5, 3), 7)
    p = unrollParams(Thetas)
    nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    y[:] = [1, 1, 2, 2, 3, 3, 1]
    J, grad = nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    J_ref, grad_ref = course_reference(Thetas, X, y, 1.0)
    assert_allclose(J, J_ref, rtol=1e-12)
    assert_allclose(grad, grad_ref, rtol=0, atol=1e-12 * np.abs(grad_ref).max())
    y[0] = 0
    with pytest.raises(ValueError, match=r"^y holds labels from 0 to 3, outside 1\.\.3"):
        nnCostFunction(p, 4, 5, 3, X, y, 1.0)


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_x_edited_in_place_between_calls_counts(dtype, rng):
    Thetas, _, y = random_problem(rng, (4, 5, 3), 7)
    X = rng.integers(0, 5, size=(7, 4)).astype(dtype)
    p = unrollParams(Thetas)
    nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    X[3, 2] += 2
    J, _ = nnCostFunction(p, 4, 5, 3, X, y, 1.0)
    assert_allclose(J, course_reference(Thetas, X.astype(float), y, 1.0)[0], rtol=1e-12)


def test_the_memo_does_not_keep_x_alive(rng):
    Thetas, X, y = random_problem(rng, (4, 5, 3), 7)
    ref = weakref.ref(X)
    nnCostFunction(unrollParams(Thetas), 4, 5, 3, X, y, 1.0)
    del X
    gc.collect()
    assert ref() is None


def test_tiny_losses_keep_full_relative_precision():
    # One output, label 1, z = 40: the loss is log(1 + e^-40) = 4.248e-18, which
    # -log(g(40)) would round to exactly 0.
    X = np.array([[1.0]])
    p = [0.0, 0.0, 40.0, 0.0]  # Theta1 = [0 0], Theta2 = [40 0]
    assert_allclose(
        nnCostFunction(p, 1, 1, 1, X, [1], 0.0)[0], math.log1p(math.exp(-40.0)), rtol=1e-15
    )


@pytest.mark.parametrize("n_threads", [1, 2, 3])
@pytest.mark.parametrize("with_grad", [True, False], ids=["grad", "cost_only"])
def test_row_chunks_on_threads_add_up_to_the_same_cost_and_gradient(
    n_threads, with_grad, rng, monkeypatch
):
    # Shrink the chunks so a small problem takes the paths W2-sized problems take:
    # several chunks per thread, handed out to 1, 2 or 3 threads whatever this
    # machine's core count.
    monkeypatch.setattr(network, "_CHUNK_ELEMENTS", 64)
    monkeypatch.setattr(network, "_MIN_CHUNK_ROWS", 16)
    sizes, m = (9, 7, 6, 4), 203  # an odd m: chunks of unequal sizes
    Thetas, X, y = random_problem(rng, sizes, m, scale=3.0)
    problem = network.prepare_problem(sizes, X, y)
    J, grad = network._cost_and_grad_on_threads(
        unrollParams(Thetas), problem, 0.7, with_grad, n_threads
    )
    J_ref, grad_ref = course_reference(Thetas, X, y, 0.7)
    assert_allclose(J, J_ref, rtol=1e-12)
    if with_grad:
        assert_allclose(grad, grad_ref, rtol=0, atol=1e-12 * np.abs(grad_ref).max())
    else:
        assert grad is None


def blas_thread_counts():
    libs = network.blas_controller().lib_controllers
    return [lib.num_threads for lib in libs if lib.user_api == "blas"]


def test_a_call_uses_the_blas_thread_count_and_restores_it(rng, monkeypatch):
    seen = []
    inner = network._cost_and_grad_on_threads

    def spy(p, problem, lambda_, with_grad, n_threads):
        seen.append((n_threads, blas_thread_counts()))
        return inner(p, problem, lambda_, with_grad, n_threads)

    monkeypatch.setattr(network, "_cost_and_grad_on_threads", spy)
    sizes = (5, 4, 3)
    Thetas, X, y = random_problem(rng, sizes, 600)
    before = blas_thread_counts()
    numpy_threads = max(lib.num_threads for lib in network.numpy_blas_controllers())
    nnCostFunction(unrollParams(Thetas), 5, 4, 3, X, y, 1.0)
    assert blas_thread_counts() == before
    n_threads, during = seen[-1]
    assert n_threads == min(numpy_threads, os.cpu_count())
    assert set(during) == {1}  # every BLAS single-threaded while nnmat's threads run
    with threadpool_limits(1, user_api="blas"):  # the documented way to stay on one thread
        nnCostFunction(unrollParams(Thetas), 5, 4, 3, X, y, 1.0)
    assert seen[-1][0] == 1
    nnCostFunction(unrollParams(Thetas), 5, 4, 3, X[:500], y[:500], 1.0)
    assert seen[-1][0] == 1  # m < 512: one thread, BLAS left alone


def test_an_error_in_a_thread_stops_the_others_and_restores_blas(rng, monkeypatch):
    monkeypatch.setattr(network, "_CHUNK_ELEMENTS", 64)
    monkeypatch.setattr(network, "_MIN_CHUNK_ROWS", 16)
    sizes = (9, 7, 4)
    Thetas, X, y = random_problem(rng, sizes, 400)
    problem = network.prepare_problem(sizes, X, y)
    p = unrollParams(Thetas)
    inner = network._chunk_cost_grad
    calls = []

    def failing(Thetas, X, *args):
        calls.append(len(X))
        if len(calls) == 3:
            raise FloatingPointError("chunk 3")
        return inner(Thetas, X, *args)

    monkeypatch.setattr(network, "_chunk_cost_grad", failing)
    before = blas_thread_counts()
    with pytest.raises(FloatingPointError, match="chunk 3"), network.single_threaded_blas():
        network._cost_and_grad_on_threads(p, problem, 0.0, True, 2)
    assert blas_thread_counts() == before
    n_chunks = len(calls)
    assert n_chunks < 400 // 16  # the chunks left were not handed out
    monkeypatch.setattr(network, "_chunk_cost_grad", inner)
    J, grad = network._cost_and_grad_on_threads(p, problem, 0.0, True, 2)
    assert len(calls) == n_chunks  # no helper was still running the failed call
    J_ref, grad_ref = course_reference(Thetas, X, y, 0.0)
    assert_allclose(J, J_ref, rtol=1e-12)
    assert_allclose(grad, grad_ref, rtol=0, atol=1e-12 * np.abs(grad_ref).max())


def test_threaded_calls_give_the_same_bits_every_time(rng, monkeypatch):
    monkeypatch.setattr(network, "_CHUNK_ELEMENTS", 256)
    monkeypatch.setattr(network, "_MIN_CHUNK_ROWS", 16)
    sizes = (20, 9, 5)
    Thetas, X, y = random_problem(rng, sizes, 1500, scale=2.0)
    problem = network.prepare_problem(sizes, X, y)
    p = unrollParams(Thetas)
    results = [network._cost_and_grad_on_threads(p, problem, 0.5, True, 2) for _ in range(20)]
    for J, grad in results[1:]:
        assert J == results[0][0]
        assert_array_equal(grad, results[0][1])


def test_helpers_see_the_callers_errstate(rng, monkeypatch):
    monkeypatch.setattr(network, "_MIN_CHUNK_ROWS", 16)
    seen = {}
    inner = network._chunk_cost_grad

    def spy(*args):
        seen[threading.get_ident()] = np.geterr()["over"]
        return inner(*args)

    monkeypatch.setattr(network, "_chunk_cost_grad", spy)
    Thetas, X, y = random_problem(rng, (5, 4, 3), 200)
    problem = network.prepare_problem((5, 4, 3), X, y)
    with np.errstate(over="raise"):
        network._cost_and_grad_on_threads(unrollParams(Thetas), problem, 0.0, True, 2)
    assert set(seen.values()) == {"raise"}


def test_a_failing_helper_stops_before_the_error_leaves(rng, monkeypatch):
    monkeypatch.setattr(network, "_CHUNK_ELEMENTS", 64)
    monkeypatch.setattr(network, "_MIN_CHUNK_ROWS", 16)
    caller = threading.get_ident()
    inner = network._chunk_cost_grad
    calls = []

    def failing(*args):
        calls.append(threading.get_ident())
        if threading.get_ident() != caller:
            raise FloatingPointError("helper")
        time.sleep(0.001)
        return inner(*args)

    monkeypatch.setattr(network, "_chunk_cost_grad", failing)
    Thetas, X, y = random_problem(rng, (9, 7, 4), 800)
    problem = network.prepare_problem((9, 7, 4), X, y)
    with pytest.raises(FloatingPointError, match="helper"):
        network._cost_and_grad_on_threads(unrollParams(Thetas), problem, 0.0, True, 2)
    n_calls = len(calls)
    time.sleep(0.05)
    assert len(calls) == n_calls  # nothing still running
    assert n_calls < 800 // 16  # the caller stopped early too


FORK_SCRIPT = """
import os, signal, sys
import numpy as np
from nnmat import network, nnCostFunction

rng = np.random.default_rng(0)
X, y, p = rng.random((1200, 9)), rng.integers(1, 5, 1200), rng.normal(size=7 * 10 + 4 * 8)
expected = nnCostFunction(p, 9, 7, 4, X, y, 0.5)  # starts nnmat's pool in the parent
pid = os.fork()
if pid == 0:  # the child: no pool thread survived the fork
    status = 1
    try:
        signal.alarm(20)  # a hang kills the child
        J, grad = nnCostFunction(p, 9, 7, 4, X, y, 0.5)
        ok = J == expected[0] and np.array_equal(grad, expected[1])

        def fail(*args):
            raise FloatingPointError

        network._chunk_cost_grad = fail
        try:
            nnCostFunction(p, 9, 7, 4, X, y, 0.5)
        except FloatingPointError:
            status = 0 if ok and network._threads_state["owner"] is None else 2
    finally:
        os._exit(status)
_, status = os.waitpid(pid, 0)
if os.waitstatus_to_exitcode(status):
    sys.exit("a threaded call in the child failed")

# A fork while this thread holds the limit: the child's context exits and restores.
def counts():
    return [lib.num_threads for lib in network.blas_controller().lib_controllers
            if lib.user_api == "blas"]

before = counts()
with network.single_threaded_blas():
    pid = os.fork()
    if pid == 0:
        signal.alarm(20)
        J, grad = nnCostFunction(p, 9, 7, 4, X, y, 0.5)
        ok = J == expected[0] and np.array_equal(grad, expected[1])
if pid == 0:  # the child has left the context: BLAS is restored, as in the parent
    os._exit(0 if ok and counts() == before else 3)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_runs_threaded_calls_and_their_errors():
    # In a separate process: a fork also resets OpenBLAS's threads in the forking one.
    proc = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", FORK_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_a_limit_overlapping_from_another_thread_is_not_undone(rng):
    # Thread A limits BLAS, nnmat enters, A leaves, nnmat leaves.  Whichever of the two
    # threadpoolctl lets set OpenBLAS's limit, the thread counts end as they began,
    # and nnmat runs threads of its own only while BLAS is single-threaded.
    before = blas_thread_counts()
    entered, leave = threading.Event(), threading.Event()

    def other():
        with threadpool_limits(1, user_api="blas"):
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(10)
    with network.single_threaded_blas() as n_threads:
        assert n_threads == 1 or set(blas_thread_counts()) == {1}
        leave.set()
        thread.join(10)
    assert blas_thread_counts() == before


def test_calls_from_another_thread_add_threads_only_under_a_blas_limit(rng, monkeypatch):
    seen = []
    inner = network._cost_and_grad_on_threads

    def spy(p, problem, lambda_, with_grad, n_threads):
        seen.append((n_threads, set(blas_thread_counts())))
        return inner(p, problem, lambda_, with_grad, n_threads)

    monkeypatch.setattr(network, "_cost_and_grad_on_threads", spy)
    Thetas, X, y = random_problem(rng, (5, 4, 3), 600)
    p = unrollParams(Thetas)
    before = blas_thread_counts()
    nnCostFunction(p, 5, 4, 3, X, y, 1.0)  # this thread sets BLAS limits first
    expected = nnCostFunction(p, 5, 4, 3, X, y, 1.0)
    with ThreadPoolExecutor(1) as other:
        J, grad = other.submit(nnCostFunction, p, 5, 4, 3, X, y, 1.0).result()
    assert_allclose(J, expected[0], rtol=1e-13)
    assert_allclose(grad, expected[1], rtol=0, atol=1e-13 * np.abs(expected[1]).max())
    for n_threads, during in seen:
        assert n_threads == 1 or during == {1}
    assert blas_thread_counts() == before


def test_a_caller_limit_counts_while_another_thread_holds_nnmats(rng, monkeypatch):
    seen = []
    inner = network._cost_and_grad_on_threads

    def spy(p, problem, lambda_, with_grad, n_threads):
        seen.append(n_threads)
        return inner(p, problem, lambda_, with_grad, n_threads)

    monkeypatch.setattr(network, "_cost_and_grad_on_threads", spy)
    Thetas, X, y = random_problem(rng, (5, 4, 3), 600)
    held, leave = threading.Event(), threading.Event()

    def trainer():
        with network.single_threaded_blas():
            held.set()
            leave.wait(10)

    thread = threading.Thread(target=trainer)
    thread.start()
    held.wait(10)
    try:
        with threadpool_limits(1, user_api="blas"):
            nnCostFunction(unrollParams(Thetas), 5, 4, 3, X, y, 1.0)
    finally:
        leave.set()
        thread.join(10)
    assert seen == [1]


def test_holders_in_two_threads_leave_blas_as_it_was(rng):
    # The main thread holds the limit; thread B asks while it does, then main leaves
    # first and B last.  B runs on its one thread and does not touch BLAS.
    before = blas_thread_counts()
    inside, leave = threading.Event(), threading.Event()
    granted = []

    def other():
        with network.single_threaded_blas() as n:
            granted.append(n)
            inside.set()
            leave.wait(10)

    with network.single_threaded_blas() as n_main:
        thread = threading.Thread(target=other)
        thread.start()
        inside.wait(10)
    leave.set()
    thread.join(10)
    assert granted == [1]
    assert blas_thread_counts() == before
    with network.single_threaded_blas() as n_again:
        assert n_again == n_main


def test_a_call_from_another_thread_leaves_threadpoolctl_usable(rng):
    # After nnmat ran in a worker thread, this thread's own limits still take effect.
    Thetas, X, y = random_problem(rng, (5, 4, 3), 600)
    with ThreadPoolExecutor(1) as worker:
        worker.submit(nnCostFunction, unrollParams(Thetas), 5, 4, 3, X, y, 1.0).result()
        with threadpool_limits(1, user_api="blas"):
            assert set(blas_thread_counts()) == {1}


def test_nested_limits_restore_only_when_the_last_holder_leaves():
    before = blas_thread_counts()
    with network.single_threaded_blas() as outer:
        with network.single_threaded_blas() as inner:
            assert inner == outer  # the count from before the first limit
        assert set(blas_thread_counts()) == {1}
    assert blas_thread_counts() == before


def test_concurrent_calls_from_two_threads(rng):
    sizes = (12, 8, 4)
    Thetas, X, y = random_problem(rng, sizes, 2000, scale=2.0)
    p = unrollParams(Thetas)
    expected = nnCostFunction(p, 12, 8, 4, X, y, 0.5)
    with ThreadPoolExecutor(2) as callers:
        results = list(callers.map(lambda _: nnCostFunction(p, 12, 8, 4, X, y, 0.5), range(8)))
    for J, grad in results:
        assert_allclose(J, expected[0], rtol=1e-13)
        assert_allclose(grad, expected[1], rtol=0, atol=1e-13 * np.abs(expected[1]).max())


@pytest.mark.parametrize("lambda_", [0.0, 2.0])
def test_cost_without_gradient_is_the_same_cost(lambda_, rng):
    Thetas, X, y = random_problem(rng, (6, 5, 4, 3), 11, scale=3.0)
    p = unrollParams(Thetas)
    problem = network.prepare_problem((6, 5, 4, 3), X, y)
    J, _ = network.cost_and_grad(p, problem, lambda_)
    J_only, nothing = network.cost_and_grad(p, problem, lambda_, with_grad=False)
    assert nothing is None
    assert J_only == J


def test_scipy_minimize_end_to_end(rng):
    # Two well-separated classes; minimize drives nnCostFunction directly.
    X = np.vstack([rng.normal(-1.5, 0.5, size=(30, 2)), rng.normal(1.5, 0.5, size=(30, 2))])
    y = np.repeat([1, 2], 30)
    p0 = unrollParams([randInitializeWeights(2, 4, rng=rng), randInitializeWeights(4, 2, rng=rng)])
    J0 = nnCostFunction(p0, 2, 4, 2, X, y, 0.1)[0]
    res = minimize(
        nnCostFunction,
        p0,
        args=(2, 4, 2, X, y, 0.1),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 200},
    )
    assert res.fun < 0.2 * J0
    T1, T2 = rollParams(res.x, [2, 4, 2])
    assert np.mean(predict(T1, T2, X) == y) == 1.0


# --------------------------------------------------------------------------- bad input

P_345 = unrollParams([debugInitializeWeights(5, 3), debugInitializeWeights(3, 5)])
X_OK = debugInitializeWeights(5, 2)
Y_OK = np.array([2, 3, 1, 2, 3])


@pytest.mark.parametrize(
    ("change", "exc", "message"),
    [
        (
            {"nn_params": P_345[:-1]},
            ValueError,
            "nn_params has 37 elements; layer sizes (3, 5, 3) need 38 (Theta1 (5, 4) + "
            "Theta2 (3, 6)). Check the layer sizes or rebuild nn_params with unrollParams.",
        ),
        (
            {"X": X_OK[:, :2]},
            ValueError,
            "X has 2 columns but the input layer has 3 units; got X of shape (5, 2). "
            "Check input_layer_size or the orientation of X (rows are examples).",
        ),
        (
            {"X": np.hstack([np.ones((5, 1)), X_OK])},
            ValueError,
            "X has 4 columns but the input layer has 3 units; got X of shape (5, 4). "
            "It looks like it already has the bias column of ones: drop it, nnmat adds it.",
        ),
        (
            {"X": X_OK[0]},
            ValueError,
            "X must be 2-D of shape (m, 3), one example per row; got shape (3,). "
            "For a single example use X.reshape(1, -1).",
        ),
        (
            {"X": np.zeros((0, 3))},
            ValueError,
            "X has no examples (shape (0, 3)); pass at least one row.",
        ),
        (
            {"X": np.where(np.arange(15).reshape(5, 3) == 7, np.inf, X_OK)},
            ValueError,
            "X contains NaN or inf (first at row 2, column 1); remove or impute those values.",
        ),
        ({"X": X_OK.astype(str)}, TypeError, "X must hold real numbers; got dtype <U32."),
        (
            {"nn_params": np.where(np.arange(38) == 4, np.nan, P_345)},
            ValueError,
            "nn_params contains NaN or inf (first at index 4); parameters must be finite.",
        ),
        (
            {"y": Y_OK - 1},
            ValueError,
            "y holds labels from 0 to 2, outside 1..3 (num_labels = 3). They look 0-based: "
            "nnmat uses the course's 1-based labels, so pass y + 1 (for the course's digits, "
            "10 stands for the digit 0).",
        ),
        (
            {"y": Y_OK + 2},
            ValueError,
            "y holds labels from 3 to 5, outside 1..3 (num_labels = 3).",
        ),
        (
            {"y": np.array([2, 3, 1.5, 2, 3])},
            ValueError,
            "y must hold whole-number labels 1..3; y[2] is 1.5.",
        ),
        (
            {"y": np.array([2, 3, np.nan, 2, 3])},
            ValueError,
            "y must hold whole-number labels 1..3; y[2] is nan.",
        ),
        (
            {"y": Y_OK[:4]},
            ValueError,
            "y has 4 labels but X has 5 rows; pass one label per example.",
        ),
        (
            {"y": np.ones((5, 2))},
            ValueError,
            "y must have shape (m,) or (m, 1) with one label per example; got shape (5, 2).",
        ),
        (
            {"lambda_": -1.0},
            ValueError,
            "lambda_ must be a finite number >= 0; got -1.0. Use 0 for no regularization.",
        ),
        (
            {"lambda_": float("nan")},
            ValueError,
            "lambda_ must be a finite number >= 0; got nan. Use 0 for no regularization.",
        ),
        ({"lambda_": "1"}, TypeError, "lambda_ must be a real number >= 0; got '1' of type str."),
        (
            {"hidden_layer_size": 0},
            ValueError,
            "hidden_layer_size must be a positive int; got 0. Use at least 1 unit.",
        ),
        (
            {"num_labels": 2.0},
            TypeError,
            "num_labels must be a positive int; got 2.0 of type float. "
            "Pass a whole number such as 25.",
        ),
    ],
)
def test_bad_input_messages(change, exc, message):
    args = {
        "nn_params": P_345,
        "input_layer_size": 3,
        "hidden_layer_size": 5,
        "num_labels": 3,
        "X": X_OK,
        "y": Y_OK,
        "lambda_": 0.0,
    }
    args.update(change)
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        nnCostFunction(**args)


# --------------------------------------------------------------------------- predict


def test_predict_course_example():
    # Hidden unit 1 fires for x > 0, unit 2 for x < 0; output k copies hidden unit k.
    T1 = np.array([[0.0, 10.0], [0.0, -10.0]])
    T2 = np.array([[0.0, 10.0, 0.0], [0.0, 0.0, 10.0]])
    p = predict(T1, T2, np.array([[2.0], [-2.0], [0.5]]))
    assert_array_equal(p, [1, 2, 1])
    assert p.shape == (3,)
    assert np.issubdtype(p.dtype, np.integer)


def test_predict_matches_argmax_of_the_reference_forward_pass(rng):
    Thetas, X, _ = random_problem(rng, (6, 5, 4, 3), 40, scale=10.0)
    h = X
    for T in Thetas:
        h = 1.0 / (1.0 + np.exp(-(np.hstack([np.ones((h.shape[0], 1)), h]) @ T.T)))
    assert_array_equal(predict(*Thetas, X), np.argmax(h, axis=1) + 1)


def test_predict_ties_take_the_first_label():
    # Identical rows in Theta2 give identical outputs: Octave's max picks the first.
    T1 = np.array([[0.1, 0.2]])
    T2 = np.array([[0.0, -1.0], [0.3, 0.0], [0.3, 0.0]])  # output 1 < 0.3 = outputs 2, 3
    assert_array_equal(predict(T1, T2, np.array([[-100.0], [5.0]])), [2, 2])
    # Saturation ties: outputs 40 and 41 both give h == 1.0 exactly, so label 1 wins.
    T2 = np.array([[40.0, 0.0], [41.0, 0.0]])
    assert_array_equal(predict(T1, T2, np.array([[0.0]])), [1])


def test_predict_with_course_weights(ex4weights, rng):
    T1, T2 = ex4weights["Theta1"], ex4weights["Theta2"]
    X = rng.random((20, 400))
    labels = predict(T1, T2, X)
    assert labels.shape == (20,)
    assert labels.min() >= 1 and labels.max() <= 10


@pytest.mark.parametrize(
    ("args", "exc", "message"),
    [
        (
            (np.zeros((5, 4)),),
            TypeError,
            "predict needs at least one Theta and X, as predict(Theta1, Theta2, X); "
            "got 1 argument(s).",
        ),
        (
            (np.zeros((5, 4)), np.zeros((3, 5)), X_OK),
            ValueError,
            "Theta2 has shape (3, 5) but Theta1 has shape (5, 4): Theta2 needs 6 columns "
            "(Theta1's 5 outputs plus the bias).",
        ),
        (
            (np.zeros(4), X_OK),
            ValueError,
            "Theta1 must be 2-D of shape (n_out, n_in + 1) with the bias in column 0; "
            "got shape (4,).",
        ),
        (
            ([np.zeros((5, 4)), np.zeros((3, 6))], X_OK),
            TypeError,
            "Theta1 must be a 2-D array of real numbers; got a ragged sequence. "
            "To pass a list of Thetas, unpack it: predict(*Thetas, X).",
        ),
        (
            (np.full((5, 4), np.nan), np.zeros((3, 6)), X_OK),
            ValueError,
            "Theta1 contains NaN or inf; weights must be finite.",
        ),
        (
            (np.zeros((5, 5)), np.zeros((3, 6)), X_OK),
            ValueError,
            "X has 3 columns but the input layer has 4 units; got X of shape (5, 3). "
            "Check input_layer_size or the orientation of X (rows are examples).",
        ),
    ],
)
def test_predict_bad_input(args, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        predict(*args)


def test_cost_is_log_k_for_zero_weights():
    # All weights 0: every output is g(0) = 1/2, each of the K terms costs log 2.
    X = np.ones((3, 2))
    for K in (1, 4):
        p = np.zeros(3 * 3 + K * 4)
        assert_allclose(
            nnCostFunction(p, 2, 3, K, X, [1, 1, K], 0.0)[0], K * math.log(2), rtol=1e-15
        )
