"""Small text helpers shared by every table: word counts and paragraph spans, one definition each."""
from __future__ import annotations

import re

# A word: letters or digits, with inner apostrophes, hyphens and periods ("Maduro's", "U.S.", "non-essential").
WORD_RE = re.compile(r"[^\W_](?:[\w'\u2019.\-]*[^\W_])?")
PARAGRAPH_SEP_RE = re.compile(r"\n\s*\n")
QUOTE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
_OPENING = "\u201c\u201e\u201f\u00ab"
_CLOSING = "\u201d\u00bb"


def count_words(text: str) -> int:
    """Number of words in `text` (0 for empty or missing text)."""
    if not isinstance(text, str) or not text:
        return 0
    return len(WORD_RE.findall(text))


def paragraph_spans(text: str, sep: re.Pattern = PARAGRAPH_SEP_RE) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines (or `sep`), outer whitespace trimmed."""
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
    import bisect

    starts = [a for a, _ in spans]
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _looks_closing(text: str, i: int, a: int, b: int) -> bool:
    """A straight mark glued to the word before it and followed by a space, punctuation or the paragraph end."""
    before = text[i - 1] if i > a else " "
    after = text[i + 1] if i + 1 < b else " "
    return not before.isspace() and before not in "([{\u2014-" and (after.isspace() or after in ".,;:!?)]")


def quote_mark_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted stretch, marks included, paired within each paragraph.

    Straight marks alternate open/close; curly and guillemet marks say which they are. A quote left
    open at a paragraph's end runs to that end (the news convention for a quote continuing below).
    """
    if not isinstance(text, str) or not text:
        return []
    spans = []
    for a, b in paragraph_spans(text):
        open_at = None
        for i in range(a, b):
            ch = text[i]
            if ch not in QUOTE_MARKS:
                continue
            if ch == '"':
                if open_at is None:
                    if _looks_closing(text, i, a, b):
                        continue  # a stray closing mark (its opening one is missing): no quote starts here
                    open_at = i
                else:
                    spans.append((open_at, i + 1))
                    open_at = None
            elif ch in _OPENING:
                if open_at is not None:  # an unclosed quote before a new one: it ended here
                    spans.append((open_at, i))
                open_at = i
            elif ch in _CLOSING and open_at is not None:
                spans.append((open_at, i + 1))
                open_at = None
        if open_at is not None:
            spans.append((open_at, b))
    return spans


_TEXT_KEY = ("presslens", "text")


def doc_text(doc) -> str:
    """`doc.text`, read once per Doc: spaCy re-joins every token on each `doc.text`, which cost a
    per-article step more than the rest of its work; the text is kept in `doc.user_data`."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
