"""Tests for nnmat.initialization (randInitializeWeights.m, debugInitializeWeights.m)."""

import math
import re

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from nnmat import debugInitializeWeights, randInitializeWeights


def test_debug_weights_are_sin_of_the_column_major_index():
    # Octave: reshape(sin(1:6), 2, 3) / 10 fills column by column:
    #   [sin(1) sin(3) sin(5); sin(2) sin(4) sin(6)] / 10
    W = debugInitializeWeights(2, 2)
    expected = (
        np.array([[math.sin(1), math.sin(3), math.sin(5)], [math.sin(2), math.sin(4), math.sin(6)]])
        / 10
    )
    assert W.shape == (2, 3)
    assert_array_equal(W, expected)


@pytest.mark.parametrize(("fan_out", "fan_in"), [(1, 1), (5, 3), (3, 5), (25, 400)])
def test_debug_weights_shape_and_corner_values(fan_out, fan_in):
    W = debugInitializeWeights(fan_out, fan_in)
    assert W.shape == (fan_out, fan_in + 1)
    assert W[0, 0] == math.sin(1) / 10
    assert W[-1, -1] == math.sin(fan_out * (fan_in + 1)) / 10


def test_rand_weights_shape_and_range():
    W = randInitializeWeights(400, 25, rng=1)
    assert W.shape == (25, 401)
    assert np.abs(W).max() <= 0.12
    assert np.abs(W).max() > 0.11  # really spread over the interval, not all zeros
    W = randInitializeWeights(3, 2, 0.5, rng=1)
    assert np.abs(W).max() <= 0.5


def test_rand_weights_are_reproducible_and_use_no_global_state():
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    a = randInitializeWeights(10, 4, rng=7)
    b = randInitializeWeights(10, 4, rng=7)
    c = randInitializeWeights(10, 4, rng=8)
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # The legacy global state must stay untouched.
    assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


def test_rand_weights_advance_a_given_generator():
    gen = np.random.default_rng(3)
    a = randInitializeWeights(4, 4, rng=gen)
    b = randInitializeWeights(4, 4, rng=gen)
    assert not np.array_equal(a, b)
    assert_array_equal(a, np.random.default_rng(3).uniform(-0.12, 0.12, size=(4, 5)))


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (
            lambda: randInitializeWeights(0, 3),
            ValueError,
            "L_in must be a positive int; got 0. Use at least 1 unit.",
        ),
        (
            lambda: randInitializeWeights(3, 2.0),
            TypeError,
            "L_out must be a positive int; got 2.0 of type float. Pass a whole number such as 25.",
        ),
        (
            lambda: randInitializeWeights(3, 2, -0.1),
            ValueError,
            "epsilon_init must be a finite number > 0; got -0.1.",
        ),
        (
            lambda: randInitializeWeights(3, 2, rng="seed"),
            TypeError,
            "rng must be None, an int seed or a numpy.random.Generator; got str.",
        ),
        (
            lambda: debugInitializeWeights(3, 0),
            ValueError,
            "fan_in must be a positive int; got 0. Use at least 1 unit.",
        ),
    ],
)
def test_bad_arguments(call, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        call()
