"""The playground: drag the learning rate, switch the question's bugs on and off, watch the loss.

``playground()`` returns an ipywidgets widget; ``playground(learning_rate_only=True)`` shows the
learning-rate slider alone. Every change retrains with ``bugs.run`` (tens of milliseconds) and
redraws; sliders send their value when the mouse is released (``continuous_update=False``),
so a drag never queues a backlog of stale runs.

Why the drawing is fast. Drawing a matplotlib figure from scratch takes several times longer than
training it here (``benchmarks/playground_latency.py``), most of it laying out tick labels and titles. Here the figure is drawn once, without the changing
lines, and kept as a bitmap (the *background*); an update pastes the background back and draws
only the lines on top ("blitting"), then sends the pixels as a PNG to an ``ipywidgets.Image``,
which the browser swaps in place: no flicker, no new output area. That works because the axes
never move: the loss axis spans a fixed ``LOSS_RANGE`` (every run on the same scale) and the
fit axis the data's range; only a new number of epochs redraws the background.
Nothing non-finite is ever drawn: ``bugs.run`` keeps only finite losses and curves, and the
values are clipped to just outside the axes.
"""
import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import bugs, stability

#: The loss axis (log scale), fixed so every run is drawn on the same scale.
LOSS_RANGE = (1e-3, 1e9)
LR_RANGE = (1e-4, 10.0)
FRAMES = 60  # animation frames per run
FRAME_MS = 60  # one frame every 60 ms: about 16 frames a second
DPI = 80
CLASS = "live-playground"  # CSS classes below start with this, for tests and styling


class LivePlot:
    """A two-panel figure (loss curve | fit over the data) redrawn by blitting into PNG bytes."""

    def __init__(self, epochs):
        fig = Figure(figsize=(8.6, 3.1), dpi=DPI)
        self.canvas = FigureCanvasAgg(fig)
        self.fig = fig
        loss_ax, fit_ax = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.08, right=0.985, bottom=0.16, top=0.9, wspace=0.22)
        loss_ax.set(yscale="log", ylim=LOSS_RANGE, xlabel="epoch", ylabel="training MSE")
        loss_ax.set_title("loss (log scale)", y=1.0)  # an explicit y skips the costly title layout
        loss_ax.minorticks_off()
        self.previous, = loss_ax.plot([], [], color="0.75", lw=1.5, label="previous run", animated=True)
        self.current, = loss_ax.plot([], [], color="C0", lw=1.8, label="this run", animated=True)
        self.blowup, = loss_ax.plot([], [], "x", color="C3", ms=9, mew=2.5, label="diverged", animated=True)
        loss_ax.legend(loc="upper right", fontsize=8)

        x, y = bugs.X_RAW[:, 0], bugs.Y[:, 0]
        pad = 0.1 * np.ptp(y)
        fit_ax.plot(x, y, ".", ms=2, color="0.6", label="data")
        self.fit, = fit_ax.plot([], [], color="C1", lw=2, label="network", animated=True)
        fit_ax.set(xlim=(x.min(), x.max()), ylim=(y.min() - pad, y.max() + pad), xlabel="x", ylabel="y")
        fit_ax.set_title("fit over the training data", y=1.0)
        fit_ax.legend(loc="upper center", fontsize=8)
        self.loss_ax, self.fit_ax = loss_ax, fit_ax
        self.fit_clip = (y.min() - 10 * pad, y.max() + 10 * pad)
        self.curve_x = x[bugs.CURVE]
        self.epochs = None
        self.set_epochs(epochs)

    def set_epochs(self, epochs):
        """Rescale the epoch axis and redraw the background (the only full draw)."""
        if epochs == self.epochs:
            return
        self.epochs = epochs
        self.loss_ax.set_xlim(0, max(epochs, 1))
        self.canvas.draw()  # animated artists are left out of this
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def render(self, run, upto=None, previous=None):
        """PNG bytes showing ``run`` up to epoch ``upto`` (default: all) over ``previous`` losses."""
        self.set_epochs(run.epochs)
        last = len(run.losses) - 1 if upto is None else min(upto, len(run.losses) - 1)
        low, high = LOSS_RANGE
        losses = np.clip(run.losses[: last + 1], low, high)
        self.current.set_data(np.arange(last + 1), losses)
        if previous is not None and len(previous):
            self.previous.set_data(np.arange(len(previous)), np.clip(previous, low, high))
        else:
            self.previous.set_data([], [])
        if run.diverged_at is not None and last == len(run.losses) - 1:  # mark where it left the plot
            self.blowup.set_data([run.diverged_at], [high])
        else:
            self.blowup.set_data([], [])
        if last >= 0:
            self.fit.set_data(self.curve_x, np.clip(run.curves[last], *self.fit_clip))
        else:
            self.fit.set_data([], [])

        self.canvas.restore_region(self.background)
        for artist in (self.previous, self.current, self.blowup, self.fit):
            self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="png", compress_level=1)  # fast beats small here
        return out.getvalue()


