"""Tests for presslens.aggregates (DuckDB over the study's tables in the store) and the per-story build
of presslens.study: each aggregate equals the pandas summary the notebooks compute from `pl.tables`,
and a corpus of several stories gets its names story by story."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from presslens import aggregates, entities, gender_split, overview, pipeline, reading_level, sentiment, study, voices
from presslens.figures import estimate_rows


def notebook_summaries(t, articles) -> dict:
    """The pandas summaries of notebooks 00-04 and 06, under the aggregates' names."""
    rates = entities.mention_rates(t.mentions, articles)
    tone = sentiment.article_tone(t.sentences)
    voiced = tone[tone["voice"].isin(sentiment.VOICES)]
    shares = pd.concat([estimate_rows(voiced, f"share_{x}", ["outlet", "voice"]).assign(tone=x)
                        for x in sentiment.TONES], ignore_index=True)
    return {"coverage": overview.coverage_table(articles), "mention_rates": rates,
            "top_entities": entities.top_entities(rates), "share_of_voice": voices.share_of_voice(t.quotes),
            "speaker_type_shares": voices.speaker_type_shares(t.quotes), "article_tone": tone,
            "tone_shares": shares, "readability_summary": reading_level.outlet_summary(t.readability),
            "gender_shares": gender_split.gender_shares(t.quotes, t.mentions)}


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert len(got) == len(want)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want[list(got.columns)].reset_index(drop=True),
                                  check_dtype=False, rtol=1e-12)


@pytest.fixture(scope="module")
def shipped(seeds, tmp_path_factory):
    """The shipped corpus: its tables in memory, and its aggregates over a store built from it."""
    cache = tmp_path_factory.mktemp("agg-cache")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = study.tables(seeds, cache_dir=cache)
        folder = study.build_store(seeds, cache_dir=cache)
    study._MEMO.clear()  # the in-process memo is not keyed by cache folder: other modules' builds start afresh
    return t, folder, aggregates.summary(aggregates.source(folder))


@pytest.mark.parametrize("name", ["coverage", "mention_rates", "top_entities", "share_of_voice",
                                  "speaker_type_shares", "article_tone", "tone_shares", "readability_summary",
                                  "gender_shares"])
def test_each_aggregate_equals_the_notebook_summary(shipped, seeds, name):
    t, _, got = shipped
    want = notebook_summaries(t, seeds)[name]
    assert len(got[name]) > 0
    assert_same(got[name], want)


def test_aggregates_have_real_values(shipped, seeds):
    _, _, got = shipped
    cov = got["coverage"].set_index("outlet")
    assert cov["articles"].sum() == len(seeds)
    assert cov["words"].sum() == seeds["n_words"].sum()
    top = got["top_entities"]
    assert not top.empty and (top["per_1000_words"] > 0).all()
    # self-references are left out, as the notebooks do: no outlet's top list names the outlet itself
    assert not any(o.split()[0] in e for o, e in zip(top["outlet"], top["entity"]))


def test_a_story_and_month_selection_reads_only_those_files(shipped, seeds):
    _, folder, _ = shipped
    story = seeds["story"].iloc[0]
    assert aggregates.coverage(aggregates.source(folder, stories=[story]))["articles"].sum() == len(seeds)
    assert aggregates.coverage(aggregates.source(folder, stories=["no such story"])).empty
    assert aggregates.coverage(aggregates.source(folder, months=["1999-01"])).empty


def test_an_unchanged_story_is_not_built_again(shipped, seeds):
    _, folder, _ = shipped
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*.parquet")}
    study.build_store(seeds, cache_dir=folder.parent.parent.parent)
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*.parquet")} == before


# --- several stories: names decided per story ---------------------------------------------------------

def _rows(mentions: list[tuple], quotes: list[tuple] = ()) -> dict:
    """Per-article rows as the extraction layer gives them: (surface, label, start) mentions, (quote,
    speaker, start) quotes; every other table empty but for one readability row."""
    ms = [dict.fromkeys(pipeline.COLUMNS["mentions"]) | {"entity": s, "surface": s, "label": lab, "start": a,
          "end": a + len(s), "sentence": 0, "paragraph": 0, "in_quote": False} for s, lab, a in mentions]
    qs = [dict.fromkeys(pipeline.COLUMNS["quotes"]) | {"quote": q, "speaker": sp, "start": a, "end": a + len(q),
          "kind": "direct", "paragraph": 0} for q, sp, a in quotes]
    rd = dict.fromkeys(pipeline.COLUMNS["readability"], 1.0) | {"lexicon_count": 10, "sentence_count": 1,
                                                               "narration_lexicon_count": 10,
                                                               "narration_sentence_count": 1}
    return {"mentions": ms, "quotes": qs, "sentences": [], "narration": [], "readability": [rd], "gender": [],
            "entity_tone": []}


