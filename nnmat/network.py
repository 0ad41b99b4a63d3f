"""The forward/backward core: one loop over layers each way (ports nnCostFunction.m, predict.m).

Shapes, for ``layer_sizes = (s0, s1, ..., sL)`` and ``m`` examples::

    a0 = X                        (m, s0)      no bias column is ever materialized
    z_l = a_{l-1} Theta_l' (+bias) (m, s_l)     Theta_l: (s_l, s_{l-1} + 1), bias in column 0
    a_l = g(z_l)                  (m, s_l)     hidden layers only; the output keeps z_L
    delta_L = g(z_L) - Y          (m, sL)      sigmoid + cross-entropy: the g' cancels
    delta_l = (delta_{l+1} Theta_{l+1}[:, 1:]) .* a_l .* (1 - a_l)
    Theta_l_grad = [sum(delta_l), delta_l' a_{l-1}] / m

The layer contract (micrograd-style, one pair of functions for every layer):
``layer_forward`` returns the layer's cache; ``layer_backward`` takes that cache and
the incoming signal and returns the layer's gradient and the outgoing signal.

Bias handling lives in ``layer_forward``/``layer_backward`` (the bias enters as a
broadcast add and leaves as a column sum, so ``[ones(m, 1) X]`` is never built);
the "do not regularize column 0" rule lives in ``_regularize``.

Cost and gradient are sums over examples, so ``cost_and_grad`` runs the core loop
(``_chunk_cost_grad``) on chunks of rows and adds the chunks' results.  A chunk's X
and activations stay in cache from its forward to its backward pass, and no buffer
grows with m.  With m >= 512 the chunks are spread over as many threads as numpy's
BLAS may use, each calling BLAS single-threaded, so the element-wise work (sigmoids,
logs) runs on every core too (see ``single_threaded_blas``).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from ._checks import check_labels, check_lambda, check_thetas, check_X
from .params import ParamLayout, as_layer_sizes, as_param_vector, param_layout, roll

__all__ = ["Problem", "cost_and_grad", "nnCostFunction", "predict", "prepare_problem"]

# Rows per block in the backward element-wise step: big enough for efficient GEMMs,
# small enough that the block's temporaries stay in cache.
_BLOCK_ELEMENTS = 1 << 16
# Elements of X per chunk of rows in cost_and_grad (8 MiB of float64): the chunk of X
# is still in cache when the backward pass multiplies by it again, so X streams from
# memory once per call instead of twice.  Chunks have at least _MIN_CHUNK_ROWS rows
# so that the GEMMs stay efficient and the per-chunk gradient sums stay cheap.
_CHUNK_ELEMENTS = 1 << 20
_MIN_CHUNK_ROWS = 256


# ----------------------------------------------------------------------------- layers
def layer_forward(a_in: NDArray, Theta: NDArray, out: NDArray, *, hidden: bool) -> tuple:
    """Forward one layer: ``out = g(a_in @ Theta[:, 1:].T + Theta[:, 0])``.

    Parameters
    ----------
    a_in : ndarray of shape (m, n_in)
        The previous layer's activation, without bias column.
    Theta : ndarray of shape (n_out, n_in + 1)
        The layer's weights, bias in column 0.
    out : ndarray of shape (m, n_out)
        Buffer that receives the activation (``hidden=True``) or the logits.
    hidden : bool
        Apply the sigmoid.  The output layer keeps its logits ``z`` so the loss can be
        computed stably from them.

    Returns
    -------
    cache : tuple
        ``(a_in, out)``, what ``layer_backward`` needs.
    """
    np.matmul(a_in, Theta[:, 1:].T, out=out)
    out += Theta[:, 0]  # the bias column, as a broadcast add
    if hidden:
        expit(out, out=out)
    return a_in, out


def layer_backward(
    cache: tuple, delta: NDArray, Theta: NDArray, grad: NDArray, *, input_is_hidden: bool
) -> tuple[NDArray, NDArray | None]:
    """Backward one layer, given ``delta = dJ/dz`` of its pre-activation.

    Parameters
    ----------
    cache : tuple
        ``(a_in, a_out)`` from ``layer_forward``.
    delta : ndarray of shape (m, n_out)
        Signal for this layer's pre-activation ``z``, already divided by m.
    Theta : ndarray of shape (n_out, n_in + 1)
        The layer's weights.
    grad : ndarray of shape (n_out, n_in + 1)
        Receives the gradient; a column-major view into the unrolled gradient.
    input_is_hidden : bool
        Whether ``a_in`` is a sigmoid activation.  False for the input layer: no
        delta is computed for X.

    Returns
    -------
    grad : ndarray of shape (n_out, n_in + 1)
        ``[sum(delta), delta' a_in]``.
    delta_in : ndarray of shape (m, n_in) or None
        ``(delta Theta[:, 1:]) .* a_in .* (1 - a_in)``, the previous layer's signal.
        It is written over ``a_in``: the cache is consumed.
    """
    a_in = cache[0]
    np.sum(delta, axis=0, out=grad[:, 0])  # bias column: the ones column's product
    np.matmul(a_in.T, delta, out=grad[:, 1:].T)
    if not input_is_hidden:
        return grad, None
    W = Theta[:, 1:]
    m, n_in = a_in.shape
    rows = max(1, _BLOCK_ELEMENTS // n_in)
    tmp = np.empty((min(rows, m), n_in), dtype=a_in.dtype)
    for start in range(0, m, rows):
        a = a_in[start : start + rows]
        t = np.matmul(delta[start : start + rows], W, out=tmp[: a.shape[0]])
        t *= a  # g'(z) = a (1 - a), from the cached activation
        np.subtract(1.0, a, out=a)
        np.multiply(t, a, out=a)
    return grad, a_in


# ----------------------------------------------------------------------------- core loop
@dataclass
class Problem:
    """Validated training data for one network, ready for the unchecked core.

    Attributes
    ----------
    layout : ParamLayout
        Shapes and offsets of the Thetas.
    X : ndarray of shape (m, layer_sizes[0])
        Finite floats, not copied when the caller's X already was.
    labels : ndarray of shape (m,)
        0-based class indices (course label minus one), ``intp``.
    """

    layout: ParamLayout
    X: NDArray
    labels: NDArray[np.intp]
    _buffers: dict = field(default_factory=dict, repr=False)

    @property
    def m(self) -> int:
        return self.X.shape[0]

    def buffers(self, dtype, thread: int, rows: int) -> list[NDArray]:
        """One thread's per-layer activation buffers for chunks of ``rows`` rows.

        Allocated on first use and then reused by every call.
        """
        key = (np.dtype(dtype), thread, rows)
        if key not in self._buffers:
            if len(self._buffers) > 16:  # dtype or thread count changed many times
                self._buffers.clear()
            self._buffers[key] = [
                np.empty((rows, s), dtype=dtype) for s in self.layout.layer_sizes[1:]
            ]
        return self._buffers[key]


def prepare_problem(layer_sizes: tuple[int, ...], X: ArrayLike, y: ArrayLike) -> Problem:
    """Validate ``X`` and ``y`` for ``layer_sizes`` once; see :func:`nnCostFunction`."""
    Xc = check_X(X, layer_sizes[0])
    labels = check_labels(y, Xc.shape[0], layer_sizes[-1])
    return Problem(param_layout(layer_sizes), Xc, labels)


def _regularize(
    p: NDArray, grad: NDArray | None, layout: ParamLayout, lambda_: float, m: int
) -> float:
    """Add the weight-decay gradient to ``grad`` (unless None) and return the penalty term.

    ``lambda/(2m) * sum(Theta_l(:, 2:).^2)`` summed over layers: bias weights (column 0)
    are never regularized.  Column-major order makes each layer's non-bias weights
    one contiguous slice of ``p``.
    """
    if lambda_ == 0.0:
        return 0.0
    penalty = 0.0
    for layer in range(len(layout.shapes)):
        w = p[layout.weights_slice(layer)]
        penalty += float(np.dot(w, w))
        if grad is not None:
            grad[layout.weights_slice(layer)] += (lambda_ / m) * w
    return lambda_ / (2.0 * m) * penalty


def _chunk_cost_grad(
    Thetas: list[NDArray],
    X: NDArray,
    labels: NDArray,
    m: int,
    acts: list[NDArray],
    grads: list[NDArray] | None,
) -> float:
    """The core loop on a chunk of rows: returns its summed loss, writes its gradient.

    One forward loop and one backward loop over the layers.  ``acts`` are buffers
    with at least ``len(X)`` rows; ``m`` is the full number of examples (every
    gradient carries 1/m); ``grads`` are the Theta-shaped views that receive it, or
    None for the loss alone (no backward pass).
    """
    n = X.shape[0]
    n_layers = len(Thetas)
    caches = []
    a = X
    for i, Theta in enumerate(Thetas):
        cache = layer_forward(a, Theta, acts[i][:n], hidden=i < n_layers - 1)
        caches.append(cache)
        a = cache[1]

    # Output layer: sigmoid + cross-entropy from the logits z.  With v = z for
    # non-target entries and v = -z for the target, each term of the course's
    # -y log(h) - (1 - y) log(1 - h) is softplus(v) = log(1 + e^v), and delta = h - y
    # is +-s with s = expit(v): no one-hot matrix.  softplus(v) = max(v, 0) -
    # log1p(-min(s, 1 - s)) reuses s, costs one log, and stays finite when s is 0 or 1;
    # min(s, 1 - s) is exact (1 - s has no rounding for s >= 1/2), so even the tiny
    # losses of confident right answers keep full relative precision.
    z = a
    rows = np.arange(n)
    z[rows, labels] *= -1.0
    J = float(np.maximum(z, 0.0).sum())
    s = expit(z, out=z)
    J -= float(np.log1p(-np.minimum(s, 1.0 - s)).sum())
    if grads is None:
        return J
    delta = s
    delta[rows, labels] *= -1.0
    delta *= 1.0 / m  # fold the 1/m of every gradient into the one small output signal

    for i in range(n_layers - 1, -1, -1):
        _, delta = layer_backward(caches[i], delta, Thetas[i], grads[i], input_is_hidden=i > 0)
    return J


def cost_and_grad(
    p: NDArray, problem: Problem, lambda_: float, *, with_grad: bool = True
) -> tuple[float, NDArray | None]:
    """Unchecked cost and gradient: the function the optimizer calls.

    ``p`` must already be a 1-D float vector of the right length (see
    :func:`nnCostFunction`).  The passes run in float32 when X is float32, else in
    float64; J is a float and the gradient a new float64 vector either way.  With
    ``with_grad=False`` only the forward pass runs (about a third of the work, what
    finite differences need) and the gradient is None.
    """
    m = problem.m
    if m < 2 * _MIN_CHUNK_ROWS:
        return _cost_and_grad_on_threads(p, problem, lambda_, with_grad, 1)
    with single_threaded_blas() as n_threads:
        n_threads = max(1, min(n_threads, m // _MIN_CHUNK_ROWS))
        return _cost_and_grad_on_threads(p, problem, lambda_, with_grad, n_threads)


def _cost_and_grad_on_threads(
    p: NDArray, problem: Problem, lambda_: float, with_grad: bool, n_threads: int
) -> tuple[float, NDArray | None]:
    """``cost_and_grad`` with the rows split into ``n_threads`` parts, one per thread.

    Each part is a fixed range of rows, summed chunk by chunk in order, and the parts
    are added in order, so a call gives the same bits every time.  A part whose
    helper task has not started when the caller is done with its own part (queued
    behind another call's, or no pool thread after a fork) is run by the caller.
    """
    layout, X, labels = problem.layout, problem.X, problem.labels
    m, n_in = X.shape
    dtype = np.float32 if X.dtype == np.float32 else np.result_type(X.dtype, p.dtype)
    Thetas = roll(p.astype(dtype, copy=False), layout)
    chunk = min(max(_MIN_CHUNK_ROWS, _CHUNK_ELEMENTS // n_in), -(-m // n_threads))
    bounds = [m * k // n_threads for k in range(n_threads + 1)]
    failed = threading.Event()  # set by the first failing part: the others stop early

    def run_part(k: int, slot: int) -> tuple[float, NDArray | None]:
        acts = problem.buffers(dtype, slot, chunk)
        total = np.zeros(layout.size, dtype=dtype) if with_grad else None
        # One chunk writes straight into the total; more add up through a scratch vector.
        several = bounds[k + 1] - bounds[k] > chunk
        grad = np.empty_like(total) if with_grad and several else total
        grads = roll(grad, layout) if with_grad else None
        J = 0.0
        try:
            for start in range(bounds[k], bounds[k + 1], chunk):
                if failed.is_set():
                    break
                stop = min(start + chunk, bounds[k + 1])
                J += _chunk_cost_grad(Thetas, X[start:stop], labels[start:stop], m, acts, grads)
                if grad is not total:
                    total += grad
        except BaseException:
            failed.set()
            raise
        return J, total

    if n_threads == 1:
        parts = [run_part(0, 0)]
    else:
        # numpy 1.x keeps errstate per thread: hand the caller's to the helpers.
        err, errcall = np.geterr(), np.geterrcall()

        def helper(k: int) -> tuple[float, NDArray | None]:
            with np.errstate(call=errcall, **err):
                return run_part(k, k)

        futures = [_pool().submit(helper, k) for k in range(1, n_threads)]
        try:
            parts = [run_part(0, 0)]
            for k, future in enumerate(futures, start=1):
                parts.append(run_part(k, 0) if future.cancel() else future.result())
        except BaseException:
            # No helper may outlive the call: they use this problem's buffers and the
            # BLAS limit.  Running ones stop after their current chunk; queued ones
            # are dropped (waiting for them could hang after a fork).
            failed.set()
            wait([f for f in futures if not f.cancel()])
            raise
    J = sum(part[0] for part in parts) / m
    if not with_grad:
        return J + _regularize(p, None, layout, lambda_, m), None
    grad = parts[0][1].astype(np.float64, copy=False)  # each part's total is a new vector
    for part in parts[1:]:
        grad += part[1]
    J += _regularize(p, grad, layout, lambda_, m)
    return J, grad


# ----------------------------------------------------------------------------- threads
# nnmat runs its own threads, one per thread numpy's BLAS may use, and limits every
# BLAS to one thread meanwhile: on the 2-core machine of benchmarks/, two single-threaded
# BLAS calls on half the rows each ran faster than one two-threaded call on all rows,
# and the sigmoids and logs between the GEMMs run on every core too.  Nothing in a
# call runs multithreaded BLAS: OpenBLAS threads spin for ~0.1 s after each threaded
# call and would take a core from nnmat's own threads.
#
# The limit is global to the process, so one thread at a time holds it (the owner,
# through threadpoolctl, entered and left in that thread as threadpoolctl requires);
# nested holds in the owner's thread (trainNN, then each cost) share it, and calls
# from other threads meanwhile run on their one thread and leave BLAS alone.
_threads_lock = threading.Lock()
_threads_state: dict = {
    "owner": None,  # ident of the thread holding the limit
    "depth": 0,  # its nested holds
    "granted": 1,  # threads the owner's calls may run
    "limiter": None,  # threadpoolctl's limiter, to restore after a fork
    "controller": None,
    "pool": None,
}


def blas_controller():
    """The process's threadpoolctl controller, made once (it scans the loaded libraries)."""
    if _threads_state["controller"] is None:
        from threadpoolctl import ThreadpoolController

        _threads_state["controller"] = ThreadpoolController()
    return _threads_state["controller"]


def numpy_blas_controllers() -> list:
    """threadpoolctl controllers of the BLAS that numpy links (not scipy's own)."""
    numpy_dir = os.path.dirname(np.__file__)
    prefixes = (numpy_dir + os.sep, os.path.join(os.path.dirname(numpy_dir), "numpy.libs") + os.sep)
    return [
        lib
        for lib in blas_controller().lib_controllers
        if lib.user_api == "blas" and lib.filepath.startswith(prefixes)
    ]


@contextmanager
def single_threaded_blas():
    """Limit every BLAS to one thread; yields how many threads nnmat may run.

    That is the thread count numpy's BLAS has when the limit is first taken (at
    most the number of cores), or 1: when the caller limited BLAS to keep nnmat on
    one thread, when another thread holds this limit (BLAS is then left alone), or
    when the limit does not take (no BLAS threadpoolctl can control, or
    threadpoolctl reserves OpenBLAS's limit to another Python thread).  Nested in the
    holding thread, it yields what the outer one did.  The limit is taken and given
    back with threadpoolctl in the holding thread, so limits set at the same time by
    other threads interact with it as two threadpoolctl limits would.
    """
    me = threading.get_ident()
    with _threads_lock:
        if _threads_state["owner"] is None:
            _threads_state["owner"], _threads_state["depth"] = me, 1
            role = "owner"
        elif _threads_state["owner"] == me:
            _threads_state["depth"] += 1
            role = "nested"
        else:
            role = "other"
    if role == "other":  # BLAS is held at one thread by another thread: stay on this one
        yield 1
    elif role == "nested":
        try:
            yield _threads_state["granted"]
        finally:
            with _threads_lock:
                _threads_state["depth"] -= 1
    else:
        try:
            numpy_libs = numpy_blas_controllers()
            n = max((lib.num_threads for lib in numpy_libs), default=1)
            blas = [lib for lib in blas_controller().lib_controllers if lib.user_api == "blas"]
            if all(lib.num_threads == 1 for lib in blas):
                yield 1  # limited already (by the caller, say): nothing to set or restore
            else:
                with blas_controller().limit(limits=1, user_api="blas") as limiter:
                    _threads_state["limiter"] = limiter
                    took = all(lib.num_threads == 1 for lib in numpy_libs)
                    _threads_state["granted"] = max(1, min(n, os.cpu_count() or 1)) if took else 1
                    yield _threads_state["granted"]
        finally:
            with _threads_lock:
                _threads_state.update(owner=None, depth=0, granted=1, limiter=None)


def _pool() -> ThreadPoolExecutor:
    with _threads_lock:
        if _threads_state["pool"] is None:
            _threads_state["pool"] = ThreadPoolExecutor(
                max_workers=max(1, (os.cpu_count() or 2) - 1), thread_name_prefix="nnmat"
            )
        return _threads_state["pool"]


def _after_fork_in_child() -> None:
    # Only the forking thread survives, with a pool that has no threads.  The lock may
    # have been held by a thread that is gone.  A limit held by such a thread would
    # never be restored: restore it here (a limit held by the forking thread itself
    # is restored when its context exits, as in the parent).
    global _threads_lock
    _threads_lock = threading.Lock()
    _threads_state["pool"] = None
    owner, limiter = _threads_state["owner"], _threads_state["limiter"]
    if owner is not None and owner != threading.get_ident():
        _threads_state.update(owner=None, depth=0, granted=1, limiter=None)
        if limiter is not None:
            limiter.restore_original_limits()
        import threadpoolctl

        # Recent threadpoolctl lets one thread own OpenBLAS's limit: that one is gone.
        openblas = getattr(threadpoolctl, "OpenBLASController", None)
        if hasattr(openblas, "clear_controlling_thread"):
            openblas.clear_controlling_thread(force=True)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# ----------------------------------------------------------------------------- public API
class _Memo:
    """What one thread remembers of its last X: a weak key and the reusable buffers."""

    __slots__ = ("buffers", "key")

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.buffers: dict = {}

    def clear(self, _ref: object = None) -> None:
        # Called by the weak reference when the caller's X dies: frees the buffers too.
        self.key = None
        self.buffers = {}


class _LastProblem(threading.local):
    """Per-thread memo of the last validated X for nnCostFunction.

    An optimizer calls nnCostFunction hundreds of times with the same X; this keeps
    those calls from re-scanning X for NaN and from reallocating buffers.  Only a
    float X used as it is (no converted copy) is remembered, by a weak reference, so
    the memo never keeps X alive and in-place edits of X are seen by the next call
    (only its NaN scan is skipped).  y is checked on every call (O(m)), so new or
    edited labels always count.
    """

    memo: _Memo | None = None

    def get(self, layer_sizes: tuple[int, ...], X: ArrayLike, y: ArrayLike) -> Problem:
        memo = self.memo
        if memo is not None and memo.key is not None:
            sizes, x_ref, x_sig = memo.key
            if sizes == layer_sizes and x_ref() is X and x_sig == _signature(X):
                labels = check_labels(y, X.shape[0], layer_sizes[-1])
                return Problem(param_layout(layer_sizes), X, labels, memo.buffers)
        problem = prepare_problem(layer_sizes, X, y)
        if problem.X is X:  # a float ndarray, used without a copy
            memo = _Memo()
            memo.key = (layer_sizes, weakref.ref(X, memo.clear), _signature(X))
            memo.buffers = problem._buffers
            self.memo = memo
        return problem


def _signature(X: np.ndarray) -> tuple:
    return X.shape, X.strides, X.dtype, X.__array_interface__["data"][0]


_last = _LastProblem()


def nnCostFunction(
    nn_params: ArrayLike,
    input_layer_size: int,
    hidden_layer_size: int | Sequence[int],
    num_labels: int,
    X: ArrayLike,
    y: ArrayLike,
    lambda_: float = 0.0,
) -> tuple[float, NDArray[np.float64]]:
    """Regularized cross-entropy cost of the network and its gradient by backpropagation.

    Port of ``nnCostFunction.m``, vectorized over examples and generalized to any
    number of hidden layers.

    Parameters
    ----------
    nn_params : array_like of shape (n_params,) or (n_params, 1)
        All weights unrolled column-major, ``[Theta1(:); Theta2(:); ...]``.
    input_layer_size : int
        Number of features per example (400 for 20x20 images).
    hidden_layer_size : int or sequence of int
        Units of the hidden layer (the course's 25), or one entry per hidden layer,
        e.g. ``(100, 100, 100)``.
    num_labels : int
        Number of classes K.
    X : array_like of shape (m, input_layer_size)
        One example per row, without the bias column.  A float32 X makes the
        forward and backward passes run in float32 (about twice as fast, with
        float32 rounding); any other X runs in float64.
    y : array_like of shape (m,) or (m, 1)
        Labels 1..K (integers or integral floats; 10 is the digit 0 in the course).
    lambda_ : float, default 0.0
        Regularization strength; bias weights (column 0 of every Theta) are exempt.

    Returns
    -------
    J : float
        ``1/m sum_i sum_k [-y_ik log(h_ik) - (1 - y_ik) log(1 - h_ik)]
        + lambda/(2m) sum_l sum(Theta_l(:, 2:).^2)``.
    grad : ndarray of shape (n_params,)
        ``dJ/dnn_params``, same order as `nn_params`.

    Raises
    ------
    ValueError, TypeError
        For inconsistent sizes, non-finite values, labels outside 1..K or a negative
        lambda; the message says which and how to fix it.

    Notes
    -----
    One forward and one backward pass per call, so it can be handed to
    ``scipy.optimize.minimize(..., jac=True)`` directly.  A float X is scanned for
    NaN on the first call and then remembered (per thread, by a weak reference to
    that very array), so repeated calls skip the O(m n) scan; if you write NaN into
    X in place between calls, that scan is not repeated.  y is checked on every
    call.  The loss is computed from the output logits, so it stays finite when
    sigmoids saturate.  The caller's arrays are never modified.
    J is a Python float and grad a new float64 vector whatever the precision of X.
    With m >= 512 a call runs on as many threads as numpy's BLAS may use, each
    calling BLAS single-threaded (every BLAS in the process is limited to one thread
    for the duration of the call); limit numpy's BLAS
    (``threadpoolctl.threadpool_limits(1)``) to keep a call on one thread.  A call
    made while another thread holds that limit (a ``trainNN`` running in a
    background thread, say) runs on its own thread.  Results are the same bits on
    every call with the same thread count.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmat import debugInitializeWeights, unrollParams
    >>> T1, T2 = debugInitializeWeights(5, 3), debugInitializeWeights(3, 5)
    >>> X = debugInitializeWeights(5, 2)
    >>> y = np.array([2, 3, 1, 2, 3])
    >>> J, grad = nnCostFunction(unrollParams([T1, T2]), 3, 5, 3, X, y, 3.0)
    >>> grad.shape
    (38,)
    """
    layer_sizes = as_layer_sizes(input_layer_size, hidden_layer_size, num_labels)
    layout = param_layout(layer_sizes)
    p = as_param_vector(nn_params, layout)
    lam = check_lambda(lambda_)
    problem = _last.get(layer_sizes, X, y)
    return cost_and_grad(p, problem, lam)


def predict(*args: ArrayLike) -> NDArray[np.intp]:
    """Predict labels 1..K with a trained network: ``predict(Theta1, Theta2, X)``.

    Port of ``predict.m``; any number of Thetas may come before X for deeper
    networks, e.g. ``predict(Theta1, Theta2, Theta3, X)``.

    Parameters
    ----------
    *Thetas : ndarray of shape (n_out, n_in + 1)
        Weight matrices in order, bias in column 0; their shapes must chain.
    X : array_like of shape (m, n)
        One example per row, without the bias column.

    Returns
    -------
    ndarray of shape (m,)
        Labels 1..K, the index of the largest output unit (the first one on ties,
        as Octave's ``max``).

    Examples
    --------
    >>> import numpy as np
    >>> T1 = np.array([[0.0, 1.0], [0.0, -1.0]])
    >>> T2 = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> predict(T1, T2, np.array([[2.0], [-2.0]]))
    array([1, 2])
    """
    if len(args) < 2:
        raise TypeError(
            f"predict needs at least one Theta and X, as predict(Theta1, Theta2, X); "
            f"got {len(args)} argument(s)."
        )
    Thetas = check_thetas(args[:-1])
    X = check_X(args[-1], Thetas[0].shape[1] - 1)
    a = X
    for Theta in Thetas:
        out = np.empty((a.shape[0], Theta.shape[0]), dtype=np.result_type(a, Theta))
        # The course applies the sigmoid to the output too; argmax after it, so ties
        # created by saturation (h == 1.0) resolve exactly as in Octave.
        a = layer_forward(a, Theta, out, hidden=True)[1]
    return np.argmax(a, axis=1) + 1
