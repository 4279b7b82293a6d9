"""The question's program, replayed operation for operation, with each bug switchable.

The question's loop (``lr = 1``, 10 hidden units, 1000 samples) printed ``3.5, -3e4, -3e12, -6e28``.
``run_original`` performs the same operations on the same shapes, drawing from a seeded legacy
``numpy.random.RandomState`` in the question's order, and records what the question printed and
what it should have printed. ``fix`` repairs any subset of ``FIXES``:

- ``"bias_shape"``: ``b0 (1, 10)`` and ``b1 (1, 1)`` (the first row of the same draws, so every other
  number stays as in the replay), updated with the per-sample deltas summed, as a shared bias must.
- ``"std"``: the input is divided by its standard deviation, not its variance.
- ``"gradient"``: ``l2_delta = 2 * (y - l2) / n``, minus the *mean* squared error's gradient,
  instead of the question's, which is that times ``n * mean(y - l2)``.
- ``"learning_rate"``: ``lr = LR_FIXED`` (0.1) instead of 1.

The update keeps the question's convention: the deltas point *downhill* and are added. With all
four fixes it is gradient descent on the MSE of a correct network.
"""
from dataclasses import dataclass, field

import numpy as np

from . import net
from .validate import MAX_EPOCHS, check_int, check_names, check_seed, real_array
from .outcome import divergence_bound

__all__ = ["FIXES", "LR_QUESTION", "LR_FIXED", "N_SAMPLES", "N_HIDDEN", "OriginalRun",
           "question_gradient", "question_prediction", "run_original"]

FIXES = ("bias_shape", "std", "gradient", "learning_rate")
LR_QUESTION = 1.0
LR_FIXED = 0.1
N_SAMPLES = 1000
N_HIDDEN = 10


@dataclass
class OriginalRun:
    """What one replay of the question's loop produced.

    - ``printed``: per step, what the question printed as 'loss', the mean residual ``np.mean(y - l2)``
      (it can be negative; a squared loss cannot); ``mse``: the true ``np.mean((y - l2)**2)``.
    - ``exp_overflows``: per step, how many entries of ``exp(-(x W0 + b0))`` overflow float64: the
      question's sigmoid would warn about each.
    - ``params`` after the last step, ``initial_params`` before the first; ``x_mean`` and ``x_scale``:
      what the input was shifted and divided by; ``x_raw``, ``x``, ``y``: the data; ``lr``, ``fix``.
    """

    printed: np.ndarray
    mse: np.ndarray
    exp_overflows: np.ndarray
    params: dict
    initial_params: dict
    x_mean: float
    x_scale: float
    x_raw: np.ndarray = field(repr=False)
    x: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    lr: float = LR_QUESTION
    fix: tuple = ()

    @property
    def diverged_at(self):
        """The first step whose MSE is not finite or past ``outcome.divergence_bound``, or None."""
        bound = divergence_bound(self.mse[0], self.y)
        bad = np.flatnonzero(~np.isfinite(self.mse) | (self.mse > bound))
        return int(bad[0]) if len(bad) else None

    def predict(self, x_raw):
        """Predict for new raw inputs with the trained network; ``ValueError`` for per-sample biases."""
        x_new = (real_array("x_raw", x_raw).reshape(-1, 1) - self.x_mean) / self.x_scale
        net.check_params(self.params, n_samples=len(self.x))
        return net.forward(self.params, x_new)[0]


def _question_gradient(params, x, y, gradient_fixed=False):
    """One pass of the question's loop body up to its updates: ``(grads, z0, residual)``, where
    ``grads`` are minus the deltas the loop *adds* (``w += lr * delta``)."""
    l2, cache = net.forward(params, x)
    z0 = cache.pop("z0")  # so net.backward uses the question's own slope l1 * (1 - l1): its arithmetic
    residual = y - l2
    if gradient_fixed:
        l2_delta = 2 * residual / len(y)  # minus the gradient of the mean squared error
    else:
        l2_delta = np.mean(residual) * 2 * residual  # the question's line
    # The question's l1_delta = l2_delta W1^T * l1 (1 - l1), W0's x^T l1_delta, and so on, are
    # net.backward's chain rule pushed back from dL/dl2 = -l2_delta (its deltas point downhill).
    return net.backward(params, cache, y, dl2=-l2_delta), z0, residual


