"""Planted: the target is noise drawn independently of x."""
import numpy as np

EXPECTED = "target_unrelated"
DESCRIPTION = "By mistake my y comes from a different random draw than x (y = rng.normal(size=(n, 1))), so there is nothing to learn."


def case():
    rng = np.random.default_rng(230)
    n, h = 1000, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = rng.normal(size=(n, 1))                          # BUG: unrelated to x
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.5,
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        a = np.tanh(x @ p["W0"] + p["b0"])
        return a, a @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        a, o = fwd(p, x)
        g = 2 * (o - y) / n
        gh = g @ p["W1"].T * (1 - a ** 2)
        return {"W0": x.T @ gh, "b0": gh.sum(0, keepdims=True), "W1": a.T @ g, "b1": g.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: fwd(p, x)[1])
