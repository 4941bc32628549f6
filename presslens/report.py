"""Running the whole study (issue 6): every notebook executed with papermill, rendered to one HTML each.

`report()` loads the corpus, warms the per-article cache once (so each notebook only reads cached rows),
executes `notebooks/NN-*.ipynb` in order with the corpus, figures folder and story as parameters, and
writes the executed notebooks plus a self-contained HTML per notebook (figures embedded as base64 PNG, code
folded under "Show code", no scripts fetched from the web) and an `index.html` with the corpus summary.
A failing notebook stops the run with its name, cell and error; the HTML of what already ran is kept.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

from . import paths

# One row per notebook of a run.
REPORT_COLUMNS = ["notebook", "status", "html", "executed", "figures", "seconds", "error"]
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
KERNEL_NAME = "python3"
INDEX_NAME = "index.html"
# The nbconvert "lab" template, with code cells folded into <details> and no scripts loaded from a CDN,
# so the file reads the same offline, in a mail attachment or on a shared drive.
HTML_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
details.pl-code { margin: 2px 0 6px 0; }
details.pl-code > summary { cursor: pointer; color: #666; font: 12px sans-serif; padding: 2px 4px; }
details.pl-code[open] > summary { color: #333; }
.pl-nav { font: 14px sans-serif; padding: 8px 0 4px 0; }
.pl-nav a { color: #1f4e8c; }
</style>
{% endblock extra_css %}
{% block body_header %}
{{ super() }}
<div class="pl-nav"><a href="index.html">&larr; All notebooks of this report</a></div>
{% endblock body_header %}
{% block input_group -%}
<details class="pl-code"><summary>Show code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
"""


class ReportError(RuntimeError):
    """The study could not run to the end; the message names the notebook, the cell and the error."""


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


def html_exporter():
    """nbconvert's HTMLExporter with the presslens template: lab look, code folded, images embedded."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"presslens.html.j2": HTML_TEMPLATE})])
    exporter.template_file = "presslens.html.j2"
    exporter.embed_images = True          # markdown images too; outputs' PNGs are base64 already
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.log.setLevel(logging.ERROR)  # not the "alternative text is missing" note for every figure
    return exporter


def to_html(executed: str | Path, target: str | Path) -> Path:
    """Render an executed notebook to one self-contained HTML file."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": Path(executed).stem}})
    target = Path(target)
    target.write_text(body, encoding="utf8")
    return target


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
    from .figures import SLUG_RE

    if not figures_dir.is_dir():
        return []
    return sorted(p for p in figures_dir.glob(stem[:2] + "-*.*")
                  if p.suffix in (".png", ".svg", ".csv") and SLUG_RE.match(p.stem))


def _figures_of(figures_dir: Path, stem: str) -> list[Path]:
    prefix = stem[:2] + "-"
    return sorted(figures_dir.glob(prefix + "*.png")) if figures_dir.is_dir() else []


