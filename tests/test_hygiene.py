"""The book's hygiene: notebooks are committed clean and all of them are in the book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def _toc_files() -> list[str]:
    """Every `file:` entry of _toc.yml, root included, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return files


def _rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def test_there_are_notebooks():
    assert NOTEBOOKS, "book/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, (
        f"{_rel(path)} is committed with outputs in cells {dirty}; run "
        f"`jupyter nbconvert --clear-output --inplace {_rel(path)}`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_kernelspec_is_python3(path):
    nb = json.loads(path.read_text())
    name = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    assert name == "python3", f"{_rel(path)} has kernelspec {name!r}; expected 'python3'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_is_valid_nbformat(path):
    import nbformat

    nbformat.validate(nbformat.read(path, as_version=4))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_is_in_toc(path):
    stem = path.relative_to(ROOT).with_suffix("").as_posix()
    assert stem in _toc_files(), f"{_rel(path)} is not listed in _toc.yml"


def test_toc_names_only_existing_files():
    missing = [
        f
        for f in _toc_files()
        if not any((ROOT / f).with_suffix(s).exists() for s in (".ipynb", ".md"))
        and not (ROOT / f).exists()
    ]
    assert not missing, f"_toc.yml names files that do not exist: {missing}"


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    first_block = text.split("```")[1]
    assert "make book" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
