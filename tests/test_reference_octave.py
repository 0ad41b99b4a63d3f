"""nnmat against the fixtures GNU Octave wrote from reference_octave/ (no Octave needed here).

Every ``tests/fixtures/*.mat`` is written by ``reference_octave/make_fixtures.m`` (see
reference_octave/README.md) and holds its inputs next to Octave's outputs, so nnmat is
fed the very numbers Octave used.  Inputs are passed to nnmat exactly as ``loadmat``
returns them: labels as ``(m, 1)`` float columns and parameters as ``(n, 1)`` columns,
which the public API accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.io import loadmat

from nnmat import (
    ConvergenceWarning,
    checkNNGradients,
    computeNumericalGradient,
    debugInitializeWeights,
    nnCostFunction,
    predict,
    rollParams,
    sigmoid,
    sigmoidGradient,
    trainNN,
    unrollParams,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GENERATOR = Path(__file__).resolve().parents[1] / "reference_octave" / "make_fixtures.m"
EPS = np.finfo(np.float64).eps

# Cost and gradient: 1e-12 relative to the largest magnitude.  The two sides sum the
# same terms in a different order (and nnmat takes the loss from the logits), which
# costs a few eps; 1e-12 leaves room for deeper nets and other BLAS builds.
RTOL_COST = 1e-12


def load(name: str) -> dict:
    """A fixture's variables by name (without the .mat), as scipy reads them."""
    return loadmat(FIXTURES / f"{name}.mat")


def fixture_names(prefix: str) -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob(f"{prefix}*.mat"))


def network_args(layer_sizes: np.ndarray) -> tuple[int, list[int], int]:
    """``(input_layer_size, hidden_layer_size, num_labels)`` from a stored layer_sizes row."""
    sizes = [int(s) for s in layer_sizes.ravel()]
    return sizes[0], sizes[1:-1], sizes[-1]


def thetas_of(d: dict) -> list[np.ndarray]:
    """Theta1, Theta2, ... of a fixture, in order."""
    count = sum(1 for k in d if re.fullmatch(r"Theta\d+", k))
    return [d[f"Theta{i}"] for i in range(1, count + 1)]


COST_CASES = [
    pytest.param(name, k, id=f"{name}-lambda={lam:g}")
    for name in fixture_names("cost_")
    for k, lam in enumerate(load(name)["lambdas"].ravel())
]


# ----------------------------------------------------------------------------- provenance
def test_fixture_set_is_what_the_generator_writes():
    written = set(re.findall(r"write\('(\w+)'", GENERATOR.read_text()))
    assert written, f"found no write('name', ...) calls in {GENERATOR}"
    assert {p.stem for p in FIXTURES.glob("*.mat")} == written


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.mat")), ids=lambda p: p.name)
def test_fixture_header_says_written_by_octave(path):
    # A MAT v5 file starts with 116 bytes of descriptive text; Octave writes
    # "MATLAB 5.0 MAT-file, written by Octave 7.3.0, <date>", scipy writes
    # "MATLAB 5.0 MAT-file Platform: ..., Created on: ...".
    header = path.read_bytes()[:116]
    assert header.startswith(b"MATLAB 5.0 MAT-file"), header
    assert b"written by Octave" in header, header


# ----------------------------------------------------------------------------- activations
def test_sigmoid_matches_octave():
    d = load("sigmoid")
    z = d["z"]
    assert np.abs(z).max() >= 800  # the grid reaches where exp(-z) overflows
    # Both sides compute 1 / (1 + exp(-z)) from a libm exp: agreement to 2 ulp
    # relative everywhere, including the subnormal-free tail at z = -700.
    assert_allclose(sigmoid(z), d["g"], rtol=2 * EPS, atol=0)


def test_sigmoidGradient_matches_octave():
    d = load("sigmoid")
    z, expected = d["z"], d["gradient"]
    actual = sigmoidGradient(z)
    left = z <= 0
    # z <= 0: Octave's g .* (1 - g) is accurate to a few ulp relative, like nnmat's.
    assert_allclose(actual[left], expected[left], rtol=4 * EPS, atol=0)
    # z > 0: Octave's 1 - g cancels (g rounds to 1.0 from z ~ 37 on, giving 0), so it is
    # only accurate to about eps/2 absolute; nnmat's g(z) g(-z) is the more accurate one.
    assert_allclose(actual[~left], expected[~left], rtol=0, atol=EPS)


# ----------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("k", range(5))
def test_debugInitializeWeights_equals_octave_exactly(k):
    d = load("debug_init")
    fan_out, fan_in = (int(v) for v in d["shapes"][k])
    assert_array_equal(debugInitializeWeights(fan_out, fan_in), d[f"W{k + 1}"], strict=True)


def test_unrollParams_matches_octave_column_major_order():
    d = load("unroll_4layer")
    Thetas = thetas_of(d)
    assert len(Thetas) == 3
    assert_array_equal(unrollParams(Thetas), d["nn_params"][:, 0], strict=True)


def test_rollParams_of_octave_vector_gives_octave_thetas():
    d = load("unroll_4layer")
    rolled = rollParams(d["nn_params"], [int(s) for s in d["layer_sizes"].ravel()])
    for actual, expected in zip(rolled, thetas_of(d), strict=True):
        assert_array_equal(actual, expected, strict=True)


