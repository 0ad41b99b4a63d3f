"""Tests for nnmat.gradcheck: numerical gradients, the per-block report, sampled checks."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from nnmat import (
    checkNNGradients,
    computeNumericalGradient,
    debugInitializeWeights,
    nnCostFunction,
    randInitializeWeights,
    rollParams,
    trainNN,
    unrollParams,
)
from nnmat.gradcheck import check_gradients

SIZES = (3, 5, 3)


def course_problem(lambda_: float = 0.0, sizes: tuple[int, ...] = SIZES, m: int = 5):
    """checkNNGradients' network: debug weights, X and labels 1 + mod(1:m, K)."""
    Thetas = [debugInitializeWeights(b, a) for a, b in itertools.pairwise(sizes)]
    X = debugInitializeWeights(m, sizes[0] - 1)
    y = 1 + np.arange(1, m + 1) % sizes[-1]

    def cost(p):
        return nnCostFunction(p, sizes[0], list(sizes[1:-1]), sizes[-1], X, y, lambda_)

    return cost, unrollParams(Thetas)


class CountingCost:
    """Wraps a cost function and counts its calls."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, p):
        self.calls += 1
        return self.fn(p)


# ----------------------------------------------------------------------------- numerical
def test_numerical_gradient_of_a_quadratic_is_exact_and_theta_untouched():
    theta = np.array([1.0, -2.0, 0.5])
    before = theta.copy()
    # d/dt sum(t^3) = 3 t^2; central differences add e^2 = 1e-8 (plus rounding ~1e-11).
    num = computeNumericalGradient(lambda t: float((t**3).sum()), theta, 1e-4)
    assert_allclose(num, 3 * theta**2 + 1e-8, rtol=0, atol=1e-10)
    assert_array_equal(theta, before)


def test_numerical_gradient_at_indices_equals_full_gradient_there():
    cost, theta = course_problem(1.0)
    full = computeNumericalGradient(cost, theta)
    idx = np.array([37, 0, 12])
    assert_allclose(computeNumericalGradient(cost, theta, indices=idx), full[idx], rtol=0, atol=0)


@pytest.mark.parametrize(
    ("indices", "exc", "message"),
    [
        (
            [0.5],
            TypeError,
            "indices must be a 1-D array of ints (0-based positions in theta); got dtype "
            "float64 and shape (1,).",
        ),
        (
            [[0]],
            TypeError,
            "indices must be a 1-D array of ints (0-based positions in theta); got dtype "
            "int64 and shape (1, 1).",
        ),
        (
            [0, 3],
            ValueError,
            "indices must lie in 0..2 (theta has 3 entries); got values from 0 to 3.",
        ),
    ],
)
def test_numerical_gradient_rejects_bad_indices(indices, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        computeNumericalGradient(lambda t: 0.0, np.zeros(3), indices=indices)


@pytest.mark.parametrize(
    ("J", "message"),
    [
        (
            lambda t: t,
            "J must return a real scalar cost or a (cost, grad) tuple; got ndarray of shape (3,).",
        ),
        (lambda t: None, "J must return a real scalar cost or a (cost, grad) tuple; got NoneType."),
        (
            lambda t: ("a", None),
            "J must return a real scalar cost or a (cost, grad) tuple; got str.",
        ),
    ],
)
def test_numerical_gradient_rejects_a_non_scalar_cost(J, message):
    with pytest.raises(TypeError, match="^" + re.escape(message) + "$"):
        computeNumericalGradient(J, np.zeros(3))


def test_numerical_gradient_accepts_numpy_scalars_and_0d_arrays():
    assert_allclose(computeNumericalGradient(lambda t: np.array(t @ t), [1.0]), [2.0], rtol=1e-9)


# ----------------------------------------------------------------------------- report
@pytest.mark.parametrize("lam", [0.0, 3.0])
def test_course_network_passes_with_the_course_metric(lam):
    check = checkNNGradients(lam)
    num, grad = check.numerical, check.analytical
    assert num.shape == grad.shape == (38,)
    course = np.linalg.norm(num - grad) / np.linalg.norm(num + grad)
    assert check.relative_difference == pytest.approx(course, rel=1e-12)
    assert check.relative_difference < 1e-9
    assert check.passed
    assert check.indices is None and check.sample is None


def test_blocks_split_each_layer_into_bias_column_and_weights():
    check = checkNNGradients(1.0)
    got = [(b.name, b.shape, b.checked, b.size) for b in check.blocks]
    assert got == [
        ("Theta1 bias", (5, 1), 5, 5),
        ("Theta1 weights", (5, 3), 15, 15),
        ("Theta2 bias", (3, 1), 3, 3),
        ("Theta2 weights", (3, 5), 15, 15),
    ]
    assert all(b.passed for b in check.blocks)


def test_block_metrics_use_only_their_own_entries():
    check = checkNNGradients(1.0)
    # Theta2's bias column is entries 20..22 of the unrolled vector (Theta1 has 20).
    n, a = check.numerical[20:23], check.analytical[20:23]
    block = check.blocks[2]
    assert block.norm_difference == pytest.approx(np.linalg.norm(n - a), rel=1e-12)
    assert block.norm_sum == pytest.approx(np.linalg.norm(n + a), rel=1e-12)


def test_entries_are_located_in_the_right_theta_row_and_column():
    check = checkNNGradients()
    # Fill each Theta with its own unrolled positions: rollParams is the ground truth.
    Thetas = rollParams(np.arange(38.0), SIZES)
    for x in check.entries:
        assert Thetas[x.layer - 1][x.row, x.col] == x.index
    first_weight = check.entries[5]
    assert (first_weight.octave, first_weight.numpy, first_weight.part) == (
        "Theta1(1,2)",
        "Theta1[0, 1]",
        "weights",
    )
    assert check.entries[20].octave == "Theta2(1,1)"


def test_near_zero_gradients_do_not_raise_false_alarms():
    # Saturated hidden units (bias 20): sigmoid'(z) ~ 2e-9, so Theta1's true gradient
    # is ~1e-12, the size of the rounding noise of central differences.  The course metric
    # divides noise by almost nothing; the floor judges it as noise.
    sizes = (3, 4, 2)
    T1 = debugInitializeWeights(4, 3)
    T1[:, 0] = 20.0
    T2 = debugInitializeWeights(2, 4)
    X = debugInitializeWeights(6, 2)
    y = np.array([1, 2, 1, 2, 1, 2])

    def cost(p):
        return nnCostFunction(p, 3, 4, 2, X, y, 0.0)

    theta = unrollParams([T1, T2])
    bare = check_gradients(cost, theta, sizes, floor=0.0)
    floored = check_gradients(cost, theta, sizes)
    assert not bare.passed  # the false alarm the floor exists for
    assert floored.passed
    assert [b.floored for b in floored.blocks] == [True, True, False, False]


@pytest.fixture(scope="module")
def optimum():
    """A 3-5-3 network trained to convergence: every gradient entry is below 1e-5."""
    gen = np.random.default_rng(0)
    X = gen.normal(size=(40, 3))
    y = 1 + (X[:, 0] > 0) + (X[:, 1] > 0.5)
    p0 = unrollParams([randInitializeWeights(3, 5, rng=1), randInitializeWeights(5, 3, rng=2)])
    res = trainNN(p0, 3, 5, 3, X, y, 1.0, maxiter=1000)
    assert res.success

    def cost(p):
        return nnCostFunction(p, 3, 5, 3, X, y, 1.0)

    assert np.abs(cost(res.x)[1]).max() < 1e-5
    return cost, res.x


def test_truncation_error_near_an_optimum_is_not_a_false_alarm(optimum):
    # There the e^2 J'''/6 error of central differences (~1e-10) is not small next to
    # the gradient (~1e-6): the bare course metric fails a correct backprop.
    cost, theta = optimum
    assert not check_gradients(cost, theta, SIZES, floor=0.0).passed
    counting = CountingCost(cost)
    check = check_gradients(counting, theta, SIZES)
    assert check.passed
    assert check.rechecked > 0
    assert counting.calls == 1 + 2 * 38 + 2 * check.rechecked
    assert "differenced again at step 0.0002 to estimate the truncation error" in str(check)


def test_truncation_estimate_does_not_excuse_a_bug(optimum):
    cost, theta = optimum

    def regularized_bias(p):
        J, grad = cost(p)
        grad = grad.copy()
        grad[:5] += 1.0 / 40 * p[:5]
        return J, grad

    check = check_gradients(regularized_bias, theta, SIZES)
    assert [b.name for b in check.failed_blocks] == ["Theta1 bias"]


def test_truncation_dominated_tiny_network_passes():
    # Found by tests/test_properties.py: a 1-1-1 net with weights 1 and x = 2, where
    # the truncation error is 3e-9 of one block's gradient at e = 1e-4.
    def cost(p):
        return nnCostFunction(p, 1, 1, 1, np.array([[2.0]]), np.array([1]), 0.0)

    assert not check_gradients(cost, np.ones(4), (1, 1, 1), floor=0.0).passed
    check = check_gradients(cost, np.ones(4), (1, 1, 1))
    assert check.passed and check.rechecked == 1


def test_exactly_zero_gradient_passes_with_metric_zero():
    # All-zero weights and balanced labels: the gradient is exactly 0, and the course
    # metric would be 0/0 (found by tests/test_properties.py).
    X, y = np.zeros((4, 1)), np.array([2, 2, 1, 1])
    check = check_gradients(
        lambda p: nnCostFunction(p, 1, 1, 2, X, y, 0.0), np.zeros(6), (1, 1, 2), floor=0.0
    )
    assert not check.analytical.any()
    assert check.relative_difference == 0.0
    assert check.passed


def test_report_does_not_modify_theta():
    cost, theta = course_problem()
    before = theta.copy()
    check_gradients(cost, theta, SIZES)
    assert_array_equal(theta, before)


# ----------------------------------------------------------------------------- printing
def test_printed_report_has_course_columns_table_worst_entries_and_verdict():
    text = str(checkNNGradients())
    assert text.startswith("Gradient check of a 3-5-3 network: all 38 parameters checked")
    assert "      numerical      analytical  entry" in text
    assert (
        "(Left: numerical gradient; right: backpropagation. They should be very similar.)" in text
    )
    assert "Theta1 bias" in text and "Theta2 weights" in text
    assert "Worst entries (Octave 1-based Theta1(r,c) = numpy 0-based Theta1[r-1, c-1]):" in text
    assert re.search(r"Relative Difference: \d\.\d{6}e-\d\d  \(PASS\)$", text)


def test_long_column_listings_are_abridged_unless_asked():
    check = checkNNGradients()
    assert "(18 rows not shown)" in check.format(max_rows=20)
    rows = [line for line in check.format(max_rows=None).splitlines() if "Theta" in line]
    column_rows = [r for r in rows if r.rstrip().endswith(("bias", "weights")) and "e-" in r[:16]]
    assert len(column_rows) == 38


def test_failing_report_names_the_failing_block():
    cost, theta = course_problem(1.0)

    def buggy(p):
        J, grad = cost(p)
        grad = grad.copy()
        grad[21] += 1e-3  # Theta2(2,1)
        return J, grad

    check = check_gradients(buggy, theta, SIZES)
    assert not check.passed
    assert [b.name for b in check.failed_blocks] == ["Theta2 bias"]
    assert check.worst(1)[0].octave == "Theta2(2,1)"
    assert "FAIL in Theta2 bias" in str(check)


# ----------------------------------------------------------------------------- sampling
def test_sampled_check_costs_two_evaluations_per_coordinate_plus_one():
    cost, theta = course_problem(1.0, sizes=(20, 8, 4), m=7)
    counting = CountingCost(cost)
    check = check_gradients(counting, theta, (20, 8, 4), sample=4, rng=0)
    assert check.numerical.size == 8
    assert counting.calls == 1 + 2 * 8
    assert check.passed


def test_cost_only_does_the_differencing_and_gives_the_same_report():
    cost, theta = course_problem(1.0, sizes=(20, 8, 4), m=7)
    counting, counting_only = CountingCost(cost), CountingCost(lambda t: cost(t)[0])
    check = check_gradients(counting, theta, (20, 8, 4), sample=4, rng=0, cost_only=counting_only)
    assert (counting.calls, counting_only.calls) == (1, 2 * 8)
    plain = check_gradients(cost, theta, (20, 8, 4), sample=4, rng=0)
    assert_array_equal(check.numerical, plain.numerical)
    assert check.passed


def test_cost_only_must_be_callable():
    cost, theta = course_problem(1.0, sizes=(3, 5, 3), m=5)
    message = "cost_only must be callable as cost_only(theta) -> J or None; got float."
    with pytest.raises(TypeError, match="^" + re.escape(message) + "$"):
        check_gradients(cost, theta, (3, 5, 3), cost_only=1.0)


def test_sampled_check_splits_each_layer_between_bias_and_weights():
    cost, theta = course_problem(0.0, sizes=(20, 8, 4), m=7)
    check = check_gradients(cost, theta, (20, 8, 4), sample=5, rng=1)
    assert [b.checked for b in check.blocks] == [3, 2, 3, 2]
    for b, (start, stop) in zip(
        check.blocks, [(0, 8), (8, 168), (168, 172), (172, 204)], strict=True
    ):
        inside = check.indices[(check.indices >= start) & (check.indices < stop)]
        assert inside.size == b.checked
    assert np.unique(check.indices).size == check.indices.size


def test_sampled_check_checks_a_small_block_whole_and_gives_the_rest_to_the_other():
    cost, theta = course_problem(0.0, sizes=(20, 2, 4), m=7)
    check = check_gradients(cost, theta, (20, 2, 4), sample=6, rng=1)
    # Theta1's bias column has only 2 entries: 2 + 4 weights; Theta2 3 + 3.
    assert [b.checked for b in check.blocks] == [2, 4, 3, 3]


def test_sampled_values_equal_the_full_check_at_the_same_coordinates():
    cost, theta = course_problem(1.0)
    full = check_gradients(cost, theta, SIZES)
    sampled = check_gradients(cost, theta, SIZES, sample=3, rng=7)
    assert_allclose(sampled.numerical, full.numerical[sampled.indices], rtol=0, atol=0)
    assert_array_equal(sampled.analytical, full.analytical[sampled.indices])


def test_sample_is_reproducible_from_the_seed():
    cost, theta = course_problem()
    a = check_gradients(cost, theta, SIZES, sample=4, rng=3).indices
    b = check_gradients(cost, theta, SIZES, sample=4, rng=np.random.default_rng(3)).indices
    c = check_gradients(cost, theta, SIZES, sample=4, rng=4).indices
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_sampled_report_says_so():
    check = checkNNGradients(layer_sizes=(20, 8, 4), m=7, sample=4, rng=0)
    first = str(check).splitlines()[0]
    assert first == (
        "Gradient check of a 20-8-4 network: SAMPLED: 8 of 204 parameters, up to 4 per "
        "layer (see 'checked' below); step e = 0.0001"
    )
    assert "2 of 160" in str(check)


def test_sampled_check_catches_a_bias_bug_in_a_large_layer():
    # A uniform draw over Theta1 of a 100-30-3 net would almost never hit column 0.
    sizes = (100, 30, 3)
    cost, theta = course_problem(1.0, sizes=sizes, m=4)

    def regularized_bias(p):
        J, grad = cost(p)
        grad = grad.copy()
        grad[:30] += (1.0 / 4) * p[:30]
        return J, grad

    check = check_gradients(regularized_bias, theta, sizes, sample=2, rng=0)
    assert [b.name for b in check.failed_blocks] == ["Theta1 bias"]


# ----------------------------------------------------------------------------- checkNNGradients
@pytest.mark.parametrize("sizes", [(4, 5, 3, 2), (1, 2, 2), (2, 3, 2, 3, 4)])
def test_checkNNGradients_deeper_and_tiny_networks_pass(sizes):
    check = checkNNGradients(2.0, layer_sizes=sizes, m=3)
    assert check.passed
    assert len(check.blocks) == 2 * (len(sizes) - 1)


def test_checkNNGradients_uses_the_course_X():
    # The course builds X = debugInitializeWeights(m, n - 1); a changed X changes J.
    cost, theta = course_problem(0.0)
    check = checkNNGradients(0.0)
    assert_array_equal(check.analytical, cost(theta)[1])


# ----------------------------------------------------------------------------- validation
def _ok_cost(p):
    return float(p @ p), 2 * p


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        (
            {"cost_fn": 3},
            TypeError,
            "cost_fn must be callable as cost_fn(theta) -> (J, grad); got int.",
        ),
        (
            {"cost_fn": lambda p: float(p @ p)},
            TypeError,
            "cost_fn must return a (J, grad) tuple as nnCostFunction does; got float. "
            "Wrap it: lambda t: (cost(t), gradient(t)).",
        ),
        (
            {"cost_fn": lambda p: (0.0, p[:-1])},
            ValueError,
            "cost_fn returned a gradient of shape (5,); theta has shape (6,). Return grad "
            "unrolled like theta, e.g. unrollParams(grads).",
        ),
        (
            {"theta": np.zeros(5)},
            ValueError,
            "theta has 5 elements; layer sizes (2, 2) need 6 (Theta1 (2, 3)).",
        ),
        ({"threshold": 0.0}, ValueError, "threshold must be a finite number > 0; got 0.0."),
        ({"e": "1e-4"}, TypeError, "e must be a real number > 0; got str."),
        ({"floor": -1.0}, ValueError, "floor must be None or a finite number >= 0; got -1.0."),
        (
            {"sample": 1},
            ValueError,
            "sample must be at least 2 (one bias entry and one weight per layer); got 1. "
            "Use sample=None to check every parameter.",
        ),
        ({"sample": 2.5}, TypeError, "sample must be a positive int; got 2.5 of type float."),
    ],
)
def test_check_gradients_rejects_bad_arguments(kwargs, exc, message):
    args = {"cost_fn": _ok_cost, "theta": np.ones(6), "layer_sizes": (2, 2)} | kwargs
    with pytest.raises(exc, match=re.escape(message)):
        check_gradients(**args)


def test_checkNNGradients_needs_a_hidden_layer():
    message = (
        "layer_sizes needs at least one hidden layer, as nnCostFunction does; got [3, 3]. "
        "Pass e.g. (3, 5, 3)."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        checkNNGradients(layer_sizes=(3, 3))


# ----------------------------------------------------------------------------- nnmat gradcheck
def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    from nnmat.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_gradcheck_defaults_to_the_course_network(capsys):
    code, out, err = run_cli(capsys, "gradcheck")
    assert (code, err) == (0, "")
    assert out.startswith("Gradient check of a 3-5-3 network: all 38 parameters checked")
    assert "(18 rows not shown)" in out
    assert re.search(
        r"Relative Difference: \S+  \(PASS\)\n\(77 cost evaluations in \S+ s\)\n$", out
    )


def test_cli_gradcheck_options(capsys):
    argv = ["gradcheck", "4", "5", "3", "2", "--lambda", "3", "--sample", "4", "--seed", "1"]
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0
    assert "Gradient check of a 4-5-3-2 network: SAMPLED: 12 of 51 parameters" in out
    assert "(25 cost evaluations in" in out
    # Same seed, same coordinates: the library call with the same options agrees.
    report = checkNNGradients(3.0, layer_sizes=(4, 5, 3, 2), sample=4, rng=1)
    assert report.format() in out
    code, out, _ = run_cli(capsys, "gradcheck", "--all-rows")
    assert "rows not shown" not in out and "Theta2(3,6) weights" in out


def test_cli_gradcheck_exits_1_when_backprop_is_wrong(capsys, monkeypatch):
    import nnmat.gradcheck

    def regularized_bias(p, *args):
        J, grad = nnCostFunction(p, *args)
        grad = grad.copy()
        grad[:5] += p[:5]  # Theta1's bias column
        return J, grad

    monkeypatch.setattr(nnmat.gradcheck, "nnCostFunction", regularized_bias)
    code, out, _ = run_cli(capsys, "gradcheck")
    assert code == 1
    assert "(FAIL in Theta1 bias)" in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["gradcheck", "--sample", "1"],
            1,
            "nnmat gradcheck: error: sample must be at least 2 (one bias entry and one weight "
            "per layer); got 1. Use sample=None to check every parameter.\n",
        ),
        (
            ["gradcheck", "3", "3"],
            1,
            "nnmat gradcheck: error: layer_sizes needs at least one hidden layer, as "
            "nnCostFunction does; got [3, 3]. Pass e.g. (3, 5, 3).\n",
        ),
        (
            ["gradcheck", "--lambda", "-1"],
            2,
            "nnmat gradcheck: error: argument --lambda: expected a number >= 0 (0 for no "
            "regularization); got '-1' (see nnmat gradcheck --help)\n",
        ),
    ],
)
def test_cli_gradcheck_bad_arguments(capsys, argv, code, message):
    got, out, err = run_cli(capsys, *argv)
    assert (got, out, err) == (code, "", message)
