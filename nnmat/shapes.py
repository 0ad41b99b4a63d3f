"""Shape traces: every array of one forward and backward pass, named as in the course.

The course's advice for backprop is to print sizes constantly.  :func:`shape_trace`
does that without running anything: for given layer sizes and ``m`` it lists the
shape of every forward cache (``a1 = X``, ``z2``, ``a2``, ...), every backward signal
(``delta3``, ``delta2``, ...) and every ``Theta<l>_grad``, with the bias column
marked wherever the course adds or drops it.  The shapes come from
:func:`nnmat.params.param_layout`, the one source of the Theta shapes, and the test
suite compares them with the arrays the core actually produces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .params import _as_positive_int, check_layer_sizes, param_layout

__all__ = ["ShapeEntry", "ShapeTrace", "shape_trace"]


@dataclass(frozen=True)
class ShapeEntry:
    """One array of the pass.

    Attributes
    ----------
    stage : {"forward", "backward", "gradients", "parameters"}
        Where it appears.
    name : str
        Course name, 1-based: ``"a1"``, ``"z2"``, ``"delta3"``, ``"Theta1_grad"``.
    expression : str
        How the course computes it, in Octave.
    shape : tuple of int
        Its shape; ``(n,)`` for the unrolled vector.
    with_bias : tuple of int or None
        Shape of ``[ones(m, 1) a<l>]``, the activation with its bias column, when
        the next layer uses it.
    note : str
        Where the bias column is, or what is dropped.
    """

    stage: str
    name: str
    expression: str
    shape: tuple[int, ...]
    with_bias: tuple[int, int] | None = None
    note: str = ""


def _fmt(shape: tuple[int, ...]) -> str:
    return " x ".join(map(str, shape)) if len(shape) > 1 else f"{shape[0]} x 1"


@dataclass(frozen=True)
class ShapeTrace:
    """The shapes of one forward/backward pass; ``str()`` gives a readable table.

    Attributes
    ----------
    layer_sizes : tuple of int
        Units per layer, input first.
    m : int
        Number of examples.
    entries : tuple of ShapeEntry
        In execution order: forward, backward, gradients, parameters.
    """

    layer_sizes: tuple[int, ...]
    m: int
    entries: tuple[ShapeEntry, ...]

    def __getitem__(self, name: str) -> tuple[int, ...]:
        """Shape of the array called `name`, e.g. ``trace["delta2"]``."""
        for entry in self.entries:
            if entry.name == name:
                return entry.shape
        names = ", ".join(e.name for e in self.entries)
        raise KeyError(f"no array named {name!r} in this trace; it has {names}.")

    @property
    def names(self) -> tuple[str, ...]:
        """Course names of all traced arrays, in order."""
        return tuple(e.name for e in self.entries)

    def __str__(self) -> str:
        sizes = "-".join(map(str, self.layer_sizes))
        lines = [
            f"Shape trace for layer sizes {sizes}, m = {self.m} (course names, 1-based; "
            "a<l> without its bias column, [1 a<l>] = [ones(m,1) a<l>] with it)"
        ]
        width = max(len(f"{e.name} = {e.expression}") for e in self.entries)
        stage = None
        for e in self.entries:
            if e.stage != stage:
                stage = e.stage
                lines.append(stage)
            bias = f"[1 {e.name}] is {_fmt(e.with_bias)}; " if e.with_bias else ""
            text = f"  {e.name + ' = ' + e.expression:<{width}}  {_fmt(e.shape):>14}"
            lines.append(f"{text}   {bias}{e.note}".rstrip().rstrip(";"))
        return "\n".join(lines)


def shape_trace(layer_sizes: Sequence[int], m: int) -> ShapeTrace:
    """Shapes of every forward cache, backward signal and gradient, bias column marked.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first and output last, e.g. ``[400, 25, 10]``.
    m : int
        Number of examples (rows of X).

    Returns
    -------
    ShapeTrace
        Index it by course name (``trace["a2"]``) or print it.

    Notes
    -----
    Follows the course's ``nnCostFunction.m`` naming with ``n = len(layer_sizes)``
    layers: ``a1 = X``; ``z<l> = [1 a<l-1>] * Theta<l-1>'`` and ``a<l> = sigmoid(z<l>)``
    for ``l = 2..n`` (``a<n> = h``); ``delta<n> = a<n> - Y``;
    ``delta<l> = (delta<l+1> * Theta<l>(:, 2:)) .* sigmoidGradient(z<l>)`` for
    ``l = n-1..2``; ``Theta<l>_grad = delta<l+1>' * [1 a<l>] / m``.  nnmat never
    builds ``[1 a<l>]`` (the bias enters as a broadcast add), but the shapes of the
    products are the same.

    Examples
    --------
    >>> trace = shape_trace([400, 25, 10], 5000)
    >>> trace["a1"], trace["delta2"], trace["Theta1_grad"]
    ((5000, 400), (5000, 25), (25, 401))
    """
    sizes = check_layer_sizes(layer_sizes)
    m = _as_positive_int(m, "m")
    layout = param_layout(sizes)
    n = len(sizes)
    K = sizes[-1]
    entries = [ShapeEntry("forward", "a1", "X", (m, sizes[0]), (m, sizes[0] + 1), "the input")]
    for j in range(2, n + 1):
        rows, cols = layout.shapes[j - 2]
        entries.append(
            ShapeEntry(
                "forward",
                f"z{j}",
                f"[1 a{j - 1}] * Theta{j - 1}'",
                (m, rows),
                note=f"Theta{j - 1} is {rows} x {cols}, column 1 = bias",
            )
        )
        last = j == n
        entries.append(
            ShapeEntry(
                "forward",
                f"a{j}",
                f"sigmoid(z{j})" + (" = h" if last else ""),
                (m, rows),
                None if last else (m, rows + 1),
                "the output, one column per label" if last else "",
            )
        )
    entries.append(
        ShapeEntry("forward", "Y", f"eye({K})(y, :)", (m, K), note=f"one-hot labels 1..{K}")
    )
    entries.append(ShapeEntry("backward", f"delta{n}", f"a{n} - Y", (m, K)))
    for j in range(n - 1, 1, -1):
        rows, cols = layout.shapes[j - 1]
        entries.append(
            ShapeEntry(
                "backward",
                f"delta{j}",
                f"(delta{j + 1} * Theta{j}(:, 2:)) .* sigmoidGradient(z{j})",
                (m, sizes[j - 1]),
                note=f"Theta{j}(:, 2:) is {rows} x {cols - 1}: bias column dropped",
            )
        )
    for j in range(1, n):
        entries.append(
            ShapeEntry(
                "gradients",
                f"Theta{j}_grad",
                f"delta{j + 1}' * [1 a{j}] / m",
                layout.shapes[j - 1],
                note="column 1 = bias, not regularized",
            )
        )
    unrolled = "; ".join(f"Theta{j}(:)" for j in range(1, n))
    entries.append(
        ShapeEntry(
            "parameters",
            "nn_params",
            f"[{unrolled}]",
            (layout.size,),
            note="column-major; grad has the same shape",
        )
    )
    return ShapeTrace(sizes, m, tuple(entries))
