"""The live playground (helpers.live) as a kernel runs it: coalesced requests, cancellation, the sharpness panel.

``threaded=True`` runs the widget as it runs in a kernel (one worker thread; ``wait()`` blocks until
the latest request is on screen); without it every change is applied before the assignment returns.
A warning raised in the worker is an error (pytest's ``filterwarnings = error``), caught there and
kept in ``pg.errors``, so every threaded test ends by checking that list is empty.
"""
import io
import re
import time

import numpy as np
import pytest
from PIL import Image

from helpers import bugs, live, net, outcome, stability, train


@pytest.fixture
def calls(monkeypatch):
    """Record every training run the playground starts: ``(settings, returned run or None if cancelled)``."""
    seen = []
    train = live._train

    def recording(settings, snapshot_every, progress=None):
        run = train(settings, snapshot_every, progress)
        seen.append((dict(settings), run))
        return run

    monkeypatch.setattr(live, "_train", recording)
    return seen


def _size(png):
    return Image.open(io.BytesIO(png)).size


def _finite_difference_hessian(params, x, y, step=1e-5):
    """Central differences of ``net.backward``'s gradient: an independent witness for the Hessian."""
    theta = net.flatten(params)

    def grad(t):
        p = net.unflatten(t, params)
        return net.flatten(net.backward(p, net.forward(p, x)[1], y))

    columns = [(grad(theta + step * e) - grad(theta - step * e)) / (2 * step) for e in np.eye(theta.size)]
    H = np.column_stack(columns)
    return (H + H.T) / 2


# --- what the playground asks of the training loop (bugs.run's snapshot_every and progress) --

def test_snapshots_are_the_parameters_after_that_many_updates():
    x, _ = bugs.inputs()
    run = bugs.run(lr=0.2, epochs=25, n_hidden=5, snapshot_every=10)
    assert [epoch for epoch, _ in run.snapshots] == [0, 10, 20, 25]
    for epoch, params in run.snapshots[1:]:
        witness = train.train(net.init_params(5, 0), x, bugs.Y, 0.2, epoch).params  # epoch updates
        for k in net.PARAM_NAMES:
            np.testing.assert_allclose(params[k], witness[k], rtol=1e-10, atol=1e-12)
    assert bugs.run(lr=0.2, epochs=25).snapshots == []


def test_a_growing_run_is_seen_chunk_by_chunk_and_true_stops_it():
    seen = []

    def on_chunk(partial):
        seen.append(partial.losses.copy())
        return len(seen) == 3  # stop after the third look

    stopped = bugs.run(lr=0.2, epochs=50, chunk=5, on_chunk=on_chunk)
    full = bugs.run(lr=0.2, epochs=50)
    assert stopped.result.stopped and [len(s) for s in seen] == [6, 11, 16]
    for losses in seen:  # each look is the same run, so far
        np.testing.assert_array_equal(losses, full.losses[:len(losses)])


def test_the_playground_cancels_a_run_when_progress_says_false():
    calls = []

    def progress(epoch, losses, curves, snapshots):
        calls.append(epoch)
        assert len(losses) == epoch + 1 and len(curves) == epoch + 1 and snapshots[-1][0] == epoch
        return False

    assert live._train(dict(live.START, lr=0.2), 10, progress) is None
    assert calls == [live.progress_chunk(live.START["epochs"])]


# --- coalescing, cancellation, the faint curve ----------------------------------------------

def test_a_burst_of_50_changes_trains_a_few_runs_and_ends_on_the_last_value(calls):
    pg = live.Playground(threaded=True)
    calls.clear()
    painted = []
    pg.image.observe(lambda change: painted.append(live.picture_settings(change["new"])), names="value")
    lrs = np.geomspace(0.01, 10, 50)
    for lr in lrs:
        pg.controls["lr"].value = float(lr)
    assert pg.wait(60)
    final = live.describe(pg.settings())
    first = painted.index(final)
    assert painted[first:] == [final] * (len(painted) - first)  # no stale picture after the last value's
    assert 1 <= len(calls) <= 10  # coalesced, not queued: 50 requests, a handful of runs
    assert calls[-1][0]["lr"] == pytest.approx(lrs[-1])
    assert pg.run.lr == pytest.approx(lrs[-1]) and pg.status.value == pg.run.status
    assert pg.status.value.startswith("diverged at epoch ")
    assert live.picture_settings(pg.image.value) == live.describe(pg.settings())  # the picture on screen is the last value's
    assert pg.errors == []


