"""The `presslens` command: `presslens add SOURCE...` and `presslens report`; bare `presslens` prints help."""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from . import __version__, paths

EXAMPLES = """\
examples:
  presslens add saved_page.html --story city-budget
        add one saved article page to the story "city-budget" of the default corpus
  presslens add exports/articles.csv --corpus ~/study/corpus --story city-budget
        add every row of a CSV (columns text, outlet, date, title, url, story)
  presslens add draft.txt --outlet "Springfield Gazette" --dry-run
        say what would be added, write nothing
  presslens add first.txt --corpus ~/new-study --new-corpus --story city-budget
        start a new corpus folder (a folder that does not exist is refused without --new-corpus)
  presslens report --corpus ~/study/corpus --out ~/study/reports
        run every notebook on the corpus and write the HTML pages and figures
  presslens report --corpus ~/year/corpus --totals
        each outlet's totals over a corpus too large to hold in memory (reports-totals/)
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="presslens", description="How news outlets cover the same story.",
                                epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"presslens {__version__}")
    sub = p.add_subparsers(dest="command", metavar="{add,report}")

    a = sub.add_parser("add", help="add articles (text, HTML, CSV or JSONL files) to the corpus as new files",
                       description="Add articles to the corpus. Each article becomes a new file under "
                                   "CORPUS/STORY/; no existing file is changed, an article already in the "
                                   "corpus is reported instead of being added twice, and an updated version of "
                                   "one (same outlet, nearly the same text) is reported and not added.",
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="seed-format or front-matter .txt/.md file, saved .html article page, .csv or .jsonl "
                        "of articles (columns text, outlet, date, title, url, story), or a folder of them")
    a.add_argument("--corpus", default=str(paths.CORPUS_DIR), metavar="DIR", help="corpus folder (default: %(default)s)")
    a.add_argument("--new-corpus", "--create", dest="new_corpus", action="store_true",
                   help="create the corpus folder if it does not exist (without it, a missing folder is refused)")
    a.add_argument("--story", default=None, metavar="SLUG",
                   help="story of articles whose source does not name one (e.g. us-venezuela-relations)")
    a.add_argument("--outlet", default=None, metavar="NAME",
                   help="outlet of articles whose source does not name one (e.g. 'Fox News')")
    a.add_argument("--force", action="store_true",
                   help="add an updated version of an article already in the corpus as well")
    a.add_argument("--dry-run", action="store_true", help="say what would be added, write nothing")

    r = sub.add_parser("report", help="run every notebook on the corpus and write figures and HTML pages",
                       description="Execute notebooks/NN-*.ipynb in order on the corpus and write the figures, "
                                   "one self-contained HTML page per notebook and an index.html. Files of the "
                                   "corpus that were skipped or loaded with a warning are listed at the end.",
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--corpus", default=str(paths.CORPUS_DIR), metavar="DIR", help="corpus folder (default: %(default)s)")
    r.add_argument("--story", default=None, metavar="SLUG", help="study only this story (default: every story)")
    r.add_argument("--out", default=None, metavar="DIR",
                   help="folder for the HTML pages, with figures in DIR/figures "
                        f"(default: {paths.REPORTS_DIR}, figures in {paths.FIGURES_DIR}; with --totals "
                        f"{paths.TOTALS_REPORTS_DIR})")
    r.add_argument("--notebooks", default=None, metavar="DIR",
                   help=f"folder of the NN-*.ipynb notebooks (default: {paths.NOTEBOOKS_DIR}, "
                        f"or {paths.TOTALS_NOTEBOOKS_DIR} with --totals)")
    r.add_argument("--totals", action="store_true",
                   help="the report of a corpus too large to hold in memory (a year of coverage): each story is "
                        "analysed and kept on disk in turn, the per-outlet charts are summed from there, every "
                        "table is exported as Parquet, and no article pages are written "
                        f"(default --out: {paths.TOTALS_REPORTS_DIR})")
    r.add_argument("--quiet", action="store_true", help="no progress bars")
    r.add_argument("--zip", action="store_true", help="also write OUT.zip beside the report folder, to share it")
    r.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="notebooks to run at once, one kernel each (default: one a core, at most 2; "
                        "or PRESSLENS_REPORT_JOBS)")
    r.add_argument("--rerun", action="store_true",
                   help="run every notebook and write every page again, even those whose inputs did not change "
                        "since the report already in the folder")
    return p


def _add(args) -> int:
    from .ingest import ADDED, PRESENT, REFUSED, UPDATED, WOULD_ADD, add

    res = add(args.sources, corpus=args.corpus, story=args.story, outlet=args.outlet, dry_run=args.dry_run,
              new_corpus=args.new_corpus, force=args.force)
    marks = {ADDED: "added  ", WOULD_ADD: "would add", PRESENT: "present", UPDATED: "updated", REFUSED: "REFUSED"}
    for row in res.itertuples():
        print(f"{marks[row.status]}  {row.message}", file=sys.stderr if row.status == REFUSED else sys.stdout)
    counts = res["status"].value_counts()
    n_added = counts.get(WOULD_ADD, 0) if args.dry_run else counts.get(ADDED, 0)
    verb = "would be added (dry run: nothing written)" if args.dry_run else "added"
    print(f"{n_added} {verb}, {counts.get(PRESENT, 0)} already present, {counts.get(UPDATED, 0)} updated "
          f"version(s) not added, {counts.get(REFUSED, 0)} refused (corpus: {Path(args.corpus).expanduser().resolve()})")
    return 1 if counts.get(REFUSED, 0) else 0


def _problems_summary(runs, corpus) -> str:
    """The corpus's skipped and doubtful files as text: from the report's table when it carries them, else reloaded."""
    from .loader import load_corpus_report, problems_text

    problems = getattr(runs, "attrs", {}).get("problems") if runs is not None else None
    if problems is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                problems = load_corpus_report(corpus)[1]
        except (OSError, ValueError):
            return ""
    return problems_text(problems, corpus)


def _report(args) -> int:
    from .report import INDEX_NAME, ReportError, report

    try:
        runs = report(corpus=args.corpus, story=args.story, out=args.out, notebooks_dir=args.notebooks,
                      progress=not args.quiet, zip=args.zip, jobs=args.jobs, rerun=args.rerun, totals=args.totals)
    except ReportError as exc:
        print(f"presslens report: {exc}", file=sys.stderr)
        summary = _problems_summary(None, args.corpus)
        if summary:
            print(summary, file=sys.stderr)
        return 1
    out = Path(runs["html"].iloc[0]).parent if len(runs) else Path(
        args.out or (paths.TOTALS_REPORTS_DIR if args.totals else paths.REPORTS_DIR))
    n_reused = int(runs["reused"].sum()) if "reused" in runs else 0
    kept = f" ({n_reused} unchanged since the last report, taken over from it)" if n_reused else ""
    print(f"{len(runs)} notebook(s) ran{kept}; open {out / INDEX_NAME}")
    summary = _problems_summary(runs, args.corpus)
    print(summary or "every corpus file was read without a problem")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `presslens` command; returns the exit status (1 when something was refused or failed)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `presslens`: the help, not a usage error
        parser.print_help()
        return 0
    return {"add": _add, "report": _report}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
