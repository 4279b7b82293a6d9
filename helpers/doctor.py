r"""A doctor for your own numpy network: run it, read the findings, fix them one by one.

``diagnose(params, x, y, grad_fn, lr)`` takes what a hand-written training loop already has:
the parameter dict (``W0, b0, W1, b1``), the input as fed to the network, the target, a
function ``grad_fn(params, x, y) -> dict`` returning what the loop *subtracts*
(``params[k] -= lr * grads[k]``; for code that adds, like the question's, the adapter
negates), and the learning rate. Optional: ``x_raw`` (the input before your scaling),
``predict(params, x) -> l2`` (your forward pass, for another activation or layout) and
``loss(params, x, y) -> float`` (the loss you train, when it is not the mean squared error:
a sum, weight decay...). It returns a ``Report``: findings, each with a stable ``code``,
its evidence (numbers measured on *your* network) and a one-line fix.

Your gradient ``g`` is judged against the true gradient ``G`` of *your* loss: exact
(``mse_gradient``) for the question's network and loss, otherwise a numerical gradient
(``gradcheck.numerical_gradient``). The checks:

- the data: ``target-shape-1d`` (``y`` of shape ``(n,)`` against an output ``(n, 1)``: ``l2 - y``
  broadcasts to ``(n, n)``), ``bias-depends-on-batch`` (the network evaluated on 1 and 7 samples),
  ``input-divided-by-variance`` / ``input-not-standardized``, ``target-unrelated-to-input``
  (the mean of ``y`` in bins of ``x`` explains no more than chance);
- the hidden layer, read through your own ``predict``: ``hidden-units-saturated``, ``relu-units-dead``;
- the gradient (``gradient_mistakes``): ``g = c G`` with ``c = 1`` is right; a negative ``c``
  is ``gradient-sign-flipped``; ``c`` proportional to ``mean(y - l2)`` is ``gradient-mean-residual``;
  a ``c`` whose sign changes along the trial run is ``gradient-sign-varies``; another constant ``c``
  is the exact gradient of ``c`` times your loss, a problem (``gradient-summed`` for ``c = n``,
  else ``gradient-scaled``) only when the step ``lr * c`` is unstable or too small to move.
  Not parallel: the classic mistake it equals (``gradient-missing-activation-slope``, ...), a
  ``gradient-stale`` one (the true gradient at the previous step's parameters), or ``gradient-wrong``;
- the step: ``lr-above-stability-limit`` (``lr > 2 / lambda_max``, the sharpness of your loss, and
  ``LONG_STEPS`` steps of your update do not lower the loss: above the limit gradient descent can
  still descend, at the edge of stability), ``lr-too-small`` (below ``LR_SMALL`` times the limit),
  ``target-not-standardized`` (``y`` far from order 1, ``lr`` above the raw target's limit and below
  the standardized target's, where a test run of your update learns: the advice is tested first);
- ``loss-not-decreasing``: your update, run for ``LONG_STEPS`` steps, does not lower the loss
  and no other finding explains it.

The doctor never raises on a network it can evaluate (overflow in a trial run is evidence,
computed silently under ``np.errstate``); it raises ``ValueError`` for input it cannot use.
"""
from dataclasses import dataclass, field

import numpy as np

from . import data, gradcheck, net, stability
from .arguments import is_number
from .gradient_mistakes import (FACTOR_TOL, PARALLEL_TOL, GradientComparison, compare_gradients,  # noqa: F401
                                describe_shape, format_number, name_factor, near, recognise, stale_steps)

__all__ = ["CODES", "Finding", "Report", "diagnose", "stability_limit", "mse_gradient", "compare_gradients",
           "GradientComparison", "name_factor", "format_number", "describe_shape"]

