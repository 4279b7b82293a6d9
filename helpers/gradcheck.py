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

__all__ = ["numerical_gradient", "relative_error", "gradient_check"]


def numerical_gradient(loss_fn, params, eps=1e-6):
    """Centred-difference gradient of ``loss_fn(params) -> float``, one entry at a time.

    Returns a dict of arrays shaped like ``params``. ``params`` is left as it was (each
    entry is nudged and restored).
    """
    grads = {}
    for name, value in params.items():
        value = np.array(value, dtype=float)  # a private copy to nudge
        grad = np.zeros_like(value)
        probe = dict(params, **{name: value})
        for idx in np.ndindex(value.shape):
            old = value[idx]
            value[idx] = old + eps
            up = loss_fn(probe)
            value[idx] = old - eps
            down = loss_fn(probe)
            value[idx] = old
            grad[idx] = (up - down) / (2 * eps)
        grads[name] = grad
    return grads


def relative_error(a, b):
    """CS231n's relative error: ``max |a - b| / max(1e-8, |a| + |b|)``, entry by entry.

    Dividing by the size of the numbers makes the test scale-free: 1e-3 vs 1.1e-3 is as
    wrong as 1 vs 1.1. The ``1e-8`` floor keeps two tiny, equally-zero entries from
    counting as a large error.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def gradient_check(params, x, y, eps=1e-5):
    """Relative error between ``net.backward`` and a numerical gradient of ``net.mse``.

    Returns ``{name: relative error}`` for ``W0, b0, W1, b1``.

    Two choices keep the numerical side accurate to about 1e-9 (not just 1e-6):

    - The loss is measured *relative to its value at* ``params``: with ``r0 = l2 - y`` and
      ``d = l2(p) - l2``, ``mse(p) - mse(params) = mean(d * (d + 2 r0))``. A constant shift
      leaves the gradient unchanged, but the difference of two losses of about 20 that
      agree to 10 digits is no longer taken, and the rounding error of ``L(p +- eps)``
      shrinks from about 1e-15 to far below.
    - ``eps = 1e-5``: the centred difference's truncation error grows like ``eps**2`` and
      its rounding error like ``1 / eps``; 1e-5 balances the two here.
    """
    _, cache = net.forward(params, x)
    analytic = net.backward(params, cache, y)
    l2, r0 = cache["l2"], cache["l2"] - y

    def loss_change(p):
        d = net.forward(p, x)[0] - l2
        return float(np.mean(d * (d + 2.0 * r0)))

    numeric = numerical_gradient(loss_change, params, eps)
    return {name: relative_error(analytic[name], numeric[name]) for name in params}
