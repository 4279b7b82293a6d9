"""Correct but unusual: the exact gradient of a SUMMED squared loss, with lr divided by n."""
import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I train the summed loss (y - l2)^T (y - l2) with its exact gradient and use lr = 0.2 / n to make up for the sum."


def case():
    rng = np.random.default_rng(5)
    n, h = 800, 10
    x = rng.normal(size=(n, 1))
    y = np.sin(2 * x)
    W0 = rng.normal(size=(1, h))
    b0 = np.zeros((1, h))
    W1 = rng.normal(size=(h, 1)) * 0.3
    b1 = np.zeros((1, 1))

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def loss(p, x, y):
        r = y - fwd(p, x)[1]
        return float((r.T @ r)[0, 0])          # the sum of squares, as in the question

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        d2 = 2 * (l2 - y)                       # gradient of the SUM: no 1/n here ...
        d1 = (d2 @ p["W1"].T) * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True),
                "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}

    return dict(params=dict(W0=W0, b0=b0, W1=W1, b1=b1), x=x, y=y, grad_fn=grad_fn,
                lr=0.2 / n,                     # ... the 1/n is in the learning rate instead
                predict=lambda p, x: fwd(p, x)[1], loss=loss)
