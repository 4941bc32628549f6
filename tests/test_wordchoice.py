"""Distinctive terms (Fightin' Words log-odds), narration spans and actor naming (presslens.wordchoice)."""
from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from presslens import paths
from presslens import wordchoice as W


def _articles(rows):
    return pd.DataFrame([{"article_id": aid, "outlet": outlet, "text": text} for aid, outlet, text in rows])


@pytest.fixture
def framing():
    """Outlet A says "regime", outlet B says "government"; both say "talks" equally."""
    return _articles([
        ("a1", "A", "The regime held talks. The regime denied it. Regime officials left the talks."),
        ("a2", "A", "Talks resumed as the regime waited."),
        ("b1", "B", "The government held talks. The government denied it. Government officials left the talks."),
        ("b2", "B", "Talks resumed as the government waited."),
    ])


def fightin_words_z(y_i, n_i, y_j, n_j, a_w, a_0):
    """Monroe, Colaresi & Quinn (2008) eq. 16 and 20, written out independently of the module."""
    odds_i = (y_i + a_w) / (n_i + a_0 - y_i - a_w)
    odds_j = (y_j + a_w) / (n_j + a_0 - y_j - a_w)
    delta = math.log(odds_i) - math.log(odds_j)
    sigma2 = 1 / (y_i + a_w) + 1 / (y_j + a_w)
    return delta / math.sqrt(sigma2)


@pytest.mark.parametrize("y_i, n_i, y_j, n_j, a_w, a_0", [
    (5, 100, 1, 120, 6, 220), (0, 50, 4, 50, 4, 100), (3, 10, 3, 10, 0.5, 20)])
def test_log_odds_z_matches_formula(y_i, n_i, y_j, n_j, a_w, a_0):
    delta, var, z = W.log_odds_z(y_i, n_i, y_j, n_j, a_w, a_0)
    assert z == pytest.approx(fightin_words_z(y_i, n_i, y_j, n_j, a_w, a_0))
    assert var == pytest.approx(1 / (y_i + a_w) + 1 / (y_j + a_w))


def test_distinctive_terms_z_matches_direct_computation():
    """Tiny corpus: counts by hand, prior = corpus counts, z by the formula; every unigram row must agree."""
    arts = _articles([("a", "A", "red red red blue"), ("b", "B", "red blue blue green")])
    t = W.distinctive_terms(arts, min_count=1, stopwords=False, ngrams=(1,))
    counts = {"A": {"red": 3, "blue": 1, "green": 0}, "B": {"red": 1, "blue": 2, "green": 1}}
    corpus = {w: counts["A"][w] + counts["B"][w] for w in ("red", "blue", "green")}
    a0 = sum(corpus.values())
    assert len(t) == 6
    for r in t.itertuples():
        other = "B" if r.outlet == "A" else "A"
        n_i, n_j = sum(counts[r.outlet].values()), sum(counts[other].values())
        y_i, y_j = counts[r.outlet][r.term], counts[other][r.term]
        assert (r.count, r.count_rest, r.tokens, r.tokens_rest, r.prior) == (y_i, y_j, n_i, n_j, corpus[r.term])
        assert r.z == pytest.approx(fightin_words_z(y_i, n_i, y_j, n_j, corpus[r.term], a0))
    # symmetric for two outlets: A's z for a word is minus B's
    z = t.set_index(["outlet", "term"])["z"]
    assert z[("A", "red")] == pytest.approx(-z[("B", "red")])
    assert z[("A", "red")] > 0 > z[("A", "blue")]


def test_prior_scale_shrinks_scores():
    arts = _articles([("a", "A", "red red red blue"), ("b", "B", "red blue blue green")])
    weak = W.distinctive_terms(arts, min_count=1, stopwords=False, ngrams=(1,), prior_scale=0.1)
    strong = W.distinctive_terms(arts, min_count=1, stopwords=False, ngrams=(1,), prior_scale=10)
    z = lambda t: t.set_index(["outlet", "term"])["z"][("A", "red")]
    assert abs(z(weak)) > abs(z(strong))


