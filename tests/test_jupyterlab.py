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

pytest.importorskip("jupyterlab_myst")
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHAPTER = ROOT / "book" / "core" / "activations.ipynb"
#: Raw MyST that must not show in a rendered page.
RAW = (":label:", ":class:", "{exercise}", "{solution", "{admonition}", "{eq}", "{cite")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"needs Debian's chromium at {CHROMIUM}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of one chapter; yields (url of the notebook, folder)."""
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


def test_equation_references_render_as_numbers(page):
    """{eq}`act-chain` becomes a link to the equation that reads "(2)", not the label."""
    refs = page.locator('a.hover-link[href="#act-chain"]').all_text_contents()  # folded too
    assert refs and all(r.startswith("(") and r.strip("()").isdigit() for r in refs), refs
