"""Property-based tests (hypothesis) of the cost, its gradient and the parameter layout.

Networks of 1 to 3 hidden layers with 1..5 units per layer, m from 1 to 6 examples,
any label set within 1..K, lambdas from 0 to 10.  The examples are derandomized (the
same ones on every run and in CI) and few, so the whole module runs in seconds.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from nnmat import check_gradients, nnCostFunction, rollParams, unrollParams

# Deterministic in CI: derandomize replays the same examples every run; no example
# database is written to the work tree; no per-example deadline (CI machines vary).
settings.register_profile(
    "nnmat-properties",
    derandomize=True,
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROPERTY = settings(settings.get_profile("nnmat-properties"))

units = st.integers(min_value=1, max_value=5)
weights = st.floats(min_value=-1.0, max_value=1.0, allow_subnormal=False)


@st.composite
def networks(draw):
    """(layer_sizes, theta, X, y): random depth 1-3, sizes, m >= 1 and labels."""
    hidden = draw(st.lists(units, min_size=1, max_size=3))
    sizes = (draw(units), *hidden, draw(units))
    n_params = sum(b * (a + 1) for a, b in itertools.pairwise(sizes))
    theta = draw(arrays(np.float64, n_params, elements=weights))
    m = draw(st.integers(min_value=1, max_value=6))
    X = draw(arrays(np.float64, (m, sizes[0]), elements=st.floats(-2.0, 2.0)))
    y = draw(arrays(np.intp, m, elements=st.integers(1, sizes[-1])))
    return sizes, theta, X, y


lambdas = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=10.0))


def cost(sizes, theta, X, y, lambda_):
    return nnCostFunction(theta, sizes[0], list(sizes[1:-1]), sizes[-1], X, y, lambda_)


@PROPERTY
@given(networks(), lambdas)
@example(  # m = 1, always
    net=((2, 3, 2), np.linspace(-1, 1, 17), np.array([[0.5, -1.0]]), np.array([2])),
    lambda_=1.0,
)
def test_backprop_agrees_with_the_numerical_gradient(net, lambda_):
    sizes, theta, X, y = net
    report = check_gradients(lambda p: cost(sizes, p, X, y, lambda_), theta, sizes)
    # The course metric, overall and per bias/weights block, below 1e-9.  With weights
    # up to 1 the e^2 truncation error of central differences can exceed 1e-9 of a
    # small block's gradient; check_gradients then estimates it (Richardson) and
    # judges the difference against it, which this property exercises too.
    assert report.passed, str(report)


@PROPERTY
@given(networks(), lambdas, st.sampled_from([1.0, 1000.0]))
def test_cost_is_non_negative_and_finite_even_for_extreme_weights(net, lambda_, scale):
    sizes, theta, X, y = net
    J, grad = cost(sizes, scale * theta, X, y, lambda_)
    assert np.isfinite(J) and J >= 0.0
    assert np.isfinite(grad).all()


@PROPERTY
@given(networks(), lambdas, st.data())
def test_cost_and_gradient_do_not_depend_on_the_order_of_examples(net, lambda_, data):
    sizes, theta, X, y = net
    perm = np.array(data.draw(st.permutations(range(X.shape[0]))), dtype=np.intp)
    J, grad = cost(sizes, theta, X, y, lambda_)
    Jp, gradp = cost(sizes, theta, X[perm], y[perm], lambda_)
    assert_allclose(Jp, J, rtol=1e-12, atol=1e-15)
    assert_allclose(gradp, grad, rtol=1e-10, atol=1e-14)


@PROPERTY
@given(networks(), st.floats(min_value=1e-3, max_value=10.0))
def test_cost_grows_with_lambda_by_exactly_the_regularization_term(net, lambda_):
    sizes, theta, X, y = net
    m = X.shape[0]
    J0, grad0 = cost(sizes, theta, X, y, 0.0)
    J, grad = cost(sizes, theta, X, y, lambda_)
    Thetas = rollParams(theta, sizes)
    # lambda/(2m) * sum of squared weights, bias column (column 0) excluded.
    penalty = lambda_ / (2 * m) * sum(float(np.sum(T[:, 1:] ** 2)) for T in Thetas)
    assert_allclose(J - J0, penalty, rtol=1e-9, atol=1e-13 * max(1.0, J))
    decay = unrollParams([np.hstack([np.zeros((T.shape[0], 1)), T[:, 1:]]) for T in Thetas])
    assert_allclose(grad - grad0, lambda_ / m * decay, rtol=1e-9, atol=1e-14)


@PROPERTY
@given(st.lists(units, min_size=2, max_size=5), st.integers(0, 2**32 - 1))
def test_roll_and_unroll_are_inverse_column_major(sizes, seed):
    rng = np.random.default_rng(seed)
    Thetas = [rng.standard_normal((b, a + 1)) for a, b in itertools.pairwise(sizes)]
    p = unrollParams(Thetas)
    rolled = rollParams(p, sizes)
    assert len(rolled) == len(Thetas)
    for got, want in zip(rolled, Thetas, strict=True):
        assert_array_equal(got, want)
    assert_array_equal(unrollParams(rolled), p)
    # Column-major, as Octave's Theta1(:): Theta1's bias column comes first.
    assert_array_equal(p[: Thetas[0].shape[0]], Thetas[0][:, 0])


@PROPERTY
@given(networks(), lambdas, st.data())
def test_a_wrong_entry_fails_the_check_and_is_located(net, lambda_, data):
    sizes, theta, X, y = net
    index = data.draw(st.integers(0, theta.size - 1))

    def one_wrong_entry(p):
        J, grad = cost(sizes, p, X, y, lambda_)
        grad = grad.copy()
        grad[index] += 1e-4
        return J, grad

    report = check_gradients(one_wrong_entry, theta, sizes)
    assert not report.passed
    worst = report.worst(1)[0]
    assert worst.index == index
    assert [b.name for b in report.failed_blocks] == [f"Theta{worst.layer} {worst.part}"]
