"""Bad inputs for the loader, built in code: none may stop the corpus, and none may vanish silently.

Each case is a small corpus in tmp_path; the good file next to it must still load, and every file
must be either an article or a row of the problems table naming it and the reason.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import signal
import warnings
from pathlib import Path

import pandas as pd
import pytest

from presslens import loader
from presslens.article_file import SPACY_MAX_CHARS
from presslens.loader import NearDuplicateIndex, jaccard, load_corpus_report, problems_text

GOOD = " date 2026-03-05 The council voted on Tuesday to repair the bridge.\n\nIt passed 5-2, the clerk said.\n"
# A text of ~200 words with sentences long enough to anchor the near-duplicate index.
REPORT = " ".join(
    f"Paragraph {i} says the council of the small town met on day {i} to talk about the bridge and the budget "
    f"for the year, and member number {i} asked about the cost of the work." for i in range(8))


def write(folder: Path, name: str, data) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf8", newline="")
    return p


def load(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus_report(corpus)


def problems_of(problems: pd.DataFrame, name: str) -> list[tuple[str, str]]:
    return [(p, a) for path, p, a in problems.itertuples(index=False) if Path(path).name == name]


def digest(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.fixture
def corpus(tmp_path):
    c = tmp_path / "corpus"
    write(c, "s/good.txt", GOOD)
    return c


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,data,value", [
    ("month13.md", "---\noutlet: CNN\ndate: 2026-13-45\n---\nThe vote was close.\n", "2026-13-45"),
    ("feb30.md", "---\noutlet: CNN\ndate: 2026-02-30\n---\nThe vote was close.\n", "2026-02-30"),
    ("hour25.md", "---\noutlet: CNN\ndate: 2026-03-05T25:61\n---\nThe vote was close.\n", "2026-03-05T25:61"),
    ("early.md", "---\noutlet: CNN\ndate: 1500-01-01\n---\nThe vote was close.\n", "1500-01-01"),
    ("late.md", "---\noutlet: CNN\ndate: 3000-01-01\n---\nThe vote was close.\n", "3000-01-01"),
    ("header.txt", " date 0001-01-01 The vote was close.\n", "0001-01-01"),
])
def test_impossible_and_out_of_range_dates_load_without_a_date(corpus, name, data, value):
    write(corpus, f"s/{name}", data)
    articles, problems = load(corpus)
    a = articles.set_index("path")
    assert f"s/{name}" in a.index and "s/good.txt" in a.index
    assert pd.isna(a.loc[f"s/{name}", "date"])
    assert a.loc["s/good.txt", "date"] == pd.Timestamp("2026-03-05")
    assert str(articles["date"].dtype).startswith("datetime64")
    assert any(value in p and act == "loaded without a date" for p, act in problems_of(problems, name))


def test_out_of_range_manifest_date_and_a_timezone_date_load(corpus):
    write(corpus, "s/a.txt", "The mayor resigned on Friday.\n")
    write(corpus, "s/b.md", "---\noutlet: CNN\ndate: 2026-03-05T23:30:00-05:00\n---\nThe vote was close.\n")
    write(corpus, "manifest.csv", "path,outlet,date\ns/a.txt,CNN,2999-12-31\n")
    articles, problems = load(corpus)
    a = articles.set_index("path")
    assert pd.isna(a.loc["s/a.txt", "date"])
    assert a.loc["s/b.md", "date"] == pd.Timestamp("2026-03-05")  # the outlet's own calendar day
    assert any("2999-12-31" in p for p, _ in problems_of(problems, "a.txt"))


# --- urls, outlets, YAML ----------------------------------------------------------------------

@pytest.mark.parametrize("front", ['url: "http://[oops/page"', "url: [https://a.example/x, https://b.example/y]",
                                   'url: "https://[::1"'])
def test_a_bracketed_or_list_url_does_not_crash(corpus, front):
    write(corpus, "s/u.md", f"---\noutlet: CNN\n{front}\n---\nThe vote was close.\n")
    articles, _ = load(corpus)
    row = articles.set_index("path").loc["s/u.md"]
    assert row["outlet"] == "CNN"
    assert row["url"] is None or "[" in row["url"]


def test_a_list_as_outlet_is_a_problem_not_a_string(corpus):
    write(corpus, "s/l.md", "---\noutlet: [CNN, Fox News]\n---\nThe vote was close.\n")
    articles, problems = load(corpus)
    row = articles.set_index("path").loc["s/l.md"]
    assert "[" not in row["outlet"] and row["outlet"] == "unknown"
    assert any("'outlet' is a list" in p for p, _ in problems_of(problems, "l.md"))


def test_a_yaml_alias_bomb_is_refused_quickly(corpus):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    write(corpus, "s/bomb.md", "---\n" + "\n".join(lines) + "\ntitle: *i\n---\nThe vote was close.\n")
    articles, problems = load(corpus)
    assert "s/bomb.md" not in set(articles["path"])
    assert problems_of(problems, "bomb.md") == [(problems_of(problems, "bomb.md")[0][0], "skipped")]
    assert "aliases" in problems_of(problems, "bomb.md")[0][0]


def test_lone_cr_front_matter_is_read(corpus):
    write(corpus, "s/cr.md", "---\routlet: CNN\rdate: 2026-03-06\rtitle: Old Mac file\r---\rThe vote was close.\r\r"
                             "The clerk said so.\r")
    articles, problems = load(corpus)
    row = articles.set_index("path").loc["s/cr.md"]
    assert (row["outlet"], row["title"], row["date"]) == ("CNN", "Old Mac file", pd.Timestamp("2026-03-06"))
    assert row["text"] == "The vote was close.\n\nThe clerk said so."
    assert problems_of(problems, "cr.md") == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_bom_are_decoded(corpus, codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}[codec]
    write(corpus, "s/wide.txt", bom + " date 2026-03-07 Se\u00f1or Rodr\u00edguez voted no.\n".encode(codec))
    articles, problems = load(corpus)
    row = articles.set_index("path").loc["s/wide.txt"]
    assert row["text"] == "Se\u00f1or Rodr\u00edguez voted no."
    assert row["date"] == pd.Timestamp("2026-03-07")
    assert problems_of(problems, "wide.txt") == [
        ("outlet unknown: no metadata names it, no known url and no outlet signature in the text; add it to "
         "front matter or manifest.csv", "loaded as 'unknown'")]


def test_an_article_longer_than_spacy_reads_is_skipped_with_the_reason(corpus):
    sentence = "The council met again today to talk about the bridge. "
    write(corpus, "s/giant.txt", " date 2026-03-05 " + sentence * (SPACY_MAX_CHARS // len(sentence) + 10))
    articles, problems = load(corpus)
    assert set(articles["path"]) == {"s/good.txt"}
    (msg, action), = [r for r in problems_of(problems, "giant.txt") if r[1] == "skipped"]
    assert "1,000,000" in msg
    assert (articles["text"].str.len() <= SPACY_MAX_CHARS).all()


# --- nothing is dropped silently ---------------------------------------------------------------

def test_links_pipes_readmes_and_hidden_files_are_listed(corpus):
    write(corpus, "s/real.txt", " date 2026-03-06 The mayor resigned on Friday.\n")
    os.symlink(corpus / "s" / "real.txt", corpus / "s" / "link_ok.txt")
    os.symlink(corpus / "s" / "nowhere.txt", corpus / "s" / "dangling.txt")
    os.symlink(corpus / "s" / "loop_b.txt", corpus / "s" / "loop_a.txt")
    os.symlink(corpus / "s" / "loop_a.txt", corpus / "s" / "loop_b.txt")
    os.symlink(corpus / "s", corpus / "folder_link")
    os.mkfifo(corpus / "s" / "pipe.txt")
    write(corpus, "s/README.md", "Notes about this story folder.\n")
    write(corpus, "s/.draft.txt", GOOD.replace("Tuesday", "Monday"))
    write(corpus, "s/.DS_Store", b"\x00\x01")
    write(corpus, "README.md", "About the corpus.\n")
    old = signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TimeoutError("loader blocked")))
    signal.alarm(30)  # never block on a FIFO
    try:
        articles, problems = load(corpus)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    loaded = set(articles["path"])
    assert loaded == {"s/good.txt", "s/real.txt"}  # the link to real.txt is the same article: listed as a copy
    reasons = {name: problems_of(problems, name) for name in
               ("link_ok.txt", "dangling.txt", "loop_a.txt", "loop_b.txt", "folder_link", "pipe.txt", "README.md",
                ".draft.txt", ".DS_Store")}
    assert "identical text" in reasons["link_ok.txt"][0][0]
    assert "broken link" in reasons["dangling.txt"][0][0]
    assert "loop" in reasons["loop_a.txt"][0][0] and "loop" in reasons["loop_b.txt"][0][0]
    assert "link to a folder" in reasons["folder_link"][0][0]
    assert "named pipe" in reasons["pipe.txt"][0][0]
    assert "README" in reasons["README.md"][0][0] and len(reasons["README.md"]) == 1  # the root README is data
    assert "hidden" in reasons[".draft.txt"][0][0]
    assert reasons[".DS_Store"] == []
    assert all(a in ("skipped", "ignored") for r in reasons.values() for _, a in r)


def test_an_unreadable_sub_folder_is_listed(corpus, monkeypatch):
    write(corpus, "locked/a.txt", GOOD.replace("bridge", "road"))
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(loader.os, "scandir", scandir)
    articles, problems = load(corpus)
    assert set(articles["path"]) == {"s/good.txt"}
    (msg, action), = problems_of(problems, "locked")
    assert "Permission denied" in msg and action == "skipped"


def test_the_manifest_given_as_the_corpus_reads_its_folder(corpus):
    write(corpus, "manifest.csv", "path,outlet\ns/good.txt,CNN\n")
    with pytest.warns(UserWarning, match="manifest"):
        articles, _ = load_corpus_report(corpus / "manifest.csv")
    assert articles["path"].tolist() == ["s/good.txt"] and articles["outlet"].tolist() == ["CNN"]


# --- manifest ---------------------------------------------------------------------------------

def test_conflicting_manifest_rows_are_reported_with_both_lines(corpus):
    write(corpus, "manifest.csv", "path,outlet,date\ns/good.txt,CNN,2026-03-05\ns/good.txt,Fox News,2026-03-05\n")
    articles, problems = load(corpus)
    (msg, action), = problems_of(problems, "manifest.csv")
    assert "lines 2 and 3" in msg and "CNN" in msg and "Fox News" in msg and "using line 3" in msg
    assert articles["outlet"].tolist() == ["Fox News"]


def test_an_unclosed_quote_in_the_manifest_is_detected(corpus):
    write(corpus, "s/b.txt", " date 2026-03-06 The mayor resigned on Friday.\n")
    write(corpus, "manifest.csv", 'path,outlet,title\ns/good.txt,CNN,"Bridge vote\ns/b.txt,Fox News,Mayor quits\n')
    articles, problems = load(corpus)
    (msg, action), = problems_of(problems, "manifest.csv")
    assert "lines 2-3" in msg and "never" in msg and action == "ignored"
    assert set(articles["outlet"]) == {"unknown"}  # no row of the swallowed block was used


# --- near-duplicates --------------------------------------------------------------------------

def test_an_updated_version_is_loaded_once_the_latest_kept(corpus):
    write(corpus, "s/v1.md", f"---\noutlet: CNN\ndate: 2026-03-05\n---\n{REPORT}\n")
    write(corpus, "s/v2.md", f"---\noutlet: CNN\ndate: 2026-03-06\n---\n{REPORT.replace('budget', 'plan', 1)}\n")
    write(corpus, "s/other_outlet.md", f"---\noutlet: Reuters\ndate: 2026-03-05\n---\n{REPORT.replace('cost', 'price')}\n")
    articles, problems = load(corpus)
    assert set(articles["path"]) == {"s/good.txt", "s/v2.md", "s/other_outlet.md"}
    (msg, action), = problems_of(problems, "v1.md")
    assert action == "skipped: near-duplicate of s/v2.md" and "updated or edited version" in msg


def test_near_duplicate_without_dates_keeps_the_longest(corpus):
    write(corpus, "s/short.md", f"---\noutlet: CNN\n---\n{REPORT}\n")
    write(corpus, "s/long.md", f"---\noutlet: CNN\n---\n{REPORT} One more sentence was added at the end.\n")
    articles, problems = load(corpus)
    assert "s/long.md" in set(articles["path"]) and "s/short.md" not in set(articles["path"])


def test_different_articles_sharing_a_sentence_are_both_kept(corpus):
    shared = "The council of the small town met on Monday to talk about the bridge."
    write(corpus, "s/a.md", f"---\noutlet: CNN\n---\n{shared} The mayor said the work would take a year and cost "
                            "two million dollars, paid by the state.\n")
    write(corpus, "s/b.md", f"---\noutlet: CNN\n---\n{shared} Residents asked for a new ferry while the road is "
                            "closed, and the school board moved its meeting.\n")
    articles, _ = load(corpus)
    assert {"s/a.md", "s/b.md"} <= set(articles["path"])


@pytest.mark.parametrize("n_words,expected", [(60, True), (200, True)])
def test_one_word_edit_is_a_near_duplicate(n_words, expected):
    words = [f"w{i}" for i in range(n_words)]
    text = " ".join(words) + "."
    edited = " ".join(words[:n_words // 2] + ["changed"] + words[n_words // 2 + 1:]) + "."
    index = NearDuplicateIndex()
    index.add("a", text)
    hit = index.match(edited)
    assert (hit is not None) is expected
    assert hit.key == "a" and hit.jaccard == pytest.approx(jaccard(text, edited)) and hit.jaccard >= 0.8


def test_a_text_indexed_again_under_its_key_is_compared_as_it_now_reads():
    """Each candidate's shingles are computed once and kept; indexing a new text under the same key drops them."""
    words = [f"w{i}" for i in range(80)]
    text = " ".join(words) + "."
    edited = " ".join(words[:40] + ["changed"] + words[41:]) + "."
    index = NearDuplicateIndex()
    index.add("a", text)
    assert index.match(edited).key == "a"
    index.add("a", " ".join(f"x{i}" for i in range(80)) + ".")
    assert index.match(edited) is None