def question_gradient(params, x, y):
    """The 'gradient' the question's loop follows, ``-delta``, in the convention ``p -= lr * grad``.

    It equals the mean squared error's gradient times ``n * mean(y - l2)``: wrong in sign whenever
    the mean residual is negative, hundreds of times too large otherwise (notebook 03). ``params``,
    ``x``, ``y``: see ``net.check_inputs`` (per-sample biases allowed: they are the question's).
    """
    params, x, y = net.check_inputs(params, x, y, per_sample=True)
    with np.errstate(over="ignore", invalid="ignore"):
        return _question_gradient(params, x, y)[0]


def question_prediction(params, x):
    """The question's last lines, ``sigmoid(sigmoid(x W0) W1)``: not the network it trained (no biases,
    a sigmoid output between 0 and 1, while ``y`` reaches into the tens)."""
    params, x = net.check_network(params, x, per_sample=True)
    with np.errstate(over="ignore", invalid="ignore"):
        l1 = net.sigmoid(np.dot(x, params["W0"]))
        return net.sigmoid(np.dot(l1, params["W1"]))


def run_original(seed=0, epochs=4, fix=()):
    """Replay the question's program for ``epochs`` steps (1 to ``MAX_EPOCHS``) with the bugs in ``fix`` repaired.

    Returns an ``OriginalRun``. Overflow is not an error here: the replay computes what the
    question's code computed, silently, and counts the overflows.
    """
    fix = check_names("fix", fix, FIXES)
    check_int("epochs", epochs, 1, MAX_EPOCHS)
    check_seed("seed", seed)
    rs = np.random.RandomState(seed)

    # The question's data and its `standard`: (data - mean) / var, unless fixed.
    x_pre = 2 * rs.normal(size=(N_SAMPLES, 1))
    y = (x_pre**2 + -0.2 * np.cos(3 * np.pi * x_pre)).reshape(N_SAMPLES, 1)
    x_mean = float(np.mean(x_pre))
    x_scale = float(np.std(x_pre) if "std" in fix else np.var(x_pre))
    x = (x_pre - x_mean) / x_scale

    # The question's initialisation, in its order.
    W0 = 2 * rs.random_sample((1, N_HIDDEN)) - 1
    W1 = 2 * rs.random_sample((N_HIDDEN, 1)) - 1
    b0 = rs.normal(size=(N_SAMPLES, N_HIDDEN))
    b1 = rs.normal(size=(N_SAMPLES, 1))
    if "bias_shape" in fix:
        b0, b1 = b0[:1].copy(), b1[:1].copy()
    params = {"W0": W0, "b0": b0, "W1": W1, "b1": b1}
    initial_params = {k: v.copy() for k, v in params.items()}
    lr = LR_FIXED if "learning_rate" in fix else LR_QUESTION

    printed, mse, overflows = [], [], []
    exp_limit = np.log(np.finfo(float).max)  # exp(-z0) overflows float64 past this
    with np.errstate(all="ignore"):  # the diverging replay overflows; we count it instead
        for _ in range(epochs):
            grads, z0, residual = _question_gradient(params, x, y, "gradient" in fix)
            printed.append(np.mean(residual))  # what the question printed as 'loss'
            mse.append(np.mean(residual**2))  # what it should have printed
            overflows.append(int(np.count_nonzero(-z0 > exp_limit)))
            for k in params:
                params[k] -= lr * grads[k]  # the question's w += lr * delta, with delta = -grad

    return OriginalRun(
        printed=np.array(printed), mse=np.array(mse), exp_overflows=np.array(overflows),
        params=params, initial_params=initial_params, x_mean=x_mean, x_scale=x_scale,
        x_raw=x_pre, x=x, y=y, lr=lr, fix=fix,
    )
