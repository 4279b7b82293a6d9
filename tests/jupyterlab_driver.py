"""Drive JupyterLab in headless Chromium as a person would: start the server, open a notebook, drag sliders.

One home for the browser driver: ``tests/test_browser.py`` and ``benchmarks/playground_latency.py``
both import it. Chromium is Debian's (``apt-get install chromium``, ``/usr/bin/chromium``) or any
other on PATH or in ``$CHROMIUM``, driven by Playwright's Python package; ``playwright install``
is never needed. ``browser_missing()`` says in one sentence why a browser cannot be driven here.

    with jupyterlab(tmp, [notebook]) as (base, token), chromium_page(playwright.sync_api) as page:
        open_and_run_all(page, base, token, notebook.name, "text of the last output")
        drag_slider(page, page.locator(".some-slider"), 0.8)
"""
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: Debian's Chromium, or any Chromium on PATH, or the one $CHROMIUM names.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") \
    or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: JupyterLab settings for a quiet, predictable page: no news or update pop-ups, and every cell
#: rendered (by default JupyterLab only renders the cells in view).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
PLAYGROUND = ".live-playground"


def browser_missing():
    """Why a browser cannot be driven here (one sentence), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(workdir, notebooks=(), timeout=90):
    """Run JupyterLab on 127.0.0.1 (random token, free port) over a copy of ``notebooks``.

    ``workdir`` holds the copies, the settings and the server log. Yields the base URL with the
    token. Stops the server it started (by its PID, after asking it to shut down).
    """
    root, settings = Path(workdir) / "notebooks", Path(workdir) / "lab-settings"
    root.mkdir(parents=True, exist_ok=True)
    for nb in notebooks:
        shutil.copy(nb, root)
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(Path(workdir) / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(Path(workdir) / "runtime"))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    with open(Path(workdir) / "jupyterlab.log", "wb") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited with code {server.returncode}; see {log.name}")
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {timeout} s; see {log.name}")
                time.sleep(0.3)
            yield base, token
        finally:
            with contextlib.suppress(OSError):
                request = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                                 headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=5).close()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.terminate()  # this PID only
                try:
                    server.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


@contextlib.contextmanager
def chromium_page(api, width=1300, height=1000):
    """A fresh headless Chromium page (Debian's Chromium, driven by Playwright)."""
    with api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def open_and_run_all(page, base, token, notebook, done_text, timeout=90):
    """Open ``notebook`` in JupyterLab, Run > Run All Cells, wait until an output shows ``done_text``."""
    page.goto(f"{base}/lab/tree/{notebook}?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=timeout * 1000)
    wait_for_kernel(page, base, token, timeout)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.locator(".jp-OutputArea-output").filter(has_text=done_text).first.wait_for(timeout=timeout * 1000)


def wait_for_kernel(page, base, token, timeout):
    """Wait until the server has a kernel for the page and it reports idle a few polls in a row."""
    deadline, idle = time.monotonic() + timeout, 0
    while idle < 3:
        if time.monotonic() > deadline:
            raise TimeoutError("the notebook's kernel did not start")
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as r:
            sessions = json.load(r)
        states = [s["kernel"]["execution_state"] for s in sessions if s.get("kernel")]
        idle = idle + 1 if states and all(s == "idle" for s in states) else 0
        time.sleep(0.3)


def drag_slider(page, slider, fraction):
    """Drag a ``widget-slider``'s handle with the mouse to ``fraction`` (0 to 1) of its track."""
    slider.scroll_into_view_if_needed()
    handle, track = slider.locator(".noUi-handle"), slider.locator(".noUi-base")
    h, t = handle.bounding_box(), track.bounding_box()
    start_x, y = h["x"] + h["width"] / 2, h["y"] + h["height"] / 2
    page.mouse.move(start_x, y)
    page.mouse.down()
    page.mouse.move(t["x"] + fraction * t["width"], y, steps=8)
    page.mouse.up()


def type_into_readout(page, slider, text):
    """Set an ipywidgets 8 slider by its readout (an editable div): click, select all, type, Enter."""
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def wait_for_change(page, locator, attribute, old, timeout=30):
    """Wait until ``locator``'s ``attribute`` differs from ``old``; return the new value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = locator.get_attribute(attribute)
        if value != old:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"{attribute} did not change within {timeout} s")


def slow_drag(page, slider, start, end, seconds=3.0, steps=60):
    """Press a ``widget-slider``'s handle, move it from ``start`` to ``end`` (fractions of the track) over
    ``seconds`` with the button held, then release: a person's slow drag, not a jump."""
    slider.scroll_into_view_if_needed()
    handle, track = slider.locator(".noUi-handle"), slider.locator(".noUi-base")
    h, t = handle.bounding_box(), track.bounding_box()
    y = h["y"] + h["height"] / 2
    page.mouse.move(h["x"] + h["width"] / 2, y)
    page.mouse.down()
    for i in range(steps + 1):
        page.mouse.move(t["x"] + (start + (end - start) * i / steps) * t["width"], y)
        time.sleep(seconds / steps)
    page.mouse.up()


#: In the page: record every change of an <img>'s picture (time, and the PNG's own ``Description`` text,
#: which ``helpers.live`` fills with the settings it shows) and the mouse button's presses.
RECORD_PICTURES_JS = """
(img) => {
  const description = (buffer) => {  // walk the PNG's chunks to its tEXt 'Description'
    const data = new DataView(buffer), bytes = new Uint8Array(buffer);
    for (let at = 8; at + 8 <= data.byteLength;) {
      const length = data.getUint32(at), type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      if (type === 'tEXt') {
        const text = String.fromCharCode(...bytes.subarray(at + 8, at + 8 + length));
        if (text.startsWith('Description\\0')) return text.slice(12);
      }
      at += 12 + length;
    }
    return '';
  };
  window.__pictures = [];
  window.__mouse = [];
  if (window.__recording === img) return;  // one observer per picture: a second would count twice
  window.__recording = img;
  new MutationObserver(() => {
    const t = performance.now();
    fetch(img.src).then((r) => r.arrayBuffer()).then((b) => window.__pictures.push([t, description(b)]))
      .catch(() => window.__pictures.push([t, null]));
  }).observe(img, {attributes: true, attributeFilter: ['src']});
  if (!window.__mouseRecorded) {
    window.__mouseRecorded = true;
    for (const kind of ['mousedown', 'mouseup']) {
      window.addEventListener(kind, () => window.__mouse.push([kind, performance.now()]), true);
    }
  }
}
"""


def record_pictures(image):
    """Start recording the picture changes of ``image`` (a locator of an <img>) and the mouse presses.

    Calling it again empties the records and keeps recording (one observer, so nothing counts twice)."""
    image.evaluate(RECORD_PICTURES_JS)


def recorded(page):
    """``(pictures, mouse)``: ``[(ms, description)]`` of every picture change in time order, ``[(kind, ms)]``
    of the button's presses, on the page's clock. A description is None if the picture could not be read."""
    pictures = sorted(page.evaluate("window.__pictures"), key=lambda p: p[0])
    return pictures, page.evaluate("window.__mouse")
