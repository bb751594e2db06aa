"""The student edition of the book (``make book-student``) shows no solution.

Two builds, both with the strict flags of ``make book`` (``-W -n --keep-going``):

- a tiny book made here from the synthetic demo chapter of ``test_assign.py``, whose
  solutions carry marker words (``SECRET-...``), built *with* notebook execution: no
  marker word may appear in any file of the output (HTML, search index, downloadable
  sources), the stubs are shown and were not run;
- the real book through ``make book-student`` itself, with execution off for speed
  (``STUDENT_EXECUTE=off``; nbval runs every chapter in ``make test`` anyway): zero
  warnings, and no solution line of any chapter in the output.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_assign import SECRETS, demo_chapter  # noqa: E402

from dlcourse.instructor import assign, bookconfig, catalogue, markers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_S = 900
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE)[:\s]", re.IGNORECASE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".md", ".json"}
ENV = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NO_COLOR": "1"}


def _jupyter_book() -> str:
    here = Path(sys.executable).with_name("jupyter-book")
    return str(here) if here.exists() else (shutil.which("jupyter-book") or "jupyter-book")


#: The kernel process's own log line (ipykernel >= 7 on a TCP transport) when the build
#: executes notebooks: not a Sphinx warning, and the build's exit status ignores it.
_KERNEL_LOG = "[IPKernelApp] WARNING | Kernel is running over TCP without encryption"


def _warnings(proc) -> list[str]:
    log = _ANSI.sub("", proc.stdout + proc.stderr)
    return [line for line in log.splitlines()
            if _WARNING.search(line) and not line.startswith(_KERNEL_LOG)]


def _output_files(out: Path) -> dict[Path, str]:
    """Every text file of a built book, read."""
    return {p: p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
            if p.is_file() and p.suffix in _TEXT_SUFFIXES and ".jupyter_cache" not in p.parts}


def _visible_text(page: str) -> set[str]:
    """The stripped lines of text a reader sees in an HTML page (code blocks included)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL | re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return {line.strip() for line in text.splitlines() if line.strip()}


# ------------------------------------------------------------------ a tiny book


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory):
    """The demo chapter in a one-chapter book, student edition built with execution."""
    tmp = tmp_path_factory.mktemp("demo-book")
    src = tmp / "instructor"
    (src / "book" / "part").mkdir(parents=True)
    shutil.copy2(ROOT / "_config.yml", src / "_config.yml")
    (src / "references.bib").write_text("")
    (src / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n"
        "    chapters:\n      - file: book/part/demo\n")
    (src / "book" / "intro.md").write_text("# Intro\n\nA demo book.\n")
    nbformat.write(demo_chapter(), src / "book" / "part" / "demo.ipynb")
    student_src = assign.student_book(tmp / "student_src", src, execute="force")
    proc = subprocess.run(
        [_jupyter_book(), "build", "-W", "-n", "--keep-going",
         "--path-output", str(tmp / "out"), str(student_src)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, env=ENV, check=False)
    return proc, tmp / "out" / "_build" / "html", student_src


def test_demo_student_book_builds_without_warnings(demo_book):
    proc, _, _ = demo_book
    warnings = _warnings(proc)
    assert proc.returncode == 0 and not warnings, "\n".join(warnings) or proc.stdout[-3000:]


def test_demo_student_book_shows_no_solution(demo_book):
    proc, out, _ = demo_book
    assert proc.returncode == 0
    files = _output_files(out)
    assert out / "book" / "part" / "demo.html" in files
    leaks = [(p.relative_to(out), s) for p, text in files.items() for s in SECRETS if s in text]
    assert not leaks, f"solution text in the student edition: {leaks}"


def test_demo_student_book_shows_statements_and_unrun_stubs(demo_book):
    proc, out, _ = demo_book
    assert proc.returncode == 0
    page = (out / "book" / "part" / "demo.html").read_text(encoding="utf-8")
    text = _visible_text(page)
    assert "# YOUR CODE HERE" in text and "raise NotImplementedError" in text
    assert "NotImplementedError" not in "".join(re.findall(r'class="output.*?</div>', page)), \
        "stubs are tagged skip-execution: the build must not run them"
    assert "2" in text, "the chapter's other cells were executed"
    for label in ("ex-demo-1", "ex-demo-2", "ex-demo-3", "ex-demo-4"):
        assert f'id="{label}"' in page, f"exercise {label} is missing from the page"


def test_student_book_refuses_to_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="student_book: output must be a new or empty folder"):
        assign.student_book(tmp_path, ROOT)
    assert (tmp_path / "keep.txt").exists()


