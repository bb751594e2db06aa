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


# ------------------------------------------------------------------ the built pages

CHROMIUM = Path("/usr/bin/chromium")
#: axe-core rule tags of WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: TeX left on a page once MathJax has run: a delimiter, or a command in running text.
_RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\(?:frac|sum|mathbf|operatorname|begin)\b")


@pytest.fixture(scope="module")
def html(built_book):
    returncode, log, html_dir = built_book
    if returncode != 0:
        pytest.fail("the book did not build (see test_book_build):\n" + log[-3000:])
    return html_dir


@pytest.fixture(scope="module")
def pages(html):
    """Every page a reader opens (not the index, a redirect to the preface)."""
    return sorted(p for p in html.rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html", "search.html")
                  and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, every request off the local disk refused."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("the page tests need Debian's chromium (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def _offline_page(browser, color_scheme="light"):
    """A page in a context where any non-file request is aborted (and recorded)."""
    context = browser.new_context(color_scheme=color_scheme)
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, context.new_page(), blocked


#: The article's text without code listings (where a backslash is code, not TeX).
_PROSE_TEXT = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("pre, code, mjx-container").forEach(e => e.remove());
  return article.textContent;
}"""


#: Resolves once every finite CSS transition or animation on the page has ended, so that
#: axe measures the colours a reader sees, not a frame of the theme fading into dark mode
#: (CI once caught the search button mid-transition at 3.29:1).
_SETTLED = """() => Promise.all(document.getAnimations()
  .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map(a => a.finished.catch(() => null)))"""


#: CSS transitions only animate between colours; with them off a change of colour scheme
#: takes effect at once, so no page waits out the theme's fade into dark mode (0.3 s a
#: page). Animations still run, and ``_SETTLED`` waits for them.
_NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


def _load(page, path: Path) -> None:
    page.goto(path.as_uri(), wait_until="load")
    page.add_style_tag(content=_NO_TRANSITIONS)
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    page.evaluate(_SETTLED)


def test_no_code_listing_shows_grading_markers(pages):
    """No code block of a chapter holds a ### BEGIN/END SOLUTION line (the instructors'
    guide shows them on purpose)."""
    chapters = [p for p in pages if p.parent.parent.name == "book"]   # book/<part>/<chapter>
    shown = []
    for path in chapters:
        for block in re.findall(r"<pre[^>]*>(.*?)</pre>", path.read_text(encoding="utf-8"), re.S):
            text = re.sub(r"<[^>]+>", "", block)
            if re.search(r"^\s*### (BEGIN|END) SOLUTION\s*$", text, re.M):
                shown.append(path.name)
    assert len(chapters) >= 20 and not shown, f"code listings showing ### BEGIN/END SOLUTION: {shown}"


#: axe's options for each colour scheme: every WCAG 2.1 AA rule in light mode; in dark
#: mode, which changes colours only, the colour-contrast rule. Only violations are
#: collected (``resultTypes``: axe then records one node, not all, of the rules that
#: pass, which takes a fifth of its time off on the book's long pages).
_AXE_OPTIONS = {
    "light": {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    "dark": {"runOnly": {"type": "rule", "values": ["color-contrast"]},
             "resultTypes": ["violations"]},
}


def _violations(axe, page, scheme: str) -> list[str]:
    return [f"{v['id']} ({len(v['nodes'])}x) at {v['nodes'][0]['target']}: "
            f"{v['nodes'][0].get('failureSummary', '')[:200]!r}"
            for v in axe.run(page, options=_AXE_OPTIONS[scheme]).response["violations"]]


def _axe_pass(browser, html, pages):
    """Load every page once with the network blocked and run axe on it in light mode,
    then again after switching the page to dark mode (``prefers-color-scheme``, which
    the theme follows at once). Returns ``({"light": results, "dark": results},
    blocked requests)``; per page: (raw TeX found or None, number of rendered
    formulas, axe-core violations), the first two read in light mode."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    context, page, blocked = _offline_page(browser, "light")
    results = {"light": {}, "dark": {}}
    for path in pages:
        name = str(path.relative_to(html))
        page.emulate_media(color_scheme="light")
        _load(page, path)
        raw = _RAW_TEX.search(page.evaluate(_PROSE_TEXT))
        formulas = page.locator("mjx-container").count()
        results["light"][name] = (raw and raw.group(0), formulas, _violations(axe, page, "light"))
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'",
                               timeout=10_000)  # the theme's media-change handler
        page.evaluate(_SETTLED)
        results["dark"][name] = (raw and raw.group(0), formulas, _violations(axe, page, "dark"))
    context.close()
    return results, blocked


@pytest.fixture(scope="module")
def axe_results(browser, html, pages):
    return _axe_pass(browser, html, pages)


@pytest.fixture(scope="module")
def light(axe_results):
    return axe_results[0]["light"], axe_results[1]


@pytest.fixture(scope="module")
def dark(axe_results):
    """Dark mode changes colours only: its pass runs axe's colour-contrast rule."""
    return axe_results[0]["dark"], axe_results[1]


def test_math_renders_with_the_network_blocked(light, html, pages):
    """Every page with math loads MathJax from the book itself and shows no raw TeX."""
    results, blocked = light
    with_math = {str(p.relative_to(html)) for p in pages
                 if 'class="math' in p.read_text(encoding="utf-8")}
    raw = {page: r for page, (r, _, _) in results.items() if r}
    unrendered = [page for page in with_math if results[page][1] == 0]
    assert len(with_math) >= 10 and not raw and not unrendered, (
        f"raw TeX offline on {raw}; no formula rendered on {unrendered}")
    assert not blocked, f"pages asked the network for {sorted(set(blocked))[:10]}"


def test_chapters_figures_equations_and_exercises_are_numbered_per_chapter(html):
    page = (html / "book/core/activations.html").read_text(encoding="utf-8")
    chapter = re.search(r'toctree-l1 current active"><a[^>]*>(\d+)\. ', page)
    assert chapter, "the sidebar does not number the current chapter"
    n = chapter.group(1)
    assert f'<h1><span class="section-number">{n}. </span>' in page, "the title has no number"
    assert f'<span class="eqno">({n}.1)' in page
    assert f"Exercise {n}.1" in page
    assert re.search(rf"Figure {n}\.1", page)
    assert not re.search(r"Exercise \d{2,}\b(?!\.)", page)


def test_every_page_passes_axe_wcag21_aa_in_light_mode(light):
    """axe-core finds no WCAG 2.0/2.1 level A or AA violation on any page."""
    found = [f"{page}: {v}" for page, (_, _, vs) in light[0].items() for v in vs]
    assert not found, f"{len(found)} violation(s):\n" + "\n".join(found[:40])


def test_every_page_has_enough_contrast_in_dark_mode(dark):
    found = [f"{page}: {v}" for page, (_, _, vs) in dark[0].items() for v in vs]
    assert not found, f"{len(found)} violation(s):\n" + "\n".join(found[:40])


def test_headings_are_in_order(html, pages):
    """Each page has one <h1>, first, and no heading skips a level (h2 then h4)."""
    problems = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if "<article" not in text:
            continue
        article = text[text.index("<article"):text.index("</article>")]
        levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", article)]
        skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        if not levels or levels[0] != 1 or levels.count(1) != 1 or skips:
            problems.append(f"{path.relative_to(html)}: heading levels {levels[:10]}..., skips {skips}")
    assert not problems, "\n".join(problems)