def test_a_new_value_cancels_a_long_run_in_progress(calls):
    pg = live.Playground(threaded=True)
    calls.clear()
    pg.apply(lr=0.1, epochs=bugs.MAX_EPOCHS, n_hidden=50)  # seconds of training
    deadline = time.monotonic() + 30
    while not pg.status.value.startswith("running: epoch") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pg.status.value.startswith("running: epoch")  # it shows itself growing
    pg.apply(lr=0.2)
    assert pg.wait(60)
    assert [s["lr"] for s, _ in calls] == [0.1, 0.2]
    assert calls[0][1] is None  # the long run was cancelled, not finished
    assert pg.run.epochs == 500 and pg.run.lr == 0.2
    assert pg.status.value == bugs.run(lr=0.2).status
    assert pg.errors == []


def test_the_faint_curve_is_the_run_from_before_the_drag():
    pg = live.Playground(threaded=True)
    before = pg.run.losses
    for lr in np.geomspace(0.1, 2, 20):  # one gesture: changes far less than GESTURE_GAP_S apart
        pg.controls["lr"].value = float(lr)
    assert pg.wait(60)
    assert pg.previous is before
    np.testing.assert_array_equal(pg.plot.previous.get_ydata(), np.clip(before, *live.LOSS_RANGE))
    dragged = pg.run.losses
    time.sleep(live.GESTURE_GAP_S + 0.1)  # the drag has ended; the next change is a new gesture
    pg.controls["lr"].value = 0.05
    assert pg.wait(60)
    assert pg.previous is dragged
    assert pg.errors == []


def test_a_wild_drag_leaves_no_error_no_warning_and_a_consistent_widget():
    rng = np.random.default_rng(0)
    pg = live.Playground(threaded=True)
    names = list(bugs.BUGS)
    for _ in range(120):
        choice = rng.integers(6)
        if choice == 0:
            pg.controls["lr"].value = float(10 ** rng.uniform(-4, 1))
        elif choice == 1:
            pg.controls["epochs"].value = int(rng.choice([1, 2, 37, 500, bugs.MAX_EPOCHS]))
        elif choice == 2:
            pg.controls["n_hidden"].value = int(rng.integers(1, 51))
        elif choice == 3:
            pg.controls[names[rng.integers(4)]].value = bool(rng.integers(2))
        elif choice == 4:
            pg.frame.value = int(rng.integers(live.FRAMES))  # the replay slider during the drag
        else:
            pg.size.value = str(rng.choice(list(live.SIZES)))
        time.sleep(float(rng.uniform(0, 0.01)))
    pg.apply(lr=10.0, epochs=300)
    assert pg.wait(120)
    assert pg.errors == []
    assert pg.settings() == dict(live.START, lr=10.0, epochs=300)
    assert pg.status.value == pg.run.status == bugs.run(lr=10.0, epochs=300).status
    assert pg.status.style.text_color == live.STATUS_COLOURS["diverged"]
    assert live.picture_settings(pg.image.value) == live.describe(pg.settings())
    # the replay still works after the drag
    final = pg.image.value
    pg.frame.value = 0
    assert pg.image.value != final and len(pg.plot.current.get_xdata()) == 1
    pg.frame.value = live.FRAMES - 1
    assert pg.image.value == final


def test_a_preset_is_one_click_and_one_run(calls):
    pg = live.Playground()
    for name, preset in live.PRESETS.items():
        calls.clear()
        button = next(b for b in pg.presets if b.description == name)
        button.click()
        assert len(calls) <= 2  # one run (and its first epochs again, finer, when it diverges early)
        assert pg.settings() == dict(live.START, **preset)
        assert pg.run.status == bugs.run(**dict(live.START, **preset)).status


# --- what the panels show -------------------------------------------------------------------

def test_the_exact_hessian_matches_finite_differences_of_the_gradient():
    x, _ = bugs.inputs()
    for n_hidden, lr, epochs in ((10, 0.3, 300), (4, 2.0, 3)):
        params = bugs.run(lr=lr, epochs=epochs, n_hidden=n_hidden).params
        witness = _finite_difference_hessian(params, x, bugs.Y)
        np.testing.assert_allclose(stability.dense_hessian(params, x, bugs.Y), witness, rtol=1e-5,
                                   atol=1e-6 * np.abs(witness).max())


