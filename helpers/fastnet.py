r"""The network's loss and gradient again, arranged to be fast on every CPU: the training path.

``net`` is the reference; ``FastNet`` computes the same numbers (the tests compare the two to about
1e-12) in about twenty numpy calls per epoch, every array allocated once: at ``n = 1000, h = 10``
the calls and the one ``exp`` are the cost. What it does differently (``benchmarks/run.py``, section 0):

1. **One flat parameter vector** ``theta`` in ``net.flatten``'s order, ``W0, b0, W1, b1`` views
   into it, and ``grad`` alike: any update rule is one vector operation.
2. **Samples along the last axis**: the hidden layer is ``(h, n)``, each unit's values contiguous.
3. **A bias is a weight on a constant input 1**: with ``xa = [x; 1]`` (2, n), ``-z0 = [-W0, -b0] @ xa``
   is one product, and ``(xa * r) @ slope^T`` gives ``[sum slope r x; sum slope r]`` per unit, the
   sums ``dW0`` and ``db0`` need, in one call. (Per-sample biases take a slower branch.)
4. **One ``exp`` for the sigmoid and its slope**: with ``e = exp(-z)``, ``l1 = 1 / (1 + e)`` and
   ``1 - l1 = e l1``, so ``l1 (1 - l1) = (e l1) l1`` with no cancellation when a unit saturates.
   ``-z`` is capped at ``EXP_CAP`` first when it could overflow (``inf * 0`` would be NaN).
5. **float32 in the hidden layer** (``dtype``): numpy's float64 ``exp`` is vectorised only with
   AVX-512, float32's on AVX2 as well.

The residual is the question's ``r = y - l2`` (see ``net``), so ``dL/dl2 = -2 r / n``.
"""
import numpy as np

from . import net

__all__ = ["EXP_CAP", "FastNet"]

#: ``-z`` is capped here before ``exp``, per precision: ``exp(700)`` is about ``1e304`` in float64,
#: ``exp(80)`` about ``6e34`` in float32, so ``l1`` is off by less than ``1e-304`` or ``2e-35``.
EXP_CAP = {np.dtype(np.float64): 700.0, np.dtype(np.float32): 80.0}


