"""dlcourse.setup: seeds everything, makes Keras training repeatable, keeps TensorFlow
off stderr; importing dlcourse's modules loads no TensorFlow.

The stderr and cross-process checks run fresh Python processes: in this one TensorFlow
may already have been imported by another test, which would hide what they test.
"""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dlcourse

ROOT = Path(__file__).resolve().parents[1]
HAS_TF = importlib.util.find_spec("tensorflow") is not None
needs_tf = pytest.mark.skipif(not HAS_TF, reason="TensorFlow is not installed")


def _run(code: str, copies: int = 1) -> list[subprocess.CompletedProcess]:
    """Run ``code`` in ``copies`` fresh interpreters at once, as a notebook kernel
    starts: without the TF_* variables other tests may have set in this process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(copies)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def test_setup_seeds_python_and_numpy():
    draws = []
    for _ in range(2):
        rng = dlcourse.setup(seed=7, tensorflow=False)
        draws.append((random.random(), np.random.rand(), rng.random()))
    assert draws[0] == draws[1]
    dlcourse.setup(seed=8, tensorflow=False)
    assert (random.random(), np.random.rand()) != draws[0][:2]


def test_setup_returns_a_generator_independent_of_the_global_state():
    rng = dlcourse.setup(seed=3, tensorflow=False)
    assert isinstance(rng, np.random.Generator)
    assert rng.random() == np.random.default_rng(3).random()


@pytest.mark.parametrize(
    "seed, error, message",
    [(-1, ValueError, "setup: seed must be >= 0; received -1"),
     (1.5, TypeError, "setup: seed must be an integer; received 1.5"),
     ("0", TypeError, "setup: seed must be an integer; received '0'"),
     (None, TypeError, "setup: seed must be an integer; received None")],
)
def test_setup_checks_the_seed(seed, error, message):
    with pytest.raises(error, match="^" + message.replace("(", r"\(").replace(".", r"\.") + "$"):
        dlcourse.setup(seed, tensorflow=False)


def test_importing_dlcourse_modules_loads_no_tensorflow():
    (result,) = _run(
        "import sys, dlcourse, dlcourse.data, dlcourse.models\n"
        "dlcourse.setup(0, tensorflow=False)\n"
        "dlcourse.data.load_digits(); dlcourse.data.make_moons()\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]" and result.stderr == ""


# A notebook's life in one script: setup, TensorFlow, a model trained with the
# one-line logger, then a digest of the trained weights.
TRAIN_SCRIPT = """
import hashlib
import dlcourse
dlcourse.setup(seed=0)
import tensorflow as tf
import keras
from dlcourse import data, models
d = data.load_digits()
model = models.mlp(hidden=(16,))
model.fit(d.x_train, d.y_train, epochs=3, batch_size=64, verbose=0,
          validation_data=(d.x_val, d.y_val), callbacks=[models.EpochLogger(every=1)])
weights = b"".join(w.tobytes() for w in model.get_weights())
print("weights", hashlib.sha256(weights).hexdigest())
"""


@needs_tf
def test_tensorflow_is_silent_and_training_repeats_across_processes():
    first, second = _run(TRAIN_SCRIPT, copies=2)
    assert first.returncode == 0, first.stderr
    # Nothing on stderr: no C++ start-up lines, no warnings (the book build fails on any).
    assert first.stderr == "" and second.stderr == ""
    lines = first.stdout.splitlines()
    assert len(lines) == 4 and lines[0].startswith("epoch 1/3  loss ")
    # A fresh process gives the same log and bit-identical weights.
    assert first.stdout == second.stdout


@needs_tf
def test_training_twice_after_setup_gives_identical_weights():
    from dlcourse import data, models

    d = data.load_digits()

    def train(seed):
        dlcourse.setup(seed)
        model = models.mlp(hidden=(16,))
        model.fit(d.x_train, d.y_train, epochs=2, batch_size=32, verbose=0)
        return model.get_weights()

    a, b, c = train(0), train(0), train(1)
    assert all(np.array_equal(wa, wb) for wa, wb in zip(a, b))
    assert not np.array_equal(a[0], c[0])


@needs_tf
def test_setup_makes_tensorflow_ops_deterministic():
    dlcourse.setup(0)
    import tensorflow as tf

    from tensorflow.python.framework.config import is_op_determinism_enabled

    assert is_op_determinism_enabled()
    first = tf.random.uniform((3,)).numpy()
    dlcourse.setup(0)
    assert np.array_equal(tf.random.uniform((3,)).numpy(), first)


def test_setup_sets_small_labelled_figure_defaults():
    import matplotlib as mpl

    dlcourse.setup(0, tensorflow=False)
    assert tuple(mpl.rcParams["figure.figsize"]) == (6.0, 4.0)
