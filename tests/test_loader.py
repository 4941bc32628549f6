"""The thin loader on the shipped corpus (exact metadata, furniture out, offsets consistent) and on bad input."""
from __future__ import annotations

import hashlib
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from presslens import paths
from presslens.furniture import strip_furniture
from presslens.loader import ARTICLE_COLUMNS, PROBLEM_COLUMNS, CorpusError, load_corpus, load_corpus_report, raw_span

CBS = "us-venezuela-relations/000_86ed5efb6f595550.txt"
FOX = "us-venezuela-relations/002_63de87443d35718d.txt"


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def shipped():
    before = _digest(paths.CORPUS_DIR)
    articles, problems = load_corpus_report(paths.CORPUS_DIR)
    assert _digest(paths.CORPUS_DIR) == before, "the loader must never change the user's files"
    return articles, problems


def test_seeds_are_byte_identical_to_shared():
    shared = paths.PROJ_ROOT.parent / "shared" / "seeds"
    for name in ("000_86ed5efb6f595550.txt", "002_63de87443d35718d.txt"):
        mine = (paths.SEEDS_DIR / name).read_bytes()
        assert (paths.CORPUS_DIR / "us-venezuela-relations" / name).read_bytes() == mine
        if shared.exists():
            assert (shared / name).read_bytes() == mine


def test_columns_and_no_problems(shipped):
    articles, problems = shipped
    assert list(articles.columns) == ARTICLE_COLUMNS
    assert list(problems.columns) == PROBLEM_COLUMNS
    assert problems.empty
    assert len(articles) == 2
    assert str(articles["date"].dtype).startswith("datetime64")


@pytest.mark.parametrize("path,outlet,domain,url_part", [
    (CBS, "CBS News", "cbsnews.com", "us-venezuela-establish-diplomatic-relations-first-time-since-2019"),
    (FOX, "Fox News", "foxnews.com", "us-restores-diplomatic-relations-venezuela-push-democratic-transition"),
])
def test_seed_metadata(shipped, path, outlet, domain, url_part):
    row = shipped[0].set_index("path").loc[path]
    assert row["outlet"] == outlet
    assert row["outlet_domain"] == domain
    assert row["story"] == "us-venezuela-relations"
    assert row["date"] == pd.Timestamp("2026-03-05")
    assert url_part in row["url"]
    assert re.fullmatch(r"[0-9a-f]{16}", row["article_id"])


@pytest.mark.parametrize("path,gone", [
    (FOX, ["You can now listen", "contributed to this reporting", "Sinkewicz"]),
    (CBS, ["Getty Images", "Urribarri", "Anadolu"]),
])
def test_furniture_removed(shipped, path, gone):
    row = shipped[0].set_index("path").loc[path]
    for s in gone:
        assert s not in row["text"]
        assert any(s in f["text"] for f in row["furniture"])
    assert not row["text"].startswith(" date")
    if path == CBS:  # a caption keeps its descriptive sentence (people in it are mentions); only the credit goes
        assert "speak at the Miraflores Palace in Caracas, Venezuela, on March 4, 2026." in row["text"]
    assert "2026-03-05" not in row["text"][:20]


def test_no_reporting_lost(shipped):
    """Every sentence of the file that is not furniture is in the clean text, in order."""
    for _, row in shipped[0].iterrows():
        raw = row["raw_text"]
        body = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", raw)
        for para in re.split(r"\n\s*\n", body):
            for f in row["furniture"]:  # an inline cut (a photo credit) leaves the rest of its paragraph
                para = para.replace(f["text"], "")
            para = para.strip()
            if para:
                assert para in row["text"], para[:60]
    fox = shipped[0].set_index("path").loc[FOX]
    assert "did not immediately respond to Fox News Digital" in fox["text"]


def test_offsets_trace_back_to_the_file(shipped):
    for _, row in shipped[0].iterrows():
        raw, text = row["raw_text"], row["text"]
        for f in row["furniture"]:
            assert raw[f["start"]:f["end"]] == f["text"]
        for c0, r0, n in row["offset_map"]:
            assert text[c0:c0 + n] == raw[r0:r0 + n]
        i = text.index("State Department")
        a, b = raw_span(row, i, i + len("State Department"))
        assert raw[a:b] == "State Department"


def test_article_id_is_content_derived(tmp_path):
    src = paths.CORPUS_DIR / CBS
    (tmp_path / "b").mkdir()
    shutil.copy(src, tmp_path / "b" / "renamed.txt")
    one = load_corpus(paths.CORPUS_DIR).set_index("path").loc[CBS, "article_id"]
    two = load_corpus(tmp_path)["article_id"].iloc[0]
    assert one == two


def _write(folder: Path, name: str, data) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf8")
    return p


GOOD = " date 2026-03-05 The council voted on Tuesday.\n\nIt passed 5-2, the clerk said.\n"


@pytest.fixture
def bad_corpus(tmp_path):
    c = tmp_path / "corpus"
    _write(c, "story/good.txt", GOOD)
    _write(c, "story/empty.txt", "")
    _write(c, "story/blank.txt", "  \n\n ")
    _write(c, "story/binary.txt", b"%PDF-1.4\x00\x01\x02binary")
    _write(c, "story/latin1.txt", " date 2026-03-05 El se\xf1or Rodr\xedguez habl\xf3 el martes.\n".encode("latin-1"))
    _write(c, "story/nodate.txt", "The mayor resigned on Friday.\n\nShe gave no reason.\n")
    _write(c, "story/broken_front.txt", "---\noutlet: CBS News\ntitle: never closed\n\nBody text here.\n")
    _write(c, "story/bad_yaml.txt", "---\noutlet: [unclosed\n---\nBody text here.\n")
    _write(c, "story/good_copy.txt", GOOD)
    _write(c, "story/huge.txt", " date 2026-03-05 " + ("The council met again today. " * 12000) + "\n")
    _write(c, "story/page.html", "<html><body>hi</body></html>")
    _write(c, "story/front.md", "---\noutlet: foxnews.com\ndate: 2026-03-06\ntitle: A title\n---\nThe vote was close.\n")
    return c


