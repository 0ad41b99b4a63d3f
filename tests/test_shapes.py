"""Tests for nnmat.shapes: the trace must equal the shapes the core really produces."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from nnmat import debugInitializeWeights, shape_trace, unrollParams
from nnmat.network import layer_backward, layer_forward, prepare_problem
from nnmat.params import param_layout, roll


def real_shapes(sizes: tuple[int, ...], m: int) -> dict[str, tuple[int, ...]]:
    """Run the core's layer_forward/layer_backward once and record every array's shape.

    Course names: nnmat's activation buffer i holds z/a of layer i + 2 (a1 is X); the
    signal returned by layer_backward for layer i is delta of layer i + 1.
    """
    X = debugInitializeWeights(m, sizes[0])[:, : sizes[0]]
    y = 1 + np.arange(m) % sizes[-1]
    problem = prepare_problem(sizes, X, y)
    layout = param_layout(sizes)
    Thetas = roll(
        unrollParams([debugInitializeWeights(b, a) for a, b in itertools.pairwise(sizes)]), layout
    )
    n_layers = len(Thetas)
    shapes = {"a1": problem.X.shape, "nn_params": (layout.size,)}
    caches, a = [], problem.X
    for i, Theta in enumerate(Thetas):
        buf = np.empty((m, Theta.shape[0]))
        cache = layer_forward(a, Theta, buf, hidden=i < n_layers - 1)
        caches.append(cache)
        a = cache[1]
        shapes[f"z{i + 2}"] = shapes[f"a{i + 2}"] = a.shape
        # [1 a<l>] feeds Theta<l>: its width is Theta<l>'s number of columns.
        shapes[f"[1 a{i + 1}]"] = (m, Theta.shape[1])
    delta = np.zeros_like(a)  # the output signal a<n> - Y has the logits' shape
    shapes[f"delta{n_layers + 1}"] = delta.shape
    grad = np.empty(layout.size)
    grads = roll(grad, layout)
    for i in range(n_layers - 1, -1, -1):
        g, delta = layer_backward(caches[i], delta, Thetas[i], grads[i], input_is_hidden=i > 0)
        shapes[f"Theta{i + 1}_grad"] = g.shape
        if delta is not None:
            shapes[f"delta{i + 1}"] = delta.shape
    return shapes


@pytest.mark.parametrize(
    ("sizes", "m"),
    [((4, 5, 3), 7), ((3, 5, 3), 1), ((6, 4, 3, 2), 5), ((2, 3, 4, 5, 3), 2), ((5, 2), 3)],
)
def test_trace_matches_the_arrays_of_the_core(sizes, m):
    trace = shape_trace(sizes, m)
    real = real_shapes(sizes, m)
    for name, shape in real.items():
        if name.startswith("[1 "):
            entry = next(e for e in trace.entries if e.name == name[3:-1])
            assert entry.with_bias == shape, name
        else:
            assert trace[name] == shape, name
    # Everything traced (except the one-hot Y) was checked against a real array.
    assert set(trace.names) - {"Y"} == {n for n in real if not n.startswith("[1 ")}


def test_course_network_shapes():
    trace = shape_trace([400, 25, 10], 5000)
    assert trace.names == (
        "a1", "z2", "a2", "z3", "a3", "Y", "delta3", "delta2", "Theta1_grad", "Theta2_grad",
        "nn_params",
    )  # fmt: skip
    assert [trace[n] for n in ("a1", "a2", "a3", "delta2", "Theta1_grad", "Theta2_grad")] == [
        (5000, 400),
        (5000, 25),
        (5000, 10),
        (5000, 25),
        (25, 401),
        (10, 26),
    ]
    assert trace["nn_params"] == (10285,)


def test_printed_trace_marks_the_bias_columns():
    text = str(shape_trace([400, 25, 10], 5000))
    lines = text.splitlines()
    assert lines[0].startswith("Shape trace for layer sizes 400-25-10, m = 5000")
    assert [line for line in lines if not line.startswith(" ")][1:] == [
        "forward",
        "backward",
        "gradients",
        "parameters",
    ]

    def line(prefix):
        return next(x for x in lines if x.strip().startswith(prefix))

    assert re.search(r"5000 x 400 +\[1 a1\] is 5000 x 401", line("a1 = X"))
    assert "Theta1 is 25 x 401, column 1 = bias" in line("z2 =")
    assert "Theta2(:, 2:) is 10 x 25: bias column dropped" in line("delta2 =")
    assert re.search(r"25 x 401 +column 1 = bias, not regularized", line("Theta1_grad ="))
    assert "a3 = sigmoid(z3) = h" in text and "[1 a3]" not in text


def test_unknown_name_lists_the_known_ones():
    message = "no array named 'delta1' in this trace; it has a1, z2, a2, Y, delta2, Theta1_grad"
    with pytest.raises(KeyError, match=re.escape(message)):
        shape_trace([3, 2], 4)["delta1"]


@pytest.mark.parametrize(
    ("args", "exc", "message"),
    [
        (([400, 25, 10], 0), ValueError, "m must be a positive int; got 0. Use at least 1 unit."),
        (([400, 25, 10], 2.0), TypeError, "m must be a positive int; got 2.0 of type float."),
        (
            ([400], 5),
            ValueError,
            "layer_sizes needs at least an input and an output size; got [400].",
        ),
        (([400, 0, 10], 5), ValueError, "layer_sizes[1] must be a positive int; got 0."),
    ],
)
def test_invalid_arguments(args, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        shape_trace(*args)


# ----------------------------------------------------------------------------- nnmat shapes
def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    from nnmat.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "sizes", "m"),
    [
        (["400", "25", "10", "--m", "5000"], [400, 25, 10], 5000),
        (["4", "3", "3", "2"], [4, 3, 3, 2], 5000),
    ],
)
def test_cli_shapes_prints_the_trace(capsys, argv, sizes, m):
    code, out, err = run_cli(capsys, "shapes", *argv)
    assert (code, err) == (0, "")
    assert out == str(shape_trace(sizes, m)) + "\n"


def test_cli_shapes_course_lines(capsys):
    _, out, _ = run_cli(capsys, "shapes", "400", "25", "10", "--m", "5000")
    assert re.search(r"\n  a1 = X +5000 x 400   \[1 a1\] is 5000 x 401; the input\n", out)
    assert re.search(r"\n  Theta2_grad = delta3' \* \[1 a2\] / m +10 x 26   column 1 = bias", out)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["shapes", "400"],
            1,
            "nnmat shapes: error: layer_sizes needs at least an input and an output size; "
            "got [400]. Pass e.g. [400, 25, 10].\n",
        ),
        (
            ["shapes", "400", "x"],
            2,
            "nnmat shapes: error: argument SIZE: expected a whole number >= 1; got 'x' "
            "(see nnmat shapes --help)\n",
        ),
    ],
)
def test_cli_shapes_bad_arguments(capsys, argv, code, message):
    got, out, err = run_cli(capsys, *argv)
    assert (got, out, err) == (code, "", message)
