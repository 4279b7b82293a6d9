r"""The classic mistakes in a hand-written gradient, recognised by what they do to the true one.

Let ``g`` be your gradient and ``G`` the true gradient of the loss, both dicts of arrays
(``W0, b0, W1, b1``). Each classic mistake turns ``G`` into something you can compute from
``G`` and the network's own arrays, so we build every *mistaken* gradient and ask which one
``g`` is (up to one positive factor, the loss's convention). The doctor and the exercise
checks both name mistakes here, so the same mistake gets the same words in both:

==============================  =====================================================================
mistake                         what your gradient equals
==============================  =====================================================================
whole gradient scaled by ``c``  ``c G`` (``c = n``: a summed loss; ``c = 1/n``: averaged twice;
                                ``c = -n mean(y - l2)``: the question's ``np.mean(y - l2)*2*(y - l2)``;
                                ``c = 2`` or ``1/2``: the 2 of ``d(r**2)/dr`` twice or missing;
                                ``c < 0``: uphill), named by ``name_factor`` / ``factor_words``
missing activation slope        ``dz0 = dl2 @ W1.T`` without ``f'(z0)``: wrong ``dW0, db0``
slope taken at ``z0``           ``f'`` written in ``l1`` but applied to ``z0`` (sigmoid: ``z0 (1 - z0)``)
missing ``x`` in ``dW0``        ``dW0 = sum of dz0``, which is the true ``db0``
``dW1`` from the pre-activation ``z0.T @ dl2`` instead of ``l1.T @ dl2``
one parameter's sign flipped    ``G`` with one entry negated
averaged where others sum       the biases' gradients ``G / n`` (or the weights', or one parameter's)
transposed                      ``G[k].T`` reshaped back to ``k``'s shape, or ``dz0.reshape(h, n)``
a wrong shape                   ``describe_shape``: one row per sample, a lost axis, a transpose
==============================  =====================================================================

``dl2 = 2 (l2 - y) / n`` is the mean squared error's delta, ``z0`` the hidden pre-activation.
"""
from dataclasses import dataclass

import numpy as np

from . import gradcheck
from .validate import MAX_SAMPLES, check_int, check_number, describe, is_number, param_arrays

__all__ = ["PARALLEL_TOL", "FLOOR", "FACTOR_TOL", "format_number", "near", "GradientComparison", "compare_gradients",
           "name_factor", "factor_words", "describe_shape", "Mistake", "recognise"]

#: ``g`` is "parallel" to ``G`` when, parameter by parameter, the misfit
#: ``|g - c G| / (|g| + |c G| + FLOOR * total)`` is below this (a correct gradient: ~1e-15
#: against an exact ``G``, ~1e-7 against a numerical one).
PARALLEL_TOL = 1e-3
#: Entries far below the whole gradient's size are numerical noise, not evidence.
FLOOR = 1e-6
#: A factor ``c`` within this relative distance of 1 counts as 1 (and of ``n``, as ``n``).
FACTOR_TOL = 0.02


def format_number(v):
    """A number for a report: 3 significant digits (whole numbers up to 10000), or only the
    order of magnitude once it explodes (its last digits differ between machines)."""
    if not is_number(v):
        raise ValueError(f"v must be a real number, got {describe(v)}")
    if abs(v) >= 1e4:
        return f"{v:.0e}"
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}"


def near(a, b, tol=FACTOR_TOL):
    """``a`` within relative distance ``tol`` of ``b`` (never for ``b = 0``)."""
    a, b = check_number("a", a), check_number("b", b)
    tol = check_number("tol", tol, 0, low_open=True)
    return b != 0 and abs(a / b - 1) < tol


@dataclass
class GradientComparison:
    """How a gradient ``g`` relates to the true ``G``: the least-squares ``factor`` ``c`` in ``g ~ c G`` (all
    parameters together), the ``cosine`` of the angle between them, and per parameter its own best ``factors``,
    the norm-wise *misfit* ``errors`` ``|g - c G| / (|g| + |c G|)`` (0: exactly ``c G``) and CS231n's element-wise
    ``raw_errors`` (``gradcheck.relative_error(g, G)``); ``worst``: the parameter furthest from ``G``
    (norm-wise ``|g - G| / (|g| + |G|)``)."""

    factor: float
    cosine: float
    errors: dict
    factors: dict
    worst: str
    raw_errors: dict

    @property
    def parallel(self):
        """``g`` is the true gradient times one number, in every parameter."""
        return bool(np.isfinite(self.factor)) and self.factor != 0 and max(self.errors.values()) < PARALLEL_TOL

    @property
    def right(self):
        """``g`` is the true gradient (factor 1)."""
        return self.parallel and near(self.factor, 1.0)


