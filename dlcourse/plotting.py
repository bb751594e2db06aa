"""The course's figures: one function per kind of plot, labelled and small.

Every function here

- checks its input once and raises an error that names the function, the argument
  and what was expected (``"plot_image_grid: images must be ... ; received shape
  (8, 8)"``);
- labels its axes, sets a title, and keeps the figure within 6 x 4 inches (grids of
  small images may be wider, up to 8 inches);
- returns what it drew: the **Axes** when it draws one panel (and then takes
  ``ax=`` to draw into an Axes you made), the **Figure** when it draws several;
- never calls ``plt.show()`` and changes no global matplotlib setting (figure
  defaults are set, visibly, by :func:`dlcourse.setup`).

Colours come from the Okabe-Ito palette (:data:`PALETTE`), which stays
distinguishable for readers with the common kinds of colour blindness; wherever a
colour carries meaning, a marker, a line style or a word carries it too.

In a notebook, assign the result (``fig = plot_filters(w)``) or end the line with
``;`` so that Jupyter shows the figure once and not also its text repr.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Mapping
from numbers import Real

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import MaxNLocator

from ._validate import as_array, flag, one_of, positive_int, same_shape

__all__ = [
    "PALETTE",
    "plot_activations",
    "plot_history",
    "plot_decision_boundary",
    "plot_image_grid",
    "plot_reconstructions",
    "plot_filters",
    "plot_feature_maps",
    "plot_confusion_matrix",
    "plot_attention",
    "plot_loss_surface_path",
    "plot_timeline",
    "plot_per_layer",
]

#: Okabe & Ito's colour-blind-safe palette, in the order lines are drawn:
#: blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow.
PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
)
#: Class colours for scatter plots: orange and blue first, so two classes differ in
#: hue and in lightness.
_CLASS_COLORS = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_RIGHT, _WRONG = "#009E73", "#D55E00"  # bluish green / vermillion
#: P(class 1) from orange (0) through white (0.5) to blue (1), matching the points.
_PROB_CMAP = LinearSegmentedColormap.from_list("dlcourse_prob", ["#E69F00", "#FFFFFF", "#0072B2"])
_MAX_WIDTH = 8.0  # inches, for grids
_MAX_IMAGES = 100  # more than this is unreadable (and slow): pass a slice


# --------------------------------------------------------------------------- helpers


def _panels(n: int, ax, func: str, *, ncols: int, panel: tuple[float, float]):
    """Return ``(figure, [n Axes])``: a new grid, or the Axes the caller passed."""
    if ax is None:
        if n == 1:
            fig, one = plt.subplots(figsize=(5.0, 3.5), layout="constrained")
            return fig, [one]
        ncols = min(ncols, n)
        nrows = math.ceil(n / ncols)
        size = (min(_MAX_WIDTH, panel[0] * ncols), min(_MAX_WIDTH, panel[1] * nrows + 0.4))
        fig, grid = plt.subplots(nrows, ncols, figsize=size, layout="constrained", squeeze=False)
        for extra in grid.ravel()[n:]:
            extra.remove()
        return fig, list(grid.ravel()[:n])
    axes = [ax] if isinstance(ax, Axes) else list(np.ravel(np.asarray(ax, dtype=object)))
    if len(axes) != n or not all(isinstance(a, Axes) for a in axes):
        raise ValueError(
            f"{func}: ax must be one matplotlib Axes per panel ({n} panel"
            f"{'s' if n != 1 else ''}); received {_describe(ax)}"
        )
    return axes[0].figure, axes


def _describe(obj) -> str:
    if isinstance(obj, (list, tuple, np.ndarray)):
        return f"{type(obj).__name__} of {len(obj)}"
    return type(obj).__name__


def _single_axes(ax, func: str, figsize=(5.0, 3.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    elif not isinstance(ax, Axes):
        raise TypeError(f"{func}: ax must be a matplotlib Axes or None; received {_describe(ax)}")
    return ax


def _grid_size(nrows: int, ncols: int, *, text: float = 0.25, extra: float = 0.0):
    """Cell side and figure size (inches) for a grid of square panels, within 8 x 8.

    ``text`` is the height of a panel's title, ``extra`` the width of a colour bar.
    """
    cell = min(0.9, (_MAX_WIDTH - extra) / ncols, (_MAX_WIDTH - 0.6) / nrows - text)
    return cell, (max(3.0, cell * ncols + extra), nrows * (cell + text) + 0.6)


def _suptitle(fig, text: str) -> None:
    """A figure title wrapped to the figure's width (about 12 characters an inch)."""
    width = (fig if isinstance(fig, Figure) else fig.figure).get_size_inches()[0]
    fig.suptitle(textwrap.fill(text, max(20, int(12 * width))), fontsize=10)


def _image_figure(fig, func: str, size: tuple[float, float]):
    if fig is None:
        return plt.figure(figsize=size, layout="constrained")
    if not isinstance(fig, (Figure, SubFigure)):
        raise TypeError(
            f"{func}: fig must be a matplotlib Figure (or SubFigure) or None; "
            f"received {_describe(fig)}"
        )
    return fig


def _class_labels(y, name: str, func: str) -> np.ndarray:
    """Integer (or string) labels from labels, one-hot rows or probabilities."""
    arr = as_array(y, name, func, ndim=(1, 2), dtype=None,
                   layout="(samples,) labels or (samples, classes) scores")
    if arr.ndim == 2:
        arr = arr[:, 0] if arr.shape[1] == 1 else np.argmax(arr, axis=1)
    if arr.dtype.kind == "b":
        return arr.astype(int)
    if arr.dtype.kind == "f":
        if np.all(arr == np.round(arr)):
            return arr.astype(int)
        if np.all((arr >= 0) & (arr <= 1)):  # one column of probabilities: threshold
            return (arr >= 0.5).astype(int)
        raise ValueError(
            f"{func}: {name} must hold class labels (integers), one-hot rows or "
            f"probabilities in [0, 1]; received values in [{arr.min():.3g}, {arr.max():.3g}]"
        )
    return arr