class FastNet:
    """``net.forward`` + ``net.mse`` (``forward()``) and ``net.backward`` (``backward()``) in place.

    Holds a float64 copy of the parameters in ``theta`` (``params()`` returns them shaped as given).
    After ``forward()``: ``r = y - l2`` in ``self.r`` (``(1, n)``), ``l1`` and ``e = exp(-z0)`` in
    ``self.l1``, ``self.e`` (``(h, n)``, in ``dtype``: float32 keeps 7 digits there, while the loss,
    residual, parameters and updates stay float64). ``params``, ``x``, ``y`` as
    ``net.check_inputs(per_sample=per_sample)`` wants them: checked here, once, for every trainer.
    """

    def __init__(self, params, x, y, dtype=np.float64, per_sample=True):
        params, x, y = net.check_inputs(params, x, y, per_sample)
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r:.60}")
        if np.abs(x).max() > np.finfo(dtype).max:
            raise ValueError(f"x must fit the hidden layer's {np.dtype(dtype).name} (|x| <= "
                             f"{np.finfo(dtype).max:.3g}), got |x| up to {np.abs(x).max():.3g}")
        self.n, self.h = n, h = len(x), np.shape(params["W0"])[1]
        self.dtype = dt = np.dtype(dtype)
        self.cap = EXP_CAP[dt]
        self.shapes = {k: np.shape(params[k]) for k in net.PARAM_NAMES}
        self.shared_b0 = np.size(params["b0"]) == h
        self.shared_b1 = np.size(params["b1"]) == 1
        self.theta = net.flatten(params)
        self.grad = np.zeros_like(self.theta)
        self.W0, self.b0, self.W1, self.b1 = self._views(self.theta)
        self.gW0, self.gb0, self.gW1, self.gb1 = self._views(self.grad)
        # The hidden layer's precision: its data, its arrays, and copies of the weights in it.
        self.neg_x, self.y = -x.T.astype(dt), y.T.copy()
        self.xa = np.vstack([x.T, np.ones((1, n))]).astype(dt)  # [x; 1]: the inputs of W0 and b0
        self.e, self.slope = np.empty((h, n), dt), np.empty((h, n), dt)
        self.l1 = np.empty((h, n), dt)
        self.neg_A = np.empty((h, 2), dt)   # [-W0, -b0] per unit (shared b0)
        # -z0 is linear in x, so its largest value is at the smallest or the largest input:
        # neg_A @ corners gives both for every unit, a check far cheaper than capping h n values.
        self.corners = np.array([[x.min(), x.max()], [1.0, 1.0]], dt)
        if self.shared_b0:  # [W0; b0] and [dW0; db0], views: W0 and b0 are theta's first 2 h entries
            self.A, self.gA = self.theta[:2 * h].reshape(2, h), self.grad[:2 * h].reshape(2, h)

        self.b0h, self.W1h = np.empty(self.b0.shape, dt), np.empty((h, 1), dt)
        self.l2h, self.rh, self.xr = np.empty((1, n), dt), np.empty((1, n), dt), np.empty((2, n), dt)
        self.sums, self.out_sums = np.empty((2, h), dt), np.empty((h, 1), dt)
        self.r = np.empty((1, n))

    def _views(self, flat):
        """``W0 (h, 1)``, ``b0 (h, 1 or n)``, ``W1 (h, 1)``, ``b1 (1, 1 or n)``: transposed views."""
        h, n = self.h, self.n
        parts = net.unflatten(flat, {"W0": (1, h), "b0": (1 if self.shared_b0 else n, h),
                                     "W1": (h, 1), "b1": (1 if self.shared_b1 else n, 1)})
        return parts["W0"].T, parts["b0"].T, parts["W1"], parts["b1"].T

    def params(self):
        """The current parameters as a new dict of copies, shaped like the ones given."""
        return {k: v.copy() for k, v in net.unflatten(self.theta, self.shapes).items()}

    def forward(self):
        """Return ``mse(l2, y)`` at ``theta``; leaves ``e = exp(-z0)``, ``l1`` and ``r = y - l2``."""
        e, l1, r = self.e, self.l1, self.r
        if self.shared_b0:                        # -z0 = [-W0, -b0] @ [x; 1]: one product
            np.negative(self.A.T, out=self.neg_A)
            np.matmul(self.neg_A, self.xa, out=e)
        else:                                     # -z0 = -x W0 - b0, one bias per sample
            np.multiply(self.W0.astype(self.dtype), self.neg_x, out=e)
            np.copyto(self.b0h, self.b0)
            np.subtract(e, self.b0h, out=e)
        if not self.shared_b0 or (self.neg_A @ self.corners).max() > self.cap:
            np.minimum(e, self.cap, out=e)        # only when some exp(-z0) would overflow
        np.exp(e, out=e)                          # e = exp(-z0), finite
        np.add(e, 1.0, out=l1)
        np.divide(1.0, l1, out=l1)                # l1 = 1 / (1 + e) = sigmoid(z0)
        np.copyto(self.W1h, self.W1)
        np.matmul(self.W1h.T, l1, out=self.l2h)   # l1 W1, as (1, n)
        np.subtract(self.y, self.l2h, out=r)      # in float64 from here: r = y - l1 W1 - b1
        np.subtract(r, self.b1, out=r)
        return float(np.dot(r[0], r[0])) / self.n

    def backward(self, scale=1.0):
        """Fill ``grad`` with ``scale`` times the MSE's gradient at the last ``forward()``."""
        c = -2.0 / self.n * scale                 # dL/dl2 = c r
        l1, slope, rh = self.l1, self.slope, self.rh
        np.copyto(rh, self.r)
        np.matmul(self.l1, rh.T, out=self.out_sums)   # sum over samples of l1 r: dW1 / c
        np.multiply(self.out_sums, c, out=self.gW1)
        if self.shared_b1:
            self.gb1[...] = c * float(self.r.sum())  # db1 = sum over samples of dL/dl2, in float64
        else:
            np.multiply(self.r, c, out=self.gb1)  # one per sample: not summed
        np.multiply(self.e, l1, out=slope)        # e l1 = 1 - l1, without cancellation
        np.multiply(slope, l1, out=slope)         # sigmoid'(z0) = l1 (1 - l1)
        W1c = self.W1 * c                         # (h, 1): dL/dz0 = slope * r * W1 * c
        if self.shared_b0:
            np.multiply(self.xa, rh, out=self.xr)
            np.matmul(self.xr, slope.T, out=self.sums)  # per unit: sum slope r x, sum slope r
            np.multiply(self.sums, W1c.T, out=self.gA)  # [dW0; db0]
        else:
            np.multiply(slope, rh, out=slope)
            np.multiply(slope, W1c, out=self.gb0)       # dL/dz0, one column per sample
            np.matmul(self.gb0, self.xa[:1].T.astype(float), out=self.gW0)
