"""Run one assembled notebook and report its outputs (used by :mod:`.grading`).

``python -m dlcourse.instructor._worker CELL_TIMEOUT NOTEBOOK_TIMEOUT FD [MEMORY_BYTES]``
caps its own address space, and so the kernel's, at ``MEMORY_BYTES`` (``RLIMIT_AS``: an
answer that allocates more gets a ``MemoryError`` in its cell, not the grader's machine),
reads the notebook from stdin (so it never lies on a disk the student's code can read), runs it
in a fresh ``python3`` kernel started here (inside the sandbox, when there is one),
and writes ``{"outputs": [...], "executed": [...], "stopped": ...}`` as JSON to file
descriptor ``FD``, which the kernel does not inherit: what the student's code prints can
reach the notebook's outputs, never this channel.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time


#: Characters kept of one output (its start and its end, where the grader's line is).
MAX_OUTPUT_CHARS = 20_000
#: The grader's default limits of one run (``grading`` and the ``gradebook`` command use
#: them; they live here, in a module of the standard library only, so that building the
#: command line's parser imports nothing heavy). Seconds per cell, seconds per notebook,
#: and the address space (GiB) of the kernel: TensorFlow's chapters need about 3; an
#: answer that allocates more fails its cell with a MemoryError.
DEFAULT_CELL_TIMEOUT_S = 120
DEFAULT_NOTEBOOK_TIMEOUT_S = 900
DEFAULT_MEMORY_GB = 8.0


def _capped(output: dict) -> dict:
    """A stream output cut to its first and last MAX_OUTPUT_CHARS / 2 characters."""
    text = output.get("text", "")
    if output.get("output_type") != "stream" or len(text) <= MAX_OUTPUT_CHARS:
        return output if output.get("output_type") in ("stream", "error") else {
            "output_type": output.get("output_type")}
    half = MAX_OUTPUT_CHARS // 2
    return {**output, "text": text[:half] + "\n[... output cut ...]\n" + text[-half:]}


def main() -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    cell_timeout, notebook_timeout = float(sys.argv[1]), float(sys.argv[2])
    if len(sys.argv) > 4:
        import resource

        limit = int(sys.argv[4])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # inherited by the kernel
    nb = nbformat.reads(sys.stdin.read(), as_version=4)
    channel = os.fdopen(int(sys.argv[3]), "w", encoding="utf-8")
    os.set_inheritable(channel.fileno(), False)
    client = NotebookClient(
        nb, timeout=math.ceil(cell_timeout), kernel_name="python3", allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeout",
                          "evalue": f"the cell ran longer than {cell_timeout:g} s",
                          "traceback": []},
        resources={"metadata": {"path": os.getcwd()}})
    executed, stopped = [], None
    deadline = time.monotonic() + notebook_timeout
    try:
        with client.setup_kernel(cwd=os.getcwd()):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    stopped = f"TimeLimit: the notebook ran longer than {notebook_timeout:g} s"
                    break
                client.timeout = math.ceil(max(1, min(cell_timeout, left)))
                client.execute_cell(cell, index)
                executed.append(index)
    except DeadKernelError as err:
        stopped = f"DeadKernelError: {str(err).splitlines()[0] if str(err) else 'the kernel died'}"
    except Exception as err:  # noqa: BLE001 - report what ran
        stopped = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    outputs = [[_capped(o) for o in c.get("outputs", [])] if c.cell_type == "code" else []
               for c in nb.cells]
    json.dump({"outputs": outputs, "executed": executed, "stopped": stopped}, channel)
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
