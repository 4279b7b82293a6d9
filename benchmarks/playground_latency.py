"""How fast does the playground answer a slider? Measured against a plain inline-matplotlib slider.

Both do the same training (``helpers.bugs.run``, default settings: 500 epochs, 10 hidden units,
1000 points); they differ in how they draw. The plain one does what most notebooks do: a new
figure per change, shown by the inline backend (a PNG of the whole figure, tight bounding box) in
an ``interactive`` output area. The playground (``helpers.live``) repaints only its curves.

1. In the kernel: one update, computed and drawn (PNG bytes ready), median over ``--rounds``,
   and what it is made of (training, the sharpness trace, drawing).
2. In a real browser (JupyterLab + Chromium driven by Playwright, ``tests/jupyterlab_driver.py``):
   from the mouse release on the slider to the new plot painted, median over ``--rounds`` quick
   drags, the two sliders dragged in turn in the same page; the animation's frame rate. The plain
   slider sends its value on release; the playground paints during the drag, so for it this is the
   release to its last picture, the released value's.
3. Following the hand: the learning-rate handle held and moved slowly (3 s) from 0.01 to 10:
   new pictures per second while the button is held, how many different values they showed, and
   from the release to the last picture painted (which must be the released value's: no stale
   frame after it). Also at the heaviest settings the controls allow (5000 epochs, 50 units),
   dragged 0.01 to 0.1, where every run takes about a second: release to the released value's
   first picture (it grows from there) and to its finished run.

    python benchmarks/playground_latency.py [--rounds 15] [--drags 3] [--kernel-only]

Numbers depend on the machine and its load (printed at the start and the end); the ratios are the point.
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import nbformat  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the JupyterLab/Chromium driver, shared with the browser test
import jupyterlab_driver as driver  # noqa: E402
import numpy as np  # noqa: E402

from helpers import bugs, live  # noqa: E402

#: The plain slider's drawing: one source, run here in-process and in the browser's kernel.
PLAIN = '''
import matplotlib.pyplot as plt
from helpers import bugs

def plain_plot(lr):
    """What a straightforward slider does: train, then draw a brand-new figure."""
    run = bugs.run(lr=lr)
    fig, (loss_ax, fit_ax) = plt.subplots(1, 2, figsize=(8.6, 3.1))
    loss_ax.semilogy(run.losses)
    loss_ax.set(xlabel="epoch", ylabel="training MSE", title="loss (log scale)")
    fit_ax.plot(bugs.X_RAW[:, 0], bugs.Y[:, 0], ".", ms=2, color="0.6")
    fit_ax.plot(bugs.X_RAW[bugs.CURVE, 0], run.curves[-1])
    fit_ax.set(xlabel="x", ylabel="y", title="fit over the training data")
    return fig, run.status
'''
PLAIN_WIDGET = '''
import ipywidgets as widgets

def show(lr):
    fig, status = plain_plot(lr)
    print(status)
    plt.show()

plain = widgets.interactive(show, lr=widgets.FloatLogSlider(
    value=0.1, base=10, min=-4, max=1, step=0.05, continuous_update=False, description="plain lr"))
plain.add_class("plain-slider")
plain
'''
PLAYGROUND = '''
from helpers.live import playground
playground()
'''
#: Drag targets on the log track (-4 to 1): lr = 0.056 and 0.18, both train normally.
FRACTIONS = (0.55, 0.65)

#: In the page: note the mouse release, and resolve once a new <img> under ``root`` is painted.
WATCH_JS = """
(root) => {
  if (!window.__releaseHooked) {
    window.addEventListener('mouseup', () => { window.__release = performance.now(); }, true);
    window.__releaseHooked = true;
  }
  window.__pending = new Promise((resolve) => {
    const done = (img) => {
      observer.disconnect();
      img.decode().catch(() => null).then(() => requestAnimationFrame(
        () => resolve(performance.now() - window.__release)));
    };
    const observer = new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === 'attributes' && m.target.tagName === 'IMG') { done(m.target); return; }
        for (const node of m.addedNodes) {
          const img = node.tagName === 'IMG' ? node : (node.querySelector && node.querySelector('img'));
          if (img) { done(img); return; }
        }
      }
    });
    observer.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 20000);
  });
}
"""
#: In the page: timestamps of the playground's plot changes, to measure the animation.
FRAMES_JS = """
(img) => {
  window.__frames = [];
  new MutationObserver(() => window.__frames.push(performance.now()))
    .observe(img, {attributes: true, attributeFilter: ['src']});
}
"""


def median_ms(times):
    return 1000 * statistics.median(times)


def timed(f):
    """Run ``f()``; return (wall seconds, CPU seconds of this process): CPU time shrugs off other load."""
    wall, cpu = time.perf_counter(), time.process_time()
    f()
    return time.perf_counter() - wall, time.process_time() - cpu


def machine():
    """One line: cores, load, numpy's SIMD level and BLAS (the figures depend on all of them)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
        simd = next((level for level in ("X86_V4", "X86_V3", "X86_V2", "ASIMD", "NEON") if features.get(level)), "baseline")
    except ImportError:
        simd = "unknown"
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas['name']} {blas.get('version', '')}".strip()
    except (KeyError, TypeError):
        blas = "unknown BLAS"
    load = f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "load unknown"
    return f"{os.cpu_count()} cores, numpy {np.__version__} SIMD {simd}, {blas}, {load}"


