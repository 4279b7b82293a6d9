"""Regenerate the README's pictures from the project's own code: ``python images/make_images.py``.

Run it from the repository root after changing anything the pictures show (the replay in
``helpers.original``, the training in ``helpers.train``, the playground's drawing in
``helpers.live``); ``tests/test_readme_images.py`` fails while a committed picture is stale.

- ``loss_explodes_and_falls.png``: the question's program replayed (``original.run_original``),
  its printed 'loss' and its true MSE, beside the same network with the four fixes
  (``train.train`` on ``data.make_data``, as notebook 05 trains it).
- ``playground_drag.gif``: the playground's own picture (``helpers.live``) while the learning
  rate is dragged from a run that falls to one that diverges, each run over the faint previous one.

Deterministic: matplotlib's Agg backend, a fixed size and DPI, no date or version in the files.
"""
import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot is ever imported anywhere: no window, same pixels everywhere

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from helpers import bugs, data, live, net, original, stability, train  # noqa: E402

HERE = Path(__file__).resolve().parent
DPI = 100
LOSSES_FILE = "loss_explodes_and_falls.png"
PLAYGROUND_FILE = "playground_drag.gif"
#: The matplotlib version that drew the committed pictures: another version may lay out text a
#: pixel apart, so the test compares pixels only under this one (see tests/test_readme_images.py).
MATPLOTLIB = "3.11"

#: The drag: slider positions of the playground's learning rate (its slider moves in steps of
#: 10**0.05), from runs that converge, past 2/lambda_max, to runs that stall and then diverge,
#: with the epochs slider at DRAG_EPOCHS. Kept away from 2/lambda_max itself: there (lr 0.25)
#: a catapult spike moved pixels when another CPU was emulated (OPENBLAS_CORETYPE,
#: NPY_DISABLE_CPU_FEATURES), and the status word flips between neighbouring positions.
DRAG_LRS = [10.0 ** e for e in (-1.5, -1.0, -0.8, -0.2, 0.0, 0.2, 0.5)]
DRAG_EPOCHS = 1000
FRAME_MS, LAST_FRAME_MS = 900, 2500


# --- (a) the question's loss explodes, the fixed network's falls ---------------------------

def draw_losses():
    """The two-panel figure: the replay of the question's program | the fixed network."""
    run = original.run_original(seed=0, epochs=4)  # the question printed four losses
    x_raw, y = data.make_data(n=1000, seed=0)
    x = data.standardize(x_raw, x_raw.mean(), x_raw.std())
    lr, epochs = original.LR_FIXED, 5000
    fixed = train.train(net.init_params(n_hidden=10, seed=0), x, y, lr, epochs)

    fig = Figure(figsize=(8, 3.5), dpi=DPI)
    left, right = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.085, right=0.97, bottom=0.135, top=0.815, wspace=0.28)

    steps = np.arange(1, len(run.mse) + 1)
    negative = run.printed < 0
    left.semilogy(steps, run.mse, "o-", color="C3", label="true MSE")
    left.semilogy(steps, np.abs(run.printed), "s--", color="0.45", label="|printed 'loss'|")
    left.semilogy(steps[negative], np.abs(run.printed[negative]), "v", color="C0", ms=9,
                  label="printed 'loss' was negative")
    for step, printed in zip(steps, run.printed):  # what the question's loop printed, as it printed it
        left.annotate(f"loss {printed:.2g}", (step, abs(printed)), textcoords="offset points",
                      xytext=(9, -9), ha="left", fontsize=7.5, color="0.3")
    if run.diverged_at is not None:  # the values after it are what the program computed, not a fit
        step = run.diverged_at + 1
        left.axvline(step, color="C3", lw=1, ls=":")
        left.text(step + 0.07, 1e44, f"diverged at\nstep {step}",
                  ha="left", va="top", fontsize=8, color="C3")
    left.set(xticks=steps, xlim=(0.6, len(steps) + 1.3), ylim=(1e-6, 1e75), yticks=10.0 ** np.arange(0, 75, 15),
             xlabel="step", ylabel="value (log scale)")
    left.set_title("The question's program (lr = 1)", fontsize=10.5)
    left.legend(fontsize=7.5, loc="upper left")

    epoch = np.arange(len(fixed.losses))
    right.semilogy(epoch, fixed.losses, color="C2", lw=2, label="training MSE")
    right.axhline(np.var(y), color="0.6", ls="--", lw=1, label="var(y): always predicting the mean")
    right.set(xlim=(0, epochs), ylim=(0.01, 300), xlabel="epoch", ylabel="training MSE (log scale)")
    right.set_title(f"With the four fixes (lr = {lr:g})", fontsize=10.5)
    right.legend(fontsize=7.5, loc="upper right", bbox_to_anchor=(1, 0.86))
    right.text(0.96, 0.5, f"MSE {fixed.losses[0]:.2g} → {fixed.final_loss:.1g}\nafter {epochs} epochs",
               transform=right.transAxes, ha="right", fontsize=8.5, color="C2")
    shown = ", ".join(f"{v:.1g}" for v in run.printed)
    fig.suptitle(f"The question's printed 'loss' went {shown}: its true loss exploded.\n"
                 "The same network with its four bugs fixed: the loss falls.", fontsize=10.5, y=0.985)
    return _to_image(fig)


