"""Planted bug: the input divided by its variance instead of its standard deviation (held-out suite)."""

import numpy as np

EXPECTED = "input_var_not_std"
DESCRIPTION = "My standardise function divides by np.var(x_raw) instead of np.std(x_raw); x_raw has std 4, so x ends with std 1/4 instead of 1."


def standard(data):
    return (data - np.mean(data)) / np.var(data)     # BUG: np.std


def case():
    rng = np.random.default_rng(14025)
    n, h = 1000, 10
    x_raw = 4 * rng.normal(size=(n, 1)) + 3
    y = np.sin(x_raw / 3)
    x = standard(x_raw)

    def predict(p, x):
        return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        a = np.tanh(x @ p["W0"] + p["b0"])
        d = 2 * (a @ p["W1"] + p["b1"] - y) / len(y)
        dz = d @ p["W1"].T * (1 - a ** 2)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ d, "b1": d.sum(0, keepdims=True)}

    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.normal(0, 0.5, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1, "predict": predict, "x_raw": x_raw}
