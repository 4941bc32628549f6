"""Shared and unique sentences across outlets (presslens.similarity).

Sentences are the study's (`tables(articles).sentences`, spaCy's sentence boundaries), so similarity counts
the same sentences as every other notebook; the functions take an articles table (and build the sentences
through `tables`) or a sentences table."""
from __future__ import annotations


import pandas as pd
import pytest

from presslens import similarity as S
from presslens.study import tables

STORY = "test-story"
SHARED = "The ministry said the new border agreement would take effect at midnight on Friday."
NEAR_A = "Officials confirmed that twelve people were injured in the blast near the central market."
NEAR_C = "Officials confirmed that twelve people were hurt in the blast near the central market."
STATEMENT = "we will defend our sovereignty with every lawful means available to us"
UNIQUE_A = "Residents described a night of panic as sirens sounded across the capital."
UNIQUE_B = "The opposition called the deal a betrayal of the farmers who live along the river."
UNIQUE_C = "Analysts expect grain prices to fall once the crossings reopen next month."


def _articles(rows):
    return pd.DataFrame([{"article_id": aid, "story": story, "outlet": outlet, "text": text}
                         for aid, story, outlet, text in rows])


@pytest.fixture
def corpus():
    """Three outlets on one story: A-B share a sentence, A-C a near copy, B-C a quoted statement; one other story."""
    return _articles([
        ("a1", STORY, "Outlet A", f"{SHARED} {UNIQUE_A}\n\n{NEAR_A}"),
        ("b1", STORY, "Outlet B", f"{SHARED}\n\n\"{STATEMENT.capitalize()},\" the president said. {UNIQUE_B}"),
        ("c1", STORY, "Outlet C", f"{NEAR_C}\n\nThe president vowed that {STATEMENT}, aides said. {UNIQUE_C}"),
        ("d1", "other-story", "Outlet D", f"{SHARED} Nothing else happened."),
    ])


SENTENCE_CASES = {
    "two sentences": ("The talks ended. Both sides left.", ["The talks ended.", "Both sides left."]),
    "title abbreviations do not end a sentence": ("Mr. Smith spoke on Monday. Gen. Jones did not.",
                                                  ["Mr. Smith spoke on Monday.", "Gen. Jones did not."]),
    "paragraphs always split": ("First line without stop\n\nSecond paragraph here.",
                                ["First line without stop", "Second paragraph here."]),
}


@pytest.mark.parametrize("text, expected", SENTENCE_CASES.values(), ids=SENTENCE_CASES.keys())
def test_sentences_are_the_studys(text, expected):
    arts = _articles([("x", STORY, "Outlet A", text)])
    s = S.sentence_table(arts)
    assert list(s.columns) == S.SENTENCE_COLUMNS
    assert s["text"].tolist() == expected
    study = tables(arts).sentences
    assert list(zip(s["start"], s["end"])) == list(zip(study["start"], study["end"]))


@pytest.mark.parametrize("text", ["", "  \n\n  ", None])
def test_no_text_no_sentences(text):
    assert S.sentence_table(_articles([("x", STORY, "Outlet A", text)])).empty


def test_sentences_from_articles_offsets(corpus):
    s = S.sentence_table(corpus)
    assert list(s.columns) == S.SENTENCE_COLUMNS
    texts = dict(zip(corpus["article_id"], corpus["text"]))
    for r in s.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.text
    assert s[s["article_id"] == "a1"]["paragraph"].tolist() == [0, 0, 1]
    assert set(s["story"]) == {STORY, "other-story"}


def test_shared_sentences_kinds(corpus):
    sh = S.shared_sentences(corpus)
    assert list(sh.columns) == S.SHARED_COLUMNS
    got = {(r.outlet_a, r.outlet_b, r.kind) for r in sh.itertuples()}
    assert got == {("Outlet A", "Outlet B", "identical"), ("Outlet A", "Outlet C", "near-identical"),
                   ("Outlet B", "Outlet C", "shared-passage")}
    # never across stories (Outlet D carries the same sentence in another story)
    assert "Outlet D" not in set(sh["outlet_a"]) | set(sh["outlet_b"])
    texts = dict(zip(corpus["article_id"], corpus["text"]))
    for r in sh.itertuples():
        assert texts[r.article_id_a][r.start_a:r.end_a] == r.text_a
        assert texts[r.article_id_b][r.start_b:r.end_b] == r.text_b
    passage = sh[sh["kind"] == "shared-passage"].iloc[0]
    assert texts[passage.article_id_a][passage.passage_start_a:passage.passage_end_a].lower() == STATEMENT
    assert texts[passage.article_id_b][passage.passage_start_b:passage.passage_end_b] == STATEMENT
    assert passage.shared_words == len(STATEMENT.split())
    near = sh[sh["kind"] == "near-identical"].iloc[0]
    assert S.THRESHOLD <= near.score < 100


