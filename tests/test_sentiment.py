"""Sentence sentiment: exact VADER scores on the sentence strings, voice, entities, per-entity tone, bad input."""
from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from presslens import paths, sentiment
from presslens.loader import load_corpus
from presslens.sentiment import (ARTICLE_TONE_COLUMNS, DOC_COLUMNS, ENTITY_SENTIMENT_COLUMNS, SENTENCE_COLUMNS,
                                 article_tone, entity_sentiment, quote_mark_spans, sentences, tone_of)

VADER = SentimentIntensityAnalyzer()  # an independent analyzer: the tables must agree with it exactly


def make_articles(texts, outlets=None) -> pd.DataFrame:
    """A hand-made articles table (article_id, outlet, text) for small texts."""
    outlets = outlets or ["Test Outlet"] * len(texts)
    return pd.DataFrame({"article_id": [f"t{i}" for i in range(len(texts))], "outlet": outlets, "text": texts})


@pytest.fixture(scope="module")
def seed_sentences(seeds):
    return sentences(seeds)


def test_columns_are_the_contract(seed_sentences):
    assert list(seed_sentences.columns) == SENTENCE_COLUMNS
    assert SENTENCE_COLUMNS[:2] == ["article_id", "outlet"]
    assert set(DOC_COLUMNS) <= set(SENTENCE_COLUMNS)
    for col in ("sentence", "start", "end", "paragraph", "text", "neg", "neu", "pos", "compound", "voice",
                "speaker", "entities"):
        assert col in SENTENCE_COLUMNS


def test_scores_are_exactly_vaders_on_the_sentence_string(seeds, seed_sentences):
    assert len(seed_sentences) > 20
    texts = dict(zip(seeds["article_id"], seeds["text"]))
    for r in seed_sentences.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.text
        expected = VADER.polarity_scores(r.text)
        assert (r.neg, r.neu, r.pos, r.compound) == (expected["neg"], expected["neu"], expected["pos"],
                                                     expected["compound"])
        assert r.tone == tone_of(r.compound)


def test_sentences_tile_the_text_in_order(seeds, seed_sentences):
    for aid, g in seed_sentences.groupby("article_id"):
        text = seeds.set_index("article_id").loc[aid, "text"]
        starts, ends = g["start"].tolist(), g["end"].tolist()
        assert starts == sorted(starts) and all(e <= s for e, s in zip(ends, starts[1:]))
        # everything between sentences is whitespace: no words fall out of the table
        gaps = [text[e:s] for e, s in zip([0] + ends, starts + [len(text)])]
        assert all(not gap.strip() for gap in gaps), gaps
        assert all(any(ch.isalnum() for ch in t) for t in g["text"])  # no stray `"` sentence
        assert g["paragraph"].is_monotonic_increasing


def test_seed_furniture_never_reaches_the_sentences(seeds, seed_sentences):
    furniture = [f["text"] for spans in seeds["furniture"] for f in spans]
    assert len(furniture) == 3  # CBS photo caption, Fox listen prompt and contributor line
    joined = "\n".join(seed_sentences["text"])
    for piece in furniture:
        assert piece not in joined
    for marker in ("Getty Images", "listen to Fox News", "contributed to this reporting"):
        assert marker not in joined


def test_seed_voices_and_speakers(seed_sentences):
    by_start = {r.text[:40]: r for r in seed_sentences.itertuples()}

    def row(prefix):
        return next(r for k, r in by_start.items() if k.startswith(prefix))

    quoted = row('"These relations ought to result')
    assert quoted.voice == "quote" and quoted.speaker and "Rodr" in quoted.speaker
    assert row("The move comes after Trump").voice == "narration"
    assert row("The move comes after Trump").speaker is None
    # the second sentence of Burgum's two-sentence quote has no opening mark, and is still his voice
    assert row("We want to clear the path").voice == "quote"
    # a paraphrase with a short quoted fragment stays the outlet's voice
    assert row("Acting President Delcy").voice == "narration"
    assert set(seed_sentences["voice"]) == {"narration", "quote"}


def test_seed_entities_come_from_the_mentions_table(seeds, seed_sentences):
    from presslens.entities import mentions

    m = mentions(seeds)
    for r in seed_sentences.itertuples():
        inside = m[(m["article_id"] == r.article_id) & (m["start"] >= r.start) & (m["start"] < r.end)]
        assert sorted(r.entities) == sorted(set(inside["entity"]))
    assert any("Burgum" in e for ents in seed_sentences["entities"] for e in ents)


