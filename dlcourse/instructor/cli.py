"""The instructor's command line: ``python -m dlcourse <command>``.

Commands
--------
book-config   write a variant of _config.yml (published with launch buttons, or student)
assign        student copies of notebooks (answers stubbed), or the student edition's sources
exercises     list every exercise of the book; --update refreshes the instructor guide
gradebook     grade a folder of submissions against the book's chapters (points, CSV)
setup-cells   pin the Colab install of every chapter's setup cell to a published commit
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _book_config(args: argparse.Namespace) -> int:
    from . import bookconfig

    config = bookconfig.load_config(args.config)
    if args.student:
        config = bookconfig.student_config(config)
    if args.repository_url:
        config = bookconfig.publish_config(config, args.repository_url, args.jupyterhub_url)
    out = bookconfig.write_config(config, args.output)
    print(f"wrote {out}")
    return 0


def _assign(args: argparse.Namespace) -> int:
    from . import assign
    from .chapter import META
    from .files import InputError, read_notebook

    if args.for_book:
        if args.notebooks:
            raise InputError("--for-book writes the whole book; give no notebook")
        out = assign.student_book(args.output or "_build/student_src", args.root,
                                  execute=args.execute)
        print(f"wrote the student edition's sources to {out}; build them with "
              f"`jupyter-book build {out}`")
        return 0
    if args.nbgrader:
        from . import nbgrader

        chapters = args.notebooks or assign.book_notebooks(args.book)
        for path in nbgrader.write_course(args.nbgrader, chapters, assignment=args.assignment):
            print(f"wrote {path}")
        print(f"next: cd {args.nbgrader} && nbgrader generate_assignment <assignment>")
        return 0
    if args.assignment:
        raise InputError("--assignment applies to --nbgrader only")
    if args.execute is not None:
        raise InputError("--execute applies to --for-book only")
    for path in assign.assign(args.notebooks, args.output or "student", args.book):
        nb = read_notebook(path)
        labels = nb.metadata.get(META, {}).get("exercises", [])
        print(f"wrote {path} ({len(labels)} code exercise(s) to solve)")
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from . import catalogue

    if args.update or args.check:
        page = args.update or args.check
        changed = catalogue.update_page(page, args.root, write=bool(args.update))
        if args.check and changed:
            print(f"{page} is out of date: run `python -m dlcourse exercises --update {page}`")
            return 1
        print(f"{page}: {'updated' if changed else 'already up to date'}")
        return 0
    print(catalogue.exercise_table(catalogue.list_exercises(args.root)))
    return 0


def _gradebook(args: argparse.Namespace) -> int:
    from . import grading

    sandbox = False if args.no_sandbox else grading.sandbox_available()
    if not sandbox:
        print("WARNING: grading WITHOUT isolation: student code runs with your permissions "
              + ("(--no-sandbox)" if args.no_sandbox else
                 "(bwrap not found: apt-get install -y bubblewrap)"), file=sys.stderr)
    grades = grading.grade_course(args.folder, args.book, jobs=args.jobs, timeout=args.timeout,
                                  notebook_timeout=args.notebook_timeout, sandbox=sandbox,
                                  memory_gb=args.memory)
    if not grades:
        print(f"no notebook found under {args.folder}")
        return 1
    totals, detail = grading.write_reports(grades, args.output)
    for g in grades:
        by_hand = sum(r.status == grading.BY_HAND for r in g.results)
        note = f", {by_hand} to grade by hand" if by_hand else ""
        review = f", REVIEW: {'; '.join(g.review)}" if g.review else ""
        errors = f", {'; '.join(g.errors)}" if g.errors else ""
        print(f"{g.student or '-'}  {g.chapter}: {g.points:g}/{g.max_points:g} points"
              f"{note} ({g.seconds:.1f} s, isolation: {g.isolation or 'none'}){review}{errors}")
    print(f"\nwrote {totals} and {detail}")
    return 0


def _setup_cells(args: argparse.Namespace) -> int:
    from .. import setupcell
    from .catalogue import toc_pages

    pin = setupcell.UNPUBLISHED
    try:
        if args.repository_url or args.commit:
            pin = setupcell.pin_for(args.repository_url, args.commit)
        pages = [path for _, _, path in toc_pages(args.root) if path.suffix == ".ipynb"]
        changed = setupcell.write_setup_cells(pages, pin)
    except (ValueError, OSError) as err:
        raise SystemExit(f"setup-cells: {err}") from None
    print(f"{len(changed)} of {len(pages)} chapters updated; pin: {pin or '(unpublished)'}"
          + ("" if not changed else "\n" + "\n".join(str(Path(p)) for p in changed)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from ._worker import DEFAULT_CELL_TIMEOUT_S, DEFAULT_MEMORY_GB, DEFAULT_NOTEBOOK_TIMEOUT_S

    parser = argparse.ArgumentParser(prog="python -m dlcourse", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("book-config", help="write a variant of _config.yml")
    p.add_argument("--config", default="_config.yml", help="source config (default: _config.yml)")
    p.add_argument("--repository-url", default="", help="public GitHub URL: turns launch buttons on")
    p.add_argument("--jupyterhub-url", default="", help="JupyterHub for a launch button")
    p.add_argument("--student", action="store_true", help="hide solutions")
    p.add_argument("-o", "--output", required=True, help="where to write the config")
    p.set_defaults(func=_book_config)

    p = sub.add_parser("assign", help="student copies of notebooks, answers replaced by stubs")
    p.add_argument("notebooks", nargs="*", help="notebooks to assign (default: all of book/)")
    p.add_argument("-o", "--output", default=None,
                   help="output folder (default: student/, or _build/student_src with --for-book)")
    p.add_argument("--book", default="book", help="the book's folder (default: book)")
    p.add_argument("--for-book", action="store_true",
                   help="write the sources of the student edition of the book instead")
    p.add_argument("--root", default=".", help="the repository root (default: .)")
    p.add_argument("--execute", default=None, choices=["auto", "cache", "force", "off"],
                   help="with --for-book: how the student edition executes notebooks")
    p.add_argument("--nbgrader", metavar="COURSE_DIR", default=None,
                   help="write nbgrader source notebooks into COURSE_DIR/source/<assignment>/")
    p.add_argument("--assignment", default=None,
                   help="with --nbgrader: the assignment's name (default: each chapter's name)")
    p.set_defaults(func=_assign)

    p = sub.add_parser("exercises", help="list every exercise of the book")
    p.add_argument("--root", default=".", help="the repository root (default: .)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--update", metavar="PAGE", help="rewrite the generated tables of PAGE")
    group.add_argument("--check", metavar="PAGE", help="exit 1 if PAGE's tables are out of date")
    p.set_defaults(func=_exercises)

    p = sub.add_parser("gradebook", help="grade a folder of submissions against the chapters")
    p.add_argument("folder", help="folder of submissions, FOLDER/<student id>/<chapter>.ipynb")
    p.add_argument("-o", "--output", default="gradebook.csv",
                   help="CSV to write (default: gradebook.csv)")
    p.add_argument("--timeout", type=float, default=DEFAULT_CELL_TIMEOUT_S,
                   help=f"seconds per cell (default: {DEFAULT_CELL_TIMEOUT_S})")
    p.add_argument("--notebook-timeout", type=float, default=DEFAULT_NOTEBOOK_TIMEOUT_S,
                   help=f"seconds per notebook (default: {DEFAULT_NOTEBOOK_TIMEOUT_S})")
    p.add_argument("-j", "--jobs", type=int, default=1,
                   help="notebooks graded at once (default: 1)")
    p.add_argument("--book", default="book", metavar="BOOK",
                   help="the book whose chapters the submissions FOLDER/<student>/<chapter>.ipynb "
                        "are graded against (default: book)")
    p.add_argument("--memory", type=float, default=DEFAULT_MEMORY_GB, metavar="GB",
                   help="address space of each submission's kernel, in GiB "
                        f"(default: {DEFAULT_MEMORY_GB:g})")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run without bubblewrap even where it is installed")
    p.set_defaults(func=_gradebook)

    p = sub.add_parser("setup-cells", help="pin the Colab install line of every chapter")
    p.add_argument("--root", default=".", help="the repository root (default: .)")
    p.add_argument("--repository-url", default="", help="https://github.com/<owner>/<repo>")
    p.add_argument("--commit", default="", help="the published commit (git rev-parse HEAD)")
    p.set_defaults(func=_setup_cells)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a wrong file or argument is one line on stderr and exit code 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError) as err:  # InputError, and the library's ValueErrors
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if isinstance(err, OSError) and err.filename:
            message = f"{err.filename}: {err.strerror or message}"
        print(f"{parser.prog} {args.command}: error: {message}", file=sys.stderr)
        return 2

