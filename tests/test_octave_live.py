"""Live comparisons with GNU Octave (marker ``octave``; see the ``octave_cli`` fixture).

1. Regenerating every fixture with the documented command gives the committed ones.
2. Weights trained by nnmat, saved with ``scipy.io.savemat`` and loaded by Octave, make
   the reference ``predict.m`` give nnmat's labels.
"""

from __future__ import annotations

import subprocess
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy.io import loadmat, savemat

from nnmat import ConvergenceWarning, predict, randInitializeWeights, trainNN, unrollParams

pytestmark = pytest.mark.octave

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "reference_octave"
FIXTURES = ROOT / "tests" / "fixtures"
COMMITTED = sorted(p.name for p in FIXTURES.glob("*.mat"))
# The command documented in reference_octave/README.md, run from the repository root;
# --no-history keeps Octave 7 from complaining on stderr about its history file at exit.
OCTAVE_FLAGS = ["--no-gui", "--norc", "--quiet", "--no-history"]


def run_octave(octave_cli: str, *args: str) -> None:
    proc = subprocess.run(
        [octave_cli, *OCTAVE_FLAGS, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"octave-cli failed ({proc.returncode}):\n{proc.stderr}"


@pytest.fixture(scope="module")
def regenerated(octave_cli: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every fixture freshly written by Octave."""
    out = tmp_path_factory.mktemp("fixtures")
    run_octave(octave_cli, "reference_octave/make_fixtures.m", str(out))
    return out


def variables(path: Path) -> dict:
    return {k: v for k, v in loadmat(path).items() if not k.startswith("__")}


def test_regeneration_writes_exactly_the_committed_files(regenerated):
    assert sorted(p.name for p in regenerated.glob("*.mat")) == COMMITTED


@pytest.mark.parametrize("name", COMMITTED)
def test_regenerated_fixture_equals_committed(regenerated, name):
    # The MAT header holds a timestamp, so compare the loaded variables, not bytes.
    # Same Octave, same libm and BLAS, no randomness: the arrays are bit-identical.
    fresh, committed = variables(regenerated / name), variables(FIXTURES / name)
    assert fresh.keys() == committed.keys()
    for key, value in committed.items():
        assert_array_equal(fresh[key], value, strict=True, err_msg=f"{name}: {key}")


@pytest.mark.parametrize("hidden", [(6,), (6, 4)], ids=["depth1", "depth2"])
def test_octave_predict_of_nnmat_trained_weights_gives_nnmat_labels(
    octave_cli, tmp_path, rng, hidden
):
    m, n, num_labels = 120, 4, 3
    X = rng.normal(size=(m, n))
    y = 1 + (X[:, 0] > 0) + (X[:, 1] + X[:, 2] > 0.5)
    sizes = (n, *hidden, num_labels)
    p0 = unrollParams([randInitializeWeights(a, b, rng=rng) for a, b in pairwise(sizes)])
    with pytest.warns(ConvergenceWarning):
        res = trainNN(p0, n, list(hidden), num_labels, X, y, 0.1, maxiter=25)
    labels = predict(*res.Thetas, X)
    assert len(np.unique(labels)) == num_labels  # a trained net, not a constant

    weights, out = tmp_path / "nnmat_weights.mat", tmp_path / "octave_labels.mat"
    thetas = {f"Theta{i + 1}": t for i, t in enumerate(res.Thetas)}
    savemat(weights, {**thetas, "X": X})
    theta_args = ", ".join(thetas)
    run_octave(
        octave_cli,
        "--eval",
        f"addpath('{REFERENCE}'); load('{weights}'); p = predict({theta_args}, X); "
        f"save('-v7', '{out}', 'p');",
    )
    assert_array_equal(loadmat(out)["p"][:, 0].astype(np.intp), labels, strict=True)
