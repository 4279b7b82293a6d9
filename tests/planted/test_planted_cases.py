"""The planted-bug suite keeps its contract, checked without the doctor (and without `helpers`).

The witness for every gradient is a centred difference of the loss the author says they train:
`case()["loss"]` when given, otherwise the mean squared error of `predict` against `y` taken sample by
sample (so a 1-D `y` is compared with the (n, 1) prediction row by row, not broadcast to (n, n)).
Relative error per parameter: |g - g_num| / (|g| + |g_num|) (Frobenius norms), 0 when both are 0.
Thresholds: correct networks < 1e-5 (a right gradient measures ~1e-8 here); planted gradient bugs > 1e-3 on
at least one parameter; the other bugs keep a right gradient, checked at < 1e-4 or within the difference's
own rounding (the loss times 1e-10 / eps), because saturated units and targets in thousands leave
the centred difference only a few significant digits.
"""
import os

import numpy as np
import pytest

from . import CATEGORIES, MODULES, load

EPS = 1e-6
KINDS = ("sigmoid", "tanh", "relu")
REQUIRED = ("params", "x", "y", "grad_fn", "lr", "predict")
OPTIONAL = ("x_raw", "loss")
PARAM_KEYS = {"W0", "b0", "W1", "b1"}

GRADIENT_BUGS = {
    "missing_activation_slope", "missing_input_in_dW0", "dW1_from_preactivation", "one_param_sign_flipped",
    "all_signs_flipped", "bias_grad_averaged", "gradient_too_large_summed", "question_gradient",
    "transposed_gradient", "y_shape_1d",
}
CORRECT = {"correct", "correct_unconventional"}
# stale_gradient is right at the parameters of the previous call, tested on its own below.
RIGHT_GRADIENT_OTHER_BUG = set(CATEGORIES) - GRADIENT_BUGS - CORRECT - {"stale_gradient"}


def _copy(params):
    return {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}


def _loss_fn(c):
    if "loss" in c:
        return c["loss"]

    def mse(p, x, y):
        return float(np.mean((np.reshape(c["predict"](p, x), -1) - np.reshape(y, -1)) ** 2))
    return mse


def _numerical_gradient(c, params):
    """Centred differences of the loss; entries not computed (past MAX_ENTRIES of one array) are NaN."""
    loss = _loss_fn(c)
    p = _copy(params)
    out = {}
    with np.errstate(over="ignore"):
        for k, v in p.items():
            g = np.full(v.shape, np.nan)
            for i in _entries(v.shape):
                old = v[i]
                v[i] = old + EPS
                up = loss(p, c["x"], c["y"])
                v[i] = old - EPS
                down = loss(p, c["x"], c["y"])
                v[i] = old
                g[i] = (up - down) / (2 * EPS)
            out[k] = g
    return out


MAX_ENTRIES = 200


def _entries(shape):
    """Every index of an array, or a seeded sample of MAX_ENTRIES of them (per-sample biases have 10,000)."""
    every = list(np.ndindex(shape))
    if len(every) <= MAX_ENTRIES:
        return every
    pick = np.random.default_rng(0).choice(len(every), MAX_ENTRIES, replace=False)
    return [every[i] for i in sorted(pick)]


def _rel(a, b):
    """Relative error of a against the numerical b, over the entries where b was computed."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    a, b = a[~np.isnan(b)], b[~np.isnan(b)]
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def _gradient(c, params):
    with np.errstate(over="ignore"):
        return c["grad_fn"](params, c["x"], c["y"])


def _mse(c, params):
    with np.errstate(all="ignore"):
        return float(np.mean((np.reshape(c["predict"](params, c["x"]), -1) - np.reshape(c["y"], -1)) ** 2))


def _train(c, steps, lr=None):
    """Plain gradient descent with the author's grad_fn; returns the MSE after each step (inf once non-finite)."""
    p = _copy(c["params"])
    lr = c["lr"] if lr is None else lr
    losses = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = c["grad_fn"](p, c["x"], c["y"])
            p = {k: p[k] - lr * g[k] for k in p}
            loss = _mse(c, p)
            losses.append(loss if np.isfinite(loss) else np.inf)
            if not np.isfinite(loss):
                break
    return losses


@pytest.fixture(scope="module")
def cases():
    return {name: (load(name), load(name).case()) for name in MODULES}


def test_the_list_of_modules_is_every_network_file():
    here = os.path.dirname(__file__)
    on_disk = sorted(f[:-3] for f in os.listdir(here)
                     if f.endswith(".py") and not f.startswith(("__", "test_")))
    assert sorted(MODULES) == on_disk


