r"""How big is too big? The learning rate at which gradient descent stops converging.

Near a minimum the loss is a quadratic bowl, :math:`L(p) \approx L^* + \tfrac12 (p-p^*)^T H (p-p^*)`,
and one gradient step ``p -= lr * grad`` multiplies the distance to the bottom along the
Hessian's eigenvector ``u_i`` by ``1 - lr * lambda_i``. It shrinks only while
``|1 - lr * lambda_i| < 1``, that is ``0 < lr < 2 / lambda_i``. The steepest direction
(largest eigenvalue ``lambda_max``, the *sharpness*) sets the limit for all of them:

.. math::

    \text{gradient descent converges on a quadratic} \iff lr < \frac{2}{\lambda_{max}}.

Past ``2 / lambda_max`` each step overshoots the bottom of the steepest direction by more
than it started with: the iterate bounces from wall to wall, further each time.

``hessian_vector_product`` computes ``H v`` *exactly* by differentiating the backward pass along
``v`` (Pearlmutter's R-operator, 1994); ``sharpness`` runs power iteration on ``v -> H v``, and
``max_stable_lr`` is ``2 / sharpness``. They accept the question's per-sample biases ``b0 (n, h)``,
``b1 (n, 1)`` too (``net.bias_gradient``); ``dense_hessian`` writes the whole matrix out for shared biases.
"""
import numpy as np

from . import net, outcome, train
from .validate import (MAX_DENSE, MAX_EPOCHS, MAX_ITERS, MAX_SAMPLES, check_callable, check_int, check_number,
                       check_seed, param_arrays, real_array)

__all__ = ["TOL", "ITERS", "OUTCOMES", "PowerIterationError", "check_inputs", "hessian_vector_product",
           "hessian_operator", "dense_hessian", "power_iteration", "sharpness", "top_eigenvalue",
           "max_stable_lr", "output_layer_sharpness", "train_output_layer",
           "find_threshold", "classify_run", "saturated_units", "sweep", "track_sharpness", "MAX_MEASUREMENTS"]

#: Default tolerance of ``sharpness``: stop once ``|H v - lambda v| <= tol |lambda|``; the eigenvalue's
#: error is then about ``tol**2 lambda**2 / gap`` (a Rayleigh quotient squares its vector's error).
TOL = 1e-4
ITERS = 2000  # default cap on power-iteration steps, each one Hessian-vector product
MAX_MEASUREMENTS = 1000  # most sharpness measurements in one track_sharpness call


class PowerIterationError(RuntimeError):
    """Power iteration did not settle within its step budget (a numerical method failing, not a bad argument).

    It carries ``estimate`` (the last Rayleigh quotient), ``residual`` (``|H v - estimate v| / |estimate|``),
    ``iters`` (the steps taken), ``radius`` (the last ``|H v|``: about the largest ``|lambda|``) and
    ``vector`` (the last unit ``v``), so the caller can use the estimate anyway.
    """

    def __init__(self, message, estimate, residual, iters, radius, vector=None):
        super().__init__(message)
        self.estimate, self.residual, self.iters, self.radius = estimate, residual, iters, radius
        self.vector = vector


def check_inputs(params, x, y):
    """``ValueError`` unless ``net.forward(params, x)`` makes sense against ``y`` (per-sample biases allowed)."""
    net.check_inputs(params, x, y, per_sample=True)


# --- curvature ----------------------------------------------------------------------------