def _dot(a, b):
    # Elementwise, not BLAS: exact same rounding on every machine, and no thread start-up for short vectors.
    return float(np.sum(a * b))


def compare_gradients(g, G):
    """Compare gradient dicts ``g`` (yours) and ``G`` (true) as a ``GradientComparison``, over the entries
    ``G`` measured (its NaN entries are skipped); ``factor`` is NaN when ``G`` is zero."""
    if not isinstance(G, dict) or not G:
        raise ValueError(f"G must be a non-empty dict of gradient arrays, got {describe(G)}")
    G = param_arrays(G, tuple(G), finite=False, name="G")
    g = param_arrays(g, tuple(G), finite=False, name="g")
    pairs = {}
    for k in G:
        if np.isinf(G[k]).any():
            raise ValueError(f"G[{k!r}] must be finite where measured (NaN marks an entry not measured), got inf")
        if g[k].shape != G[k].shape:
            raise ValueError(f"g[{k!r}] must have G[{k!r}]'s shape {G[k].shape}, got {g[k].shape}")
        keep = np.isfinite(G[k])
        pairs[k] = (g[k][keep], G[k][keep])
    raw = {k: gradcheck.relative_error(a, b) if a.size else 0.0 for k, (a, b) in pairs.items()}
    # Divide each side by its largest entry first: the dot products of a gradient of 1e200 overflow.
    su = max((float(np.max(np.abs(a))) for a, _ in pairs.values() if a.size), default=0.0)
    st = max((float(np.max(np.abs(b))) for _, b in pairs.values() if b.size), default=0.0)
    if st == 0 or not np.isfinite(st) or not np.isfinite(su):
        nan = float("nan")
        return GradientComparison(nan, nan, {k: nan for k in G}, {k: nan for k in G}, next(iter(G)), raw)
    su = su or 1.0
    pairs = {k: (a / su, b / st) for k, (a, b) in pairs.items()}
    u = np.concatenate([a for a, _ in pairs.values()])
    t = np.concatenate([b for _, b in pairs.values()])
    tt, uu, ut = _dot(t, t), _dot(u, u), _dot(u, t)
    c = ut / tt  # in the scaled units; the true factor is c * su / st
    cosine = ut / np.sqrt(tt * uu) if uu > 0 else 0.0
    floor = FLOOR * (np.sqrt(uu) + abs(c) * np.sqrt(tt))
    errors, factors, distance = {}, {}, {}
    for k, (a, b) in pairs.items():
        size = np.sqrt(_dot(a, a)) + abs(c) * np.sqrt(_dot(b, b)) + floor
        errors[k] = float(np.sqrt(_dot(a - c * b, a - c * b)) / size)
        factors[k] = _dot(a, b) / _dot(b, b) * su / st if _dot(b, b) > 0 else float("nan")
        a, b = a * (su / max(su, st)), b * (st / max(su, st))  # a common scale again, for the distance
        size = np.sqrt(_dot(a, a)) + np.sqrt(_dot(b, b))
        distance[k] = float(np.sqrt(_dot(a - b, a - b)) / size) if size > 0 else 0.0
    worst = max(distance, key=distance.get)
    return GradientComparison(c * su / st, cosine, errors, factors, worst, raw)


