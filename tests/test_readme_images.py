"""The README's pictures: each exists, is shown with a text alternative, is small, and is fresh.

Fresh means: ``images/make_images.py`` draws it again, into a temporary folder, and the pixels
match the committed file. Pixels, not bytes, and with a small tolerance, because the pictures
plot a diverging replay and a 5000-epoch training run, whose last bits differ between CPUs
(other OpenBLAS kernels and SIMD paths sum in another order; /work/shared/notes/other-cpus.md):
that moves a line by a small fraction of a pixel and changes the anti-aliased edge pixels by a
few levels out of 255, and can move a GIF pixel to a neighbouring palette colour. A stale picture
(another title, another curve, another word in a caption) changes hundreds of pixels by far more.
"""
import importlib.util
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageSequence

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCRIPT = ROOT / "images" / "make_images.py"
MAX_BYTES = 300 * 1024  # "well under 1 MB": a README picture has no reason to be larger
# Freshness tolerance (see the module docstring): a pixel "differs" when a channel moves by more
# than DIFFERS levels; at most FEW such pixels per frame, and a mean change below MEAN_LEVELS.
DIFFERS, FEW, MEAN_LEVELS = 48, 20, 1.0

# ![alt](path) in Markdown, or <img ... src="path" ... alt="text"> in HTML
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def load_script():
    spec = importlib.util.spec_from_file_location("make_images", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme_images():
    """``[(alt text, path as written)]`` for every image the README shows."""
    text = README.read_text(encoding="utf-8")
    found = MARKDOWN_IMAGE.findall(text)
    for tag in HTML_IMAGE.findall(text):
        src = re.search(r'\bsrc="([^"]*)"', tag)
        alt = re.search(r'\balt="([^"]*)"', tag)
        found.append((alt.group(1) if alt else "", src.group(1) if src else ""))
    return [(alt, path) for alt, path in found if not re.match(r"[a-z]+://", path)]  # badges are remote


def frames(path):
    """Every frame of a PNG or GIF as an RGB array, and each frame's display time (0 for a still)."""
    with Image.open(path) as image:
        return [(np.asarray(f.convert("RGB"), dtype=np.int16), f.info.get("duration", 0))
                for f in ImageSequence.Iterator(image)]


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def regenerated(script, tmp_path_factory):
    return script.make_images(tmp_path_factory.mktemp("images"))


def test_every_picture_the_script_makes_is_committed_and_shown_in_the_readme_with_a_text_alternative(script):
    shown = {(ROOT / path).resolve(): alt for alt, path in readme_images()}
    for name in (script.LOSSES_FILE, script.PLAYGROUND_FILE):
        path = (SCRIPT.parent / name).resolve()
        assert path.is_file(), f"{name} is missing: run python images/make_images.py"
        assert path in shown, f"the README does not show images/{name}"
        alt = shown[path]
        assert len(alt.split()) >= 5, f"images/{name} needs a text alternative that says what it shows, got {alt!r}"


def test_every_local_picture_in_the_readme_exists_and_is_small():
    pictures = readme_images()
    assert pictures, "the README shows no picture"
    for alt, path in pictures:
        file = ROOT / path
        assert file.is_file(), f"the README shows {path}, which does not exist"
        assert file.stat().st_size < MAX_BYTES, f"{path} is {file.stat().st_size} bytes; keep it under {MAX_BYTES}"
        assert alt.strip(), f"{path} has no text alternative"


def test_the_committed_pictures_are_the_ones_the_script_draws(script, regenerated):
    version = ".".join(matplotlib.__version__.split(".")[:2])
    for name, fresh in regenerated.items():
        committed, redrawn = frames(SCRIPT.parent / name), frames(fresh)
        assert len(committed) == len(redrawn), f"{name}: {len(committed)} frames, the script draws {len(redrawn)}"
        for k, ((old, old_ms), (new, new_ms)) in enumerate(zip(committed, redrawn)):
            assert old_ms == new_ms, f"{name} frame {k}: shown {old_ms} ms, the script says {new_ms} ms"
            assert old.shape == new.shape, f"{name} frame {k}: {old.shape[1::-1]} pixels, the script draws {new.shape[1::-1]}"
            change = np.abs(old - new).max(axis=2)
            differ, mean = int(np.count_nonzero(change > DIFFERS)), float(change.mean())
            if (differ > FEW or mean > MEAN_LEVELS) and version != script.MATPLOTLIB:
                pytest.skip(f"the pictures were drawn with matplotlib {script.MATPLOTLIB}, this is {version}, "
                            f"which may lay out text otherwise ({name} frame {k} differs)")
            assert differ <= FEW and mean <= MEAN_LEVELS, (
                f"images/{name} frame {k} is stale: {differ} pixels differ by more than {DIFFERS} levels, "
                f"mean change {mean:.2f}; run python images/make_images.py and look at the result")


def test_the_freshness_check_sees_a_one_word_change(script):
    """The witness that the tolerance is tight: one other word in a caption must count as stale."""
    stalled = np.asarray(script.caption("learning rate 0.1  →  stalled", 688), dtype=np.int16)
    converged = np.asarray(script.caption("learning rate 0.1  →  converged", 688), dtype=np.int16)
    change = np.abs(stalled - converged).max(axis=2)
    assert np.count_nonzero(change > DIFFERS) > FEW
