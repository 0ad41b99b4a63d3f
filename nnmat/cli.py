"""The ``nnmat`` command (also ``python -m nnmat``): ex4.m as one command, train, predict.

Every subcommand is one function, registered with :func:`command` next to the
function that declares its options; :func:`build_parser` turns the registry into
the argument parser.  To add a subcommand::

    def _hello_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--name", default="world")

    @command("hello", "say hello", _hello_options)
    def run_hello(args: argparse.Namespace) -> int:
        say(f"hello {args.name}")
        return 0

Bad input ends with one line on stderr and a non-zero exit status, never a
traceback: 2 for a bad command line (argparse's convention), 1 for bad files or data.
Only the output folder (``--out``) is ever written to.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import __version__
from .activations import sigmoidGradient
from .data import (
    check_weights_fit,
    load_data,
    load_digits,
    load_weights,
    save_params,
    train_test_split,
)
from .gradcheck import checkNNGradients
from .initialization import randInitializeWeights
from .network import nnCostFunction, predict
from .params import unrollParams
from .shapes import shape_trace
from .training import METHODS, ConvergenceWarning, trainNN

__all__ = ["COMMANDS", "Command", "CommandError", "build_parser", "command", "main", "say"]


class CommandError(Exception):
    """A user error reported as one line on stderr with exit status 1."""


def say(text: str = "") -> None:
    """Print one line of the command's report, flushed so progress shows at once."""
    print(text, flush=True)


# ----------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Command:
    """One subcommand: its name, one-line help, option declarations and body."""

    name: str
    help: str
    add_options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: Subcommands by name, in the order ``nnmat --help`` lists them.
COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, add_options: Callable[[argparse.ArgumentParser], None]
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register the decorated function as subcommand ``name``; it returns the exit status."""

    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = Command(name, help, add_options, run)
        return run

    return register


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``nnmat`` argument parser, one sub-parser per registered command."""
    parser = _Parser(
        prog="nnmat",
        description="Andrew Ng's ex4 (Neural Networks Learning) in numpy/scipy.",
    )
    parser.add_argument("--version", action="version", version=f"nnmat {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.add_options(p)
        p.set_defaults(run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``nnmat`` with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a bad command line
        return exc.code if isinstance(exc.code, int) else 1
    if args.command is None:
        print(
            f"nnmat: error: choose a command: {', '.join(COMMANDS)} (see nnmat --help)",
            file=sys.stderr,
        )
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"nnmat {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (nnmat ... | head): stop quietly, as shell tools do, and
        # keep Python from reporting the failed flush of stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (CommandError, OSError, ValueError, TypeError, FloatingPointError) as exc:
        print(f"nnmat {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print(
            f"nnmat {args.command}: error: out of memory; use smaller --hidden layers or "
            "less data.",
            file=sys.stderr,
        )
        return 1


# ----------------------------------------------------------------------------- option types
def _option(convert: Callable[[str], float], ok: Callable[[float], bool], expected: str):
    """An argparse type: ``convert`` the text, then insist on ``ok``, else say ``expected``."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not ok(value):
            raise argparse.ArgumentTypeError(f"expected {expected}; got {text!r}")
        return value

    return parse


_positive_int = _option(int, lambda v: v >= 1, "a whole number >= 1")
_seed = _option(int, lambda v: v >= 0, "a whole number >= 0")
_lambda = _option(
    float, lambda v: math.isfinite(v) and v >= 0, "a number >= 0 (0 for no regularization)"
)
_fraction = _option(
    float, lambda v: 0 <= v < 1, "a fraction in [0, 1), e.g. 0.2 (0 holds nothing out)"
)


def _hidden(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected hidden layer sizes >= 1 separated by commas, e.g. 25 or 100,100; "
            f"got {text!r}"
        )
    return sizes


# ----------------------------------------------------------------------------- shared options
def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        metavar="FILE.mat",
        help="MAT file with X (one example per row) and y (labels 1..K), e.g. the "
        "course's ex4data1.mat (default: the embedded 8x8 digits)",
    )


def _out_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("nnmat-out"),
        metavar="DIR",
        help="folder for every file written, created if missing (default: nnmat-out)",
    )


def _training_options(parser: argparse.ArgumentParser) -> None:
    _data_option(parser)
    parser.add_argument(
        "--hidden",
        type=_hidden,
        default=(25,),
        metavar="SIZES",
        help="hidden layer sizes, e.g. 25 or 100,100 (default: 25)",
    )
    parser.add_argument(
        "--lambda",
        dest="lambda_",
        type=_lambda,
        default=1.0,
        metavar="L",
        help="regularization strength (default: 1)",
    )
    parser.add_argument(
        "--maxiter",
        type=_positive_int,
        default=200,
        metavar="N",
        help="most optimizer iterations (default: 200)",
    )
    parser.add_argument(
        "--method", choices=METHODS, default="L-BFGS-B", help="optimizer (default: L-BFGS-B)"
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=0,
        metavar="S",
        help="seed for the split, the initial weights and the sample picture (default: 0)",
    )
    parser.add_argument(
        "--test-size",
        type=_fraction,
        default=0.2,
        metavar="F",
        help="fraction held out for testing, stratified by label (default: 0.2)",
    )
    _out_option(parser)
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG pictures (faster)")


# ----------------------------------------------------------------------------- shared steps
@dataclass
class _Data:
    X: np.ndarray
    y: np.ndarray | None
    name: str

    @property
    def num_labels(self) -> int:
        return int(self.y.max())


# Label counts up to this are accepted whatever the number of examples.
_MAX_CLASSES_ANYWAY = 1000


def _load(path: Path | None, *, require_labels: bool = True) -> _Data:
    if path is None:
        X, y = load_digits()
        return _Data(X, y, "the embedded digits (UCI, via scikit-learn; 8x8 images)")
    X, y = load_data(path, require_labels=require_labels)
    if require_labels and y.max() > max(y.size, _MAX_CLASSES_ANYWAY):
        # One output unit per label up to the largest: a stray label such as 1e9 would
        # otherwise make a huge output layer.  Small data with a few classes is fine.
        raise CommandError(
            f"the labels go up to {y.max()} but there are only {y.size} examples; "
            "y must hold class numbers 1..K."
        )
    return _Data(X, y, str(path))


def _describe(data: _Data) -> None:
    m, n = data.X.shape
    say(f"Data: {data.name}, {m} examples of {n} features")
    line = f"  X {data.X.shape} values in [{data.X.min():g}, {data.X.max():g}]"
    if data.y is not None:
        line += f"; y {data.y.shape} labels 1..{data.num_labels}"
        if data.num_labels == 10:
            line += " (10 is the digit 0)"
    say(line)


def _network(Thetas: Sequence[np.ndarray]) -> str:
    sizes = [Thetas[0].shape[1] - 1] + [t.shape[0] for t in Thetas]
    shapes = ", ".join(f"Theta{k} {t.shape}" for k, t in enumerate(Thetas, start=1))
    return f"{'-'.join(map(str, sizes))} ({shapes})"


def _accuracy(predicted: np.ndarray, y: np.ndarray) -> str:
    correct = int(np.sum(predicted == y))
    return f"{100 * correct / y.size:.2f}% ({correct} of {y.size})"


def _out_dir(path: Path) -> Path:
    """Create the output folder, the only place the command writes to."""
    if path.exists() and not path.is_dir():
        raise CommandError(f"--out {path} is a file; pass a folder (it is created if missing).")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create the output folder {path}: {exc.strerror}.") from None
    return path


def _train_evaluate_save(args: argparse.Namespace, data: _Data, out: Path) -> None:
    """Split, initialize, train with progress lines, report accuracy, save into ``out``, draw."""
    X, y = data.X, data.y
    split_rng, init_rng, sample_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(args.seed).spawn(3)
    )
    train, test = train_test_split(y, args.test_size, split_rng)
    if train.size == 0:
        raise CommandError(f"--test-size {args.test_size} leaves no examples for training.")
    layer_sizes = (X.shape[1], *args.hidden, data.num_labels)
    Thetas0 = [
        randInitializeWeights(n_in, n_out, rng=init_rng)
        for n_in, n_out in itertools.pairwise(layer_sizes)
    ]
    p0 = unrollParams(Thetas0)
    say()
    say(
        f"Initializing: network {_network(Thetas0)}, {p0.size} parameters, "
        f"randInitializeWeights (epsilon_init 0.12, seed {args.seed})"
    )
    say(
        f"Held out: {test.size} of {y.size} examples ({args.test_size:.0%}, stratified by "
        f"label, seed {args.seed}); training on {train.size}"
    )
    say()
    say(f"Training: {args.method}, lambda = {args.lambda_:g}, at most {args.maxiter} iterations")
    start = time.perf_counter()

    def progress(info) -> None:
        elapsed = time.perf_counter() - start
        say(f"  Iteration {info.nit:4d} | Cost: {info.fun:.6e} | {elapsed:6.2f} s")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        res = trainNN(
            p0,
            X.shape[1],
            args.hidden,
            data.num_labels,
            X[train],
            y[train],
            args.lambda_,
            maxiter=args.maxiter,
            method=args.method,
            callback=progress,
        )
    for w in caught:
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if res.success:
        say(f"  converged after {res.nit} iterations ({time.perf_counter() - start:.2f} s)")
    elif res.nit >= args.maxiter:
        say(
            f"  note: stopped at the iteration limit ({args.maxiter}) before converging, "
            "as ex4.m's training does; --maxiter raises it"
        )
    else:
        say(f"  note: stopped after {res.nit} iterations without converging: {res.message}")

    say()
    say(f"Training set accuracy: {_accuracy(predict(*res.Thetas, X[train]), y[train])}")
    if test.size:
        say(f"Held-out accuracy:     {_accuracy(predict(*res.Thetas, X[test]), y[test])}")

    params = out / "params.mat"
    save_params(params, res.Thetas)
    say()
    thetas = ", ".join(f"Theta{k}" for k in range(1, len(res.Thetas) + 1))
    say(f"Saved {params} ({thetas}, nn_params, layer_sizes)")
    say(f"  in Octave: load('{params}'); p = predict({thetas}, X);")
    if not args.no_plots:
        _pictures(out, X[sample_rng.permutation(y.size)[:100]], res)


def _pictures(out: Path, samples: np.ndarray, res) -> None:
    from .plotting import PLOT_HINT, save_pictures

    try:
        paths = save_pictures(
            out, samples=samples, Thetas=res.Thetas, cost_history=res.cost_history
        )
    except ImportError:
        say(f"Pictures skipped: they need matplotlib; get them with  {PLOT_HINT}")
        return
    say(f"Pictures: {', '.join(str(p) for p in paths)}")


# ----------------------------------------------------------------------------- ex4
def _ex4_options(parser: argparse.ArgumentParser) -> None:
    _training_options(parser)
    parser.add_argument(
        "--weights",
        type=Path,
        metavar="FILE.mat",
        help="MAT file with Theta1, Theta2, ... (e.g. the course's ex4weights.mat): "
        "report the feedforward cost at lambda 0, 1 and 3",
    )


@command(
    "ex4",
    "the whole ex4.m exercise: data, cost, gradient checks, training, accuracy, "
    "saved weights, pictures",
    _ex4_options,
)
def run_ex4(args: argparse.Namespace) -> int:
    """ex4.m without the pauses: every part's result, then training with progress."""
    start = time.perf_counter()
    data = _load(args.data)
    weights = load_weights(args.weights) if args.weights is not None else None
    if weights is not None:
        check_weights_fit(weights, data.X, data.y, name=f"the weights in {args.weights}")
    out = _out_dir(args.out)  # before any work: a bad --out fails at once
    say("nnmat ex4: the course's ex4.m, non-interactive")
    say()
    _describe(data)

    if weights is not None:
        say()
        say(f"Feedforward with {args.weights}: network {_network(weights)}")
        p = unrollParams(weights)
        hidden = [t.shape[0] for t in weights[:-1]]
        K = weights[-1].shape[0]
        for lam in (0.0, 1.0, 3.0):
            J, _ = nnCostFunction(p, data.X.shape[1], hidden, K, data.X, data.y, lam)
            say(f"  cost at lambda = {lam:g}: {J:.6f}")
        say(f"  accuracy on all examples: {_accuracy(predict(*weights, data.X), data.y)}")

    say()
    z = np.array([-1, -0.5, 0, 0.5, 1])
    say(f"sigmoidGradient at [-1 -0.5 0 0.5 1]: {' '.join(f'{g:.6f}' for g in sigmoidGradient(z))}")

    say()
    say("Gradient checking (checkNNGradients: 3-5-3 network, 5 examples, central differences)")
    for lam in (0.0, 3.0):
        check = checkNNGradients(lam)
        verdict = "PASS" if check.passed else "FAIL"
        say(
            f"  lambda = {lam:g}: relative difference {check.relative_difference:.2e} "
            f"(threshold {check.threshold:g}) {verdict}"
        )

    _train_evaluate_save(args, data, out)
    say()
    say(f"Done in {time.perf_counter() - start:.1f} s")
    return 0


# ----------------------------------------------------------------------------- train
@command("train", "train a network of any depth on a MAT file with X and y", _training_options)
def run_train(args: argparse.Namespace) -> int:
    """Train, report accuracy, save the parameters and the pictures."""
    data = _load(args.data)
    out = _out_dir(args.out)
    _describe(data)
    _train_evaluate_save(args, data, out)
    return 0


# ----------------------------------------------------------------------------- predict
def _predict_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weights",
        type=Path,
        required=True,
        metavar="FILE.mat",
        help="MAT file with Theta1, Theta2, ... (e.g. nnmat-out/params.mat or ex4weights.mat)",
    )
    _data_option(parser)
    _out_option(parser)
    parser.add_argument(
        "--save-labels",
        action="store_true",
        help="write the predicted labels, one per line, to DIR/labels.txt",
    )


@command("predict", "predict labels with saved weights and report the accuracy", _predict_options)
def run_predict(args: argparse.Namespace) -> int:
    """Load weights and data, predict, report accuracy when the data has labels."""
    weights = load_weights(args.weights)
    data = _load(args.data, require_labels=False)
    check_weights_fit(weights, data.X, data.y, name=f"the weights in {args.weights}")
    _describe(data)
    say(f"Weights: {args.weights}, network {_network(weights)}")
    labels = predict(*weights, data.X)
    if data.y is not None:
        say(f"Accuracy: {_accuracy(labels, data.y)}")
    else:
        say(f"Predicted {labels.size} labels (the data has no y, so no accuracy)")
    if args.save_labels:
        path = _out_dir(args.out) / "labels.txt"
        np.savetxt(path, labels, fmt="%d")
        say(f"Saved {path} (one label per line; Octave: p = load('{path}');)")
    return 0


# ----------------------------------------------------------------------------- shapes
def _shapes_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "layer_sizes",
        type=_positive_int,
        nargs="+",
        metavar="SIZE",
        help="units per layer, input first, e.g. 400 25 10",
    )
    parser.add_argument(
        "--m",
        type=_positive_int,
        default=5000,
        metavar="M",
        help="number of examples (default: 5000, as the course's data)",
    )


