"""Input checks for the public boundary: data, labels and lambda.

Every public function validates its arguments here, once, and hands clean arrays
to the unchecked numerical core.  Messages say what was expected, what arrived and
how to fix it; tests match them exactly.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


def check_X(X: ArrayLike, n_features: int, *, name: str = "X") -> NDArray:
    """Return ``X`` as a finite 2-D float array with ``n_features`` columns (no copy if float)."""
    a = np.asarray(X)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers; got dtype {a.dtype}.")
    if a.ndim != 2:
        fix = " For a single example use X.reshape(1, -1)." if a.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D of shape (m, {n_features}), one example per row; "
            f"got shape {a.shape}.{fix}"
        )
    if a.shape[0] == 0:
        raise ValueError(f"{name} has no examples (shape {a.shape}); pass at least one row.")
    if a.shape[1] != n_features:
        hint = (
            " It looks like it already has the bias column of ones: drop it, nnmat adds it."
            if a.shape[1] == n_features + 1
            else " Check input_layer_size or the orientation of X (rows are examples)."
        )
        raise ValueError(
            f"{name} has {a.shape[1]} columns but the input layer has {n_features} units; "
            f"got {name} of shape {a.shape}.{hint}"
        )
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    if not np.isfinite(a).all():
        row, col = np.argwhere(~np.isfinite(a))[0]
        raise ValueError(
            f"{name} contains NaN or inf (first at row {row}, column {col}); "
            "remove or impute those values."
        )
    return a


def check_labels(y: ArrayLike, m: int, num_labels: int) -> NDArray[np.intp]:
    """Validate course labels 1..K and return them 0-based as ``intp`` of shape (m,)."""
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(
            f"y must have shape (m,) or (m, 1) with one label per example; got shape {a.shape}."
        )
    if a.dtype.kind not in "biuf":
        raise TypeError(f"y must hold integer labels 1..{num_labels}; got dtype {a.dtype}.")
    if a.shape[0] != m:
        raise ValueError(
            f"y has {a.shape[0]} labels but X has {m} rows; pass one label per example."
        )
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a) | (a != np.round(a))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"y must hold whole-number labels 1..{num_labels}; y[{i}] is {float(a[i])!r}."
            )
    lo, hi = a.min(), a.max()
    if lo < 1 or hi > num_labels:
        hint = ""
        if lo == 0 and hi <= num_labels - 1:
            hint = (
                " They look 0-based: nnmat uses the course's 1-based labels, so pass y + 1"
                " (for the course's digits, 10 stands for the digit 0)."
            )
        raise ValueError(
            f"y holds labels from {lo:g} to {hi:g}, outside 1..{num_labels} "
            f"(num_labels = {num_labels}).{hint}"
        )
    return a.astype(np.intp) - 1


def check_lambda(lambda_: object) -> float:
    """Return the regularization strength as a float >= 0."""
    if isinstance(lambda_, bool) or not isinstance(lambda_, (numbers.Real, np.floating)):
        raise TypeError(
            f"lambda_ must be a real number >= 0; got {lambda_!r} of type {type(lambda_).__name__}."
        )
    lam = float(lambda_)
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(
            f"lambda_ must be a finite number >= 0; got {lam}. Use 0 for no regularization."
        )
    return lam


def check_thetas(Thetas: Sequence[ArrayLike]) -> list[NDArray]:
    """Return weight matrices as finite 2-D float64 arrays whose shapes chain.

    ``Theta{l+1}`` needs ``Theta{l}``'s rows plus one (the bias) columns.
    """
    out: list[NDArray] = []
    for i, theta in enumerate(Thetas, start=1):
        try:
            t = np.asarray(theta)
        except ValueError:  # ragged nested lists, such as predict([Theta1, Theta2], X)
            raise TypeError(
                f"Theta{i} must be a 2-D array of real numbers; got a ragged sequence. "
                "To pass a list of Thetas, unpack it: predict(*Thetas, X)."
            ) from None
        if t.dtype.kind not in "biuf":
            raise TypeError(f"Theta{i} must hold real numbers; got dtype {t.dtype}.")
        if t.ndim != 2 or t.shape[1] < 2:
            raise ValueError(
                f"Theta{i} must be 2-D of shape (n_out, n_in + 1) with the bias in "
                f"column 0; got shape {t.shape}."
            )
        if out and t.shape[1] != out[-1].shape[0] + 1:
            prev = out[-1].shape
            raise ValueError(
                f"Theta{i} has shape {t.shape} but Theta{i - 1} has shape {prev}: "
                f"Theta{i} needs {prev[0] + 1} columns (Theta{i - 1}'s {prev[0]} outputs "
                "plus the bias)."
            )
        if not np.isfinite(t).all():
            raise ValueError(f"Theta{i} contains NaN or inf; weights must be finite.")
        out.append(t.astype(np.float64, copy=False))
    return out
