"""A chapter opened in JupyterLab, as a learner sees it, in a real headless Chromium.

jupyterlab-myst (requirements.txt) renders the MyST of the markdown cells: the
sphinx-exercise ``exercise`` and ``solution`` boxes (solutions folded until clicked),
the gated ``solution-start``/``solution-end`` headers, admonitions and ``{eq}``
references. Citations render as their keys (jupyterlab-myst reads no ``.bib``), not as
raw ``{cite:p}`` text. The test opens a copy of a chapter (JupyterLab must never save
over the book), looks for the rendered boxes, and fails on any raw directive text.
Screenshots go to ``$DLCOURSE_SCREENSHOTS`` (default: the test's temporary folder).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest


ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHAPTER = ROOT / "book" / "core" / "activations.ipynb"
#: Raw MyST that must not show in a rendered page.
RAW = (":label:", ":class:", "{exercise}", "{solution", "{admonition}", "{eq}", "{cite")



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of one chapter; yields (url of the notebook, folder)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (.ci/run installs it)")
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(CHAPTER, work / CHAPTER.name)
    settings = work / ".settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "apputils-extension").mkdir(parents=True)
    # render every cell (not only those in view), and no news pop-up over the page
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}')
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(work / ".settings"),
               JUPYTER_CONFIG_DIR=str(work / ".config"),
               JUPYTER_RUNTIME_DIR=str(work / ".runtime"))
    log = open(work / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.token=",
         "--ServerApp.password=", f"--ServerApp.root_dir={work}"],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/lab/tree/{CHAPTER.name}"
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield url, work
    finally:
        server.terminate()
        server.wait(20)
        log.close()


@pytest.fixture(scope="module")
def page(lab):
    from playwright import sync_api

    url, work = lab
    shots = Path(os.environ.get("DLCOURSE_SCREENSHOTS") or work)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(url, timeout=60_000)
        page.wait_for_selector(".jp-Notebook .myst-exercise", timeout=90_000)
        page.wait_for_timeout(3000)  # let every markdown cell finish rendering
        page.shots = shots
        yield page
        browser.close()


BOOK = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _inside_gated_solutions(nb) -> list[int]:
    """Indices of the cells between a solution-start cell and its solution-end cell."""
    inside, found = False, []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and "{solution-start}" in cell.source:
            inside = True
        elif cell.cell_type == "markdown" and "{solution-end}" in cell.source:
            inside = False
        elif inside:
            found.append(i)
    return found


@pytest.mark.parametrize("path", BOOK, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_gated_solutions_are_folded_in_jupyterlab(path):
    """JupyterLab folds a cell whose metadata says jupyter.source_hidden: every cell of a
    gated solution (between solution-start and solution-end) says so."""
    nb = nbformat.read(path, as_version=4)
    open_cells = [i for i in _inside_gated_solutions(nb)
                  if not nb.cells[i].metadata.get("jupyter", {}).get("source_hidden")]
    assert not open_cells, (f"cells {open_cells}: add \"jupyter\": {{\"source_hidden\": true}} "
                            f"to the metadata of every cell inside a gated solution")


def _exercise_labels() -> list[str]:
    nb = nbformat.read(CHAPTER, as_version=4)
    return [line for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.strip().startswith(":label: ex-")]


def test_exercises_render_as_boxes_with_no_raw_markup(page):
    """Every exercise of the chapter is a rendered box; no raw directive text is left."""
    n_exercises = len(_exercise_labels())
    assert n_exercises >= 3
    titles = page.locator(".myst-exercise-title").all_inner_texts()
    assert sum(t.startswith("Exercise ") for t in titles) == n_exercises, titles
    text = page.inner_text(".jp-Notebook")
    assert not [raw for raw in RAW if raw in text], [raw for raw in RAW if raw in text]
    assert page.locator(".myst-admonition").count() >= 1  # the errata box
    assert "Start of Solution to Exercise" in text  # the gated form's header
    page.locator(".myst-exercise").first.scroll_into_view_if_needed()
    page.screenshot(path=str(page.shots / "jupyterlab-exercises.png"))


def test_solutions_are_folded_until_clicked(page):
    """A {solution} box shows its title only; one click opens it."""
    header = page.locator(".myst-exercise-header.cursor-pointer").first
    body = header.locator("xpath=following-sibling::*[contains(@class, 'details-body')]")
    assert "Solution to" in header.inner_text()
    assert not body.is_visible()
    header.click()
    assert body.is_visible()
    page.screenshot(path=str(page.shots / "jupyterlab-solution-open.png"))


def test_gated_solution_code_is_hidden_until_clicked(page):
    """The code of a gated solution shows as a one-line folded placeholder; a click opens it."""
    folded = page.locator(".jp-Cell:has(.jp-InputPlaceholder)")
    assert folded.count() >= 1
    for k in range(folded.count()):
        preview = folded.nth(k).locator(".jp-InputPlaceholder").inner_text().strip()
        assert len(preview.splitlines()) <= 1, preview  # JupyterLab previews one line
    cell = page.locator(".jp-CodeCell:has(.jp-InputPlaceholder)").first.element_handle()  # stays put once opened
    cell.scroll_into_view_if_needed()
    page.screenshot(path=str(page.shots / "jupyterlab-gated-folded.png"))
    cell.query_selector(".jp-Placeholder-content").click()
    page.wait_for_timeout(500)
    assert len(cell.query_selector(".jp-InputArea-editor").inner_text().splitlines()) > 1


def test_equation_references_render_as_numbers(page):
    """{eq}`act-chain` becomes a link to the equation that reads "(2)", not the label."""
    refs = page.locator('a.hover-link[href="#act-chain"]').all_text_contents()  # folded too
    assert refs and all(r.startswith("(") and r.strip("()").isdigit() for r in refs), refs
