"""Data sets and MAT files: the embedded digits, the course's files, saved parameters.

Three kinds of files, all in the course's conventions (one example per row of ``X``,
labels 1..K with 10 standing for the digit 0, an explicit bias column 0 in every
Theta):

* the embedded digits set, ``nnmat/data/digits.npz`` (see ``nnmat/data/README.md``):
  :func:`load_digits`;
* a MAT file with ``X`` and ``y``, such as the course's ``ex4data1.mat``:
  :func:`load_data`;
* a MAT file with ``Theta1, Theta2, ...``, such as the course's ``ex4weights.mat`` or
  a file written by :func:`save_params`: :func:`load_weights`, checked against data
  with :func:`check_weights_fit`.

Every loader raises ``FileNotFoundError`` or ``ValueError`` with a message that names
the file, says what was expected and what was found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_labels, check_thetas, check_X
from .params import unrollParams

__all__ = [
    "DIGITS_PATH",
    "check_weights_fit",
    "load_data",
    "load_digits",
    "load_weights",
    "save_params",
    "train_test_split",
]

#: The embedded digits file shipped inside the package.
DIGITS_PATH = Path(__file__).resolve().parent / "data" / "digits.npz"

_THETA_NAME = re.compile(r"Theta([1-9][0-9]*)")


def load_digits() -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The embedded 8x8 handwritten digits (UCI, via scikit-learn) in the course's conventions.

    Returns
    -------
    X : ndarray of shape (1797, 64)
        Pixel intensities scaled to [0, 1] (the stored counts 0..16 divided by 16).
        Each row is an 8x8 image unrolled column-major, like the course's
        ``ex4data1.mat``: ``X[i].reshape(8, 8, order="F")`` (Octave:
        ``reshape(X(i, :), 8, 8)``) is the upright image, so ``displayData`` shows
        both data sets the same way.
    y : ndarray of shape (1797,)
        Labels 1..10; 10 stands for the digit 0, as in the course.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, y.shape, int(y.min()), int(y.max())
    ((1797, 64), (1797,), 1, 10)
    """
    with np.load(DIGITS_PATH) as f:
        counts, labels = f["X"], f["y"]
    return counts / 16.0, labels.astype(np.intp)


def _loadmat(path: str | Path) -> dict:
    """``scipy.io.loadmat`` with one clear error per way a file can fail to load."""
    from scipy.io import loadmat  # lazy: scipy.io is only needed for MAT files

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file.")
    if p.is_dir():
        raise ValueError(f"{p} is a directory; expected a MAT file.")
    try:
        return loadmat(p)
    except NotImplementedError:
        # MAT v7.3 files are HDF5 containers, which scipy.io cannot read.
        raise ValueError(
            f"{p} is a MAT v7.3 (HDF5) file, which scipy cannot read; save it again in "
            "Octave with save('-v7', ...) or in MATLAB with save(..., '-v7')."
        ) from None
    except PermissionError:
        raise PermissionError(f"{p}: permission denied.") from None
    except Exception as exc:  # scipy raises ValueError, TypeError, MatReadError, ...
        raise ValueError(f"{p} is not a readable MAT file ({exc}).") from None


def _dense(value: object) -> object:
    """A sparse matrix from a MAT file as a dense array; anything else unchanged."""
    return value.toarray() if hasattr(value, "toarray") else value


