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


def _scan_link(speaker, a, b, mentions):
    """link_speaker's rules read straight off the mentions in order (the reference for SpeakerIndex)."""
    from presslens.names import name_tokens

    name = speaker.strip() if isinstance(speaker, str) and speaker.strip() else None
    if a is not None and b is not None and b > a:
        best, best_ov = None, 0
        for m in mentions:
            ov = min(b, m["end"]) - max(a, m["start"])
            if ov > best_ov and ov * 2 >= (b - a) and isinstance(m.get("entity"), str):
                best, best_ov = m["entity"], ov
        if best:
            return best
    if name is None:
        return None
    want = name_tokens(name)
    if not want:
        return name
    for key in ("entity", "surface", "role"):
        for m in mentions:
            if name_tokens(m.get(key)) == want and isinstance(m.get("entity"), str):
                return m["entity"]
    counts = {}
    for m in mentions:
        ent = m.get("entity")
        if not isinstance(ent, str) or m.get("label") not in ("PERSON", None):
            continue
        have = name_tokens(ent)
        if have and have[-1] == want[-1] and (set(have) <= set(want) or set(want) <= set(have)):
            counts[ent] = counts.get(ent, 0) + 1
    return max(counts, key=lambda e: (counts[e], len(e))) if counts else name


def test_speaker_index_links_as_a_scan_of_the_mentions_in_order():
    import random

    rng = random.Random(5)
    given, family = ["Ann", "Bo", "Cy", "Dee"], ["Lee", "Moss", "Park"]
    names = [f"{g} {f}" for g in given for f in family] + family + ["the Ministry", None, ""]
    for _ in range(300):
        mentions = []
        for _ in range(rng.randrange(0, 14)):
            start = rng.randrange(0, 200)
            mentions.append({"start": start, "end": start + rng.randrange(1, 25), "entity": rng.choice(names),
                             "surface": rng.choice(names), "role": rng.choice([None, "Dr. Ann Lee", "minister"]),
                             "label": rng.choice(["PERSON", "ORG", None])})
        index = canon.SpeakerIndex(mentions)
        for _ in range(10):
            a = rng.choice([None, rng.randrange(0, 220)])
            b = None if a is None else a + rng.randrange(0, 30)
            speaker = rng.choice(names + ["Mr. Lee", "Ann B. Lee", "Lee Jr."])
            want = _scan_link(speaker, a, b, mentions)
            assert index.link(speaker, a, b) == want
            assert canon.link_speaker(speaker, a, b, mentions) == want


def test_speaker_indexes_per_article_read_the_table_as_its_records():
    """SpeakerIndex.per_article links every quote as an index of the article's `to_dict("records")` rows does,
    with the table's other columns and with one of the fields missing."""
    import random

    rng = random.Random(9)
    names = ["Ann Lee", "Bo Moss", "Lee", "Moss", "the Ministry", None]
    rows = []
    for k in range(400):
        start = rng.randrange(0, 200)
        rows.append({"article_id": f"a{k % 7}", "outlet": "x", "start": start, "end": start + rng.randrange(1, 25),
                     "entity": rng.choice(names), "surface": rng.choice(names), "in_quote": rng.random() < .3,
                     "role": rng.choice([None, "minister", "Dr. Ann Lee"]), "label": rng.choice(["PERSON", "ORG", None])})
    for table in (pd.DataFrame(rows), pd.DataFrame(rows).drop(columns="role")):
        indexes = canon.SpeakerIndex.per_article(table)
        assert set(indexes) == set(table["article_id"])
        for aid, group in table.groupby("article_id"):
            reference = canon.SpeakerIndex(group.to_dict("records"))
            for _ in range(40):
                a = rng.choice([None, rng.randrange(0, 220)])
                b = None if a is None else a + rng.randrange(0, 30)
                speaker = rng.choice(names + ["Mr. Lee", "Ann B. Lee", "Dr. Ann Lee"])
                assert indexes[aid].link(speaker, a, b) == reference.link(speaker, a, b)
                assert indexes[aid].roles_of(speaker) == reference.roles_of(speaker)
    assert canon.SpeakerIndex.per_article(pd.DataFrame(columns=["article_id", "start", "end", "entity"])) == {}
