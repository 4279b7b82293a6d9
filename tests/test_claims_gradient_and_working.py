"""The claims of notebooks 03 (the gradient's sign and scale) and 05 (the working network).

Each test checks a statement the notebook text makes, on several seeds where the statement
is general. The question's update is taken from the replay itself (the parameter change one
step of ``run_original`` makes), so nothing of the notebook's code is copied here.
"""
import numpy as np
import pytest

from helpers import data, net, train
from helpers.original import FIXES, N_SAMPLES, run_original

ONLY_GRADIENT_BUG = ("bias_shape", "std", "learning_rate")


def replay_step(fix, step, seed=0):
    """``(params before, params after, run)`` for replay step ``step`` (1-based, step >= 2).

    Step 1 starts from ``run.initial_params``; test_claims_00_01_03.py checks it against the
    question's own loop.
    """
    before = run_original(seed=seed, fix=fix, epochs=step - 1)
    after = run_original(seed=seed, fix=fix, epochs=step)
    return before.params, after.params, after


def loss_slope_along(params, direction, x, y):
    """Loss change per unit length along ``direction``, by a tiny finite step (the descent test)."""
    norm = np.sqrt(sum(np.sum(d**2) for d in direction.values()))
    scale = np.sqrt(sum(np.sum(p**2) for p in params.values()))
    eps = 1e-7 * scale  # tiny next to the parameters, so the loss is linear along it
    moved = {k: params[k] + eps * direction[k] / norm for k in params}
    with np.errstate(all="ignore"):  # the diverged replays are huge; only the sign matters
        return (net.mse(net.forward(moved, x)[0], y) - net.mse(net.forward(params, x)[0], y)) / eps


# --- notebook 03 ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_the_questions_update_is_the_mse_step_times_n_mean_residual(seed):
    # With only the gradient bug left, one replay step changes the parameters by
    # lr * (n * mean residual) * (minus the MSE gradient): the same factor for all 31 entries.
    before, after, run = replay_step(ONLY_GRADIENT_BUG, step=2, seed=seed)
    c = N_SAMPLES * run.printed[1]
    grads = net.backward(before, net.forward(before, run.x)[1], run.y)
    for k in net.PARAM_NAMES:
        np.testing.assert_allclose(after[k] - before[k], -run.lr * c * grads[k], rtol=1e-6, atol=1e-9 * abs(c))
    assert c < -1000  # step 2 follows an overshoot: predictions far too high, the factor large and negative


@pytest.mark.parametrize("fix", [(), ONLY_GRADIENT_BUG], ids=["question", "only-gradient-bug"])
@pytest.mark.parametrize("seed", range(3))
def test_a_negative_printed_loss_means_the_step_went_uphill(fix, seed):
    for step in (2, 3, 4):
        before, after, run = replay_step(fix, step, seed)
        assert run.printed[step - 1] < 0
        update = {k: after[k] - before[k] for k in before}
        assert loss_slope_along(before, update, run.x, run.y) > 0, step


@pytest.mark.parametrize("fix", [("gradient",), FIXES], ids=["gradient-fix-alone", "all-fixes"])
def test_the_fixed_update_passes_the_descent_test_whatever_the_sign(fix):
    signs = set()
    for step in (2, 3, 4, 5):
        before, after, run = replay_step(fix, step)
        signs.add(np.sign(run.printed[step - 1]))
        update = {k: after[k] - before[k] for k in before}
        assert loss_slope_along(before, update, run.x, run.y) < 0, step
    if fix == ("gradient",):
        assert signs == {-1.0, 1.0}  # downhill on steps with either sign of the mean residual


def test_the_mse_gradient_passes_the_descent_test_where_the_questions_update_fails():
    before, after, run = replay_step(ONLY_GRADIENT_BUG, step=2)
    question = {k: after[k] - before[k] for k in before}
    downhill = {k: -g for k, g in net.backward(before, net.forward(before, run.x)[1], run.y).items()}
    up, down = loss_slope_along(before, question, run.x, run.y), loss_slope_along(before, downhill, run.x, run.y)
    assert up > 0 > down
    assert up == pytest.approx(-down, rel=1e-3)  # exactly opposite directions


@pytest.mark.parametrize("seed", range(3))
def test_the_gradient_fix_alone_diverges_slower_with_an_alternating_sign(seed):
    question, alone = run_original(seed=seed), run_original(seed=seed, fix=("gradient",))
    assert np.all(np.diff(alone.mse) > 0)  # still diverging: lr = 1 and the other bugs remain...
    assert alone.mse[-1] < 1e-30 * question.mse[-1]  # ...but by far less
    assert np.all(np.sign(alone.printed[1:]) == -np.sign(alone.printed[:-1]))  # overshoot: + - + -


def test_the_sum_loss_gradient_is_n_times_the_mean_loss_gradient():
    run = run_original(fix=FIXES, epochs=1)
    n = len(run.y)
    grads = net.backward(run.params, net.forward(run.params, run.x)[1], run.y)

    def sum_loss(p):
        r = run.y - net.forward(p, run.x)[0]
        return (r.T @ r).item()

    eps = 1e-6
    for k in net.PARAM_NAMES:  # one entry per parameter, by a centred difference of the sum loss
        up, down = dict(run.params), dict(run.params)
        up[k] = run.params[k].copy()
        down[k] = run.params[k].copy()
        up[k].flat[0] += eps
        down[k].flat[0] -= eps
        numeric = (sum_loss(up) - sum_loss(down)) / (2 * eps)
        assert numeric == pytest.approx(n * grads[k].flat[0], rel=1e-5), k


