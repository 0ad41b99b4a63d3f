"""Tests for nnmat.data: the embedded digits, MAT loaders, saved parameters, the split."""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.io import loadmat, savemat
from scipy.sparse import csr_matrix

from nnmat import predict, randInitializeWeights, unrollParams
from nnmat.data import (
    check_weights_fit,
    load_data,
    load_digits,
    load_weights,
    save_params,
    train_test_split,
)


# ----------------------------------------------------------------------------- load_digits
def test_load_digits_shapes_range_and_labels():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() == 1.0
    # Label counts of scikit-learn's copy, digits 1..9 then 0 (label 10).
    assert_array_equal(np.bincount(y)[1:], [182, 177, 183, 181, 182, 181, 179, 174, 180, 178])
    assert X.sum() * 16 == 561718  # pixel counts stored as integers 0..16


def test_load_digits_rows_are_column_major_images():
    X, y = load_digits()
    # The first image of the UCI test set is a 0 (label 10); its top two rows, as
    # printed by sklearn.datasets.load_digits().images[0][:2]:
    image = X[0].reshape(8, 8, order="F") * 16
    assert y[0] == 10
    assert_array_equal(image[:2], [[0, 0, 5, 13, 9, 1, 0, 0], [0, 0, 13, 15, 10, 15, 5, 0]])


def test_load_digits_matches_scikit_learn():
    datasets = pytest.importorskip("sklearn.datasets")
    d = datasets.load_digits()
    X, y = load_digits()
    assert_array_equal(X.reshape(-1, 8, 8).transpose(0, 2, 1) * 16, d.images)
    assert_array_equal(y % 10, d.target)


def test_load_digits_returns_fresh_arrays():
    X1, y1 = load_digits()
    X1[:] = -1
    y1[:] = 0
    X2, y2 = load_digits()
    assert X2.min() == 0 and y2.min() == 1


# ----------------------------------------------------------------------------- load_data
def _mat(tmp_path, name="data.mat", **variables):
    path = tmp_path / name
    savemat(path, variables)
    return path


@pytest.mark.parametrize(
    "y_saved",
    [np.array([[1], [3], [2], [3]]), np.array([[1, 3, 2, 3]]), np.array([1.0, 3.0, 2.0, 3.0])],
    ids=["column", "row", "float"],
)
def test_load_data_reads_X_and_y(tmp_path, y_saved):
    X_saved = np.arange(12, dtype=np.uint8).reshape(4, 3)
    X, y = load_data(_mat(tmp_path, X=X_saved, y=y_saved))
    assert X.dtype == np.float64 and X.shape == (4, 3)
    assert_array_equal(X, X_saved)
    assert y.shape == (4,) and y.dtype.kind == "i"
    assert_array_equal(y, [1, 3, 2, 3])


def test_load_data_densifies_sparse_X(tmp_path):
    X_saved = np.eye(3)
    X, _ = load_data(_mat(tmp_path, X=csr_matrix(X_saved), y=np.array([[1], [2], [1]])))
    assert isinstance(X, np.ndarray)
    assert_array_equal(X, X_saved)


def test_load_data_without_labels_when_allowed(tmp_path):
    X, y = load_data(_mat(tmp_path, X=np.ones((2, 2))), require_labels=False)
    assert X.shape == (2, 2) and y is None


def test_load_data_missing_file(tmp_path):
    path = tmp_path / "nope.mat"
    with pytest.raises(FileNotFoundError, match=re.escape(f"{path}: no such file.")):
        load_data(path)


def test_load_data_directory(tmp_path):
    with pytest.raises(
        ValueError, match=re.escape(f"{tmp_path} is a directory; expected a MAT file.")
    ):
        load_data(tmp_path)


@pytest.mark.parametrize(
    ("content", "detail"),
    [(b"hello\n", "Mat file appears to be truncated"), (b"", "Mat file appears to be truncated")],
    ids=["text", "empty"],
)
def test_load_data_not_a_mat_file(tmp_path, content, detail):
    path = tmp_path / "data.mat"
    path.write_bytes(content)
    with pytest.raises(
        ValueError, match=re.escape(f"{path} is not a readable MAT file ({detail}).")
    ):
        load_data(path)