# ----------------------------------------------------------------------------- cost and gradient
@pytest.mark.parametrize(("name", "k"), COST_CASES)
def test_nnCostFunction_matches_octave(name, k):
    d = load(name)
    lam = float(d["lambdas"][0, k])
    J, grad = nnCostFunction(d["nn_params"], *network_args(d["layer_sizes"]), d["X"], d["y"], lam)
    J_oct, grad_oct = d["J"][0, k], d["grad"][:, k]
    assert_allclose(J, J_oct, rtol=0, atol=RTOL_COST * abs(J_oct))
    assert_allclose(grad, grad_oct, rtol=0, atol=RTOL_COST * np.abs(grad_oct).max())


def numgrad_atol(J: float, e: float) -> float:
    """Tolerance between two central-difference gradients computed from different code.

    Each numgrad entry is ``(J(t + e u) - J(t - e u)) / (2 e)``.  The truncation error
    O(e^2) is the same on both sides (same formula, same points), so it cancels; what
    differs is the rounding of each cost, a few ulp of |J| in either implementation.
    Two such errors over 2e give about ``c eps |J| / e``; measured c <= 1.5 on these
    fixtures, and 16 leaves room for other BLAS/libm builds.  That is at most 5e-10
    here (|J| <= 13), while a wrong step or a perturbed neighbour errs by 1e-3 or more.
    """
    return 16 * EPS * abs(J) / e


@pytest.mark.parametrize(("name", "k"), COST_CASES)
def test_computeNumericalGradient_matches_octave(name, k):
    d = load(name)
    lam, e = float(d["lambdas"][0, k]), float(d["e"][0, 0])
    args = (*network_args(d["layer_sizes"]), d["X"], d["y"], lam)
    numgrad = computeNumericalGradient(lambda p: nnCostFunction(p, *args), d["nn_params"], e)
    assert_allclose(numgrad, d["numgrad"][:, k], rtol=0, atol=numgrad_atol(d["J"][0, k], e))


@pytest.mark.parametrize(("name", "k"), COST_CASES)
def test_octave_reference_backprop_passes_its_own_gradient_check(name, k):
    # Guards the reference itself: a fixture from a wrong Octave backprop would make
    # every comparison above meaningless.  The course's pass mark is 1e-9.
    d = load(name)
    grad, numgrad = d["grad"][:, k], d["numgrad"][:, k]
    assert np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad) < 1e-9


@pytest.mark.parametrize("k", [0, 1], ids=["lambda=0", "lambda=3"])
def test_checkNNGradients_matches_octave(k):
    d = load("cost_checknn")
    lam = float(d["lambdas"][0, k])
    check = checkNNGradients(lam)
    grad_oct, numgrad_oct = d["grad"][:, k], d["numgrad"][:, k]
    assert_allclose(check.analytical, grad_oct, rtol=0, atol=RTOL_COST * np.abs(grad_oct).max())
    assert_allclose(
        check.numerical, numgrad_oct, rtol=0, atol=numgrad_atol(d["J"][0, k], float(d["e"][0, 0]))
    )
    assert check.passed


# ----------------------------------------------------------------------------- predict
@pytest.mark.parametrize("name", fixture_names("predict_"))
def test_predict_equals_octave_exactly(name):
    d = load(name)
    p = predict(*thetas_of(d), d["X"])
    assert_array_equal(p, d["p"][:, 0].astype(np.intp), strict=True)


def test_predict_ties_fixture_has_exact_ties_resolved_to_first_label():
    # The fixture must really contain ties, or the test above proves nothing about them.
    d = load("predict_ties")
    h, p = d["h"], d["p"][:, 0]
    assert_array_equal(h[:, 1], h[:, 2])
    assert np.any(p == 2)
    assert not np.any(p == 3)


def test_predict_saturated_fixture_ties_after_the_sigmoid():
    # z2 > z1 before the sigmoid, yet both round to 1.0, so Octave's max says label 1.
    d = load("predict_saturated")
    assert np.all(d["h"][:, 0] == 1.0) and np.all(d["h"][:, 1] == 1.0)
    assert_array_equal(d["p"][:, 0], 1)


# ----------------------------------------------------------------------------- training
def test_trainNN_does_at_least_as_well_as_octave_fminunc():
    d = load("train")
    args = (*network_args(d["layer_sizes"]), d["X"], d["y"], float(d["lambda"][0, 0]))
    maxiter = int(d["maxiter"][0, 0])
    assert int(d["iterations"][0, 0]) == maxiter  # Octave used the whole budget
    with pytest.warns(ConvergenceWarning):
        res = trainNN(d["initial_nn_params"], *args, maxiter=maxiter)
    assert res.nit == maxiter
    J_oct = float(d["J"][0, 0])
    assert res.fun <= J_oct * (1 + 1e-9)
    accuracy = 100 * np.mean(predict(*res.Thetas, d["X"]) == d["y"][:, 0])
    assert abs(accuracy - float(d["accuracy"][0, 0])) <= 1.0
    assert accuracy >= 90  # the problem is learnable: a sanity check on the fixture


def test_octave_trained_params_give_octave_cost_and_labels():
    # Octave's final weights are larger than any test network above: one more point
    # at which cost and predict must agree.
    d = load("train")
    layer_sizes = network_args(d["layer_sizes"])
    J, _ = nnCostFunction(d["nn_params"], *layer_sizes, d["X"], d["y"], float(d["lambda"][0, 0]))
    J_oct = float(d["J"][0, 0])
    assert_allclose(J, J_oct, rtol=0, atol=RTOL_COST * abs(J_oct))
    Thetas = rollParams(d["nn_params"], [layer_sizes[0], *layer_sizes[1], layer_sizes[2]])
    assert_array_equal(predict(*Thetas, d["X"]), d["p"][:, 0].astype(np.intp), strict=True)
