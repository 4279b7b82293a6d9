"""Is my backward pass right? Compare it with a numerical gradient (CS231n's gradient check).

The centred difference ``(L(p + eps) - L(p - eps)) / (2 eps)`` approximates ``dL/dp`` with an
error of order ``eps**2``, one parameter entry at a time: slow, but it needs no calculus, so
it is the independent witness for ``net.backward``.

How to read ``relative_error`` (the thresholds CS231n's notes give):

- above 1e-2: the gradient is almost certainly wrong;
- 1e-4 to 1e-2: suspicious (acceptable only near kinks, which a sigmoid network has none of);
- below 1e-7: correct. This project's tests demand below 1e-7.
"""
import numpy as np

from . import net
from .validate import check_callable, check_number, is_number, real_array

__all__ = ["numerical_gradient", "relative_error", "gradient_check"]


def numerical_gradient(loss_fn, params, eps=1e-6):
    """Centred-difference gradient of ``loss_fn(params) -> float``, one entry at a time.

    Returns a dict of arrays shaped like ``params`` (a dict of finite arrays, left as it was:
    each entry is nudged in a copy). ``0 < eps <= 1``; ``loss_fn`` must return a finite number.
    """
    check_callable("loss_fn", loss_fn)
    eps = check_number("eps", eps, 0, 1, low_open=True)
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params must be a non-empty dict of arrays, got {params!r:.60}")
    params = {name: real_array(f"params[{name!r}]", value) for name, value in params.items()}
    grads = {}
    for name, value in params.items():
        value = value.copy()  # a private copy to nudge
        grad = np.zeros_like(value)
        probe = dict(params, **{name: value})
        for idx in np.ndindex(value.shape):
            old = value[idx]
            value[idx] = old + eps
            up = _loss(loss_fn, probe)
            value[idx] = old - eps
            down = _loss(loss_fn, probe)
            value[idx] = old
            grad[idx] = (up - down) / (2 * eps)
        grads[name] = grad
    return grads


def _loss(loss_fn, params):
    value = loss_fn(params)
    if not (is_number(value) and np.isfinite(value)):
        raise ValueError(f"loss_fn must return a finite number at params (each entry nudged by eps), got {value!r:.60}")
    return value


def relative_error(a, b):
    """CS231n's relative error: ``max |a - b| / max(1e-8, |a| + |b|)``, entry by entry.

    Dividing by the size of the numbers makes the test scale-free: 1e-3 vs 1.1e-3 is as wrong as
    1 vs 1.1; the ``1e-8`` floor keeps two tiny, equally-zero entries from counting as an error.
    ``a`` and ``b``: finite arrays of the same shape (no broadcasting).
    """
    a, b = real_array("a", a), real_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape (no broadcasting), got a {a.shape} and b {b.shape}")
    a, b = a / 2, b / 2  # the same ratios, and |a| + |b| cannot overflow near 1e308
    return float(np.max(np.abs(a - b) / np.maximum(0.5e-8, np.abs(a) + np.abs(b))))


def gradient_check(params, x, y, eps=1e-5):
    """Relative error between ``net.backward`` and a numerical gradient of ``net.mse``.

    Returns ``{name: relative error}`` for ``W0, b0, W1, b1``. Two choices keep the numerical side
    accurate to about 1e-9: the loss is measured *relative to its value at* ``params`` (with
    ``r0 = l2 - y`` and ``d = l2(p) - l2``, ``mse(p) - mse(params) = mean(d * (d + 2 r0))``: the same
    gradient, without subtracting two losses of about 20 that agree to 10 digits), and ``eps = 1e-5``
    balances the truncation error (like ``eps**2``) against rounding (like ``1 / eps``).

    ``params``, ``x``, ``y``: see ``net.check_inputs`` (per-sample biases allowed); ``0 < eps <= 1``.
    Parameters whose loss overflows float64 are a ``ValueError``.
    """
    params, x, y = net.check_inputs(params, x, y, per_sample=True)
    check_number("eps", eps, 0, 1, low_open=True)
    with np.errstate(over="ignore", invalid="ignore"):  # huge parameters: refused below, not warned about
        _, cache = net.forward(params, x)
        analytic = net.backward(params, cache, y)
        l2, r0 = cache["l2"], cache["l2"] - y

        def loss_change(p):
            d = net._forward(p, x)[0] - l2
            return float(np.mean(d * (d + 2.0 * r0)))

        try:
            numeric = numerical_gradient(loss_change, params, eps)
        except ValueError:  # a loss change that overflowed
            numeric = None
    if numeric is None or not all(np.all(np.isfinite(g)) for g in analytic.values()):
        biggest = max(float(np.max(np.abs(v))) for v in params.values())
        raise ValueError(f"params must give a finite loss and gradient in float64, got parameters up to {biggest:.3g}")
    return {name: relative_error(analytic[name], numeric[name]) for name in params}