def _same_length(a: np.ndarray, b: np.ndarray, names: tuple[str, str], func: str) -> None:
    if len(a) != len(b):
        raise ValueError(
            f"{func}: {names[0]} and {names[1]} must have one entry per sample; "
            f"received {names[0]}.shape={a.shape} and {names[1]}.shape={b.shape}"
        )


def _images(images, name: str, func: str) -> np.ndarray:
    """(n, h, w) grey or (n, h, w, 3) colour images from the layouts the course uses."""
    arr = as_array(images, name, func)
    expected = ("(n, height, width) or (n, height, width, 1), or flat (n, pixels) "
                "with a square number of pixels")
    if arr.ndim == 2 and arr.shape[1] > 0 and math.isqrt(arr.shape[1]) ** 2 == arr.shape[1]:
        side = math.isqrt(arr.shape[1])
        arr = arr.reshape(len(arr), side, side)
    elif arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    elif not (arr.ndim == 3 or (arr.ndim == 4 and arr.shape[-1] == 3)):
        raise ValueError(f"{func}: {name} must be {expected}; received shape {arr.shape}")
    if len(arr) == 0:
        raise ValueError(f"{func}: {name} must hold at least one image; received shape {arr.shape}")
    if len(arr) > _MAX_IMAGES:
        raise ValueError(
            f"{func}: {name} holds {len(arr)} images; draw at most {_MAX_IMAGES} "
            f"(pass a slice such as {name}[:32])"
        )
    return arr


def _value_range(*arrays: np.ndarray) -> tuple[float, float]:
    """0..1 for pixel data in [0, 1], otherwise the joint range of the arrays."""
    lo = min(float(a.min()) for a in arrays)
    hi = max(float(a.max()) for a in arrays)
    if lo >= 0 and hi <= 1:
        return 0.0, 1.0
    return lo, hi if hi > lo else lo + 1.0


def _show_image(ax: Axes, img: np.ndarray, **kw) -> None:
    ax.imshow(img, interpolation="nearest", **kw)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():  # a thin full frame, whatever the rcParams say
        spine.set(visible=True, color="0.6", linewidth=0.6)


def _break_jumps(x: np.ndarray, y: np.ndarray):
    """Insert NaN where y jumps, so a step is not drawn as a steep line."""
    span = np.ptp(y)
    if span == 0:
        return x, y
    jumps = np.flatnonzero(np.abs(np.diff(y)) > 0.25 * span) + 1
    return np.insert(x, jumps, np.nan), np.insert(y, jumps, np.nan)


def _short(v: float) -> str:
    """A weight in at most 5 characters: ``-1``, ``.25``, ``-2.90``."""
    if float(v).is_integer():
        return f"{int(v)}"
    return f"{v:.2f}".replace("0.", ".", 1) if abs(v) < 1 else f"{v:.1f}"


def _limits(value, name: str, func: str) -> tuple[float, float]:
    arr = as_array(value, name, func, ndim=1, layout="(low, high)")
    if arr.shape != (2,) or not arr[0] < arr[1]:
        raise ValueError(
            f"{func}: {name} must be a pair (low, high) with low < high; received {value!r}"
        )
    return float(arr[0]), float(arr[1])


# ----------------------------------------------------------------------- the figures


def plot_activations(names=("step", "sigmoid", "tanh", "relu"), x=None, ax=None):
    r"""Draw activation functions (solid) and their derivatives (dashed).

    One small panel per function :math:`f`, showing :math:`f(x)` and :math:`f'(x)`,
    both taken from :data:`dlcourse.activations.ACTIVATIONS`. Jumps (the step
    function, the derivative of ReLU at 0) are drawn as breaks, not as steep lines.

    Parameters
    ----------
    names : str or sequence of str
        Keys of ``ACTIVATIONS``: ``"step"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"leaky_relu"``, ``"linear"``.
    x : array_like, optional
        1-D grid of pre-activations; default 501 points on [-5, 5].
    ax : Axes or sequence of Axes, optional
        One Axes per name to draw into.

    Returns
    -------
    Axes or Figure
        The Axes for one name, the Figure for several.
    """
    from .activations import ACTIVATIONS  # imported here: plotting must not need it to load

    func = "plot_activations"
    names = (names,) if isinstance(names, str) else tuple(names)
    if not names:
        raise ValueError(f"{func}: names must name at least one activation; received ()")
    for name in names:
        one_of(name, "names", func, ACTIVATIONS)
    if x is None:
        x = np.linspace(-5.0, 5.0, 501)
    else:
        x = np.sort(as_array(x, "x", func, ndim=1, layout="(points,)"))
        if x.size < 2:
            raise ValueError(f"{func}: x must hold at least 2 points; received shape {x.shape}")

    fig, axes = _panels(len(names), ax, func, ncols=4, panel=(1.9, 2.3))
    for name, a in zip(names, axes):
        fn, grad = ACTIVATIONS[name]
        a.axhline(0.0, color="0.7", lw=0.8, zorder=0)
        a.axvline(0.0, color="0.7", lw=0.8, zorder=0)
        a.plot(*_break_jumps(x, fn(x)), color=PALETTE[0], lw=2.0, label="$f(x)$")
        a.plot(*_break_jumps(x, grad(x)), color=PALETTE[1], lw=1.6, ls="--", label="$f'(x)$")
        a.set_title(name)
        a.set_xlabel("$x$ (pre-activation)")
        a.set_ylabel("$f(x)$, $f'(x)$")
    axes[0].legend(loc="upper left", fontsize=8)
    if ax is None and len(names) > 1:
        fig.suptitle("Activation functions (solid) and their derivatives (dashed)")
    return axes[0] if len(names) == 1 else fig


