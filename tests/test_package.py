"""The package's public face: each module declares its names, the notebooks use only those, the README lists them."""
import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import helpers

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(m.name for m in pkgutil.iter_modules(helpers.__path__))


def _notebook_code():
    """The code of every notebook, exercise and script under notebooks/, as one text per file."""
    for path in sorted((ROOT / "notebooks").rglob("*")):
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            yield path, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        elif path.suffix == ".py":
            yield path, path.read_text(encoding="utf-8")


def _names_used(module):
    """``(file, name)`` for every ``module.name`` (in a file that imports the module) and every
    ``from helpers.module import name`` in the notebooks."""
    for path, code in _notebook_code():
        if re.search(rf"from helpers import [\w, ]*\b{module}\b", code):
            for name in re.findall(rf"(?<![\w.]){module}\.([A-Za-z]\w*)", code):
                yield path.name, name
        for names in re.findall(rf"from helpers\.{module} import ([\w, ]+)", code):
            yield from ((path.name, n.strip()) for n in names.split(","))


@pytest.mark.parametrize("module", MODULES)
def test_every_module_declares_its_public_names_and_they_exist(module):
    mod = importlib.import_module(f"helpers.{module}")
    assert isinstance(getattr(mod, "__all__", None), list), f"helpers.{module} has no __all__"
    assert len(set(mod.__all__)) == len(mod.__all__), "a name listed twice"
    missing = [name for name in mod.__all__ if not hasattr(mod, name)]
    assert not missing, missing


@pytest.mark.parametrize("module", MODULES)
def test_the_notebooks_use_only_public_names(module):
    public = set(importlib.import_module(f"helpers.{module}").__all__)
    private = sorted({(f, n) for f, n in _names_used(module) if n not in public})
    assert not private, f"helpers.{module}: used by a notebook but not in __all__: {private}"


def test_the_readme_table_has_a_row_per_module_naming_what_the_notebooks_use():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m: line for line in readme.splitlines() for m in re.findall(r"^\| `helpers\.(\w+)` \|", line)}
    assert sorted(rows) == [m for m in MODULES if m != "__init__"]
    for module, row in rows.items():
        unlisted = sorted({n for _, n in _names_used(module) if f"`{n}" not in row and f" {n}" not in row})
        assert not unlisted, f"README row of helpers.{module} does not name {unlisted}"