def lr_scale_html(lr, limit):
    """A small log scale from 1e-4 to 10 with the current ``lr`` (dot) and ``2/lambda_max`` (bar)."""
    lo, hi = np.log10(LR_RANGE)

    def at(v):
        return f"{100 * (np.log10(v) - lo) / (hi - lo):.1f}%"

    ticks = "".join(
        f'<span style="position:absolute;left:{at(10.0**k)};top:12px;font-size:10px;'
        f'transform:translateX(-50%)">1e{k}</span>' for k in range(int(lo), int(hi) + 1)
    )
    mark = ""
    if limit is not None and LR_RANGE[0] <= limit <= LR_RANGE[1]:
        mark = (f'<span class="{CLASS}-limit" title="2/lambda_max at the initial parameters" style="position:absolute;'
                f'left:{at(limit)};top:0;width:3px;height:12px;background:#d62728"></span>')
    dot = (f'<span style="position:absolute;left:{at(lr)};top:2px;width:8px;height:8px;border-radius:4px;'
           f'background:#1f77b4;transform:translateX(-50%)"></span>')
    return (f'<div style="position:relative;width:360px;height:26px;margin-left:8px">'
            f'<div style="position:absolute;left:0;right:0;top:5px;height:2px;background:#bbb"></div>'
            f'{ticks}{mark}{dot}</div>')