def hessian_vector_product(params, x, y, v):
    r"""Exact ``H v``: the Hessian of ``net.mse`` at ``params`` times the direction ``v``.

    ``v`` is a dict shaped like ``params`` (or a flat vector, see ``net.flatten``); the result has
    the same form. No finite differences: the backward pass ``g(p)`` is differentiated along
    ``v``, i.e. ``R{.} = d/dt (.)(p + t v) at t = 0`` is pushed through every line
    (Pearlmutter 1994). With ``s = l1 (1 - l1)`` and ``r = l2 - y``:

    - forward:  ``R z0 = x V0 + c0``, ``R l1 = s R z0``, ``R l2 = R l1 W1 + l1 V1 + c1``
      (``V0, c0, V1, c1`` are ``v``'s parts for ``W0, b0, W1, b1``);
    - backward: ``d2 = 2 r / n`` becomes ``R d2 = 2 R l2 / n``; ``dz0 = (d2 W1^T) s`` becomes
      ``R dz0 = (R d2 W1^T + d2 V1^T) s + (d2 W1^T) (1 - 2 l1) R l1`` (since ``s' = s (1 - 2 l1)``);
    - ``H v`` for ``W1`` is ``R l1^T d2 + l1^T R d2``, for ``W0`` ``x^T R dz0``, and for the
      biases ``R d2`` and ``R dz0`` summed over the samples each bias is shared by.

    Cost: about one forward and one backward pass. The ``d2`` terms carry the residual: at a perfect
    fit they vanish and ``H`` reduces to the Gauss-Newton matrix ``2 J^T J / n``.
    """
    flat = not isinstance(v, dict)
    v = real_array("v", v, ndim=1) if flat else param_arrays(v, net.PARAM_NAMES, name="v")
    if not flat and any(v[k].shape != np.shape(params[k]) for k in net.PARAM_NAMES):
        raise ValueError(f"v must be shaped like params (the same keys W0, b0, W1, b1 and shapes), "
                         f"got shapes {[v[k].shape for k in net.PARAM_NAMES]}")
    hv = hessian_operator(params, x, y)(v if flat else net.flatten(v))
    return hv if flat else net.unflatten(hv, params)


def hessian_operator(params, x, y):
    """``v -> H v`` for flat vectors ``v`` (``hessian_vector_product``'s maths), the forward pass done once.

    Power iteration multiplies by the same ``H`` hundreds of times, and ``l1``, ``s`` and ``d2`` do
    not depend on ``v``. Only ``v``'s shape (one entry per parameter) is checked: the inner loop. A
    residual that overflows float64 is a ``ValueError``.
    """
    params, x, y = net.check_inputs(params, x, y, per_sample=True)
    dim, W1 = net.flatten(params).size, params["W1"]
    with np.errstate(over="ignore", invalid="ignore"):
        l2, cache = net.forward(params, x)
        l1 = cache["l1"]
        s = net.sigmoid_slope(cache["z0"])
        d2 = 2.0 * (l2 - y) / len(y)
        curl = (d2 @ W1.T) * (1.0 - 2.0 * l1)  # how the slope's change feeds back: (d2 W1^T) s'/s
    if not (np.all(np.isfinite(d2)) and np.all(np.isfinite(curl))):
        biggest = max(float(np.max(np.abs(p))) for p in params.values())
        raise ValueError("params must give a finite residual and curvature in float64, "
                         f"got parameters up to {biggest:.3g}")
    slices, shapes = net.param_slices(dim, params), {k: np.shape(p) for k, p in params.items()}

    def matvec(v):
        if np.shape(v) != (dim,):
            raise ValueError(f"v must have shape ({dim},), one entry per parameter, got shape {np.shape(v)}")
        vd = {k: v[slices[k]].reshape(shapes[k]) for k in net.PARAM_NAMES}
        Rl1 = s * (x @ vd["W0"] + vd["b0"])
        Rd2 = 2.0 * (Rl1 @ W1 + l1 @ vd["W1"] + vd["b1"]) / len(y)
        Rdz0 = (Rd2 @ W1.T + d2 @ vd["W1"].T) * s + curl * Rl1
        return np.concatenate([
            (x.T @ Rdz0).ravel(),
            net.bias_gradient(Rdz0, np.shape(params["b0"])).ravel(),
            (Rl1.T @ d2 + l1.T @ Rd2).ravel(),
            net.bias_gradient(Rd2, np.shape(params["b1"])).ravel(),
        ])
    return matvec


