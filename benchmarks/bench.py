"""Benchmark nnmat's cost+gradient against the matrix-multiply floor and its peers.

One command measures, interleaved in one process (every repeat runs each candidate
once, in a rotating order; each timed call comes after an idle pause of ``--settle``
seconds, so no candidate inherits the previous one's busy thread pools, and 0.1 s of
untimed calls of its own) and reports medians and ratios to the float64 floor::

    python benchmarks/bench.py                        # W1, W2, W3, training, memory
    python benchmarks/bench.py --workloads W1 --markdown results.md
    python benchmarks/bench.py --quick                # tiny sizes: a smoke run

Workloads (layer sizes input-hidden...-output, m examples; random data from a seeded
``numpy.random.Generator``, labels 1..K, weights uniform in +-0.12, lambda = 1):

* W1: m=5000, 400-25-10 (the course's digits)
* W2: m=60000, 784-300-10 (MNIST-sized)
* W3: m=5000, 400-100-100-100-10 (deeper)

Candidates (the peers run only when installed):

* ``floor f64`` / ``floor f32``: the GEMMs a cost+gradient cannot avoid, alone, into
  preallocated outputs: forward ``a @ W.T`` per layer, backward ``delta.T @ a`` per layer
  and ``delta @ W`` per hidden layer.
* ``nnmat f64`` / ``nnmat f32``: ``nnmat.nnCostFunction`` (the f32 row passes a float32 X,
  which the cost follows).
* ``nnmat f64 after GEMM``: ``nnmat f64`` timed right after an untimed multithreaded
  numpy GEMM, whose OpenBLAS threads then spin for about 0.1 s against nnmat's own.
* ``naive numpy``: the course's ``nnCostFunction.m`` transcribed literally (bias columns
  concatenated, one-hot Y, sigmoidGradient recomputed from z): the baseline nnmat replaces.
* ``sklearn f64``: ``MLPClassifier(activation="logistic", alpha=lambda)._loss_grad_lbfgs``,
  the function scikit-learn's own L-BFGS trainer calls (unpack, ``_backprop``, pack);
  the targets are a one-hot indicator matrix, so the output layer is a sigmoid with
  binary cross-entropy, the course's loss.
* ``torch f64`` / ``torch f32``: PyTorch CPU forward (``addmm`` + sigmoid, logits fed to
  ``binary_cross_entropy_with_logits`` with a one-hot target, plus the L2 penalty) and
  ``backward()``.
* ``octave``: GNU Octave (``octave-cli``) running ``reference_octave/nnCostFunction.m``;
  timed inside Octave with tic/toc over repeats (median), on data of the same shapes
  generated inside Octave.  Not interleaved: it is a separate process.

Training: ``nnmat.trainNN`` for 50 L-BFGS-B iterations on W1: total time, number of
cost evaluations, those evaluations' time alone (count x the interleaved median of
``nnmat f64`` on W1) and the ratio; the same run through ``scipy.optimize.minimize``
directly, without nnmat's BLAS-pool limit, shows the thread fight it avoids.

Peak memory: each Python candidate runs the largest selected workload twice in a
fresh child process (data made in the child, without a float64 copy for float32
candidates); the child reports its own peak RSS (``VmHWM``), and so does Octave.

float32 accuracy: ``trainNN`` from the same start in float64 and float32 on the
embedded digits (``nnmat.data`` when present, else scikit-learn's ``load_digits``
scaled to [0, 1], label 10 for the digit 0).
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import nnmat

# PyTorch's OpenMP threads would otherwise spin after each operation and take the
# cores from whichever candidate the interleaved loop times next.  Set before torch
# loads its OpenMP runtime; an explicit setting in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
from nnmat.params import param_layout

REPO = Path(__file__).resolve().parents[1]
SEED = 20261203
LAMBDA = 1.0
EPSILON_INIT = 0.12
# Seconds of untimed calls before each timed call (with --settle > 0).
WARMUP = 0.1


@dataclass(frozen=True)
class Workload:
    name: str
    m: int
    layer_sizes: tuple[int, ...]

    def describe(self) -> str:
        return f"m={self.m}, {'-'.join(map(str, self.layer_sizes))}"


WORKLOADS = {
    "W1": Workload("W1", 5000, (400, 25, 10)),
    "W2": Workload("W2", 60000, (784, 300, 10)),
    "W3": Workload("W3", 5000, (400, 100, 100, 100, 10)),
}
# --quick: the same structure at tiny sizes, for the smoke test.
QUICK = {
    "W1": Workload("W1", 200, (20, 5, 3)),
    "W2": Workload("W2", 400, (30, 12, 3)),
    "W3": Workload("W3", 200, (20, 6, 6, 6, 3)),
}
FLOAT_DTYPES = {"f64": np.float64, "f32": np.float32}


# ------------------------------------------------------------------------------ data
def make_X(w: Workload, dtype=np.float64, seed: int = SEED) -> np.ndarray:
    """Uniform [0, 1) features, generated in row blocks straight into ``dtype``.

    The Generator fills row after row, so the values are those of one big
    ``rng.random((m, n))`` whatever the block size, and a float32 X never needs a
    float64 copy (which would distort the peak memory of float32 candidates).
    """
    rng = np.random.default_rng(seed)
    m, n = w.m, w.layer_sizes[0]
    X = np.empty((m, n), dtype=dtype)
    block = max(1, (1 << 20) // n)
    for start in range(0, m, block):
        stop = min(m, start + block)
        X[start:stop] = rng.random((stop - start, n))
    return X


def make_labels_params(w: Workload, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Labels 1..K and unrolled weights uniform in +-EPSILON_INIT (a second stream)."""
    rng = np.random.default_rng([seed, 1])
    y = rng.integers(1, w.layer_sizes[-1] + 1, size=w.m)
    p = rng.uniform(-EPSILON_INIT, EPSILON_INIT, param_layout(w.layer_sizes).size)
    return y, p


