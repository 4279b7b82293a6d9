r"""A doctor for your own numpy network: ``diagnose`` runs it and returns a ``Report`` of findings, each
with a stable ``code``, its evidence (numbers measured on *your* network) and a one-line fix.

Your gradient ``g`` is judged against the true gradient ``G`` of *your* loss: ``net.backward`` for the
question's network and the MSE (per-sample and 1-D biases included), otherwise
``gradcheck.numerical_gradient``. The sharpness ``lambda_max`` is ``stability.sharpness`` for the
question's network, otherwise power iteration (``stability.top_eigenvalue``) on Hessian-vector products
by finite differences of a gradient, ``H v ~ (G(p + e v) - G(p - e v)) / 2e``. Every run is your update
``p -= lr * g`` for a bounded number of steps, read by the one run classifier, ``outcome.classify``. The checks:

- the data: ``target-shape-1d`` (``y (n,)`` against an output ``(n, 1)``: ``l2 - y`` broadcasts
  to ``(n, n)``), ``bias-depends-on-batch`` (the network evaluated on 1 and 7 samples),
  ``input-divided-by-variance`` / ``input-not-standardized``, ``target-unrelated-to-input``
  (the mean of ``y`` in bins of ``x`` explains no more than chance);
- the hidden layer, read through your own ``predict``: ``hidden-units-saturated``, ``relu-units-dead``;
- the gradient (``gradient_mistakes``): ``g = c G`` with ``c = 1`` is right; a negative ``c``
  is ``gradient-sign-flipped``; ``c`` proportional to ``mean(y - l2)`` is ``gradient-mean-residual``;
  a ``c`` whose sign changes along the trial run is ``gradient-sign-varies``; another constant ``c``
  is the exact gradient of ``c`` times your loss, a problem (``gradient-summed`` for ``c = n``,
  else ``gradient-scaled``) only when the step ``lr * c`` is unstable or too small to move.
  Not parallel: the classic mistake it equals (``gradient-missing-activation-slope``, ...), a
  ``gradient-stale`` one (the true gradient at the previous step's parameters), or ``gradient-wrong``
  (also for a ``grad_fn`` that raises, or returns NaN or inf, at the start or later in the run);
- the step: ``lr-above-stability-limit`` (``lr > 2 / lambda_max`` and your update does not lower the
  loss: above the limit descent can still fall, at the edge of stability; with a wrong gradient, ``lr``
  is judged with the true one), ``lr-too-small`` (below ``LR_SMALL`` times the limit),
  ``target-not-standardized`` (``y`` far from order 1, and your update fails on it where it succeeds on
  the standardized ``y``: the advice is tested before it is given);
- ``loss-not-decreasing``: your update does not lower the loss and no other finding explains it.

The doctor never raises or warns on a network it can evaluate (where numpy overflowed becomes a note);
input it cannot use is a ``ValueError`` naming the argument, what it got and what was expected.
"""
from dataclasses import dataclass, field

import numpy as np

from . import data, gradcheck, net, outcome, stability
from .validate import check_callable, check_int, check_number, describe, real_array, same_rows
from .gradient_mistakes import (FACTOR_TOL, PARALLEL_TOL, compare_gradients, describe_shape, format_number,
                                name_factor, near, recognise)

__all__ = ["CODES", "MAX_STEPS", "Finding", "Report", "diagnose", "stability_limit"]

CODES = (
    "bias-depends-on-batch", "input-divided-by-variance", "input-not-standardized",
    "gradient-sign-flipped", "gradient-sign-varies", "gradient-scaled", "gradient-wrong",
    "lr-above-stability-limit", "loss-not-decreasing", "target-shape-1d", "target-unrelated-to-input",
    "target-not-standardized", "hidden-units-saturated", "relu-units-dead", "gradient-summed",
    "gradient-mean-residual", "gradient-missing-activation-slope", "gradient-missing-input",
    "gradient-dW1-from-preactivation", "gradient-param-sign-flipped", "gradient-bias-averaged",
    "gradient-transposed", "gradient-stale", "lr-too-small",
)
#: Steps of your update compared with the true gradient (``steps``: 1 to ``MAX_STEPS``), steps that show
#: whether the loss goes down, and the test runs of the advice "standardize y".
TRIAL_STEPS, MAX_STEPS, LONG_STEPS, VERIFY_EPOCHS = 4, 20, 100, 300
#: Steps of gradient descent with the true gradient at your lr, when your gradient is wrong (numerical
#: gradients are dear; above the limit the unstable direction grows by ``|1 - lr lambda| > 1`` every step).
TRUE_STEPS = 20
#: "Far" from standardized: an input's |mean| and std ratio; a target's |mean| or std above ``TARGET_STD``
#: (or its std below ``1 / TARGET_STD``).
MEAN_LIMIT, STD_RATIO, TARGET_STD = 1.0, 3.0, 10.0
#: ``lr-too-small``: a step below this fraction of the stability limit barely moves.
LR_SMALL = 1e-3
#: Bins of ``x`` for the relation test, and the F statistic below which ``y`` looks unrelated
#: (under "no relation" F is about 1; its 99.9% point for 20 bins and 1000 samples is about 2.2).
RELATION_BINS, RELATION_F = 20, 3.0
#: A unit is flat on a sample where its slope is below ``FLAT_SLOPE`` of the activation's largest
#: (sigmoid: 0.01 of 0.25, as ``net.SATURATION_SLOPE``), and flat on ``net.SATURATION_SHARE`` of the
#: samples; the finding needs ``FLAT_UNITS`` of the units flat.
FLAT_SLOPE, FLAT_UNITS = 0.04, 0.8
#: Numerical gradients measure at most ``MAX_NUMERICAL`` entries, the smallest parameters first; the
#: finite-difference step of a Hessian-vector product, and the power iteration's budget for it.
MAX_NUMERICAL, HVP_STEP, HVP_ITERS, HVP_TOL = 400, 1e-4, 60, 1e-2