@pytest.mark.parametrize("settings", [dict(lr=0.3, epochs=600), dict(lr=10.0), dict(lr=0.1, n_hidden=25)])
def test_the_sharpness_trace_is_the_top_hessian_eigenvalue_at_each_snapshot(settings):
    """Exact for 31 parameters, power iteration for 76; the witness: eigvalsh of a finite-difference Hessian."""
    run, (epochs, values) = live.compute(dict(live.START, **settings))
    assert len(epochs) >= 2
    x, _ = bugs.inputs()
    snapshots = dict(run.snapshots)
    for epoch, value in list(zip(epochs, values))[:: max(1, len(epochs) // 5)]:
        top = np.linalg.eigvalsh(_finite_difference_hessian(snapshots[int(epoch)], x, bugs.Y))[-1]
        assert value == pytest.approx(top, rel=2e-2 if settings.get("n_hidden") else 1e-4)


def test_at_the_edge_of_stability_the_sharpness_rises_to_2_over_lr_and_hovers():
    run, (epochs, values) = live.compute(dict(live.START, **live.PRESETS["edge of stability"]))
    assert values[0] < 0.95 * 2 / run.lr  # it starts below the line
    late = values[epochs >= epochs[-1] / 2]
    assert np.all(np.abs(late / (2 / run.lr) - 1) < 0.15)  # and hovers at it


def test_an_early_divergence_is_zoomed_and_the_fit_panel_is_not_blank():
    pg = live.playground(lr=10.0)
    d = pg.run.diverged_at
    assert d < 10 and pg.plot.loss_ax.get_xlim() == (0, live.epoch_axis(pg.run)) and d < live.epoch_axis(pg.run) <= 10
    assert len(pg.plot.fit.get_ydata()) == bugs.N_CURVE  # the last fit still in view, with its epoch named
    assert pg.plot.fit_note.get_text().startswith("fit at epoch ")
    assert len(pg.plot.sharpness.get_xdata()) >= 2  # first epochs run again with a snapshot each
    assert pg.plot.limit.get_ydata()[0] == pytest.approx(2 / 10.0)


@pytest.mark.parametrize("settings, word", [
    (dict(lr=0.1), "still improving"), (dict(lr=0.2, epochs=2000), "converged"),
    (dict(lr=10.0), "diverged"), (dict(bugs=("learning_rate",)), "rising"),
    (dict(lr=0.4, epochs=2000), "catapult"),
])
def test_the_status_is_coloured_by_its_first_word(settings, word):
    pg = live.playground()
    pg.apply(**settings)
    assert pg.status.value == bugs.run(**dict(live.START, **settings)).status
    assert pg.status.value.split(":")[0].startswith(word)
    assert pg.status.style.text_color == live.STATUS_COLOURS[word]
    assert len(set(live.STATUS_COLOURS.values())) == len(live.STATUS_COLOURS)  # one colour per word
    assert live.status_colour("something else") == "#000000"


def test_with_the_gradient_bug_the_question_s_printed_loss_stands_beside_the_mse():
    pg = live.playground(lr=1e-3)
    pg.controls["gradient"].value = True
    assert pg.question.value and "printed" in pg.question.value
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", pg.question.value)
    # the witness: the question's own loop body, one step from the same start
    x, _ = bugs.inputs()
    p = bugs.initial_params()
    W0, b0, W1, b1 = (p[k].copy() for k in net.PARAM_NAMES)
    y, lr = bugs.Y, 1e-3
    l1 = net.sigmoid(np.dot(x, W0) + b0)
    l2 = np.dot(l1, W1) + b1
    printed = [np.mean(y - l2)]
    l2_delta = np.mean(y - l2) * 2 * (y - l2)
    l1_delta = l2_delta.dot(W1.T) * (l1 * (1 - l1))
    W1 += lr * l1.T.dot(l2_delta)
    W0 += lr * x.T.dot(l1_delta)
    b0 += lr * l1_delta.sum(axis=0, keepdims=True)
    b1 += lr * l2_delta.sum(axis=0, keepdims=True)
    l2 = np.dot(net.sigmoid(np.dot(x, W0) + b0), W1) + b1
    printed.append(np.mean(y - l2))
    assert [int(r[0]) for r in rows[:2]] == [0, 1]
    assert [float(r[1]) for r in rows[:2]] == pytest.approx(printed, rel=2e-3)  # printed with 3 digits
    assert float(rows[1][2]) == pytest.approx(pg.run.losses[1], rel=2e-3)
    pg.controls["gradient"].value = False
    assert pg.question.value == ""


def test_the_size_control_scales_the_figure_and_the_status():
    pg = live.playground()
    width, height = _size(pg.image.value)
    pg.size.value = "2x"
    assert _size(pg.image.value) == (2 * width, 2 * height)
    assert pg.status.style.font_size == "30px" and pg.status.value == pg.run.status
    pg.controls["lr"].value = 0.2  # later pictures keep the size
    assert _size(pg.image.value) == (2 * width, 2 * height)


def test_sliders_send_their_value_while_dragged():
    pg = live.playground()
    sliders = [c for c in pg.controls.values() if hasattr(c, "continuous_update")]
    assert len(sliders) == 4 and all(c.continuous_update for c in sliders)


def test_learning_rate_only_keeps_the_size_control_and_no_presets():
    pg = live.playground(learning_rate_only=True)
    shown = set()
    stack = [pg]
    while stack:
        w = stack.pop()
        shown.add(id(w))
        stack.extend(getattr(w, "children", ()))
    assert id(pg.size) in shown and not any(id(b) in shown for b in pg.presets)


def test_the_still_is_the_widget_s_drawing_with_its_settings_and_status_on_top(capsys):
    png = live.still()
    width, height = _size(png)
    assert width == _size(live.playground().image.value)[0] and height > _size(live.playground().image.value)[1]
    assert live.still(learning_rate_only=True) != png  # its caption names only the learning rate
    assert live.describe(live.START, learning_rate_only=True) == "lr 0.1"
    live.preview(lr=10.0)
    assert capsys.readouterr().out.strip() == "<IPython.core.display.Image object>"
    with pytest.raises(ValueError, match="unknown setting"):
        live.still(learning_rate=1.0)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "0.1", 1e3])
