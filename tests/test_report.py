"""Tests for presslens.report and the `presslens report` command (issue 6): the study re-run on a new corpus.

A new corpus is built in a temporary folder from articles about another story (tests/fixtures/other_story),
through the CLI; the report is run on a tiny fixture notebook (fast, independent of the study's notebooks)
and, marked slow, on the real notebooks/ folder. Also: every notebook opens in JupyterLab as it is.
"""
from __future__ import annotations

import ast
import hashlib
import importlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from presslens.cli import main
from presslens.loader import load_corpus
from presslens.paths import NOTEBOOKS_DIR, TOTALS_NOTEBOOKS_DIR
from presslens.pipeline import analyze, code_version
from notebooks_helper import study_notebook

# `presslens.report` the module (the package exports the function `report` under the same name)
rp = importlib.import_module("presslens.report")

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "other_story"
NB_FIXTURES = HERE / "fixtures" / "notebooks"
STORY = "milwaukee-lead-pipes"
IMG_RE = re.compile(r'<img\b[^>]*\bsrc="data:image/png;base64,[A-Za-z0-9+/=\s]{200,}"')
REMOTE_RE = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)


def snapshot(*folders: Path) -> dict[str, str]:
    """{path: sha256} of every file under the folders."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for f in folders for p in sorted(Path(f).rglob("*")) if p.is_file()}


def build_study(root: Path, notebooks: Path) -> dict:
    """Add the other-story articles to a new corpus and run the report, both through the CLI."""
    corpus, out = root / "corpus", root / "out"
    inputs_before = snapshot(FIXTURES, notebooks)
    add_rc = main(["add", str(FIXTURES), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    corpus_before = snapshot(corpus)
    version = code_version()
    report_rc = main(["report", "--corpus", str(corpus), "--out", str(out), "--notebooks", str(notebooks), "--quiet"])
    return {"corpus": corpus, "out": out, "notebooks": notebooks, "add_rc": add_rc, "report_rc": report_rc,
            "inputs_before": inputs_before, "corpus_before": corpus_before, "code_version": version}


def check_study(study: dict) -> None:
    """What a finished report must hold: a page per notebook with its figures, no errors, inputs untouched."""
    out, notebooks = study["out"], study["notebooks"]
    assert study["add_rc"] == 0
    assert study["report_rc"] == 0
    assert snapshot(FIXTURES, notebooks) == study["inputs_before"]
    assert snapshot(study["corpus"]) == study["corpus_before"]
    index = (out / "index.html").read_text(encoding="utf8")
    for nb in rp.notebook_paths(notebooks):
        page = out / f"{nb.stem}.html"
        assert page.exists(), page
        assert f'href="{nb.stem}.html"' in index
        body = page.read_text(encoding="utf8")
        figures = sorted((out / "figures").glob(nb.stem[:2] + "-*.png"))
        for fig in figures:  # every figure comes with its vector copy and its numbers
            assert fig.with_suffix(".svg").exists() and fig.with_suffix(".csv").exists(), fig
        assert len(IMG_RE.findall(body)) >= len(figures), f"{page.name}: figures not embedded"
        assert not REMOTE_RE.search(body), f"{page.name} loads something from the web"
        assert "Traceback" not in body
        executed = nbformat.read(str(out / nb.name), as_version=4)
        errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, f"{nb.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
        n_code = sum(c.cell_type == "code" for c in executed.cells)
        assert body.count('<details class="pl-code">') == n_code  # every code cell folded, none lost


@pytest.fixture(scope="module")
def fixture_study(tmp_path_factory):
    return build_study(tmp_path_factory.mktemp("study"), NB_FIXTURES)


def test_report_on_a_new_story_writes_every_page_with_its_figures(fixture_study):
    check_study(fixture_study)
    out = fixture_study["out"]
    assert (out / "figures" / "00-articles-per-outlet.png").exists()
    body = (out / "00-articles-per-outlet.html").read_text(encoding="utf8")
    assert len(IMG_RE.findall(body)) == 1
    # the page shows this corpus, not the shipped one
    assert "Milwaukee Journal Sentinel" in body and "CBS News" not in body


def test_index_lists_the_notebooks_and_summarises_the_corpus(fixture_study):
    index = (fixture_study["out"] / "index.html").read_text(encoding="utf8")
    assert "How many articles does each outlet contribute?" in index   # the notebook's question
    for outlet in ("Associated Press", "CNN", "Fox News", "Milwaukee Journal Sentinel", "NPR", "Reuters"):
        assert f"<th>{outlet}</th>" in index
    assert STORY in index
    assert "6 article(s) from 6 outlet(s), dated 2026-02-11 to 2026-02-13" in index
    assert "read without a problem" in index
    assert 'href="figures/00-articles-per-outlet.png"' in index
    assert "../figures" not in index


def test_report_folder_holds_article_pages_and_full_tables(fixture_study):
    import pandas as pd

    out = fixture_study["out"]
    index = (out / "index.html").read_text(encoding="utf8")
    articles = load_corpus(fixture_study["corpus"])
    for aid in articles["article_id"]:
        page = out / "articles" / f"{aid}.html"
        assert page.exists() and f'href="articles/{aid}.html"' in index
        assert not REMOTE_RE.search(page.read_text(encoding="utf8"))
    for name in rp.EXPORTED_TABLES:
        for ext in ("csv", "parquet"):
            assert (out / "tables" / f"{name}.{ext}").exists() and f'href="tables/{name}.{ext}"' in index
    quotes = pd.read_parquet(out / "tables" / "quotes.parquet")
    assert len(quotes) == len(pd.read_csv(out / "tables" / "quotes.csv")) > 0
    q = quotes.iloc[0]
    text = articles.set_index("article_id").loc[q["article_id"], "text"]
    assert text[q["start"]:q["end"]] == q["quote"]
    page = (out / "tables" / "quotes.html").read_text(encoding="utf8")
    assert f'../articles/{q["article_id"]}.html#q-{q["article_id"]}-{q["start"]}-{q["end"]}' in page
    assert not REMOTE_RE.search(page) and "unpkg" not in page
    article_page = (out / "articles" / f'{q["article_id"]}.html').read_text(encoding="utf8")
    assert f'id="q-{q["article_id"]}-{q["start"]}-{q["end"]}"' in article_page
    marker = json.loads((out / rp.MARKER_NAME).read_text(encoding="utf8"))
    assert "index.html" in marker["files"] and rp.foreign_files(out) == []


def test_figures_carry_a_source_line_and_alt_text(fixture_study):
    out = fixture_study["out"]
    svg = (out / "figures" / "00-articles-per-outlet.svg").read_text(encoding="utf8")
    assert "Source: presslens, corpus corpus: 6 articles from 6 outlets" in svg
    body = (out / "00-articles-per-outlet.html").read_text(encoding="utf8")
    assert "No description" not in body
    assert 'alt="Articles per outlet in the corpus. x axis: articles' in body


def test_zip_holds_the_whole_report(fixture_study, tmp_path):
    import zipfile

    out = tmp_path / "copy"
    shutil.copytree(fixture_study["out"], out)
    z = rp.zip_report(out)
    assert z == tmp_path / "copy.zip"
    names = set(zipfile.ZipFile(z).namelist())
    assert {"copy/index.html", "copy/tables/quotes.csv", "copy/figures/00-articles-per-outlet.png"} <= names


def test_notebooks_get_absolute_parameters(fixture_study):
    executed = nbformat.read(str(fixture_study["out"] / "00-articles-per-outlet.ipynb"), as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    src = injected[0].source
    assert f'CORPUS_DIR = "{fixture_study["corpus"]}"' in src
    assert f'FIGURES_DIR = "{fixture_study["out"] / "figures"}"' in src
    assert "STORY = None" in src


def test_report_warms_the_cache_so_no_article_is_parsed_again(fixture_study):
    if code_version() != fixture_study["code_version"]:
        pytest.skip("the analysis code was edited while the tests ran: the cache is rightly invalid")
    parsed = []
    analyze(load_corpus(fixture_study["corpus"]), progress=parsed.append)
    assert parsed == []


def test_after_adding_one_article_only_that_article_is_parsed(fixture_study, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(fixture_study["corpus"], corpus)
    analyze(load_corpus(corpus))  # as after a report (parses only if the code changed since)
    new = tmp_path / "wpr.txt"
    new.write_text(" date 2026-02-14 Milwaukee's plan to replace 62,000 lead pipes starts in April, city officials "
                   "told Wisconsin Public Radio on Friday.\n\n\"We are ready,\" said Karen Dettmer.\n")
    assert main(["add", str(new), "--corpus", str(corpus), "--new-corpus", "--outlet", "Wisconsin Public Radio"]) == 0
    parsed = []
    analyze(load_corpus(corpus), progress=parsed.append)
    assert len(parsed) == 1


def test_skipped_files_are_listed_in_the_index(tmp_path):
    corpus = tmp_path / "corpus"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    (corpus / STORY / "notes.docx").write_bytes(b"PK\x03\x04")
    articles, problems = rp._load(corpus, None)
    page = rp.write_index(tmp_path, rp.pd.DataFrame(columns=["notebook", "title", *rp.REPORT_COLUMNS[1:]]),
                          articles, problems, corpus, None, tmp_path / "figures")
    html = page.read_text(encoding="utf8")
    assert "notes.docx" in html and "not an article file" in html and "skipped" in html




def test_a_failing_notebook_stops_the_run_naming_notebook_cell_and_error(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-runs.ipynb", "print(CORPUS_DIR)")
    study_notebook(nbs / "01-breaks.ipynb", "coverage = {'CNN': 1}\ncoverage['Reuters']")
    study_notebook(nbs / "02-after.ipynb")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    (out / "figures").mkdir(parents=True)
    (out / "02-after.html").write_text("a page from an earlier run")
    for name in ("00-old-figure.png", "00-old-figure.csv", "02-old.png"):
        (out / "figures" / name).write_text("from an earlier run")
    with pytest.raises(rp.ReportError) as err:
        rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False)
    msg = str(err.value)
    assert "01-breaks.ipynb" in msg and "failed at cell" in msg
    assert "KeyError" in msg and "'Reuters'" in msg and "coverage['Reuters']" in msg
    assert (out / "00-runs.html").exists()                  # what ran is kept
    assert (out / "01-breaks.html").exists()                # the failure can be read
    assert not (out / "02-after.html").exists()             # never run: no stale page left either
    assert sorted(p.name for p in (out / "figures").iterdir()) == []   # the earlier run's figures are gone
    assert not list(tmp_path.glob(".out.*"))                # no draft folder left beside it
    index = (out / "index.html").read_text(encoding="utf8")
    assert "The run stopped" in index and "failed" in index and "02-after" not in index


def test_cli_report_failure_exit_status(tmp_path, capsys):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-breaks.ipynb", "1 / 0")
    corpus = tmp_path / "corpus"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    rc = main(["report", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--notebooks", str(nbs), "--quiet"])
    assert rc == 1
    err = capsys.readouterr().err
    assert "00-breaks.ipynb" in err and "ZeroDivisionError" in err


@pytest.mark.parametrize("case,expected", [("unknown story", "not in"), ("empty corpus", "no articles"),
                                           ("no notebooks", "no notebooks"), ("no corpus", "does not exist"),
                                           ("out is the notebooks folder", "would replace the notebooks")])
def test_report_refuses_what_it_cannot_run(tmp_path, case, expected):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if case in ("unknown story", "no notebooks"):
        main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    kw = {"corpus": corpus, "out": tmp_path / "out", "notebooks_dir": NB_FIXTURES, "progress": False}
    if case == "unknown story":
        kw["story"] = "storm"
    if case == "no notebooks":
        kw["notebooks_dir"] = tmp_path
    if case == "no corpus":
        kw["corpus"] = tmp_path / "nowhere"
    if case == "out is the notebooks folder":
        kw["out"] = NB_FIXTURES
    before = snapshot(NB_FIXTURES)
    with pytest.raises(rp.ReportError, match=expected):
        rp.report(**kw)
    assert snapshot(NB_FIXTURES) == before


def test_story_is_passed_to_the_notebooks(tmp_path):
    corpus = tmp_path / "corpus"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    main(["add", str(FIXTURES / "npr_lead_pipes.html"), "--corpus", str(corpus), "--new-corpus", "--story", "other-story"])
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-story.ipynb", "import presslens as pl\narticles = pl.load_corpus(CORPUS_DIR)\n"
              "assert STORY == 'other-story'")
    runs = rp.report(corpus=corpus, story="other-story", out=tmp_path / "out", notebooks_dir=nbs, progress=False)
    assert runs["status"].tolist() == ["ok"]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf8")
    assert "1 article(s) from 1 outlet(s)" in index and "<th>NPR</th>" in index and "Associated Press" not in index


@pytest.mark.parametrize("where", ["corpus", "inside corpus", "holds corpus", "user files"])
def test_report_never_writes_over_user_files(tmp_path, where):
    corpus = tmp_path / "corpus"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    out = {"corpus": corpus, "inside corpus": corpus / STORY, "holds corpus": tmp_path,
           "user files": tmp_path / "mine"}[where]
    if where == "user files":
        out.mkdir()
        (out / "notes.txt").write_text("my notes")
        (out / "index.html").write_text("an old report page")
    before = snapshot(tmp_path)
    with pytest.raises(rp.ReportError, match="corpus folder|did not write"):
        rp.report(corpus=corpus, out=out, notebooks_dir=NB_FIXTURES, progress=False)
    assert snapshot(tmp_path) == before


def test_a_killed_run_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    out.mkdir()
    (out / "index.html").write_text('<a href="00-x.html">x</a>')
    (out / "00-x.html").write_text("the previous run's page")
    before = snapshot(out)

    def killed(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(rp, "write_evidence", killed)
    with pytest.raises(KeyboardInterrupt):
        rp.report(corpus=corpus, out=out, notebooks_dir=NB_FIXTURES, progress=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]   # no draft left behind


# --- notebooks open in JupyterLab as they are ----------------------------------------------------

ABSOLUTE_PATH_RE = re.compile(r"""["'](?:/(?:work|home|tmp|root|Users|usr|var|mnt|opt|srv)\b[^"']*|[A-Za-z]:\\[^"']*|~/[^"']*)["']""")
ALL_NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(TOTALS_NOTEBOOKS_DIR.glob("*.ipynb")) + \
    sorted(NB_FIXTURES.glob("*.ipynb"))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[p.name for p in ALL_NOTEBOOKS])