@dataclass(frozen=True)
class Finding:
    """One problem: a ``code`` from ``CODES``, a one-line ``summary``, the measured ``evidence`` and the ``fix``."""

    code: str
    summary: str
    evidence: str
    fix: str

    def __str__(self):
        return f"{self.code}: {self.summary}\n   evidence: {self.evidence}\n   fix: {self.fix}"


@dataclass
class Report:
    """What ``diagnose`` found: ``findings`` (``Finding``s; their ``codes`` in order; ``ok`` when there are none)
    and ``notes`` (what could not be checked, or is unusual but right). Printing it gives the readable list."""

    findings: list
    notes: list = field(default_factory=list)
    n_samples: int = 0
    lr: float = 0.0

    @property
    def codes(self):
        return [f.code for f in self.findings]

    @property
    def ok(self):
        return not self.findings

    def __str__(self):
        head = f"checked on {self.n_samples} samples with lr = {self.lr:.3g}"
        if self.ok:
            lines = [f"No problems found ({head})."]
        else:
            count = f"{len(self.findings)} problem" + ("s" if len(self.findings) > 1 else "")
            lines = [f"{count} found ({head}):"]
            lines += [f"{i}. {f}" for i, f in enumerate(self.findings, 1)]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    __repr__ = __str__


# --- the network the doctor measures against ----------------------------------------------

def _rows(params):
    """``params`` with 1-D biases ``(h,)`` / ``(1,)`` as the rows ``(1, h)`` / ``(1, 1)`` they broadcast as."""
    return {k: np.reshape(v, (1, -1)) if k.startswith("b") and np.ndim(v) == 1 else v for k, v in params.items()}


def _l2(p, x):
    """The question's forward pass: sigmoid hidden layer, linear output."""
    return net.forward(p, x)[0]


class _Model:
    """Your network and loss on your data: the prediction ``l2 (n, 1)``, the loss, its true gradient and sharpness.

    ``exact``: the question's network and the MSE (``net.backward``, ``stability.sharpness``); otherwise
    ``predict`` / ``loss`` are yours and both are measured numerically. ``y`` is the target as a column,
    ``y_call`` as your code gets it.
    """

    def __init__(self, params, x, y_call, predict=None, loss=None):
        self.params, self.x, self.y_call, self.y = params, x, y_call, np.reshape(y_call, (len(x), -1))
        self.given, self.own_loss, self.exact = predict, loss, predict is None and loss is None
        self.forward = predict or _l2
        self.act = net.sigmoid if predict is None else _probe_activation(predict, params)

    def with_target(self, y_call):
        return _Model(self.params, self.x, y_call, self.given, self.own_loss)

    def predict(self, p):
        return np.reshape(self.forward(p, self.x), (len(self.x), -1))

    def loss(self, p):
        return float(self.own_loss(p, self.x, self.y_call)) if self.own_loss else net.mse(self.predict(p), self.y)

    def gradient(self, p):
        """The true gradient of your loss at ``p``; NaN in the entries a numerical gradient left out."""
        if self.exact:
            return net.backward(p, net.forward(p, self.x)[1], self.y)
        change = self._change_from(p)
        grads = gradcheck.numerical_gradient(lambda sub: change(dict(p, **sub)), {k: p[k] for k in self.measured(p)})
        return {k: grads[k] if k in grads else np.full(np.shape(v), np.nan) for k, v in p.items()}

    def measured(self, p):
        """The parameters a numerical gradient measures: the smallest first, ``MAX_NUMERICAL`` entries in all."""
        chosen, budget = [], MAX_NUMERICAL
        for k in sorted(p, key=lambda k: np.size(p[k])):
            if np.size(p[k]) <= budget:
                chosen, budget = chosen + [k], budget - np.size(p[k])
        return chosen

    def _change_from(self, p):
        """``q -> L(q) - L(p)``; for the MSE as ``mean(d (d + 2 r0))``, ``d = l2(q) - l2(p)``, ``r0 = l2(p) - y``,
        as ``gradcheck.gradient_check`` does: no difference of two nearly equal losses, so ~1e-9 accurate."""
        if self.own_loss:
            return self.loss
        l2 = self.predict(p)
        r0 = l2 - self.y

        def change(q):
            d = self.predict(q) - l2
            return float(np.mean(d * (d + 2 * r0)))
        return change

    def sharpness(self, p, gradient=None):
        """``lambda_max`` of your loss's Hessian at ``p``: power iteration on finite differences of ``gradient``
        (your verified one, cheap) or of the true one, over the parameters it measures."""
        if self.exact:
            return stability.sharpness(_rows(p), self.x, self.y, iters=300, tol=1e-3)
        keys = list(p) if gradient else self.measured(p)
        gradient = gradient or self.gradient
        sizes = [np.size(p[k]) for k in keys]

        def shifted(v, sign):
            parts = np.split(sign * HVP_STEP * v, np.cumsum(sizes)[:-1])
            g = gradient(dict(p, **{k: p[k] + d.reshape(np.shape(p[k])) for k, d in zip(keys, parts)}))
            return np.concatenate([np.ravel(g[k]) for k in keys])
        return stability.top_eigenvalue(lambda v: (shifted(v, 1) - shifted(v, -1)) / (2 * HVP_STEP),
                                        int(sum(sizes)), HVP_ITERS, HVP_TOL)


def _probe_activation(predict, params):
    """Your hidden activation ``f``, read from your own ``predict``: a network with one input, one
    hidden unit of weight 1 and bias 0, and an output weight 1, returns ``f(x)`` for every row ``x``."""
    unit = {k: np.zeros((1,) * max(np.ndim(v), 1)) + (1.0 if k.startswith("W") else 0.0) for k, v in params.items()}
    return lambda z: np.reshape(predict(unit, np.reshape(z, (-1, 1))), np.shape(z))


