"""helpers.doctor: it names each of the question's bugs, alone and together, and nothing on a correct network."""
import re

import numpy as np
import pytest

from helpers import data, doctor, gradcheck, gradient_mistakes, net, original, stability, train

# What each of the question's bugs, alone, must produce (the gradient bug is one line with two faces).
BUG_CODES = {
    "bias_shape": ["bias-depends-on-batch"],
    "std": ["input-divided-by-variance"],
    "gradient": ["gradient-mean-residual"],
    "learning_rate": ["lr-above-stability-limit"],
}


def _true_gradient(p, x, y):
    """The MSE's gradient by net.backward (per-sample biases included)."""
    return net.backward(p, net.forward(p, x)[1], y)


def question_setup(fix=(), seed=0):
    """The adapter: the question's setup as ``original.run_original`` replays it, bugs in ``fix`` repaired.

    Returns ``(params, x, y, grad_fn, lr, x_raw)`` at the start of training. ``grad_fn`` is the
    question's backward pass (``original.question_gradient``: the question *adds* ``lr * delta``,
    so it returns ``-delta``) or, with ``"gradient"`` fixed, the mean squared error's gradient.
    """
    run = original.run_original(seed=seed, epochs=1, fix=fix)
    grad_fn = _true_gradient if "gradient" in fix else original.question_gradient
    return run.initial_params, run.x, run.y, grad_fn, run.lr, run.x_raw


def fixed_setup(seed=0):
    return question_setup(original.FIXES, seed)


def correct_grad(p, x, y):
    return _true_gradient(p, x, y)


# --- the question ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_finds_every_bug_of_the_question(seed):
    params, x, y, grad_fn, lr, x_raw = question_setup(seed=seed)
    report = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw)
    assert sorted(report.codes) == sorted(sum(BUG_CODES.values(), []))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reports_nothing_on_the_fixed_network(seed):
    params, x, y, grad_fn, lr, x_raw = fixed_setup(seed)
    report = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw)
    assert report.ok and report.codes == [] and report.notes == []
    assert str(report).startswith("No problems found")


@pytest.mark.parametrize("bug", original.FIXES)
@pytest.mark.parametrize("seed", [0, 1])
def test_each_bug_alone_gives_exactly_its_findings(bug, seed):
    fix = tuple(f for f in original.FIXES if f != bug)
    params, x, y, grad_fn, lr, x_raw = question_setup(fix, seed)
    report = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw)
    assert report.codes == BUG_CODES[bug]


def test_the_question_s_gradient_factor_is_recognised_and_its_sign_flip_shown():
    params, x, y, grad_fn, lr, x_raw = question_setup()
    report = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw)
    evidence = {f.code: f for f in report.findings}["gradient-mean-residual"].evidence
    l2 = net.forward(params, x)[0]
    assert f"mean(y - l2) = {np.mean(y - l2):.3g}" in evidence and "np.mean(y - l2) * 2 * (y - l2)" in evidence
    assert "sign changes included" in evidence and "step 1: -" in evidence  # the factor turned negative at step 1


def test_bias_finding_names_both_per_sample_biases_in_the_helpers_words():
    params, x, y, grad_fn, lr, x_raw = question_setup(("std", "gradient", "learning_rate"))
    evidence = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw).findings[0].evidence
    assert "Parameters with an axis of length 1000, the number of samples: b1 (1000, 1)." in evidence
    with pytest.raises(ValueError) as err:
        net.check_params(params, n_samples=1000)
    assert str(err.value) in evidence  # reused, not rephrased


def test_variance_finding_reports_sigma_and_one_over_sigma():
    params, x, y, grad_fn, lr, x_raw = question_setup(("bias_shape", "gradient", "learning_rate"))
    evidence = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw).findings[0].evidence
    sigma = x_raw.std()
    assert f"sigma = {sigma:.3g}" in evidence and f"{1 / sigma:.3g} = 1 / sigma" in evidence


def test_without_x_raw_the_question_s_input_is_not_flagged():
    params, x, y, grad_fn, lr, _ = question_setup(("bias_shape", "gradient", "learning_rate"))
    assert doctor.diagnose(params, x, y, grad_fn, lr).ok  # std 1/sigma = 0.5 is not far from 1


