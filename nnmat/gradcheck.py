"""Gradient checking (ports of computeNumericalGradient.m and checkNNGradients.m).

A wrong gradient can still lower the cost, so the analytical gradient is compared
with central differences, the way a unit test compares a function with its spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_lambda
from .initialization import debugInitializeWeights
from .network import nnCostFunction
from .params import unrollParams

__all__ = ["GradientCheck", "checkNNGradients", "computeNumericalGradient"]


def computeNumericalGradient(
    J: Callable[[NDArray], float | tuple], theta: ArrayLike, e: float = 1e-4
) -> NDArray[np.float64]:
    """Central-difference gradient of ``J`` at ``theta``, one coordinate at a time.

    Port of ``computeNumericalGradient.m``.

    Parameters
    ----------
    J : callable
        ``J(theta)`` returning the cost, or a ``(cost, grad)`` tuple as
        :func:`nnCostFunction` does (only the cost is used).
    theta : array_like of shape (n,) or (n, 1)
        Point at which to differentiate; not modified.
    e : float, default 1e-4
        Step; ``numgrad[p] = (J(theta + e u_p) - J(theta - e u_p)) / (2 e)``.

    Returns
    -------
    ndarray of shape (n,)

    Notes
    -----
    Costs ``2 n`` evaluations of ``J`` and O(n) memory: one perturbed copy of
    ``theta`` is edited in place, never an ``n x n`` perturbation matrix.  The
    truncation error is O(e^2 J''') and the rounding error O(eps |J| / e).

    Examples
    --------
    >>> computeNumericalGradient(lambda t: float((t ** 2).sum()), [1.0, -2.0])
    array([ 2., -4.])
    """
    if not callable(J):
        raise TypeError(f"J must be callable as J(theta); got {type(J).__name__}.")
    t0 = np.array(theta, dtype=np.float64)  # our own copy: the caller's theta is never touched
    if t0.ndim == 2 and t0.shape[1] == 1:
        t0 = t0[:, 0]
    if t0.ndim != 1:
        raise ValueError(f"theta must be 1-D or an (n, 1) column; got shape {t0.shape}.")
    if not (np.isfinite(e) and e > 0):
        raise ValueError(f"e must be a finite step > 0; got {e}.")

    def cost(t: NDArray) -> float:
        out = J(t)
        return float(out[0] if isinstance(out, tuple) else out)

    numgrad = np.empty_like(t0)
    t = t0.copy()
    for p in range(t0.size):
        t[p] = t0[p] - e
        loss1 = cost(t)
        t[p] = t0[p] + e
        loss2 = cost(t)
        t[p] = t0[p]
        numgrad[p] = (loss2 - loss1) / (2 * e)
    return numgrad


@dataclass(frozen=True)
class GradientCheck:
    """Result of a gradient check; printing it shows the course's side-by-side columns.

    Attributes
    ----------
    numerical : ndarray of shape (n,)
        Central differences.
    analytical : ndarray of shape (n,)
        Backpropagation's gradient.
    relative_difference : float
        ``norm(numerical - analytical) / norm(numerical + analytical)``, the course's
        metric; below 1e-9 when backprop is right.
    threshold : float
        The pass mark for :attr:`passed`.
    """

    numerical: NDArray
    analytical: NDArray
    relative_difference: float
    threshold: float = 1e-9

    @property
    def passed(self) -> bool:
        """Whether ``relative_difference`` is below ``threshold``."""
        return bool(self.relative_difference < self.threshold)

    def __str__(self) -> str:
        lines = [f"{'numerical':>14} {'analytical':>14}"]
        lines += [
            f"{n:14.6e} {a:14.6e}" for n, a in zip(self.numerical, self.analytical, strict=True)
        ]
        lines.append(
            "(Left: numerical gradient; right: backpropagation. They should be very similar.)"
        )
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(
            f"Relative difference: {self.relative_difference:.3e} "
            f"({verdict}; threshold {self.threshold:g})"
        )
        return "\n".join(lines)


def checkNNGradients(lambda_: float = 0.0) -> GradientCheck:
    """Compare backprop with central differences on the course's small 3-5-3 network.

    Port of ``checkNNGradients.m``: debug weights, m = 5 examples, labels
    ``1 + mod(1:m, 3)``.  Nothing is printed; ``print(checkNNGradients())`` shows
    the two columns and the relative difference.

    Parameters
    ----------
    lambda_ : float, default 0.0
        Regularization strength to check.

    Returns
    -------
    GradientCheck
        ``relative_difference`` is below 1e-9 when backprop is right.

    Examples
    --------
    >>> check = checkNNGradients(3.0)
    >>> check.passed
    True
    """
    lam = check_lambda(lambda_)
    input_layer_size, hidden_layer_size, num_labels, m = 3, 5, 3, 5
    Theta1 = debugInitializeWeights(hidden_layer_size, input_layer_size)
    Theta2 = debugInitializeWeights(num_labels, hidden_layer_size)
    X = debugInitializeWeights(m, input_layer_size - 1)
    y = 1 + np.arange(1, m + 1) % num_labels
    nn_params = unrollParams([Theta1, Theta2])

    def cost(p: NDArray) -> tuple[float, NDArray]:
        return nnCostFunction(p, input_layer_size, hidden_layer_size, num_labels, X, y, lam)

    _, grad = cost(nn_params)
    numgrad = computeNumericalGradient(cost, nn_params)
    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    return GradientCheck(numgrad, grad, diff)
