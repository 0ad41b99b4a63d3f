"""Tests for the nnmat command: each subcommand in-process, error paths, saved files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.io import loadmat, savemat

from nnmat import predict
from nnmat.cli import COMMANDS, build_parser, main
from nnmat.data import load_digits, load_weights
from nnmat.plotting import PLOT_HINT

ROOT = Path(__file__).resolve().parents[1]
# The course's pretrained weights penalize lambda/(2m) * 480.70346964802 (bias columns
# excluded): the handout's 0.096140693929605 per unit of lambda at m = 5000.
EX4WEIGHTS_SQUARED = 0.096140693929605 * 2 * 5000


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def three_class_mat(tmp_path, rng) -> Path:
    """A small separable problem in a MAT file: 90 examples, 4 features, labels 1..3."""
    X = rng.normal(size=(90, 4))
    y = 1 + (X[:, 0] > 0) + (X[:, 1] > 0.5)
    path = tmp_path / "three.mat"
    savemat(path, {"X": X, "y": y.reshape(-1, 1).astype(float)})
    return path


# ----------------------------------------------------------------------------- ex4
def test_ex4_runs_the_whole_exercise(capsys, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "ex4", "--maxiter", "5", "--out", str(out_dir))
    assert code == 0 and err == ""
    assert (
        "the embedded digits (UCI, via scikit-learn; 8x8 images), 1797 examples of 64 features"
        in out
    )
    assert "X (1797, 64) values in [0, 1]; y (1797,) labels 1..10 (10 is the digit 0)" in out
    # The handout's sigmoidGradient values.
    assert (
        "sigmoidGradient at [-1 -0.5 0 0.5 1]: 0.196612 0.235004 0.250000 0.235004 0.196612" in out
    )
    checks = re.findall(r"lambda = (\d): relative difference (\S+) \(threshold 1e-09\) (\w+)", out)
    assert [(lam, verdict) for lam, _, verdict in checks] == [("0", "PASS"), ("3", "PASS")]
    assert all(float(diff) < 1e-9 for _, diff, _ in checks)
    assert "network 64-25-10 (Theta1 (25, 65), Theta2 (10, 26)), 1885 parameters" in out
    assert (
        "Held out: 359 of 1797 examples (20%, stratified by label, seed 0); training on 1438" in out
    )
    iterations = re.findall(r"Iteration +(\d+) \| Cost: (\S+) \| +(\S+) s", out)
    assert [int(i) for i, _, _ in iterations] == [1, 2, 3, 4, 5]
    costs = [float(c) for _, c, _ in iterations]
    assert costs == sorted(costs, reverse=True)  # L-BFGS-B never increases the cost
    assert "note: stopped at the iteration limit (5) before converging" in out
    assert re.search(r"Training set accuracy: \d+\.\d\d% \(\d+ of 1438\)", out)
    assert re.search(r"Held-out accuracy: +\d+\.\d\d% \(\d+ of 359\)", out)
    assert f"Saved {out_dir / 'params.mat'} (Theta1, Theta2, nn_params, layer_sizes)" in out


@pytest.mark.slow
def test_ex4_defaults_reach_the_accuracy_target(capsys, tmp_path):
    code, out, _ = run(capsys, "ex4", "--no-plots", "--out", str(tmp_path))
    assert code == 0
    held_out = float(re.search(r"Held-out accuracy: +([\d.]+)%", out).group(1))
    assert held_out >= 97.0


def test_ex4_with_the_course_weights(capsys, tmp_path, rng, ex4weights_path):
    # ex4data1.mat is not available here; any 400-feature data shows the wiring, and
    # the handout's regularization term pins the lambda dependence of the costs.
    m = 50
    data = tmp_path / "digits400.mat"
    savemat(data, {"X": rng.uniform(size=(m, 400)), "y": rng.integers(1, 11, size=(m, 1))})
    code, out, err = run(
        capsys,
        "ex4",
        "--data",
        str(data),
        "--weights",
        str(ex4weights_path),
        "--maxiter",
        "2",
        "--no-plots",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0 and err == ""
    assert f"Feedforward with {ex4weights_path}: network 400-25-10" in out
    costs = {float(lam): float(J) for lam, J in re.findall(r"cost at lambda = (\d): (\S+)", out)}
    assert list(costs) == [0.0, 1.0, 3.0]
    penalty = EX4WEIGHTS_SQUARED / (2 * m)
    assert_allclose(costs[1.0] - costs[0.0], penalty, atol=2e-6)
    assert_allclose(costs[3.0] - costs[0.0], 3 * penalty, atol=2e-6)
    assert re.search(r"accuracy on all examples: \d+\.\d\d% \(\d+ of 50\)", out)


# ----------------------------------------------------------------------------- train
def test_train_any_depth_on_a_mat_file(capsys, tmp_path, three_class_mat):
    out_dir = tmp_path / "out"
    code, out, err = run(
        capsys,
        "train",
        "--data",
        str(three_class_mat),
        "--hidden",
        "6,5",
        "--lambda",
        "0.1",
        "--maxiter",
        "30",
        "--method",
        "CG",
        "--seed",
        "3",
        "--no-plots",
        "--out",
        str(out_dir),
    )
    assert code == 0 and err == ""
    assert f"Data: {three_class_mat}, 90 examples of 4 features" in out
    assert "network 4-6-5-3 (Theta1 (6, 5), Theta2 (5, 7), Theta3 (3, 6))" in out
    assert "Training: CG, lambda = 0.1, at most 30 iterations" in out
    assert [p.name for p in out_dir.iterdir()] == ["params.mat"]
    assert [t.shape for t in load_weights(out_dir / "params.mat")] == [(6, 5), (5, 7), (3, 6)]


def test_train_is_reproducible_with_a_seed(capsys, tmp_path, three_class_mat):
    args = ["train", "--data", str(three_class_mat), "--maxiter", "10", "--no-plots"]
    run(capsys, *args, "--seed", "7", "--out", str(tmp_path / "a"))
    run(capsys, *args, "--seed", "7", "--out", str(tmp_path / "b"))
    run(capsys, *args, "--seed", "8", "--out", str(tmp_path / "c"))
    a, b, c = (loadmat(tmp_path / d / "params.mat")["nn_params"] for d in "abc")
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# ----------------------------------------------------------------------------- predict
def test_saved_parameters_round_trip_through_predict(capsys, tmp_path):
    out_dir = tmp_path / "out"
    code, trained, _ = run(
        capsys, "train", "--maxiter", "20", "--test-size", "0", "--no-plots", "--out", str(out_dir)
    )
    assert code == 0
    accuracy = re.search(r"Training set accuracy: (.*)", trained).group(1)
    code, out, err = run(
        capsys,
        "predict",
        "--weights",
        str(out_dir / "params.mat"),
        "--save-labels",
        "--out",
        str(out_dir),
    )
    assert code == 0 and err == ""
    assert f"Accuracy: {accuracy}" in out
    X, _ = load_digits()
    labels = np.loadtxt(out_dir / "labels.txt", dtype=int)
    assert_array_equal(labels, predict(*load_weights(out_dir / "params.mat"), X))


def test_predict_without_labels(capsys, tmp_path, three_class_mat):
    run(capsys, "train", "--data", str(three_class_mat), "--maxiter", "5", "--no-plots",
        "--out", str(tmp_path / "out"))  # fmt: skip
    X_only = tmp_path / "x.mat"
    savemat(X_only, {"X": loadmat(three_class_mat)["X"][:7]})
    code, out, _ = run(capsys, "predict", "--weights", str(tmp_path / "out" / "params.mat"),
                       "--data", str(X_only), "--out", str(tmp_path / "p"))  # fmt: skip
    assert code == 0
    assert "Predicted 7 labels (the data has no y, so no accuracy)" in out
    assert not (tmp_path / "p").exists()  # nothing asked to be written, nothing written


# ----------------------------------------------------------------------------- pictures
def test_pictures_are_written(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    code, out, _ = run(capsys, "ex4", "--maxiter", "3", "--out", str(tmp_path))
    assert code == 0
    names = ["digits.png", "hidden.png", "cost.png"]
    assert f"Pictures: {', '.join(str(tmp_path / n) for n in names)}" in out
    for name in names:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / name).stat().st_size > 1000


def test_without_matplotlib_the_command_says_how_and_carries_on(capsys, tmp_path, monkeypatch):
    for name in [n for n in sys.modules if n == "matplotlib" or n.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = run(capsys, "ex4", "--maxiter", "3", "--out", str(tmp_path))
    assert code == 0 and err == ""
    assert f"Pictures skipped: they need matplotlib; get them with  {PLOT_HINT}" in out
    assert [p.name for p in tmp_path.iterdir()] == ["params.mat"]


def test_nothing_is_written_outside_the_output_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "ex4", "--maxiter", "3")
    assert code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["nnmat-out"]


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["ex4", "--hidden", "0"],
            "nnmat ex4: error: argument --hidden: expected hidden layer sizes >= 1 separated "
            "by commas, e.g. 25 or 100,100; got '0' (see nnmat ex4 --help)",
        ),
        (
            ["train", "--hidden", "25,x"],
            "nnmat train: error: argument --hidden: expected hidden layer sizes >= 1 "
            "separated by commas, e.g. 25 or 100,100; got '25,x' (see nnmat train --help)",
        ),
        (
            ["ex4", "--lambda", "-1"],
            "nnmat ex4: error: argument --lambda: expected a number >= 0 (0 for no "
            "regularization); got '-1' (see nnmat ex4 --help)",
        ),
        (
            ["ex4", "--lambda", "inf"],
            "nnmat ex4: error: argument --lambda: expected a number >= 0 (0 for no "
            "regularization); got 'inf' (see nnmat ex4 --help)",
        ),
        (
            ["train", "--maxiter", "0"],
            "nnmat train: error: argument --maxiter: expected a whole number >= 1; got '0' "
            "(see nnmat train --help)",
        ),
        (
            ["train", "--seed", "-2"],
            "nnmat train: error: argument --seed: expected a whole number >= 0; got '-2' "
            "(see nnmat train --help)",
        ),
        (
            ["ex4", "--test-size", "1"],
            "nnmat ex4: error: argument --test-size: expected a fraction in [0, 1), e.g. 0.2 "
            "(0 holds nothing out); got '1' (see nnmat ex4 --help)",
        ),
        (
            ["predict"],
            "nnmat predict: error: the following arguments are required: --weights "
            "(see nnmat predict --help)",
        ),
    ],
    ids=[
        "hidden-0",
        "hidden-text",
        "lambda-negative",
        "lambda-inf",
        "maxiter-0",
        "seed-negative",
        "test-size-1",
        "predict-no-weights",
    ],
)
def test_bad_options_give_one_line_and_status_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err == message + "\n"
    assert list(tmp_path.iterdir()) == []


def test_no_command(capsys):
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    # Commands added later are listed after these three.
    assert err.startswith("nnmat: error: choose a command: ex4, train, predict")
    assert err.endswith(" (see nnmat --help)\n") and err.count("\n") == 1


def test_bad_method_is_refused(capsys):
    code, _, err = run(capsys, "train", "--method", "TNC")
    assert code == 2
    assert err.startswith("nnmat train: error: argument --method: invalid choice: 'TNC'")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.mat", "{f}: no such file."),
        (lambda d: d, "{f} is a directory; expected a MAT file."),
        (
            lambda d: _write(d / "notes.mat", b"not a MAT file"),
            "{f} is not a readable MAT file (Mat file appears to be truncated).",
        ),
        (
            lambda d: _savemat(d / "xonly.mat", X=np.ones((3, 2))),
            "{f} has no variable y; expected X (one example per row) and y (labels 1..K), found X.",
        ),
        (
            lambda d: _savemat(d / "zero.mat", X=np.ones((3, 2)), y=np.array([0, 1, 2])),
            "{f}: y holds labels from 0 to 2; nnmat needs the course's labels 1..K. They look "
            "0-based: add 1 (in the course, 10 stands for the digit 0).",
        ),
    ],
    ids=["missing", "directory", "not-mat", "no-y", "zero-based"],
)
@pytest.mark.parametrize("subcommand", ["ex4", "train"])
def test_bad_data_gives_one_line_and_status_1(capsys, tmp_path, subcommand, make, message):
    data = make(tmp_path)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, subcommand, "--data", str(data), "--out", str(out_dir))
    assert code == 1 and out == ""
    assert err == f"nnmat {subcommand}: error: {message.format(f=data)}\n"
    assert not out_dir.exists()


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _savemat(path: Path, **variables) -> Path:
    savemat(path, variables)
    return path


def test_stray_large_label_is_refused_before_training(capsys, tmp_path):
    data = _savemat(tmp_path / "big.mat", X=np.ones((4, 2)), y=np.array([1, 2, 1, 5000]))
    code, out, err = run(capsys, "train", "--data", str(data), "--out", str(tmp_path / "o"))
    assert code == 1 and out == ""
    assert err == (
        "nnmat train: error: the labels go up to 5000 but there are only 4 examples; y must "
        "hold class numbers 1..K.\n"
    )
    assert not (tmp_path / "o").exists()


def test_small_data_with_more_classes_than_examples_trains(capsys, tmp_path):
    # 8 examples, labels up to 10 (the course's digits, a few of them): a valid problem.
    y = np.array([1, 2, 3, 10, 1, 2, 3, 10])
    X = np.eye(8)[:, :4] + 0.1 * y[:, None]
    data = _savemat(tmp_path / "small.mat", X=X, y=y)
    code, _, err = run(
        capsys, "train", "--data", str(data), "--maxiter", "5", "--out", str(tmp_path / "o")
    )
    assert code == 0, err
    assert (tmp_path / "o" / "params.mat").exists()


def test_weights_that_do_not_fit_the_data(capsys, tmp_path, ex4weights_path):
    code, out, err = run(
        capsys, "ex4", "--weights", str(ex4weights_path), "--out", str(tmp_path / "o")
    )
    assert code == 1 and out == ""
    assert err == (
        f"nnmat ex4: error: the weights in {ex4weights_path} take 400 features per example "
        "(Theta1 has 401 columns) but the data has 64 (X of shape (1797, 64)); use weights "
        "trained on data of this kind.\n"
    )
    code, out, err = run(capsys, "predict", "--weights", str(ex4weights_path))
    assert code == 1 and out == "" and err.startswith("nnmat predict: error: the weights in ")


def test_weights_file_without_thetas(capsys, tmp_path, three_class_mat):
    code, _, err = run(capsys, "predict", "--weights", str(three_class_mat))
    assert code == 1
    assert err == (
        f"nnmat predict: error: {three_class_mat} has no Theta1; expected weight matrices "
        "Theta1, Theta2, ... (as in ex4weights.mat), found X, y.\n"
    )


def test_out_that_is_a_file(capsys, tmp_path):
    blocker = _write(tmp_path / "taken", b"")
    code, _, err = run(capsys, "train", "--maxiter", "1", "--no-plots", "--out", str(blocker))
    assert code == 1
    assert err == (
        f"nnmat train: error: --out {blocker} is a file; pass a folder (it is created if "
        "missing).\n"
    )


@pytest.mark.parametrize("subcommand", ["ex4", "train"])
def test_out_that_cannot_be_created_fails_before_any_work(capsys, tmp_path, subcommand):
    inside_a_file = _write(tmp_path / "taken", b"") / "out"
    code, out, err = run(capsys, subcommand, "--out", str(inside_a_file))
    assert code == 1 and out == ""
    assert err == (
        f"nnmat {subcommand}: error: cannot create the output folder {inside_a_file}: "
        "Not a directory.\n"
    )


# ----------------------------------------------------------------------------- entry points
def test_help_lists_every_registered_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for name in COMMANDS:
        assert name in out
    assert list(COMMANDS)[:3] == ["ex4", "train", "predict"]
    assert build_parser().prog == "nnmat"


def test_python_dash_m_nnmat(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "nnmat", "train", "--hidden", "0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("nnmat train: error: argument --hidden:")
    assert "Traceback" not in proc.stderr


@pytest.mark.octave
def test_octave_loads_the_saved_parameters(capsys, tmp_path, octave_cli, three_class_mat):
    out_dir = tmp_path / "out"
    run(capsys, "train", "--data", str(three_class_mat), "--hidden", "5,4", "--maxiter", "20",
        "--no-plots", "--out", str(out_dir))  # fmt: skip
    params = out_dir / "params.mat"
    code, _, _ = run(capsys, "predict", "--weights", str(params), "--data",
                     str(three_class_mat), "--save-labels", "--out", str(out_dir))  # fmt: skip
    assert code == 0
    result = tmp_path / "octave.mat"
    script = (
        f"addpath('{ROOT / 'reference_octave'}'); load('{out_dir / 'params.mat'}'); "
        f"load('{three_class_mat}'); p = predict(Theta1, Theta2, Theta3, X); "
        "same = isequal(nn_params, [Theta1(:); Theta2(:); Theta3(:)]); "
        f"save('-v7', '{result}', 'p', 'same', 'layer_sizes');"
    )
    proc = subprocess.run(
        [octave_cli, "--no-gui", "--norc", "--quiet", "--no-history", "--eval", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    octave = loadmat(result)
    assert octave["same"].item() == 1
    assert_array_equal(octave["layer_sizes"], [[4, 5, 4, 3]])
    assert_array_equal(octave["p"][:, 0], np.loadtxt(out_dir / "labels.txt", dtype=int))


def test_a_closed_pipe_stops_quietly():
    # `nnmat ... | head -1`: 110 kB of report, more than a pipe holds, and the reader
    # leaves after one line. No "Broken pipe" error, the shell's status 141.
    proc = subprocess.Popen(
        [sys.executable, "-m", "nnmat", "gradcheck", "40", "40", "10", "--all-rows"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert first.startswith(b"Gradient check of a 40-40-10 network")
    assert err == b""
