"""Command line: ``python -m dlcourse <command>``.

Commands
--------
book-config   write a variant of _config.yml (published with launch buttons, or student)
"""

from __future__ import annotations

import argparse
import sys


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


def build_parser() -> argparse.ArgumentParser:
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