# ------------------------------------------------------------------------- candidates
# Each factory takes (workload, X) and returns a zero-argument callable that performs
# one full cost+gradient, or raises ImportError when its package is missing.
Factory = Callable[[Workload, np.ndarray], Callable[[], object]]


def _thetas(w: Workload, p: np.ndarray) -> list[np.ndarray]:
    return [t.copy() for t in nnmat.rollParams(p, w.layer_sizes)]


def floor_factory(w: Workload, X: np.ndarray) -> Callable[[], object]:
    """The GEMMs alone, into preallocated outputs, with X's dtype."""
    rng = np.random.default_rng(SEED)
    dt = X.dtype
    sizes = w.layer_sizes
    Ws = [rng.random((o, i)).astype(dt) for i, o in itertools.pairwise(sizes)]
    acts = [X] + [rng.random((w.m, s)).astype(dt) for s in sizes[1:]]
    deltas = [rng.random((w.m, s)).astype(dt) for s in sizes[1:]]
    grads = [np.empty_like(W) for W in Ws]
    back = [np.empty((w.m, s), dtype=dt) for s in sizes[1:-1]]

    def run() -> None:
        for i, W in enumerate(Ws):
            np.matmul(acts[i], W.T, out=acts[i + 1])
        for i in range(len(Ws) - 1, -1, -1):
            np.matmul(deltas[i].T, acts[i], out=grads[i])
            if i > 0:
                np.matmul(deltas[i], Ws[i], out=back[i - 1])

    return run


def nnmat_factory(w: Workload, X: np.ndarray) -> Callable[[], object]:
    y, p = make_labels_params(w)
    n_in, *hidden, K = w.layer_sizes
    return lambda: nnmat.nnCostFunction(p, n_in, hidden, K, X, y, LAMBDA)


