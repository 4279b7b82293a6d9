"""The one training loop: full-batch descent that treats divergence as a result, not a crash.

``descend(params, x, y, epochs, update)`` is the loop every trainer shares (``train``,
``optim.momentum`` and ``optim.adam``, ``bugs.run``). Each epoch it measures the loss, checks
for divergence, computes the gradient (``fastnet.FastNet``) and lets ``update(theta, grad)``
change the flat parameter vector (``net.flatten``'s layout) in place; when asked, it records what
the playground draws and hands back the run so far every ``chunk`` updates. ``losses[k]`` is the
MSE after ``k`` updates (``net``'s convention). When the loss stops being finite or passes
``outcome.divergence_bound``, training stops and says when, instead of numpy's overflow warnings.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from .validate import MAX_EPOCHS, check_callable, check_int, check_number, real_array
from .fastnet import FastNet
from .outcome import divergence_bound

__all__ = ["TrainResult", "descend", "train", "gradient_step", "divergence_bound", "MAX_EPOCHS"]


@dataclass
class TrainResult:
    """What a training run produced.

    - ``losses``: the MSE after 0, 1, 2, ... updates, finite ones only (a diverged run ends with
      its last finite loss); ``params``: where training stopped (a new dict).
    - ``diverged``, ``diverged_at``: whether, and at which entry of ``losses``, the run diverged.
    - With ``descend(details=True)`` (NaN otherwise): ``printed``, the question's printed 'loss'
      ``mean(y - l2)`` per loss, and ``update_ratios``, per update ``|step| / |theta|`` (CS231n:
      about 1e-3 is healthy).
    - ``curves``: with ``curve_at``, the prediction ``l2`` at those samples, one row per loss.
    - ``snapshot_epochs``, ``snapshots``: with ``snapshot_every = k``, ``theta`` after 0, k, 2k, ...
      updates and at the end (``net.unflatten(row, params)`` gives the dict).
    - ``stopped``: True when ``on_chunk`` asked the run to stop before its last epoch.
    """

    losses: np.ndarray
    params: dict
    diverged: bool
    diverged_at: int | None
    printed: np.ndarray = field(default=None, repr=False)
    update_ratios: np.ndarray = field(default=None, repr=False)
    curves: np.ndarray = field(default=None, repr=False)
    snapshot_epochs: np.ndarray = field(default=None, repr=False)
    snapshots: np.ndarray = field(default=None, repr=False)
    stopped: bool = False

    @property
    def epochs(self):
        """How many updates were made (``len(losses) - 1`` unless the last loss was not finite)."""
        return self.diverged_at if self.diverged else len(self.losses) - 1

    @property
    def final_loss(self):
        """The last recorded loss (NaN for a run whose very first loss was not finite)."""
        return float(self.losses[-1]) if len(self.losses) else float("nan")

    def summary(self):
        """One line: ``diverged at epoch k (loss 3e+31)`` or ``loss 0.0123 after N epochs``."""
        if self.diverged:
            last = f"loss {self.final_loss:.3g}" if len(self.losses) > self.diverged_at else "loss not finite"
            return f"diverged at epoch {self.diverged_at} ({last})"
        return f"loss {self.final_loss:.3g} after {self.epochs} epochs"


def gradient_step(lr):
    """The update rule of gradient descent, ``theta -= lr * grad``, for ``descend`` (``lr`` finite, > 0)."""
    lr = check_number("lr", lr, 0, low_open=True)

    def step(theta, grad):
        np.multiply(grad, lr, out=grad)
        np.subtract(theta, grad, out=theta)
    return step


def train(params, x, y, lr, epochs):
    """Gradient descent on ``net.mse`` for ``epochs`` full-batch steps of size ``lr``.

    Returns a ``TrainResult`` (``epochs + 1`` losses); the caller's ``params`` are copied. ``lr``:
    finite, > 0; ``epochs``: 1 to ``MAX_EPOCHS``; ``params``, ``x``, ``y``: see ``net.check_inputs``
    (finite: NaN parameters are an error, not a divergence).
    """
    return descend(params, x, y, epochs, gradient_step(lr), per_sample=False)


class _Record:
    """The arrays one run fills, one row per loss; ``result`` cuts them to what was kept."""

    def __init__(self, fast, epochs, curve_at, snapshot_every, details):
        self.fast, self.curve_at, self.every, self.details = fast, curve_at, snapshot_every, details
        self.losses, self.printed = np.empty(epochs + 1), np.full(epochs + 1, np.nan)
        self.ratios = np.full(epochs, np.nan)
        self.curves = None if curve_at is None else np.empty((epochs + 1, len(curve_at)))
        self.y_curve = None if curve_at is None else fast.y[0, curve_at]
        self.snap_epochs, self.snaps = [], []
        self.before = np.empty_like(fast.theta)

    def loss(self, k, loss):
        """Record loss ``k`` and what goes with it (the network is at that point)."""
        r = self.fast.r[0]
        self.losses[k] = loss
        if self.details:
            self.printed[k] = r.sum() / len(r)
        if self.curves is not None:
            np.subtract(self.y_curve, r[self.curve_at], out=self.curves[k])  # l2 = y - r
        if self.every and k % self.every == 0:
            self.snap_epochs.append(k)
            self.snaps.append(self.fast.theta.copy())

    def step(self, k, update):
        """Apply ``update`` to the network and record the size of the step it took."""
        theta, before = self.fast.theta, self.before
        if not self.details:
            update(theta, self.fast.grad)
            return
        np.copyto(before, theta)
        norm2 = np.einsum("i,i->", before, before)  # einsum: no BLAS threads for a long vector
        update(theta, self.fast.grad)
        np.subtract(theta, before, out=before)
        self.ratios[k] = math.sqrt(np.einsum("i,i->", before, before) / norm2) if norm2 > 0 else math.nan

    def result(self, kept, diverged_at, stopped=False):
        """A ``TrainResult`` of copies of the first ``kept`` losses."""
        epochs, snaps = list(self.snap_epochs), list(self.snaps)
        if self.every and kept and epochs[-1] != kept - 1 and diverged_at is None:
            epochs.append(kept - 1)  # and the end of the run, wherever it falls
            snaps.append(self.fast.theta.copy())
        snaps = np.array(snaps) if snaps else np.empty((0, len(self.before)))
        return TrainResult(
            losses=self.losses[:kept].copy(), params=self.fast.params(), diverged=diverged_at is not None,
            diverged_at=diverged_at, printed=self.printed[:kept].copy(),
            update_ratios=self.ratios[:max(kept - 1, 0)].copy(),
            curves=None if self.curves is None else self.curves[:kept].copy(),
            snapshot_epochs=np.array(epochs, dtype=int), snapshots=snaps, stopped=stopped)


def _check_options(update, question_gradient, details, per_sample, snapshot_every, chunk, on_chunk):
    check_callable("update", update)
    for name, flag in (("question_gradient", question_gradient), ("details", details), ("per_sample", per_sample)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {flag!r:.60}")
    check_int("snapshot_every", snapshot_every, 0, MAX_EPOCHS)
    check_int("chunk", chunk, 0, MAX_EPOCHS)
    if on_chunk is not None:
        check_callable("on_chunk", on_chunk)


def _sample_indices(curve_at, n):
    idx = real_array("curve_at", curve_at, ndim=1, empty=True)
    if not np.all((idx == np.round(idx)) & (idx >= 0) & (idx < n)):
        raise ValueError(f"curve_at must hold sample indices from 0 to {n - 1}, got {curve_at!r:.60}")
    return np.asarray(curve_at, dtype=int)


def descend(params, x, y, epochs, update, *, question_gradient=False, curve_at=None,
            snapshot_every=0, chunk=0, on_chunk=None, details=False, dtype=np.float32, per_sample=True):
    """The training loop every trainer shares; returns a ``TrainResult``.

    Each epoch ``k``: the loss after ``k`` updates, the divergence check, the gradient, then
    ``update(theta, grad)``, which changes ``theta`` in place (it may overwrite ``grad``).
    ``params`` is copied; ``params``, ``x``, ``y`` are checked by ``fastnet.FastNet`` (per-sample
    biases allowed unless ``per_sample=False``), ``epochs`` from 1 to ``MAX_EPOCHS``. Options:

    - ``question_gradient``: follow the question's ``l2_delta = mean(y - l2) * 2 * (y - l2)``: it
      descends the MSE's gradient times ``sum(y - l2)``, thousands at the start, with a sign that flips
      with the mean residual (every gradient is linear in ``dL/dl2 = -2 (y - l2) / n``).
    - ``details``: also record ``printed`` and ``update_ratios``; ``curve_at``: sample indices
      whose prediction is recorded every epoch; ``snapshot_every = k``: keep ``theta`` every ``k`` updates.
    - ``dtype``: the hidden layer's precision (``fastnet.FastNet``); float64 reproduces ``net``.
    - ``chunk = c`` with ``on_chunk(result)``: after every ``c`` updates (not the last), call
      ``on_chunk`` with the run so far; if it returns True the run stops there, ``stopped`` True.
    """
    check_int("epochs", epochs, 1, MAX_EPOCHS)
    _check_options(update, question_gradient, details, per_sample, snapshot_every, chunk, on_chunk)
    fast = FastNet(params, x, y, dtype, per_sample)
    if curve_at is not None:
        curve_at = _sample_indices(curve_at, fast.n)
    rec = _Record(fast, epochs, curve_at, snapshot_every, details)
    with np.errstate(all="ignore"):  # overflow is reported as divergence below
        bound = None
        for k in range(epochs + 1):
            loss = fast.forward()
            bound = (divergence_bound(loss, y) if math.isfinite(loss) else 0.0) if bound is None else bound
            if math.isfinite(loss):
                rec.loss(k, loss)
            if not math.isfinite(loss) or loss > bound:
                return rec.result(k + 1 if math.isfinite(loss) else k, k)
            if k == epochs:
                break
            if on_chunk is not None and chunk and k and k % chunk == 0 and on_chunk(rec.result(k + 1, None)):
                return rec.result(k + 1, None, stopped=True)
            fast.backward(float(fast.r.sum()) if question_gradient else 1.0)
            rec.step(k, update)
    return rec.result(epochs + 1, None)
