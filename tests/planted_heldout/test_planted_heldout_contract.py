"""Each held-out network keeps the contract and is what its EXPECTED category says, checked without the doctor.

The witness for every gradient is a centred difference of the loss the author trains (``loss`` when the
case gives one, else the mean squared error of ``predict``, with y and the prediction both flattened so a
(n,) target is compared sample by sample). Per parameter we compare the author's gradient g with the
numerical one g_num by

    rel(g, g_num)  = |g - g_num| / (|g| + |g_num|)      0 for equal arrays, 1 for opposite ones
    ratio(g, g_num) = <g, g_num> / |g_num|^2            the factor g carries along g_num

(rel below 1e-6 in float64, 1e-4 for the float32 network, counts as "matches"; a bug must reach 0.1).
Behaviour is checked by short training runs (plain gradient descent, ``params -= lr * grad``, at most
1500 epochs). No import of ``helpers``: this file must not depend on the tool it is used to measure.
"""

import numpy as np
import pytest

from . import CATEGORIES, MODULES, load

CORRECT = ("correct", "correct_unconventional")
EPOCHS = 1500


def mse(c, p, x=None, y=None):
    x = c["x"] if x is None else x
    y = c["y"] if y is None else y
    return float(np.mean((np.reshape(c["predict"](p, x), -1) - np.reshape(y, -1)) ** 2))


def trained_loss(c, p):
    return c["loss"](p, c["x"], c["y"]) if "loss" in c else mse(c, p)


def numerical_gradient(c, p, eps=1e-6):
    """Centred differences of the trained loss, in float64, one entry at a time."""
    p = {k: np.array(v, dtype=np.float64) for k, v in p.items()}
    g = {}
    for k, v in p.items():
        gk = np.zeros_like(v)
        for i in np.ndindex(v.shape):
            old = v[i]
            v[i] = old + eps
            up = trained_loss(c, p)
            v[i] = old - eps
            down = trained_loss(c, p)
            v[i] = old
            gk[i] = (up - down) / (2 * eps)
        g[k] = gk
    return g


def rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


def ratio(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.sum(a * b) / np.sum(b * b))


def compare(c, p=None):
    """(author's gradient, numerical gradient) at p (default: the case's starting parameters)."""
    p = c["params"] if p is None else p
    with np.errstate(all="ignore"):
        return c["grad_fn"](p, c["x"], c["y"]), numerical_gradient(c, p)


def tolerance(c):
    return 1e-4 if c["x"].dtype == np.float32 else 1e-6


def train(c, lr=None, epochs=EPOCHS, grad_fn=None, x=None, y=None):
    """Gradient descent from the case's start; returns (mean squared errors every 50 epochs, final params)."""
    lr = c["lr"] if lr is None else lr
    grad_fn = c["grad_fn"] if grad_fn is None else grad_fn
    x = c["x"] if x is None else x
    y = c["y"] if y is None else y
    p = {k: v.copy() for k, v in c["params"].items()}
    history = [mse(c, p, x, y)]
    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            g = grad_fn(p, x, y)
            p = {k: p[k] - lr * g[k] for k in p}
            if epoch % 50 == 0:
                history.append(mse(c, p, x, y))
                if not np.isfinite(history[-1]):
                    break
    return history, p


def diverged(history):
    return not np.isfinite(history[-1]) or history[-1] > 10 * history[0]


def by_category(category):
    return [name for name in MODULES if load(name).EXPECTED == category]


# ---------------------------------------------------------------------------------------------- the suite


def test_the_suite_covers_every_category_with_enough_correct_networks():
    categories = [load(name).EXPECTED for name in MODULES]
    assert set(categories) == set(CATEGORIES)
    assert sum(category in CORRECT for category in categories) >= 8
    assert 28 <= len(MODULES) <= 40
    for kind in ("sigmoid", "tanh", "relu"):
        assert any(name.startswith(kind + "_") for name in MODULES), kind


