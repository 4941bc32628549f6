"""Small text helpers shared by every table: word counts and paragraph spans, one definition each."""
from __future__ import annotations

import bisect
import re

# A word: letters or digits, with inner apostrophes, hyphens and periods ("Maduro's", "U.S.", "non-essential").
WORD_RE = re.compile(r"[^\W_](?:[\w'\u2019.\-]*[^\W_])?")
PARAGRAPH_SEP_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
LINE_SEP_RE = re.compile(r"\n\s*")


def count_words(text: str) -> int:
    """Number of words in `text` (0 for empty or missing text)."""
    if not isinstance(text, str) or not text:
        return 0
    return len(WORD_RE.findall(text))


def paragraph_separator(text: str) -> re.Pattern:
    """What separates paragraphs in `text`: blank lines, or, in a page that has none (many saved pages
    put each paragraph on one line), every line break."""
    return PARAGRAPH_SEP_RE if PARAGRAPH_SEP_RE.search(text or "") else LINE_SEP_RE


def paragraph_spans(text: str, sep: re.Pattern | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blocks between `sep`, by default `paragraph_separator(text)`),
    outer whitespace trimmed."""
    if not isinstance(text, str) or not text:
        return []
    sep = sep or paragraph_separator(text)
    spans = []
    pos = 0
    for m in list(sep.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        block = text[pos:end]
        stripped = block.strip()
        if stripped:
            a = pos + (len(block) - len(block.lstrip()))
            spans.append((a, a + len(stripped)))
        if m:
            pos = m.end()
    return spans


def paragraph_index(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the paragraph containing character `offset` (the previous one if it falls between)."""
    starts = [a for a, _ in spans]
    return max(0, bisect.bisect_right(starts, offset) - 1)


_TEXT_KEY = ("presslens", "text")


def doc_text(doc) -> str:
    """`doc.text`, read once per Doc: spaCy re-joins every token on each `doc.text`, which cost a
    per-article step more than the rest of its work; the text is kept in `doc.user_data`."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
