import warnings

import numpy as np
import pytest

from helpers import data, net, outcome, train


@pytest.fixture(scope="module")
def problem():
    x_raw, y = data.make_data(seed=0)
    return x_raw, data.standardize(x_raw), y


def test_a_sensible_lr_fits_the_training_set_and_a_held_out_set(problem):
    x_raw, x, y = problem
    result = train.train(net.init_params(seed=0), x, y, lr=0.2, epochs=3000)
    assert not result.diverged and result.diverged_at is None
    assert result.losses.shape == (3001,)  # losses[k]: after k updates
    assert result.losses[-1] < 0.05 * result.losses[0]
    x_test_raw, y_test = data.make_data(seed=2)
    x_test = data.standardize(x_test_raw, x_raw.mean(), x_raw.std())
    inside = data.in_training_range(x_test_raw, x_raw)
    held_out = net.mse(net.forward(result.params, x_test[inside])[0], y_test[inside])
    assert held_out < 0.1 < np.var(y_test)  # var(y) is about 30: the loss of predicting the mean


def test_losses_k_is_the_mse_after_k_updates(problem):
    _, x, y = problem
    p = net.init_params(seed=1)
    result = train.train(p, x, y, lr=0.1, epochs=2)
    assert len(result.losses) == 3 and result.epochs == 2
    for k in range(3):
        assert result.losses[k] == pytest.approx(net.mse(net.forward(p, x)[0], y), rel=1e-6)
        if k < 2:
            grads = net.backward(p, net.forward(p, x)[1], y)
            p = {name: p[name] - 0.1 * grads[name] for name in p}
    for name in p:
        np.testing.assert_allclose(result.params[name], p[name], rtol=1e-6)


def test_training_leaves_the_callers_params_untouched(problem):
    _, x, y = problem
    p = net.init_params(seed=0)
    before = {k: v.copy() for k, v in p.items()}
    result = train.train(p, x, y, lr=0.1, epochs=20)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
        assert not np.array_equal(result.params[k], before[k])


@pytest.mark.parametrize("lr", [5.0, 50.0, 1e6])
def test_a_large_lr_is_reported_as_divergence_without_warnings(problem, lr):
    _, x, y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train.train(net.init_params(seed=0), x, y, lr=lr, epochs=5000)
    assert result.diverged
    assert isinstance(result.diverged_at, int) and 0 < result.diverged_at < 5000
    assert np.all(np.isfinite(result.losses))
    assert len(result.losses) <= result.diverged_at + 1
    assert result.summary().startswith(f"diverged at epoch {result.diverged_at} (")


def test_the_divergence_bound_is_relative_to_the_start_and_the_targets():
    y = np.array([[0.0], [2.0]])  # var 1
    assert train.divergence_bound(3.0, y) == 3.0 * outcome.DIVERGENCE_FACTOR
    assert train.divergence_bound(0.01, y) == 1.0 * outcome.DIVERGENCE_FACTOR


def test_summary_of_a_converging_run(problem):
    _, x, y = problem
    result = train.train(net.init_params(seed=0), x, y, lr=0.1, epochs=10)
    assert result.summary() == f"loss {result.losses[-1]:.3g} after 10 epochs"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0.0}, "lr must be a positive finite number"),
        ({"lr": -0.1}, "lr must be a positive finite number"),
        ({"lr": float("nan")}, "lr must be a positive finite number"),
        ({"lr": float("inf")}, "lr must be a positive finite number"),
        ({"lr": "0.1"}, "lr must be a positive finite number"),
        ({"epochs": 0}, "epochs must be an integer >= 1"),
        ({"epochs": 2.5}, "epochs must be an integer >= 1"),
    ],
)
def test_bad_hyperparameters_are_rejected(problem, kwargs, message):
    _, x, y = problem
    args = {"lr": 0.1, "epochs": 5} | kwargs
    with pytest.raises(ValueError, match=message):
        train.train(net.init_params(), x, y, **args)


