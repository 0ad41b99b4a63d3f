"""Shared fixtures for the nnmat test suite."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest


def _find_ex4_dir() -> Path:
    """Where the course's files are: $NNMAT_EX4_DIR, else ../shared/ex4 next to the clone,
    else the workplace's /work/shared/ex4 (CI clones elsewhere)."""
    candidates = [
        os.environ.get("NNMAT_EX4_DIR"),
        Path(__file__).resolve().parents[2] / "shared" / "ex4",
        "/work/shared/ex4",
    ]
    for c in candidates:
        if c and (Path(c) / "ex4weights.mat").exists():
            return Path(c)
    return Path(candidates[1])


SHARED_EX4 = _find_ex4_dir()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator: every test that draws random numbers is reproducible."""
    return np.random.default_rng(20261203)


@pytest.fixture(scope="session")
def ex4weights() -> dict:
    """The course's pretrained 400-25-10 weights, or a skip when the file is absent."""
    path = SHARED_EX4 / "ex4weights.mat"
    if not path.exists():
        pytest.skip(f"the course's ex4weights.mat is not at {path} (set NNMAT_EX4_DIR)")
    from scipy.io import loadmat

    return loadmat(path)


@pytest.fixture(scope="session")
def ex4weights_path() -> Path:
    """Path of the course's ex4weights.mat, for tests of loaders and commands; skips when absent."""
    path = SHARED_EX4 / "ex4weights.mat"
    if not path.exists():
        pytest.skip(f"the course's ex4weights.mat is not at {path} (set NNMAT_EX4_DIR)")
    return path


@pytest.fixture(scope="session")
def octave_cli() -> str:
    """Path of GNU Octave's ``octave-cli`` for the live tests (marker ``octave``).

    Skips when it is not on PATH, unless ``NNMAT_REQUIRE_OCTAVE=1`` (as in CI), when the
    test fails instead (reported as an error in its setup): CI must never pass by skipping.
    """
    path = shutil.which("octave-cli")
    if path is None:
        reason = "octave-cli is not on PATH; install GNU Octave (apt-get install -y octave)"
        if os.environ.get("NNMAT_REQUIRE_OCTAVE") == "1":
            pytest.fail(f"{reason}. NNMAT_REQUIRE_OCTAVE=1 requires the live Octave tests to run.")
        pytest.skip(reason)
    return path
