"""Planted: gradient of the summed loss (no 1/n) with lr = 0.5, a learning rate meant for the mean."""
import numpy as np

EXPECTED = "gradient_too_large_summed"
DESCRIPTION = "I minimise the mean squared error with lr = 0.5 but my output delta is 2*(l2 - y) without dividing by n, the summed loss's gradient."


def case():
    rng = np.random.default_rng(110)
    n, h = 500, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = x ** 2
    p = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        dl2 = 2 * (l2 - y)                             # BUG: / n missing
        dz = dl2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True),
                "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=lambda p, x: fwd(p, x)[1])
