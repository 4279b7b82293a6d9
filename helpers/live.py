r"""The playground: drag the learning rate, switch the question's bugs on and off, watch the loss.

``playground()`` returns an ipywidgets widget (notebook 06); ``playground(learning_rate_only=True)``
shows the learning-rate slider alone (notebook 04). ``preview()`` displays a still of the same
drawing as an ordinary PNG output, for readers without a kernel.

**It follows the hand.** The sliders send their value while dragged (``continuous_update``). An
observer only *records* the latest request and, if no worker is running, starts one thread that
trains and repaints; requests arriving meanwhile overwrite each other (latest value wins, never
queued), so the last picture painted is the last value asked for. A run still computing after
``PAINT_S`` paints what it has and is cancelled there if a newer value waits. Outside a kernel
every change is applied before the assignment returns (``threaded=False``).

**The faint curve** is the run on screen when the current gesture (changes less than
``GESTURE_GAP_S`` apart) began: during a drag the reader compares against where they started.

**Why it diverges: the sharpness panel.** Gradient descent on a quadratic is stable below
``lr = 2 / lambda_max`` (``helpers.stability``). The middle panel traces ``lambda_max`` along the
run against the line ``2 / lr``: it rises to the line and hovers there (the edge of stability,
Cohen et al. 2021), or crosses it and the run blows up (``SharpnessTrace``).

**Why the drawing is fast.** The axes are drawn once per epoch range and kept as a bitmap; an
update pastes it back, draws only the curves (blitting) and sends a PNG to an ``ipywidgets.Image``.
Nothing non-finite is drawn: ``bugs.run`` keeps only finite values, and the plot clips to its axes.
"""
import functools
import io
import math
import threading
import time
from types import SimpleNamespace

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from . import bugs, net, original, stability
from .validate import check_number

__all__ = ["LOSS_RANGE", "SHARPNESS_RANGE", "LR_RANGE", "FRAMES", "FRAME_MS", "DPI", "FONT_SIZE", "SIZES", "CLASS",
           "STATUS_COLOURS", "SHARPNESS_POINTS", "EXACT_HESSIAN_MAX", "POWER_STEPS", "POWER_TOL", "PAINT_S",
           "GESTURE_GAP_S", "AXIS_STOPS", "PRESETS", "START", "progress_chunk", "status_colour", "picture_settings",
           "describe", "SharpnessTrace", "snapshot_every", "compute", "epoch_axis", "LivePlot", "lr_scale_html",
           "Playground", "playground", "still", "preview"]

#: The loss axis (log scale), fixed so every run is drawn on the same scale.
LOSS_RANGE = (1e-3, 1e9)
#: The sharpness axis (log scale): 2/lr runs from 0.2 (lr 10) to 2e4 (lr 1e-4).
SHARPNESS_RANGE = (0.1, 1e4)
LR_RANGE = (1e-4, 10.0)
FRAMES = 60  # animation frames per run
FRAME_MS = 60  # one frame every 60 ms: about 16 frames a second
DPI = 80  # at size 1x the figure is 880 px wide, its text 12 px
FONT_SIZE = 11  # points
#: The size control: the figure's pixels per inch (text and lines scale with it) and the status text.
SIZES = {"1x": 1.0, "1.5x": 1.5, "2x": 2.0}
CLASS = "live-playground"  # CSS classes below start with this, for tests and styling
#: The status line's colour, by its first word (``bugs.status``); a run still computing is grey.
STATUS_COLOURS = {"converged": "#2ca02c", "still improving": "#1f77b4", "catapult": "#9467bd",
                  "stalled": "#e07b00", "rising": "#8c564b", "diverged": "#d62728", "running": "#777777"}
