"""Every chapter has the parts CONTRIBUTING.md asks for.

For each notebook listed in ``_toc.yml`` (front and back matter excepted, see
``NOT_CHAPTERS``) the source — outputs are not needed — must have:

- a setup first code cell calling ``dlcourse.setup(`` (tagged ``hide-input`` or
  ``remove-input``), and one ``# title``;
- a ``## Learning objectives`` heading followed by a bullet list;
- an ``assert`` in some code cell (claims are checked where they are made);
- at least one figure, and a caption or alt text for **every** figure (the
  convention is in CONTRIBUTING.md, "Figures"); markdown images and MyST
  ``{figure}``/``{image}`` directives need alt text too;
- a ``## Summary`` section, then ``## Exercises`` with at least three ``exercise``
  directives labelled ``ex-<chapter>-<n>``, balanced ``solution-start`` /
  ``solution-end`` markers, and at least one code exercise: a code cell that ends with
  a ``dlcourse.exercises`` checker call (every cell with ``### BEGIN SOLUTION`` must).

Other book hygiene (outputs cleared, kernelspec, every notebook in the toc) is in
``tests/test_hygiene.py``; warnings, references and citations in
``tests/test_book_build.py``. The checker itself is tested on two small notebooks
built here, so it is known to work before the first chapter exists.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import nbexec  # noqa: E402

#: Pages in the toc that are not chapters, and why they have no exercises.
NOT_CHAPTERS = {
    "book/preface": "front matter: how to use the book",
    "book/glossary": "back matter: a list of terms",
    "book/bibliography": "back matter: the references",
    "book/instructors": "back matter: the instructor guide (commands, not lessons)",
}

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\s*\{(?P<name>[\w:-]+)\}(?P<arg>[^\n]*)$", re.MULTILINE)
LABEL_OPTION = re.compile(r"^\s*:label:\s*(\S+)", re.MULTILINE)
CHECKER_CALL = re.compile(r"(?:^|[\s.=(])check_\w+\s*\(")
ASSERT = re.compile(r"^\s*assert\b", re.MULTILINE)
#: A code cell that draws: a dlcourse.plotting function or a matplotlib call that makes a figure.
DRAWS = re.compile(
    r"(?<![\w.])(?:plotting\.)?plot_[a-z_]+\s*\("
    r"|\bplt\.(?:plot|scatter|imshow|subplots|subplot|figure|bar|barh|hist|contour|contourf|pcolormesh|matshow)\s*\("
    r"|\.(?:imshow|matshow|contourf?|pcolormesh)\s*\("
)
CAPTION = re.compile(r"^\s*(?:\*\*|\*|_)?(?:Figure|Fig\.)\b", re.IGNORECASE)
MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)")
HIDDEN_OUTPUT_TAGS = {"remove-output", "remove-cell"}
#: A fenced code block in markdown (not a ```{directive}): its '# comments' are not headings.
CODE_FENCE = re.compile(r"^(?P<f>`{3,}|~{3,})(?!\s*\{)[^\n]*\n.*?^(?P=f)\s*$", re.MULTILINE | re.DOTALL)


# ----------------------------------------------------------------- the checker


def _code_lines(source: str) -> list[str]:
    return [
        line for line in source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def _has_caption_metadata(cell) -> bool:
    meta = cell.get("metadata", {}).get("mystnb", {}) or {}
    figure = meta.get("figure", {}) or {}
    image = meta.get("image", {}) or {}
    return bool(str(figure.get("caption", "")).strip() or str(image.get("alt", "")).strip())


def figure_problems(nb) -> tuple[int, list[str]]:
    """(number of figures, problems): every drawing cell needs a caption or alt text."""
    problems, figures = [], 0
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code":
            code = "\n".join(_code_lines(cell.source))
            if not DRAWS.search(code) or re.search(r"^\s*def\s+plot_", code, re.MULTILINE):
                continue
            if HIDDEN_OUTPUT_TAGS & set(cell.get("metadata", {}).get("tags", [])):
                continue
            figures += 1
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            captioned = nxt is not None and nxt.cell_type == "markdown" and CAPTION.match(nxt.source)
            if not (captioned or _has_caption_metadata(cell)):
                problems.append(
                    f"cell {i} draws a figure ({nbexec.first_line(cell.source, 50)!r}) but the "
                    f"next cell is not a caption starting with '**Figure' and the cell has no "
                    f"mystnb figure caption / image alt metadata"
                )
        elif cell.cell_type == "markdown":
            for m in MD_IMAGE.finditer(cell.source):
                figures += 1
                if not m.group("alt").strip():
                    problems.append(f"cell {i}: image {m.group('src')!r} has no alt text")
            for m in DIRECTIVE.finditer(cell.source):
                if m.group("name") not in ("figure", "image"):
                    continue
                figures += 1
                body = cell.source[m.end():].split("```")[0].split(":::")[0]
                has_alt = re.search(r"^\s*:alt:\s*\S", body, re.MULTILINE)
                has_caption = m.group("name") == "figure" and any(
                    line.strip() and not line.strip().startswith(":") for line in body.splitlines()
                )
                if not (has_alt or has_caption):
                    problems.append(f"cell {i}: {{{m.group('name')}}} {m.group('arg').strip()!r} "
                                    f"has neither :alt: nor a caption")
    return figures, problems


def chapter_problems(nb, stem: str) -> list[str]:
    """Everything CONTRIBUTING.md asks of a chapter that this notebook lacks."""
    problems: list[str] = []
    md = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    headings = [
        (i, len(m.group(1)), m.group(2).strip())
        for i, c in md for m in HEADING.finditer(CODE_FENCE.sub("", c.source))
    ]

    # setup and title
    if not code or "dlcourse.setup(" not in code[0][1].source:
        problems.append("the first code cell must call dlcourse.setup(...) (seeds and quiet TensorFlow)")
    elif not {"hide-input", "remove-input", "remove-cell"} & set(code[0][1].metadata.get("tags", [])):
        problems.append("the setup cell should be tagged 'hide-input' (or 'remove-input')")
    titles = [h for h in headings if h[1] == 1]
    if len(titles) != 1:
        problems.append(f"expected one '# title'; found {len(titles)}: {[t[2] for t in titles]}")

    def section(name: str):
        for i, level, text in headings:
            if level == 2 and text.lower().rstrip(":") == name.lower():
                return i
        return None

    # learning objectives: the heading, then a bullet list (same cell or the next one)
    lo = section("Learning objectives")
    if lo is None:
        problems.append("no '## Learning objectives' heading")
    else:
        after = nb.cells[lo].source.split("Learning objectives", 1)[-1]
        if lo + 1 < len(nb.cells) and nb.cells[lo + 1].cell_type == "markdown":
            after += "\n" + nb.cells[lo + 1].source
        if not re.search(r"^\s*(?:[-*+]|\d+\.)\s+\S", after, re.MULTILINE):
            problems.append("'## Learning objectives' is not followed by a bullet list")

    # claims are checked
    if not any(ASSERT.search(c.source) for _, c in code):
        problems.append("no code cell has an assert (claims are checked where they are made)")

    # figures
    figures, fig_problems = figure_problems(nb)
    if figures == 0:
        problems.append("no figure (draw at least one with a dlcourse.plotting function)")
    problems += fig_problems

    # summary and exercises
    if section("Summary") is None:
        problems.append("no '## Summary' section")
    ex = section("Exercises")
    if ex is None:
        problems.append("no '## Exercises' section")
        return problems
    tail = nb.cells[ex:]
    text = "\n".join(c.source for c in tail if c.cell_type == "markdown")
    exercises = [m for m in DIRECTIVE.finditer(text) if m.group("name") == "exercise"]
    if len(exercises) < 3:
        problems.append(f"'## Exercises' has {len(exercises)} exercise directive(s); at least 3 are needed")
    labels = []
    for m in exercises:
        label = LABEL_OPTION.search(text[m.end():m.end() + 400])
        labels.append(label.group(1) if label else None)
    bad = [lab for lab in labels if not (lab and re.fullmatch(rf"ex-{re.escape(stem)}-\d+", lab))]
    if bad:
        problems.append(f"exercise labels must be ex-{stem}-<n>; found {labels}")
    starts = sum(1 for m in DIRECTIVE.finditer(text) if m.group("name") == "solution-start")
    ends = sum(1 for m in DIRECTIVE.finditer(text) if m.group("name") == "solution-end")
    if starts != ends:
        problems.append(f"{starts} solution-start but {ends} solution-end markers")
    if not re.search(r"dlcourse\.exercises|from\s+dlcourse\s+import\s+exercises",
                     "\n".join(c.source for _, c in code)):
        problems.append("no code imports a dlcourse.exercises checker module")
    ex_code = [(i, c) for i, c in code if i > ex]
    ending_in_checker = [i for i, c in ex_code if _code_lines(c.source) and CHECKER_CALL.search(_code_lines(c.source)[-1])]
    if not ending_in_checker:
        problems.append("no code exercise: no code cell under '## Exercises' ends with a check_...() call")
    for i, c in code:
        if "### BEGIN SOLUTION" in c.source:
            lines = _code_lines(c.source)
            if not lines or not CHECKER_CALL.search(lines[-1]):
                problems.append(f"cell {i} holds a solution but does not end with a checker call")
            if "### END SOLUTION" not in c.source:
                problems.append(f"cell {i}: '### BEGIN SOLUTION' without '### END SOLUTION'")
    return problems


# ----------------------------------------------------------------- the chapters


def _chapters() -> list[tuple[str, Path | None]]:
    out = []
    for entry in nbexec.toc_entries():
        if str(Path(entry).with_suffix("")) in NOT_CHAPTERS:
            continue
        out.append((entry, nbexec.resolve(entry)))
    return out


CHAPTERS = _chapters()


@pytest.mark.parametrize(
    "entry,path",
    [pytest.param(e, p, id=e) for e, p in CHAPTERS]
    or [pytest.param(None, None, id="no-chapter", marks=pytest.mark.skip(
        reason="_toc.yml lists no chapter yet (only front and back matter)"))],
)
def test_chapter_has_objectives_figures_checks_and_exercises(entry, path):
    if path is None:
        pytest.fail(f"_toc.yml lists {entry!r} but no such file exists")
    if path.suffix != ".ipynb":
        pytest.fail(f"{entry}: a chapter is a notebook; whitelist it in NOT_CHAPTERS "
                    f"(tests/test_book_structure.py) with a reason if it is not a chapter")
    nb = nbformat.read(path, as_version=4)
    problems = chapter_problems(nb, path.stem)
    assert not problems, f"{nbexec.rel(path)} (see CONTRIBUTING.md, 'A chapter'):\n- " + "\n- ".join(problems)


def test_whitelisted_pages_exist_or_are_absent_from_the_toc():
    listed = {str(Path(e).with_suffix("")) for e in nbexec.toc_entries()}
    for page in NOT_CHAPTERS:
        if page in listed:
            assert nbexec.resolve(page) is not None, f"_toc.yml lists {page} but it does not exist"


# ------------------------------------------------- the checker, on known notebooks


def _md(text, **meta):
    return nbformat.v4.new_markdown_cell(text, metadata=meta)


def _code(text, tags=(), **meta):
    if tags:
        meta["tags"] = list(tags)
    return nbformat.v4.new_code_cell(text, metadata=meta)


def model_chapter():
    """The smallest notebook that follows every rule: the checker must accept it."""
    nb = nbformat.v4.new_notebook()
    fence = "```"
    nb.cells = [
        _code("import dlcourse\nrng = dlcourse.setup(seed=0, tensorflow=False)", tags=["hide-input"]),
        _md("# Activations\n\n## Learning objectives\n\n- say what an activation does\n- plot one"),
        _code("from dlcourse import plotting\nfig = plotting.plot_activations()"),
        _md("**Figure 1.** Four activations and their derivatives."),
        _code("assert 1 + 1 == 2"),
        _md("## Summary\n\nActivations bend lines."),
        _md(f"## Exercises\n\n{fence}{{exercise}}\n:label: ex-act-1\n\nShow it.\n{fence}\n\n"
            f"{fence}{{exercise}}\n:label: ex-act-2\n\nShow that.\n{fence}\n\n"
            f"{fence}{{exercise}}\n:label: ex-act-3\n\nWrite `leaky_relu`.\n{fence}"),
        _md(f"{fence}{{solution-start}} ex-act-3\n:class: dropdown\n{fence}"),
        _code("from dlcourse.exercises import activations as ex\n\n### BEGIN SOLUTION\n"
              "def leaky_relu(x):\n    return x\n### END SOLUTION\n\nex.check_leaky_relu(leaky_relu)"),
        _md(f"{fence}{{solution-end}}\n{fence}"),
    ]
    return nb


def test_the_checker_accepts_a_model_chapter():
    assert chapter_problems(model_chapter(), "act") == []


def test_the_checker_ignores_comments_in_markdown_code_blocks():
    nb = model_chapter()
    nb.cells.insert(2, _md("Like this:\n\n```python\n# not a heading\nx = 1\n```"))
    assert chapter_problems(nb, "act") == []


def test_the_checker_accepts_caption_metadata_and_alt_text_instead_of_a_caption_cell():
    nb = model_chapter()
    nb.cells[3] = _md("The curves show ...")
    nb.cells[2].metadata["mystnb"] = {"image": {"alt": "Four activation curves"}}
    assert chapter_problems(nb, "act") == []


@pytest.mark.parametrize("breakage,expected", [
    (lambda nb: nb.cells.pop(0), "dlcourse.setup"),
    (lambda nb: nb.cells.insert(2, _md("# Another title")), "one '# title'"),
    (lambda nb: setattr(nb.cells[1], "source", "# Activations\n\nNo objectives here."), "Learning objectives"),
    (lambda nb: setattr(nb.cells[4], "source", "print(2)"), "assert"),
    (lambda nb: setattr(nb.cells[3], "source", "The curves above."), "caption"),
    (lambda nb: [nb.cells.pop(3), nb.cells.pop(2)], "no figure"),
    (lambda nb: nb.cells.insert(2, _md("![](plot.png)")), "alt text"),
    (lambda nb: nb.cells.insert(2, _md("```{figure} plot.png\n:name: fig-x\n```")), "neither :alt: nor a caption"),
    (lambda nb: setattr(nb.cells[5], "source", "Nothing."), "Summary"),
    (lambda nb: setattr(nb.cells[6], "source", nb.cells[6].source.split("```{exercise}\n:label: ex-act-2")[0]), "at least 3"),
    (lambda nb: setattr(nb.cells[6], "source", nb.cells[6].source.replace("ex-act-2", "my-ex")), "labels"),
    (lambda nb: nb.cells.pop(9), "solution-end"),
    (lambda nb: setattr(nb.cells[8], "source", nb.cells[8].source.replace("ex.check_leaky_relu(leaky_relu)", "")), "checker"),
])
def test_the_checker_reports_what_is_missing(breakage, expected):
    nb = model_chapter()
    breakage(nb)
    problems = chapter_problems(nb, "act")
    assert any(expected.lower() in p.lower() for p in problems), problems