# --- (b) the playground while the learning rate is dragged -------------------------------

def draw_playground(traced_runs):
    """The playground's own pictures (``helpers.live.LivePlot``) for ``[(run, sharpness trace), ...]``.

    The only place this script touches the playground's drawing: restyle ``helpers.live`` and
    this picture follows. As in the playground during a drag, the faint curve is the run from
    before the drag began (the first one).
    """
    plot = live.LivePlot()
    previous = traced_runs[0][0].losses
    for run, trace in traced_runs:
        yield Image.open(io.BytesIO(plot.render(run, previous=previous, trace=trace))).convert("RGB")


def caption(text, width):
    """A one-line strip of ``text``, ``width`` pixels wide, drawn by matplotlib (same fonts everywhere)."""
    fig = Figure(figsize=(width / DPI, 0.3), dpi=DPI)
    fig.text(0.012, 0.5, text, va="center", fontsize=10)
    return _to_image(fig)


def playground_frames():
    """One frame per learning rate of ``DRAG_LRS``: the playground's picture under its status."""
    traced_runs = [live.compute(dict(live.START, lr=lr, epochs=DRAG_EPOCHS)) for lr in DRAG_LRS]
    x, _ = bugs.inputs()
    limit = stability.max_stable_lr(bugs.initial_params(), x, bugs.Y)  # 2/lambda_max at the start
    frames = []
    for (run, _), picture in zip(traced_runs, draw_playground(traced_runs)):
        word = run.status.split(" (")[0] if run.diverged_at is not None else run.status.split(":")[0]
        text = f"learning rate {run.lr:.2g} = {run.lr / limit:.2g} × $2/\\lambda_{{max}}$  →  {word}"
        strip = caption(text, picture.width)
        frame = Image.new("RGB", (picture.width, picture.height + strip.height), "white")
        frame.paste(strip, (0, 0))
        frame.paste(picture, (0, strip.height))
        frames.append(frame)
    return frames


# --- files --------------------------------------------------------------------------------

def _to_image(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())


def save_gif(frames, path):
    """An endless animated GIF; one shared palette, so every frame maps colours the same way."""
    strip = Image.new("RGB", (frames[0].width, frames[0].height * len(frames)))
    for i, frame in enumerate(frames):  # the palette sees every frame's colours
        strip.paste(frame, (0, i * frame.height))
    palette = strip.quantize(colors=128, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    quantized = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
    quantized[0].save(path, save_all=True, append_images=quantized[1:], duration=durations, loop=0,
                      optimize=False, disposal=1)


def make_images(out_dir=HERE):
    """Draw every README picture into ``out_dir``; return ``{file name: path}``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / name for name in (LOSSES_FILE, PLAYGROUND_FILE)}
    draw_losses().save(paths[LOSSES_FILE], format="png", optimize=True)  # Pillow writes no date or version
    save_gif(playground_frames(), paths[PLAYGROUND_FILE])
    return paths


if __name__ == "__main__":
    if not matplotlib.__version__.startswith(MATPLOTLIB + "."):
        print(f"note: drawn with matplotlib {matplotlib.__version__}; set MATPLOTLIB = "
              f"{'.'.join(matplotlib.__version__.split('.')[:2])!r} in this script", file=sys.stderr)
    for name, path in make_images().items():
        print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
              f"{path.stat().st_size / 1024:.0f} KiB")