CODES = (
    "bias-depends-on-batch", "input-divided-by-variance", "input-not-standardized",
    "gradient-sign-flipped", "gradient-sign-varies", "gradient-scaled", "gradient-wrong",
    "lr-above-stability-limit", "loss-not-decreasing",
    # added for issue 14
    "target-shape-1d", "target-unrelated-to-input", "target-not-standardized",
    "hidden-units-saturated", "relu-units-dead",
    "gradient-summed", "gradient-mean-residual", "gradient-missing-activation-slope", "gradient-missing-input",
    "gradient-dW1-from-preactivation", "gradient-param-sign-flipped", "gradient-bias-averaged",
    "gradient-transposed", "gradient-stale", "lr-too-small",
)
#: Steps of your update compared with the true gradient, and steps (your gradient only: cheap) that
#: show whether the loss goes down; the test runs of the advice "standardize y".
TRIAL_STEPS, LONG_STEPS, VERIFY_EPOCHS = 4, 100, 300
#: "Far" from standardized: an input's |mean| and std ratio, a target's std.
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
#: Numerical gradients measure at most ``MAX_NUMERICAL`` entries (the smallest parameters first; the
#: others are left out); no numerical Hessian above ``MAX_HESSIAN`` parameters. A run has diverged
#: ``DIVERGENCE_FACTOR`` times above its first loss (``train``'s rule, local until issue 11's classifier).
MAX_NUMERICAL, MAX_HESSIAN, DIVERGENCE_FACTOR = 400, 80, 1e6


@dataclass(frozen=True)
class Finding:
    """One problem: a stable ``code`` (see ``CODES``), a one-line ``summary``, the measured
    ``evidence`` and the ``fix``."""

    code: str
    summary: str
    evidence: str
    fix: str

    def __str__(self):
        return f"{self.code}: {self.summary}\n   evidence: {self.evidence}\n   fix: {self.fix}"


@dataclass
class Report:
    """What ``diagnose`` found. ``findings`` is a list of ``Finding``; ``notes`` lists what
    could not be checked, or what is unusual but right. Printing it gives the readable list."""

    findings: list
    notes: list = field(default_factory=list)
    n_samples: int = 0
    lr: float = 0.0

    @property
    def codes(self):
        """The findings' codes, in the order they were found."""
        return [f.code for f in self.findings]

    @property
    def ok(self):
        """True when nothing was found."""
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

def _standard(params):
    """``params`` with 1-D biases ``(h,)`` / ``(1,)`` as the rows ``(1, h)`` / ``(1, 1)`` they broadcast as."""
    return {k: np.reshape(v, (1, -1)) if k.startswith("b") and np.ndim(v) == 1 else v for k, v in params.items()}


def mse_gradient(params, x, y):
    """The exact gradient of ``net.mse`` for the question's network, shaped like ``params``.

    The one place the doctor's true gradient comes from (to become ``net.backward`` once that
    takes per-sample biases). ``net.backward`` sums the per-sample deltas into a bias shared by
    every sample; a bias with one row *per sample* (the question's ``b0 (n, h)``, ``b1 (n, 1)``)
    gets only its own sample's delta, ``dz0`` and ``dl2`` themselves. A 1-D bias ``(h,)`` is
    the row ``(1, h)`` numpy broadcasts it as.
    """
    std = _standard(params)
    l2, cache = net.forward(std, x)
    grads = net.backward(std, cache, y)
    n = len(y)
    if n > 1 and (np.shape(std["b0"])[0] == n or np.shape(std["b1"])[0] == n):
        dl2 = 2.0 * (l2 - y) / n
        l1 = cache["l1"]
        per_sample = {"b1": dl2, "b0": (dl2 @ std["W1"].T) * l1 * (1.0 - l1)}
        for name, delta in per_sample.items():
            if np.shape(std[name])[0] == n:
                grads[name] = delta
    return {k: np.reshape(grads[k], np.shape(params[k])) for k in grads}


@dataclass
class _Model:
    """Your network on your data: ``predict(p) -> l2 (n, 1)``, ``loss(p)``, the true gradient
    ``gradient(p)``, ``sharpness(p, verified)`` (from a cheap gradient ``verified`` that matches the true one; None without it), the hidden activation ``act`` and your ``predict`` (``given``)."""

    predict: object
    loss: object
    gradient: object
    sharpness: object
    act: object
    given: object = None


