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

This module measures ``lambda_max`` without ever building the Hessian:

- ``hessian_vector_product`` computes ``H v`` *exactly* by differentiating the backward pass
  along ``v`` (Pearlmutter's R-operator, 1994): one extra forward and backward sweep.
- ``sharpness`` runs power iteration on ``v -> H v``; ``max_stable_lr`` is ``2 / sharpness``.
- ``classify_run`` names what a training run did (converged, catapult, stalled, diverged).

Everything accepts any ``params`` dict that ``net.forward`` accepts, including the question's
per-sample biases ``b0 (n, h)`` and ``b1 (n, 1)``: a parameter's gradient is the full
per-sample gradient summed over the axes it is broadcast along, and a per-sample bias is
broadcast along none.
"""
import numpy as np

from . import net, train

#: Default convergence tolerance of ``sharpness``: the residual ``|H v - lambda v|`` must fall
#: below ``tol * |lambda|``. The eigenvalue's error is then about ``tol**2 * lambda**2 / gap``
#: (a Rayleigh quotient is accurate to the *square* of its vector's error).
TOL = 1e-4
#: Default cap on power-iteration steps (each one Hessian-vector product).
ITERS = 2000


class PowerIterationError(RuntimeError):
    """Power iteration did not settle on an eigenvector within its step budget.

    Raised by ``power_iteration`` and ``sharpness`` (the same family as scipy's
    ``ArpackNoConvergence``: a numerical method failing, not a bad argument). It carries
    ``estimate`` (the last Rayleigh quotient), ``residual`` (``|H v - estimate v| / |estimate|``)
    and ``iters`` (the steps taken) so the caller can decide to print the estimate anyway.
    """

    def __init__(self, message, estimate, residual, iters):
        super().__init__(message)
        self.estimate, self.residual, self.iters = estimate, residual, iters


# --- parameters as one vector -------------------------------------------------------------

def flatten(params):
    """Concatenate ``W0, b0, W1, b1`` (in that order, each row-major) into one vector."""
    return np.concatenate([np.ravel(params[k]) for k in net.PARAM_NAMES]).astype(float)


def unflatten(vector, like):
    """Cut ``vector`` back into a dict shaped like ``like`` (the inverse of ``flatten``)."""
    out, start = {}, 0
    for k in net.PARAM_NAMES:
        shape = np.shape(like[k])
        size = int(np.prod(shape))
        out[k] = np.asarray(vector[start:start + size], dtype=float).reshape(shape)
        start += size
    return out


def check_inputs(params, x, y):
    """Raise ``ValueError`` unless ``net.forward(params, x)`` makes sense against ``y``.

    Unlike ``net.check_params`` this *accepts* per-sample biases (the point is to measure the
    question's setup): ``W0 (1, h)`` and ``W1 (h, 1)``, and each bias either one per unit
    (``b0 (1, h)``, ``b1 (1, 1)``) or one per sample (``b0 (n, h)``, ``b1 (n, 1)``).
    """
    if not isinstance(params, dict) or any(k not in params for k in net.PARAM_NAMES):
        raise ValueError(f"params must be a dict with the keys {net.PARAM_NAMES}")
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or x.shape[1] != 1 or y.shape != x.shape or len(x) == 0:
        raise ValueError(f"x and y must both have shape (n, 1) with n >= 1, got x {x.shape} and y {y.shape}")
    n = len(x)
    W0 = np.shape(params["W0"])
    if len(W0) != 2 or W0[0] != 1 or W0[1] < 1:
        raise ValueError(f"W0 has shape {W0}; expected (1, h)")
    h = W0[1]
    allowed = {"W1": [(h, 1)], "b0": [(1, h), (n, h)], "b1": [(1, 1), (n, 1)]}
    for name, shapes in allowed.items():
        if np.shape(params[name]) not in shapes:
            raise ValueError(f"{name} has shape {np.shape(params[name])}; expected one of {shapes} (n={n}, h={h})")
    finite = all(np.all(np.isfinite(params[k])) for k in net.PARAM_NAMES)
    if not (finite and np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("params, x and y must be finite; found NaN or infinite values")


def _sum_to(full, shape):
    """Sum a per-sample array ``full`` (n, k) down to a parameter's ``shape``.

    A bias of shape ``(1, k)`` was broadcast over the n samples, so its derivative adds up
    theirs; a per-sample bias ``(n, k)`` was not broadcast and keeps them apart.
    """
    return full if full.shape == tuple(shape) else full.sum(axis=0, keepdims=True)


# --- curvature ----------------------------------------------------------------------------

def hessian_vector_product(params, x, y, v):
    r"""Exact ``H v``: the Hessian of ``net.mse`` at ``params`` times the direction ``v``.

    ``v`` is a dict shaped like ``params`` (or a flat vector, see ``flatten``); the result has
    the same form. No finite differences: the backward pass ``g(p)`` is differentiated along
    ``v``, i.e. ``R{.} = d/dt (.)(p + t v) at t = 0`` is pushed through every line
    (Pearlmutter 1994). With ``s = l1 (1 - l1)`` and ``r = l2 - y``:

    - forward:  ``R z0 = x V0 + c0``, ``R l1 = s R z0``, ``R l2 = R l1 W1 + l1 V1 + c1``
      (``V0, c0, V1, c1`` are ``v``'s parts for ``W0, b0, W1, b1``);
    - backward: ``d2 = 2 r / n`` becomes ``R d2 = 2 R l2 / n``; ``dz0 = (d2 W1^T) s`` becomes
      ``R dz0 = (R d2 W1^T + d2 V1^T) s + (d2 W1^T) (1 - 2 l1) R l1`` (since ``s' = s (1 - 2 l1)``);
    - ``H v`` for ``W1`` is ``R l1^T d2 + l1^T R d2``, for ``W0`` ``x^T R dz0``, and for the
      biases ``R d2`` and ``R dz0`` summed over the samples each bias is shared by.

    Cost: about one forward and one backward pass. The ``d2`` terms carry the residual: at a
    perfect fit they vanish and ``H`` reduces to the Gauss-Newton matrix ``2 J^T J / n``.
    """
    check_inputs(params, x, y)
    flat = not isinstance(v, dict)
    vd = unflatten(np.asarray(v, dtype=float), params) if flat else v
    if flat and np.size(v) != flatten(params).size:
        raise ValueError(f"v has {np.size(v)} entries; expected {flatten(params).size}, one per parameter")
    if not flat and any(np.shape(vd.get(k)) != np.shape(params[k]) for k in net.PARAM_NAMES):
        raise ValueError("v must be shaped like params: the same keys W0, b0, W1, b1 and shapes")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    W1 = params["W1"]
    l2, cache = net.forward(params, x)
    l1 = cache["l1"]
    s = l1 * (1.0 - l1)
    d2 = 2.0 * (l2 - y) / len(y)
    # The same line as net.backward's dz0 is not needed itself, only its derivative R dz0.
    Rz0 = x @ vd["W0"] + vd["b0"]
    Rl1 = s * Rz0
    Rl2 = Rl1 @ W1 + l1 @ vd["W1"] + vd["b1"]
    Rd2 = 2.0 * Rl2 / len(y)
    Rdz0 = (Rd2 @ W1.T + d2 @ vd["W1"].T) * s + (d2 @ W1.T) * (1.0 - 2.0 * l1) * Rl1
    hv = {
        "W0": x.T @ Rdz0,
        "b0": _sum_to(Rdz0, np.shape(params["b0"])),
        "W1": Rl1.T @ d2 + l1.T @ Rd2,
        "b1": _sum_to(Rd2, np.shape(params["b1"])),
    }
    return flatten(hv) if flat else hv


def dense_hessian(params, x, y):
    """The full Hessian of ``net.mse`` (flattened as ``flatten``), one column per HVP.

    Column ``j`` is ``H e_j``. Only for small networks (``3h + 1`` parameters with shared
    biases): it exists to check ``sharpness`` against ``numpy.linalg.eigvalsh``.
    """
    dim = flatten(params).size
    return np.column_stack([hessian_vector_product(params, x, y, np.eye(dim)[j]) for j in range(dim)])


def power_iteration(matvec, dim, iters=ITERS, tol=TOL, seed=0):
    r"""The eigenvalue of largest *magnitude* of a symmetric operator, and its unit eigenvector.

    Repeats ``v <- A v / |A v|`` from a seeded random start. Writing ``v`` in the eigenbasis,
    each step multiplies component ``i`` by ``lambda_i``, so the largest ``|lambda_i|`` wins
    at the rate ``|lambda_2 / lambda_1|`` per step. The estimate is the Rayleigh quotient
    ``v^T A v``.

    *Converged* means the residual is small: ``|A v - lambda v| <= tol * |lambda|``. For a
    symmetric ``A`` that guarantees ``lambda`` is within ``tol * |lambda|`` of a true eigenvalue.
    It fails (``PowerIterationError``) when after ``iters`` steps the residual is still larger:
    two eigenvalues of (nearly) equal magnitude compete (e.g. ``+a`` and ``-a``: ``v`` swings
    between them forever), or the gap is so small that ``iters`` is not enough.

    Returns ``(lambda, v, steps)``.
    """
    if isinstance(iters, bool) or not isinstance(iters, (int, np.integer)) or iters < 1:
        raise ValueError(f"iters must be a positive integer, got {iters!r}")
    if not (isinstance(tol, (int, float, np.floating)) and 0 < tol < 1):
        raise ValueError(f"tol must be a number between 0 and 1 (a relative residual), got {tol!r}")
    v = np.random.default_rng(seed).normal(size=dim)
    v /= np.linalg.norm(v)
    lam, residual = 0.0, np.inf
    for step in range(1, iters + 1):
        av = matvec(v)
        lam = float(v @ av)
        norm = np.linalg.norm(av)
        if norm == 0.0:  # v is in the null space; A is zero along everything we can reach
            return 0.0, v, step
        residual = float(np.linalg.norm(av - lam * v)) / max(abs(lam), 1e-300)
        if residual <= tol:
            return lam, v, step
        v = av / norm
    raise PowerIterationError(
        f"power iteration did not converge in {iters} steps: the last estimate {lam:.6g} still has a "
        f"relative residual {residual:.2g} > tol={tol:g} (two eigenvalues of nearly equal size, "
        f"e.g. +a and -a, compete; raise iters or tol)",
        estimate=lam, residual=residual, iters=iters,
    )


def sharpness(params, x, y, iters=ITERS, tol=TOL, seed=0):
    r"""``lambda_max``: the largest Hessian eigenvalue of ``net.mse`` at ``params``, by power iteration.

    The *largest*, not the largest in size. Power iteration finds the eigenvalue of largest
    magnitude; away from a minimum the Hessian can also curve downwards (negative
    eigenvalues: a saddle, where the loss bends down). If the negative one wins, the
    Hessian is shifted by it, ``H - lambda_neg I`` (all eigenvalues now >= 0, largest
    ``lambda_max - lambda_neg``), and power iteration runs again. Negative curvature never
    limits the learning rate (a step along it always goes downhill further); only
    ``lambda_max > 0`` does, through ``lr < 2 / lambda_max``.

    Raises ``PowerIterationError`` (a ``RuntimeError``) when power iteration does not
    converge, see ``power_iteration``; ``ValueError`` for unusable inputs.
    """
    check_inputs(params, x, y)
    dim = flatten(params).size

    def hv(v):  # the flat-vector form that power iteration multiplies
        return hessian_vector_product(params, x, y, v)

    return top_eigenvalue(hv, dim, iters, tol, seed)


def top_eigenvalue(matvec, dim, iters=ITERS, tol=TOL, seed=0):
    """The largest (most positive) eigenvalue of a symmetric operator, by power iteration.

    ``power_iteration`` finds the largest in *magnitude*, ``lambda_a``. If it is negative,
    every eigenvalue of ``A - lambda_a I`` is >= 0 and the largest of them is
    ``lambda_max - lambda_a``: a second power iteration on the shifted operator finds it.
    """
    lam, _, _ = power_iteration(matvec, dim, iters, tol, seed)
    if lam >= 0:
        return lam
    shifted, _, _ = power_iteration(lambda v: matvec(v) - lam * v, dim, iters, tol, seed)
    return shifted + lam


def max_stable_lr(params, x, y, **kwargs):
    """``2 / sharpness``: the largest learning rate at which gradient descent is stable here.

    Exact for a quadratic loss (it is the threshold between converging and diverging); for
    the network it is the limit *at these parameters*: training moves them, and the
    sharpness with them. Keyword arguments go to ``sharpness``. Raises ``ValueError`` when
    the loss has no upward curvature at all (``sharpness <= 0``): then no step size is
    unstable in the quadratic sense.
    """
    lam = sharpness(params, x, y, **kwargs)
    if lam <= 0:
        raise ValueError(f"the sharpness is {lam:.3g} <= 0: no upward curvature, so no 2/lambda_max limit")
    return 2.0 / lam


# --- the quadratic case: the output layer alone ---------------------------------------------

def output_layer_design(params, x):
    """``A = [l1, 1]`` (n, h + 1): with the hidden layer frozen, ``l2 = A w`` for ``w = [W1; b1]``.

    The loss ``mean((A w - y)**2)`` is then *linear least squares*, an exact quadratic with the
    constant Hessian ``2 A^T A / n``; its gradient is ``2 A^T (A w - y) / n``.
    """
    net.check_params(params, n_samples=len(x))
    l1 = net.forward(params, np.asarray(x, dtype=float))[1]["l1"]
    return np.hstack([l1, np.ones((len(l1), 1))])


def output_layer_sharpness(params, x):
    """``lambda_max`` of the output layer's quadratic: the top eigenvalue of ``2 A^T A / n``.

    Computed directly with ``numpy.linalg.eigvalsh`` (``h + 1`` rows only). It is also the
    ``W1, b1`` block of the full network's Hessian (``l2`` is linear in ``W1, b1``), which is
    how the tests check ``hessian_vector_product`` against it.
    """
    A = output_layer_design(params, x)
    return float(np.linalg.eigvalsh(2.0 * A.T @ A / len(A))[-1])


def train_output_layer(params, x, y, lr, epochs):
    """Gradient descent on ``W1, b1`` only (``W0, b0`` frozen): a pure quadratic.

    Returns a ``train.TrainResult`` with the same divergence rule as ``train.train``.
    """
    train.check_training_inputs(params, x, y, lr, epochs)
    y = np.asarray(y, dtype=float)
    A = output_layer_design(params, x)
    w = np.vstack([params["W1"], params["b1"]]).astype(float)
    losses = np.empty(epochs)
    bound = None
    with np.errstate(all="ignore"):  # a diverging run overflows; reported as divergence
        for epoch in range(epochs):
            r = A @ w - y
            loss = float(np.mean(r**2))
            bound = train.divergence_bound(loss, y) if bound is None else bound
            losses[epoch] = loss
            if not np.isfinite(loss) or loss > bound:
                kept = epoch + 1 if np.isfinite(loss) else epoch
                return train.TrainResult(losses[:kept].copy(), _with_output(params, w), True, epoch)
            w -= lr * 2.0 * A.T @ r / len(r)
    return train.TrainResult(losses, _with_output(params, w), False, None)


def _with_output(params, w):
    return dict({k: np.array(v, dtype=float) for k, v in params.items()}, W1=w[:-1].copy(), b1=w[-1:].copy())


def find_threshold(diverges, lo, hi, rel=1e-3):
    """The learning rate where ``diverges(lr)`` switches from False to True, by bisection.

    ``diverges(lo)`` must be False and ``diverges(hi)`` True (else ``ValueError``). Halves the
    bracket in log scale until ``hi / lo < 1 + rel`` and returns its geometric middle. It
    assumes one switch in between, which holds for a quadratic; for the network it finds
    *a* switch point, which is why the notebook also sweeps a grid.
    """
    if not 0 < lo < hi:
        raise ValueError(f"need 0 < lo < hi, got lo={lo}, hi={hi}")
    if diverges(lo) or not diverges(hi):
        raise ValueError(f"the bracket [{lo:.3g}, {hi:.3g}] does not straddle the threshold: "
                         "expected diverges(lo) False and diverges(hi) True")
    while hi / lo > 1 + rel:
        mid = np.sqrt(lo * hi)
        lo, hi = (lo, mid) if diverges(mid) else (mid, hi)
    return float(np.sqrt(lo * hi))
