"""Sentence sentiment and tone toward entities: exact VADER scores on the sentence strings, voice,
per-article entity tone (targeted rows and the sentence fallback), per-outlet intervals, figures, bad input."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from presslens import sentiment
from presslens.extract.sentences import DOC_COLUMNS
from presslens.sentiment import (ARTICLE_TONE_COLUMNS, ENTITY_TONE_COLUMNS, NEGATIVE_SENTENCE_COLUMNS,
                                 article_tone, entity_sentiment, most_negative_sentences)
from presslens.study import SENTENCE_COLUMNS, sentences, tone_of

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
    from presslens.study import mentions

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
    s = sentences(make_articles([text]))
    assert s["voice"].tolist() == voices
    for r in s.itertuples():
        assert r.compound == VADER.polarity_scores(r.text)["compound"]


@pytest.mark.parametrize("compound, tone", [
    (0.05, "positive"), (0.0499, "neutral"), (0.0, "neutral"), (-0.0499, "neutral"), (-0.05, "negative"),
    (0.9, "positive"), (-0.9, "negative"),
])
def test_tone_thresholds_are_vaders(compound, tone):
    assert tone_of(compound) == tone


@pytest.mark.parametrize("texts", [[""], [None], ["   \n\n  "], ["Hello"], ['"'], ["...\n\n***"]])
def test_bad_input_gives_the_right_columns(texts):
    s = sentences(make_articles(texts))
    assert list(s.columns) == SENTENCE_COLUMNS
    assert len(s) <= 1
    if len(s):
        assert s.loc[0, "compound"] == VADER.polarity_scores(s.loc[0, "text"])["compound"]
    assert list(entity_sentiment(s).columns) == ENTITY_TONE_COLUMNS
    assert list(article_tone(s).columns) == ARTICLE_TONE_COLUMNS


def test_no_articles_and_a_long_article():
    assert list(sentences(make_articles([])).columns) == SENTENCE_COLUMNS
    para = "The minister praised the excellent, wonderful agreement. Critics called it a terrible failure."
    long_text = "\n\n".join([para] * 300)
    s = sentences(make_articles([long_text]))
    assert len(s) == 600
    assert s["paragraph"].max() == 299
    assert set(s["tone"]) == {"positive", "negative"}


def _toy_tables():
    sents = pd.DataFrame({
        "article_id": ["a", "a", "a", "b"],
        "outlet": ["X", "X", "X", "Y"],
        "sentence": [0, 1, 2, 0],
        "start": [0, 20, 40, 0],
        "end": [19, 39, 60, 30],
        "text": ["one two three", "four five", "six", "seven eight"],
        "voice": ["narration", "quote", "narration", "narration"],
        "compound": [0.5, -0.4, 0.1, -0.2],
        "entities": [["Ann"], ["Ann", "Bob"], [], ["Ann"]],
    })
    mentions = pd.DataFrame({
        "article_id": ["a", "a", "a", "a", "b"],
        "entity": ["Ann", "Ann", "Ann", "Bob", "Ann"],
        "start": [2, 10, 21, 25, 5],  # Ann named twice in sentence 0: the sentence counts once
        "end": [5, 13, 24, 28, 8],
    })
    return sents, mentions


@pytest.mark.parametrize("use_mentions", [True, False])
def test_sentence_fallback_is_per_article(use_mentions):
    sents, mentions = _toy_tables()
    out = entity_sentiment(sents, mentions if use_mentions else None)
    assert list(out.columns) == ENTITY_TONE_COLUMNS
    got = {(r.article_id, r.entity): r for r in out.itertuples()}
    assert set(got) == {("a", "Ann"), ("a", "Bob"), ("b", "Ann")}
    ann = got[("a", "Ann")]
    assert ann.compound == ann.tone_narration == pytest.approx(0.5)  # narration only: the quote is apart
    assert ann.tone_quote == pytest.approx(-0.4)
    assert (ann.n_words_narration, ann.n_words_quote) == (3, 2)
    assert ann.spans_narration == [[0, 19]] and ann.spans_quote == [[20, 39]] and ann.method == "sentence"
    assert ann.n_mentions == (3 if use_mentions else 2)
    bob = got[("a", "Bob")]
    assert math.isnan(bob.compound) and bob.tone_quote == pytest.approx(-0.4)
    assert got[("b", "Ann")].compound == pytest.approx(-0.2)


def _raw_tone():
    """Per-article rows as extract.tone gives them: two article-level names of one canonical person."""
    base = {"label": "PERSON", "n_mentions_quote": 0, "n_words_quote": 0, "valence_quote": 0.0,
            "tone_quote": np.nan, "spans_quote": []}
    return pd.DataFrame([
        {**base, "article_id": "a", "outlet": "X", "entity": "Ann Lee", "mention_spans": [[0, 7]], "n_mentions": 1,
         "n_words_narration": 4, "valence_narration": -2.0, "tone_narration": -0.459, "spans_narration": [[8, 20]],
         "cues": [[8, 12, -2.0]]},
        {**base, "article_id": "a", "outlet": "X", "entity": "Lee", "mention_spans": [[30, 33]], "n_mentions": 1,
         "n_words_narration": 2, "valence_narration": 3.0, "tone_narration": 0.6, "spans_narration": [[34, 40]],
         "cues": [[34, 38, 3.0]]},
        {**base, "article_id": "b", "outlet": "Y", "entity": "Bob", "mention_spans": [[0, 3]], "n_mentions": 1,
         "n_words_narration": 0, "valence_narration": 0.0, "tone_narration": np.nan, "spans_narration": [],
         "cues": []},
    ])


def test_targeted_rows_take_canonical_names_and_merge_exactly():
    mentions = pd.DataFrame({"article_id": ["a", "a", "b"], "entity": ["Ann B. Lee", "Ann B. Lee", "Bob Ray"],
                             "start": [0, 30, 0], "end": [7, 33, 3]})
    out = entity_sentiment(pd.DataFrame(), mentions, tone=_raw_tone())
    assert list(out.columns) == ENTITY_TONE_COLUMNS
    got = {(r.article_id, r.entity): r for r in out.itertuples()}
    assert set(got) == {("a", "Ann B. Lee"), ("b", "Bob Ray")}
    ann = got[("a", "Ann B. Lee")]
    # valences summed (-2 + 3), then VADER's normalisation x / sqrt(x^2 + 15)
    assert ann.compound == pytest.approx(1 / math.sqrt(1 + 15))
    assert (ann.n_words_narration, ann.n_mentions, ann.method) == (6, 2, "clause")
    assert ann.spans_narration == [[8, 20], [34, 40]] and len(ann.cues) == 2
    assert math.isnan(got[("b", "Bob Ray")].compound)  # nothing narrated about Bob: no tone, not 0


def test_outlet_summary_has_no_interval_for_one_article():
    et = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "outlet": ["X", "X", "X", "Y"],
                       "entity": ["Ann"] * 4, "compound": [0.1, 0.3, 0.2, -0.4],
                       "n_words_narration": [5, 5, 5, 2], "n_mentions": [1, 1, 1, 1]})
    est = sentiment.outlet_entity_tone(et).set_index("outlet")
    assert est.loc["X", "n"] == 3 and est.loc["X", "mean"] == pytest.approx(0.2)
    assert est.loc["X", "ci_low"] < 0.2 < est.loc["X", "ci_high"] and est.loc["X", "n_words"] == 15
    assert est.loc["Y", "n"] == 1 and np.isnan(est.loc["Y", "ci_low"]) and np.isnan(est.loc["Y", "ci_high"])


def test_most_negative_sentences_are_negative():
    sents = pd.DataFrame({"article_id": ["a"] * 4 + ["b"] * 2, "outlet": ["X"] * 4 + ["Y"] * 2,
                          "start": [0, 10, 20, 30, 0, 10], "end": [9, 19, 29, 39, 9, 19],
                          "text": ["s0", "s1", "s2", "s3", "t0", "t1"],
                          "voice": ["narration", "narration", "quote", "narration", "narration", "narration"],
                          "compound": [-0.6, 0.0, -0.9, -0.05, 0.0, 0.3]})
    out = most_negative_sentences(sents, n=3)
    assert list(out.columns) == NEGATIVE_SENTENCE_COLUMNS
    assert out["text"].tolist() == ["s0", "s3"]  # quote left out, 0.0 and positives never listed; Y has none
    assert (out["compound"] <= -0.05).all()


def test_scored_words_are_highlighted():
    text = "Ann Lee lied badly.\n\nWeather news.\n\nLee won."
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    et = pd.DataFrame([{"article_id": "a", "outlet": "X", "entity": "Ann Lee", "compound": -0.4,
                        "tone_narration": -0.4, "tone_quote": np.nan, "n_words_narration": 3, "n_words_quote": 0,
                        "method": "clause", "spans_narration": [[8, 18], [40, 43]], "spans_quote": [],
                        "cues": [[8, 12, -1.6], [40, 43, 2.8]]}])
    page = sentiment.scored_words_html(articles, et, "a", "Ann Lee")
    assert '<mark style="background:#ffe08a"><b title="VADER valence -1.60">lied</b> badly</mark>' in page
    assert "<b title=\"VADER valence +2.80\">won</b>" in page
    assert "Weather" not in page  # only paragraphs holding scored words
    assert "No words were scored" in sentiment.scored_words_html(articles, et, "a", "Nobody")


def test_the_chart_states_its_agreement_with_readers():
    note = sentiment.agreement_note("clause")
    assert "Pearson r" in note and "NOT a reliable measure" in note
    assert sentiment.MEASURED_AGREEMENT["clause"].r < sentiment.RELIABLE_R


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
def test_figures_write_png_svg_and_the_plotted_numbers(plot, slug, empty, seeds, seed_sentences, tmp_path):
    import matplotlib.pyplot as plt

    from presslens.study import mentions

    table = seed_sentences.iloc[0:0] if empty else seed_sentences
    if plot == "plot_entity_tone":
        table = entity_sentiment(table, mentions(seeds))
    fig, data = getattr(sentiment, plot)(table, slug, tmp_path)
    plt.close("all")
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / f"{slug}.{ext}").stat().st_size > 0
    if not empty:
        csv = pd.read_csv(tmp_path / f"{slug}.csv")
        assert len(csv) == len(data) > 0
        if "n" in data:
            assert (data["n"] >= 1).all()
            assert data.loc[data["n"] < 2, "ci_low"].isna().all()


def test_plots_take_their_slug_from_the_caller():
    import inspect

    for name in ("plot_voice_tone", "plot_sentence_tone", "plot_tone_shares", "plot_entity_tone"):
        assert inspect.signature(getattr(sentiment, name)).parameters["slug"].default is inspect.Parameter.empty


@pytest.mark.slow
def test_notebook_03_runs_on_the_shipped_corpus(run_notebook):
    figs, _ = run_notebook("03-sentiment.ipynb")
    made = sorted(p.name for p in figs.glob("03-*.png"))
    assert made == sorted(f"{s}.png" for s in ("03-tone-narration-vs-quotes", "03-sentence-tone-by-outlet",
                                               "03-share-negative-neutral-positive",
                                               "03-tone-toward-top-entities"))
    assert all((figs / p.replace(".png", ".csv")).exists() for p in made)


def test_the_tone_share_chart_grows_with_its_rows(tmp_path):
    """Ten outlets x two voices get their own room (ROW_HEIGHT a row), so n labels do not run into the row above;
    two outlets keep the house size."""
    import matplotlib.pyplot as plt

    from presslens.figures import FIGSIZE, ROW_HEIGHT

    rng = np.random.default_rng(0)

    def table(n_outlets):
        rows = [{"article_id": f"{o}-{i}", "outlet": f"Outlet {o}", "voice": v, "n_sentences": 10,
                 "mean_compound": 0.0, **{f"share_{t}": rng.uniform() for t in sentiment.TONES}}
                for o in range(n_outlets) for i in range(5) for v in sentiment.VOICES]
        return pd.DataFrame(rows)

    for n_outlets, least in ((2, FIGSIZE[1]), (10, ROW_HEIGHT * 20)):
        fig, _ = sentiment.plot_tone_shares(table(n_outlets), "03-tone-size-test", tmp_path)
        assert fig.get_size_inches()[1] >= least
        if n_outlets == 2:
            assert fig.get_size_inches()[1] == FIGSIZE[1]
        plt.close(fig)


def test_group_sums_equal_pandas_for_one_row_and_many_rows_with_missing_values():
    from presslens.entity_tone import _total

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"g": rng.integers(0, 40, 400), "v": rng.normal(size=400), "n": rng.integers(0, 9, 400)})
    df.loc[rng.choice(400, 60, replace=False), "v"] = np.nan
    df = pd.concat([df, pd.DataFrame({"g": [98, 99], "v": [np.nan, 0.25], "n": [4, 7]})], ignore_index=True)
    want = df.groupby("g")[["v", "n"]].sum()
    for g, idx in df.groupby("g").indices.items():
        assert float(_total(df["v"].to_numpy(), idx)) == pytest.approx(want.loc[g, "v"], abs=1e-12)
        assert int(_total(df["n"].to_numpy(), idx)) == want.loc[g, "n"]
    assert _total(df["v"].to_numpy(), df.groupby("g").indices[98]) == 0.0  # one missing value counts as 0


def test_building_the_entity_tone_table_does_not_load_matplotlib():
    import subprocess
    import sys

    code = "import sys, presslens.study, presslens.entity_tone; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
