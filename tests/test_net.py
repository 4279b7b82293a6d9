import warnings

import numpy as np
import pytest

from helpers import data, net


def test_sigmoid_matches_the_textbook_formula():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(net.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-15)


def test_sigmoid_never_overflows_for_finite_input():
    z = np.array([-1e308, -1e4, -710.0, 0.0, 710.0, 1e4, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = net.sigmoid(z)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5


@pytest.mark.parametrize("h", [1, 10, 50])
def test_init_params_shapes_do_not_depend_on_the_data(h):
    p = net.init_params(n_hidden=h, seed=0)
    assert {k: v.shape for k, v in p.items()} == net.expected_shapes(h)
    net.check_params(p)


def test_init_params_is_seeded():
    a, b, c = net.init_params(seed=4), net.init_params(seed=4), net.init_params(seed=5)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.allclose(a["W0"], c["W0"])


@pytest.mark.parametrize("h", [0, -1, 2.0, None])
def test_init_params_rejects_a_bad_width(h):
    with pytest.raises(ValueError, match="n_hidden"):
        net.init_params(n_hidden=h)


def test_forward_on_a_batch_equals_forward_on_each_sample():
    """Shared biases make each prediction depend on its own input only."""
    p = net.init_params(seed=1)
    x = data.standardize(data.make_data(n=7, seed=0)[0])
    l2, cache = net.forward(p, x)
    assert l2.shape == (7, 1) and cache["l1"].shape == (7, 10)
    one_by_one = np.vstack([net.forward(p, x[i : i + 1])[0] for i in range(7)])
    np.testing.assert_allclose(l2, one_by_one, rtol=1e-12)


def test_mse_is_the_mean_of_squared_errors():
    y = np.array([[1.0], [2.0], [3.0]])
    assert net.mse(y, y) == 0.0
    assert net.mse(y + np.array([[1.0], [-1.0], [2.0]]), y) == pytest.approx(2.0)


def test_backward_returns_a_gradient_for_every_parameter_in_its_shape():
    p = net.init_params(n_hidden=6, seed=0)
    x_raw, y = data.make_data(n=30)
    _, cache = net.forward(p, data.standardize(x_raw))
    grads = net.backward(p, cache, y)
    assert {k: g.shape for k, g in grads.items()} == {k: v.shape for k, v in p.items()}


def test_a_small_step_against_the_gradient_lowers_the_loss():
    p = net.init_params(seed=2)
    x_raw, y = data.make_data()
    x = data.standardize(x_raw)
    l2, cache = net.forward(p, x)
    grads = net.backward(p, cache, y)
    stepped = {k: p[k] - 1e-4 * grads[k] for k in p}
    assert net.mse(net.forward(stepped, x)[0], y) < net.mse(l2, y)


def test_check_params_names_a_per_sample_bias_and_the_expected_shape():
    p = net.init_params(seed=0)
    p["b0"] = np.zeros((1000, 10))
    with pytest.raises(ValueError) as err:
        net.check_params(p, n_samples=1000)
    msg = str(err.value)
    assert "b0 has shape (1000, 10)" in msg
    assert "one bias per sample" in msg and "the number of samples" in msg
    assert "expected (1, 10)" in msg


def test_check_params_catches_the_output_bias_too():
    p = net.init_params(seed=0)
    p["b1"] = np.zeros((1000, 1))
    with pytest.raises(ValueError, match=r"b1 has shape \(1000, 1\): one bias per sample.*expected \(1, 1\)"):
        net.check_params(p)


@pytest.mark.parametrize(
    "name, shape, expected",
    [("W1", (1, 10), "(10, 1)"), ("W1", (10,), "(10, 1)"), ("b1", (1,), "(1, 1)"), ("b0", (1, 9), "(1, 10)")],
)
def test_check_params_names_any_wrong_shape(name, shape, expected):
    p = net.init_params(seed=0)
    p[name] = np.zeros(shape)
    with pytest.raises(ValueError) as err:
        net.check_params(p)
    assert f"{name} has shape {shape}" in str(err.value) and f"expected {expected}" in str(err.value)


def test_check_params_rejects_a_transposed_input_weight():
    p = net.init_params(seed=0)
    p["W0"] = p["W0"].T
    with pytest.raises(ValueError, match=r"W0 has shape \(10, 1\); expected \(1, h\)"):
        net.check_params(p)


def test_check_params_lists_missing_parameters():
    p = net.init_params(seed=0)
    del p["b1"]
    with pytest.raises(ValueError, match=r"missing \['b1'\]"):
        net.check_params(p)
    with pytest.raises(ValueError, match="must be a dict"):
        net.check_params([1, 2])


def test_flatten_and_unflatten_are_inverse_and_unflatten_gives_views():
    p = net.init_params(n_hidden=4, seed=1)
    theta = net.flatten(p)
    assert theta.shape == (3 * 4 + 1,)
    back = net.unflatten(theta)  # shapes inferred: h = (13 - 1) / 3
    for k in p:
        np.testing.assert_array_equal(back[k], p[k])
    back["W1"][2, 0] = 99.0  # a view: the fast training loop writes theta through it
    assert theta[2 * 4 + 2] == 99.0


def test_unflatten_follows_a_template_with_per_sample_biases():
    p = net.init_params(n_hidden=3, seed=0)
    p["b0"], p["b1"] = np.arange(21.0).reshape(7, 3), np.arange(7.0).reshape(7, 1)
    back = net.unflatten(net.flatten(p), like=p)
    for k in p:
        np.testing.assert_array_equal(back[k], p[k])


def test_count_saturated_counts_flat_sigmoids_only():
    l1 = np.full((100, 4), 0.5)
    l1[:, 1] = 0.999  # flat near 1 everywhere
    l1[:, 2] = np.where(np.arange(100) < 97, 1e-4, 0.5)  # flat on 97% of the inputs
    l1[:, 3] = np.where(np.arange(100) < 90, 1e-4, 0.5)  # flat on only 90%
    assert net.count_saturated(l1) == 2
