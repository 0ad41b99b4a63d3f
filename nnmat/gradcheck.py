"""Gradient checking (ports of computeNumericalGradient.m and checkNNGradients.m).

A wrong gradient can still lower the cost, so the analytical gradient is compared
with central differences, the way a unit test compares a function with its spec.
The comparison is reported per layer and split into the bias column and the weights,
with the worst entries located as ``Theta<l>(row,col)``, so a failing check says
*where* backprop is wrong.  For nets too large to difference every parameter, a
seeded sample of coordinates per layer is checked instead.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.linalg import norm
from numpy.typing import ArrayLike, NDArray

from ._checks import check_lambda
from .initialization import as_generator, debugInitializeWeights
from .network import cost_and_grad, nnCostFunction, prepare_problem
from .params import (
    ParamLayout,
    _as_positive_int,
    as_param_vector,
    check_layer_sizes,
    param_layout,
    unrollParams,
)

__all__ = [
    "BlockCheck",
    "GradientCheck",
    "GradientEntry",
    "checkNNGradients",
    "check_gradients",
    "computeNumericalGradient",
]

#: Rounding noise of one central difference is about ``eps * |J| / e``; the automatic
#: floor allows this many times that before calling a difference a bug.
NOISE_FACTOR = 10.0
_EPS = float(np.finfo(np.float64).eps)


def computeNumericalGradient(
    J: Callable[[NDArray], float | tuple],
    theta: ArrayLike,
    e: float = 1e-4,
    *,
    indices: ArrayLike | None = None,
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
    indices : array_like of int, shape (k,), optional, keyword-only
        Difference only these coordinates (0-based positions in `theta`), for a
        sampled check of a large network.  Default: all ``n``.

    Returns
    -------
    ndarray of shape (n,), or (k,) when `indices` is given
        With `indices`, entry ``j`` is the derivative along ``theta[indices[j]]``.

    Notes
    -----
    Costs two evaluations of ``J`` per differenced coordinate and O(n) memory: one
    perturbed copy of ``theta`` is edited in place, never an ``n x n`` perturbation
    matrix.  The truncation error is O(e^2 J''') and the rounding error O(eps |J| / e).

    Examples
    --------
    >>> computeNumericalGradient(lambda t: float((t ** 2).sum()), [1.0, -2.0])
    array([ 2., -4.])
    >>> computeNumericalGradient(lambda t: float((t ** 2).sum()), [1.0, -2.0, 3.0], indices=[2])
    array([6.])
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
    idx = np.arange(t0.size) if indices is None else _as_indices(indices, t0.size)

    def cost(t: NDArray) -> float:
        out = J(t)
        value = out[0] if isinstance(out, tuple) else out
        if np.ndim(value) != 0 or np.asarray(value).dtype.kind not in "biuf":
            raise TypeError(
                "J must return a real scalar cost or a (cost, grad) tuple; got "
                f"{type(value).__name__}{f' of shape {np.shape(value)}' if np.ndim(value) else ''}."
            )
        return float(value)

    numgrad = np.empty(idx.size, dtype=np.float64)
    t = t0.copy()
    for j, p in enumerate(idx):
        t[p] = t0[p] - e
        loss1 = cost(t)
        t[p] = t0[p] + e
        loss2 = cost(t)
        t[p] = t0[p]
        numgrad[j] = (loss2 - loss1) / (2 * e)
    return numgrad


def _as_indices(indices: ArrayLike, n: int) -> NDArray[np.intp]:
    idx = np.asarray(indices)
    if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
        raise TypeError(
            f"indices must be a 1-D array of ints (0-based positions in theta); got "
            f"dtype {idx.dtype} and shape {idx.shape}."
        )
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(
            f"indices must lie in 0..{n - 1} (theta has {n} entries); got values from "
            f"{idx.min()} to {idx.max()}."
        )
    return idx.astype(np.intp)


# ----------------------------------------------------------------------------- report
@dataclass(frozen=True)
class GradientEntry:
    """One checked coordinate, located in its Theta.

    Attributes
    ----------
    layer : int
        1-based, as the course's ``Theta1``, ``Theta2``.
    row, col : int
        0-based numpy position in ``Theta<layer>``; column 0 is the bias column.
    index : int
        0-based position in the unrolled parameter vector.
    numerical, analytical : float
        Central difference and the gradient under test.
    """

    layer: int
    row: int
    col: int
    index: int
    numerical: float
    analytical: float

    @property
    def difference(self) -> float:
        """``|numerical - analytical|``."""
        return abs(self.numerical - self.analytical)

    @property
    def part(self) -> str:
        """``"bias"`` for column 0, else ``"weights"``."""
        return "bias" if self.col == 0 else "weights"

    @property
    def octave(self) -> str:
        """Octave's 1-based name, e.g. ``"Theta1(3,1)"``."""
        return f"Theta{self.layer}({self.row + 1},{self.col + 1})"

    @property
    def numpy(self) -> str:
        """numpy's 0-based name, e.g. ``"Theta1[2, 0]"`` (``Thetas[0][2, 0]``)."""
        return f"Theta{self.layer}[{self.row}, {self.col}]"


