"""Checkers of the chapter "A hidden layer by hand" (``book/code/hidden_layer.ipynb``).

The network is article 003's, corrected: :math:`z_1 = xW_1 + b_1`,
:math:`a_1 = \\operatorname{ReLU}(z_1)`, logits :math:`z_2 = a_1 W_2 + b_2`, and the loss
is the mean binary cross-entropy computed from the logits. Expected values are
recomputed when a checker runs, with :mod:`dlcourse.layers` and
:func:`dlcourse.losses.binary_crossentropy_from_logits_grad`, so nothing here stores
an answer a student could read.
"""

from __future__ import annotations

import numpy as np

from .. import data, layers, losses
from .checking import ExerciseFailed, as_array, as_float, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_hidden_layer_grads", "check_train_step"]

_NAMES = ("W1", "b1", "W2", "b2")


def _cases():
    """(x, y, [W1, b1, W2, b2], what the case is), float64, y of shape (n, 1)."""
    out = []
    for n_in, n_hidden, n, seed, what in [
        (10, 8, 12, 3, "article 003's network (10 inputs, 8 hidden units) on 12 examples"),
        (3, 5, 7, 4, "a network with 3 inputs and 5 hidden units on 7 examples"),
    ]:
        rng = np.random.default_rng(seed)
        x, y = data.make_binary(n=n, n_features=n_in, seed=seed)
        params = [rng.normal(0.0, 0.7, (n_in, n_hidden)), rng.normal(0.0, 0.5, n_hidden),
                  rng.normal(0.0, 0.7, (n_hidden, 1)), rng.normal(0.0, 0.5, 1)]
        out.append((x, y.reshape(-1, 1).astype(np.float64), params, what))
    return out


def _reference(x, y, params):
    """(loss, [dW1, db1, dW2, db2]) of the mean BCE from the logits, via dlcourse."""
    w1, b1, w2, b2 = params
    hidden = layers.Dense(w1.shape[0], w1.shape[1], "relu", rng=0)
    output = layers.Dense(w2.shape[0], 1, "linear", rng=0)
    for layer, (w, b) in ((hidden, (w1, b1)), (output, (w2, b2))):
        layer.params["W"][...] = w
        layer.params["b"][...] = b
    net = layers.Sequential([hidden, output])
    z = net.forward(x)
    net.backward(losses.binary_crossentropy_from_logits_grad(y, z))
    grads = [hidden.grads["W"], hidden.grads["b"], output.grads["W"], output.grads["b"]]
    return losses.binary_crossentropy_from_logits(y, z), [g.copy() for g in grads]


# --------------------------------------------------------------- the gradients


@checker(
    hints=[
        "Go backwards through the forward pass, one step at a time, reusing what the "
        "forward pass computed.",
        "With a sigmoid output and cross-entropy, the gradient of the mean loss at the "
        "output logits is the prediction error divided by the number of examples; from "
        "there each layer needs its input for the weight gradient and its weights for the"
        " gradient below.",
        "The ReLU lets the gradient through only where its input was positive. Bias "
        "gradients are the deltas summed over the examples. Return the four gradients in "
        "the order of the parameters.",
    ]
)
def check_hidden_layer_grads(hidden_layer_grads):
    """Check ``hidden_layer_grads(x, y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``."""
    _require_function(hidden_layer_grads, "hidden_layer_grads")
    for x, y, params, what in _cases():
        copies = [p.copy() for p in params]
        out = _call(hidden_layer_grads, x.copy(), y.copy(), *copies)
        expect(isinstance(out, (tuple, list)) and len(out) == 4,
               f"hidden_layer_grads must return four arrays (dW1, db1, dW2, db2); for {what} "
               f"it returned {type(out).__name__}"
               + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else "") + ".")
        expect(all(np.array_equal(c, p) for c, p in zip(copies, params)),
               "hidden_layer_grads must not change the weights: return the gradients.")
        _, ref = _reference(x, y, params)
        n = len(x)
        for name, got, want in zip(_NAMES, out, ref):
            got = as_array(got, f"d{name}")
            expect(got.size == want.size,
                   f"d{name} must have the shape of {name}, {want.shape}; received shape "
                   f"{got.shape} (for {what}).")
            got = got.reshape(want.shape)
            if np.allclose(got, n * want, rtol=1e-6, atol=1e-12) and not np.allclose(want, 0):
                raise ExerciseFailed(
                    f"d{name} is n times too large for {what}: the loss is a mean over the "
                    f"examples, so its gradient carries a factor 1/n.")
            if np.allclose(got, -want, rtol=1e-6, atol=1e-12) and not np.allclose(want, 0):
                raise ExerciseFailed(f"d{name} has the wrong sign for {what}: dL/dz2 is p - y.")
            expect(np.allclose(got, want, rtol=1e-6, atol=1e-10),
                   f"d{name} has the right shape but wrong values for {what}.")


# ------------------------------------------------------------------- one step


@checker(
    hints=[
        "TensorFlow records the computation inside a gradient tape: compute the loss from"
        " the variables inside it.",
        "After the tape, ask it for the gradients of the loss with respect to the "
        "parameters, and update each variable in place with its assign_sub method.",
        "Compute the loss with TensorFlow operations (matmul, relu, sigmoid cross-entropy"
        " from logits, reduce_mean), not NumPy; rebinding a name to a new value does not "
        "change a tf.Variable. Return the loss computed before the update.",
    ]
)
def check_train_step(train_step):
    """Check ``train_step(params, x, y, learning_rate) -> loss`` updating tf.Variables."""
    _require_function(train_step, "train_step")
    import tensorflow as tf  # only now: a wrong answer above must not pay for the import

    lr = 0.3
    for x, y, params, what in _cases():
        variables = [tf.Variable(p, dtype=tf.float64, name=name) for p, name in zip(params, _NAMES)]
        current = [p.copy() for p in params]
        for step in (1, 2):  # two steps: the second must start from the updated values
            loss = as_float(_call(train_step, variables, x.copy(), y.copy(), lr),
                            f"the loss returned by train_step (step {step})")
            ref_loss, grads = _reference(x, y, current)
            expected = [p - lr * g for p, g in zip(current, grads)]
            got = [v.numpy() for v in variables]
            if all(np.array_equal(g, c) for g, c in zip(got, current)):
                raise ExerciseFailed(
                    f"train_step did not change the variables (step {step}, {what}): update "
                    f"them in place with assign_sub.")
            expect(abs(loss - ref_loss) <= 1e-8 * max(1.0, ref_loss),
                   f"the returned loss is wrong at step {step} for {what}: return the mean "
                   f"binary cross-entropy of the logits, computed before the update.")
            for name, g, e in zip(_NAMES, got, expected):
                expect(g.shape == e.shape, f"train_step changed the shape of {name}.")
                expect(np.allclose(g, e, rtol=1e-8, atol=1e-12),
                       f"{name} after step {step} is wrong for {what}.")
            current = expected
