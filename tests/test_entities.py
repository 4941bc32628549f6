"""Entity mentions end to end: per-article fixes (extract.mentions), corpus names (canon, names), the
seed gold, alias files, bad input, the per-outlet summaries (entities) and notebook 01."""
from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from presslens import canon, names, paths
from presslens import entities as E
from presslens.extract.mentions import DOC_COLUMNS, mentions_from_doc
from presslens.study import MENTION_COLUMNS, mentions
from presslens.nlp import get_nlp
from presslens.text import count_words

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "seed_mentions.csv"
EVAL_DIR = ROOT.parent / "shared" / "eval" / "polnear-dev"


@pytest.fixture(scope="session")
def nlp():
    return get_nlp()


def doc_mentions(nlp, text, quotes=()):
    return pd.DataFrame(mentions_from_doc(nlp(text), list(quotes)), columns=DOC_COLUMNS)


def articles_of(texts, outlets=None):
    outlets = outlets or [f"Outlet {i}" for i in range(len(texts))]
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "outlet": outlets,
                         "text": texts, "n_words": [count_words(t) for t in texts]})


def test_columns_are_the_contract():
    assert DOC_COLUMNS[:9] == ["entity", "label", "surface", "start", "end", "sentence", "paragraph",
                                 "in_quote", "role"]
    assert MENTION_COLUMNS[:2 + len(DOC_COLUMNS)] == ["article_id", "outlet", *DOC_COLUMNS]  # then corpus-level columns


# --- per-article fixes on small texts ------------------------------------------------------------