@dataclass(frozen=True)
class BlockCheck:
    """The check of one layer's bias column or of its weights.

    Attributes
    ----------
    layer : int
        1-based layer number, as ``Theta1``.
    part : {"bias", "weights"}
        Column 0 of the Theta, or columns 1: (``Theta(:, 2:)`` in Octave).
    shape : tuple of int
        Shape of the block inside its Theta.
    checked : int
        How many of its entries were differenced (all unless sampled).
    norm_difference, norm_sum : float
        ``norm(num - grad)`` and ``norm(num + grad)`` over the checked entries.
    floor : float
        Absolute floor for the denominator (see :func:`check_gradients`).
    threshold : float
        Pass mark for :attr:`relative_difference`.
    """

    layer: int
    part: str
    shape: tuple[int, int]
    checked: int
    norm_difference: float
    norm_sum: float
    floor: float
    threshold: float

    @property
    def name(self) -> str:
        """E.g. ``"Theta1 bias"``."""
        return f"Theta{self.layer} {self.part}"

    @property
    def size(self) -> int:
        """Number of entries in the block."""
        return self.shape[0] * self.shape[1]

    @property
    def floored(self) -> bool:
        """Whether the floor, not ``norm_sum``, was the denominator."""
        return self.norm_sum < self.floor

    @property
    def relative_difference(self) -> float:
        """``norm(num - grad) / max(norm(num + grad), floor)``; 0 when they are equal."""
        return _relative(self.norm_difference, self.norm_sum, self.floor)

    @property
    def passed(self) -> bool:
        """Whether :attr:`relative_difference` is below the threshold."""
        return bool(self.relative_difference < self.threshold)


def _relative(norm_difference: float, norm_sum: float, floor: float) -> float:
    if norm_difference == 0.0:
        return 0.0
    denominator = max(norm_sum, floor)
    return norm_difference / denominator if denominator > 0 else math.inf


