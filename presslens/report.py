"""Running the whole study: every notebook executed with papermill, rendered to one HTML each, in one folder.

`report()` loads the corpus, builds the study's tables once (new articles parsed on as many processes as notebooks
run at once, unless PRESSLENS_PROCESSES says otherwise; each notebook then reads the tables), executes
`notebooks/NN-*.ipynb` with the corpus, figures folder and story as parameters, and writes a self-contained
report folder: the executed notebooks and their HTML pages (figures embedded, code folded under "Show code",
nothing fetched from the web), `figures/` (PNG, SVG and the plotted numbers), `articles/<article_id>.html` (the
evidence view every table row links to), `tables/` (the full tables as CSV, Parquet and an interactive page
each) and `index.html`. Notebooks run two at once (`notebook_run`) while the article pages and tables are
written, the first two in kernels started (their imports done) while the tables were built from the parse;
whatever the earlier report wrote from the same inputs is taken over from it instead of computed again
(`report_reuse`). The folder is built beside the old one and swapped in at the end, so a run that is killed
leaves the previous report whole; a folder holding files the report did not write is refused, never emptied.
A failing notebook stops the run with its name, cell and error; the pages of what ran before it are kept.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd
from . import aggregates, evidence, paths
from . import report_reuse as reuse
from .figures import OUTLETS_ENV, SOURCE_ENV, source_line
from .report_folder import (MARKER_NAME, OWNED_RE, ReportError, check_out, draft, foreign_files,  # noqa: F401
                            mirror_figures, stale_figures, swap, zip_report)
from .study import keep_parts, tables as build_tables

# One row per notebook of a run.
REPORT_COLUMNS = ["notebook", "status", "html", "executed", "figures", "seconds", "error", "reused"]
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
KERNEL_NAME = "python3"
INDEX_NAME = "index.html"
# The full tables exported with the report, and those also shown as an interactive page.
EXPORTED_TABLES = ("quotes", "mentions", "sentences", "readability", "articles")
INTERACTIVE_TABLES = ("quotes", "mentions", "sentences", "readability")
# The tables an article page draws from (each article's rows of them key its page).
PAGE_TABLES = ("articles", "quotes", "mentions", "sentences")
# Notebooks run at once, each in its own kernel: one a core, at most two (each kernel holds the study's tables;
# on 2 cores and 300 articles a third at once took no less time: cold reports of 85 and 94 s two at a time,
# 91 and 90 s three at a time, with 250 MB more of kernels).
MAX_JOBS = 2
JOBS_ENV = "PRESSLENS_REPORT_JOBS"
PROCESSES_ENV = "PRESSLENS_PROCESSES"


def notebook_paths(notebooks_dir: str | Path = paths.NOTEBOOKS_DIR) -> list[Path]:
    """The study's notebooks, `NN-what-it-shows.ipynb`, in reading order."""
    return sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))


def notebook_title(path: str | Path) -> str:
    """The first line of a notebook's first markdown cell (its question), without '#' marks."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf8"))
    except (OSError, ValueError):
        return Path(path).stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = "".join(cell.get("source", []))
            for line in src.splitlines():
                line = line.strip().lstrip("#").strip()
                if line:
                    return line
    return Path(path).stem


def corpus_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet (rows) and story (columns), with totals: the index page's overview."""
    if articles.empty:
        return pd.DataFrame()
    return pd.crosstab(articles["outlet"], articles["story"], margins=True, margins_name="all")


def _figures_of(figures_dir: Path, stem: str) -> list[Path]:
    return sorted(figures_dir.glob(stem[:2] + "-*.png")) if figures_dir.is_dir() else []