def test_lr_limit_is_two_over_the_stability_helpers_sharpness():
    params, x, y, grad_fn, lr, x_raw = question_setup(("bias_shape", "std", "gradient"))
    finding = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw).findings[0]
    limit = stability.max_stable_lr(params, x, y)
    assert f"lr < {limit:.3g}" in finding.evidence
    # below the limit it is quiet; well above it speaks, and training (the witness) does not go down
    assert doctor.diagnose(params, x, y, grad_fn, 0.9 * limit).codes == []
    assert doctor.diagnose(params, x, y, grad_fn, 10 * limit).codes == ["lr-above-stability-limit"]
    losses = train.train(params, x, y, 10 * limit, 100).losses
    assert not losses[-1] < losses[0]


# --- gradients that are wrong in other ways ---------------------------------------------------------

def test_sum_instead_of_mean_is_named_and_the_step_judged_against_the_limit():
    params, x, y, _, _, x_raw = fixed_setup()

    def summed(p, x, y):
        return {k: len(y) * g for k, g in correct_grad(p, x, y).items()}

    report = doctor.diagnose(params, x, y, summed, 0.1, x_raw=x_raw)
    assert report.codes == ["gradient-summed"]
    assert "sum instead of averaging" in report.findings[0].evidence and "stability limit" in report.findings[0].evidence
    # an lr that compensates (1e-4 * 1000 = 0.1) is the exact gradient of the summed loss with a fine step: a note
    compensated = doctor.diagnose(params, x, y, summed, 1e-4, x_raw=x_raw)
    assert compensated.ok and "the exact gradient of 1000 times your loss" in compensated.notes[0]


def test_gradient_scaled_down_with_a_compensating_large_lr_is_no_problem_and_without_it_is_scaled():
    params, x, y, _, _, x_raw = fixed_setup()

    def tiny(p, x, y):
        return {k: g / 1000 for k, g in correct_grad(p, x, y).items()}

    assert doctor.diagnose(params, x, y, tiny, 100.0, x_raw=x_raw).codes == []
    frozen = doctor.diagnose(params, x, y, tiny, 1e-3, x_raw=x_raw)  # a step of 1e-6 x the true gradient
    assert frozen.codes == ["gradient-scaled"] and "0.001 x the true gradient" in frozen.findings[0].evidence


def test_sign_flipped_gradient():
    params, x, y, _, lr, x_raw = fixed_setup()

    def ascent(p, x, y):
        return {k: -g for k, g in correct_grad(p, x, y).items()}

    report = doctor.diagnose(params, x, y, ascent, lr, x_raw=x_raw)
    assert report.codes == ["gradient-sign-flipped"]
    assert "-1 times the true gradient" in report.findings[0].evidence


def test_a_factor_that_changes_sign_is_named():
    params, x, y, _, _, x_raw = fixed_setup()

    def sign_of_mean_residual(p, x, y):  # the true gradient while mean(y - l2) > 0, uphill once it turns
        return {k: np.sign(np.mean(y - net.forward(p, x)[0])) * g for k, g in correct_grad(p, x, y).items()}

    # the witness: plain gradient descent at lr 0.2 takes the mean residual through 0 within the trial's steps,
    # and until then the update above is exactly that descent
    p, signs = dict(params), []
    for _ in range(doctor.TRIAL_STEPS):
        signs.append(np.sign(np.mean(y - net.forward(p, x)[0])))
        g = correct_grad(p, x, y)
        p = {k: v - 0.2 * g[k] for k, v in p.items()}
    assert signs[0] > 0 and min(signs) < 0
    report = doctor.diagnose(params, x, y, sign_of_mean_residual, 0.2, x_raw=x_raw)
    assert report.codes == ["gradient-sign-varies"]
    assert re.search(r"was 1 times the true gradient at step 0 and -1 times it at step \d", report.findings[0].evidence)


def test_missing_sigmoid_derivative_is_named():
    params, x, y, _, lr, x_raw = fixed_setup()

    def no_slope(p, x, y):  # forgets the sigmoid's l1 (1 - l1) on the way back
        l2, cache = net.forward(p, x)
        dl2 = 2 * (l2 - y) / len(y)
        dz0 = dl2 @ p["W1"].T
        return {"W0": x.T @ dz0, "b0": dz0.sum(0, keepdims=True), "W1": cache["l1"].T @ dl2,
                "b1": dl2.sum(0, keepdims=True)}

    report = doctor.diagnose(params, x, y, no_slope, lr, x_raw=x_raw)
    assert report.codes == ["gradient-missing-activation-slope"]
    assert "dW1 0 (1)" in report.findings[0].evidence and "db1 0 (1)" in report.findings[0].evidence


