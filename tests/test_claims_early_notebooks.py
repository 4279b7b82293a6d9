"""The claims of notebooks 00 (the broken network), 01 (bias shapes) and 02 (normalization).

Each test checks a statement the notebook text makes, on several seeds where the statement
is general, and only what ``test_original.py``, ``test_net.py`` and ``test_data.py`` do not
already check (the printed 'loss' being the mean residual, the replay's shapes, ``1 / sigma``,
scaling a test set with given statistics, ``predict`` refusing per-sample biases).
"""
import numpy as np
import pytest

from helpers import data, net, train
from helpers.original import FIXES, question_prediction, run_original

# --- notebook 00 ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_the_question_sigmoid_overflows_at_step_3_and_freezes_the_hidden_layer(seed):
    before_step3 = run_original(seed=seed, epochs=2)
    z0 = before_step3.x @ before_step3.params["W0"] + before_step3.params["b0"]
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow encountered in exp"):
        1 / (1 + np.exp(-z0))
    l1 = net.sigmoid(z0)
    assert np.all(l1 * (1 - l1) == 0)  # every hidden unit is flat at exactly 0 or 1
    after3, after4 = run_original(seed=seed, epochs=3), run_original(seed=seed, epochs=4)
    for name in ("W0", "b0"):  # so the hidden layer no longer moves...
        np.testing.assert_array_equal(after3.params[name], before_step3.params[name])
        np.testing.assert_array_equal(after4.params[name], after3.params[name])
    assert not np.array_equal(after4.params["W1"], after3.params["W1"])  # ...while W1 still does
    assert after4.exp_overflows[2] == after4.exp_overflows[3] == np.count_nonzero(-z0 > np.log(np.finfo(float).max))


def test_the_last_lines_predict_with_another_network_even_after_all_fixes():
    broken = run_original(seed=0)
    with np.errstate(all="ignore"):
        y_last = question_prediction(broken.params, broken.x)
    assert np.all((y_last >= 0) & (y_last <= 1))  # a sigmoid output, while y reaches about 37
    assert broken.y.max() > 10

    fixed = run_original(seed=0, epochs=2000, fix=FIXES)
    y_net = net.forward(fixed.params, fixed.x)[0]
    y_last = question_prediction(fixed.params, fixed.x)
    assert net.mse(y_net, fixed.y) < 0.1
    assert net.mse(y_last, fixed.y) > 100 * net.mse(y_net, fixed.y)
    assert np.abs(y_net - y_last).max() > 10


# --- notebook 01 ------------------------------------------------------------------------


def mse_on(run, order):
    """The MSE of ``run``'s trained network on its own training points, taken in ``order``."""
    return net.mse(net.forward(run.params, run.x[order])[0], run.y[order])


@pytest.mark.parametrize("seed", [0, 1])
def test_per_sample_biases_memorise_positions_not_a_function_of_x(seed):
    per_sample = run_original(seed=seed, epochs=3000, fix=("gradient", "learning_rate"))
    shared = run_original(seed=seed, epochs=3000, fix=("bias_shape", "gradient", "learning_rate"))
    in_order, shuffled = np.arange(len(per_sample.x)), np.random.default_rng(seed).permutation(len(per_sample.x))
    # A lower training loss than the real network's...
    assert mse_on(per_sample, in_order) < mse_on(shared, in_order)
    # ...which the same points in another order turn worse than predicting the mean,
    assert mse_on(per_sample, shuffled) > np.var(per_sample.y)
    # while a network with shared biases does not care about the order.
    assert mse_on(shared, shuffled) == pytest.approx(mse_on(shared, in_order), rel=1e-9)


def test_the_batch_size_test_fails_per_sample_biases_and_passes_shared_ones():
    per_sample = run_original(seed=0, epochs=1).initial_params
    # One sample broadcasts against the 1000 bias rows silently: 1000 predictions come back.
    assert net.forward(per_sample, np.zeros((1, 1)))[0].shape == (1000, 1)
    with pytest.raises(ValueError, match=r"could not be broadcast together with shapes \(7,10\) \(1000,10\)"):
        net.forward(per_sample, np.zeros((7, 1)))
    bias_fixed = run_original(seed=0, fix=("bias_shape",))
    for params in (net.init_params(10, seed=0), bias_fixed.params):
        for n in (1, 7):
            with np.errstate(all="ignore"):  # bias_fixed diverged: its numbers are huge
                assert net.forward(params, np.zeros((n, 1)))[0].shape == (n, 1)
    with np.errstate(all="ignore"):
        assert bias_fixed.predict(np.linspace(-4, 4, 7)).shape == (7, 1)


