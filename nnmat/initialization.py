"""Weight initialization (ports of randInitializeWeights.m and debugInitializeWeights.m)."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import NDArray

from .params import _as_positive_int

__all__ = ["as_generator", "debugInitializeWeights", "randInitializeWeights"]


def as_generator(rng: int | np.random.Generator | None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a seed, a Generator or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng as a seed must be an int >= 0; got {rng}.")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be None, an int seed or a numpy.random.Generator; got {type(rng).__name__}."
    )


def randInitializeWeights(
    L_in: int,
    L_out: int,
    epsilon_init: float = 0.12,
    *,
    rng: int | np.random.Generator | None = None,
) -> NDArray[np.float64]:
    """Random weights for a layer with ``L_in`` inputs and ``L_out`` outputs, to break symmetry.

    Port of ``randInitializeWeights.m``.

    Parameters
    ----------
    L_in : int
        Incoming units, not counting the bias.
    L_out : int
        Outgoing units.
    epsilon_init : float, default 0.12
        Half-width of the uniform interval.  The course's 0.12 is close to
        ``sqrt(6) / sqrt(L_in + L_out)`` for its 400-25-10 network.
    rng : None, int or numpy.random.Generator, keyword-only
        Source of randomness; an int seeds a new Generator.  No global state is used.

    Returns
    -------
    ndarray of shape (L_out, 1 + L_in)
        Uniform in ``[-epsilon_init, epsilon_init)``, bias weights in column 0.

    Examples
    --------
    >>> W = randInitializeWeights(400, 25, rng=0)
    >>> W.shape, bool(abs(W).max() <= 0.12)
    ((25, 401), True)
    """
    L_in = _as_positive_int(L_in, "L_in")
    L_out = _as_positive_int(L_out, "L_out")
    if isinstance(epsilon_init, bool) or not isinstance(epsilon_init, numbers.Real):
        raise TypeError(f"epsilon_init must be a real number; got {type(epsilon_init).__name__}.")
    if not np.isfinite(epsilon_init) or epsilon_init <= 0:
        raise ValueError(f"epsilon_init must be a finite number > 0; got {epsilon_init}.")
    gen = as_generator(rng)
    return gen.uniform(-epsilon_init, epsilon_init, size=(L_out, 1 + L_in))


def debugInitializeWeights(fan_out: int, fan_in: int) -> NDArray[np.float64]:
    """Deterministic weights for gradient checks: ``reshape(sin(1:numel), ...) / 10``.

    Port of ``debugInitializeWeights.m``.  Values are laid out column-major, exactly
    as Octave's ``reshape``, so they match the course element for element.

    Parameters
    ----------
    fan_out : int
        Outgoing units (rows).
    fan_in : int
        Incoming units, not counting the bias.

    Returns
    -------
    ndarray of shape (fan_out, 1 + fan_in)
        ``W[i, j] = sin(1 + i + j * fan_out) / 10`` (0-based i, j).

    Examples
    --------
    >>> debugInitializeWeights(2, 1)
    array([[ 0.0841471 ,  0.014112  ],
           [ 0.09092974, -0.07568025]])
    """
    fan_out = _as_positive_int(fan_out, "fan_out")
    fan_in = _as_positive_int(fan_in, "fan_in")
    n = fan_out * (1 + fan_in)
    return (np.sin(np.arange(1, n + 1, dtype=np.float64)) / 10).reshape(
        (fan_out, 1 + fan_in), order="F"
    )