def name_factor(c, n, mean_residual=None):
    """Words for a gradient that is ``c`` times the true one, when ``c`` is one of the telling numbers of the
    module's table (``-1``, ``+-n``, ``1/n``, ``+-n * mean(y - l2)`` given ``mean_residual = mean(y - l2)``,
    ``2``, ``1/2``); '' for any other."""
    c = check_number("c", c)
    check_int("n", n, 1, MAX_SAMPLES)
    if mean_residual is not None:
        mean_residual = check_number("mean_residual", mean_residual)
    if mean_residual is not None and n > 1 and near(abs(c), n * abs(mean_residual)):
        sign = "-" if c * mean_residual < 0 else ""
        return (f"it equals {sign}n * mean(y - l2) = {sign}{n} * {mean_residual:.3g}: the signature of the "
                "question's np.mean(y - l2) * 2 * (y - l2), the right delta 2 (l2 - y) / n times "
                f"{sign}n * mean(y - l2), one number that scales every step and flips its direction whenever the "
                "mean residual changes sign; write dl2 = 2 * (l2 - y) / n")
    if near(c, -1):
        return "d/dl2 (l2 - y)**2 = 2 (l2 - y); (y - l2) is the direction to *add*, not to subtract"
    if n > 1 and near(abs(c), n):
        return f"it is about n = {n}, the number of samples: did you sum instead of averaging?"
    if n > 1 and near(abs(c), 1 / n):
        return (f"it is about 1/n = 1/{n}: averaged over the samples where they add up (divided by n twice?). "
                "The mean loss's 1/n belongs in dl2 = 2 * (l2 - y) / n, once; the products and sums after it, "
                "a shared bias's too, add up the samples")
    if near(abs(c), 2):
        return "it is about 2: the derivative of r**2 is 2 r, counted twice?"
    if near(abs(c), 0.5):
        return "it is about 1/2: the 2 of d(r**2)/dr = 2 r is missing"
    return ""


def factor_words(what, c, n, mean_residual=None):
    """A sentence: ``what`` (your gradient, or one parameter's) is ``c`` times the true one, and why."""
    if near(c, -1):
        size = "points uphill: it is exactly -1 times the true gradient"
    else:
        size = (f"is {format_number(abs(c))}x too large" if abs(c) >= 1 else f"is {format_number(1 / abs(c))}x "
                "too small") + (" and points uphill" if c < 0 else "")
    named = name_factor(c, n, mean_residual)
    return f"{what} {size}" + (f": {named}." if named else ".")


def describe_shape(name, got, expected, n_samples, scalar=None):
    """A shape mismatch in words: one row per sample, a lost axis, a transpose, or just the shapes.

    ``got`` and ``expected`` are shape tuples; ``n_samples`` is the batch size, to recognise a
    bias (or a bias's gradient) with one row per sample. ``scalar``: what a single number means
    here; by default, for a gradient (``name`` starting with ``d``) a sum over every axis, and
    for a parameter a plain number, which broadcasts but is not shaped like its gradient.
    """
    got, expected = tuple(got), tuple(expected)
    if got == ():
        scalar = scalar or ("you summed over every axis" if name.startswith("d") else "a plain number broadcasts, "
                            "so the network would run, but a parameter shaped like its gradient keeps its shape "
                            f"in `{name} -= lr * d{name}`")
        return f"{name} is a single number: {scalar}; it must have shape {expected}"
    if len(got) == 2 and got[0] == n_samples and got[1:] == expected[1:] and expected[0] == 1:
        return (f"{name} has shape {got}: one bias per sample; it must be {expected}, one per unit, "
                f"shared by every sample")
    if got == expected[::-1]:
        return f"{name} has shape {got}: transposed; it must be {expected}"
    if got == expected[1:] or got == (int(np.prod(expected)),):
        return f"{name} has shape {got}: it lost an axis; it must be {expected} (keepdims=True keeps it)"
    return f"{name} has shape {got}; it must be {expected}"


# --- the catalogue: each classic mistake as a function of the true gradient --------------------

@dataclass(frozen=True)
class Mistake:
    """A recognised mistake: its finding ``code``, words for what you did, and the fix."""

    code: str
    what: str
    fix: str


def _reshaped(G, **changed):
    """``G`` with some entries replaced, each reshaped to its parameter's shape."""
    return {k: np.reshape(changed[k], np.shape(G[k])) if k in changed else G[k] for k in G}


