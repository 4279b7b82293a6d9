r"""The question's network, done right: one sigmoid hidden layer, a linear output, mean squared error.

For a batch of ``n`` inputs ``x`` of shape ``(n, 1)`` and ``h`` hidden units:

.. math::

    l_1 = \sigma(x W_0 + b_0) \qquad (n, h)

    l_2 = l_1 W_1 + b_1 \qquad (n, 1)

    L = \frac{1}{n} \sum_i (l_{2,i} - y_i)^2

The parameters are ``W0 (1, h)``, ``b0 (1, h)``, ``W1 (h, 1)`` and ``b1 (1, 1)``: a bias is one
number per *unit*, added to every sample by broadcasting. The question's ``b0 (1000, 10)`` and
``b1 (1000, 1)``, one bias per *sample*, broadcast without complaint: ``check_params`` catches
them; ``forward`` and ``backward`` still compute with them (to show what the question did), and
with 1-D biases ``(h,)`` and ``(1,)``.

Conventions, stated once for the whole package: the residual is the question's ``y - l2``, and a
run's ``losses[k]`` is the loss after ``k`` updates, so ``E`` epochs give ``E + 1`` losses.
"""
import numpy as np

from .validate import MAX_HIDDEN, MAX_SAMPLES, check_int, check_seed, column, param_arrays, real_array, same_rows

__all__ = ["PARAM_NAMES", "SATURATION_SLOPE", "SATURATION_SHARE", "sigmoid", "sigmoid_slope",
           "expected_shapes", "init_params", "check_params", "check_network", "check_inputs", "flatten", "unflatten",
           "param_slices", "count_saturated", "forward", "mse", "backward", "bias_gradient"]

PARAM_NAMES = ("W0", "b0", "W1", "b1")