def _limit(model, p, notes, gradient=None):
    """``2 / lambda_max`` of your loss at ``p``, or None (with a note saying why)."""
    try:
        lam = model.sharpness(p, gradient)
    except stability.PowerIterationError as err:
        lam = err.estimate
    except Exception as err:  # your predict or loss failed on a nudged parameter
        notes.append(f"learning rate not checked: measuring the curvature raised {type(err).__name__}: {err}")
        return None
    if not np.isfinite(lam) or lam <= 0:
        notes.append("learning rate not checked: the loss has no upward curvature here")
        return None
    return 2.0 / float(lam)


def _finding(code, summary, evidence, fix):
    return [Finding(code, summary, evidence, fix)]


# --- the checks ------------------------------------------------------------------------------

def _check_target_shape(y_user, l2_shape):
    """``target-shape-1d``: ``y (n,)`` against an output ``(n, 1)``."""
    if np.ndim(y_user) != 1 or len(l2_shape) != 2:
        return []
    n = len(y_user)
    return _finding(
        "target-shape-1d", "y has shape (n,) while your network's output is (n, 1)",
        f"y has shape {np.shape(y_user)} and l2 {tuple(l2_shape)}: l2 - y broadcasts to ({n}, {n}), every "
        f"prediction against every target, so the loss and its gradient mix all pairs of samples. The rest of "
        f"this report uses y reshaped to ({n}, 1).",
        "make y a column: y = y.reshape(-1, 1) (or y[:, None]).")


def _check_batch_independence(model_predict, params, x, n):
    """``bias-depends-on-batch``: does the network run on 1 and on 7 samples too?"""
    failures = []
    for m in (m for m in (1, 7) if m < n):
        on = f"on {m} sample{'s' if m > 1 else ''}"
        try:
            out = np.shape(model_predict(params, x[:m]))
        except Exception as err:  # numpy's broadcast error, or anything else *their* code raises
            failures.append(f"{on} it raises {type(err).__name__}")
            continue
        if len(out) < 1 or out[0] != m:
            failures.append(f"{on} it returns {out[0] if out else 'no'} rows")
    if not failures:
        return []
    tied = {k: tuple(np.shape(v)) for k, v in params.items() if n in np.shape(v)}
    evidence = f"your network runs on all {n} samples, but {' and '.join(failures)}."
    try:
        net.check_params(_rows(params), n_samples=n)
    except ValueError as err:  # the helpers' shape check says what is wrong, in its words
        if "one bias per sample" in str(err):
            evidence += f" {err}."
            tied = {k: s for k, s in tied.items() if not str(err).startswith(k + " ")}
    if tied:
        evidence += f" Parameters with an axis of length {n}, the number of samples: " + \
            ", ".join(f"{k} {s}" for k, s in tied.items()) + "."
    return _finding(
        "bias-depends-on-batch", "a parameter's shape depends on the number of samples (one bias per sample)",
        evidence, "give each bias one row, shared by every sample (b0 (1, h), b1 (1, 1)); numpy broadcasts "
        "it over the batch, and its gradient sums the samples' deltas: .sum(axis=0, keepdims=True).")


