"""Smoke test of benchmarks/bench.py at tiny sizes: it runs and writes its tables.

No timing assertions: only that every section is produced and the figures parse.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("nnmat_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["nnmat_bench"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    yield module
    del sys.modules["nnmat_bench"]


def test_make_X_is_the_same_data_in_every_dtype(bench):
    # Block-wise generation must equal one big draw, so float32 rows are float64 rows rounded.
    w = bench.Workload("t", 37, (5, 3, 2))
    X64 = bench.make_X(w)
    expected = np.random.default_rng(bench.SEED).random((37, 5))
    np.testing.assert_array_equal(X64, expected)
    np.testing.assert_array_equal(bench.make_X(w, np.float32), expected.astype(np.float32))


@pytest.mark.slow  # imports scikit-learn and PyTorch when installed
def test_every_candidate_computes_the_same_cost(bench):
    # Peers are only comparable if they compute the course's cost on the same data.
    import nnmat

    w = bench.QUICK["W3"]
    X = bench.make_X(w)
    y, p = bench.make_labels_params(w)
    n_in, *hidden, K = w.layer_sizes
    J_ref, grad_ref = nnmat.nnCostFunction(p, n_in, hidden, K, X, y, bench.LAMBDA)
    J_naive, grad_naive = bench.naive_factory(w, X)()
    np.testing.assert_allclose(J_naive, J_ref, rtol=1e-12)
    np.testing.assert_allclose(grad_naive, grad_ref, rtol=0, atol=1e-12 * abs(grad_ref).max())
    for name in ("sklearn f64", "torch f64"):
        try:
            J = bench.CANDIDATES[name][0](w, X)()[0]
        except ImportError:
            continue
        np.testing.assert_allclose(J, J_ref, rtol=1e-10, err_msg=name)


@pytest.mark.slow  # child processes for the peak-memory table
def test_quick_run_writes_all_tables(bench, tmp_path, capsys):
    out = tmp_path / "bench.md"
    args = ["--quick", "--workloads", "W1,W3", "--no-octave", "--markdown", str(out)]
    args += ["--candidates", "nnmat f64,nnmat f32,floor f32,naive numpy"]
    assert bench.main(args) == 0
    md = out.read_text()
    for heading in ("### Cost+gradient", "### Training", "### float32 training", "### Peak memory"):
        assert heading in md
    rows = [line for line in md.splitlines() if line.startswith("| W")]
    assert [r.split(":")[0] for r in rows] == ["| W1", "| W3"]
    # floor f64 is the unit, every other cell a positive ratio with its time.
    for row in rows:
        cells = row.strip("|").split("|")[1:]
        assert cells[0].strip().startswith("1.00x")
        assert all(re.fullmatch(r" \d+\.\d\dx \(\d+\.\d (ms|s)\) ", c) for c in cells)
    assert re.search(r"\| nnmat f64 \| \d+ MiB \|", md)
    assert "python benchmarks/bench.py --quick" in md
    assert "nnmat f64" in capsys.readouterr().out


def test_unknown_workload_is_an_error(bench, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--workloads", "W9"])
    assert "unknown workload(s) ['W9']; choose from W1, W2, W3" in capsys.readouterr().err


def test_unknown_candidate_is_an_error(bench, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--quick", "--candidates", "floor64"])
    assert "unknown candidate(s) ['floor64']; choose from floor f64, floor f32" in (
        capsys.readouterr().err
    )
