r"""Checks for the exercises: feedback that names the mistake, not just 'wrong'.

Each ``check_*`` function runs the reader's answer on data of its own and returns a
``CheckResult``: ``passed`` and a ``message`` in the reader's terms ("db0 has shape (1000, 10):
one bias per sample"); a blank answer, or one that raises, gets a message, never a traceback.
A mistake gets its name when the answer equals what that typical wrong answer returns (a
*witness*, computed here); a gradient's mistakes are named by ``gradient_mistakes``, in the
doctor's words. Fixed data, fixed seeds, stated tolerances: every check is deterministic.
"""
import copy
import os
import sys
from dataclasses import dataclass

import numpy as np

from . import data, gradcheck, net, stability, train
from . import gradient_mistakes as gm
from .validate import is_number

__all__ = ["CheckResult", "BLANK", "QUESTIONS", "check_bias_init", "check_bias_gradients", "check_standardize",
           "check_scale_test", "check_gradients", "check_largest_stable_lr", "check_learning_rate", "check_loss",
           "check_predict", "check_numerical_gradient", "check_relative_error", "check_answer", "tanh_net_problem",
           "check_find_the_bug"]

BLANK = ("no answer yet: write your code where it says YOUR CODE HERE (and delete the "
         "`raise NotImplementedError` line), then run this cell again.")


@dataclass(frozen=True)
class CheckResult:
    """``passed`` and the ``message`` that says why; shows as one line in a notebook."""

    passed: bool
    message: str

    def __str__(self):
        return ("PASSED: " if self.passed else "NOT YET: ") + self.message

    __repr__ = __str__


def _fail(message):
    return CheckResult(False, message)


def _call(fn, *args, explain=None, changed=None, shape=None, number=None, pair=None, watch=None):
    """Run the reader's ``fn`` on copies of ``args``: ``(answer, None)``, or ``(None, CheckResult)`` saying why not.

    Fails when ``fn`` is no function, blank, or raises (``explain(err)``: a typical mistake's name
    for the error, or None); with ``changed`` (words), when it modifies an argument; with ``shape =
    (shape, words)``, unless it returns an array of that shape; with ``number`` (a hint), unless it
    returns one number; with ``pair`` (two names), unless two values, returned as a dict. ``watch``:
    a list that gets the helpers functions ``fn``'s own code calls (``_note_call``).
    """
    if not callable(fn):
        return None, _fail(f"expected a function, got {type(fn).__name__}: pass the function itself, without ().")
    copies, previous = copy.deepcopy(args), sys.getprofile()
    try:
        if watch is not None:
            sys.setprofile(lambda frame, event, arg: _note_call(watch, frame, event))
        with np.errstate(all="ignore"):
            out = fn(*copies)
    except NotImplementedError:
        return None, _fail(BLANK)
    except Exception as err:  # the reader's code: report it in one line instead of a traceback
        return None, _fail((explain and explain(err)) or f"your function raised {type(err).__name__}: {err}")
    finally:
        sys.setprofile(previous)
    if changed and not all(np.array_equal(c, a) for c, a in zip(copies, args) if isinstance(a, np.ndarray)):
        return None, _fail(changed)
    if pair:
        ok = isinstance(out, tuple) and len(out) == 2
        return (dict(zip(pair, out)), None) if ok else (None, _fail(
            f"return two arrays, {' and '.join(pair)} (as `return {', '.join(pair)}`); got {type(out).__name__}."))
    if number is not None:
        if np.size(out) != 1:
            return None, _fail(f"return one number; got shape {np.shape(out)}: {number}.")
        try:
            return float(np.asarray(out, dtype=float).item()), None
        except (TypeError, ValueError):
            return None, _fail(f"return a number; got {type(out).__name__}.")
    if shape is not None:
        out = np.asarray(out, dtype=float)
        if out.shape != shape[0]:
            return None, _fail(f"the output has shape {out.shape}; it must {shape[1]}.")
    return out, None


def _same(a, b, rtol=1e-9):
    """``a`` equals ``b`` up to round-off (same shape, every entry within ``rtol`` of the largest)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return False
    return bool(np.max(np.abs(a - b), initial=0.0) <= rtol * max(np.max(np.abs(b), initial=0.0), 1e-300))


def _match(value, witnesses, right=None):
    """The words of the first witness ``(array, words)`` that ``value`` equals, or None.

    ``right``: the correct answer; a witness that happens to equal it here names nothing.
    """
    return next((words for expected, words in witnesses
                 if _same(value, expected) and (right is None or not _same(expected, right))), None)


def _grade(got, right, witnesses, wrong, rtol=1e-9, passed=None):
    """Fail with the words of the witness ``got`` equals, or with ``wrong`` unless ``got`` is ``right`` (within
    ``rtol``); when it is, ``CheckResult(True, passed)``, or None to go on checking."""
    words = _match(got, witnesses, right) or (None if _same(got, right, rtol) else wrong)
    return _fail(words) if words else (CheckResult(True, passed) if passed else None)


def _shapes(got, expected, n, prefix=""):
    """``describe_shape``'s words for the first array of the dict ``got`` not of its ``expected`` shape, or None."""
    wrong = [k for k in expected if k in got and np.shape(got[k]) != expected[k]]
    return gm.describe_shape(prefix + wrong[0], np.shape(got[wrong[0]]), expected[wrong[0]], n) if wrong else None


