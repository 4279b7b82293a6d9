"""The claims that notebooks 00, 01 and 03 make about the tools they teach and the numbers they print.

The witness is independent code: the question's own loop written out again here (its legacy
``RandomState`` draws, its literal sigmoid, its ``+=`` updates), centred differences written out
again here, and the relative-error formula written out again here. Nothing is copied from the
notebooks' printed output: each number is recomputed and then rounded as the notebook rounds it.
"""
import json
import pathlib
import re

import numpy as np
import pytest

from helpers import data, net
from helpers.original import FIXES, question_gradient, run_original

N, H = 1000, 10


def question_draws(seed, fix=()):
    """The question's data and initial parameters, drawn in the question's order, in its own words."""
    rs = np.random.RandomState(seed)
    x_pre = 2 * rs.normal(size=(N, 1))
    y = x_pre**2 + -0.2 * np.cos(3 * np.pi * x_pre)
    scale = np.std(x_pre) if "std" in fix else np.var(x_pre)
    x = (x_pre - np.mean(x_pre)) / scale
    w0 = 2 * rs.random((1, H)) - 1
    w1 = 2 * rs.random((H, 1)) - 1
    b0 = rs.normal(size=(N, H))
    b1 = rs.normal(size=(N, 1))
    if "bias_shape" in fix:
        b0, b1 = b0[:1].copy(), b1[:1].copy()
    return x_pre, x, y, {"W0": w0, "b0": b0, "W1": w1, "b1": b1}


def question_forward(p, x):
    l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
    return l1, np.dot(l1, p["W1"]) + p["b1"]


def question_loop(seed, steps):
    """The question's loop for ``steps`` steps; returns the parameters before the first and after every step."""
    _, x, y, p = question_draws(seed)
    states = [{k: v.copy() for k, v in p.items()}]
    with np.errstate(all="ignore"):  # it overflows from step 3 on, as the question's did
        for _ in range(steps):
            l1, l2 = question_forward(p, x)
            l2_delta = np.mean(y - l2) * 2 * (y - l2)
            l1_delta = l2_delta.dot(p["W1"].T) * (l1 * (1 - l1))
            p["W1"] = p["W1"] + l1.T.dot(l2_delta)
            p["W0"] = p["W0"] + x.T.dot(l1_delta)
            p["b0"] = p["b0"] + l1_delta
            p["b1"] = p["b1"] + l2_delta
            states.append({k: v.copy() for k, v in p.items()})
    return states


def centred_difference(loss, p, eps):
    """d loss / d p, entry by entry, for a dict of arrays (each entry nudged and restored)."""
    grad = {}
    for k, value in p.items():
        nudged = {name: v.copy() for name, v in p.items()}
        g = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            nudged[k][i] = value[i] + eps
            up = loss(nudged)
            nudged[k][i] = value[i] - eps
            down = loss(nudged)
            nudged[k][i] = value[i]
            g[i] = (up - down) / (2 * eps)
        grad[k] = g
    return grad


def rel_error(a, b):
    """CS231n's relative error, as notebook 03 writes it down."""
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


# --- notebook 00 ------------------------------------------------------------------------


def test_the_replay_draws_the_questions_stream_and_its_data_differ_from_make_data():
    x_pre, x, y, p = question_draws(0)
    replay = run_original(seed=0, epochs=1)
    np.testing.assert_array_equal(replay.x_raw, x_pre)
    for k in net.PARAM_NAMES:
        np.testing.assert_array_equal(replay.initial_params[k], p[k])
    assert f"{np.var(y):.1f}" == "29.7"  # "var(y) = 29.7" for the replay
    assert f"{np.var(data.make_data(1000, seed=0)[1]):.1f}" == "33.7"  # and 33.7 from notebook 04 on


