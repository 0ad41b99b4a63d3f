"""Layer sizes and parameter (un)rolling in Octave's column-major order.

The course keeps all weights in one vector, ``nn_params = [Theta1(:); Theta2(:)]``.
Octave's ``x(:)`` walks a matrix column by column, so every reshape here uses
``order="F"``; numpy's default C order would silently produce a different, still
plausible-looking vector.  Theta_l has shape ``(layer_sizes[l+1], layer_sizes[l] + 1)``
with the bias weights in column 0.

The layout (shapes and offsets) of a network is computed once per ``layer_sizes``
by :func:`param_layout` and reused by every roll, unroll and gradient write.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["ParamLayout", "as_layer_sizes", "param_layout", "rollParams", "unrollParams"]


@dataclass(frozen=True)
class ParamLayout:
    """Where each Theta lives inside the unrolled parameter vector.

    Attributes
    ----------
    layer_sizes : tuple of int
        Units per layer, input first, output last, biases not counted.
    shapes : tuple of (int, int)
        ``shapes[l] == (layer_sizes[l+1], layer_sizes[l] + 1)``.
    offsets : tuple of int
        ``offsets[l]`` is the index of ``Theta_l[0, 0]``; ``offsets[-1]`` is the size.
    """

    layer_sizes: tuple[int, ...]
    shapes: tuple[tuple[int, int], ...]
    offsets: tuple[int, ...]

    @property
    def size(self) -> int:
        """Total number of parameters."""
        return self.offsets[-1]

    def weights_slice(self, layer: int) -> slice:
        """Slice of the non-bias weights ``Theta_layer[:, 1:]`` in the unrolled vector.

        Column-major order stores column 0 (the biases) first, so the regularized
        weights of a layer are one contiguous run of the vector.
        """
        rows = self.shapes[layer][0]
        return slice(self.offsets[layer] + rows, self.offsets[layer + 1])

    def describe(self) -> str:
        """Theta shapes as text, e.g. ``"Theta1 (25, 401) + Theta2 (10, 26)"``."""
        return " + ".join(f"Theta{i + 1} {shape}" for i, shape in enumerate(self.shapes))


@lru_cache(maxsize=64)
def param_layout(layer_sizes: tuple[int, ...]) -> ParamLayout:
    """Shapes and offsets of the Thetas for already validated ``layer_sizes``."""
    shapes = tuple((n_out, n_in + 1) for n_in, n_out in itertools.pairwise(layer_sizes))
    offsets = [0]
    for rows, cols in shapes:
        offsets.append(offsets[-1] + rows * cols)
    return ParamLayout(tuple(layer_sizes), shapes, tuple(offsets))


def _as_positive_int(value: object, name: str) -> int:
    # bool is an int subclass; True as a layer size is always a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a positive int; got {value!r} of type {type(value).__name__}. "
            f"Pass a whole number such as 25."
        )
    if value < 1:
        raise ValueError(f"{name} must be a positive int; got {value}. Use at least 1 unit.")
    return int(value)


def as_layer_sizes(
    input_layer_size: int, hidden_layer_size: int | Sequence[int], num_labels: int
) -> tuple[int, ...]:
    """Validate the course's three size arguments and return the full layer sizes.

    Parameters
    ----------
    input_layer_size : int
        Number of input features (400 for the course's 20x20 digits).
    hidden_layer_size : int or sequence of int
        Units of the single hidden layer (the course's 25), or one entry per hidden
        layer for a deeper network, e.g. ``(100, 100, 100)``.
    num_labels : int
        Number of classes K; labels run 1..K.

    Returns
    -------
    tuple of int
        ``(input_layer_size, *hidden, num_labels)``.

    Examples
    --------
    >>> as_layer_sizes(400, 25, 10)
    (400, 25, 10)
    >>> as_layer_sizes(4, [5, 3], 2)
    (4, 5, 3, 2)
    """
    if isinstance(hidden_layer_size, np.ndarray) and hidden_layer_size.ndim == 0:
        hidden_layer_size = hidden_layer_size.item()  # np.array(25) means 25
    if isinstance(hidden_layer_size, (numbers.Integral, bool)):
        hidden = [_as_positive_int(hidden_layer_size, "hidden_layer_size")]
    elif isinstance(hidden_layer_size, (Sequence, np.ndarray)) and not isinstance(
        hidden_layer_size, (str, bytes)
    ):
        if len(hidden_layer_size) == 0:
            raise ValueError(
                "hidden_layer_size is empty; nnCostFunction needs at least one hidden "
                "layer, e.g. 25 or (100, 100)."
            )
        hidden = [
            _as_positive_int(h, f"hidden_layer_size[{i}]") for i, h in enumerate(hidden_layer_size)
        ]
    else:
        raise TypeError(
            "hidden_layer_size must be an int or a sequence of ints; got "
            f"{hidden_layer_size!r} of type {type(hidden_layer_size).__name__}. "
            "Pass 25 for one hidden layer or (100, 100) for two."
        )
    return (
        _as_positive_int(input_layer_size, "input_layer_size"),
        *hidden,
        _as_positive_int(num_labels, "num_labels"),
    )


def check_layer_sizes(layer_sizes: Sequence[int]) -> tuple[int, ...]:
    """Validate a full ``layer_sizes`` list (input, hidden..., output)."""
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, (Sequence, np.ndarray)):
        raise TypeError(
            f"layer_sizes must be a sequence of ints such as [400, 25, 10]; got "
            f"{type(layer_sizes).__name__}."
        )
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least an input and an output size; got {list(layer_sizes)}. "
            "Pass e.g. [400, 25, 10]."
        )
    return tuple(_as_positive_int(s, f"layer_sizes[{i}]") for i, s in enumerate(layer_sizes))


def as_param_vector(nn_params: ArrayLike, layout: ParamLayout, name: str = "nn_params"):
    """Return ``nn_params`` as a finite 1-D float array matching ``layout``.

    Accepts a 1-D vector or an ``(n, 1)`` column as loaded from a MAT file.  Never
    copies a float64 vector; never modifies it.
    """
    p = np.asarray(nn_params)
    if p.ndim == 2 and p.shape[1] == 1:
        p = p[:, 0]
    if p.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D vector or an (n, 1) column; got shape {p.shape}. "
            "Unroll the Thetas with unrollParams([Theta1, Theta2])."
        )
    if p.dtype.kind not in "fiu" or p.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers; got dtype {p.dtype}.")
    if p.size != layout.size:
        raise ValueError(
            f"{name} has {p.size} elements; layer sizes {layout.layer_sizes} need "
            f"{layout.size} ({layout.describe()}). Check the layer sizes or rebuild "
            "nn_params with unrollParams."
        )
    if p.dtype.kind != "f":
        p = p.astype(np.float64)
    if not np.isfinite(p).all():
        bad = int(np.flatnonzero(~np.isfinite(p))[0])
        raise ValueError(
            f"{name} contains NaN or inf (first at index {bad}); parameters must be finite."
        )
    return p


def unrollParams(Thetas: Sequence[ArrayLike]) -> NDArray[np.float64]:
    """Unroll weight matrices into one vector, column-major, as Octave's ``[T1(:); T2(:)]``.

    Parameters
    ----------
    Thetas : sequence of array_like, each of shape (n_out, n_in + 1)
        Weight matrices with the bias weights in column 0.

    Returns
    -------
    ndarray of shape (n_params,)
        A new float64 vector; each Theta's columns one after another, Theta1 first.

    See Also
    --------
    rollParams : the inverse.

    Notes
    -----
    Ports the course idiom ``nn_params = [Theta1(:) ; Theta2(:)]``.

    Examples
    --------
    >>> import numpy as np
    >>> unrollParams([np.array([[1.0, 2.0], [3.0, 4.0]])])
    array([1., 3., 2., 4.])
    """
    if isinstance(Thetas, np.ndarray) or not isinstance(Thetas, Sequence):
        raise TypeError(
            "Thetas must be a list of 2-D arrays such as [Theta1, Theta2]; got "
            f"{type(Thetas).__name__}."
        )
    if len(Thetas) == 0:
        raise ValueError("Thetas is empty; pass at least one weight matrix, e.g. [Theta1, Theta2].")
    parts = []
    for i, theta in enumerate(Thetas):
        t = np.asarray(theta)
        if t.dtype.kind not in "biuf":
            raise TypeError(f"Theta{i + 1} must hold real numbers; got dtype {t.dtype}.")
        if t.ndim != 2:
            raise ValueError(
                f"Theta{i + 1} must be 2-D of shape (n_out, n_in + 1); got shape {t.shape}."
            )
        parts.append(t.ravel(order="F"))
    return np.concatenate(parts).astype(np.float64, copy=False)


def rollParams(nn_params: ArrayLike, layer_sizes: Sequence[int]) -> list[NDArray[np.float64]]:
    """Reshape an unrolled parameter vector into its Theta matrices, column-major.

    Parameters
    ----------
    nn_params : array_like of shape (n_params,) or (n_params, 1)
        Parameters in Octave's ``[Theta1(:); Theta2(:); ...]`` order.
    layer_sizes : sequence of int
        Units per layer, input first and output last, e.g. ``[400, 25, 10]``.

    Returns
    -------
    list of ndarray
        ``Thetas[l]`` has shape ``(layer_sizes[l+1], layer_sizes[l] + 1)``, bias in
        column 0.  They are views into ``nn_params`` when it is already a float
        vector (no copy); copy them before writing to them.

    Raises
    ------
    ValueError
        If the length of ``nn_params`` does not match ``layer_sizes``.

    Notes
    -----
    Ports ``Theta1 = reshape(nn_params(1:h*(n+1)), h, n+1)`` and friends.

    Examples
    --------
    >>> import numpy as np
    >>> T1, T2 = rollParams(np.arange(1.0, 11.0), [1, 2, 2])
    >>> T1
    array([[1., 3.],
           [2., 4.]])
    >>> T2.shape
    (2, 3)
    """
    layout = param_layout(check_layer_sizes(layer_sizes))
    p = as_param_vector(nn_params, layout)
    return roll(p, layout)


def roll(p: NDArray, layout: ParamLayout) -> list[NDArray]:
    """Unchecked :func:`rollParams` for the hot path: F-order views into ``p``."""
    return [
        p[start:stop].reshape(shape, order="F")
        for start, stop, shape in zip(
            layout.offsets[:-1], layout.offsets[1:], layout.shapes, strict=True
        )
    ]