def _scaled(what, g, G, n, mean_residual=None):
    """``factor_words`` when the gradient ``g`` is the true ``G`` times one number other than 1, else None."""
    one = gm.compare_gradients(g, G)
    return gm.factor_words(what, one.factor, n, mean_residual) if one.parallel and not gm.near(one.factor, 1) else None


# --- exercise 1: shapes ------------------------------------------------------------------------

def check_bias_init(init_biases):
    """``init_biases(n_samples, n_hidden) -> (b0, b1)``: one bias per unit, whatever the batch."""
    for n_samples, n_hidden in ((1000, 10), (7, 3)):
        out, failed = _call(init_biases, n_samples, n_hidden, pair=("b0", "b1"))
        if failed:
            return failed
        words = _shapes(out, net.expected_shapes(n_hidden), n_samples)
        if words:
            return _fail(f"{words} (for n_samples={n_samples}, n_hidden={n_hidden}).")
    return CheckResult(True, "b0 is (1, n_hidden) and b1 is (1, 1): one bias per unit, the same for any batch size.")


def check_bias_gradients(bias_gradients):
    """``bias_gradients(l1_delta, l2_delta) -> (db0, db1)`` from the per-sample deltas ``(n, h)``, ``(n, 1)``."""
    rng = np.random.default_rng(0)
    n, h = 1000, 10
    l1_delta, l2_delta = rng.normal(size=(n, h)), rng.normal(size=(n, 1))
    out, failed = _call(bias_gradients, l1_delta, l2_delta, pair=("db0", "db1"))
    if failed:
        return failed
    for (name, value), delta in zip(out.items(), (l1_delta, l2_delta)):
        expected, value = delta.sum(axis=0, keepdims=True), np.asarray(value, dtype=float)
        if value.shape != expected.shape:
            hint = " Add up the samples' deltas: .sum(axis=0, keepdims=True)." if value.shape == delta.shape else ""
            return _fail(gm.describe_shape(name, value.shape, expected.shape, n) + "." + hint)
        one = gm.compare_gradients({name: value}, {name: expected})
        if one.parallel and gm.near(one.factor, -1):  # the deltas here already carry the question's sign
            return _fail(f"{name} has the wrong sign: sum the deltas as they are (the update adds lr times it, "
                         "like the weights').")
        if one.parallel and not gm.near(one.factor, 1):
            return _fail(gm.factor_words(name, one.factor, n))
        if not _same(value, expected):
            return _fail(f"{name} has the right shape but the wrong values: it must be the sum over samples "
                         "(axis 0) of the delta.")
    return CheckResult(True, "db0 (1, 10) and db1 (1, 1): each bias adds up the deltas of all samples it is shared by.")


# --- exercise 2: normalization ------------------------------------------------------------------

def _not_finite(x):
    """Words for NaN or infinite entries in the answer ``x``, or None. Check them first: NaN fails every
    comparison, so a test such as ``abs(mean) > 1e-2`` would let a NaN answer pass."""
    bad = int(np.count_nonzero(~np.isfinite(x)))
    if bad:
        return (f"your output contains NaN or infinite values ({bad} of {x.size}), usually from 0/0: a standard "
                "deviation taken over a single value (axis=1 of a column, or a test set of one point).")


def check_standardize(standardize):
    """``standardize(x_raw) -> x`` with mean 0 and standard deviation 1 (tested at several scales)."""
    for sigma, mu in ((2.0, 3.0), (10.0, -5.0), (0.1, 0.5)):
        x_raw = mu + sigma * np.random.default_rng(1).normal(size=(500, 1))
        x, failed = _call(standardize, x_raw, shape=(x_raw.shape, f"keep the input's shape {x_raw.shape}"),
                          changed="your function changed its input in place (x -= ... or x /= ...): compute a new "
                          "array, (x - mean) / std, so the raw data survives for the next step.")
        if failed:
            return failed
        words = _not_finite(x) or _match(x, [(x_raw - x_raw.mean() / x_raw.std(),
                                              "you computed x - x.mean() / x.std(): an operator-precedence bug. "
                                              "Division binds tighter than subtraction, so only the mean is "
                                              "divided; write (x - x.mean()) / x.std().")])
        if words:
            return _fail(words)
        s_raw, m, s = x_raw.std(), x.mean(), x.std()
        if abs(s * s_raw - 1) < 1e-2 and abs(s_raw - 1) > 0.05:
            return _fail(f"for an input with standard deviation sigma = {s_raw:.3g} your output has standard "
                         f"deviation {s:.3g} = 1/sigma: you divided by the variance sigma**2 = {s_raw**2:.3g} "
                         "(np.var), not by the standard deviation sigma (np.std).")
        if abs(m) > 1e-2:
            return _fail(f"for an input with mean {x_raw.mean():.3g} your output has mean {m:.3g}, not 0: "
                         "subtract the mean.")
        if abs(s - 1) > 1e-2:
            return _fail(f"for an input with standard deviation {s_raw:.3g} your output has standard deviation "
                         f"{s:.3g}, not 1: divide by the standard deviation, np.std.")
    return CheckResult(True, "mean 0 and standard deviation 1 at every scale tried (sigma = 2, 10, 0.1).")


