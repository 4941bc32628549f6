"""Tests for presslens.report_reuse and presslens.notebook_run: a report re-run rewrites only what changed,
and notebooks run several at once yet stop at the first failure in reading order.

Article pages and tables are written from small tables built here (no kernel); the end-to-end runs use a tiny
notebook on one fixture article. Timing is not asserted here (benchmarks/bench.py measures it)."""
from __future__ import annotations

import importlib
import json
import re
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from presslens import report_reuse as reuse
from presslens.cli import main
from presslens.notebook_run import IPCKernelManager, NotebookTask, Outcome, run_all
from notebooks_helper import study_notebook

rp = importlib.import_module("presslens.report")

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "other_story"
NB_FIXTURES = HERE / "fixtures" / "notebooks"
STORY = "lead-pipes"
TEXTS = {"a1": 'The mayor said the pipes "will be gone by spring." Crews began work on Monday.',
         "a2": "The utility named three streets. Residents asked for water filters."}


def study(quote_end: int = 49) -> SimpleNamespace:
    """Tables of two articles; `quote_end` moves the end of article a1's one quote."""
    arts = pd.DataFrame([{"article_id": a, "outlet": o, "title": f"Article {a}", "date": pd.Timestamp("2026-02-03"),
                          "path": f"s/{a}.txt", "url": "", "n_words": len(t.split()), "text": t, "raw_text": t,
                          "offset_map": [[0, 0, len(t)]], "furniture": []}
                         for (a, t), o in zip(TEXTS.items(), ("Daily Test", "Evening Test"))])
    quotes = pd.DataFrame([{"article_id": "a1", "outlet": "Daily Test", "quote": TEXTS["a1"][24:quote_end],
                            "start": 24, "end": quote_end, "kind": "direct", "cue": "said", "speaker": "the mayor",
                            "speaker_entity": "", "speaker_type": "local government"}])
    mentions = pd.DataFrame([{"article_id": "a2", "outlet": "Evening Test", "entity": "Residents", "label": "NORP",
                              "surface": "Residents", "start": 33, "end": 42}])
    sentences = pd.DataFrame([{"article_id": a, "outlet": "x", "sentence": 0, "start": 0, "end": len(t) // 2,
                               "compound": 0.1, "tone": "positive", "voice": "narration", "entities": ["x"],
                               "text": t[: len(t) // 2]} for a, t in TEXTS.items()])
    readability = pd.DataFrame([{"article_id": a, "outlet": "x", "flesch_reading_ease": 60.0} for a in TEXTS])
    return SimpleNamespace(articles=arts, quotes=quotes, mentions=mentions, sentences=sentences,
                           readability=readability)


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def write(old: Path, new: Path, tabs, base: str = "code-1") -> reuse.Ledger:
    ledger = reuse.Ledger(old, new, reuse.previous_units(old, rp.MARKER_NAME))
    new.mkdir()
    rp.write_evidence(new, tabs, ledger, base)
    (new / rp.MARKER_NAME).write_text(json.dumps({"units": ledger.as_json()}), encoding="utf8")
    return ledger


def test_unchanged_pages_are_taken_over_and_a_changed_article_is_rewritten(tmp_path):
    first = tmp_path / "first"
    ledger = write(tmp_path / "none", first, study())
    assert not ledger.reused
    assert {"articles/a1.html", "articles/a2.html", "tables/quotes"} <= set(ledger.units)
    before = inodes(first)

    same = tmp_path / "same"
    ledger = write(first, same, study())
    assert ledger.reused == set(ledger.units)                  # nothing written again
    now = {k: v for k, v in inodes(same).items() if k != rp.MARKER_NAME}
    assert now == {k: v for k, v in before.items() if k != rp.MARKER_NAME}   # the very same files (hard links)

    changed = tmp_path / "changed"
    ledger = write(same, changed, study(quote_end=50))         # article a1's quote now ends a character later
    assert "articles/a1.html" not in ledger.reused and "tables/quotes" not in ledger.reused
    assert {"articles/a2.html", "tables/mentions", "tables/readability"} <= ledger.reused
    now = inodes(changed)
    assert now["articles/a1.html"] != before["articles/a1.html"]
    assert now["articles/a2.html"] == before["articles/a2.html"]
    assert 'id="q-a1-24-50"' in (changed / "articles" / "a1.html").read_text(encoding="utf8")
    fresh = tmp_path / "fresh"
    write(tmp_path / "none", fresh, study(quote_end=50))       # what a first run writes from the same tables
    for rel in now:
        if rel != rp.MARKER_NAME:
            assert (changed / rel).read_bytes() == (fresh / rel).read_bytes(), rel


def test_a_code_change_or_an_edited_file_is_written_again(tmp_path):
    first = tmp_path / "first"
    write(tmp_path / "none", first, study())
    page = first / "articles" / "a2.html"
    page.write_text(page.read_text(encoding="utf8").replace("Residents", "Someone"), encoding="utf8")
    again = tmp_path / "again"
    ledger = write(first, again, study())
    assert "articles/a2.html" not in ledger.reused and "articles/a1.html" in ledger.reused
    assert "Someone" not in (again / "articles" / "a2.html").read_text(encoding="utf8")
    other = tmp_path / "other"
    assert not write(again, other, study(), base="code-2").reused


def test_a_marker_naming_files_outside_the_folder_is_not_followed(tmp_path):
    first = tmp_path / "first"
    write(tmp_path / "none", first, study())
    secret = tmp_path / "secret.txt"
    secret.write_text("not the report's")
    marker = json.loads((first / rp.MARKER_NAME).read_text(encoding="utf8"))
    unit = marker["units"]["articles/a1.html"]
    unit["files"]["../../secret.txt"] = reuse.sha256_file(secret)
    (first / rp.MARKER_NAME).write_text(json.dumps(marker), encoding="utf8")
    again = tmp_path / "again"
    ledger = write(first, again, study())
    assert "articles/a1.html" not in ledger.reused and "articles/a2.html" in ledger.reused
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "first", "secret.txt"]


def test_keys_follow_the_rows_not_the_row_objects():
    a, b = study(), study()
    assert reuse.article_keys("k", a) == reuse.article_keys("k", b)
    b.sentences.loc[1, "entities"] = ["y"]                      # a list value changed in article a2's rows
    ka, kb = reuse.article_keys("k", a), reuse.article_keys("k", b)
    assert ka["a1"] == kb["a1"] and ka["a2"] != kb["a2"]
    assert reuse.table_key("k", "quotes", a.quotes) != reuse.table_key("k", "quotes", study(50).quotes)


def test_tree_digest_sees_new_hidden_and_linked_files(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "a.txt").write_text("one")
    d0 = reuse.tree_digest(tmp_path)
    (tmp_path / "s" / ".draft.txt").write_text("two")
    d1 = reuse.tree_digest(tmp_path)
    (tmp_path / "s" / "b.txt").symlink_to(tmp_path / "s" / "a.txt")
    d2 = reuse.tree_digest(tmp_path)
    assert len({d0, d1, d2}) == 3
    assert reuse.tree_digest(tmp_path) == d2


# --- notebooks at once --------------------------------------------------------------------------

def _tasks(tmp_path, n):
    return [NotebookTask(tmp_path / f"{i:02d}-n.ipynb", tmp_path / f"{i:02d}-n.out.ipynb", tmp_path / f"{i:02d}.html",
                         {}) for i in range(n)]


def test_concurrent_runs_stop_at_the_first_failure_in_reading_order(tmp_path):
    failed, started = threading.Event(), []

    def run(task):
        started.append(task.notebook.name)
        if task.notebook.name.startswith("00"):
            failed.wait(5)       # still running when 01 fails
            return Outcome("ok", None, 0.0, None)
        if task.notebook.name.startswith("01"):
            failed.set()
            return Outcome("failed", None, 0.0, "notebook 01-n.ipynb failed at cell 3")
        return Outcome("ok", None, 0.0, None)

    kept, extra = run_all(_tasks(tmp_path, 4), run, jobs=2, meanwhile=lambda: "pages written")
    assert [(t.notebook.name, o.status) for t, o in kept] == [("00-n.ipynb", "ok"), ("01-n.ipynb", "failed")]
    assert extra == "pages written"
    assert "03-n.ipynb" not in started                        # nothing starts after a failure


def test_notebooks_run_at_the_same_time(tmp_path):
    running, most = [0], [0]
    lock = threading.Lock()

    def run(task):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return Outcome("ok", None, 0.3, None)

    kept, _ = run_all(_tasks(tmp_path, 4), run, jobs=2)
    assert [t.notebook.name for t, _ in kept] == [f"{i:02d}-n.ipynb" for i in range(4)]
    assert most[0] == 2


def test_an_interrupted_run_starts_nothing_more(tmp_path):
    started = []

    def run(task):
        started.append(task.notebook.name)
        time.sleep(0.2)
        return Outcome("ok", None, 0.2, None)

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_all(_tasks(tmp_path, 6), run, jobs=2, meanwhile=interrupted)
    assert len(started) <= 2


def test_kernels_started_together_use_different_sockets():
    assert IPCKernelManager().ip != IPCKernelManager().ip


def _plain_notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_a_running_notebook_is_not_rewritten_at_every_cell_yet_a_failure_is_kept(tmp_path, monkeypatch):
    import papermill.engines
    from presslens import notebook_run

    writes = []
    real = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path: (writes.append(path), real(nb, path)))
    ok = _plain_notebook(tmp_path / "00-ok.ipynb", *[f"x{i} = {i}" for i in range(8)])
    task = NotebookTask(ok, tmp_path / "out" / ok.name, tmp_path / "out" / "00-ok.html", {})
    (tmp_path / "out").mkdir()
    outcome = notebook_run.execute(task, tmp_path / "out", tmp_path / "out", "python3", tmp_path, 120, tmp_path)
    assert outcome.status == "ok"
    assert len(writes) <= 1      # papermill alone would write it twice a cell: 16 times
    done = nbformat.read(str(task.executed), as_version=4)
    assert [c.execution_count for c in done.cells] == list(range(1, 9))

    writes.clear()
    bad = _plain_notebook(tmp_path / "01-bad.ipynb", "a = 1", "print('before')", "{}['missing']", "b = 2")
    task = NotebookTask(bad, tmp_path / "out" / bad.name, tmp_path / "out" / "01-bad.html", {})
    outcome = notebook_run.execute(task, tmp_path / "out", tmp_path / "out", "python3", tmp_path, 120, tmp_path)
    assert outcome.status == "failed" and "KeyError" in outcome.error and writes
    kept = {c.source: c for c in nbformat.read(str(task.executed), as_version=4).cells}  # on disk, to the failure
    assert kept["print('before')"].outputs[0]["text"].strip() == "before"
    assert any(o.get("ename") == "KeyError" for o in kept["{}['missing']"].outputs) and not kept["b = 2"].outputs


def test_a_notebook_whose_kernel_dies_leaves_its_cells_so_far(tmp_path):
    from presslens import notebook_run

    nb = _plain_notebook(tmp_path / "00-dies.ipynb", "print('first')", "import os; os._exit(1)", "b = 2")
    (tmp_path / "out").mkdir()
    task = NotebookTask(nb, tmp_path / "out" / nb.name, tmp_path / "out" / "00-dies.html", {})
    outcome = notebook_run.execute(task, tmp_path / "out", tmp_path / "out", "python3", tmp_path, 120, tmp_path)
    assert outcome.status == "failed"
    kept = {c.source: c for c in nbformat.read(str(task.executed), as_version=4).cells}
    assert kept["print('first')"].outputs[0]["text"].strip() == "first"


class _FakeKernel:
    """Stands for a kernel started ahead: records its shutdown."""

    def __init__(self, name, stopped):
        self.name, self.stopped = name, stopped

    async def shutdown_kernel(self, now=False):
        self.stopped.append(self.name)


def _wait_for(predicate, seconds=10.0):
    end = time.monotonic() + seconds
    while not predicate() and time.monotonic() < end:
        time.sleep(0.01)
    return predicate()


def test_the_first_kernels_start_once_the_build_says_ready_and_every_notebook_waits_for_the_build(tmp_path):
    events, lock = [], threading.Lock()

    def note(*what):
        with lock:
            events.append(what)

    def prestart(task):
        note("prestart", task.notebook.name)
        return _FakeKernel(task.notebook.name, [])

    def run(task, kernel=None):
        note("run", task.notebook.name, kernel.name if kernel else None)
        return Outcome("ok", None, 0.0, None)

    def before(ready):
        note("build starts")
        time.sleep(0.2)
        assert not any(e[0] == "prestart" for e in events)  # no kernel before the parse is done
        ready()
        assert _wait_for(lambda: sum(e[0] == "prestart" for e in events) == 2)
        time.sleep(0.1)
        assert not any(e[0] == "run" for e in events)  # no notebook before its tables are built
        note("build ends")

    kept, extra = run_all(_tasks(tmp_path, 4), run, jobs=2, before=before, prestart=prestart,
                          meanwhile=lambda: "pages written")
    assert [t.notebook.name for t, _ in kept] == [f"{i:02d}-n.ipynb" for i in range(4)] and extra == "pages written"
    assert sorted(e[1] for e in events if e[0] == "prestart") == ["00-n.ipynb", "01-n.ipynb"]  # one a lane
    runs = {e[1]: e[2] for e in events if e[0] == "run"}
    assert runs == {"00-n.ipynb": "00-n.ipynb", "01-n.ipynb": "01-n.ipynb", "02-n.ipynb": None, "03-n.ipynb": None}
    assert events.index(("build ends",)) < min(i for i, e in enumerate(events) if e[0] == "run")


def test_a_failed_build_stops_the_kernels_started_ahead_and_runs_no_notebook(tmp_path):
    stopped, ran = [], []

    def before(ready):
        ready()
        assert _wait_for(lambda: len(started) == 2)
        raise RuntimeError("the build failed")

    started = []
    with pytest.raises(RuntimeError, match="the build failed"):
        run_all(_tasks(tmp_path, 3), lambda t, kernel=None: ran.append(t) or Outcome("ok", None, 0.0, None), jobs=2,
                before=before, prestart=lambda t: started.append(t) or _FakeKernel(t.notebook.name, stopped))
    assert not ran and sorted(stopped) == ["00-n.ipynb", "01-n.ipynb"]


def test_notebook_modules_lists_what_the_code_cells_import(tmp_path):
    from presslens.notebook_run import notebook_modules

    nb = _plain_notebook(tmp_path / "00-m.ipynb", "import json\nimport email.mime as em",
                         "%matplotlib inline\nimport abc",
                         "from collections import abc, OrderedDict\nfrom . import sibling\nfrom os.path import *",
                         "def f():\n    import colorsys\n    return colorsys")
    assert notebook_modules(nb) == ["json", "email.mime", "collections", "collections.abc", "collections.OrderedDict",
                                    "os.path", "colorsys"]
    assert notebook_modules(tmp_path / "missing.ipynb") == []


def test_a_kernel_started_ahead_runs_its_notebook_from_the_first_cell_and_is_shut_down(tmp_path):
    from jupyter_core.utils import run_sync

    from presslens import notebook_run

    nb = _plain_notebook(tmp_path / "00-pre.ipynb", "import sys\nprint('colorsys' in sys.modules)", "import colorsys",
                         "print(sorted(k for k in globals() if 'presslens' in k or k.startswith('_i') and len(k) > 4))",
                         "import no_such_module_here")
    (tmp_path / "out").mkdir()
    task = NotebookTask(nb, tmp_path / "out" / nb.name, tmp_path / "out" / "00-pre.html", {})
    km = notebook_run.prestart_kernel(nb, "python3", tmp_path, tmp_path)
    assert km is not None and run_sync(km.is_alive)()
    outcome = notebook_run.execute(task, tmp_path / "out", tmp_path / "out", "python3", tmp_path, 120, tmp_path,
                                   kernel=km)
    done = [c for c in nbformat.read(str(task.executed), as_version=4).cells if c.cell_type == "code"]
    assert [c.execution_count for c in done] == [1, 2, 3, 4]  # the imports ahead counted nothing
    assert done[0].outputs[0]["text"].strip() == "True"       # imported before the first cell
    assert done[2].outputs[0]["text"].strip() == "[]"          # and bound no name
    assert outcome.status == "failed" and "ModuleNotFoundError" in outcome.error  # a failed import is the cell's
    assert not run_sync(km.is_alive)()


# --- end to end on a tiny notebook --------------------------------------------------------------



def _normalised(folder: Path) -> dict[str, bytes]:
    """Every file of a report, with what differs from run to run by design removed: the index's time of
    writing and run table (seconds, "unchanged"), papermill's timings in the executed notebooks, matplotlib's
    date in the SVGs, the marker."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or rel == rp.MARKER_NAME:
            continue
        data = p.read_bytes()
        if rel == rp.INDEX_NAME:
            data = re.sub(rb"Generated [^U]+UTC|<table class=.runs.>.*?</table>", b"", data, flags=re.S)
        elif rel.endswith(".ipynb"):
            data = re.sub(rb'"(start_time|end_time|duration|iopub\.[\w.]+|shell\.[\w.]+)": [^,\n}]+', b"", data)
        elif rel.endswith(".svg"):
            data = re.sub(rb"<dc:date>[^<]*</dc:date>", b"", data)
        out[rel] = data
    return out


def test_a_second_report_rewrites_nothing_and_equals_a_fresh_one(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-outlets.ipynb", "import presslens as pl\nt = pl.tables(pl.load_corpus(CORPUS_DIR))\n"
              "pl.table(t.quotes)")
    study_notebook(nbs / "01-count.ipynb", "import presslens as pl\nprint(len(pl.load_corpus(CORPUS_DIR)))")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    first = rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False)
    assert first["reused"].tolist() == [False, False]
    before, files = inodes(out), _normalised(out)

    second = rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False)
    assert second["reused"].tolist() == [True, True] and second["status"].tolist() == ["ok", "ok"]
    after = inodes(out)
    assert {k: v for k, v in after.items() if k not in (rp.INDEX_NAME, rp.MARKER_NAME)} == \
        {k: v for k, v in before.items() if k not in (rp.INDEX_NAME, rp.MARKER_NAME)}   # not one file rewritten
    assert _normalised(out) == files
    assert "ok (unchanged)" in (out / rp.INDEX_NAME).read_text(encoding="utf8")

    nb = nbformat.read(str(nbs / "01-count.ipynb"), as_version=4)   # one notebook edited: only it runs again
    nb.cells[-1].source += "\nprint('edited')"
    nbformat.write(nb, str(nbs / "01-count.ipynb"))
    third = rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False)
    assert third["reused"].tolist() == [True, False]
    assert inodes(out)["00-outlets.html"] == before["00-outlets.html"]
    assert "edited" in (out / "01-count.html").read_text(encoding="utf8")

    fresh = rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False, rerun=True)
    assert fresh["reused"].tolist() == [False, False]
    assert inodes(out)["00-outlets.html"] != before["00-outlets.html"]
    again = _normalised(out)
    for rel in ("00-outlets.html", "00-outlets.ipynb", *(r for r in files if r.startswith(("articles/", "tables/")))):
        assert again[rel] == files[rel], rel                                 # rewritten, and the same


def test_a_new_article_runs_every_notebook_again(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-n.ipynb", "import presslens as pl\nprint(len(pl.load_corpus(CORPUS_DIR)))")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False)
    pages = set(inodes(out))
    main(["add", str(FIXTURES / "npr_lead_pipes.html"), "--corpus", str(corpus), "--story", STORY])
    runs = rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False)
    assert runs["reused"].tolist() == [False]
    assert "2" in "".join(o.get("text", "") for c in nbformat.read(str(out / "00-n.ipynb"), as_version=4).cells
                          if c.cell_type == "code" for o in c.outputs)
    assert len([p for p in inodes(out) if p.startswith("articles/")]) == \
        len([p for p in pages if p.startswith("articles/")]) + 1


def test_a_failure_while_another_notebook_runs_keeps_only_what_came_before(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    study_notebook(nbs / "00-slow.ipynb", "import time\ntime.sleep(4)")
    study_notebook(nbs / "01-breaks.ipynb", "shares = {'CNN': 1}\nshares['Reuters']")
    study_notebook(nbs / "02-quick.ipynb", "print('ran')")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    main(["add", str(FIXTURES / "ap_lead_pipes.txt"), "--corpus", str(corpus), "--new-corpus", "--story", STORY])
    with pytest.raises(rp.ReportError) as err:
        rp.report(corpus=corpus, out=out, notebooks_dir=nbs, progress=False, jobs=2)
    msg = str(err.value)
    assert "01-breaks.ipynb" in msg and "failed at cell" in msg and "KeyError" in msg and "shares['Reuters']" in msg
    assert (out / "00-slow.html").exists() and (out / "01-breaks.html").exists()
    assert not (out / "02-quick.html").exists() and not (out / "02-quick.ipynb").exists()
    marker = json.loads((out / rp.MARKER_NAME).read_text(encoding="utf8"))
    assert set(marker["units"]) & {"notebooks/01-breaks.ipynb", "notebooks/02-quick.ipynb"} == set()
    assert "notebooks/00-slow.ipynb" in marker["units"]


def test_the_notebook_runner_loads_without_the_iri_grammar_and_leaves_it_importable():
    import subprocess
    import sys

    code = ("import sys; import presslens.notebook_run; assert 'rfc3987_syntax' not in sys.modules; "
            "import nbformat; nbformat.validate(nbformat.v4.new_notebook()); import rfc3987_syntax; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
