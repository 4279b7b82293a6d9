"""How fast does the playground answer a slider? Measured against a plain inline-matplotlib slider.

Both do the same training (``helpers.bugs.run``, default settings: 500 epochs, 10 hidden units,
1000 points); they differ in how they draw. The plain one does what most notebooks do: a new
figure per change, shown by the inline backend (a PNG of the whole figure, tight bounding box) in
an ``interactive`` output area. The playground (``helpers.live``) repaints only its curves.

1. In the kernel: one update, computed and drawn (PNG bytes ready), median over ``--rounds``.
2. In a real browser (JupyterLab + Debian's Chromium driven by Playwright, as in
   ``tests/test_browser.py``): from the mouse release on the slider to the new plot decoded and
   painted, median over ``--rounds`` drags, the two sliders dragged in turn in the same page.
   Also the animation's frame rate as the browser receives it.

    python benchmarks/playground_latency.py [--rounds 15] [--kernel-only]

Numbers depend on the machine and its load (printed with them); the ratios are the point.
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
sys.path.insert(0, str(ROOT / "tests"))  # the JupyterLab/Chromium driver lives with the browser test
import test_browser as driver  # noqa: E402

from helpers import live  # noqa: E402

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


def browser_medians(rounds):
    """Median seconds from mouse release to painted plot, playground and plain; animation fps."""
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
            targets = {"playground": (page.locator(".live-playground").first, ".live-playground-lr"),
                       "plain": (page.locator(".plain-slider").first, ".widget-slider")}
            times = {name: [] for name in targets}
            for i in range(rounds + 1):
                for name, (root, slider) in targets.items():
                    root.scroll_into_view_if_needed()
                    root.evaluate(WATCH_JS)
                    driver.drag_slider(page, root.locator(slider).first, FRACTIONS[i % 2])
                    ms = page.evaluate("window.__pending")
                    if ms is None:
                        raise RuntimeError(f"the {name} plot did not change within 20 s")
                    if i:  # round 0 warms up
                        times[name].append(ms / 1000)
                    time.sleep(0.3)  # let the kernel settle between drags
            plot = page.locator("img.live-playground-plot").first
            plot.evaluate(FRAMES_JS)
            page.locator(".live-playground .widget-play button").first.click()
            time.sleep(live.FRAMES * live.FRAME_MS / 1000 + 2)
            stamps = page.evaluate("window.__frames")
    fps = (len(stamps) - 1) / ((stamps[-1] - stamps[0]) / 1000) if len(stamps) > 1 else float("nan")
    return times["playground"], times["plain"], fps, len(stamps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--kernel-only", action="store_true", help="skip the browser measurement")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")

    ours, plain, frames = kernel_medians(args.rounds)
    wall = {name: median_ms([t[0] for t in runs]) for name, runs in (("ours", ours), ("plain", plain), ("frame", frames))}
    cpu = {name: median_ms([t[1] for t in runs]) for name, runs in (("ours", ours), ("plain", plain), ("frame", frames))}
    print(f"\nkernel: one update at default settings, computed and drawn (median of {len(ours)}; wall / CPU)")
    print(f"  playground (blitting)            {wall['ours']:6.1f} / {cpu['ours']:5.1f} ms   target <= 100 ms")
    print(f"  plain inline-matplotlib figure   {wall['plain']:6.1f} / {cpu['plain']:5.1f} ms   "
          f"ratio plain / playground {wall['plain'] / wall['ours']:.1f} / {cpu['plain'] / cpu['ours']:.1f}")
    print(f"  one animation frame (redraw only) {wall['frame']:5.1f} / {cpu['frame']:5.1f} ms")
    if args.kernel_only:
        return
    reason = driver.browser_missing()
    if reason:
        print(f"\nbrowser: skipped, {reason}")
        return
    ours, plain, fps, n_frames = browser_medians(args.rounds)
    print(f"\nbrowser: mouse release to new plot painted, JupyterLab + Chromium (median of {len(ours)})")
    print(f"  playground (blitting)            {median_ms(ours):6.1f} ms   target <= 150 ms")
    print(f"  plain inline-matplotlib slider   {median_ms(plain):6.1f} ms   "
          f"ratio plain / playground {statistics.median(plain) / statistics.median(ours):.1f}")
    print(f"  animation: {n_frames} frames at {fps:.0f} frames/s (target >= 10)")


if __name__ == "__main__":
    main()
