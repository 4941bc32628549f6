"""Tests for presslens.ingest (issue 6): adding articles as new corpus files, never editing any file."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from presslens import ingest
from presslens.cli import main
from presslens.ingest import ADD_COLUMNS, ADDED, PRESENT, REFUSED, add
from presslens.loader import load_corpus_report
from presslens.paths import CORPUS_DIR, PROJ_ROOT, SEEDS_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "other_story"
STORY = "milwaukee-lead-pipes"
SEED_CBS = SEEDS_DIR / "000_86ed5efb6f595550.txt"
SEED_FOX = SEEDS_DIR / "002_63de87443d35718d.txt"
# What each fixture source is, as a journalist would describe it: source -> (outlet, date, title start)
EXPECTED = {
    ("ap_lead_pipes.txt", ""): ("Associated Press", "2026-02-11", None),
    ("reuters_lead_pipes.md", ""): ("Reuters", "2026-02-11", "Milwaukee approves"),
    ("npr_lead_pipes.html", ""): ("NPR", "2026-02-12", "Milwaukee votes to replace"),
    ("more_coverage.csv", "row 2"): ("Milwaukee Journal Sentinel", "2026-02-11", "Council OKs"),
    ("more_coverage.csv", "row 3"): ("CNN", "2026-02-12", "Milwaukee to spend"),
    ("wire_roundup.jsonl", "line 1"): ("Fox News", "2026-02-13", "Milwaukee lead pipe plan"),
}


def snapshot(*folders: Path) -> dict[str, str]:
    """{path: sha256} of every file under the folders: proves nothing was edited, moved or removed."""
    out = {}
    for folder in folders:
        for p in sorted(Path(folder).rglob("*")):
            if p.is_file() and p.name != ingest.LOCK_NAME:  # add's lock file (empty) is not an article
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def added(tmp_path):
    """A new corpus built from the other-story fixtures: (corpus folder, add() result)."""
    corpus = tmp_path / "corpus"
    res = add([FIXTURES], corpus=corpus, new_corpus=True, story=STORY)
    return corpus, res


def test_add_result_has_the_contract_columns(added):
    _, res = added
    assert list(res.columns) == ADD_COLUMNS


def test_every_fixture_format_is_added_with_its_metadata(added):
    corpus, res = added
    assert (res["status"] == ADDED).all(), res["message"].tolist()
    got = {(Path(r.source).name, r.item): (r.outlet, r.date, r.title) for r in res.itertuples()}
    assert set(got) == set(EXPECTED)
    for key, (outlet, date, title) in EXPECTED.items():
        assert got[key][0] == outlet, key
        assert got[key][1] == date, key
        if title:
            assert got[key][2].startswith(title), key
    articles, problems = load_corpus_report(corpus)
    # the loader reads every new file without a single complaint, with the same metadata
    assert problems.empty, problems.to_dict("records")
    assert len(articles) == len(EXPECTED)
    assert set(articles["story"]) == {STORY}
    assert sorted(articles["outlet"]) == sorted(v[0] for v in EXPECTED.values())
    assert set(articles["article_id"]) == set(res["article_id"])
    assert articles["date"].notna().all()


def test_files_are_written_under_the_story_with_front_matter(added):
    corpus, res = added
    for rel in res["path"]:
        p = corpus / rel
        assert p.parent == corpus / STORY
        raw = p.read_text(encoding="utf8")
        assert raw.startswith("---\noutlet: ")
        assert "\nstory: milwaukee-lead-pipes\n---\n" in raw
        # named by date, outlet and content hash
        assert p.name.startswith(("2026-02-11_", "2026-02-12_", "2026-02-13_"))


def test_html_page_keeps_the_article_and_drops_the_page_furniture(added):
    corpus, res = added
    rel = res.loc[res["source"].str.endswith("npr_lead_pipes.html"), "path"].item()
    articles, _ = load_corpus_report(corpus)
    text = articles.loc[articles["path"] == rel, "text"].item()
    assert text.startswith("For years, Shavonne Wright")
    assert '"That\'s not a plan. That\'s a shrug," Johnson said.' in text
    assert text.rstrip().endswith("several weeks before crews arrive.")
    for junk in ("Podcasts", "Donate", "More Stories From NPR", "Terms of Use", "dataLayer", "Advertisement"):
        assert junk not in text, junk
    # paragraphs are separated by blank lines, as in the seed format
    assert text.count("\n\n") >= 8


def test_adding_again_reports_present_and_writes_nothing(added):
    corpus, first = added
    before = snapshot(corpus)
    again = add([FIXTURES], corpus=corpus, new_corpus=True, story=STORY)
    assert (again["status"] == PRESENT).all(), again["message"].tolist()
    assert sorted(again["path"]) == sorted(first["path"])
    assert snapshot(corpus) == before


def test_sources_are_byte_identical_after_add(tmp_path):
    before = snapshot(FIXTURES)
    add([FIXTURES], corpus=tmp_path / "c", new_corpus=True, story=STORY)
    assert snapshot(FIXTURES) == before


def test_existing_corpus_files_are_never_edited(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    before = snapshot(corpus)
    res = add([FIXTURES / "ap_lead_pipes.txt"], corpus=corpus, new_corpus=True, story=STORY)
    assert res["status"].tolist() == [ADDED]
    after = snapshot(corpus)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == len(before) + 1


@pytest.mark.parametrize("seed", [SEED_CBS, SEED_FOX], ids=["cbs", "fox"])
def test_a_seed_already_in_the_shipped_corpus_is_reported_not_added(tmp_path, seed):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    before = snapshot(corpus)
    res = add([seed], corpus=corpus, new_corpus=True)
    assert res["status"].tolist() == [PRESENT]
    assert "already in the corpus" in res["message"].item()
    assert snapshot(corpus) == before


# The CBS seed names no outlet in its text (the shipped corpus has it from manifest.csv): --outlet says it.
@pytest.mark.parametrize("seed,option,outlet,date", [(SEED_CBS, "CBS News", "CBS News", "2026-03-05"),
                                                      (SEED_FOX, None, "Fox News", None)], ids=["cbs", "fox"])
def test_a_seed_file_added_to_a_new_corpus_keeps_its_article_id(tmp_path, seed, option, outlet, date):
    shipped, _ = load_corpus_report(CORPUS_DIR)
    res = add([seed], corpus=tmp_path / "c", new_corpus=True, story="us-venezuela-relations", outlet=option)
    row = res.iloc[0]
    assert row["status"] == ADDED, row["message"]
    assert row["outlet"] == outlet
    if date:
        assert row["date"] == date
    # the content hash is the loader's: the same article in both corpora has the same id
    assert row["article_id"] in set(shipped["article_id"])


def test_the_same_article_twice_in_one_batch_is_added_once(tmp_path):
    src = tmp_path / "twice.jsonl"
    line = json.loads((FIXTURES / "wire_roundup.jsonl").read_text().splitlines()[0])
    src.write_text("\n".join(json.dumps(line) for _ in range(2)) + "\n")
    res = add([src], corpus=tmp_path / "c", new_corpus=True)
    assert res["status"].tolist() == [ADDED, PRESENT]


def test_same_text_with_other_whitespace_is_already_present(tmp_path):
    corpus = tmp_path / "c"
    add([FIXTURES / "ap_lead_pipes.txt"], corpus=corpus, new_corpus=True, story=STORY)
    body = (FIXTURES / "ap_lead_pipes.txt").read_text().split(" ", 3)[3]
    src = tmp_path / "copy.md"
    src.write_text(f"---\noutlet: AP\nstory: {STORY}\n---\n" + body.replace("\n\n", "\n\n\n") + "\n\n")
    res = add([src], corpus=corpus, new_corpus=True)
    assert res["status"].tolist() == [PRESENT]


def _write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf8"))
    return p


ARTICLE = ("The council voted 7-2 on Monday to close the Elm Street bridge for repairs.\n\n"
           "\"It is not safe,\" said Mayor Ann Lee.\n")
REFUSALS = {
    "empty text file": ("empty.txt", "", "no article text"),
    "header only": ("header.txt", " date 2026-01-01 \n\n", "no article text"),
    "binary file": ("scan.txt", b"%PDF-1.4\x00\x00\x01binary", "not a text file"),
    "word document": ("story.docx", b"PK\x03\x04 not text", "cannot read"),
    "unknown outlet": ("plain.txt", ARTICLE, "--outlet"),
    "html without article": ("index.html", "<html><body><nav>Home</nav><p>Subscribe now.</p></body></html>",
                             "save the full article page"),
    "csv without text column": ("list.csv", "title,outlet\nA,CNN\n", "no 'text' column"),
    "csv row without text": ("rows.csv", "title,outlet,text\nA,CNN,\n", "no article text"),
    "jsonl bad line": ("bad.jsonl", "{not json}\n", "line 1 is not valid JSON"),
    "front matter not yaml": ("fm.md", "---\noutlet: [CNN\n---\n" + ARTICLE, "not valid YAML"),
}


@pytest.mark.parametrize("name,data,hint", REFUSALS.values(), ids=list(REFUSALS))
def test_unusable_sources_are_refused_with_the_source_named_and_what_to_do(tmp_path, name, data, hint):
    src = _write(tmp_path, name, data)
    corpus = tmp_path / "corpus"
    res = add([src], corpus=corpus, new_corpus=True, story="bridge")
    assert res["status"].tolist() == [REFUSED]
    msg = res["message"].item()
    assert str(src) in msg
    assert hint in msg
    assert not corpus.exists() or not any(corpus.rglob("*.txt"))


def test_missing_file_is_refused(tmp_path):
    res = add([tmp_path / "nope.txt"], corpus=tmp_path / "c", new_corpus=True, story="x")
    assert res["status"].tolist() == [REFUSED]
    assert "no such file" in res["message"].item()


def test_an_empty_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    res = add([tmp_path / "empty"], corpus=tmp_path / "c", new_corpus=True, story="x")
    assert res["status"].tolist() == [REFUSED] and "no article files" in res["message"].item()


def test_no_sources_gives_an_empty_table_with_the_columns(tmp_path):
    res = add([], corpus=tmp_path / "c", new_corpus=True)
    assert res.empty and list(res.columns) == ADD_COLUMNS


@pytest.mark.parametrize("given,expected", [("The Guardian", "The Guardian"), ("fox news", "Fox News"),
                                            ("cbsnews.com", "CBS News"), ("Springfield Gazette", "Springfield Gazette")])
def test_outlet_option_names_the_outlet_of_a_source_that_does_not(tmp_path, given, expected):
    src = _write(tmp_path, "plain.txt", " date 2026-01-05 " + ARTICLE)
    res = add([src], corpus=tmp_path / "c", new_corpus=True, story="bridge", outlet=given)
    assert res["status"].tolist() == [ADDED], res["message"].tolist()
    assert res["outlet"].item() == expected
    articles, _ = load_corpus_report(tmp_path / "c")
    assert articles["outlet"].tolist() == [expected]


@pytest.mark.parametrize("fields,option,expected", [
    ({"outlet": "CNN", "url": "https://www.foxnews.com/x"}, None, "CNN"),          # the source's own field first
    ({"outlet": "CNN"}, "Reuters", "CNN"),                                         # ... over --outlet
    ({"url": "https://www.foxnews.com/x"}, "Reuters", "Reuters"),                  # --outlet over inference
    ({"url": "https://edition.cnn.com/2026/x"}, None, "CNN"),                      # url domain
    ({"hostname": "npr.org", "site_name": "Something"}, None, "NPR"),              # page host before site name
    ({"site_name": "BBC News"}, None, "BBC News"),                                 # site name
    ({"text": "WASHINGTON (AP) \u2014 The Senate voted."}, None, "Associated Press"),  # text signature
    ({"text": "The Senate voted."}, None, None),                                   # nothing: refuse
])
def test_resolve_outlet_precedence(fields, option, expected):
    assert ingest.resolve_outlet(fields, option)[0] == expected


@pytest.mark.parametrize("value,expected", [("2026-02-11", "2026-02-11"), ("2026-02-12T05:00:00-05:00", "2026-02-12"),
                                            ("February 12, 2026", "2026-02-12"), ("", None), (None, None),
                                            (float("nan"), None), ("not a date", None)])
def test_normalize_date(value, expected):
    assert ingest.normalize_date(value)[0] == expected


@pytest.mark.parametrize("text,slug", [("US-Venezuela relations!", "us-venezuela-relations"),
                                       ("  Milwaukee lead pipes ", "milwaukee-lead-pipes"), ("../..", "")])
def test_slugify(text, slug):
    assert ingest.slugify(text) == slug


def test_story_defaults_to_the_corpus_only_story_and_is_refused_when_ambiguous(tmp_path):
    corpus = tmp_path / "c"
    add([FIXTURES / "ap_lead_pipes.txt"], corpus=corpus, new_corpus=True, story=STORY)
    res = add([FIXTURES / "reuters_lead_pipes.md"], corpus=corpus, new_corpus=True)
    assert res["status"].tolist() == [ADDED] and res["story"].item() == STORY
    add([_write(tmp_path, "b.txt", ARTICLE)], corpus=corpus, new_corpus=True, story="bridge", outlet="CNN")
    res = add([FIXTURES / "npr_lead_pipes.html"], corpus=corpus, new_corpus=True)
    assert res["status"].tolist() == [REFUSED]
    assert "--story" in res["message"].item() and STORY in res["message"].item()


def test_dry_run_writes_nothing(tmp_path):
    corpus = tmp_path / "c"
    res = add([FIXTURES], corpus=corpus, new_corpus=True, story=STORY, dry_run=True)
    assert (res["status"] == ingest.WOULD_ADD).all()
    assert all(" would add as " in m and " added" not in m for m in res["message"])
    assert not corpus.exists() or not any(corpus.rglob("*"))


def test_front_matter_file_round_trips_through_the_loader(tmp_path):
    meta = {"outlet": "CNN", "url": "https://cnn.com/a", "date": "2026-01-02", "title": "A: \"quoted\" title",
            "story": "s"}
    p = tmp_path / "s" / "a.txt"
    p.parent.mkdir()
    p.write_text(ingest.front_matter_file(meta, ARTICLE))
    articles, problems = load_corpus_report(tmp_path)
    assert problems.empty
    row = articles.iloc[0]
    assert (row["outlet"], row["url"], row["title"], row["story"]) == ("CNN", meta["url"], meta["title"], "s")
    assert row["date"] == pd.Timestamp("2026-01-02")
    assert row["text"] == ARTICLE.strip()


def test_cli_add_exit_status_and_messages(tmp_path, capsys):
    corpus = tmp_path / "c"
    assert main(["add", str(FIXTURES), "--corpus", str(corpus), "--new-corpus", "--story", STORY]) == 0
    out = capsys.readouterr().out
    assert "6 added, 0 already present, 0 updated version(s) not added, 0 refused" in out
    bad = _write(tmp_path, "plain.txt", ARTICLE)
    assert main(["add", str(bad), "--corpus", str(corpus)]) == 1
    captured = capsys.readouterr()
    assert "REFUSED" in captured.err and str(bad) in captured.err and "--outlet" in captured.err


def test_python_dash_m_presslens_add(tmp_path):
    corpus = tmp_path / "c"
    proc = subprocess.run([sys.executable, "-m", "presslens", "add", str(FIXTURES / "npr_lead_pipes.html"),
                           "--corpus", str(corpus), "--new-corpus", "--story", STORY], capture_output=True, text=True,
                          cwd=PROJ_ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "1 added" in proc.stdout
    assert len(list(corpus.rglob("*.txt"))) == 1


def test_csv_with_other_column_names_and_a_json_list_are_read(tmp_path):
    rows = pd.DataFrame({"Headline": ["Bridge closes"], "Body": [ARTICLE], "Link": ["https://apnews.com/article/x"],
                         "Published": ["2026-01-05T09:00:00Z"]})
    csv_src = tmp_path / "export.csv"
    rows.to_csv(csv_src, index=False)
    json_src = tmp_path / "export.json"
    json_src.write_text(json.dumps([{"headline": "Other", "content": ARTICLE.replace("7-2", "8-1"),
                                     "publication": "NPR", "date": "2026-01-06"}]))
    res = add([csv_src, json_src], corpus=tmp_path / "c", new_corpus=True, story="bridge")
    assert res["status"].tolist() == [ADDED, ADDED], res["message"].tolist()
    assert res[["outlet", "date", "title"]].values.tolist() == [["Associated Press", "2026-01-05", "Bridge closes"],
                                                                 ["NPR", "2026-01-06", "Other"]]


def test_an_html_page_saved_without_extension_is_recognised(tmp_path):
    src = tmp_path / "saved_page"
    src.write_bytes((FIXTURES / "npr_lead_pipes.html").read_bytes())
    res = add([src], corpus=tmp_path / "c", new_corpus=True, story=STORY)
    assert res["status"].tolist() == [ADDED] and res["outlet"].item() == "NPR"


# --- bad inputs and faults of `add` --------------------------------------------------------------

@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "2026-03-05T25:61", "1500-01-01", "3000-01-01"])
def test_an_impossible_or_out_of_range_date_is_refused(tmp_path, date):
    src = _write(tmp_path, "a.md", f"---\noutlet: CNN\ndate: {date}\n---\n" + ARTICLE)
    corpus = tmp_path / "c"
    res = add([src], corpus=corpus, new_corpus=True, story="bridge")
    assert res["status"].tolist() == [REFUSED]
    assert date in res["message"].item()
    assert not list(corpus.rglob("*.txt"))
    articles, _ = load_corpus_report(corpus)  # the corpus still loads
    assert articles.empty


@pytest.mark.parametrize("url", ['"http://[oops/page"', "[https://a.example/x, https://b.example/y]"])
def test_a_bracketed_url_is_added_and_a_list_url_refused(tmp_path, url):
    src = _write(tmp_path, "a.md", f"---\noutlet: CNN\nurl: {url}\n---\n" + ARTICLE)
    res = add([src], corpus=tmp_path / "c", new_corpus=True, story="bridge")
    if url.startswith("["):
        assert res["status"].tolist() == [REFUSED] and "'url' holds a list" in res["message"].item()
    else:
        assert res["status"].tolist() == [ADDED], res["message"].tolist()


def test_a_list_as_outlet_is_refused_not_written_as_text(tmp_path):
    src = _write(tmp_path, "a.md", "---\noutlet: [CNN, Fox News]\n---\n" + ARTICLE)
    res = add([src], corpus=tmp_path / "c", new_corpus=True, story="bridge")
    assert res["status"].tolist() == [REFUSED] and "'outlet' holds a list" in res["message"].item()


def test_alias_bomb_utf16_and_lone_cr_sources(tmp_path):
    bomb = _write(tmp_path, "bomb.md", "---\na: &a [x, x]\nb: &b [*a, *a]\ntitle: *b\n---\n" + ARTICLE)
    wide = _write(tmp_path, "wide.txt", b"\xff\xfe" + (" date 2026-01-05 " + ARTICLE).encode("utf-16-le"))
    mac = _write(tmp_path, "mac.md", "---\routlet: NPR\rdate: 2026-01-06\r---\r" + ARTICLE.replace("7-2", "6-3")
                 .replace("\n", "\r"))
    res = add([bomb, wide, mac], corpus=tmp_path / "c", new_corpus=True, story="bridge", outlet="CNN")
    assert res["status"].tolist() == [REFUSED, ADDED, ADDED], res["message"].tolist()
    assert "aliases" in res["message"].iloc[0]
    assert res[["outlet", "date"]].values.tolist()[1:] == [["CNN", "2026-01-05"], ["NPR", "2026-01-06"]]


def test_a_missing_corpus_folder_is_refused_with_a_did_you_mean(tmp_path):
    (tmp_path / "my-corpus").mkdir()
    src = _write(tmp_path, "a.txt", ARTICLE)
    res = add([src], corpus=tmp_path / "my-corpsu", story="bridge", outlet="CNN")
    assert res["status"].tolist() == [REFUSED]
    msg = res["message"].item()
    assert "does not exist" in msg and str(tmp_path / "my-corpus") in msg and "--new-corpus" in msg
    assert not (tmp_path / "my-corpsu").exists()
    res = add([src], corpus=tmp_path / "my-corpsu", story="bridge", outlet="CNN", new_corpus=True)
    assert res["status"].tolist() == [ADDED]


def test_add_into_a_read_only_corpus_or_story_is_a_clear_refusal(tmp_path, monkeypatch):
    corpus = tmp_path / "c"
    add([_write(tmp_path, "a.txt", ARTICLE)], corpus=corpus, new_corpus=True, story="bridge", outlet="CNN")
    other = _write(tmp_path, "b.txt", ARTICLE.replace("Elm Street bridge", "river ferry").replace("7-2", "9-0"))
    real_open = ingest.os.open

    def read_only_corpus(path, flags, *args):
        if str(path).startswith(str(corpus)) and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(ingest.os, "open", read_only_corpus)
    res = add([other], corpus=corpus, story="bridge", outlet="CNN")
    assert res["status"].tolist() == [REFUSED]
    assert "cannot write to the corpus folder" in res["message"].item() and "read-only" in res["message"].item()
    monkeypatch.undo()

    def read_only_story(target, content):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(ingest, "_write_new", read_only_story)
    res = add([other], corpus=corpus, story="bridge", outlet="CNN")
    assert res["status"].tolist() == [REFUSED]
    assert "could not write" in res["message"].item() and "Permission denied" in res["message"].item()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_add_into_a_really_read_only_folder(tmp_path):
    corpus = tmp_path / "c"
    add([_write(tmp_path, "a.txt", ARTICLE)], corpus=corpus, new_corpus=True, story="bridge", outlet="CNN")
    (corpus / "bridge").chmod(0o555)
    try:
        res = add([_write(tmp_path, "b.txt", ARTICLE.replace("7-2", "9-0 after a long debate"))], corpus=corpus,
                  story="bridge", outlet="CNN")
        assert res["status"].tolist() == [REFUSED]
    finally:
        (corpus / "bridge").chmod(0o755)


def test_the_story_an_article_is_filed_into_is_said(tmp_path):
    corpus = tmp_path / "c"
    add([_write(tmp_path, "a.txt", ARTICLE)], corpus=corpus, new_corpus=True, story="bridge", outlet="CNN")
    res = add([_write(tmp_path, "b.txt", "The ferry will run all year, the port said on Monday.\n")], corpus=corpus,
              outlet="NPR")
    assert res["status"].tolist() == [ADDED]
    assert "filed into story 'bridge'" in res["message"].item()
    empty = tmp_path / "empty"
    empty.mkdir()
    res = add([_write(tmp_path, "d.txt", ARTICLE)], corpus=empty, outlet="CNN")
    assert res["status"].tolist() == [REFUSED] and "--story" in res["message"].item()


LONG = " ".join(f"Paragraph {i} says the council met on day {i} to talk about the bridge and the budget for the "
                f"year, and member {i} asked about the cost." for i in range(6))


def test_an_updated_version_is_reported_not_added_unless_forced(tmp_path):
    corpus = tmp_path / "c"
    first = _write(tmp_path, "v1.txt", " date 2026-01-05 " + LONG)
    add([first], corpus=corpus, new_corpus=True, story="bridge", outlet="CNN")
    second = _write(tmp_path, "v2.txt", " date 2026-01-06 " + LONG.replace("budget", "plan", 1))
    res = add([second], corpus=corpus, outlet="CNN")
    assert res["status"].tolist() == [ingest.UPDATED]
    assert "updated version of bridge/2026-01-05_cnn_" in res["message"].item() and "--force" in res["message"].item()
    assert len(list(corpus.rglob("*.txt"))) == 1
    forced = add([second], corpus=corpus, outlet="CNN", force=True)
    assert forced["status"].tolist() == [ADDED] and "--force" in forced["message"].item()
    third = _write(tmp_path, "v3.txt", " date 2026-01-06 " + LONG.replace("cost", "price", 1))
    other_outlet = add([third], corpus=corpus, outlet="NPR")  # another outlet's version is its own article
    assert other_outlet["status"].tolist() == [ADDED]
    articles, problems = load_corpus_report(corpus)
    assert len(articles) == 2  # the loader keeps the later CNN version and the NPR one
    assert problems["action"].str.startswith("skipped: near-duplicate of bridge/2026-01-06_cnn_").sum() == 1


def _add_in_process(args):
    src, corpus, outlet, barrier = args
    barrier.wait()
    return add([src], corpus=corpus, story="bridge", outlet=outlet)["status"].tolist()


def test_two_concurrent_adds_of_one_text_write_one_file(tmp_path):
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    src = _write(tmp_path, "a.txt", " date 2026-01-05 " + ARTICLE)
    for i in range(10):
        corpus = tmp_path / f"c{i}"
        (corpus / "bridge").mkdir(parents=True)
        with ctx.Manager() as manager:
            barrier = manager.Barrier(2)
            with ctx.Pool(2) as pool:
                results = pool.map(_add_in_process, [(src, corpus, "CNN", barrier), (src, corpus, "NPR", barrier)])
        assert sorted(r[0] for r in results) == [ADDED, PRESENT], (i, results)
        assert len(list((corpus / "bridge").glob("*.txt"))) == 1, i
