"""Is an argument a whole number, or a real number? Where every ``ValueError`` here starts.

Python counts ``True`` as the integer 1, but ``epochs=True`` or ``lr=True`` is a mistake, not
a setting: both predicates reject booleans. numpy scalars (``np.int64(3)``, ``np.float32(0.1)``)
are accepted, since they are what indexing and arithmetic on arrays hand back.
"""
import numpy as np

__all__ = ["is_integer", "is_number"]


def is_integer(value):
    """True for an ``int`` or numpy integer that is not a ``bool``."""
    return not isinstance(value, bool) and isinstance(value, (int, np.integer))


def is_number(value):
    """True for an ``int``, ``float`` or numpy number that is not a ``bool`` (NaN and inf included)."""
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))