def dense_hessian(params, x, y):
    r"""The exact Hessian of ``net.mse`` at ``params`` (shared biases), ordered as ``net.flatten``.

    All columns ``H e_j`` at once, in closed form. With ``r = l2 - y`` and ``J`` the Jacobian of
    ``l2`` (one row per sample), ``L = mean(r**2)`` has ``H = 2/n (J^T J + sum_i r_i d2 l2_i)``. ``J``'s
    columns for unit ``j`` are ``W1_j s x`` (``W0_j``), ``W1_j s`` (``b0_j``), ``l1`` (``W1_j``) and 1
    (``b1``), with ``s = l1 (1 - l1)``. ``d2 l2_i`` pairs only parameters of the same unit: with
    ``s' = s (1 - 2 l1)``, ``W1_j s' [x^2, x; x, 1]`` in ``(W0_j, b0_j)`` and ``s [x, 1]`` between
    ``(W0_j, b0_j)`` and ``W1_j``. At most ``MAX_DENSE`` (3001) parameters.
    """
    params, x, y = net.check_inputs(params, x, y)
    if 3 * params["W0"].shape[1] + 1 > MAX_DENSE:
        raise ValueError(f"params must have at most MAX_DENSE = {MAX_DENSE} entries for a dense Hessian, "
                         f"got {3 * params['W0'].shape[1] + 1}")
    with np.errstate(over="ignore", invalid="ignore"):
        H = _dense_hessian(params, x, y)
    if not np.all(np.isfinite(H)):
        raise ValueError("params, x and y must give a Hessian that is finite in float64, got an overflow: "
                         "expected parameters and data well below 1e150")
    return H