def _hidden_candidates(G, hidden):
    """The mistakes on the way back through the hidden layer. ``hidden``: ``x``, ``z0 (n, h)``,
    ``l1 = f(z0)``, the activation's ``slope`` f'(z0) ``(n, h)``, ``W1 (h, 1)``, ``dl2 (n, 1)``, and
    optionally ``slope_of_l1``, the slope as a function of ``l1`` (sigmoid: ``l1 * (1 - l1)``)."""
    x, z0, W1, dl2 = hidden["x"], hidden["z0"], hidden["W1"], hidden["dl2"]
    dz = dl2 @ W1.T
    scrambled = (dz * hidden["slope"]).reshape(dz.shape[::-1])  # (n, h) read as (h, n): not a transpose
    out = [
        (Mistake("gradient-missing-activation-slope", "dz0 = dl2 @ W1.T, without the hidden activation's "
                 "slope f'(z0)", "multiply by the slope on the way back: dz0 = (dl2 @ W1.T) * f'(z0) "
                 "(sigmoid: l1 * (1 - l1); tanh: 1 - l1**2; relu: z0 > 0)."),
         _reshaped(G, W0=x.T @ dz, b0=dz.sum(axis=0))),
        (Mistake("gradient-missing-input", "dW0 is the sum of dz0 over the samples, without x "
                 "(it equals the true db0)", "dW0 = x.T @ dz0: each sample's delta times its input."),
         _reshaped(G, W0=G["b0"])),
        (Mistake("gradient-dW1-from-preactivation", "dW1 = z0.T @ dl2, built from the pre-activation "
                 "z0 = x W0 + b0", "dW1 = l1.T @ dl2, with l1 = f(z0), the hidden layer's output."),
         _reshaped(G, W1=z0.T @ dl2)),
        (Mistake("gradient-transposed", "the hidden delta dz0 (n, h) was reshaped to (h, n) instead of "
                 "transposed: reshape keeps the memory order and scrambles samples and units",
                 "use dz0.T (or build dW0 = x.T @ dz0, db0 = dz0.sum(axis=0, keepdims=True))."),
         _reshaped(G, W0=scrambled @ x, b0=scrambled.sum(axis=1))),
        (Mistake("gradient-transposed", "dW1 uses l1.reshape(h, n) instead of l1.T: reshape keeps the memory "
                 "order and scrambles samples and units", "dW1 = l1.T @ dl2."),
         _reshaped(G, W1=hidden["l1"].reshape(hidden["l1"].shape[::-1]) @ dl2)),
    ]
    if "slope_of_l1" in hidden:  # the slope's formula in l1 applied to z0: sigmoid's z0 * (1 - z0)
        dz_at_z0 = dz * hidden["slope_of_l1"](z0)
        out.append((Mistake("gradient-slope-at-preactivation", "the activation's slope is taken at the "
                            "pre-activation z0: its formula in l1 was applied to z0 (sigmoid: z0 * (1 - z0))",
                            "the slope is written in the output l1 = f(z0): dz0 = (dl2 @ W1.T) * l1 * (1 - l1) "
                            "for the sigmoid."), _reshaped(G, W0=x.T @ dz_at_z0, b0=dz_at_z0.sum(axis=0))))
    return out


def _parameter_candidates(G, n):
    """The mistakes in single parameters: averaged over the samples, uphill, transposed."""
    averaged = "treat every parameter alike: a bias's gradient is dl.sum(axis=0, keepdims=True), as the weights' " \
               "products sum over samples."
    weights, biases = [k for k in G if k.startswith("W")], [k for k in G if k.startswith("b")]
    out = [(Mistake("gradient-bias-averaged", f"the {which}' gradients are averaged over the samples while the "
                    f"{other}' are summed", averaged), dict(G, **{k: G[k] / n for k in group}))
           for group, which, other in ((biases, "biases", "weights"), (weights, "weights", "biases"))]
    for k in G:
        out.append((Mistake("gradient-param-sign-flipped", f"d{k} alone points uphill: its sign is flipped",
                            f"flip d{k}'s sign, or the update's sign for {k}: every parameter takes p -= lr * dp."),
                    dict(G, **{k: -G[k]})))
        out.append((Mistake("gradient-bias-averaged", f"d{k} alone is {n}x too small: averaged over the samples "
                            "while the other gradients are summed", averaged), dict(G, **{k: G[k] / n})))
        if np.ndim(G[k]) == 2 and min(np.shape(G[k])) > 1:
            out.append((Mistake("gradient-transposed", f"d{k} is the transpose of the true d{k}, reshaped back",
                                f"build d{k} with {k}'s own orientation (no .T, no reshape)."),
                        _reshaped(G, **{k: G[k].T})))
    return out


def recognise(g, G, hidden, n):
    """The ``(Mistake, factor)`` that your not-parallel gradient ``g`` is, or ``(None, None)``: the first
    mistaken gradient of the module's table (``hidden``: None, or as in ``_hidden_candidates``) that ``g``
    equals up to one positive factor (the loss's convention: 2 or not, mean or sum, shows up there)."""
    candidates = (_hidden_candidates(G, hidden) if hidden is not None else []) + _parameter_candidates(G, n)
    for mistake, wrong in candidates:
        cmp = compare_gradients(g, wrong)
        if cmp.parallel and cmp.factor > 0:
            return mistake, cmp.factor
    return None, None

