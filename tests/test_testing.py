"""Tests for nnmat.testing: the helper catches realistic backprop bugs and names the layer.

Each test checks the correct version and the buggy one side by side: the helper must
pass the first and fail the second, naming exactly the blocks the bug touches.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose

from nnmat import debugInitializeWeights, nnCostFunction, rollParams, unrollParams
from nnmat.testing import GradientMismatchError, assert_gradients_match

# A square hidden layer (4 inputs, 4 hidden units) lets a transposed product through
# every shape check, as it would in a user's code.
SIZES = (4, 4, 3)
M = 6
LAMBDA = 1.0
X = debugInitializeWeights(M, SIZES[0] - 1)
Y_LABELS = 1 + np.arange(1, M + 1) % SIZES[-1]
THETA = unrollParams([debugInitializeWeights(4, 4), debugInitializeWeights(3, 4)])


def nnmat_cost(p):
    return nnCostFunction(p, *SIZES, X, Y_LABELS, LAMBDA)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def reference_backprop(p, *, sigmoid_derivative=True, transposed_delta=False, order="F"):
    """The course's nnCostFunction.m, written out for one hidden layer, with bug switches."""
    n0, n1, K = SIZES
    T1 = p[: n1 * (n0 + 1)].reshape(n1, n0 + 1, order="F")
    T2 = p[n1 * (n0 + 1) :].reshape(K, n1 + 1, order="F")
    ones = np.ones((M, 1))
    a1 = np.hstack([ones, X])
    z2 = a1 @ T1.T
    a2 = np.hstack([ones, _sigmoid(z2)])
    h = _sigmoid(a2 @ T2.T)
    Y = np.eye(K)[Y_LABELS - 1]
    J = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / M
    J += LAMBDA / (2 * M) * (np.sum(T1[:, 1:] ** 2) + np.sum(T2[:, 1:] ** 2))
    d3 = h - Y
    d2 = d3 @ T2[:, 1:]
    if sigmoid_derivative:
        d2 = d2 * _sigmoid(z2) * (1 - _sigmoid(z2))
    G1 = d2.T @ a1 / M
    if transposed_delta:
        G1[:, 1:] = X.T @ d2 / M  # (n0, n1) where (n1, n0) is meant: same shape here
    G2 = d3.T @ a2 / M
    G1[:, 1:] += LAMBDA / M * T1[:, 1:]
    G2[:, 1:] += LAMBDA / M * T2[:, 1:]
    return J, np.concatenate([G1.ravel(order=order), G2.ravel(order=order)])


def failing_blocks(cost_fn):
    """Run the helper on a cost function that must fail; return the failing block names."""
    with pytest.raises(GradientMismatchError) as info:
        assert_gradients_match(cost_fn, THETA, SIZES)
    return [b.name for b in info.value.report.failed_blocks]


# ----------------------------------------------------------------------------- honest baselines
def test_reference_backprop_is_the_same_function_as_nnCostFunction():
    J, grad = reference_backprop(THETA)
    J_ref, grad_ref = nnmat_cost(THETA)
    assert_allclose(J, J_ref, rtol=1e-13)
    assert_allclose(grad, grad_ref, rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("cost_fn", [nnmat_cost, reference_backprop], ids=["nnmat", "reference"])
def test_correct_backprop_passes_and_returns_the_report(cost_fn):
    report = assert_gradients_match(cost_fn, THETA, SIZES)
    assert report.passed
    assert report.relative_difference < 1e-9


# ----------------------------------------------------------------------------- realistic bugs
def test_catches_a_regularized_bias_column_in_layer_1():
    def regularized_bias(p):
        J, grad = nnmat_cost(p)
        T1 = rollParams(p, SIZES)[0]
        grad = grad.copy()
        grad[: T1.shape[0]] += LAMBDA / M * T1[:, 0]  # Theta1's column 1 is the bias
        return J, grad

    assert_gradients_match(nnmat_cost, THETA, SIZES)
    assert failing_blocks(regularized_bias) == ["Theta1 bias"]


def test_catches_a_missing_sigmoid_derivative_factor():
    # delta2 = delta3 * Theta2(:, 2:) without .* sigmoidGradient(z2): Theta1 is wrong,
    # Theta2 (computed from delta3) is still right.
    assert_gradients_match(reference_backprop, THETA, SIZES)
    buggy = failing_blocks(lambda p: reference_backprop(p, sigmoid_derivative=False))
    assert buggy == ["Theta1 bias", "Theta1 weights"]


def test_catches_a_transposed_delta():
    # Theta1_grad(:, 2:) = X' * delta2 / m instead of delta2' * X / m.
    assert_gradients_match(reference_backprop, THETA, SIZES)
    assert failing_blocks(lambda p: reference_backprop(p, transposed_delta=True)) == [
        "Theta1 weights"
    ]


def test_catches_c_order_unrolling_of_the_gradient():
    # numpy's default ravel() is row-major; theta is read column-major, as Octave's (:).
    assert_gradients_match(reference_backprop, THETA, SIZES)
    buggy = failing_blocks(lambda p: reference_backprop(p, order="C"))
    assert buggy == ["Theta1 bias", "Theta1 weights", "Theta2 bias", "Theta2 weights"]


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (slice(20, 35), ["Theta2 bias", "Theta2 weights"]),
        (slice(None), ["Theta1 bias", "Theta1 weights", "Theta2 bias", "Theta2 weights"]),
    ],
    ids=["Theta2", "everything"],
)
def test_catches_a_gradient_off_by_a_factor_of_one_plus_1e_minus_6(part, expected):
    def scaled(p):
        J, grad = nnmat_cost(p)
        grad = grad.copy()
        grad[part] *= 1 + 1e-6
        return J, grad

    assert_gradients_match(nnmat_cost, THETA, SIZES)
    assert failing_blocks(scaled) == expected


# ----------------------------------------------------------------------------- the error
def test_error_is_an_assertion_error_whose_message_starts_with_the_failing_blocks():
    def wrong(p):
        return reference_backprop(p, sigmoid_derivative=False)

    with pytest.raises(AssertionError) as info:
        assert_gradients_match(wrong, THETA, SIZES)
    message = str(info.value)
    assert message.startswith("gradients do not match in Theta1 bias, Theta1 weights\n")
    assert "(Left: numerical gradient; right: backpropagation." in message
    assert "FAIL in Theta1 bias, Theta1 weights" in message


def test_options_reach_the_check():
    report = assert_gradients_match(nnmat_cost, THETA, SIZES, sample=2, rng=0, threshold=1e-8)
    assert (report.sample, report.threshold, report.numerical.size) == (2, 1e-8, 4)


def test_invalid_arguments_raise_the_boundary_error_not_an_assertion():
    with pytest.raises(ValueError, match=re.escape("sample must be at least 2")):
        assert_gradients_match(nnmat_cost, THETA, SIZES, sample=1)