def kernel_medians(rounds):
    """(wall, cpu) seconds of one update, playground and plain figure (inline-style PNG), and a frame."""
    namespace = {}
    exec(PLAIN, namespace)  # noqa: S102 - our own constant source, shared with the notebook cell
    plain_plot, plt = namespace["plain_plot"], namespace["plt"]
    pg = live.playground()

    def plain(lr):
        fig, _ = plain_plot(lr)
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # what the inline backend sends
        plt.close(fig)

    def frame():
        pg.frame.value = 30
        pg.frame.value = live.FRAMES - 1

    ours, theirs, frames = [], [], []
    for i in range(rounds + 2):
        lr = 0.1 * (1 + i % 2)
        ours.append(timed(lambda: setattr(pg.controls["lr"], "value", lr)))
        theirs.append(timed(lambda: plain(lr)))
        frames.append([t / 2 for t in timed(frame)])
    return ours[2:], theirs[2:], frames[2:]  # the first rounds warm caches up


def kernel_parts(rounds, **settings):
    """Median ms of one update's parts: training (with snapshots), the sharpness trace, drawing."""
    s, plot, parts = dict(live.START, **settings), live.LivePlot(), {"train": [], "sharpness": [], "draw": []}
    for i in range(rounds + 2):
        s["lr"] = 0.1 * (1 + i % 2)
        t0 = time.perf_counter()
        run = live._train(s, live.snapshot_every(s["epochs"]))
        t1 = time.perf_counter()
        trace = live.SharpnessTrace(run.bugs).update(run.snapshots)
        t2 = time.perf_counter()
        plot.render(run, trace=trace, description=live.describe(s))
        t3 = time.perf_counter()
        if i >= 2:
            for name, t in zip(parts, (t1 - t0, t2 - t1, t3 - t2)):
                parts[name].append(t)
    return {name: median_ms(t) for name, t in parts.items()}


def lr_fraction(lr):
    """Where ``lr`` sits on the slider's track (log10 lr from -4 to 1)."""
    return (np.log10(lr) + 4) / 5


def settle(page, status, quiet=1.5, timeout=60):
    """Wait until the status is not ``running`` and no picture changed for ``quiet`` seconds."""
    deadline, last_count, last_change = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        count = page.evaluate("window.__pictures ? window.__pictures.length : 0")
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        if time.monotonic() - last_change > quiet and not status.inner_text().startswith("running"):
            return
        time.sleep(0.05)
    raise RuntimeError("the playground did not settle")