def test_threshold_and_min_words_change_the_call(corpus):
    strict = S.shared_sentences(corpus, threshold=99.5, min_words=20)
    assert set(strict["kind"]) == {"identical"}


def test_unique_sentences(corpus):
    u = S.unique_sentences(corpus)
    assert list(u.columns) == S.UNIQUE_COLUMNS
    assert dict(zip(u["outlet"], u["text"])) == {"Outlet A": UNIQUE_A, "Outlet B": UNIQUE_B, "Outlet C": UNIQUE_C}
    # a story covered by a single outlet has nothing to compare against
    assert "Outlet D" not in set(u["outlet"])
    assert (u["best_score"] < S.THRESHOLD).all()


def test_same_outlet_sentences_are_not_shared():
    arts = _articles([("a1", STORY, "Outlet A", SHARED), ("a2", STORY, "Outlet A", SHARED),
                      ("b1", STORY, "Outlet B", UNIQUE_B)])
    assert S.shared_sentences(arts).empty
    assert sorted(S.unique_sentences(arts)["article_id"]) == ["a1", "a2", "b1"]


def test_summary_shares(corpus):
    sm = S.shared_text_summary(corpus)
    assert list(sm.columns) == S.SUMMARY_COLUMNS
    ab = sm[(sm["outlet_a"] == "Outlet A") & (sm["outlet_b"] == "Outlet B")].iloc[0]
    words_a = len(f"{SHARED} {UNIQUE_A} {NEAR_A}".split())
    assert ab.words_a == words_a
    assert ab.shared_words_a == len(SHARED.split())
    assert ab.share_a == pytest.approx(len(SHARED.split()) / words_a)
    assert (ab.identical, ab.near_identical, ab.shared_passage, ab.pairs) == (1, 0, 0, 1)
    # the other story is summarised on its own and has no pairs
    assert set(sm["story"]) == {STORY}


def test_sentences_table_input_matches_articles_input(corpus):
    sents = S.sentence_table(corpus).drop(columns=["story", "n_words"])
    via_table = S.shared_sentences(sents, articles=corpus)
    via_articles = S.shared_sentences(corpus)
    pd.testing.assert_frame_equal(via_table, via_articles, check_dtype=False)


def test_sentences_table_without_story_is_one_story(corpus):
    sents = S.sentence_table(corpus).drop(columns=["story"])
    outlets = set(S.shared_sentences(sents)[["outlet_a", "outlet_b"]].stack())
    assert "Outlet D" in outlets


@pytest.mark.parametrize("data", [
    pd.DataFrame(columns=["article_id", "story", "outlet", "text"]),
    pd.DataFrame([{"article_id": "x", "story": "s", "outlet": "A", "text": None},
                  {"article_id": "y", "story": "s", "outlet": "B", "text": ""}]),
    None,
])
def test_bad_input_gives_empty_tables(data):
    assert list(S.shared_sentences(data).columns) == S.SHARED_COLUMNS
    assert S.shared_sentences(data).empty
    assert list(S.unique_sentences(data).columns) == S.UNIQUE_COLUMNS
    assert list(S.shared_text_summary(data).columns) == S.SUMMARY_COLUMNS


def test_seed_state_department_statement_is_shared(seeds):
    sh = S.shared_sentences(seeds)
    assert {"CBS News", "Fox News"} == set(sh["outlet_a"]) | set(sh["outlet_b"])
    passages = " ".join(sh["text_a"]) + " " + " ".join(sh["text_b"])
    for phrase in ("interim authorities have agreed to re-establish diplomatic and consular relations",
                   "facilitate our joint efforts to promote stability",
                   "move forward through a phased process"):
        assert phrase in passages
    assert len(sh) >= 3
    sm = S.shared_text_summary(seeds, shared=sh)
    assert len(sm) == 1 and 0 < sm["share_a"].iloc[0] < 0.5 and 0 < sm["share_b"].iloc[0] < 0.5