def test_expected_distinctive_terms(framing):
    t = W.distinctive_terms(framing, min_count=2)
    assert list(t.columns) == W.TERM_COLUMNS
    top = W.top_terms(t, k=1, min_z=0)
    assert dict(zip(top["outlet"], top["term"])) == {"A": "regime", "B": "government"}
    talks = t[(t["term"] == "talks")]
    assert talks["z"].abs().max() == pytest.approx(0, abs=1e-9)
    regime = t[(t["outlet"] == "A") & (t["term"] == "regime")].iloc[0]
    assert (regime["count"], regime["count_rest"], regime["articles"], regime["articles_rest"]) == (4, 0, 2, 0)
    assert regime["per_1000"] == pytest.approx(1000 * 4 / regime["tokens"])
    # bigrams are scored against bigram totals; stopword-only bigrams ("as the") are left out
    assert ("the regime", 2) in set(zip(t["term"], t["ngram"]))
    assert "as the" not in set(t["term"]) and "the" not in set(t["term"])


def test_three_outlets_each_against_the_rest():
    arts = _articles([("a", "A", "storm storm flood"), ("b", "B", "flood flood storm"), ("c", "C", "storm fire fire")])
    t = W.distinctive_terms(arts, min_count=1, stopwords=False, ngrams=(1,))
    storm = t[t["term"] == "storm"].set_index("outlet")
    assert storm.loc["A", "count_rest"] == 2 and storm.loc["C", "count_rest"] == 3
    assert storm.loc["A", "tokens_rest"] == 6
    assert set(t["outlet"]) == {"A", "B", "C"}


def test_min_count_filter(framing):
    assert W.distinctive_terms(framing, min_count=7).empty
    assert set(W.distinctive_terms(framing, min_count=5)["term"]) == {"talks"}
    assert (W.distinctive_terms(framing, min_count=3)[["count", "count_rest"]].sum(axis=1) >= 3).all()


@pytest.mark.parametrize("articles", [
    _articles([("a", "A", "only one outlet here")]),
    pd.DataFrame(columns=["article_id", "outlet", "text"]),
    _articles([("a", "A", None), ("b", "B", "")]),
    None,
])
def test_bad_input_gives_empty_table(articles):
    t = W.distinctive_terms(articles)
    assert t.empty and list(t.columns) == W.TERM_COLUMNS


@pytest.mark.parametrize("name, text, expected", [
    ("long quote out", 'He said "we will never give up this fight" and left.', ["He said", "and left."]),
    ("scare quote stays", 'The so-called "interim authorities" met.', ['The so-called "interim authorities" met.']),
    ("quote open to paragraph end", 'She said: "We will go on and on\n\nThen nothing.', ["She said:", "Then nothing."]),
    ("curly quotes", "\u201cThis step will facilitate our efforts,\u201d the department said.", ["the department said."]),
])
def test_narration_spans_drop_quoted_passages(name, text, expected):
    assert [text[a:b] for a, b in W.narration_spans(text)] == expected


def test_quotes_table_spans_are_removed():
    text = "Officials warned of sanctions. Critics called it a betrayal of voters."
    start = text.index("called")
    quotes = pd.DataFrame([{"article_id": "a", "start": start, "end": len(text), "kind": "direct"},
                           {"article_id": "b", "start": 0, "end": 10, "kind": "direct"},
                           {"article_id": "a", "start": 0, "end": 9, "kind": "indirect"}])
    arts = _articles([("a", "A", text), ("b", "B", "Elsewhere nothing happened.")])
    c = W.term_counts(arts, quotes)
    a_terms = set(c[c["article_id"] == "a"]["term"])
    assert "officials" in a_terms and "critics" in a_terms
    assert "betrayal" not in a_terms and "voters" not in a_terms
    n = W.narration(arts, quotes)
    assert list(n.columns) == W.NARRATION_COLUMNS
    assert n[n["article_id"] == "a"]["text"].tolist() == ["Officials warned of sanctions. Critics"]


@pytest.mark.parametrize("text, expected_bigrams", [
    ("U.S. forces captured Maduro's allies.", {"u.s. forces", "forces captured", "captured maduro", "maduro allies"}),
    ("stability, support recovery", {"support recovery"}),
    ("end.\n\nStart again", {"start again"}),
    ("Mr. Trump met Gen. Smith.", {"mr. trump", "trump met", "met gen.", "gen. smith"}),
])
def test_tokens_and_bigrams(text, expected_bigrams):
    c = W.term_counts(_articles([("a", "A", text)]))
    assert set(c[c["ngram"] == 2]["term"]) == expected_bigrams


def test_term_occurrences_trace_back(framing):
    occ = W.term_occurrences(framing, ["regime", "The regime"])
    assert list(occ.columns) == W.OCCURRENCE_COLUMNS
    texts = dict(zip(framing["article_id"], framing["text"]))
    assert (occ["term"] == "regime").sum() == 4 and (occ["term"] == "the regime").sum() == 3
    for r in occ.itertuples():
        assert texts[r.article_id][r.start:r.end].lower() == r.term