CASES = {
    "title is a role": ("Interior Secretary Doug Burgum visited Caracas on Tuesday.",
                        "Doug Burgum", "Doug Burgum", "PERSON", "Interior Secretary"),
    "honorific is a role": ("Mr. Trump stunned Venezuelans with his decision.",
                            "Trump", "Trump", "PERSON", "Mr."),
    "possessive dropped": ("Acting President Delcy Rodríguez spoke. Later, Rodríguez's government approved a law.",
                           "Rodríguez", "Delcy Rodríguez", "PERSON", None),
    "accent-insensitive link": ("Delcy Rodríguez met the envoy in Caracas. Rodriguez said little afterwards.",
                                "Rodriguez", "Delcy Rodríguez", "PERSON", None),
    "surname links to the full name": ("Energy Secretary Chris Wright arrived on Monday. Wright met oil executives.",
                                       "Wright", "Chris Wright", "PERSON", None),
    "title with 'of'": ("Secretary of State Marco Rubio said the talks would continue.",
                        "Marco Rubio", "Marco Rubio", "PERSON", "Secretary of State"),
    "nickname in quotes": ('Rep. Robert C. "Bobby" Scott spoke first. Later, Bobby Scott left the room.',
                           "Bobby Scott", "Robert C. Scott", "PERSON", None),
    "shorter full name": ("Mayor Bill de Blasio spoke on Monday. De Blasio said the city was safe.",
                          "De Blasio", "Bill de Blasio", "PERSON", None),
    "leading the dropped": ("The agreement was announced by the State Department on Thursday.",
                            "State Department", "State Department", "ORG", None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixes(nlp, name):
    text, surface, entity, label, role = CASES[name]
    m = doc_mentions(nlp, text)
    # the last mention with this surface (the short form when there is an earlier full name)
    rows = m[m["surface"] == surface]
    assert len(rows), f"{surface!r} not found in {m[['surface', 'label']].values.tolist()}"
    r = rows.iloc[-1]
    assert (r["entity"], r["label"], r["role"]) == (entity, label, role)
    assert text[r["start"]:r["end"]] == surface


def test_title_words_are_not_mentions(nlp):
    m = doc_mentions(nlp, "U.S. Secretary of State Marco Rubio and Interior Secretary Doug Burgum met in Caracas.")
    assert not m["surface"].isin(["State", "Interior", "Secretary"]).any()
    assert set(m.loc[m["label"] == "PERSON", "entity"]) == {"Marco Rubio", "Doug Burgum"}


def test_headline_words_are_not_fused_into_names(nlp):
    text = "Black Lawmakers Rip Donald Trump As A Disgusting Fraud\n\nDonald Trump spoke in Ohio on Monday."
    m = doc_mentions(nlp, text)
    assert set(m.loc[m["paragraph"] == 0, "surface"]) == {"Donald Trump"}


def test_acronyms_and_known_names_the_model_misses():
    texts = ["Christian News Service reported the figures on Monday. CNS said the goal was exceeded.",
             "He would combat the Islamic State, he said during the forum."]
    out = mentions(articles_of(texts), cache=False)
    cns = out[out["surface"] == "CNS"]
    assert cns[["entity", "label"]].values.tolist() == [["Christian News Service", "ORG"]]
    assert out.loc[out["surface"] == "Islamic State", ["entity", "label"]].values.tolist() == [["Islamic State", "ORG"]]


def test_mislabelled_surname_becomes_the_person(nlp):
    text = ("Former President Nicolás Maduro was captured in January. The pressure on Maduro loyalists grew, "
            "in a decision by Maduro.")
    m = doc_mentions(nlp, text)
    assert (m["surface"] == "Maduro").sum() == 2
    assert set(m.loc[m["surface"] == "Maduro", "label"]) == {"PERSON"}
    assert set(m.loc[m["surface"] == "Maduro", "entity"]) == {"Nicolás Maduro"}


def test_photo_credits_never_count(nlp):
    text = ("Delcy Rodríguez met Doug Burgum in Caracas on Wednesday.\n\n"
            "Acting President Delcy Rodriguez speaks at the Miraflores Palace. Julio Urribarri/Anadolu via Getty Images\n\n"
            "Burgum said talks went well. (AP Photo/Ariana Cubillos)")
    m = doc_mentions(nlp, text)
    assert not m["surface"].str.contains("Getty|Anadolu|AP|Urribarri|Cubillos|Miraflores").any()
    assert (m["paragraph"] != 1).all()  # the caption paragraph counts nothing
    assert {"Delcy Rodríguez", "Doug Burgum"} <= set(m["entity"])


def test_in_quote_from_quote_spans_and_marks(nlp):
    text = 'Doug Burgum spoke. "We met Delcy Rodríguez twice," he said.'
    a = text.index("\u0022We")
    m = doc_mentions(nlp, text, [{"kind": "direct", "start": a, "end": text.index("he said") - 1}])
    assert m.set_index("surface").loc["Delcy Rodríguez", "in_quote"]
    assert not m.set_index("surface").loc["Doug Burgum", "in_quote"]
    m2 = doc_mentions(nlp, text)  # quote marks alone are enough
    assert m2.set_index("surface").loc["Delcy Rodríguez", "in_quote"]


def test_sentence_and_paragraph_indexes(nlp):
    text = "Doug Burgum arrived.\n\nHe met Delcy Rodríguez. Later Chris Wright came."
    m = doc_mentions(nlp, text).set_index("surface")
    assert m.loc["Doug Burgum", ["sentence", "paragraph"]].tolist() == [0, 0]
    assert m.loc["Delcy Rodríguez", ["sentence", "paragraph"]].tolist() == [1, 1]
    assert m.loc["Chris Wright", ["sentence", "paragraph"]].tolist() == [2, 1]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "the cat sat on the mat and it was fine.", None])
def test_bad_input_gives_empty_tables(nlp, text):
    assert mentions_from_doc(nlp(text or ""), []) == []
    out = mentions(articles_of([text]), cache=False)
    assert list(out.columns) == MENTION_COLUMNS
    assert out.empty


def test_empty_corpus_and_tables():
    empty = mentions(articles_of([]), cache=False)
    assert list(empty.columns) == MENTION_COLUMNS and empty.empty
    assert list(E.mention_rates(empty, articles_of([])).columns) == E.RATE_COLUMNS
    assert list(E.first_mentions(empty, articles_of([])).columns) == E.FIRST_MENTION_COLUMNS
    assert list(E.quote_voice(empty).columns) == E.VOICE_COLUMNS
    assert list(E.cooccurrence(empty).columns) == E.COOCCURRENCE_COLUMNS
    assert list(E.article_mention_rates(empty, articles_of([])).columns) == E.ARTICLE_RATE_COLUMNS


