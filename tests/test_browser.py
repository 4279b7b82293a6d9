"""End to end, as a person would: JupyterLab in headless Chromium, run notebook 06, drag the slider.

The driver (server, browser, mouse) is ``tests/jupyterlab_driver.py``. Without Chromium or the
playwright package the test is skipped and says why, except under CI (``CI=true``), where that
is a failure.
"""
import math
import os
import re
import time

import pytest

import jupyterlab_driver as driver
from helpers import bugs

def _fraction(lr):
    """Where ``lr`` sits on the learning-rate slider's track, which runs over log10(lr) from -4 to 1."""
    return (math.log10(lr) + 4) / 5


def browser_or_skip():
    """Return ``playwright.sync_api``; skip the test without a browser, fail under ``CI=true``."""
    reason = driver.browser_missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    if reason:
        pytest.skip(reason)
    import playwright.sync_api as api
    return api


def _lr(description):
    """The learning rate a picture shows, from its description (``live.describe``: ``lr 0.1, 500 epochs, ...``)."""
    match = re.match(r"lr ([0-9.e+-]+),", description or "")
    return float(match.group(1)) if match else None


def test_dragging_the_learning_rate_in_jupyterlab_follows_the_hand(tmp_path):
    api = browser_or_skip()
    notebook = driver.NOTEBOOKS / "06_playground.ipynb"
    with driver.jupyterlab(tmp_path, [notebook]) as (base, token), driver.chromium_page(api) as page:
        driver.open_and_run_all(page, base, token, notebook.name, "times the held-out MSE")
        pg = page.locator(driver.PLAYGROUND).first
        lr, status = pg.locator(".live-playground-lr"), pg.locator(".live-playground-status")
        plot = pg.locator("img.live-playground-plot")
        pg.scroll_into_view_if_needed()
        api.expect(status).to_contain_text("still improving: ", timeout=30_000)
        driver.type_into_readout(page, lr, "0.01")
        api.expect(status).to_have_text(bugs.run(lr=0.01).status, timeout=30_000)
        page.screenshot(path=tmp_path / "1_lr_0.01.png")

        # hold the button and move the handle slowly from 0.01 to 10 (3 s), then release
        driver.record_pictures(plot)
        driver.slow_drag(page, lr, _fraction(0.01), 1.0, seconds=3.0)
        api.expect(status).to_contain_text("diverged at epoch ", timeout=30_000)
        api.expect(status).to_have_text(bugs.run(lr=10.0).status)
        time.sleep(1.5)  # anything still catching up would paint now
        pictures, mouse = driver.recorded(page)
        page.screenshot(path=tmp_path / "2_released_at_10.png")
        down, up = mouse[0][1], mouse[-1][1]
        held = [(t, _lr(text)) for t, text in pictures if down <= t <= up]
        assert len(held) >= 5, f"only {len(held)} pictures while the button was held for 3 s"
        values = [v for _, v in held]
        assert all(0.0099 <= v <= 10.01 for v in values)  # values the slider passed through ...
        assert values == sorted(values)  # ... in the order it passed them
        assert _lr(pictures[-1][1]) == 10.0  # the last picture is the released value's: nothing stale after it
        api.expect(lr.locator(".widget-readout")).to_have_text(re.compile(r"^10(\.0)?$"))

        # after the drag, a run of 500 epochs, and the play button and the replay slider still work
        driver.drag_slider(page, lr, _fraction(0.1))
        api.expect(status).to_contain_text("still improving: ", timeout=30_000)
        frames = set()
        pg.locator(".widget-play button").first.click()
        deadline = time.monotonic() + 20
        while len(frames) < 5 and time.monotonic() < deadline:
            frames.add(plot.get_attribute("src"))
            time.sleep(0.02)
        assert len(frames) >= 5
        page.screenshot(path=tmp_path / "3_replayed.png")
        epochs = pg.locator(".widget-slider").filter(has_text="epochs")
        before = plot.get_attribute("src")
        driver.type_into_readout(page, epochs, "2000")
        api.expect(status).to_contain_text("converged: held-out MSE", timeout=30_000)
        driver.wait_for_change(page, plot, "src", before)
        page.screenshot(path=tmp_path / "4_converged.png")