def _as_runs(history, func: str) -> dict:
    """``{run name or None: {metric: list}}`` from a History, a dict, or a dict of runs."""
    def metrics_of(h):
        data = getattr(h, "history", h)
        return data if isinstance(data, Mapping) else None

    single = metrics_of(history)
    if single is None:
        raise TypeError(
            f"{func}: history must be a keras History, a dlcourse training.History, a dict "
            f"of lists (metric -> values per epoch) or a dict of those (run name -> history); "
            f"received {type(history).__name__}"
        )
    if not hasattr(history, "history") and single and all(
        metrics_of(v) is not None for v in single.values()
    ):
        return {str(name): metrics_of(run) for name, run in single.items()}
    return {None: single}


_METRIC_NAMES = {"loss": "loss", "accuracy": "accuracy", "acc": "accuracy",
                 "lr": "learning rate", "learning_rate": "learning rate"}


def plot_history(history, metrics=("loss",), ax=None, *, logy: bool = False):
    """Draw training curves: one panel per metric, validation curves dashed.

    Parameters
    ----------
    history : History or dict
        What ``model.fit`` returns in Keras (``keras.callbacks.History``) or in
        dlcourse (:class:`dlcourse.training.History`), or a plain dict such as
        ``{"loss": [...], "val_loss": [...]}``. A dict of those, e.g.
        ``{"SGD": h1, "Adam": h2}``, draws one colour per run to compare them.
    metrics : str or sequence of str
        Keys to draw (``"loss"``, ``"accuracy"``, ``"lr"``, ...); for each, the
        ``"val_"`` key is drawn dashed when present and non-empty.
    ax : Axes or sequence of Axes, optional
        One Axes per metric to draw into.
    logy : bool
        Logarithmic y axis (for losses that fall over orders of magnitude).

    Returns
    -------
    Axes or Figure
        The Axes for one metric, the Figure for several.
    """
    func = "plot_history"
    logy = flag(logy, "logy", func)
    runs = _as_runs(history, func)
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    if not metrics:
        raise ValueError(f"{func}: metrics must name at least one metric; received ()")
    for m in metrics:
        if not any(len(data.get(m, ())) for data in runs.values()):
            keys = sorted({k for data in runs.values() for k in data})
            raise ValueError(
                f"{func}: metric {m!r} is not in the history (or has no values); "
                f"available: {keys}"
            )

    fig, axes = _panels(len(metrics), ax, func, ncols=3, panel=(3.8, 3.2))
    for m, a in zip(metrics, axes):
        label = _METRIC_NAMES.get(m, m.replace("_", " "))
        has_val = False
        for i, (run, data) in enumerate(runs.items()):
            color = PALETTE[i % len(PALETTE)]
            for key, style, suffix in ((m, "-", "training"), (f"val_{m}", "--", "validation")):
                values = as_array(data.get(key, []), f"history[{key!r}]", func, ndim=1,
                                  finite=False)  # a diverging loss is worth seeing
                if values.size == 0:
                    continue
                has_val |= key != m
                name = suffix if run is None else (run if key == m else f"{run} ({suffix})")
                a.plot(np.arange(1, values.size + 1), values, ls=style, color=color, lw=1.8,
                       marker="o" if values.size <= 20 else None, ms=3, label=name)
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        if logy:
            a.set_yscale("log")
        a.set_xlabel("epoch")
        a.set_ylabel(label)
        if label == "learning rate":
            a.set_title("Learning rate per epoch")
        else:
            a.set_title(f"{'Training and validation' if has_val else 'Training'} {label}")
        a.legend(fontsize=8)
    return axes[0] if len(metrics) == 1 else fig


def plot_decision_boundary(predict_fn: Callable, x, y, ax=None, resolution: int = 200):
    """Shade what a classifier predicts over the plane, with the data on top.

    ``predict_fn`` is evaluated on a ``resolution x resolution`` grid covering ``x``
    (plus 10% on each side). With one output per point in [0, 1] (a sigmoid) or two
    columns (a softmax), the shading is :math:`P(y = 1)` and the black line is the
    decision boundary :math:`P = 0.5`; with more columns (argmax) or integer labels
    each class gets a region.

    Parameters
    ----------
    predict_fn : callable
        ``(m, 2) ndarray -> (m,)`` labels or probabilities, or ``(m, classes)``
        probabilities. For a Keras model pass ``lambda g: model.predict(g, verbose=0)``.
    x : array_like, shape (n, 2)
        The points.
    y : array_like, shape (n,) or (n, 1) or one-hot (n, classes)
        Their labels.
    ax : Axes, optional
    resolution : int
        Grid points per axis.

    Returns
    -------
    Axes
    """
    func = "plot_decision_boundary"
    if not callable(predict_fn):
        raise TypeError(f"{func}: predict_fn must be callable; received {_describe(predict_fn)}")
    x = as_array(x, "x", func, ndim=2, layout="(samples, 2 features)")
    if x.shape[1] != 2 or len(x) == 0:
        raise ValueError(f"{func}: x must have shape (samples, 2); received shape {x.shape}")
    labels = _class_labels(y, "y", func)
    _same_length(x, labels, ("x", "y"), func)
    resolution = positive_int(resolution, "resolution", func, minimum=2)
    classes = np.unique(labels)

    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(g1, g2)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    try:
        out = np.asarray(predict_fn(grid), dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{func}: predict_fn must return numbers for an (m, 2) array; "
                        f"it raised {err!r}") from err
    m = len(grid)
    if out.ndim == 2 and out.shape == (m, 2):
        prob, region = out[:, 1], None
    elif out.ndim == 2 and out.shape[0] == m and out.shape[1] > 2:
        prob, region = None, np.argmax(out, axis=1)
    elif out.size == m:
        out = out.ravel()
        if np.all((out >= 0) & (out <= 1)):
            prob, region = out, None
        elif np.all(out == np.round(out)):
            # integer labels such as -1/+1: map each value to its class index
            prob, region = None, np.searchsorted(np.union1d(classes, out), out)
        else:
            raise ValueError(f"{func}: predict_fn must return labels or probabilities in "
                             f"[0, 1]; received values in [{out.min():.3g}, {out.max():.3g}]")
    else:
        raise ValueError(
            f"{func}: predict_fn must return one value, or one row of class scores, per "
            f"point; for an input of shape {grid.shape} it returned shape {out.shape}"
        )

    ax = _single_axes(ax, func)
    if prob is not None:
        prob = prob.reshape(xx.shape)
        filled = ax.contourf(xx, yy, prob, levels=np.linspace(0, 1, 11), cmap=_PROB_CMAP,
                             vmin=0, vmax=1, alpha=0.55)
        if prob.min() < 0.5 < prob.max():
            ax.contour(xx, yy, prob, levels=[0.5], colors="black", linewidths=1.5)
            ax.plot([], [], color="black", lw=1.5, label="boundary ($P = 0.5$)")
        top = classes[-1] if len(classes) == 2 else 1
        ax.figure.colorbar(filled, ax=ax, label=f"$P(y = {top})$", ticks=[0, 0.5, 1])
    else:
        region = region.reshape(xx.shape)
        k = int(region.max()) + 1
        colors = [_CLASS_COLORS[i % len(_CLASS_COLORS)] for i in range(k)]
        ax.contourf(xx, yy, region, levels=np.arange(k + 1) - 0.5, colors=colors, alpha=0.3)
        if region.min() != region.max():
            ax.contour(xx, yy, region, levels=np.arange(k - 1) + 0.5, colors="black",
                       linewidths=1.0)
    for i, c in enumerate(classes):
        pts = x[labels == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=22, marker=_MARKERS[i % len(_MARKERS)],
                   color=_CLASS_COLORS[i % len(_CLASS_COLORS)], edgecolors="black",
                   linewidths=0.5, label=f"class {c}")
    ax.set_xlim(g1[0], g1[-1])
    ax.set_ylim(g2[0], g2[-1])
    ax.set_xlabel("$x_1$ (feature 1)")
    ax.set_ylabel("$x_2$ (feature 2)")
    ax.set_title("Decision boundary")
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


