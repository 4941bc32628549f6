"""Near-duplicate articles: an updated or edited version of one article, found without comparing every pair.

w-shingles (Broder 1997): the sets of three-word sequences of two texts, compared by their Jaccard
similarity; candidates come from an inverted index of long sentences, so the cost grows with the
overlap, not with the square of the corpus. Used by the loader (keep one version) and by `add`
(report an updated version instead of adding it).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

# Near-duplicates (an updated or edited version of one article): Jaccard similarity of the sets of
# three-word sequences (w-shingles, Broder 1997) of at least 0.8. A one-word edit of an n-word text keeps
# (n-5)/(n+1) of them, so it is caught from about 30 words up; two different articles of one outlet that
# share a background paragraph or a quote stay far below (they share a few sentences, not four fifths).
SHINGLE_WORDS = 3
NEAR_DUPLICATE_JACCARD = 0.8
# Candidates are found through an index of "anchors" (so no pair of the corpus is compared blindly): the
# sentences of at least ANCHOR_MIN_WORDS words, and for texts of up to SHORT_TEXT_WORDS words (few sentences)
# every four-word sequence. An anchor shared by more than ANCHOR_MAX_POSTING articles of an outlet is
# boilerplate and proves nothing; at most MAX_CANDIDATES candidates (most anchors shared first) are compared.
ANCHOR_MIN_WORDS = 5
SHORT_TEXT_WORDS = 200
ANCHOR_MAX_POSTING = 50
MAX_CANDIDATES = 20
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def _shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i:i + SHINGLE_WORDS])) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}


def jaccard(a: str, b: str) -> float:
    """Share of three-word sequences two texts have in common (Jaccard similarity of their shingle sets)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class NearMatch(NamedTuple):
    """The indexed text a new text is a near-duplicate of, and how similar they are."""

    key: object
    jaccard: float


class NearDuplicateIndex:
    """Texts indexed by anchors (long sentences; short texts also by four-word sequences); `match` finds
    the indexed text a new one is a near-duplicate of (shingle Jaccard >= NEAR_DUPLICATE_JACCARD)."""

    def __init__(self):
        self._posting: dict[int, list] = {}
        self._texts: dict = {}
        self._order: dict = {}  # key -> when it was first added: ties between candidates go to the earlier
        self._shingles: dict = {}  # key -> shingles of its text, computed the first time it is a candidate
        self._last: tuple[str, set[int]] | None = None  # anchors of the text last matched, reused by `add`

    def _anchors(self, text: str) -> set[int]:
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        out = set()
        for sentence in _SENTENCE_END.split(text):
            words = sentence.lower().split()
            if len(words) >= ANCHOR_MIN_WORDS:
                out.add(hash(" ".join(words)))
        if text.count(" ") <= SHORT_TEXT_WORDS:
            words = _WORD.findall(text.lower())
            out.update(hash(("w", *words[i:i + 4])) for i in range(max(1, len(words) - 3)))
        self._last = (text, out)
        return out

    def add(self, key, text: str) -> None:
        self._texts[key] = text
        self._order.setdefault(key, len(self._order))
        self._shingles.pop(key, None)
        for h in self._anchors(text):
            keys = self._posting.setdefault(h, [])
            if len(keys) <= ANCHOR_MAX_POSTING:
                keys.append(key)

    def match(self, text: str) -> NearMatch | None:
        counts: Counter = Counter()
        for h in self._anchors(text):
            keys = self._posting.get(h)
            if keys and len(keys) <= ANCHOR_MAX_POSTING:
                counts.update(keys)
        if not counts:
            return None
        mine, best = _shingles(text), None
        # Most anchors shared first, ties to the text added first: the same candidates in the same order in every
        # process (`hash` of a str is salted per process, and with it the order a set of anchors is walked in).
        order = self._order
        for key in sorted(counts, key=lambda k: (-counts[k], order[k]))[:MAX_CANDIDATES]:
            other = self._shingles.get(key)
            if other is None:
                other = self._shingles[key] = _shingles(self._texts[key])
            if min(len(mine), len(other)) < NEAR_DUPLICATE_JACCARD * max(len(mine), len(other)):
                continue  # sizes too different for the Jaccard similarity to reach the threshold
            j = len(mine & other) / len(mine | other)
            if j >= NEAR_DUPLICATE_JACCARD and (best is None or j > best.jaccard):
                best = NearMatch(key, j)
        return best