class Playground(widgets.VBox):
    """The widget ``playground()`` returns. State is real here: the controls, the figure, the last run.

    ``controls`` maps names (``lr``, ``epochs``, ``n_hidden``, ``seed`` and the ``bugs.BUGS``) to
    widgets; ``status`` is the status ``Label``; ``run`` the latest ``bugs.Run``.
    """

    def __init__(self, learning_rate_only=False, lr=0.1, epochs=500, n_hidden=10, seed=0):
        slider = dict(continuous_update=False, style={"description_width": "110px"},
                      layout=widgets.Layout(width="420px"))
        lr_slider = widgets.FloatLogSlider(
            value=lr, base=10, min=np.log10(LR_RANGE[0]), max=np.log10(LR_RANGE[1]), step=0.05,
            description="learning rate", readout_format=".3g", **slider)
        self.controls = {
            "lr": lr_slider,
            "epochs": widgets.IntSlider(value=epochs, min=1, max=bugs.MAX_EPOCHS, description="epochs", **slider),
            "n_hidden": widgets.IntSlider(value=n_hidden, min=1, max=max(50, n_hidden), description="hidden units",
                                          **slider),
            "seed": widgets.IntSlider(value=seed, min=0, max=max(20, seed), description="init seed", **slider),
        }
        for name in bugs.BUGS:
            self.controls[name] = widgets.Checkbox(value=False, description=bugs.LABELS[name], indent=False,
                                                   layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
        lr_slider.add_class(f"{CLASS}-lr")
        self.ratio = widgets.Label()
        self.scale = widgets.HTML()
        self.status = widgets.Label(layout=widgets.Layout(margin="4px 0 0 8px"))
        self.status.add_class(f"{CLASS}-status")
        self.image = widgets.Image(format="png")
        self.image.add_class(f"{CLASS}-plot")
        self.play = widgets.Play(value=FRAMES - 1, min=0, max=FRAMES - 1, interval=FRAME_MS,
                                 tooltip="animate the run, epoch by epoch")
        self.frame = widgets.IntSlider(value=FRAMES - 1, min=0, max=FRAMES - 1, readout=False,
                                       description="replay", style={"description_width": "50px"})
        widgets.jslink((self.play, "value"), (self.frame, "value"))

        rows = [widgets.HBox([lr_slider, self.ratio]), self.scale]
        if not learning_rate_only:
            rows += [widgets.HBox([self.controls[k] for k in ("epochs", "n_hidden")]),
                     widgets.HBox([self.controls["seed"]]),
                     widgets.HBox([self.controls[k] for k in bugs.BUGS])]
        rows += [widgets.HBox([self.play, self.frame]), self.status, self.image]
        super().__init__(rows)
        self.add_class(CLASS)

        self.plot = LivePlot(epochs)
        self.run = None
        self.previous = None
        self._limits = {}
        self._replaying = False
        for control in self.controls.values():
            control.observe(self.update, names="value")
        self.frame.observe(self._show_frame, names="value")
        self.update()

    def settings(self):
        """The current control values as ``bugs.run`` keyword arguments."""
        c = self.controls
        return dict(bugs=tuple(b for b in bugs.BUGS if c[b].value), lr=c["lr"].value,
                    epochs=c["epochs"].value, n_hidden=c["n_hidden"].value, seed=c["seed"].value)

    def update(self, change=None):
        """Retrain with the current settings and draw the finished run over the previous one."""
        s = self.settings()
        self.controls["lr"].disabled = "learning_rate" in s["bugs"]
        if self.run is not None:
            self.previous = self.run.losses
        self.run = bugs.run(**s)
        self.image.value = self.plot.render(self.run, previous=self.previous)
        self.status.value = self.run.status
        self.ratio.value = f"update/weight {self.run.update_ratio:.1e} (median step; about 1e-3 is healthy)"
        self.scale.value = lr_scale_html(self.run.lr, self._limit(s))
        self._replaying = True  # move the replay slider to the end without redrawing
        self.frame.value = FRAMES - 1
        self._replaying = False

    def _limit(self, s):
        """``2 / lambda_max`` at the initial parameters (``stability.max_stable_lr``), cached.

        None with the gradient bug: those steps are not gradient descent on the MSE, so the
        limit says nothing about them.
        """
        if "gradient" in s["bugs"]:
            return None
        key = (s["bugs"], s["n_hidden"], s["seed"])
        if key not in self._limits:
            x, _ = bugs.inputs(s["bugs"])
            try:
                self._limits[key] = stability.max_stable_lr(bugs.initial_params(*key), x, bugs.Y)
            except (ValueError, RuntimeError):  # no upward curvature, or power iteration did not settle
                self._limits[key] = None
        return self._limits[key]

    def frame_epoch(self, frame):
        """The epoch animation frame ``frame`` (0 to ``FRAMES - 1``) shows: evenly spread over the run."""
        last = len(self.run.losses) - 1
        return int(round(frame * last / (FRAMES - 1)))

    def _show_frame(self, change):
        if self._replaying:
            return
        self.image.value = self.plot.render(self.run, upto=self.frame_epoch(change["new"]), previous=self.previous)


def playground(learning_rate_only=False, **settings):
    """Build the playground widget; ``learning_rate_only=True`` shows only the learning-rate slider.

    ``settings`` are the starting values: ``lr`` (0.1), ``epochs`` (500), ``n_hidden`` (10), ``seed`` (0).
    """
    unknown = set(settings) - {"lr", "epochs", "n_hidden", "seed"}
    if unknown:
        raise ValueError(f"unknown setting {sorted(unknown)}; expected lr, epochs, n_hidden or seed")
    bugs.check_settings(**settings, lr_range=LR_RANGE)  # a ValueError here, before any widget exists
    return Playground(learning_rate_only, **settings)