def slow_drag(page, pg, start_lr, end_lr, seconds=3.0):
    """Hold the lr handle and move it from ``start_lr`` to ``end_lr``; what the browser painted, and when."""
    lr, status = pg.locator(".live-playground-lr"), pg.locator(".live-playground-status")
    plot = pg.locator("img.live-playground-plot")
    driver.record_pictures(plot)
    driver.type_into_readout(page, lr, f"{start_lr:g}")
    settle(page, status)
    driver.record_pictures(plot)  # start counting afresh
    driver.slow_drag(page, lr, lr_fraction(start_lr), lr_fraction(end_lr), seconds)
    settle(page, status)
    pictures, mouse = driver.recorded(page)
    down = max(t for kind, t in mouse if kind == "mousedown")
    up = max(t for kind, t in mouse if kind == "mouseup")
    held = [text for t, text in pictures if down <= t <= up]
    final = pictures[-1][1]
    first = len(pictures) - 1  # the first picture of the released value's run (it may grow)
    while first > 0 and pictures[first - 1][1] == final:
        first -= 1
    return dict(rate=len(held) / ((up - down) / 1000), values=len(set(held)), held=len(held),
                first_ms=max(0.0, pictures[first][0] - up), settled_ms=max(0.0, pictures[-1][0] - up),
                final=final, status=status.inner_text())


def browser_medians(rounds, drags):
    """Release to painted plot (playground, plain), animation fps, and slow drags at two settings."""
    import playwright.sync_api as api
    with tempfile.TemporaryDirectory() as tmp:
        nb = new_notebook(cells=[new_code_cell(PLAIN + PLAIN_WIDGET), new_code_cell(PLAYGROUND)],
                          metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                                   "language": "python"}})
        path = Path(tmp) / "latency.ipynb"
        nbformat.write(nb, path)
        with driver.jupyterlab(tmp, [path]) as (base, token), driver.chromium_page(api) as page:
            driver.open_and_run_all(page, base, token, "latency.ipynb", "still improving")
            page.locator(".live-playground-status").first.wait_for()
            pg, plain_root = page.locator(".live-playground").first, page.locator(".plain-slider").first
            status = pg.locator(".live-playground-status")
            times = {"playground": [], "plain": []}
            for i in range(rounds + 1):
                # the playground paints while the handle moves: time the release to its *last* picture
                pg.scroll_into_view_if_needed()
                driver.record_pictures(pg.locator("img.live-playground-plot"))
                driver.drag_slider(page, pg.locator(".live-playground-lr"), FRACTIONS[i % 2])
                settle(page, status, quiet=1.0)
                pictures, mouse = driver.recorded(page)
                up = max(t for kind, t in mouse if kind == "mouseup")
                # the plain slider sends one value, on release: time the release to its new picture
                plain_root.scroll_into_view_if_needed()
                plain_root.evaluate(WATCH_JS)
                driver.drag_slider(page, plain_root.locator(".widget-slider").first, FRACTIONS[i % 2])
                ms = page.evaluate("window.__pending")
                if ms is None or not pictures:
                    raise RuntimeError("a plot did not change within 20 s")
                if i:  # round 0 warms up
                    times["playground"].append(max(0.0, pictures[-1][0] - up) / 1000)
                    times["plain"].append(ms / 1000)
                time.sleep(0.3)  # let the kernel settle between drags
            plot = page.locator("img.live-playground-plot").first
            plot.evaluate(FRAMES_JS)
            page.locator(".live-playground .widget-play button").first.click()
            time.sleep(live.FRAMES * live.FRAME_MS / 1000 + 2)
            stamps = page.evaluate("window.__frames")

            pg = page.locator(".live-playground").first
            pg.scroll_into_view_if_needed()
            light = [slow_drag(page, pg, 0.01, 10.0) for _ in range(drags)]
            for name, value in (("epochs", bugs.MAX_EPOCHS), ("hidden units", 50)):
                driver.type_into_readout(page, pg.locator(".widget-slider").filter(has_text=name), str(value))
            heavy = [slow_drag(page, pg, 0.01, 0.1) for _ in range(drags)]
    fps = (len(stamps) - 1) / ((stamps[-1] - stamps[0]) / 1000) if len(stamps) > 1 else float("nan")
    return times["playground"], times["plain"], fps, len(stamps), light, heavy