def test_long_text_is_fine():
    para = "Interior Secretary Doug Burgum met Delcy Rodríguez in Caracas, the State Department said."
    text = "\n\n".join([para] * 300)
    out = mentions(articles_of([text]), cache=False)
    assert (out["entity"] == "Doug Burgum").sum() == 300
    assert out["end"].max() <= len(text)


# --- across the corpus ---------------------------------------------------------------------------

def test_one_canonical_name_across_outlets():
    texts = ["The State Department said the talks would go on.",
             "The U.S. State Department issued a note on Thursday.",
             "A spokesperson for the Department of State declined to comment."]
    out = mentions(articles_of(texts), cache=False)
    orgs = out[out["label"] == "ORG"]
    assert set(orgs["entity"]) == {"State Department"}
    assert orgs["article_id"].nunique() == 3


def test_surname_alone_links_to_full_name_elsewhere_in_corpus():
    texts = ["Energy Secretary Chris Wright visited Caracas on Monday.", "Wright said the visit went well."]
    out = mentions(articles_of(texts), cache=False)
    assert out.loc[out["article_id"] == "a1", "entity"].tolist() == ["Chris Wright"]


@pytest.mark.parametrize("texts,expected", [
    (["Mr. Trump said on Monday that the talks would go on.", "Lara Trump spoke in Ohio."], "Donald Trump"),
    (["Lara Trump spoke in Ohio on Monday. Trump said the talks would go on.", "Nothing here."], "Lara Trump"),
])
def test_builtin_surname_alias_yields_to_a_namesake_in_the_article(texts, expected):
    out = mentions(articles_of(texts), cache=False)
    assert out.loc[(out["article_id"] == "a0") & (out["surface"] == "Trump"), "entity"].tolist() == [expected]


def test_alias_file_overrides_fixes_label_and_reports_unknown(tmp_path):
    p = tmp_path / "aliases.csv"
    p.write_text("# canonical, aliases...\n"
                 "Delcy Rodríguez,Delcy,label=PERSON\n"
                 "Petróleos de Venezuela,label=ORG,PDVSA\n"
                 "Chris Wright,Chris Wrigth\n"
                 "IGNORE,Caracas\n", encoding="utf8")
    texts = ["Delcy Rodríguez met the head of PDVSA in Caracas. Delcy said the deal was done.",
             "PDVSA exports rose, Energy Secretary Chris Wright said."]
    arts = articles_of(texts)
    with pytest.warns(UserWarning, match="Chris Wrigth"):
        out = mentions(arts, aliases=p, cache=False)
    assert "Caracas" not in set(out["entity"])
    pd_rows = out[out["surface"] == "PDVSA"]
    assert len(pd_rows) == 2 and set(pd_rows["entity"]) == {"Petróleos de Venezuela"}
    assert set(pd_rows["label"]) == {"ORG"}
    assert [(r["line"], r["alias"]) for r in out.attrs["unknown_aliases"]] == [(4, "Chris Wrigth")]
    from presslens.pipeline import analyze

    unknown = canon.unknown_aliases(analyze(arts, cache=False)["mentions"], p)
    assert unknown[["line", "alias"]].values.tolist() == [[4, "Chris Wrigth"]]