def load_data(
    path: str | Path, *, require_labels: bool = True
) -> tuple[NDArray[np.float64], NDArray[np.intp] | None]:
    """Load ``X`` and ``y`` from a MAT file such as the course's ``ex4data1.mat``.

    Parameters
    ----------
    path : str or pathlib.Path
        A MAT file (v4 to v7; not v7.3) holding ``X`` and, unless
        ``require_labels=False``, ``y``.
    require_labels : bool, default True
        Whether ``y`` must be present.  When False and the file has no ``y``,
        ``None`` is returned for it.

    Returns
    -------
    X : ndarray of shape (m, n)
        Finite float64 values, one example per row.
    y : ndarray of shape (m,) or None
        Labels 1..K as integers.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not a readable MAT file, lacks ``X`` or ``y``, or holds values of
        the wrong shape or kind; the message names the file.

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> from scipy.io import savemat
    >>> path = os.path.join(tempfile.mkdtemp(), "d.mat")
    >>> savemat(path, {"X": np.eye(3), "y": np.array([[1], [2], [2]])})
    >>> X, y = load_data(path)
    >>> X.shape, y
    ((3, 3), array([1, 2, 2]))
    """
    p = Path(path)
    contents = _loadmat(p)
    variables = sorted(k for k in contents if not k.startswith("__"))
    missing = [k for k in ("X", "y") if k not in contents and (k == "X" or require_labels)]
    if missing:
        raise ValueError(
            f"{p} has no variable {' or '.join(missing)}; expected X (one example per row)"
            f"{' and y (labels 1..K)' if require_labels else ''}, found "
            f"{', '.join(variables) or 'no variables'}."
        )
    X = np.asarray(_dense(contents["X"]))
    if X.ndim != 2:
        raise ValueError(f"{p}: X must be a matrix with one example per row; got shape {X.shape}.")
    try:
        X = np.array(check_X(X, X.shape[1]), dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{p}: {exc}") from None
    if "y" not in contents:
        return X, None
    return X, _file_labels(p, _dense(contents["y"]), X.shape[0])


def _file_labels(p: Path, y: object, m: int) -> NDArray[np.intp]:
    """Labels 1..K from a MAT file's ``y``, with K taken as their maximum."""
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[0] == 1:
        a = a[0]  # a row vector, as Octave's y' or 1:m would be saved
    if a.dtype.kind not in "biuf" or a.size == 0:
        raise ValueError(f"{p}: y must hold integer labels 1..K; got {a.dtype} of shape {a.shape}.")
    bad = ~np.isfinite(a) | (a != np.round(a))
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(
            f"{p}: y must hold whole-number labels 1..K; element {i} is {float(a.ravel()[i])}."
        )
    lo, hi = a.min(), a.max()
    if lo < 1:
        hint = " They look 0-based: add 1 (in the course, 10 stands for the digit 0)."
        raise ValueError(
            f"{p}: y holds labels from {lo:g} to {hi:g}; nnmat needs the course's "
            f"labels 1..K.{hint if lo == 0 else ''}"
        )
    try:
        return check_labels(a, m, int(hi)) + 1
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{p}: {exc}") from None


def load_weights(path: str | Path) -> list[NDArray[np.float64]]:
    """Load ``Theta1, Theta2, ...`` from a MAT file such as the course's ``ex4weights.mat``.

    Parameters
    ----------
    path : str or pathlib.Path
        A MAT file with ``Theta1`` .. ``ThetaL`` (numbered without gaps); other
        variables, such as ``nn_params`` written by :func:`save_params`, are ignored.

    Returns
    -------
    list of ndarray
        ``Thetas[l]`` of shape ``(n_out, n_in + 1)``, bias in column 0, float64.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not a readable MAT file, has no Thetas, skips a number, or the
        shapes do not chain (``Theta{l+1}`` needs ``Theta{l}``'s rows plus one columns).

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "w.mat")
    >>> save_params(path, [np.zeros((25, 65)), np.zeros((10, 26))])
    >>> [T.shape for T in load_weights(path)]
    [(25, 65), (10, 26)]
    """
    p = Path(path)
    contents = _loadmat(p)
    numbers = sorted(int(m.group(1)) for k in contents if (m := _THETA_NAME.fullmatch(k)))
    if not numbers:
        found = sorted(k for k in contents if not k.startswith("__"))
        raise ValueError(
            f"{p} has no Theta1; expected weight matrices Theta1, Theta2, ... "
            f"(as in ex4weights.mat), found {', '.join(found) or 'no variables'}."
        )
    expected = list(range(1, len(numbers) + 1))
    if numbers != expected:
        gap = next(i for i, k in zip(expected, numbers, strict=True) if i != k)
        raise ValueError(
            f"{p} has {', '.join(f'Theta{k}' for k in numbers)} but no Theta{gap}; "
            "the weight matrices must be numbered from 1 without gaps."
        )
    try:
        Thetas = check_thetas([_dense(contents[f"Theta{k}"]) for k in expected])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{p}: {exc}") from None
    return [np.array(t, dtype=np.float64) for t in Thetas]  # our own copies


def check_weights_fit(
    Thetas: Sequence[NDArray], X: NDArray, y: NDArray | None = None, *, name: str = "the weights"
) -> None:
    """Raise ``ValueError`` unless the network ``Thetas`` can take ``X`` (and ``y``).

    Parameters
    ----------
    Thetas : sequence of ndarray
        Weight matrices as returned by :func:`load_weights`.
    X : ndarray of shape (m, n)
        Data; ``Theta1`` must have ``n + 1`` columns.
    y : ndarray of shape (m,), optional
        Labels; the last Theta must have at least ``max(y)`` rows (one per class).
    name : str
        How the message refers to the weights, e.g. the file name.

    Examples
    --------
    >>> import numpy as np
    >>> check_weights_fit([np.zeros((25, 401)), np.zeros((10, 26))], np.zeros((5, 64)))
    Traceback (most recent call last):
    ...
    ValueError: the weights take 400 features per example (Theta1 has 401 columns) but the \
data has 64 (X of shape (5, 64)); use weights trained on data of this kind.
    """
    n_in = Thetas[0].shape[1] - 1
    if X.shape[1] != n_in:
        raise ValueError(
            f"{name} take {n_in} features per example (Theta1 has {n_in + 1} columns) but "
            f"the data has {X.shape[1]} (X of shape {X.shape}); use weights trained on "
            "data of this kind."
        )
    num_labels = Thetas[-1].shape[0]
    if y is not None and y.max() > num_labels:
        raise ValueError(
            f"{name} have {num_labels} output units (Theta{len(Thetas)} has {num_labels} "
            f"rows) but the labels go up to {y.max()}; use weights trained on data with "
            "these labels."
        )


def save_params(path: str | Path, Thetas: Sequence[ArrayLike]) -> None:
    """Write the weights as a MAT file that Octave's ``load`` and :func:`load_weights` read.

    The file holds ``Theta1, Theta2, ...``, the unrolled column
    ``nn_params = [Theta1(:); Theta2(:); ...]`` and ``layer_sizes``, a row vector
    such as ``[64 25 10]``, in MAT v5 format.

    Parameters
    ----------
    path : str or pathlib.Path
        File to write (overwritten); its folder must exist.
    Thetas : sequence of array_like
        Weight matrices, bias in column 0.

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> from scipy.io import loadmat
    >>> path = os.path.join(tempfile.mkdtemp(), "params.mat")
    >>> save_params(path, [np.ones((2, 4)), np.ones((3, 3))])
    >>> saved = loadmat(path)
    >>> saved["nn_params"].shape, saved["layer_sizes"]
    ((17, 1), array([[3., 2., 3.]]))

    In Octave: ``load(path)`` then ``predict(Theta1, Theta2, X)``.
    """
    from scipy.io import savemat  # lazy: scipy.io is only needed for MAT files

    mats = [np.asarray(t, dtype=np.float64) for t in Thetas]
    layer_sizes = [mats[0].shape[1] - 1] + [t.shape[0] for t in mats]
    contents = {f"Theta{k}": t for k, t in enumerate(mats, start=1)}
    contents["nn_params"] = unrollParams(mats).reshape(-1, 1)
    contents["layer_sizes"] = np.array([layer_sizes], dtype=np.float64)
    savemat(Path(path), contents, format="5", oned_as="column")


def train_test_split(
    y: ArrayLike, test_size: float, rng: np.random.Generator
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Split example indices into training and held-out sets, stratified by label.

    Each label contributes ``round(test_size * count)`` randomly chosen examples to
    the held-out set, so both sets keep the classes' proportions.

    Parameters
    ----------
    y : array_like of shape (m,)
        Labels.
    test_size : float
        Fraction held out, in [0, 1).  0 holds nothing out.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    train, test : ndarray of int
        Sorted indices into ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> y = [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    >>> train, test = train_test_split(y, 0.5, np.random.default_rng(0))
    >>> len(train), len(test)
    (5, 5)
    """
    labels = np.asarray(y)
    if not 0 <= test_size < 1:
        raise ValueError(f"test_size must be in [0, 1); got {test_size}.")
    held_out = [
        rng.permutation(np.flatnonzero(labels == k))[: round(test_size * np.sum(labels == k))]
        for k in np.unique(labels)
    ]
    test = np.sort(np.concatenate(held_out)).astype(np.intp)
    train = np.setdiff1d(np.arange(labels.shape[0]), test).astype(np.intp)
    return train, test