def check_scale_test(scale_test):
    """``scale_test(x_train_raw, x_test_raw) -> x_test``: the test inputs through the *training* set's scaling."""
    x_train = 3.0 + 2.0 * np.random.default_rng(2).normal(size=(500, 1))
    m, s = x_train.mean(), x_train.std()
    own = ("you scaled the test data with its own mean and standard deviation. The network learned "
           "on inputs scaled with the training statistics; the same raw value must become the same "
           "scaled value, whatever else is in the test set (and a single test point would give 0/0).")
    for x_test in (np.array([[-4.0], [0.0], [3.0], [5.0], [9.0], [12.0], [15.0]]), np.array([[6.0]])):
        got, failed = _call(scale_test, x_train, x_test, changed="your function changed an input in place: return "
                            "a new array.", shape=(x_test.shape, f"be the test set's shape {x_test.shape} (scale the "
                                                                 "test inputs, return them)"))
        if failed:
            return failed
        if len(x_test) == 1 and not np.all(np.isfinite(got)):
            return _fail(own)
        both = np.vstack([x_train, x_test])
        with np.errstate(all="ignore"):  # the own-statistics witness of a single point is 0/0
            witnesses = [
                (x_test, "your output is the raw test data: scale it as the training data was, (x - m) / s "
                         "with the training set's m and s."),
                ((x_test - x_test.mean()) / x_test.std(), own),
                ((x_test - both.mean()) / both.std(), "you took the mean and std of training and test data together: "
                                                      "the test set leaks into the scaling. Use the training "
                                                      "statistics only."),
                ((x_test - m) / x_train.var(), "you divided by the training variance (np.var): divide by its "
                                               "standard deviation (np.std)."),
                ((x_test - m) / x_test.std(), "you subtracted the training mean but divided by the test set's "
                                              "own standard deviation: use the training set's for both."),
                ((x_test - x_test.mean()) / s, "you divided by the training standard deviation but subtracted "
                                               "the test set's own mean: use the training set's for both."),
            ]
        failed = _grade(got, (x_test - m) / s, witnesses, _not_finite(got) or "your output is not (x_test - m) / s "
                        "with the training set's mean m and standard deviation s.", rtol=5e-3)  # ddof=1 is as good
        if failed:
            return failed
    return CheckResult(True, "the test inputs go through the training set's (x - m) / s, one point or seven.")


# --- exercise 3: the gradient -------------------------------------------------------------------

HELPERS_DIR = os.path.dirname(os.path.abspath(__file__))
ALLOWED_HELPERS = ("sigmoid", "forward", "mse")  # the forward pass is given; the gradient is the exercise
SCALAR_DELTA = ("did you average the output delta, dl2 = np.mean(2 * (l2 - y))? The delta keeps one row per "
                "sample, shape (n, 1): each sample's error reaches the weights through its own l1 row. The "
                "mean's 1/n goes in as a factor: dl2 = 2 * (l2 - y) / n.")


def _explain_gradient_error(err):
    text = str(err)
    if isinstance(err, ValueError) and "matmul" in text and "enough dimensions" in text:
        return f"a matrix product (@) got a single number: {SCALAR_DELTA} (numpy said: {text})"
    return None


def _note_call(called, frame, event):
    """A profile hook's work: note ``module.function`` in ``called`` for each call into this package made from
    outside it, by the reader's code. Deterministic, and it sees ``from helpers.net import backward`` too."""
    if (event == "call" and frame.f_code.co_filename.startswith(HELPERS_DIR) and frame.f_back is not None
            and not frame.f_back.f_code.co_filename.startswith(HELPERS_DIR)):
        called.append(f"{frame.f_globals.get('__name__')}.{frame.f_code.co_name}")


def _fixed_problem():
    """The question's data with the fixed network's start: ``(params, x, y)``."""
    x_raw, y = data.make_data(1000, seed=0)
    return net.init_params(10, seed=0), data.standardize(x_raw), y


