"""Page furniture inside an article's text: photo credits, bylines, wire tags, share prompts, captions.

The loader strips furniture it recognises; what is left inside the text is found here, so that no entity
mention inside it counts. data/credit_patterns.txt holds one linear-time regular expression per kind
("Name/Agency", "(AP Photo/Name)", "By Jane Doe", "(AP)" alone on a line, "Follow ..." prompts); a line
that ends with a credit is a caption and counts nothing either.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..names import data_lines


@lru_cache(maxsize=None)
def credit_patterns() -> tuple[re.Pattern, ...]:
    """Compiled credit patterns (data/credit_patterns.txt): photo credits, bylines, wire lines."""
    return tuple(re.compile(p.strip()) for p in data_lines("credit_patterns.txt"))


def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of credits in `text`, and of whole lines that end with one (captions)."""
    spans = []
    for pat in credit_patterns():
        spans.extend((m.start(), m.end()) for m in pat.finditer(text) if m.end() > m.start())
    captions = [(a, b) for a, b in _lines(text) if any(a <= s < b and e >= b - 2 for s, e in spans)]
    return sorted(set(spans + captions))


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            a = pos + len(line) - len(line.lstrip())
            out.append((a, a + len(line.strip())))
        pos += len(line) + 1
    return out