def _check_input(x, x_raw):
    """``input-divided-by-variance`` / ``input-not-standardized``: the statistics of ``x``."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    if x_raw is not None:
        sigma = x_raw.std(axis=0)
        by_var = (x_raw - x_raw.mean(axis=0)) / np.where(sigma > 0, sigma**2, 1.0)
        col = int(np.argmax(np.abs(sigma - 1)))
        if np.all(sigma > 0) and np.allclose(x, by_var, rtol=1e-6, atol=1e-9) and abs(sigma[col] - 1) > FACTOR_TOL:
            return _finding(
                "input-divided-by-variance", "the input was divided by its variance, not its standard deviation",
                f"x_raw has standard deviation sigma = {sigma[col]:.3g}, and x has {std[col]:.3g} = 1 / sigma "
                f"(a standardized input has 1): (x_raw - mean) / sigma**2 = (x_raw - mean) / {sigma[col]**2:.3g}.",
                "divide by the standard deviation: (x_raw - x_raw.mean()) / x_raw.std() "
                "(np.std, not np.var); helpers.data.standardize does it.")
    far = (np.abs(mean) > MEAN_LIMIT) | (std > STD_RATIO) | (std < 1 / STD_RATIO)
    if not np.any(far):
        return []
    col = int(np.argmax(far))
    return _finding(
        "input-not-standardized", "the input is far from mean 0 and standard deviation 1",
        f"x has mean {mean[col]:.3g} and standard deviation {std[col]:.3g}; sigmoid and tanh units are sloped "
        f"only for inputs of order 1 (limits used: |mean| <= {MEAN_LIMIT:g}, std within a factor {STD_RATIO:g} of 1).",
        "standardize: x = (x_raw - x_raw.mean()) / x_raw.std(), with the training set's mean and std reused "
        "for new data (helpers.data.standardize).")


def _check_relation(x, y):
    """``target-unrelated-to-input``: does the mean of ``y`` change along ``x`` more than chance makes it?

    Sort by ``x``, cut into ``k`` bins and take the share of ``var(y)`` the bin means explain,
    ``eta**2``; ``F = (eta**2 / (k - 1)) / ((1 - eta**2) / (n - k))`` is about 1 when ``y`` ignores ``x``.
    """
    n = len(y)
    k = min(RELATION_BINS, n // 25)
    total = float(np.sum((y - y.mean()) ** 2))
    if k < 4 or total == 0:
        return []
    bins = np.array_split(y[np.argsort(x[:, 0], kind="stable"), 0], k)
    eta2 = sum(len(b) * (b.mean() - y.mean()) ** 2 for b in bins) / total
    F = (eta2 / (k - 1)) / max((1 - eta2) / (n - k), 1e-300)
    if F >= RELATION_F:
        return []
    return _finding(
        "target-unrelated-to-input", "the target does not depend on the input: there is nothing to learn",
        f"sorted by x and cut into {k} bins, the bins' mean targets explain {100 * eta2:.1f}% of var(y) (F = "
        f"{F:.2g}; chance alone gives F near 1, a relation F far above {RELATION_F:g}). The best any network can do "
        f"is predict the mean.", "check that x and y are the same samples in the same order (a shuffle of one "
        "without the other, a mixed-up column, y overwritten by noise).")


def _hidden_layer(model, params):
    """``{x, z0, l1, slope, W1, dl2}`` of a one-hidden-layer network ``l2 = f(x W0 + b0) W1 + b1`` (either
    weight layout), checked against your ``predict``; None when the network is not one."""
    x, y, l2 = model.x, model.y, model.predict(params)
    try:
        b0, b1 = np.reshape(params["b0"], (1, -1)), np.reshape(params["b1"], (1, -1))
        W0, W1 = params["W0"], params["W1"]
        W0 = W0 if np.shape(W0) == (x.shape[1], b0.shape[1]) else W0.T
        W1 = W1 if np.shape(W1) == (b0.shape[1], 1) else W1.T
        z0 = x @ W0 + b0
        l1 = model.act(z0)
        if not np.allclose(l1 @ W1 + b1, l2, rtol=1e-6, atol=1e-9 * (1 + np.max(np.abs(l2)))):
            return None
        slope = (model.act(z0 + 1e-6) - model.act(z0 - 1e-6)) / 2e-6  # a small step: few relu kinks inside
    except Exception:  # not this architecture, or predict refuses the probe: no hidden-layer checks
        return None
    return {"x": x, "z0": z0, "l1": l1, "slope": slope, "W1": W1, "dl2": 2.0 * (l2 - y) / len(y)}


def _check_hidden(model, hidden):
    """``hidden-units-saturated`` / ``relu-units-dead``: are (almost) all hidden units flat on the data?"""
    grid = np.linspace(-3, 3, 61)
    curve, top = model.act(grid), np.max((model.act(grid + 1e-4) - model.act(grid - 1e-4)) / 2e-4)
    flat = np.mean(hidden["slope"] < FLAT_SLOPE * top, axis=0) >= net.SATURATION_SHARE
    h = flat.size
    if top <= 0 or np.count_nonzero(flat) < FLAT_UNITS * h:
        return []
    z0 = hidden["z0"]
    if np.all(curve[grid < 0] == 0):  # a rectifier: flat means zero output, dead
        return _finding(
            "relu-units-dead", f"{np.count_nonzero(flat)} of {h} relu units are dead: z0 <= 0 on (almost) every sample",
            f"they output 0 with slope 0 on at least {100 * net.SATURATION_SHARE:.0f}% of the samples (their largest "
            f"pre-activation z0 = x W0 + b0 is {np.max(z0[:, flat]):.3g}): no gradient reaches their weights.",
            "initialise so that z0 changes sign over the data: b0 near 0 (or slightly positive), W0 ~ N(0, 2) "
            "for a standardized input (He).")
    return _finding(
        "hidden-units-saturated", f"{np.count_nonzero(flat)} of {h} hidden units are saturated",
        f"their activation's slope is below {FLAT_SLOPE:g} of its largest on at least "
        f"{100 * net.SATURATION_SHARE:.0f}% of the samples (median |z0| = {np.median(np.abs(z0)):.3g}): they output "
        "constants and pass almost no gradient back.",
        "start with pre-activations of order 1: W0, b0 ~ N(0, 1) for a standardized input.")


# --- runs of your update ---------------------------------------------------------------------

@dataclass
class _Run:
    """A run of an update: ``losses[k]`` after ``k`` steps, whether it ``diverged`` (at step ``at``, past
    ``bound``), where your ``grad_fn`` ``failed`` (``(step, what)``) and the ``trial`` comparisons."""

    var_y: float
    losses: list = field(default_factory=list)
    diverged: bool = False
    failed: tuple = None
    trial: list = field(default_factory=list)
    bound: float = float("inf")
    at: int = 0

    @property
    def word(self):
        return outcome.classify(self.losses, self.var_y, self.diverged) if self.losses else "diverged"

    @property
    def fell(self):
        """The loss went down by an amount that counts (``outcome.counts_as_change``), or settled low."""
        drop = outcome.counts_as_change(self.losses[0] - self.losses[-1], self.losses[0], self.var_y)
        return self.word in ("converged", "catapult") or (self.word in ("still improving", "stalled") and drop)

    def ratio(self):
        """The last loss over ``var(y)`` (1: what predicting the mean scores; inf when diverged or cut)."""
        bad = self.diverged or self.failed or not self.losses
        return float("inf") if bad else float(self.losses[-1] / max(self.var_y, 1e-300))

    def describe(self):
        start, end = format_number(self.losses[0]), format_number(self.losses[-1])
        if self.diverged:
            return f"diverged at step {self.at} (from {start}; the bound is {format_number(self.bound)})"
        if not self.fell:  # an unstable or stuck run's last digits differ between CPUs: its order is the news
            moved = abs(self.losses[-1] / self.losses[0] - 1) > 0.1
            end = f"about {self.losses[-1]:.0e}" if moved else "about the same"
        verb = "rose" if self.word == "rising" else "fell" if self.fell else "stayed flat"
        return f"{verb} from {start} to {end} (outcome.classify: {self.word})"


def _call(grad_fn, p, model):
    """Your gradient at ``p`` as a dict of float arrays; ``ValueError`` when it is not a dict of ``p``'s keys."""
    g = grad_fn({k: v.copy() for k, v in p.items()}, model.x.copy(), model.y_call.copy())
    if not isinstance(g, dict) or set(g) != set(p):
        raise ValueError(f"grad_fn must return a dict with the keys of params {sorted(p)}, got "
                         f"{sorted(g) if isinstance(g, dict) else type(g).__name__}")
    try:
        return {k: np.array(v, dtype=float) for k, v in g.items()}
    except (TypeError, ValueError) as err:
        raise ValueError(f"grad_fn returned something unusable: {err}") from None


