"""A corpus load is kept and read back the same, and any change to what the load reads loads it afresh; after a
change only the new or changed files are read again (the per-file store), and the load equals a fresh one."""
from __future__ import annotations

import os
import shutil
import warnings

import pandas as pd
import pytest

from presslens import article_file, corpus_cache, loader, paths
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
    monkeypatch.setattr(article_file, "read_head", refuse)


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


# --- the per-file store: after a change only the new or changed files are read -------------------------------

# Long enough (sentences of five words and more, ~90 words) for the near-duplicate index to anchor it.
REPORT = " ".join(f"Section {i} of the harbor report says the dredging of berth {i} will take a month longer and "
                  f"cost the port more than the board was told in the spring." for i in range(4))


def _recorded(corpus):
    """(articles, problems, the loader's warnings in order) of one load."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        articles, problems = load_corpus_report(corpus)
    return articles, problems, [str(w.message) for w in seen if issubclass(w.category, UserWarning)]


def _fresh(corpus, tmp_path, monkeypatch):
    """The load with nothing kept (an empty cache folder of its own)."""
    with monkeypatch.context() as m:
        m.setattr(paths, "CACHE_DIR", tmp_path / f"fresh-cache-{len(list(tmp_path.glob('fresh-cache-*')))}")
        return _recorded(corpus)


def _counting_reads(monkeypatch) -> list[str]:
    """The names of the files whose bytes are read into an article from now on."""
    names = []
    real = article_file.read_head

    def counted(data, path, *a, **k):
        names.append(path.name)
        return real(data, path, *a, **k)
    monkeypatch.setattr(article_file, "read_head", counted)
    return names


def _edit_same_size(corpus):
    f = corpus / "port-budget" / "a1.txt"
    f.write_text(f.read_text(encoding="utf8").replace("fishing", "sailing"), encoding="utf8")


def _add(name, text):
    def add(corpus):
        (corpus / "port-budget" / name).write_text(text, encoding="utf8")
    return add


def _copy_of(src, name):
    def copy(corpus):
        shutil.copy(corpus / "port-budget" / src, corpus / "port-budget" / name)
    return copy


def _manifest_url(url):
    def write(corpus):
        (corpus / "manifest.csv").write_text(f"path,url\nport-budget/a1.txt,{url}\nport-budget/a2.txt,"
                                             "https://ledger.example/a2\n", encoding="utf8")
    return write


def _drop_whole_load(corpus):
    for p in (paths.CACHE_DIR / corpus_cache.FOLDER).glob(corpus_cache._path(corpus.resolve(), "x").name[:13] + "*"):
        p.unlink()


CHANGES = {  # name: (change to the folder, the files read again)
    "unchanged": (lambda corpus: None, []),
    "unchanged, whole load gone": (_drop_whole_load, []),
    "one file added": (_add("a9.txt", _article(4)), ["a9.txt"]),
    "one file edited, same size": (_edit_same_size, ["a1.txt"]),
    "one file removed": (lambda corpus: (corpus / "port-budget" / "a2.txt").unlink(), []),
    "identical text added after": (_copy_of("a1.txt", "z-copy.txt"), ["z-copy.txt"]),
    "identical text added before": (_copy_of("a2.txt", "a0.txt"), ["a0.txt"]),
    "near-duplicate added": (_add("r2.txt", "---\noutlet: Harbor Ledger\ndate: 2026-03-02\n---\n"
                                  + REPORT.replace("longer", "later", 1) + "\n"), ["r2.txt"]),
    "manifest row changed": (_manifest_url("https://ledger.example/a1-new"), ["a1.txt"]),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_after_a_change_only_new_files_are_read_and_the_load_equals_a_fresh_one(tmp_path, monkeypatch, change):
    corpus = _corpus(tmp_path / "c")
    _add("r1.txt", f"---\noutlet: Harbor Ledger\ndate: 2026-03-01\n---\n{REPORT}\n")(corpus)
    _add("odd.txt", "---\noutlet: Harbor Ledger\ndate: 2026-02-09\nmood: grim\n---\n" + BODIES[0] + "\n")(corpus)
    (corpus / "port-budget" / "latin.txt").write_bytes(ARTICLE.format(day=8, body=BODIES[1] + " Caf\xe9.").encode("cp1252"))
    _manifest_url("https://ledger.example/a1")(corpus)
    _recorded(corpus)  # kept
    do, read_again = CHANGES[change]
    do(corpus)
    reads = _counting_reads(monkeypatch)
    articles, problems, warned = _recorded(corpus)
    assert sorted(reads) == read_again
    monkeypatch.undo()
    fresh_articles, fresh_problems, fresh_warned = _fresh(corpus, tmp_path, monkeypatch)
    pd.testing.assert_frame_equal(articles, fresh_articles)
    pd.testing.assert_frame_equal(problems, fresh_problems)
    assert warned == fresh_warned
    assert any("not UTF-8" in w for w in warned) and any("keys not used: mood" in w for w in warned)


def test_an_identical_text_and_a_near_duplicate_are_skipped_with_the_messages_of_a_fresh_load(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    _add("r1.txt", f"---\noutlet: Harbor Ledger\ndate: 2026-03-01\n---\n{REPORT}\n")(corpus)
    _recorded(corpus)
    _copy_of("a2.txt", "a0.txt")(corpus)
    CHANGES["near-duplicate added"][0](corpus)
    problems = _recorded(corpus)[1]
    problems = problems.set_index(problems["path"].map(lambda p: os.path.basename(p)))
    assert problems.loc["a2.txt", "problem"] == "same article as port-budget/a0.txt (identical text)"
    assert problems.loc["r1.txt", "action"] == "skipped: near-duplicate of port-budget/r2.txt"
    assert "(94% of its three-word sequences are the same)" in problems.loc["r1.txt", "problem"]


def test_a_damaged_store_warns_and_loads_afresh(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    first = _recorded(corpus)
    store = corpus_cache.FileStore(corpus.resolve()).path
    assert store.is_file()
    store.write_bytes(b"not a pickle")
    _drop_whole_load(corpus)
    reads = _counting_reads(monkeypatch)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        again, problems = load_corpus_report(corpus)
    assert [str(w.message) for w in warned if w.category is RuntimeWarning] == [
        f"the kept file reads {store} cannot be read (invalid load key, 'n'.); it is dropped and made again"]
    assert sorted(reads) == ["a1.txt", "a2.txt", "a3.txt"]
    pd.testing.assert_frame_equal(again, first[0])
    pd.testing.assert_frame_equal(problems, first[1])
    assert store.is_file()  # made again


def test_the_store_keeps_only_the_files_still_in_the_folder(tmp_path):
    corpus = _corpus(tmp_path / "c", n=4)
    _recorded(corpus)
    (corpus / "port-budget" / "a2.txt").unlink()
    _recorded(corpus)
    kept = corpus_cache.kept_files.read(corpus_cache.FileStore(corpus.resolve()).path, "store")
    assert sorted(kept["files"]) == ["port-budget/a1.txt", "port-budget/a3.txt", "port-budget/a4.txt"]


def test_a_file_read_is_the_same_whatever_came_before(tmp_path):
    """The per-file part never looks at other files: the identical-text check is the loader's, after it."""
    f = _corpus(tmp_path / "c", n=1) / "port-budget" / "a1.txt"
    got = article_file.read_file(f.read_bytes(), f, "port-budget/a1.txt", None)
    problems = loader._Problems([])
    assert got.row == article_file.read_article(f, tmp_path / "c", {}, problems)
    assert got.article_id == got.row["article_id"] and got.before == got.after == () and not problems.rows


def test_near_duplicates_are_matched_again_only_for_an_outlet_whose_texts_changed(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    for day in (1, 2):
        _add(f"t{day}.txt", f"---\noutlet: Tideline Post\ndate: 2026-03-0{day}\n---\n{BODIES[day]}\n")(corpus)
    _recorded(corpus)
    matched = []
    real = loader._outlet_pairs
    monkeypatch.setattr(loader, "_outlet_pairs", lambda texts: matched.append(len(texts)) or real(texts))
    _drop_whole_load(corpus)
    _recorded(corpus)
    assert matched == []
    _add("a9.txt", _article(4))(corpus)
    _recorded(corpus)
    assert matched == [4]  # the four Harbor Ledger texts, not the two of the other outlet
