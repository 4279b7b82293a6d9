r"""Gradient descent with the question's four bugs as switches, fast enough for a slider.

``run(bugs, lr, epochs, n_hidden, seed)`` trains the series' network (``net.init_params``, mean
squared error, full-batch steps, ``train.descend``) on the question's data with any subset of
``BUGS`` (``original.FIXES``' names) switched *on*: ``"bias_shape"``, per-sample biases drawn
``N(0, 1)`` as the question did, each row updated with its own sample's delta (no prediction for
new inputs); ``"std"``, the input divided by its variance; ``"gradient"``, the question's
``l2_delta = np.mean(y - l2) * 2 * (y - l2)``: it descends the gradient times ``n * mean(y - l2)``;
``"learning_rate"``, ``lr = 1`` whatever ``lr`` says.

What a run did is ``outcome.classify``'s word, the first of its status line (``status``). The data
(``X_RAW``, ``Y``, the held-out ``X_TEST_RAW``, ``Y_TEST``, ``CURVE``, ``VAR_Y``) is built on first use.
"""
import functools
from dataclasses import dataclass, field

import numpy as np

from . import data, net, original, outcome, train
from .validate import check_int, check_names, check_number, check_seed, describe

__all__ = ["BUGS", "LABELS", "N_SAMPLES", "TRAIN_SEED", "MAX_EPOCHS", "N_CURVE",
           "X_RAW", "Y", "X_TEST_RAW", "Y_TEST", "CURVE", "VAR_Y",
           "Run", "snapshot_pairs", "check_settings", "inputs", "initial_params", "run", "status"]

BUGS = original.FIXES

#: What each switch is called on screen.
LABELS = {
    "bias_shape": "per-sample biases",
    "std": "divide by variance",
    "gradient": "wrong gradient sign/scale",
    "learning_rate": "the question's lr = 1",
}

N_SAMPLES = 1000
TRAIN_SEED = 0
MAX_EPOCHS = 5000
#: The fitted curve is kept at this many inputs (sorted, evenly picked) for every epoch.
N_CURVE = 200


@functools.cache
def _data():
    x_raw, y = data.make_data(N_SAMPLES, TRAIN_SEED)
    x_test_raw, y_test = data.held_out_data(N_SAMPLES, TRAIN_SEED)
    order = np.argsort(x_raw[:, 0], kind="stable")
    curve = order[np.linspace(0, N_SAMPLES - 1, N_CURVE).round().astype(int)]
    return {"X_RAW": x_raw, "Y": y, "X_TEST_RAW": x_test_raw, "Y_TEST": y_test, "CURVE": curve,
            "VAR_Y": float(np.var(y))}


def __getattr__(name):
    """``X_RAW``, ``Y``, ``X_TEST_RAW``, ``Y_TEST``, ``CURVE``, ``VAR_Y``: built on first use."""
    if name in ("X_RAW", "Y", "X_TEST_RAW", "Y_TEST", "CURVE", "VAR_Y"):
        return _data()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Run:
    """One training run and everything a plot or a status line needs.

    - ``losses``, ``diverged_at``, ``printed``, ``params``: as in ``train.TrainResult`` (``result``).
    - ``curves``: ``(len(losses), N_CURVE)``: the prediction at ``X_RAW[CURVE]`` at each epoch.
    - ``update_ratio``: the median over the steps of ``|step| / |params|`` (CS231n calls about 1e-3
      healthy; much larger and each step rewrites the network); NaN if no step was taken.
    - ``held_out_mse``: MSE on ``X_TEST_RAW`` (None with per-sample biases, or when diverged).
    - ``saturated``: how many hidden units are saturated at the end.
    - ``snapshots``: ``[(epoch, params), ...]`` with ``run(snapshot_every=k)``, else empty.
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
    printed: np.ndarray = field(default=None, repr=False)
    result: train.TrainResult = field(default=None, repr=False)
    snapshots: list = field(default_factory=list, repr=False)

    @property
    def outcome(self):
        """What the run did: one word of ``outcome.OUTCOMES``."""
        return outcome.classify(self.losses, _var_y(), self.diverged_at is not None)

    @property
    def status(self):
        """The one-line status; see ``status``."""
        return status(self)


def _var_y():
    return _data()["VAR_Y"]


def check_settings(lr=0.1, epochs=500, n_hidden=10, seed=0, lr_range=(1e-6, 100)):
    """Raise ``ValueError`` unless these are settings ``run`` can use."""
    check_number("lr", lr, *lr_range)
    check_int("epochs", epochs, 1, MAX_EPOCHS)
    check_int("n_hidden", n_hidden, 1, 1000)
    check_seed("seed", seed, 2**32 - 1)


def inputs(bugs=()):
    """The training and held-out inputs, both ``(x - mean) / std`` with the training statistics (``/ var``
    with ``"std"``)."""
    return _inputs(check_names("bugs", bugs, BUGS))


def _inputs(bugs):
    x_raw, x_test_raw = _data()["X_RAW"], _data()["X_TEST_RAW"]
    mean = float(x_raw.mean())
    scale = float(x_raw.var() if "std" in bugs else x_raw.std())
    return data.standardize(x_raw, mean, scale), data.standardize(x_test_raw, mean, scale)


def initial_params(bugs=(), n_hidden=10, seed=0):
    """``net.init_params(n_hidden, seed)``; with ``"bias_shape"`` per-sample biases drawn ``N(0, 1)``, as
    the question's ``np.random.normal(size=(1000, 10))`` did, from a second stream of the same seed."""
    check_settings(n_hidden=n_hidden, seed=seed)
    return _initial_params(check_names("bugs", bugs, BUGS), n_hidden, seed)