def test_near_duplicate_index_is_fast_on_many_articles():
    import time

    index = NearDuplicateIndex()
    texts = [" ".join(f"a{i}w{j}" for j in range(300)) + "." for i in range(3000)]
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        assert index.match(t) is None
        index.add(i, t)
    assert time.perf_counter() - t0 < 20


# --- summary ----------------------------------------------------------------------------------

def test_problems_text_lists_each_file_with_its_reason(corpus):
    write(corpus, "s/empty.txt", "")
    write(corpus, "s/.hidden.txt", GOOD)
    _, problems = load(corpus)
    text = problems_text(problems, corpus)
    assert text.splitlines()[0] == "3 problem(s) in the corpus files: 2 file(s) not used, 1 used with a warning"
    assert "  s/empty.txt: empty file (skipped)" in text.splitlines()
    assert problems_text(problems.iloc[0:0]) == ""


def test_input_files_are_byte_identical_after_loading(corpus):
    write(corpus, "s/cr.md", "---\routlet: CNN\r---\rText here.\r")
    write(corpus, "s/w.txt", codecs.BOM_UTF16_LE + "Wide text.".encode("utf-16-le"))
    before = digest(corpus)
    load(corpus)
    assert digest(corpus) == before


# --- property-based fuzzing ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

# Bounded so the suite stays quick in CI; deadline off because the first example loads the rules.
FUZZ_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PIECES = list("abcXYZ .,;:!?'\"\u201c\u201d-\u2014/()[]{}*&#|@\u00e9\u00e8\u0000") + [
    "\n", "\r", "\r\n", "\n\n", "---", "By ", "WASHINGTON (AP) \u2014 ", "Photo: ", "Jane Doe/AP", "Share",
    " date 2026-03-05 ", "\ufeff", "\ud800", "A.", "Word-", "\t", "The mayor said the bridge would open. "]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)
