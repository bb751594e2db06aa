"""Print the single-page build of the book to a PDF with headless Chromium.

``make pdf`` builds ``_build/singlehtml/index.html`` (Jupyter Book's ``singlehtml``
builder) and runs ``python -m dlcourse.bookpdf IN OUT``. The page is loaded with
every non-local request refused, MathJax (served from the book) finishes typesetting,
then Chromium prints it. No TeX installation is needed; Chinese renders with any CJK
font the system has (Debian: ``fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_CHROMIUM = "/usr/bin/chromium"


def print_pdf(html: Path, pdf: Path, chromium: str = DEFAULT_CHROMIUM) -> Path:
    """Write ``pdf`` from the local page ``html``; returns ``pdf``."""
    html, pdf = Path(html), Path(pdf)
    if not html.is_file():
        raise FileNotFoundError(f"bookpdf: html must be the single-page build (an existing "
                                f"file, e.g. _build/singlehtml/index.html); received {str(html)!r}")
    if not Path(chromium).is_file():
        raise FileNotFoundError(f"bookpdf: chromium must be the path of a Chromium or Chrome "
                                f"executable; received {chromium!r}")
    from playwright.sync_api import sync_playwright

    pdf.parent.mkdir(parents=True, exist_ok=True)
    # The singlehtml builder writes the root page to book/preface.html with links
    # relative to the build folder (_static/, _images/): print a copy from there.
    root = next((d for d in html.resolve().parents if (d / "_static").is_dir()), html.parent)
    if root != html.resolve().parent:
        copy = root / f"_print_{html.name}"
        copy.write_text(html.read_text(encoding="utf-8"), encoding="utf-8")
        html = copy
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                   else r.abort())
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=300_000)
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), format="A4", print_background=True, outline=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        browser.close()
    return pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.bookpdf", description=__doc__.split("\n")[0])
    parser.add_argument("html", type=Path, help="the single-page build, e.g. _build/singlehtml/index.html")
    parser.add_argument("pdf", type=Path, help="the PDF to write")
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM, help="Chromium or Chrome executable")
    args = parser.parse_args(argv)
    try:
        out = print_pdf(args.html, args.pdf, args.chromium)
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 2
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