def _judge_gradient(g, params, x, y):
    """Your gradient ``g`` (right shapes, finite) against the true one, in ``gradient_mistakes``' words:
    right (relative error below 1e-7), the whole gradient scaled, a classic mistake, or one parameter off."""
    l2, cache = net.forward(params, x)
    true, n, l1 = net.backward(params, cache, y), len(y), cache["l1"]
    errors = {k: gradcheck.relative_error(g[k], true[k]) for k in net.PARAM_NAMES}
    if max(errors.values()) < 1e-7:
        return CheckResult(True, "every gradient matches the mean squared error's (relative error below 1e-7): "
                                 "dW0, db0, dW1, db1.")
    hidden = {"x": x, "z0": cache["z0"], "l1": l1, "slope": l1 * (1 - l1), "W1": params["W1"],
              "dl2": 2 * (l2 - y) / n, "slope_of_l1": lambda a: a * (1 - a)}
    words = _scaled("your gradient", g, true, n, float(np.mean(y - l2)))
    if words:
        return _fail(words)
    mistake, factor = gm.recognise(g, true, hidden, n)
    if mistake is not None:
        scale = "" if gm.near(factor, 1) else f" (and everything times {gm.format_number(factor)})"
        return _fail(f"in your gradient, {mistake.what}{scale}. The fix: {mistake.fix}")
    k = max(errors, key=errors.get)  # the worst parameter
    if errors[k] < 1e-2:
        return _fail(f"your gradient is close but not equal to the true one: relative error {errors[k]:.1e}, above "
                     "the 1e-7 of a right one.")
    hint = ("go back through W1 and the sigmoid: dz0 = (dl2 @ W1.T) * l1 * (1 - l1)" if k in ("W0", "b0")
            else "it is l1.T @ dl2 (or the sum of dl2 over the samples for the bias)")
    return _fail(_scaled(f"your d{k}", {k: g[k]}, {k: true[k]}, n) or f"your d{k} is wrong (relative error "
                 f"{errors[k]:.2g} against the true gradient; above 1e-2 a gradient is wrong): {hint}.")


def check_gradients(gradients):
    """``gradients(params, x, y) -> dict``: the gradient of the mean squared error (what descent subtracts).

    Without calling the package's own gradient: that is the answer key (``net.backward``).
    """
    params, x, y = _fixed_problem()
    called = []
    out, failed = _call(gradients, params, x, y, explain=_explain_gradient_error, watch=called)
    shortcut = sorted({c for c in called if c.rsplit(".", 1)[1] not in ALLOWED_HELPERS})
    if shortcut:
        return _fail(f"your function calls {', '.join(shortcut)}: that computes the answer for you. Write the "
                     "chain rule yourself, from dl2 = dL/dl2 back to every parameter.")
    if failed:
        return failed
    if not isinstance(out, dict) or set(out) != set(params):
        got = sorted(out) if isinstance(out, dict) else type(out).__name__
        return _fail(f"return a dict with the keys {sorted(params)}; got {got}.")
    if np.shape(out["W1"]) == (np.shape(params["W1"])[0], len(y)):  # l1.T.dot(a number): .dot does not complain
        return _fail(f"dW1 has shape {np.shape(out['W1'])}, one column per sample: {SCALAR_DELTA}")
    words = _shapes(out, {k: v.shape for k, v in params.items()}, len(y), prefix="d")
    if words:
        return _fail(words + ".")
    g = {k: np.asarray(v, dtype=float) for k, v in out.items()}
    if not all(np.all(np.isfinite(v)) for v in g.values()):
        return _fail("your gradient contains NaN or infinite values.")
    return _judge_gradient(g, params, x, y)


# --- exercise 4: the learning rate --------------------------------------------------------------

def check_largest_stable_lr(largest_stable_lr):
    """``largest_stable_lr(lam) -> lr``: the stability limit of gradient descent on a parabola of curvature ``lam``."""
    for lam in (5.0, 0.1):
        lr, failed = _call(largest_stable_lr, lam, number="one number")
        if failed:
            return failed
        if np.isclose(lr, 2 / lam):
            continue
        if np.isclose(lr, 1 / lam):
            return _fail(f"for lam = {lam:g} you return 1/lam = {lr:.3g}: that step lands exactly on the bottom "
                         "(factor 1 - lr lam = 0). Larger steps overshoot but still shrink the distance while "
                         "|1 - lr lam| < 1: the limit is where 1 - lr lam = -1.")
        if np.isclose(lr, lam / 2) or np.isclose(lr, 2 * lam):
            return _fail(f"for lam = {lam:g} you return {lr:.3g}: a sharper bowl (larger lam) must allow a "
                         "*smaller* step, so the limit divides by lam.")
        return _fail(f"for lam = {lam:g} you return {lr:.3g}; solve |1 - lr * lam| < 1 for lr.")
    return CheckResult(True, "2 / lam: beyond it each step multiplies the distance to the bottom by |1 - lr lam| > 1.")


LR_EPOCHS = 300