@pytest.mark.parametrize("name", MODULES)
def test_contract(name):
    module = load(name)
    assert module.EXPECTED in CATEGORIES
    assert isinstance(module.DESCRIPTION, str) and len(module.DESCRIPTION) > 40
    c = module.case()
    assert {"params", "x", "y", "grad_fn", "lr", "predict"} <= set(c) <= {
        "params", "x", "y", "grad_fn", "lr", "predict", "x_raw", "loss"}
    p, x = c["params"], c["x"]
    assert set(p) == {"W0", "b0", "W1", "b1"}
    n = x.shape[0]
    assert x.shape == (n, 1) and 100 <= n <= 2000
    assert 3 <= p["W0"].size <= 32
    assert np.reshape(c["y"], -1).shape == (n,)
    assert np.reshape(c["predict"](p, x), -1).shape == (n,)
    assert c["lr"] > 0
    with np.errstate(all="ignore"):
        g = c["grad_fn"](p, x, c["y"])
    assert set(g) == set(p) and all(np.shape(g[k]) == p[k].shape for k in p)
    # case() builds fresh, identical arrays on every call: a consumer may modify what it gets
    again = module.case()
    for k in p:
        assert again["params"][k] is not p[k] and np.array_equal(again["params"][k], p[k])
    assert np.array_equal(again["y"], c["y"])


# ---------------------------------------------------------------------------------------- correct ones


@pytest.mark.parametrize("name", by_category("correct") + by_category("correct_unconventional"))
def test_correct_networks_have_the_exact_gradient_and_train(name):
    c = load(name).case()
    g, g_num = compare(c)
    for k in g:
        assert rel(g[k], g_num[k]) < tolerance(c), k
    history, _ = train(c)
    assert all(np.isfinite(history))
    assert history[-1] < 0.2 * np.var(c["y"]) and history[-1] < 0.5 * history[0]


# ---------------------------------------------------------------------------------------- gradient bugs


def matching(c, g, g_num):
    return {k for k in g if rel(g[k], g_num[k]) < tolerance(c)}


