"""How long the book takes: every notebook in a fresh kernel, then the book build.

Prints a markdown table (notebook, seconds, peak memory of its kernel, its slowest
cell by index in the notebook), slowest first,
with the total; then the time of a full ``jupyter-book build`` into a fresh temporary
output folder (so a fresh execution cache) and of a second build with nothing changed
(the execution cache must make that one fast); then the verdicts against the course's
budgets on a 2-core CPU machine:

- no notebook over 60 s;
- the whole book executed in under 8 minutes;
- a no-change rebuild under 30 s.

Usage (from the repository root)::

    .venv/bin/python benchmarks/notebooks.py                  # everything (make benchmark)
    .venv/bin/python benchmarks/notebooks.py --no-build       # notebooks only
    .venv/bin/python benchmarks/notebooks.py --only core/     # notebooks whose path matches
    .venv/bin/python benchmarks/notebooks.py --all --no-build # also notebooks not in the toc yet
    .venv/bin/python benchmarks/notebooks.py --update-readme  # also rewrite README's table
    .venv/bin/python benchmarks/notebooks.py --from-test-run  # the figures of the last make test

``make test`` itself executes every notebook once (nbval) and records each run's wall
time, kernel CPU time and peak memory (``tests/nbplugin.py``); ``--from-test-run``
prints that table without executing anything.

``--only`` takes a substring or a glob (``*conv*``) of the notebook's path. The exit
status is 0 when every notebook ran and every measured budget holds, 1 otherwise.
This is a script that reports figures, not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import fnmatch
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
import nbexec  # noqa: E402  (tests/nbexec.py: toc parsing and nbclient execution)

README = Path(__file__).with_name("README.md")
RUNS = REPO / "_build" / "notebook-runs"  # written by tests/nbplugin.py during make test
BEGIN, END = "<!-- notebooks.py:begin -->", "<!-- notebooks.py:end -->"

NOTEBOOK_BUDGET_S = 60.0
BOOK_BUDGET_S = 8 * 60.0
REBUILD_BUDGET_S = 30.0
BUILD_FLAGS = ["-W", "-n", "--keep-going"]


def _matches(path: str, pattern: str | None) -> bool:
    if not pattern:
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*{pattern}*")
    return pattern in path


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _warnings(log: str) -> list[str]:
    """The Sphinx warning and error lines of a build log (not the kernel's own notices)."""
    lines = _ANSI.sub("", log).splitlines()
    return [line for line in lines
            if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b", line) and "[IPKernelApp]" not in line]


def _build_result(builds: dict, key: str) -> str:
    if builds[f"{key}_rc"] == 0:
        return "ok"
    n = len(_warnings(builds[f"{key}_log"]))
    return f"failed (exit {builds[f'{key}_rc']}, {n} warning(s): see the script's output)"


def _mib(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:,.0f}"


def _environment() -> str:
    gpu = "none"
    if shutil.which("nvidia-smi"):
        try:
            names = subprocess.run(
                ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                capture_output=True, text=True, timeout=20, check=False,
            ).stdout.split("\n")
            gpu = ", ".join(n.strip() for n in names if n.strip()) or "none"
        except (OSError, subprocess.SubprocessError):
            gpu = "unknown"
    try:  # other work on the machine slows everything down: say how busy it was
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    except (AttributeError, OSError):
        load = ""
    return (
        f"{os.cpu_count()} CPU cores ({platform.machine()}), GPU: {gpu}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}{load}"
    )


def _notebooks(include_all: bool) -> list[Path]:
    listed = nbexec.toc_notebooks()
    if not include_all:
        return listed
    extra = sorted(p for p in (REPO / "book").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and p not in listed)
    return listed + extra


def run_notebooks(pattern: str | None, timeout: int, offline: bool,
                  include_all: bool = False) -> list[nbexec.Execution]:
    notebooks = [p for p in _notebooks(include_all) if _matches(nbexec.rel(p), pattern)]
    results = []
    for i, path in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {nbexec.rel(path)} ...", end=" ", flush=True)
        result = nbexec.execute(path, timeout=timeout, offline=offline)
        print(f"{result.seconds:.1f} s" + ("" if result.ok else "  FAILED"), flush=True)
        results.append(result)
    return results


def load_test_run(pattern: str | None) -> list[nbexec.Execution]:
    """The figures of the last ``make test``: nbval ran every notebook once, and
    ``tests/nbplugin.py`` recorded each run in ``_build/notebook-runs/``."""
    results = []
    for record_path in sorted(RUNS.glob("*.json")):
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if not _matches(record["notebook"], pattern):
            continue
        results.append(nbexec.Execution(
            path=REPO / record["notebook"], notebook=None, seconds=record["seconds"],
            peak_rss=record["peak_rss"],
            cell_seconds=[(int(k), v) for k, v in record["cell_seconds"].items()],
            blocked=[], error=None if record["passed"] else "a cell failed in the test run",
        ))
    return results


def notebook_table(results: list[nbexec.Execution]) -> str:
    rows = ["| notebook | seconds | peak memory (MiB) | slowest cell | status |",
            "| --- | ---: | ---: | --- | --- |"]
    for r in sorted(results, key=lambda r: r.seconds, reverse=True):
        status = "ok" if r.ok else "**failed**"
        if r.blocked:
            status += f" ({len(r.blocked)} network attempts blocked)"
        slowest = max(r.cell_seconds, key=lambda c: c[1], default=None)
        cell = "" if slowest is None else f"#{slowest[0]}: {slowest[1]:.1f} s"
        rows.append(f"| `{nbexec.rel(r.path)}` | {r.seconds:.1f} | {_mib(r.peak_rss)} | {cell} | {status} |")
    total = sum(r.seconds for r in results)
    peak = max((r.peak_rss for r in results if r.peak_rss), default=None)
    noun = "notebook" if len(results) == 1 else "notebooks"
    rows.append(f"| **total ({len(results)} {noun})** | **{total:.1f}** | max {_mib(peak)} | | |")
    return "\n".join(rows)


def _build(out: Path, log: Path) -> tuple[float, int]:
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", *BUILD_FLAGS,
           "--path-output", str(out), "."]
    if not Path(cmd[0]).exists():
        cmd[0] = "jupyter-book"
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        rc = subprocess.run(cmd, cwd=REPO, stdout=handle, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
                            check=False).returncode
    return time.perf_counter() - t0, rc


def run_builds() -> dict:
    """A full build into a fresh folder, then the same build again with nothing changed."""
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-build-") as tmp:
        out = Path(tmp) / "out"
        full_s, full_rc = _build(out, Path(tmp) / "full.log")
        full_log = (Path(tmp) / "full.log").read_text(encoding="utf-8", errors="replace")
        again_s, again_rc = _build(out, Path(tmp) / "again.log")
        again_log = (Path(tmp) / "again.log").read_text(encoding="utf-8", errors="replace")
    return {"full_s": full_s, "full_rc": full_rc, "full_log": full_log,
            "again_s": again_s, "again_rc": again_rc, "again_log": again_log}


def verdicts(results: list[nbexec.Execution], builds: dict | None, partial: bool) -> list[tuple[bool, str]]:
    out = []
    if results:
        slow = max(results, key=lambda r: r.seconds)
        out.append((slow.seconds <= NOTEBOOK_BUDGET_S,
                    f"no notebook over {NOTEBOOK_BUDGET_S:.0f} s "
                    f"(slowest: `{nbexec.rel(slow.path)}`, {slow.seconds:.1f} s)"))
        total = sum(r.seconds for r in results)
        label = "the notebooks selected" if partial else "the whole book"
        out.append((total <= BOOK_BUDGET_S,
                    f"{label} executed in under {BOOK_BUDGET_S / 60:.0f} min ({total:.1f} s)"))
        failed = [nbexec.rel(r.path) for r in results if not r.ok]
        out.append((not failed, "every notebook ran without error"
                    + (f" (failed: {', '.join(failed)})" if failed else "")))
    if builds is not None:
        out.append((builds["full_rc"] == 0,
                    f"the full build (`jupyter-book build {' '.join(BUILD_FLAGS)}`, fresh cache) "
                    f"passes ({builds['full_s']:.1f} s)"))
        note = "" if builds["full_rc"] == 0 else "; not meaningful: the full build failed"
        out.append((builds["again_rc"] == 0 and builds["again_s"] <= REBUILD_BUDGET_S,
                    f"no-change rebuild under {REBUILD_BUDGET_S:.0f} s "
                    f"({builds['again_s']:.1f} s{note})"))
    return out


def report(results, builds, checks, command: str, environment: str) -> str:
    lines = [
        f"Measured {_dt.date.today().isoformat()} on {environment}, with",
        "",
        "```bash",
        command,
        "```",
        "",
    ]
    if results:
        lines += [notebook_table(results), ""]
    else:
        lines += ["No notebook is listed in `_toc.yml` (or none matched `--only`).", ""]
    if builds is not None:
        lines += [
            "| book build | seconds | result |",
            "| --- | ---: | --- |",
            f"| full (fresh output folder and execution cache) | {builds['full_s']:.1f} | "
            f"{_build_result(builds, 'full')} |",
            f"| again, nothing changed | {builds['again_s']:.1f} | {_build_result(builds, 'again')} |",
            "",
        ]
        warnings = _warnings(builds["full_log"])
        if warnings:
            lines += ["Warnings of the full build:", "", "```text", *warnings[:10], "```", ""]
    lines += ["Budgets (2-core CPU machine):", ""]
    lines += [f"- {'PASS' if ok else 'FAIL'}: {text}" for ok, text in checks]
    return "\n".join(lines)


def update_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{README}: markers {BEGIN} / {END} not found; not rewritten")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"\nwrote the table into {README.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="PATTERN",
                        help="only notebooks whose path contains PATTERN (or matches it as a glob)")
    parser.add_argument("--no-build", action="store_true", help="skip the two book builds")
    parser.add_argument("--all", action="store_true",
                        help="also notebooks under book/ that _toc.yml does not list (yet)")
    parser.add_argument("--offline", action="store_true",
                        help="run the notebooks with the network blocked in the kernel")
    parser.add_argument("--from-test-run", action="store_true",
                        help="report the last `make test` run instead of executing again "
                             "(implies --no-build)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    parser.add_argument("--update-readme", action="store_true",
                        help="write the report into benchmarks/README.md")
    args = parser.parse_args(argv)

    shown = [".venv/bin/python benchmarks/notebooks.py"] + [
        a for a in (argv if argv is not None else sys.argv[1:]) if a != "--update-readme"
    ]
    os.chdir(REPO)
    environment = _environment()
    print(f"Environment: {environment}\n", flush=True)
    if args.from_test_run:
        results = load_test_run(args.only)
        if not results:
            print(f"no test run recorded in {nbexec.rel(RUNS)}: run `make test` first", file=sys.stderr)
            return 2
    else:
        results = run_notebooks(args.only, args.timeout, args.offline, args.all)
    builds = None
    if not args.no_build and not args.from_test_run:
        print("building the book (fresh output folder) ...", end=" ", flush=True)
        builds = run_builds()
        print(f"{builds['full_s']:.1f} s; again with nothing changed: {builds['again_s']:.1f} s")
        for key in ("full", "again"):
            if builds[f"{key}_rc"] != 0:
                warnings = _warnings(builds[f"{key}_log"])
                shown = "\n".join(warnings[:30]) if warnings else _ANSI.sub("", builds[f"{key}_log"])[-3000:]
                print(f"\n--- {key} build: {len(warnings)} warning(s) ---\n{shown}")
    for r in results:
        if not r.ok:
            print(f"\n--- {nbexec.rel(r.path)} failed ---\n{r.error[-3000:]}")
    checks = verdicts(results, builds, partial=bool(args.only) or args.all)
    text = report(results, builds, checks, " ".join(shown), environment)
    print("\n" + text)
    if args.update_readme:
        update_readme(text)
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
