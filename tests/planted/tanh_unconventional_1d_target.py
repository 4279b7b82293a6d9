"""Correct but unusual: y is 1-D (n,) and so is the prediction, so nothing broadcasts to (n, n)."""
import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "My targets are a flat vector y.shape == (n,) and I flatten the output too (l2 = (l1 @ W1).ravel() + b1), so the residual is (n,)."


def case():
    rng = np.random.default_rng(77)
    n, h = 450, 9
    x = rng.uniform(-2.5, 2.5, size=(n, 1))
    y = np.sin(1.5 * x[:, 0]) * np.exp(-0.1 * x[:, 0] ** 2)      # shape (n,)
    params = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.5,
              "W1": rng.normal(size=(h, 1)) * 0.4, "b1": np.zeros(1)}

    def predict(p, x):
        return (np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"]).ravel() + p["b1"]

    def grad_fn(p, x, y):
        l1 = np.tanh(x @ p["W0"] + p["b0"])
        l2 = (l1 @ p["W1"]).ravel() + p["b1"]
        r = 2 * (l2 - y) / len(y)                  # (n,)
        dl1 = np.outer(r, p["W1"][:, 0]) * (1 - l1 ** 2)
        return {"W1": (l1.T @ r).reshape(-1, 1), "b1": np.array([r.sum()]),
                "W0": x.T @ dl1, "b0": dl1.sum(axis=0, keepdims=True)}

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=predict)
