"""The one validation layer: is an argument what a public function can use? Every ``ValueError`` starts here.

Each public function of ``helpers`` checks its arguments on entry, then computes unchecked. Every
message reads ``<name> must be <what was expected>, got <what it got>``. The rules, everywhere:

- A number is an ``int``, ``float`` or numpy real, never a ``bool`` (``lr=True`` is a mistake), and finite.
- An array holds real numbers: ``bool``, ``complex``, ``object`` or string arrays are refused, not
  converted; lists of numbers are arrays. Inputs are never modified.
- Sizes and counts have upper bounds (``MAX_*`` below), so that a typo such as ``epochs=10**12`` is a
  ``ValueError`` naming the bound, not minutes of computing or a ``MemoryError``.
- A seed is an integer from 0 to ``MAX_SEED`` (never ``None``, a fresh random seed).
"""
import math

import numpy as np

__all__ = ["MAX_SAMPLES", "MAX_HIDDEN", "MAX_EPOCHS", "MAX_ITERS", "MAX_DENSE", "MAX_SEED", "describe",
           "is_integer", "is_number", "check_int", "check_seed", "check_number", "check_callable",
           "check_names", "real_array", "column", "same_rows", "param_arrays"]

#: Most samples ``data.make_data`` draws (10 million: 160 MB for ``x`` and ``y``).
MAX_SAMPLES = 10_000_000
#: Most hidden units a network may have.
MAX_HIDDEN = 10_000
#: Most epochs any trainer runs (a million epochs at n = 1000 take about a minute).
MAX_EPOCHS = 1_000_000
#: Most iterations of Levenberg-Marquardt (each a dense solve) or steps of power iteration.
MAX_ITERS = 100_000
#: Most parameters for a dense ``(p, p)`` matrix (``stability.dense_hessian``, Levenberg-Marquardt's
#: ``J^T J``): 3001 is ``h = 1000`` hidden units, a 72 MB matrix.
MAX_DENSE = 3001
#: Largest seed: ``numpy.random.default_rng`` takes any integer >= 0; int64 keeps it portable.
MAX_SEED = 2**63 - 1


def describe(value):
    """A short description of ``value`` for a message: an array's shape and dtype, else a short ``repr``."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:45]}... ({type(value).__name__})"


def _fail(name, expected, value):
    raise ValueError(f"{name} must be {expected}, got {describe(value)}")


def is_integer(value):
    """True for an ``int`` or numpy integer that is not a ``bool``."""
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, np.integer))


def is_number(value):
    """True for an ``int``, ``float`` or numpy real number that is not a ``bool`` (NaN and inf included)."""
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, float, np.integer, np.floating))


def check_int(name, value, low=1, high=None):
    """Raise ``ValueError`` unless ``value`` is an integer from ``low`` to ``high`` (inclusive)."""
    if is_integer(value) and value >= low and (high is None or value <= high):
        return
    upper = "" if high is None else f" and <= {high}"
    _fail(name, f"an integer >= {low}{upper}", value)


def check_seed(name, value, high=MAX_SEED):
    """Raise ``ValueError`` unless ``value`` is a seed: an integer from 0 to ``high`` (``MAX_SEED``)."""
    check_int(name, value, 0, high)


def check_number(name, value, low=-math.inf, high=math.inf, *, low_open=False, high_open=False):
    """Return ``float(value)``; ``ValueError`` unless it is a finite number in the interval.

    ``low_open`` / ``high_open`` exclude the bound: ``check_number("lr", lr, 0, low_open=True)``
    asks for a positive learning rate.
    """
    if is_number(value) and math.isfinite(value):
        v = float(value)
        if (v > low if low_open else v >= low) and (v < high if high_open else v <= high):
            return v
    if low == 0 and low_open and high == math.inf:
        _fail(name, "a positive finite number", value)
    bounds = [f"{'>' if low_open else '>='} {low:g}"] if low > -math.inf else []
    bounds += [f"{'<' if high_open else '<='} {high:g}"] if high < math.inf else []
    _fail(name, " ".join(["a finite number", " and ".join(bounds)]).strip(), value)


def check_callable(name, value):
    """Raise ``ValueError`` unless ``value`` can be called."""
    if not callable(value):
        _fail(name, "a function", value)


def check_names(name, value, allowed):
    """``value`` (one name or a tuple/list/set of names) as a tuple in ``allowed``'s order, or ``ValueError``."""
    names = (value,) if isinstance(value, str) else value
    if not isinstance(names, (tuple, list, set, frozenset)) or not all(isinstance(v, str) for v in names):
        _fail(name, f"a name or a tuple of names from {allowed}", value)
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        raise ValueError(f"{name} has unknown names {unknown} (got {describe(value)}); "
                         f"expected any subset of {allowed}")
    return tuple(v for v in allowed if v in names)


def real_array(name, value, *, finite=True, empty=False, ndim=None):
    """``value`` as a float64 array (not a copy if it is one), or ``ValueError``: unless a number, array or list
    of real numbers; with ``finite``, unless all finite; unless non-empty (or ``empty``); unless its
    number of axes is in ``ndim`` (an int or a tuple) when given."""
    if isinstance(value, (str, bytes, dict, set, bool, np.bool_)) or value is None or callable(value):
        _fail(name, "an array of real numbers", value)
    try:
        a = np.asarray(value)
    except (ValueError, TypeError):  # a ragged list
        _fail(name, "an array of real numbers (a ragged list is not one)", value)
    if a.dtype.kind not in "iuf":
        _fail(name, "an array of real numbers (not bool, complex, object or text)", a)
    if ndim is not None and a.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        axes = " or ".join(map(str, (ndim,) if isinstance(ndim, int) else ndim))
        _fail(name, f"an array with {axes} axes", a)
    if not empty and a.size == 0:
        _fail(name, "a non-empty array", a)
    a = a.astype(float, copy=False)
    if finite and not np.all(np.isfinite(a)):
        _fail(name, "finite (no NaN or infinite values)", a)
    return a


def column(name, value, *, finite=True):
    """``value`` as a float64 ``(n, 1)`` array: one number per sample, ``n >= 1`` (see ``real_array``)."""
    a = real_array(name, value, finite=finite, empty=True)
    if a.ndim != 2 or a.shape[1] != 1 or a.shape[0] == 0:
        _fail(name, "an array of shape (n, 1): one number per sample, n >= 1 (an (n,) array would "
                    "broadcast against an (n, 1) one into (n, n))", a)
    return a


def same_rows(**arrays):
    """Raise ``ValueError`` unless every array has the same number of rows (samples)."""
    rows = {k: len(v) for k, v in arrays.items()}
    if len(set(rows.values())) > 1:
        got = ", ".join(f"{k} {v}" for k, v in rows.items())
        raise ValueError(f"{' and '.join(rows)} must have the same number of samples, got {got}")


def param_arrays(params, names, *, finite=True, name="params"):
    """``params`` as a new dict of float64 arrays for ``names``; ``ValueError`` unless a dict of real arrays."""
    if not isinstance(params, dict):
        _fail(name, f"a dict with keys {names}", params)
    missing = [k for k in names if k not in params]
    if missing:
        raise ValueError(f"{name} is missing {missing} (got keys {sorted(map(str, params))}); "
                         f"expected the keys {names}")
    return {k: real_array(f"{name}[{k!r}]", params[k], finite=finite, ndim=(1, 2)) for k in names}
