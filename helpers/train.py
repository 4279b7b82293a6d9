"""Full-batch gradient descent that treats divergence as a result, not a crash.

Each epoch runs the whole batch forward, measures the MSE, runs backward and steps
downhill: ``p -= lr * dL/dp``. When the loss stops being a finite number, or explodes
past ``DIVERGENCE_FACTOR`` times where it started, training stops and says when. Numpy's
overflow warnings are silenced inside the loop, because the divergence report replaces them.

``net.forward`` and ``net.backward`` are the reference: the clearest statement of the maths.
Training runs the same maths through ``FusedNet``, which keeps every array it needs from one
epoch to the next and does the work in about a dozen numpy calls (see its docstring); the
tests check that the two agree. ``descend`` is the one training loop: plain gradient descent
(``train``) and the trainers in ``helpers.optim`` differ only in the update they pass it.
"""
import math
from dataclasses import dataclass

import numpy as np

from . import net
from .arguments import is_integer, is_number

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
    if not is_number(lr):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive finite number, got {lr}")
    if not is_integer(epochs) or epochs < 1:
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


class FusedNet:
    r"""The network's loss and gradient with every array allocated once: the fast path.

    The maths is ``net.forward``, ``net.mse`` and ``net.backward``; the arrangement differs
    in four ways, each worth knowing when numpy code has to be fast (at n = 1000, h = 10 an
    epoch costs a few microseconds per numpy call, so the number of calls is the cost):

    1. **One flat parameter vector** ``theta = [W0 (h), b0 (h), W1 (h), b1 (1)]`` (``net.flatten``).
       ``net.unflatten`` gives ``W0, b0, W1, b1`` as *views* into it, and ``grad`` has the same
       layout, so any update rule is one vector operation (``theta -= lr * grad``), not a
       loop over a dict.
    2. **A bias is a weight on a constant input 1.** With ``xa = [x, 1]``,
       ``x W0 + b0 = xa @ [W0; b0]``, one matrix product, and its backward
       ``xa.T @ dz0 = [dW0; db0]`` also does the ``sum over samples`` that ``db0`` needs.
       Likewise ``[l1, 1] @ [W1; b1] = l2``. In ``theta``, ``[W0; b0]`` and ``[W1; b1]`` are
       contiguous, so both stacked matrices are views too.
    3. **Samples along the last axis**: the hidden layer is stored as ``(h, n)``, the
       transpose of ``net``'s ``(n, h)``, so each unit's ``n`` values are contiguous.
    4. **Sigmoid through tanh, slope for free**: ``l1 = (1 + t) / 2`` with ``t = tanh(z / 2)``
       (as in ``net.sigmoid``), so ``l1 (1 - l1) = (1 - t^2) / 4``.

    A profile of the plain loop (``net.forward``, ``net.backward``, a dict update) showed its
    time going to many small calls and temporaries: ``sum(axis=0)``, the two outer products
    ``x.T @ dz0`` and ``l1.T @ dl2``, the broadcast bias adds, and the per-key update.

    Every step writes into a preallocated buffer (``out=``), so an epoch allocates nothing.
    ``loss_and_grad()`` is one forward and backward pass at the current ``theta``.
    ``forward()`` alone gives the loss (and leaves the residual ``r`` and ``t``).
    """

    def __init__(self, params, x, y):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        n, h = len(x), np.shape(params["W0"])[1]
        self.n, self.h = n, h
        self.theta = net.flatten(params)
        self.grad = np.zeros_like(self.theta)
        self.W1 = net.unflatten(self.theta)["W1"]
        # The two stacked weight matrices of point 2, views into theta and grad.
        self.A, self.gA = self.theta[:2 * h].reshape(2, h), self.grad[:2 * h].reshape(2, h)
        self.B, self.gB = self.theta[2 * h:].reshape(h + 1, 1), self.grad[2 * h:].reshape(h + 1, 1)
        # Data, samples along the last axis: xa = [x; 1] is (2, n), y is (1, n).
        self.xa = np.vstack([x.T, np.ones((1, n))])
        self.y = np.ascontiguousarray(y.T)
        # Buffers: the half weights, z (reused for t), [l1; 1], the residual, the slope, xa * r.
        self.half_A = np.empty((h, 2))
        self.t = np.empty((h, n))
        self.l1a = np.ones((h + 1, n))  # the last row stays 1: the constant input of b1
        self.l1 = self.l1a[:h]
        self.r = np.empty((1, n))
        self.slope = np.empty((h, n))
        self.xr = np.empty((2, n))

    def params(self):
        """The current parameters as a new ``{W0, b0, W1, b1}`` dict of copies."""
        return {k: v.copy() for k, v in net.unflatten(self.theta).items()}

    def loss_and_grad(self):
        """Return ``mse(l2, y)`` at ``theta`` and fill ``grad`` with its gradient."""
        loss = self.forward()
        self.backward()
        return loss

    def forward(self):
        """Return ``mse(l2, y)`` at ``theta``; leaves ``t``, ``l1`` and ``r = l2 - y`` (``(1, n)``)."""
        n, t, l1, r = self.n, self.t, self.l1, self.r
        # z / 2 from half weights: halving 2h weights beats halving h*n values.
        np.multiply(self.A.T, 0.5, out=self.half_A)
        np.matmul(self.half_A, self.xa, out=t)       # z / 2 = (x W0 + b0) / 2, shape (h, n)
        np.tanh(t, out=t)                             # t = tanh(z / 2)
        np.multiply(t, 0.5, out=l1)
        np.add(l1, 0.5, out=l1)                       # l1 = sigmoid(z) = (1 + t) / 2
        np.matmul(self.B.T, self.l1a, out=r)          # l2 = l1 W1 + b1, shape (1, n)
        np.subtract(r, self.y, out=r)                 # r = l2 - y
        return float(np.dot(r[0], r[0])) / n          # mean squared error

    def backward(self):
        """Fill ``grad`` with the gradient of the MSE at the point of the last ``forward()``."""
        n, t, r, slope = self.n, self.t, self.r, self.slope
        # dL/dl2 = 2 r / n. The constant 2 / n multiplies the small results (2h + h + 1
        # numbers), never the big arrays.
        np.matmul(self.l1a, r.T, out=self.gB)         # [dW1; db1] = [l1; 1] @ dL/dl2 ...
        np.multiply(self.gB, 2.0 / n, out=self.gB)    # ... with its 2 / n
        # dL/dz0 = sigmoid'(z) * W1 (one per unit) * dL/dl2 (one per sample), and
        # [dW0; db0] = xa @ dL/dz0. The per-sample factor can ride on xa (2 rows) and the
        # per-unit factor on the (2, h) result, so only the slope touches all h*n entries.
        np.square(t, out=slope)
        np.subtract(1.0, slope, out=slope)            # 4 sigmoid'(z) = 1 - t^2
        np.multiply(self.xa, r, out=self.xr)          # xa * r
        np.matmul(self.xr, slope.T, out=self.gA)      # sum over samples of xa * r * (1 - t^2)
        np.multiply(self.gA, self.W1.T * (0.5 / n), out=self.gA)  # * W1 * (2 / n) / 4


