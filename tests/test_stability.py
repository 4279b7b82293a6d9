"""Tests for helpers.stability: Hessian-vector products, sharpness and the 2 / lambda_max limit."""
import numpy as np
import pytest

from helpers import data, net, outcome, stability, train


@pytest.fixture(scope="module")
def setup():
    x_raw, y = data.make_data(200, seed=3)
    return data.standardize(x_raw), y


def question_params(n, h, seed=0):
    """Per-sample biases, as the question drew them: b0 (n, h), b1 (n, 1)."""
    rng = np.random.default_rng(seed)
    return {
        "W0": rng.uniform(-1, 1, (1, h)), "b0": rng.normal(size=(n, h)),
        "W1": rng.uniform(-1, 1, (h, 1)), "b1": rng.normal(size=(n, 1)),
    }


def loss_change(params, x, y):
    """``mse(p) - mse(params)`` computed without cancelling two large losses (as gradcheck does)."""
    l2 = net.forward(params, x)[0]
    r0 = l2 - y

    def f(p):
        d = net.forward(p, x)[0] - l2
        return float(np.mean(d * (d + 2.0 * r0)))
    return f


def test_hvp_matches_finite_differences_of_backward(setup):
    # An independent witness: the centred difference of net.backward along v.
    x, y = setup
    p = net.init_params(5, seed=1)
    v = net.unflatten(np.random.default_rng(2).normal(size=16), p)
    hv = net.flatten(stability.hessian_vector_product(p, x, y, v))
    eps, flat = 1e-5, net.flatten(p)

    def grad(vec):
        q = net.unflatten(vec, p)
        return net.flatten(net.backward(q, net.forward(q, x)[1], y))
    fd = (grad(flat + eps * net.flatten(v)) - grad(flat - eps * net.flatten(v))) / (2 * eps)
    assert np.max(np.abs(hv - fd)) < 1e-7 * np.max(np.abs(hv))


def test_hvp_accepts_per_sample_biases(setup):
    # u^T H v against the mixed second difference of the loss, which needs only forward.
    x, y = setup
    p = question_params(len(x), 4)
    rng = np.random.default_rng(5)
    dim = net.flatten(p).size
    u, v = rng.normal(size=dim), rng.normal(size=dim)
    u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)  # unit directions: steps of length e
    hv = stability.hessian_vector_product(p, x, y, v)
    assert hv.shape == (dim,)
    f, flat, e = loss_change(p, x, y), net.flatten(p), 1e-3

    def at(vec):
        return f(net.unflatten(vec, p))
    fd = (at(flat + e * u + e * v) - at(flat + e * u - e * v)
          - at(flat - e * u + e * v) + at(flat - e * u - e * v)) / (4 * e * e)
    # error of order e**2 (truncation) plus rounding; measured on the scale of |H v|
    assert abs(u @ hv - fd) < 1e-6 * np.linalg.norm(hv)
    # and the Hessian is symmetric: u^T H v == v^T H u
    assert u @ hv == pytest.approx(v @ stability.hessian_vector_product(p, x, y, u), rel=1e-10)


def test_dense_hessian_is_symmetric_and_sized_3h_plus_1(setup):
    x, y = setup
    H = stability.dense_hessian(net.init_params(6, seed=2), x, y)
    assert H.shape == (19, 19)
    np.testing.assert_allclose(H, H.T, atol=1e-12 * np.abs(H).max())


@pytest.mark.parametrize("n_hidden, seed, epochs", [(3, 0, 0), (10, 0, 0), (10, 4, 300)])
def test_sharpness_agrees_with_dense_hessian(setup, n_hidden, seed, epochs):
    x, y = setup
    p = net.init_params(n_hidden, seed=seed)
    if epochs:  # also away from initialisation, where the curvature has changed
        p = train.train(p, x, y, lr=0.1, epochs=epochs).params
    top = np.linalg.eigvalsh(stability.dense_hessian(p, x, y))[-1]
    assert stability.sharpness(p, x, y) == pytest.approx(top, rel=1e-4)
    assert stability.max_stable_lr(p, x, y) == pytest.approx(2 / top, rel=1e-4)


def test_sharpness_of_per_sample_biases_agrees_with_dense_hessian():
    x_raw, y = data.make_data(30, seed=1)
    x = data.standardize_with_var(x_raw)
    p = question_params(30, 3)
    hv = lambda v: stability.hessian_vector_product(p, x, y, v)  # noqa: E731
    dim = net.flatten(p).size
    top = np.linalg.eigvalsh(np.column_stack([hv(e) for e in np.eye(dim)]))[-1]
    assert stability.sharpness(p, x, y) == pytest.approx(top, rel=1e-4)


def test_power_iteration_finds_largest_magnitude_and_top_eigenvalue_the_largest():
    A = np.diag([-5.0, 3.0, 1.0, 0.5])
    lam, v, _ = stability.power_iteration(lambda v: A @ v, 4)
    assert lam == pytest.approx(-5.0, rel=1e-6)
    assert abs(v[0]) == pytest.approx(1.0, rel=1e-6)
    # negative curvature is shifted away: the largest eigenvalue is 3, not -5
    assert stability.top_eigenvalue(lambda v: A @ v, 4) == pytest.approx(3.0, rel=1e-6)