def write_index(out: Path, runs: pd.DataFrame, articles: pd.DataFrame, problems: pd.DataFrame,
                corpus: Path, story: str | None, figures_dir: Path, error: str | None = None) -> Path:
    """index.html: the notebooks (title, status, link), articles per outlet and story, and skipped files."""
    esc = html.escape
    rel_fig = Path(os.path.relpath(figures_dir, out)).as_posix()
    rows = []
    for r in runs.itertuples():
        link = (f'<a href="{esc(Path(r.html).name)}">{esc(r.title)}</a>' if r.html else esc(r.title))
        if r.executed:
            link += f' <span class="meta">(<a href="{esc(Path(r.executed).name)}">executed notebook</a>)</span>'
        figs = ", ".join(f'<a href="{esc(rel_fig)}/{esc(f)}">{esc(f)}</a>' for f in r.figures) or "&ndash;"
        status = esc(r.status) + (f'<div class="err">{esc(r.error)}</div>' if r.error else "")
        rows.append(f"<tr><td>{esc(r.notebook)}</td><td>{link}</td><td class='{esc(r.status)}'>{status}</td>"
                    f"<td>{figs}</td><td class='num'>{r.seconds:.0f}</td></tr>")
    summary = corpus_summary(articles)
    summary_html = summary.to_html(classes="tbl", border=0) if not summary.empty else "<p>No articles.</p>"
    if problems is not None and not problems.empty:
        skipped = (f"<p>{len(problems)} file(s) were skipped or loaded with a warning:</p>"
                   + problems.to_html(index=False, classes="tbl", border=0))
    else:
        skipped = "<p>Every file in the corpus folder was read without a problem.</p>"
    dates = articles["date"].dropna() if "date" in articles else pd.Series(dtype="datetime64[ns]")
    span = (f", dated {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "")
    stories = sorted(articles["story"].dropna().unique()) if len(articles) else []
    subject = story or (f"the story {stories[0]}" if len(stories) == 1 else f"{len(stories)} stories")
    banner = f'<div class="error"><b>The run stopped:</b><pre>{esc(error)}</pre></div>' if error else ""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>presslens report: {esc(corpus.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.6em; margin-bottom: .2em; }} h2 {{ margin-top: 1.6em; border-bottom: 1px solid #ddd; }}
.meta {{ color: #555; }} table.tbl, table.runs {{ border-collapse: collapse; margin: .5em 0; }}
.tbl td, .tbl th, .runs td, .runs th {{ border-bottom: 1px solid #e3e3e3; padding: 4px 10px; text-align: left; vertical-align: top; }}
.num, .tbl td {{ text-align: right; }} .ok {{ color: #2a7d2a; }} .failed {{ color: #b00020; font-weight: bold; }}
.err {{ font-weight: normal; font-size: 12px; white-space: pre-wrap; font-family: monospace; }}
.error {{ background: #fdecea; border: 1px solid #f5c2c0; padding: .6em 1em; }} a {{ color: #1f4e8c; }}
</style></head>
<body>
<h1>How outlets covered {esc(subject)}</h1>
<p class="meta">{len(articles)} article(s) from {articles["outlet"].nunique() if len(articles) else 0} outlet(s){span}.
Corpus folder: <code>{esc(str(corpus))}</code>{f", story <code>{esc(story)}</code>" if story else ", every story"}.
Generated {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC by <code>presslens report</code>.</p>
{banner}
<h2>Notebooks</h2>
<p>Each notebook is a self-contained page: figures are embedded and the code behind each step is folded under
&ldquo;Show code&rdquo;. Every figure also has a CSV of the numbers it plots next to it in the figures folder.</p>
<table class="runs"><tr><th>#</th><th>Notebook</th><th>Status</th><th>Figures</th><th>Seconds</th></tr>
{"".join(rows)}
</table>
<h2>Articles per outlet and story</h2>
{summary_html}
<h2>Files skipped or read with a warning</h2>
{skipped}
</body></html>
"""
    p = out / INDEX_NAME
    p.write_text(page, encoding="utf8")
    return p


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


def report(corpus: str | Path = paths.CORPUS_DIR, story: str | None = None, out: str | Path | None = None,
           notebooks_dir: str | Path = paths.NOTEBOOKS_DIR, figures_dir: str | Path | None = None,
           kernel_name: str = KERNEL_NAME, progress: bool = True, timeout: int | None = 1800) -> pd.DataFrame:
    """Execute every notebook on the corpus and write figures, executed notebooks, HTML pages and index.html.

    Figures go to OUT/figures (to the project's figures/ when `out` is not given; then OUT is reports/).
    Returns one row per notebook (REPORT_COLUMNS); raises ReportError naming the notebook, cell and error
    when one fails, after writing the HTML of the notebooks that ran and an index saying where it stopped.
    """
    import papermill as pm
    from tqdm.auto import tqdm

    corpus = Path(corpus).expanduser().resolve()
    out_dir = Path(out).expanduser().resolve() if out is not None else paths.REPORTS_DIR
    fig_dir = (Path(figures_dir).expanduser().resolve() if figures_dir is not None
               else out_dir / "figures" if out is not None else paths.FIGURES_DIR)
    nb_dir = Path(notebooks_dir).expanduser().resolve()
    notebooks = notebook_paths(nb_dir)
    if not notebooks:
        raise ReportError(f"no notebooks named NN-*.ipynb in {nb_dir}")
    if not corpus.is_dir():
        raise ReportError(f"corpus folder {corpus} does not exist; add articles with `presslens add`")
    if out_dir == nb_dir:
        raise ReportError(f"the output folder {out_dir} is the notebooks folder: the executed copies would replace "
                          "the notebooks; choose another --out (default: reports/)")
    articles, problems = _load(corpus, story)
    if articles.empty:
        raise ReportError(f"no articles to study in {corpus}" + (f" for story {story!r}" if story else "")
                          + "; add some with `presslens add`")
    out_dir.mkdir(parents=True, exist_ok=True)
    fig_dir.mkdir(parents=True, exist_ok=True)
    for nb in notebooks:  # no page from an earlier run may pass for this one
        for stale in (out_dir / f"{nb.stem}.html", out_dir / nb.name):
            if stale.exists() and stale.resolve() != nb.resolve():
                stale.unlink()
    warm_cache(articles, progress=progress)

    params = {"CORPUS_DIR": str(corpus), "FIGURES_DIR": str(fig_dir), "STORY": story}
    runs, error = [], None
    bar = tqdm(notebooks, unit="notebook", disable=not progress, file=sys.stderr)
    for nb in bar:
        bar.set_description(f"{nb.name} ({len(articles)} articles)")
        executed = out_dir / nb.name
        for old in stale_figures(fig_dir, nb.stem):  # the figures listed for a notebook are this run's
            old.unlink()
        started = time.perf_counter()
        status, err = "ok", None
        try:
            pm.execute_notebook(str(nb), str(executed), parameters=params, kernel_name=kernel_name,
                                cwd=str(nb_dir), progress_bar=False, log_output=False,
                                execution_timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - any failure stops the run with its message
            status, err = "failed", failure_message(nb.name, exc)
        page = None
        if executed.exists():
            try:
                page = to_html(executed, out_dir / f"{nb.stem}.html")
            except Exception as exc:  # noqa: BLE001 - a page that cannot be rendered stops the run too
                status = "failed"
                err = err or f"notebook {nb.name} ran but its HTML page could not be written: {type(exc).__name__}: {exc}"
        runs.append({"notebook": nb.name, "title": notebook_title(nb), "status": status,
                     "html": str(page) if page else None, "executed": str(executed) if executed.exists() else None,
                     "figures": [f.name for f in _figures_of(fig_dir, nb.stem)],
                     "seconds": time.perf_counter() - started, "error": err})
        if err:
            error = err
            break
    bar.close()
    table = pd.DataFrame(runs, columns=["notebook", "title", *REPORT_COLUMNS[1:]])
    write_index(out_dir, table, articles, problems, corpus, story, fig_dir, error)
    if error:
        raise ReportError(error + f"\n  pages of the notebooks that ran: {out_dir / INDEX_NAME}")
    return table[REPORT_COLUMNS]