#: About this many sharpness measurements along a run.
SHARPNESS_POINTS = 40
#: Networks with at most this many parameters get an exact Hessian; wider ones power iteration.
EXACT_HESSIAN_MAX = 64
#: Power iteration per snapshot, warm-started from the last eigenvector: it stops once
#: ``|H v - lambda v| <= POWER_TOL |lambda|`` (``lambda`` within about 1%), usually after a step or two.
POWER_STEPS = 100
POWER_TOL = 1e-2
PAINT_S = 0.12  # a run still computing after this long paints what it has, and again every PAINT_S
GESTURE_GAP_S = 0.5  # changes closer than this belong to one gesture (one drag)
#: The epoch axis zooms to the first of these that shows an early divergence whole.
AXIS_STOPS = (5, 10, 20, 50, 100, 200, 500, 1000, 2000)
#: The guide's demos, one click each (notebook 06, "Things to try").
PRESETS = {
    "start": dict(lr=0.1),
    "lr 10: diverges": dict(lr=10.0),
    "edge of stability": dict(lr=0.3, epochs=1500),
    "past the edge": dict(lr=0.5, epochs=1500),
    "sign bug": dict(lr=1e-4, bugs=("gradient",)),
    "lr = 1 bug": dict(bugs=("learning_rate",)),
    "per-sample biases": dict(bugs=("bias_shape",)),
    "the question": dict(lr=1e-4, bugs=bugs.BUGS),
}
START = dict(lr=0.1, epochs=500, n_hidden=10, seed=0, bugs=())


# --- the seam: everything the playground needs from the training loop ---------------------

def _train(settings, snapshot_every, progress=None):
    """Train with ``settings`` (``bugs.run`` keywords), keeping parameters every ``snapshot_every`` epochs.

    The one call into the training loop; a ``bugs.Run``, or None if cancelled: every
    ``progress_chunk(epochs)`` updates ``progress(epoch, losses, curves, snapshots)`` sees the run so
    far and may return False to cancel it.
    """
    if progress is None:
        return bugs.run(**settings, snapshot_every=snapshot_every)

    def on_chunk(partial):  # True stops the loop
        epoch = len(partial.losses) - 1
        return progress(epoch, partial.losses, partial.curves, bugs.snapshot_pairs(partial)) is False

    run = bugs.run(**settings, snapshot_every=snapshot_every, chunk=progress_chunk(settings["epochs"]),
                   on_chunk=on_chunk)
    return None if run.result.stopped else run