def _malformed(g, p):
    """What is wrong with the gradient ``g`` of ``p``: a shape, or NaN / inf entries ('' when nothing)."""
    bad = [k for k in p if np.shape(g[k]) != np.shape(p[k])]
    if bad:
        return f"returned d{bad[0]} of shape {np.shape(g[bad[0]])} for {bad[0]} {np.shape(p[bad[0]])}"
    bad = [k for k in p if not np.all(np.isfinite(g[k]))]
    return f"returned NaN or infinite entries in {', '.join('d' + k for k in bad)}" if bad else ""


def _run(model, grad, params, lr, epochs, g0=None, compare=0):
    """``p -= lr * grad(p)`` from ``params`` for ``epochs`` steps, silently (the caller's ``np.errstate``).

    Stops at divergence (a non-finite loss, or one above ``outcome.divergence_bound``), or where ``grad``
    raises or is ``_malformed`` (``failed``, unless the loss was already rising: then the run diverged).
    For the first ``compare`` steps it records ``(now, previous, mean residual, G)``: the gradient against
    the true one ``G`` here and at the previous step's parameters.
    """
    run, p, G_prev = _Run(float(np.var(model.y))), dict(params), None
    for t in range(epochs + 1):
        try:
            loss = model.loss(p)
        except Exception:  # your predict or loss failed on the parameters the run reached
            loss = np.inf
        if not np.isfinite(loss):
            run.diverged, run.at = True, t
            return run
        run.losses.append(loss)
        run.bound = run.bound if t else outcome.divergence_bound(loss, model.y)
        if t == epochs:
            return run
        try:
            g = g0 if t == 0 and g0 is not None else grad(p)
            what = _malformed(g, p)
        except Exception as err:
            what = f"raised {type(err).__name__}: {err}"
        if what:
            run.failed = (t, what)
            run.diverged, run.at = t > 0 and run.word == "rising", t
            return run
        if t < compare:
            G = model.gradient(p)
            prev = compare_gradients(g, G_prev) if G_prev is not None else None
            run.trial.append((compare_gradients(g, G), prev, float(np.mean(model.y) - np.mean(model.predict(p))), G))
            G_prev = G
        if loss > run.bound:  # diverged: the numbers from here on are overflow, not information
            run.diverged, run.at = True, t
            return run
        p = {k: v - lr * g[k] for k, v in p.items()}
    return run


def _check_run_failure(run):
    """``gradient-wrong``: your ``grad_fn`` failed along your own update, where the loss was fine."""
    if run.failed is None or run.diverged:
        return []
    t, what = run.failed
    last = ", ".join(map(format_number, run.losses[-3:]))
    return _finding(
        "gradient-wrong", f"your grad_fn fails along your own update: at step {t} it {what.split(':')[0]}",
        f"at step {t} of your update (lr as given) grad_fn {what}, while the loss there was finite and "
        f"{'falling' if t and run.losses[-1] < run.losses[0] else 'not diverging'} ({last} "
        "at the last steps): the doctor cannot train through it, and neither can your loop.",
        "look for state kept between calls (a cache, a counter), an overflow (exp of a large number: use a stable "
        "sigmoid) or a division by zero in the backward pass; every call must compute from the parameters it is given.")


# --- judging your gradient -------------------------------------------------------------------

