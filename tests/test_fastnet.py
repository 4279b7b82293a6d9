"""The fast path (helpers.fastnet) against the reference (helpers.net), case by case."""
import math
import warnings

import numpy as np
import pytest

from helpers import data, fastnet, gradcheck, net


def _problem(n, h, seed):
    x_raw, y = data.make_data(n=n, seed=seed)
    x = data.standardize(x_raw) if n > 1 else x_raw
    return net.init_params(n_hidden=h, seed=seed), x, y


def _compare(p, x, y, rtol=1e-12):
    fast = fastnet.FastNet(p, x, y)
    loss = fast.forward()
    fast.backward()
    l2, cache = net.forward(p, x)
    assert loss == pytest.approx(net.mse(l2, y), rel=rtol)
    np.testing.assert_allclose(fast.r.T, y - l2, rtol=rtol, atol=rtol * np.abs(y).max())
    reference = net.backward(p, cache, y)
    for name, value in net.unflatten(fast.grad, p).items():
        assert value.shape == np.shape(p[name])
        assert gradcheck.relative_error(value, reference[name]) < 1e-10, name
    return fast


@pytest.mark.parametrize("h, n, seed", [(1, 1, 0), (3, 7, 1), (10, 1000, 2), (25, 40, 3)])
def test_loss_and_gradient_equal_the_reference(h, n, seed):
    _compare(*_problem(n, h, seed))


def test_per_sample_and_one_dimensional_biases_equal_the_reference():
    p, x, y = _problem(30, 4, 0)
    rng = np.random.default_rng(1)
    per_sample = dict(p, b0=rng.normal(size=(30, 4)), b1=rng.normal(size=(30, 1)))
    fast = _compare(per_sample, x, y)
    assert fast.params()["b0"].shape == (30, 4)
    _compare(dict(p, b0=p["b0"].ravel(), b1=p["b1"].ravel()), x, y)
    _compare(dict(p, b1=rng.normal(size=(30, 1))), x, y)  # only one bias per sample


def test_saturated_units_keep_their_slope_and_raise_no_warning():
    p, x, y = _problem(50, 6, 2)
    p = dict(p, W0=p["W0"] * 400.0)  # |z0| up to about 1000: far past exp's float64 range
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = _compare(p, x, y)
    assert np.all(np.isfinite(fast.grad))


def test_the_slope_has_no_cancellation_where_the_textbook_form_has():
    z = np.array([-40.0, -20.0, 0.0, 20.0, 40.0])
    exact = np.array([math.exp(-abs(v)) / (1 + math.exp(-abs(v))) ** 2 for v in z])
    np.testing.assert_allclose(net.sigmoid_slope(z), exact, rtol=1e-14)
    l1 = net.sigmoid(z)
    assert l1[-1] * (1 - l1[-1]) == 0.0  # what the textbook form gives at z = 40 (exact: 4e-18)
    p = {"W0": np.ones((1, 1)), "b0": np.array([[40.0]]), "W1": np.ones((1, 1)), "b1": np.zeros((1, 1))}
    x, y = np.zeros((1, 1)), np.zeros((1, 1))
    fast = fastnet.FastNet(p, x, y)
    fast.forward()
    fast.backward()
    # dL/db0 = -2 (y - l2) * W1 * slope with l2 = sigmoid(40) ~ 1
    assert net.unflatten(fast.grad)["b0"][0, 0] == pytest.approx(2.0 * exact[-1], rel=1e-12)


def test_scale_multiplies_the_whole_gradient():
    p, x, y = _problem(20, 3, 4)
    fast = fastnet.FastNet(p, x, y)
    fast.forward()
    fast.backward()
    plain = fast.grad.copy()
    fast.backward(scale=-7.5)
    np.testing.assert_allclose(fast.grad, -7.5 * plain, rtol=1e-14)