def progress_chunk(epochs):
    """Updates between two looks at a growing run: about 20 a run, at least 25 apart (each look copies the run)."""
    return max(25, epochs // 20)


def status_colour(status):
    """The colour of a status line: its first word's (``STATUS_COLOURS``), black for anything else."""
    return next((colour for word, colour in STATUS_COLOURS.items() if status.startswith(word)), "#000000")


def _show_status(label, status, scale=1.0):
    """Write ``status`` into the status ``Label``, coloured by its word, its text scaled for a projector."""
    label.style.text_color = status_colour(status)
    label.style.font_size = f"{15 * scale:.0f}px"
    label.value = status


def picture_settings(png):
    """The settings a playground picture shows (``describe``'s text, stored in the PNG), or None."""
    return Image.open(io.BytesIO(png)).text.get("Description")


def describe(settings, learning_rate_only=False):
    """The settings in words, e.g. ``lr 0.1, 500 epochs, 10 hidden units, seed 0, no bugs``."""
    s = dict(START, **settings)
    text = f"lr {s['lr']:.3g}"
    if not learning_rate_only:
        on = ", ".join(bugs.LABELS[b] for b in s["bugs"]) or "no bugs"
        text += f", {s['epochs']} epochs, {s['n_hidden']} hidden units, seed {s['seed']}, {on}"
    return text


# --- the sharpness along a run ---------------------------------------------------------------

class SharpnessTrace:
    """``lambda_max`` at a run's snapshots, measured as they arrive (a growing run adds some each paint).

    Up to ``EXACT_HESSIAN_MAX`` parameters ``eigvalsh`` of the exact Hessian (``stability.dense_hessian``);
    wider networks get power iteration on exact Hessian-vector products, warm-started from the last
    snapshot's eigenvector. State is real: what was measured, and that eigenvector. A value that is
    not finite or not positive is left out (a log axis cannot show it).
    """

    def __init__(self, bug_names):
        self.x, _ = bugs.inputs(bug_names)
        self.epochs, self.values, self.seen, self.vector = [], [], 0, None

    def update(self, snapshots):
        """Measure the snapshots not measured yet; return ``(epochs, values)`` arrays."""
        with np.errstate(all="ignore"):  # once here: a far-diverged snapshot may overflow, and is left out
            for epoch, params in snapshots[self.seen:]:
                value = self._measure(params)
                if math.isfinite(value) and value > 0:
                    self.epochs.append(epoch)
                    self.values.append(value)
        self.seen = len(snapshots)
        return np.array(self.epochs, dtype=float), np.array(self.values)

    def _measure(self, params):
        size = net.flatten(params).size
        try:
            if size <= EXACT_HESSIAN_MAX:  # inputs from bugs.run, checked at the playground's entry
                H = stability._dense_hessian(params, self.x, bugs.Y)
                return float(np.linalg.eigvalsh(H)[-1]) if np.all(np.isfinite(H)) else math.nan
            matvec = stability.hessian_operator(params, self.x, bugs.Y)
            value, self.vector, _ = stability.power_iteration(matvec, size, POWER_STEPS, POWER_TOL, start=self.vector)
        except ValueError:  # not finite: nothing to measure
            return math.nan
        except stability.PowerIterationError as err:  # still turning: its last estimate, and go on from there
            value, self.vector = err.estimate, err.vector
        if value < 0:  # a downward curvature is the largest in size: shift it away
            try:
                return stability.top_eigenvalue(matvec, size, iters=POWER_STEPS, tol=POWER_TOL)
            except stability.PowerIterationError:
                return math.nan
        return value


def snapshot_every(epochs):
    """Keep parameters about ``SHARPNESS_POINTS`` times along a run of ``epochs``."""
    return max(1, math.ceil(epochs / SHARPNESS_POINTS))


def compute(settings, progress=None):
    """Train ``settings`` and trace its sharpness: ``(run, (epochs, values))``, or None if cancelled.

    A run that diverges early has few snapshots on the zoomed axis, so its first epochs are run
    again (the same deterministic steps) with finer snapshots.
    """
    run = _train(settings, snapshot_every(settings["epochs"]), progress)
    if run is None:
        return None
    d = run.diverged_at
    if d is not None and d > 0 and d < settings["epochs"] / 4 and snapshot_every(d) < snapshot_every(run.epochs):
        finer = _train(dict(settings, epochs=d), snapshot_every(d))
        run.snapshots = finer.snapshots
    return run, SharpnessTrace(run.bugs).update(run.snapshots)


def epoch_axis(run):
    """The loss axis's last epoch: the whole run, or zoomed onto a divergence in the first quarter."""
    if run.diverged_at is not None and run.diverged_at < run.epochs / 4:
        return next(stop for stop in AXIS_STOPS if stop > run.diverged_at)
    return max(run.epochs, 1)


class LivePlot:
    """Three panels (loss | sharpness against 2/lr | fit over the data) redrawn by blitting into PNG bytes.

    ``caption=True`` reserves a line on top for the settings and the status (``preview``).
    """

    def __init__(self, scale=1.0, caption=False):
        with matplotlib.rc_context({"font.size": FONT_SIZE}):  # fonts are fixed when the artists are made
            self._build(scale, caption)
        self.backgrounds = {}  # the axes drawn once per epoch range, by its last epoch

    def _build(self, scale, caption):
        height = 3.3 + (0.45 if caption else 0.0)
        fig = Figure(figsize=(11.0, height), dpi=DPI * scale)
        self.canvas, self.fig = FigureCanvasAgg(fig), fig
        loss_ax, sharp_ax, fit_ax = fig.subplots(1, 3)
        top = 1 - (0.35 + (0.45 if caption else 0.0)) / height
        fig.subplots_adjust(left=0.075, right=0.98, bottom=0.55 / height, top=top, wspace=0.33)
        sharp_title = "sharpness $\\lambda_{max}$ against $2/lr$"
        for ax, ylim, ylabel, title in ((loss_ax, LOSS_RANGE, "training MSE", "loss (log scale)"),
                                        (sharp_ax, SHARPNESS_RANGE, "sharpness", sharp_title)):
            ax.set(yscale="log", ylim=ylim, xlabel="epoch", ylabel=ylabel)
            ax.set_title(title, y=1.0)  # an explicit y skips the costly title layout
            ax.minorticks_off()
        self.previous, = loss_ax.plot([], [], color="0.72", lw=1.6, animated=True,
                                  label="_nolegend_" if caption else "previous run")  # a still has none
        self.current, = loss_ax.plot([], [], color="C0", lw=2, label="this run", animated=True)
        self.blowup, = loss_ax.plot([], [], "x", color="C3", ms=10, mew=2.5, label="diverged", animated=True)
        loss_ax.legend(loc="lower left", fontsize=FONT_SIZE - 1)

        self.sharpness, = sharp_ax.plot([], [], "o-", color="C2", ms=3, lw=1.5, label="$\\lambda_{max}$",
                                        animated=True)
        self.limit, = sharp_ax.plot([], [], "--", color="C3", lw=1.8, label="$2/lr$", animated=True)
        self.note = sharp_ax.text(0.03, 0.96, "", transform=sharp_ax.transAxes, fontsize=FONT_SIZE - 1, va="top",
                                  animated=True)
        sharp_ax.legend(loc="lower right", fontsize=FONT_SIZE - 1)

        x, y = bugs.X_RAW[:, 0], bugs.Y[:, 0]
        pad = 0.1 * np.ptp(y)
        fit_ax.plot(x, y, ".", ms=2, color="0.6", label="data")
        self.fit, = fit_ax.plot([], [], color="C1", lw=2, label="network", animated=True)
        self.fit_note = fit_ax.text(0.03, 0.04, "", transform=fit_ax.transAxes, fontsize=FONT_SIZE - 1, animated=True)
        fit_ax.set(xlim=(x.min(), x.max()), ylim=(y.min() - pad, y.max() + pad), xlabel="x", ylabel="y")
        fit_ax.set_title("fit over the training data", y=1.0)
        fit_ax.legend(loc="upper center", fontsize=FONT_SIZE - 1)
        self.caption = fig.text(0.01, 1 - 0.3 / height, "", fontsize=FONT_SIZE + 1, animated=True) if caption else None
        self.loss_ax, self.sharp_ax, self.fit_ax = loss_ax, sharp_ax, fit_ax
        self.fit_view = (y.min() - 3 * pad, y.max() + 3 * pad)  # a curve inside this is worth drawing
        self.curve_x = x[bugs.CURVE]

    def _background(self, last_epoch):
        """Set the epoch range and paste its axes (drawn once per range, then kept)."""
        for ax in (self.loss_ax, self.sharp_ax):
            ax.set_xlim(0, last_epoch)
        if last_epoch not in self.backgrounds:
            self.canvas.draw()  # animated artists are left out of this
            self.backgrounds[last_epoch] = self.canvas.copy_from_bbox(self.fig.bbox)
        self.canvas.restore_region(self.backgrounds[last_epoch])

    def render(self, run, upto=None, previous=None, trace=None, caption=None, description=None):
        """PNG bytes: ``run`` up to epoch ``upto`` (default: all) over the ``previous`` losses.

        ``trace``: ``(epochs, lambda_max)`` arrays; ``caption``: ``(status, settings text)`` (with
        ``caption=True``); ``description``: the settings, stored in the PNG itself (``picture_settings``).
        """
        last = len(run.losses) - 1 if upto is None else min(upto, len(run.losses) - 1)
        low, high = LOSS_RANGE
        self.current.set_data(np.arange(last + 1), np.clip(run.losses[:last + 1], low, high))
        has_previous = previous is not None and len(previous) > 0
        shown = (np.arange(len(previous)), np.clip(previous, low, high)) if has_previous else ([], [])
        self.previous.set_data(*shown)
        ended = run.diverged_at is not None and last == len(run.losses) - 1
        self.blowup.set_data(*(([run.diverged_at], [high]) if ended else ([], [])))
        self._draw_sharpness(run, last, trace)
        self._draw_fit(run, last)
        self._background(epoch_axis(run))
        artists = [self.previous, self.current, self.blowup, self.sharpness, self.limit, self.note,
                   self.fit, self.fit_note]
        if self.caption is not None and caption is not None:
            status, settings = caption
            self.caption.set_text(f"{settings}:  {status}")
            self.caption.set_color(status_colour(status))
            artists.append(self.caption)
        for artist in artists:
            self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out, info = io.BytesIO(), PngInfo()
        if description:
            info.add_text("Description", description)
        image.convert("RGB").save(out, format="png", compress_level=1, pnginfo=info)  # fast beats small here
        return out.getvalue()

    def _draw_sharpness(self, run, last, trace):
        epochs, values = trace if trace is not None else ((), ())
        shown = np.asarray(epochs) <= last
        self.sharpness.set_data(np.asarray(epochs)[shown], np.clip(np.asarray(values)[shown], *SHARPNESS_RANGE))
        low, high = SHARPNESS_RANGE
        if "gradient" in run.bugs:  # its steps are not lr * grad(MSE)
            self.limit.set_data([], [])
            self.note.set_text("gradient bug: its steps are not\nlr x grad(MSE), so no 2/lr line")
        else:
            limit = 2.0 / run.lr
            self.limit.set_data([0, epoch_axis(run)], [np.clip(limit, low, high)] * 2)
            self.note.set_text("" if low <= limit <= high else f"2/lr = {limit:.2g}, off this scale")

    def _draw_fit(self, run, last):
        """The fit at the last epoch whose curve is still in view (a diverging fit leaves the plot)."""
        lo, hi = self.fit_view
        curves = run.curves[:last + 1]
        inside = np.flatnonzero(np.all((curves > lo) & (curves < hi), axis=1))
        if len(inside) == 0:
            self.fit.set_data([], [])
            self.fit_note.set_text("")
            return
        k = int(inside[-1])
        self.fit.set_data(self.curve_x, np.clip(curves[k], lo, hi))
        self.fit_note.set_text("" if k == last else f"fit at epoch {k} (later: off the plot)")


def lr_scale_html(lr, limit, scale=1.0):
    """A small log scale from 1e-4 to 10 with the current ``lr`` (dot) and ``2/lambda_max`` (bar)."""
    lr = check_number("lr", lr, LR_RANGE[0], 100)
    limit = None if limit is None else check_number("limit", limit, 0, low_open=True)
    lo, hi = np.log10(LR_RANGE)

    def px(size):
        return f"{size * scale:.0f}px"

    def span(v, style, text="", attributes=""):  # placed at v on the log scale
        left = 100 * (np.log10(min(v, LR_RANGE[1])) - lo) / (hi - lo)
        return f'<span {attributes}style="position:absolute;left:{left:.1f}%;{style}">{text}</span>'

    centred = "transform:translateX(-50%)"
    ticks = "".join(span(10.0**k, f"top:{px(14)};font-size:{px(10)};{centred}", f"1e{k}")
                    for k in range(int(lo), int(hi) + 1))
    mark = ""
    if limit is not None and LR_RANGE[0] <= limit <= LR_RANGE[1]:
        mark = span(limit, f"top:0;width:{px(4)};height:{px(14)};background:#d62728",
                    attributes=f'class="{CLASS}-limit" title="2/lambda_max at the initial parameters" ')
    dot = span(lr, f"top:{px(2)};width:{px(10)};height:{px(10)};border-radius:50%;background:#1f77b4;{centred}")
    return (f'<div style="position:relative;width:{px(360)};height:{px(30)};margin-left:8px">'
            f'<div style="position:absolute;left:0;right:0;top:{px(6)};height:2px;background:#bbb"></div>'
            f'{ticks}{mark}{dot}</div>')


def _question_html(run, scale=1.0):
    """With the gradient bug: the question's printed 'loss' (the mean residual) beside the true MSE."""
    if "gradient" not in run.bugs:
        return ""
    rows = "".join(f"<tr><td>{k}</td><td>{run.printed[k]:.3g}</td><td>{run.losses[k]:.3g}</td></tr>"
                   for k, _ in run.snapshots[:6] if k < len(run.losses))
    return (f'<div style="font-size:{12 * scale:.0f}px"><b>The question printed</b> <code>np.mean(y - l2)</code> '
            f'as its "loss": it can go negative and hides the explosion of the true MSE.'
            f'<table style="margin-left:8px"><tr><th>epoch</th><th>printed "loss"</th><th>true MSE</th></tr>'
            f'{rows}</table></div>')


def _in_kernel():
    """True inside a running IPython kernel (where widget messages can come from a thread)."""
    from IPython import get_ipython  # installed with ipywidgets
    return getattr(get_ipython(), "kernel", None) is not None


def _controls(lr, epochs, n_hidden, seed):
    """The setting widgets by name (``lr``, ``epochs``, ``n_hidden``, ``seed`` and ``bugs.BUGS``)."""
    slider = dict(continuous_update=True, style={"description_width": "110px"}, layout=widgets.Layout(width="420px"))
    controls = {
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=np.log10(LR_RANGE[0]), max=np.log10(LR_RANGE[1]),
                                     step=0.05, description="learning rate", readout_format=".3g", **slider),
        "epochs": widgets.IntSlider(value=epochs, min=1, max=bugs.MAX_EPOCHS, description="epochs", **slider),
        "n_hidden": widgets.IntSlider(value=n_hidden, min=1, max=max(50, n_hidden), description="hidden units",
                                      **slider),
        "seed": widgets.IntSlider(value=seed, min=0, max=max(20, seed), description="init seed", **slider),
    }
    for name in bugs.BUGS:
        controls[name] = widgets.Checkbox(value=False, description=bugs.LABELS[name], indent=False,
                                          layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
    controls["lr"].add_class(f"{CLASS}-lr")
    return controls


class Playground(widgets.VBox):
    """The widget ``playground()`` returns. State is real here: the controls, the figure, the runs, the worker.

    ``controls`` maps names (``lr``, ``epochs``, ``n_hidden``, ``seed`` and the ``bugs.BUGS``) to widgets;
    ``run`` is the latest finished ``bugs.Run`` and ``trace`` its sharpness; ``previous`` the faint
    curve's losses; ``errors`` anything the worker caught (also shown in the status). ``wait()`` blocks
    until the latest request is on screen. Widgets set from the worker thread reach the browser
    (ipykernel 6+; checked in ``tests/test_browser.py``).
    """

    def __init__(self, learning_rate_only=False, lr=0.1, epochs=500, n_hidden=10, seed=0, threaded=None):
        self.controls = _controls(lr, epochs, n_hidden, seed)
        self.learning_rate_only = learning_rate_only
        self.ratio, self.scale, self.question = widgets.Label(), widgets.HTML(), widgets.HTML()
        self.status = widgets.Label(layout=widgets.Layout(margin="4px 0 0 8px"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.play = widgets.Play(value=FRAMES - 1, min=0, max=FRAMES - 1, interval=FRAME_MS,
                                 tooltip="animate the run, epoch by epoch")
        self.frame = widgets.IntSlider(value=FRAMES - 1, min=0, max=FRAMES - 1, readout=False,
                                       description="replay", style={"description_width": "50px"})
        widgets.jslink((self.play, "value"), (self.frame, "value"))
        self.size = widgets.ToggleButtons(options=list(SIZES), value="1x", description="size",
                                          style={"button_width": "56px", "description_width": "40px"})
        self.presets = [widgets.Button(description=name, layout=widgets.Layout(width="auto")) for name in PRESETS]
        for widget, name in ((self.status, "status"), (self.image, "plot"), (self.size, "size")):
            widget.add_class(f"{CLASS}-{name}")
        super().__init__(self._rows())
        self.add_class(CLASS)

        self._threaded = _in_kernel() if threaded is None else threaded
        self._lock, self._draw_lock = threading.Lock(), threading.RLock()
        self._pending, self._worker, self._idle = None, None, threading.Event()
        self._idle.set()
        self._batch, self._replaying, self._last_request = False, False, -math.inf
        self.plot, self.run, self.trace, self.previous, self.errors = LivePlot(), None, None, None, []
        for control in self.controls.values():
            control.observe(self.request, names="value")
        self.frame.observe(self._show_frame, names="value")
        self.size.observe(self._resize, names="value")
        for button in self.presets:
            button.on_click(lambda button: self.apply(**PRESETS[button.description]))
        self._show(self.settings())  # the first picture, before the widget is displayed

    def __repr__(self):
        # The text a notebook stores beside the widget (nbval compares it): what it shows, not its widget tree.
        return f"Playground({describe(self.settings(), self.learning_rate_only)})"

    def _rows(self):
        c = self.controls
        rows = [widgets.HBox([c["lr"], self.ratio]), self.scale]
        if not self.learning_rate_only:
            rows += [widgets.HBox([c["epochs"], c["n_hidden"]]), widgets.HBox([c["seed"], self.size]),
                     widgets.HBox([c[k] for k in bugs.BUGS]),
                     widgets.HBox([widgets.Label("try:")] + self.presets, layout=widgets.Layout(flex_flow="row wrap"))]
        else:
            rows.append(self.size)
        return rows + [widgets.HBox([self.play, self.frame]), self.status, self.question, self.image]

    def settings(self):
        """The current control values as ``bugs.run`` keyword arguments."""
        c = self.controls
        return dict(bugs=tuple(b for b in bugs.BUGS if c[b].value), lr=c["lr"].value,
                    epochs=c["epochs"].value, n_hidden=c["n_hidden"].value, seed=c["seed"].value)

    # --- requests: recorded, coalesced, worked off by one thread -----------------------------

    def request(self, change=None):
        """Ask for the current settings to be shown (the controls' observer)."""
        if self._batch:
            return
        s = self.settings()
        self.controls["lr"].disabled = "learning_rate" in s["bugs"]
        now = time.monotonic()
        if not self._threaded or now - self._last_request > GESTURE_GAP_S:
            self.previous = self.run.losses if self.run is not None else None  # a new gesture begins
        self._last_request = now
        if not self._threaded:
            self._show(s)
            return
        with self._lock:
            self._pending = s  # overwrites any request not yet started: latest value wins
            if self._worker is None:
                self._idle.clear()
                self._worker = threading.Thread(target=self._work, name="playground", daemon=True)
                self._worker.start()

    def _work(self):
        while True:
            with self._lock:
                s, self._pending = self._pending, None
                if s is None:
                    self._worker = None
                    self._idle.set()
                    return
            try:
                self._show(s)
            except Exception as err:  # noqa: BLE001 - shown, never lost in a thread
                self.errors.append(err)
                _show_status(self.status, f"internal error: {type(err).__name__}: {err}")

    def wait(self, timeout=30.0):
        """Block until the latest request is on screen; False if ``timeout`` seconds passed first."""
        return self._idle.wait(timeout)

    def _show(self, s):
        """Train ``s``, painting a growing run every ``PAINT_S``; stop there if a newer request waits."""
        clock = {"painted": time.perf_counter()}
        lr = original.LR_QUESTION if "learning_rate" in s["bugs"] else s["lr"]  # the lr bug forces the question's 1
        partial_trace = SharpnessTrace(tuple(s["bugs"]))

        def progress(epoch, losses, curves, snapshots):
            if time.perf_counter() - clock["painted"] < PAINT_S:
                return True
            run = SimpleNamespace(losses=losses[:epoch + 1], curves=curves[:epoch + 1], diverged_at=None,
                                  epochs=s["epochs"], lr=lr, bugs=tuple(s["bugs"]))
            status = f"running: epoch {epoch} of {s['epochs']}, training MSE {losses[epoch]:.3g}"
            self._paint(run, s, partial_trace.update(snapshots), status)
            clock["painted"] = time.perf_counter()
            return self._pending is None  # a newer request cancels this run, after showing how far it got

        result = compute(s, progress)
        if result is not None:
            run, trace = result
            self._paint(run, s, trace, None)

    def _paint(self, run, s, trace, status):
        """Put one run on screen; ``status`` None means ``run`` is finished (then it becomes ``self.run``)."""
        scale = SIZES[self.size.value]
        with self._draw_lock:
            self.image.value = self.plot.render(run, previous=self.previous, trace=trace, description=describe(s))
            _show_status(self.status, status or run.status, scale)
            self.scale.value = lr_scale_html(run.lr, _limit(s["bugs"], s["n_hidden"], s["seed"]), scale)
            if status is not None:
                self.ratio.value = "update/weight: (running)"
                return
            self.run, self.trace, self.shown = run, trace, s
            self.ratio.value = f"update/weight {run.update_ratio:.1e} (median step; about 1e-3 is healthy)"
            self.question.value = _question_html(run, scale)
            self._replaying = True  # move the replay slider to the end without redrawing
            self.frame.value = FRAMES - 1
            self._replaying = False

    # --- replay, size, presets ---------------------------------------------------------------

    def frame_epoch(self, frame):
        """The epoch animation frame ``frame`` (0 to ``FRAMES - 1``) shows: evenly spread over the run."""
        last = len(self.run.losses) - 1
        return int(round(frame * last / (FRAMES - 1)))

    def _show_frame(self, change):
        if self._replaying or not self._idle.is_set():  # a run is being computed: it owns the picture
            return
        with self._draw_lock:
            self.image.value = self.plot.render(self.run, upto=self.frame_epoch(change["new"]), previous=self.previous,
                                                trace=self.trace, description=describe(self.shown))

    def _resize(self, change):
        with self._draw_lock:
            self.plot = LivePlot(SIZES[change["new"]])
            self._paint(self.run, self.shown, self.trace, None)

    def apply(self, **settings):
        """Set several controls at once, for one run: ``lr``, ``epochs``, ``n_hidden``, ``seed``, ``bugs``."""
        values = dict(START, **settings)
        self._batch = True
        try:
            for name in ("lr", "epochs", "n_hidden", "seed"):
                self.controls[name].value = values[name]
            for name in bugs.BUGS:
                self.controls[name].value = name in values["bugs"]
        finally:
            self._batch = False
        self.request()


@functools.lru_cache(maxsize=None)
def _limit(bug_names, n_hidden, seed):
    """``2 / lambda_max`` at the initial parameters (``stability.max_stable_lr``), or None: with the
    gradient bug (its steps are not gradient descent on the MSE) or if it cannot be measured."""
    if "gradient" in bug_names:
        return None
    x = bugs.inputs(bug_names)[0]
    try:
        return stability.max_stable_lr(bugs.initial_params(bug_names, n_hidden, seed), x, bugs.Y)
    except (ValueError, RuntimeError):  # no upward curvature, or power iteration did not settle
        return None


def playground(learning_rate_only=False, **settings):
    """Build the playground widget; ``learning_rate_only=True`` shows only the learning-rate slider.

    ``settings`` are the starting values: ``lr`` (0.1), ``epochs`` (500), ``n_hidden`` (10), ``seed`` (0).
    """
    _check(settings)
    return Playground(learning_rate_only, **settings)


def _check(settings):
    unknown = set(settings) - {"lr", "epochs", "n_hidden", "seed"}
    if unknown:
        raise ValueError(f"unknown setting {sorted(unknown)}; expected lr, epochs, n_hidden or seed")
    bugs.check_settings(**settings, lr_range=LR_RANGE)  # a ValueError here, before any widget exists


def still(learning_rate_only=False, scale=1.0, **settings):
    """PNG bytes of what the playground shows at these settings, with the settings and status on top."""
    _check(settings)
    s = dict(START, **settings)
    run, trace = compute(s)
    return LivePlot(scale, caption=True).render(run, trace=trace, caption=(run.status, describe(s, learning_rate_only)))


def preview(learning_rate_only=False, **settings):
    """Display ``still(...)`` as an ordinary image output: what a reader without a kernel sees of the widget."""
    from IPython.display import Image as PNG, display
    display(PNG(still(learning_rate_only, **settings)))
