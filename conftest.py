"""pytest hooks for the notebooks under nbval (``pytest --nbval-lax ... book``).

This file sits at the repository root so that it applies to ``book/`` as well as to
``tests/``: pytest applies a conftest's hooks only to items at or below its folder.

- nbval (``--nbval-lax``) fails a cell that raises; the book build also fails a cell that
  writes to stderr (``stderr_output: warn`` with ``-W``). The report hook gives nbval the
  same rule, so CI catches stray stderr (TensorFlow log lines, Python warnings) before the
  book build does.
- nbval waits for a cell's reply for the whole ``--nbval-cell-timeout`` even when the kernel
  has died (a crash in native code, the out-of-memory killer). The call hook makes it poll
  the kernel once a second and fail at once with a message that says the kernel died.
"""

from __future__ import annotations

import signal
import time
from queue import Empty

import pytest

#: How often (seconds) a running cell checks that its kernel is still alive.
KERNEL_POLL_S = 1.0


def _stderr_text(item) -> str:
    outputs = getattr(item, "test_outputs", None) or []
    return "".join(
        out.get("text", "")
        for out in outputs
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )


class DeadKernelError(RuntimeError):
    """The notebook's kernel process ended while a cell was running."""


def _exit_description(kernel) -> str:
    process = getattr(getattr(kernel.km, "provisioner", None), "process", None)
    code = process.poll() if process is not None else None
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _fail_fast_when_kernel_dies(item) -> None:
    """Make the notebook kernel's ``await_reply`` (nbval waits there for a cell's reply)
    wait in short slices and raise :class:`DeadKernelError` naming ``item`` as soon as
    the kernel process is gone."""
    kernel = item.parent.kernel
    wait_for_reply = getattr(kernel, "_dlcourse_await_reply", None)
    if wait_for_reply is None:
        wait_for_reply = kernel._dlcourse_await_reply = kernel.await_reply

    def await_reply(msg_id, timeout=None):
        deadline = None if timeout is None else time.monotonic() + float(timeout)
        while True:
            left = KERNEL_POLL_S if deadline is None else deadline - time.monotonic()
            try:
                return wait_for_reply(msg_id, timeout=max(0.0, min(KERNEL_POLL_S, left)))
            except Empty:
                if not kernel.is_alive():
                    raise DeadKernelError(
                        f"{item.nodeid}: the notebook's kernel died while this cell ran "
                        f"({_exit_description(kernel)}): a crash in native code or the "
                        "memory limit; the notebook's later cells cannot run"
                    ) from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise  # nbval's own cell timeout

    kernel.await_reply = await_reply


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if hasattr(item, "cell") and getattr(item.parent, "kernel", None) is not None:  # nbval
        _fail_fast_when_kernel_dies(item)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed or not hasattr(item, "test_outputs"):
        return
    text = _stderr_text(item)
    if text.strip():
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid}: the cell wrote to stderr, which fails the book build "
            f"(stderr_output: warn, -W). Silence the cause instead of hiding it:\n{text[:2000]}"
        )