def nnmat_after_gemm_factory(w: Workload, X: np.ndarray) -> Callable[[], object]:
    """``nnmat f64`` timed right after a multithreaded numpy GEMM (not timed itself).

    OpenBLAS's threads keep spinning for about 0.1 s after a threaded call and take
    a core from nnmat's own threads: what a caller sees who has just used numpy's
    BLAS, or a benchmark that times nnmat right after a BLAS-threaded candidate.
    """
    run = nnmat_factory(w, X)
    A = np.random.default_rng(SEED).random((256, 256))
    run.before = lambda: A @ A  # type: ignore[attr-defined]
    return run


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def naive_factory(w: Workload, X: np.ndarray) -> Callable[[], object]:
    """reference_octave/nnCostFunction.m, line by line, in numpy."""
    y, p = make_labels_params(w)
    Thetas = _thetas(w, p)
    K = w.layer_sizes[-1]

    def run() -> tuple[float, np.ndarray]:
        m = X.shape[0]
        A = [np.hstack([np.ones((m, 1)), X])]
        Z = []
        for i, T in enumerate(Thetas):
            Z.append(A[-1] @ T.T)
            h = _sigmoid(Z[-1])
            A.append(np.hstack([np.ones((m, 1)), h]) if i < len(Thetas) - 1 else h)
        h = A[-1]
        Y = np.eye(K)[y - 1]
        J = np.sum(-Y * np.log(h) - (1 - Y) * np.log(1 - h)) / m
        J += LAMBDA / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in Thetas)
        grads = [None] * len(Thetas)
        delta = h - Y
        for i in range(len(Thetas) - 1, -1, -1):
            g = delta.T @ A[i] / m
            g[:, 1:] += LAMBDA / m * Thetas[i][:, 1:]
            grads[i] = g
            if i > 0:
                s = _sigmoid(Z[i - 1])
                delta = (delta @ Thetas[i][:, 1:]) * (s * (1 - s))
        return J, nnmat.unrollParams(grads)

    return run


def sklearn_factory(w: Workload, X: np.ndarray) -> Callable[[], object]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    y, p = make_labels_params(w)
    K = w.layer_sizes[-1]
    Y = np.eye(K, dtype=X.dtype)[y - 1]  # indicator targets: sigmoid outputs + log loss
    clf = MLPClassifier(
        hidden_layer_sizes=w.layer_sizes[1:-1],
        activation="logistic",
        solver="lbfgs",
        alpha=LAMBDA,
        max_iter=1,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X[: min(len(X), 10 * K)], Y[: min(len(X), 10 * K)])  # sets up the layout
    if clf.out_activation_ != "logistic":  # pragma: no cover - scikit-learn changed
        raise RuntimeError(f"expected sigmoid outputs, got {clf.out_activation_!r}")
    # The course's weights in scikit-learn's layout: coefs (n_in, n_out), intercepts.
    Thetas = _thetas(w, p)
    packed = np.concatenate(
        [T[:, 1:].T.ravel() for T in Thetas] + [T[:, 0] for T in Thetas]
    ).astype(X.dtype)
    n = len(Thetas)

    def run() -> tuple[float, np.ndarray]:
        return clf._loss_grad_lbfgs(
            packed, X, Y, None, [X] + [None] * n, [None] * n, [None] * n, [None] * n
        )

    return run


def torch_factory(w: Workload, X: np.ndarray) -> Callable[[], object]:
    import torch

    y, p = make_labels_params(w)
    K = w.layer_sizes[-1]
    dt = torch.float64 if X.dtype == np.float64 else torch.float32
    Xt = torch.from_numpy(X)  # shares memory
    Yt = torch.nn.functional.one_hot(torch.from_numpy(y - 1), K).to(dt)
    params = []
    for T in _thetas(w, p):
        params.append(torch.tensor(T[:, 1:], dtype=dt, requires_grad=True))
        params.append(torch.tensor(T[:, 0], dtype=dt, requires_grad=True))
    m = X.shape[0]

    def run() -> tuple[float, list]:
        for t in params:
            t.grad = None
        a = Xt
        n = len(params) // 2
        for i in range(n):
            W, b = params[2 * i], params[2 * i + 1]
            a = torch.addmm(b, a, W.T)
            if i < n - 1:
                a = torch.sigmoid(a)
        J = torch.nn.functional.binary_cross_entropy_with_logits(a, Yt, reduction="sum") / m
        J = J + LAMBDA / (2 * m) * sum((W * W).sum() for W in params[::2])
        J.backward()
        return J.item(), [t.grad for t in params]

    return run


CANDIDATES: dict[str, tuple[Factory, str]] = {
    # name: (factory, dtype of X)
    "floor f64": (floor_factory, "f64"),
    "floor f32": (floor_factory, "f32"),
    "nnmat f64": (nnmat_factory, "f64"),
    "nnmat f32": (nnmat_factory, "f32"),
    "nnmat f64 after GEMM": (nnmat_after_gemm_factory, "f64"),
    "naive numpy": (naive_factory, "f64"),
    "sklearn f64": (sklearn_factory, "f64"),
    "torch f64": (torch_factory, "f64"),
    "torch f32": (torch_factory, "f32"),
}
COLUMNS = [*CANDIDATES, "octave"]


