"""Gender with evidence: per-article evidence (extract.gender) and the corpus-level decision (gender)."""
from __future__ import annotations

import pandas as pd
import pytest

from presslens import gender as G
from presslens.extract.batch import analyze_doc
from presslens.extract.gender import DOC_COLUMNS, gender_rows, honorific_before, role_gender


@pytest.fixture(scope="module")
def nlp():
    from presslens.nlp import get_nlp

    return get_nlp()


def evidence_of(nlp, text: str) -> list[dict]:
    doc = nlp(text)
    res = analyze_doc(doc)
    return gender_rows(doc, res["mentions"], res["quotes"])


def _by_entity(rows: list[dict]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["entity"], []).append((r["gender"], r["evidence"]))
    return out


# --- per article ------------------------------------------------------------------------------

def test_honorific_and_offsets(nlp):
    text = "The council met on Monday.\n\nMs. Okafor, who chairs it, said the budget was final."
    rows = evidence_of(nlp, text)
    assert rows and set(rows[0]) == set(DOC_COLUMNS)
    hon = [r for r in rows if r["evidence"].startswith("honorific")]
    assert [(r["gender"], r["evidence"]) for r in hon] == [("female", "honorific: Ms.")]
    assert text[hon[0]["cue_start"]:hon[0]["cue_end"]] == "Ms."
    assert text[hon[0]["start"]:hon[0]["end"]] == "Okafor"


def test_subject_pronoun_in_next_sentence(nlp):
    text = "Paul Dimka visited the flooded bridge on Tuesday. He said it would reopen in a month."
    ev = _by_entity(evidence_of(nlp, text))
    assert ev.get("Paul Dimka") == [("male", "pronoun: he")]


def test_pronoun_inside_quotes_is_not_evidence(nlp):
    text = "Tom Alder spoke to reporters on Friday. \u201cShe has not called me,\u201d he added."
    ev = _by_entity(evidence_of(nlp, text))
    assert ("female", "pronoun: she") not in ev.get("Tom Alder", [])


def test_another_person_in_between_blocks_the_pronoun(nlp):
    text = "Lena Park met Omar Diaz at the port. He said the deal was close."
    ev = _by_entity(evidence_of(nlp, text))
    assert "Lena Park" not in ev  # "He" may be Omar Diaz: no evidence for Lena Park
    assert "Omar Diaz" not in ev  # Omar Diaz is not the subject of the first sentence


def test_possessive_in_an_embedded_clause_is_not_evidence(nlp):
    text = "The governor asked that Rita Vance review his plan before the vote."
    assert "Rita Vance" not in _by_entity(evidence_of(nlp, text))


def test_cataphora_before_the_subject(nlp):
    text = "The case was closed.\n\nIn her ruling, Mara Quill wrote that the appointment was invalid."
    ev = _by_entity(evidence_of(nlp, text))
    assert ev.get("Mara Quill") == [("female", "pronoun: her")]


@pytest.mark.parametrize("role, expected", [
    ("Spokeswoman", ("female", "spokeswoman")), ("his wife", ("female", "wife")),
    ("the company's founder and father", ("male", "father")), ("chairman", None), ("Interior Secretary", None),
    (None, None)])
def test_role_gender(role, expected):
    assert role_gender(role) == expected


@pytest.mark.parametrize("before, expected", [("said Mrs. ", "Mrs"), ("Mr ", "Mr"), ("Dr. ", None),
                                              ("Ms.\n", None), ("Summers ", None)])
def test_honorific_before(before, expected):
    m = honorific_before(before, len(before))
    assert (m.group(1) if m else None) == expected


def test_no_text_no_rows(nlp):
    assert gender_rows(nlp(""), []) == []
    assert gender_rows(None, []) == []


# --- first-name statistics --------------------------------------------------------------------

@pytest.mark.parametrize("name, gender", [("Jane Okafor", "female"), ("Doug Burgum", "male"),
                                          ("Delcy Rodríguez", "female"), ("Taylor Reed", "unknown"),
                                          ("Okafor", "unknown"), ("Zzqx Okafor", "unknown")])
def test_name_gender(name, gender):
    guess = G.name_gender(name)
    assert guess.gender == gender
    if gender != "unknown":
        assert guess.counts >= G.NAME_MIN_COUNTS
        assert (guess.p_female >= 1 - G.NAME_THRESHOLD) == (gender == "female")


@pytest.mark.parametrize("name, first", [("María Corina Machado", "maria"), ("Mr. John Smith", "john"),
                                         ("J. Smith", None), ("Smith", None), ("Jean-Claude Juncker", "jean-claude")])
