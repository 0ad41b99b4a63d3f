"""Assertions for users' own test suites: check a backprop the way pytest checks code.

>>> import numpy as np
>>> from nnmat import debugInitializeWeights, nnCostFunction, unrollParams
>>> from nnmat.testing import assert_gradients_match
>>> X, y = debugInitializeWeights(5, 2), np.array([2, 3, 1, 2, 3])
>>> theta = unrollParams([debugInitializeWeights(5, 3), debugInitializeWeights(3, 5)])
>>> report = assert_gradients_match(
...     lambda t: nnCostFunction(t, 3, 5, 3, X, y, 1.0), theta, [3, 5, 3])
>>> report.passed
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from numpy.typing import ArrayLike, NDArray

from .gradcheck import GradientCheck, check_gradients

__all__ = ["GradientMismatchError", "assert_gradients_match"]


class GradientMismatchError(AssertionError):
    """A gradient check failed; ``report`` holds the :class:`~nnmat.GradientCheck`."""

    def __init__(self, report: GradientCheck) -> None:
        where = ", ".join(b.name for b in report.failed_blocks) or "the overall metric"
        super().__init__(f"gradients do not match in {where}\n{report}")
        self.report = report


def assert_gradients_match(
    cost_fn: Callable[[NDArray], tuple[float, ArrayLike]],
    theta: ArrayLike,
    layer_sizes: Sequence[int],
    **options: Any,
) -> GradientCheck:
    """Assert that ``cost_fn``'s gradient matches central differences, block by block.

    A pytest-friendly wrapper of :func:`nnmat.check_gradients` (same parameters).

    Parameters
    ----------
    cost_fn : callable
        ``cost_fn(theta) -> (J, grad)``, the function under test.
    theta : array_like of shape (n,) or (n, 1)
        Parameters unrolled column-major; not modified.
    layer_sizes : sequence of int
        Units per layer, input first.
    **options
        Keyword options of :func:`nnmat.check_gradients`: ``threshold``, ``e``,
        ``sample``, ``rng``, ``floor``, ``cost_only``.

    Returns
    -------
    GradientCheck
        The passing report, for further assertions.

    Raises
    ------
    GradientMismatchError
        A subclass of ``AssertionError`` whose message names the failing blocks
        (e.g. ``Theta1 bias``) followed by the full printed report; the report
        itself is the exception's ``report`` attribute.

    Examples
    --------
    >>> import pytest
    >>> from nnmat import debugInitializeWeights, unrollParams
    >>> def wrong(t):  # the gradient of sum(t^2) is 2 t, not t
    ...     return float(t @ t), t
    >>> with pytest.raises(AssertionError, match="Theta1 weights"):
    ...     assert_gradients_match(wrong, unrollParams([debugInitializeWeights(2, 2)]), [2, 2])
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    report = check_gradients(cost_fn, theta, layer_sizes, **options)
    if not report.passed:
        raise GradientMismatchError(report)
    return report
