"""Is an argument a whole number, or a real number, in range? Where every ``ValueError`` here starts.

Python counts ``True`` as the integer 1, but ``epochs=True`` or ``lr=True`` is a mistake, not
a setting: every test here rejects booleans. numpy scalars (``np.int64(3)``, ``np.float32(0.1)``)
are accepted, since they are what indexing and arithmetic on arrays hand back.

The upper bounds on sizes and counts live here too, so that a typo such as ``epochs=10**12`` is
a ``ValueError`` that names the bound, not minutes of computing or a ``MemoryError``. Each message
names the argument, what it got and what was expected.
"""
import numpy as np

__all__ = ["MAX_SAMPLES", "MAX_HIDDEN", "MAX_EPOCHS", "MAX_ITERS", "is_integer", "is_number",
           "check_int", "check_seed"]

#: Most samples ``data.make_data`` draws (10 million: 160 MB for ``x`` and ``y``).
MAX_SAMPLES = 10_000_000
#: Most hidden units a network may have.
MAX_HIDDEN = 10_000
#: Most epochs any trainer runs (a million epochs at n = 1000 take about a minute).
MAX_EPOCHS = 1_000_000
#: Most iterations (or starts) of Levenberg-Marquardt, each a dense solve.
MAX_ITERS = 100_000


def is_integer(value):
    """True for an ``int`` or numpy integer that is not a ``bool``."""
    return not isinstance(value, bool) and isinstance(value, (int, np.integer))


def is_number(value):
    """True for an ``int``, ``float`` or numpy number that is not a ``bool`` (NaN and inf included)."""
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))


def check_int(name, value, low=1, high=None):
    """Raise ``ValueError`` unless ``value`` is an integer from ``low`` to ``high`` (inclusive)."""
    if is_integer(value) and value >= low and (high is None or value <= high):
        return
    upper = "" if high is None else f" and <= {high}"
    raise ValueError(f"{name} must be an integer >= {low}{upper}, got {value!r}")


def check_seed(name, value):
    """Raise ``ValueError`` unless ``value`` is a seed ``numpy.random.default_rng`` takes: an integer >= 0."""
    check_int(name, value, 0, 2**63 - 1)