def test_one_parameter_uphill_is_named():
    params, x, y, _, lr, x_raw = fixed_setup()

    def w1_uphill(p, x, y):
        g = correct_grad(p, x, y)
        return dict(g, W1=-g["W1"])

    finding = doctor.diagnose(params, x, y, w1_uphill, lr, x_raw=x_raw).findings
    assert [f.code for f in finding] == ["gradient-param-sign-flipped"]
    assert "dW1 alone" in finding[0].summary and "dW1 1 (-1)" in finding[0].evidence


def test_transposed_gradient_shape():
    params, x, y, _, lr, x_raw = fixed_setup()

    def transposed(p, x, y):
        return dict(correct_grad(p, x, y), W1=correct_grad(p, x, y)["W1"].T)

    report = doctor.diagnose(params, x, y, transposed, lr, x_raw=x_raw)
    assert report.codes == ["gradient-transposed"] and "dW1 has shape (1, 10): transposed" in report.findings[0].evidence
    assert report.notes  # says what it could not check


def test_non_finite_gradient_is_a_finding_not_a_crash():
    params, x, y, _, lr, x_raw = fixed_setup()
    report = doctor.diagnose(params, x, y, lambda p, x, y: dict(correct_grad(p, x, y), b1=np.full((1, 1), np.nan)), lr, x_raw=x_raw)
    assert report.codes == ["gradient-wrong"] and "db1" in report.findings[0].evidence


def test_zero_gradient_is_wrong_not_scaled_by_zero():
    params, x, y, _, lr, x_raw = fixed_setup()
    report = doctor.diagnose(params, x, y, lambda p, x, y: {k: np.zeros_like(v) for k, v in p.items()}, lr, x_raw=x_raw)
    assert report.codes == ["gradient-wrong"] and "zero everywhere" in report.findings[0].summary


def test_a_gradient_too_large_to_square_is_still_measured():
    params, x, y, _, lr, x_raw = fixed_setup()
    report = doctor.diagnose(params, x, y, lambda p, x, y: {k: 1e200 * g for k, g in correct_grad(p, x, y).items()},
                             lr, x_raw=x_raw)
    assert report.codes == ["gradient-scaled"] and "1e+200" in report.findings[0].evidence


def test_per_sample_gradient_for_a_shared_bias_is_named():
    params, x, y, _, lr, x_raw = fixed_setup()

    def per_sample_db0(p, x, y):
        l2, cache = net.forward(p, x)
        l1 = cache["l1"]
        return dict(correct_grad(p, x, y), b0=(2 * (l2 - y) / len(y) @ p["W1"].T) * l1 * (1 - l1))

    report = doctor.diagnose(params, x, y, per_sample_db0, lr, x_raw=x_raw)
    assert report.codes == ["gradient-wrong"]
    assert "db0 has shape (1000, 10): one bias per sample; it must be (1, 10)" in report.findings[0].evidence


def test_constant_raw_input_is_not_called_divided_by_variance():
    params, x, y, *_ = fixed_setup()
    report = doctor.diagnose(params, np.zeros_like(x), y, correct_grad, 0.1, x_raw=np.ones_like(x))
    assert "input-divided-by-variance" not in report.codes and "input-not-standardized" in report.codes


def test_grad_fn_that_breaks_on_diverged_parameters_does_not_crash_the_trial():
    params, x, y, _, _, x_raw = fixed_setup()

    def fragile(p, x, y):  # right, until the parameters have blown up
        if max(np.max(np.abs(v)) for v in p.values()) > 1e3:
            raise FloatingPointError("boom")
        return correct_grad(p, x, y)

    witness = train.train(params, x, y, 50.0, 100)  # the helpers' own loop: lr = 50 diverges
    assert witness.diverged_at is not None
    report = doctor.diagnose(params, x, y, fragile, 50.0, x_raw=x_raw)
    assert report.codes == ["lr-above-stability-limit"] and "boom" not in str(report)