def test_the_stable_sigmoid_is_the_literal_one_and_never_overflows():
    limit = np.log(np.finfo(float).max)
    assert f"{limit:.5g}" == "709.78"
    with np.errstate(over="raise"):
        np.exp(709.78)  # still finite...
        with pytest.raises(FloatingPointError):
            np.exp(709.79)  # ...one step further it is not: 1/(1+exp(-z)) warns for z < -709.78

    def pasted(z):  # the cell notebook 00 asks the learner to paste
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0, e) / (1 + e)

    z = np.concatenate([np.linspace(-700, 700, 20001), [-1e308, -800.0, 800.0, 1e308]])
    with np.errstate(over="ignore"):
        literal = 1 / (1 + np.exp(-z))
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # none of the warnings numpy gives by default, even at +-1e308
        stable_form = pasted(z)
    np.testing.assert_allclose(stable_form, literal, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(net.sigmoid(z), stable_form)  # "helpers.net.sigmoid is this same function"
    shown = np.array([-800.0, -10.0, 0.0, 10.0, 800.0])
    assert ", ".join(f"{v:.5f}" for v in pasted(shown)) == "0.00000, 0.00005, 0.50000, 0.99995, 1.00000"


@pytest.mark.parametrize("seed", range(3))
def test_after_step_2_only_W1_and_b1_move_and_they_explode(seed):
    states = question_loop(seed, 4)
    for k in ("W0", "b0"):  # exactly frozen: every hidden unit saturated, its slope exactly 0
        np.testing.assert_array_equal(states[3][k], states[2][k])
        np.testing.assert_array_equal(states[4][k], states[2][k])
    for k in ("W1", "b1"):
        norms = [np.linalg.norm(s[k]) for s in states]
        assert norms[4] > 1e25 * norms[3] > 1e40 * norms[2]  # what explodes


def test_the_per_parameter_norms_printed_in_00_are_the_questions_loop():
    # Notebook 00 prints run_original's norms with one digit; the question's own loop gives the same digits.
    states = question_loop(0, 4)
    replay = [run_original(seed=0, epochs=1).initial_params] + [run_original(seed=0, epochs=k).params for k in range(1, 5)]
    for k in net.PARAM_NAMES:
        mine = [f"{np.linalg.norm(s[k]):.0e}" for s in states]
        assert mine == [f"{np.linalg.norm(s[k]):.0e}" for s in replay], k
    assert [f"{np.linalg.norm(s['W1']):.0e}" for s in states] == ["2e+00", "3e+04", "7e+12", "8e+29", "9e+63"]


# --- notebook 01 ------------------------------------------------------------------------


def test_the_stackoverflow_answer_is_right_about_the_biases_and_wrong_about_w0_and_w1():
    _, _, _, p = question_draws(0)
    lecture = net.expected_shapes(H)  # one input, 10 hidden units, one output
    assert p["W0"].shape == lecture["W0"] == (1, H) and p["W1"].shape == lecture["W1"] == (H, 1)
    assert p["b0"].shape != lecture["b0"] and p["b1"].shape != lecture["b1"]
    assert lecture["b0"] == (1, H) and lecture["b1"] == (1, 1)


def test_a_shared_bias_gradient_sums_and_averaging_again_is_off_by_n():
    run = run_original(seed=0, epochs=1)
    x = (run.x_raw - run.x_raw.mean()) / run.x_raw.std()
    params = net.init_params(H, seed=0)

    def mean_loss(p):
        return np.mean((run.y - net.forward(p, x)[0]) ** 2)

    numeric = centred_difference(mean_loss, params, eps=1e-5)
    analytic = net.backward(params, net.forward(params, x)[1], run.y)
    for k in ("b0", "b1"):
        assert rel_error(analytic[k], numeric[k]) < 1e-7  # the summed terms are the gradient
        averaged_again = rel_error(analytic[k] / N, numeric[k])
        assert averaged_again == pytest.approx((N - 1) / (N + 1), abs=1e-6)
        assert f"{averaged_again:.3f}" == "0.998"


# --- notebook 03 ------------------------------------------------------------------------


def test_the_replays_first_step_went_downhill_and_was_3041_times_the_mean_loss_step():
    _, x, y, p = question_draws(0)
    l1, l2 = question_forward(p, x)
    c = N * np.mean(y - l2)
    assert round(c) == 3041

    def mean_loss(q):
        return np.mean((y - question_forward(q, x)[1]) ** 2)

    after = question_loop(0, 1)[1]
    update = {k: after[k] - p[k] for k in p}
    # The update is -c times the mean loss's gradient, checked on a few entries of each parameter.
    rng = np.random.default_rng(0)
    for k in net.PARAM_NAMES:
        for i in (tuple(rng.integers(0, s) for s in p[k].shape) for _ in range(3)):
            up, down = {n: v.copy() for n, v in p.items()}, {n: v.copy() for n, v in p.items()}
            up[k][i] += 1e-5
            down[k][i] -= 1e-5
            slope = (mean_loss(up) - mean_loss(down)) / 2e-5
            assert update[k][i] == pytest.approx(-c * slope, rel=1e-5), (k, i)
    # The descent test: a tiny step along the update lowers the loss.
    size = np.sqrt(sum(np.sum(u**2) for u in update.values()))
    eps = 1e-7 * np.sqrt(sum(np.sum(v**2) for v in p.values()))
    moved = {k: p[k] + eps * update[k] / size for k in p}
    assert mean_loss(moved) < mean_loss(p)
    replay_step1 = run_original(seed=0, epochs=1)  # the notebook's run: the same first step
    for k in net.PARAM_NAMES:
        np.testing.assert_allclose(replay_step1.params[k], after[k], rtol=1e-12)


def test_with_only_the_gradient_bug_left_the_first_step_is_3989_times_the_mean_loss_step():
    _, x, y, p = question_draws(0, fix=("bias_shape", "std"))
    assert round(N * np.mean(y - question_forward(p, x)[1])) == 3989


def test_the_pasteable_gradient_check_reads_0998_for_the_question_and_below_1e7_for_backward():
    point_a = run_original(fix=FIXES, epochs=1)
    params, x, y = point_a.params, point_a.x, point_a.y

    def mean_loss(p):
        return np.mean((y - net.forward(p, x)[0]) ** 2)

    numeric = centred_difference(mean_loss, params, eps=1e-5)  # the notebook's eps
    analytic = net.backward(params, net.forward(params, x)[1], y)
    question = question_gradient(params, x, y)
    c = N * np.mean(y - net.forward(params, x)[0])
    for k in net.PARAM_NAMES:
        assert rel_error(analytic[k], numeric[k]) < 1e-7, k
        # every entry is c times the right one, so the relative error is (c - 1)/(c + 1)
        assert rel_error(question[k], numeric[k]) == pytest.approx((c - 1) / (c + 1), abs=1e-6), k
    assert f"{(c - 1) / (c + 1):.3f}" == "0.998" and f"{c:.0f}" == "825"


# --- what a learner meets in 00, 01 and 03: the top block, the prompts, the links ---------

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
MAIN_PATH = ["00_the_broken_network", "01_bias_shapes", "02_normalization", "03_gradient_sign_and_scale",
             "04_learning_rate"]


@pytest.mark.parametrize("name", ["00_the_broken_network", "01_bias_shapes", "03_gradient_sign_and_scale"])
def test_the_notebook_opens_with_objectives_asks_for_predictions_and_links_onward(name):
    cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells]
    assert all(part in text[0] for part in ("**You will learn**", "**You need**", "**Time**"))
    prompts = [i for i, (c, t) in enumerate(zip(cells, text)) if c["cell_type"] == "markdown" and "**Predict" in t]
    assert len(prompts) >= 2
    for i in prompts:  # each prompt stands before a cell that computes the answer
        assert any(c["cell_type"] == "code" for c in cells[i + 1:i + 3]), i
    following = MAIN_PATH[MAIN_PATH.index(name) + 1]
    assert re.search(rf"\[Next: [^\]]+\]\({following}\.ipynb\)\s*$", text[-1]), text[-1][-200:]
    for target in re.findall(r"\]\(([^)#]+\.(?:ipynb|py))\)", "\n".join(text)):
        assert (NOTEBOOKS / target).is_file(), target