def test_power_iteration_warm_started_at_an_eigenvector_settles_at_once():
    A = np.diag([5.0, 3.0, 1.0])
    lam, v, steps = stability.power_iteration(lambda v: A @ v, 3, start=[2.0, 1e-9, 0.0])  # not even unit
    assert steps == 1 and lam == pytest.approx(5.0, rel=1e-12) and np.linalg.norm(v) == pytest.approx(1.0)
    cold = stability.power_iteration(lambda v: A @ v, 3)[2]
    assert cold > 5  # from a random start the 3/5 ratio needs many steps: the warm start is what saved them


def test_the_dense_hessian_takes_shared_biases_only():
    x_raw, y = data.make_data(30, seed=1)
    x = data.standardize(x_raw)
    with pytest.raises(ValueError, match="b0 has shape .* one bias per sample"):
        stability.dense_hessian(question_params(30, 3), x, y)


def test_power_iteration_reports_non_convergence():
    A = np.diag([2.0, -2.0, 1.0])  # +2 and -2 compete: v swings between them forever
    with pytest.raises(stability.PowerIterationError, match="did not converge") as info:
        stability.power_iteration(lambda v: A @ v, 3, iters=200)
    assert isinstance(info.value, RuntimeError)
    assert info.value.iters == 200 and info.value.residual > stability.TOL
    assert abs(info.value.estimate) <= 2.0 + 1e-12
    assert np.linalg.norm(info.value.vector) == pytest.approx(1.0)  # where a caller can go on from


def test_top_eigenvalue_survives_a_plus_minus_tie_and_reports_a_near_tie():
    A = np.diag([2.0, -2.0, 1.0])  # power iteration alone fails here (test above)
    assert stability.top_eigenvalue(lambda v: A @ v, 3, iters=200) == pytest.approx(2.0, rel=1e-6)
    B = np.diag([2.0, 1.9, 1.0])  # a gap too small for 20 steps
    with pytest.raises(stability.PowerIterationError, match="about 1.9") as info:
        stability.top_eigenvalue(lambda v: B @ v, 3, iters=20)
    assert 1.9 <= info.value.estimate <= 2.0


def test_sharpness_with_too_few_iterations_raises(setup):
    x, y = setup
    with pytest.raises(stability.PowerIterationError):
        stability.sharpness(net.init_params(10), x, y, iters=2)


@pytest.mark.parametrize("bad, match", [
    (lambda p: {k: p[k] for k in ("W0", "b0", "W1")}, "keys"),
    (lambda p: dict(p, b0=np.zeros((7, 10))), "b0 has shape"),
    (lambda p: dict(p, W1=np.zeros((3, 1))), "W1 has shape"),
    (lambda p: dict(p, W0=np.full((1, 10), np.nan)), "finite"),
])
def test_bad_params_give_value_error(setup, bad, match):
    x, y = setup
    with pytest.raises(ValueError, match=match):
        stability.sharpness(bad(net.init_params(10)), x, y)


def test_bad_arguments_give_value_error(setup):
    x, y = setup
    p = net.init_params(4)
    with pytest.raises(ValueError, match="shape"):
        stability.sharpness(p, x.ravel(), y)
    with pytest.raises(ValueError, match=r"v must have shape \(13,\)"):
        stability.hessian_vector_product(p, x, y, np.ones(12))
    with pytest.raises(ValueError, match="iters"):
        stability.sharpness(p, x, y, iters=0)
    with pytest.raises(ValueError, match="tol"):
        stability.sharpness(p, x, y, tol=2.0)


def test_output_layer_sharpness_is_the_hessians_output_block(setup):
    x, y = setup
    p = net.init_params(10, seed=0)
    H = stability.dense_hessian(p, x, y)
    block = H[-11:, -11:]  # W1 (10 entries) then b1: the last 11 of the flattening
    assert stability.output_layer_sharpness(p, x) == pytest.approx(np.linalg.eigvalsh(block)[-1], rel=1e-10)


def test_quadratic_threshold_is_two_over_lambda_max(setup):
    # The output layer alone is linear least squares: gradient descent converges exactly
    # for lr < 2 / lambda_max. Measure the switch from converging to diverging.
    x, y = setup
    p = net.init_params(10, seed=0)
    predicted = 2 / stability.output_layer_sharpness(p, x)

    def diverges(lr):
        return stability.train_output_layer(p, x, y, lr, epochs=2000).diverged
    measured = stability.find_threshold(diverges, predicted / 3, predicted * 3)
    assert measured == pytest.approx(predicted, rel=0.02)