@pytest.mark.parametrize("broken", ["nan", "raise"])
def test_grad_fn_that_fails_later_on_fine_parameters_is_a_finding_not_no_problems(broken):
    """Issue 12: a grad_fn that returns NaN from its second call on got "No problems found"."""
    params, x, y, _, _, x_raw = fixed_setup()
    calls = []

    def later(p, x, y):
        calls.append(1)
        g = correct_grad(p, x, y)
        if len(calls) > 1 and broken == "raise":
            raise KeyError("cache")
        return g if len(calls) == 1 else {k: np.full_like(v, np.nan) for k, v in g.items()}

    report = doctor.diagnose(params, x, y, later, 0.1, x_raw=x_raw)
    assert correct_grad(params, x, y)["W0"].shape == params["W0"].shape  # the first call is the right gradient
    assert report.codes == ["gradient-wrong"] and "at step 1" in report.findings[0].summary
    assert ("KeyError" if broken == "raise" else "NaN") in report.findings[0].evidence


def test_grad_fn_that_raises_at_once_is_a_finding():
    params, x, y, _, _, x_raw = fixed_setup()
    report = doctor.diagnose(params, x, y, lambda p, x, y: 1 / 0, 0.1, x_raw=x_raw)
    assert report.codes == ["gradient-wrong"] and "ZeroDivisionError" in report.findings[0].summary


# --- input and trial run -----------------------------------------------------------------------

def test_raw_unstandardized_input():
    params, _, y, _, _, x_raw = fixed_setup()
    x = 10 * x_raw + 50
    report = doctor.diagnose(params, x, y, correct_grad, 1e-6)
    assert report.codes[0] == "input-not-standardized"
    assert f"mean {x.mean():.3g}" in report.findings[0].evidence


def test_tiny_lr_leaves_the_loss_stuck():
    params, x, y, _, _, x_raw = fixed_setup()
    report = doctor.diagnose(params, x, y, correct_grad, 1e-9, x_raw=x_raw)
    assert report.codes == ["lr-too-small"] and "stayed flat" in report.findings[0].evidence
    assert train.train(params, x, y, 1e-9, 100).losses[-1] == pytest.approx(train.train(params, x, y, 1e-9, 1).losses[0])


def test_params_are_not_modified():
    params, x, y, grad_fn, lr, x_raw = question_setup()
    before = {k: v.copy() for k, v in params.items()}
    doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw)
    assert all(np.array_equal(before[k], params[k]) for k in params)


# --- another architecture, through predict ---------------------------------------------------------

def tanh_predict(p, x):
    return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def tanh_grad(p, x, y):
    h = np.tanh(x @ p["W0"] + p["b0"])
    d2 = 2 * (tanh_predict(p, x) - y) / len(y)
    dh = (d2 @ p["W1"].T) * (1 - h**2)
    return {"W0": x.T @ dh, "b0": dh.sum(0, keepdims=True), "W1": h.T @ d2, "b1": d2.sum(0, keepdims=True)}


def tanh_setup(y_scale=1.0):
    x_raw, y = data.make_data(200, seed=5)
    return net.init_params(6, seed=5), data.standardize(x_raw), y_scale * y, x_raw


def test_custom_network_correct_is_clean_and_its_bugs_are_found():
    params, x, y, x_raw = tanh_setup()
    assert doctor.diagnose(params, x, y, tanh_grad, 0.05, x_raw=x_raw, predict=tanh_predict).ok
    transposed = doctor.diagnose(params, x, y, lambda p, x, y: dict(tanh_grad(p, x, y), W1=tanh_grad(p, x, y)["W1"].T),
                                 0.05, x_raw=x_raw, predict=tanh_predict)
    assert transposed.codes == ["gradient-transposed"]
    flipped = doctor.diagnose(params, x, y, lambda p, x, y: {k: -g for k, g in tanh_grad(p, x, y).items()},
                              0.05, x_raw=x_raw, predict=tanh_predict)
    assert flipped.codes == ["gradient-sign-flipped"]