# --- notebook 05 ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def working():
    """The notebook's working network: standardized input, shared biases, lr 0.1, 5000 epochs."""
    x_raw, y = data.make_data(n=1000, seed=0)
    mean, std = x_raw.mean(), x_raw.std()
    result = train.train(net.init_params(10, seed=0), data.standardize(x_raw, mean, std), y, 0.1, 5000)
    return x_raw, y, mean, std, result


def test_the_working_network_learns_the_parabola_and_not_the_ripple(working):
    x_raw, y, _, _, result = working
    assert not result.diverged
    assert np.all(np.diff(result.losses) <= 0)  # the loss never rises
    ripple_mse = np.mean((0.2 * np.cos(3 * np.pi * x_raw)) ** 2)  # MSE of the bare parabola
    assert 1.5 * ripple_mse < result.final_loss < 2 * ripple_mse  # printed as "1.8 times it"
    assert result.final_loss < 1e-3 * result.losses[0]


def test_held_out_error_is_small_inside_the_training_range_and_large_outside(working):
    x_raw, _, mean, std, result = working
    x_test_raw, y_test = data.make_data(n=1000, seed=10_000)  # data.held_out_data(seed=0), drawn directly
    assert np.all((x_test_raw >= x_raw.min()) & (x_test_raw <= x_raw.max()))  # no held-out point outside
    pred = net.forward(result.params, data.standardize(x_test_raw, mean, std))[0]
    inside = np.mean((pred - y_test) ** 2)
    assert 0.5 * result.final_loss < inside < result.final_loss  # close to the training MSE, a little below
    beyond = np.array([[7.0], [8.0], [9.0]])  # beyond the largest training input: the network flattens near 40
    p_beyond = net.forward(result.params, data.standardize(beyond, mean, std))[0][:, 0]
    assert np.all((p_beyond > 35) & (p_beyond < 45)) and np.all(np.diff(p_beyond) < 2)
    weights = (p_beyond - (beyond[:, 0] ** 2 - 0.2 * np.cos(3 * np.pi * beyond[:, 0]))) ** 2 / inside
    assert weights[0] > 1000  # "the squared error of thousands of points inside", from x = 7 on
    for w, text in zip(weights, ("4.1e+03", "2e+04", "5.9e+04")):  # printed to two digits: 4,100 / 20,000 / 59,000
        assert all(format(w * f, ".2g") == text for f in (0.999, 1.001))  # and not on a rounding edge
    below = np.array([[-7.8], [-8.5], [-9.0]])  # past the smallest training input: "near 60" (05's text)
    p_below = net.forward(result.params, data.standardize(below, mean, std))[0][:, 0]
    assert np.all((p_below > 55) & (p_below < 66)), p_below


def test_without_the_learning_rate_fix_the_loss_rises_and_stays(replays_1000):
    run = replays_1000[tuple(f for f in FIXES if f != "learning_rate")]
    assert not diverged(run)  # 05: "makes the loss rise from 45 to about 2900 and stay there"
    assert round(run.mse[0]) == 45 and 2800 < run.mse[-1] < 3000
    assert abs(run.mse[-100:].max() - run.mse[-100:].min()) < 0.01 * run.mse[-1]  # it stays there


def test_new_inputs_need_the_training_scaling_and_the_same_network(working):
    _, _, mean, std, result = working
    x_new_raw = np.array([[-4.0], [-1.0], [0.0], [2.5], [5.0]])
    y_true = x_new_raw**2 - 0.2 * np.cos(3 * np.pi * x_new_raw)
    x_new = data.standardize(x_new_raw, mean, std)
    correct = net.mse(net.forward(result.params, x_new)[0], y_true)
    own_scaling = net.mse(net.forward(result.params, data.standardize(x_new_raw))[0], y_true)
    # The question's last lines: no biases, a sigmoid on the output.
    question = net.sigmoid(net.sigmoid(x_new @ result.params["W0"]) @ result.params["W1"])
    assert correct < 0.1
    assert own_scaling > 100 * correct
    assert np.all((question >= 0) & (question <= 1)) and net.mse(question, y_true) > 1000 * correct


@pytest.fixture(scope="module")
def replays_1000():
    fixes = [(f,) for f in FIXES] + [tuple(g for g in FIXES if g != f) for f in FIXES] + [FIXES]
    return {fix: run_original(fix=fix, epochs=1000) for fix in fixes}


def diverged(run):
    return bool(np.any(~np.isfinite(run.mse) | (run.mse > train.divergence_bound(run.mse[0], run.y))))


def test_no_single_fix_rescues_the_question_and_all_four_do(replays_1000):
    for f in FIXES:
        assert diverged(replays_1000[(f,)]), f
    everything = replays_1000[FIXES]
    assert not diverged(everything) and everything.mse[-1] < 0.01 * np.var(everything.y)


def test_dropping_the_gradient_or_the_learning_rate_fix_fails(replays_1000):
    assert diverged(replays_1000[("bias_shape", "std", "learning_rate")])
    no_lr = replays_1000[("bias_shape", "std", "gradient")]
    assert not diverged(no_lr) and no_lr.mse[-1] > np.var(no_lr.y)  # stalls, worse than predicting the mean