@dataclass(frozen=True)
class GradientCheck:
    """Result of a gradient check; printing it shows the course's side-by-side columns.

    Printing adds the per-block table, the worst entries and the verdict; long
    column listings are abridged (:meth:`format` with ``max_rows=None`` shows all).

    Attributes
    ----------
    numerical : ndarray of shape (k,)
        Central differences of the checked coordinates (all ``n`` unless sampled).
    analytical : ndarray of shape (k,)
        The gradient under test at the same coordinates.
    relative_difference : float
        ``norm(numerical - analytical) / norm(numerical + analytical)``, the course's
        metric; below 1e-9 when backprop is right.
    threshold : float
        The pass mark for :attr:`passed`.
    indices : ndarray of shape (k,) or None
        0-based positions of the checked coordinates; None means all, in order.
    layer_sizes : tuple of int or None
        Units per layer; None when the check was built without them.
    blocks : tuple of BlockCheck
        Per layer, bias column then weights.
    floor : float
        Absolute floor of the overall metric (see :func:`check_gradients`).
    sample : int or None
        Coordinates drawn per layer in a sampled check; None for a full check.
    e : float
        Step of the central differences.
    rechecked : int
        Coordinates differenced again at step ``2 e`` to estimate the truncation
        error, because their block failed at first (see :func:`check_gradients`).
    """

    numerical: NDArray
    analytical: NDArray
    relative_difference: float
    threshold: float = 1e-9
    indices: NDArray | None = None
    layer_sizes: tuple[int, ...] | None = None
    blocks: tuple[BlockCheck, ...] = ()
    floor: float = 0.0
    sample: int | None = None
    e: float = 1e-4
    rechecked: int = 0

    @property
    def passed(self) -> bool:
        """Whether the overall metric (floored) and every block are below the threshold."""
        overall = _relative(
            float(np.linalg.norm(self.numerical - self.analytical)),
            float(np.linalg.norm(self.numerical + self.analytical)),
            self.floor,
        )
        return bool(overall < self.threshold) and all(b.passed for b in self.blocks)

    @property
    def failed_blocks(self) -> tuple[BlockCheck, ...]:
        """Blocks over the threshold, in layer order."""
        return tuple(b for b in self.blocks if not b.passed)

    @property
    def entries(self) -> tuple[GradientEntry, ...]:
        """Every checked coordinate, located (empty without ``layer_sizes``)."""
        if self.layer_sizes is None:
            return ()
        layout = param_layout(self.layer_sizes)
        idx = np.arange(self.numerical.size) if self.indices is None else self.indices
        return tuple(
            _entry(layout, int(i), float(n), float(a))
            for i, n, a in zip(idx, self.numerical, self.analytical, strict=True)
        )

    def worst(self, count: int = 5) -> tuple[GradientEntry, ...]:
        """The ``count`` entries with the largest ``|numerical - analytical|``."""
        return tuple(sorted(self.entries, key=lambda x: -x.difference)[:count])

    def format(self, max_rows: int | None = 20) -> str:
        """The report as text; at most `max_rows` rows of columns (None: all)."""
        lines = self._header()
        entries = self.entries
        located = bool(entries)
        lines.append(f"{'numerical':>15} {'analytical':>15}" + ("  entry" if located else ""))
        rows = [
            f"{n:15.6e} {a:15.6e}" + (f"  {x.octave} {x.part}" if located else "")
            for n, a, x in zip(
                self.numerical,
                self.analytical,
                entries or [None] * self.numerical.size,
                strict=True,
            )
        ]
        if max_rows is not None and len(rows) > max_rows:
            head = max_rows - max_rows // 4
            tail = max_rows - head
            rows = [
                *rows[:head],
                f"{'...':>15} {'...':>15}  ({len(rows) - max_rows} rows not shown)",
                *rows[len(rows) - tail :],
            ]
        lines += rows
        lines.append(
            "(Left: numerical gradient; right: backpropagation. They should be very similar.)"
        )
        if self.blocks:
            lines += ["", *self._block_table()]
        if located:
            lines += ["", *self._worst_lines()]
        lines += ["", *self._verdict()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()

    # -- pieces of the text --------------------------------------------------------
    def _header(self) -> list[str]:
        if self.layer_sizes is None:
            return []
        sizes = "-".join(map(str, self.layer_sizes))
        n = param_layout(self.layer_sizes).size
        if self.sample is None:
            what = f"all {n} parameters checked"
        else:
            what = (
                f"SAMPLED: {self.numerical.size} of {n} parameters, "
                f"up to {self.sample} per layer (see 'checked' below)"
            )
        lines = [f"Gradient check of a {sizes} network: {what}; step e = {self.e:g}"]
        if self.rechecked:
            lines.append(
                f"({self.rechecked} coordinates of blocks that failed at first were "
                f"differenced again at step {2 * self.e:g} to estimate the truncation error)"
            )
        return lines

    def _block_table(self) -> list[str]:
        lines = [f"{'block':<18}{'shape':>14}{'checked':>18}{'rel. difference':>17}  verdict"]
        for b in self.blocks:
            note = " (floor)" if b.floored else ""
            verdict = "ok" if b.passed else "FAIL"
            lines.append(
                f"{b.name:<18}{b.shape!s:>14}{f'{b.checked} of {b.size}':>18}"
                f"{b.relative_difference:17.3e}  {verdict}{note}"
            )
        lines.append(
            f"rel. difference = norm(num - grad) / max(norm(num + grad), floor); "
            f"floor = {self.floor:.3g} overall (the noise of the differences / threshold)"
        )
        return lines

    def _worst_lines(self) -> list[str]:
        lines = ["Worst entries (Octave 1-based Theta1(r,c) = numpy 0-based Theta1[r-1, c-1]):"]
        for x in self.worst():
            lines.append(
                f"  {x.octave:<16}{x.numpy:<18}{x.part:<8} numerical {x.numerical: .6e}  "
                f"analytical {x.analytical: .6e}  |diff| {x.difference:.2e}"
            )
        return lines

    def _verdict(self) -> list[str]:
        if self.passed:
            verdict = "PASS"
        else:
            where = ", ".join(b.name for b in self.failed_blocks) or "overall"
            verdict = f"FAIL in {where}"
        return [
            "If your backpropagation implementation is correct, then the relative "
            f"difference will be small (less than {self.threshold:g}).",
            f"Relative Difference: {self.relative_difference:.6e}  ({verdict})",
        ]


def _entry(layout: ParamLayout, index: int, numerical: float, analytical: float) -> GradientEntry:
    # Column-major: the Theta's offset, then row = local % rows, col = local // rows.
    layer = int(np.searchsorted(layout.offsets, index, side="right")) - 1
    rows = layout.shapes[layer][0]
    col, row = divmod(index - layout.offsets[layer], rows)
    return GradientEntry(layer + 1, row, col, index, numerical, analytical)


# ----------------------------------------------------------------------------- checks
def _block_ranges(layout: ParamLayout) -> list[tuple[int, str, tuple[int, int], int, int]]:
    """(layer, part, shape, start, stop) for each bias column and weight block, in order.

    Column-major order stores each Theta's bias column first, so both are contiguous.
    """
    out = []
    for layer, (rows, cols) in enumerate(layout.shapes):
        start = layout.offsets[layer]
        out.append((layer + 1, "bias", (rows, 1), start, start + rows))
        out.append((layer + 1, "weights", (rows, cols - 1), start + rows, start + rows * cols))
    return out


def _sample_indices(layout: ParamLayout, k: int, rng: np.random.Generator) -> NDArray[np.intp]:
    """``k`` coordinates per layer, split evenly between its bias column and weights."""
    chosen = []
    for rows, cols in layout.shapes:
        n_weights = rows * (cols - 1)
        # Both blocks need witnesses: a regularized-bias bug lives only in column 0,
        # which a uniform draw over 784-300-10's Theta1 would almost never hit.
        n_bias = min(rows, k - min(n_weights, k // 2))
        n_w = min(n_weights, k - n_bias)
        start = layout.offsets[len(chosen) // 2]
        chosen.append(start + np.sort(rng.choice(rows, n_bias, replace=False)))
        chosen.append(start + rows + np.sort(rng.choice(n_weights, n_w, replace=False)))
    return np.concatenate(chosen).astype(np.intp)


def _check_options(threshold: float, e: float, floor: float | None, sample: int | None) -> None:
    for name, value in (("threshold", threshold), ("e", e)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number > 0; got {type(value).__name__}.")
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0; got {value}.")
    if floor is not None:
        if isinstance(floor, bool) or not isinstance(floor, numbers.Real):
            raise TypeError(f"floor must be None or a real number >= 0; got {floor!r}.")
        if not (math.isfinite(floor) and floor >= 0):
            raise ValueError(f"floor must be None or a finite number >= 0; got {floor}.")
    if sample is not None:
        if _as_positive_int(sample, "sample") < 2:
            raise ValueError(
                f"sample must be at least 2 (one bias entry and one weight per layer); "
                f"got {sample}. Use sample=None to check every parameter."
            )


def check_gradients(
    cost_fn: Callable[[NDArray], tuple[float, ArrayLike]],
    theta: ArrayLike,
    layer_sizes: Sequence[int],
    *,
    threshold: float = 1e-9,
    e: float = 1e-4,
    sample: int | None = None,
    rng: int | np.random.Generator | None = None,
    floor: float | None = None,
    cost_only: Callable[[NDArray], float] | None = None,
) -> GradientCheck:
    """Check any cost function's gradient against central differences, per layer.

    Generalizes ``checkNNGradients.m`` to any ``cost_fn``, parameter vector and layer
    sizes; the report locates the disagreement.

    Parameters
    ----------
    cost_fn : callable
        ``cost_fn(theta) -> (J, grad)``, e.g. a closure over :func:`nnCostFunction`.
        Called once for the analytical gradient, then twice per checked coordinate
        (and twice more per coordinate of a block that fails at first, see Notes).
    theta : array_like of shape (n,) or (n, 1)
        Parameters unrolled column-major, ``[Theta1(:); Theta2(:); ...]``; not modified.
    layer_sizes : sequence of int
        Units per layer, input first, e.g. ``[400, 25, 10]``; locates each coordinate.
    threshold : float, default 1e-9
        Pass mark, the course's.
    e : float, default 1e-4
        Step of the central differences.
    sample : int, optional
        Check only ``sample`` coordinates per layer (at least 2), drawn with `rng`:
        half from the bias column (the odd one too) and the rest from the weights; a
        block smaller than its share is checked whole.  Costs ``2 * sample * layers``
        evaluations of `cost_fn` plus one.  Default: check every parameter.
    rng : None, int or numpy.random.Generator
        Source of the sample; an int seeds a new Generator.
    floor : float, optional
        Absolute floor for the denominators, see Notes.  Default: automatic.
    cost_only : callable, optional
        ``cost_only(theta) -> J``, the same cost without its gradient, used for the
        central differences (they need only J).  For nnmat's network a forward pass
        costs about a third of a forward and backward pass, which makes sampled
        checks of large networks about three times faster.  Default: the first
        output of `cost_fn`.

    Returns
    -------
    GradientCheck
        ``relative_difference`` is the course metric over the checked coordinates;
        ``blocks`` has one entry per bias column and weight block; ``passed`` is True
        when the overall metric and every block are below `threshold`.

    Raises
    ------
    TypeError, ValueError
        For a non-callable `cost_fn`, a `cost_fn` that does not return ``(J, grad)``
        with ``grad`` shaped like `theta`, or invalid options.

    Notes
    -----
    Each block's metric is ``norm(num - grad) / max(norm(num + grad), floor_b)``.
    The floor keeps near-zero true gradients (saturated units, a block that barely
    matters, any parameter near an optimum) from raising false alarms: there the
    course metric divides the error of the central differences by almost nothing.
    ``floor_b = norm(noise over the block's checked entries) / threshold``, so a block
    whose gradient is too small to be resolved to `threshold` relative accuracy
    passes when its difference is within the noise, and fails otherwise.  Per entry::

        noise = NOISE_FACTOR * eps * max(|J(theta)|, 1) / e     (rounding)
              + 2 * |D(2e) - D(e)| / 3                           (truncation)

    with ``NOISE_FACTOR = 10`` and ``D(h)`` the central difference with step ``h``.
    The truncation term ``c e^2`` (``c = J'''/6``) is estimated by Richardson's rule
    ``D(2e) - D(e) = 3 c e^2``, only for the coordinates of blocks that fail on
    rounding alone (two more evaluations each; ``rechecked`` counts them).  It does
    not involve the gradient under test, so a real bug is not excused by it.  The
    overall metric uses the same floor over all checked entries.  Where the gradient
    is not tiny the floor plays no part and the metric is exactly the course's.
    Pass ``floor=0`` for the bare course metric everywhere (no recheck).

    Examples
    --------
    >>> import numpy as np
    >>> from nnmat import debugInitializeWeights, nnCostFunction, unrollParams
    >>> X, y = debugInitializeWeights(5, 2), np.array([2, 3, 1, 2, 3])
    >>> theta = unrollParams([debugInitializeWeights(5, 3), debugInitializeWeights(3, 5)])
    >>> report = check_gradients(
    ...     lambda t: nnCostFunction(t, 3, 5, 3, X, y, 1.0), theta, [3, 5, 3])
    >>> report.passed, [b.name for b in report.blocks][:2]
    (True, ['Theta1 bias', 'Theta1 weights'])
    """
    if not callable(cost_fn):
        raise TypeError(
            f"cost_fn must be callable as cost_fn(theta) -> (J, grad); got "
            f"{type(cost_fn).__name__}."
        )
    layout = param_layout(check_layer_sizes(layer_sizes))
    t0 = np.array(as_param_vector(theta, layout, name="theta"), dtype=np.float64)
    _check_options(threshold, e, floor, sample)
    gen = as_generator(rng)

    out = cost_fn(t0.copy())
    if not (isinstance(out, tuple) and len(out) == 2):
        raise TypeError(
            "cost_fn must return a (J, grad) tuple as nnCostFunction does; got "
            f"{type(out).__name__}. Wrap it: lambda t: (cost(t), gradient(t))."
        )
    J0 = float(out[0])
    grad = np.array(out[1], dtype=np.float64)
    if grad.ndim == 2 and grad.shape[1] == 1:
        grad = grad[:, 0]
    if grad.shape != t0.shape:
        raise ValueError(
            f"cost_fn returned a gradient of shape {grad.shape}; theta has shape "
            f"{t0.shape}. Return grad unrolled like theta, e.g. unrollParams(grads)."
        )

    indices = None if sample is None else _sample_indices(layout, sample, gen)
    if cost_only is not None and not callable(cost_only):
        raise TypeError(
            f"cost_only must be callable as cost_only(theta) -> J or None; got "
            f"{type(cost_only).__name__}."
        )
    differenced = cost_fn if cost_only is None else cost_only
    numerical = computeNumericalGradient(differenced, t0, e, indices=indices)
    analytical = grad if indices is None else grad[indices]
    all_idx = np.arange(layout.size) if indices is None else indices
    ranges = _block_ranges(layout)
    masks = [(all_idx >= start) & (all_idx < stop) for *_, start, stop in ranges]

    # Per-entry noise of the central differences: rounding, plus truncation where
    # it was estimated.  A block's floor is norm(noise over its entries) / threshold.
    noise = np.full(numerical.size, NOISE_FACTOR * _EPS * max(abs(J0), 1.0) / e)

    def judge(noise: NDArray) -> tuple[list[BlockCheck], float]:
        def floor_of(mask) -> float:
            return float(floor) if floor is not None else float(norm(noise[mask]) / threshold)

        blocks = [
            BlockCheck(
                layer,
                part,
                shape,
                int(mask.sum()),
                float(norm(numerical[mask] - analytical[mask])),
                float(norm(numerical[mask] + analytical[mask])),
                floor_of(mask),
                float(threshold),
            )
            for (layer, part, shape, _, _), mask in zip(ranges, masks, strict=True)
        ]
        return blocks, floor_of(slice(None))

    blocks, overall_floor = judge(noise)
    rechecked = 0
    if floor is None and not all(b.passed for b in blocks):
        # Bug or truncation?  A central difference errs by c e^2 (c = J'''(theta) / 6),
        # which matters where the gradient is tiny, e.g. near an optimum.  Differencing
        # the failing blocks again at 2e gives D(2e) - D(e) = 3 c e^2 (Richardson): an
        # estimate that does not involve the gradient under test, so a bug still shows.
        failing = [m for b, m in zip(blocks, masks, strict=True) if not b.passed]
        sel = np.flatnonzero(np.logical_or.reduce(failing))
        wide = computeNumericalGradient(differenced, t0, 2 * e, indices=all_idx[sel])
        noise[sel] += 2 * np.abs(wide - numerical[sel]) / 3  # twice the estimate
        rechecked = int(sel.size)
        blocks, overall_floor = judge(noise)

    # The course metric, 0 rather than 0/0 when both gradients are exactly zero.
    diff = _relative(float(norm(numerical - analytical)), float(norm(numerical + analytical)), 0.0)
    return GradientCheck(
        numerical,
        analytical,
        diff,
        float(threshold),
        indices,
        layout.layer_sizes,
        tuple(blocks),
        overall_floor,
        sample,
        float(e),
        rechecked,
    )


def checkNNGradients(
    lambda_: float = 0.0,
    *,
    layer_sizes: Sequence[int] = (3, 5, 3),
    m: int = 5,
    threshold: float = 1e-9,
    sample: int | None = None,
    rng: int | np.random.Generator | None = None,
) -> GradientCheck:
    """Compare backprop with central differences on the course's small 3-5-3 network.

    Port of ``checkNNGradients.m``: debug weights, m = 5 examples, labels
    ``1 + mod(1:m, K)``.  Nothing is printed; ``print(checkNNGradients())`` shows
    the two columns, the per-layer table and the relative difference.

    Parameters
    ----------
    lambda_ : float, default 0.0
        Regularization strength to check.
    layer_sizes : sequence of int, default (3, 5, 3), keyword-only
        Network to check, input first; at least one hidden layer.  Weights and X come
        from :func:`debugInitializeWeights` as in the course.
    m : int, default 5, keyword-only
        Number of examples.
    threshold, sample, rng : keyword-only
        As in :func:`check_gradients`.

    Returns
    -------
    GradientCheck
        ``relative_difference`` is below 1e-9 when backprop is right.

    Examples
    --------
    >>> check = checkNNGradients(3.0)
    >>> check.passed, check.relative_difference < 1e-9
    (True, True)
    """
    lam = check_lambda(lambda_)
    sizes = check_layer_sizes(layer_sizes)
    if len(sizes) < 3:
        raise ValueError(
            f"layer_sizes needs at least one hidden layer, as nnCostFunction does; got "
            f"{list(sizes)}. Pass e.g. (3, 5, 3)."
        )
    m = _as_positive_int(m, "m")
    Thetas = [debugInitializeWeights(n_out, n_in) for n_in, n_out in itertools.pairwise(sizes)]
    # The course's X = debugInitializeWeights(m, n - 1), shape (m, n).  Column-major
    # filling makes it the first n columns of debugInitializeWeights(m, n), which
    # also works for n = 1.
    X = debugInitializeWeights(m, sizes[0])[:, : sizes[0]]
    y = 1 + np.arange(1, m + 1) % sizes[-1]
    input_layer_size, hidden, num_labels = sizes[0], sizes[1:-1], sizes[-1]

    def cost(p: NDArray) -> tuple[float, NDArray]:
        return nnCostFunction(p, input_layer_size, hidden, num_labels, X, y, lam)

    problem = prepare_problem(sizes, X, y)

    def cost_only(p: NDArray) -> float:  # the differences need no backward pass
        return cost_and_grad(p, problem, lam, with_grad=False)[0]

    return check_gradients(
        cost,
        unrollParams(Thetas),
        sizes,
        threshold=threshold,
        sample=sample,
        rng=rng,
        cost_only=cost_only,
    )