@pytest.mark.parametrize("text, voices", [
    ("The talks went well, officials said on Thursday.", ["narration"]),
    ('"We are delighted with this wonderful result," the minister said.', ["quote"]),
    ("\u201cTerrible, awful news for everyone here,\u201d he said.", ["quote"]),
    ('The minister called the deal "a disaster" in a long interview on Friday morning.', ["narration"]),
    ('"No," she said.', ["quote"]),
    ('A loud-mouthed, white "he."', ["narration"]),
    ('Oz reviewed his systems" in detail. The only "medical records" he released were a letter.',
     ["narration", "narration"]),
    ('The president said "absolutely not."', ["quote"]),
    ('"No," said the foreign minister at a crowded news conference in Caracas.', ["narration"]),
    ('She said: "This is great news for the whole country."', ["quote"]),
    ('"We told them to come. We want them here and working," Burgum told reporters.', ["quote", "quote"]),
    ('"This first paragraph of the quote runs on without a closing mark\n\n'
     '"And this one closes it," she said.', ["quote", "quote"]),
    ("The budget passed. Critics hated it.", ["narration", "narration"]),
])
def test_voice_of_small_texts(text, voices):
    s = sentences(make_articles([text]), mentions=pd.DataFrame(columns=["article_id", "entity", "start"]))
    assert s["voice"].tolist() == voices
    for r in s.itertuples():
        assert r.compound == VADER.polarity_scores(r.text)["compound"]


@pytest.mark.parametrize("compound, tone", [
    (0.05, "positive"), (0.0499, "neutral"), (0.0, "neutral"), (-0.0499, "neutral"), (-0.05, "negative"),
    (0.9, "positive"), (-0.9, "negative"),
])
def test_tone_thresholds_are_vaders(compound, tone):
    assert tone_of(compound) == tone


@pytest.mark.parametrize("text, quoted", [
    ('He said "yes" and left.', ['"yes"']),
    ("\u201cOne,\u201d she said, \u201ctwo.\u201d", ["\u201cOne,\u201d", "\u201ctwo.\u201d"]),
    ('"Open to the end of the paragraph\n\nNext paragraph.', ['"Open to the end of the paragraph']),
    ("No quotes at all, only Venezuela\u2019s apostrophe.", []),
    ('a review of his systems" and the "medical records" he released', ['"medical records"']),
    ("", []),
])
def test_quote_mark_spans(text, quoted):
    assert [text[s:e] for s, e in quote_mark_spans(text)] == quoted


@pytest.mark.parametrize("texts", [[""], [None], ["   \n\n  "], ["Hello"], ['"'], ["...\n\n***"]])
def test_bad_input_gives_the_right_columns(texts):
    s = sentences(make_articles(texts))
    assert list(s.columns) == SENTENCE_COLUMNS
    assert len(s) <= 1
    if len(s):
        assert s.loc[0, "compound"] == VADER.polarity_scores(s.loc[0, "text"])["compound"]
    assert list(entity_sentiment(s).columns) == ENTITY_SENTIMENT_COLUMNS
    assert list(article_tone(s).columns) == ARTICLE_TONE_COLUMNS


def test_no_articles_and_a_long_article():
    assert list(sentences(make_articles([])).columns) == SENTENCE_COLUMNS
    para = "The minister praised the excellent, wonderful agreement. Critics called it a terrible failure."
    long_text = "\n\n".join([para] * 300)
    s = sentences(make_articles([long_text]))
    assert len(s) == 600
    assert s["paragraph"].max() == 299
    assert set(s["tone"]) == {"positive", "negative"}


def test_one_analyzer_per_process():
    assert sentiment.analyzer() is sentiment.analyzer()


def _toy_tables():
    sents = pd.DataFrame({
        "article_id": ["a", "a", "a", "b"],
        "outlet": ["X", "X", "X", "Y"],
        "sentence": [0, 1, 2, 0],
        "start": [0, 20, 40, 0],
        "end": [19, 39, 60, 30],
        "voice": ["narration", "quote", "narration", "narration"],
        "compound": [0.5, -0.4, 0.1, -0.2],
        "entities": [["Ann"], ["Ann", "Bob"], [], ["Ann"]],
    })
    mentions = pd.DataFrame({
        "article_id": ["a", "a", "a", "a", "b"],
        "entity": ["Ann", "Ann", "Ann", "Bob", "Ann"],
        "start": [2, 10, 21, 25, 5],  # Ann named twice in sentence 0: counted once
    })
    return sents, mentions


