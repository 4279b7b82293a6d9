r"""Gradient descent with the question's four bugs as switches, fast enough for a slider.

``run(bugs, lr, epochs, n_hidden, seed)`` trains the series' network (``net``) on the
question's data (``data.make_data``) and can switch on any subset of ``BUGS`` (the same
names as ``original.FIXES``; here a name means the bug is *on*):

- ``"bias_shape"``: one bias per *sample*: ``b0`` is ``(n, h)`` and ``b1`` ``(n, 1)``, drawn
  ``N(0, 1)`` as the question did, and each row is updated with its own sample's delta only
  (no sum over samples). Such a network has no prediction for new inputs.
- ``"std"``: the input is divided by its variance instead of its standard deviation.
- ``"gradient"``: the question's ``l2_delta = np.mean(y - l2) * 2 * (y - l2)``. Every gradient
  is linear in ``dL/dl2 = 2 (l2 - y) / n``, so the bug multiplies the *whole* correct gradient
  by ``n * mean(y - l2)``: thousands at the start, and its sign flips with the mean residual.
- ``"learning_rate"``: ``lr = 1`` (``original.LR_QUESTION``) whatever ``lr`` says.

Everything else is the series' correct setup: ``net.init_params`` initialisation, mean squared
error, full-batch steps ``p -= lr * dL/dp``, ``train.divergence_bound`` to call divergence.

Speed. A slider wants 500 epochs in a few tens of milliseconds, so the loop is ``net.forward``
and ``net.backward`` rewritten for speed (``tests/test_live.py`` checks it matches them to
1e-12): the arrays are stored transposed, ``(h, n)``, so that numpy broadcasts along the long,
contiguous sample axis (about twice as fast as ``(n, h)`` for ``n = 1000, h = 10``); every
buffer is allocated once; the parameters share one flat buffer, so a step is one operation;
the hidden layer's gradients are summed without forming ``dL/dz0``; and the sigmoid is
``1 / (1 + exp(-z))`` in place (an overflowing ``exp`` gives ``inf`` and ``1 / inf = 0``, the
right limit, so it is silenced). Each numpy call costs about a microsecond however small its
array, so fewer calls per epoch is most of the gain.

Each run ends with a status line that starts with one of four words (see ``status``).
"""
import math
from dataclasses import dataclass, field

import numpy as np

from . import data, net, original, train
from .arguments import is_integer, is_number

BUGS = original.FIXES

#: What each switch is called on screen.
LABELS = {
    "bias_shape": "per-sample biases",
    "std": "divide by variance",
    "gradient": "wrong gradient sign/scale",
    "learning_rate": "the question's lr = 1",
}

N_SAMPLES = 1000
TRAIN_SEED, HELD_OUT_SEED = 0, 1
MAX_EPOCHS = 5000
#: The fitted curve is kept at this many inputs (sorted, evenly picked) for every epoch.
N_CURVE = 200

#: The status thresholds (see ``status``), as fractions of ``var(y)``, the loss of the best
#: constant prediction: the scale of "how much there is to explain". A loss change counts only
#: above ``FLAT_FRACTION * var(y)`` *and* ``FLAT_SHARE`` of the loss itself (visible on a log plot).
FLAT_FRACTION = 1e-3
FLAT_SHARE = 0.01
GOOD_FRACTION = 0.1


def _load_data():
    x_raw, y = data.make_data(N_SAMPLES, TRAIN_SEED)
    x_test_raw, y_test = data.make_data(N_SAMPLES, HELD_OUT_SEED)
    order = np.argsort(x_raw[:, 0], kind="stable")
    curve = order[np.linspace(0, N_SAMPLES - 1, N_CURVE).round().astype(int)]
    return x_raw, y, x_test_raw, y_test, curve


#: Training set, held-out set (another seed), and the sample indices of the drawn curve.
X_RAW, Y, X_TEST_RAW, Y_TEST, CURVE = _load_data()
VAR_Y = float(np.var(Y))


