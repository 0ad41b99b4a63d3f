"""Tests for nnmat.plotting: displayData's grid, the PNG files, and life without matplotlib."""

from __future__ import annotations

import math
import re
import sys

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from nnmat.plotting import PLOT_HINT, display_array, image_width, save_pictures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def no_matplotlib(monkeypatch):
    """Make every ``import matplotlib...`` fail, as on a machine without it."""
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)


@pytest.mark.parametrize(("n", "width"), [(400, 20), (64, 8), (1, 1), (6, 2), (10, None)])
def test_image_width(n, width):
    # round(sqrt(n)) as displayData.m; None when it does not divide n.
    assert image_width(n) == width


def test_display_array_hand_worked():
    # Three 2x2 images, unrolled column-major: [a b c d] is [[a c], [b d]].
    # floor(sqrt(3)) = 1 row, ceil(3 / 1) = 3 columns; border -1 one pixel wide.
    # Each image is divided by its largest |value|: 4, 2 and (all zero) left as is.
    X = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, -2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    expected = np.array(
        [
            [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
            [-1, 0.25, 0.75, -1, 0.0, 0.5, -1, 0, 0, -1],
            [-1, 0.5, 1.0, -1, -1.0, 0.0, -1, 0, 0, -1],
            [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
        ]
    )
    assert_array_equal(display_array(X), expected)


def _display_array_loop(X, width):
    """displayData.m's loops transcribed literally (0-based), for comparison."""
    m, n = X.shape
    height, pad = n // width, 1
    rows = math.floor(math.sqrt(m))
    cols = math.ceil(m / rows)
    out = -np.ones((pad + rows * (height + pad), pad + cols * (width + pad)))
    ex = 0
    for j in range(rows):
        for i in range(cols):
            if ex >= m:
                break
            max_val = np.max(np.abs(X[ex]))
            r0 = pad + j * (height + pad)
            c0 = pad + i * (width + pad)
            out[r0 : r0 + height, c0 : c0 + width] = (
                X[ex].reshape(height, width, order="F") / max_val
            )
            ex += 1
    return out


@pytest.mark.parametrize(("m", "width", "height"), [(7, 3, 4), (10, 5, 2), (16, 4, 4), (1, 2, 3)])
def test_display_array_matches_the_course_loops(rng, m, width, height):
    X = rng.normal(size=(m, width * height))
    assert_array_equal(display_array(X, example_width=width), _display_array_loop(X, width))


def test_display_array_does_not_modify_X(rng):
    X = rng.normal(size=(4, 9))
    before = X.copy()
    display_array(X)
    assert_array_equal(X, before)


@pytest.mark.parametrize(
    ("X", "width", "message"),
    [
        (np.ones((2, 10)), None, "rows of 10 pixels do not form images of width 3; pass "),
        (np.ones((2, 10)), 3, "rows of 10 pixels do not form images of width 3; pass "),
        (np.ones((0, 4)), None, "X must be 2-D with one image per row; got shape (0, 4)."),
    ],
)
def test_display_array_rejects_non_images(X, width, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        display_array(X, example_width=width)


def test_displayData_draws_the_grid(rng):
    pytest.importorskip("matplotlib")
    from nnmat.plotting import displayData

    X = rng.uniform(size=(9, 16))
    image, grid = displayData(X)
    assert_array_equal(image.get_array(), display_array(X))
    assert_array_equal(grid, display_array(X))
    assert image.get_clim() == (-1, 1)


def test_save_pictures_writes_non_empty_pngs(tmp_path, rng):
    pytest.importorskip("matplotlib")
    paths = save_pictures(
        tmp_path,
        samples=rng.uniform(size=(100, 64)),
        Thetas=[rng.normal(size=(25, 65)), rng.normal(size=(10, 26))],
        cost_history=np.geomspace(3.0, 0.3, 50),
        prefix="ex4-",
    )
    assert [p.name for p in paths] == ["ex4-digits.png", "ex4-hidden.png", "ex4-cost.png"]
    for p in paths:
        assert p.read_bytes()[:8] == PNG_SIGNATURE
        assert p.stat().st_size > 1000
    assert sorted(tmp_path.iterdir()) == sorted(paths)


def test_save_pictures_only_cost_curve_for_non_images(tmp_path, rng):
    pytest.importorskip("matplotlib")
    paths = save_pictures(
        tmp_path,
        samples=rng.uniform(size=(5, 10)),
        Thetas=[rng.normal(size=(3, 11))],
        cost_history=[2.0, 1.0],
    )
    assert [p.name for p in paths] == ["cost.png"]


def test_save_pictures_without_matplotlib(tmp_path, rng, no_matplotlib):
    with pytest.raises(
        ImportError, match=re.escape(f"pictures need matplotlib; install it with {PLOT_HINT}")
    ):
        save_pictures(
            tmp_path,
            samples=rng.uniform(size=(4, 4)),
            Thetas=[rng.normal(size=(2, 5))],
            cost_history=[1.0],
        )
    assert list(tmp_path.iterdir()) == []


def test_importing_nnmat_plotting_does_not_import_matplotlib():
    import subprocess

    code = "import sys, nnmat.plotting, nnmat.cli; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
