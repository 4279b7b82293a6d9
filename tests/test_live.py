"""The playground: its training with switchable bugs (helpers.bugs) and its widget (helpers.live)."""
import io
import itertools

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from helpers import bugs, data, live, net, original, outcome, stability, train

WORDS = ("converged: ", "catapult: ", "still improving: ", "stalled: ", "rising: ", "diverged at epoch ")


# --- helpers.bugs: the training ----------------------------------------------------------

def test_with_no_bug_it_is_plain_gradient_descent_as_train_does_it():
    x, _ = bugs.inputs()
    run = bugs.run(lr=0.1, epochs=200, n_hidden=7, seed=3)
    ref = train.train(net.init_params(7, 3), x, bugs.Y, 0.1, 200)  # 201 losses: after 0..200 updates
    np.testing.assert_allclose(run.losses, ref.losses, rtol=1e-12)
    for k in net.PARAM_NAMES:
        np.testing.assert_allclose(run.params[k], ref.params[k], rtol=1e-10, atol=1e-12)


def test_the_curves_are_the_network_prediction_at_the_curve_inputs():
    run = bugs.run(epochs=30)
    x, _ = bugs.inputs()
    l2, _ = net.forward(run.params, x)
    # curves[k] is the prediction before update k; the final params give the one after the last
    np.testing.assert_allclose(run.curves[-1], l2[bugs.CURVE, 0], rtol=1e-6)
    assert run.losses[-1] == pytest.approx(net.mse(l2, bugs.Y), rel=1e-6)


def test_the_update_ratio_is_the_median_step_size_relative_to_the_parameters():
    x, _ = bugs.inputs()
    p, lr, ratios = net.init_params(10, 0), 0.3, []
    for _ in range(20):
        grads = net.backward(p, net.forward(p, x)[1], bugs.Y)
        step = np.sqrt(sum(np.sum((lr * grads[k]) ** 2) for k in p))
        ratios.append(step / np.sqrt(sum(np.sum(p[k] ** 2) for k in p)))
        p = {k: p[k] - lr * grads[k] for k in p}
    assert bugs.run(lr=lr, epochs=20).update_ratio == pytest.approx(np.median(ratios), rel=1e-6)


def test_every_bug_on_makes_one_step_of_the_question_s_loop():
    on = bugs.BUGS
    x, _ = bugs.inputs(on)
    p = bugs.initial_params(on, 10, 0)
    W0, b0, W1, b1 = (p[k].copy() for k in net.PARAM_NAMES)
    y, lr = bugs.Y, 1  # the question's loop body, verbatim apart from the overflow-free sigmoid
    l1 = net.sigmoid(np.dot(x, W0) + b0)
    l2 = np.dot(l1, W1) + b1
    l2_delta = np.mean(y - l2) * 2 * (y - l2)
    l1_delta = l2_delta.dot(W1.T) * (l1 * (1 - l1))
    W1 += lr * l1.T.dot(l2_delta)
    W0 += lr * x.T.dot(l1_delta)
    b0 += lr * l1_delta
    b1 += lr * l2_delta
    with np.errstate(all="ignore"):
        after = np.mean((np.dot(net.sigmoid(np.dot(x, W0) + b0), W1) + b1 - y) ** 2)
    run = bugs.run(on, lr=0.01, epochs=1)
    assert run.lr == original.LR_QUESTION
    assert run.losses[0] == pytest.approx(np.mean((l2 - y) ** 2), rel=1e-6)
    assert len(run.losses) == 2 and run.losses[1] == pytest.approx(after, rel=1e-6)
    assert after > train.divergence_bound(run.losses[0], y)  # so this one step already diverges
    assert run.diverged_at == 1


def test_the_sign_bug_is_the_correct_gradient_times_n_mean_residual():
    # With the gradient bug and a tiny lr the first step equals a correct step of lr * n * mean(y - l2).
    x, _ = bugs.inputs()
    l2, _ = net.forward(net.init_params(10, 0), x)
    factor = len(x) * float(np.mean(bugs.Y - l2))
    assert factor > 100  # hundreds of times too big, and it points the other way (negative lr)
    buggy = bugs.run(("gradient",), lr=1e-5, epochs=1)
    correct = bugs.run(lr=1e-5 * factor, epochs=1)
    np.testing.assert_allclose(buggy.losses, correct.losses, rtol=1e-6)
    assert buggy.update_ratio == pytest.approx(correct.update_ratio, rel=1e-6)


