"""Every chapter's setup cell installs dlcourse in Colab, pinned, and does nothing elsewhere.

The last test runs a chapter the way Colab would: a fresh virtual environment without
system site packages and without dlcourse, whose other packages (NumPy, TensorFlow,
Jupyter) are visible the way Colab's preinstalled ones are, with the install source
pointed at a wheel of this checkout (``DLCOURSE_INSTALL``) and pip forbidden to reach
any index (``PIP_NO_INDEX``): nothing downloads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from dlcourse import __main__ as cli
from dlcourse import setupcell
from dlcourse.instructor.catalogue import toc_pages

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [path for _, _, path in toc_pages(ROOT) if path.suffix == ".ipynb"]
#: A NumPy-only chapter: quick to run in the fresh environment.
COLAB_CHAPTER = ROOT / "book" / "background" / "background.ipynb"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_chapter_setup_cell_carries_the_install_block_below_the_title(path):
    nb = nbformat.read(path, as_version=4)
    assert setupcell.read_pin(nb) is not None, (
        f"{path.name}: the setup cell must start with dlcourse.setupcell.TEMPLATE; "
        f"run `python -m dlcourse setup-cells`")
    setup = setupcell._setup_index(nb)
    title = next(i for i, c in enumerate(nb.cells)
                 if c.cell_type == "markdown" and c.source.startswith("# "))
    assert title < setup, f"{path.name}: the setup cell stands above the title"


def test_every_chapter_has_the_same_pin():
    pins = {setupcell.read_pin(nbformat.read(p, as_version=4)) for p in CHAPTERS}
    assert len(pins) == 1, pins


def test_pin_names_the_commit_of_the_repository():
    assert setupcell.pin_for("https://github.com/o/r/", "0123abc") == \
        "dlcourse @ git+https://github.com/o/r.git@0123abc"
    with pytest.raises(ValueError, match="--repository-url must be"):
        setupcell.pin_for("gitlab.com/o/r", "0123abc")
    with pytest.raises(ValueError, match="--commit must be a git commit hash; received 'main'"):
        setupcell.pin_for("https://github.com/o/r", "main")


def test_setup_cells_moves_the_cell_below_the_title_and_is_idempotent(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import dlcourse\nrng = dlcourse.setup(seed=0)"),
        nbformat.v4.new_markdown_cell("# Title\n\nText."),
    ])
    path = tmp_path / "ch.ipynb"
    nbformat.write(nb, path)
    pin = setupcell.pin_for("https://github.com/o/r", "abcdef1")
    assert setupcell.write_setup_cells([path], pin) == [path]
    assert setupcell.write_setup_cells([path], pin) == []
    out = nbformat.read(path, as_version=4)
    assert out.cells[0].source.startswith("# Title")
    assert out.cells[1].source == setupcell.install_lines(pin) + \
        "\nimport dlcourse\nrng = dlcourse.setup(seed=0)"
    assert setupcell.read_pin(out) == pin


def test_cli_refuses_a_bad_commit_in_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["setup-cells", "--root", str(ROOT), "--repository-url",
                  "https://github.com/o/r", "--commit", "HEAD"])
    assert str(info.value) == "setup-cells: --commit must be a git commit hash; received 'HEAD'"


def test_the_block_does_nothing_where_dlcourse_is_installed():
    env = {k: v for k, v in os.environ.items() if k != "DLCOURSE_INSTALL"}
    env["PYTHONPATH"] = str(ROOT)
    code = setupcell.install_lines("dlcourse @ git+https://github.com/o/r.git@abcdef1") \
        + "print('ok')"
    # a pip call would fail (the pin points nowhere): success means no install was tried
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and out.stdout == "ok\n", out.stderr


def test_a_chapter_runs_in_a_fresh_environment_like_colab(tmp_path):
    wheels, source = tmp_path / "wheels", tmp_path / "source"
    # build from a copy: setuptools writes build/ and *.egg-info into the source folder
    shutil.copytree(ROOT / "dlcourse", source / "dlcourse",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "-w", str(wheels), str(source)],
                   check=True, timeout=300, env={**os.environ, "PIP_NO_INDEX": "1"})
    wheel = next(wheels.glob("dlcourse-*.whl"))
    venv = tmp_path / "colab"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    # Colab's preinstalled packages: a plain path, so the shared venv's editable
    # dlcourse hook (a .pth processed only in site directories) stays out.
    (site / "preinstalled.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               DLCOURSE_INSTALL=str(wheel), DLCOURSE_HINTS=str(tmp_path / "hints.json"))
    missing = subprocess.run([str(python), "-c", "import dlcourse"], env=env,
                             capture_output=True, text=True, cwd=tmp_path)
    assert "No module named 'dlcourse'" in missing.stderr, "the fresh venv already has dlcourse"
    run = (f"import nbformat, nbclient; nb = nbformat.read({str(COLAB_CHAPTER)!r}, 4); "
           "nbclient.NotebookClient(nb, timeout=120, kernel_name='python3').execute(); "
           "import dlcourse, os; print('dlcourse from', os.path.dirname(dlcourse.__file__))")
    out = subprocess.run([str(python), "-c", run], env=env, capture_output=True, text=True,
                         cwd=tmp_path, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert f"dlcourse from {site}" in out.stdout, out.stdout


def test_binder_and_colab_buttons_come_with_the_published_config():
    """Binder (repo2docker) installs the root requirements.txt, which installs dlcourse
    itself and the MyST renderer; the published config turns both buttons on."""
    from dlcourse.instructor import bookconfig

    lines = [line.split("#")[0].strip() for line in
             (ROOT / "requirements.txt").read_text().splitlines()]
    assert "-e .[instructor]" in lines and any(line.startswith("jupyterlab-myst") for line in lines)
    config = bookconfig.publish_config(bookconfig.load_config(ROOT / "_config.yml"),
                                       "https://github.com/o/r")
    assert config["launch_buttons"]["binderhub_url"] and config["launch_buttons"]["colab_url"]
    assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
