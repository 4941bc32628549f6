"""Corpus-wide names (presslens.canon): self-references of an outlet, outlet names as organisations,
merges across articles and alias suggestions, on rows written for the tests."""
from __future__ import annotations

import pandas as pd
import pytest

from presslens import canon

COLS = ["article_id", "outlet", "entity", "label", "surface", "start", "end", "sentence", "paragraph",
        "in_quote", "role"]


def table(rows) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": a, "outlet": o, "entity": e, "label": lab, "surface": s, "start": 0,
                          "end": len(s), "sentence": 0, "paragraph": 0, "in_quote": False, "role": None}
                         for a, o, e, lab, s in rows], columns=COLS)


@pytest.mark.parametrize("name,outlet,domain,expected", [
    ("Fox News Digital", "Fox News", None, True),
    ("Fox Business", "Fox News", None, False),
    ("CBS", "CBS News", None, True),
    ("AP", "Associated Press", None, True),
    ("KIRO 7", "kiro7", None, True),
    ("Daily Ledger", "The Daily Ledger", None, True),
    ("Daily", "The Daily Ledger", None, False),
    ("Northern Ledger", "Outlet A", "northernledger.com", True),
    ("Southern Ledger", "Northern Ledger", None, False),
])
def test_is_self_reference(name, outlet, domain, expected):
    assert canon.is_self_reference(name, outlet, domain) is expected


def test_self_references_column():
    m = table([("a", "Northern Ledger", "Northern Ledger", "ORG", "Northern Ledger"),
               ("a", "Northern Ledger", "Owen Ledger", "PERSON", "Ledger"),
               ("b", "Southern Post", "Northern Ledger", "ORG", "Northern Ledger")])
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["Northern Ledger", "Southern Post"],
                         "outlet_domain": [None, None]})
    assert canon.self_references(m, arts).tolist() == [True, False, False]
    assert canon.self_references(m.iloc[0:0], arts).empty


def test_outlet_name_mislabelled_as_place_is_an_organisation():
    out = canon.canonicalize(table([("a", "X", "Axios", "GPE", "Axios")]))
    assert out["label"].tolist() == ["ORG"]


@pytest.mark.parametrize("rows,expected", [
    ([("a", "X", "Harriet Q. Vance", "PERSON", "Harriet Q. Vance"),
      ("b", "Y", "Harriet Vance", "PERSON", "Harriet Vance")], {"Harriet Q. Vance"}),
    ([("a", "X", "Acme Widgets Inc", "ORG", "Acme Widgets Inc"),
      ("b", "Y", "Acme Widgets", "ORG", "Acme Widgets"), ("c", "Y", "Acme Widgets", "ORG", "Acme Widgets")],
     {"Acme Widgets"}),
])
def test_merges_across_articles(rows, expected):
    assert set(canon.canonicalize(table(rows))["entity"]) == expected


def test_alias_suggestions_for_one_letter_variants():
    m = table([("a", "X", "Harriet Vance", "PERSON", "Harriet Vance"),
               ("b", "Y", "Harriet Vance", "PERSON", "Harriet Vance"),
               ("c", "Z", "Harriot Vance", "PERSON", "Harriot Vance"),
               ("c", "Z", "Owen Price", "PERSON", "Owen Price")])
    s = canon.alias_suggestions(m)
    assert s[["name", "suggestion", "n_name", "n_suggestion"]].values.tolist() == [["Harriot Vance", "Harriet Vance", 1, 2]]
    assert s["article_ids"].tolist() == [["c"]]
    assert canon.alias_suggestions(m.iloc[0:0]).empty