def test_custom_network_unscaled_target_is_named_and_the_advice_checked():
    params, x, y, x_raw = tanh_setup(y_scale=1000.0)
    report = doctor.diagnose(params, x, y, tanh_grad, 0.05, x_raw=x_raw, predict=tanh_predict)
    assert report.codes == ["target-not-standardized"]
    # the witness: gradient descent at the same lr on the standardized target fits (MSE well below var(y))
    p = {k: v.copy() for k, v in params.items()}
    y_s = data.standardize(y)
    for _ in range(doctor.VERIFY_EPOCHS):
        p = {k: v - 0.05 * tanh_grad(p, x, y_s)[k] for k, v in p.items()}
    assert np.mean((tanh_predict(p, x) - y_s) ** 2) < 0.5
    printed = float(re.search(r"2 / sharpness is ([0-9.e+-]+) on your target", report.findings[0].evidence).group(1))
    # two power iterations stopped at a relative residual of 1e-2, one on your gradient, one on a numerical one
    assert printed == pytest.approx(doctor.stability_limit(params, x, y, predict=tanh_predict), rel=2e-2)


def test_unscaled_target_is_named_only_when_the_setup_fails_and_standardizing_fixes_it():
    """The witness is plain gradient descent on net.backward, run here: y in thousands fails at the learner's lr
    (MSE / var(y) stays above 0.1 after 300 steps) and the standardized y, at half its 2 / sharpness, reaches far less."""
    params, x, y, _, _, x_raw = fixed_setup()
    big = 1000 * y + 4000

    def ratio(target, lr, steps=doctor.VERIFY_EPOCHS):
        p = {k: v.copy() for k, v in params.items()}
        with np.errstate(all="ignore"):
            for _ in range(steps):
                p = {k: v - lr * correct_grad(p, x, target)[k] for k, v in p.items()}
            return np.mean((net.forward(p, x)[0] - target) ** 2) / np.var(target)

    y_s = data.standardize(big)
    lr_s = 0.5 * stability.max_stable_lr(params, x, y_s)
    assert not ratio(big, 0.05) <= 0.1 and ratio(y_s, lr_s) < 0.5 * min(ratio(big, 0.05), 1.0)
    report = doctor.diagnose(params, x, big, correct_grad, 0.05, x_raw=x_raw)
    assert report.codes == ["target-not-standardized"] and f"lr = {lr_s:.2g}" in report.findings[0].fix
    assert doctor.diagnose(params, x, data.standardize(big), correct_grad, lr_s, x_raw=x_raw).ok


def test_custom_sharpness_agrees_with_the_stability_helpers():
    x_raw, y = data.make_data(100, seed=2)
    x, params = data.standardize(x_raw), net.init_params(5, seed=2)
    custom = doctor.stability_limit(params, x, y, predict=lambda p, x: net.forward(p, x)[0])
    # power iteration on finite differences stops at a relative residual of doctor.HVP_TOL = 1e-2
    assert custom == pytest.approx(stability.max_stable_lr(params, x, y), rel=1e-3)
    assert doctor.stability_limit(params, x, y) == pytest.approx(stability.max_stable_lr(params, x, y), rel=1e-3)


def test_custom_network_with_many_parameters_samples_and_notes_what_it_skipped():
    params, x, y, grad_fn, lr, x_raw = question_setup(("std", "gradient", "learning_rate"))
    report = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw, predict=lambda p, x: net.forward(p, x)[0])
    assert report.codes == ["bias-depends-on-batch"]
    assert "b0 has shape (1000, 10): one bias per sample" in report.findings[0].evidence
    assert "Parameters with an axis of length 1000, the number of samples: b1 (1000, 1)." in report.findings[0].evidence
    assert not any("not checked" in note for note in report.notes)  # the curvature is measured at any size


# --- the pieces ---------------------------------------------------------------------------------

@pytest.mark.parametrize("biases", ["per sample", "1-D"])
def test_the_doctors_true_gradient_net_backward_matches_a_numerical_gradient(biases):
    """The doctor's true MSE gradient is net.backward; the witness is gradcheck's centred differences."""
    x_raw, y = data.make_data(6, seed=3)
    x = data.standardize(x_raw)
    rng = np.random.default_rng(3)
    rows = 6 if biases == "per sample" else None
    params = {"W0": rng.normal(size=(1, 3)), "b0": rng.normal(size=(rows, 3) if rows else (3,)),
              "W1": rng.normal(size=(3, 1)), "b1": rng.normal(size=(rows, 1) if rows else (1,))}
    numeric = gradcheck.numerical_gradient(lambda p: net.mse(net.forward(p, x)[0], y), params)
    exact = _true_gradient(params, x, y)
    for k in params:
        assert exact[k].shape == params[k].shape
        assert gradcheck.relative_error(exact[k], numeric[k]) < 1e-6