# ------------------------------------------------------------------ the real book


@pytest.fixture(scope="module")
def real_book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("student-book")
    cmd = ["make", "-o", ".venv/.installed", "book-student", "STUDENT_EXECUTE=off",
           f"STUDENT_SRC={tmp / 'src'}", f"STUDENT_OUT={tmp / 'out'}",
           f"BIN={Path(sys.executable).parent}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_S, env=ENV, check=False)
    return proc, tmp / "out" / "_build" / "html"


def test_make_book_student_builds_without_warnings(real_book):
    proc, _ = real_book
    warnings = _warnings(proc)
    assert proc.returncode == 0 and not warnings, (
        f"`make book-student STUDENT_EXECUTE=off` exited with {proc.returncode}:\n"
        + "\n".join(warnings[:60]) + ("" if warnings else "\n" + proc.stdout[-3000:]
                                      + proc.stderr[-3000:]))


def test_make_book_student_shows_no_solution(real_book):
    proc, out = real_book
    if proc.returncode != 0:
        pytest.skip("the build failed: see test_make_book_student_builds_without_warnings")
    files = _output_files(out)
    pages = {p: _visible_text(t) for p, t in files.items() if p.suffix == ".html"}
    sources = {line.strip() for p, t in files.items() if p.suffix != ".html"
               for line in t.replace("\\n", "\n").splitlines()}
    leaks = []
    notebooks = [nb for nb in sorted((ROOT / "book").rglob("*.ipynb"))
                 if ".ipynb_checkpoints" not in nb.parts]
    lines = {nb: assign.solution_lines(nbformat.read(nb, as_version=4)) for nb in notebooks}
    # A line any chapter shows publicly (`else:`, a code fence) cannot leak a solution.
    public_anywhere = set().union(*(public for _, public in lines.values()))
    for notebook, (solution, _) in lines.items():
        secret = solution - public_anywhere - set(markers.CODE_STUB)
        for line in secret:
            where = [p.relative_to(out).as_posix() for p, text in pages.items() if line in text]
            if line in sources:
                where.append("a page source (.ipynb/.md/.txt/.js)")
            if where:
                leaks.append(f"{notebook.relative_to(ROOT)}: {line!r} in {where[:3]}")
    solution_boxes = [p.relative_to(out).as_posix() for p, t in files.items()
                      if p.suffix == ".html" and re.search(r'class="[^"]*\bsolution\b', t)]
    assert not leaks and not solution_boxes, "\n".join(
        leaks[:30] + [f"solution box in {p}" for p in solution_boxes])


def test_make_book_student_keeps_every_exercise(real_book):
    proc, out = real_book
    if proc.returncode != 0:
        pytest.skip("the build failed: see test_make_book_student_builds_without_warnings")
    missing = []
    for ex in catalogue.list_exercises(ROOT):
        page = out / f"{ex.chapter}.html"
        if not page.is_file() or f'id="{ex.label}"' not in page.read_text(encoding="utf-8"):
            missing.append(ex.label)
    assert not missing, f"exercises missing from the student edition: {missing}"


def test_student_config_hides_solutions_and_every_way_back_to_them():
    from dlcourse.instructor import bookconfig

    base = bookconfig.publish_config(bookconfig.load_config(ROOT / "_config.yml"),
                                     "https://github.com/someone/dlcourse")
    config = bookconfig.student_config(base, execute="off")
    assert config["sphinx"]["config"]["hide_solutions"] is True
    assert config["execute"]["execute_notebooks"] == "off"
    assert not any(config["launch_buttons"][k] for k in ("binderhub_url", "colab_url",
                                                         "jupyterhub_url", "thebe"))
    assert not any(config["html"][k] for k in ("use_repository_button", "use_issues_button",
                                               "use_edit_page_button"))
    assert base["launch_buttons"]["colab_url"], "the source config is not modified"
    with pytest.raises(ValueError, match="student_config: execute must be one of"):
        bookconfig.student_config(base, execute="sometimes")