# ---------------------------------------------------------------------------- timing
def time_interleaved(
    fns: dict[str, Callable[[], object]], repeats: int | None, budget: float, settle: float = 0.0
) -> dict[str, list[float]]:
    """Time every callable ``repeats`` times, interleaved, in a rotating order.

    Without ``repeats``, as many repeats (5..50) as fit in about ``budget`` seconds,
    judged from one warm-up call each.  With ``settle`` > 0, each timed call comes
    after ``settle`` seconds of sleep, so the previous candidate's thread pools
    (OpenBLAS spins about 0.1 s after a threaded call) have gone idle, and then
    ``WARMUP`` seconds (at least one call) of untimed calls of the same candidate, so
    it is timed in its own steady state, as in an optimizer's loop (threads awake,
    data in cache).  A callable's own untimed ``before()`` step, when it has one,
    runs last.
    """
    names = list(fns)
    warm = 0.0
    for name in names:
        t0 = time.perf_counter()
        fns[name]()
        warm += time.perf_counter() - t0
        if settle:
            warm += settle + max(WARMUP, time.perf_counter() - t0)
    if repeats is None:
        repeats = int(min(50, max(5, budget / max(warm, 1e-9))))
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            if settle:
                time.sleep(settle)
                # Warm up for WARMUP seconds (at least one call): after a pause the
                # machine's idle cores take a few calls to run at full speed again.
                t0 = time.perf_counter()
                while True:
                    fns[name]()
                    if time.perf_counter() - t0 >= WARMUP:
                        break
            before = getattr(fns[name], "before", None)
            if before is not None:
                before()
            t0 = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - t0)
    return times


OCTAVE_SCRIPT = """\
addpath('{ref}');
rand('seed', 42);
sizes = [{sizes}];
m = {m}; L = numel(sizes) - 1;
X = rand(m, sizes(1));
y = floor(rand(m, 1) * sizes(end)) + 1;
n = sum(sizes(2:end) .* (sizes(1:end-1) + 1));
p = (rand(n, 1) * 2 - 1) * {eps};
[J, grad] = nnCostFunction(p, sizes(1), sizes(2:end-1), sizes(end), X, y, {lam});
t = zeros({repeats}, 1);
for r = 1:{repeats}
  tic; [J, grad] = nnCostFunction(p, sizes(1), sizes(2:end-1), sizes(end), X, y, {lam});
  t(r) = toc;
end
printf('median_s=%.9g\\n', median(t));
status = fileread('/proc/self/status');
printf('%g\\n', str2double(regexp(status, 'VmHWM:\\s*(\\d+)', 'tokens'){{1}}{{1}}) / 1024);
"""


def octave_available() -> bool:
    return (
        shutil.which("octave-cli") is not None
        and (REPO / "reference_octave" / "nnCostFunction.m").exists()
    )


