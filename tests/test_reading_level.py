"""Readability: textstat 0.7.8 values on the clean text and the narration, quotes and furniture kept out, bad input.

Per-article values come from presslens.extract.readability (text_metrics, readability_row) with the narration
of presslens.extract.voice; the study's table is `tables(articles).readability`; presslens.reading_level
summarises and plots it."""
from __future__ import annotations

import math

import pandas as pd
import pytest
import textstat

from presslens import reading_level
from presslens.extract import readability as per_article
from presslens.extract.readability import text_metrics
from presslens.extract.voice import narration_text, quoted_spans
from presslens.reading_level import (FORMULAS, METRICS, NARRATION_PREFIX, grade_in_words, long_readability,
                                     outlet_summary, reading_ease_in_words)
from presslens.study import READABILITY_COLUMNS, readability, tables

NEWS = ("The United States and Venezuela agreed to reestablish diplomatic relations in a major shift. "
        "Relations between the two countries were cut off in 2019, during the first Trump administration. "
        "Since then, the U.S. has operated its consular services out of Bogota, Colombia.")
PLAIN = "The cat sat on the mat. The dog ran to the park. We all had fun in the sun today."
DENSE = ("Institutional considerations notwithstanding, comprehensive intergovernmental negotiations "
         "necessitated extraordinarily sophisticated diplomatic coordination mechanisms.")


def make_articles(texts, outlets=None) -> pd.DataFrame:
    outlets = outlets or ["Test Outlet"] * len(texts)
    return pd.DataFrame({"article_id": [f"t{i}" for i in range(len(texts))], "outlet": outlets, "text": texts})


@pytest.fixture(scope="module")
def seed_readability(seeds):
    return readability(seeds)


def expected_metrics(text: str) -> dict:
    """The same metrics computed here straight from textstat."""
    words = textstat.lexicon_count(text)
    return {
        "lexicon_count": words, "sentence_count": textstat.sentence_count(text),
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "gunning_fog": textstat.gunning_fog(text), "smog_index": textstat.smog_index(text),
        "coleman_liau_index": textstat.coleman_liau_index(text),
        "dale_chall": textstat.dale_chall_readability_score(text),
        "words_per_sentence": textstat.words_per_sentence(text),
        "syllables_per_word": textstat.avg_syllables_per_word(text),
        "long_word_share": textstat.long_word_count(text) / words,
        "polysyllable_share": textstat.polysyllabcount(text) / words,
    }


def test_textstat_is_the_pinned_version():
    from importlib.metadata import version

    assert version("textstat") == "0.7.8"


@pytest.mark.parametrize("text", [NEWS, PLAIN, DENSE, "Hello", "One two three four five six seven."])
def test_text_metrics_are_textstats(text):
    assert text_metrics(text) == pytest.approx(expected_metrics(text))


def test_scores_are_those_of_a_textstat_in_a_fresh_interpreter(seeds):
    """text_metrics (shared counts, its own word cache) gives the scores of a textstat no other code in this
    process has touched, computed in a fresh interpreter (JSON keeps floats exactly), and its word cache is used."""
    import json
    import subprocess
    import sys

    texts = [NEWS, PLAIN, DENSE, *seeds["text"], *seeds["raw_text"]]
    here = [text_metrics(t) for t in texts]
    hits = per_article.word_facts.cache_info().hits
    text_metrics(NEWS + " Diplomatic relations resumed.")
    assert per_article.word_facts.cache_info().hits > hits
    code = ("import json, sys, textstat\n"
            "texts = json.load(sys.stdin)\n"
            "print(json.dumps([[textstat.lexicon_count(t), textstat.sentence_count(t), textstat.flesch_reading_ease(t),"
            " textstat.flesch_kincaid_grade(t), textstat.gunning_fog(t), textstat.smog_index(t),"
            " textstat.coleman_liau_index(t), textstat.dale_chall_readability_score(t),"
            " textstat.polysyllabcount(t), textstat.long_word_count(t)] for t in texts]))\n")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
                         check=True).stdout
    for got, exp in zip(here, json.loads(out)):
        words = exp[0]
        assert [got["lexicon_count"], got["sentence_count"], got["flesch_reading_ease"], got["flesch_kincaid_grade"],
                got["gunning_fog"], got["smog_index"], got["coleman_liau_index"], got["dale_chall"],
                round(got["polysyllable_share"] * words), round(got["long_word_share"] * words)] == exp


def test_harder_text_scores_harder():
    plain, dense = text_metrics(PLAIN), text_metrics(DENSE)
    assert plain["flesch_reading_ease"] > dense["flesch_reading_ease"]
    for m in ("flesch_kincaid_grade", "gunning_fog", "coleman_liau_index", "dale_chall", "long_word_share"):
        assert plain[m] < dense[m], m


