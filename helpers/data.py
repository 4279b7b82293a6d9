"""The question's data set, and how to scale an input before it enters the network.

The question fits ``y = x**2 - 0.2*cos(3*pi*x)`` with ``x = 2 * N(0, 1)``: a parabola
with a small ripple. Its ``standard`` function divided by the *variance* instead of the
standard deviation; ``standardize_with_var`` keeps that bug so the notebooks can show it.
"""
import numpy as np

from .validate import MAX_SAMPLES, MAX_SEED, check_int, check_number, check_seed, real_array

__all__ = ["HELD_OUT_OFFSET", "make_data", "held_out_data", "standardize", "standardize_with_var",
           "in_training_range"]

#: The held-out set of the training set ``make_data(n, seed)`` is ``make_data(n, seed + HELD_OUT_OFFSET)``:
#: another draw of the same distribution, never the training set of a nearby seed. The one held-out rule.
HELD_OUT_OFFSET = 10_000


def make_data(n=1000, seed=0):
    """Return ``(x_raw, y)``, both ``(n, 1)``: ``x_raw = 2 * N(0, 1)`` (std about 2) and
    ``y = x_raw**2 - 0.2 * cos(3 * pi * x_raw)``, drawn from ``numpy.random.default_rng(seed)``.

    ``n`` from 1 to ``MAX_SAMPLES`` (10**7), ``seed`` an integer >= 0.
    """
    check_int("n", n, 1, MAX_SAMPLES)
    check_seed("seed", seed)
    rng = np.random.default_rng(seed)
    x_raw = 2.0 * rng.normal(size=(n, 1))
    y = x_raw**2 - 0.2 * np.cos(3 * np.pi * x_raw)
    return x_raw, y


def held_out_data(n=1000, seed=0):
    """``(x_raw, y)``: the held-out set that goes with the training set ``make_data(n, seed)``."""
    check_seed("seed", seed, MAX_SEED - HELD_OUT_OFFSET)  # make_data checks n
    return make_data(n, seed + HELD_OUT_OFFSET)


def standardize(a, mean=None, std=None):
    """Return ``(a - mean) / std``: zero mean and unit standard deviation.

    The statistics come from ``a`` unless given: pass the *training* set's when you scale a test
    set. Dividing by the standard deviation (not the variance) makes the spread 1 whatever the
    units of ``a``: ``std(a / s) = std(a) / s``.
    """
    a = real_array("a", a)
    mean = None if mean is None else check_number("mean", mean)
    std = None if std is None else check_number("std", std, 0, low_open=True)
    with np.errstate(all="ignore"):  # huge inputs: computed scaled, and refused if the result overflows
        m, s = _moments(a)
        mean = m if mean is None else mean
        std = s if std is None else std
        if std == 0:
            raise ValueError(
                "cannot standardize: the standard deviation is 0 (a constant input carries "
                "no information); expected an input that varies, or a positive std"
            )
        out = (a - mean) / std
    return _finite("standardize", out, mean, std)


def _moments(a):
    """``(mean, std)`` of a finite ``a``; if a square overflows (entries near 1e300), of ``a / max|a|``, rescaled."""
    mean, std = float(a.mean()), float(a.std())
    if np.isfinite(mean) and np.isfinite(std):
        return mean, std
    scale = float(np.max(np.abs(a)))
    return float((a / scale).mean()) * scale, float((a / scale).std()) * scale


def _finite(what, out, mean, scale):
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what}: (a - mean) / scale overflows float64 with mean={mean:.3g} and "
                         f"scale={scale:.3g}; expected inputs and statistics within about 1e300")
    return out


def standardize_with_var(a):
    """The question's ``standard``: ``(a - mean) / var``. A bug, kept to show it.

    For an input with standard deviation ``sigma`` the result has standard deviation
    ``sigma / sigma**2 = 1 / sigma``: 0.5 for the question's ``sigma = 2``, 10 for
    ``sigma = 0.1``, 0.1 for ``sigma = 10``. Only when ``sigma == 1`` is it harmless.
    """
    a = real_array("a", a)
    with np.errstate(all="ignore"):
        mean, std = _moments(a)
        if std == 0:
            raise ValueError("a must vary: its variance is 0 (got a constant input); expected an input that varies")
        out = (a - mean) / std / std  # not / std**2, which overflows first for a std near 1e160
    return _finite("standardize_with_var", out, mean, std * std)


def in_training_range(x_new, x_train):
    """Boolean mask (shape ``(n,)``) of the rows of ``x_new`` inside ``[min(x_train), max(x_train)]``.

    A sigmoid network flattens out beyond the inputs it was trained on while the parabola keeps
    rising: a few such held-out points can dominate a held-out MSE, so report them apart.
    """
    x_new = real_array("x_new", x_new, ndim=(1, 2), empty=True)
    if x_new.ndim == 2 and x_new.shape[1] != 1:
        raise ValueError(f"x_new must be (n,) or (n, 1): one input per row, got shape {x_new.shape}")
    x_train = real_array("x_train", x_train)
    x_new = x_new.reshape(len(x_new), 1)
    return np.all((x_new >= x_train.min()) & (x_new <= x_train.max()), axis=1)
