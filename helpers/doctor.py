r"""A doctor for your own numpy network: run it, read the findings, fix them one by one.

``diagnose(params, x, y, grad_fn, lr)`` takes what a hand-written training loop already has:
the parameter dict (``W0, b0, W1, b1``), the input as fed to the network, the target, a
function ``grad_fn(params, x, y) -> dict`` returning what the loop *subtracts*
(``params[k] -= lr * grads[k]``; for code that adds, like the question's, the adapter
negates), and the learning rate. It returns a ``Report``: a short list of findings, each
with a stable ``code``, its evidence (numbers measured on *your* network) and the fix.

Every check is measured against the mean squared error :math:`L = \frac1n \sum_i (l_{2,i} - y_i)^2`
and its exact gradient (``net.backward``; for another architecture pass ``predict`` and the
doctor uses a numerical gradient instead). The checks, in the order they run:

- ``bias-depends-on-batch``: the network is evaluated on 1 and on 7 samples. A bias with one
  row per sample makes that fail (or return the wrong number of rows).
- ``input-divided-by-variance`` / ``input-not-standardized``: the input's mean and standard
  deviation. Dividing by the variance ``sigma**2`` instead of ``sigma`` leaves a standard
  deviation of exactly ``1 / sigma``: given ``x_raw`` the doctor recognises it.
- ``gradient-*``: your gradient ``g`` against the true one ``G``. The best factor
  ``c = <g, G> / <G, G>`` and the cosine say whether ``g`` is parallel to ``G``: ``c = 1`` is
  right; ``c > 0`` but not 1 is ``gradient-scaled`` (``c`` near ``n``: a sum instead of a
  mean; ``c = n * mean(y - l2)``: the question's ``np.mean(y - l2)*2*(y - l2)``); ``c < 0``
  at every step is ``gradient-sign-flipped``; a ``c`` whose sign changes during a short
  trial run of *your* update is ``gradient-sign-varies``; not parallel is ``gradient-wrong``.
- ``lr-above-stability-limit``: gradient descent on a bowl of curvature ``lambda`` is stable
  only for ``lr < 2 / lambda``; the doctor measures the sharpness ``lambda_max`` of the MSE
  (``stability.sharpness``). The step your loop really takes is ``lr * c`` times the true
  gradient, so the limit applies to ``lr * |c|``. It is reported as *your learning rate's*
  fault only when ``lr`` itself is above the limit: if ``lr`` is fine and only ``lr * |c|``
  is not, fixing the gradient fixes the step (said under ``gradient-scaled``); if ``lr`` is
  above the limit but ``lr * |c|`` is not, your ``lr`` is compensating for the gradient's scale.
- ``loss-not-decreasing``: the trial run's loss rises, oscillates or stays put. A symptom,
  so it is reported only when no other finding explains it.

``stability_limit(params, x, y, predict=None)`` returns the ``2 / lambda_max`` the lr check uses.
For a network given by ``predict`` the sharpness comes from finite differences of a numerical
gradient (the whole Hessian up to ``DENSE_HESSIAN`` parameters); above ``MAX_NUMERICAL``
parameters the gradient is checked on a random sample of entries and the lr is not checked.

The doctor never raises on a network it can evaluate (overflow in the trial run is a
finding, computed silently under ``np.errstate``); it raises ``ValueError`` for input it
cannot use, saying what was wrong.
"""
from dataclasses import dataclass, field

import numpy as np

from . import gradcheck, net, stability, train
from .arguments import is_number

