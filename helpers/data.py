"""The question's data set, and how to scale an input before it enters the network.

The question fits ``y = x**2 - 0.2*cos(3*pi*x)`` with ``x = 2 * N(0, 1)``: a parabola
with a small ripple. Its ``standard`` function divided by the *variance* instead of the
standard deviation; ``standardize_with_var`` keeps that bug so the notebooks can show it.
"""
import numpy as np

from .arguments import MAX_SAMPLES, check_int, check_seed

__all__ = ["HELD_OUT_OFFSET", "make_data", "held_out_data", "standardize", "standardize_with_var",
           "in_training_range"]

#: The held-out set of the training set ``make_data(n, seed)`` is ``make_data(n, seed + HELD_OUT_OFFSET)``:
#: another draw of the same distribution, never the training set of a nearby seed. The one held-out rule.
HELD_OUT_OFFSET = 10_000


def make_data(n=1000, seed=0):
    """Return ``(x_raw, y)``, both float64 of shape ``(n, 1)``: the question's data.

    ``x_raw = 2 * N(0, 1)`` (so its standard deviation is about 2) and
    ``y = x_raw**2 - 0.2 * cos(3 * pi * x_raw)``. Drawn from
    ``numpy.random.default_rng(seed)``, so a different seed gives a held-out set.
    """
    check_int("n", n, 1, MAX_SAMPLES)
    check_seed("seed", seed)
    rng = np.random.default_rng(seed)
    x_raw = 2.0 * rng.normal(size=(n, 1))
    y = x_raw**2 - 0.2 * np.cos(3 * np.pi * x_raw)
    return x_raw, y


def held_out_data(n=1000, seed=0):
    """``(x_raw, y)``: the held-out set that goes with the training set ``make_data(n, seed)``."""
    check_seed("seed", seed)
    return make_data(n, seed + HELD_OUT_OFFSET)


def standardize(a, mean=None, std=None):
    """Return ``(a - mean) / std``: zero mean and unit standard deviation.

    The statistics come from ``a`` unless given; pass the *training* set's ``mean`` and
    ``std`` when you scale a test set, so both go through the same transformation.
    Dividing by the standard deviation (not the variance) is what makes the result's
    spread 1 whatever the units of ``a``: ``std(a / s) = std(a) / s``.
    """
    a = np.asarray(a, dtype=float)
    if a.size == 0:
        raise ValueError("cannot standardize an empty array")
    if not np.all(np.isfinite(a)):
        raise ValueError("cannot standardize: the input contains NaN or infinite values")
    mean = a.mean() if mean is None else float(mean)
    std = a.std() if std is None else float(std)
    if not np.isfinite(mean) or not np.isfinite(std):
        raise ValueError(f"mean and std must be finite numbers, got mean={mean}, std={std}")
    if std <= 0:
        raise ValueError(
            "cannot standardize: the standard deviation is 0 (a constant input carries "
            "no information); expected an input that varies, or a positive std"
        )
    return (a - mean) / std


def standardize_with_var(a):
    """The question's ``standard``: ``(a - mean) / var``. A bug, kept to show it.

    For an input with standard deviation ``sigma`` the result has standard deviation
    ``sigma / sigma**2 = 1 / sigma``: 0.5 for the question's ``sigma = 2``, 10 for
    ``sigma = 0.1``, 0.1 for ``sigma = 10``. Only when ``sigma == 1`` is it harmless.
    """
    a = np.asarray(a, dtype=float)
    return (a - a.mean()) / a.var()


def in_training_range(x_new, x_train):
    """Boolean mask (shape ``(n,)``) of the rows of ``x_new`` inside ``[min(x_train), max(x_train)]``.

    A sigmoid network is a sum of S-shaped steps: outside the inputs it was trained on it
    flattens out, while the parabola keeps rising. Held-out points beyond the training range
    are extrapolation, and a few of them can dominate a held-out MSE; report them apart.
    """
    x_new, x_train = np.asarray(x_new, dtype=float), np.asarray(x_train, dtype=float)
    if x_train.size == 0:
        raise ValueError("x_train is empty; expected the training inputs")
    x_new = x_new.reshape(len(x_new), -1)
    return np.all((x_new >= x_train.min()) & (x_new <= x_train.max()), axis=1)
