"""Running the whole study: every notebook executed with papermill, rendered to one HTML each, in one folder.

`report()` loads the corpus, warms the per-article cache once (so each notebook only reads cached rows),
executes `notebooks/NN-*.ipynb` in order with the corpus, figures folder and story as parameters, and
writes a self-contained report folder: the executed notebooks and their HTML pages (figures embedded, code
folded under "Show code", nothing fetched from the web), `figures/` (PNG, SVG and the plotted numbers),
`articles/<article_id>.html` (the evidence view every table row links to), `tables/` (the full tables as
CSV, Parquet and an interactive page each) and `index.html`. The folder is built beside the old one and
swapped in at the end, so a run that is killed leaves the previous report whole; a folder holding files the
report did not write is refused, never emptied. A failing notebook stops the run with its name, cell and
error; the pages of what already ran are kept.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from . import evidence, paths
from .notebook_html import to_html
from .figures import OUTLETS_ENV, SLUG_RE, SOURCE_ENV, source_line
from .study import tables as build_tables

# One row per notebook of a run.
REPORT_COLUMNS = ["notebook", "status", "html", "executed", "figures", "seconds", "error"]
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
KERNEL_NAME = "python3"
INDEX_NAME = "index.html"
# Written last into a finished report folder: what the report wrote (a later run may replace only those files).
MARKER_NAME = ".presslens-report.json"
# Files a report writes (paths relative to its folder); a folder holding anything else is not ours to replace.
OWNED_RE = re.compile(r"(?:index\.html|\d{2}-[^/]+\.(?:html|ipynb)|figures/\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:png|svg|csv)"
                      r"|articles/[0-9a-f]+\.html|tables/[a-z_]+\.(?:csv|parquet|html)|\.presslens-report\.json)")
PARTIAL_SUFFIX = ".partial"
# The full tables exported with the report, and those also shown as an interactive page.
EXPORTED_TABLES = ("quotes", "mentions", "sentences", "readability", "articles")
INTERACTIVE_TABLES = ("quotes", "mentions", "sentences", "readability")
class ReportError(RuntimeError):
    """The study could not run to the end; the message names the notebook, the cell and the error."""


class IPCKernelManager(AsyncKernelManager):
    """Notebook kernels reached over unix sockets in a private folder (not TCP: no port open to the machine,
    and no "running over TCP without encryption" warning from each kernel)."""
    transport = "ipc"
    socket_dir = ""

    @default("ip")
    def _ip_default(self):
        return str(Path(self.socket_dir or tempfile.gettempdir()) / "kernel")


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


def failure_message(name: str, exc: Exception) -> str:
    """'NN-x.ipynb failed at cell N: KeyError: ...' with the failing code, from papermill's error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        src = "\n".join("    " + ln for ln in (exc.source or "").strip().splitlines()[:8])
        return (f"notebook {name} failed at cell {exc.cell_index} (execution count {exc.exec_count}): "
                f"{exc.ename}: {exc.evalue}\n  the failing cell:\n{src}")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"notebook {name} could not run: {type(exc).__name__}: {first}"


def corpus_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet (rows) and story (columns), with totals: the index page's overview."""
    if articles.empty:
        return pd.DataFrame()
    return pd.crosstab(articles["outlet"], articles["story"], margins=True, margins_name="all")


def stale_figures(figures_dir: Path, stem: str) -> list[Path]:
    """Figure files a notebook wrote on an earlier run (`NN-slug.png/.svg/.csv`), replaced when it runs again."""
    if not figures_dir.is_dir():
        return []
    return sorted(p for p in figures_dir.glob(stem[:2] + "-*.*")
                  if p.suffix in (".png", ".svg", ".csv") and SLUG_RE.match(p.stem))


def _figures_of(figures_dir: Path, stem: str) -> list[Path]:
    prefix = stem[:2] + "-"
    return sorted(figures_dir.glob(prefix + "*.png")) if figures_dir.is_dir() else []