CODES = (
    "bias-depends-on-batch", "input-divided-by-variance", "input-not-standardized",
    "gradient-sign-flipped", "gradient-sign-varies", "gradient-scaled", "gradient-wrong",
    "lr-above-stability-limit", "loss-not-decreasing",
)
#: Steps of the trial run of your own update (the loop you wrote, from your params).
TRIAL_STEPS = 8
#: Your gradient is "parallel" to the true one when, parameter by parameter,
#: ``|g - c G| / (|g| + |c G|)`` is below this (a correct gradient scores ~1e-15 exactly, ~1e-7 numerically).
PARALLEL_TOL = 1e-3
#: A factor ``c`` within this relative distance of 1 counts as right (and of ``n``, as ``n``).
FACTOR_TOL = 0.02
#: Input statistics beyond these are "far" from a standardized input's mean 0 and std 1.
MEAN_LIMIT, STD_RATIO = 1.0, 3.0
#: A numerical gradient costs two forward passes per parameter: above this many, the
#: doctor checks a random sample of entries instead (CS231n: "check a few dimensions").
MAX_NUMERICAL = 400
#: Up to this many parameters, a network given by ``predict`` gets its whole Hessian (by finite
#: differences, ``4 P**2`` forward passes) rather than a power iteration.
DENSE_HESSIAN = 64


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
    could not be checked and why. Printing it gives the readable list."""

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


def format_number(v):
    """A number for a report: 3 significant digits (whole numbers up to 10000), or only the
    order of magnitude once it explodes (its last digits differ between machines)."""
    if abs(v) >= 1e4:
        return f"{v:.0e}"
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}"


def describe_shape(name, got, expected, n_samples):
    """A shape mismatch in words: one row per sample, a lost axis, a transpose, or just the shapes.

    ``got`` and ``expected`` are shape tuples; ``n_samples`` is the batch size, to recognise a
    bias (or a bias's gradient) with one row per sample.
    """
    got, expected = tuple(got), tuple(expected)
    if len(got) == 2 and got[0] == n_samples and got[1:] == expected[1:] and expected[0] == 1:
        return (f"{name} has shape {got}: one bias per sample; it must be {expected}, one per unit, "
                f"shared by every sample")
    if got == expected[::-1]:
        return f"{name} has shape {got}: transposed; it must be {expected}"
    if got == expected[1:] or got == (int(np.prod(expected)),):
        return f"{name} has shape {got}: it lost an axis; it must be {expected} (keepdims=True keeps it)"
    if got == ():
        return f"{name} is a single number: you summed over every axis; it must have shape {expected}"
    return f"{name} has shape {got}; it must be {expected}"


# --- the network the doctor measures against ----------------------------------------------

def mse_gradient(params, x, y):
    """The exact gradient of ``net.mse`` for the question's network, shaped like ``params``.

    ``net.backward`` assumes one bias per unit and sums the per-sample deltas into it. A
    bias with one row *per sample* (the question's ``b0 (n, h)``, ``b1 (n, 1)``) is not
    shared, so each row gets only its own sample's delta: ``dz0`` and ``dl2`` themselves.
    """
    l2, cache = net.forward(params, x)
    grads = net.backward(params, cache, y)
    n = len(y)
    if n > 1 and (np.shape(params["b0"])[0] == n or np.shape(params["b1"])[0] == n):
        dl2 = 2.0 * (l2 - y) / n
        l1 = cache["l1"]
        per_sample = {"b1": dl2, "b0": (dl2 @ params["W1"].T) * l1 * (1.0 - l1)}
        for name, delta in per_sample.items():
            if np.shape(params[name])[0] == n:
                grads[name] = delta
    return grads


@dataclass
class _Model:
    """How to evaluate a network: ``predict(params, x) -> l2``, the true MSE gradient
    ``gradient(params, x, y) -> dict`` and ``sharpness(params, x, y) -> lambda_max`` (or None)."""

    predict: object
    gradient: object
    sharpness: object


def _default_model():
    def sharpness(params, x, y):
        return stability.sharpness(params, x, y, iters=300, tol=1e-3)

    return _Model(lambda p, x: net.forward(p, x)[0], mse_gradient, sharpness)


def _custom_model(predict, rng):
    def loss(p, x, y):
        return float(np.mean((predict(p, x) - y) ** 2))

    def gradient(params, x, y):
        return _numerical_gradient(lambda p: loss(p, x, y), params, rng)

    def sharpness(params, x, y):
        # Hessian-vector products from finite differences of the numerical gradient: H v ~ (G(p + e v) - G(p - e v)) / 2e.
        names = list(params)
        sizes = [np.size(params[k]) for k in names]
        if sum(sizes) > MAX_NUMERICAL:
            return None  # a sampled gradient has no Hessian: too many parameters to differentiate twice

        def unflat(vec):
            parts = np.split(vec, np.cumsum(sizes)[:-1])
            return {k: part.reshape(np.shape(params[k])) for k, part in zip(names, parts)}

        def hv(vec, eps=1e-4):
            up = gradient({k: params[k] + eps * d for k, d in unflat(vec).items()}, x, y)
            down = gradient({k: params[k] - eps * d for k, d in unflat(vec).items()}, x, y)
            return np.concatenate([np.ravel(up[k] - down[k]) for k in names]) / (2 * eps)

        dim = int(sum(sizes))
        if dim <= DENSE_HESSIAN:  # small: the whole Hessian, column by column, and its exact top eigenvalue
            H = np.column_stack([hv(e) for e in np.eye(dim)])
            return float(np.linalg.eigvalsh(0.5 * (H + H.T))[-1])
        return stability.top_eigenvalue(hv, dim, iters=40, tol=1e-2)

    return _Model(predict, gradient, sharpness)


def _numerical_gradient(loss_fn, params, rng):
    """``gradcheck.numerical_gradient``, on every entry of a small network; on a large one, a
    fixed random sample of ``MAX_NUMERICAL`` entries (the rest left NaN: not measured)."""
    total = sum(np.size(v) for v in params.values())
    if total <= MAX_NUMERICAL:
        return gradcheck.numerical_gradient(loss_fn, params)
    grads = {k: np.full(np.shape(v), np.nan) for k, v in params.items()}
    names = list(params)
    sizes = np.array([np.size(params[k]) for k in names])
    picks = np.sort(rng.choice(total, size=MAX_NUMERICAL, replace=False))
    owner = np.searchsorted(np.cumsum(sizes), picks, side="right")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    for which, flat in zip(owner, picks):
        name = names[which]
        idx = np.unravel_index(flat - starts[which], np.shape(params[name]))
        probe = {k: np.array(v, dtype=float) for k, v in params.items()}
        probe[name][idx] += 1e-6
        up = loss_fn(probe)
        probe[name][idx] -= 2e-6
        grads[name][idx] = (up - loss_fn(probe)) / 2e-6
    return grads


# --- comparing two gradients --------------------------------------------------------------

@dataclass
class GradientComparison:
    """How a gradient ``g`` relates to the true ``G``.

    - ``factor``: the least-squares ``c`` in ``g ~ c G`` (all parameters together);
    - ``cosine``: of the angle between ``g`` and ``G`` (1: same direction, -1: opposite);
    - ``errors``: per parameter, ``|g - c G| / (|g| + |c G|)`` (0: exactly ``c G``);
    - ``factors``: per parameter, its own best factor;
    - ``worst``: the parameter furthest from the truth, by CS231n's relative error ``|g - G| / (|g| + |G|)``
      (not by ``errors``: one flipped parameter drags ``c`` towards 0 and makes the others look wrong).
    """

    factor: float
    cosine: float
    errors: dict
    factors: dict
    worst: str
    raw_errors: dict = field(default_factory=dict)

    @property
    def parallel(self):
        """``g`` is the true gradient times one number (every parameter agrees)."""
        return bool(np.isfinite(self.factor)) and self.factor != 0 and max(self.errors.values()) < PARALLEL_TOL


def _dot(a, b):
    # Elementwise, not BLAS: exact same rounding on every machine, and no thread start-up for short vectors.
    return float(np.sum(a * b))


def compare_gradients(g, G):
    """Compare gradient dicts ``g`` (yours) and ``G`` (true) over the entries ``G`` measured.

    Entries where ``G`` is NaN (not sampled) are skipped. Returns a ``GradientComparison``;
    ``factor`` is NaN when ``G`` is zero (nothing to compare a direction with).
    """
    pairs = {}
    for k in G:
        gk, Gk = np.ravel(np.asarray(g[k], dtype=float)), np.ravel(np.asarray(G[k], dtype=float))
        keep = np.isfinite(Gk)
        pairs[k] = (gk[keep], Gk[keep])
    # Divide each side by its largest entry first: the dot products of a gradient of 1e200 overflow.
    su = max((float(np.max(np.abs(a))) for a, _ in pairs.values() if a.size), default=0.0)
    st = max((float(np.max(np.abs(b))) for _, b in pairs.values() if b.size), default=0.0)
    if st == 0 or not np.isfinite(st) or not np.isfinite(su):
        nan = float("nan")
        return GradientComparison(nan, nan, {k: nan for k in G}, {k: nan for k in G}, next(iter(G)), {k: nan for k in G})
    su = su or 1.0
    pairs = {k: (a / su, b / st) for k, (a, b) in pairs.items()}
    u = np.concatenate([a for a, _ in pairs.values()])
    t = np.concatenate([b for _, b in pairs.values()])
    tt, uu, ut = _dot(t, t), _dot(u, u), _dot(u, t)
    c = ut / tt  # in the scaled units; the true factor is c * su / st
    cosine = ut / np.sqrt(tt * uu) if uu > 0 else 0.0
    floor = 1e-9 * (np.sqrt(uu) + abs(c) * np.sqrt(tt))
    errors, factors, raw = {}, {}, {}
    for k, (a, b) in pairs.items():
        size = np.sqrt(_dot(a, a)) + abs(c) * np.sqrt(_dot(b, b))
        errors[k] = float(np.sqrt(_dot(a - c * b, a - c * b)) / size) if size > floor else 0.0
        factors[k] = _dot(a, b) / _dot(b, b) if _dot(b, b) > 0 else float("nan")
        factors[k] *= su / st
        a, b = a * (su / max(su, st)), b * (st / max(su, st))  # a common scale again, for the unscaled error
        size = np.sqrt(_dot(a, a)) + np.sqrt(_dot(b, b))
        raw[k] = float(np.sqrt(_dot(a - b, a - b)) / size) if size > 0 else 0.0
    worst = max(raw, key=raw.get)
    return GradientComparison(c * su / st, cosine, errors, factors, worst, raw)


def name_factor(c, n, mean_residual=None):
    """Words for a gradient that is ``c`` times too large, when ``c`` is a telling number.

    ``n``: a sum over the samples instead of a mean. ``n * mean(y - l2)``: the question's
    ``np.mean(y - l2) * 2 * (y - l2)``, the right delta ``2 (y - l2) / n`` times ``n * mean(y - l2)``.
    Returns '' when the factor is not one of these.
    """
    def near(a, b):
        return b != 0 and abs(a / b - 1) < FACTOR_TOL

    if mean_residual is not None and n > 1 and near(c, n * mean_residual):
        return (f"it equals n * mean(y - l2) = {n} * {mean_residual:.3g}: the signature of "
                f"np.mean(y - l2) * 2 * (y - l2), which multiplies the right delta 2 (y - l2) / n "
                f"by n times the mean residual")
    if n > 1 and near(abs(c), n):
        return f"it is about n = {n}, the number of samples: did you sum instead of averaging?"
    if near(abs(c), 2):
        return "it is about 2: the derivative of r**2 is 2 r, counted twice?"
    if near(abs(c), 0.5):
        return "it is about 1/2: the 2 of d(r**2)/dr = 2 r is missing"
    return ""


# --- the checks ------------------------------------------------------------------------------

def _check_batch_independence(model, params, x, n, default):
    """``bias-depends-on-batch``: does the network run on 1 and on 7 samples too?"""
    failures = []
    for m in (1, 7):
        if m >= n:
            continue
        try:
            with np.errstate(all="ignore"):
                out = np.shape(model.predict(params, x[:m]))
        except Exception as err:  # numpy's broadcast error, or anything else *their* code raises
            failures.append(f"on {m} sample{'s' if m > 1 else ''} it raises {type(err).__name__}")
            continue
        if len(out) < 1 or out[0] != m:
            failures.append(f"on {m} sample{'s' if m > 1 else ''} it returns {out[0] if out else 'no'} rows")
    if not failures:
        return []
    evidence = f"your network runs on all {n} samples, but {' and '.join(failures)}."
    tied = {k: tuple(np.shape(v)) for k, v in params.items() if n in np.shape(v)}
    if default:
        try:
            net.check_params(params, n_samples=n)
        except ValueError as err:  # the helpers' shape check says what is wrong, in its words
            evidence += f" {err}."
            tied = {k: s for k, s in tied.items() if not str(err).startswith(k + " ")}
    if tied:
        evidence += (f" {'Also with' if default else 'Parameters with'} an axis of length {n}, the number of "
                     f"samples: {', '.join(f'{k} {s}' for k, s in tied.items())}.")
    return [Finding(
        "bias-depends-on-batch",
        "a parameter's shape depends on the number of samples (one bias per sample)",
        evidence,
        "give each bias one row, shared by every sample (b0 (1, h), b1 (1, 1)); numpy broadcasts "
        "it over the batch, and its gradient sums the samples' deltas: .sum(axis=0, keepdims=True).",
    )]


def _check_input(x, x_raw):
    """``input-divided-by-variance`` / ``input-not-standardized``: the statistics of ``x``."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    if x_raw is not None:
        sigma = x_raw.std(axis=0)
        by_var = (x_raw - x_raw.mean(axis=0)) / np.where(sigma > 0, sigma**2, 1.0)
        col = int(np.argmax(np.abs(sigma - 1)))
        if np.all(sigma > 0) and np.allclose(x, by_var, rtol=1e-6, atol=1e-9) and abs(sigma[col] - 1) > FACTOR_TOL:
            return [Finding(
                "input-divided-by-variance",
                "the input was divided by its variance, not its standard deviation",
                f"x_raw has standard deviation sigma = {sigma[col]:.3g}, and x has "
                f"{std[col]:.3g} = 1 / sigma (a standardized input has 1): (x_raw - mean) / sigma**2 "
                f"= (x_raw - mean) / {sigma[col]**2:.3g}.",
                "divide by the standard deviation: (x_raw - x_raw.mean()) / x_raw.std() "
                "(np.std, not np.var); helpers.data.standardize does it.",
            )]
    far_mean = np.abs(mean) > MEAN_LIMIT
    far_std = (std > STD_RATIO) | (std < 1 / STD_RATIO)
    if np.any(far_mean | far_std):
        col = int(np.argmax(far_mean | far_std))
        return [Finding(
            "input-not-standardized",
            "the input is far from mean 0 and standard deviation 1",
            f"x has mean {mean[col]:.3g} and standard deviation {std[col]:.3g}; sigmoid and tanh units "
            f"are sloped only for inputs of order 1 (limits used: |mean| <= {MEAN_LIMIT:g}, "
            f"std within a factor {STD_RATIO:g} of 1).",
            "standardize: x = (x_raw - x_raw.mean()) / x_raw.std(), with the training set's mean and "
            "std reused for new data (helpers.data.standardize).",
        )]
    return []


def _trial_run(model, params, x, y, grad_fn, lr, steps):
    """Run *your* update ``p -= lr * g`` for a few steps from your params, silently.

    Returns the MSE before each step and, per step, the comparison of your gradient with the
    true one there. Stops early when anything stops being finite.
    """
    p = {k: np.array(v, dtype=float) for k, v in params.items()}
    losses, comparisons = [], []
    with np.errstate(all="ignore"):  # a diverging trial overflows; the report says so instead
        for _ in range(steps):
            try:
                l2 = model.predict(p, x)
                g = _as_gradient(grad_fn({k: v.copy() for k, v in p.items()}, x.copy(), y.copy()), p)
            except Exception:  # their code failed on diverged parameters: the trial ends there
                break
            loss = float(np.mean((l2 - y) ** 2))
            if not np.isfinite(loss) or not all(np.all(np.isfinite(v)) for v in g.values()):
                break
            losses.append(loss)
            comparisons.append((compare_gradients(g, model.gradient(p, x, y)), float(np.mean(y - l2))))
            if loss > train.divergence_bound(losses[0], y):
                break  # diverged: the numbers from here on are overflow and underflow, not information
            p = {k: v - lr * g[k] for k, v in p.items()}
            if not all(np.all(np.isfinite(v)) for v in p.values()):
                break
    return losses, comparisons


def _check_gradient(first, trial, g, params, model, x, y, n):
    """The ``gradient-*`` findings from the comparison at your params and along the trial run."""
    if not np.isfinite(first.factor):
        return []
    findings = []
    signs = [(step, cmp.factor) for step, (cmp, _) in enumerate(trial) if cmp.parallel]
    varies = len({np.sign(c) for _, c in signs}) > 1
    mean_residual = trial[0][1] if trial else None
    if not any(np.any(v) for v in g.values()):
        return [Finding(
            "gradient-wrong",
            "your gradient is zero everywhere",
            "every entry of every gradient grad_fn returned is 0, while the true gradient is not: "
            "your loop would never move.",
            "check that grad_fn returns the gradients it computes (not arrays it initialised to zero).",
        )]
    if not first.parallel:
        worst = first.worst
        return [Finding(
            "gradient-wrong",
            f"your gradient is not the gradient of the loss (worst: d{worst})",
            f"relative error |g - G| / (|g| + |G|) of d{worst} against the true gradient G: "
            f"{first.raw_errors[worst]:.2g} (a correct one scores below {PARALLEL_TOL:g}). Per parameter, "
            "relative error and your gradient's factor over the true one: "
            + ", ".join(f"d{k} {first.raw_errors[k]:.2g} ({first.factors[k]:.3g})" for k in first.raw_errors) + ".",
            f"re-derive d{worst} by the chain rule and check it with a numerical gradient "
            "(helpers.gradcheck.gradient_check).",
        )]
    if varies:
        pos = next((s, c) for s, c in signs if c > 0)
        neg = next((s, c) for s, c in signs if c < 0)
        findings.append(Finding(
            "gradient-sign-varies",
            "your gradient's sign changes from step to step: sometimes it points uphill",
            f"in a trial run of your update, your gradient was {format_number(pos[1])} times the true gradient at "
            f"step {pos[0]} and {format_number(neg[1])} times it at step {neg[0]}.",
            "a gradient must not be multiplied by anything that can change sign, such as the mean "
            "residual; use dL/dl2 = 2 (l2 - y) / n.",
        ))
    c = first.factor
    if c < 0 and not varies:
        descent = _descent_test(model, params, g, x, y)
        findings.append(Finding(
            "gradient-sign-flipped",
            "your gradient points uphill: subtracting it raises the loss",
            f"your gradient is {format_number(c)} times the true gradient{descent}.",
            "flip the sign: the gradient of (l2 - y)**2 is 2 (l2 - y) dl2/dp, and descent subtracts it "
            "(or keep 2 (y - l2) and add it, but not both).",
        ))
    if abs(abs(c) - 1) > FACTOR_TOL:
        named = name_factor(c, n, mean_residual)
        findings.append(Finding(
            "gradient-scaled",
            f"your gradient is {format_number(abs(c))} times the true gradient's size",
            f"your gradient = {format_number(c)} x the gradient of the mean squared error, in every parameter"
            + (f"; {named}" if named else "") + ".",
            "compute dL/dl2 = 2 (l2 - y) / n, the mean's gradient, and take the step size from lr alone.",
        ))
    return findings


def _descent_test(model, params, g, x, y):
    """A tiny step along your update ``p - t g``: does it lower the loss? Returns words for the report."""
    gnorm = np.sqrt(sum(float(np.sum(v**2)) for v in g.values()))
    pnorm = np.sqrt(sum(float(np.sum(v**2)) for v in params.values()))
    t = 1e-4 * max(pnorm, 1.0) / gnorm
    before = float(np.mean((model.predict(params, x) - y) ** 2))
    stepped = {k: v - t * g[k] for k, v in params.items()}
    after = float(np.mean((model.predict(stepped, x) - y) ** 2))
    verb = "raises" if after > before else "lowers"
    return f"; a tiny step along your update {verb} the loss by {abs(after - before):.2g}"


def _check_lr(model, params, x, y, lr, factor, notes):
    """``lr-above-stability-limit``; also returns the limit for the gradient check's words."""
    try:
        with np.errstate(all="ignore"):
            lam = model.sharpness(params, x, y)
            lam = None if lam is None else float(lam)
    except stability.PowerIterationError as err:
        lam = float(err.estimate)
    if lam is None:
        notes.append(f"learning rate not checked: more than {MAX_NUMERICAL} parameters is too many for a "
                     "numerical Hessian (pass predict=None for the question's network, whose Hessian is exact)")
        return [], None
    if not np.isfinite(lam) or lam <= 0:
        notes.append("learning rate not checked: the loss has no upward curvature here")
        return [], None
    limit = 2.0 / lam
    step = lr * abs(factor) if np.isfinite(factor) else lr
    if lr > limit and step > limit:
        return [Finding(
            "lr-above-stability-limit",
            "the learning rate is above gradient descent's stability limit 2 / sharpness",
            f"the sharpness (largest curvature of the loss) is {lam:.3g}, so steps are stable only for "
            f"lr < 2 / {lam:.3g} = {limit:.3g}; your lr = {lr:.3g} is {lr / limit:.3g} times that"
            + (f", and with your gradient's scale the step is {format_number(step)} times the true gradient"
               if abs(step - lr) > FACTOR_TOL * lr else "") + ".",
            f"use lr below {limit:.3g} (say {0.5 * limit:.2g}); the limit moves as training moves "
            "the parameters, so a little margin helps.",
        )], limit
    return [], limit


def _check_trial(losses):
    """``loss-not-decreasing``: the trial run's loss rose, oscillated or stood still."""
    if len(losses) < 2:
        return []
    diffs = np.diff(losses)
    if losses[-1] > losses[0]:
        how = f"rose from {format_number(losses[0])} to {format_number(losses[-1])}"
    elif np.count_nonzero(diffs > 0) >= 2:
        how = f"went up in {np.count_nonzero(diffs > 0)} of {len(diffs)} steps (it oscillates)"
    elif (losses[0] - losses[-1]) <= 1e-6 * losses[0]:
        how = f"stayed at {format_number(losses[0])} (relative change {(losses[0] - losses[-1]) / losses[0]:.1g})"
    else:
        return []
    return [Finding(
        "loss-not-decreasing",
        "the loss does not go down, and the other checks found no cause",
        f"in {len(losses)} steps of your own update the mean squared error {how}.",
        "check the update line itself (p -= lr * g for every parameter), saturated hidden units, "
        "and try a smaller or larger lr to see which way the loss responds.",
    )]


# --- the entry points --------------------------------------------------------------------------

def stability_limit(params, x, y, predict=None):
    """``2 / lambda_max``: the largest stable learning rate for the MSE at ``params`` (see the module notes).

    For the question's network (``predict=None``) ``lambda_max`` is ``stability.sharpness``;
    for another, given by ``predict``, it comes from finite differences of a numerical gradient.
    Returns None when it cannot be measured (too many parameters, or no upward curvature).
    """
    params, x, y, _, _ = _validated(params, x, y, lambda p, x, y: p, 1.0, None)
    model = _default_model() if predict is None else _custom_model(predict, np.random.default_rng(0))
    with np.errstate(all="ignore"):
        lam = model.sharpness(params, x, y)
    return None if lam is None or not lam > 0 else 2.0 / float(lam)


def _validated(params, x, y, grad_fn, lr, x_raw):
    """Clean copies of the inputs, or a ``ValueError`` naming what is unusable."""
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
    if x.ndim != 2 or y.ndim != 2 or len(x) != len(y) or len(x) < 2:
        raise ValueError(f"x and y must be 2-D arrays (n, features) with the same n >= 2, got x {x.shape} and y {y.shape}")
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


def _evaluate(model, grad_fn, params, x, y, default):
    """Your gradient at ``params`` (float arrays), after checking that your network evaluates on ``x``.

    ``ValueError`` if either the network or ``grad_fn`` cannot be evaluated.
    """
    if default:
        stability.check_inputs(params, x, y)  # the question's network: W0 (1, h), W1 (h, 1), biases per unit or per sample
    try:
        with np.errstate(all="ignore"):
            out = model.predict(params, x)
    except Exception as err:  # any failure of *their* code means the doctor cannot evaluate it
        raise ValueError(f"cannot evaluate your network on x: predict raised {type(err).__name__}: {err}") from None
    if np.shape(out) != y.shape or not np.all(np.isfinite(out)):
        raise ValueError(f"your network's output must be finite and shaped like y {y.shape}; got shape {np.shape(out)}")
    try:
        with np.errstate(all="ignore"):
            g = grad_fn({k: v.copy() for k, v in params.items()}, x.copy(), y.copy())
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


def diagnose(params, x, y, grad_fn, lr, x_raw=None, predict=None, steps=TRIAL_STEPS, seed=0):
    """Examine a hand-written network and its training step; return a ``Report``.

    - ``params``: dict of arrays (``W0, b0, W1, b1`` for the question's network);
    - ``x``, ``y``: the input as fed to the network and the target, ``(n, 1)`` each;
    - ``grad_fn(params, x, y) -> dict``: what your loop subtracts, ``params[k] -= lr * grads[k]``;
    - ``lr``: your learning rate; ``x_raw``: the input before your normalization (optional);
    - ``predict(params, x) -> l2``: only for another architecture (default: the question's,
      sigmoid hidden layer and linear output, ``net.forward``); the true gradient is then numerical;
    - ``steps``: length of the trial run of your update; ``seed``: for sampled numerical gradients.

    Your arrays are copied, never modified.
    """
    params, x, y, lr, x_raw = _validated(params, x, y, grad_fn, lr, x_raw)
    default = predict is None
    model = _default_model() if default else _custom_model(predict, np.random.default_rng(seed))
    g = _evaluate(model, grad_fn, params, x, y, default)
    n = len(x)
    notes, findings = [], []
    findings += _check_batch_independence(model, params, x, n, default)
    findings += _check_input(x, x_raw)

    broken = [k for k in params if not np.all(np.isfinite(g[k]))]
    if broken:
        findings.append(Finding(
            "gradient-wrong",
            f"your gradient d{broken[0]} contains NaN or infinite values",
            f"at your starting parameters, grad_fn returned non-finite entries in {', '.join('d' + k for k in broken)}.",
            "look for an overflow (exp of a large number: use a stable sigmoid) or a division by zero in the backward pass.",
        ))
        notes.append("gradient direction, learning rate and trial run not checked until the gradient is finite")
        return Report(findings, notes, n, lr)
    mismatched = [k for k in params if np.shape(g[k]) != np.shape(params[k])]
    if mismatched:
        k = mismatched[0]
        findings.append(Finding(
            "gradient-wrong",
            f"your gradient d{k} does not have {k}'s shape",
            describe_shape("d" + k, np.shape(g[k]), np.shape(params[k]), n)
            + f"; an update {k} - lr * d{k} would broadcast {k} into another shape, or fail.",
            f"return d{k} with exactly {k}'s shape.",
        ))
        notes.append("gradient direction, learning rate and trial run not checked until every gradient has its parameter's shape")
        return Report(findings, notes, n, lr)

    losses, trial = _trial_run(model, params, x, y, grad_fn, lr, steps)
    first = trial[0][0] if trial else compare_gradients(g, model.gradient(params, x, y))
    grad_findings = _check_gradient(first, trial, g, params, model, x, y, n)
    lr_findings, limit = _check_lr(model, params, x, y, lr, first.factor, notes)
    scaled = next((f for f in grad_findings if f.code == "gradient-scaled"), None)
    if scaled is not None and limit is not None:
        # Say what the scale does to the step; the lr finding stays only for an lr that is itself too big.
        step = lr * abs(first.factor)
        verdict = "above" if step > limit else "below"
        extra = (f" With lr = {lr:.3g} your step is {format_number(step)} times the true gradient, {verdict} the "
                 f"stability limit 2 / sharpness = {limit:.3g}.")
        grad_findings[grad_findings.index(scaled)] = Finding(scaled.code, scaled.summary, scaled.evidence + extra, scaled.fix)
    findings += grad_findings + lr_findings
    if not findings:
        findings += _check_trial(losses)
    return Report(findings, notes, n, lr)
