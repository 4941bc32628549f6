"""Tests for presslens.speaker_types: generic types from roles, generic nouns and organisation kinds, the
corpus table tried before the package's, and clear warnings for bad rows. Every text here is made up."""
from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from presslens import speaker_types as st
from presslens.paths import CORPUS_DIR

GENERIC_TYPES = {"government", "politician", "law & courts", "military", "business", "expert", "civil society",
                 "labour union", "media", "sports", "international body", "public", "document"}

ROLE_CASES = {
    "cabinet title": ("Interior Secretary", "Jane Roe", "government"),
    "spokeswoman for a ministry": ("spokeswoman for the ministry", "Jane Roe", "government"),
    "head of state": ("President", "Jane Roe", "government"),
    "mayor": ("the city's mayor", "Jane Roe", "government"),
    "senator": ("senator", "Jane Roe", "politician"),
    "party tag": ("Republican of Ohio", "Jane Roe", "politician"),
    "house speaker title alone": ("Speaker", "Jane Roe", "politician"),
    "representative title alone": ("Representative", "Jane Roe", "politician"),
    "professor": ("a professor of history at a state university", "Jane Roe", "expert"),
    "doctor's title": ("Dr.", "Jane Roe", "expert"),
    "chief executive": ("CEO", "Jane Roe", "business"),
    "corporate vice president": ("Senior Vice President of Sales at Acme", "Jane Roe", "business"),
    "coach": ("head coach", "Jane Roe", "sports"),
    "pitcher": ("the 30-year-old right-hander", "Jane Roe", "sports"),
    "police chief": ("police chief", "Jane Roe", "law & courts"),
    "capitalised judge title": ("U.S. District Judge", "Jane Roe", "law & courts"),
    "federal judge, not the federal government": ("Federal Judge", "Jane Roe", "law & courts"),
    "defence lawyer": ("a defense attorney", "Jane Roe", "law & courts"),
    "general": ("a retired army general", "Jane Roe", "military"),
    "rank abbreviation": ("Gen.", "Jane Roe", "military"),
    "rights group": ("director of a human rights group", "Jane Roe", "civil society"),
    "religious title": ("Bishop", "Jane Roe", "civil society"),
    "union leader": ("union leader", "Jane Roe", "labour union"),
    "reporter": ("a reporter for the local paper", "Jane Roe", "media"),
    "secretary-general of a body of states": ("U.N. Secretary-General", "Jane Roe", "international body"),
    "resident": ("a longtime resident", "Jane Roe", "public"),
    "employee of a company is business": ("an employee of Acme Motors", "Jane Roe", "business"),
    "press secretary is government, not media": ("press secretary", "Jane Roe", "government"),
}


@pytest.mark.parametrize("role, speaker, expected", ROLE_CASES.values(), ids=ROLE_CASES.keys())
def test_type_from_the_stated_role(role, speaker, expected):
    assert st.speaker_type(role, speaker) == expected


NAME_CASES = {
    "honorific of a senator": ("Sen. Jane Roe", "politician"),
    "party tag after the name": ("Jane Roe, D-Ohio", "politician"),
    "a judge by title": ("Judge Jane Roe", "law & courts"),
    "a surname that is a title word": ("Mark Judge", "other"),
    "a surname that is a noun": ("Jane Bishop", "other"),
    "ministry": ("the Ministry of Health", "government"),
    "department": ("the State Department", "government"),
    "officials": ("officials", "government"),
    "residents at the start": ("Residents", "public"),
    "fans": ("fans", "public"),
    "witnesses": ("witnesses", "public"),
    "a statement": ("a statement", "document"),
    "a report": ("the report", "document"),
    "company suffix": ("Acme Widgets Inc.", "business"),
    "football club": ("Riverside FC", "sports"),
    "labour union": ("the Acme Workers Union", "labour union"),
    "not a labour union": ("the Civil Liberties Union", "civil society"),
    "union of states": ("the European Union", "international body"),
    "university": ("Northfield University", "expert"),
    "newspaper": ("the Daily Planet", "media"),
    "foundation": ("the Greenway Foundation", "civil society"),
    "party": ("the Green Party", "politician"),
    "a company named like a general": ("General Motors", "business"),
    "a person named like a newspaper": ("Bill Post", "other"),
    "anonymous source": ("people familiar with the talks", "other"),
    "lower-case 'us' is not the US": ("us", "other"),
    "unknown name": ("Bob Smith", "other"),
}


