"""Tests for nnmat.activations (sigmoid.m, sigmoidGradient.m)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from nnmat import sigmoid, sigmoidGradient


def test_sigmoid_gradient_course_values():
    # ex4.m prints sigmoidGradient([-1 -0.5 0 0.5 1]) as these six-digit values.
    expected = [0.196612, 0.235004, 0.250000, 0.235004, 0.196612]
    assert_allclose(sigmoidGradient([-1, -0.5, 0, 0.5, 1]), expected, rtol=0, atol=5e-7)


def test_sigmoid_at_zero_is_one_half():
    assert sigmoid(0.0) == 0.5
    assert sigmoidGradient(0.0) == 0.25


@pytest.mark.parametrize("z", [-20.0, -3.5, -0.1, 0.0, 0.7, 4.0, 25.0])
def test_sigmoid_matches_the_closed_form(z):
    # Independent formula 1 / (1 + exp(-z)), fine in this range.
    assert_allclose(sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-15)
    # g'(z) = e^-|z| / (1 + e^-|z|)^2: exact algebra, no cancellation for large |z|
    # (g * (1 - g) would lose ~6 digits at z = 25).
    t = np.exp(-abs(z))
    assert_allclose(sigmoidGradient(z), t / (1.0 + t) ** 2, rtol=1e-14)


def test_saturated_inputs_are_finite_without_warnings():
    # pytest turns warnings into errors: an overflow in exp would fail here.
    z = np.array([-np.inf, -1000.0, -745.0, 745.0, 1000.0, np.inf])
    assert_array_equal(sigmoid(z), [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    assert_array_equal(sigmoidGradient(z), np.zeros(6))


def test_sigmoid_gradient_keeps_relative_precision_for_large_z():
    # g'(40) = e^-40 / (1 + e^-40)^2 ~ 4.248e-18; g * (1 - g) would give exactly 0.
    assert_allclose(sigmoidGradient(40.0), np.exp(-40.0), rtol=1e-15)
    assert_allclose(sigmoidGradient(-40.0), np.exp(-40.0), rtol=1e-15)


@pytest.mark.parametrize("shape", [(), (7,), (3, 4), (2, 3, 4)])
def test_shape_is_preserved(shape, rng):
    z = rng.normal(size=shape) * 5
    assert np.shape(sigmoid(z)) == shape
    assert np.shape(sigmoidGradient(z)) == shape


def test_dtypes():
    assert sigmoid(np.array([1, 2])).dtype == np.float64
    assert sigmoid(np.float32([1, 2])).dtype == np.float32
    assert sigmoidGradient(np.float32([1, 2])).dtype == np.float32


def test_input_is_not_modified():
    z = np.array([-2.0, 0.0, 3.0])
    sigmoid(z)
    sigmoidGradient(z)
    assert_array_equal(z, [-2.0, 0.0, 3.0])


def test_non_numeric_input_is_rejected():
    with pytest.raises(TypeError, match=r"^z must be real numbers; got dtype <U1\.$"):
        sigmoid(np.array(["a"]))
