"""Pictures: the course's ``displayData`` and the cost curve, written as PNG files.

matplotlib is optional (``pip install "nnmat[plot]"``) and imported only inside the
functions that draw, so ``import nnmat`` never pays for it.  Figures are built with
``matplotlib.figure.Figure`` rather than ``pyplot``: no global figure state, no
window, and PNG output through the Agg renderer on any machine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PLOT_HINT",
    "displayData",
    "display_array",
    "image_width",
    "plot_cost",
    "save_pictures",
]

#: How to get the pictures when matplotlib is missing.
PLOT_HINT = 'pip install "nnmat[plot]"'

# Fixed margins (left, bottom, width, height) for the cost curve: a layout engine
# would find the same ones but costs a few tenths of a second per command.
_COST_AXES = (0.13, 0.16, 0.83, 0.74)


def _new_figure(**kwargs) -> Figure:
    """A matplotlib Figure, or an ImportError that says how to install matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(f"pictures need matplotlib; install it with {PLOT_HINT}") from exc
    return Figure(**kwargs)


def image_width(n_features: int) -> int | None:
    """Image width ``displayData`` would use for rows of ``n_features`` pixels, or None.

    ``round(sqrt(n))``, as displayData.m; None when that does not divide ``n``, i.e.
    the rows are not images.

    Examples
    --------
    >>> image_width(400), image_width(64), image_width(10)
    (20, 8, None)
    """
    width = round(math.sqrt(n_features))
    return width if width > 0 and n_features % width == 0 else None


def display_array(X: ArrayLike, example_width: int | None = None) -> NDArray[np.float64]:
    """The grid of images that ``displayData`` shows, as one array in [-1, 1].

    Port of the array-building part of ``displayData.m``, vectorized: each row of
    ``X`` is reshaped column-major to ``(height, width)`` (Octave's
    ``reshape(X(i, :), height, width)``), divided by its largest absolute value, and
    placed in a grid of ``floor(sqrt(m))`` rows, filled row by row, with a border of
    -1 one pixel wide.

    Parameters
    ----------
    X : array_like of shape (m, n)
        One image per row, unrolled column-major (as ex4data1.mat and
        :func:`nnmat.data.load_digits`).
    example_width : int, optional
        Image width; default ``round(sqrt(n))``.  It must divide ``n``.

    Returns
    -------
    ndarray of shape (1 + rows * (height + 1), 1 + cols * (width + 1))

    Examples
    --------
    >>> display_array([[0.0, 1.0, 0.5, 0.0]])
    array([[-1. , -1. , -1. , -1. ],
           [-1. ,  0. ,  0.5, -1. ],
           [-1. ,  1. ,  0. , -1. ],
           [-1. , -1. , -1. , -1. ]])
    """
    A = np.asarray(X, dtype=np.float64)
    if A.ndim == 1:
        A = A.reshape(1, -1)
    if A.ndim != 2 or A.shape[0] == 0:
        raise ValueError(f"X must be 2-D with one image per row; got shape {A.shape}.")
    m, n = A.shape
    width = image_width(n) if example_width is None else int(example_width)
    if width is None or width <= 0 or n % width:
        raise ValueError(
            f"rows of {n} pixels do not form images of width "
            f"{round(math.sqrt(n)) if example_width is None else example_width}; "
            "pass example_width, a divisor of the row length."
        )
    height, pad = n // width, 1
    rows = math.floor(math.sqrt(m))
    cols = math.ceil(m / rows)
    scale = np.abs(A).max(axis=1)
    scale[scale == 0] = 1.0  # an all-zero image stays zero instead of becoming NaN
    # A row unrolled column-major, read C-order as (width, height), is the image transposed.
    images = (A / scale[:, None]).reshape(m, width, height).transpose(0, 2, 1)
    tiles = np.full((rows * cols, pad + height, pad + width), -1.0)
    tiles[:m, pad:, pad:] = images
    grid = tiles.reshape(rows, cols, pad + height, pad + width).transpose(0, 2, 1, 3)
    grid = grid.reshape(rows * (pad + height), cols * (pad + width))
    return np.pad(grid, ((0, pad), (0, pad)), constant_values=-1.0)


