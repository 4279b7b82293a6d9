import itertools

import numpy as np
import pytest

from helpers import data, net, original

SINGLE_FIXES = [(f,) for f in original.FIXES]


@pytest.mark.parametrize("seed", range(5))
def test_the_replay_diverges_the_way_the_question_shows(seed):
    printed = original.run_original(seed=seed).printed  # question: 3.5, -3e4, -3e12, -6e28
    assert 0.5 < printed[0] < 10
    assert np.all(printed[1:] < 0)
    assert np.all(np.abs(printed[2:]) > 1000 * np.abs(printed[1:-1]))
    assert printed[3] < -1e20


def test_the_printed_loss_is_the_mean_residual_not_the_mse():
    run = original.run_original(epochs=1)
    l2, _ = net.forward(run.initial_params, run.x)
    assert run.printed[0] == pytest.approx(float(np.mean(run.y - l2)))
    assert run.mse[0] == pytest.approx(net.mse(l2, run.y))
    replay = original.run_original()
    assert np.all(replay.mse >= replay.printed**2)  # mean(r²) ≥ mean(r)²


def _the_questions_program(seed, epochs):
    """The question's code, transcribed line for line (only the RNG seeded and the overflow silenced).

    An independent witness for ``run_original``: no helper is used here.
    """
    rs = np.random.RandomState(seed)
    x_pre = 2 * rs.normal(size=(1000, 1))
    y = x_pre**2 + -0.2 * np.cos(3 * np.pi * x_pre)
    y = y.reshape(y.shape[0], 1)
    x = (x_pre - np.mean(x_pre)) / np.var(x_pre)
    w0 = 2 * rs.random_sample((1, 10)) - 1
    w1 = 2 * rs.random_sample((10, 1)) - 1
    b0 = rs.normal(size=(1000, 10))
    b1 = rs.normal(size=(1000, 1))
    printed = []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            l1 = 1 / (1 + np.exp(-(np.dot(x, w0) + b0)))
            l2 = np.dot(l1, w1) + b1
            l2_delta = np.mean(y - l2) * 2 * (y - l2)
            l1_delta = l2_delta.dot(w1.T) * (l1 * (1 - l1))
            w1 += 1 * l1.T.dot(l2_delta)
            w0 += 1 * x.T.dot(l1_delta)
            b0 += 1 * l1_delta
            b1 += 1 * l2_delta
            printed.append(np.mean(y - l2))
    return np.array(printed), {"W0": w0, "b0": b0, "W1": w1, "b1": b1}


@pytest.mark.parametrize("seed", [0, 3])
def test_the_replay_is_the_questions_program(seed):
    printed, params = _the_questions_program(seed, epochs=2)
    run = original.run_original(seed=seed, epochs=2)
    np.testing.assert_allclose(run.printed, printed, rtol=1e-9)
    for k in params:
        np.testing.assert_allclose(run.params[k], params[k], rtol=1e-9, atol=1e-9 * np.abs(params[k]).max())
    assert original.question_gradient(run.initial_params, run.x, run.y)["b0"].shape == (1000, 10)


def test_question_gradient_is_the_mse_gradient_times_n_mean_residual():
    x_raw, y = data.make_data(n=50, seed=3)
    x, p = data.standardize(x_raw), net.init_params(n_hidden=4, seed=3)
    l2, cache = net.forward(p, x)
    factor = len(y) * float(np.mean(y - l2))
    true = net.backward(p, cache, y)
    for k, g in original.question_gradient(p, x, y).items():
        np.testing.assert_allclose(g, factor * true[k], rtol=1e-10)


def test_the_questions_last_lines_predict_with_another_network():
    run = original.run_original(fix=original.FIXES, epochs=500)
    question = original.question_prediction(run.params, run.x)
    assert np.all((question > 0) & (question < 1))  # a sigmoid output, while y reaches ~40
    assert net.mse(question, run.y) > 10 * net.mse(run.predict(run.x_raw), run.y)


def test_diverged_at_marks_the_first_exploding_step():
    assert original.run_original().diverged_at == 1  # MSE 40 -> 2e9: past 1e6 x the start
    assert original.run_original(fix=original.FIXES, epochs=50).diverged_at is None


def test_the_replay_is_reproducible_and_counts_the_sigmoid_overflow():
    a, b = original.run_original(), original.run_original()
    np.testing.assert_array_equal(a.printed, b.printed)
    assert a.exp_overflows[0] == 0 and a.exp_overflows[-1] > 0
    assert not np.allclose(a.printed, original.run_original(seed=1).printed)


def test_the_replay_keeps_the_questions_shapes_and_scaling():
    run = original.run_original()
    assert run.params["b0"].shape == (1000, 10) and run.params["b1"].shape == (1000, 1)
    assert run.x_scale == pytest.approx(run.x_raw.var())
    assert run.x.std() == pytest.approx(1 / run.x_raw.std())  # about 0.5
    assert run.lr == 1.0 and run.fix == ()


def test_each_fix_changes_what_it_says():
    bias = original.run_original(fix="bias_shape")
    assert bias.params["b0"].shape == (1, 10) and bias.params["b1"].shape == (1, 1)
    std = original.run_original(fix=("std",))
    assert std.x.std() == pytest.approx(1.0)
    assert original.run_original(fix=("learning_rate",)).lr == original.LR_FIXED
    # Fixing the gradient changes the first update only through l2_delta: step 0 is shared.
    grad = original.run_original(fix=("gradient",))
    assert grad.printed[0] == original.run_original().printed[0]
    assert abs(grad.printed[1]) < 1e-3 * abs(original.run_original().printed[1])


@pytest.fixture(scope="module")
def all_fixed_after_1000():
    return original.run_original(fix=original.FIXES, epochs=1000).mse[-1]


@pytest.mark.parametrize("fix", SINGLE_FIXES + list(itertools.combinations(original.FIXES, 3)))
def test_every_fix_short_of_all_four_does_worse(fix, all_fixed_after_1000):
    run = original.run_original(fix=fix, epochs=1000)
    if run.params["b0"].shape != (1, 10):
        # Per-sample biases left in: whatever the training loss, there is no network that
        # can predict a new input.
        with pytest.raises(ValueError, match="one bias per sample"):
            run.predict(np.zeros(7))
        return
    assert not np.isfinite(run.mse[-1]) or run.mse[-1] > 1.2 * all_fixed_after_1000, (fix, run.mse[-1])


def test_all_four_fixes_make_a_network_that_fits_held_out_data():
    run = original.run_original(fix=original.FIXES, epochs=3000)
    assert np.all(np.diff(run.mse) < 0)  # plain descent at a stable lr: the loss only falls
    x_test, y_test = data.make_data(seed=2)
    inside = data.in_training_range(x_test, run.x_raw)
    assert net.mse(run.predict(x_test[inside]), y_test[inside]) < 0.1


def test_per_sample_biases_cannot_predict_seven_new_points():
    run = original.run_original(fix=("gradient", "learning_rate"), epochs=2000)
    assert run.mse[-1] < 0.05  # it fits (memorises) the 1000 training points...
    with pytest.raises(ValueError, match=r"b0 has shape \(1000, 10\): one bias per sample"):
        run.predict(np.linspace(-2, 2, 7))  # ...but has no answer for 7 new ones


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="fix has unknown names \\['sign'\\]"):
        original.run_original(fix=("sign",))
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        original.run_original(epochs=0)