def _exportable(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with lists and dicts as JSON text, so CSV and Parquet hold them the same way."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                    if isinstance(v, (list, tuple, dict)) else v)
    return out


def write_evidence(folder: Path, tabs, ledger: reuse.Ledger | None = None, base: str = "") -> dict[str, list[str]]:
    """articles/<article_id>.html for every article, tables/<name>.csv/.parquet (and .html) of the full tables.

    With a ledger, a page or table whose inputs (its rows, and `base`: the code) are those of the earlier
    report is taken over from it instead of written again."""
    for sub in ("articles", "tables"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    hashes, keys = {}, {}
    if ledger is not None:
        hashes = {n: reuse.row_hashes(getattr(tabs, n)) for n in dict.fromkeys(PAGE_TABLES + EXPORTED_TABLES)}
        keys = reuse.article_keys(base, tabs, PAGE_TABLES, hashes)
    grouped = evidence.rows_by_article(tabs)  # each page looks its rows up
    for _, row in tabs.articles.iterrows():
        rel = f"articles/{row['article_id']}.html"
        if ledger is not None and ledger.reuse(rel, keys[str(row["article_id"])]):
            continue
        page = evidence.article_page(row, tabs, back="../index.html", back_label="the report", grouped=grouped)
        (folder / rel).write_text(page, encoding="utf8")
        if ledger is not None:
            ledger.record(rel, keys[str(row["article_id"])], [rel])
    written = {}
    for name in EXPORTED_TABLES:
        files = written[name] = ([f"tables/{name}.html"] if name in INTERACTIVE_TABLES else []) + [
            f"tables/{name}.csv", f"tables/{name}.parquet"]
        key = reuse.table_key(base, name, getattr(tabs, name), hashes[name]) if ledger is not None else ""
        if ledger is not None and ledger.reuse(f"tables/{name}", key):
            continue
        df = _exportable(getattr(tabs, name))
        df.to_csv(folder / "tables" / f"{name}.csv", index=False)
        df.to_parquet(folder / "tables" / f"{name}.parquet", index=False)
        if name in INTERACTIVE_TABLES:
            view = evidence.table(getattr(tabs, name), href_base="../articles/", bundle=True, table_id=f"pl-{name}")
            (folder / "tables" / f"{name}.html").write_text(evidence.table_page(
                f"{name} ({len(df):,} rows)", view, back="../index.html"), encoding="utf8")
        if ledger is not None:
            ledger.record(f"tables/{name}", key, files)
    return written


EVIDENCE_ROWS = "Every row of every table links to the words it counts."
TOTALS_ROWS = ("These are sums over the whole corpus: every row they sum is in the tables below, with its article_id "
               "and character offsets.")
EVIDENCE_TABLES = ("The full tables behind every number: an interactive page (search, sort, every row linked to its "
                   "words), CSV and Parquet.")
TOTALS_TABLES = ("Every row of the study's tables behind the totals, as Parquet (open it with pandas, DuckDB or "
                 "Arrow); list columns hold JSON text.")
INDEX_STYLE = """<style>
body { font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
.meta { color: #555; } table.tbl, table.runs { border-collapse: collapse; margin: .5em 0; }
.tbl td, .tbl th, .runs td, .runs th { border-bottom: 1px solid #e3e3e3; padding: 4px 10px; text-align: left; vertical-align: top; }
.num, .tbl td.num { text-align: right; } .ok { color: #2a7d2a; } .failed { color: #b00020; font-weight: bold; }
.err { font-weight: normal; font-size: 12px; white-space: pre-wrap; font-family: monospace; }
.error { background: #fdecea; border: 1px solid #f5c2c0; padding: .6em 1em; } .error pre { white-space: pre-wrap; } a { color: #1f4e8c; }
</style>"""


def _html_table(df: pd.DataFrame, numeric=()) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td class='num'>{v}</td>" if c in numeric else f"<td>{v}</td>"
                                    for c, v in zip(df.columns, r)) + "</tr>" for r in df.itertuples(index=False))
    return f"<table class='tbl'><tr>{head}</tr>{rows}</table>"