def displayData(
    X: ArrayLike, example_width: int | None = None, *, ax: Axes | None = None
) -> tuple[object, NDArray[np.float64]]:
    """Show images stored one per row in a grid, in gray; port of ``displayData.m``.

    Parameters
    ----------
    X : array_like of shape (m, n)
        One image per row, unrolled column-major.  ``displayData(Theta1[:, 1:])``
        shows the hidden units' input weights, as ex4.m does.
    example_width : int, optional
        Image width; default ``round(sqrt(n))``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new Figure's single Axes (``image.figure``).

    Returns
    -------
    image : matplotlib.image.AxesImage
    display_array : ndarray
        See :func:`display_array`.

    Raises
    ------
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> from nnmat.data import load_digits
    >>> X, y = load_digits()
    >>> image, grid = displayData(X[:100])  # doctest: +SKIP
    >>> image.figure.savefig("digits.png")  # doctest: +SKIP
    """
    grid = display_array(X, example_width)
    if ax is None:
        ax = _new_figure(figsize=(4, 4)).add_subplot()
    # imagesc(display_array, [-1 1]) with colormap(gray); axis image off.
    image = ax.imshow(grid, cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    return image, grid


def plot_cost(cost_history: ArrayLike, *, ax: Axes | None = None, title: str = "") -> object:
    """Plot the cost after each training iteration; returns the Line2D.

    Parameters
    ----------
    cost_history : array_like of shape (n_iterations,)
        E.g. ``trainNN(...).cost_history``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new Figure's single Axes.
    title : str
        Axes title.

    Examples
    --------
    >>> cost = [3.0, 1.2, 0.6, 0.5]  # e.g. trainNN(...).cost_history
    >>> line = plot_cost(cost, title="Training cost")  # doctest: +SKIP
    >>> line.figure.savefig("cost.png")  # doctest: +SKIP
    """
    cost = np.asarray(cost_history, dtype=np.float64).ravel()
    if ax is None:
        ax = _new_figure(figsize=(4.5, 3)).add_axes(_COST_AXES)
    (line,) = ax.plot(np.arange(1, cost.size + 1), cost)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    return line


def save_pictures(
    out_dir: str | Path,
    *,
    samples: ArrayLike,
    Thetas: Sequence[ArrayLike],
    cost_history: ArrayLike,
    prefix: str = "",
) -> list[Path]:
    """Write the exercise's pictures as PNG files and return their paths.

    ``{prefix}digits.png`` (``displayData(samples)``), ``{prefix}hidden.png``
    (``displayData(Theta1[:, 1:])``, the first hidden layer's input weights) and
    ``{prefix}cost.png`` (the cost curve).  The two image grids are skipped when the
    rows of ``samples`` are not square images.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Existing folder to write into.
    samples : array_like of shape (m, n)
        Example images, one per row, e.g. 100 random rows of X.
    Thetas : sequence of array_like
        Trained weights; only ``Thetas[0]`` is drawn.
    cost_history : array_like of shape (n_iterations,)
        Cost after each iteration.
    prefix : str
        Prepended to the file names.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    ImportError
        If matplotlib is not installed; nothing is written then.

    Examples
    --------
    >>> from nnmat.data import load_digits
    >>> X, y = load_digits()
    >>> res = trainNN(...)  # doctest: +SKIP
    >>> save_pictures("out", samples=X[:100], Thetas=res.Thetas,
    ...               cost_history=res.cost_history)  # doctest: +SKIP
    [PosixPath('out/digits.png'), PosixPath('out/hidden.png'), PosixPath('out/cost.png')]
    """
    out = Path(out_dir)
    figures = []
    samples = np.asarray(samples, dtype=np.float64)
    if image_width(samples.shape[1]) is not None:
        for name, rows in (("digits", samples), ("hidden", np.asarray(Thetas[0])[:, 1:])):
            fig = _new_figure(figsize=(3, 3))
            displayData(rows, ax=fig.add_axes((0, 0, 1, 1)))  # the image fills the figure
            figures.append((name, fig))
    fig = _new_figure(figsize=(4.5, 3))
    plot_cost(cost_history, ax=fig.add_axes(_COST_AXES), title="Training cost")
    figures.append(("cost", fig))
    paths = []
    for name, fig in figures:
        path = out / f"{prefix}{name}.png"
        fig.savefig(path, dpi=100)
        paths.append(path)
    return paths
