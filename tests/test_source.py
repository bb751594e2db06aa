"""``dlcourse.source.show_source``: a function's own code, highlighted, with no raw RST.

Every object a chapter shows is collected from the notebooks (``show_source(x.y)``
calls), so a new listing is checked without editing this file.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import textwrap
from pathlib import Path

import pytest

from dlcourse import activations, models, optimizers
from dlcourse.source import show_source, source_markdown

REPO = Path(__file__).resolve().parents[1]
_CALL = re.compile(r"show_source\(([\w.]+)\)")
_RAW_RST = re.compile(r"\.\. math::|(?<!`)``(?!`)|:(func|class|meth|math|mod|data|attr):`")


def _shown_in_book() -> list[str]:
    names = set()
    for path in REPO.glob("book/*/*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                names.update(_CALL.findall("".join(cell["source"])))
    return sorted(names)


def _resolve(dotted: str):
    module, *attrs = dotted.split(".")
    obj = importlib.import_module(f"dlcourse.{module}")
    for attr in attrs:
        obj = getattr(obj, attr)
    return obj


def _code_block(markdown: str) -> str:
    fence = re.search(r"^(`{3,})python\n(.*?)^\1$", markdown, re.S | re.M)
    assert fence, "no ```python block in the listing"
    return fence.group(2)


def _without_docstrings(tree: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
                node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)


def test_the_book_shows_sources_with_the_helper_only():
    printed = [
        str(p.relative_to(REPO)) for p in REPO.glob("book/*/*.ipynb")
        if "getsource(" in p.read_text(encoding="utf-8")
    ]
    assert not printed, f"chapters still printing inspect.getsource (use show_source): {printed}"
    assert len(_shown_in_book()) >= 10


@pytest.mark.parametrize("dotted", _shown_in_book())
def test_listing_is_the_package_code_without_raw_rst(dotted):
    """The code block parses to the object's own code (docstrings aside), and nothing
    in the listing is raw reStructuredText."""
    obj = _resolve(dotted)
    markdown = source_markdown(obj)
    code = _code_block(markdown)
    original = ast.parse(textwrap.dedent(inspect.getsource(obj)))
    assert _without_docstrings(ast.parse(code)) == _without_docstrings(original)
    assert not _RAW_RST.search(markdown), _RAW_RST.search(markdown)
    assert repr(show_source(obj)) == code
    assert show_source(obj)._repr_markdown_() == markdown


def test_docstring_cut_to_summary_and_formula_rendered():
    markdown = source_markdown(activations.relu_grad)
    assert markdown.startswith("$$\n\\operatorname{ReLU}'(x)")
    summary = inspect.getdoc(activations.relu_grad).splitlines()[0]
    code = _code_block(markdown)
    assert f'"""{summary}"""' in code and "Parameters" not in code


def test_description_prose_kept_above_the_code():
    markdown = source_markdown(models.xor_mlp)
    prose, code = markdown.split("```python")
    assert "Changes from the article" in prose and "`Dense(1," in prose
    assert "Changes from the article" not in code


def test_method_of_a_class():
    code = _code_block(source_markdown(optimizers.Adam.update))
    assert code.startswith("def update(self")


@pytest.mark.parametrize("bad", [42, "activations.relu", len, None])
def test_bad_input_is_one_clear_error(bad):
    with pytest.raises(TypeError, match=r"^show_source: obj must be .*received"):
        show_source(bad)
