"""Planted: y has shape (n,), the output (n, 1): l2 - y is an (n, n) matrix."""
import numpy as np

EXPECTED = "y_shape_1d"
DESCRIPTION = "My y = x[:, 0]**2 has shape (500,) while l2 is (500, 1), so l2 - y broadcasts to (500, 500); I averaged the extra axis away to make the shapes fit."


def case():
    rng = np.random.default_rng(240)
    n, h = 500, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = x[:, 0] ** 2                                      # BUG: shape (n,)
    p = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]                    # (n, 1)

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        dl2 = 2 * (l2 - y) / n                               # (n, n) without a warning
        dl2 = dl2.mean(axis=1, keepdims=True)                # 'fix' for the shape error in W1 -= ...
        d1 = dl2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=lambda p, x: fwd(p, x)[1])