@pytest.mark.parametrize("speaker, expected", NAME_CASES.values(), ids=NAME_CASES.keys())
def test_type_from_the_speaker_as_written(speaker, expected):
    assert st.speaker_type(None, speaker) == expected


def test_no_speaker_is_unattributed():
    assert st.speaker_type(None, None, None) == st.UNATTRIBUTED_TYPE
    assert st.speaker_type("  ", "", None) == st.UNATTRIBUTED_TYPE


def test_role_first_then_name_then_entity_then_corpus_role():
    assert st.speaker_type("professor", "Acme Motors Inc.") == "expert"              # role before the name
    assert st.speaker_type(None, "she", "Acme Motors Inc.") == "business"             # the entity last
    assert st.speaker_type(None, "Jane Roe", "Jane Roe") == "other"
    assert st.speaker_type(None, "Jane Roe", "Jane Roe", corpus_role="Mr.; Gov.; governor") == "government"
    assert st.speaker_type("coach", "Jane Roe", "Jane Roe", corpus_role="senator") == "sports"


def test_an_other_row_ends_only_its_own_text():
    # 'a spokesman' says nothing of the kind: the name is tried next
    assert st.speaker_type("spokesman", "Acme Motors Inc.") == "business"
    assert st.speaker_type("spokesman", "Jane Roe") == "other"
    assert st.speaker_type("spokesman for Acme Motors", "Jane Roe") == "business"   # the organisation it names


def test_organisation_kinds_never_type_a_person():
    assert st.organisation_kind("Acme Motors Inc.") == "company"
    assert st.organisation_kind("Northfield University") == "university or research body"
    assert st.organisation_kind("Riverside News") == "media organisation"
    assert st.organisation_kind("Bill Post") is None                  # a given name starts it: a person
    assert st.organisation_kind("Riverside News", label="PERSON") is None
    assert st.organisation_kind("Bill Post", label="ORG") == "media organisation"
    assert st.speaker_type(None, "Jill Times", label="PERSON") == "other"
    assert st.speaker_type(None, "Lakeside Times", label="ORG") == "media"


def test_role_case_keeps_acronyms_and_abbreviations():
    assert st.role_case("U.S. District Judge") == "U.S. district judge"
    assert st.role_case("NATO Secretary General") == "NATO secretary general"
    assert st.role_case("State Rep.") == "state Rep."


def test_package_tables_are_valid_data_with_the_generic_types():
    t = st.load_speaker_types()
    assert list(t.columns) == st.SPEAKER_TYPE_COLUMNS and len(t) >= len(GENERIC_TYPES)
    for p in t["pattern"]:
        re.compile(p)
    assert GENERIC_TYPES <= set(t["speaker_type"])
    assert set(t["speaker_type"]) <= GENERIC_TYPES | {st.OTHER_TYPE}
    assert all(t["comment"].str.len() > 0)
    k = st.load_organisation_kinds()
    assert list(k.columns) == st.ORGANISATION_KIND_COLUMNS
    assert set(k["speaker_type"]) <= GENERIC_TYPES and all(k["source"].str.len() > 0)
    for p in k["pattern"]:
        re.compile(p)


def test_package_table_names_no_story():
    """The generic table types by role, not by cast: a story's names live in the corpus folder."""
    text = st.SPEAKER_TYPES_PATH.read_text(encoding="utf8")
    for country_word in ("Venezuela", "Caracas", "Maduro", "Trump", "Burgum"):
        assert country_word not in text


CORPUS_TABLE = """# the cast of a made-up story
speaker_type,pattern,comment
Ruritanian government,"\\b(Ruritania|Ruritanian)\\b.{0,30}\\b(minister|official)s?\\b",the story's state
Ruritanian government,\\bJane Roe\\b,a minister in the story
"""