def _initial_params(bugs, n_hidden, seed):
    p = net.init_params(n_hidden, seed)
    if "bias_shape" in bugs:
        rng = np.random.default_rng((seed, 1))
        p["b0"] = rng.normal(size=(N_SAMPLES, n_hidden))
        p["b1"] = rng.normal(size=(N_SAMPLES, 1))
    return p


def run(bugs=(), lr=0.1, epochs=500, n_hidden=10, seed=0, *, snapshot_every=0, chunk=0, on_chunk=None):
    """Train with the switched-on ``bugs``; return a ``Run``. Never raises for divergence.

    ``lr`` from 1e-6 to 100, ``epochs`` from 1 to ``MAX_EPOCHS``, ``n_hidden`` from 1 to 1000;
    anything else is a ``ValueError``. ``snapshot_every``, ``chunk`` and ``on_chunk`` go to
    ``train.descend`` (``on_chunk`` gets the ``train.TrainResult`` so far; True stops the run).
    """
    bugs = check_names("bugs", bugs, BUGS)
    check_settings(lr, epochs, n_hidden, seed)
    lr = original.LR_QUESTION if "learning_rate" in bugs else float(lr)
    x, x_test = _inputs(bugs)
    d = _data()
    result = train.descend(
        _initial_params(bugs, n_hidden, seed), x, d["Y"], epochs, train.gradient_step(lr),
        question_gradient="gradient" in bugs, curve_at=d["CURVE"], snapshot_every=snapshot_every,
        chunk=chunk, on_chunk=on_chunk, details=True)
    held_out = None
    if not result.diverged and "bias_shape" not in bugs:
        held_out = net.mse(net.forward(result.params, x_test)[0], d["Y_TEST"])
    with np.errstate(all="ignore"):  # the parameters of a diverged run may be huge
        saturated = net.count_saturated(net.forward(result.params, x)[1]["l1"])
    ratios = result.update_ratios[np.isfinite(result.update_ratios)]
    return Run(
        bugs=bugs, lr=lr, epochs=result.epochs if result.stopped else epochs, n_hidden=n_hidden,
        seed=seed, losses=result.losses, diverged_at=result.diverged_at, curves=result.curves,
        update_ratio=float(np.median(ratios)) if len(ratios) else float("nan"), held_out_mse=held_out,
        saturated=saturated, params=result.params, printed=result.printed, result=result,
        snapshots=snapshot_pairs(result))


def snapshot_pairs(result):
    """``[(epoch, params dict), ...]`` from a ``train.TrainResult``'s snapshot rows."""
    return [(int(k), net.unflatten(row, result.params)) for k, row in zip(result.snapshot_epochs, result.snapshots)]


def status(run):
    """One line: the run's word (``outcome.classify``, where the rules are), then the figures that
    back it, over ``E`` epochs and their last tenth ``w = max(1, E // 10)``: ``diverged at epoch k
    (loss 3e+31)``, ``rising: loss up from a to b``, ``catapult: loss spiked to a, then fell to b``,
    ``still improving: ... down x% in the last w``, ``stalled: loss bouncing between a and b`` or
    ``stalled: loss stuck at`` with the two usual reasons (saturated hidden units, a tiny
    update/weight ratio), ``converged: held-out MSE``.
    """
    if not isinstance(run, Run):
        raise ValueError(f"run must be a bugs.Run (what bugs.run returns), got {describe(run)}")
    L, word = run.losses, run.outcome
    if word == "diverged":
        last = f"loss {L[-1]:.0e}" if len(L) else "loss not finite"
        return f"diverged at epoch {run.diverged_at} ({last})"
    E = len(L) - 1
    w = max(1, E // 10)
    tail = L[E - w:]
    if word == "rising":
        return f"rising: loss up from {L[0]:.3g} to {L[E]:.3g} in {E} epochs ({L[E] / _var_y():.2g} x var(y))"
    if word == "still improving":
        return (f"still improving: training MSE {L[E]:.3g} after {E} epochs, "
                f"down {(tail[0] - L[E]) / tail[0]:.0%} in the last {w}")
    if word == "stalled" and outcome.counts_as_change(tail.max() - tail.min(), L[E], _var_y()):
        return (f"stalled: loss bouncing between {tail.min():.2g} and {tail.max():.2g} "
                f"in the last {w} epochs, not falling")
    if word == "stalled":
        return (f"stalled: loss stuck at {L[E]:.3g} ({run.saturated} of {run.n_hidden} hidden units saturated, "
                f"update/weight {run.update_ratio:.1e})")
    if word == "catapult":
        return f"catapult: loss spiked to {L.max():.2g}, then fell to {L[E]:.3g} after {E} epochs"
    fit = ("training MSE {:.2g} (per-sample biases: no prediction for held-out inputs)".format(L[E])
           if run.held_out_mse is None else f"held-out MSE {run.held_out_mse:.2g}")
    return f"converged: {fit} after {E} epochs"
