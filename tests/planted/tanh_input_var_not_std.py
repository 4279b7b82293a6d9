"""Planted: input scaled by its variance; raw std 4 gives x std 0.25, a nearly linear tanh layer."""
import numpy as np

EXPECTED = "input_var_not_std"
DESCRIPTION = "I scale the input with (x - x.mean()) / x.var(); the raw input has std 8 so x ends with std 0.125 and the tanh network learns the curve slowly."


def case():
    rng = np.random.default_rng(191)
    n, h = 600, 10
    x_raw = rng.normal(0, 8, (n, 1))
    y = np.cos(x_raw / 4)
    x = (x_raw - x_raw.mean()) / x_raw.var()         # BUG: var instead of std
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.3,
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        a = np.tanh(x @ p["W0"] + p["b0"])
        return a, a @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        a, o = fwd(p, x)
        g = 2 * (o - y) / n
        gh = g @ p["W1"].T * (1 - a ** 2)
        return {"W0": x.T @ gh, "b0": gh.sum(0, keepdims=True), "W1": a.T @ g, "b1": g.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: fwd(p, x)[1], x_raw=x_raw)