def _build_model(params, x, y, y_call, predict, loss):
    """The exact model for the question's network and the MSE; a numerical one otherwise."""
    if predict is None and loss is None:
        return _Model(lambda p: net.forward(_standard(p), x)[0], lambda p: net.mse(net.forward(_standard(p), x)[0], y),
                      lambda p: mse_gradient(p, x, y),
                      lambda p, _: stability.sharpness(_standard(p), x, y, iters=300, tol=1e-3), net.sigmoid)
    forward = (lambda p, x: net.forward(_standard(p), x)[0]) if predict is None else predict

    def pred(p):
        return np.reshape(forward(p, x), (len(x), -1))

    def change_from(p):
        """``q -> L(q) - L(p)``; for the MSE as ``mean(d (d + 2 r0))``, ``d = l2(q) - l2(p)``, ``r0 = l2(p) - y``
        (as ``gradcheck.gradient_check``): no difference of two nearly equal losses, so ~1e-9 accurate."""
        if loss is not None:
            return lambda q: float(loss(q, x, y_call))
        l2 = pred(p)
        r0 = l2 - y

        def change(q):
            d = pred(q) - l2
            return float(np.mean(d * (d + 2 * r0)))
        return change

    return _Model(pred, lambda p: net.mse(pred(p), y) if loss is None else float(loss(p, x, y_call)),
                  lambda p: _numerical(change_from(p), p),
                  lambda p, verified: None if verified is None else _gradient_sharpness(verified, p),
                  net.sigmoid if predict is None else _probe_activation(forward, params), predict)


def _numerical(loss_fn, params):
    """``gradcheck.numerical_gradient`` of ``loss_fn(params)`` on the smallest parameters up to
    ``MAX_NUMERICAL`` entries; the others (a per-sample bias, say) are NaN: not measured."""
    chosen, budget = {}, MAX_NUMERICAL
    for k in sorted(params, key=lambda k: np.size(params[k])):
        if np.size(params[k]) <= budget:
            chosen[k], budget = params[k], budget - np.size(params[k])
    grads = gradcheck.numerical_gradient(lambda sub: loss_fn(dict(params, **sub)), chosen)
    return {k: grads[k] if k in grads else np.full(np.shape(v), np.nan) for k, v in params.items()}


def _gradient_sharpness(gradient, params, eps=1e-5):
    """``lambda_max`` of the Hessian of a loss whose (verified, cheap) gradient is ``gradient``:
    column ``i`` is ``(gradient(p + eps e_i) - gradient(p)) / eps``. None above ``MAX_HESSIAN`` parameters."""
    names, sizes = list(params), [np.size(params[k]) for k in params]
    dim = int(sum(sizes))
    if dim > MAX_HESSIAN:
        return None
    theta = np.concatenate([np.ravel(params[k]) for k in names])

    def flat_gradient(vec):
        g = gradient({k: part.reshape(np.shape(params[k])) for k, part in zip(names, np.split(vec, np.cumsum(sizes)[:-1]))})
        return np.concatenate([np.ravel(g[k]) for k in names])

    g0 = flat_gradient(theta)
    H = np.column_stack([(flat_gradient(theta + eps * e) - g0) / eps for e in np.eye(dim)])
    return float(np.linalg.eigvalsh(0.5 * (H + H.T))[-1])


def _probe_activation(predict, params):
    """Your hidden activation ``f``, read from your own ``predict``: a network with one input, one
    hidden unit of weight 1 and bias 0, and an output weight 1, returns ``f(x)`` for every row ``x``."""
    unit = {k: np.zeros((1,) * max(np.ndim(v), 1)) + (1.0 if k.startswith("W") else 0.0) for k, v in params.items()}

    def act(z):
        return np.reshape(predict(unit, np.reshape(z, (-1, 1))), np.shape(z))

    return act


# --- the checks ------------------------------------------------------------------------------

