"""How fast dlcourse's NumPy convolution is next to TensorFlow's.

Times :func:`dlcourse.conv.conv2d` (im2col: one strided view, one copy, one matrix
product) and :func:`dlcourse.conv.conv2d_backward` against ``tf.nn.conv2d`` and its
``tf.GradientTape`` gradients on batches the book uses, and prints a markdown table:
seconds per call (the fastest of many calls) and the ratio
dlcourse / TensorFlow. dlcourse works in float64; TensorFlow is timed in float64 (the
like-for-like ratio, the one the target "within 3x" is about) and in float32 (what a
Keras model runs in). Both sides read arrays already in memory (TensorFlow's inputs
are made ``tf.constant`` beforehand) so only the convolution is timed.

Usage (from the repository root)::

    .venv/bin/python benchmarks/conv_vs_tf.py            # all cases
    .venv/bin/python benchmarks/conv_vs_tf.py --quick    # 0.3 s per figure
    .venv/bin/python benchmarks/conv_vs_tf.py --blas-threads 1

On a busy machine (more runnable processes than cores, e.g. ``pytest -n 2`` next to
other jobs) OpenBLAS's multi-threaded matrix products can become many times slower
than single-threaded ones (its threads spin waiting for each other);
``--blas-threads 1`` shows that case. Run it on a quiet machine for the real figures.

The exit status is 0 when every float64 forward ratio is within 3x, 1 otherwise.
This is a script that reports figures, not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import dlcourse  # noqa: E402
from dlcourse import conv  # noqa: E402

TARGET = 3.0

# name, x shape (NHWC), kernel shape (HWIO), stride, padding
CASES = [
    ("256 digits 8x8x1 -> 16 filters 3x3", (256, 8, 8, 1), (3, 3, 1, 16), 1, "same"),
    ("32x16x16x8 -> 16 filters 3x3", (32, 16, 16, 8), (3, 3, 8, 16), 1, "same"),
    ("64x28x28x1 -> 32 filters 5x5, stride 2", (64, 28, 28, 1), (5, 5, 1, 32), 2, "same"),
]


def best_time(fn, budget: float) -> float:
    """Seconds per call: the fastest of as many calls as fit in ``budget`` seconds.

    The minimum, not the mean: on a shared machine other processes only ever add
    time, so the fastest call is the best estimate of the cost of the code itself.
    """
    fn()  # warm-up: first-call allocations, TensorFlow's kernel selection
    times, end = [], time.perf_counter() + budget
    while time.perf_counter() < end or len(times) < 5:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def blas_threads() -> str:
    """NumPy's own BLAS and its thread count (threadpoolctl ships with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS threads unknown"
    blas = [i for i in threadpool_info()
            if i.get("user_api") == "blas" and "numpy" in i.get("filepath", "")]
    found = sorted({f"{i['internal_api']} {i['num_threads']} thread(s)" for i in blas})
    return ", ".join(found) or "no BLAS"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.3 s per figure instead of 1.5 s")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit NumPy's BLAS to this many threads (threadpoolctl)")
    args = parser.parse_args(argv)
    if args.blas_threads is not None:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            return run(args)
    return run(args)


def run(args) -> int:
    budget = 0.3 if args.quick else 1.5

    dlcourse.setup(seed=0)
    import tensorflow as tf

    rng = np.random.default_rng(0)
    rows, ok = [], True
    for name, xs, ws, stride, padding in CASES:
        x, w = rng.normal(size=xs), rng.normal(size=ws)
        g = rng.normal(size=conv.conv2d(x, w, stride=stride, padding=padding).shape)
        x64, w64, g64 = (tf.constant(a) for a in (x, w, g))
        x32, w32 = tf.constant(x, tf.float32), tf.constant(w, tf.float32)
        pad = padding.upper()

        ours_fwd = best_time(lambda: conv.conv2d(x, w, stride=stride, padding=padding), budget)
        tf64_fwd = best_time(lambda: tf.nn.conv2d(x64, w64, stride, pad), budget)
        tf32_fwd = best_time(lambda: tf.nn.conv2d(x32, w32, stride, pad), budget)

        def tf_backward():
            with tf.GradientTape() as tape:
                tape.watch([x64, w64])
                y = tf.nn.conv2d(x64, w64, stride, pad)
            return tape.gradient(y, [x64, w64], output_gradients=g64)

        ours_bwd = best_time(
            lambda: conv.conv2d_backward(g, x, w, stride=stride, padding=padding), budget
        )
        tf64_bwd = best_time(tf_backward, budget)
        ratio = ours_fwd / tf64_fwd
        ok &= ratio <= TARGET
        rows.append((name, "forward", ours_fwd, tf64_fwd, tf32_fwd, ratio))
        rows.append((name, "forward + backward", ours_fwd + ours_bwd, tf64_bwd, None,
                     (ours_fwd + ours_bwd) / tf64_bwd))

    print(f"conv2d: dlcourse (NumPy {np.__version__}, float64; {blas_threads()}) vs "
          f"TensorFlow {tf.__version__}; {platform.machine()}, {os.cpu_count()} CPU cores, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| case | pass | dlcourse (ms) | TF float64 (ms) | TF float32 (ms) "
          "| ratio vs TF float64 |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, what, ours, t64, t32, ratio in rows:
        t32s = "" if t32 is None else f"{1e3 * t32:.3f}"
        print(f"| {name} | {what} | {1e3 * ours:.3f} | {1e3 * t64:.3f} | {t32s} | {ratio:.2f}x |")
    print(f"\nTarget: forward within {TARGET:g}x of TensorFlow float64: "
          f"{'met' if ok else 'NOT met'}. 'forward + backward' on the TF side is one "
          "GradientTape forward and gradient call.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
