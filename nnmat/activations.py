"""The logistic activation and its derivative (ports of sigmoid.m and sigmoidGradient.m).

Both are element-wise and safe for any finite or infinite input: ``scipy.special.expit``
never overflows, unlike the literal ``1 ./ (1 + exp(-z))`` for z below about -709.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

__all__ = ["sigmoid", "sigmoidGradient"]


def _as_float_array(z: ArrayLike, name: str) -> NDArray:
    a = np.asarray(z)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be real numbers; got dtype {a.dtype}.")
    # Integers and bools compute in float64; float32 stays float32.
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def sigmoid(z: ArrayLike) -> NDArray:
    """Logistic function ``g(z) = 1 / (1 + exp(-z))``, element-wise.

    Port of ``sigmoid.m``.

    Parameters
    ----------
    z : array_like of any shape
        Real input; ints are computed in float64.

    Returns
    -------
    ndarray of the same shape as `z`
        Values in [0, 1]; exactly 0 or 1 only where ``|z|`` exceeds the float's range.

    Examples
    --------
    >>> sigmoid([0.0, 1000.0, -1000.0])
    array([0.5, 1. , 0. ])
    """
    return expit(_as_float_array(z, "z"))


def sigmoidGradient(z: ArrayLike) -> NDArray:
    """Derivative of the sigmoid, ``g'(z) = g(z) * (1 - g(z))``, element-wise.

    Port of ``sigmoidGradient.m``.

    Parameters
    ----------
    z : array_like of any shape
        Real input (the pre-activation, not the activation).

    Returns
    -------
    ndarray of the same shape as `z`
        Values in [0, 0.25], maximal at ``z = 0``.

    Notes
    -----
    Computed as ``g(z) * g(-z)``, which equals ``g(z) * (1 - g(z))`` but keeps full
    relative precision for large positive ``z``, where ``1 - g(z)`` would cancel.
    The network's backward pass does not call this: it reuses the activation it
    already cached (``a * (1 - a)``).

    Examples
    --------
    >>> np.round(sigmoidGradient([-1, -0.5, 0, 0.5, 1]), 6)
    array([0.196612, 0.235004, 0.25    , 0.235004, 0.196612])
    """
    a = _as_float_array(z, "z")
    return expit(a) * expit(-a)
