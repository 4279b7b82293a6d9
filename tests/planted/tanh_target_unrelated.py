"""Planted: the target is noise drawn independently of x."""
import numpy as np

EXPECTED = "target_unrelated"
DESCRIPTION = "By mistake my y comes from a different random draw than x (y = rng.normal(size=(n, 1))), so there is nothing to learn."


class TanhNet:
    """My little network object: forward() caches, backward() reads the cache."""

    def forward(self, p, x):
        self.x = x
        self.a = np.tanh(x @ p["W0"] + p["b0"])
        self.out = self.a @ p["W1"] + p["b1"]
        return self.out

    def backward(self, p, y):
        g = 2 * (self.out - y) / len(y)
        gh = g @ p["W1"].T * (1 - self.a ** 2)
        return {"W0": self.x.T @ gh, "b0": gh.sum(0, keepdims=True),
                "W1": self.a.T @ g, "b1": g.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(230)
    n, h = 1000, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = rng.normal(size=(n, 1))                          # BUG: unrelated to x
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.5,
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}
    net = TanhNet()

    def grad_fn(p, x, y):
        net.forward(p, x)
        return net.backward(p, y)

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: TanhNet().forward(p, x))
