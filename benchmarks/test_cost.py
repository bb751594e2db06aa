"""What `make test` costs against one execution of the book, from one run.

Runs ``make test`` once (``-o .venv/.installed``: the environment is taken as
installed) and measures

- the CPU seconds of the whole test run: user + system time of every process it
  started and waited for (pytest, its workers, every kernel, every build), from the
  kernel's own accounting (``getrusage(RUSAGE_CHILDREN)``);
- the CPU seconds of one execution of every chapter: nbval runs each notebook once,
  and ``tests/nbplugin.py`` records the CPU time of that notebook's kernel
  (``_build/notebook-runs/``);

then prints both, their ratio, and the wall time. Targets (issue: one execution per
notebook): ratio at most 1.5; ``make test`` from a clean clone under 12 minutes on an
idle 2-core machine. Figures, not a test: nothing here fails ``make test``.

Usage (from the repository root)::

    .venv/bin/python benchmarks/test_cost.py            # runs make test, prints the figures
    .venv/bin/python benchmarks/test_cost.py -- JOBS=2  # arguments after -- go to make
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = REPO / "_build" / "notebook-runs"
RATIO_TARGET = 1.5
WALL_TARGET_S = 12 * 60


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    make_args = argv[argv.index("--") + 1:] if "--" in argv else []
    command = ["make", "-o", ".venv/.installed", "test", *make_args]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"$ {' '.join(command)}   (load average {load:.1f} at the start, "
          f"{os.cpu_count()} cores, {platform.machine()})", flush=True)
    started_at = time.time()
    cpu0, t0 = _children_cpu(), time.perf_counter()
    rc = subprocess.run(command, cwd=REPO, check=False).returncode
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0

    records = []
    for path in sorted(RUNS.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("finished", 0) >= started_at:
            records.append(record)
    book_cpu = sum(r["cpu_seconds"] or 0.0 for r in records)
    book_wall = sum(r["seconds"] for r in records)
    ratio = cpu / book_cpu if book_cpu else float("inf")
    print()
    print("| measured in one `make test` run | CPU seconds | wall seconds |")
    print("| --- | ---: | ---: |")
    print(f"| `make test` (exit {rc}) | {cpu:.0f} | {wall:.0f} |")
    print(f"| one execution of every chapter ({len(records)} notebooks, their kernels) "
          f"| {book_cpu:.0f} | {book_wall:.0f} |")
    print(f"| ratio | **{ratio:.2f}** | |")
    print()
    ok_ratio, ok_wall = ratio <= RATIO_TARGET, wall <= WALL_TARGET_S
    print(f"- {'PASS' if ok_ratio else 'FAIL'}: ratio at most {RATIO_TARGET} ({ratio:.2f})")
    print(f"- {'PASS' if ok_wall else 'FAIL'}: make test under {WALL_TARGET_S // 60} min "
          f"({wall / 60:.1f} min; the target is for an idle 2-core machine)")
    return 0 if rc == 0 and ok_ratio and ok_wall else 1


if __name__ == "__main__":
    sys.exit(main())
