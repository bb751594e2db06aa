"""What a reader of the built book gets: numbered figures with alt text, no grading
markers, math rendered with no network, pages that pass an accessibility check.

The notebook-level checks read the sources; the page checks share one build of the
book with execution off (``built_book`` in ``conftest.py``), which is what CI can
afford. In that build a figure cell has no output, so ``dlcourse.bookext`` puts a
numbered placeholder in its place: the numbering and every ``{numref}`` are the
executed book's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(REPO.glob("book/*/*.ipynb"))
_HAND_NUMBERED = re.compile(r"^\*\*Figure \d+", re.MULTILINE)


def _cells(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_figure_has_a_caption_a_name_and_alt_text(path):
    """A figure cell's metadata names it fig-<chapter>-<n>, captions it and gives it alt
    text (what a screen reader says); no caption is a hand-numbered markdown cell."""
    stem = path.stem.replace("_", "-")
    problems = []
    for i, cell in enumerate(_cells(path)):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and _HAND_NUMBERED.search(source):
            problems.append(f"cell {i}: a hand-numbered caption; use mystnb figure metadata")
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        if figure is None:
            continue
        alt = cell["metadata"]["mystnb"].get("image", {}).get("alt", "")
        if not re.fullmatch(rf"fig-{re.escape(stem)}-\d+", figure.get("name", "")):
            problems.append(f"cell {i}: figure name {figure.get('name')!r} is not fig-{stem}-<n>")
        if len(figure.get("caption", "").split()) < 5:
            problems.append(f"cell {i}: the caption says too little: {figure.get('caption')!r}")
        if len(alt.split()) < 4 or re.search(r"[$\\{}`]", alt):
            problems.append(f"cell {i}: alt text must be a plain sentence; got {alt!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: str(p.relative_to(REPO)))
def test_figures_are_referred_to_by_label_not_by_number(path):
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    text += "\n".join(c.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption", "")
                      for c in _cells(path))
    assert not re.findall(r"(?<![\w{`])Figure\s+\d", text), "write {numref}`fig-...` instead"
