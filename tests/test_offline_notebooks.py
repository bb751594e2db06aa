"""Notebooks run with no network: nothing in the course may download.

The guard (``tests/nbexec.py``, :func:`nbexec.offline_ipython_dir`) is an IPython
start-up file that makes every non-loopback ``connect``/``sendto`` and every DNS
lookup inside the kernel raise ``OSError`` and logs the attempt; the kernel's own
ZeroMQ traffic is not Python ``socket`` traffic and is unaffected. The tests here

1. prove the guard works (a notebook that tries to reach the internet, and Keras's
   MNIST downloader, are refused and logged; loopback still works);
2. prove that every kernel of a test session starts behind it: ``tests/nbplugin.py``
   sets ``IPYTHONDIR`` for the session, so nbval's single run of each chapter is an
   offline run, and a cell during which a connection was attempted fails
   (``tests/test_nbplugin.py`` shows that end to end).

The data loaders and model builders themselves are tested with sockets blocked in
``tests/test_data.py`` and ``tests/test_models.py``.

**The whole suite offline.** Every kernel started with the guard's profile refuses
the network, so nbval and Jupyter Book can run offline too::

    IPYTHONDIR=$(.venv/bin/python tests/nbexec.py offline-ipythondir /tmp/offline) make test
    IPYTHONDIR=/tmp/offline make book

and on Linux, for a machine-level guarantee (the pytest process and the build too),
run it in a network namespace that has only loopback::

    unshare --map-root-user --net make test
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import nbexec  # noqa: E402

def _notebook(tmp_path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(s)) for s in sources]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _stdout(run) -> str:
    return "".join(
        o.get("text", "") for c in run.notebook.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if o.get("output_type") == "stream"
    )


def test_the_guard_refuses_the_internet_and_keeps_loopback(tmp_path):
    path = _notebook(
        tmp_path,
        """
        import socket, urllib.request
        def attempt(label, call):
            try:
                call()
                print(label, "REACHED")
            except OSError as err:
                print(label, "refused:", "offline guard" in str(err))
        attempt("http", lambda: urllib.request.urlopen("http://example.com", timeout=2))
        attempt("dns", lambda: socket.getaddrinfo("pypi.org", 443))
        attempt("ip", lambda: socket.create_connection(("203.0.113.1", 80), timeout=2))
        """,
        """
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        client = socket.create_connection(server.getsockname(), timeout=2)
        print("loopback ok")
        client.close(); server.close()
        """,
    )
    run = nbexec.execute(path, timeout=60, offline=True)
    assert run.ok, run.error
    out = _stdout(run)
    for label in ("http", "dns", "ip"):
        assert f"{label} refused: True" in out, out
    assert "loopback ok" in out
    assert len(run.blocked) == 3, run.blocked


def test_the_guard_catches_a_keras_download(tmp_path):
    """keras.datasets.mnist.load_data() downloads: offline it must fail, and be logged."""
    path = _notebook(
        tmp_path,
        """
        import dlcourse
        dlcourse.setup(seed=0)
        import keras
        try:
            keras.datasets.mnist.load_data()
            print("DOWNLOADED")
        except Exception as err:
            print("refused:", type(err).__name__)
        """,
    )
    # A private KERAS_HOME: an MNIST cached in ~/.keras would hide the attempt.
    run = nbexec.execute(path, timeout=120, offline=True,
                         extra_env={"KERAS_HOME": str(tmp_path / "keras-home")})
    assert run.ok, run.error
    assert "refused:" in _stdout(run) and run.blocked, (_stdout(run), run.blocked)


def test_every_kernel_of_the_session_is_offline(tmp_path):
    """A kernel started with the session's own environment (as nbval's are) refuses the
    internet, and the attempt lands in the session's log that nbplugin reads per cell."""
    path = _notebook(
        tmp_path,
        """
        import socket
        try:
            socket.create_connection(("203.0.113.1", 80), timeout=2)
            print("REACHED")
        except OSError as err:
            print("refused:", "offline guard" in str(err))
        """,
    )
    log = Path(os.environ[nbexec.NETLOG_ENV])
    before = log.read_text().splitlines() if log.exists() else []
    run = nbexec.execute(path, timeout=60)  # offline=False: only the session's guard
    assert run.ok, run.error
    assert "refused: True" in _stdout(run)
    after = log.read_text().splitlines()
    assert len(after) == len(before) + 1 and "203.0.113.1" in after[-1], after
