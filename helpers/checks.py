r"""Checks for the exercises: feedback that names the bug, not just 'wrong'.

Each ``check_*`` function takes the reader's answer (usually a function), runs it on data of
its own, and returns a ``CheckResult``: ``passed`` and a ``message`` in the reader's terms
("db0 has shape (1000, 10): one bias per sample", "your dW1 points uphill", "your gradient
is 1000x too large: did you sum instead of averaging?"). A blank answer, or one that raises,
gets a message too, never a traceback: the check cell of an exercise always runs.

The measurements are the doctor's (``helpers.doctor``): the same gradient comparison and
the same words for telling factors, so an exercise and the doctor never disagree.
"""
from dataclasses import dataclass

import numpy as np

from . import data, doctor, net, stability, train
from .arguments import is_number

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


def _call(fn, *args):
    """``(value, None)``, or ``(None, CheckResult)`` when ``fn`` is blank, not a function, or raises."""
    if not callable(fn):
        return None, _fail(f"expected a function, got {type(fn).__name__}: pass the function itself, without ().")
    try:
        with np.errstate(all="ignore"):
            return fn(*args), None
    except NotImplementedError:
        return None, _fail(BLANK)
    except Exception as err:  # the reader's code: report it in one line instead of a traceback
        return None, _fail(f"your function raised {type(err).__name__}: {err}")


# --- exercise 1: shapes ------------------------------------------------------------------------

def check_bias_init(init_biases):
    """``init_biases(n_samples, n_hidden) -> (b0, b1)``: one bias per unit, whatever the batch."""
    for n_samples, n_hidden in ((1000, 10), (7, 3)):
        out, failed = _call(init_biases, n_samples, n_hidden)
        if failed:
            return failed
        if not (isinstance(out, tuple) and len(out) == 2):
            return _fail(f"return two arrays, b0 and b1 (as `return b0, b1`); got {type(out).__name__}.")
        expected = net.expected_shapes(n_hidden)
        for name, value in zip(("b0", "b1"), out):
            got = np.shape(value)
            if got != expected[name]:
                return _fail(doctor.describe_shape(name, got, expected[name], n_samples)
                             + f" (for n_samples={n_samples}, n_hidden={n_hidden}).")
    return CheckResult(True, "b0 is (1, n_hidden) and b1 is (1, 1): one bias per unit, the same for any batch size.")


def check_bias_gradients(bias_gradients):
    """``bias_gradients(l1_delta, l2_delta) -> (db0, db1)`` from the per-sample deltas ``(n, h)``, ``(n, 1)``."""
    rng = np.random.default_rng(0)
    n, h = 1000, 10
    l1_delta, l2_delta = rng.normal(size=(n, h)), rng.normal(size=(n, 1))
    out, failed = _call(bias_gradients, l1_delta.copy(), l2_delta.copy())
    if failed:
        return failed
    if not (isinstance(out, tuple) and len(out) == 2):
        return _fail(f"return two arrays, db0 and db1 (as `return db0, db1`); got {type(out).__name__}.")
    right = {"db0": l1_delta.sum(axis=0, keepdims=True), "db1": l2_delta.sum(axis=0, keepdims=True)}
    for (name, expected), value in zip(right.items(), out):
        value = np.asarray(value, dtype=float)
        if value.shape != expected.shape:
            hint = " Add up the samples' deltas: .sum(axis=0, keepdims=True)." if value.shape == (n, expected.shape[1]) else ""
            return _fail(doctor.describe_shape(name, value.shape, expected.shape, n) + "." + hint)
        if not np.allclose(value, expected, rtol=1e-9, atol=1e-12):
            if np.allclose(value * n, expected, rtol=1e-9, atol=1e-12):
                return _fail(f"{name} is {n}x too small: you averaged. A shared bias collects every sample's "
                             "delta, so its gradient is their sum (the 1/n of the mean loss is already in l2_delta).")
            if np.allclose(value, -expected, rtol=1e-9, atol=1e-12):
                return _fail(f"{name} has the wrong sign: it is the sum of the deltas, as they are.")
            return _fail(f"{name} has the right shape but the wrong values: it must be the sum over samples "
                         "(axis 0) of the delta.")
    return CheckResult(True, "db0 (1, 10) and db1 (1, 1): each bias adds up the deltas of all samples it is shared by.")


# --- exercise 2: normalization ------------------------------------------------------------------

def check_standardize(standardize):
    """``standardize(x_raw) -> x`` with mean 0 and standard deviation 1 (tested at several scales)."""
    for sigma, mu in ((2.0, 3.0), (10.0, -5.0), (0.1, 0.5)):
        x_raw = mu + sigma * np.random.default_rng(1).normal(size=(500, 1))
        given = x_raw.copy()
        out, failed = _call(standardize, given)
        if failed:
            return failed
        if not np.array_equal(given, x_raw):
            return _fail("your function changed its input in place (x -= ... or x /= ...): compute a new "
                         "array, (x - mean) / std, so the raw data survives for the next step.")
        x = np.asarray(out, dtype=float)
        if x.shape != x_raw.shape:
            return _fail(f"the output has shape {x.shape}; it must keep the input's shape {x_raw.shape}.")
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


# --- exercise 3: the gradient -------------------------------------------------------------------

