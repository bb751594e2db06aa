"""Hidden tests of the regularization chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_regularization_2(shift_images):
    """Every shift from -10 to 10 in both directions (sign pairs the self-check skips, and
    shifts past the whole image, included), against a crop of a zero-padded copy."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    batches = [rng.uniform(0.05, 1.0, size=(3, 8, 8)),
               rng.integers(1, 256, size=(1, 8, 8)).astype(np.uint8)]
    for images in batches:
        padded = np.pad(images.astype(float), ((0, 0), (10, 10), (10, 10)))
        for dy in range(-10, 11):
            for dx in range(-10, 11):
                given = images.copy()
                got = np.asarray(shift_images(given, dy, dx), dtype=float)
                assert got.shape == images.shape, "hidden test: shift_images changes the shape"
                assert np.array_equal(given, images), "hidden test: shift_images changes images in place"
                want = padded[:, 10 - dy:18 - dy, 10 - dx:18 - dx]
                assert np.array_equal(got, want), \
                    f"hidden test: shift_images(images, dy={dy}, dx={dx}) is not the shifted image"


def ex_regularization_3(early_stopping):
    """Random loss curves with ties and patience 1 to 6, against running minima: stop at
    the first epoch that lies `patience` epochs after the first epoch of the best loss so far."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for _ in range(60):
        n = int(rng.integers(1, 25))
        patience = int(rng.integers(1, 7))
        losses = [float(v) for v in np.round(rng.uniform(0.1, 1.0, n) - 0.02 * np.arange(n), 1)]
        best_so_far = np.minimum.accumulate(losses)
        best_epochs = [int(np.flatnonzero(np.array(losses[:e + 1]) == best_so_far[e])[0])
                       for e in range(n)]
        stops = [e for e in range(n) if e - best_epochs[e] >= patience]
        want = (stops[0] + 1, best_epochs[stops[0]]) if stops else (n, best_epochs[-1])
        given = list(losses)
        out = early_stopping(given, patience)
        assert given == losses, "hidden test: early_stopping changes val_losses"
        assert isinstance(out, (tuple, list)) and len(out) == 2, \
            "hidden test: early_stopping does not return a pair (epochs_run, best_epoch)"
        assert int(out[0]) == want[0], "hidden test: epochs_run is wrong on a random loss curve"
        assert int(out[1]) == want[1], "hidden test: best_epoch is wrong on a random loss curve"