_DATE = st.one_of(st.dates().map(str), st.from_regex(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", fullmatch=True),
                  st.text(max_size=12))
_VALUE = st.one_of(_TEXT, _DATE, st.integers(), st.lists(st.text(max_size=5), max_size=3), st.none())
_FRONT = st.dictionaries(st.sampled_from(["outlet", "url", "date", "title", "story", "other"]), _VALUE, max_size=5)


def _yaml_line(k, v) -> str:
    import json

    return f"{k}: {json.dumps(v, ensure_ascii=False)}"


@st.composite
def _file_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["text", "front", "bytes", "utf16", "header"]))
    body = draw(_TEXT)
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "header":
        body = f" date {draw(_DATE)} {body}"
    if kind == "front":
        front = draw(_FRONT)
        nl = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        body = f"---{nl}" + nl.join(_yaml_line(k, v) for k, v in front.items()) + f"{nl}---{nl}{body}"
    data = body.encode("utf-8", "surrogatepass")
    if kind == "utf16":
        data = b"\xff\xfe" + body.encode("utf-16-le", "surrogatepass")
    return data


@FUZZ_SETTINGS
@given(files=st.dictionaries(st.from_regex(r"[a-z]{1,6}\.(txt|md|html|text)", fullmatch=True), _file_bytes(),
                             min_size=1, max_size=4),
       manifest=st.one_of(st.none(), st.lists(st.tuples(st.from_regex(r"s/[a-z]{1,6}\.txt", fullmatch=True), _DATE,
                                                         _TEXT), max_size=3)))
