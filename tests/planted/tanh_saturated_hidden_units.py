"""Planted: tanh units saturated by an input weight of 40 and biases of +-60."""
import numpy as np

EXPECTED = "saturated_hidden_units"
DESCRIPTION = "My tanh layer starts with W0 ~ 40 and b0 = +-(1.5 |W0| + 30), so every unit outputs +-1 for every sample and no gradient reaches W0."

rng = np.random.default_rng(211)
X = np.linspace(-1.5, 1.5, 400).reshape(-1, 1)
Y = X ** 2
W0 = 40 * rng.standard_normal((1, 8))
b0 = np.where(rng.random((1, 8)) < 0.5, -1.0, 1.0) * (1.5 * np.abs(W0) + 30)
W1 = 0.3 * rng.standard_normal((8, 1))
b1 = np.zeros((1, 1))


def grads(W0, b0, W1, b1, X, Y):
    A = np.tanh(X @ W0 + b0)
    E = 2 * (A @ W1 + b1 - Y) / X.shape[0]
    D = E @ W1.T * (1 - A ** 2)
    return {"W0": X.T @ D, "b0": D.sum(0, keepdims=True), "W1": A.T @ E, "b1": E.sum(0, keepdims=True)}


def case():
    return dict(params={"W0": W0.copy(), "b0": b0.copy(), "W1": W1.copy(), "b1": b1.copy()}, x=X, y=Y,
                grad_fn=lambda p, x, y: grads(p["W0"], p["b0"], p["W1"], p["b1"], x, y), lr=0.1,
                predict=lambda p, x: np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"])
