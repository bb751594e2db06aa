"""How fast dlcourse's NumPy training loop is next to Keras, on the digits MLP.

Trains the same network — 64 inputs, Dense(64, relu), Dense(10) logits, softmax
cross-entropy, Adam(0.001), batch size 32, shuffled every epoch — on the
scikit-learn digits (``dlcourse.data.load_digits(layout="flat", seed=0)``, 1,079
training images) with :func:`dlcourse.training.fit` (NumPy, float64) and with
``keras.Model.fit`` (TensorFlow, float32, ``verbose=0``), and prints a markdown
table: seconds per epoch (the median over epochs; Keras's first epoch, which traces
and compiles the training step, is reported separately), the ratio NumPy / Keras,
and the test accuracy each reaches, as a check that both did the same work.

Keras is timed as it runs out of the box — ``jit_compile="auto"``, which on CPU
means XLA — and with ``jit_compile=False``, which is also what "auto" becomes after
``dlcourse.setup`` (it turns on TensorFlow's op determinism, and Keras then refuses
XLA). The script therefore seeds without ``setup``'s determinism and imports
TensorFlow with its start-up lines muted. At this size a training step is a few small matrix
products, so the time goes to per-step overhead: Python for dlcourse, the
tf.function / data-adapter machinery for Keras.

Usage (from the repository root)::

    .venv/bin/python benchmarks/mlp_vs_keras.py             # 20 epochs
    .venv/bin/python benchmarks/mlp_vs_keras.py --epochs 5  # quicker

The exit status is 0 when dlcourse is no slower per epoch than the fastest Keras
setting, 1 otherwise. A script that reports figures, not a test: timings depend on
the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import dlcourse  # noqa: E402
from dlcourse.data import load_digits  # noqa: E402
from dlcourse.layers import Dense, Sequential  # noqa: E402
from dlcourse.optimizers import Adam  # noqa: E402
from dlcourse.reproducibility import _mute_stderr_fd  # noqa: E402
from dlcourse.training import evaluate, fit  # noqa: E402

HIDDEN, CLASSES, LR = 64, 10, 1e-3


def time_numpy(data, epochs: int, batch_size: int, seed: int) -> dict:
    """Per-epoch seconds of dlcourse.training.fit (one fit call per epoch)."""
    model = Sequential([
        Dense(64, HIDDEN, "relu", rng=seed),
        Dense(HIDDEN, CLASSES, rng=seed + 1),
    ])
    optimizer, rng = Adam(LR), np.random.default_rng(seed)
    x = data.x_train.astype(np.float64)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        fit(model, x, data.y_train, loss="softmax_crossentropy", optimizer=optimizer,
            epochs=1, batch_size=batch_size, rng=rng)
        times.append(time.perf_counter() - start)
    acc = evaluate(model, data.x_test, data.y_test, loss="softmax_crossentropy")["accuracy"]
    return {"epoch": statistics.median(times), "first": times[0], "total": sum(times), "acc": acc}


def time_keras(data, epochs: int, batch_size: int, seed: int, jit_compile) -> dict:
    """Per-epoch seconds of keras.Model.fit, measured by a callback."""
    import keras

    keras.utils.set_random_seed(seed)

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self._start)

    times: list[float] = []
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(HIDDEN, activation="relu"),
        keras.layers.Dense(CLASSES),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(LR),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )
    start = time.perf_counter()
    model.fit(data.x_train, data.y_train, batch_size=batch_size, epochs=epochs,
              shuffle=True, verbose=0, callbacks=[EpochTimer()])
    total = time.perf_counter() - start
    _, acc = model.evaluate(data.x_test, data.y_test, verbose=0)
    steady = times[1:] or times
    return {"epoch": statistics.median(steady), "first": times[0], "total": total, "acc": acc}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.epochs < 2:
        parser.error("--epochs must be >= 2 (Keras's first epoch is reported apart)")

    dlcourse.setup(seed=args.seed, tensorflow=False)  # seeds NumPy; TF log level
    with _mute_stderr_fd():  # TensorFlow's C++ start-up lines, as setup() does
        import keras
        import tensorflow as tf

    data = load_digits(layout="flat", seed=args.seed)
    rows = [("dlcourse (NumPy, float64)", time_numpy(data, args.epochs, args.batch_size, args.seed))]
    for label, jit in [("Keras fit, float32, jit_compile=\"auto\" (XLA)", "auto"),
                       ("Keras fit, float32, jit_compile=False", False)]:
        rows.append((label, time_keras(data, args.epochs, args.batch_size, args.seed, jit)))

    steps = -(-len(data.x_train) // args.batch_size)
    fastest_keras = min(r["epoch"] for _, r in rows[1:])
    ours = rows[0][1]["epoch"]
    print(f"MLP 64-{HIDDEN}-{CLASSES}, Adam({LR:g}), batch {args.batch_size} "
          f"({steps} steps/epoch on {len(data.x_train)} digits), {args.epochs} epochs")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores; "
          f"Python {platform.python_version()}, NumPy {np.__version__}, "
          f"TensorFlow {tf.__version__}, Keras {keras.__version__}\n")
    print("| engine | s / epoch (median) | first epoch (s) | total (s) | vs dlcourse | test accuracy |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, r in rows:
        print(f"| {label} | {r['epoch']:.4f} | {r['first']:.3f} | {r['total']:.2f} | "
              f"{r['epoch'] / ours:.1f}x | {r['acc']:.3f} |")
    ratio = ours / fastest_keras
    print(f"\ndlcourse / fastest Keras, seconds per epoch: {ratio:.2f} "
          f"({'no slower' if ratio <= 1 else 'SLOWER'} than Keras)")
    return 0 if ratio <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
