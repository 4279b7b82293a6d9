"""Full-batch gradient descent that treats divergence as a result, not a crash.

Each epoch runs the whole batch forward, measures the MSE, runs backward and steps
downhill: ``p -= lr * dL/dp``. When the loss stops being a finite number, or explodes
past ``DIVERGENCE_FACTOR`` times where it started, training stops and says when. Numpy's
overflow warnings are silenced inside the loop, because the divergence report replaces them.
"""
from dataclasses import dataclass

import numpy as np

from . import net

#: A loss this many times above ``max(initial loss, var(y))`` counts as diverged. ``var(y)``
#: is the loss of the constant prediction ``mean(y)``; a network a million times worse than
#: that is not coming back, and stopping there keeps every later number finite.
DIVERGENCE_FACTOR = 1e6


@dataclass
class TrainResult:
    """What a training run produced.

    - ``losses``: the MSE at the start of each epoch (before that epoch's update), a numpy
      array. Only finite values are kept: a run that diverged ends with the last finite loss.
    - ``params``: the parameters where training stopped (a new dict; the caller's are untouched).
    - ``diverged``: True when the loss became non-finite or exploded past the bound.
    - ``diverged_at``: the epoch at which that was seen, or None.
    """

    losses: np.ndarray
    params: dict
    diverged: bool
    diverged_at: int | None

    @property
    def final_loss(self):
        """The last recorded loss (NaN for a run that diverged at epoch 0 with nothing finite)."""
        return float(self.losses[-1]) if len(self.losses) else float("nan")

    def summary(self):
        """One line: ``diverged at epoch k (loss 3e+31)`` or ``loss 0.0123 after N epochs``."""
        if self.diverged:
            last = f"loss {self.final_loss:.3g}" if len(self.losses) > self.diverged_at else "loss not finite"
            return f"diverged at epoch {self.diverged_at} ({last})"
        return f"loss {self.final_loss:.3g} after {len(self.losses)} epochs"


def check_training_inputs(params, x, y, lr, epochs):
    """Raise ``ValueError`` with a clear message for anything training cannot use."""
    net.check_params(params, n_samples=np.shape(x)[0] if np.ndim(x) else None)
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive finite number, got {lr}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or x.shape[1] != 1 or y.ndim != 2 or y.shape[1] != 1:
        raise ValueError(f"x and y must have shape (n, 1), got x {x.shape} and y {y.shape}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same number of samples, got {len(x)} and {len(y)}")
    if len(x) == 0:
        raise ValueError("x and y are empty; expected at least one sample")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite; found NaN or infinite values")


def divergence_bound(first_loss, y):
    """The loss above which a run counts as diverged (see ``DIVERGENCE_FACTOR``)."""
    return DIVERGENCE_FACTOR * max(first_loss, float(np.var(y)), 1e-12)


def train(params, x, y, lr, epochs):
    """Gradient descent on ``net.mse`` for ``epochs`` full-batch steps of size ``lr``.

    Returns a ``TrainResult``. The caller's ``params`` are copied, never modified.
    """
    check_training_inputs(params, x, y, lr, epochs)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    p = {k: np.array(v, dtype=float) for k, v in params.items()}
    losses = np.empty(epochs)
    bound = None
    with np.errstate(all="ignore"):  # overflow is reported as divergence below
        for epoch in range(epochs):
            l2, cache = net.forward(p, x)
            loss = net.mse(l2, y)
            if bound is None:
                bound = divergence_bound(loss, y) if np.isfinite(loss) else 0.0
            if not np.isfinite(loss) or loss > bound:
                kept = epoch + 1 if np.isfinite(loss) else epoch
                losses[epoch] = loss
                return TrainResult(losses[:kept].copy(), p, True, epoch)
            losses[epoch] = loss
            grads = net.backward(p, cache, y)
            for k in p:
                p[k] -= lr * grads[k]
    return TrainResult(losses, p, False, None)