def _finding(code, summary, evidence, fix):
    return [Finding(code, summary, evidence, fix)]


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
    for m in (1, 7):
        if m >= n:
            continue
        try:
            with np.errstate(all="ignore"):
                out = np.shape(model_predict(params, x[:m]))
        except Exception as err:  # numpy's broadcast error, or anything else *their* code raises
            failures.append(f"on {m} sample{'s' if m > 1 else ''} it raises {type(err).__name__}")
            continue
        if len(out) < 1 or out[0] != m:
            failures.append(f"on {m} sample{'s' if m > 1 else ''} it returns {out[0] if out else 'no'} rows")
    if not failures:
        return []
    tied = {k: tuple(np.shape(v)) for k, v in params.items() if n in np.shape(v)}
    evidence = f"your network runs on all {n} samples, but {' and '.join(failures)}."
    try:
        net.check_params(_standard(params), n_samples=n)
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


def _hidden_layer(model, params, x, y, l2):
    """``{x, z0, slope, W1, dl2}`` of a one-hidden-layer network ``l2 = f(x W0 + b0) W1 + b1`` (either
    weight layout), checked against your ``predict``; None when the network is not one."""
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


def _trial_run(model, grad_fn, params, g0, x, y_call, lr, steps):
    """Run *your* update ``p -= lr * g`` from your params, silently, for ``LONG_STEPS`` steps.

    Returns the loss at the first ``steps`` steps and every tenth, and for the first ``steps`` steps
    ``(now, previous, mean residual, G)``: your gradient compared with the true one ``G`` here and at the
    previous step's parameters. Stops at divergence (its last loss inf when it overflowed).
    """
    p, losses, trial, G_prev = dict(params), [], [], None
    with np.errstate(all="ignore"):  # a diverging run overflows; the report says so instead
        for t in range(LONG_STEPS + 1):
            measured = t < steps or t % 10 == 0
            try:
                g = g0 if t == 0 else _as_gradient(grad_fn({k: v.copy() for k, v in p.items()}, x.copy(),
                                                           y_call.copy()), p)
                loss = model.loss(p) if measured else 0.0
            except Exception:  # their code failed on diverged parameters: the run ends there
                break
            if any(np.shape(g[k]) != np.shape(p[k]) for k in p) or not np.isfinite(loss + sum(map(np.sum, g.values()))):
                losses.append(np.inf if losses else loss)  # overflow: diverged
                break
            losses += [loss] if measured else []
            if t < steps:
                G = model.gradient(p)
                prev = compare_gradients(g, G_prev) if G_prev is not None else None
                trial.append((compare_gradients(g, G), prev, float(np.mean(y_call) - np.mean(model.predict(p))), G))
                G_prev = G
            if loss > DIVERGENCE_FACTOR * max(losses[0], 1e-12):
                break  # diverged: the numbers from here on are overflow and underflow, not information
            p = {k: v - lr * g[k] for k, v in p.items()}
    return losses, trial


def _classify_run(losses):
    """What your update did to the loss: ``'diverged'``, ``'rose'``, ``'stayed flat'`` or ``'fell'``.

    One small function, to be replaced by the core's run classifier (issue 11)."""
    if not np.isfinite(losses[-1]) or losses[-1] > DIVERGENCE_FACTOR * max(losses[0], 1e-12):
        return "diverged"
    if losses[-1] > losses[0]:
        return "rose"
    return "stayed flat" if losses[0] - losses[-1] <= 1e-4 * losses[0] else "fell"


def _train_with(model, grad_fn, params, x, y_call, lr, epochs=VERIFY_EPOCHS):
    """Your update run for ``epochs`` steps; returns the final loss over ``var(y)`` (inf if it diverged)."""
    p = dict(params)
    with np.errstate(all="ignore"):
        try:
            for _ in range(epochs):
                g = grad_fn({k: v.copy() for k, v in p.items()}, x.copy(), y_call.copy())
                p = {k: v - lr * np.asarray(g[k], dtype=float) for k, v in p.items()}
            ratio = float(np.mean((model.predict(p) - np.reshape(y_call, (len(x), -1))) ** 2) / np.var(y_call))
        except Exception:  # their code failed on diverged parameters
            return float("inf")
    return ratio if np.isfinite(ratio) else float("inf")