def test_every_category_is_covered_and_the_frequent_ones_several_times(cases):
    counts = {cat: 0 for cat in CATEGORIES}
    for module, _ in cases.values():
        counts[module.EXPECTED] += 1
    assert min(counts.values()) >= 1, counts
    frequent = ("correct", "correct_unconventional", "missing_activation_slope", "one_param_sign_flipped",
                "lr_too_large", "unscaled_target", "question_gradient")
    assert all(counts[cat] >= 2 for cat in frequent), counts
    assert counts["correct"] + counts["correct_unconventional"] >= 10


@pytest.mark.parametrize("name", MODULES)
def test_module_keeps_the_contract(name, cases):
    module, c = cases[name]
    assert name.split("_")[0] in KINDS
    assert module.EXPECTED in CATEGORIES
    assert isinstance(module.DESCRIPTION, str) and len(module.DESCRIPTION) > 20
    assert set(REQUIRED) <= set(c) <= set(REQUIRED + OPTIONAL)
    assert set(c["params"]) == PARAM_KEYS
    assert all(isinstance(v, np.ndarray) and v.dtype == float for v in c["params"].values())
    n = c["x"].shape[0]
    assert c["x"].shape == (n, 1) and 200 <= n <= 1000
    assert 5 <= c["params"]["W0"].size <= 20 and c["params"]["W0"].size == c["params"]["W1"].size
    assert np.shape(c["y"]) in ((n, 1), (n,))
    with np.errstate(over="ignore"):        # a raw input in thousands overflows exp: the author's symptom
        assert np.shape(c["predict"](c["params"], c["x"])) in ((n, 1), (n,))
    assert isinstance(c["lr"], float) and c["lr"] > 0
    if "x_raw" in c:
        assert np.shape(c["x_raw"]) == (n, 1)
    if "loss" in c:
        assert np.isfinite(c["loss"](c["params"], c["x"], c["y"]))


@pytest.mark.parametrize("name", MODULES)
def test_grad_fn_returns_every_parameter_in_its_shape_and_leaves_params_alone(name, cases):
    _, c = cases[name]
    before = _copy(c["params"])
    g = _gradient(c, c["params"])
    assert set(g) == PARAM_KEYS
    assert all(np.shape(g[k]) == np.shape(c["params"][k]) for k in PARAM_KEYS)
    assert all(np.array_equal(before[k], c["params"][k]) for k in PARAM_KEYS)


@pytest.mark.parametrize("name", MODULES)
def test_case_returns_fresh_arrays(name):
    module = load(name)
    first, second = module.case(), module.case()
    for k in PARAM_KEYS:
        first["params"][k] += 1.0
        assert not np.array_equal(first["params"][k], second["params"][k])


@pytest.mark.parametrize("name", [m for m in MODULES if load(m).EXPECTED in CORRECT])
def test_correct_gradient_matches_the_numerical_gradient_of_its_loss(name, cases):
    _, c = cases[name]
    g, num = _gradient(c, c["params"]), _numerical_gradient(c, c["params"])
    errors = {k: _rel(g[k], num[k]) for k in PARAM_KEYS}
    assert max(errors.values()) < 1e-5, errors


@pytest.mark.parametrize("name", [m for m in MODULES if load(m).EXPECTED in GRADIENT_BUGS])
def test_planted_gradient_bug_does_not_match_the_numerical_gradient(name, cases):
    _, c = cases[name]
    g, num = _gradient(c, c["params"]), _numerical_gradient(c, c["params"])
    errors = {k: _rel(g[k], num[k]) for k in PARAM_KEYS}
    assert max(errors.values()) > 1e-3, errors


@pytest.mark.parametrize("name", [m for m in MODULES if load(m).EXPECTED in RIGHT_GRADIENT_OTHER_BUG])
def test_other_bugs_keep_a_right_gradient(name, cases):
    _, c = cases[name]
    g, num = _gradient(c, c["params"]), _numerical_gradient(c, c["params"])
    with np.errstate(over="ignore"):
        rounding = 1e-10 * (1 + abs(_loss_fn(c)(c["params"], c["x"], c["y"]))) / EPS
    for k in PARAM_KEYS:
        diff = np.nanmax(np.abs(g[k] - num[k]))
        assert _rel(g[k], num[k]) < 1e-4 or diff < rounding, (k, _rel(g[k], num[k]), diff, rounding)


