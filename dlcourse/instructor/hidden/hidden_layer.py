"""Hidden tests of the hidden-layer chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_hidden_layer_2(hidden_layer_grads):
    """The four gradients against central finite differences of the mean BCE loss."""
    import numpy as np

    rng = np.random.default_rng(20261204)
    x = rng.normal(size=(6, 3))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    params = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 1)),
              rng.normal(size=1)]

    def loss(W1, b1, W2, b2):
        z = np.maximum(x @ W1 + b1, 0.0) @ W2 + b2
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    grads = hidden_layer_grads(x, y, *[p.copy() for p in params])
    assert len(grads) == 4, "hidden test: expected four gradients"
    for k, p in enumerate(params):
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            plus = [q.copy() for q in params]
            minus = [q.copy() for q in params]
            plus[k][i] += 1e-6
            minus[k][i] -= 1e-6
            numeric[i] = (loss(*plus) - loss(*minus)) / 2e-6
        got = np.asarray(grads[k], dtype=float).reshape(p.shape)
        assert np.allclose(got, numeric, atol=1e-6), \
            f"hidden test: gradient {k + 1} of 4 differs from finite differences"


def ex_hidden_layer_3(train_step):
    """One step of train_step lowers the loss and moves the weights along -lr * gradient."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(20261204)
    x = tf.constant(rng.normal(size=(8, 2)), dtype=tf.float32)
    y = tf.constant(rng.integers(0, 2, size=(8, 1)), dtype=tf.float32)
    start = [rng.normal(scale=0.5, size=s).astype("float32") for s in [(2, 5), (5,), (5, 1), (1,)]]
    params = [tf.Variable(v) for v in start]

    def loss(W1, b1, W2, b2):
        z = np.maximum(x.numpy() @ W1 + b1, 0.0) @ W2 + b2
        return float(np.mean(np.logaddexp(0.0, z) - y.numpy() * z))

    before = loss(*start)
    reported = float(train_step(params, x, y, 0.1))
    assert abs(reported - before) <= 1e-4 * max(1.0, abs(before)), \
        "hidden test: train_step does not return the loss before the step"
    assert loss(*[p.numpy() for p in params]) < before, "hidden test: the step does not lower the loss"
