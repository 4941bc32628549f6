"""The `presslens` command: `presslens add SOURCE...` and `presslens report` (issue 6)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="presslens", description="How news outlets cover the same story.")
    sub = p.add_subparsers(dest="command", required=True, metavar="{add,report}")

    a = sub.add_parser("add", help="add articles (text, HTML, CSV or JSONL files) to the corpus as new files",
                       description="Add articles to the corpus. Each article becomes a new file under "
                                   "CORPUS/STORY/; no existing file is changed, and an article already in the "
                                   "corpus is reported instead of being added twice.")
    a.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="seed-format or front-matter .txt/.md file, saved .html article page, .csv or .jsonl "
                        "of articles (columns text, outlet, date, title, url, story), or a folder of them")
    a.add_argument("--corpus", default=str(paths.CORPUS_DIR), metavar="DIR", help="corpus folder (default: %(default)s)")
    a.add_argument("--story", default=None, metavar="SLUG",
                   help="story of articles whose source does not name one (e.g. us-venezuela-relations)")
    a.add_argument("--outlet", default=None, metavar="NAME",
                   help="outlet of articles whose source does not name one (e.g. 'Fox News')")
    a.add_argument("--dry-run", action="store_true", help="say what would be added, write nothing")

    r = sub.add_parser("report", help="run every notebook on the corpus and write figures and HTML pages",
                       description="Execute notebooks/NN-*.ipynb in order on the corpus and write the figures, "
                                   "one self-contained HTML page per notebook and an index.html.")
    r.add_argument("--corpus", default=str(paths.CORPUS_DIR), metavar="DIR", help="corpus folder (default: %(default)s)")
    r.add_argument("--story", default=None, metavar="SLUG", help="study only this story (default: every story)")
    r.add_argument("--out", default=None, metavar="DIR",
                   help="folder for the HTML pages, with figures in DIR/figures "
                        f"(default: {paths.REPORTS_DIR}, figures in {paths.FIGURES_DIR})")
    r.add_argument("--notebooks", default=str(paths.NOTEBOOKS_DIR), metavar="DIR",
                   help="folder of the NN-*.ipynb notebooks (default: %(default)s)")
    r.add_argument("--quiet", action="store_true", help="no progress bars")
    return p


def _add(args) -> int:
    from .ingest import ADDED, PRESENT, REFUSED, add

    res = add(args.sources, corpus=args.corpus, story=args.story, outlet=args.outlet, dry_run=args.dry_run)
    for row in res.itertuples():
        mark = {ADDED: "added  ", PRESENT: "present", REFUSED: "REFUSED"}[row.status]
        print(f"{mark}  {row.message}", file=sys.stderr if row.status == REFUSED else sys.stdout)
    counts = res["status"].value_counts()
    verb = "would be added" if args.dry_run else "added"
    print(f"{counts.get(ADDED, 0)} {verb}, {counts.get(PRESENT, 0)} already present, "
          f"{counts.get(REFUSED, 0)} refused (corpus: {Path(args.corpus).resolve()})")
    return 1 if counts.get(REFUSED, 0) else 0


def _report(args) -> int:
    from .report import INDEX_NAME, ReportError, report

    try:
        runs = report(corpus=args.corpus, story=args.story, out=args.out, notebooks_dir=args.notebooks,
                      progress=not args.quiet)
    except ReportError as exc:
        print(f"presslens report: {exc}", file=sys.stderr)
        return 1
    out = Path(runs["html"].iloc[0]).parent if len(runs) else Path(args.out or paths.REPORTS_DIR)
    print(f"{len(runs)} notebook(s) ran; open {out / INDEX_NAME}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `presslens` command; returns the exit status (1 when something was refused or failed)."""
    args = _parser().parse_args(argv)
    return {"add": _add, "report": _report}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