def test_fuzzed_corpora_never_raise_and_lose_nothing(files, manifest):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp).resolve() / "corpus"
        for name, data in files.items():
            write(corpus, f"s/{name}", data)
        if manifest is not None:
            lines = ["path,date,title"] + [f'{p},{d},"{t}' if i % 2 else f"{p},{d},{t}"
                                           for i, (p, d, t) in enumerate(manifest)]
            write(corpus, "manifest.csv", "\n".join(lines).encode("utf-8", "surrogatepass"))
        before = digest(corpus)
        articles, problems = load(corpus)
        assert digest(corpus) == before
        loaded = set(articles["path"])
        listed = set(problems["path"])
        for name in files:
            assert f"s/{name}" in loaded or str(corpus / "s" / name) in listed, name
        assert str(articles["date"].dtype).startswith("datetime64")
        for _, row in articles.iterrows():
            raw, text = row["raw_text"], row["text"]
            assert 0 < len(text) <= SPACY_MAX_CHARS
            for f in row["furniture"]:
                assert raw[f["start"]:f["end"]] == f["text"]
            for c0, r0, n in row["offset_map"]:
                assert text[c0:c0 + n] == raw[r0:r0 + n]
            a, b = loader.raw_span(row, 0, len(text))
            assert a is not None and b is not None and a <= b
