"""The exercise notebooks and their worked solutions, as files: blanks that answer with a
message (never a traceback), a solution for each that passes every check its exercise has,
links both ways, and a header that says what, what to read first, and how long."""
import ast
import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

from helpers import checks

EXERCISES = Path(__file__).resolve().parent.parent / "notebooks" / "exercises"
NOTEBOOKS = sorted(EXERCISES.glob("*.ipynb"))
SOLUTIONS = EXERCISES / "solutions"


def run_cells(path):
    """Execute a notebook's code cells like a kernel would; return ``(source, last-expression value)`` per cell."""
    namespace, values = {}, []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, str(path), "exec"), namespace)
            value = None if last is None else eval(compile(ast.Expression(last.value), str(path), "eval"), namespace)
        values.append((cell.source, value))
    return values


def check_names(source):
    """The checks a piece of code calls: check_gradients, check_answer("negative-loss"), ..."""
    return set(re.findall(r'checks\.(check_\w+)\((?:"([\w-]+)")?', source))


def markdown(path):
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def code(path):
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def test_the_exercises_are_the_bugs_and_the_skills_around_them():
    assert [p.stem for p in NOTEBOOKS] == ["01_shapes", "02_normalization", "03_gradient", "04_learning_rate",
                                           "05_printed_loss", "06_prediction", "07_gradient_check", "08_concepts",
                                           "09_find_the_bug"]
    assert sorted(p.name for p in SOLUTIONS.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_exercise_keeps_its_blanks_and_every_check_answers_them(path):
    assert "YOUR CODE HERE" in code(path)
    results = [v for _, v in run_cells(path) if isinstance(v, checks.CheckResult)]
    assert results, "every exercise has at least one check cell"
    for result in results:
        assert not result.passed
        assert "no answer yet" in result.message


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_check_cells_are_run_but_their_output_is_not_compared(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and (check_names(cell.source) or "YOUR CODE HERE" in cell.source):
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), cell.source


ANSWERS = {  # a line of each worked solution that must not stand in its exercise
    "01_shapes": ".sum(axis=0, keepdims=True)", "02_normalization": "x_train_raw.mean()", "03_gradient": "x.T @ dz0",
    "04_learning_rate": "2 / lam", "05_printed_loss": "np.mean((l2 - y) ** 2)",
    "06_prediction": 'l1 @ params["W1"] + params["b1"]', "07_gradient_check": "(up - down) / (2 * eps)",
    "08_concepts": 'check_answer("seven-samples", "c")', "09_find_the_bug": "(1 - H ** 2)",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_notebook_has_no_solution_beside_the_blank(path):
    assert ANSWERS[path.stem] in code(SOLUTIONS / path.name)
    assert ANSWERS[path.stem] not in code(path) + markdown(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_exercise_says_what_it_practises_what_to_read_first_and_how_long(path):
    text = markdown(path)
    assert "**You practise:**" in text
    read_first = re.search(r"\*\*Read first:\*\* (.*)", text).group(1)
    for link in re.findall(r"\]\(\.\./(\w+)\.ipynb\)", read_first):
        assert (EXERCISES.parent / f"{link}.ipynb").exists(), link
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_and_solution_link_to_each_other(path):
    assert f"(solutions/{path.name})" in markdown(path)
    assert f"(../{path.name})" in markdown(SOLUTIONS / path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solution_passes_every_check_its_exercise_has(path):
    wanted = check_names(code(path))
    passed = set()
    for source, value in run_cells(SOLUTIONS / path.name):
        if isinstance(value, checks.CheckResult) and value.passed:
            passed |= check_names(source)
    assert wanted <= passed, f"no passing solution for {sorted(wanted - passed)}"
