"""Planted: y loaded as a flat vector; the residual (y - out) is (n, n) and summed over one axis."""
import numpy as np

EXPECTED = "y_shape_1d"
DESCRIPTION = "I read y as a 1-D array (shape (n,)); my residual y - out is silently (n, n) and I summed it over axis 1 and divided by n to get back to (n, 1)."


def case():
    rng = np.random.default_rng(241)
    n, h = 400, 12
    data = np.column_stack([np.linspace(-3, 3, n), np.sin(np.linspace(-3, 3, n))])
    x = data[:, :1]                                     # (n, 1)
    y = data[:, 1]                                      # BUG: (n,)
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.5,
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        a = np.tanh(x @ p["W0"] + p["b0"])
        return a, a @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        a, out = fwd(p, x)
        resid = y - out                                       # (n, n)
        delta = 2 * resid.sum(axis=1, keepdims=True) / n / n  # back to (n, 1)
        dh = delta @ p["W1"].T * (1 - a ** 2)
        added = {"W1": a.T @ delta, "b1": delta.sum(0, keepdims=True), "W0": x.T @ dh, "b0": dh.sum(0, keepdims=True)}
        return {k: -v for k, v in added.items()}            # I add the deltas

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: fwd(p, x)[1])