def check_learning_rate(lr):
    """A learning rate for the fixed network (``net.init_params(10, 0)`` on ``make_data(1000, 0)``).

    Graded on the reason, not on where the loss happens to end: below the limit 2 / sharpness
    measured at the start, and not so small that 300 epochs barely move. Above the limit the
    message measures what happened (the first steps rise; the sharpness fell, or it diverged).
    """
    if lr is None:
        return _fail("no answer yet: set lr to a positive number where it says YOUR CODE HERE, then run this cell "
                     "again.")
    if not is_number(lr):
        return _fail(f"lr must be a number, got {type(lr).__name__}: set lr = 0.05, say, not a string or a function.")
    if not np.isfinite(lr) or lr <= 0:
        return _fail(f"lr = {lr} cannot work: a learning rate is a positive step size.")
    params, x, y = _fixed_problem()
    lam = stability.sharpness(params, x, y)
    limit = 2 / lam
    run = train.train(params, x, y, float(lr), LR_EPOCHS)
    losses = run.losses  # losses[k]: after k steps, the last after all LR_EPOCHS
    where = f"lr = {lr:.3g} is {lr / limit:.3g} x the limit 2 / sharpness = 2 / {lam:.3g} = {limit:.3g} at the start"
    if run.diverged:
        return _fail(f"{where}; training diverged at epoch {run.diverged_at}. Pick a step below the limit.")
    if lr > limit:
        rose = int(np.argmax(losses > losses[0]))  # 0: it never rose above the start
        story = "the steps overshoot along the sharpest direction"
        if rose:
            story = f"the loss rose from {losses[0]:.3g} to {losses[rose]:.3g} at epoch {rose}: {story}"
        late = stability.sharpness(run.params, x, y)
        if late < 2 / lr:
            return _fail(f"{where}: above it, {story}. It still ended at {losses[-1]:.2g}, lower than smaller safe "
                         f"steps reach in {LR_EPOCHS} epochs, because training moved to flatter ground: the sharpness "
                         f"fell to {late:.2g} < 2 / lr = {2 / lr:.2g}, where this step is stable again, and fast. "
                         "Nothing at the start promises that rescue: pick a step below the limit you measured.")
        return _fail(f"{where}: above it, {story}; it ended at {losses[-1]:.2g}, while predicting the mean "
                     f"would give var(y) = {y.var():.3g}. Pick a step below the limit you measured.")
    if losses[0] / losses[-1] < 5:
        return _fail(f"{where}: stable but slow, the loss only went from {losses[0]:.3g} to "
                     f"{losses[-1]:.3g} in {LR_EPOCHS} epochs. Try a step closer to the limit.")
    return CheckResult(True, f"{where}: every step shrinks the distance along the sharpest direction, and the "
                             f"loss fell from {losses[0]:.3g} to {losses[-1]:.2g} in {LR_EPOCHS} epochs.")


# --- exercise 5: the printed loss ---------------------------------------------------------------

def check_loss(loss):
    """``loss(l2, y) -> float``: the mean squared error, the number to print while training."""
    rng = np.random.default_rng(5)
    y = rng.normal(size=(200, 1)) * 3
    l2 = y + rng.normal(size=(200, 1)) * 2
    l2 += np.mean(y - l2)  # the residuals average exactly 0 here: a mean residual says 'perfect'
    l2[:20] += 1.0         # ... and now it is slightly negative, while the fit is far from perfect
    value, failed = _call(loss, l2, y, number="average the squared residuals over the samples")
    if failed:
        return failed
    r, n = y - l2, len(y)
    mse = float(np.mean(r**2))
    return _grade(value, mse, [
        (np.mean(r), f"that is the mean residual mean(y - l2) = {np.mean(r):.3g}, the question's printed 'loss'. "
                     "Residuals of both signs cancel: here the fit is off by about 2 per sample, yet it is near 0, "
                     "and it goes negative whenever the predictions are too high on average. Square first, then "
                     "average."),
        (np.mean(-r), "that is the mean residual, mean(l2 - y): signed, so errors of both signs cancel. Square first, "
                      "then average."),
        (np.mean(r) ** 2, "that is the square of the mean residual: the residuals cancel before you square. Square "
                          "each residual first, then average."),
        (np.sum(r**2), f"that is the sum of squares, (y - l2).T @ (y - l2) as the question wrote its loss: {n} times "
                       "the mean. A fine loss, but its size grows with n and its gradient has no 1/n; print the "
                       "mean, comparable with var(y)."),
        (np.sqrt(mse), "that is the root mean squared error: a fine number to report, but the loss being "
                       "minimised (and compared with var(y)) is its square, the mean squared error."),
        (np.mean(np.abs(r)), "that is the mean absolute error: a different loss from the squared one trained here."),
    ], f"your loss is {value:.3g}; the mean squared error here is {mse:.3g}: mean((l2 - y)**2).",
        passed=f"the mean squared error, {mse:.3g} here, where the mean residual is {np.mean(r):.2g}: never "
               "negative, 0 only for a perfect fit.")


