"""Tests for `presslens.token_lookups`: spaCy's attribute ruler and rule lemmatizer answered per
distinct token, with the same annotations as spaCy's own components."""
from __future__ import annotations

import numpy as np
import pytest

from presslens import token_lookups
from presslens.nlp import get_nlp

TEXTS = [
    "", " ", "\n\n", "a",
    "There are two ways to read the ruling, and there's no sign the court will say which.",
    "\"Let's go,\" she said. \"Y'all gotta see this, c'mon, we're gonna be late.\"",
    "The mayor's aides ain't saying whether the 3.2% rise was expected; rates were cut in 2019.",
    "I got there early.  He gets paid weekly.\n\nNew paragraph: THE UNIONS ARE STRIKING AGAIN!",
    "Officials said Tuesday they had been told nothing. \u201cWe\u2019re not done,\u201d said Ana Ruiz.",
]
ATTRS = ("POS", "TAG", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")


@pytest.fixture(scope="module")
def stock():
    return get_nlp(stock=True)


def _annotations(doc):
    return (doc.to_array(list(ATTRS)), [t.lemma_ for t in doc], [str(t.morph) for t in doc],
            [t.pos_ for t in doc])


def test_the_pipeline_answers_with_the_lookups_and_keeps_spacys_components_loaded(nlp, stock):
    assert token_lookups.ATTRIBUTE_RULER in nlp.pipe_names and token_lookups.LEMMATIZER in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert "attribute_ruler" in nlp.disabled and "lemmatizer" in nlp.disabled
    assert nlp.pipe_names.index(token_lookups.LEMMATIZER) < nlp.pipe_names.index("ner")
    assert "attribute_ruler" in stock.pipe_names and token_lookups.ATTRIBUTE_RULER not in stock.component_names


def test_same_annotations_as_spacys_own_components(nlp, stock, seeds):
    texts = TEXTS + list(seeds["text"])
    for mine, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        a, b = _annotations(mine), _annotations(theirs)
        assert np.array_equal(a[0], b[0]), mine.text[:60]
        assert a[1:] == b[1:], mine.text[:60]
    ruler = nlp.get_pipe(token_lookups.ATTRIBUTE_RULER)
    assert ruler.rules and ruler.seen, "the one-token patterns are looked up, not left to the Matcher"
    assert len(ruler.rules) + sum(len(p) for _, p in ruler.rest._patterns.items()) \
        >= sum(len(p["patterns"]) for p in ruler.stock.patterns)


def test_a_second_pass_over_the_same_texts_gives_the_same_annotations(nlp):
    """The remembered answers (per distinct token) are the answers spaCy gave the first time."""
    first = [_annotations(d) for d in nlp.pipe(TEXTS)]
    again = [_annotations(d) for d in nlp.pipe(TEXTS)]
    for a, b in zip(first, again):
        assert np.array_equal(a[0], b[0]) and a[1:] == b[1:]


PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TEXT": "Bank", "TAG": "NNP"}]], "attrs": {"POS": "PROPN", "LEMMA": "bank"}},
    {"patterns": [[{"LOWER": {"IN": ["runs", "ran"]}}]], "attrs": {"LEMMA": "run"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"IS_SPACE": False, "DEP": "nsubj"}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": "runs"}], [{"TAG": "VBZ", "LOWER": "runs"}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"POS": "NOUN"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^b.nk$"}}]], "attrs": {"LEMMA": "bank!"}},
    {"patterns": [[{"TAG": "DT"}, {"TAG": "JJ", "OP": "*"}, {"TAG": "NN"}]], "attrs": {"TAG": "XX"}, "index": 0},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "X"}},  # a later rule on the same tokens wins
    {"patterns": [[{"LOWER": {"IN": ["the", "runs"]}, "TAG": {"NOT_IN": ["VBZ"]}}]], "attrs": {"LEMMA": "THE"}},
]