@dataclass
class Run:
    """One training run and everything a plot or a status line needs.

    - ``losses``: training MSE after 0, 1, ... updates (finite values only; a diverged run
      stops at the last finite one). ``diverged_at``: the epoch the run diverged, or None.
    - ``curves``: ``(len(losses), N_CURVE)``: the prediction at ``X_RAW[CURVE]`` at each epoch
      (only epochs whose prediction is finite).
    - ``update_ratio``: the median over the steps of ``||lr * grad|| / ||params||`` (all
      parameters together): how big a step is next to what it changes. CS231n's rule of thumb
      calls about 1e-3 healthy; much larger and each step rewrites the network. NaN if no step
      was taken.
    - ``held_out_mse``: MSE on ``X_TEST_RAW`` (None with per-sample biases, or when diverged).
    - ``saturated``: how many hidden units are saturated at the end.
    """

    bugs: tuple
    lr: float
    epochs: int
    n_hidden: int
    seed: int
    losses: np.ndarray
    diverged_at: int | None
    curves: np.ndarray = field(repr=False)
    update_ratio: float
    held_out_mse: float | None
    saturated: int
    params: dict = field(repr=False)
    #: ``[(epoch, params), ...]`` every ``snapshot_every`` epochs (``run(snapshot_every=k)``), else empty.
    snapshots: list = field(default_factory=list, repr=False)

    @property
    def status(self):
        """The one-line status; see ``status``."""
        return status(self)


def check_bugs(bugs):
    """Return ``bugs`` as a tuple in ``BUGS`` order; ``ValueError`` for an unknown name.

    The names are ``original.FIXES``, so ``original`` checks them.
    """
    try:
        return original.check_fix(bugs)
    except ValueError:
        raise ValueError(f"unknown bug in {bugs!r}; expected any subset of {BUGS}") from None


def _check_int(name, value, low, high):
    if not is_integer(value) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")


def check_settings(lr=0.1, epochs=500, n_hidden=10, seed=0, lr_range=(1e-6, 100)):
    """Raise ``ValueError`` unless these are settings ``run`` can use."""
    low, high = lr_range
    if not is_number(lr) or not low <= lr <= high:
        raise ValueError(f"lr must be a number from {low:g} to {high:g}, got {lr!r}")
    _check_int("epochs", epochs, 1, MAX_EPOCHS)
    _check_int("n_hidden", n_hidden, 1, 1000)
    _check_int("seed", seed, 0, 2**32 - 1)


def inputs(bugs=()):
    """The network's training and held-out inputs: ``(x - mean) / std``, or ``/ var`` with ``"std"``.

    The held-out set goes through the training set's transformation.
    """
    mean = float(X_RAW.mean())
    scale = float(X_RAW.var() if "std" in check_bugs(bugs) else X_RAW.std())
    return data.standardize(X_RAW, mean, scale), data.standardize(X_TEST_RAW, mean, scale)


def initial_params(bugs=(), n_hidden=10, seed=0):
    """``net.init_params(n_hidden, seed)``; with ``"bias_shape"`` the biases are per sample.

    The per-sample biases are drawn ``N(0, 1)``, as the question's ``np.random.normal(size=(1000, 10))``
    did, from a second stream of the same seed.
    """
    p = net.init_params(n_hidden, seed)
    if "bias_shape" in check_bugs(bugs):
        rng = np.random.default_rng((seed, 1))
        p["b0"] = rng.normal(size=(N_SAMPLES, n_hidden))
        p["b1"] = rng.normal(size=(N_SAMPLES, 1))
    return p