def test_seed_unique_sentences(seeds):
    u = S.unique_sentences(seeds)
    fox = " ".join(u[u["outlet"] == "Fox News"]["text"])
    cbs = " ".join(u[u["outlet"] == "CBS News"]["text"])
    assert "pleaded not guilty" in fox and "amnesty law" in cbs
    assert "facilitate our joint efforts" not in fox + cbs


def test_seed_sentences_table_input_gives_the_same_shared_text(seeds):
    """The study's `sentences` table as input finds the same statement passages as the articles table."""
    via_table = S.shared_sentences(tables(seeds).sentences, articles=seeds)
    via_articles = S.shared_sentences(seeds)
    key = lambda df: sorted(zip(df["passage_start_a"], df["passage_end_a"], df["passage_start_b"], df["passage_end_b"]))
    assert len(via_table) > 0 and key(via_table) == key(via_articles)


def test_wire_sentence_in_many_articles_pairs_every_cross_outlet_copy():
    arts = _articles([("a1", STORY, "Outlet A", SHARED), ("a2", STORY, "Outlet A", f"{UNIQUE_A} {SHARED}"),
                      ("b1", STORY, "Outlet B", SHARED), ("c1", STORY, "Outlet C", SHARED.replace("Friday", "Saturday"))])
    sh = S.shared_sentences(arts)
    got = sorted((r.article_id_a, r.article_id_b, r.kind) for r in sh.itertuples())
    assert got == [("a1", "b1", "identical"), ("a1", "c1", "near-identical"), ("a2", "b1", "identical"),
                   ("a2", "c1", "near-identical"), ("b1", "c1", "near-identical")]
    a2 = sh[sh["article_id_a"] == "a2"].iloc[0]
    assert arts["text"][1][a2.start_a:a2.end_a] == SHARED


def test_one_matching_is_shared_and_equals_a_fresh_one(corpus, tmp_path, monkeypatch):
    """The matching is computed once per sentence table (kept in the process and in the cache folder, for the
    other notebooks' kernels); what is read back is exactly what matching again gives."""
    from presslens import paths

    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(S, "_MATCHED", {})
    corpus = pd.concat([corpus, _articles([("e1", STORY, "Outlet E", "The ministry said the weather was fine "
                                                                       "for the harvest in the south this week.")])],
                       ignore_index=True)                    # a pair that shares words but is not shared text
    sents = S.sentence_table(corpus)
    params = (S.THRESHOLD, S.MIN_WORDS, S.MIN_SENTENCE_WORDS)
    fresh = S._match_pairs(S._prepare(sents), *params)
    assert any(m["kind"] is None for m in fresh) and {m["kind"] for m in fresh} > {None}

    shared, unique, overlap = S.shared_sentences(corpus), S.unique_sentences(corpus), S.outlet_overlap(corpus)
    kept = list((tmp_path / S.MATCH_FOLDER).glob("*.parquet"))
    assert len(kept) == 1                                    # three functions, one matching
    S._MATCHED.clear()                                       # another process: read from the cache folder
    assert S._matched(sents, *params)[1] == fresh
    pd.testing.assert_frame_equal(S.shared_sentences(corpus), shared)
    pd.testing.assert_frame_equal(S.unique_sentences(corpus), unique)
    pd.testing.assert_frame_equal(S.outlet_overlap(corpus), overlap)

    S._MATCHED.clear()
    kept[0].unlink()                                         # no cache at all: matched again, same tables
    pd.testing.assert_frame_equal(S.shared_sentences(corpus), shared)
    pd.testing.assert_frame_equal(S.unique_sentences(corpus), unique)

    kept[0].write_bytes(b"not parquet")                      # a broken file is matched again, not trusted
    S._MATCHED.clear()
    pd.testing.assert_frame_equal(S.shared_sentences(corpus), shared)

    changed = corpus.assign(text=corpus["text"].str.replace("twelve", "eleven"))
    S.shared_sentences(changed, threshold=99.5)              # other sentences or parameters: another matching
    assert len(list((tmp_path / S.MATCH_FOLDER).glob("*.parquet"))) == 2
    assert not S.shared_sentences(changed).equals(shared)