def test_per_sample_biases_are_per_sample_and_cannot_predict_held_out_inputs():
    run = bugs.run(("bias_shape",), epochs=20, n_hidden=4)
    assert run.params["b0"].shape == (bugs.N_SAMPLES, 4) and run.params["b1"].shape == (bugs.N_SAMPLES, 1)
    assert run.held_out_mse is None
    rows = run.params["b1"][:, 0] - bugs.initial_params(("bias_shape",), 4, 0)["b1"][:, 0]
    assert len(np.unique(rows.round(12))) > 900  # each sample's bias moved by its own delta
    shared = bugs.run(epochs=20, n_hidden=4)
    assert shared.held_out_mse is not None and shared.params["b1"].shape == (1, 1)


def test_the_variance_bug_divides_by_the_variance():
    x_var, _ = bugs.inputs(("std",))
    np.testing.assert_allclose(x_var, data.standardize_with_var(bugs.X_RAW), rtol=1e-12)
    x, _ = bugs.inputs()
    assert x.std() == pytest.approx(1.0)
    assert x_var.std() == pytest.approx(1 / bugs.X_RAW.std())


def test_the_lr_bug_trains_with_lr_1_whatever_lr_says():
    a = bugs.run(("learning_rate",), lr=1e-3, epochs=50)
    b = bugs.run(lr=1.0, epochs=50)
    np.testing.assert_array_equal(a.losses, b.losses)


@pytest.mark.parametrize("bad, match", [
    (dict(bugs=("sign",)), "bugs has unknown names"), (dict(lr=0), "lr must be"), (dict(lr=float("nan")), "lr must be"),
    (dict(lr="1"), "lr must be"), (dict(epochs=0), "epochs must be"), (dict(epochs=bugs.MAX_EPOCHS + 1), "epochs"),
    (dict(epochs=2.5), "epochs"), (dict(n_hidden=0), "n_hidden"), (dict(seed=-1), "seed"),
])
def test_bad_settings_are_a_clear_value_error(bad, match):
    with pytest.raises(ValueError, match=match):
        bugs.run(**bad)


EXTREMES = list(itertools.product([(), bugs.BUGS, ("gradient",), ("bias_shape", "std")],
                                  [1e-4, 10.0], [1, bugs.MAX_EPOCHS], [1, 10]))


@pytest.mark.parametrize("on, lr, epochs, n_hidden", EXTREMES)
def test_extreme_settings_give_a_status_and_only_finite_numbers(on, lr, epochs, n_hidden):
    run = bugs.run(on, lr=lr, epochs=epochs, n_hidden=n_hidden)  # filterwarnings=error: no warning either
    assert run.status.startswith(WORDS)
    assert np.all(np.isfinite(run.losses)) and np.all(np.isfinite(run.curves))
    assert len(run.curves) == len(run.losses) >= 1
    if run.diverged_at is not None:
        assert len(run.losses) in (run.diverged_at, run.diverged_at + 1) and run.diverged_at <= epochs
        assert run.diverged_at < 50 or epochs < bugs.MAX_EPOCHS  # stopped early, not after 5000 epochs


# --- the four status words, on hand-made loss curves --------------------------------------

def _run(losses, diverged_at=None, held_out=0.05, saturated=0):
    losses = np.asarray(losses, dtype=float)
    epochs = len(losses) - 1 if diverged_at is None else 100
    return bugs.Run(bugs=(), lr=0.1, epochs=epochs, n_hidden=10, seed=0, losses=losses,
                    diverged_at=diverged_at, curves=np.zeros((len(losses), bugs.N_CURVE)),
                    update_ratio=1e-3, held_out_mse=held_out, saturated=saturated, params={})


def test_status_diverged_names_the_epoch_and_the_last_finite_loss():
    assert bugs.status(_run([40.0, 3e9, 2.7e31], diverged_at=2)) == "diverged at epoch 2 (loss 3e+31)"
    assert bugs.status(_run([40.0], diverged_at=1)) == "diverged at epoch 1 (loss 4e+01)"
    assert bugs.status(_run([], diverged_at=0)) == "diverged at epoch 0 (loss not finite)"


