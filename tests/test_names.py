"""The names module: folding, keys, typo variants, surname linking, alias files (texts written for the tests)."""
from __future__ import annotations

import pytest

from presslens import names


@pytest.mark.parametrize("a,b", [("Rodríguez", "Rodriguez"), ("the State Department", "State Department"),
                                 ("U.S.", "US"), ("Lindqvist's", "Lindqvist"), ("Lindqvist\u2019s", "lindqvist")])
def test_name_key_equates_spellings(a, b):
    assert names.name_key(a) == names.name_key(b)


@pytest.mark.parametrize("a,b,expected", [
    ("halligan", "haligan", True),     # a letter dropped
    ("lindsay", "lindsey", True),      # a letter changed
    ("comey", "coemy", True),          # two neighbours swapped
    ("lee", "lea", False),             # too short to call a typo
    ("james", "jameson", False),       # two letters more: another name
    ("morrow", "morrow", False),       # the same word
])
def test_one_edit_apart(a, b, expected):
    assert names.one_edit_apart(a, b) is expected


@pytest.mark.parametrize("a,b,expected", [
    ("harriet vance", "harriet vanse", True),
    ("harriet vance", "harriot vanse", False),  # two words differ
    ("vance", "vanse", False),                  # one word: no full name to compare
    ("owen price", "owen prince", True),
])
def test_typo_variant(a, b, expected):
    assert names.typo_variant(a, b) is expected


@pytest.mark.parametrize("key,start,expected", [
    ("vance", 50, "harriet vance"),     # the latest full name before
    ("vance", 5, "harriet vance"),      # else the first after
    ("harriet", 50, "harriet vance"),   # a given name, only after the full name
    ("harriet", 5, None),
])
def test_link_person(key, start, expected):
    assert names.link_person(key, start, [(10, "harriet vance"), (80, "owen price")]) == expected


def test_title_words_from_data():
    assert names.is_title_word("Sheriff") and names.is_title_word("Sen.") and not names.is_title_word("Vance")
