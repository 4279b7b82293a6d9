import numpy as np
import pytest

from helpers import data, gradcheck, net

# CS231n's threshold for a correct gradient; gradcheck.py explains why ours is reachable.
CORRECT = 1e-7


@pytest.mark.parametrize("h", [1, 10, 50])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_matches_the_numerical_gradient(h, seed):
    x_raw, y = data.make_data(n=1000, seed=seed)
    errors = gradcheck.gradient_check(net.init_params(n_hidden=h, seed=seed), data.standardize(x_raw), y)
    assert set(errors) == {"W0", "b0", "W1", "b1"}
    assert max(errors.values()) < CORRECT, errors


def test_gradient_check_catches_a_sign_flipped_backward(monkeypatch):
    x_raw, y = data.make_data(n=200)
    correct_backward = net.backward
    monkeypatch.setattr(net, "backward", lambda p, c, t: {k: -g for k, g in correct_backward(p, c, t).items()})
    errors = gradcheck.gradient_check(net.init_params(seed=0), data.standardize(x_raw), y)
    assert min(errors.values()) > 0.99  # opposite vectors: |a - b| = |a| + |b|


def test_gradient_check_catches_a_summed_instead_of_averaged_gradient(monkeypatch):
    x_raw, y = data.make_data(n=200)
    correct_backward = net.backward
    monkeypatch.setattr(net, "backward", lambda p, c, t: {k: len(t) * g for k, g in correct_backward(p, c, t).items()})
    errors = gradcheck.gradient_check(net.init_params(seed=0), data.standardize(x_raw), y)
    assert min(errors.values()) > 0.98  # (200 - 1) / (200 + 1)


def test_numerical_gradient_of_a_known_function_and_params_left_untouched():
    params = {"a": np.array([[1.0, -2.0]]), "b": np.array([[0.5]])}
    before = {k: v.copy() for k, v in params.items()}
    grads = gradcheck.numerical_gradient(lambda p: float(np.sum(p["a"] ** 3) + 4 * p["b"].sum()), params)
    np.testing.assert_allclose(grads["a"], 3 * before["a"] ** 2, rtol=1e-8)
    np.testing.assert_allclose(grads["b"], [[4.0]], rtol=1e-8)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_relative_error_is_scale_free_and_ignores_matching_zeros():
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gradcheck.relative_error(1e-3, 1.1e-3) == pytest.approx(gradcheck.relative_error(1.0, 1.1))
    assert gradcheck.relative_error([0.0, 1.0], [1e-12, 1.0]) < 1e-3  # the 1e-8 floor
    assert gradcheck.relative_error([1.0], [-1.0]) == 1.0