# --- judging your gradient and your step -------------------------------------------------------

def _check_gradient_direction(g, trial, hidden, n):
    """The findings about your gradient that do not depend on ``lr``: zero, stale, a classic mistake,
    uphill, or a factor that follows the mean residual or changes sign."""
    first, G = trial[0][0], trial[0][3]
    if not any(np.any(v) for v in g.values()):
        return _finding("gradient-wrong", "your gradient is zero everywhere", "every entry of every gradient "
                        "grad_fn returned is 0, while the true gradient is not: your loop would never move.",
                        "check that grad_fn returns the gradients it computes (not arrays it initialised to zero).")
    stale = stale_steps(trial)
    if len(stale) >= max(2, (len(trial) - 1) // 2):
        return _finding(
            "gradient-stale", "your gradient is the true gradient at the previous step's parameters",
            f"along {len(trial)} steps of your update, at steps {', '.join(map(str, stale))} your gradient equals "
            f"the true gradient one step earlier (relative error {trial[stale[0]][1].raw_errors[trial[stale[0]][1].worst]:.1g}"
            f") and not the current one ({trial[stale[0]][0].raw_errors[trial[stale[0]][0].worst]:.1g}).",
            "compute the forward pass and the gradient from the current parameters, right before the update.")
    return _check_mistake(g, G, first, hidden, n) if not first.parallel else _check_factor(trial, n)


def _check_factor(trial, n):
    """A gradient ``c`` times the true one: ``c`` that follows the mean residual, changes sign, or is negative."""
    first = trial[0][0]
    c, signs = first.factor, [(t, now.factor) for t, (now, *_) in enumerate(trial) if now.parallel]
    ratios = [f / trial[t][2] for t, f in signs if trial[t][2] != 0]
    follows = len(ratios) >= 2 and all(near(r, ratios[0], 1e-3) for r in ratios) and not all(near(f, c) for _, f in signs)
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


def _sharpness_limit(model, params, notes, verified=None):
    """``2 / lambda_max`` of your loss at ``params``, or None (with a note saying why)."""
    try:
        with np.errstate(all="ignore"):
            lam = model.sharpness(params, verified)
    except stability.PowerIterationError as err:
        lam = err.estimate
    if lam is None:
        notes.append("learning rate not checked: the Hessian of a loss given by predict or loss is measured through "
                     f"your gradient, once it matches the true one, and for at most {MAX_HESSIAN} parameters")
        return None
    if not np.isfinite(lam) or lam <= 0:
        notes.append("learning rate not checked: the loss has no upward curvature here")
        return None
    return 2.0 / float(lam)


def _verified(grad_fn, trial, x, y_call):
    """Your gradient divided by its factor ``c``, when it is ``c`` times the true one at the first trial
    steps (same ``c``): then it is an exact, cheap gradient to differentiate again. None otherwise."""
    c = trial[0][0].factor
    if not all(now.parallel and near(now.factor, c, 1e-3) for now, *_ in trial[:2]):  # later: maybe diverged
        return None
    return lambda p: {k: np.asarray(v, dtype=float) / c for k, v in grad_fn(p, x.copy(), y_call.copy()).items()}


def _check_step(first, lr, limit, n, run, notes):
    """Your step ``lr * c``: a gradient scaled by ``c`` with an unstable or frozen step, an ``lr``
    above the stability limit, or one too small to move. A scale with a fine step is only a note."""
    c = first.factor if first.parallel else 1.0
    step = lr * abs(c)
    findings = []
    if not near(abs(c), 1):
        bad = run == "diverged" if limit is None else (step > limit or step < LR_SMALL * limit)
        named = name_factor(c, n)
        words = (f"your gradient = {format_number(c)} x the true gradient in every parameter, so with lr = {lr:.3g} "
                 f"your step is {format_number(step)} times the true gradient"
                 + (f", against the stability limit 2 / sharpness = {limit:.3g}" if limit else f"; the run {run}")
                 + (f". {named[0].upper()}{named[1:]}" if named else "."))
        if not bad:
            notes.append(f"the exact gradient of {format_number(abs(c))} times your loss, with a fine step: {words}")
        elif near(abs(c), n):
            findings += _finding("gradient-summed", "your gradient is the summed loss's, with an lr meant for the mean",
                                 words, f"divide the gradient by n = {n} (the mean's gradient), or lr by n.")
        else:
            findings += _finding("gradient-scaled", f"your gradient is {format_number(abs(c))} times the true "
                                 "gradient's size", words,
                                 "compute dL/dl2 = 2 (l2 - y) / n, the mean's gradient, and take the step size from lr alone.")
    if limit is not None and lr > limit and step > limit and run != "fell":  # above, and it shows
        findings += _finding(
            "lr-above-stability-limit", "the learning rate is above gradient descent's stability limit 2 / sharpness",
            f"the sharpness (largest curvature of the loss) is {2 / limit:.3g}, so steps are stable only for lr < "
            f"{limit:.3g}; your lr = {lr:.3g} is {lr / limit:.3g} times that"
            + (f", and over {LONG_STEPS} steps your update's loss {run}." if run else "."),
            f"use lr below {limit:.3g} (say {0.5 * limit:.2g}); the limit moves as training moves the parameters.")
    elif limit is not None and near(abs(c), 1) and step < LR_SMALL * limit:
        findings += _finding(
            "lr-too-small", "the learning rate is so small that the parameters barely move",
            f"lr = {lr:.3g} is {lr / limit:.1g} of the stability limit {limit:.3g}; over {LONG_STEPS} steps of "
            f"your update the loss {run}.", f"raise lr towards the limit (say {0.5 * limit:.2g}).")
    return findings


def _check_target_scale(model, grad_fn, params, x, y_call, lr, limit, loss, trial):
    """``target-not-standardized``, when the test agrees: your ``lr`` is above the raw target's stability
    limit and below the standardized target's, where your update learns more than the mean."""
    if np.std(y_call) <= TARGET_STD or limit is None or lr <= limit:
        return []
    y_s = data.standardize(y_call)
    scaled_model = _build_model(params, x, y_s.reshape(len(x), -1), y_s, model.given, loss)
    limit_s = _sharpness_limit(scaled_model, params, [], _verified(grad_fn, trial, x, y_s))
    fit = _train_with(scaled_model, grad_fn, params, x, y_s, lr)
    if limit_s is None or lr >= limit_s or not fit < 0.9:  # stable, and it learns more than the mean
        return []
    return _finding(
        "target-not-standardized", f"the target is far from order 1 (std {format_number(float(np.std(y_call)))}), "
        "and its scale sets the learning rate", f"2 / sharpness is {limit:.3g} on your target and {limit_s:.3g} on the "
        f"standardized one: your lr = {lr:.3g} is above the first and below the second, where {VERIFY_EPOCHS} "
        f"steps of your update reach MSE / var(y) = {fit:.2g}. A smaller lr would tie the step "
        "to y's units.", "standardize the target like the input, y_s = (y - y.mean()) / y.std(), and undo it on "
        "the predictions (l2 * y.std() + y.mean()).")


# --- the entry points --------------------------------------------------------------------------

def _validated(params, x, y, grad_fn, lr, x_raw):
    """Clean copies of the inputs, or a ``ValueError`` naming what is unusable. ``y`` may be ``(n,)``."""
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params must be a non-empty dict of numpy arrays (e.g. W0, b0, W1, b1), got {type(params).__name__}")
    try:
        params = {k: np.array(v, dtype=float) for k, v in params.items()}
    except (TypeError, ValueError) as err:
        raise ValueError(f"every parameter must be a numeric array: {err}") from None
    bad = [k for k, v in params.items() if not np.all(np.isfinite(v))]
    if bad:
        raise ValueError(f"parameters {bad} contain NaN or infinite values; the doctor needs a finite starting point")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 2 or y.ndim not in (1, 2) or len(x) != len(y) or len(x) < 2:
        raise ValueError(f"x must be 2-D (n, features) and y (n, 1) or (n,), with the same n >= 2; "
                         f"got x {x.shape} and y {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite; found NaN or infinite values")
    if not callable(grad_fn):
        raise ValueError("grad_fn must be a function grad_fn(params, x, y) -> dict of gradients (what your loop subtracts)")
    if not is_number(lr) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    if x_raw is not None:
        x_raw = np.asarray(x_raw, dtype=float)
        if x_raw.shape != x.shape or not np.all(np.isfinite(x_raw)):
            raise ValueError(f"x_raw must be the finite raw input, shaped like x {x.shape}; got {x_raw.shape}")
    return params, x, y, float(lr), x_raw


def _output_shape(predict, params, x, y):
    """The shape of your network's output on ``x``, or a ``ValueError`` saying why it cannot be evaluated."""
    if predict is None:
        stability.check_inputs(_standard(params), x, y.reshape(len(y), -1))  # W0 (1, h), W1 (h, 1), biases per unit or sample
        predict = lambda p, x: net.forward(_standard(p), x)[0]  # noqa: E731
    try:
        with np.errstate(all="ignore"):
            out = np.asarray(predict(params, x))
    except Exception as err:  # any failure of *their* code means the doctor cannot evaluate it
        raise ValueError(f"cannot evaluate your network on x: predict raised {type(err).__name__}: {err}") from None
    if out.shape not in ((len(y),), (len(y), 1)) or not np.all(np.isfinite(out)):
        raise ValueError(f"your network's output must be finite, shaped (n, 1) or (n,) with n = {len(y)}; got {out.shape}")
    return out.shape


def _evaluate(grad_fn, params, x, y_call):
    """Your gradient at ``params`` as float arrays, or a ``ValueError`` if ``grad_fn`` cannot be evaluated."""
    try:
        with np.errstate(all="ignore"):
            g = grad_fn({k: v.copy() for k, v in params.items()}, x.copy(), y_call.copy())
    except Exception as err:
        raise ValueError(f"cannot evaluate grad_fn(params, x, y): it raised {type(err).__name__}: {err}") from None
    try:
        return _as_gradient(g, params)
    except (TypeError, ValueError) as err:
        raise ValueError(f"grad_fn returned something unusable: {err}") from None


def _as_gradient(g, params):
    """``g`` as a dict of float arrays with the keys of ``params``, or ``ValueError``."""
    if not isinstance(g, dict) or set(g) != set(params):
        raise ValueError(f"grad_fn must return a dict with the keys of params {sorted(params)}, got "
                         f"{sorted(g) if isinstance(g, dict) else type(g).__name__}")
    return {k: np.array(v, dtype=float) for k, v in g.items()}


def _check_gradient_form(g, params, n):
    """A gradient that is not finite, or not shaped like its parameter: nothing else can be judged."""
    broken = [k for k in params if not np.all(np.isfinite(g[k]))]
    if broken:
        return _finding("gradient-wrong", f"your gradient d{broken[0]} contains NaN or infinite values",
                        f"at your starting parameters, grad_fn returned non-finite entries in "
                        f"{', '.join('d' + k for k in broken)}.", "look for an overflow (exp of a large number: use "
                        "a stable sigmoid) or a division by zero in the backward pass.")
    for k in params:
        if np.shape(g[k]) != np.shape(params[k]):
            words = describe_shape("d" + k, np.shape(g[k]), np.shape(params[k]), n)
            return _finding("gradient-transposed" if "transposed" in words else "gradient-wrong",
                            f"your gradient d{k} does not have {k}'s shape", words + f"; an update {k} - lr * d{k} "
                            f"would broadcast {k} into another shape, or fail.", f"return d{k} with exactly {k}'s shape.")
    return []


def stability_limit(params, x, y, predict=None, loss=None):
    """``2 / lambda_max``: the largest stable learning rate for your loss at ``params`` (default: the MSE).

    For the question's network and loss ``lambda_max`` is ``stability.sharpness``; otherwise it
    comes from finite differences of a numerical gradient. None when it cannot be measured.
    """
    params, x, y, _, _ = _validated(params, x, y, lambda p, x, y: p, 1.0, None)
    model = _build_model(params, x, y.reshape(len(y), -1), y, predict, loss)
    return _sharpness_limit(model, params, [], model.gradient)


def diagnose(params, x, y, grad_fn, lr, x_raw=None, predict=None, loss=None, steps=TRIAL_STEPS):
    """Examine a hand-written network and its training step; return a ``Report``.

    - ``params``: dict of arrays (``W0, b0, W1, b1``; biases ``(1, h)`` or 1-D ``(h,)``);
    - ``x`` ``(n, 1)`` as fed to the network; ``y`` the target, ``(n, 1)`` (or ``(n,)``, see
      ``target-shape-1d``); ``x_raw``: the input before your normalization (optional);
    - ``grad_fn(params, x, y) -> dict``: what your loop subtracts, ``params[k] -= lr * grads[k]``;
    - ``predict(params, x) -> l2``: your forward pass, when it is not the question's (sigmoid hidden
      layer, linear output); ``loss(params, x, y) -> float``: the loss you train, when it is not the
      mean squared error. With either, the true gradient is numerical;
    - ``steps``: how many steps of your update are compared with the true gradient.

    Your arrays are copied, never modified.
    """
    params, x, y, lr, x_raw = _validated(params, x, y, grad_fn, lr, x_raw)
    n, notes = len(x), []
    out_shape = _output_shape(predict, params, x, y)
    findings = _check_target_shape(y, out_shape)
    y_col = y.reshape(n, -1)
    y_call = y_col if findings or len(out_shape) == 2 else y  # your code gets y as your network's output is shaped
    model = _build_model(params, x, y_col, y_call, predict, loss)
    g = _evaluate(grad_fn, params, x, y_call)
    findings += _check_batch_independence(predict or (lambda p, x: net.forward(_standard(p), x)[0]), params, x, n)
    findings += _check_input(x, x_raw) + _check_relation(x, y_col)
    with np.errstate(all="ignore"):
        hidden = _hidden_layer(model, params, x, y_col, model.predict(params))
    if hidden is not None and not any(f.code == "input-not-standardized" for f in findings):
        findings += _check_hidden(model, hidden)
    form = _check_gradient_form(g, params, n)
    if form:
        notes.append("gradient direction, learning rate and trial run not checked until the gradient is finite "
                     "and every gradient has its parameter's shape")
        return Report(findings + form, notes, n, lr)
    losses, trial = _trial_run(model, grad_fn, params, g, x, y_call, lr, max(steps, 1))
    if not trial:
        notes.append("gradient direction, learning rate and trial run not checked: your loss is not finite here")
        return Report(findings, notes, n, lr)
    gradient = _check_gradient_direction(g, trial, hidden, n)
    limit = _sharpness_limit(model, params, notes, _verified(grad_fn, trial, x, y_call))
    run = None if gradient else _classify_run(losses)
    step = _check_step(trial[0][0], lr, limit, n, run, notes)
    if gradient:  # your lr is judged alone: the run of a wrong gradient says nothing about it
        findings += gradient + [f for f in step if f.code == "lr-above-stability-limit"]
        return Report(findings, notes, n, lr)
    target = _check_target_scale(model, grad_fn, params, x, y_call, lr, limit, loss, trial) if not step or \
        step[0].code == "lr-above-stability-limit" else []
    findings += target or step
    if not findings and run != "fell":
        findings += _finding("loss-not-decreasing", "the loss does not go down, and the other checks found no cause",
                             f"over {LONG_STEPS} steps of your own update the loss {run} (from "
                             f"{format_number(losses[0])} to {format_number(losses[-1])}).",
                             "check the update line itself (p -= lr * g for every parameter) and the data.")
    return Report(findings, notes, n, lr)