def test_first_name(name, first):
    assert G.first_name(name) == first


# --- corpus-level decision --------------------------------------------------------------------

def _mentions(*rows) -> pd.DataFrame:
    cols = ["article_id", "outlet", "entity", "label", "surface", "start", "end"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def _evidence(*rows) -> pd.DataFrame:
    cols = ["article_id", "entity", "gender", "evidence", "start", "end", "cue_start", "cue_end"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_article_evidence_beats_the_first_name_and_majority_wins():
    m = _mentions(("a1", "X", "Jane Okafor", "PERSON", "Jane Okafor", 0, 11),
                  ("a2", "Y", "Jane Okafor", "PERSON", "Okafor", 5, 11),
                  ("a3", "Y", "Jane Okafor", "PERSON", "Okafor", 5, 11),
                  ("a3", "Y", "State Department", "ORG", "State Department", 40, 56))
    ev = _evidence(("a1", "Jane Okafor", "male", "pronoun: he", 0, 11, 20, 22),
                   ("a2", "Okafor", "male", "pronoun: he", 5, 11, 30, 32),
                   ("a3", "Okafor", "female", "pronoun: she", 5, 11, 30, 33))
    out = G.add_gender(m, ev)
    assert out.loc[0, "gender"] == "male"
    assert out.loc[0, "gender_evidence"] == "pronoun: he (2 of 3)"
    assert out.loc[3, "gender"] is None and out.loc[3, "gender_evidence"] is None


def test_tie_is_unknown_and_stated_evidence_outranks_pronouns():
    m = _mentions(("a1", "X", "Kim Adair", "PERSON", "Kim Adair", 0, 9),
                  ("a2", "X", "Kim Adair", "PERSON", "Kim Adair", 0, 9),
                  ("a3", "X", "Lee Brand", "PERSON", "Lee Brand", 0, 9),
                  ("a3", "X", "Lee Brand", "PERSON", "Brand", 50, 55))
    ev = _evidence(("a1", "Kim Adair", "female", "pronoun: she", 0, 9, 20, 23),
                   ("a2", "Kim Adair", "male", "pronoun: he", 0, 9, 20, 22),
                   ("a3", "Lee Brand", "male", "pronoun: he", 0, 9, 20, 22),
                   ("a3", "Brand", "female", "honorific: Ms.", 50, 55, 46, 49))
    people = G.person_genders(m, ev).set_index("entity")
    assert people.loc["Kim Adair", "gender"] == "unknown"
    assert people.loc["Kim Adair", "gender_evidence"].startswith("conflicting")
    assert people.loc["Lee Brand", "gender"] == "female"
    assert people.loc["Lee Brand", "gender_evidence"] == "honorific: Ms."


def test_first_name_when_the_articles_say_nothing():
    people = G.person_genders(_mentions(("a1", "X", "Doug Burgum", "PERSON", "Doug Burgum", 0, 11))).iloc[0]
    assert people["gender"] == "male"
    assert people["gender_evidence"].startswith("first name: Doug (p=0.0")


def test_spellings_with_a_middle_name_and_a_lone_surname_share_evidence():
    m = _mentions(("a1", "X", "Cameron Q. Dale", "PERSON", "Cameron Q. Dale", 0, 15),
                  ("a2", "Y", "Cameron Dale", "PERSON", "Cameron Dale", 0, 12),
                  ("a3", "Y", "Dale", "PERSON", "Dale", 0, 4))
    ev = _evidence(("a1", "Cameron Q. Dale", "female", "pronoun: she", 0, 15, 30, 33))
    assert G.add_gender(m, ev)["gender"].tolist() == ["female"] * 3


def test_override_file(tmp_path):
    f = tmp_path / "genders.csv"
    f.write_text("name,gender\n# a comment\nJane Okafor, nonbinary\n", encoding="utf8")
    m = _mentions(("a1", "X", "Jane Okafor", "PERSON", "Jane Okafor", 0, 11))
    out = G.add_gender(m, None, f)
    assert (out.loc[0, "gender"], out.loc[0, "gender_evidence"]) == ("nonbinary", "override")


def test_bad_override_names_file_and_line(tmp_path):
    f = tmp_path / "genders.csv"
    f.write_text("Jane Okafor,female\nTom Alder,mal\n", encoding="utf8")
    with pytest.raises(ValueError, match=r"genders.csv, line 2: gender 'mal'"):
        G.read_overrides(f)


# --- speakers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("speaker, label, kind", [
    ("State Department", "ORG", "organisation"), ("Delcy Rodríguez", "PERSON", "person"),
    ("Venezuelans", "NORP", "group"), ("the statement", None, "document"), ("a court filing", None, "document"),
    ("officials", None, "group"), ("Health authorities", None, "group"), ("she", None, "person"),
    ("the spokeswoman", None, "person"), ("one deputy", None, "person"), ("the company", None, "organisation"),
    ("many", None, "group"), (None, None, "unknown"), ("concept", None, "unknown")])
