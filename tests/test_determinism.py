"""Running a notebook twice gives the same checked numbers.

nbval (``make test``) executes every notebook once; for a *sample* of the heavier
ones (``nbplugin.DETERMINISM_SAMPLE``) the item ``<notebook>::determinism`` that
``tests/nbplugin.py`` adds after the notebook's last cell executes it once more, in a
fresh kernel (nbclient), and compares what the two runs printed. The convention
(CONTRIBUTING.md, "Checked numbers"): the text outputs of every code cell — stdout,
stderr, ``text/plain``, ``text/html``, errors — must be identical between runs, with
memory addresses (``at 0x7f...``) masked and images compared only by their presence.
A cell whose output legitimately changes (a wall-clock timing) is tagged
``nondeterministic-output`` and left out.

Both runs are made with the network blocked inside the kernel (``tests/nbexec.py``);
any attempted connection fails even if the notebook swallowed the error.

This module tests the comparison itself, and that the sample exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import nbexec  # noqa: E402

import nbplugin  # noqa: E402


def test_the_determinism_sample_is_in_the_book():
    """Every sampled chapter is a notebook the toc lists, so its second run happens."""
    listed = {nbexec.rel(p) for p in nbexec.toc_notebooks()}
    assert set(nbplugin.DETERMINISM_SAMPLE) <= listed, set(nbplugin.DETERMINISM_SAMPLE) - listed


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