def test_alias_file_in_corpus_folder_is_the_default(tmp_path):
    (tmp_path / "aliases.csv").write_text("Venezuelan government,label=ORG,Miraflores\n", encoding="utf8")
    arts = articles_of(["Officials at Miraflores said the plan was approved by Delcy Rodríguez."])
    arts.attrs["corpus_dir"] = str(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = mentions(arts, cache=False)
    assert paths.corpus_file(arts, "aliases.csv") == tmp_path / "aliases.csv"
    assert "Venezuelan government" in set(out["entity"]) or not (out["surface"] == "Miraflores").any()


def test_shipped_alias_file_parses():
    al = names.read_aliases(ROOT / "corpus" / "aliases.csv")
    assert list(al.columns) == names.ALIAS_COLUMNS
    b = names.builtin_aliases()
    assert (b.assign(k=b["alias"].map(names.name_key)).groupby("k")["canonical"].nunique() == 1).all()


@pytest.mark.parametrize("a,b", [("Rodríguez", "Rodriguez"), ("the State Department", "State Department"),
                                 ("U.S.", "US"), ("Maduro's", "Maduro"), ("Maduro\u2019s", "maduro")])
def test_name_key_equates_spellings(a, b):
    assert names.name_key(a) == names.name_key(b)


# --- per-outlet tables ---------------------------------------------------------------------------

@pytest.fixture()
def toy():
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
                         "text": ["p0\n\np1\n\np2", "p0\n\np1", "p0"], "n_words": [500, 500, 250]})
    rows = [("a", "X", "Ann Lee", "PERSON", 0, 0, False), ("a", "X", "Ann Lee", "PERSON", 1, 2, True),
            ("a", "X", "Acme", "ORG", 1, 2, False), ("b", "X", "Acme", "ORG", 0, 1, False),
            ("c", "Y", "Ann Lee", "PERSON", 0, 0, False), ("c", "Y", "Acme", "ORG", 0, 0, True)]
    m = pd.DataFrame([{"article_id": a, "outlet": o, "entity": e, "label": lab, "surface": e, "start": 10 * i,
                       "end": 10 * i + 5, "sentence": s, "paragraph": p, "in_quote": q, "role": None}
                      for i, (a, o, e, lab, s, p, q) in enumerate(rows)], columns=MENTION_COLUMNS)
    return m, arts


def test_mention_rates(toy):
    m, arts = toy
    r = E.mention_rates(m, arts).set_index(["outlet", "entity"])
    assert r.loc[("X", "Ann Lee"), "per_1000_words"] == pytest.approx(2.0)   # 2 mentions / 1,000 words
    assert r.loc[("X", "Ann Lee"), "share_of_articles"] == pytest.approx(0.5)
    assert r.loc[("X", "Acme"), "share_of_articles"] == pytest.approx(1.0)
    assert r.loc[("Y", "Acme"), "per_1000_words"] == pytest.approx(4.0)
    ar = E.article_mention_rates(m, arts).set_index(["article_id", "entity"])
    assert ar.loc[("b", "Ann Lee"), "per_1000_words"] == 0  # not named in b counts as zero
    assert len(ar) == 6  # every entity of the outlet x every article of the outlet


def test_first_mentions_quote_voice_and_cooccurrence(toy):
    m, arts = toy
    f = E.first_mentions(m, arts).set_index(["article_id", "entity"])
    assert f.loc[("a", "Acme"), ["first_paragraph", "n_paragraphs", "first_position"]].tolist() == [2, 3, 1.0]
    assert f.loc[("a", "Ann Lee"), "first_paragraph"] == 0
    v = E.quote_voice(m).set_index(["outlet", "entity"])
    assert v.loc[("X", "Ann Lee"), ["n_in_quote", "n_narration"]].tolist() == [1, 1]
    c = E.cooccurrence(m)
    assert c[["entity_a", "entity_b", "n_sentences", "n_articles", "n_outlets"]].values.tolist() == \
        [["Acme", "Ann Lee", 2, 2, 2]]


# --- accuracy on the seed articles ---------------------------------------------------------------

# How far (characters) a gold mention may have moved from its written offset when the loader keeps or strips
# a different amount of page furniture (a caption line) than when the gold was written.
REANCHOR_WINDOW = 600


def read_gold(texts: dict[str, str] | None = None):
    """The seed gold rows. With `texts` ({file name: clean text}) each row's offsets are re-anchored to the
    nearest occurrence of its surface, carrying the shift forward (the loader may keep or strip furniture
    lines the gold's text did not have; the article's own words are unchanged). Conventions changed since
    the gold was written: "Trump administration" is an organisation, not a mention of the person."""
    with open(GOLD, encoding="utf8") as fh:
        rows = list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    shift: dict[str, int] = {}
    for r in rows:
        text = (texts or {}).get(r["file"])
        if text is None:
            continue
        d = shift.get(r["file"], 0)
        if text[r["start"] + d:r["end"] + d] != r["surface"]:
            lo = max(0, r["start"] + d - REANCHOR_WINDOW)
            found = [m.start() for m in re.finditer(re.escape(r["surface"]), text[lo:r["end"] + d + REANCHOR_WINDOW])]
            if found:
                d = min((lo + f - r["start"] for f in found), key=lambda x: abs(x - d))
        shift[r["file"]] = d
        r["start"], r["end"] = r["start"] + d, r["end"] + d
        if r["label"] == "PERSON" and re.match(r"\s+administration\b", text[r["end"]:], re.I):
            end = r["end"] + len(re.match(r"\s+administration", text[r["end"]:], re.I).group(0))
            r.update(surface=text[r["start"]:end], end=end, entity=text[r["start"]:end], label="ORG")
    return rows