def test_compare_gradients():
    params, x, y, *_ = fixed_setup()
    G = _true_gradient(params, x, y)
    scaled = gradient_mistakes.compare_gradients({k: 3 * v for k, v in G.items()}, G)
    assert scaled.parallel and scaled.factor == pytest.approx(3) and scaled.cosine == pytest.approx(1)
    flipped = gradient_mistakes.compare_gradients({k: -v for k, v in G.items()}, G)
    assert flipped.parallel and flipped.cosine == pytest.approx(-1)
    mixed = gradient_mistakes.compare_gradients(dict(G, W1=-G["W1"]), G)
    assert not mixed.parallel and mixed.worst == "W1" and mixed.factors["W1"] == pytest.approx(-1)
    zero = gradient_mistakes.compare_gradients(G, {k: np.zeros_like(v) for k, v in G.items()})
    assert np.isnan(zero.factor) and not zero.parallel


def test_name_factor():
    assert "sum instead of averaging" in gradient_mistakes.name_factor(1000.0, 1000)
    assert "n * mean(y - l2)" in gradient_mistakes.name_factor(3485.0, 1000, mean_residual=3.485)
    assert "missing" in gradient_mistakes.name_factor(0.5, 1000)
    assert "about 2" in gradient_mistakes.name_factor(2.0, 1000)
    assert gradient_mistakes.name_factor(3.7, 1000) == ""


def test_report_prints_numbered_findings_with_evidence_and_fix():
    params, x, y, grad_fn, lr, x_raw = question_setup()
    report = doctor.diagnose(params, x, y, grad_fn, lr, x_raw=x_raw)
    text = str(report)
    assert text.startswith("4 problems found (checked on 1000 samples with lr = 1)")
    for i, finding in enumerate(report.findings, 1):
        assert finding.code in doctor.CODES and finding.evidence and finding.fix
        assert f"{i}. {finding.code}: " in text
    assert text.count("evidence: ") == text.count("fix: ") == 4


# --- input the doctor cannot use ------------------------------------------------------------------

def _bad_inputs():
    params, x, y, grad_fn, lr, x_raw = fixed_setup()
    ok = dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=lr)
    return [
        (dict(ok, params=[1, 2]), r"params must be a dict with the keys \['W0', 'b0', 'W1', 'b1'\].*got \[1, 2\]"),
        (dict(ok, params={k: v for k, v in params.items() if k != "b1"}), r"params must be a dict.*got a dict with keys"),
        (dict(ok, params=dict(params, W0=np.full((1, 10), np.nan))), r"params\['W0'\] must be finite .*got an array of shape \(1, 10\)"),
        (dict(ok, params=dict(params, W0="abc")), r"params\['W0'\] must be an array of real numbers, got 'abc'"),
        (dict(ok, x=np.array([["a"]] * len(x))), "x must be an array of real numbers .*got an array .* dtype <U1"),
        (dict(ok, y=y + 1j), "y must be an array of real numbers .*got an array .* dtype complex128"),
        (dict(ok, lr=float("nan")), "lr must be a positive finite number, got nan"),
        (dict(ok, lr="0.1"), "lr must be a positive finite number, got '0.1'"),
        (dict(ok, steps=0), f"steps must be an integer >= 1 and <= {doctor.MAX_STEPS}, got 0"),
        (dict(ok, steps=10**7), f"steps must be an integer >= 1 and <= {doctor.MAX_STEPS}, got 10000000"),
        (dict(ok, predict="net"), "predict must be a function, got 'net'"),
        (dict(ok, y=y[:10]), "x and y must have the same number of samples, got x 1000, y 10"),
        (dict(ok, x=x.ravel()), r"x must be an array with 2 axes, got an array of shape \(1000,\)"),
        (dict(ok, lr=-1.0), "lr must be a positive"),
        (dict(ok, lr=True), "lr must be a positive"),
        (dict(ok, grad_fn=None), "grad_fn must be a function"),
        (dict(ok, grad_fn=lambda p, x, y: {"W0": 1}), "keys of params"),
        (dict(ok, grad_fn=lambda p, x, y: {k: "a" for k in p}), "unusable"),
        (dict(ok, params=dict(params, W1=np.ones((3, 1)))), "W1 has shape"),
        (dict(ok, x_raw=x[:5]), "x_raw must be"),
        (dict(ok, predict=lambda p, x: x[:, :0]), r"shaped \(n, 1\) or \(n,\)"),
        (dict(ok, predict=lambda p, x: p["nope"]), "cannot evaluate your network"),
    ]