def test_status_separates_improving_flat_good_and_flat_bad_at_the_thresholds():
    flat = outcome.FLAT_FRACTION * bugs.VAR_Y
    good = outcome.GOOD_FRACTION * bugs.VAR_Y
    # 100 epochs: the last tenth is epochs 90..100
    falling = np.r_[np.linspace(40, 1.0 + 1.5 * flat, 91), np.linspace(1.0 + 1.4 * flat, 1.0, 10)]
    assert bugs.status(_run(falling)).startswith("still improving: training MSE 1 after 100 epochs")
    settled = np.r_[np.linspace(40, 1.0 + 0.5 * flat, 91), np.linspace(1.0 + 0.4 * flat, 1.0, 10)]
    assert bugs.status(_run(settled, held_out=0.0456)) == "converged: held-out MSE 0.046 after 100 epochs"
    assert "per-sample biases" in bugs.status(_run(settled, held_out=None))
    stuck = np.full(101, 2 * good)
    assert bugs.status(_run(stuck, saturated=7)) == (
        f"stalled: loss stuck at {2 * good:.3g} (7 of 10 hidden units saturated, update/weight 1.0e-03)")
    bouncing = np.r_[np.linspace(40, 1.0, 91), np.tile([1.5, 1.0], 5)]  # back and forth: no progress
    assert bugs.status(_run(bouncing)) == "stalled: loss bouncing between 1 and 1.5 in the last 10 epochs, not falling"
    late_bump = np.r_[np.linspace(40, 1.0, 81), np.ones(14), np.linspace(1.0, 1.5, 6)]  # no net progress
    assert bugs.status(_run(late_bump)) == "stalled: loss bouncing between 1 and 1.5 in the last 10 epochs, not falling"
    settled_high = np.r_[np.linspace(40, 2 * good, 91), np.full(10, 2 * good)]
    assert bugs.status(_run(settled_high)).startswith("stalled: loss stuck at")
    spike = np.r_[40.0, 400.0, np.linspace(30, 1.0, 89), np.ones(10)]
    assert bugs.status(_run(spike)) == "catapult: loss spiked to 4e+02, then fell to 1 after 100 epochs"


@pytest.mark.parametrize("epochs", [1, 2, 10, 5000])
def test_a_steady_climb_is_never_called_stalled_or_bouncing(epochs):
    """Issue 11: lr 1 with 50 units climbed from 46.6 to 2.3e6 and read 'stalled: loss bouncing'."""
    climb = np.geomspace(46.6, 2.3e6, epochs + 1)
    assert bugs.status(_run(climb)) == (
        f"rising: loss up from 46.6 to 2.3e+06 in {epochs} epochs ({2.3e6 / bugs.VAR_Y:.2g} x var(y))")
    run = bugs.run(("learning_rate",), 10.0, epochs, 50, 0)
    assert run.status.startswith("rising: ") and run.losses[-1] > 10 * run.losses[0]


@pytest.mark.parametrize("settings, word", [
    (dict(lr=0.1), "still improving: "),
    (dict(lr=0.2, epochs=2000), "converged: held-out MSE"),
    (dict(lr=10.0), "diverged at epoch "),
    (dict(bugs=("learning_rate",)), "rising: "),
    (dict(bugs=("gradient",), lr=1e-4), "diverged at epoch "),
])
def test_the_statuses_the_guide_relies_on(settings, word):
    run = bugs.run(**settings)
    assert run.status.startswith(word)
    if word == "rising: ":
        assert run.saturated >= run.n_hidden // 2  # lr = 1 drives the sigmoids flat


# --- helpers.live: the widget -------------------------------------------------------------