@pytest.fixture
def two_stories(monkeypatch):
    """Three articles: story 'a' names only 'Smith'; story 'b' names 'John Smith' and 'Smith'. The per-
    article rows are given (no parse)."""
    text = "x" * 200
    articles = pd.DataFrame({"article_id": ["a1", "b1", "a2"], "story": ["a", "b", "a"],
                             "outlet": ["Daily One", "Daily Two", "Daily Two"], "outlet_domain": None,
                             "date": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05"]),
                             "text": text, "n_words": [40, 50, 60]})
    rows = {"a1": _rows([("Smith", "PERSON", 0), ("Smith", "PERSON", 20)], [("We will win", "Smith", 40)]),
            "b1": _rows([("John Smith", "PERSON", 0), ("Smith", "PERSON", 30)], [("It is done", "Smith", 60)]),
            "a2": _rows([("Smith", "PERSON", 5)])}
    monkeypatch.setattr(study, "analyze", lambda arts, **kw: pipeline.tables_from_results(
        list(arts["article_id"]), list(arts["outlet"]), [rows[a] for a in arts["article_id"]]))
    return articles


def test_names_are_decided_within_each_story(two_stories):
    t = study.tables(two_stories, aliases=False, cache=False)
    names = t.mentions.groupby("article_id")["entity"].agg(set).to_dict()
    # corpus-wide, the lone "Smith" of story a would become story b's "John Smith"; per story it stays
    assert names == {"a1": {"Smith"}, "a2": {"Smith"}, "b1": {"John Smith"}}
    assert list(t.quotes["speaker_entity"]) == ["Smith", "John Smith"]
    # rows keep the articles' order, not the stories'
    assert list(dict.fromkeys(t.mentions["article_id"])) == ["a1", "b1", "a2"]
    one = study.tables(two_stories[two_stories["story"] == "a"].reset_index(drop=True), aliases=False, cache=False)
    assert_same(t.mentions[t.mentions["article_id"] != "b1"], one.mentions)