def test_notebook_opens_in_jupyterlab_as_it_is(path):
    raw = json.loads(path.read_text(encoding="utf8"))
    nb = nbformat.reads(json.dumps(raw), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == rp.KERNEL_NAME
    assert re.match(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$", path.name), "name it NN-what-it-shows.ipynb"
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        assert not c.get("outputs"), f"{path.name}: committed with outputs"
        assert c.get("execution_count") is None, f"{path.name}: committed with execution counts"
    for c in nb.cells:
        assert not ABSOLUTE_PATH_RE.search(c.source), f"{path.name}: absolute path in {c.source[:80]!r}"
        assert "matplotlib.use(" not in c.source, f"{path.name}: matplotlib.use drops figures from the HTML"
    assert nb.cells[0].cell_type == "markdown"
    params = code[0]
    assert "parameters" in params.metadata.get("tags", []), f"{path.name}: first code cell must be tagged parameters"
    values = {}
    for node in ast.parse(params.source).body:  # upper-case names bound to literals, nothing else
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.unparse(node)
        name = node.targets[0].id
        assert name.isupper(), name
        values[name] = ast.literal_eval(node.value)
    assert {"CORPUS_DIR", "FIGURES_DIR", "STORY"} <= set(values)
    assert values["STORY"] is None
    for key in ("CORPUS_DIR", "FIGURES_DIR"):
        assert not Path(values[key]).is_absolute(), f"{path.name}: {key} must be relative"
        assert (path.parent / values[key]).resolve().name in ("corpus", "figures")


# --- the real study, end to end, on a new story (slow: runs every notebook) ----------------------

@pytest.mark.slow
def test_real_notebooks_rerun_on_a_new_story(tmp_path_factory):
    if not rp.notebook_paths(NOTEBOOKS_DIR):
        pytest.skip("no notebooks/NN-*.ipynb yet")
    study = build_study(tmp_path_factory.mktemp("real-study"), NOTEBOOKS_DIR)
    check_study(study)


TOTALS_FIGURES = ["articles-per-outlet", "gender-shares", "grade-level-by-outlet", "share-negative-neutral-positive",
                  "share-of-articles-naming", "share-of-voice", "speaker-types"]


def test_a_report_of_the_totals_charts_the_store_and_exports_every_row(tmp_path):
    """`presslens report --totals`: the study built story by story into the store, the totals notebook's
    charts, every row of the study's tables exported from the store (the same rows `pl.tables` holds), no
    article pages, the corpus untouched; a second run takes everything over from the first."""
    import pandas as pd

    from presslens.study import tables

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    assert main(["add", str(FIXTURES), "--corpus", str(corpus), "--new-corpus", "--story", STORY]) == 0
    before = snapshot(corpus)
    assert main(["report", "--corpus", str(corpus), "--out", str(out), "--totals", "--quiet"]) == 0
    assert snapshot(corpus) == before
    page = (out / "20-outlet-totals.html").read_text(encoding="utf8")
    assert len(IMG_RE.findall(page)) >= len(TOTALS_FIGURES) and not REMOTE_RE.search(page)
    assert "Traceback" not in page
    assert sorted(p.name for p in (out / "figures").glob("*.png")) == [f"20-{s}.png" for s in TOTALS_FIGURES]
    assert not (out / "articles").exists()
    t = tables(load_corpus(corpus))
    for name in ("mentions", "quotes", "sentences", "readability"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / "tables" / f"{name}.parquet"),
                                      rp._exportable(getattr(t, name)), check_dtype=False)
    index = (out / "index.html").read_text(encoding="utf8")
    assert "no article pages" in index and 'href="tables/mentions.parquet"' in index
    assert "links to the words it counts" not in index
    again = rp.report(corpus=corpus, out=out, totals=True, progress=False)
    assert again["reused"].all()


def test_kernels_stop_without_an_error_on_the_terminal(tmp_path, capfd):
    """A finished notebook's kernel is shut down, not interrupted first: nothing like
    "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel" reaches the user's terminal."""
    corpus = tmp_path / "corpus"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-quiet.ipynb", "import presslens as pl\narticles = pl.load_corpus(CORPUS_DIR)")
    capfd.readouterr()
    runs = rp.report(corpus=corpus, out=tmp_path / "out", notebooks_dir=nbs, progress=False)
    assert runs["status"].tolist() == ["ok"]
    err = capfd.readouterr().err
    assert "KeyboardInterrupt" not in err and "ERROR" not in err, err


def test_notebooks_run_one_a_core_and_articles_are_parsed_on_no_more_processes_than_cores(monkeypatch):
    monkeypatch.delenv(rp.JOBS_ENV, raising=False)
    monkeypatch.delenv(rp.PROCESSES_ENV, raising=False)
    for cores, jobs, parsers in ((1, 1, 1), (2, 2, 2), (8, rp.MAX_JOBS, rp.MAX_JOBS)):
        monkeypatch.setattr(rp, "_cores", lambda cores=cores: cores)
        assert rp.jobs_default() == jobs and rp.parse_processes(rp.jobs_default()) == parsers
    monkeypatch.setattr(rp, "_cores", lambda: 2)
    assert rp.parse_processes(1) == 1                                  # --jobs 1: one process
    monkeypatch.setenv(rp.JOBS_ENV, "5")
    assert rp.jobs_default() == 5 and rp.parse_processes(5) == 2       # never more parsers than cores
    monkeypatch.setenv(rp.PROCESSES_ENV, "4")
    assert rp.parse_processes(5) is None                               # PRESSLENS_PROCESSES decides
