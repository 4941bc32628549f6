"""A corpus load is kept and read back the same, and any change to what the load reads loads it afresh."""
from __future__ import annotations

import os
import warnings

import pandas as pd
import pytest

from presslens import corpus_cache, loader
from presslens.loader import CorpusError, load_corpus_report

ARTICLE = """---
outlet: Harbor Ledger
date: 2026-02-0{day}
title: Port budget vote {day}
---
{body}
"""
BODIES = [
    'The port authority voted on Tuesday to raise docking fees. "We had no other choice," said Mara Quill, its chair.',
    "Harbor pilots warned that the new fees would hurt the small fishing boats that tie up along the east quay.",
    "A ferry operator told the council his crossings would cost riders more by the summer, if the plan holds.",
    "The city budget office published figures showing the port ran a deficit in each of the last four years.",
]


def _article(day: int) -> str:
    return ARTICLE.format(day=day, body=BODIES[day % len(BODIES)])


def _corpus(folder, n=3):
    story = folder / "port-budget"
    story.mkdir(parents=True)
    for day in range(1, n + 1):
        (story / f"a{day}.txt").write_text(_article(day), encoding="utf8")
    return folder


def _no_reading(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the corpus was loaded again")
    monkeypatch.setattr(loader, "read_article", refuse)


def test_a_second_load_reads_the_kept_copy_and_gives_the_same_tables(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    first, problems = load_corpus_report(corpus)
    _no_reading(monkeypatch)
    again, problems_again = load_corpus_report(corpus)
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(problems_again, problems)
    assert again.attrs == first.attrs
    assert [type(v) for v in again["offset_map"].iloc[0]] == [type(v) for v in first["offset_map"].iloc[0]]


def test_an_edit_that_keeps_size_and_time_loads_afresh(tmp_path):
    corpus = _corpus(tmp_path / "c")
    first = load_corpus_report(corpus)[0]
    f = corpus / "port-budget" / "a1.txt"
    st = f.stat()
    f.write_text(f.read_text(encoding="utf8").replace("fishing", "sailing"), encoding="utf8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: only the bytes differ
    assert f.stat().st_size == st.st_size
    again = load_corpus_report(corpus)[0]
    assert "sailing" in again.loc[again["path"].str.endswith("a1.txt"), "text"].iloc[0]
    assert "fishing" in first.loc[first["path"].str.endswith("a1.txt"), "text"].iloc[0]


def test_new_and_removed_files_load_afresh(tmp_path):
    corpus = _corpus(tmp_path / "c")
    assert len(load_corpus_report(corpus)[0]) == 3
    (corpus / "port-budget" / "a3.txt").unlink()
    assert len(load_corpus_report(corpus)[0]) == 2
    (corpus / "port-budget" / "a9.txt").write_text(_article(4), encoding="utf8")
    assert len(load_corpus_report(corpus)[0]) == 3


def test_a_kept_load_warns_its_problems_again(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    (corpus / "port-budget" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "port-budget" / ".draft.txt").write_text("hidden", encoding="utf8")
    with pytest.warns(UserWarning) as first:
        _, problems = load_corpus_report(corpus)
    _no_reading(monkeypatch)
    with pytest.warns(UserWarning) as again:
        _, problems_again = load_corpus_report(corpus)
    assert sorted(str(w.message) for w in again) == sorted(str(w.message) for w in first)
    assert len(problems_again) == len(problems) == 2


def test_a_new_hidden_file_is_a_new_problem(tmp_path):
    corpus = _corpus(tmp_path / "c")
    assert load_corpus_report(corpus)[1].empty
    (corpus / "port-budget" / ".draft.txt").write_text("hidden", encoding="utf8")
    with pytest.warns(UserWarning, match="hidden"):
        problems = load_corpus_report(corpus)[1]
    assert problems["problem"].str.contains("hidden").any()


def test_a_strict_load_never_uses_the_kept_copy(tmp_path):
    corpus = _corpus(tmp_path / "c")
    (corpus / "port-budget" / "notes.pdf").write_bytes(b"%PDF-1.4")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_corpus_report(corpus)
    with pytest.raises(CorpusError, match="notes.pdf"):
        load_corpus_report(corpus, strict=True)


def test_a_damaged_copy_warns_and_loads_afresh(tmp_path):
    corpus = _corpus(tmp_path / "c")
    first = load_corpus_report(corpus)[0]
    kept = list((corpus_cache.paths.CACHE_DIR / corpus_cache.FOLDER).glob("*.pkl"))
    root_prefix = corpus_cache._path(corpus.resolve(), "x").name.split("-")[0]
    mine = [p for p in kept if p.name.startswith(root_prefix)]
    assert len(mine) == 1  # one copy per folder
    mine[0].write_bytes(b"not a pickle")
    with pytest.warns(RuntimeWarning, match="cannot be read"):
        again = load_corpus_report(corpus)[0]
    pd.testing.assert_frame_equal(again, first)


def test_another_folder_with_the_same_files_is_its_own_load(tmp_path):
    a = _corpus(tmp_path / "a")
    b = _corpus(tmp_path / "b")
    assert load_corpus_report(a)[0].attrs["corpus_dir"] == str(a.resolve())
    assert load_corpus_report(b)[0].attrs["corpus_dir"] == str(b.resolve())


def test_the_key_is_the_same_from_any_working_folder(tmp_path):
    """A notebook's kernel runs in notebooks/, the report elsewhere: both must find the same kept load."""
    import subprocess
    import sys

    corpus = _corpus(tmp_path / "c").resolve()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "someproject-1.0.dist-info").mkdir(parents=True)  # what an editable install leaves in a checkout
    code = ("import sys; from pathlib import Path; from presslens import corpus_cache, loader; "
            "root = Path(sys.argv[1]); print(corpus_cache.corpus_key(root, loader.corpus_files(root), []))")
    keys = {subprocess.run([sys.executable, "-c", code, str(corpus)], cwd=cwd, capture_output=True, text=True,
                           check=True).stdout.strip() for cwd in (tmp_path, elsewhere)}
    assert keys == {corpus_cache.corpus_key(corpus, loader.corpus_files(corpus), [])}