def test_alias_lines_are_warned_about_only_when_no_story_has_the_name(two_stories):
    aliases = pd.DataFrame({"canonical": ["Jon Smith", "Jon Smith", "Ann Roe", "Ann Roe"],
                            "alias": ["Jon Smith", "John Smith", "Ann Roe", "Anne Roe"], "label": None,
                            "source": "aliases.csv", "line": [2, 2, 3, 3]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = study.tables(two_stories, aliases=aliases, cache=False)
    said = [str(w.message) for w in caught if "matches no mention" in str(w.message)]
    assert len(said) == 1 and "'Anne Roe'" in said[0]  # line 2 matches story b: not warned about
    assert list(t.unknown_aliases["alias"]) == ["Anne Roe"]
    assert "Jon Smith" in set(t.mentions["entity"])


def test_aggregates_over_several_stories_equal_the_summaries(two_stories, tmp_path, monkeypatch):
    monkeypatch.setattr(study, "parts_folder", lambda cache_dir=None: tmp_path / "parts")
    t = study.tables(two_stories, aliases=False, cache=False)
    folder = study.build_store(two_stories, aliases=False)
    got = aggregates.summary(aggregates.source(folder))
    want = notebook_summaries(t, two_stories)
    for name in ("coverage", "mention_rates", "share_of_voice", "speaker_type_shares", "readability_summary",
                 "gender_shares"):
        assert_same(got[name], want[name])
    assert sorted(p.name for p in (folder / "mentions").iterdir()) == ["story=a", "story=b"]
    assert sorted(p.name for p in (folder / "mentions" / "story=a").iterdir()) == ["month=2026-01", "month=2026-03"]


def test_the_study_build_keeps_the_parts_the_notebooks_read(seeds, tmp_path, monkeypatch):
    """`study.tables` writes each story it builds into the parts, so `corpus_source` (what the notebooks
    call) builds nothing again and reads the same numbers."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = study.tables(seeds, cache_dir=tmp_path)
    study._MEMO.clear()

    def no_second_build(*_a, **_k):
        raise AssertionError("a story was built a second time")

    monkeypatch.setattr(study, "_build_story", no_second_build)
    src = aggregates.corpus_source(seeds, cache_dir=tmp_path)
    assert src.stories == tuple(seeds["story"].unique())
    assert_same(aggregates.coverage(src), overview.coverage_table(seeds))
    assert_same(aggregates.share_of_voice(src), voices.share_of_voice(t.quotes))


def test_a_corpus_source_reads_only_its_own_stories(seeds, tmp_path):
    other = seeds.assign(story="another story", article_id=seeds["article_id"] + "-b")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study.build_store(other, cache_dir=tmp_path)
        src = aggregates.corpus_source(seeds, cache_dir=tmp_path)
    study._MEMO.clear()
    assert aggregates.coverage(src)["articles"].sum() == len(seeds)
    assert aggregates.coverage(aggregates.source(src.folder))["articles"].sum() == 2 * len(seeds)


@pytest.mark.parametrize("notebook, calls", [
    ("00-corpus-overview", ["aggregates.coverage("]),
    ("01-entity-mentions", ["aggregates.mention_rates("]),
    ("02-quote-attribution", ["aggregates.share_of_voice(", "aggregates.speaker_type_shares("]),
    ("03-sentiment", ["aggregates.article_tone("]),
    ("04-readability", ["aggregates.readability_summary("]),
    ("06-whose-voices", ["aggregates.gender_shares("]),
])
def test_the_notebooks_per_outlet_tables_come_from_the_aggregates(notebook, calls):
    import json

    from presslens import paths

    nb = json.loads((paths.NOTEBOOKS_DIR / f"{notebook}.ipynb").read_text(encoding="utf8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "aggregates.corpus_source(articles)" in code
    for call in calls:
        assert call in code


def test_a_stored_source_builds_each_story_once_and_reads_the_study_s_rows(two_stories, tmp_path, monkeypatch):
    """`stored_source` (the totals notebook's way in) builds each story into the store, says each story's
    articles as done, and a second call builds nothing; the per-article table reads back as the study has it."""
    monkeypatch.setattr(study, "parts_folder", lambda cache_dir=None: tmp_path / "parts")
    t = study.tables(two_stories, aliases=False, cache=False)
    seen = []
    src = aggregates.stored_source(two_stories, aliases=False, done=seen.append)
    assert src.stories == ("a", "b") and sorted(seen) == [1, 2]
    rd = aggregates.article_rows(src, "readability")
    assert list(rd["article_id"]) == ["a1", "b1", "a2"]           # the corpus's order, not the stories'
    pd.testing.assert_frame_equal(rd, t.readability)
    assert len(aggregates.build_keys(src)) == 2

    def no_second_build(*_a, **_k):
        raise AssertionError("a story was built a second time")

    monkeypatch.setattr(study, "_build_story", no_second_build)
    seen.clear()
    assert aggregates.stored_source(two_stories, aliases=False, done=seen.append) == src
    assert sorted(seen) == [1, 2]
    with pytest.raises(ValueError, match="one row per article"):
        aggregates.article_rows(src, "mentions")


@pytest.mark.parametrize("name", ["mentions", "quotes", "sentences", "readability"])
def test_an_exported_table_is_the_study_s_table_as_the_report_exports_it(shipped, name, tmp_path):
    """DuckDB's export from the store holds every row of the study's table, in its order, with list
    columns as the same JSON text the report's pandas export writes (names with accents unescaped)."""
    from presslens.report import _exportable

    t, folder, _ = shipped
    path = tmp_path / f"{name}.parquet"
    n = aggregates.export_table(aggregates.source(folder), name, path)
    want = _exportable(getattr(t, name))
    assert n == len(want) > 0
    pd.testing.assert_frame_equal(pd.read_parquet(path), want, check_dtype=False)


def test_the_exported_articles_are_the_corpus_s_in_its_order(shipped, seeds, tmp_path):
    _, folder, _ = shipped
    path = tmp_path / "articles.parquet"
    assert aggregates.export_table(aggregates.source(folder), "articles", path) == len(seeds)
    got = pd.read_parquet(path)
    assert list(got["article_id"]) == list(seeds["article_id"]) and "text" not in got
    assert aggregates.export_table(aggregates.source(folder, stories=["no such story"]), "articles",
                                   tmp_path / "none.parquet") == 0
    assert not (tmp_path / "none.parquet").exists()


def test_a_source_narrowed_to_outlets_sums_only_theirs(two_stories, tmp_path, monkeypatch):
    """`top_outlets` ranks outlets by articles; a Source with `outlets` reads only their rows, in every table
    (what the totals notebook charts when a corpus has more outlets than a chart can show)."""
    monkeypatch.setattr(study, "parts_folder", lambda cache_dir=None: tmp_path / "parts")
    src = aggregates.stored_source(two_stories, aliases=False)
    assert aggregates.top_outlets(src, 5) == ["Daily Two", "Daily One"]    # 2 articles, then 1
    assert aggregates.top_outlets(src, 1) == ["Daily Two"]
    one = src._replace(outlets=("Daily Two",))
    assert set(aggregates.coverage(one)["outlet"]) == {"Daily Two"}
    assert aggregates.coverage(one)["articles"].sum() == 2
    assert set(aggregates.mention_rates(one)["outlet"]) == {"Daily Two"}
    assert list(aggregates.article_rows(one)["article_id"]) == ["b1", "a2"]
    assert aggregates.coverage(src._replace(outlets=())).empty