def descend(params, x, y, epochs, update):
    """The training loop every first-order trainer shares; returns a ``TrainResult``.

    Each epoch: loss and gradient at the current parameters, the divergence check, then
    ``update(theta, grad)``, which must change the flat vector ``theta`` in place (layout in
    ``FusedNet``). Call ``check_training_inputs`` first; ``params`` is copied, never modified.
    """
    fused = FusedNet(params, x, y)
    theta, grad = fused.theta, fused.grad
    losses = np.empty(epochs)
    bound = None
    with np.errstate(all="ignore"):  # overflow is reported as divergence below
        for epoch in range(epochs):
            loss = fused.loss_and_grad()
            if bound is None:
                bound = divergence_bound(loss, y) if math.isfinite(loss) else 0.0
            if not math.isfinite(loss) or loss > bound:
                kept = epoch + 1 if math.isfinite(loss) else epoch
                losses[epoch] = loss
                return TrainResult(losses[:kept].copy(), fused.params(), True, epoch)
            losses[epoch] = loss
            update(theta, grad)
    return TrainResult(losses, fused.params(), False, None)


def train(params, x, y, lr, epochs):
    """Gradient descent on ``net.mse`` for ``epochs`` full-batch steps of size ``lr``.

    Returns a ``TrainResult``. The caller's ``params`` are copied, never modified.
    """
    check_training_inputs(params, x, y, lr, epochs)
    step = np.empty(3 * np.shape(params["W0"])[1] + 1)

    def gradient_step(theta, grad):  # p -= lr * dL/dp, for every parameter at once
        np.multiply(grad, lr, out=step)
        np.subtract(theta, step, out=theta)

    return descend(params, x, y, epochs, gradient_step)