def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, computed so that no ``exp`` can overflow.

    Written literally, ``exp(-z)`` overflows for ``z < -709.78`` and numpy warns. With
    ``e = exp(-|z|)`` in ``(0, 1]``: ``1 / (1 + e)`` for ``z >= 0``, and ``e / (1 + e)`` for ``z < 0``
    (the top and bottom of ``1 / (1 + exp(-z))`` times ``exp(z) = e``): same values, no overflow.
    ``z``: a number or an array of real numbers (NaN gives NaN, ``+-inf`` gives 1 and 0).
    """
    return _sigmoid(real_array("z", z, finite=False, empty=True))


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_slope(z):
    """``sigmoid'(z) = e / (1 + e)**2`` with ``e = exp(-|z|)``: no cancellation, no overflow.

    The textbook ``l1 * (1 - l1)`` loses every digit when a unit saturates: for ``z = 40``, ``l1``
    rounds to 1.0 and ``1 - l1`` to 0, though the slope is ``4e-18``. It is even: ``|z|`` may replace ``z``.
    """
    e = np.exp(-np.abs(real_array("z", z, finite=False, empty=True)))
    return e / (1.0 + e) ** 2


def expected_shapes(n_hidden):
    """The shape every parameter must have for a network with ``n_hidden`` hidden units (1 to ``MAX_HIDDEN``)."""
    check_int("n_hidden", n_hidden, 1, MAX_HIDDEN)
    return {"W0": (1, n_hidden), "b0": (1, n_hidden), "W1": (n_hidden, 1), "b1": (1, 1)}


def init_params(n_hidden=10, seed=0):
    """Return ``{"W0", "b0", "W1", "b1"}`` for a network with ``n_hidden`` sigmoid units.

    ``W0, b0 ~ N(0, 1)``: for a standardized input each pre-activation ``x W0 + b0`` spreads by
    order 1, so the sigmoids start sloped, not flat where their gradient vanishes. ``W1 ~ N(0, 1 / h)``:
    the output sums ``h`` terms, so its start stays of order 1 whatever the width. ``b1 = 0``.
    Drawn from ``numpy.random.default_rng(seed)``; ``n_hidden`` from 1 to ``MAX_HIDDEN`` (10**4).
    """
    check_int("n_hidden", n_hidden, 1, MAX_HIDDEN)
    check_seed("seed", seed)
    rng = np.random.default_rng(seed)
    return {
        "W0": rng.normal(size=(1, n_hidden)),
        "b0": rng.normal(size=(1, n_hidden)),
        "W1": rng.normal(scale=1 / np.sqrt(n_hidden), size=(n_hidden, 1)),
        "b1": np.zeros((1, 1)),
    }


def check_params(params, n_samples=None):
    """Raise ``ValueError`` unless ``params`` holds ``W0, b0, W1, b1`` with consistent shapes.

    ``h`` is read from ``W0``'s second axis. A bias with more than one row is the question's bug
    (one bias per sample); given ``n_samples``, the message says so when the row count equals it.
    NaN is allowed: this checks shapes (the trainers also ask for finite values).
    """
    if n_samples is not None:
        check_int("n_samples", n_samples, 0, MAX_SAMPLES)
    params = _weights(params)
    for name, expected in expected_shapes(params["W0"].shape[1]).items():
        shape = np.shape(params[name])
        if shape == expected:
            continue
        if name.startswith("b") and len(shape) == 2 and shape[0] > 1 and shape[1:] == expected[1:]:
            per_sample = ", the number of samples" if shape[0] == n_samples else ""
            raise ValueError(
                f"{name} has shape {shape}: one bias per sample (its first axis is {shape[0]}"
                f"{per_sample}); expected {expected}, one bias per unit shared by every sample"
            )
        raise ValueError(f"{name} has shape {shape}; expected {expected}")


def check_network(params, x, per_sample=False):
    """``(params, x)`` as float arrays, or ``ValueError``: a network and inputs to compute with.

    ``x`` a finite ``(n, 1)`` array, ``params`` finite with ``check_params``'s shapes; with
    ``per_sample=True`` a bias may also be per sample (``b0 (n, h)``, ``b1 (n, 1)``) or 1-D.
    """
    x = column("x", x)
    params = param_arrays(params, PARAM_NAMES)
    check_params(_shared_biases(params, len(x)) if per_sample else params, n_samples=len(x))
    return params, x


def check_inputs(params, x, y, per_sample=False):
    """``(params, x, y)`` as float arrays, or ``ValueError``: ``check_network``, and finite targets
    ``y`` of shape ``(n, 1)``, one per input."""
    y = column("y", y)
    params, x = check_network(params, x, per_sample)
    same_rows(x=x, y=y)
    return params, x, y


def _shared_biases(params, n):
    """``params`` with a per-sample bias cut to its first row and a 1-D bias made a row, for the shape check."""
    out = dict(params)
    for k in ("b0", "b1"):
        if out[k].ndim == 2 and out[k].shape[0] == n > 1:
            out[k] = out[k][:1]
        elif out[k].ndim == 1:
            out[k] = out[k][None, :]
    return out


def _weights(params, finite=False):
    """``params`` as float arrays, with ``W0 (1, h)`` and ``W1 (h, 1)`` checked (biases: by broadcasting)."""
    params = param_arrays(params, PARAM_NAMES, finite=finite)
    W0, W1 = params["W0"], params["W1"]
    if W0.ndim != 2 or W0.shape[0] != 1 or W0.shape[1] < 1:
        raise ValueError(f"W0 has shape {W0.shape}; expected (1, h): one input feeding h hidden units")
    if W1.shape != (W0.shape[1], 1):
        raise ValueError(f"W1 has shape {W1.shape}; expected ({W0.shape[1]}, 1): h hidden units feeding one output")
    return params


def flatten(params):
    """``W0, b0, W1, b1`` (in that order, each row-major) as one vector ``theta``: ``3 h + 1`` numbers.

    Optimizers and curvature work on it: an update is one vector operation, the Hessian a matrix.
    """
    params = param_arrays(params, PARAM_NAMES, finite=False)
    return np.concatenate([np.ravel(params[k]) for k in PARAM_NAMES])


def unflatten(vector, like=None):
    """The inverse of ``flatten``: ``{W0, b0, W1, b1}`` as *views* into ``vector``.

    Shaped like the dict ``like`` (arrays or shape tuples, per-sample biases too), or by default
    like a network with ``h = (len(vector) - 1) / 3``. Writing into a view writes ``vector``.
    """
    vector = real_array("vector", vector, finite=False, ndim=1)
    return {k: vector[s].reshape(shape) for k, (s, shape) in _layout("vector", len(vector), like).items()}


def param_slices(size, like=None):
    """``{name: slice}``: where each parameter sits in a vector of ``size`` entries (``like`` as for ``unflatten``)."""
    check_int("size", size, 4)
    return {k: s for k, (s, _) in _layout("size", size, like).items()}


def _layout(name, size, like):
    """``{name: (slice, shape)}`` for a vector of ``size`` entries: ``like``'s shapes, or a network's."""
    if like is None:
        if size < 4 or (size - 1) % 3 or size > 3 * MAX_HIDDEN + 1:
            raise ValueError(f"{name} must have 3 h + 1 entries (4, 7, 10, ...: W0, b0, W1 of h each and b1), "
                             f"at most h = MAX_HIDDEN = {MAX_HIDDEN}, got {size} entries")
        shapes = expected_shapes((size - 1) // 3)
    elif not isinstance(like, dict) or any(k not in like for k in PARAM_NAMES):
        raise ValueError(f"like must be a dict with keys {PARAM_NAMES} (arrays or shapes), got {like!r:.60}")
    else:
        shapes = {k: like[k] if isinstance(like[k], tuple) else np.shape(like[k]) for k in PARAM_NAMES}
    out, start = {}, 0
    for k in PARAM_NAMES:
        out[k] = slice(start, start + int(np.prod(shapes[k]))), shapes[k]
        start = out[k][0].stop
    if start != size:
        raise ValueError(f"{name} must fit the shapes {shapes} ({start} entries), got {size} entries")
    return out


#: A hidden unit is *saturated* when its sigmoid's slope ``l1 (1 - l1)`` (at most 0.25) is below
#: ``SATURATION_SLOPE`` on at least ``SATURATION_SHARE`` of the inputs (``l1`` within about 0.01
#: of 0 or 1 there): it outputs a near-constant and its incoming weights get almost no gradient.
SATURATION_SLOPE = 0.01
SATURATION_SHARE = 0.95


def count_saturated(l1):
    """How many hidden units (columns of ``l1``, shape ``(n, h)``, values in [0, 1]) are saturated."""
    l1 = real_array("l1", l1, ndim=2)
    if l1.min() < 0 or l1.max() > 1:
        raise ValueError(f"l1 must hold sigmoid activations in [0, 1], got values from {l1.min():.3g} "
                         f"to {l1.max():.3g}")
    flat = l1 * (1.0 - l1) < SATURATION_SLOPE
    return int(np.count_nonzero(np.mean(flat, axis=0) >= SATURATION_SHARE))


def forward(params, x):
    """Run the network on ``x`` (shape ``(n, 1)``); return ``(l2, cache)``.

    ``l2`` is the prediction, shape ``(n, 1)``; ``cache`` keeps what ``backward`` needs. ``params``:
    ``W0 (1, h)``, ``W1 (h, 1)``, biases that broadcast (per-sample ones too). NaN or huge
    parameters give NaN or inf without a warning: a diverged network's output.
    """
    return _forward(_weights(params), column("x", x, finite=False))


def _forward(params, x):
    """``forward`` without the checks: for loops that have checked their inputs once."""
    with np.errstate(over="ignore", invalid="ignore"):
        z0 = x @ params["W0"] + params["b0"]
        l1 = _sigmoid(z0)
        l2 = l1 @ params["W1"] + params["b1"]
    return l2, {"x": x, "z0": z0, "l1": l1, "l2": l2}


def mse(y_hat, y):
    """Mean squared error ``mean((y_hat - y)**2)``: never negative, 0 only for a perfect fit.

    ``y_hat`` and ``y`` must have the same shape: ``(n,)`` against ``(n, 1)`` would broadcast to
    ``(n, n)``, every prediction against every target (notebook 01). NaN or inf give NaN or inf.
    """
    y_hat, y = real_array("y_hat", y_hat, finite=False), real_array("y", y, finite=False)
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat and y must have the same shape (no broadcasting), got y_hat {y_hat.shape} "
                         f"and y {y.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean((y_hat - y) ** 2))


def backward(params, cache, y, dl2=None):
    r"""Gradient of ``mse(l2, y)`` with respect to every parameter, by the chain rule.

    Going backwards from the loss (``n`` samples):

    - ``dL/dl2 = 2 (l2 - y) / n`` (the *mean* loss divides by ``n``), or the given ``dl2``.
    - ``dL/dW1 = l1.T @ dL/dl2`` and ``dL/db1 = sum over samples of dL/dl2``: a shared bias adds
      up every sample's contribution.
    - ``dL/dz0 = (dL/dl2 @ W1.T) * l1 (1 - l1)``, the sigmoid's slope computed as
      ``sigmoid_slope(z0)``, which keeps its digits when a unit saturates.
    - ``dL/dW0 = x.T @ dL/dz0`` and ``dL/db0 = sum over samples of dL/dz0``. A per-sample bias
      (the question's bug) was not shared: its gradient keeps one row per sample (``bias_gradient``).

    Returns a dict shaped like ``params``; gradient *descent* does ``params[k] -= lr * grads[k]``.
    """
    params, (x, l1, l2, z0), y = _weights(params), _cache(cache), column("y", y, finite=False)
    if y.shape != l2.shape:
        raise ValueError(f"y must have the shape of the prediction cache['l2'] {l2.shape}, got {y.shape}")
    if dl2 is not None and real_array("dl2", dl2, finite=False).shape != l2.shape:
        raise ValueError(f"dl2 must have the shape of cache['l2'] {l2.shape}, got {np.shape(dl2)}")
    with np.errstate(over="ignore", invalid="ignore"):
        if dl2 is None:
            dl2 = -2.0 * (y - l2) / len(y)
        dz0 = (dl2 @ params["W1"].T) * (sigmoid_slope(z0) if z0 is not None else l1 * (1.0 - l1))
        return {"W0": x.T @ dz0, "b0": bias_gradient(dz0, np.shape(params["b0"])),
                "W1": l1.T @ dl2, "b1": bias_gradient(dl2, np.shape(params["b1"]))}


def _cache(cache):
    """``forward``'s cache: ``x``, ``l1``, ``l2`` and, if there, ``z0``, as float arrays."""
    if not isinstance(cache, dict) or any(k not in cache for k in ("x", "l1", "l2")):
        raise ValueError(f"cache must be the dict net.forward returns (keys x, z0, l1, l2), got {cache!r:.60}")
    return tuple(None if cache.get(k) is None else real_array(k, cache[k], finite=False, ndim=2)
                 for k in ("x", "l1", "l2", "z0"))


def bias_gradient(per_sample, shape):
    """The per-sample derivatives ``(n, k)`` reduced to a bias of ``shape``: summed for a shared
    bias ``(1, k)`` or ``(k,)``, kept apart for a per-sample bias ``(n, k)``."""
    per_sample = real_array("per_sample", per_sample, finite=False, ndim=2)
    n, k = per_sample.shape
    if not isinstance(shape, tuple) or shape not in ((1, k), (k,), (n, k)):
        raise ValueError(f"shape must be (1, {k}), ({k},) or ({n}, {k}) for per_sample {per_sample.shape}, "
                         f"got {shape!r:.60}")
    if shape == (n, k) and n > 1:
        return per_sample
    return per_sample.sum(axis=0).reshape(shape)
