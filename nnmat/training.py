"""Training: ``trainNN`` wraps ``scipy.optimize.minimize`` the way ex4.m wraps fmincg.

ex4.m::

    options = optimset('MaxIter', 50);
    costFunction = @(p) nnCostFunction(p, input_layer_size, hidden_layer_size, ...
                                       num_labels, X, y, lambda);
    [nn_params, cost] = fmincg(costFunction, initial_nn_params, options);

nnmat::

    res = trainNN(initial_nn_params, input_layer_size, hidden_layer_size,
                  num_labels, X, y, lambda_, maxiter=50)
    nn_params, cost = res.x, res.cost_history
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike
from scipy.optimize import OptimizeResult, minimize

from ._checks import check_lambda
from .network import cost_and_grad, prepare_problem, single_threaded_blas
from .params import as_layer_sizes, as_param_vector, param_layout, roll

__all__ = ["ConvergenceWarning", "trainNN"]

#: Methods whose ``maxiter`` option counts iterations and which use the gradient.
METHODS = ("L-BFGS-B", "CG", "BFGS")


class ConvergenceWarning(UserWarning):
    """The optimizer stopped (usually at ``maxiter``) before meeting its tolerance."""


def trainNN(
    initial_nn_params: ArrayLike,
    input_layer_size: int,
    hidden_layer_size: int | Sequence[int],
    num_labels: int,
    X: ArrayLike,
    y: ArrayLike,
    lambda_: float = 0.0,
    *,
    maxiter: int = 50,
    method: str = "L-BFGS-B",
    callback: Callable[[OptimizeResult], object] | None = None,
    dtype: DTypeLike = np.float64,
    tol: float | None = None,
) -> OptimizeResult:
    """Train the network with ``scipy.optimize.minimize``; ex4.m's ``fmincg`` step.

    Parameters
    ----------
    initial_nn_params : array_like of shape (n_params,) or (n_params, 1)
        Starting weights, unrolled column-major (e.g. from randInitializeWeights).
        Not modified.
    input_layer_size, hidden_layer_size, num_labels, X, y, lambda_
        As for :func:`nnCostFunction`; validated once here, not on every step.
    maxiter : int, default 50
        Maximum number of optimizer iterations (as ``optimset('MaxIter', 50)``).
    method : {"L-BFGS-B", "CG", "BFGS"}, default "L-BFGS-B"
        A gradient-based method of ``scipy.optimize.minimize`` whose ``maxiter``
        counts iterations.  BFGS keeps an ``n x n`` matrix: small networks only.
    callback : callable, optional
        Called after every iteration as ``callback(info)`` with an
        ``OptimizeResult`` holding ``nit``, ``fun`` (the cost) and ``x``.
        Raise ``StopIteration`` to stop early.
    dtype : {numpy.float64, numpy.float32}, default numpy.float64
        Precision of the forward/backward passes.  float32 roughly halves their
        time and memory traffic (X is converted once, before training); the
        optimizer itself always works in float64.  On the embedded digits, 50
        iterations reach the same training accuracy in both precisions (see the
        README's Performance section).
    tol : float, optional
        Passed to ``minimize``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result (``x``, ``fun``, ``jac``, ``nit``, ``nfev``, ``success``,
        ``message``) plus ``Thetas`` (the rolled weight matrices of ``x``),
        ``cost_history`` (the cost after each iteration, shape (nit,)),
        ``layer_sizes`` and ``elapsed`` (seconds spent in ``minimize``).

    Raises
    ------
    FloatingPointError
        If the cost becomes NaN or infinite; the result is never reported as a success.

    Warns
    -----
    ConvergenceWarning
        When the optimizer stops before meeting its tolerance, typically at
        ``maxiter`` (which is how the course trains).

    Notes
    -----
    While ``minimize`` runs, every BLAS in the process is limited to one thread
    (threadpoolctl; the previous settings come back when trainNN returns or
    raises).  The cost spreads its row chunks over as many threads as numpy's BLAS
    had before, so the cores stay busy, and the optimizer's own BLAS (scipy's
    OpenBLAS, for L-BFGS-B) has no idle threads left to spin against them.  numpy
    work in ``callback`` runs with that single-threaded BLAS too.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from nnmat import randInitializeWeights, unrollParams, predict
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3)); y = 1 + (X[:, 0] > 0)
    >>> p0 = unrollParams([randInitializeWeights(3, 4, rng=1), randInitializeWeights(4, 2, rng=2)])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     res = trainNN(p0, 3, 4, 2, X, y, 0.1, maxiter=100)
    >>> bool(np.mean(predict(*res.Thetas, X) == y) > 0.9)
    True
    """
    layer_sizes = as_layer_sizes(input_layer_size, hidden_layer_size, num_labels)
    layout = param_layout(layer_sizes)
    p0 = np.array(as_param_vector(initial_nn_params, layout, "initial_nn_params"), np.float64)
    lam = check_lambda(lambda_)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}.")
    if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
        raise ValueError(
            f"maxiter must be an int >= 1 (the number of iterations); got {maxiter!r}. "
            "To evaluate without training, call nnCostFunction."
        )
    if tol is not None and (
        isinstance(tol, bool)
        or not isinstance(tol, (int, float, np.floating, np.integer))
        or not np.isfinite(tol)
        or tol < 0
    ):
        raise ValueError(f"tol must be None or a finite number >= 0; got {tol!r}.")
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be callable as callback(info) or None; got {type(callback).__name__}."
        )
    work_dtype = np.dtype(dtype)
    if work_dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be float64 or float32; got {work_dtype}.")
    problem = prepare_problem(layer_sizes, X, y)
    if problem.X.dtype != work_dtype:
        problem.X = problem.X.astype(work_dtype)

    history: list[float] = []
    stopped_by_callback = False

    def fun(p: np.ndarray) -> tuple[float, np.ndarray]:
        # Overflow can only come from diverging weights; it is reported just below.
        with np.errstate(over="ignore", invalid="ignore"):
            J, grad = cost_and_grad(p, problem, lam)  # in X's precision, grad float64
        if not np.isfinite(J):
            raise FloatingPointError(
                f"the cost became {J} after {len(history)} iterations: the weights "
                "diverged. Scale X to about [0, 1] or start from smaller weights."
            )
        return J, grad

    def on_iteration(intermediate_result: OptimizeResult) -> None:
        nonlocal stopped_by_callback
        history.append(float(intermediate_result.fun))
        if callback is not None:
            info = OptimizeResult(nit=len(history), fun=history[-1], x=intermediate_result.x.copy())
            try:
                callback(info)
            except StopIteration:
                stopped_by_callback = True  # a requested stop is not a convergence failure
                raise

    options = {"maxiter": int(maxiter)}
    if method == "L-BFGS-B":
        # Let maxiter, not the evaluation budget, be what stops the run.
        options["maxfun"] = max(15000, 20 * int(maxiter))
    start = time.perf_counter()
    # nnmat's cost runs its own threads with BLAS at one thread.  Holding that limit
    # for the whole run also keeps the optimizer's BLAS (scipy's own OpenBLAS, for
    # L-BFGS-B) single-threaded: its idle threads would otherwise spin against
    # nnmat's on the same cores, which slowed training several times over.
    with single_threaded_blas():
        res = minimize(
            fun, p0, jac=True, method=method, tol=tol, callback=on_iteration, options=options
        )
    res.elapsed = time.perf_counter() - start
    res.cost_history = np.asarray(history)
    res.layer_sizes = layer_sizes
    res.Thetas = [t.copy() for t in roll(res.x, layout)]
    if not res.success and not stopped_by_callback:
        warnings.warn(
            f"{method} stopped after {res.nit} iterations without converging "
            f"({res.message}); raise maxiter to train further.",
            ConvergenceWarning,
            stacklevel=2,
        )
    return res
