"""Correct but unusual: weights stored the PyTorch way, W0 (h, 1) and W1 (1, h), applied as x @ W.T."""
import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I store weights as (out, in) like torch.nn.Linear, W0.shape == (14, 1), W1.shape == (1, 14), and use x @ W0.T."


def linear(a, W, b):
    return a @ W.T + b


def case():
    rng = np.random.default_rng(2)
    n, h = 350, 14
    x = np.linspace(-2, 2, n)[:, None]
    y = np.where(x < 0, -x, 0.5 * x ** 2)
    p = {"W0": rng.normal(size=(h, 1)), "b0": rng.uniform(-1.5, 1.5, size=(1, h)),
         "W1": rng.normal(size=(1, h)) * np.sqrt(2 / h), "b1": np.zeros((1, 1))}

    def predict(p, x):
        return linear(np.maximum(linear(x, p["W0"], p["b0"]), 0), p["W1"], p["b1"])

    def grad_fn(p, x, y):
        z = linear(x, p["W0"], p["b0"])
        a = np.maximum(z, 0)
        d_out = 2 * (linear(a, p["W1"], p["b1"]) - y) / n
        d_z = (d_out @ p["W1"]) * (z > 0)
        return {"W1": d_out.T @ a, "b1": d_out.sum(0, keepdims=True),
                "W0": d_z.T @ x, "b0": d_z.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.05, predict=predict)
