"""One call that makes a notebook repeatable and quiet.

Every chapter starts with::

    import dlcourse
    rng = dlcourse.setup(seed=0)

which seeds Python, NumPy and TensorFlow, turns on TensorFlow's deterministic ops,
silences TensorFlow's start-up log noise (it must run before TensorFlow is first
imported for the C++ messages) and sets small, labelled figure defaults. Nothing
here runs on import: the call is explicit so a learner can see what changed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import random
import warnings

import numpy as np

from ._validate import flag, positive_int


def setup(seed: int = 0, *, tensorflow: bool = True) -> np.random.Generator:
    """Seed every random number generator and quiet TensorFlow.

    Parameters
    ----------
    seed : int
        The seed for Python's ``random``, NumPy's global state and TensorFlow.
    tensorflow : bool
        Also import and configure TensorFlow (default). Chapters that use only
        NumPy pass ``False`` and start faster.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with ``seed``, for the notebook's own draws.
    """
    seed = positive_int(seed, "seed", "setup", minimum=0)
    tensorflow = flag(tensorflow, "tensorflow", "setup")
    # Must precede the first `import tensorflow`: level 3 hides TensorFlow's C++
    # INFO/WARNING/ERROR lines (Python exceptions are unaffected).
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    random.seed(seed)
    np.random.seed(seed)
    if tensorflow:
        _setup_tensorflow(seed)
    _setup_matplotlib()
    return np.random.default_rng(seed)


@contextlib.contextmanager
def _mute_stderr_fd():
    """Send file descriptor 2 to /dev/null for the duration of the block.

    TensorFlow >= 2.18 writes a few lines ("oneDNN custom operations are on",
    "Could not find cuda drivers") from C++ straight to fd 2 while it loads,
    before its log level is read; Jupyter forwards them into the notebook.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all: nothing to mute
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _setup_tensorflow(seed: int) -> None:
    with _mute_stderr_fd():
        import tensorflow as tf
        import keras

        tf.constant(0.0) + 1.0  # the first op initialises the devices (more C++ lines)

    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def _setup_matplotlib() -> None:
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (6.0, 4.0),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    # Font cache notices and similar are not something a learner can act on.
    warnings.filterwarnings("ignore", module="matplotlib.font_manager")