def _dense_hessian(params, x, y):
    """``dense_hessian`` for checked inputs (the playground's trace calls it 40 times a run): may overflow."""
    W0, b0, W1, b1 = (params[k] for k in net.PARAM_NAMES)
    h, n, xs = W0.shape[1], len(x), x[:, 0]
    l1 = net.sigmoid(x @ W0 + b0).T  # (h, n): samples along the contiguous axis
    s = l1 * (1.0 - l1)
    r = W1[:, 0] @ l1 + b1[0, 0] - y[:, 0]
    jt = np.empty((3 * h + 1, n))  # J transposed
    np.multiply(s, W1, out=jt[h:2 * h])
    np.multiply(jt[h:2 * h], xs, out=jt[:h])
    jt[2 * h:3 * h], jt[3 * h] = l1, 1.0
    H = np.zeros((3 * h + 1, 3 * h + 1))
    step = max(8, 2**17 // len(H) ** 2)  # blocks small enough that OpenBLAS keeps them on one thread:
    for start in range(0, n, step):  # on a busy 2-core machine waiting for a second thread cost 14 ms
        H += jt[:, start:start + step] @ jt[:, start:start + step].T
    c = (s * (1.0 - 2.0 * l1) * W1) @ np.stack([r * xs * xs, r * xs, r], axis=1)  # W1_j s' r [x^2, x, 1]
    rs = s @ np.stack([r * xs, r], axis=1)  # s r [x, 1]
    w0, b0, w1 = np.arange(h), h + np.arange(h), 2 * h + np.arange(h)  # where unit j's W0, b0, W1 sit
    for a, b, add in ((w0, w0, c[:, 0]), (w0, b0, c[:, 1]), (b0, b0, c[:, 2]), (w0, w1, rs[:, 0]), (b0, w1, rs[:, 1])):
        H[a, b] += add
        if a is not b:
            H[b, a] += add
    return H * (2.0 / n)


def power_iteration(matvec, dim, iters=ITERS, tol=TOL, seed=0, start=None):
    r"""The eigenvalue of largest *magnitude* of a symmetric operator, and its unit eigenvector.

    Repeats ``v <- A v / |A v|`` from a seeded random start (or from ``start``, e.g. the last
    eigenvector of a nearby operator). In the eigenbasis each step multiplies component ``i`` by
    ``lambda_i``, so the largest ``|lambda_i|`` wins at the rate ``|lambda_2 / lambda_1|`` per step;
    the estimate is the Rayleigh quotient ``v^T A v``. *Converged* means ``|A v - lambda v| <= tol |lambda|``,
    which for a symmetric ``A`` puts ``lambda`` within ``tol |lambda|`` of a true eigenvalue. Otherwise,
    after ``iters`` steps, ``PowerIterationError``: two eigenvalues of (nearly) equal magnitude compete
    (``+a`` and ``-a``: ``v`` swings between them forever), or the gap is too small for ``iters``.

    Returns ``(lambda, v, steps)``. ``matvec`` must return a finite ``(dim,)`` vector; ``dim``
    from 1 to ``MAX_SAMPLES``, ``iters`` from 1 to ``MAX_ITERS``, ``0 < tol < 1``.
    """
    _check_power_iteration(matvec, dim, iters, tol, seed)
    if start is None:
        v = np.random.default_rng(seed).normal(size=dim)
    else:
        v = real_array("start", start, ndim=1)
        if v.shape != (dim,) or not np.any(v):
            raise ValueError(f"start must be None or a nonzero vector of shape ({dim},), got {v!r:.60}")
        v = v / np.abs(v).max()  # so that its norm cannot overflow
    v = v / np.linalg.norm(v)
    lam, residual, norm = 0.0, np.inf, 0.0
    for step in range(1, iters + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # an overflowing operator is refused below
            av = matvec(v)
            if step == 1:
                real_array("matvec(v)", av, finite=False, ndim=1)
            lam, norm = float(v @ av) if np.shape(av) == (dim,) else np.nan, float(np.linalg.norm(av))
        if not (np.isfinite(lam) and np.isfinite(norm)):
            raise ValueError(f"matvec must return a finite vector of shape ({dim},), got shape {np.shape(av)} "
                             f"with |A v| = {norm:.3g} at step {step}")
        if norm == 0.0:  # v is in the null space; A is zero along everything we can reach
            return 0.0, v, step
        residual = float(np.linalg.norm(av - lam * v)) / max(abs(lam), 1e-300)
        if residual <= tol:
            return lam, av / norm, step  # one more step: the best unit eigenvector at hand
        v = av / norm
    raise PowerIterationError(
        f"power iteration did not converge in {iters} steps: the last estimate {lam:.6g} still has a "
        f"relative residual {residual:.2g} > tol={tol:g} (two eigenvalues of nearly equal size, "
        f"e.g. +a and -a, compete; raise iters or tol)",
        estimate=lam, residual=residual, iters=iters, radius=float(norm), vector=v,
    )


def _check_power_iteration(matvec, dim, iters, tol, seed):
    check_callable("matvec", matvec)
    check_int("dim", dim, 1, MAX_SAMPLES)
    check_int("iters", iters, 1, MAX_ITERS)
    check_number("tol", tol, 0, 1, low_open=True, high_open=True)
    check_seed("seed", seed)


def sharpness(params, x, y, iters=ITERS, tol=TOL, seed=0):
    r"""``lambda_max``: the largest Hessian eigenvalue of ``net.mse`` at ``params``, by power iteration.

    The *largest*, not the largest in size: away from a minimum the Hessian can also curve
    downwards (a saddle), and the most negative eigenvalue may win power iteration
    (``top_eigenvalue`` shifts it away). Negative curvature never limits the learning rate (a step
    along it goes further downhill); only ``lambda_max > 0`` does, through ``lr < 2 / lambda_max``.
    ``PowerIterationError`` (a ``RuntimeError``) if power iteration does not converge.
    """
    matvec = hessian_operator(params, x, y)
    _check_power_iteration(matvec, 1, iters, tol, seed)
    try:
        return top_eigenvalue(matvec, net.flatten(params).size, iters, tol, seed)
    except ValueError:  # the operator is checked; only an overflow of H v is left
        raise ValueError("params, x and y must give a Hessian-vector product that is finite in float64, "
                         "got an overflow: expected parameters and data well below 1e150") from None


def top_eigenvalue(matvec, dim, iters=ITERS, tol=TOL, seed=0):
    """The largest (most positive) eigenvalue of a symmetric operator, by power iteration.

    ``power_iteration`` finds the largest in *magnitude*. If that is negative, or a ``+a`` and a
    ``-a`` compete, shift by the spectral radius ``rho``: every eigenvalue of ``A + rho I`` is >= 0,
    the largest is ``lambda_max + rho``, and the negative ones move to near 0, out of the competition.
    """
    try:
        lam, _, _ = power_iteration(matvec, dim, iters, tol, seed)
        if lam >= 0:
            return lam
        rho = -lam
    except PowerIterationError as err:
        rho = err.radius
    try:
        shifted, _, _ = power_iteration(lambda v: matvec(v) + rho * v, dim, iters, tol, seed)
    except PowerIterationError as err:  # report the estimate of A's eigenvalue, not A + rho I's
        raise PowerIterationError(
            f"power iteration did not converge, even shifted by {rho:.3g}: the largest eigenvalue "
            f"is about {err.estimate - rho:.6g} (relative residual {err.residual:.2g} > tol={tol:g}); "
            "raise iters or tol",
            estimate=err.estimate - rho, residual=err.residual, iters=2 * iters, radius=err.radius,
        ) from None
    return shifted - rho


def max_stable_lr(params, x, y, **kwargs):
    """``2 / sharpness``: the largest learning rate at which gradient descent is stable here.

    Exact for a quadratic loss; for the network it is the limit *at these parameters*: training
    moves them, and the sharpness with them. Keyword arguments go to ``sharpness``. ``ValueError``
    when the loss has no upward curvature (``sharpness <= 0``).
    """
    lam = sharpness(params, x, y, **kwargs)
    if lam <= 0:
        raise ValueError(f"the sharpness is {lam:.3g} <= 0: no upward curvature, so no 2/lambda_max limit")
    return 2.0 / lam


# --- the quadratic case: the output layer alone ---------------------------------------------

def output_layer_sharpness(params, x):
    """``lambda_max`` of the output layer alone, a quadratic: the top eigenvalue of ``2 A^T A / n``.

    With the hidden layer frozen, ``l2 = A w`` for ``A = [l1, 1]`` and ``w = [W1; b1]``: the loss
    ``mean((A w - y)**2)`` is linear least squares, with the constant Hessian ``2 A^T A / n``
    (also the ``W1, b1`` block of the whole network's Hessian).
    """
    params, x = net.check_network(params, x)
    A = np.hstack([net.forward(params, x)[1]["l1"], np.ones((len(x), 1))])
    return float(np.linalg.eigvalsh(2.0 * A.T @ A / len(A))[-1])


def train_output_layer(params, x, y, lr, epochs):
    """Gradient descent on ``W1, b1`` only (``W0, b0`` frozen): a pure quadratic.

    ``train.descend`` with an update that leaves ``W0, b0`` where they are: results as ``train.train``'s.
    """
    lr = check_number("lr", lr, 0, low_open=True)

    def output_step(theta, grad):
        grad[: 2 * (grad.size - 1) // 3] = 0.0  # W0 and b0: the first 2 h of the 3 h + 1 entries (net.flatten)
        theta -= lr * grad

    return train.descend(params, x, y, epochs, output_step, per_sample=False)


def find_threshold(diverges, lo, hi, rel=1e-3):
    """The learning rate where ``diverges(lr)`` switches from False to True, by bisection.

    ``diverges(lo)`` must be False and ``diverges(hi)`` True, ``0 < lo < hi``. Halves the bracket in log
    scale until ``hi / lo < 1 + rel`` (``rel`` from 1e-12 to 1) and returns its geometric middle. It
    assumes one switch in between, true for a quadratic; for the network it finds *a* switch point.
    """
    check_callable("diverges", diverges)
    lo, hi = check_number("lo", lo, 0, low_open=True), check_number("hi", hi, 0, low_open=True)
    rel = check_number("rel", rel, 1e-12, 1)
    if not lo < hi:
        raise ValueError(f"lo must be below hi, got lo={lo:g} and hi={hi:g}")

    def diverges_at(lr):
        answer = diverges(lr)
        if not isinstance(answer, (bool, np.bool_)):
            raise ValueError(f"diverges must return True or False, got {answer!r:.60} at lr={lr:g}")
        return answer

    if diverges_at(lo) or not diverges_at(hi):
        raise ValueError(f"the bracket [{lo:.3g}, {hi:.3g}] does not straddle the threshold: "
                         "expected diverges(lo) False and diverges(hi) True")
    while hi / lo > 1 + rel:
        mid = np.sqrt(lo * hi)
        lo, hi = (lo, mid) if diverges_at(mid) else (mid, hi)
    return float(np.sqrt(lo * hi))


# --- what a training run did ----------------------------------------------------------------

OUTCOMES = outcome.OUTCOMES


def classify_run(result, y):
    """Name what a ``train.TrainResult`` did: one of ``OUTCOMES`` (see ``outcome.classify``)."""
    if not isinstance(result, train.TrainResult):
        raise ValueError(f"result must be a train.TrainResult, got {result!r:.60}")
    with np.errstate(over="ignore"):
        var_y = float(np.var(real_array("y", y)))
    return outcome.classify(result.losses, var_y, result.diverged)


def saturated_units(params, x):
    """How many hidden units are saturated on the inputs ``x`` (see ``net.SATURATION_SLOPE``)."""
    params, x = net.check_network(params, x, per_sample=True)
    return net.count_saturated(net.forward(params, x)[1]["l1"])


def sweep(params, x, y, lrs, epochs, progress=None):
    """Train a copy of ``params`` once per learning rate in ``lrs``; return the ``TrainResult`` list.

    ``progress``: None or an object with a ``value`` (an ipywidgets ``IntProgress``) set to the runs done.
    """
    lrs = real_array("lrs", lrs, ndim=1)  # not empty: the first train.train checks params, x, y and epochs
    for lr in lrs:
        check_number("lrs", lr, 0, low_open=True)
    if progress is not None and not hasattr(progress, "value"):
        raise ValueError(f"progress must be None or an object with a value attribute, got {progress!r:.60}")
    results = []
    for i, lr in enumerate(lrs):
        results.append(train.train(params, x, y, float(lr), epochs))
        if progress is not None:
            progress.value = i + 1
    return results


def track_sharpness(params, x, y, lr, epochs, every, tol=1e-3):
    """Train with ``lr`` and measure the sharpness every ``every`` epochs.

    Returns ``(steps, losses, sharpnesses)``: the measured epochs (0, every, 2 every, ...), the loss
    after every update (``train``'s convention) and ``lambda_max`` at each measured epoch; a diverged run
    stops early. ``tol`` is looser than ``sharpness``'s: the eigenvalue is still good to about ``tol**2``.
    At most ``MAX_MEASUREMENTS`` measurements (``epochs // every + 1``).
    """
    lr = check_number("lr", lr, 0, low_open=True)
    check_int("epochs", epochs, 1, MAX_EPOCHS)
    check_int("every", every, max(1, epochs // MAX_MEASUREMENTS), MAX_EPOCHS)
    check_number("tol", tol, 0, 1, low_open=True, high_open=True)
    run = train.descend(params, x, y, epochs, train.gradient_step(lr), snapshot_every=every, per_sample=False)
    steps, thetas = run.snapshot_epochs, run.snapshots
    if run.diverged:  # the snapshot where the loss passed the bound is not a point to measure
        steps, thetas = steps[steps < run.diverged_at], thetas[steps < run.diverged_at]
    sharp = [sharpness(net.unflatten(theta, params), x, y, tol=tol) for theta in thetas]
    return steps, run.losses, np.array(sharp)
