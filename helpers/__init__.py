"""Shared code for the tutorial series "Why does my network's loss go 3.5, -3e4, -3e12, -6e28?".

One module per idea, in the question's notation (``W0, b0, W1, b1``, hidden ``l1``, output ``l2``),
each described in its own docstring and in the README's helpers table. The core, in reading order:
``validate``, ``data``, ``net``, ``fastnet``, ``gradcheck``, ``outcome``, ``train``, ``original``; the
tools built on it: ``stability``, ``optim``, ``bugs``, ``live``, ``gradient_mistakes``, ``doctor``,
``checks``. Notebooks import these; they never paste forward/backward code of their own.

Conventions, stated once (``net``): the residual is the question's ``y - l2``; a run's
``losses[k]`` is the loss after ``k`` updates, so ``E`` epochs give ``E + 1`` losses.
"""

__all__ = ["validate", "data", "net", "fastnet", "gradcheck", "outcome", "train", "original", "stability",
           "optim", "bugs", "live", "gradient_mistakes", "doctor", "checks"]