@command(
    "shapes",
    "print the shape of every array of one forward and backward pass, bias columns marked",
    _shapes_options,
)
def run_shapes(args: argparse.Namespace) -> int:
    """The course's "print sizes constantly", for any layer sizes and m."""
    say(str(shape_trace(args.layer_sizes, args.m)))
    return 0


# ----------------------------------------------------------------------------- gradcheck
def _gradcheck_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "layer_sizes",
        type=_positive_int,
        nargs="*",
        default=[3, 5, 3],
        metavar="SIZE",
        help="units per layer, input first, at least one hidden layer "
        "(default: the course's 3 5 3)",
    )
    parser.add_argument(
        "--lambda",
        dest="lambda_",
        type=_lambda,
        default=0.0,
        metavar="L",
        help="regularization strength (default: 0)",
    )
    parser.add_argument(
        "--m",
        type=_positive_int,
        default=5,
        metavar="M",
        help="number of examples (default: 5, as checkNNGradients.m)",
    )
    parser.add_argument(
        "--sample",
        type=_positive_int,
        metavar="K",
        help="check only K coordinates per layer, half from its bias column "
        "(default: every parameter)",
    )
    parser.add_argument(
        "--seed", type=_seed, default=0, metavar="S", help="seed of --sample (default: 0)"
    )
    parser.add_argument(
        "--all-rows", action="store_true", help="print every row of the side-by-side columns"
    )


@command(
    "gradcheck",
    "compare backprop with central differences, layer by layer (checkNNGradients); "
    "exit status 1 when they differ",
    _gradcheck_options,
)
def run_gradcheck(args: argparse.Namespace) -> int:
    """checkNNGradients.m on debug weights of any size, with the per-block report."""
    start = time.perf_counter()
    report = checkNNGradients(
        args.lambda_, layer_sizes=args.layer_sizes, m=args.m, sample=args.sample, rng=args.seed
    )
    say(report.format(max_rows=None if args.all_rows else 20))
    evaluations = 1 + 2 * report.numerical.size
    say(f"({evaluations} cost evaluations in {time.perf_counter() - start:.2f} s)")
    return 0 if report.passed else 1
