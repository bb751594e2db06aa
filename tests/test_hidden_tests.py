"""Every code exercise has a hidden test that keeps the contract of
:mod:`dlcourse.instructor.hidden`.

That each one passes on the chapter's worked answer is checked on nbval's run of the
chapter (``<notebook>::hidden[<label>]``, :mod:`nbplugin`); that each fails on wrong
answers, by ``tests/hidden/``. Here, without a kernel: it exists, it takes names the
worked answer defines, it is self-contained (nbgrader copies its source alone into the
test cell), and its failure messages are fixed text that starts ``hidden test:``.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import nbformat
import pytest

from dlcourse.instructor.assign import book_notebooks
from dlcourse.instructor.chapter import CODE, exercise_cells, exercises_of
from dlcourse.instructor.hidden import hidden_test
from nbplugin import _CHECKER_IMPORT


def _code_exercises():
    out = []
    for path in book_notebooks("book"):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        modules = _CHECKER_IMPORT.findall(text)
        cells = exercise_cells(nb)
        for ex in exercises_of(nb, str(path)):
            if ex.kind == CODE:
                source = "\n".join(nb.cells[i].source for i, l in sorted(cells.items()) if l == ex.label)
                out.append(pytest.param(modules[0] if modules else None, ex.label, source,
                                        id=ex.label))
    return out


CODE_EXERCISES = _code_exercises()


def _defined(source: str) -> set[str]:
    """Names bound at the top level of an exercise's code cells."""
    tree = ast.parse("\n".join(l for l in source.split("\n") if not l.lstrip().startswith(("%", "!"))))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
    return names


def test_the_book_has_code_exercises():
    assert len(CODE_EXERCISES) >= 60


@pytest.mark.parametrize("module, label, source", CODE_EXERCISES)
def test_each_code_exercise_has_a_hidden_test(module, label, source):
    assert module, f"{label}: its chapter imports no checker module (dlcourse.exercises)"
    fn = hidden_test(module, label)
    assert fn is not None, (f"{label}: no hidden test: write {label.replace('-', '_')} "
                            f"in dlcourse/instructor/hidden/{module}.py")
    params = list(inspect.signature(fn).parameters)
    assert params, f"{fn.__name__}: takes no name of the student's answer"
    undefined = [p for p in params if p not in _defined(source)]
    assert not undefined, f"{fn.__name__}: the worked answer of {label} defines no {undefined}"


@pytest.mark.parametrize("module, label, source", CODE_EXERCISES)
def test_each_hidden_test_is_self_contained_and_says_nothing_away(module, label, source):
    fn = hidden_test(module, label)
    if fn is None:
        pytest.skip("no hidden test (the test above fails)")
    assert fn.__doc__, f"{fn.__name__}: say in a docstring how it recomputes the answer"
    assert not inspect.getclosurevars(fn).globals, (
        f"{fn.__name__}: uses module-level names {sorted(inspect.getclosurevars(fn).globals)}; "
        "import inside the function (nbgrader copies its source alone)")
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            msg = node.msg
            if isinstance(msg, ast.JoinedStr):  # an f-string may name which part (never a value)
                msg = msg.values[0] if msg.values else None
            assert isinstance(msg, ast.Constant) and isinstance(msg.value, str) \
                and msg.value.startswith("hidden test: "), (
                f"{fn.__name__}, line {node.lineno}: an assert's message must be text "
                "starting 'hidden test: ' that names what is wrong, never an expected value")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "exec", "eval", "open"), (
                f"{fn.__name__}: calls {node.func.id}()")
        if isinstance(node, ast.Attribute) and node.attr in ("seed", "set_random_seed", "set_seed"):
            raise AssertionError(f"{fn.__name__}: sets a global seed ({node.attr}); use a "
                                 "local generator (np.random.default_rng) so later cells are unchanged")
