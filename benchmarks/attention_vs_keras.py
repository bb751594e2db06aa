"""How fast dlcourse's NumPy attention and layer normalization are next to Keras.

Times :class:`dlcourse.attention.MultiHeadAttention` and
:class:`dlcourse.normalization.LayerNormalization` (forward, and forward + backward)
against ``keras.layers.MultiHeadAttention`` / ``LayerNormalization`` (the layer call, and
one ``tf.GradientTape`` forward and gradient) at the sizes the attention and Transformer
chapters use, and prints a markdown table: milliseconds per call (the fastest of many
calls, see ``conv_vs_tf.best_time``) and the ratio dlcourse / Keras. dlcourse works in
float64; Keras is timed in float64 (like for like) and in float32 (what a model runs in).
Keras layers are called eagerly, as a notebook calls them, and also inside a
``tf.function`` (what ``model.fit`` runs), which removes most of Python's overhead.

Usage (from the repository root)::

    .venv/bin/python benchmarks/attention_vs_keras.py           # 1.5 s per figure
    .venv/bin/python benchmarks/attention_vs_keras.py --quick   # 0.3 s per figure

Figures only, nothing is asserted: timings depend on the machine (exit status 0).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import dlcourse  # noqa: E402
from conv_vs_tf import best_time, blas_threads  # noqa: E402  (same folder)
from dlcourse import attention, normalization  # noqa: E402

# name, batch, time, d_model, heads (key_dim = d_model // heads)
CASES = [
    ("attention chapter: 3 x 5 x 8, 2 heads", 3, 5, 8, 2),
    ("Transformer chapter batch: 64 x 8 x 32, 2 heads", 64, 8, 32, 2),
    ("longer sequences: 32 x 64 x 64, 4 heads", 32, 64, 64, 4),
]


def run(budget: float) -> list[tuple]:
    dlcourse.setup(seed=0)
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    rows = []
    for name, B, T, d, h in CASES:
        x, g = rng.normal(size=(B, T, d)), rng.normal(size=(B, T, d))
        mask = np.broadcast_to(attention.causal_mask(T), (B, T, T))
        ours = attention.MultiHeadAttention(d, h, d // h, rng=0)
        ln = normalization.LayerNormalization(d)

        def keras_pair(dtype):
            mha = keras.layers.MultiHeadAttention(h, d // h, dtype=dtype)
            mha.build((None, T, d), (None, T, d))
            norm = keras.layers.LayerNormalization(dtype=dtype)
            norm.build((None, T, d))
            return mha, norm, tf.constant(x, dtype), tf.constant(g, dtype), tf.constant(mask)

        timings = {}
        for dtype in ("float64", "float32"):
            mha, norm, xt, gt, mt = keras_pair(dtype)

            def mha_fwd():
                return mha(xt, xt, attention_mask=mt)

            def mha_both():
                with tf.GradientTape() as tape:
                    tape.watch(xt)
                    y = mha(xt, xt, attention_mask=mt)
                return tape.gradient(y, [xt, *mha.trainable_weights], output_gradients=gt)

            def ln_fwd():
                return norm(xt)

            def ln_both():
                with tf.GradientTape() as tape:
                    tape.watch(xt)
                    y = norm(xt)
                return tape.gradient(y, [xt, *norm.trainable_weights], output_gradients=gt)

            for label, fn in (("mha fwd", mha_fwd), ("mha both", mha_both),
                              ("ln fwd", ln_fwd), ("ln both", ln_both)):
                timings[label, dtype, "eager"] = best_time(fn, budget)
                timings[label, dtype, "graph"] = best_time(tf.function(fn), budget)

        def ours_mha_both():
            ours.forward(x, mask=mask)
            return ours.backward(g)

        def ours_ln_both():
            ln.forward(x)
            return ln.backward(g)

        mine = {"mha fwd": best_time(lambda: ours.forward(x, mask=mask), budget),
                "mha both": best_time(ours_mha_both, budget),
                "ln fwd": best_time(lambda: ln.forward(x), budget),
                "ln both": best_time(ours_ln_both, budget)}
        for label, layer, what in (("mha fwd", "MultiHeadAttention", "forward"),
                                   ("mha both", "MultiHeadAttention", "forward + backward"),
                                   ("ln fwd", "LayerNormalization", "forward"),
                                   ("ln both", "LayerNormalization", "forward + backward")):
            rows.append((name, layer, what, mine[label],
                         timings[label, "float64", "eager"], timings[label, "float64", "graph"],
                         timings[label, "float32", "graph"]))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.3 s per figure instead of 1.5 s")
    args = parser.parse_args(argv)
    rows = run(0.3 if args.quick else 1.5)
    import tensorflow as tf

    print(f"attention and layer norm: dlcourse (NumPy {np.__version__}, float64; {blas_threads()}) "
          f"vs Keras on TensorFlow {tf.__version__}; {platform.machine()}, {os.cpu_count()} CPU "
          f"cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| case | layer | pass | dlcourse (ms) | Keras float64 eager (ms) | Keras float64 "
          "tf.function (ms) | Keras float32 tf.function (ms) | ratio vs float64 eager "
          "| ratio vs float64 tf.function |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, layer, what, ours, eager, graph, graph32 in rows:
        print(f"| {name} | {layer} | {what} | {1e3 * ours:.3f} | {1e3 * eager:.3f} | "
              f"{1e3 * graph:.3f} | {1e3 * graph32:.3f} | {ours / eager:.2f}x | {ours / graph:.2f}x |")
    print("\nA ratio below 1 means dlcourse is faster. 'forward + backward' on the Keras side "
          "is one GradientTape forward and gradient call (input and weights); a causal mask "
          "is applied on both sides.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
