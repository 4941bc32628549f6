"""Tests for presslens.extract.quotemarks: the one pairing of quotation marks."""
from __future__ import annotations

import pytest

from presslens.extract.quotemarks import quote_spans, single_quote_spans


@pytest.mark.parametrize("text, expected", [
    ('He said "a plan" today.', ["a plan"]),
    ("\u201cone\u201d and \u201ctwo\u201d", ["one", "two"]),
    ('He said "they called it \u201ca mess\u201d and left" then.', ["they called it \u201ca mess\u201d and left"]),
    ("x \u201cthey called it \"a mess\" and left\u201d y", ['they called it "a mess" and left']),
    ('An unclosed "quote runs to the line end', ["quote runs to the line end"]),
    ('"First part.\n\n"Second part."', ["First part.", "Second part."]),
    ("\u201dMis-typed opening mark.\u201d", ["Mis-typed opening mark."]),
    ("He is 6'3\" tall.", []),
    ("''Two apostrophes open and close it,'' he said.", ["Two apostrophes open and close it,"]),
    ("\u201cI would rather be where he calls \u201chell\u201d than here.\u201d",
     ["I would rather be where he calls \u201chell\u201d than here."]),
    ("It was rated \u201cMostly False.\u201c And more.", ["Mostly False."]),
    ('He said "mixed styles close\u201d fine.', ["mixed styles close"]),
    ('', []),
])
def test_quote_spans(text, expected):
    assert [text[a:b] for a, b, _ in quote_spans(text)] == expected


def test_multi_paragraph_quote_is_marked_continued():
    text = 'She said: "First paragraph of it.\n\n"Second paragraph of it."'
    spans = quote_spans(text)
    assert [c for _, _, c in spans] == [True, False]


@pytest.mark.parametrize("text, expected", [
    ("Clement says \u2018lot to be proud of\u2019 this season", ["lot to be proud of"]),
    ("\u2018It hurts\u2019: Jane Roe", ["It hurts"]),
    ("The players\u2019 union said \u2018we won\u2019t stop,\u2019 she said.", ["we won\u2019t stop,"]),
    ("He said 'no way' about the '90s and rock 'n' roll, didn't he", ["no way"]),
    ("\u2018A quote that opens the line and never closes", ["A quote that opens the line and never closes"]),
    ("It\u2019s Jane\u2019s plan and the Smiths\u2019 house.", []),
    ("''Two apostrophes are a double mark,'' he said.", []),
])
def test_single_quote_spans(text, expected):
    assert [text[a:b] for a, b, _ in single_quote_spans(text)] == expected


def test_single_quotes_nested_in_double_quotes_are_left_out():
    text = '"They called it \'a disaster\' and left," she said.'
    doubles = [(a - 1, b + 1) for a, b, _ in quote_spans(text)]
    assert single_quote_spans(text, doubles) == []