@pytest.mark.parametrize("case", range(22))
def test_unusable_input_raises_a_clear_value_error(case):
    kwargs, message = _bad_inputs()[case]
    assert len(_bad_inputs()) == 22
    with pytest.raises(ValueError, match=message):
        doctor.diagnose(**kwargs)


# --- issue 14: shapes that are right or wrong in numpy's way, the loss you train, the hidden layer ----------

def test_one_dimensional_target_is_diagnosed_not_refused():
    params, x, y, grad_fn, lr, x_raw = fixed_setup()
    report = doctor.diagnose(params, x, y.ravel(), grad_fn, 0.1, x_raw=x_raw)
    assert report.codes == ["target-shape-1d"]
    n = len(y)
    assert (net.forward(params, x)[0] - y.ravel()).shape == (n, n)  # the witness: numpy broadcasts to (n, n)
    assert f"broadcasts to ({n}, {n})" in report.findings[0].evidence and "reshape(-1, 1)" in report.findings[0].fix


def test_one_dimensional_biases_are_correct_numpy():
    params, x, y, grad_fn, _, x_raw = fixed_setup()
    flat = dict(params, b0=params["b0"].ravel(), b1=params["b1"].ravel())

    def grad_1d(p, x, y):
        g = correct_grad(dict(p, b0=p["b0"][None, :], b1=p["b1"][None, :]), x, y)
        return dict(g, b0=g["b0"].ravel(), b1=g["b1"].ravel())

    assert doctor.diagnose(flat, x, y, grad_1d, 0.1, x_raw=x_raw).ok
    wrong = doctor.diagnose(flat, x, y, lambda p, x, y: dict(grad_1d(p, x, y), b0=-grad_1d(p, x, y)["b0"]), 0.1)
    assert wrong.codes == ["gradient-param-sign-flipped"]


def test_gradient_is_judged_against_the_loss_you_train():
    params, x, y, _, _, x_raw = fixed_setup()

    def decay_loss(p, x, y):
        return net.mse(net.forward(p, x)[0], y) + 1e-2 * float(np.sum(p["W0"] ** 2) + np.sum(p["W1"] ** 2))

    def decay_grad(p, x, y):
        g = correct_grad(p, x, y)
        return dict(g, W0=g["W0"] + 2e-2 * p["W0"], W1=g["W1"] + 2e-2 * p["W1"])

    # the witness that decay_grad is decay_loss's gradient: gradcheck's numerical gradient
    numeric = gradcheck.numerical_gradient(lambda p: decay_loss(p, x, y), params)
    assert max(gradcheck.relative_error(decay_grad(params, x, y)[k], numeric[k]) for k in params) < 1e-6
    assert doctor.diagnose(params, x, y, decay_grad, 0.1, x_raw=x_raw, loss=decay_loss).ok
    assert not doctor.diagnose(params, x, y, decay_grad, 0.1, x_raw=x_raw).ok  # judged against plain MSE


def test_saturated_hidden_layer_is_named():
    params, x, y, _, _, x_raw = fixed_setup()
    huge = dict(params, W0=5 * params["W0"], b0=np.full_like(params["b0"], 50.0))
    report = doctor.diagnose(huge, x, y, correct_grad, 0.1, x_raw=x_raw)
    h = params["W0"].shape[1]
    saturated = net.count_saturated(net.forward(huge, x)[1]["l1"])  # the helpers' own count, as witness
    assert saturated >= doctor.FLAT_UNITS * h and "hidden-units-saturated" in report.codes
    assert f"{saturated} of {h} hidden units are saturated" in report.findings[0].summary


def test_target_unrelated_to_the_input_is_named_and_a_related_one_is_not():
    params, x, y, _, _, x_raw = fixed_setup()
    noise = np.random.default_rng(7).normal(size=y.shape)
    assert "target-unrelated-to-input" in doctor.diagnose(params, x, noise, correct_grad, 0.1, x_raw=x_raw).codes
    assert doctor.diagnose(params, x, 0.1 * y + noise, correct_grad, 0.1, x_raw=x_raw).codes == []