def test_the_lr_scale_rejects_a_learning_rate_it_cannot_place(bad):
    with pytest.raises(ValueError, match=r"lr must be a finite number >= 0.0001 and <= 100, got "):
        live.lr_scale_html(bad, 1.0)


def test_the_text_a_notebook_stores_beside_the_widget_names_its_settings_not_its_widget_tree():
    assert live.playground(learning_rate_only=True)._repr_mimebundle_()["text/plain"] == "Playground(lr 0.1)"
    pg = live.playground(epochs=200)
    pg.controls["gradient"].value = True
    assert repr(pg) == "Playground(lr 0.1, 200 epochs, 10 hidden units, seed 0, wrong gradient sign/scale)"


def test_notebook_06_shows_a_still_under_the_widget_cell_for_readers_without_a_kernel():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / "06_playground.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    widget = next(i for i, c in enumerate(code) if c.source.rstrip().endswith("playground()"))
    still = code[widget + 1]
    assert still.source.strip() == "preview()"
    pngs = [o for o in still.outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 1 and pngs[0]["output_type"] == "display_data"  # an ordinary image, no widget state needed


# --- notebook 06's printed claims, against other arithmetic and independent witnesses ----------

def _near_limit_line(losses, bound):
    """What notebook 06's ``near_limit`` prints for a run with these losses (its word, the bound's side, the spike)."""
    word = outcome.classify(losses, bugs.VAR_Y, False)
    spike = f"{losses.max():.2g}" if word == "catapult" else ""
    return word, losses[-1] < bound, spike


@pytest.mark.parametrize("lr, epochs, bound", [(0.3, 500, 1), (0.4, 500, 1), (0.3, 2000, 0.5), (0.4, 2000, 0.5)])
def test_notebook_06_near_limit_lines_survive_other_arithmetic(lr, epochs, bound):
    """Runs within 25% of 2/lambda_max amplify last-bit differences (another CPU's): the notebook prints only
    the word, the final MSE's side of a round bound and the spike to 2 digits. Witnesses: a float64 hidden
    layer and starts nudged by 1e-7 relative, far more different from each other than two CPUs are."""
    x, _ = bugs.inputs()
    start = net.init_params(10, 0)
    printed = _near_limit_line(bugs.run(lr=lr, epochs=epochs).losses, bound)
    others = [train.descend(start, x, bugs.Y, epochs, train.gradient_step(lr), dtype=np.float64).losses]
    for factor in (1 + 1e-7, 1 - 1e-7):
        nudged = {k: v * factor for k, v in start.items()}
        others.append(train.train(nudged, x, bugs.Y, lr, epochs).losses)
    for losses in others:
        assert _near_limit_line(losses, bound) == printed
        assert losses[-1] < 0.9 * bound  # with margin, not on the edge


def test_notebook_06_held_out_inputs_all_lie_inside_and_placed_ones_beyond_are_missed():
    """The one held-out rule leaves no held-out input outside the training range (so the notebook places some
    there itself); beyond the range the network flattens while the parabola rises."""
    x_raw, x_test_raw = bugs.X_RAW[:, 0], bugs.X_TEST_RAW[:, 0]
    assert x_raw.min() < x_test_raw.min() and x_test_raw.max() < x_raw.max()
    run = bugs.run(lr=0.1, epochs=2000)
    beyond = np.array([x_raw.min() - 2, x_raw.min() - 1, x_raw.min() - 0.5,
                       x_raw.max() + 0.5, x_raw.max() + 1, x_raw.max() + 2])[:, None]
    truth = beyond**2 - 0.2 * np.cos(3 * np.pi * beyond)
    scaled = (beyond - x_raw.mean()) / x_raw.std()
    guess = net.forward(run.params, scaled)[0]
    assert np.all(np.abs(guess - truth) > 5)  # every placed point is missed
    assert np.mean((guess - truth) ** 2) > 1000 * run.held_out_mse
    assert abs(guess[0, 0] - guess[2, 0]) < 0.2 * abs(truth[0, 0] - truth[2, 0])  # the curve flattens out there


def _question_loop_mse(lr, epochs):
    """The question's loop body (its sign/scale gradient, per-sample biases, input divided by the variance),
    written out here in float64 as a witness: the training MSE before each update and after the last."""
    three = ("bias_shape", "std", "gradient")
    x, _ = bugs.inputs(three)
    p = bugs.initial_params(three)
    W0, b0, W1, b1 = (p[k].astype(np.float64) for k in net.PARAM_NAMES)
    y, mses = bugs.Y, []
    with np.errstate(all="ignore"):
        for _ in range(epochs + 1):
            l1 = net.sigmoid(np.dot(x, W0) + b0)
            l2 = np.dot(l1, W1) + b1
            mses.append(float(np.mean((y - l2) ** 2)))
            if not np.isfinite(mses[-1]):
                break
            l2_delta = np.mean(y - l2) * 2 * (y - l2)
            l1_delta = l2_delta.dot(W1.T) * (l1 * (1 - l1))
            W1 += lr * l1.T.dot(l2_delta)
            W0 += lr * x.T.dot(l1_delta)
            b1 += lr * l2_delta  # per sample: one bias row per sample, no sum
            b0 += lr * l1_delta
    return np.array(mses)


def test_notebook_06_item_6_untick_the_lr_box_and_three_bugs_still_diverge_at_1e_4_not_at_1e_6():
    """Item 6 of 'Things to try': with the lr = 1 box the slider is overridden; without it, the other three
    bugs still pass the divergence bound at lr 1e-4 (epoch 5) and creep without diverging at 1e-6."""
    three = ("bias_shape", "std", "gradient")
    assert bugs.run(bugs=bugs.BUGS, lr=1e-4).lr == bugs.run(bugs=bugs.BUGS, lr=1e-6).lr == 1.0  # the box wins
    fast, slow = _question_loop_mse(1e-4, 10), _question_loop_mse(1e-6, 500)
    bound = 1e6 * max(fast[0], bugs.VAR_Y)
    first = int(np.argmax(~(np.isfinite(fast) & (fast <= bound))))
    assert first == 5 and bugs.run(bugs=three, lr=1e-4).diverged_at == first
    assert np.all(np.isfinite(slow)) and slow.max() < 2 * slow[0]  # creeps: never near the bound
    assert bugs.run(bugs=three, lr=1e-6).diverged_at is None


def test_notebook_06_converged_is_a_stopping_rule_not_a_minimum():
    """The status list: the lr 0.1 run called converged after 2000 epochs still falls a lot by epoch 5000.
    Witness: a float64 run of the same network from the same start."""
    x, _ = bugs.inputs()
    assert bugs.run(lr=0.1, epochs=2000).outcome == "converged"
    losses = train.descend(net.init_params(10, 0), x, bugs.Y, 5000, train.gradient_step(0.1),
                           dtype=np.float64).losses
    assert losses[2000] == pytest.approx(0.0996, abs=5e-4) and losses[5000] == pytest.approx(0.036, abs=5e-4)
    assert losses[5000] < 0.4 * losses[2000]