def test_bad_input_is_reported_not_fatal(bad_corpus):
    before = _digest(bad_corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles, problems = load_corpus_report(bad_corpus)
    assert _digest(bad_corpus) == before
    by_file, all_problems = {}, {}
    for p, prob, act in problems.itertuples(index=False):
        by_file.setdefault(Path(p).name, (prob, act))  # first problem of each file
        all_problems.setdefault(Path(p).name, []).append(prob)
    assert by_file["empty.txt"] == ("empty file", "skipped")
    assert by_file["blank.txt"][1] == "skipped"
    assert "binary" in by_file["binary.txt"][0] and by_file["binary.txt"][1] == "skipped"
    assert "not UTF-8" in by_file["latin1.txt"][0]
    assert any("no date" in m for m in all_problems["nodate.txt"])
    assert "never closed" in by_file["broken_front.txt"][0] and by_file["broken_front.txt"][1] == "skipped"
    assert "not valid YAML" in by_file["bad_yaml.txt"][0]
    assert by_file["good_copy.txt"] == ("same article as story/good.txt (identical text)", "skipped")
    assert any("very long" in m for m in all_problems["huge.txt"])
    assert "presslens add" in by_file["page.html"][0]
    # every message names its file, and surfaced as a Python warning too
    assert all(Path(p).exists() for p in problems["path"])
    assert len(caught) >= len(problems)
    loaded = set(articles["path"])
    assert loaded == {"story/good.txt", "story/latin1.txt", "story/nodate.txt", "story/huge.txt", "story/front.md"}
    latin = articles.set_index("path").loc["story/latin1.txt"]
    assert "Rodríguez" in latin["text"]
    nodate = articles.set_index("path").loc["story/nodate.txt"]
    assert pd.isna(nodate["date"]) and nodate["outlet"] == "unknown"
    front = articles.set_index("path").loc["story/front.md"]
    assert front["outlet"] == "Fox News" and front["title"] == "A title"
    assert front["date"] == pd.Timestamp("2026-03-06")


def test_strict_raises_naming_the_file(bad_corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(CorpusError, match=r"(empty|binary|broken_front|bad_yaml|good_copy).*\.txt"):
            load_corpus(bad_corpus, strict=True)


def test_precedence_front_matter_then_manifest_then_inference(tmp_path):
    c = tmp_path / "c"
    _write(c, "s/a.txt", "---\noutlet: Reuters\n---\n date 2026-01-02 Text one here.\n")
    _write(c, "s/b.txt", " date 2026-01-02 Text two here. You can now listen to Fox News articles!\n")
    _write(c, "s/c.txt", " date 2026-01-02 Text three here.\n")
    _write(c, "manifest.csv", "path,outlet,url,date,title,story\n"
                              "s/a.txt,CBS News,,,,other\n"
                              "s/c.txt,,https://www.nbcnews.com/x,,T,\n"
                              "s/missing.txt,CBS News,,,,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts, problems = load_corpus_report(c)
    a = arts.set_index("path")
    assert a.loc["s/a.txt", "outlet"] == "Reuters" and a.loc["s/a.txt", "story"] == "other"
    assert a.loc["s/b.txt", "outlet"] == "Fox News"            # text signature
    assert "You can now listen" not in a.loc["s/b.txt", "text"]
    assert a.loc["s/c.txt", "outlet"] == "NBC News" and a.loc["s/c.txt", "title"] == "T"
    assert a.loc["s/c.txt", "story"] == "s"                    # from the folder
    assert "no such file" in problems.set_index("path").loc[str(c / "s/missing.txt"), "problem"]


@pytest.mark.parametrize("raw,kept,gone", [
    ("A storm hit.\n\nResidents leave town on Monday. John Smith/AP Photo\n\nMore rain is due.",
     ["A storm hit.", "More rain is due."], ["John Smith/AP Photo"]),
    ("A storm hit.\n\nPeople wade through water. (AP Photo/Jane Doe)\n\nEnd.", ["End."], ["(AP Photo/Jane Doe)"]),
    ("Lead.\n\nCLICK HERE TO GET THE FOX NEWS APP\n\nTail.", ["Lead.", "Tail."], ["CLICK HERE"]),
    ("Lead.\n\nALSO READ: Another story\n\nTail.", ["Lead.", "Tail."], ["ALSO READ"]),
    ("Lead.\n\nReporting by Jane Roe; Editing by Joe Bloggs\n\nTail.", ["Lead.", "Tail."], ["Editing by"]),
    ("Lead. Expand / Collapse search More lead.", ["Lead.", "More lead."], ["Expand"]),
    ("The photographer said Getty Images had paid him, and the agency confirmed it in a long statement about "
     "rights, fees and the terms it offers to freelancers across the region and beyond, citing several contracts.",
     ["Getty Images had paid him"], []),
])
def test_furniture_rules(raw, kept, gone):
    out = strip_furniture(raw, 0, "Fox News").text
    for k in kept:
        assert k in out
    for g in gone:
        assert g not in out


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nope")