def _doc(vocab):
    from spacy.tokens import Doc

    words = ["The", "Bank", "runs", "the", "big", "race", " ", "and", "the", "bank", "ran", "."]
    tags = ["DT", "NNP", "VBZ", "DT", "JJ", "NN", "_SP", "CC", "DT", "NN", "VBD", "."]
    deps = ["det", "nsubj", "ROOT", "det", "amod", "dobj", "dep", "cc", "det", "nsubj", "conj", "punct"]
    heads = [1, 2, 2, 5, 5, 2, 5, 2, 9, 10, 2, 2]
    return Doc(vocab, words=words, spaces=[True] * 5 + [False] * 7, tags=tags, deps=deps, heads=heads)


def test_the_lookup_matches_every_pattern_form_as_spacys_matcher_does():
    """Plain, TEXT, bool, IN, NOT_IN, repeated, multi-token, REGEX and operator patterns, and rules that
    overwrite each other: the same matches in the same order, and the same attributes set."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(PATTERNS)
    mine = token_lookups.LookupAttributeRuler(ruler)
    assert len(mine.rules) == 9 and len(mine.rest) == 3, "one-token forms looked up, the others matched"
    a, b = _doc(nlp.vocab), _doc(nlp.vocab)
    assert mine.match(a) == ruler.match(b)
    assert mine.match(a) == ruler.match(b), "the same on the second pass, from remembered answers"
    mine(a), ruler(b)
    assert np.array_equal(a.to_array(list(ATTRS)), b.to_array(list(ATTRS)))
    assert [t.lemma_ for t in a] == [t.lemma_ for t in b] and [t.pos_ for t in a] == [t.pos_ for t in b]
    assert [t.pos_ for t in a][5] == "X" and [t.lemma_ for t in a][2] == "run"
    ruler.add_patterns([{"patterns": [[{"LOWER": "race"}]], "attrs": {"LEMMA": "RACE"}}])
    a, b = _doc(nlp.vocab), _doc(nlp.vocab)
    mine(a), ruler(b)
    assert a[5].lemma_ == b[5].lemma_ == "RACE", "a rule added to spaCy's ruler afterwards is used"


def test_a_one_token_rule_pointing_outside_its_token_fails_as_spacys_does():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}, "index": 1}])
    mine = token_lookups.LookupAttributeRuler(ruler)
    with pytest.raises(ValueError) as theirs:
        ruler(_doc(nlp.vocab))
    with pytest.raises(ValueError) as ours:
        mine(_doc(nlp.vocab))
    assert str(ours.value) == str(theirs.value)


def test_the_lemmatizer_keeps_lemmas_already_set_and_asks_once_per_distinct_token(stock):
    lemmatizer = stock.get_pipe("lemmatizer")
    mine = token_lookups.LookupLemmatizer(lemmatizer)
    with stock.select_pipes(disable=["lemmatizer"]):
        a, b = stock("He ran and ran and runs. Gotta go."), stock("He ran and ran and runs. Gotta go.")
    a[0].lemma_ = b[0].lemma_ = "HIM"  # set before the lemmatizer: both leave it
    asked = []
    real = lemmatizer.lemmatize

    def counted(token):
        asked.append(token.text)
        return real(token)

    lemmatizer.lemmatize = counted
    try:
        mine(a)
    finally:
        lemmatizer.lemmatize = real
    lemmatizer(b)
    assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
    assert a[0].lemma_ == "HIM" and a[1].lemma_ == "run"
    assert asked.count("ran") == 1 and "He" not in asked


def test_the_remembered_answers_stay_bounded_and_right(nlp, stock, monkeypatch):
    """A long run meets ever more distinct tokens: past MAX_REMEMBERED the tables start afresh, and the
    annotations stay spaCy's."""
    monkeypatch.setattr(token_lookups, "MAX_REMEMBERED", 25)
    ruler, lemmatizer = nlp.get_pipe(token_lookups.ATTRIBUTE_RULER), nlp.get_pipe(token_lookups.LEMMATIZER)
    ruler.seen.clear(), lemmatizer.seen.clear()  # what earlier tests left
    for mine, theirs in zip(nlp.pipe(TEXTS), stock.pipe(TEXTS)):
        assert len(ruler.seen) <= 25 and len(lemmatizer.seen) <= 25
        a, b = _annotations(mine), _annotations(theirs)
        assert np.array_equal(a[0], b[0]) and a[1:] == b[1:]