@pytest.mark.parametrize("text", ["", None, "   \n\n ", "... !!! ---"])
def test_no_words_gives_nan_not_textstats_zero(text):
    out = text_metrics(text)
    assert out["lexicon_count"] == 0 and out["sentence_count"] == 0
    assert all(math.isnan(out[m]) for m in METRICS)


def test_columns_are_the_contract(seed_readability, seeds):
    assert list(seed_readability.columns) == READABILITY_COLUMNS
    assert len(seed_readability) == len(seeds)
    for m in METRICS:
        assert m in READABILITY_COLUMNS and NARRATION_PREFIX + m in READABILITY_COLUMNS
    for name in ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
                 "coleman_liau_index", "dale_chall", "words_per_sentence", "syllables_per_word",
                 "long_word_share"):
        assert name in READABILITY_COLUMNS


def test_seed_values_are_textstats_on_the_clean_text(seeds, seed_readability):
    for art, row in zip(seeds.itertuples(), seed_readability.itertuples()):
        assert row.article_id == art.article_id and row.outlet == art.outlet
        exp = expected_metrics(art.text)
        got = {k: getattr(row, k) for k in exp}
        assert got == pytest.approx(exp)
        # the raw file (with furniture) would give different numbers: the clean text is what was scored
        assert textstat.lexicon_count(art.raw_text) > row.lexicon_count


def _seed_narration(text, aid, t):
    """The narration of one seed article, from the study's sentences and quotes (extract.voice)."""
    s, q = t.sentences, t.quotes
    sentences = [(r.start, r.end, r.paragraph) for r in s[s["article_id"] == aid].itertuples()]
    return narration_text(text, sentences, quoted_spans(text, q[q["article_id"] == aid].to_dict("records")))


def test_seed_narration_leaves_quotes_and_furniture_out(seeds, seed_readability):
    t = tables(seeds)
    for art, row in zip(seeds.itertuples(), seed_readability.itertuples()):
        nar = _seed_narration(art.text, art.article_id, t)
        exp = expected_metrics(nar)
        got = {k: getattr(row, NARRATION_PREFIX + k) for k in exp}
        assert got == pytest.approx(exp)
        assert 0 < row.narration_lexicon_count < row.lexicon_count
        assert row.quoted_word_share == pytest.approx(1 - row.narration_lexicon_count / row.lexicon_count)
        assert 0.1 < row.quoted_word_share < 0.6
        assert '"' not in nar and "\u201c" not in nar and "\u201d" not in nar
        for f in art.furniture:
            assert f["text"] not in nar
    cbs = seeds[seeds["outlet"] == "CBS News"].iloc[0]
    nar = _seed_narration(cbs.text, cbs.article_id, t)
    assert "These relations ought to result" not in nar          # a quoted sentence is dropped
    assert "will strengthen relations" not in nar                # a quoted fragment is cut
    assert "said on state televisions that such steps." in nar   # ... and its sentence kept, full stop and all
    assert "Since then, the U.S. has operated its consular services" in nar


@pytest.mark.parametrize("sents, expected", [
    (['The minister said "we will win."', "Then she left."], "Then she left."),
    (['Officials at the ministry in Caracas said on Tuesday that "we will win."', "Then she left."],
     "Officials at the ministry in Caracas said on Tuesday that. Then she left."),
    (['"We will win," the minister said.', "Then she left."], "Then she left."),
    (["No quotes here.", "None at all."], "No quotes here. None at all."),
    (['He called it "a sham" on Monday.'], "He called it on Monday."),
    (['\u201cIt is over,\u201d she said.', "Talks resume Monday."], "Talks resume Monday."),
])
def test_narration_text(sents, expected):
    text = " ".join(sents)
    spans, pos = [], 0
    for piece in sents:
        start = text.index(piece, pos)
        spans.append((start, start + len(piece), 0))
        pos = start + len(piece)
    assert narration_text(text, spans, quoted_spans(text)) == expected


@pytest.mark.parametrize("texts", [[""], [None], ["Hello"], ["   "], ['"All of it quoted, every word."']])
def test_empty_and_one_word_articles_give_defined_values(texts):
    out = readability(make_articles(texts))
    assert list(out.columns) == READABILITY_COLUMNS and len(out) == 1
    row = out.iloc[0]
    text = texts[0] if isinstance(texts[0], str) else ""
    if textstat.lexicon_count(text) == 0:
        assert row["lexicon_count"] == 0 and all(math.isnan(row[m]) for m in METRICS)
        assert math.isnan(row["quoted_word_share"])
    else:
        assert {k: row[k] for k in FORMULAS} == pytest.approx({k: v for k, v in expected_metrics(text).items()
                                                              if k in FORMULAS})
    if texts[0] and texts[0].startswith('"'):
        assert row["narration_lexicon_count"] == 0 and row["quoted_word_share"] == 1.0
        assert math.isnan(row["narration_flesch_kincaid_grade"])