def test_train_output_layer_leaves_hidden_layer_alone(setup):
    x, y = setup
    p = net.init_params(10, seed=0)
    lr = 0.5 * 2 / stability.output_layer_sharpness(p, x)
    result = stability.train_output_layer(p, x, y, lr, epochs=200)
    assert not result.diverged and result.losses[-1] < result.losses[0]
    np.testing.assert_array_equal(result.params["W0"], p["W0"])
    np.testing.assert_array_equal(result.params["b0"], p["b0"])
    assert not np.array_equal(result.params["W1"], p["W1"])


def test_find_threshold_needs_a_straddling_bracket():
    with pytest.raises(ValueError, match="straddle"):
        stability.find_threshold(lambda lr: lr > 5, 6, 10)
    assert stability.find_threshold(lambda lr: lr > 5, 1, 10) == pytest.approx(5, rel=1e-3)


def test_train_output_layer_losses_are_the_mse_of_its_parameters(setup):
    # The loss is computed from A^T A, not from the data: check it against net.mse directly.
    x, y = setup
    p = net.init_params(10, seed=0)
    result = stability.train_output_layer(p, x, y, lr=0.1, epochs=5)
    assert result.losses[0] == pytest.approx(net.mse(net.forward(p, x)[0], y), rel=1e-6)
    assert result.losses[-1] == pytest.approx(net.mse(net.forward(result.params, x)[0], y), rel=1e-6)
    assert result.losses[-1] < result.losses[0]
    for k in ("W0", "b0"):  # the hidden layer stays frozen
        np.testing.assert_array_equal(result.params[k], p[k])


def result(losses, diverged=False):
    losses = np.asarray(losses, dtype=float)
    return train.TrainResult(losses, {}, diverged, len(losses) - 1 if diverged else None)


def test_classify_run_names_the_regimes_in_the_one_vocabulary():
    y = np.array([[0.0], [2.0]])  # var(y) = 1: 'converged' needs a settled loss below 0.1
    settled = [3.0, 2.0] + [0.05] * 20
    assert stability.classify_run(result(settled), y) == "converged"
    assert stability.classify_run(result([3.0, 4.0] + [0.05] * 20), y) == "catapult"
    assert stability.classify_run(result([3.0, 2.0] + [0.6] * 20), y) == "stalled"
    assert stability.classify_run(result([3.0, 2.0, 1.0, 0.6]), y) == "still improving"
    assert stability.classify_run(result([3.0, 4e9], diverged=True), y) == "diverged"
    assert stability.OUTCOMES == outcome.OUTCOMES


def test_saturated_units_counts_flat_sigmoids(setup):
    x, _ = setup
    p = net.init_params(6, seed=0)
    assert stability.saturated_units(p, x) == 0
    # units 0-2 pushed far into the flat part (z0 = 50 +- 3x), the others untouched
    b0 = p["b0"].copy()
    b0[0, :3] = 50.0
    assert stability.saturated_units(dict(p, W0=np.where(np.arange(6) < 3, 1.0, p["W0"]), b0=b0), x) == 3


def test_sweep_trains_each_rate_and_reports_progress(setup):
    x, y = setup
    p = net.init_params(4, seed=0)

    class Bar:
        value = 0
    bar = Bar()
    runs = stability.sweep(p, x, y, [0.01, 0.1, 50.0], epochs=30, progress=bar)
    assert bar.value == 3 and len(runs) == 3
    np.testing.assert_array_equal(runs[1].losses, train.train(p, x, y, 0.1, 30).losses)
    assert runs[2].diverged and not runs[0].diverged


def test_track_sharpness_measures_along_the_run(setup):
    x, y = setup
    p = net.init_params(5, seed=0)
    steps, losses, sharp = stability.track_sharpness(p, x, y, lr=0.1, epochs=50, every=20)
    np.testing.assert_array_equal(steps, [0, 20, 40, 50])
    assert len(losses) == 51 and len(sharp) == 4
    assert sharp[0] == pytest.approx(stability.sharpness(p, x, y), rel=1e-5)
    trained = train.train(p, x, y, 0.1, 50).params
    assert sharp[-1] == pytest.approx(stability.sharpness(trained, x, y), rel=1e-5)


def test_track_sharpness_stops_at_divergence(setup):
    x, y = setup
    steps, losses, sharp = stability.track_sharpness(net.init_params(5), x, y, lr=100.0, epochs=50, every=10)
    assert len(steps) == len(sharp) and len(losses) < 51
    with pytest.raises(ValueError, match="every"):
        stability.track_sharpness(net.init_params(5), x, y, lr=0.1, epochs=50, every=0)


def test_max_stable_lr_is_two_over_sharpness_and_refuses_no_curvature(setup, monkeypatch):
    x, y = setup
    p = net.init_params(4, seed=0)
    assert stability.max_stable_lr(p, x, y) == pytest.approx(2 / stability.sharpness(p, x, y), rel=1e-12)
    monkeypatch.setattr(stability, "sharpness", lambda *args, **kwargs: -0.5)
    with pytest.raises(ValueError, match="no upward curvature"):
        stability.max_stable_lr(p, x, y)
