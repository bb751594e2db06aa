"""Running a notebook twice gives the same checked numbers.

nbval (``make test``) already executes every notebook once; this test executes a
*sample* of the heavier ones twice more, each time in a fresh kernel (nbclient), and
compares what they printed. The convention (CONTRIBUTING.md, "Checked numbers"): the
text outputs of every code cell — stdout, stderr, ``text/plain``, ``text/html``,
errors — must be identical between runs, with memory addresses (``at 0x7f...``)
masked and images compared only by their presence. A cell whose output legitimately
changes (a wall-clock timing) is tagged ``nondeterministic-output`` and left out.

Both runs are made with the network blocked inside the kernel (see
``tests/nbexec.py``), so these notebooks are also checked to run offline; any
attempted connection fails the test even if the notebook swallowed the error.

Extend ``NOTEBOOKS`` with the slowest chapters (``benchmarks/notebooks.py`` lists
them); one that does not exist yet is skipped with that reason.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import nbexec  # noqa: E402

#: Heavy notebooks (Keras training, the longest NumPy loops), plus the one chapter
#: that exists today so the test is never empty. Paths relative to the repository.
NOTEBOOKS = [
    "book/code/cnn_digits.ipynb",
    "book/code/lstm.ipynb",
    "book/code/autoencoder.ipynb",
    "book/background/background.ipynb",
]

CELL_TIMEOUT_S = 300


def _diff(a: str, b: str, limit: int = 1500) -> str:
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), "run 1", "run 2", lineterm="", n=1)
    return "\n".join(lines)[:limit]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_two_runs_print_the_same_numbers(notebook):
    path = nbexec.REPO / notebook
    if not path.exists():
        pytest.skip(f"{notebook} does not exist yet")
    source = path.read_bytes()
    runs = [nbexec.execute(path, timeout=CELL_TIMEOUT_S, offline=True) for _ in range(2)]
    if path.read_bytes() != source:  # someone saved the notebook between the two runs
        pytest.skip(f"{notebook} was edited while the test ran; run it again")
    for k, run in enumerate(runs, 1):
        assert run.ok, f"{notebook}: run {k} failed:\n{run.error}"
        assert not run.blocked, (
            f"{notebook}: run {k} tried to use the network (nothing may download):\n"
            + "\n".join(run.blocked)
        )
    first, second = (nbexec.comparable_outputs(r.notebook) for r in runs)
    differ = [i for i in first if first[i] != second.get(i)]
    cells = runs[0].notebook.cells
    report = "\n\n".join(
        f"cell {i} ({nbexec.first_line(cells[i].source)!r}):\n{_diff(first[i], second[i])}"
        for i in differ[:5]
    )
    assert not differ, (
        f"{notebook}: {len(differ)} cell(s) printed different output in two runs. Seed the "
        f"randomness (dlcourse.setup) or, for a wall-clock timing only, tag the cell "
        f"'nondeterministic-output' (CONTRIBUTING.md, 'Checked numbers').\n\n{report}"
    )


def test_comparison_masks_addresses_and_skips_tagged_cells():
    """The comparison itself: what counts as the same output."""
    import nbformat

    def nb_with(text, tags=()):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("x", metadata={"tags": list(tags)})
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text),
                        nbformat.v4.new_output("display_data", data={"image/png": text, "text/plain": "<Figure>"})]
        nb.cells = [cell]
        return nb

    same = nbexec.comparable_outputs
    assert same(nb_with("<Line2D at 0x7f00aa>")) == same(nb_with("<Line2D at 0x7f99bb>"))
    assert same(nb_with("loss 0.25")) != same(nb_with("loss 0.26"))
    assert same(nb_with("1.2 s", tags=["nondeterministic-output"])) == {}


def test_an_unseeded_notebook_is_caught(tmp_path):
    """End to end on a tiny notebook: an unseeded draw differs, a tagged one is ignored."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import random\nprint(random.random())"),
        nbformat.v4.new_code_cell("print(random.random())", metadata={"tags": ["nondeterministic-output"]}),
        nbformat.v4.new_code_cell("print(sum(range(10)))"),
    ]
    path = tmp_path / "unseeded.ipynb"
    nbformat.write(nb, path)
    first, second = (nbexec.comparable_outputs(nbexec.execute(path, timeout=60).notebook) for _ in range(2))
    assert sorted(first) == [0, 2]
    assert first[0] != second[0] and first[2] == second[2] == "[stdout] 45\n"