def plot_image_grid(images, labels=None, predictions=None, ncols: int = 8, fig=None, *,
                    cmap: str = "gray_r", title: str | None = None):
    """Draw images in a grid, each titled with its label or prediction.

    With ``predictions`` (and ``labels``), a right prediction is titled in green
    (``"7"``), a wrong one in vermillion with the truth and a thick frame
    (``"1 (true 7)"``), so the mark does not rely on colour alone.

    Parameters
    ----------
    images : array_like
        ``(n, height, width)``, ``(n, height, width, 1)`` (or ``3`` for colour), or
        flat ``(n, pixels)`` with a square number of pixels (the digits' 64).
        Values in [0, 1] are drawn on a fixed 0..1 scale (ink dark on white).
    labels, predictions : array_like, optional
        One label per image; predictions may also be ``(n, classes)`` scores (argmax).
    ncols : int
        Images per row.
    fig : Figure or SubFigure, optional
        Where to draw; a new Figure by default.
    cmap : str
        Colour map for grey images.
    title : str, optional
        Overrides the default title (which counts right predictions).

    Returns
    -------
    Figure
    """
    func = "plot_image_grid"
    imgs = _images(images, "images", func)
    n = len(imgs)
    ncols = positive_int(ncols, "ncols", func)
    lab = pred = None
    if labels is not None:
        lab = _class_labels(labels, "labels", func)
        _same_length(imgs, lab, ("images", "labels"), func)
    if predictions is not None:
        pred = _class_labels(predictions, "predictions", func)
        _same_length(imgs, pred, ("images", "predictions"), func)

    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    text_h = 0.25 if (lab is not None or pred is not None) else 0.05
    _, size = _grid_size(nrows, ncols, text=text_h)
    fig = _image_figure(fig, func, size)
    grid = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    vmin, vmax = _value_range(imgs)
    right = 0
    for i, a in enumerate(grid):
        if i >= n:
            a.remove()
            continue
        _show_image(a, imgs[i], cmap=cmap, vmin=vmin, vmax=vmax)
        if pred is not None and lab is not None:
            ok = pred[i] == lab[i]
            right += bool(ok)
            text = f"{pred[i]}" if ok else f"{pred[i]} (true {lab[i]})"
            a.set_title(text, fontsize=8, color=_RIGHT if ok else _WRONG,
                        fontweight="normal" if ok else "bold")
            if not ok:
                for spine in a.spines.values():
                    spine.set(visible=True, color=_WRONG, linewidth=2.5)
        elif pred is not None or lab is not None:
            a.set_title(f"{(pred if pred is not None else lab)[i]}", fontsize=8)
    if title is None:
        if pred is not None and lab is not None:
            title = f"Predictions: {right} of {n} right (wrong ones in red, with the true label)"
        elif pred is not None:
            title = "Images with their predicted labels"
        elif lab is not None:
            title = "Images with their labels"
        else:
            title = f"{n} images"
    _suptitle(fig, title)
    return fig


