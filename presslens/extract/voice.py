"""Whose words: the one definition of the outlet's own narration versus quoted voices.

Quoted text is what the quotation marks enclose (`quotemarks.mark_spans`, marks included) plus every
direct quote the extractor found. A sentence is in a quoted source's voice when most of its characters
are quoted, or when it opens or closes inside a quote and adds no more than a short attribution
("she said"). Narration is every other sentence with its quoted fragments cut out. Sentence tone,
readability of the narration, word choice and "mention inside a quote" all read these functions.
"""
from __future__ import annotations

import bisect
from itertools import accumulate
from typing import NamedTuple

from ..text import WORD_RE
from .quotemarks import ALL_MARKS, mark_spans

# Quote kinds whose words are the source's own (indirect speech is the outlet's paraphrase).
DIRECT_KINDS = ("direct",)
# A sentence is the source's voice when more than this share of its non-space characters is quoted.
QUOTE_SHARE = 0.5
# ... or when it opens or closes inside a quote and has at most this many words of its own ("she said").
ATTRIBUTION_WORDS = 6
# ... as long as the quote is at least a quarter of it ('a white "he."' is narration).
EDGE_QUOTE_SHARE = 0.25
SENTENCE_END = ".?!"
NARRATION, QUOTE = "narration", "quote"


class Segment(NamedTuple):
    """A stretch of the outlet's own words, offsets into the article's text."""
    start: int
    end: int
    paragraph: int | None


def _valid(a, b) -> bool:
    return a is not None and b is not None and a == a and b == b and b > a


def quoted_spans(text: str, quotes: list[dict] | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) of quoted text: paired quotation marks plus the extractor's direct quotes (marks included)."""
    if not isinstance(text, str) or not text:
        return []
    spans = list(mark_spans(text))
    n = len(text)
    for q in quotes or []:
        s, e = q.get("start"), q.get("end")
        if q.get("kind") not in DIRECT_KINDS or not _valid(s, e):
            continue
        s, e = int(s), int(e)
        if s > 0 and text[s - 1] in ALL_MARKS:
            s -= 1
        if e < n and text[e] in ALL_MARKS:
            e += 1
        spans.append((s, e))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def quoted_share(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> float:
    """Share of the non-space characters of text[start:end] that lie inside `spans` (0.0 for blank text)."""
    total = _non_space(text[start:end])
    if total == 0:
        return 0.0
    inside = 0
    for s, e in spans:
        a, b = max(s, start), min(e, end)
        if a < b:
            inside += _non_space(text[a:b])
    return inside / total


def _non_space(piece: str) -> int:
    """The number of non-space characters of `piece` (str.split cuts at exactly the str.isspace ones)."""
    return sum(map(len, piece.split()))


def voice_of(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """'quote' when text[start:end] is mostly quoted, or opens or closes inside a quote with at most
    ATTRIBUTION_WORDS words of its own and is at least EDGE_QUOTE_SHARE quoted; else 'narration'."""
    share = quoted_share(text, start, end, spans)
    if share > QUOTE_SHARE:
        return QUOTE
    inside = [(max(s, start), min(e, end)) for s, e in spans if max(s, start) < min(e, end)]
    if not inside:
        return NARRATION
    edge = inside[0][0] == start or inside[-1][1] == end
    if not edge or share < EDGE_QUOTE_SHARE:
        return NARRATION
    outside, pos = [], start
    for a, b in inside:
        outside.append(text[pos:a])
        pos = b
    outside.append(text[pos:end])
    own = sum(1 for _ in WORD_RE.finditer(" ".join(outside)))
    return QUOTE if own <= ATTRIBUTION_WORDS else NARRATION


def is_inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies wholly inside one of `spans`."""
    return any(s <= start and end <= e for s, e in spans)


class SpanIndex:
    """`is_inside(spans, start, end)` answered in O(log n) for many look-ups against the same spans:
    the spans sorted by start with the running maximum of their ends (one of the spans starting at or
    before `start` reaches `end` exactly when the largest of their ends does)."""

    def __init__(self, spans: list[tuple[int, int]]):
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(accumulate((e for _, e in ordered), max))

    def contains(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self._starts, start)
        return k > 0 and self._reach[k - 1] >= end


def narration_segments(text: str, sentences, spans: list[tuple[int, int]]) -> list[Segment]:
    """The outlet's own words: sentences in a quoted source's voice dropped, quoted fragments cut from
    the rest. `sentences` are (start, end, paragraph) in text order; `spans` from `quoted_spans`."""
    out: list[Segment] = []
    for start, end, para in sentences:
        if voice_of(text, start, end, spans) == QUOTE:
            continue
        pos = start
        for s, e in spans:
            a, b = max(s, start), min(e, end)
            if a >= b:
                continue
            if a > pos and text[pos:a].strip():
                out.append(_trimmed(text, pos, a, para))
            pos = b
        if pos < end and text[pos:end].strip():
            out.append(_trimmed(text, pos, end, para))
    return out


def _trimmed(text: str, a: int, b: int, para) -> Segment:
    piece = text[a:b]
    lead = len(piece) - len(piece.lstrip())
    return Segment(a + lead, a + lead + len(piece.strip()), para)


def narration_text(text: str, sentences, spans: list[tuple[int, int]]) -> str:
    """The narration as plain text for readability formulas: one line block per paragraph, and a
    sentence whose quoted ending was cut keeps its full stop, so textstat counts the same sentences."""
    paras: list[list[str]] = []
    last = object()
    for start, end, para in sentences:
        if voice_of(text, start, end, spans) == QUOTE:
            continue
        pieces, pos = [], start
        for s, e in spans:
            a, b = max(s, start), min(e, end)
            if a >= b:
                continue
            cut = text[a:b].rstrip().rstrip(ALL_MARKS).rstrip()
            if b >= end and cut and cut[-1] in SENTENCE_END:
                pieces.append(text[pos:a].rstrip() + cut[-1])
            else:
                pieces.append(text[pos:a])
            pos = b
        pieces.append(text[pos:end])
        piece = " ".join("".join(pieces).split())
        if not piece:
            continue
        if not paras or para is None or para != last:
            paras.append([])
        paras[-1].append(piece)
        last = para
    return "\n\n".join(" ".join(p) for p in paras)