def test_load_data_v73_file(tmp_path):
    # The 128-byte header of a MAT v7.3 (HDF5) file: version 0x0200, endian "IM".
    path = tmp_path / "data.mat"
    header = b"MATLAB 7.3 MAT-file".ljust(116, b" ") + bytes(8) + b"\x00\x02IM"
    path.write_bytes(header + bytes(512))
    with pytest.raises(
        ValueError,
        match=re.escape(
            f"{path} is a MAT v7.3 (HDF5) file, which scipy cannot read; save it again in "
            "Octave with save('-v7', ...) or in MATLAB with save(..., '-v7')."
        ),
    ):
        load_data(path)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"Z": np.ones(2)},
            "{p} has no variable X or y; expected X (one example per row) and y (labels "
            "1..K), found Z.",
        ),
        (
            {"X": np.ones((2, 2))},
            "{p} has no variable y; expected X (one example per row) and y (labels 1..K), found X.",
        ),
        (
            {"X": np.ones((2, 2, 2)), "y": np.ones(2)},
            "{p}: X must be a matrix with one example per row; got shape (2, 2, 2).",
        ),
        (
            {"X": np.array([[1.0, np.nan]]), "y": np.ones(1)},
            "{p}: X contains NaN or inf (first at row 0, column 1); remove or impute those values.",
        ),
        (
            {"X": np.ones((3, 2)), "y": np.array([[1], [2]])},
            "{p}: y has 2 labels but X has 3 rows; pass one label per example.",
        ),
        (
            {"X": np.ones((3, 2)), "y": np.array([[0], [1], [9]])},
            "{p}: y holds labels from 0 to 9; nnmat needs the course's labels 1..K. They "
            "look 0-based: add 1 (in the course, 10 stands for the digit 0).",
        ),
        (
            {"X": np.ones((2, 2)), "y": np.array([[1.0], [1.5]])},
            "{p}: y must hold whole-number labels 1..K; element 1 is 1.5.",
        ),
        (
            {"X": np.ones((2, 2)), "y": "ab"},
            "{p}: y must hold integer labels 1..K; got <U2 of shape (1,).",
        ),
    ],
    ids=["no-X", "no-y", "X-3d", "X-nan", "y-length", "y-0-based", "y-fraction", "y-text"],
)
def test_load_data_bad_contents(tmp_path, variables, message):
    path = _mat(tmp_path, **variables)
    with pytest.raises(ValueError, match=re.escape(message.format(p=path))):
        load_data(path)


# ----------------------------------------------------------------------------- weights
def test_load_weights_reads_the_course_file(ex4weights_path, ex4weights):
    Theta1, Theta2 = load_weights(ex4weights_path)
    assert Theta1.shape == (25, 401) and Theta2.shape == (10, 26)
    assert_array_equal(Theta1, ex4weights["Theta1"])
    assert_array_equal(Theta2, ex4weights["Theta2"])


def test_save_params_round_trip_keeps_weights_and_predictions(tmp_path, rng):
    Thetas = [
        randInitializeWeights(6, 5, rng=rng),
        randInitializeWeights(5, 4, rng=rng),
        randInitializeWeights(4, 3, rng=rng),
    ]
    X = rng.normal(size=(30, 6))
    path = tmp_path / "params.mat"
    save_params(path, Thetas)
    loaded = load_weights(path)
    assert len(loaded) == 3
    for a, b in zip(loaded, Thetas, strict=True):
        assert_array_equal(a, b)
    assert_array_equal(predict(*loaded, X), predict(*Thetas, X))