def test_speaker_kind(speaker, label, kind):
    assert G.speaker_kind(speaker, label) == kind


def test_add_speaker_gender():
    m = _mentions(("a1", "X", "Jane Okafor", "PERSON", "Jane Okafor", 0, 11),
                  ("a1", "X", "State Department", "ORG", "State Department", 40, 56))
    m = G.add_gender(m, _evidence(("a1", "Jane Okafor", "female", "honorific: Ms.", 0, 11, 0, 3)))
    q = pd.DataFrame({"article_id": ["a1"] * 4, "speaker": ["Okafor", "State Department", "she", None],
                      "speaker_entity": ["Jane Okafor", "State Department", None, None]})
    out = G.add_speaker_gender(q, m)
    assert out["speaker_kind"].tolist() == ["person", "organisation", "person", "unknown"]
    assert out["speaker_gender"].tolist() == ["female", None, "female", None]
    assert out["speaker_gender_evidence"].tolist()[:3] == ["honorific: Ms.", None, "pronoun: she"]


# --- the seed articles ------------------------------------------------------------------------

def test_seed_articles(seeds):
    import presslens as pl

    g = G.with_gender(pl.tables(seeds))
    people = g.people.set_index("entity")
    assert people.loc["Delcy Rodríguez", "gender"] == "female"
    assert people.loc["Doug Burgum", "gender"] == "male"
    kinds = g.quotes.set_index("speaker_entity")["speaker_kind"]
    assert set(kinds.loc[["State Department"]]) == {"organisation"}
    assert g.quotes.loc[g.quotes["speaker_entity"] == "State Department", "speaker_gender"].isna().all()
    assert set(g.mentions.loc[g.mentions["label"] != "PERSON", "gender"].dropna()) == set()
    assert set(g.mentions.loc[g.mentions["label"] == "PERSON", "gender"]) <= {"female", "male", "unknown"}


def test_the_first_name_slice_is_kept_once_and_read_back_the_same(tmp_path, monkeypatch):
    from presslens import paths

    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path)
    G.name_table.cache_clear()
    try:
        built = G.name_table()
        kept = list(tmp_path.glob("nomquamgender-*-first-names.parquet"))
        assert len(kept) == 1 and len(built) > 100_000
        G.name_table.cache_clear()
        assert G.name_table() == built  # read from the Parquet slice: the same names, p(gf) and counts
        kept[0].write_bytes(b"not parquet")
        G.name_table.cache_clear()
        assert G.name_table() == built  # a damaged slice is rebuilt from the package's data
    finally:
        G.name_table.cache_clear()


def _json_first_names(data: str) -> dict:
    """The slice as the whole file read by `json.loads` gives it (the reference for `_first_names`)."""
    import json

    return {k: (float(v[2]), int(v[1])) for k, v in json.loads(data).items()
            if " " not in k and len(v) >= 3 and v[2] == v[2] and int(v[1]) >= G.NAME_MIN_COUNTS}


def test_the_first_name_slice_equals_reading_the_whole_json():
    data = G._nqg_file().read_text(encoding="utf8")
    fast = G._first_names(data)
    assert list(fast.items()) == list(_json_first_names(data).items())  # same names, values and order


def test_first_names_decodes_escapes_and_drops_what_the_json_reading_drops():
    data = ('{"ann": [3, 12, 0.98, 3], "bo": [2, 9, 0.0, 3], "o\\\\\'neil": [4, 40, 0.02, 3], '
            '"de\\u0020la": [2, 50, 0.5, 3], "al\\"x": [1, 11, 0.5, 3], "mary ann": [5, 99, 1.0, 3], '
            '"nan": [1, 30, NaN, 3], "zed": [1, 100, 1e-3, 3]}')
    out = G._first_names(data)
    assert out == _json_first_names(data)
    assert out == {"ann": (0.98, 12), "o\\'neil": (0.02, 40), 'al"x': (0.5, 11), "zed": (0.001, 100)}
    assert G._first_names('{"ann": {"p": 0.98}}') == {}  # another layout: read whole, nothing of this shape
