"""Tests for presslens.extract.cues: the reporting-verb lexicon and finding the cue of a quote."""
from __future__ import annotations

import pytest
from spacy.tokens import Doc

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


def _parsed(nlp, words, heads, deps, pos, tags, sent_starts, ents):
    """A Doc with a given parse and entities (no model decisions)."""
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, sent_starts=sent_starts,
               ents=ents)


# Roe | lavished praise , saying : yes      (the splitter cut the subject off as a sentence of its own)
SPLIT = dict(words=["Roe", "lavished", "praise", ",", "saying", "yes", "."],
             heads=[0, 1, 1, 1, 1, 4, 1],
             deps=["ROOT", "ROOT", "dobj", "punct", "advcl", "ccomp", "punct"],
             pos=["PROPN", "VERB", "NOUN", "PUNCT", "VERB", "INTJ", "PUNCT"],
             tags=["NNP", "VBD", "NN", ",", "VBG", "UH", "."],
             sent_starts=[True, True, False, False, False, False, False],
             ents=["B-PERSON", "O", "O", "O", "O", "O", "O"])


def test_a_subject_split_off_by_the_sentence_splitter_is_found(nlp):
    doc = _parsed(nlp, **SPLIT)
    ctx = DocContext(doc, [])
    assert cues.subject_of(doc[4], ctx).text == "Roe"
    assert cues.subject_of(doc[1], ctx).text == "Roe"


def test_a_split_off_word_that_is_not_a_name_is_not_a_subject(nlp):
    doc = _parsed(nlp, **{**SPLIT, "ents": ["O"] * 7})
    assert cues.subject_of(doc[4], DocContext(doc, [])) is None


def test_the_subject_of_a_subordinate_clause_is_not_the_speaker(nlp):
    """'..., while Smith was away saying ...': "saying" hangs from the main clause, not from "was"."""
    words = ["praise", "while", "Smith", "was", "away", "saying", "yes", "."]
    heads = [5, 3, 3, 5, 3, 5, 5, 5]
    deps = ["dobj", "mark", "nsubj", "advcl", "advmod", "ROOT", "ccomp", "punct"]
    pos = ["NOUN", "SCONJ", "PROPN", "AUX", "ADV", "VERB", "INTJ", "PUNCT"]
    tags = ["NN", "IN", "NNP", "VBD", "RB", "VBG", "UH", "."]
    doc = _parsed(nlp, words, heads, deps, pos, tags, [True] + [False] * 7,
                  ["O", "O", "B-PERSON", "O", "O", "O", "O", "O"])
    smith = doc.ents[0]
    assert cues.in_other_clause(smith, doc[5])
    assert not cues.in_other_clause(smith, doc[4])  # a cue inside that clause is Smith's
    assert cues.speaker_for_cue(doc[5], DocContext(doc, [])) is None


def test_cue_lemmas_mark_every_token_is_cue_can_accept(nlp):
    doc = nlp("The mayor said the bridge would close, as the memo put it. Critics argued otherwise.")
    flags = cues.cue_lemmas(doc)
    assert len(flags) == len(doc) and flags[doc[2].i] and not flags[0]
    ctx = DocContext(doc, [])
    assert all(flags[t.i] for t in doc if cues.is_cue(t, ctx))