@pytest.mark.parametrize("name", by_category("missing_activation_slope"))
def test_missing_activation_slope(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert matching(c, g, g_num) == {"W1", "b1"}
    assert rel(g["W0"], g_num["W0"]) > 0.1
    # the author's hidden delta is dl2 @ W1.T with no slope factor, so db0 is exactly sum(dl2) * W1.T
    p = c["params"]
    dl2 = 2 * (np.reshape(c["predict"](p, c["x"]), (-1, 1)) - c["y"]) / len(c["y"])
    assert np.allclose(g["b0"], dl2.sum() * p["W1"].T)


@pytest.mark.parametrize("name", by_category("missing_input_in_dW0"))
def test_missing_input_in_dW0(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert matching(c, g, g_num) == {"b0", "W1", "b1"}
    assert rel(g["W0"], g_num["W0"]) > 0.1
    assert np.allclose(g["W0"], g["b0"])               # dW0 is the bias's sum, x never entered


@pytest.mark.parametrize("name", by_category("dW1_from_preactivation"))
def test_dW1_from_preactivation(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert matching(c, g, g_num) == {"W0", "b0", "b1"}
    p, x = c["params"], c["x"]
    z0 = x @ p["W0"] + p["b0"]
    dl2 = 2 * (c["predict"](p, x) - c["y"]) / len(x)
    assert np.allclose(g["W1"], z0.T @ dl2)


@pytest.mark.parametrize("name", by_category("one_param_sign_flipped"))
def test_one_param_sign_flipped(name):
    c = load(name).case()
    g, g_num = compare(c)
    flipped = [k for k in g if rel(g[k], -g_num[k]) < tolerance(c)]
    assert len(flipped) == 1
    assert matching(c, g, g_num) == set(g) - set(flipped)


@pytest.mark.parametrize("name", by_category("all_signs_flipped"))
def test_all_signs_flipped(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert all(rel(g[k], -g_num[k]) < tolerance(c) for k in g)
    assert diverged(train(c, epochs=500)[0])


@pytest.mark.parametrize("name", by_category("bias_grad_averaged"))
def test_bias_gradient_scaled_by_n_against_the_weights(name):
    c = load(name).case()
    g, g_num = compare(c)
    n = len(c["x"])
    assert matching(c, g, g_num) == {"W0", "W1"}
    for k in ("b0", "b1"):                              # collinear, off by exactly n (summed) or 1/n (averaged)
        r = ratio(g[k], g_num[k])
        assert rel(g[k], r * g_num[k]) < 1e-6
        assert np.isclose(r, n) or np.isclose(r, 1 / n), (k, r)


@pytest.mark.parametrize("name", by_category("gradient_too_large_summed"))
def test_gradient_too_large_summed(name):
    c = load(name).case()
    assert "loss" not in c                              # the author believes it is the mean squared error
    g, g_num = compare(c)
    n = len(c["x"])
    assert all(rel(g[k], n * g_num[k]) < 1e-6 for k in g)
    assert diverged(train(c, epochs=300)[0])
    falls = train(c, lr=c["lr"] / n)[0]                # the same step on the mean: it trains
    assert falls[-1] < 0.5 * falls[0]


@pytest.mark.parametrize("name", by_category("question_gradient"))
def test_question_gradient(name):
    c = load(name).case()
    g, g_num = compare(c)                               # against the mean squared error
    p = c["params"]
    mean_residual = float(np.mean(c["y"] - c["predict"](p, c["x"])))
    # the question's l2_delta = mean(y - l2) * 2 * (y - l2) is the MSE's delta times n * mean(y - l2)
    # (summed) or mean(y - l2) (divided by n): every parameter carries that same factor
    factors = [ratio(g[k], g_num[k]) for k in g]
    assert all(rel(g[k], ratio(g[k], g_num[k]) * g_num[k]) < 1e-4 for k in g)
    n = len(c["x"])
    assert any(np.allclose(factors, f * mean_residual, rtol=1e-3) for f in (1, n)), (factors, mean_residual)
    assert not np.isclose(factors[0], 1, atol=0.1)


@pytest.mark.parametrize("name", by_category("transposed_gradient"))
def test_transposed_gradient(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert matching(c, g, g_num) == {"W1", "b1"}
    assert rel(g["W0"], g_num["W0"]) > 0.1 and rel(g["b0"], g_num["b0"]) > 0.1


@pytest.mark.parametrize("name", by_category("stale_gradient"))
def test_stale_gradient(name):
    module = load(name)
    c = module.case()
    p0 = c["params"]
    g0, g0_num = compare(c)                             # the first call has nothing older: exact
    assert all(rel(g0[k], g0_num[k]) < 1e-6 for k in g0)
    p1 = {k: p0[k] - c["lr"] * g0[k] for k in p0}
    g1 = c["grad_fn"](p1, c["x"], c["y"])
    g1_num = numerical_gradient(c, p1)
    assert all(rel(g1[k], g0_num[k]) < 1e-6 for k in g1)   # it returns the gradient at p0 ...
    assert any(rel(g1[k], g1_num[k]) > 0.01 for k in g1)   # ... not at p1
    assert diverged(train(c)[0])
    # a grad_fn fresh on every call (a new case's first call) is exact, and trains at the same lr
    fresh = train(c, grad_fn=lambda p, x, y: module.case()["grad_fn"](p, x, y))[0]
    assert fresh[-1] < 0.2 * np.var(c["y"])


# ---------------------------------------------------------------------------------------- shapes and data


@pytest.mark.parametrize("name", by_category("per_sample_biases"))
def test_per_sample_biases(name):
    c = load(name).case()
    n = len(c["x"])
    assert c["params"]["b0"].shape[0] == n or c["params"]["b1"].shape[0] == n
    g, g_num = compare(c)
    assert all(rel(g[k], g_num[k]) < 1e-6 for k in g)  # the gradient is right for these parameters
    history, p = train(c)
    assert history[-1] < 1e-3 * np.var(c["y"])         # it memorises noisy targets ...
    with pytest.raises(ValueError):                     # ... and cannot predict any other set of points
        c["predict"](p, c["x"][:10])


@pytest.mark.parametrize("name", by_category("input_var_not_std"))
def test_input_divided_by_its_variance(name):
    c = load(name).case()
    x_raw, x = c["x_raw"], c["x"]
    assert np.allclose(x, (x_raw - x_raw.mean()) / x_raw.var())
    assert abs(np.log(x.std())) > np.log(2)            # the std is 1/std(x_raw), far from 1
    # and it costs: the same network, lr and epochs on the input divided by its std fits better
    by_var = train(c)[0][-1]
    by_std = train(c, x=(x_raw - x_raw.mean()) / x_raw.std())[0][-1]
    assert by_std < 0.5 * by_var


@pytest.mark.parametrize("name", by_category("unscaled_input"))
def test_unscaled_input(name):
    c = load(name).case()
    x = c["x"]
    assert np.abs(x).mean() > 100
    g, g_num = compare(c)
    assert all(rel(g[k], g_num[k]) < 1e-6 for k in g)
    raw = train(c)[0]
    assert not np.isfinite(raw[-1]) or raw[-1] > 0.9 * np.var(c["y"])   # nothing learned beyond the mean
    scaled = train(c, x=(x - x.mean()) / x.std())[0]
    assert scaled[-1] < 0.2 * np.var(c["y"])


@pytest.mark.parametrize("name", by_category("unscaled_target"))
def test_unscaled_target(name):
    c = load(name).case()
    y = c["y"]
    assert np.std(y) > 100 and abs(np.mean(y)) > 100
    g, g_num = compare(c)
    assert all(rel(g[k], g_num[k]) < 1e-4 for k in g)
    # the best fraction of var(y) left over a range of learning rates, raw and standardized target:
    # no lr rescues the raw target, one lr fits the standardized one
    def best_fraction(target):
        ends = [train(c, lr=lr, y=target)[0][-1] / np.var(target) for lr in (1e-3, 1e-2, 0.1, 0.3)]
        return min(end for end in ends if np.isfinite(end))

    scaled = best_fraction((y - y.mean()) / y.std())
    assert scaled < 0.05 and best_fraction(y) > 5 * scaled


@pytest.mark.parametrize("name", by_category("y_shape_1d"))
def test_y_shape_1d(name):
    c = load(name).case()
    y, p = c["y"], c["params"]
    assert y.ndim == 1
    assert (c["predict"](p, c["x"]) - y).shape == (len(y), len(y))   # the silent (n, n) broadcast
    g, g_num = compare(c)                               # against the per-sample mean squared error
    assert any(rel(g[k], g_num[k]) > 0.1 for k in g)
    history, p = train(c)
    assert history[-1] > 0.95 * np.var(y)              # it learns the mean of y and nothing else
    assert np.std(c["predict"](p, c["x"])) < 0.1 * np.std(y)


# ---------------------------------------------------------------------------------------- learning rate


@pytest.mark.parametrize("name", by_category("lr_too_large"))
def test_lr_too_large(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert all(rel(g[k], g_num[k]) < 1e-6 for k in g)
    assert diverged(train(c, epochs=300)[0])
    smaller = train(c, lr=c["lr"] / 100)[0]
    assert smaller[-1] < 0.2 * np.var(c["y"])


@pytest.mark.parametrize("name", by_category("lr_too_small"))
def test_lr_too_small(name):
    c = load(name).case()
    g, g_num = compare(c)
    assert all(rel(g[k], g_num[k]) < 1e-6 for k in g)
    history = train(c)[0]
    assert history[-1] > 0.97 * history[0]             # 1500 epochs and the loss has hardly moved
    larger = train(c, lr=c["lr"] * 1e5)[0]
    assert larger[-1] < 0.3 * history[0]


# ---------------------------------------------------------------------------------------- units and targets


@pytest.mark.parametrize("name", by_category("saturated_hidden_units"))
def test_saturated_hidden_units(name):
    c = load(name).case()
    p, x = c["params"], c["x"]
    z0 = x @ p["W0"] + p["b0"]
    assert np.all(np.abs(z0) > 10)                      # every unit, every sample: sigmoid slope < 5e-5
    g, g_num = compare(c)
    assert np.abs(g["W0"]).max() < 1e-6 and np.abs(g["b0"]).max() < 1e-6
    assert train(c)[0][-1] > 0.95 * np.var(c["y"])     # every unit constant: only the mean is learned


@pytest.mark.parametrize("name", by_category("dead_relu"))
def test_dead_relu(name):
    c = load(name).case()
    p, x = c["params"], c["x"]
    assert np.all(x @ p["W0"] + p["b0"] <= 0)
    g, g_num = compare(c)
    assert np.all(g["W0"] == 0) and np.all(g["b0"] == 0)
    assert rel(g["b1"], g_num["b1"]) < 1e-6
    assert train(c)[0][-1] > 0.95 * np.var(c["y"])


@pytest.mark.parametrize("name", by_category("target_unrelated"))
def test_target_unrelated(name):
    c = load(name).case()
    x, y = c["x"][:, 0], np.reshape(c["y"], -1)
    assert abs(np.corrcoef(x, y)[0, 1]) < 0.1
    g, g_num = compare(c)
    assert all(rel(g[k], g_num[k]) < 1e-6 for k in g)
    assert train(c)[0][-1] > 0.9 * np.var(y)           # a right network and right lr learn nothing
