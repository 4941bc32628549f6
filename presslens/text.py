"""Small text helpers shared by every table: word counts and paragraph spans, one definition each."""
from __future__ import annotations

import re

# A word: letters or digits, with inner apostrophes, hyphens and periods ("Maduro's", "U.S.", "non-essential").
WORD_RE = re.compile(r"[^\W_](?:[\w'\u2019.\-]*[^\W_])?")
PARAGRAPH_SEP_RE = re.compile(r"\n\s*\n")
QUOTE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'


def count_words(text: str) -> int:
    """Number of words in `text` (0 for empty or missing text)."""
    if not isinstance(text, str) or not text:
        return 0
    return sum(1 for _ in WORD_RE.finditer(text))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines, outer whitespace trimmed."""
    spans = []
    pos = 0
    for m in list(PARAGRAPH_SEP_RE.finditer(text)) + [None]:
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
    import bisect

    starts = [a for a, _ in spans]
    return max(0, bisect.bisect_right(starts, offset) - 1)