def run_octave(w: Workload, repeats: int) -> tuple[float, float]:
    """Median seconds of reference_octave's nnCostFunction and the process's peak MiB."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench_octave.m"
        script.write_text(
            OCTAVE_SCRIPT.format(
                ref=REPO / "reference_octave",
                sizes=" ".join(map(str, w.layer_sizes)),
                m=w.m,
                eps=EPSILON_INIT,
                lam=LAMBDA,
                repeats=repeats,
            )
        )
        out, peak = run_child(["octave-cli", "--no-gui", "--quiet", str(script)], cwd=tmp)
    line = next(s for s in out.splitlines() if s.startswith("median_s="))
    return float(line.split("=", 1)[1]), peak


# ---------------------------------------------------------------------------- memory
def run_child(cmd: list[str], cwd: str | Path | None = None) -> tuple[str, float]:
    """Run ``cmd``; return its stdout and the peak RSS in MiB it printed last."""
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed:\n{proc.stderr[-2000:]}")
    return proc.stdout, float(proc.stdout.split()[-1])


def child_main(name: str, w: Workload) -> None:
    """In a fresh process: make the data, run one candidate twice (buffers reused)."""
    factory, dt = CANDIDATES[name]
    fn = factory(w, make_X(w, FLOAT_DTYPES[dt]))
    fn()
    fn()
    print(vm_hwm_mib())


def vm_hwm_mib() -> float:
    """This process's peak resident set size in MiB (Linux ``VmHWM``).

    Read in the child itself: ``ru_maxrss`` of a child survives ``exec`` and so would
    report the parent's footprint when the parent is larger.
    """
    status = Path("/proc/self/status").read_text()
    kib = next(s.split()[1] for s in status.splitlines() if s.startswith("VmHWM:"))
    return int(kib) / 1024.0


def peak_memory(name: str, w: Workload, quick: bool) -> float:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--workloads", w.name]
    return run_child(cmd + (["--quick"] if quick else []))[1]


# --------------------------------------------------------------------------- training
class _EvalTimer:
    """Wraps a cost function and adds up the time spent inside it."""

    def __init__(self, fn):
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0


def bench_training(w: Workload, maxiter: int, eval_median: dict[str, float]) -> list[dict]:
    """nnmat.trainNN for ``maxiter`` iterations, float64 and float32, and plain scipy.

    Two prices for the evaluations a run needs: ``nfev`` times the median of one
    evaluation on its own (``eval_median``, by "f64"/"f32"), and the time measured
    inside the run's own calls (the function the optimizer calls is wrapped).  The
    ratio is the total over the first: thread fights slow the calls themselves.
    """
    from scipy.optimize import minimize

    import nnmat.training

    X = make_X(w)
    y, p = make_labels_params(w)
    n_in, *hidden, K = w.layer_sizes
    rows = []
    core = nnmat.training.cost_and_grad
    for dt in (np.float64, np.float32):
        timer = _EvalTimer(core)
        nnmat.training.cost_and_grad = timer
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", nnmat.ConvergenceWarning)
                t0 = time.perf_counter()
                res = nnmat.trainNN(p, n_in, hidden, K, X, y, LAMBDA, maxiter=maxiter, dtype=dt)
                total = time.perf_counter() - t0
        finally:
            nnmat.training.cost_and_grad = core
        key = "f64" if dt is np.float64 else "f32"
        rows.append(
            _training_row(
                f"nnmat.trainNN {np.dtype(dt).name}", total, res, eval_median[key], timer.seconds
            )
        )
    # The same optimization without nnmat's BLAS-pool limit: the thread fight.
    timer = _EvalTimer(nnmat.nnCostFunction)
    t0 = time.perf_counter()
    res = minimize(
        timer,
        p,
        args=(n_in, hidden, K, X, y, LAMBDA),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": maxiter, "maxfun": 15000},
    )
    total = time.perf_counter() - t0
    rows.append(
        _training_row(
            "scipy minimize, no pool limit", total, res, eval_median["f64"], timer.seconds
        )
    )
    return rows


def _training_row(label: str, total: float, res, eval_median: float, inside: float) -> dict:
    evals = res.nfev * eval_median
    return {
        "run": label,
        "total_s": total,
        "nit": res.nit,
        "nfev": res.nfev,
        "evals_s": evals,
        "inside_s": inside,
        "ratio": total / evals,
        "cost": float(res.fun),
    }


def bench_accuracy(maxiter: int) -> dict:
    """Train on the embedded digits in float64 and float32 from the same start."""
    try:
        from nnmat.data import load_digits as nnmat_digits  # type: ignore[attr-defined]

        X, y = nnmat_digits()
        source = "nnmat.data.load_digits"
    except ImportError:
        from sklearn.datasets import load_digits

        d = load_digits()
        X, y = d.data / 16.0, np.where(d.target == 0, 10, d.target)
        source = "sklearn.datasets.load_digits()/16, label 10 for 0"
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y).ravel()
    n = X.shape[1]
    p0 = nnmat.unrollParams(
        [nnmat.randInitializeWeights(n, 25, rng=1), nnmat.randInitializeWeights(25, 10, rng=2)]
    )
    out = {"source": source, "m": X.shape[0], "n": n, "maxiter": maxiter}
    results = {}
    for dt in (np.float64, np.float32):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", nnmat.ConvergenceWarning)
            res = nnmat.trainNN(p0, n, 25, 10, X, y, LAMBDA, maxiter=maxiter, dtype=dt)
        results[np.dtype(dt).name] = res
        acc = float(np.mean(nnmat.predict(*res.Thetas, X) == y))
        out[np.dtype(dt).name] = {"cost": float(res.fun), "accuracy": acc}
    out["max_abs_param_diff"] = float(np.max(np.abs(results["float64"].x - results["float32"].x)))
    return out


# ---------------------------------------------------------------------------- report
def machine_info() -> str:
    model = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(
            s.split(":", 1)[1].strip() for s in lscpu.splitlines() if s.startswith("Model name")
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    try:
        from threadpoolctl import threadpool_info

        blas = next(
            f"{i['internal_api']} {i['version']} ({i.get('architecture')}, "
            f"{i['num_threads']} threads)"
            for i in threadpool_info()
            if i["user_api"] == "blas" and "numpy" in i["filepath"]
        )
    except (ImportError, StopIteration):
        blas = "unknown"
    import scipy

    return (
        f"{model}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
        f"numpy {np.__version__} ({blas}), scipy {scipy.__version__}"
    )


def fmt_time(s: float) -> str:
    return f"{s * 1e3:.1f} ms" if s < 10 else f"{s:.2f} s"


def markdown_table(results: dict, columns: list[str]) -> str:
    head = "| workload | " + " | ".join(columns) + " |"
    lines = [head, "|" + "---|" * (len(columns) + 1)]
    for w, med in results.items():
        floor = med["floor f64"]
        cells = [
            f"{med[c] / floor:.2f}x ({fmt_time(med[c])})" if c in med else "n/a" for c in columns
        ]
        lines.append(f"| {WORKLOADS[w].name}: {w_desc[w]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


w_desc: dict[str, str] = {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workloads", default="W1,W2,W3", help="comma-separated, e.g. W1,W3")
    ap.add_argument("--quick", action="store_true", help="tiny sizes, few repeats (smoke run)")
    ap.add_argument("--repeats", type=int, default=None, help="repeats per candidate")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds per workload")
    ap.add_argument(
        "--settle",
        type=float,
        default=0.15,
        help="idle seconds, then 0.1 s of untimed calls, before each timed call "
        "(0: neither, candidates back to back); default 0.15",
    )
    ap.add_argument(
        "--candidates",
        default=None,
        help=f"comma-separated subset of: {', '.join(CANDIDATES)}",
    )
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    ap.add_argument("--no-training", action="store_true", help="skip the training runs")
    ap.add_argument("--no-octave", action="store_true", help="skip Octave")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the tables here")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    table = QUICK if args.quick else WORKLOADS
    names = [s.strip() for s in args.workloads.split(",") if s.strip()]
    unknown = [n for n in names if n not in table]
    if unknown:
        ap.error(f"unknown workload(s) {unknown}; choose from {', '.join(table)}")
    workloads = [table[n] for n in names]
    if args.child:
        child_main(args.child, workloads[0])
        return 0
    wanted = (
        list(CANDIDATES)
        if args.candidates is None
        else [s.strip() for s in args.candidates.split(",") if s.strip()]
    )
    unknown = [c for c in wanted if c not in CANDIDATES]
    if unknown:
        ap.error(f"unknown candidate(s) {unknown}; choose from {', '.join(CANDIDATES)}")
    for c in ("floor f64",):
        if c not in wanted:
            wanted.insert(0, c)
    repeats = args.repeats or (3 if args.quick else None)
    budget = 1.0 if args.quick else args.budget

    print(f"machine: {machine_info()}")
    medians: dict[str, dict[str, float]] = {}
    for w in workloads:
        w_desc[w.name] = w.describe()
        X = {"f64": make_X(w)}
        X["f32"] = X["f64"].astype(np.float32)
        fns = {}
        for name in wanted:
            factory, dt = CANDIDATES[name]
            try:
                fns[name] = factory(w, X[dt])
            except ImportError as exc:
                print(f"  {name}: skipped ({exc})")
        times = time_interleaved(fns, repeats, budget, 0.0 if args.quick else args.settle)
        med = {name: statistics.median(t) for name, t in times.items()}
        if not args.no_octave and octave_available():
            n_oct = max(3, min(len(next(iter(times.values()))), 15))
            med["octave"] = run_octave(w, n_oct)[0]
        medians[w.name] = med
        floor = med["floor f64"]
        print(f"\n{w.name} ({w.describe()}), {len(next(iter(times.values())))} repeats:")
        for name, t in med.items():
            print(f"  {name:<14} {fmt_time(t):>10}  {t / floor:5.2f}x floor f64")
        del fns, X

    columns = [c for c in COLUMNS if any(c in med for med in medians.values())]
    md = [
        "### Cost+gradient: median time, ratio to the float64 floor",
        "",
        markdown_table(medians, columns),
    ]

    train_rows: list[dict] = []
    if not args.no_training:
        w1 = table["W1"]
        eval_median = {}  # one evaluation on its own, to price the evaluations a run needs
        for dt in ("f64", "f32"):
            if f"nnmat {dt}" in medians.get("W1", {}):
                eval_median[dt] = medians["W1"][f"nnmat {dt}"]
            else:
                fn = nnmat_factory(w1, make_X(w1, FLOAT_DTYPES[dt]))
                eval_median[dt] = statistics.median(time_interleaved({"e": fn}, 15, 0)["e"])
        train_rows = bench_training(w1, 5 if args.quick else 50, eval_median)
        print(f"\ntraining on W1 ({w1.describe()}):")
        md += [
            "",
            f"### Training: {train_rows[0]['nit']} L-BFGS-B iterations on W1",
            "",
            "| run | total | iterations | evaluations | their time alone | time inside them "
            "| ratio | cost |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in train_rows:
            print(
                f"  {r['run']:<32} total {fmt_time(r['total_s'])}, nit {r['nit']}, "
                f"nfev {r['nfev']}, evals alone {fmt_time(r['evals_s'])}, "
                f"inside the run {fmt_time(r['inside_s'])}, "
                f"ratio {r['ratio']:.2f}, cost {r['cost']:.6f}"
            )
            md.append(
                f"| {r['run']} | {fmt_time(r['total_s'])} | {r['nit']} | {r['nfev']} | "
                f"{fmt_time(r['evals_s'])} | {fmt_time(r['inside_s'])} | {r['ratio']:.2f}x | "
                f"{r['cost']:.6f} |"
            )
        acc = bench_accuracy(5 if args.quick else 50)
        print(
            f"\nfloat32 vs float64 training on {acc['source']} (m={acc['m']}): "
            f"float64 accuracy {acc['float64']['accuracy']:.4f} cost "
            f"{acc['float64']['cost']:.6f}; float32 accuracy {acc['float32']['accuracy']:.4f}"
            f" cost {acc['float32']['cost']:.6f}; max |x64 - x32| "
            f"{acc['max_abs_param_diff']:.2e}"
        )
        md += [
            "",
            f"### float32 training: {acc['maxiter']} iterations on {acc['source']} "
            f"(m={acc['m']}, {acc['n']}-25-10, lambda={LAMBDA:g})",
            "",
            "| dtype | final cost | training accuracy |",
            "|---|---|---|",
        ]
        for dt in ("float64", "float32"):
            md.append(f"| {dt} | {acc[dt]['cost']:.6f} | {acc[dt]['accuracy']:.4f} |")

    if not args.no_memory:
        w = max(workloads, key=lambda w: w.m * w.layer_sizes[0])
        print(f"\npeak RSS of a process running {w.name} twice ({w.describe()}):")
        md += [
            "",
            f"### Peak memory of a process running the {w.name} cost+gradient twice "
            f"(X float64 is {w.m * w.layer_sizes[0] * 8 / 2**20:.0f} MiB)",
            "",
            "| candidate | peak RSS |",
            "|---|---|",
        ]
        for name in wanted:
            if name.startswith("floor") or name.endswith("after GEMM"):  # not new runs
                continue
            try:
                peak = peak_memory(name, w, args.quick)
            except RuntimeError as exc:
                if "ModuleNotFoundError" in str(exc) or "ImportError" in str(exc):
                    continue
                raise
            print(f"  {name:<14} {peak:8.0f} MiB")
            md.append(f"| {name} | {peak:.0f} MiB |")
        if not args.no_octave and octave_available():
            peak = run_octave(w, 1)[1]
            print(f"  {'octave':<14} {peak:8.0f} MiB")
            md.append(f"| octave | {peak:.0f} MiB |")

    cmd = "python benchmarks/bench.py" + (
        " " + " ".join(argv) if argv else " " + " ".join(sys.argv[1:]) if sys.argv[1:] else ""
    )
    md += ["", f"Command: `{cmd.strip()}`  ", f"Machine: {machine_info()}"]
    if args.markdown:
        args.markdown.write_text("\n".join(md) + "\n")
        print(f"\nwrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
