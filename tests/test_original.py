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
    # The first step's numbers come from the initial parameters, which a second replay
    # recreates: the same seed draws the same numbers.
    assert run.printed[0] == pytest.approx(float(np.mean(run.y)) - _initial_mean_output())
    assert np.all(run.mse >= run.printed**2)  # mean(r**2) >= mean(r)**2, and a loss is >= 0


def _initial_mean_output():
    rs = np.random.RandomState(0)
    x_pre = 2 * rs.normal(size=(1000, 1))
    x = (x_pre - x_pre.mean()) / x_pre.var()
    W0 = 2 * rs.random_sample((1, 10)) - 1
    W1 = 2 * rs.random_sample((10, 1)) - 1
    b0, b1 = rs.normal(size=(1000, 10)), rs.normal(size=(1000, 1))
    return float(np.mean(net.sigmoid(x @ W0 + b0) @ W1 + b1))


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
    with pytest.raises(ValueError, match="unknown fix \\['sign'\\]"):
        original.run_original(fix=("sign",))
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        original.run_original(epochs=0)