# --- exercise 6: the prediction -----------------------------------------------------------------

def check_predict(predict):
    """``predict(params, x_new_raw, x_train_raw) -> l2``: the trained network on new raw inputs."""
    rng = np.random.default_rng(6)
    params = {"W0": rng.normal(size=(1, 4)), "b0": rng.normal(size=(1, 4)),
              "W1": rng.normal(size=(4, 1)), "b1": np.array([[2.5]])}
    x_train = 2.0 * rng.normal(size=(300, 1))
    x_new = np.array([[-3.0], [-1.0], [0.5], [2.0], [4.0]])
    got, failed = _call(predict, params, x_new, x_train, shape=((5, 1), "be one row per new input, (5, 1)"))
    if failed:
        return failed

    W0, b0, W1, b1 = (params[k] for k in net.PARAM_NAMES)
    m, s = x_train.mean(), x_train.std()
    x, x_var, x_own = (x_new - m) / s, (x_new - m) / x_train.var(), (x_new - x_new.mean()) / x_new.std()

    def l2(x, c0=b0, c1=b1, out=lambda z: z):  # the trained network, or a typical mistake's version of it
        return out(net.sigmoid(x @ W0 + c0) @ W1 + c1)

    return _grade(got, l2(x), [
        (l2(x_var, 0, 0, net.sigmoid), "that is the question's last lines: a sigmoid output and no biases (on the "
                                       "question's var-scaled input): a different network from the one trained. "
                                       "Predict with the same forward pass as training."),
        (l2(x, 0, 0, net.sigmoid), "a sigmoid on the output and no biases: the question's last lines. The trained "
                                   "network has a linear output and uses b0 and b1."),
        (l2(x, out=net.sigmoid), "your output goes through a sigmoid, so it can only be in (0, 1): the trained "
                                 "network's output is linear, l2 = l1 @ W1 + b1."),
        (l2(x, c0=0), "b0 is missing from the hidden layer: use every trained parameter."),
        (l2(x, c1=0), "b1 is missing from the output: use every trained parameter."),
        (l2(x, 0, 0), "the biases are missing: use every trained parameter, l1 = sigmoid(x @ W0 + b0)."),
        (l2(x_new), "the new inputs are not scaled: the network learned on (x - m) / s."),
        (l2(x_own), "you scaled the new inputs with their own mean and std: use the training set's m and s."),
        (l2(x_var), "you divided by the training variance, the question's np.var: use the standard deviation."),
    ], "your prediction differs from the trained network's: scale with the training set's mean and std, then "
       "l1 = sigmoid(x @ W0 + b0), l2 = l1 @ W1 + b1.", rtol=1e-6,
        passed="the same scaling, biases and linear output as in training: the network you trained.")


# --- exercise 7: a gradient check ---------------------------------------------------------------

def _probe(p):
    """A smooth test function of an array, with a known gradient: ``cos(p) p**2 + 2 p sin(p) + 2 sum(p)``."""
    return float(np.sum(np.sin(p) * p**2) + np.sum(p) ** 2)