def test_x_and_y_of_different_lengths_are_rejected(problem):
    _, x, y = problem
    with pytest.raises(ValueError, match="same number of samples, got x 1000, y 999"):
        train.train(net.init_params(), x, y[:-1], lr=0.1, epochs=5)


def test_a_flat_x_is_rejected_with_the_expected_shape(problem):
    _, x, y = problem
    with pytest.raises(ValueError, match=r"shape \(n, 1\)"):
        train.train(net.init_params(), x.ravel(), y, lr=0.1, epochs=5)


def test_per_sample_biases_are_rejected_before_anything_changes(problem):
    _, x, y = problem
    p = net.init_params()
    p["b0"] = np.zeros((1000, 10))
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises(ValueError, match="one bias per sample"):
        train.train(p, x, y, lr=0.1, epochs=5)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])


def test_non_finite_data_is_rejected(problem):
    _, x, y = problem
    y = y.copy()
    y[3] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        train.train(net.init_params(), x, y, lr=0.1, epochs=5)


def test_in_float64_the_loop_is_the_reference_to_the_last_digits(problem):
    """train.train runs the hidden layer in float32 (fastnet); descend(dtype=float64) is exact."""
    _, x, y = problem
    p = q = net.init_params(seed=4)
    result = train.descend(p, x, y, 30, train.gradient_step(0.2), dtype=np.float64)
    fast = train.train(p, x, y, 0.2, 30)
    for k in range(31):
        l2, cache = net.forward(q, x)
        assert result.losses[k] == pytest.approx(net.mse(l2, y), rel=1e-12)
        assert fast.losses[k] == pytest.approx(net.mse(l2, y), rel=1e-6)  # float32 hidden layer: 7 digits
        grads = net.backward(q, cache, y)
        q = {name: q[name] - 0.2 * grads[name] for name in q}


def test_on_chunk_sees_the_run_grow_and_can_stop_it(problem):
    _, x, y = problem
    seen = []

    def on_chunk(so_far):
        seen.append(len(so_far.losses))
        return len(seen) == 3  # a newer request arrived: stop

    run = train.descend(net.init_params(seed=0), x, y, 100, train.gradient_step(0.1), chunk=10, on_chunk=on_chunk)
    assert seen == [11, 21, 31] and run.stopped and len(run.losses) == 31 and run.epochs == 30
    whole = train.train(net.init_params(seed=0), x, y, 0.1, 30)
    np.testing.assert_array_equal(run.losses, whole.losses)


def test_snapshots_and_curves_are_the_network_at_those_epochs(problem):
    _, x, y = problem
    p = net.init_params(seed=0)
    run = train.descend(p, x, y, 25, train.gradient_step(0.1), snapshot_every=10, curve_at=np.array([3, 7]),
                        details=True, dtype=np.float64)
    np.testing.assert_array_equal(run.snapshot_epochs, [0, 10, 20, 25])
    for k, theta in zip(run.snapshot_epochs, run.snapshots):
        l2 = net.forward(net.unflatten(theta, p), x)[0]
        assert run.losses[k] == pytest.approx(net.mse(l2, y), rel=1e-12)
        np.testing.assert_allclose(run.curves[k], l2[[3, 7], 0], rtol=1e-12)
        assert run.printed[k] == pytest.approx(float(np.mean(y - l2)), rel=1e-9, abs=1e-12)
    assert len(run.update_ratios) == 25 and np.all(run.update_ratios > 0)


def test_the_question_gradient_switch_scales_the_gradient_by_the_summed_residual(problem):
    _, x, y = problem
    p = net.init_params(seed=0)
    run = train.descend(p, x, y, 1, train.gradient_step(1e-4), question_gradient=True, dtype=np.float64)
    l2, cache = net.forward(p, x)
    l2_delta = np.mean(y - l2) * 2 * (y - l2)  # the question's line; it adds lr * its deltas
    W1 = p["W1"] + 1e-4 * cache["l1"].T.dot(l2_delta)
    np.testing.assert_allclose(run.params["W1"], W1, rtol=1e-12)