def test_stale_gradient_is_named():
    params, x, y, _, _, x_raw = fixed_setup()
    seen = []

    def stale(p, x, y):  # the gradient at the parameters of the call before
        seen.append({k: v.copy() for k, v in p.items()})
        return correct_grad(seen[-2] if len(seen) > 1 else p, x, y)

    report = doctor.diagnose(params, x, y, stale, 0.2, x_raw=x_raw)
    assert report.codes == ["gradient-stale"] and "previous step" in report.findings[0].summary


def test_huge_finite_input_gives_findings_and_no_warning():
    """Issue 12: diagnose(params, x * 1e200, ...) let warnings escape; pytest turns any warning into an error."""
    params, x, y, _, _, _ = fixed_setup()
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.std(x * 1e200))  # the witness: numpy's own std overflows here
    report = doctor.diagnose(params, x * 1e200, y, correct_grad, 0.1)
    assert "input-not-standardized" in report.codes
    assert any("overflow" in note and "statistics of x" in note for note in report.notes)


def test_the_question_s_gradient_gets_no_contradicting_note_and_no_none():
    params, x, y, grad_fn, lr, x_raw = question_setup(("bias_shape", "std", "learning_rate"))
    report = doctor.diagnose(params, x, y, grad_fn, 0.1, x_raw=x_raw)
    assert report.codes == ["gradient-mean-residual"]
    assert "None" not in str(report) and not any("exact gradient of" in note for note in report.notes)


def test_lr_is_checked_when_the_gradient_is_wrong_against_the_true_curvature():
    params, x, y, _, _, x_raw = fixed_setup()
    limit = stability.max_stable_lr(params, x, y)  # the witness: the exact Hessian's power iteration
    witness = train.train(params, x, y, 20 * limit, 100)
    assert witness.diverged_at is not None or witness.losses[-1] > witness.losses[0]

    def no_slope(p, x, y):  # the sigmoid's slope forgotten
        l2, cache = net.forward(p, x)
        dl2 = 2 * (l2 - y) / len(y)
        dz0 = dl2 @ p["W1"].T
        return {"W0": x.T @ dz0, "b0": dz0.sum(0, keepdims=True), "W1": cache["l1"].T @ dl2,
                "b1": dl2.sum(0, keepdims=True)}

    report = doctor.diagnose(params, x, y, no_slope, 20 * limit, x_raw=x_raw)
    assert report.codes == ["gradient-missing-activation-slope", "lr-above-stability-limit"]
    assert f"lr < {limit:.3g}" in report.findings[1].evidence
    assert doctor.diagnose(params, x, y, no_slope, 0.5 * limit, x_raw=x_raw).codes == ["gradient-missing-activation-slope"]


def test_lr_is_checked_for_a_custom_network_with_many_parameters():
    """The old doctor skipped the lr check above 80 parameters with predict=; the witness is stability's exact
    Hessian power iteration on the same network (predict= is the helpers' own forward pass)."""
    x_raw, y = data.make_data(300, seed=4)
    x, params = data.standardize(x_raw), net.init_params(40, seed=4)  # 121 parameters
    limit = stability.max_stable_lr(params, x, y)
    assert net.flatten(params).size > 80 and train.train(params, x, y, 30 * limit, 100).diverged_at is not None
    forward = lambda p, x: net.forward(p, x)[0]  # noqa: E731
    assert doctor.stability_limit(params, x, y, predict=forward) == pytest.approx(limit, rel=1e-3)
    report = doctor.diagnose(params, x, y, _true_gradient, 30 * limit, predict=forward)
    assert report.codes == ["lr-above-stability-limit"] and f"lr < {limit:.3g}" in report.findings[0].evidence


def test_diagnose_leaves_the_callers_arrays_alone_even_if_predict_writes_into_its_own():
    x_raw, y = data.make_data(200, 0)
    x, p = data.standardize(x_raw), net.init_params(10, 0)
    before_p, before_x, before_y = {k: v.copy() for k, v in p.items()}, x.copy(), y.copy()

    def predict(q, xs):  # careless user code: scales its arguments in place
        xs *= 1.0001
        q["W0"] *= 1.0001
        return net.forward(q, xs)[0]

    doctor.diagnose(p, x, y, lambda q, xs, ys: net.backward(q, net.forward(q, xs)[1], ys), 0.1, predict=predict)
    assert all(np.array_equal(p[k], before_p[k]) for k in p)
    assert np.array_equal(x, before_x) and np.array_equal(y, before_y)
