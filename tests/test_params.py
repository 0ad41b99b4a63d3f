"""Tests for nnmat.params: layer sizes and column-major (un)rolling."""

import itertools
import re

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from nnmat import rollParams, unrollParams
from nnmat.params import as_layer_sizes, param_layout


def test_unroll_is_column_major_like_octave():
    # Octave: T1 = [1 2; 3 4]; T2 = [5 6 7]; [T1(:); T2(:)]  ->  1 3 2 4 5 6 7
    T1 = np.array([[1.0, 2.0], [3.0, 4.0]])
    T2 = np.array([[5.0, 6.0, 7.0]])
    assert_array_equal(unrollParams([T1, T2]), [1, 3, 2, 4, 5, 6, 7])


def test_roll_is_the_inverse_of_unroll(rng):
    sizes = [4, 3, 5, 2]
    Thetas = [rng.normal(size=(o, i + 1)) for i, o in itertools.pairwise(sizes)]
    rolled = rollParams(unrollParams(Thetas), sizes)
    assert len(rolled) == 3
    for got, want in zip(rolled, Thetas, strict=True):
        assert_array_equal(got, want)


def test_roll_shapes_and_bias_column():
    # 2-3-1: Theta1 is (3, 3) and comes first; Theta2 is (1, 4).
    p = np.arange(1.0, 14.0)
    T1, T2 = rollParams(p, [2, 3, 1])
    assert T1.shape == (3, 3) and T2.shape == (1, 4)
    assert_array_equal(T1[:, 0], [1, 2, 3])  # column 0 (the biases) is stored first
    assert_array_equal(T2, [[10, 11, 12, 13]])


def test_roll_accepts_a_mat_file_column():
    p = np.arange(1.0, 14.0)
    for a, b in zip(rollParams(p[:, None], [2, 3, 1]), rollParams(p, [2, 3, 1]), strict=True):
        assert_array_equal(a, b)


def test_roll_returns_views_without_copying():
    p = np.arange(1.0, 14.0)
    T1, _ = rollParams(p, [2, 3, 1])
    assert np.shares_memory(T1, p)


def test_layout_offsets_and_weight_slices():
    layout = param_layout((400, 25, 10))
    assert layout.shapes == ((25, 401), (10, 26))
    assert layout.offsets == (0, 10025, 10285)
    assert layout.size == 10285
    # The non-bias weights of Theta2 are everything after its first column (10 biases).
    assert layout.weights_slice(1) == slice(10035, 10285)
    p = np.arange(layout.size, dtype=float)
    T1, T2 = rollParams(p, [400, 25, 10])
    assert_array_equal(p[layout.weights_slice(0)], T1[:, 1:].ravel(order="F"))
    assert_array_equal(p[layout.weights_slice(1)], T2[:, 1:].ravel(order="F"))


@pytest.mark.parametrize(
    ("hidden", "expected"),
    [
        (25, (400, 25, 10)),
        ((100, 100, 100), (400, 100, 100, 100, 10)),
        ([7], (400, 7, 10)),
        (np.array(25), (400, 25, 10)),
        (np.array([30, 20]), (400, 30, 20, 10)),
    ],
)
def test_as_layer_sizes(hidden, expected):
    assert as_layer_sizes(400, hidden, 10) == expected


@pytest.mark.parametrize(
    ("args", "exc", "message"),
    [
        (
            (400, 0, 10),
            ValueError,
            "hidden_layer_size must be a positive int; got 0. Use at least 1 unit.",
        ),
        (
            (400, 2.5, 10),
            TypeError,
            "hidden_layer_size must be an int or a sequence of ints; got 2.5 of type float. "
            "Pass 25 for one hidden layer or (100, 100) for two.",
        ),
        (
            (400, True, 10),
            TypeError,
            "hidden_layer_size must be a positive int; got True of type bool. "
            "Pass a whole number such as 25.",
        ),
        (
            (400, (25, -3), 10),
            ValueError,
            "hidden_layer_size[1] must be a positive int; got -3. Use at least 1 unit.",
        ),
        (
            (400, (), 10),
            ValueError,
            "hidden_layer_size is empty; nnCostFunction needs at least one hidden layer, "
            "e.g. 25 or (100, 100).",
        ),
        (
            (400.0, 25, 10),
            TypeError,
            "input_layer_size must be a positive int; got 400.0 of type float. "
            "Pass a whole number such as 25.",
        ),
        (
            (400, 25, -10),
            ValueError,
            "num_labels must be a positive int; got -10. Use at least 1 unit.",
        ),
    ],
)
def test_bad_layer_sizes(args, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        as_layer_sizes(*args)


def test_wrong_parameter_count_names_the_theta_shapes():
    message = (
        "nn_params has 10284 elements; layer sizes (400, 25, 10) need 10285 "
        "(Theta1 (25, 401) + Theta2 (10, 26)). Check the layer sizes or rebuild "
        "nn_params with unrollParams."
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        rollParams(np.zeros(10284), [400, 25, 10])


@pytest.mark.parametrize(
    ("p", "exc", "message"),
    [
        (
            np.zeros((2, 13)),
            ValueError,
            "nn_params must be a 1-D vector or an (n, 1) column; got shape (2, 13). "
            "Unroll the Thetas with unrollParams([Theta1, Theta2]).",
        ),
        (
            np.array([np.nan] + [0.0] * 12),
            ValueError,
            "nn_params contains NaN or inf (first at index 0); parameters must be finite.",
        ),
        (np.array(["x"] * 13), TypeError, "nn_params must hold real numbers; got dtype <U1."),
    ],
)
def test_bad_parameter_vectors(p, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        rollParams(p, [2, 3, 1])


@pytest.mark.parametrize(
    ("sizes", "exc", "message"),
    [
        (
            [5],
            ValueError,
            "layer_sizes needs at least an input and an output size; got [5]. "
            "Pass e.g. [400, 25, 10].",
        ),
        (
            "400",
            TypeError,
            "layer_sizes must be a sequence of ints such as [400, 25, 10]; got str.",
        ),
        (
            [4, 0, 2],
            ValueError,
            "layer_sizes[1] must be a positive int; got 0. Use at least 1 unit.",
        ),
    ],
)
def test_bad_full_layer_sizes(sizes, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        rollParams(np.zeros(13), sizes)


@pytest.mark.parametrize(
    ("Thetas", "exc", "message"),
    [
        (
            [],
            ValueError,
            "Thetas is empty; pass at least one weight matrix, e.g. [Theta1, Theta2].",
        ),
        (
            np.zeros((2, 2)),
            TypeError,
            "Thetas must be a list of 2-D arrays such as [Theta1, Theta2]; got ndarray.",
        ),
        (
            [np.zeros(3)],
            ValueError,
            "Theta1 must be 2-D of shape (n_out, n_in + 1); got shape (3,).",
        ),
    ],
)
def test_bad_unroll_input(Thetas, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        unrollParams(Thetas)


@pytest.mark.parametrize(
    ("theta", "message"),
    [
        (np.zeros((2, 2)).astype(str), "Theta1 must hold real numbers; got dtype <U32."),
        (np.zeros((2, 2)) + 1j, "Theta1 must hold real numbers; got dtype complex128."),
    ],
)
def test_unroll_refuses_non_real_thetas(theta, message):
    with pytest.raises(TypeError, match="^" + re.escape(message) + "$"):
        unrollParams([theta])


def test_unroll_returns_a_new_vector():
    T = np.array([[1.0, 2.0]])
    v = unrollParams([T])
    v[0] = 99.0
    assert T[0, 0] == 1.0