def write_index(out: Path, runs: pd.DataFrame, articles: pd.DataFrame, problems: pd.DataFrame,
                corpus: Path, story: str | None, figures_dir: Path, error: str | None = None,
                tables: dict[str, list[str]] | None = None, quotes: pd.DataFrame | None = None,
                totals: bool = False) -> Path:
    """index.html: notebooks (title, status, link), tables, articles (each linked to its evidence view),
    articles per outlet and story, and the files skipped or read with a warning. Only existing pages are linked.
    A report of the totals (`totals`) lists no article: they are one row each in its articles table."""
    esc = html.escape
    rel_fig = Path(os.path.relpath(figures_dir, out)).as_posix()
    rows = []
    for r in runs.itertuples():
        ok = r.html and Path(r.html).exists()
        link = f'<a href="{esc(Path(r.html).name)}">{esc(r.title)}</a>' if ok else esc(r.title)
        if r.executed and Path(r.executed).exists():
            link += f' <span class="meta">(<a href="{esc(Path(r.executed).name)}">executed notebook</a>)</span>'
        figs = ", ".join(f'<a href="{esc(rel_fig)}/{esc(f)}">{esc(f)}</a>' for f in r.figures) or "&ndash;"
        secs = "&ndash;" if getattr(r, "reused", False) else f"{r.seconds:.0f}"
        status = esc(r.status) + (" (unchanged)" if getattr(r, "reused", False) else "") + \
            (f'<div class="err">{esc(r.error)}</div>' if r.error else "")
        rows.append(f"<tr><td>{esc(r.notebook)}</td><td>{link}</td><td class='{esc(r.status)}'>{status}</td>"
                    f"<td>{figs}</td><td class='num'>{secs}</td></tr>")
    summary = corpus_summary(articles)
    summary_html = summary.to_html(classes="tbl", border=0) if not summary.empty else "<p>No articles.</p>"
    pages = {a: f"articles/{a}.html" for a in articles["article_id"]} if len(articles) else {}
    pages = {a: p for a, p in pages.items() if (out / p).exists()}
    by_path = dict(zip(articles["path"], articles["article_id"])) if len(articles) else {}
    if problems is not None and not problems.empty:
        shown = problems.assign(path=problems["path"].map(esc), problem=problems["problem"].map(esc),
                                action=problems["action"].map(esc))
        shown.insert(0, "evidence", [_article_link(p, corpus, by_path, pages) for p in problems["path"]])
        skipped = f"<p>{len(problems)} file(s) were skipped or loaded with a warning:</p>" + _html_table(shown)
    else:
        skipped = "<p>Every file in the corpus folder was read without a problem.</p>"
    n_quotes = quotes.groupby("article_id").size() if quotes is not None and len(quotes) else pd.Series(dtype=int)
    art_rows = [] if totals else [{"evidence": f'<a href="{esc(pages[a.article_id])}">read</a>' if a.article_id in pages else "",
                 "outlet": esc(str(a.outlet)), "date": f"{a.date:%Y-%m-%d}" if pd.notna(a.date) else "",
                 "title": esc(str(a.title)) if isinstance(a.title, str) and a.title else "<i>no title</i>",
                 "words": f"{a.n_words:,}", "quotes": int(n_quotes.get(a.article_id, 0)), "file": esc(str(a.path))}
                for a in articles.itertuples()]
    art_html = ("<p>Each article's clean text with its quotes, speakers, entity mentions, sentence tone and the furniture "
                "removed.</p>" + _html_table(pd.DataFrame(art_rows), numeric=("words", "quotes"))) if art_rows else \
        "<p>No articles.</p>"
    if totals:
        art_html = (f"<p>A report of the totals has no article pages: the {len(articles):,} articles are one row each in "
                    "the articles table above. To read one story's articles with their quotes, speakers and "
                    "mentions marked, run <code>presslens report --story SLUG</code>.</p>")
    tab_html = "".join(f"<li><b>{esc(n)}</b>: " + ", ".join(f'<a href="{esc(f)}">{esc(Path(f).suffix[1:])}</a>'
                       for f in files if (out / f).exists()) + "</li>" for n, files in (tables or {}).items())
    dates = articles["date"].dropna() if "date" in articles else pd.Series(dtype="datetime64[ns]")
    span = (f", dated {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "")
    stories = sorted(articles["story"].dropna().unique()) if len(articles) else []
    subject = story or (f"the story {stories[0]}" if len(stories) == 1 else f"{len(stories)} stories")
    banner = f'<div class="error"><b>The run stopped:</b><pre>{esc(error)}</pre></div>' if error else ""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>presslens report: {esc(corpus.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{INDEX_STYLE}</head>
<body>
<h1>How outlets covered {esc(subject)}</h1>
<p class="meta">{len(articles)} article(s) from {articles["outlet"].nunique() if len(articles) else 0} outlet(s){span}.
Corpus folder: <code>{esc(str(corpus))}</code>{f", story <code>{esc(story)}</code>" if story else ", every story"}.
Generated {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC by <code>presslens report</code>.</p>
{banner}
<h2>Notebooks</h2>
<p>Each notebook is a self-contained page: figures are embedded and the code behind each step is folded under
&ldquo;Show code&rdquo;. Every figure is also in the <code>figures</code> folder as PNG and SVG, with a CSV of the
numbers it plots. {TOTALS_ROWS if totals else EVIDENCE_ROWS}</p>
<table class="runs"><tr><th>#</th><th>Notebook</th><th>Status</th><th>Figures</th><th>Seconds</th></tr>
{"".join(rows)}
</table>
<h2>Tables</h2>
<p>{TOTALS_TABLES if totals else EVIDENCE_TABLES} Offsets (<code>start</code>, <code>end</code>) count characters of
the article's clean text.</p>
<ul>{tab_html or "<li>No tables were written.</li>"}</ul>
<h2>Articles</h2>
{art_html}
<h2>Articles per outlet and story</h2>
{summary_html}
<h2>Files skipped or read with a warning</h2>
{skipped}
</body></html>
"""
    p = out / INDEX_NAME
    p.write_text(page, encoding="utf8")
    return p


def _article_link(path: str, corpus: Path, by_path: dict, pages: dict) -> str:
    """A link to the article page of a file that was loaded (with a warning), else a note that it was not."""
    p = Path(path)
    rel = p.relative_to(corpus).as_posix() if p.is_absolute() and p.is_relative_to(corpus) else p.as_posix()
    aid = by_path.get(rel)
    return f'<a href="{html.escape(pages[aid])}">read</a>' if aid in pages else "not loaded"


def _load(corpus: Path, story: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from .loader import load_corpus_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles, problems = load_corpus_report(corpus)
    if story is not None:
        stories = sorted(articles["story"].dropna().unique())
        if story not in stories:
            raise ReportError(f"story {story!r} is not in {corpus} (stories there: {', '.join(stories) or 'none'})")
        articles = articles[articles["story"] == story].reset_index(drop=True)
    return articles, problems


def _build(articles: pd.DataFrame, progress: bool = True, n_process: int | None = None, totals: bool = False,
           parsed=None):
    """The study's tables, built once for every notebook (new articles parsed on `n_process`, then `parsed()`
    called) and kept as parts; with `totals`, built story by story into the store instead, and the aggregates'
    Source over them returned."""
    from tqdm.auto import tqdm

    with tqdm(total=len(articles), desc=f"analysing {len(articles)} articles (cached ones are skipped)",
              unit="article", disable=not progress, file=sys.stderr) as bar:
        if totals:
            return aggregates.stored_source(articles, n_process=n_process, done=bar.update)
        tabs = build_tables(articles, progress=bar.update, n_process=n_process, parsed=parsed)
    keep_parts(articles)
    return tabs


def write_totals_tables(folder: Path, src: aggregates.Source, ledger: reuse.Ledger | None = None,
                        base: str = "") -> dict[str, list[str]]:
    """tables/<name>.parquet: every row of the study's tables, streamed from the store's parts by DuckDB
    (`aggregates.export_table`), for a report of a corpus too large to hold (it has no article pages).
    With a ledger, a table whose stories' builds (and `base`, the code) are the earlier report's is taken over."""
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    written, builds = {}, aggregates.build_keys(src)
    for name in EXPORTED_TABLES:
        rel = written.setdefault(name, [f"tables/{name}.parquet"])[0]
        key = reuse.digest(base, name, *builds)
        if ledger is not None and ledger.reuse(f"tables/{name}", key):
            continue
        aggregates.export_table(src, name, folder / rel)
        if ledger is not None:
            ledger.record(f"tables/{name}", key, [rel])
    return written


def _cores() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def jobs_default() -> int:
    """Notebooks to run at once: PRESSLENS_REPORT_JOBS, else one a core, up to MAX_JOBS."""
    env = os.environ.get(JOBS_ENV, "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            warnings.warn(f"{JOBS_ENV}={env!r} is not a number of notebooks; running {MAX_JOBS} at once")
    return min(MAX_JOBS, _cores())


def parse_processes(jobs: int) -> int | None:
    """Processes that parse new articles for a report running `jobs` notebooks at once: PRESSLENS_PROCESSES
    when set (None: `pipeline.analyze` reads it), else one a core up to `jobs` (a parse keeps its core busy)."""
    return None if os.environ.get(PROCESSES_ENV, "").strip() else max(1, min(jobs, _cores()))


def _notebook_files(folder: Path, nb: Path) -> list[str]:
    """The files one notebook's run leaves in the report folder: executed copy, page and figures."""
    files = [nb.name, f"{nb.stem}.html"]
    return files + [f"figures/{p.name}" for p in stale_figures(folder / "figures", nb.stem)]


def _drop(folder: Path, nb: Path) -> None:
    """Remove what a notebook left in the draft folder (it ran after the notebook where the run stopped)."""
    for rel in _notebook_files(folder, nb):
        (folder / rel).unlink(missing_ok=True)


def run_notebooks(notebooks: list[Path], work: Path, out_dir: Path, nb_dir: Path, ledger: reuse.Ledger,
                  run_key: str, params: dict, kernel_name: str, timeout: int | None, jobs: int, progress: bool,
                  meanwhile=None, before=None):
    """Every notebook's row of the run table (in reading order, up to the first failure) and `meanwhile()`'s
    result: an unchanged notebook's files are taken over from the earlier report, the others run, `jobs` at once,
    after `before(ready)` (the build) returns; the first `jobs` of them have their kernels started once it calls
    `ready()` (`notebook_run.run_all`)."""
    from tqdm.auto import tqdm

    # Imported only when a notebook has to run: nbformat's schema validator alone takes seconds to import.
    from .notebook_run import NotebookTask, execute, prestart_kernel, run_all

    keys = {nb: reuse.digest(run_key, nb.name, reuse.sha256_file(nb)) for nb in notebooks}
    kept = {nb: ledger.reuse(f"notebooks/{nb.name}", keys[nb]) for nb in notebooks}
    todo = [NotebookTask(nb, work / nb.name, work / f"{nb.stem}.html", params) for nb in notebooks if not kept[nb]]
    sockets = Path(tempfile.mkdtemp(prefix="presslens-kernels-")) if os.name == "posix" else None
    bars = []

    def build(ready):
        try:
            return before(ready) if before is not None else None
        finally:  # the notebooks' bar starts under the build's
            bars.append(tqdm(total=len(todo), unit="notebook", disable=not progress or not todo, file=sys.stderr,
                             desc=f"running {len(todo)} notebook(s), {jobs} at once"))

    try:
        ran, extra = run_all(todo, lambda t, kernel=None: execute(t, work, out_dir, kernel_name, nb_dir, timeout,
                                                                  sockets, kernel),
                             jobs=jobs, done=lambda t, o: bars[0].update(), meanwhile=meanwhile, before=build,
                             prestart=lambda t: prestart_kernel(t.notebook, kernel_name, nb_dir, sockets))
    finally:
        for bar in bars:
            bar.close()
        if sockets is not None:
            shutil.rmtree(sockets, ignore_errors=True)
    outcomes = {t.notebook: o for t, o in ran}
    rows = []
    for nb in notebooks:
        if nb not in outcomes and not kept[nb]:
            break
        if kept[nb]:
            info = kept[nb].info
            rows.append({"notebook": nb.name, "title": info.get("title") or notebook_title(nb), "status": "ok",
                         "html": str(out_dir / f"{nb.stem}.html"), "executed": str(out_dir / nb.name),
                         "figures": list(info.get("figures", [])), "seconds": 0.0, "error": None, "reused": True})
            continue
        o = outcomes[nb]
        figures = [f.name for f in _figures_of(work / "figures", nb.stem)]
        rows.append({"notebook": nb.name, "title": notebook_title(nb), "status": o.status,
                     "html": str(out_dir / o.page.name) if o.page else None,
                     "executed": str(out_dir / nb.name) if (work / nb.name).exists() else None,
                     "figures": figures, "seconds": o.seconds, "error": o.error, "reused": False})
        if o.error:
            break
        ledger.record(f"notebooks/{nb.name}", keys[nb], _notebook_files(work, nb),
                      {"title": rows[-1]["title"], "figures": figures})
    for nb in notebooks[len(rows):]:  # after the notebook where the run stopped: nothing of theirs is kept
        _drop(work, nb)
        ledger.units.pop(f"notebooks/{nb.name}", None)
    return rows, extra


def report(corpus: str | Path = paths.CORPUS_DIR, story: str | None = None, out: str | Path | None = None,
           notebooks_dir: str | Path | None = None, figures_dir: str | Path | None = None,
           kernel_name: str = KERNEL_NAME, progress: bool = True, timeout: int | None = 1800,
           zip: bool = False, jobs: int | None = None, rerun: bool = False, totals: bool = False) -> pd.DataFrame:
    """Execute every notebook on the corpus and write the report folder (see the module docstring).

    The report goes to `out` (default reports/), its figures to OUT/figures; they are also copied to
    `figures_dir` when given (and to the project's figures/ when `out` is not given). `zip=True` also writes
    OUT.zip. `jobs` notebooks run at once (default: `jobs_default()`). With `totals`, the report of a corpus too
    large to hold: the study is built story by story into the store (`aggregates.stored_source`), the notebooks
    of notebooks/totals/ chart its per-outlet sums, the tables are exported from the store (`write_totals_tables`),
    and the report goes to reports-totals/ with no article pages. What the earlier report in `out` wrote
    from the same inputs is taken over from it (`report_reuse`); `rerun=True` writes everything afresh.
    Returns one row per notebook (REPORT_COLUMNS; `reused` when taken over); raises ReportError naming the
    notebook, cell and error when one fails, after writing the pages of the notebooks that ran and an index
    saying where it stopped.
    """
    corpus = Path(corpus).expanduser().resolve()
    out_dir = Path(out).expanduser().resolve() if out is not None else \
        paths.TOTALS_REPORTS_DIR if totals else paths.REPORTS_DIR
    mirror = (Path(figures_dir).expanduser().resolve() if figures_dir is not None
              else None if out is not None or totals else paths.FIGURES_DIR)
    nb_dir = Path(notebooks_dir or (paths.TOTALS_NOTEBOOKS_DIR if totals else paths.NOTEBOOKS_DIR)).expanduser().resolve()
    notebooks = notebook_paths(nb_dir)
    if not notebooks:
        raise ReportError(f"no notebooks named NN-*.ipynb in {nb_dir}")
    if not corpus.is_dir():
        raise ReportError(f"corpus folder {corpus} does not exist; add articles with `presslens add`")
    check_out(out_dir, corpus, nb_dir)
    articles, problems = _load(corpus, story)
    if articles.empty:
        raise ReportError(f"no articles to study in {corpus}" + (f" for story {story!r}" if story else "")
                          + "; add some with `presslens add`")
    work = draft(out_dir)
    env_before = {k: os.environ.get(k) for k in (SOURCE_ENV, OUTLETS_ENV)}
    ledger = reuse.Ledger(out_dir, work, {} if rerun else reuse.previous_units(out_dir, MARKER_NAME),
                          accept=OWNED_RE.fullmatch)
    try:
        fig_dir = work / "figures"
        fig_dir.mkdir()
        jobs = jobs or jobs_default()  # notebooks at once
        kernel_env = {SOURCE_ENV: source_line(articles, corpus_name=corpus.name),
                      OUTLETS_ENV: json.dumps(sorted(articles["outlet"].dropna().astype(str).unique()))}
        os.environ.update(kernel_env)  # the kernels inherit these
        base = reuse.code_digest()
        run_key = reuse.digest(base, reuse.tree_digest(corpus), story, kernel_name, out_dir,
                               reuse.environment_digest(kernel_env))
        params = {"CORPUS_DIR": str(corpus), "FIGURES_DIR": str(fig_dir), "STORY": story}
        built = {}  # the study's tables, built while the first notebooks' kernels start (once the parse is done)
        runs, exported = run_notebooks(
            notebooks, work, out_dir, nb_dir, ledger, run_key, params, kernel_name, timeout, jobs, progress,
            before=lambda ready: built.setdefault("tabs", _build(articles, progress, parse_processes(jobs), totals,
                                                                 parsed=ready)),
            meanwhile=lambda: (write_totals_tables if totals else write_evidence)(work, built["tabs"], ledger, base))
        tabs = built["tabs"]
        error = next((r["error"] for r in runs if r["error"]), None)
        table = pd.DataFrame(runs, columns=["notebook", "title", *REPORT_COLUMNS[1:]])
        local = table.assign(html=[str(work / Path(h).name) if h else None for h in table["html"]],
                             executed=[str(work / Path(e).name) if e else None for e in table["executed"]])
        write_index(work, local, articles, problems, corpus, story, fig_dir, error, exported,
                    None if totals else tabs.quotes, totals)
        files = sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file())
        (work / MARKER_NAME).write_text(json.dumps({"written_by": "presslens report", "files": files,
                                                    "units": ledger.as_json()}, indent=1), encoding="utf8")
        swap(work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for key, value in env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if mirror is not None and mirror != out_dir / "figures":
        mirror_figures(out_dir / "figures", mirror, [Path(n).stem for n in table["notebook"]])
    if zip:
        zip_report(out_dir)
    if error:
        raise ReportError(error + f"\n  pages of the notebooks that ran: {out_dir / INDEX_NAME}")
    result = table[REPORT_COLUMNS].copy()
    result.attrs["problems"] = problems.to_dict("records")  # the files skipped or doubtful, for the caller to say
    return result