def _mention(aid, outlet, entity, role, start, in_quote=False, surface=None):
    return {"article_id": aid, "outlet": outlet, "entity": entity, "label": "PERSON", "surface": surface or entity,
            "start": start, "end": start + len(surface or entity), "sentence": 0, "paragraph": 0,
            "in_quote": in_quote, "role": role}


def test_actor_descriptions():
    m = pd.DataFrame([
        _mention("a1", "CBS", "Delcy Rodríguez", "Acting President", 10),
        _mention("a1", "CBS", "Delcy Rodriguez", "acting president", 90),
        _mention("a1", "CBS", "Delcy Rodríguez", "formerly Maduro's vice president", 200),
        _mention("f1", "Fox", "Delcy Rodríguez", "interim President", 40),
        _mention("f1", "Fox", "Delcy Rodríguez", "dictator", 300, in_quote=True),
        _mention("f1", "Fox", "Nicolás Maduro", "former Venezuelan President", 50),
        _mention("f1", "Fox", "Nicolás Maduro", None, 80),
    ])
    a = W.actor_descriptions(m)
    assert list(a.columns) == W.ACTOR_COLUMNS
    got = {(r.entity, r.outlet, r.role): r.mentions for r in a.itertuples()}
    assert got == {("Delcy Rodríguez", "CBS", "Acting President"): 2,
                   ("Delcy Rodríguez", "CBS", "formerly Maduro's vice president"): 1,
                   ("Delcy Rodríguez", "Fox", "interim President"): 1,
                   ("Nicolás Maduro", "Fox", "former Venezuelan President"): 1}
    first = a[(a["outlet"] == "CBS") & (a["role"] == "Acting President")].iloc[0]
    assert (first.article_id, first.start) == ("a1", 10)
    assert ("Delcy Rodríguez", "Fox", "dictator") in {(r.entity, r.outlet, r.role)
                                                      for r in W.actor_descriptions(m, narration_only=False).itertuples()}
    wide = W.actor_descriptions_wide(a)
    assert wide.loc["Delcy Rodríguez", "Fox"] == "interim President (1)"
    assert wide.index[0] == "Delcy Rodríguez"


@pytest.mark.parametrize("mentions", [
    None, pd.DataFrame(columns=["article_id", "outlet", "entity", "role"]),
    pd.DataFrame([_mention("a", "A", "X", None, 0)]),
])
def test_actor_descriptions_empty(mentions):
    a = W.actor_descriptions(mentions)
    assert a.empty and list(a.columns) == W.ACTOR_COLUMNS


def test_seed_narration_leaves_statement_out(seeds):
    n = W.narration(seeds)
    fox = " ".join(n[n["outlet"] == "Fox News"]["text"])
    assert "facilitate our joint efforts" not in fox and "U.S. forces captured" in fox


def test_seed_distinctive_terms(seeds):
    t = W.distinctive_terms(seeds, min_count=3)
    z = t.set_index(["outlet", "term"])["z"]
    # CBS writes "Trump administration" six times in its narration, Fox never does
    assert z[("CBS News", "trump administration")] > 0 > z[("Fox News", "trump administration")]
    row = t[(t["outlet"] == "CBS News") & (t["term"] == "trump administration")].iloc[0]
    assert (row["count"], row["count_rest"]) == (6, 0)


@pytest.mark.slow
def test_notebook_05_runs(run_notebook):
    figs, _ = run_notebook("05-word-choice.ipynb")
    for slug in ("05-distinctive-terms", "05-shared-and-unique-text"):
        for ext in ("png", "svg", "csv"):
            assert (figs / f"{slug}.{ext}").exists(), f"{slug}.{ext}"
    plotted = pd.read_csv(figs / "05-distinctive-terms.csv")
    assert {"outlet", "term", "count", "count_rest", "z"} <= set(plotted.columns) and len(plotted) > 0
    assert (paths.NOTEBOOKS_DIR / "05-word-choice.ipynb").exists()


def test_by_another_column(framing):
    arts = framing.assign(lean=["left", "left", "right", "right"], outlet=["A", "C", "B", "D"])
    t = W.distinctive_terms(arts, by="lean", min_count=2)
    top = W.top_terms(t, k=1, min_z=0)
    assert dict(zip(top["outlet"], top["term"])) == {"left": "regime", "right": "government"}
