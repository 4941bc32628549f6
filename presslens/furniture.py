"""Site furniture removal: rules kept as data (data/furniture.yaml), applied paragraph by paragraph.

Every removed piece is returned with its rule and its offsets into the raw text, and every kept
piece with where it came from, so a reader can audit exactly what was stripped.

Paragraphs are blocks between blank lines. A block whose lines are not soft-wrapped prose (a saved page
with one paragraph a line, or a caption over its credit) is split into its lines, and each line is a
paragraph: the rules then see one byline, credit or share button at a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from .paths import DATA_DIR
from .text import paragraph_spans

SCOPES = ("paragraph", "inline", "lead")
# A dateline ("lead" rules) is looked for at the start of the first paragraphs kept (after a headline
# or byline line), and removed once.
LEAD_PARAGRAPHS = 3
# Blank-line paragraphs, with any line ending (\r\n, \r or \n).
_BREAK = r"(?:\r\n|\r(?!\n)|\n)"
PARAGRAPH_SEP = re.compile(_BREAK + r"[ \t\f\v\u00a0]*+" + _BREAK + r"\s*+")
LINE_SEP = re.compile(_BREAK + r"\s*+")
# Lines of soft-wrapped prose (a text editor's or e-mail's fixed width) are all about this long; a block
# whose lines (but its last) all fall in this range is one paragraph, otherwise each line is one.
SOFT_WRAP_CHARS = (45, 100)


@dataclass(frozen=True)
class Rule:
    """One furniture rule: a name, a compiled pattern, its scope, the longest paragraph it may touch (in
    words: whitespace-separated tokens) and literals of which one must occur for the pattern to be tried."""

    name: str
    pattern: re.Pattern
    scope: str = "paragraph"
    max_words: int | None = None
    requires: tuple[str, ...] = ()

    def may_match(self, para: str) -> bool:
        """False when none of the required literals occurs (a cheap test before the regular expression)."""
        return not self.requires or any(lit in para for lit in self.requires)


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
        scope = r.get("scope", "paragraph")
        if scope not in SCOPES:
            raise ValueError(f"furniture rule {r.get('name')!r}: scope {scope!r} is not one of {SCOPES}")
        flags = re.M if scope == "inline" else 0  # inline credits end at a line end inside a paragraph
        out.append(Rule(r["name"], re.compile(r["pattern"], flags), scope, r.get("max_words"),
                        tuple(r.get("requires") or ())))
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


def _soft_wrapped(lines: list[str]) -> bool:
    lo, hi = SOFT_WRAP_CHARS
    return all(lo <= len(ln.rstrip()) <= hi for ln in lines[:-1])


def paragraphs(raw: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) raw offsets of the paragraphs of `raw[start:]`: blank-line blocks, and the lines of a
    block that is not soft-wrapped prose (see the module docstring)."""
    out = []
    body = raw[start:]
    for a, b in paragraph_spans(body, PARAGRAPH_SEP):
        block = body[a:b]
        if "\n" not in block and "\r" not in block:
            out.append((a + start, b + start))
            continue
        lines = LINE_SEP.split(block)
        if _soft_wrapped(lines):
            out.append((a + start, b + start))
            continue
        out.extend((a + x + start, a + y + start) for x, y in paragraph_spans(block, LINE_SEP))
    return out


def _drop_rule(rules, para: str) -> Rule | None:
    n_words = None
    for rule in rules:
        if rule.scope != "paragraph" or not rule.may_match(para):
            continue
        if rule.max_words is not None:
            n_words = len(para.split()) if n_words is None else n_words
            if n_words > rule.max_words:
                continue
        if rule.pattern.search(para):
            return rule
    return None


def _trimmed(raw: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces without outer whitespace; empty ones dropped."""
    out = []
    for s, e in pieces:
        seg = raw[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg) - len(seg.rstrip())
        if e - rs > s + ls:
            out.append((s + ls, e - rs))
    return out


def strip_furniture(raw: str, body_start: int = 0, outlet: str | None = None) -> Cleaned:
    """Clean body of `raw[body_start:]`: paragraphs joined by a blank line, furniture removed and logged."""
    rules = rules_for(outlet)
    lead_rules = [r for r in rules if r.scope == "lead"]
    inline_rules = [r for r in rules if r.scope == "inline"]
    removed: list[dict] = []
    kept_paragraphs: list[list[tuple[int, int]]] = []
    for a, b in paragraphs(raw, body_start):
        para = raw[a:b]
        dropped = _drop_rule(rules, para)
        if dropped:
            removed.append({"rule": dropped.name, "start": a, "end": b, "text": para})
            continue
        cuts = []
        if lead_rules and len(kept_paragraphs) < LEAD_PARAGRAPHS:
            for rule in lead_rules:
                m = rule.pattern.match(para)
                if m and m.end() > 0 and para[m.end():].strip():
                    cuts.append((a, a + m.end(), rule.name))
                    lead_rules = []  # one dateline per article
                    break
        for rule in inline_rules:
            if rule.may_match(para):
                cuts.extend((m.start() + a, m.end() + a, rule.name) for m in rule.pattern.finditer(para)
                            if m.end() > m.start())
        cuts.sort()
        pieces, pos = [], a
        for s, e, name in cuts:
            if s < pos:
                continue
            removed.append({"rule": name, "start": s, "end": e, "text": raw[s:e]})
            pieces.append((pos, s))
            pos = e
        pieces.append((pos, b))
        trimmed = _trimmed(raw, pieces)
        if trimmed:
            kept_paragraphs.append(trimmed)
    out, offset_map, pos = [], [], 0
    for i, pieces in enumerate(kept_paragraphs):
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
    removed.sort(key=lambda r: r["start"])
    return Cleaned("".join(out), removed, offset_map)


def raw_offset(offset_map: list[tuple[int, int, int]], clean_offset: int) -> int | None:
    """The raw-file offset of a clean-text offset (None when it falls in a joining space)."""
    for c0, r0, n in offset_map:
        if c0 <= clean_offset < c0 + n:
            return r0 + clean_offset - c0
        if clean_offset == c0 + n:
            return r0 + n
    return None
