"""The small text helpers every table shares: words, paragraphs (blank lines, or lines on pages without
them), and the readability row's quoted share, which can never go negative."""
from __future__ import annotations

import pytest

from presslens.extract.readability import readability_row
from presslens.extract.voice import Segment
from presslens.text import LINE_SEP_RE, PARAGRAPH_SEP_RE, count_words, paragraph_index, paragraph_separator, paragraph_spans


@pytest.mark.parametrize("text, n", [("", 0), (None, 0), ("U.S. officials' re-election", 3), ("Hi, there!", 2),
                                     ("  \n ", 0), ("Maduro\u2019s plan", 2)])
def test_count_words(text, n):
    assert count_words(text) == n


def test_paragraphs_are_blank_line_blocks_when_the_page_has_blank_lines():
    text = "One line\nstill one.\n\nTwo.\n\n\n  Three.  "
    assert paragraph_separator(text) is PARAGRAPH_SEP_RE
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["One line\nstill one.", "Two.", "Three."]


def test_a_page_without_blank_lines_has_a_paragraph_per_line():
    text = "First paragraph.\nSecond paragraph.\n  Third.\n"
    assert paragraph_separator(text) is LINE_SEP_RE
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["First paragraph.", "Second paragraph.", "Third."]
    assert paragraph_index(spans, text.index("Second")) == 1
    assert paragraph_index(spans, 0) == 0


def test_the_quoted_share_is_between_0_and_1_even_when_sentences_join_without_a_space():
    text = 'He left.The minister said "we will win the vote" today.'
    sents = [(0, 8, 0), (8, len(text), 0)]
    spans = [(text.index('"'), text.rindex('"') + 1)]
    segments = [Segment(0, 8, 0), Segment(8, text.index('"'), 0), Segment(text.rindex('"') + 1, len(text), 0)]
    row = readability_row(text, sents, spans, segments)
    assert 0.0 < row["quoted_word_share"] < 1.0
