"""Tests for presslens.extract.cues: the reporting-verb lexicon and finding the cue of a quote."""
from __future__ import annotations

import pytest

from presslens.extract import cues
from presslens.extract.speakers import DocContext


def test_reporting_verbs_are_data():
    verbs = cues.reporting_verbs()
    assert {"say", "tell", "add"} <= set(verbs)
    assert set(verbs.values()) <= {"both", "direct"}


@pytest.mark.parametrize("text, cue", [
    ("John Smith said the bridge would close.", "said"),
    ("According to the ministry, the bridge will close.", "According to"),
])
def test_cue_fields(nlp, text, cue):
    doc = nlp(text)
    ctx = DocContext(doc, [])
    found = [t for t in doc if cues.is_cue(t, ctx) or cues.according_to(t, ctx) is not None]
    assert found
    assert cues.cue_fields(found[0]).text == cue


def test_so_called_is_not_a_cue(nlp):
    doc = nlp("The so-called plan failed.")
    ctx = DocContext(doc, [])
    assert not any(cues.is_cue(t, ctx) for t in doc)


@pytest.mark.parametrize("text", [
    "It goes without saying that the plan failed.",
    "Needless to say, the plan failed.",
])
def test_idioms_are_not_cues(nlp, text):
    doc = nlp(text)
    ctx = DocContext(doc, [])
    assert not any(cues.is_cue(t, ctx) for t in doc)


def test_as_x_put_it_is_a_cue(nlp):
    doc = nlp('As the report put it, the city was "simply not prepared."')
    ctx = DocContext(doc, [])
    assert [t.text for t in doc if cues.is_cue(t, ctx)] == ["put"]


@pytest.mark.parametrize("text, dateline", [
    ("WASHINGTON (Reuters) - Jane Roe spoke on Monday.", True),
    ("CARACAS/WASHINGTON -- Jane Roe spoke on Monday.", True),
    ("The visit to Washington was short.", False),
])
def test_datelines(nlp, text, dateline):
    doc = nlp(text)
    ents = [e for e in doc.ents if "WASHINGTON" in e.text or "Washington" in e.text]
    assert ents
    assert cues.is_dateline(ents[0]) is dateline


def test_non_finite_cue_takes_the_main_subject(nlp):
    doc = nlp("Mayor Jane Roe confirmed that all residents would have to leave, stating that it was urgent.")
    ctx = DocContext(doc, [])
    stating = next(t for t in doc if t.text == "stating")
    assert cues.subject_of(stating, ctx).text == "Roe"


def test_quoted_as_saying_gives_the_one_quoted(nlp):
    doc = nlp("The Daily Planet quoted John Smith as saying the plan was dead.")
    ctx = DocContext(doc, [])
    saying = next(t for t in doc if t.text == "saying")
    assert cues.subject_of(saying, ctx).text == "Smith"
