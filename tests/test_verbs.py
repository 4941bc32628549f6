"""Reporting verbs: the category table (data), cue lemmas, shares per outlet and the sentences behind them."""
from __future__ import annotations

import pandas as pd
import pytest

from presslens import verbs as V
from presslens.extract.cues import reporting_verbs


def test_every_reporting_verb_has_a_category_and_a_source():
    table = V.verb_categories()
    assert list(table.columns) == ["lemma", "category", "source"]
    assert set(reporting_verbs()) <= set(table["lemma"])
    assert set(table["category"]) == set(V.CATEGORIES)
    assert (table["source"].str.len() > 10).all()


@pytest.mark.parametrize("lemma, category", [("say", "neutral"), ("tell", "neutral"), ("according to", "neutral"),
                                             ("note", "endorsing"), ("explain", "endorsing"),
                                             ("point out", "endorsing"), ("claim", "distancing"),
                                             ("allege", "distancing"), ("insist", "distancing"),
                                             ("admit", "distancing"), ("concede", "distancing"),
                                             ("boast", "distancing")])
def test_categories_named_in_the_method(lemma, category):
    assert V.verb_categories().set_index("lemma").loc[lemma, "category"] == category


@pytest.mark.parametrize("cue, lemma", [("said", "say"), ("says", "say"), ("told", "tell"), ("claimed", "claim"),
                                        ("claiming", "claim"), ("noted", "note"), ("admitted", "admit"),
                                        ("denies", "deny"), ("pointed out", "point out"),
                                        ("According to", "according to"), ("argues", "argue"), (None, None),
                                        ("", None)])
def test_cue_lemma(cue, lemma):
    assert V.cue_lemma(cue) == lemma


def test_verb_category_of_unlisted_and_missing_cues():
    assert V.verb_category("zorbled") == V.UNCATEGORISED  # not an English verb: never listed
    assert V.verb_category(None) == V.NO_CUE


TEXT = "Ann Lee said the plan works. Bo Kim claimed it fails. Ann Lee noted costs fell."


def _quotes() -> tuple[pd.DataFrame, pd.DataFrame]:
    arts = pd.DataFrame({"article_id": ["a1", "a2"], "outlet": ["X", "Y"], "text": [TEXT, TEXT]})
    rows = []
    for aid, outlet in (("a1", "X"), ("a2", "Y")):
        for cue in ("said", "claimed", "noted"):
            s = TEXT.index(cue)
            rows.append({"article_id": aid, "outlet": outlet, "cue": cue, "cue_start": s, "cue_end": s + len(cue),
                         "speaker_entity": "Ann Lee", "speaker_kind": "person"})
    rows.append({"article_id": "a2", "outlet": "Y", "cue": None, "cue_start": None, "cue_end": None,
                 "speaker_entity": None, "speaker_kind": "unknown"})
    return pd.DataFrame(rows), arts


def test_verb_shares_leave_out_quotes_without_a_cue():
    q, _ = _quotes()
    s = V.verb_shares(q).set_index(["group", "category"])
    assert s.loc[("Y", "distancing"), "share"] == pytest.approx(1 / 3)
    assert s.loc[("Y", "neutral"), "total"] == 3
    assert s.loc[("X", "characterising"), "n"] == 0


def test_verb_sentences_trace_each_count():
    q, arts = _quotes()
    sents = pd.DataFrame({"article_id": ["a1"] * 3, "start": [0, 29, 54], "end": [28, 53, len(TEXT)]})
    out = V.verb_sentences(q, arts, sents, category="distancing")
    assert out["sentence"].tolist() == ["Bo Kim claimed it fails.", "Bo Kim claimed it fails."]
    r = out.iloc[0]
    assert TEXT[r["cue_start"]:r["cue_end"]] == "claimed"


def test_plot_returns_figure_and_plotted_numbers(tmp_path):
    q, _ = _quotes()
    fig, data = V.plot_verb_shares(V.verb_shares(q), "06-verbs-test", tmp_path)
    assert (tmp_path / "06-verbs-test.csv").is_file()
    assert len(data) == 8 and fig is not None
    fig, data = V.plot_verb_shares(V.verb_shares(q.iloc[0:0]), "06-verbs-empty", tmp_path)
    assert data.empty