@pytest.fixture
def corpus_table(tmp_path):
    path = tmp_path / "speaker_types.csv"
    path.write_text(CORPUS_TABLE, encoding="utf8")
    return path


def test_corpus_table_is_tried_before_the_package_table(corpus_table):
    assert st.speaker_type("Ruritania's foreign minister", "Ann Doe", table=corpus_table) == "Ruritanian government"
    assert st.speaker_type("senator", "Jane Roe", table=corpus_table) == "Ruritanian government"  # the cast wins
    assert st.speaker_type("senator", "Ann Doe", table=corpus_table) == "politician"   # the package's table next
    assert st.speaker_type(None, "Ann Doe", table=corpus_table) == "other"
    as_frame = st.load_speaker_types(corpus_table)
    assert st.speaker_type(None, "Jane Roe", table=as_frame) == "Ruritanian government"


def test_an_edit_of_the_corpus_table_is_seen(corpus_table):
    assert st.speaker_type(None, "Ann Doe", table=corpus_table) == "other"
    corpus_table.write_text(CORPUS_TABLE + "clergy,\\bAnn Doe\\b,an added row\n", encoding="utf8")
    assert st.speaker_type(None, "Ann Doe", table=corpus_table) == "clergy"


def test_bad_rows_warn_with_file_and_line_and_are_skipped(tmp_path):
    path = tmp_path / "speaker_types.csv"
    path.write_text("# comment\nspeaker_type,pattern,comment\nclergy,\\b(bishop,unclosed group\n"
                    "clergy,\\bvicar\\b,fine\n,\\bdeacon\\b,no type\n", encoding="utf8")
    with pytest.warns(UserWarning) as caught:
        rules = st.table_rules(path)
    messages = [str(w.message) for w in caught]
    assert any(f"{path}, line 3" in m and "not a valid regular expression" in m for m in messages)
    assert any(f"{path}, line 5" in m and "empty" in m for m in messages)
    assert [(r.speaker_type, r.line) for r in rules] == [("clergy", 4)]
    assert st.speaker_type("the vicar", "X Y", table=path) == "clergy"


def test_a_table_without_the_columns_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "speaker_types.csv"
    path.write_text("type,regex\nclergy,bishop\n", encoding="utf8")
    with pytest.raises(ValueError, match=re.escape(str(path))):
        st.table_rules(path)
    with pytest.raises(FileNotFoundError):
        st.table_rules(tmp_path / "missing.csv")


def test_corpus_roles_and_labels_from_mentions():
    m = pd.DataFrame({"entity": ["Jane Roe", "Jane Roe", "Jane Roe", "Acme", "Ann Doe"],
                      "label": ["PERSON", "PERSON", "ORG", "ORG", "PERSON"],
                      "role": ["Gov.", "Gov.", "governor of the state", None, "  "]})
    assert st.corpus_roles(m) == {"Jane Roe": "Gov.; governor of the state"}
    assert st.entity_labels(m) == {"Jane Roe": "PERSON", "Acme": "ORG", "Ann Doe": "PERSON"}
    assert st.corpus_roles(None) == {} and st.entity_labels(pd.DataFrame()) == {}


@pytest.mark.skipif(not (CORPUS_DIR / "speaker_types.csv").exists(), reason="no corpus speaker_types.csv")
def test_the_shipped_corpus_table_keeps_the_story_types():
    path = CORPUS_DIR / "speaker_types.csv"
    rules = st.table_rules(path)
    assert rules and all(r.source == str(path) for r in rules)
    assert st.speaker_type("Interior Secretary", "A B", table=path) == "US government"
    assert st.speaker_type("a professor", "A B", table=path) == "expert"   # generic rows still apply


def test_most_frequent_by_lists_what_pandas_value_counts_lists():
    rng = random.Random(3)
    m = pd.DataFrame({"entity": [rng.choice("ABCDEFG") for _ in range(400)],
                      "role": [rng.choice(["x", "y", "z", "w", "v", "u", "t"][:rng.randint(1, 7)]) for _ in range(400)]})
    for n in (1, 2, 5):
        want = {e: list(g.value_counts().index[:n]) for e, g in m.groupby("entity")["role"]}
        assert st.most_frequent_by(m, "entity", "role", n) == want