def foreign_files(folder: Path) -> list[Path]:
    """Files in `folder` that no report wrote (neither listed in its marker nor named like report output)."""
    if not folder.exists():
        return []
    listed = set()
    try:
        listed = set(json.loads((folder / MARKER_NAME).read_text(encoding="utf8")).get("files", []))
    except (OSError, ValueError, AttributeError):
        pass
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and not p.is_dir()
                  and not (p.relative_to(folder).as_posix() in listed or OWNED_RE.fullmatch(p.relative_to(folder).as_posix())))


def check_out(out: Path, corpus: Path, notebooks_dir: Path) -> None:
    """Refuse an output folder the report may not replace: the corpus or notebooks (or one holding or inside
    them), a file, or a folder holding files the report did not write."""
    for what, folder in (("corpus", corpus), ("notebooks", notebooks_dir)):
        if out == folder:
            hint = " would replace the notebooks" if what == "notebooks" else " would be replaced by the report"
            raise ReportError(f"the output folder {out} is the {what} folder: its files{hint}; choose another --out "
                              "(default: reports/)")
        if out in folder.parents or folder in out.parents:
            raise ReportError(f"the output folder {out} {'holds' if out in folder.parents else 'is inside'} the "
                              f"{what} folder {folder}; choose a folder of its own for --out (default: reports/)")
    if out.exists() and not out.is_dir():
        raise ReportError(f"the output {out} is a file, not a folder; choose another --out")
    foreign = foreign_files(out)
    if foreign:
        names = ", ".join(p.relative_to(out).as_posix() for p in foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise ReportError(f"the output folder {out} holds {len(foreign)} file(s) the report did not write ({names}); "
                          "the report replaces its whole folder, so it will not write there: choose an empty or new "
                          "folder for --out")


def _exportable(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with lists and dicts as JSON text, so CSV and Parquet hold them the same way."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                    if isinstance(v, (list, tuple, dict)) else v)
    return out


def write_evidence(folder: Path, tabs) -> dict[str, list[str]]:
    """articles/<article_id>.html for every article, tables/<name>.csv/.parquet (and .html) of the full tables."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    for _, row in tabs.articles.iterrows():
        page = evidence.article_page(row, tabs, back="../index.html", back_label="the report")
        (folder / "articles" / f"{row['article_id']}.html").write_text(page, encoding="utf8")
    written = {}
    for name in EXPORTED_TABLES:
        df = _exportable(getattr(tabs, name))
        df.to_csv(folder / "tables" / f"{name}.csv", index=False)
        df.to_parquet(folder / "tables" / f"{name}.parquet", index=False)
        written[name] = [f"tables/{name}.csv", f"tables/{name}.parquet"]
        if name in INTERACTIVE_TABLES:
            view = evidence.table(getattr(tabs, name), href_base="../articles/", bundle=True)
            (folder / "tables" / f"{name}.html").write_text(evidence.table_page(
                f"{name} ({len(df):,} rows)", view, back="../index.html"), encoding="utf8")
            written[name].insert(0, f"tables/{name}.html")
    return written


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
                tables: dict[str, list[str]] | None = None, quotes: pd.DataFrame | None = None) -> Path:
    """index.html: notebooks (title, status, link), tables, articles (each linked to its evidence view),
    articles per outlet and story, and the files skipped or read with a warning. Only existing pages are linked."""
    esc = html.escape
    rel_fig = Path(os.path.relpath(figures_dir, out)).as_posix()
    rows = []
    for r in runs.itertuples():
        ok = r.html and Path(r.html).exists()
        link = f'<a href="{esc(Path(r.html).name)}">{esc(r.title)}</a>' if ok else esc(r.title)
        if r.executed and Path(r.executed).exists():
            link += f' <span class="meta">(<a href="{esc(Path(r.executed).name)}">executed notebook</a>)</span>'
        figs = ", ".join(f'<a href="{esc(rel_fig)}/{esc(f)}">{esc(f)}</a>' for f in r.figures) or "&ndash;"
        status = esc(r.status) + (f'<div class="err">{esc(r.error)}</div>' if r.error else "")
        rows.append(f"<tr><td>{esc(r.notebook)}</td><td>{link}</td><td class='{esc(r.status)}'>{status}</td>"
                    f"<td>{figs}</td><td class='num'>{r.seconds:.0f}</td></tr>")
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
    art_rows = [{"evidence": f'<a href="{esc(pages[a.article_id])}">read</a>' if a.article_id in pages else "",
                 "outlet": esc(str(a.outlet)), "date": f"{a.date:%Y-%m-%d}" if pd.notna(a.date) else "",
                 "title": esc(str(a.title)) if isinstance(a.title, str) and a.title else "<i>no title</i>",
                 "words": f"{a.n_words:,}", "quotes": int(n_quotes.get(a.article_id, 0)), "file": esc(str(a.path))}
                for a in articles.itertuples()]
    art_html = _html_table(pd.DataFrame(art_rows), numeric=("words", "quotes")) if art_rows else "<p>No articles.</p>"
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
numbers it plots. Every row of every table links to the words it counts.</p>
<table class="runs"><tr><th>#</th><th>Notebook</th><th>Status</th><th>Figures</th><th>Seconds</th></tr>
{"".join(rows)}
</table>
<h2>Tables</h2>
<p>The full tables behind every number: an interactive page (search, sort, every row linked to its words),
CSV and Parquet. Offsets (<code>start</code>, <code>end</code>) count characters of the article's clean text.</p>
<ul>{tab_html or "<li>No tables were written.</li>"}</ul>
<h2>Articles</h2>
<p>Each article's clean text with its quotes, speakers, entity mentions, sentence tone and the furniture removed.</p>
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


def warm_cache(articles: pd.DataFrame, progress: bool = True) -> None:
    """Run the per-article analysis once for every article (parsing only those not cached yet)."""
    from tqdm.auto import tqdm

    from .pipeline import analyze

    with tqdm(total=len(articles), desc=f"analysing {len(articles)} articles (cached ones are skipped)",
              unit="article", disable=not progress, file=sys.stderr) as bar:
        analyze(articles, progress=bar.update)


def _swap(work: Path, out: Path) -> None:
    """Put the finished report folder `work` in place of `out` (the old report is removed only after)."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.{os.getpid()}.old"
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def zip_report(out: Path) -> Path:
    """OUT.zip beside the report folder, holding the folder (written to a temporary name, then renamed)."""
    target = out.parent / f"{out.name}.zip"
    if target.exists() and not zipfile.is_zipfile(target):
        raise ReportError(f"{target} exists and is not a zip archive; move it away to write the report's zip there")
    tmp = out.parent / f".{out.name}.{os.getpid()}.zip"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(out.rglob("*")):
            if p.is_file():
                zf.write(p, Path(out.name) / p.relative_to(out))
    os.replace(tmp, target)
    return target


def _mark_parameters(executed: Path, work: Path, out: Path) -> None:
    """In the executed notebook's injected-parameters cell, name the folder the report ends up in, not its draft."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(str(work), str(out))
    nbformat.write(nb, str(executed))


def _mirror_figures(src: Path, dst: Path, stems: list[str]) -> None:
    """Copy the figures of the notebooks that ran into `dst` (e.g. the project's figures/), replacing their old ones."""
    dst.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        for old in stale_figures(dst, stem):
            old.unlink()
        for new in stale_figures(src, stem):
            shutil.copy2(new, dst / new.name)


def report(corpus: str | Path = paths.CORPUS_DIR, story: str | None = None, out: str | Path | None = None,
           notebooks_dir: str | Path = paths.NOTEBOOKS_DIR, figures_dir: str | Path | None = None,
           kernel_name: str = KERNEL_NAME, progress: bool = True, timeout: int | None = 1800,
           zip: bool = False) -> pd.DataFrame:
    """Execute every notebook on the corpus and write the report folder (see the module docstring).

    The report goes to `out` (default reports/), its figures to OUT/figures; they are also copied to
    `figures_dir` when given (and to the project's figures/ when `out` is not given). `zip=True` also writes
    OUT.zip. Returns one row per notebook (REPORT_COLUMNS); raises ReportError naming the notebook, cell and
    error when one fails, after writing the pages of the notebooks that ran and an index saying where it stopped.
    """
    import papermill as pm
    from tqdm.auto import tqdm

    corpus = Path(corpus).expanduser().resolve()
    out_dir = Path(out).expanduser().resolve() if out is not None else paths.REPORTS_DIR
    mirror = (Path(figures_dir).expanduser().resolve() if figures_dir is not None
              else None if out is not None else paths.FIGURES_DIR)
    nb_dir = Path(notebooks_dir).expanduser().resolve()
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
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.*{PARTIAL_SUFFIX}"):  # drafts of runs that were killed
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=PARTIAL_SUFFIX, dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    work.chmod(0o777 & ~umask)  # mkdtemp's folder is private; the report is a normal folder
    sockets = Path(tempfile.mkdtemp(prefix="presslens-kernels-"))
    env_before = {k: os.environ.get(k) for k in (SOURCE_ENV, OUTLETS_ENV)}
    try:
        fig_dir = work / "figures"
        fig_dir.mkdir()
        warm_cache(articles, progress=progress)
        tabs = build_tables(articles)
        exported = write_evidence(work, tabs)
        os.environ[SOURCE_ENV] = source_line(articles, corpus_name=corpus.name)  # the kernels inherit these
        os.environ[OUTLETS_ENV] = json.dumps(sorted(articles["outlet"].dropna().astype(str).unique()))
        IPCKernelManager.socket_dir = str(sockets)
        manager = IPCKernelManager if os.name == "posix" else AsyncKernelManager
        params = {"CORPUS_DIR": str(corpus), "FIGURES_DIR": str(fig_dir), "STORY": story}
        runs, error = [], None
        bar = tqdm(notebooks, unit="notebook", disable=not progress, file=sys.stderr)
        for nb in bar:
            bar.set_description(f"{nb.name} ({len(articles)} articles)")
            executed = work / nb.name
            started = time.perf_counter()
            status, err = "ok", None
            try:
                pm.execute_notebook(str(nb), str(executed), parameters=params, kernel_name=kernel_name,
                                    cwd=str(nb_dir), progress_bar=False, log_output=False,
                                    execution_timeout=timeout, kernel_manager_class=manager)
            except Exception as exc:  # noqa: BLE001 - any failure stops the run with its message
                status, err = "failed", failure_message(nb.name, exc)
            page = None
            if executed.exists():
                try:
                    _mark_parameters(executed, work, out_dir)
                    page = to_html(executed, work / f"{nb.stem}.html")
                except Exception as exc:  # noqa: BLE001 - a page that cannot be rendered stops the run too
                    status = "failed"
                    err = err or f"notebook {nb.name} ran but its HTML page could not be written: {type(exc).__name__}: {exc}"
            runs.append({"notebook": nb.name, "title": notebook_title(nb), "status": status,
                         "html": str(out_dir / page.name) if page else None,
                         "executed": str(out_dir / executed.name) if executed.exists() else None,
                         "figures": [f.name for f in _figures_of(fig_dir, nb.stem)],
                         "seconds": time.perf_counter() - started, "error": err})
            if err:
                error = err
                break
        bar.close()
        table = pd.DataFrame(runs, columns=["notebook", "title", *REPORT_COLUMNS[1:]])
        local = table.assign(html=[str(work / Path(h).name) if h else None for h in table["html"]],
                             executed=[str(work / Path(e).name) if e else None for e in table["executed"]])
        write_index(work, local, articles, problems, corpus, story, fig_dir, error, exported, tabs.quotes)
        files = sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file())
        (work / MARKER_NAME).write_text(json.dumps({"written_by": "presslens report", "files": files}, indent=1),
                                        encoding="utf8")
        _swap(work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)
        for key, value in env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if mirror is not None and mirror != out_dir / "figures":
        _mirror_figures(out_dir / "figures", mirror, [Path(n).stem for n in table["notebook"]])
    if zip:
        zip_report(out_dir)
    if error:
        raise ReportError(error + f"\n  pages of the notebooks that ran: {out_dir / INDEX_NAME}")
    result = table[REPORT_COLUMNS].copy()
    result.attrs["problems"] = problems.to_dict("records")  # the files skipped or doubtful, for the caller to say
    return result