@pytest.fixture(scope="session")
def seed_mentions():
    from presslens.loader import load_corpus

    arts = load_corpus()
    arts = arts[arts["path"].str.contains("000_86ed5efb6f595550|002_63de87443d35718d")]
    assert len(arts) == 2
    return arts, mentions(arts, cache=False)


def test_gold_offsets_match_the_clean_text(seed_mentions):
    arts, _ = seed_mentions
    texts = {Path(p).name: t for p, t in zip(arts["path"], arts["text"])}
    for g in read_gold(texts):
        assert texts[g["file"]][g["start"]:g["end"]] == g["surface"], g


def score(pred: pd.DataFrame, gold: list[dict], by_file: dict[str, str]):
    """(precision, recall, canonical accuracy) of PERSON/ORG mentions matched on exact offsets and label."""
    pred = pred[pred["label"].isin(["PERSON", "ORG"])]
    p = {(r.article_id, r.start, r.end, r.label): r.entity for r in pred.itertuples()}
    g = {(by_file[x["file"]], x["start"], x["end"], x["label"]): x["entity"] for x in gold}
    hit = set(p) & set(g)
    canon = sum(p[k] == g[k] for k in hit)
    return len(hit) / max(1, len(p)), len(hit) / max(1, len(g)), canon / max(1, len(hit))


def test_seed_gold_precision_recall_and_canonical_names(seed_mentions):
    arts, m = seed_mentions
    by_file = {Path(p).name: a for p, a in zip(arts["path"], arts["article_id"])}
    texts = {Path(p).name: t for p, t in zip(arts["path"], arts["text"])}
    precision, recall, canonical = score(m, read_gold(texts), by_file)
    assert recall == 1.0, "every gold person and organisation is found"
    assert canonical == 1.0, "with the right canonical name"
    assert precision >= 0.95


def test_seed_roles(seed_mentions):
    _, m = seed_mentions
    roles = set(m.loc[m["entity"] == "Doug Burgum", "role"].dropna())
    assert {"Interior Secretary", "U.S. Interior Secretary"} <= roles
    assert "Energy Secretary" in set(m.loc[m["entity"] == "Chris Wright", "role"].dropna())
    assert "Venezuela's top opposition leader" in set(m.loc[m["entity"] == "María Corina Machado", "role"].dropna())
    assert "his wife" in set(m.loc[m["entity"] == "Cilia Flores", "role"].dropna())


# --- the notebook, end to end --------------------------------------------------------------------

@pytest.mark.slow
def test_notebook_runs(tmp_path, run_notebook):
    run_notebook("01-entity-mentions.ipynb")
    written = {p.name for p in (tmp_path / "figures").iterdir()}
    for slug in ("01-top-entities-per-outlet", "01-share-of-articles-naming", "01-first-mention-paragraph",
                 "01-mentions-in-quotes-vs-narration", "01-entities-named-together"):
        assert {f"{slug}.png", f"{slug}.svg", f"{slug}.csv"} <= written


def test_the_outlet_naming_itself_is_left_out_of_who_it_names():
    from presslens import entities as E

    m = pd.DataFrame({"article_id": ["a", "a", "a"], "outlet": ["The Planet"] * 3,
                      "entity": ["Jane Roe", "The Planet", "Jane Roe"], "label": ["PERSON", "ORG", "PERSON"],
                      "self_reference": [False, True, False], "in_quote": [False, False, False],
                      "sentence": [0, 1, 2], "paragraph": [0, 1, 2], "start": [0, 20, 40], "end": [8, 30, 48],
                      "surface": ["Jane Roe", "The Planet", "Jane Roe"]})
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["The Planet"], "n_words": [100]})
    assert E.mention_rates(m, arts)["entity"].tolist() == ["Jane Roe"]
    assert set(E.mention_rates(m, arts, self_references=True)["entity"]) == {"Jane Roe", "The Planet"}