def run(bugs=(), lr=0.1, epochs=500, n_hidden=10, seed=0, *, snapshot_every=None, progress=None):
    """Train with the switched-on ``bugs``; return a ``Run``. Never raises for divergence.

    ``lr`` from 1e-6 to 100, ``epochs`` from 1 to ``MAX_EPOCHS``, ``n_hidden`` from 1 to 1000;
    anything else is a ``ValueError``.

    For the playground (``helpers.live``; a self-contained addition, to be mapped onto the shared
    training loop): ``snapshot_every=k`` keeps a copy of the parameters after every ``k``-th update
    and after the last one in ``Run.snapshots`` (what a sharpness trace needs), and
    ``progress(epoch, losses, curves, snapshots)`` is called after each epoch's loss, with the
    run's own buffers (valid up to ``epoch``; copy what you keep): a long run can show itself
    growing, and returning ``False`` cancels it (``run`` then returns None).
    """
    bugs = check_bugs(bugs)
    check_settings(lr, epochs, n_hidden, seed)
    lr = original.LR_QUESTION if "learning_rate" in bugs else float(lr)
    per_sample = "bias_shape" in bugs
    x, x_test = inputs(bugs)
    p0 = initial_params(bugs, n_hidden, seed)

    # Transposed copies: samples run along axis 1, the contiguous one. All parameters live in
    # one flat buffer (W0, b0, W1, b1 are views into it), and all gradients in another, so the
    # update and the update/weight ratio are one numpy call each, not one per parameter.
    shapes = [p0[k].T.shape for k in net.PARAM_NAMES]
    theta = np.concatenate([p0[k].T.ravel() for k in net.PARAM_NAMES])
    grad = np.empty_like(theta)
    W0, b0, W1, b1 = _views(theta, shapes)
    gW0, gb0, gW1, gb1 = _views(grad, shapes)
    x_row, neg_x, yr = x.T.copy(), -x.T, Y.T.copy()
    n, h = N_SAMPLES, n_hidden
    l1, slope = np.empty((h, n)), np.empty((h, n))
    r = np.empty((1, n))  # the residual l2 - y
    d = np.empty((2, n))  # dL/dl2 and dL/dl2 * x: what the gradients are made of
    s = np.empty((h, 2))
    y_curve = Y[CURVE, 0]
    losses = np.empty(epochs + 1)
    curves = np.empty((epochs + 1, N_CURVE))
    ratios = np.full(epochs, np.nan)
    diverged_at, kept = None, epochs + 1
    snapshots = []
    if snapshot_every is not None and (not is_integer(snapshot_every) or snapshot_every < 1):
        raise ValueError(f"snapshot_every must be a positive integer or None, got {snapshot_every!r}")

    with np.errstate(all="ignore"):  # overflow is reported as divergence, never as warnings
        for epoch in range(epochs + 1):
            # forward: l1 = 1 / (1 + exp(-(W0 x + b0))), residual = W1 l1 + b1 - y
            np.multiply(W0, neg_x, out=l1)
            l1 -= b0
            np.exp(l1, out=l1)
            l1 += 1.0
            np.reciprocal(l1, out=l1)
            np.dot(W1, l1, out=r)
            r += b1
            r -= yr
            loss = float(np.dot(r[0], r[0])) / n
            finite = math.isfinite(loss)
            if epoch == 0:
                bound = train.divergence_bound(loss, Y) if finite else 0.0
            if finite:
                losses[epoch] = loss
                np.add(r[0, CURVE], y_curve, out=curves[epoch])
            if not finite or loss > bound:
                diverged_at, kept = epoch, epoch + 1 if finite else epoch
                break
            if snapshot_every and (epoch % snapshot_every == 0 or epoch == epochs):
                snapshots.append((epoch, _params(W0, b0, W1, b1)))
            if progress is not None and progress(epoch, losses, curves, snapshots) is False:
                return None
            if epoch == epochs:
                break
            # backward, the chain rule of net.backward: dL/dl2 = 2 (l2 - y) / n ...
            np.multiply(r, 2.0 / n, out=d[:1])
            if "gradient" in bugs:
                d[0] *= -r.sum()  # ... times n * mean(y - l2) = -sum(l2 - y): the question's delta
            np.multiply(d[0], x_row[0], out=d[1])
            np.dot(d[:1], l1.T, out=gW1)
            np.multiply(l1, l1, out=slope)
            np.subtract(l1, slope, out=slope)  # the sigmoid's slope l1 (1 - l1)
            if per_sample:  # dL/dz0 = W1.T dL/dl2 * slope, one column per sample, each its own bias
                np.multiply(W1.T, d[:1], out=gb0)
                gb0 *= slope
                np.dot(gb0, x_row.T, out=gW0)
                gb1[...] = d[:1]
            else:  # the same sums without forming dL/dz0: W1 is one number per unit (row)
                np.dot(slope, d.T, out=s)  # (h, 2): sums over samples of slope dL/dl2, and times x
                np.multiply(W1.T, s[:, :1], out=gb0)
                np.multiply(W1.T, s[:, 1:], out=gW0)
                gb1[...] = d[0].sum()
            # einsum, not np.dot: OpenBLAS runs a dot of over 10000 numbers (per-sample biases) on
            # several threads, and on a busy machine waiting for them costs milliseconds per call
            ratios[epoch] = lr * math.sqrt(np.einsum("i,i->", grad, grad) / np.einsum("i,i->", theta, theta))
            grad *= lr
            theta -= grad

    params = _params(W0, b0, W1, b1)
    held_out = None
    if diverged_at is None and not per_sample:
        held_out = net.mse(net.forward(params, x_test)[0], Y_TEST)
    saturated = net.count_saturated(l1.T)
    return Run(
        bugs=bugs, lr=lr, epochs=epochs, n_hidden=n_hidden, seed=seed,
        losses=losses[:kept].copy(), diverged_at=diverged_at, curves=curves[:kept].copy(),
        update_ratio=_median_finite(ratios), held_out_mse=held_out, saturated=saturated, params=params,
        snapshots=snapshots,
    )