def test_no_articles():
    assert list(readability(make_articles([])).columns) == READABILITY_COLUMNS


@pytest.mark.parametrize("grade, words", [
    (3.2, "elementary school"), (7.9, "middle school"), (11, "high school"), (14.9, "college"),
    (18, "graduate school"), (float("nan"), "no text"),
])
def test_grade_in_words(grade, words):
    assert words in grade_in_words(grade)


@pytest.mark.parametrize("score, words", [
    (95, "very easy"), (85, "easy"), (72, "fairly easy"), (65, "plain English"), (55, "fairly difficult"),
    (40, "difficult"), (10, "very difficult"), (-20, "very difficult"),
])
def test_reading_ease_in_words(score, words):
    assert reading_ease_in_words(score) == words


def test_long_form_and_outlet_summary(seed_readability):
    lr = long_readability(seed_readability)
    assert len(lr) == len(seed_readability) * 2 * len(METRICS)
    row = lr[(lr["scope"] == "narration") & (lr["metric"] == "gunning_fog")].iloc[0]
    assert row["value"] == seed_readability.set_index("article_id").loc[row["article_id"], "narration_gunning_fog"]
    summ = outlet_summary(seed_readability)
    assert summ["outlet"].tolist() == sorted(seed_readability["outlet"].unique())
    assert summ["n_articles"].sum() == len(seed_readability)
    assert all("US schooling" in w for w in summ["grade_in_words"])


@pytest.mark.parametrize("plot, slug", [
    ("plot_grade_levels", "04-grade-level-by-outlet"),
    ("plot_reading_ease", "04-reading-ease-by-outlet"),
    ("plot_text_shape", "04-sentence-and-word-length"),
])
@pytest.mark.parametrize("empty", [False, True])
def test_figures_write_png_svg_and_the_plotted_numbers(plot, slug, empty, seed_readability, tmp_path):
    import matplotlib.pyplot as plt

    fig, data = getattr(reading_level, plot)(seed_readability.iloc[0:0] if empty else seed_readability, slug, tmp_path)
    plt.close(fig)
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / f"{slug}.{ext}").stat().st_size > 0
    if not empty:
        assert len(pd.read_csv(tmp_path / f"{slug}.csv")) == len(data) > 0
        assert set(data["scope"]) == {"full text", "narration"}


@pytest.mark.slow
def test_notebook_04_runs_on_the_shipped_corpus(run_notebook):
    figs, _ = run_notebook("04-readability.ipynb")
    made = sorted(p.name for p in figs.glob("04-*.png"))
    assert made == sorted(["04-grade-level-by-outlet.png", "04-reading-ease-by-outlet.png",
                           "04-sentence-and-word-length.png"])
    assert all((figs / p.replace(".png", ".csv")).exists() for p in made)


def test_panels_grow_with_the_outlets_so_their_rows_stay_apart(seed_readability, tmp_path):
    import matplotlib.pyplot as plt

    many = pd.concat([seed_readability.assign(outlet=f"Outlet {i:02d}", article_id=lambda d, i=i: d["article_id"] + str(i))
                      for i in range(10)], ignore_index=True)
    heights = {}
    for name, rd in (("two", seed_readability), ("ten", many)):
        fig, _ = reading_level.plot_grade_levels(rd, "04-grade-level-by-outlet", tmp_path)
        ax = fig.axes[0]
        rows = len(ax.get_yticks())
        row_inches = ax.get_position().height * fig.get_figheight() / rows
        heights[name] = fig.get_figheight()
        plt.close(fig)
        assert row_inches >= 0.25, f"{name} outlets: {row_inches:.2f} in per row"  # an 8-pt label and its point fit
    assert heights["ten"] > heights["two"]


def test_whole_text_syllables_counted_word_by_word_are_textstats(seeds):
    """The Flesch formulas' syllable count of a whole text, summed word by word through the word cache
    (`text_counts`), equals textstat's own count exactly (accents, digits, apostrophes, hyphens and odd capitals)."""
    from textstat.backend.counts._count_syllables import count_syllables

    odd = "İstanbul's café — naïve co-operation, 1990s ŒUVRE don't 'quoted' x2 ÅNGSTRÖM"
    for text in [NEWS, PLAIN, DENSE, odd, "", *seeds["text"]]:
        assert per_article.text_counts(text).syllables == count_syllables.__wrapped__(text, "en_US")