@pytest.mark.parametrize("fix", [("bias_shape",), ("std",)], ids=["bias-shape-alone", "std-alone"])
@pytest.mark.parametrize("seed", range(5))
def test_fixing_the_bias_shapes_or_the_scaling_alone_still_diverges(fix, seed):
    mse = run_original(seed=seed, fix=fix).mse
    assert np.all(np.diff(mse) > 0)
    assert mse[-1] > 1e40 * mse[0]


# --- notebook 02 ------------------------------------------------------------------------

X_PRE, Y = data.make_data(1000, seed=0)
Z = X_PRE / X_PRE.std()


def scaled_inputs():
    return {
        0.1: data.standardize_with_var(0.1 * Z),
        2: data.standardize_with_var(2 * Z),
        10: data.standardize_with_var(10 * Z),
        "standardize": data.standardize(2 * Z),
    }


def hidden_layer(params, x_in):
    l1 = net.forward(params, x_in)[1]["l1"]
    flat = np.mean(l1 * (1 - l1) < 0.01)
    spread = np.mean(l1.max(axis=0) - l1.min(axis=0))
    return flat, spread


@pytest.mark.parametrize("seed", range(3))
def test_small_sigma_flattens_the_hidden_units_and_large_sigma_narrows_them(seed):
    params = net.init_params(10, seed=seed)
    stats = {k: hidden_layer(params, x_in) for k, x_in in scaled_inputs().items()}
    flat_std, spread_std = stats["standardize"]
    assert stats[0.1][0] > 0.2 > 0.05 > flat_std  # many (sample, unit) pairs flat at sigma = 0.1
    assert stats[10][1] < 0.25 * spread_std  # at sigma = 10 the units barely change over the data
    assert stats[10][1] < stats[2][1] < spread_std  # sigma = 2 is the mild version of that


# The training sweeps of notebook 02 (input spread and target units) are in test_claims_02_04.py.


@pytest.mark.parametrize("seed", range(3))
def test_with_only_the_variance_bug_left_the_question_trains_only_slower(seed):
    only_var_left = run_original(seed=seed, epochs=1000, fix=("bias_shape", "gradient", "learning_rate"))
    all_fixed = run_original(seed=seed, epochs=1000, fix=FIXES)
    assert np.all(np.diff(only_var_left.mse) < 0)  # stable: the loss falls at every step
    assert all_fixed.mse[-1] < only_var_left.mse[-1] < 0.1 * only_var_left.mse[0]


@pytest.mark.parametrize("init_seed", range(3))
def test_new_points_scaled_with_their_own_statistics_are_predicted_worse(init_seed):
    x_train = data.standardize(X_PRE)
    trained = train.train(net.init_params(10, seed=init_seed), x_train, Y, 0.1, 1000).params
    for seed in range(1, 6):
        x_new, y_new = data.make_data(7, seed=seed)
        with_train = net.forward(trained, data.standardize(x_new, mean=X_PRE.mean(), std=X_PRE.std()))[0]
        with_own = net.forward(trained, data.standardize(x_new))[0]
        assert net.mse(with_own, y_new) > net.mse(with_train, y_new), seed


def test_standardized_y_is_the_same_in_any_units_and_raw_y_gradients_scale_with_them():
    for c in (0.01, 3.0, 100.0):
        np.testing.assert_allclose(data.standardize(c * Y), data.standardize(Y), atol=1e-12)
    params = net.init_params(10, seed=0)
    cache = net.forward(params, data.standardize(X_PRE))[1]
    grad_w0 = {c: np.linalg.norm(net.backward(params, cache, c * Y)["W0"]) for c in (0.01, 1.0, 100.0)}
    assert grad_w0[0.01] < grad_w0[1.0] / 5 and grad_w0[100.0] > 50 * grad_w0[1.0]
