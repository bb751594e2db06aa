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
    """Two steps at a learning rate the self-check does not use, against the gradient
    written out in NumPy (backpropagation by hand); the loss returned is the one before."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(20261204)
    x = rng.normal(size=(8, 2))
    y = rng.integers(0, 2, size=(8, 1)).astype(float)
    current = [rng.normal(scale=0.5, size=s) for s in [(2, 5), (5,), (5, 1), (1,)]]
    params = [tf.Variable(v, dtype=tf.float64) for v in current]
    lr = 0.07

    def loss_and_grads(W1, b1, W2, b2):
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0.0)
        z2 = a1 @ W2 + b2
        delta2 = (1.0 / (1.0 + np.exp(-z2)) - y) / len(x)
        delta1 = (delta2 @ W2.T) * (z1 > 0)
        loss = float(np.mean(np.logaddexp(0.0, z2) - y * z2))
        return loss, [x.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)]

    for _ in range(2):
        before, grads = loss_and_grads(*current)
        reported = float(train_step(params, tf.constant(x), tf.constant(y), lr))
        assert abs(reported - before) <= 1e-8 * max(1.0, abs(before)), \
            "hidden test: train_step does not return the loss before the step"
        current = [p - lr * g for p, g in zip(current, grads)]
        for k, (v, want) in enumerate(zip(params, current)):
            assert np.allclose(v.numpy(), want, rtol=1e-8, atol=1e-12), \
                f"hidden test: parameter {k + 1} of 4 is not moved by -learning_rate * gradient"