@pytest.mark.parametrize("name", [m for m in MODULES if load(m).EXPECTED == "stale_gradient"])
def test_stale_gradient_is_the_gradient_at_the_previous_call(name):
    c = load(name).case()
    p0 = _copy(c["params"])
    rng = np.random.default_rng(0)
    p1 = {k: v + 0.3 * rng.normal(size=v.shape) for k, v in p0.items()}
    first = _gradient(c, p0)
    second = _gradient(c, p1)
    num0, num1 = _numerical_gradient(c, p0), _numerical_gradient(c, p1)
    assert max(_rel(first[k], num0[k]) for k in PARAM_KEYS) < 1e-5      # first call: nothing cached yet
    assert max(_rel(second[k], num0[k]) for k in PARAM_KEYS) < 1e-5     # second call: the old parameters'
    assert max(_rel(second[k], num1[k]) for k in PARAM_KEYS) > 1e-3


# --- each remaining bug is visible in the data or in a short run -----------------------------------------

def _names(category):
    return [m for m in MODULES if load(m).EXPECTED == category]


def _hidden_pre_activation(c):
    p, x = c["params"], c["x"]
    W0 = p["W0"] if p["W0"].shape[0] == 1 else p["W0"].T
    return x @ W0 + p["b0"]


@pytest.mark.parametrize("name", _names("lr_too_large"))
def test_lr_too_large_diverges_and_a_hundredth_of_it_does_not(name):
    c = load(name).case()
    assert np.isinf(_train(c, 300)[-1])
    small = _train(c, 300, lr=c["lr"] / 100)
    assert np.isfinite(small[-1]) and small[-1] < _mse(c, c["params"])


@pytest.mark.parametrize("name", _names("lr_too_small"))
def test_lr_too_small_barely_moves_and_a_thousand_times_more_does(name):
    c = load(name).case()
    start = _mse(c, c["params"])
    assert abs(_train(c, 200)[-1] - start) < 0.01 * start
    assert _train(c, 200, lr=c["lr"] * 1000)[-1] < 0.9 * start


@pytest.mark.parametrize("name", _names("unscaled_target"))
def test_unscaled_target_is_in_the_thousands(name):
    c = load(name).case()
    assert np.mean(np.abs(c["y"])) > 1000 and np.std(c["y"]) > 100


@pytest.mark.parametrize("name", _names("unscaled_input"))
def test_unscaled_input_is_in_the_hundreds_or_more(name):
    c = load(name).case()
    assert np.mean(np.abs(c["x"])) > 100


@pytest.mark.parametrize("name", _names("input_var_not_std"))
def test_input_is_divided_by_the_variance(name):
    c = load(name).case()
    raw = c["x_raw"]
    assert np.allclose(c["x"], (raw - raw.mean()) / raw.var())
    assert abs(np.std(c["x"]) - 1) > 0.5


@pytest.mark.parametrize("name", _names("per_sample_biases"))
def test_biases_have_one_row_per_sample(name):
    c = load(name).case()
    n = c["x"].shape[0]
    assert c["params"]["b0"].shape[0] == n and c["params"]["b1"].shape[0] == n


@pytest.mark.parametrize("name", _names("saturated_hidden_units"))
def test_every_hidden_unit_is_saturated_for_every_sample(name):
    c = load(name).case()
    z = _hidden_pre_activation(c)
    bound = 10 if name.startswith("sigmoid") else 5        # sigmoid slope < 5e-5, tanh slope < 2e-4
    assert np.all(np.abs(z) > bound)


@pytest.mark.parametrize("name", _names("dead_relu"))
def test_every_relu_unit_is_dead_for_every_sample(name):
    c = load(name).case()
    assert np.all(_hidden_pre_activation(c) <= 0)


@pytest.mark.parametrize("name", _names("target_unrelated"))
def test_target_is_unrelated_to_the_input(name):
    c = load(name).case()
    x, y = c["x"][:, 0], np.reshape(c["y"], -1)
    bins = np.quantile(x, np.linspace(0, 1, 11))
    which = np.clip(np.searchsorted(bins, x, side="right") - 1, 0, 9)
    bin_means = np.array([y[which == b].mean() for b in range(10)])
    explained = np.var(bin_means[which]) / np.var(y)       # best step function of x, 10 bins
    assert explained < 0.05


@pytest.mark.parametrize("name", _names("y_shape_1d"))
def test_y_is_1d_while_the_prediction_is_a_column(name):
    c = load(name).case()
    n = c["x"].shape[0]
    assert np.shape(c["y"]) == (n,) and np.shape(c["predict"](c["params"], c["x"])) == (n, 1)


@pytest.mark.parametrize("name", [m for m in MODULES if load(m).EXPECTED in CORRECT])
def test_correct_network_trains_at_its_learning_rate(name):
    c = load(name).case()
    losses = _train(c, 1000)
    assert losses[-1] < 0.1 * np.var(c["y"]), (losses[-1], np.var(c["y"]))