def _params(W0, b0, W1, b1):
    """The transposed working views as a ``net`` params dict (copies)."""
    return {"W0": W0.T.copy(), "b0": b0.T.copy(), "W1": W1.T.copy(), "b1": b1.T.copy()}


def _views(flat, shapes):
    """Cut ``flat`` into consecutive views of the given shapes (writing a view writes ``flat``)."""
    views, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(flat[start:start + size].reshape(shape))
        start += size
    return views


def _median_finite(a):
    a = a[np.isfinite(a)]
    return float(np.median(a)) if len(a) else float("nan")


def status(run):
    """One line that starts with one of four words. With ``E`` epochs, ``L_k`` the training MSE
    after ``k`` updates, ``w = max(1, E // 10)`` (the last tenth of the run) and a change
    *counts* when it exceeds ``t = max(FLAT_FRACTION * var(y), FLAT_SHARE * loss)``
    (0.1% of ``var(y)`` and 1% of the loss: visible on the log plot):

    - ``diverged at epoch k (loss 3e+31)``: the loss became infinite/NaN or rose past
      ``train.divergence_bound`` (1e6 times where it started) at epoch ``k``; training stopped.
      The loss shown is the last finite one.
    - ``still improving: ...``: the loss fell by more than ``t`` over the last tenth,
      ``L_{E-w} - L_E > t(L_{E-w})``: the budget ran out while the fit was still getting better.
    - ``converged: held-out MSE ...``: not improving, *settled* (over the last tenth the loss
      moved within a band narrower than ``t(L_E)``) and ``L_E < GOOD_FRACTION * var(y)``: the fit
      explains over 90% of ``var(y)`` and more epochs would not change it.
    - ``stalled: ...``: not improving, and either stuck above that level (``loss stuck at ...``,
      with the number of saturated hidden units and the update/weight ratio: the two usual
      reasons are flat sigmoids and steps too small to matter) or not settled
      (``loss bouncing between a and b``: the steps overshoot back and forth, no net progress).
    """
    L, E = run.losses, run.epochs
    if run.diverged_at is not None:
        return f"diverged at epoch {run.diverged_at} (loss {L[-1]:.0e})" if len(L) else \
            f"diverged at epoch {run.diverged_at} (loss not finite)"
    w = max(1, E // 10)

    def counts(change, loss):
        return change > max(FLAT_FRACTION * VAR_Y, FLAT_SHARE * loss)

    drop = L[E - w] - L[E]
    if counts(drop, L[E - w]):
        return (f"still improving: training MSE {L[E]:.3g} after {E} epochs, "
                f"down {drop / L[E - w]:.0%} in the last {w}")
    tail = L[E - w:]
    if counts(tail.max() - tail.min(), L[E]):
        return (f"stalled: loss bouncing between {tail.min():.2g} and {tail.max():.2g} "
                f"in the last {w} epochs, not falling")
    if L[E] < GOOD_FRACTION * VAR_Y:
        if run.held_out_mse is None:
            return (f"converged: training MSE {L[E]:.2g} after {E} epochs "
                    f"(per-sample biases: no prediction for held-out inputs)")
        return f"converged: held-out MSE {run.held_out_mse:.2g} after {E} epochs"
    return (f"stalled: loss stuck at {L[E]:.3g} ({run.saturated} of {run.n_hidden} hidden units saturated, "
            f"update/weight {run.update_ratio:.1e})")
