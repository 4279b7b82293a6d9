"""The suite's second notebook pass (tests/conftest.py) exists, and says why when it cannot run.

Whether its kernel really computes like another CPU is checked inside that pass, by the cell
``emulation in effect`` that opens every emulated notebook.
"""
import pathlib
import platform
import subprocess
import sys

import conftest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_every_notebook_is_collected_in_both_passes_and_the_emulated_one_opens_with_the_check():
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    notebooks = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
    assert notebooks
    for notebook in notebooks:
        emulated = [line for line in listed if line.startswith(f"{notebook}::emulated-cpu::")]
        native = [line for line in listed if line.startswith(notebook.removesuffix(".ipynb")) and "emulated-cpu" not in line]
        assert emulated and emulated[0] == f"{notebook}::emulated-cpu::emulation in effect", notebook
        assert len(emulated) == len(native) + 1, (notebook, len(native), len(emulated))  # every cell, plus the check


def test_the_emulated_pass_names_why_it_is_skipped_off_x86_64(monkeypatch):
    assert conftest.emulation_unavailable() is None or platform.machine().lower() not in ("x86_64", "amd64")
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    assert conftest.emulation_unavailable() == (
        "the emulated-CPU pass needs x86-64 (OpenBLAS and numpy SIMD settings); this is aarch64"
    )