def plot_reconstructions(originals, reconstructions, n: int = 8, fig=None, *,
                         cmap: str = "gray_r"):
    r"""Draw inputs (top row) above an autoencoder's reconstructions (bottom row).

    Each reconstruction is captioned with its mean squared error
    :math:`\frac{1}{P}\sum_p (x_p - \hat x_p)^2` over its :math:`P` pixels.

    Parameters
    ----------
    originals, reconstructions : array_like
        Same shape, in any layout :func:`plot_image_grid` accepts.
    n : int
        How many pairs to draw (the first ``n``; fewer if there are fewer).
    fig : Figure or SubFigure, optional

    Returns
    -------
    Figure
    """
    func = "plot_reconstructions"
    a = as_array(originals, "originals", func)
    b = as_array(reconstructions, "reconstructions", func)
    same_shape(a, b, ("originals", "reconstructions"), func)
    n = positive_int(n, "n", func)
    a = _images(a[:n], "originals", func)
    b = _images(b[:n], "reconstructions", func)
    n = len(a)
    _, size = _grid_size(2, n, text=0.15, extra=0.4)  # room for the row names
    fig = _image_figure(fig, func, size)
    grid = fig.subplots(2, n, squeeze=False)
    vmin, vmax = _value_range(a, b)
    for j in range(n):
        _show_image(grid[0, j], a[j], cmap=cmap, vmin=vmin, vmax=vmax)
        _show_image(grid[1, j], b[j], cmap=cmap, vmin=vmin, vmax=vmax)
        grid[1, j].set_xlabel(f"MSE {np.mean((a[j] - b[j]) ** 2):.3f}", fontsize=7)
    grid[0, 0].set_ylabel("input", fontsize=9)
    grid[1, 0].set_ylabel("reconstruction", fontsize=9)
    _suptitle(fig, "Inputs (top) and their reconstructions (bottom)")
    return fig


