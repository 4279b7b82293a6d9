"""Shared code for the tutorial series "Why does my network's loss go 3.5, -3e4, -3e12, -6e28?".

One module per idea, in the question's notation (``W0, b0, W1, b1``, hidden ``l1``,
output ``l2``):

- ``validate``   the one validation layer: ``check_int``, ``check_number``, ``real_array``, ``column``, the
                 size bounds (``MAX_SAMPLES``, ``MAX_HIDDEN``, ``MAX_EPOCHS``, ``MAX_ITERS``): where every
                 ``ValueError`` starts
- ``data``       the question's data set and input standardization (and its buggy twin)
- ``net``        the network: init, forward, loss, backward, parameter shape check (the reference)
- ``fastnet``    the same loss and gradient arranged to be fast on every CPU (what training runs)
- ``gradcheck``  numerical gradients and the relative-error test (CS231n style)
- ``outcome``    what a run did, in one word (converged ... diverged): the one classifier
- ``train``      the one training loop (``descend``) and gradient descent (``train``)
- ``original``   an operation-for-operation replay of the question's program, with switchable fixes
- ``stability``  curvature: Hessian-vector products, sharpness, the 2 / sharpness learning-rate limit
- ``optim``      momentum, Adam and Levenberg-Marquardt, with the same result type as ``train``
- ``bugs``       training with the question's four bugs as switches, and the status line
- ``live``       the playground widget (notebooks 04 and 06)
- ``gradient_mistakes``  the classic mistakes in a hand-written gradient, named from the true one
- ``doctor``     ``diagnose``: finds the question's bugs in your own network
- ``checks``     the exercise notebooks' check cells, which name the mistake

Notebooks import these; they never paste forward/backward code of their own.

Conventions, stated once (``net``): the residual is the question's ``y - l2``; a run's
``losses[k]`` is the loss after ``k`` updates, so ``E`` epochs give ``E + 1`` losses.
"""

__all__ = ["validate", "data", "net", "fastnet", "gradcheck", "outcome", "train", "original", "stability",
           "optim", "bugs", "live", "gradient_mistakes", "doctor", "checks"]