def test_save_params_writes_octave_layout(tmp_path, rng):
    Thetas = [randInitializeWeights(3, 2, rng=rng), randInitializeWeights(2, 4, rng=rng)]
    path = tmp_path / "params.mat"
    save_params(path, Thetas)
    contents = loadmat(path)
    assert contents["nn_params"].shape == (2 * 4 + 4 * 3, 1)
    # nn_params = [Theta1(:); Theta2(:)]: each Theta's columns one after another.
    assert_array_equal(contents["nn_params"][:2, 0], Thetas[0][:, 0])
    assert_array_equal(contents["nn_params"][2:4, 0], Thetas[0][:, 1])
    assert_array_equal(contents["nn_params"][:, 0], unrollParams(Thetas))
    assert_array_equal(contents["layer_sizes"], [[3, 2, 4]])


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"W": np.ones((2, 2))},
            "{p} has no Theta1; expected weight matrices Theta1, Theta2, ... (as in "
            "ex4weights.mat), found W.",
        ),
        (
            {"Theta1": np.ones((2, 3)), "Theta3": np.ones((2, 3))},
            "{p} has Theta1, Theta3 but no Theta2; the weight matrices must be numbered "
            "from 1 without gaps.",
        ),
        (
            {"Theta1": np.ones((25, 401)), "Theta2": np.ones((10, 25))},
            "{p}: Theta2 has shape (10, 25) but Theta1 has shape (25, 401): Theta2 needs 26 "
            "columns (Theta1's 25 outputs plus the bias).",
        ),
        (
            {"Theta1": np.ones((2, 2, 2))},
            "{p}: Theta1 must be 2-D of shape (n_out, n_in + 1) with the bias in "
            "column 0; got shape (2, 2, 2).",
        ),
        (
            {"Theta1": np.array([[1.0, np.inf]])},
            "{p}: Theta1 contains NaN or inf; weights must be finite.",
        ),
    ],
    ids=["no-theta", "gap", "chain", "not-matrix", "inf"],
)
def test_load_weights_bad_contents(tmp_path, variables, message):
    path = _mat(tmp_path, "w.mat", **variables)
    with pytest.raises(ValueError, match=re.escape(message.format(p=path))):
        load_weights(path)


def test_load_weights_missing_file(tmp_path):
    path = tmp_path / "w.mat"
    with pytest.raises(FileNotFoundError, match=re.escape(f"{path}: no such file.")):
        load_weights(path)


def test_check_weights_fit_features():
    Thetas = [np.zeros((25, 401)), np.zeros((10, 26))]
    with pytest.raises(
        ValueError,
        match=re.escape(
            "w.mat take 400 features per example (Theta1 has 401 columns) but the data has "
            "64 (X of shape (7, 64)); use weights trained on data of this kind."
        ),
    ):
        check_weights_fit(Thetas, np.zeros((7, 64)), name="w.mat")


def test_check_weights_fit_labels():
    Thetas = [np.zeros((4, 3)), np.zeros((3, 5))]
    with pytest.raises(
        ValueError,
        match=re.escape(
            "the weights have 3 output units (Theta2 has 3 rows) but the labels go up to 10; "
            "use weights trained on data with these labels."
        ),
    ):
        check_weights_fit(Thetas, np.zeros((2, 2)), np.array([1, 10]))


def test_check_weights_fit_accepts_fitting_data():
    Thetas = [np.zeros((4, 3)), np.zeros((3, 5))]
    assert check_weights_fit(Thetas, np.zeros((2, 2)), np.array([1, 3])) is None


# ----------------------------------------------------------------------------- split
def test_train_test_split_is_stratified_disjoint_and_complete():
    y = np.repeat([1, 2, 3], [10, 20, 30])
    train, test = train_test_split(y, 0.2, np.random.default_rng(0))
    assert_array_equal(np.bincount(y[test]), [0, 2, 4, 6])
    assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(60))
    assert np.all(np.diff(test) > 0) and np.all(np.diff(train) > 0)


def test_train_test_split_is_seeded():
    y = np.repeat([1, 2], 50)
    a = train_test_split(y, 0.3, np.random.default_rng(5))[1]
    b = train_test_split(y, 0.3, np.random.default_rng(5))[1]
    c = train_test_split(y, 0.3, np.random.default_rng(6))[1]
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_train_test_split_zero_holds_nothing_out():
    train, test = train_test_split([1, 2, 2], 0.0, np.random.default_rng(0))
    assert_array_equal(train, [0, 1, 2])
    assert test.size == 0


@pytest.mark.parametrize("test_size", [-0.1, 1.0])
def test_train_test_split_rejects_bad_fraction(test_size):
    with pytest.raises(
        ValueError, match=re.escape(f"test_size must be in [0, 1); got {test_size}.")
    ):
        train_test_split([1, 2], test_size, np.random.default_rng(0))


def test_load_digits_scaled_counts_are_exact():
    X, _ = load_digits()
    assert_allclose(X * 16, np.round(X * 16), rtol=0, atol=0)