@pytest.mark.parametrize("use_mentions", [True, False])
def test_entity_sentiment_on_a_toy_table(use_mentions):
    sents, mentions = _toy_tables()
    out = entity_sentiment(sents, mentions if use_mentions else None)
    assert list(out.columns) == ENTITY_SENTIMENT_COLUMNS
    got = {(r.outlet, r.entity): r for r in out.itertuples()}
    assert set(got) == {("X", "Ann"), ("X", "Bob"), ("Y", "Ann")}
    ann = got[("X", "Ann")]
    assert (ann.n_articles, ann.n_sentences, ann.n_narration) == (1, 2, 1)
    assert ann.mean_compound == pytest.approx((0.5 - 0.4) / 2)
    assert ann.mean_compound_narration == pytest.approx(0.5)
    bob = got[("X", "Bob")]
    assert (bob.n_sentences, bob.n_narration) == (1, 0) and math.isnan(bob.mean_compound_narration)
    assert got[("Y", "Ann")].mean_compound == pytest.approx(-0.2)


def test_entity_sentiment_on_the_seeds_matches_a_recount(seeds, seed_sentences):
    from presslens.entities import mentions

    out = entity_sentiment(seed_sentences, mentions(seeds))
    assert len(out) > 5
    assert out["n_sentences"].is_monotonic_decreasing
    ex = seed_sentences.explode("entities")
    for r in out.head(10).itertuples():
        g = ex[(ex["outlet"] == r.outlet) & (ex["entities"] == r.entity)]
        assert r.n_sentences == len(g)
        assert r.mean_compound == pytest.approx(g["compound"].mean())
        nar = g[g["voice"] == "narration"]
        assert r.n_narration == len(nar)
        if len(nar):
            assert r.mean_compound_narration == pytest.approx(nar["compound"].mean())


def test_article_tone_shares(seed_sentences):
    at = article_tone(seed_sentences)
    assert list(at.columns) == ARTICLE_TONE_COLUMNS
    assert set(at["voice"]) == {"all", "narration", "quote"}
    shares = at[["share_negative", "share_neutral", "share_positive"]].sum(axis=1)
    assert shares.round(9).eq(1).all()
    alls = at[at["voice"] == "all"].set_index("article_id")
    for aid, g in seed_sentences.groupby("article_id"):
        assert alls.loc[aid, "n_sentences"] == len(g)
        assert alls.loc[aid, "mean_compound"] == pytest.approx(g["compound"].mean())


@pytest.mark.parametrize("plot, slug", [
    ("plot_voice_tone", "03-tone-narration-vs-quotes"),
    ("plot_sentence_tone", "03-sentence-tone-by-outlet"),
    ("plot_tone_shares", "03-share-negative-neutral-positive"),
    ("plot_entity_tone", "03-tone-toward-top-entities"),
])
@pytest.mark.parametrize("empty", [False, True])
def test_figures_write_png_svg_and_the_plotted_numbers(plot, slug, empty, seed_sentences, tmp_path):
    import matplotlib.pyplot as plt

    table = seed_sentences.iloc[0:0] if empty else seed_sentences
    if plot == "plot_entity_tone":
        table = entity_sentiment(table)
    data = getattr(sentiment, plot)(table, tmp_path)
    plt.close("all")
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / f"{slug}.{ext}").stat().st_size > 0
    if not empty:
        csv = pd.read_csv(tmp_path / f"{slug}.csv")
        assert len(csv) == len(data) > 0
        if "n" in data:
            assert (data["n"] >= 1).all()


@pytest.mark.slow
def test_notebook_03_runs_on_the_shipped_corpus(run_notebook):
    figs, _ = run_notebook("03-sentiment.ipynb")
    made = sorted(p.name for p in figs.glob("03-*.png"))
    assert made == sorted(f"{s}.png" for s in ("03-tone-narration-vs-quotes", "03-sentence-tone-by-outlet",
                                               "03-share-negative-neutral-positive",
                                               "03-tone-toward-top-entities"))
    assert all((figs / p.replace(".png", ".csv")).exists() for p in made)


def test_estimate_rows_give_an_interval_only_with_two_articles_or_more():
    df = pd.DataFrame({"outlet": ["X", "X", "X", "Y"], "voice": ["narration"] * 4,
                       "mean_compound": [0.1, 0.3, 0.2, -0.4]})
    est = sentiment.estimate_rows(df, "mean_compound", ["outlet", "voice"]).set_index("outlet")
    assert est.loc["X", "n"] == 3 and est.loc["X", "mean"] == pytest.approx(0.2)
    assert est.loc["X", "ci_low"] < 0.2 < est.loc["X", "ci_high"]
    assert est.loc["Y", "n"] == 1 and est.loc["Y", "ci_low"] == est.loc["Y", "ci_high"] == -0.4
    assert est.loc["X", "label"] == "X · narration"
