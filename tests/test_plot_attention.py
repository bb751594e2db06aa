"""dlcourse.plotting.plot_attention: one heat map per head, rows = queries, labelled,
within the size rules, and clear errors for bad input (kept apart from
test_plotting.py so the attention chapters' figure has its own file)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import plotting  # noqa: E402


def _weights(shape, seed=0):
    w = np.random.default_rng(seed).random(shape)
    return w / w.sum(-1, keepdims=True)


def test_one_map_is_one_labelled_axes_within_6_by_4_inches():
    ax = plotting.plot_attention(_weights((4, 5)), queries=list("abcd"), keys=list("vwxyz"))
    w, h = ax.figure.get_size_inches()
    assert w <= 6 and h <= 4
    assert ax.get_xlabel() == "key position" and ax.get_ylabel() == "query position"
    assert [t.get_text() for t in ax.get_yticklabels()] == list("abcd")
    assert np.allclose(ax.images[0].get_array(), _weights((4, 5)))
    plt.close("all")


def test_heads_get_one_panel_each_in_a_figure_within_8_inches():
    fig = plotting.plot_attention(_weights((3, 6, 6)), title="three heads")
    panels = [a for a in fig.axes if a.images]
    assert len(panels) == 3 and [a.get_title() for a in panels] == ["head 1", "head 2", "head 3"]
    assert max(fig.get_size_inches()) <= 8
    plt.close("all")


@pytest.mark.parametrize("args,message", [
    ((np.zeros(3),), r"must be 2-D or 3-D"),
    ((np.zeros((0, 3)),), "must not be empty"),
    ((_weights((2, 3)), ["a"]), r"queries must have one label per query \(2\); received 1"),
    ((_weights((2, 3)), None, ["a"]), r"keys must have one label per key \(3\); received 1"),
])
def test_bad_input_gives_a_clear_error(args, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_attention(*args)