def plot_filters(kernel, fig=None, *, max_filters: int = 32, cmap: str = "RdBu_r",
                 annotate: bool | None = None):
    """Draw convolution filters on one symmetric colour scale (blue < 0 < red).

    Parameters
    ----------
    kernel : array_like
        ``(height, width, in_channels, out_channels)`` weights, the layout of
        ``keras.layers.Conv2D.kernel`` and ``tf.nn.conv2d`` (HWIO); or one
        ``(height, width)`` filter. With one input channel each filter is one
        panel; otherwise rows are input channels (at most 8) and columns filters.
    fig : Figure or SubFigure, optional
    max_filters : int
        Draw at most this many output filters, and at most 64 panels in all (the
        title says when some are left out).
    cmap : str
        A diverging colour map; the scale is centred on 0.
    annotate : bool, optional
        Write each weight in its cell; by default only for 3x3 (or smaller) kernels
        and at most 8 panels.

    Returns
    -------
    Figure
    """
    func = "plot_filters"
    w = as_array(kernel, "kernel", func, ndim=(2, 4),
                 layout="(height, width, in_channels, out_channels)")
    if w.ndim == 2:
        w = w[:, :, None, None]
    kh, kw, c_in, c_out = w.shape
    if min(w.shape) == 0:
        raise ValueError(f"{func}: kernel must not be empty; received shape {w.shape}")
    max_filters = positive_int(max_filters, "max_filters", func)
    shown_in = min(c_in, 8)
    shown_out = min(c_out, max_filters, 64 // shown_in)  # at most 64 panels
    if c_in == 1:
        ncols = min(8, shown_out)
        nrows = math.ceil(shown_out / ncols)
        cells = [(k // ncols, k % ncols, 0, k) for k in range(shown_out)]
    else:
        ncols, nrows = shown_out, shown_in
        cells = [(i, k, i, k) for i in range(shown_in) for k in range(shown_out)]
    if annotate is None:
        annotate = kh <= 3 and kw <= 3 and len(cells) <= 8

    _, size = _grid_size(nrows, ncols, extra=1.0)
    fig = _image_figure(fig, func, size)
    grid = fig.subplots(nrows, ncols, squeeze=False)
    for a in grid.ravel()[len(cells):]:
        a.remove()
    vmax = float(np.abs(w).max()) or 1.0
    for r, col, i, k in cells:
        a = grid[r, col]
        _show_image(a, w[:, :, i, k], cmap=cmap, vmin=-vmax, vmax=vmax)
        if c_in == 1 or r == 0:
            a.set_title(f"filter {k}", fontsize=8)
        if c_in > 1 and col == 0:
            a.set_ylabel(f"input {i}", fontsize=8)
        if annotate:
            for (p, q), v in np.ndenumerate(w[:, :, i, k]):
                a.text(q, p, _short(v), ha="center", va="center", fontsize=6.5,
                       color="white" if abs(v) > 0.6 * vmax else "black")
    used = [grid[r, col] for r, col, _, _ in cells]
    fig.colorbar(used[0].images[0], ax=used, label="weight", shrink=0.6, aspect=25)
    left_out = []
    if shown_out < c_out:
        left_out.append(f"first {shown_out} of {c_out} filters")
    if shown_in < c_in:
        left_out.append(f"first {shown_in} of {c_in} input channels")
    title = f"Convolution filters ({kh}x{kw}"
    title += f"; {', '.join(left_out)})" if left_out else ")"
    _suptitle(fig, title)
    return fig


def plot_feature_maps(maps, fig=None, *, ncols: int = 8, max_maps: int = 32,
                      cmap: str = "viridis", shared_scale: bool = False):
    """Draw the channels of one convolutional layer's output, one panel each.

    Parameters
    ----------
    maps : array_like
        ``(height, width, channels)``, or ``(1, height, width, channels)`` (a batch of
        one, as ``model(x[:1])`` returns).
    fig : Figure or SubFigure, optional
    ncols : int
        Panels per row.
    max_maps : int
        Draw at most this many channels (the title says when some are left out).
    cmap : str
        A perceptually uniform map (viridis: dark = low, yellow = high).
    shared_scale : bool
        One colour scale for all maps (with a colour bar), so weak maps look weak;
        by default each map is scaled to its own range to show its pattern.

    Returns
    -------
    Figure
    """
    func = "plot_feature_maps"
    f = as_array(maps, "maps", func, ndim=(3, 4), layout="(height, width, channels)")
    if f.ndim == 4:
        if f.shape[0] != 1:
            raise ValueError(
                f"{func}: maps must be (height, width, channels) or a batch of one "
                f"(1, height, width, channels); received shape {f.shape}; pass maps[0]"
            )
        f = f[0]
    if min(f.shape) == 0:
        raise ValueError(f"{func}: maps must not be empty; received shape {f.shape}")
    ncols = positive_int(ncols, "ncols", func)
    max_maps = positive_int(max_maps, "max_maps", func)
    shared_scale = flag(shared_scale, "shared_scale", func)
    n = min(f.shape[-1], max_maps)
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    _, size = _grid_size(nrows, ncols, text=0.22, extra=0.9 if shared_scale else 0.0)
    fig = _image_figure(fig, func, size)
    grid = fig.subplots(nrows, ncols, squeeze=False).ravel()
    vmin, vmax = (float(f.min()), float(f.max())) if shared_scale else (None, None)
    for k, a in enumerate(grid):
        if k >= n:
            a.remove()
            continue
        _show_image(a, f[:, :, k], cmap=cmap, vmin=vmin, vmax=vmax)
        a.set_title(f"channel {k}", fontsize=7)
    if shared_scale:
        fig.colorbar(grid[0].images[0], ax=list(grid[:n]), label="activation", shrink=0.6,
                     aspect=25)
    h, w, c = f.shape
    title = f"Feature maps ({h}x{w}, {c} channels"
    title += f"; first {n} shown)" if n < c else ")"
    if not shared_scale:
        title += ", each on its own colour scale"
    _suptitle(fig, title)
    return fig


def plot_confusion_matrix(y_true, y_pred, labels=None, ax=None, *, normalize=None):
    r"""Draw a confusion matrix: row = true class, column = predicted class.

    Counts come from :func:`sklearn.metrics.confusion_matrix`: entry :math:`C_{ij}`
    is the number of samples of class :math:`i` predicted as class :math:`j`, so the
    diagonal holds the right answers and the title gives the accuracy
    :math:`\sum_i C_{ii} / \sum_{ij} C_{ij}`.

    Parameters
    ----------
    y_true, y_pred : array_like
        Labels ``(n,)``, one-hot or score rows ``(n, classes)`` (argmax), or one
        column of probabilities (threshold 0.5).
    labels : sequence, optional
        The classes, in the order of the rows (default: all that occur, sorted).
    ax : Axes, optional
    normalize : {None, "true", "pred", "all"}
        As in scikit-learn: fractions of each row, column, or of all samples.

    Returns
    -------
    Axes
    """
    from sklearn.metrics import confusion_matrix  # a slow import, only when drawing one

    func = "plot_confusion_matrix"
    t = _class_labels(y_true, "y_true", func)
    p = _class_labels(y_pred, "y_pred", func)
    _same_length(t, p, ("y_true", "y_pred"), func)
    if len(t) == 0:
        raise ValueError(f"{func}: y_true must hold at least one label; received shape {t.shape}")
    if normalize is not None:  # (one_of cannot sort None with strings)
        one_of(normalize, "normalize", func, ("true", "pred", "all"))
    if labels is None:
        labels = np.union1d(t, p)
    else:
        labels = as_array(labels, "labels", func, ndim=1, dtype=None)
        if labels.size == 0:
            raise ValueError(f"{func}: labels must list at least one class; received []")
    if not np.isin(t, labels).any():
        raise ValueError(
            f"{func}: labels must include at least one class that occurs in y_true; "
            f"received labels {labels.tolist()} and y_true classes {np.unique(t).tolist()}"
        )
    counts = confusion_matrix(t, p, labels=labels)
    shown = confusion_matrix(t, p, labels=labels, normalize=normalize) if normalize else counts
    total = counts.sum()
    acc = np.trace(counts) / total if total else float("nan")

    k = len(labels)
    ax = _single_axes(ax, func, figsize=(4.8, 4.0))
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=max(float(shown.max()), 1e-12))
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
    size = 9 if k <= 6 else 8 if k <= 10 else 6
    for (i, j), v in np.ndenumerate(shown):
        text = f"{v:.2f}" if normalize else f"{int(v)}"
        ax.text(j, i, text, ha="center", va="center", fontsize=size,
                color="white" if v > 0.5 * shown.max() else "black")
    names = [str(v) for v in labels]
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    what = {None: "counts", "true": "fraction of each true class",
            "pred": "fraction of each prediction", "all": "fraction of all samples"}[normalize]
    ax.set_title(f"Confusion matrix ({what}); accuracy {acc:.3f}", fontsize=10)
    return ax


def plot_attention(weights, queries=None, keys=None, ax=None, *, title: str = "Attention weights"):
    r"""Draw attention weights :math:`A` as a heat map: row = query, column = key.

    Row :math:`i` shows how query :math:`i` spreads its attention over the keys (each
    row of a softmax sums to 1, so the colour scale runs from 0 to 1).

    Parameters
    ----------
    weights : array_like
        (queries, keys) for one map, or (heads, queries, keys) for one panel per head.
    queries, keys : sequence, optional
        Tick labels (tokens) for the rows and columns; default positions 0, 1, ...
    ax : Axes or list of Axes, optional
        One per panel.
    title : str

    Returns
    -------
    Axes for one map, Figure for several heads.
    """
    func = "plot_attention"
    a = as_array(weights, "weights", func, ndim=(2, 3), layout="(queries, keys) or (heads, queries, keys)")
    if min(a.shape) == 0:
        raise ValueError(f"{func}: weights must not be empty; received shape {a.shape}")
    maps = a[None] if a.ndim == 2 else a
    n, tq, tk = maps.shape
    for name, one, labels, size in (("queries", "query", queries, tq), ("keys", "key", keys, tk)):
        if labels is not None and len(labels) != size:
            raise ValueError(f"{func}: {name} must have one label per {one} ({size}); "
                             f"received {len(labels)}")
    if ax is None and n == 1:
        ax = _single_axes(None, func, figsize=(3.6, 3.2))
    fig, axes = _panels(n, ax, func, ncols=4, panel=(2.6, 2.6))
    for h, panel in enumerate(axes):
        im = panel.imshow(maps[h], cmap="viridis", vmin=0, vmax=1)
        panel.grid(False)
        panel.set_xticks(range(tk), [str(k) for k in keys] if keys is not None else range(tk), fontsize=7)
        panel.set_yticks(range(tq), [str(q) for q in queries] if queries is not None else range(tq), fontsize=7)
        panel.set_xlabel("key position", fontsize=8)
        if h == 0:
            panel.set_ylabel("query position", fontsize=8)
        if n > 1:
            panel.set_title(f"head {h + 1}", fontsize=9)
    fig.colorbar(im, ax=axes, label="weight", shrink=0.8)
    if n == 1:
        axes[0].set_title(title, fontsize=10)
        return axes[0]
    _suptitle(fig, title)
    return fig


def _evaluate_surface(loss_fn: Callable, w: np.ndarray, func: str) -> np.ndarray:
    """loss_fn on a (r, r, 2) grid: vectorised if it can, point by point if not."""
    try:
        z = np.asarray(loss_fn(w), dtype=np.float64)
        if z.shape == w.shape[:-1]:
            return z
    except Exception:  # noqa: BLE001 - a scalar-only loss_fn; fall back below
        pass
    try:
        return np.array([[float(loss_fn(p)) for p in row] for row in w])
    except Exception as err:  # noqa: BLE001 - re-raised with what was expected
        raise TypeError(
            f"{func}: loss_fn must map w of shape (2,) (or (..., 2), vectorised) to a "
            f"number; calling it raised {err!r}"
        ) from err


def plot_loss_surface_path(loss_fn: Callable, paths, xlim, ylim, ax=None, *,
                           resolution: int = 200, levels: int = 20, minimum=None):
    r"""Draw a loss surface :math:`L(w_1, w_2)` as contours, with optimisers' paths.

    Contour levels are quantiles of the loss over the grid, so narrow valleys and
    wide plateaus are both visible; the shading goes from white (low) to grey (high).

    Parameters
    ----------
    loss_fn : callable
        ``w -> L(w)``. Called once with the whole grid, shape ``(r, r, 2)``, if it
        is vectorised (``lambda w: w[..., 0]**2 + 10 * w[..., 1]**2``), else once
        per point with ``w`` of shape ``(2,)``.
    paths : dict of str to array_like (steps, 2), or one array
        The iterates :math:`w_t`, e.g. from :func:`dlcourse.optimizers.minimize`.
    xlim, ylim : (low, high)
        The window.
    ax : Axes, optional
    resolution : int
        Grid points per axis.
    levels : int
        Number of contour levels.
    minimum : (w1, w2), optional
        Marks the known minimiser with a star.

    Returns
    -------
    Axes
    """
    func = "plot_loss_surface_path"
    if not callable(loss_fn):
        raise TypeError(f"{func}: loss_fn must be callable; received {_describe(loss_fn)}")
    if not isinstance(paths, Mapping):
        paths = {"path": paths}
    if not paths:
        raise ValueError(f"{func}: paths must hold at least one path; received {{}}")
    checked = {}
    for name, p in paths.items():
        arr = as_array(p, f"paths[{name!r}]", func, ndim=2, layout="(steps, 2)",
                       finite=False)  # a diverging optimiser runs off to infinity
        if arr.shape[1] != 2 or len(arr) == 0:
            raise ValueError(
                f"{func}: paths[{name!r}] must have shape (steps, 2); received shape {arr.shape}"
            )
        checked[str(name)] = arr
    x0, x1 = _limits(xlim, "xlim", func)
    y0, y1 = _limits(ylim, "ylim", func)
    resolution = positive_int(resolution, "resolution", func, minimum=2)
    levels = positive_int(levels, "levels", func, minimum=2)

    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    z = _evaluate_surface(loss_fn, np.stack([xx, yy], axis=-1), func)
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        raise ValueError(f"{func}: loss_fn is NaN or infinite everywhere in the window")
    lv = np.unique(np.quantile(finite, np.linspace(0, 1, levels + 1)))

    ax = _single_axes(ax, func, figsize=(5.5, 4.0))
    if lv.size >= 2:
        filled = ax.contourf(xx, yy, np.ma.masked_invalid(z), levels=lv, cmap="Greys", alpha=0.55)
        ax.contour(xx, yy, np.ma.masked_invalid(z), levels=lv, colors="0.45", linewidths=0.5)
        bar = ax.figure.colorbar(filled, ax=ax, label="loss $L(w)$", format="%.3g",
                                 ticks=lv[:: max(1, len(lv) // 6)])
        bar.ax.tick_params(labelsize=7)
    for i, (name, p) in enumerate(checked.items()):
        color = PALETTE[i % len(PALETTE)]
        ax.plot(p[:, 0], p[:, 1], color=color, lw=1.6, marker=_MARKERS[i % len(_MARKERS)],
                ms=3.5, markevery=max(1, len(p) // 40), label=f"{name} ({len(p) - 1} steps)")
        ax.plot(p[0, 0], p[0, 1], "o", ms=8, mfc="none", mec=color, mew=1.5)
    first = next(iter(checked.values()))[0]
    ax.plot(*first, "o", ms=8, mfc="none", mec="black", mew=1.5, ls="none", label="start",
            zorder=0)
    if minimum is not None:
        w_star = as_array(minimum, "minimum", func, ndim=1)
        if w_star.shape != (2,):
            raise ValueError(
                f"{func}: minimum must be a point (w1, w2); received shape {w_star.shape}"
            )
        ax.plot(*w_star, "*", ms=13, color="white", mec="black", mew=1.0, ls="none",
                label="minimum")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.grid(False)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("Loss surface and optimisation paths")
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


def _event(e, i: int, func: str) -> tuple[float, str]:
    if hasattr(e, "year") and hasattr(e, "label"):
        year, label = e.year, e.label
    elif isinstance(e, Mapping) and "year" in e and "label" in e:
        year, label = e["year"], e["label"]
    elif isinstance(e, (tuple, list)) and len(e) == 2:
        year, label = e
    else:
        raise TypeError(
            f"{func}: each event must have .year and .label, or be a (year, label) pair; "
            f"event {i} is {e!r}"
        )
    if isinstance(year, bool) or not isinstance(year, (Real, np.integer, np.floating)):
        raise TypeError(f"{func}: event {i} must have a numeric year; received {year!r}")
    if not isinstance(label, str) or not label.strip():
        raise TypeError(f"{func}: event {i} must have a non-empty label; received {label!r}")
    return year, label


def plot_timeline(events: Iterable, ax=None, *, spacing: str = "even", wrap: int = 15):
    """Draw dated events on a horizontal line, labels alternating above and below.

    Each event is a marker on the line with its year (bold) and label at the end of
    a stem. Stems alternate between above and below the line and between three
    lengths, so neighbouring labels do not overlap even where events crowd together
    (about 25 events fit).

    Parameters
    ----------
    events : iterable
        Objects with ``.year`` and ``.label`` (such as
        :data:`dlcourse.milestones.MILESTONES`), ``(year, label)`` pairs, or dicts with
        those keys. Drawn in order of year.
    ax : Axes, optional
    spacing : {"even", "year"}
        ``"even"`` (default) spaces events equally in their order, which keeps
        crowded decades readable; ``"year"`` places them at their year on a
        calendar axis.
    wrap : int
        Wrap labels to lines of about this many characters.

    Returns
    -------
    Axes
    """
    func = "plot_timeline"
    if isinstance(events, (str, bytes)) or not isinstance(events, Iterable):
        raise TypeError(f"{func}: events must be an iterable of events; received "
                        f"{type(events).__name__}")
    items = sorted((_event(e, i, func) for i, e in enumerate(events)), key=lambda e: e[0])
    if not items:
        raise ValueError(f"{func}: events must hold at least one event; received none")
    one_of(spacing, "spacing", func, ("even", "year"))
    wrap = positive_int(wrap, "wrap", func, minimum=4)

    years = np.array([float(y) for y, _ in items])
    pos = np.arange(len(items), dtype=float) if spacing == "even" else years
    # side: +1 above, -1 below; length cycles 1, 2, 3 on each side
    side = np.where(np.arange(len(items)) % 2 == 0, 1.0, -1.0)
    height = side * (1.0 + 1.35 * ((np.arange(len(items)) // 2) % 3))

    ax = _single_axes(ax, func, figsize=(6.0, 4.0))
    ax.axhline(0.0, color="black", lw=1.2, zorder=1)
    ax.vlines(pos, 0.0, height, color="0.6", lw=0.8, zorder=1)
    ax.scatter(pos, np.zeros_like(pos), s=22, color=PALETTE[0], edgecolors="white",
               linewidths=0.8, zorder=3)
    for x, h, (year, label) in zip(pos, height, items):
        va = "bottom" if h > 0 else "top"
        ytext = 1 if h > 0 else -1
        year_text = f"{int(year)}" if float(year).is_integer() else f"{year:g}"
        ax.annotate(year_text, (x, h), xytext=(0, ytext), textcoords="offset points",
                    ha="center", va=va, fontsize=7, fontweight="bold")
        ax.annotate(textwrap.fill(label, wrap, break_long_words=False), (x, h),
                    xytext=(0, 10 * ytext),
                    textcoords="offset points", ha="center", va=va, fontsize=6.5,
                    linespacing=1.0)
    span = pos[-1] - pos[0] if len(pos) > 1 else 1.0
    margin = 0.8 if spacing == "even" else 0.04 * span
    ax.set_xlim(pos[0] - margin, pos[-1] + margin)
    ax.set_ylim(-5.6, 5.6)
    ax.yaxis.set_visible(False)
    for where in ("left", "right", "top"):
        ax.spines[where].set_visible(False)
    ax.grid(False)
    if spacing == "even":
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        ax.set_xlabel("events in order of year (evenly spaced)")
    else:
        ax.set_xlabel("year")
    ax.set_title(f"Timeline, {items[0][0]:g}-{items[-1][0]:g}")
    return ax


def plot_per_layer(values: Mapping, ax=None, *, ylabel: str, title: str, logy: bool = True):
    """Draw one quantity per layer (an activation's spread, a gradient's norm) for several runs.

    Parameters
    ----------
    values : dict
        ``{run name: sequence of one positive number per layer, first layer first}``,
        e.g. ``{"He": profile.grad_norm, "0.01": ...}``. Runs may have different depths.
    ax : Axes, optional
        Axes to draw into.
    ylabel, title : str
        The y-axis label (with its unit, if any) and the panel's title.
    logy : bool
        Logarithmic y axis (the default: such quantities change by orders of magnitude).
        Zeros cannot be drawn on it; a run that is all zeros is left out of the axes and
        named in the legend as "(all 0)".

    Returns
    -------
    Axes
    """
    func = "plot_per_layer"
    if not isinstance(values, Mapping) or not values:
        raise TypeError(f"{func}: values must be a non-empty dict {{run name: per-layer values}}; "
                        f"received {_describe(values)}")
    ax = _single_axes(ax, func)
    for i, (name, v) in enumerate(values.items()):
        v = as_array(v, f"values[{name!r}]", func, ndim=1, layout="(layers,)")
        if v.size == 0:
            raise ValueError(f"{func}: values[{name!r}] is empty; expected one number per layer")
        layer = np.arange(1, v.size + 1)
        style = dict(color=PALETTE[i % len(PALETTE)], marker=_MARKERS[i % len(_MARKERS)],
                     ls=("-", "--", ":", "-.")[i % 4], lw=1.6, ms=4)
        if logy and not np.any(v > 0):
            ax.plot([], [], label=f"{name} (all 0)", **style)
            continue
        ax.plot(layer, np.where(v > 0, v, np.nan) if logy else v, label=str(name), **style)
    if logy:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (1 = nearest the input)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax
