r"""What a training run did, in one word: the one classifier the playground, the phase diagram
and the doctor share.

A run is its losses, ``L[k]`` = the training MSE after ``k`` updates (``E`` epochs give
``E + 1`` losses; a diverged run stops at its last finite loss), and ``var(y)``: the loss of
the best constant prediction ``mean(y)``, the scale of "how much there is to explain".
``classify`` returns one of ``OUTCOMES``; the checks, in this order:

- ``"diverged"``: the loss became non-finite or passed ``divergence_bound`` (``L[0]`` or
  ``var(y)``, whichever is larger, times ``DIVERGENCE_FACTOR``); training stopped there.
- ``"rising"``: the loss ended higher than it started, or climbed over the last tenth of the
  run to end at its highest: the steps make the fit worse (too large a learning rate that has
  not yet passed the bound, or the question's gradient pointing uphill).
- ``"still improving"``: over the last tenth (``w = max(1, E // 10)`` epochs) the loss fell
  by an amount that *counts*: more than ``FLAT_FRACTION * var(y)`` and ``FLAT_SHARE`` of the
  loss (a drop visible on a log plot). The budget ran out while the fit was getting better.
- ``"stalled"``: not improving, and either still moving with no net progress over the last
  tenth (bouncing), or settled above ``GOOD_FRACTION * var(y)``.
- ``"catapult"``: settled below that, after the loss had risen above where it started: the
  early spike of a step too large for the initial curvature, after which the network found a
  flatter region (Lewkowycz et al. 2020).
- ``"converged"``: settled below ``GOOD_FRACTION * var(y)`` without such a spike.

A change counts only if it is larger than ``counts_as_change``'s threshold, so rounding noise
never makes a run "still improving" or "rising".
"""
import numpy as np

__all__ = ["DIVERGENCE_FACTOR", "FLAT_FRACTION", "FLAT_SHARE", "GOOD_FRACTION", "OUTCOMES",
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
#: Every word ``classify`` can return, from the best to the worst.
OUTCOMES = ("converged", "catapult", "still improving", "stalled", "rising", "diverged")


def divergence_bound(first_loss, y):
    """The loss above which a run counts as diverged (see ``DIVERGENCE_FACTOR``)."""
    return DIVERGENCE_FACTOR * max(float(first_loss), float(np.var(y)), 1e-12)


def counts_as_change(change, loss, var_y):
    """True when a loss change is large enough to matter: see ``FLAT_FRACTION``, ``FLAT_SHARE``."""
    return change > max(FLAT_FRACTION * var_y, FLAT_SHARE * loss)


def classify(losses, var_y, diverged):
    """One word of ``OUTCOMES`` for a run's ``losses`` (``L[k]`` after ``k`` updates).

    ``var_y`` is ``var(y)`` of the training targets; ``diverged`` says whether training stopped
    for divergence. ``losses`` must hold at least one loss unless the run diverged.
    """
    L = np.asarray(losses, dtype=float)
    if diverged:
        return "diverged"
    E = len(L) - 1
    w = max(1, E // 10)
    tail = L[max(E - w, 0):]
    if counts_as_change(L[E] - L[0], L[0], var_y) or (
            counts_as_change(L[E] - tail[0], tail[0], var_y) and L[E] >= tail.max()):
        return "rising"
    if counts_as_change(tail[0] - L[E], tail[0], var_y):
        return "still improving"
    if counts_as_change(tail.max() - tail.min(), L[E], var_y) or L[E] >= GOOD_FRACTION * var_y:
        return "stalled"
    return "catapult" if counts_as_change(L.max() - L[0], L[0], var_y) else "converged"
