"""Site furniture removal: rules kept as data (data/furniture.yaml), applied paragraph by paragraph.

Every removed piece is returned with its rule and its offsets into the raw text, and every kept
piece with where it came from, so a reader can audit exactly what was stripped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from .paths import DATA_DIR
from .text import count_words, paragraph_spans


@dataclass(frozen=True)
class Rule:
    """One furniture rule: a name, a compiled pattern, its scope and the longest paragraph it may touch."""

    name: str
    pattern: re.Pattern
    scope: str = "paragraph"
    max_words: int | None = None


@dataclass
class Cleaned:
    """The clean text, the removed spans (raw offsets) and the map from clean to raw offsets."""

    text: str
    removed: list[dict] = field(default_factory=list)
    # (clean_start, raw_start, length): each kept piece of text, for tracing an offset back to the file
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)


def _compile(rows) -> tuple[Rule, ...]:
    out = []
    for r in rows or []:
        out.append(Rule(r["name"], re.compile(r["pattern"]), r.get("scope", "paragraph"), r.get("max_words")))
    return tuple(out)


@lru_cache(maxsize=None)
def load_rules() -> tuple[tuple[Rule, ...], dict[str, tuple[Rule, ...]]]:
    """(general rules, {outlet: rules}) from data/furniture.yaml."""
    with open(DATA_DIR / "furniture.yaml", encoding="utf8") as fh:
        data = yaml.safe_load(fh) or {}
    outlets = {k: _compile(v) for k, v in (data.get("outlets") or {}).items()}
    return _compile(data.get("general")), outlets


def rules_for(outlet: str | None) -> tuple[Rule, ...]:
    """General rules plus the outlet's own."""
    general, per_outlet = load_rules()
    return general + per_outlet.get(outlet or "", ())


def strip_furniture(raw: str, body_start: int = 0, outlet: str | None = None) -> Cleaned:
    """Clean body of `raw[body_start:]`: paragraphs joined by a blank line, furniture removed and logged."""
    rules = rules_for(outlet)
    removed: list[dict] = []
    kept: list[tuple[int, int]] = []  # raw (start, end) pieces, in order, one list per paragraph below
    paragraphs: list[list[tuple[int, int]]] = []
    for a, b in paragraph_spans(raw[body_start:]):
        a += body_start
        b += body_start
        para = raw[a:b]
        n_words = count_words(para)
        dropped = None
        for rule in rules:
            if rule.scope != "paragraph":
                continue
            if rule.max_words is not None and n_words > rule.max_words:
                continue
            if rule.pattern.search(para):
                dropped = rule
                break
        if dropped:
            removed.append({"rule": dropped.name, "start": a, "end": b, "text": para})
            continue
        # inline rules: cut matched pieces out of the paragraph
        cuts = []
        for rule in rules:
            if rule.scope == "inline":
                cuts.extend((m.start() + a, m.end() + a, rule.name) for m in rule.pattern.finditer(para))
        cuts.sort()
        pieces, pos = [], a
        for s, e, name in cuts:
            if s < pos:
                continue
            removed.append({"rule": name, "start": s, "end": e, "text": raw[s:e]})
            pieces.append((pos, s))
            pos = e
        pieces.append((pos, b))
        # trim whitespace at the joins so no piece starts or ends with spaces
        trimmed = []
        for s, e in pieces:
            seg = raw[s:e]
            ls = len(seg) - len(seg.lstrip())
            rs = len(seg) - len(seg.rstrip())
            if e - rs > s + ls:
                trimmed.append((s + ls, e - rs))
        if trimmed:
            paragraphs.append(trimmed)
    out, offset_map, pos = [], [], 0
    for i, pieces in enumerate(paragraphs):
        if i:
            out.append("\n\n")
            pos += 2
        for j, (s, e) in enumerate(pieces):
            if j:
                out.append(" ")
                pos += 1
            offset_map.append((pos, s, e - s))
            out.append(raw[s:e])
            pos += e - s
    return Cleaned("".join(out), removed, offset_map)


def raw_offset(offset_map: list[tuple[int, int, int]], clean_offset: int) -> int | None:
    """The raw-file offset of a clean-text offset (None when it falls in a joining space)."""
    for c0, r0, n in offset_map:
        if c0 <= clean_offset < c0 + n:
            return r0 + clean_offset - c0
        if clean_offset == c0 + n:
            return r0 + n
    return None
