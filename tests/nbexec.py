"""Run the book's notebooks from Python: the toc, a fresh kernel, timings, no network.

Shared by the book tests (``tests/test_determinism.py``,
``tests/test_offline_notebooks.py``, ``tests/test_book_structure.py``) and the
performance script ``benchmarks/notebooks.py``. It is not a test module itself.

What it offers
--------------
- :func:`toc_entries` / :func:`toc_notebooks`: the pages listed in ``_toc.yml``, in order.
- :func:`execute`: one notebook in a fresh ``python3`` kernel (nbclient), with its wall
  time and the kernel's peak resident memory (``VmHWM`` of the kernel process).
- :func:`offline_ipython_dir`: an IPython profile whose start-up file blocks every
  non-loopback network connection inside the kernel (and logs each attempt). Kernel
  traffic (ZeroMQ over loopback) is not Python ``socket`` traffic and is unaffected.
- :func:`comparable_outputs`: the text a notebook printed, cell by cell, normalised so
  that two runs of a deterministic notebook compare equal (see CONTRIBUTING.md,
  "Checked numbers").

Running the whole suite offline
-------------------------------
``python tests/nbexec.py offline-ipythondir DIR`` writes the blocking profile into
``DIR``; every kernel started with ``IPYTHONDIR=DIR`` in its environment (nbval's,
Jupyter Book's) then refuses the network::

    IPYTHONDIR=$(.venv/bin/python tests/nbexec.py offline-ipythondir /tmp/offline) make test

For a machine-level guarantee (the pytest process too), run the suite in a network
namespace with no interface but loopback, where the system allows it:
``unshare --map-root-user --net make test``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOC = REPO / "_toc.yml"
CONFIG = REPO / "_config.yml"

#: Cell tag that keeps a cell's output out of the determinism comparison (timings,
#: progress lines, memory addresses that cannot be avoided).
NONDETERMINISTIC_TAG = "nondeterministic-output"

#: Environment variable naming the file where the offline guard logs blocked attempts.
NETLOG_ENV = "DLCOURSE_NETLOG"

_PAGE_SUFFIXES = (".ipynb", ".md", ".rst")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Lines the kernel process always writes to its own stderr (not the notebook's).
_KERNEL_NOISE = ("Kernel is running over TCP without encryption",)


# --------------------------------------------------------------------------- the toc


def _walk_toc(node, out: list[str]) -> None:
    if isinstance(node, dict):
        if "file" in node:
            out.append(str(node["file"]))
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                _walk_toc(child, out)
    elif isinstance(node, list):
        for child in node:
            _walk_toc(child, out)


def toc_entries(toc: Path = TOC) -> list[str]:
    """Every ``file:`` of ``_toc.yml`` (root first), as written (no suffix)."""
    import yaml

    data = yaml.safe_load(Path(toc).read_text(encoding="utf-8")) or {}
    out = [str(data["root"])] if "root" in data else []
    _walk_toc(data, out)
    return out


def resolve(entry: str, root: Path = REPO) -> Path | None:
    """The file a toc entry names (``.ipynb``, ``.md`` or ``.rst``), or None."""
    base = root / entry
    if base.suffix in _PAGE_SUFFIXES and base.is_file():
        return base
    for suffix in _PAGE_SUFFIXES:
        candidate = base.with_name(base.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def toc_notebooks(toc: Path = TOC) -> list[Path]:
    """The notebooks the book shows, in toc order (entries that do not exist are skipped)."""
    pages = (resolve(entry) for entry in toc_entries(toc))
    return [p for p in pages if p is not None and p.suffix == ".ipynb"]


def rel(path: Path) -> str:
    """A path relative to the repository, for messages and test ids."""
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ offline guard

_OFFLINE_STARTUP = '''\
"""dlcourse offline guard: refuse every network connection that leaves this machine.