def report_drags(title, drags):
    median = {key: statistics.median(d[key] for d in drags) for key in ("rate", "values", "first_ms", "settled_ms")}
    print(f"  {title}")
    print(f"    pictures while the button is held   {median['rate']:5.1f} per second "
          f"({median['values']:.0f} different values; target >= 8 per second)")
    print(f"    release -> released value's first picture {median['first_ms']:6.0f} ms (target <= 300 ms)")
    print(f"    release -> settled (last picture)          {median['settled_ms']:6.0f} ms")
    for d in drags:
        print(f"      drag: {d['held']} pictures, last one {d['final']!r}; status {d['status'][:50]!r}")
    return median


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--drags", type=int, default=3, help="slow drags per setting")
    parser.add_argument("--kernel-only", action="store_true", help="skip the browser measurement")
    args = parser.parse_args()
    print(f"machine at the start: {machine()}")

    ours, plain, frames = kernel_medians(args.rounds)
    wall = {name: median_ms([t[0] for t in runs]) for name, runs in (("ours", ours), ("plain", plain), ("frame", frames))}
    cpu = {name: median_ms([t[1] for t in runs]) for name, runs in (("ours", ours), ("plain", plain), ("frame", frames))}
    parts = kernel_parts(args.rounds)
    heavy_parts = kernel_parts(max(2, args.rounds // 5), epochs=bugs.MAX_EPOCHS, n_hidden=50)
    print(f"\nkernel: one update at default settings, computed and drawn (median of {len(ours)}; wall / CPU)")
    print(f"  playground (blitting, 3 panels)  {wall['ours']:6.1f} / {cpu['ours']:5.1f} ms   target <= 100 ms")
    print(f"  plain inline-matplotlib figure   {wall['plain']:6.1f} / {cpu['plain']:5.1f} ms   "
          f"ratio plain / playground {wall['plain'] / wall['ours']:.1f} / {cpu['plain'] / cpu['ours']:.1f}")
    print(f"  one animation frame (redraw only) {wall['frame']:5.1f} / {cpu['frame']:5.1f} ms")
    for name, p in (("500 epochs, 10 units", parts), ("5000 epochs, 50 units", heavy_parts)):
        print(f"  parts at {name}: training {p['train']:.1f} ms, sharpness trace {p['sharpness']:.1f} ms, "
              f"drawing {p['draw']:.1f} ms")
    if args.kernel_only:
        return
    reason = driver.browser_missing()
    if reason:
        print(f"\nbrowser: skipped, {reason}")
        return
    ours, plain, fps, n_frames, light, heavy = browser_medians(args.rounds, args.drags)
    print(f"\nbrowser: mouse release to the released value's plot painted, JupyterLab + Chromium (median of {len(ours)})")
    print(f"  playground (blitting)            {median_ms(ours):6.1f} ms   target <= 150 ms")
    print(f"  plain inline-matplotlib slider   {median_ms(plain):6.1f} ms   "
          f"ratio plain / playground {statistics.median(plain) / statistics.median(ours):.1f}")
    print(f"  animation: {n_frames} frames at {fps:.0f} frames/s (target >= 10)")
    print(f"\nbrowser: following the hand, lr handle held and moved over 3 s (median of {len(light)} drags each)")
    a = report_drags("lr 0.01 -> 10 at 500 epochs, 10 units (ends diverged)", light)
    b = report_drags(f"lr 0.01 -> 0.1 at {bugs.MAX_EPOCHS} epochs, 50 units (every run about a second)", heavy)
    print(f"\nmachine at the end: {machine()}")
    print("\n=== figures for the README ===")
    print(f"one update in the kernel (500 epochs, 10 units, train + sharpness + draw): {wall['ours']:.0f} ms "
          f"(plain slider {wall['plain']:.0f} ms, {wall['plain'] / wall['ours']:.1f}x)")
    print(f"mouse release -> new plot painted: {median_ms(ours):.0f} ms (plain slider {median_ms(plain):.0f} ms, "
          f"{statistics.median(plain) / statistics.median(ours):.1f}x)")
    print(f"animation: {fps:.0f} frames/s")
    print(f"slow drag 0.01 -> 10: {a['rate']:.1f} pictures/s while held; release -> settled {a['settled_ms']:.0f} ms")
    print(f"slow drag at 5000 epochs x 50 units: {b['rate']:.1f} pictures/s while held; release -> first picture "
          f"{b['first_ms']:.0f} ms, -> finished run {b['settled_ms']:.0f} ms")


if __name__ == "__main__":
    main()