def _fixed_problem():
    """The question's data with the fixed network's start: ``(params, x, y)``."""
    x_raw, y = data.make_data(1000, seed=0)
    return net.init_params(10, seed=0), data.standardize(x_raw), y


def check_gradients(gradients):
    """``gradients(params, x, y) -> dict``: the gradient of the mean squared error (what descent subtracts)."""
    params, x, y = _fixed_problem()
    out, failed = _call(gradients, {k: v.copy() for k, v in params.items()}, x.copy(), y.copy())
    if failed:
        return failed
    if not isinstance(out, dict) or set(out) != set(params):
        got = sorted(out) if isinstance(out, dict) else type(out).__name__
        return _fail(f"return a dict with the keys {sorted(params)}; got {got}.")
    n = len(y)
    for name in net.PARAM_NAMES:
        got, expected = np.shape(out[name]), np.shape(params[name])
        if got != expected:
            return _fail(doctor.describe_shape("d" + name, got, expected, n) + ".")
    g = {k: np.asarray(v, dtype=float) for k, v in out.items()}
    if not all(np.all(np.isfinite(v)) for v in g.values()):
        return _fail("your gradient contains NaN or infinite values.")
    true = doctor.mse_gradient(params, x, y)
    cmp = doctor.compare_gradients(g, true)
    if cmp.parallel and abs(cmp.factor - 1) < 1e-6:
        return CheckResult(True, "every gradient matches the mean squared error's: dW0, db0, dW1, db1.")
    if cmp.parallel:
        return _fail(_factor_words("your gradient", cmp.factor, n, float(np.mean(y - net.forward(params, x)[0]))))
    # Not one common factor: find the first parameter that is off, and say how.
    for name in net.PARAM_NAMES:
        one = doctor.compare_gradients({name: g[name]}, {name: true[name]})
        if one.parallel and abs(one.factor - 1) < 1e-6:
            continue
        if one.parallel:
            return _fail(_factor_words(f"your d{name}", one.factor, n))
        hint = ("check the sigmoid's slope l1 * (1 - l1) on the way back" if name in ("W0", "b0")
                else "it is l1.T @ dl2 (or the sum of dl2 over the samples for the bias)")
        return _fail(f"your d{name} is wrong (relative error {one.raw_errors[name]:.2g} against the true gradient): {hint}.")
    return _fail("your gradient is close but not equal to the true one.")


def _factor_words(what, c, n, mean_residual=None):
    """'your dW1 points uphill', 'your gradient is 1000x too large: did you sum...', etc."""
    named = doctor.name_factor(c, n, mean_residual)
    if abs(c + 1) < 1e-6:
        return (f"{what} points uphill: it is exactly -1 times the gradient. d/dl2 (l2 - y)**2 = 2 (l2 - y); "
                "(y - l2) is the direction to *add*, not to subtract.")
    sign = "" if c > 0 else ", and it points uphill (negative factor)"
    size = (f"{doctor.format_number(abs(c))}x too large" if abs(c) > 1
            else f"{doctor.format_number(1 / abs(c))}x too small")
    return f"{what} is {size}{sign}" + (f": {named}" if named else ".")


# --- exercise 4: the learning rate --------------------------------------------------------------

def check_largest_stable_lr(largest_stable_lr):
    """``largest_stable_lr(lam) -> lr``: the stability limit of gradient descent on a parabola of curvature ``lam``."""
    for lam in (5.0, 0.1):
        out, failed = _call(largest_stable_lr, lam)
        if failed:
            return failed
        try:
            lr = float(out)
        except (TypeError, ValueError):
            return _fail(f"return a number; got {type(out).__name__}.")
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
    """A learning rate for the fixed network (``net.init_params(10, 0)`` on ``make_data(1000, 0)``): stable and not slow."""
    if lr is None:
        return _fail("no answer yet: set lr to a positive number where it says YOUR CODE HERE, then run this cell again.")
    if not is_number(lr):
        return _fail(f"lr must be a number, got {type(lr).__name__}: set lr = 0.05, say, not a string or a function.")
    if not np.isfinite(lr) or lr <= 0:
        return _fail(f"lr = {lr} cannot work: a learning rate is a positive step size.")
    params, x, y = _fixed_problem()
    limit = stability.max_stable_lr(params, x, y)
    run = train.train(params, x, y, float(lr), LR_EPOCHS)
    where = f"lr = {lr:.3g} is {lr / limit:.3g} x the stability limit 2 / sharpness = {limit:.3g}"
    if run.diverged:
        return _fail(f"{where}; training {run.summary()}. Pick a step below the limit.")
    if lr > limit:
        return _fail(f"{where}: above it, each step overshoots the steepest direction; here the loss went from "
                     f"{run.losses[0]:.3g} to {run.final_loss:.3g} in {LR_EPOCHS} epochs. Pick a step below the limit.")
    gain = run.losses[0] / run.final_loss
    if gain < 5:
        return _fail(f"{where}: stable but slow, the loss only went from {run.losses[0]:.3g} to "
                     f"{run.final_loss:.3g} in {LR_EPOCHS} epochs. Try a step closer to the limit.")
    return CheckResult(True, f"{where}; the loss fell from {run.losses[0]:.3g} to {run.final_loss:.3g} in "
                             f"{LR_EPOCHS} epochs without diverging.")
