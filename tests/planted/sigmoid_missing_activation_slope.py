"""Planted: the hidden delta forgets the sigmoid's derivative l1 * (1 - l1)."""
import numpy as np

EXPECTED = "missing_activation_slope"
DESCRIPTION = "I backpropagate l1_delta = l2_delta @ W1.T and forgot to multiply by the sigmoid's slope l1 * (1 - l1)."


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def case():
    rng = np.random.default_rng(41)
    x = rng.uniform(-2, 2, (600, 1))
    y = x ** 2 - 1
    params = {"W0": rng.normal(size=(1, 10)), "b0": np.zeros((1, 10)),
              "W1": rng.normal(size=(10, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def predict(p, x):
        return sigmoid(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1 = sigmoid(x @ p["W0"] + p["b0"])
        l2 = l1 @ p["W1"] + p["b1"]
        l2_delta = 2 * (l2 - y) / len(x)
        l1_delta = l2_delta @ p["W1"].T            # BUG: no * l1 * (1 - l1)
        return {"W0": x.T @ l1_delta, "b0": l1_delta.sum(0, keepdims=True),
                "W1": l1.T @ l2_delta, "b1": l2_delta.sum(0, keepdims=True)}

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=predict)