def _png(pg):
    return np.asarray(Image.open(io.BytesIO(pg.image.value)))


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_dragging_lr_to_10_diverges_and_back_converges_and_the_plot_changes():
    pg = live.playground()
    before, status = _png(pg), pg.status.value
    assert status.startswith("still improving: ")
    pg.controls["lr"].value = 10.0
    assert pg.status.value.startswith("diverged at epoch ")
    diverged = _png(pg)
    assert diverged.shape == before.shape and np.any(diverged != before)
    assert np.all(np.isfinite(pg.plot.current.get_ydata())) and np.all(np.isfinite(pg.plot.fit.get_ydata()))
    assert len(pg.plot.blowup.get_xdata()) == 1  # the divergence is marked
    pg.controls["lr"].value = 0.1
    assert pg.status.value == status
    np.testing.assert_array_equal(pg.plot.previous.get_ydata(), np.clip(pg.previous, *live.LOSS_RANGE))
    assert len(pg.previous) < 20  # the faint line is the diverged run
    assert f"update/weight {pg.run.update_ratio:.1e}" in pg.ratio.value


@pytest.mark.parametrize("name", bugs.BUGS)
def test_every_checkbox_switches_its_bug_in_the_training(name):
    pg = live.playground(epochs=100)
    clean = pg.run
    pg.controls[name].value = True
    assert pg.run.bugs == (name,)
    assert pg.status.value == pg.run.status
    assert not np.array_equal(pg.run.losses[:5], clean.losses[:5]) or name == "learning_rate"
    if name == "learning_rate":
        assert pg.run.lr == 1.0 and pg.controls["lr"].disabled
        assert pg.status.value.startswith("rising: ")
    if name == "gradient":
        assert pg.status.value.startswith("diverged at epoch 1 ")
        assert f"{live.CLASS}-limit" not in pg.scale.value  # 2/lambda_max means nothing for these steps
    if name == "bias_shape":
        assert pg.run.params["b0"].shape == (bugs.N_SAMPLES, 10)
    pg.controls[name].value = False
    assert pg.run.bugs == () and not pg.controls["lr"].disabled
    np.testing.assert_array_equal(pg.run.losses, clean.losses)


def test_the_lr_scale_marks_2_over_lambda_max_and_the_current_lr():
    pg = live.playground()
    assert f"{live.CLASS}-limit" in pg.scale.value
    limit = stability.max_stable_lr(bugs.initial_params(), bugs.inputs()[0], bugs.Y)
    assert 1e-2 < limit < 10
    position = 100 * (np.log10(limit) + 4) / 5
    assert f"left:{position:.1f}%" in pg.scale.value


def test_the_animation_replays_the_run_epoch_by_epoch():
    pg = live.playground(lr=2.0)  # diverges within a few epochs: every epoch gets frames
    final = pg.image.value
    assert [pg.frame_epoch(f) for f in (0, live.FRAMES - 1)] == [0, len(pg.run.losses) - 1]
    pg.frame.value = 0
    assert pg.image.value != final
    assert len(pg.plot.current.get_xdata()) == 1
    pg.frame.value = live.FRAMES - 1
    assert pg.image.value == final
    pg.controls["lr"].value = 0.1  # a new run jumps to its end
    assert pg.frame.value == live.FRAMES - 1 and len(pg.plot.current.get_xdata()) == 501


def test_learning_rate_only_shows_the_lr_slider_alone():
    shown = list(_descendants(live.playground(learning_rate_only=True)))
    settings = [w for w in shown if isinstance(w, (widgets.FloatLogSlider, widgets.Checkbox))
                or (isinstance(w, widgets.IntSlider) and w.description != "replay")]
    assert [w.description for w in settings] == ["learning rate"]
    full = list(_descendants(live.playground()))
    assert sum(isinstance(w, widgets.Checkbox) for w in full) == len(bugs.BUGS)


def test_playground_rejects_bad_settings_clearly():
    with pytest.raises(ValueError, match="unknown setting"):
        live.playground(learning_rate=0.1)
    with pytest.raises(ValueError, match="epochs must be"):
        live.playground(epochs=0)
    with pytest.raises(ValueError, match=r"lr must be a finite number >= 0.0001 and <= 10, got 50"):
        live.playground(lr=50)  # the slider could not show it


def test_playground_starts_from_the_settings_it_is_given():
    pg = live.playground(lr=0.3, epochs=200, n_hidden=60, seed=25)
    assert pg.settings() == dict(bugs=(), lr=0.3, epochs=200, n_hidden=60, seed=25)
    assert pg.run.status == bugs.run(lr=0.3, epochs=200, n_hidden=60, seed=25).status