def check_numerical_gradient(numerical_gradient):
    """``numerical_gradient(f, p, eps) -> array``: centred differences (f(p + eps) - f(p - eps)) / (2 eps)."""
    p = np.array([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
    eps = 1e-5
    got, failed = _call(numerical_gradient, _probe, p, eps, shape=(p.shape, f"be shaped like p, {p.shape}: one "
                                                                            "partial derivative per entry"),
                        changed="p is not as it was after your function: restore each entry after nudging it "
                        "(p[i] = old), or the next entries are measured at another point.")
    if failed:
        return failed

    centred = gradcheck.numerical_gradient(lambda d: _probe(d["p"]), {"p": p}, eps)["p"]
    steps = eps * np.eye(p.size).reshape(-1, *p.shape)  # one entry nudged per row
    forward = np.reshape([(_probe(p + step) - _probe(p)) / eps for step in steps], p.shape)
    words = _match(got, [
        (forward,
         "that is a forward difference (f(p + eps) - f(p)) / eps: its error shrinks only like eps (a relative "
         "error near 1e-6 here), too coarse for the 1e-7 threshold. Centre it: (f(p + eps) - f(p - eps)) / (2 eps)."),
        (2 * centred,
         "2x too large: the two probes are 2 eps apart, so divide by 2 * eps."),
        (-centred,
         "the sign is flipped: (f(p + eps) - f(p - eps)), not the other way round."),
    ])
    if words:
        return _fail(words)
    err = gradcheck.relative_error(got, np.cos(p) * p**2 + 2 * p * np.sin(p) + 2 * np.sum(p))  # _probe's gradient
    if err > 1e-7:
        return _fail(f"relative error {err:.1e} against the exact gradient: nudge one entry at a time by +eps "
                     "and -eps and divide the difference by 2 * eps.")
    return CheckResult(True, "centred differences, each entry nudged and restored: relative error below 1e-7.")


def check_relative_error(relative_error):
    """``relative_error(a, b) -> float``: CS231n's ``max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)``, the
    formula of ``gradcheck.relative_error`` and notebook 03."""
    cases = [(np.array([3.0, -4.5, 1.0]), np.array([3.0, -4.0, 1.0])),  # one entry off
             (np.array([[100.0, 0.1]]), np.array([[100.0, 0.2]])),     # a small entry wrong beside a large one
             (np.array([1e-8, 0.0]), np.array([2e-8, 0.0])),           # tiny numbers, and two zeros
             (np.array([1e-12, 2.0]), np.array([0.0, 2.0])),           # below the floor: noise, not an error
             (np.array([2.0]), np.array([-2.0])), (np.zeros(2), np.zeros(2))]
    for a, b in cases:
        value, failed = _call(relative_error, a, b, number="the worst entry's error (np.max)")
        if failed:
            return failed
        right, diff, size = gradcheck.relative_error(a, b), np.abs(a - b), np.abs(a) + np.abs(b)
        if not np.isfinite(value):
            return _fail(f"for a = {a}, b = {b} you return {value}: 0/0 where both entries are 0. Keep the floor: "
                         "divide by max(1e-8, |a_i| + |b_i|).")
        with np.errstate(all="ignore"):  # the witnesses of a missing floor divide 0 by 0
            witnesses = [
                (np.max(diff), "that is the absolute error max |a_i - b_i|: divide by the size of the numbers, so that "
                               "1e-8 against 2e-8 counts as wrong as 1 against 2."),
                (np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300),
                 "that is a norm-wise relative error, |a - b| / max(|a|, |b|) for whole arrays: a wrong small entry "
                 "hides beside large right ones. This series uses CS231n's, entry by entry: max over i of "
                 "|a_i - b_i| / max(1e-8, |a_i| + |b_i|)."),
                (np.max(diff / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))),
                 "you divided by max(|a_i|, |b_i|) (the CS231n notes' form, up to 2x larger): the thresholds below "
                 "are stated for |a_i| + |b_i|, as in gradcheck.relative_error and notebook 03."),
                (np.max(diff / np.abs(b)), "you divided by |b_i| only: the error then depends on which argument comes "
                                           "first, and it is infinite where b_i is 0. Divide by |a_i| + |b_i|."),
                (np.mean(diff / np.maximum(1e-8, size)), "you averaged the entries' errors: one wrong entry among many "
                                                         "right ones fades in a mean. Report the worst, np.max."),
                (np.max(diff / size), "without the 1e-8 floor two entries that are both (nearly) zero, round-off "
                                      "of a zero gradient, count as completely different: divide by "
                                      "max(1e-8, |a_i| + |b_i|)."),
            ]
        failed = _grade(value, right, witnesses, f"for a = {a}, b = {b} you return {value:.3g}; max |a_i - b_i| / "
                        f"max(1e-8, |a_i| + |b_i|) is {right:.3g}.")
        if failed:
            return failed
    return CheckResult(True, "max |a_i - b_i| / max(1e-8, |a_i| + |b_i|), entry by entry: scale-free, symmetric, "
                             "0 for equal arrays and 1 for opposite ones (gradcheck.relative_error's formula).")


# --- short questions: exercise 8, and the reason in exercise 4 ----------------------------------

QUESTIONS = {
    "negative-loss": ("b", {
        "a": "no: lr = 1 makes the steps huge, but a mean of squares is never negative at any parameters.",
        "c": "no: an overflow gives inf or nan, not a large negative number; and a squared loss cannot be negative.",
        "b": "yes: mean(y - l2) is signed; once the predictions overshoot y on average it is negative, "
             "and it says nothing about how large the errors are."}),
    "seven-samples": ("c", {
        "a": "no: (7, 10) + (1000, 10) does not broadcast; numpy refuses.",
        "b": "no: numpy never repeats 7 rows into 1000; broadcasting only stretches an axis of length 1.",
        "c": "yes: a (7, 10) hidden layer plus a (1000, 10) bias raises a broadcasting ValueError; "
             "with one sample it would silently give 1000 rows."}),
    "lr-above-limit": ("a", {
        "a": "yes: beyond 2 / lam each step multiplies the distance along that direction by |1 - lr lam| > 1.",
        "b": "no: the factor is |1 - lr lam|; at lr = 2.5 / lam it is 1.5, so the distance grows by half each step.",
        "c": "no: on a parabola nothing moves the curvature; the steps alternate sides and grow."}),
    "test-scaling": ("b", {
        "a": "no: its own statistics make the same raw value a different input depending on the rest of the "
             "test set, and a single point becomes 0/0.",
        "b": "yes: the network learned a function of (x - m) / s with the training m and s; new inputs must go "
             "through the same map.",
        "c": "no: the network never saw raw inputs; (x - m) / s is part of the model."}),
    "gradcheck-reading": ("c", {
        "a": "no: 1e-9 is far below 1e-7: those three agree with the numerical gradient.",
        "b": "no: round-off gives errors near 1e-9 to 1e-7 with centred differences; 0.9 is a different quantity.",
        "c": "yes: dW0, db0 and db1 agree (1e-9), dW1 is off by an O(1) relative error: the bug is in the line "
             "that computes dW1."}),
    "why-above-limit-ended-lower": ("c", {
        "a": "no: the limit is measured (power iteration, and checked on the parabola to 0.4%); the first steps "
             "above it do overshoot: the loss rises at epoch 1.",
        "b": "no: larger steps are faster only while they are stable; 1.5x and 3x the limit end far higher.",
        "c": "yes: the limit 2 / sharpness holds at the parameters where you measure it. Training moves to flatter "
             "ground, the sharpness falls below 2 / lr, and the big step is stable and fast again; nothing "
             "at the start guarantees that."}),
}


