"""Sphinx extension for the built book (listed in ``_config.yml``, ``extra_extensions``).

Readers never see grading markers: nbgrader's ``### BEGIN SOLUTION`` and
``### END SOLUTION`` lines stay in the notebooks (the course's command line needs
them) but are taken out of every notebook code cell in the HTML.

Figures are numbered per chapter from their code cell's metadata
(``"mystnb": {"figure": {"caption": ..., "name": "fig-..."}, "image": {"alt": ...}}``).
A build that does not execute the notebooks (the tests' quick build) has no figure
to number: each such cell then gets a placeholder figure, its caption the alt text,
so every ``{numref}`` still resolves and the numbers match the executed book's.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .instructor.markers import BEGIN_SOLUTION, END_SOLUTION

_MARKERS = (BEGIN_SOLUTION, END_SOLUTION)


def without_markers(code: str) -> str:
    """``code`` without its solution-marker lines (written exactly, as the linter wants)."""
    return "\n".join(line for line in code.split("\n") if line.strip() not in _MARKERS)


def _in_notebook_cell(node) -> bool:
    while node is not None:
        if node.get("nb_element") == "cell_code":
            return True
        node = node.parent
    return False


def _hide_markers(app, doctree: nodes.document) -> None:
    """Drop the marker lines from notebook code cells (not from pages about markers,
    such as the instructors' guide, whose listings show them on purpose)."""
    for block in list(doctree.findall(nodes.literal_block)):
        if not _in_notebook_cell(block):
            continue
        text = block.astext()
        if any(marker in text for marker in _MARKERS):
            block.children = [nodes.Text(without_markers(text))]
            block.rawsource = without_markers(block.rawsource)


class FigurePlaceholders(SphinxTransform):
    """A numbered placeholder for each figure cell that has no output (not executed)."""

    default_priority = 200

    def apply(self, **kwargs) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code":
                continue
            meta = (cell.get("cell_metadata") or {}).get("mystnb") or {}
            figure = meta.get("figure") or {}
            if not figure.get("name") or any(True for _ in cell.findall(nodes.figure)):
                continue
            placeholder = nodes.figure(classes=["dlcourse-unexecuted"])
            placeholder["names"].append(nodes.fully_normalize_name(figure["name"]))
            self.document.note_explicit_target(placeholder, placeholder)
            alt = (meta.get("image") or {}).get("alt") or "A figure drawn when the notebook runs."
            placeholder += nodes.caption(text=f"{alt} (Drawn when the notebook runs.)")
            cell += placeholder


def _singlehtml_inherits_html_handlers(app) -> None:
    """Sphinx looks up node visitors by builder name before format, so once one extension
    (sphinx-exercise) registers ``singlehtml`` visitors, the ``html`` ones of the others
    (MyST-NB's folded cells) are not found in the single-page build ``make pdf`` uses."""
    handlers = app.registry.translation_handlers
    if app.builder.name == "singlehtml" and "singlehtml" in handlers:
        for node, pair in handlers.get("html", {}).items():
            handlers["singlehtml"].setdefault(node, pair)


def _plain_citation_list(app, pagename, templatename, context, doctree) -> None:
    """docutils marks the bibliography up with ARIA roles that axe-core rejects (the
    deprecated ``doc-biblioentry``; a ``list`` holding link anchors): plain divs instead."""
    body = context.get("body", "")
    if "citation-list" in body:
        context["body"] = (body.replace('<div role="list" class="citation-list">',
                                        '<div class="citation-list">')
                           .replace(' role="doc-biblioentry"', ""))


def setup(app):
    app.connect("doctree-read", _hide_markers)
    app.connect("html-page-context", _plain_citation_list)
    app.connect("builder-inited", _singlehtml_inherits_html_handlers)
    app.add_transform(FigurePlaceholders)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
