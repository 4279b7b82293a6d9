"""Planted: dW1 uses the hidden pre-activation z1 instead of the activation l1."""
import numpy as np

EXPECTED = "dW1_from_preactivation"
DESCRIPTION = "I computed dW1 = z1.T @ dl2 with z1 = x @ W0 + b0, the value before the sigmoid, instead of l1.T @ dl2."


def case():
    rng = np.random.default_rng(70)
    x = rng.uniform(-2, 2, size=(500, 1))
    y = x ** 2 + 0.5 * np.sin(4 * x)
    p = {"W0": rng.normal(size=(1, 10)) * 1.5, "b0": rng.normal(size=(1, 10)),
         "W1": rng.normal(size=(10, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def grad_fn(p, x, y):
        z1 = x @ p["W0"] + p["b0"]
        l1 = 1 / (1 + np.exp(-z1))
        l2 = l1 @ p["W1"] + p["b1"]
        dl2 = 2 * (l2 - y) / len(y)
        dz1 = dl2 @ p["W1"].T * l1 * (1 - l1)
        return {"W1": z1.T @ dl2,                     # BUG: z1, not l1
                "b1": dl2.sum(axis=0, keepdims=True),
                "W0": x.T @ dz1, "b0": dz1.sum(axis=0, keepdims=True)}

    def predict(p, x):
        return 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"]))) @ p["W1"] + p["b1"]

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=predict)