Installed by tests/nbexec.py as an IPython start-up file; loopback and Unix sockets
still work (the kernel's own ZeroMQ traffic does not go through Python sockets anyway).
Each refused attempt is appended to the file named by $DLCOURSE_NETLOG, so a notebook
that swallows the error is still caught. Leaves no name behind in the notebook.
"""


def _dlcourse_offline_install():
    import ipaddress
    import os
    import socket

    log_path = os.environ.get("DLCOURSE_NETLOG", "")
    local_names = {"localhost", "localhost.localdomain", "ip6-localhost", ""}

    def is_local_host(host):
        if host is None:
            return True
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        host = str(host).strip("[]")
        if host.lower() in local_names:
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def refuse(what, where):
        message = f"dlcourse offline guard: network access blocked ({what} {where!r})"
        if log_path:
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(message + "\\n")
        raise OSError(101, message)  # ENETUNREACH

    def allowed(sock, address):
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return True  # AF_UNIX and friends stay on this machine
        host = address[0] if isinstance(address, tuple) and address else address
        return is_local_host(host)

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if not allowed(self, address):
            refuse("connect", address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if not allowed(self, address):
            refuse("connect_ex", address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        address = args[-1] if args else None
        if address is not None and not allowed(self, address):
            refuse("sendto", address)
        return real_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not is_local_host(host):
            refuse("getaddrinfo", host)
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.getaddrinfo = getaddrinfo


_dlcourse_offline_install()
del _dlcourse_offline_install
'''


def offline_ipython_dir(directory: str | Path) -> Path:
    """Write an IPython profile that blocks the network into ``directory``.

    Start a kernel with ``IPYTHONDIR=<directory>`` in its environment and it refuses
    every non-loopback connection and DNS lookup, logging each attempt to
    ``$DLCOURSE_NETLOG`` when that is set. Returns ``directory``.
    """
    directory = Path(directory)
    startup = directory / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-dlcourse-offline.py").write_text(_OFFLINE_STARTUP, encoding="utf-8")
    return directory


# ---------------------------------------------------------------------- execution


@dataclasses.dataclass
class Execution:
    """One notebook run in a fresh kernel."""

    path: Path
    notebook: object  # nbformat.NotebookNode, executed
    seconds: float  # wall time: kernel start to shutdown
    peak_rss: int | None  # bytes: the kernel's peak resident set (VmHWM), None if unknown
    cell_seconds: list[tuple[int, float]]  # (cell index, seconds) per code cell
    blocked: list[str]  # network attempts refused by the offline guard
    error: str | None  # the error that stopped execution, if any

    @property
    def ok(self) -> bool:
        return self.error is None


def _vmhwm(pid: int | None) -> int | None:
    """Peak resident set size of a process in bytes (Linux ``VmHWM``)."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:  # not Linux: the current RSS is the best psutil offers
        import psutil

        return psutil.Process(pid).memory_info().rss
    except Exception:  # noqa: BLE001 - memory is a nice-to-have
        return None


def _kernel_pid(client) -> int | None:
    provisioner = getattr(client.km, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if pid is None:
        process = getattr(provisioner, "process", None)
        pid = getattr(process, "pid", None)
    return pid


def execute(
    path: str | Path,
    *,
    timeout: int = 300,
    offline: bool = False,
    allow_errors: bool = False,
    extra_env: dict[str, str] | None = None,
) -> Execution:
    """Execute the notebook at ``path`` top to bottom in a fresh ``python3`` kernel.

    Parameters
    ----------
    path : path-like
        The ``.ipynb`` file; it is read, never written.
    timeout : int
        Seconds allowed per cell (nbval runs with 300 in ``make test``).
    offline : bool
        Start the kernel with the offline guard (:func:`offline_ipython_dir`).
    allow_errors : bool
        Keep going after a failing cell (errors are then only in the outputs).
    extra_env : dict, optional
        Variables added to the kernel's environment.

    Returns
    -------
    Execution
        The executed notebook with its timings; ``error`` holds the exception text
        when a cell failed (execution stops there unless ``allow_errors``).
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env.update(extra_env or {})
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # a debugger notice on stderr

    with tempfile.TemporaryDirectory(prefix="dlcourse-nbexec-") as tmp:
        netlog = Path(tmp) / "blocked.log"
        if offline:
            env["IPYTHONDIR"] = str(offline_ipython_dir(Path(tmp) / "ipython"))
            env[NETLOG_ENV] = str(netlog)

        peak: list[int] = []
        cell_seconds: list[tuple[int, float]] = []
        started: dict[int, float] = {}
        holder: dict[str, NotebookClient] = {}

        def on_cell_execute(cell, cell_index):
            started[cell_index] = time.perf_counter()

        def on_cell_executed(cell, cell_index, execute_reply):
            cell_seconds.append((cell_index, time.perf_counter() - started.get(cell_index, 0.0)))
            rss = _vmhwm(_kernel_pid(holder["client"]))
            if rss is not None:
                peak.append(rss)

        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=allow_errors,
            coalesce_streams=True,  # compare text, not how `print` was chunked
            resources={"metadata": {"path": str(path.parent)}},
            on_cell_execute=on_cell_execute,
            on_cell_executed=on_cell_executed,
        )
        holder["client"] = client
        error = None
        kernel_log = Path(tmp) / "kernel-stderr.log"
        t0 = time.perf_counter()
        # The kernel process's own stderr (not the notebook's: that is in the outputs)
        # goes to a file, quoted when something fails.
        with open(kernel_log, "wb") as kernel_stderr:
            try:
                client.execute(env=env, cwd=str(path.parent), stderr=kernel_stderr)
            except Exception as err:  # noqa: BLE001 - reported, not swallowed
                error = f"{type(err).__name__}: {err}"
        seconds = time.perf_counter() - t0
        blocked = netlog.read_text(encoding="utf-8").splitlines() if netlog.exists() else []
        if error is not None:
            error = _ANSI.sub("", error)
            tail = "\n".join(
                line for line in kernel_log.read_text(encoding="utf-8", errors="replace").splitlines()
                if line.strip() and not any(noise in line for noise in _KERNEL_NOISE)
            )[-2000:]
            if tail:
                error += f"\n--- kernel process stderr (tail) ---\n{tail}"

    return Execution(
        path=path,
        notebook=nb,
        seconds=seconds,
        peak_rss=max(peak) if peak else None,
        cell_seconds=cell_seconds,
        blocked=blocked,
        error=error,
    )


# ------------------------------------------------------------ comparing two runs

_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/latex", "text/html")


def _output_text(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f"[{output.get('name')}] {output.get('text', '')}"
    if kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        parts = [f"[{mime}] {data[mime]}" for mime in _TEXT_TYPES if mime in data]
        images = sorted(m for m in data if m.startswith("image/"))
        if images:  # the picture's bytes are not compared, only that it is there
            parts.append(f"[{', '.join(images)}]")
        return "\n".join(
            p if isinstance(p, str) else "".join(p) for p in parts
        )
    if kind == "error":
        return f"[error] {output.get('ename')}: {output.get('evalue')}"
    return f"[{kind}]"


def comparable_outputs(nb) -> dict[int, str]:
    """Cell index -> the text outputs of that code cell, ready to compare across runs.

    Cells tagged ``nondeterministic-output`` are left out; memory addresses in reprs
    (``<... at 0x7f3a...>``) are masked. Images count only by their presence.
    """
    out: dict[int, str] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if NONDETERMINISTIC_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        text = "\n".join(_output_text(o) for o in cell.get("outputs", []))
        out[index] = _ADDRESS.sub("at 0x…", text)
    return out


def first_line(source: str, width: int = 70) -> str:
    """The first non-empty line of a cell, shortened: to name a cell in a message."""
    for line in source.splitlines():
        if line.strip():
            return textwrap.shorten(line.strip(), width)
    return "(empty cell)"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) == 2 and argv[0] == "offline-ipythondir":
        print(offline_ipython_dir(argv[1]))
        return 0
    print(__doc__)
    print("usage: python tests/nbexec.py offline-ipythondir DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
