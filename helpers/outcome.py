r"""What a training run did, in one word: the one classifier the playground, the phase diagram
and the doctor share.

A run is its losses ``L[k]`` (the training MSE after ``k`` updates) and ``var(y)``, the loss of
the best constant prediction: how much there is to explain. A change *counts* only above
``FLAT_FRACTION * var(y)`` and ``FLAT_SHARE`` of the loss (visible on a log plot), so rounding
noise decides nothing. ``classify`` returns one of ``OUTCOMES``, checked in this order:

- ``"diverged"``: the loss became non-finite or passed ``divergence_bound``; training stopped there.
- ``"rising"``: the loss ended higher than it started, however slowly (never "stalled"): the steps
  make the fit worse (a learning rate too large but not yet past the bound, or an uphill gradient).
- ``"catapult"``: the loss rose above its start, then came back below ``STALL_FRACTION * var(y)``
  and is not bouncing: a step too large for the initial curvature, after which the network found
  a flatter region (Lewkowycz et al. 2020).
- ``"still improving"``: over the last tenth of the run (``w = max(1, E // 10)`` epochs) the loss
  fell by an amount that counts.
- ``"stalled"``: not improving, and either bouncing (moving with no net progress over the last
  tenth) or settled above ``GOOD_FRACTION * var(y)``.
- ``"converged"``: settled below ``GOOD_FRACTION * var(y)``: over 90% of the variance explained.
"""
import numpy as np

from .validate import check_number, real_array

__all__ = ["DIVERGENCE_FACTOR", "FLAT_FRACTION", "FLAT_SHARE", "GOOD_FRACTION", "STALL_FRACTION", "OUTCOMES",
           "divergence_bound", "counts_as_change", "classify"]

#: A loss this many times above ``max(initial loss, var(y))`` counts as diverged: a network a
#: million times worse than predicting the mean is not coming back, and stopping there keeps
#: every later number finite.
DIVERGENCE_FACTOR = 1e6
#: A loss change counts only above ``FLAT_FRACTION * var(y)`` *and* ``FLAT_SHARE`` of the loss.
FLAT_FRACTION = 1e-3
FLAT_SHARE = 0.01
#: A settled run below ``GOOD_FRACTION * var(y)`` explains over 90% of the variance: converged.
GOOD_FRACTION = 0.1
#: A spike counts as a catapult only if the run came back below this fraction of ``var(y)``.
STALL_FRACTION = 0.5
#: Every word ``classify`` can return, from the best to the worst.
OUTCOMES = ("converged", "catapult", "still improving", "stalled", "rising", "diverged")


def divergence_bound(first_loss, y):
    """The loss above which a run counts as diverged: ``DIVERGENCE_FACTOR * max(first_loss, var(y))``."""
    first_loss = check_number("first_loss", first_loss, 0)
    with np.errstate(over="ignore"):  # targets near 1e300: var(y) is inf, and so is the bound
        return DIVERGENCE_FACTOR * max(first_loss, float(np.var(real_array("y", y))), 1e-12)


def counts_as_change(change, loss, var_y):
    """True when a loss change is large enough to matter: see ``FLAT_FRACTION``, ``FLAT_SHARE``."""
    change, loss = check_number("change", change), check_number("loss", loss, 0)
    return _counts(change, loss, check_number("var_y", var_y, 0))


def _counts(change, loss, var_y):
    return change > max(FLAT_FRACTION * var_y, FLAT_SHARE * loss)


def classify(losses, var_y, diverged):
    """One word of ``OUTCOMES`` for a run's ``losses`` (``L[k]`` after ``k`` updates).

    ``var_y`` is ``var(y)`` of the training targets; ``diverged`` (True or False) whether training
    stopped for divergence. ``losses``: all finite, and at least one unless the run diverged.
    """
    if not isinstance(diverged, (bool, np.bool_)):
        raise ValueError(f"diverged must be True or False, got {diverged!r:.60}")
    L = real_array("losses", losses, ndim=1, empty=diverged)
    var_y = check_number("var_y", var_y, 0)
    if diverged:
        return "diverged"
    E = len(L) - 1
    w = max(1, E // 10)
    tail = L[max(E - w, 0):]
    if _counts(L[E] - L[0], L[0], var_y):
        return "rising"
    improving = _counts(tail[0] - L[E], tail[0], var_y)
    bouncing = not improving and _counts(tail.max() - tail.min(), L[E], var_y)
    if _counts(L.max() - L[0], L[0], var_y) and L[E] < STALL_FRACTION * var_y and not bouncing:
        return "catapult"
    if improving:
        return "still improving"
    if bouncing or L[E] >= GOOD_FRACTION * var_y:
        return "stalled"
    return "converged"
