"""Sphinx extension for the built book (listed in ``_config.yml``, ``extra_extensions``).

Readers never see grading markers: nbgrader's ``### BEGIN SOLUTION`` and
``### END SOLUTION`` lines stay in the notebooks (the course's command line needs
them) but are taken out of every code listing of the HTML.
"""

from __future__ import annotations

from docutils import nodes

from .assign import BEGIN_SOLUTION, END_SOLUTION

_MARKERS = (BEGIN_SOLUTION, END_SOLUTION)


def without_markers(code: str) -> str:
    """``code`` without its solution-marker lines (written exactly, as the linter wants)."""
    return "\n".join(line for line in code.split("\n") if line.strip() not in _MARKERS)


def _hide_markers(app, doctree: nodes.document) -> None:
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if any(marker in text for marker in _MARKERS):
            block.children = [nodes.Text(without_markers(text))]
            block.rawsource = without_markers(block.rawsource)


def setup(app):
    app.connect("doctree-read", _hide_markers)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