def _check_gradient_direction(g, trial, hidden, n):
    """The findings about your gradient that do not depend on ``lr``: zero, stale, a classic mistake,
    uphill, or a factor that follows the mean residual or changes sign."""
    first, G = trial[0][0], trial[0][3]
    if not any(np.any(v) for v in g.values()):
        return _finding("gradient-wrong", "your gradient is zero everywhere", "every entry of every gradient "
                        "grad_fn returned is 0, while the true gradient is not: your loop would never move.",
                        "check that grad_fn returns the gradients it computes (not arrays it initialised to zero).")
    stale = [t for t, (now, prev, *_) in enumerate(trial) if prev is not None and prev.right and not now.right]
    if len(stale) >= max(2, (len(trial) - 1) // 2):
        now, prev = trial[stale[0]][:2]
        return _finding(
            "gradient-stale", "your gradient is the true gradient at the previous step's parameters",
            f"along {len(trial)} steps of your update, at steps {', '.join(map(str, stale))} your gradient equals "
            f"the true gradient one step earlier (relative error {prev.raw_errors[prev.worst]:.1g}"
            f") and not the current one ({now.raw_errors[now.worst]:.1g}).",
            "compute the forward pass and the gradient from the current parameters, right before the update.")
    return _check_mistake(g, G, first, hidden, n) if not first.parallel else _check_factor(trial, n)


def _check_factor(trial, n):
    """A gradient ``c`` times the true one: ``c`` that follows the mean residual, changes sign, or is negative."""
    first = trial[0][0]
    c, signs = first.factor, [(t, now.factor) for t, (now, *_) in enumerate(trial) if now.parallel]
    ratios = [f / trial[t][2] for t, f in signs if trial[t][2] != 0]
    follows = len(ratios) >= 2 and all(near(r, ratios[0], 1e-3) for r in ratios)
    follows = follows and not all(near(f, c) for _, f in signs)
    once = trial[0][2] != 0 and not near(abs(c), n) and (near(c, n * trial[0][2], 1e-4) or near(c, trial[0][2], 1e-4))
    if follows or once:
        return _finding(
            "gradient-mean-residual", "your gradient is the true one times the mean residual mean(y - l2)",
            f"your gradient = {format_number(c)} x the true gradient, and mean(y - l2) = {trial[0][2]:.3g}; "
            + ("along your update the factor follows the mean residual, sign changes included (" if follows else "(")
            + ", ".join(f"step {t}: {format_number(f)}" for t, f in signs[:2]) + "): the signature of the question's "
            "np.mean(y - l2) * 2 * (y - l2), which is uphill whenever the mean residual is negative.",
            "use the loss's own delta: dL/dl2 = 2 (l2 - y) / n, no mean of the residual in front.")
    if len({np.sign(f) for _, f in signs}) > 1:
        pos, neg = next(s for s in signs if s[1] > 0), next(s for s in signs if s[1] < 0)
        return _finding(
            "gradient-sign-varies", "your gradient's sign changes from step to step: sometimes it points uphill",
            f"in a trial run of your update, your gradient was {format_number(pos[1])} times the true gradient at "
            f"step {pos[0]} and {format_number(neg[1])} times it at step {neg[0]}.",
            "a gradient must not be multiplied by anything that can change sign; use dL/dl2 = 2 (l2 - y) / n.")
    if c < 0:
        return _finding(
            "gradient-sign-flipped", "your gradient points uphill: subtracting it raises the loss",
            f"your gradient is {format_number(c)} times the true gradient, in every parameter.",
            "flip the sign: the gradient of (l2 - y)**2 is 2 (l2 - y) dl2/dp, and descent subtracts it "
            "(or keep 2 (y - l2) and add it, but not both).")
    return []


def _check_mistake(g, G, first, hidden, n):
    """A gradient that is not ``c G``: which classic mistake it is, or ``gradient-wrong`` with the table."""
    table = ", ".join(f"d{k} {first.raw_errors[k]:.2g} ({first.factors[k]:.3g})" for k in first.raw_errors)
    evidence = (f"relative error (gradcheck.relative_error) of each parameter against the true gradient, and "
                f"your gradient's factor over the true one: {table}")
    mistake, factor = recognise(g, G, hidden, n)
    if mistake is not None:
        scale = "" if near(factor, 1) else f" (times {format_number(factor)}, your loss's convention)"
        return _finding(mistake.code, mistake.what, f"your gradient equals exactly that mistake applied to the true "
                        f"gradient{scale}; {evidence}.", mistake.fix)
    worst = first.worst
    right = [k for k in first.factors if first.errors[k] < PARALLEL_TOL and near(first.factors[k], first.factor)]
    return _finding(
        "gradient-wrong", f"your gradient is not the gradient of the loss (worst: d{worst})",
        f"{evidence}" + (f"; right up to the common factor: {', '.join('d' + k for k in right)}" if right else "")
        + ". It matches none of the classic mistakes the doctor knows.",
        f"re-derive d{worst} by the chain rule and check it with a numerical gradient (helpers.gradcheck).")


# --- your step -----------------------------------------------------------------------------------

def _yours(grad_fn, model, c=1.0):
    """Your gradient as a function of the parameters, divided by ``c``."""
    return lambda p: {k: v / c for k, v in _call(grad_fn, p, model).items()}


def _verified(grad_fn, trial, model):
    """Your gradient divided by its factor ``c``, when it is ``c`` times the true one at the first trial
    steps (same ``c``): then it is an exact, cheap gradient to differentiate again. None otherwise."""
    c = trial[0][0].factor
    if not all(now.parallel and near(now.factor, c, 1e-3) for now, *_ in trial[:2]):
        return None
    return _yours(grad_fn, model, c)


def _lr_above(limit, lr, how):
    return _finding(
        "lr-above-stability-limit", "the learning rate is above gradient descent's stability limit 2 / sharpness",
        f"the sharpness (largest curvature of the loss) is {2 / limit:.3g}, so steps are stable only for lr < "
        f"{limit:.3g}; your lr = {lr:.3g} is {lr / limit:.3g} times that, and {how}.",
        f"use lr below {limit:.3g} (say {0.5 * limit:.2g}); the limit moves as training moves the parameters.")


def _lr_too_small(limit, lr, how):
    return _finding(
        "lr-too-small", "the learning rate is so small that the parameters barely move",
        f"lr = {lr:.3g} is {lr / limit:.1g} of the stability limit {limit:.3g}; {how}.",
        f"raise lr towards the limit (say {0.5 * limit:.2g}).")


def _check_lr_alone(model, params, lr, limit):
    """Your ``lr`` with the true gradient, for when your gradient is wrong: the run of a wrong gradient says
    nothing about the step size, so ``TRUE_STEPS`` steps of gradient descent show what ``lr`` would do."""
    if limit is not None and lr < LR_SMALL * limit:
        return _lr_too_small(limit, lr, f"at that size a step moves the parameters by {lr / limit:.1g} of a stable one")
    if limit is None or lr <= limit:
        return []
    run = _run(model, model.gradient, params, lr, TRUE_STEPS)
    how = f"over {TRUE_STEPS} steps of gradient descent with the true gradient at your lr the loss {run.describe()}"
    return [] if run.fell else _lr_above(limit, lr, how)


def _check_step(first, lr, limit, n, run, notes):
    """Your step ``lr * c``: a gradient scaled by ``c`` with an unstable or frozen step, an ``lr``
    above the stability limit, or one too small to move. A scale with a fine step is only a note."""
    c = first.factor if first.parallel else 1.0
    step, findings = lr * abs(c), []
    how = f"over {LONG_STEPS} steps of your update the loss {run.describe()}"
    if not near(abs(c), 1):
        bad = not run.fell if limit is None else (step > limit or step < LR_SMALL * limit)
        named = name_factor(c, n)
        words = (f"your gradient = {format_number(c)} x the true gradient in every parameter, so with lr = {lr:.3g} "
                 f"your step is {format_number(step)} times the true gradient"
                 + (f", against the stability limit 2 / sharpness = {limit:.3g}" if limit else f"; {how}")
                 + (f". {named[0].upper()}{named[1:]}" if named else "."))
        if not bad:
            notes.append(f"the exact gradient of {format_number(abs(c))} times your loss, with a fine step: {words}")
        elif near(abs(c), n):
            findings += _finding("gradient-summed", "your gradient is the summed loss's, with an lr meant for the mean",
                                 words, f"divide the gradient by n = {n} (the mean's gradient), or lr by n.")
        else:
            findings += _finding("gradient-scaled", f"your gradient is {format_number(abs(c))} times the true "
                                 "gradient's size", words, "compute dL/dl2 = 2 (l2 - y) / n, the mean's gradient, "
                                 "and take the step size from lr alone.")
    if limit is not None and lr > limit and step > limit and not run.fell:  # above, and it shows
        findings += _lr_above(limit, lr, how)
    elif limit is not None and near(abs(c), 1) and step < LR_SMALL * limit:
        findings += _lr_too_small(limit, lr, how)
    return findings


def _check_target_scale(model, grad_fn, params, lr, c, limit):
    """``target-not-standardized``, tested: ``VERIFY_EPOCHS`` steps of your update on your ``y`` at your ``lr``
    end above ``outcome.GOOD_FRACTION * var(y)``, while on the standardized ``y``, at half its stability limit,
    the same steps end below ``outcome.STALL_FRACTION`` and below half of yours."""
    mean, std = float(np.mean(model.y)), float(np.std(model.y))
    if limit is None or not (std > TARGET_STD or std < 1 / TARGET_STD or abs(mean) > TARGET_STD):
        return []

    def fit(m, rate):
        return _run(m, _yours(grad_fn, m), params, rate, VERIFY_EPOCHS).ratio()
    yours = fit(model, lr)
    if yours <= outcome.GOOD_FRACTION:
        return []
    scaled = model.with_target(data.standardize(model.y_call))
    limit_s = _limit(scaled, params, [], _yours(grad_fn, scaled, c))
    lr_s = None if limit_s is None else 0.5 * limit_s / abs(c)
    fixed = float("inf") if lr_s is None else fit(scaled, lr_s)
    if not (fixed < outcome.STALL_FRACTION and fixed < 0.5 * yours):
        return []
    raw = 0.5 * limit / abs(c)
    return _finding(
        "target-not-standardized", f"the target is far from order 1 (mean {format_number(mean)}, "
        f"std {format_number(std)}), and its scale makes your setup fail",
        f"{VERIFY_EPOCHS} steps of your update with your lr = {lr:.3g} "  # far above the limit, chaotic: no digits
        + ("diverge" if yours == np.inf else f"end above MSE / var(y) = {outcome.GOOD_FRACTION:g}") + " (2 / sharpness "
        f"is {limit:.3g} on your target; at half that, lr = {raw:.3g}, they end at {fit(model, raw):.2g}); on the "
        f"standardized target 2 / sharpness is {limit_s:.3g}, and the same steps with lr = {lr_s:.3g} reach "
        f"{fixed:.2g}.",
        f"standardize the target like the input, y_s = (y - y.mean()) / y.std(), train with lr = {lr_s:.2g}, and "
        "undo it on the predictions (l2 * y.std() + y.mean()).")


def _check_training(model, grad_fn, params, g, lr, steps, hidden, notes):
    """The trial run of your update, and what it says about your gradient and your step."""
    n = len(model.x)
    run = _run(model, _yours(grad_fn, model), params, lr, LONG_STEPS, g, steps)
    if not run.trial:
        notes.append("gradient direction, learning rate and trial run not checked: your loss is not finite here")
        return []
    gradient = _check_gradient_direction(g, run.trial, hidden, n) + _check_run_failure(run)
    verified = _verified(grad_fn, run.trial, model)
    limit = _limit(model, params, notes, verified)
    if gradient:  # your lr is judged alone: the run of a wrong gradient says nothing about it
        return gradient + _check_lr_alone(model, params, lr, limit)
    first = run.trial[0][0]
    step = _check_step(first, lr, limit, n, run, notes)
    target = []
    if verified and all(f.code.startswith("lr-") for f in step):
        target = _check_target_scale(model, grad_fn, params, lr, first.factor, limit)
    findings = target or step
    if not findings and not run.fell and run.word != "converged":
        findings += _finding("loss-not-decreasing", "the loss does not go down, and the other checks found no cause",
                             f"over {LONG_STEPS} steps of your own update the loss {run.describe()}.",
                             "check the update line itself (p -= lr * g for every parameter) and the data.")
    return findings


# --- the entry points --------------------------------------------------------------------------

def _validated(params, x, y, x_raw, predict, loss):
    """Float copies of the network and data, or ``validate``'s ``ValueError``."""
    if not isinstance(params, dict) or any(k not in params for k in net.PARAM_NAMES):
        got = f"a dict with keys {sorted(map(str, params))}" if isinstance(params, dict) else describe(params)
        raise ValueError(f"params must be a dict with the keys {list(net.PARAM_NAMES)} (your network), got {got}")
    params = {k: real_array(f"params[{k!r}]", v).copy() for k, v in params.items()}  # predict, loss get these
    x, y = real_array("x", x, ndim=2).copy(), real_array("y", y, ndim=(1, 2)).copy()
    same_rows(x=x, y=y)
    if len(x) < 2:
        raise ValueError(f"x must have at least 2 samples, got {len(x)}")
    for name, f in (("predict", predict), ("loss", loss)):
        if f is not None:
            check_callable(name, f)
    if x_raw is not None:
        x_raw = real_array("x_raw", x_raw).copy()
        if x_raw.shape != x.shape:
            raise ValueError(f"x_raw must be the raw input, shaped like x {x.shape}; got {x_raw.shape}")
    return params, x, y, x_raw


def _output_shape(predict, params, x, y):
    """The shape of your network's output on ``x``, or a ``ValueError`` saying why it cannot be evaluated."""
    if predict is None:
        net.check_inputs(params, x, y.reshape(len(y), -1), per_sample=True)  # biases per unit, per sample or 1-D
        predict = _l2
    try:
        out = np.asarray(predict(params, x))
    except Exception as err:  # any failure of *their* code means the doctor cannot evaluate it
        raise ValueError(f"cannot evaluate your network on x: predict raised {type(err).__name__}: {err}") from None
    if out.shape not in ((len(y),), (len(y), 1)) or out.dtype.kind not in "iuf" or not np.all(np.isfinite(out)):
        raise ValueError(f"your network's output must be finite, shaped (n, 1) or (n,) with n = {len(y)}; "
                         f"got {out.shape} {out.dtype}")
    return out.shape


def _check_first_gradient(grad_fn, params, model):
    """Your gradient at the start, and the findings that stop the rest: it raised, it is not finite, or a
    gradient is not shaped like its parameter. ``ValueError`` when it is no dict of the parameters' keys."""
    try:
        g = _call(grad_fn, params, model)
    except ValueError:  # not a dict of arrays shaped by the parameters' keys: an unusable grad_fn
        raise
    except Exception as err:  # anything else their code raises is a finding
        return None, _finding("gradient-wrong", f"your grad_fn raised {type(err).__name__} at your starting parameters",
                              f"grad_fn(params, x, y) raised {type(err).__name__}: {err}.",
                              "run grad_fn on its own and fix the error; it must return a dict of arrays shaped "
                              "like params.")
    n = len(model.x)
    broken = [k for k in params if np.shape(g[k]) == np.shape(params[k]) and not np.all(np.isfinite(g[k]))]
    if broken:
        return g, _finding("gradient-wrong", f"your gradient d{broken[0]} contains NaN or infinite values",
                           f"at your starting parameters, grad_fn returned non-finite entries in "
                           f"{', '.join('d' + k for k in broken)}.", "look for an overflow (exp of a large number: use "
                           "a stable sigmoid) or a division by zero in the backward pass.")
    for k in params:
        if np.shape(g[k]) != np.shape(params[k]):
            words = describe_shape("d" + k, np.shape(g[k]), np.shape(params[k]), n)
            return g, _finding("gradient-transposed" if "transposed" in words else "gradient-wrong",
                               f"your gradient d{k} does not have {k}'s shape", words + f"; an update {k} - lr * d{k} "
                               f"would broadcast {k} into another shape, or fail.",
                               f"return d{k} with exactly {k}'s shape.")
    return g, []


class _Overflow:
    """``np.errstate``'s ``call``: remembers in which of the doctor's stages numpy overflowed or met 0/0,
    so that a report says so in a note instead of a screen of warnings (runs report divergence instead)."""

    def __init__(self):
        self.stage, self.seen = None, {}

    def __call__(self, kind, _flag):
        if self.stage:
            self.seen.setdefault(self.stage, set()).add(kind)

    def notes(self):
        return [f"numpy reported {' and '.join(sorted(kinds))} while computing {stage}; computed silently (a figure "
                "shown as inf or nan above overflowed float64)" for stage, kinds in self.seen.items()]


def stability_limit(params, x, y, predict=None, loss=None):
    """``2 / lambda_max``: the largest stable learning rate for your loss at ``params`` (default: the MSE),
    measured as the module's docstring says; None when it cannot be measured. Without ``predict`` the
    parameters must have the question's network's shapes (``net.check_network``; per-sample and 1-D biases
    allowed): there is no other forward pass to measure.
    """
    params, x, y, _ = _validated(params, x, y, None, predict, loss)
    if predict is None:
        net.check_network(params, x, per_sample=True)
    with np.errstate(all="ignore"):
        return _limit(_Model(params, x, y.reshape(len(y), -1), predict, loss), params, [])


def diagnose(params, x, y, grad_fn, lr, x_raw=None, predict=None, loss=None, steps=TRIAL_STEPS):
    """Examine a hand-written network and its training step; return a ``Report``.

    - ``params``: dict of arrays (``W0, b0, W1, b1``; biases ``(1, h)`` or 1-D ``(h,)``);
    - ``x`` ``(n, 1)`` as fed to the network; ``y`` the target, ``(n, 1)`` (or ``(n,)``, see
      ``target-shape-1d``); ``x_raw``: the input before your normalization (optional);
    - ``grad_fn(params, x, y) -> dict``: what your loop subtracts, ``params[k] -= lr * grads[k]``
      (for code that adds, like the question's, return minus its deltas);
    - ``lr``: a positive finite number;
    - ``predict(params, x) -> l2``: your forward pass, when it is not the question's (sigmoid hidden
      layer, linear output); ``loss(params, x, y) -> float``: the loss you train, when it is not the
      mean squared error. With either, the true gradient is numerical;
    - ``steps``: how many steps of your update are compared with the true gradient, 1 to ``MAX_STEPS``.

    Your arrays are copied, never modified.
    """
    params, x, y, x_raw = _validated(params, x, y, x_raw, predict, loss)
    check_callable("grad_fn", grad_fn)
    lr, watch = check_number("lr", lr, 0, low_open=True), _Overflow()
    check_int("steps", steps, 1, MAX_STEPS)
    with np.errstate(over="call", invalid="call", divide="call", under="ignore", call=watch):
        findings, notes = _diagnose(params, x, y, grad_fn, lr, x_raw, predict, loss, steps, watch)
    return Report(findings, notes + watch.notes(), len(x), lr)


def _diagnose(params, x, y, grad_fn, lr, x_raw, predict, loss, steps, watch):
    n, notes = len(x), []
    watch.stage = "your network's output"
    out_shape = _output_shape(predict, params, x, y)
    findings = _check_target_shape(y, out_shape)
    y_call = y.reshape(n, -1) if findings or len(out_shape) == 2 else y  # as your network's output is shaped
    model = _Model(params, x, y_call, predict, loss)
    watch.stage = "the statistics of x and y"
    findings += _check_batch_independence(model.forward, params, x, n)
    findings += _check_input(x, x_raw) + _check_relation(x, model.y)
    watch.stage = "the hidden layer"
    hidden = _hidden_layer(model, params)
    if hidden is not None and not any(f.code == "input-not-standardized" for f in findings):
        findings += _check_hidden(model, hidden)
    watch.stage = "your gradient"
    g, form = _check_first_gradient(grad_fn, params, model)
    if form:
        notes.append("gradient direction, learning rate and trial run not checked until grad_fn runs, its gradient "
                     "is finite and every gradient has its parameter's shape")
        return findings + form, notes
    watch.stage = None  # a run that overflows diverged: the findings say so
    return findings + _check_training(model, grad_fn, params, g, lr, steps, hidden, notes), notes
