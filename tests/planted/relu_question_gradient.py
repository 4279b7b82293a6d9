"""Planted: relu layer loop seeded with the question's delta np.mean(y - l2)*2*(y - l2)."""
import numpy as np

EXPECTED = "question_gradient"
DESCRIPTION = "My relu network's output delta is the question's np.mean(y - l2)*2*(y - l2), summed loss, deltas added with lr = 1e-4."


def case():
    rng = np.random.default_rng(122)
    n, h = 500, 12
    x = np.linspace(-2, 2, n).reshape(n, 1)
    y = np.abs(x) + 0.2 * np.cos(4 * x) + 0.5
    params = {"W0": rng.normal(size=(1, h)), "b0": rng.uniform(-1.5, 1.5, (1, h)),
              "W1": rng.normal(size=(h, 1)) * np.sqrt(2 / h), "b1": np.zeros((1, 1))}

    def layers(p):
        return [(p["W0"], p["b0"], True), (p["W1"], p["b1"], False)]

    def forward(p, x):
        outs = [x]
        for W, b, relu in layers(p):
            z = outs[-1] @ W + b
            outs.append(np.maximum(z, 0) if relu else z)
        return outs

    def grad_fn(p, x, y):
        outs = forward(p, x)
        l2 = outs[-1]
        delta = np.mean(y - l2) * 2 * (y - l2)               # BUG: question's delta
        ups = {}
        for i, name in ((1, "1"), (0, "0")):
            ups["W" + name] = outs[i].T @ delta
            ups["b" + name] = delta.sum(axis=0, keepdims=True)
            if i:
                delta = (delta @ p["W1"].T) * (outs[1] > 0)
        return {k: -v for k, v in ups.items()}              # added in my loop

    def loss(p, x, y):
        return float(np.sum((y - forward(p, x)[-1]) ** 2))

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=1e-4,
                predict=lambda p, x: forward(p, x)[-1], loss=loss)
