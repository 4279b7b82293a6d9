"""Shared code for the tutorial series "Why does my network's loss go 3.5, -3e4, -3e12, -6e28?".

One module per idea, in the question's notation (``W0, b0, W1, b1``, hidden ``l1``, output ``l2``).
The core, in reading order:

- ``validate``  the one validation layer, where every ``ValueError`` starts, and the size bounds
- ``data``      the question's data set and input standardization (and its buggy twin)
- ``net``       the network: init, forward, loss, backward, shape checks (the reference)
- ``fastnet``   the same loss and gradient arranged to be fast on every CPU (what training runs)
- ``gradcheck`` numerical gradients and the relative-error test (CS231n style)
- ``outcome``   what a run did, in one word (converged ... diverged): the one classifier
- ``train``     the one training loop (``descend``) and gradient descent (``train``)
- ``original``  an operation-for-operation replay of the question's program, with switchable fixes

The tools built on it: ``stability`` (curvature and the 2 / sharpness learning-rate limit), ``optim``
(momentum, Adam, Levenberg-Marquardt), ``bugs`` (training with the question's bugs as switches),
``live`` (the playground widget), ``gradient_mistakes`` (the classic mistakes in a hand-written
gradient), ``doctor`` (``diagnose``: finds the question's bugs in your network), ``checks`` (the
exercises' check cells). Notebooks import these; they never paste forward/backward code of their own.

Conventions, stated once (``net``): the residual is the question's ``y - l2``; a run's
``losses[k]`` is the loss after ``k`` updates, so ``E`` epochs give ``E + 1`` losses.
"""

__all__ = ["validate", "data", "net", "fastnet", "gradcheck", "outcome", "train", "original", "stability",
           "optim", "bugs", "live", "gradient_mistakes", "doctor", "checks"]