def check_answer(question, answer):
    """A short question: ``answer`` is one letter; the message says why it is (not) right."""
    if question not in QUESTIONS:
        raise ValueError(f"question must be one of {sorted(QUESTIONS)}, got {question!r}")
    right, feedback = QUESTIONS[question]
    if answer is None:
        return _fail("no answer yet: set the answer to one letter, e.g. 'a', then run this cell again.")
    letter = str(answer).strip().lower().strip("()")
    if letter not in feedback:
        return _fail(f"answer with one of the letters {', '.join(sorted(feedback))}; got {answer!r}.")
    return CheckResult(letter == right, feedback[letter])


# --- exercise 9: find the bug -------------------------------------------------------------------

def tanh_net_problem(seed=9):
    """The find-the-bug exercise's network and data: ``(params, X, T)``, 2 inputs, 8 tanh units."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(200, 2))
    T = np.sin(X[:, :1]) * X[:, 1:]
    params = {"A": rng.normal(size=(2, 8)) / np.sqrt(2), "a": np.zeros((1, 8)),
              "B": rng.normal(size=(8, 1)) / np.sqrt(8), "b": np.zeros((1, 1))}
    return params, X, T


def _tanh_net(params, X, T):
    """The exercise's tanh network: its loss, its exact gradient, and ``(dA; da)`` stacked for each wrong slope."""
    H = np.tanh(X @ params["A"] + params["a"])
    E = H @ params["B"] + params["b"] - T
    dY = 2 * E / len(X)
    dH = dY @ params["B"].T

    def hidden(slope):  # dA stacked on da, with this slope of tanh
        return np.vstack([X.T @ (dH * slope), (dH * slope).sum(axis=0, keepdims=True)])

    dA_da = hidden(1 - H**2)
    true = {"A": dA_da[:-1], "a": dA_da[-1:], "B": H.T @ dY, "b": dY.sum(axis=0, keepdims=True)}
    wrong = [(hidden(1 - H), "still the original bug: tanh's slope is 1 - H**2, not 1 - H"),
             (hidden(H * (1 - H)), "H * (1 - H) is the sigmoid's slope; tanh's is 1 - H**2")]
    return float(np.mean(E**2)), true, wrong


def check_find_the_bug(loss_and_grads):
    """``loss_and_grads(params, X, T) -> (loss, grads)``: the exercise's tanh network with its bug fixed."""
    params, X, T = tanh_net_problem()
    out, failed = _call(loss_and_grads, params, X, T)
    if failed:
        return failed
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict) and set(out[1]) == set(params)):
        return _fail(f"return (loss, grads) with grads a dict with the keys {sorted(params)}, as the code you were "
                     "given.")
    loss, grads = out
    true_loss, true, wrong = _tanh_net(params, X, T)
    if not _same(loss, true_loss):
        return _fail(f"your loss is {float(loss):.4g}, the mean squared error is {true_loss:.4g}: keep "
                     "loss = np.mean(E ** 2).")
    words = _shapes(grads, {k: v.shape for k, v in true.items()}, len(X), prefix="d")
    if words:
        return _fail(words + ".")
    bad = [k for k in true if not gradcheck.relative_error(grads[k], true[k]) < 1e-7]
    if not bad:
        return CheckResult(True, "dA, da, dB and db all match the exact gradient (relative error below 1e-7): "
                                 "tanh's slope is 1 - H**2.")
    words = _match(np.vstack([grads["A"], grads["a"]]), wrong) if bad == ["A", "a"] else None
    if words:
        return _fail(f"dA and da are wrong, dB and db right: the bug sits between the output and the hidden layer: "
                     f"{words}.")
    named = " and ".join("d" + k for k in bad)
    return _fail(_scaled(named, {k: grads[k] for k in bad}, {k: true[k] for k in bad}, len(X))
                 or f"{named} differ from the exact gradient: compare each with the numerical gradient of the loss "
                 "to find the line.")
