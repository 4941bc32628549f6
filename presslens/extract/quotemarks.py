"""Quotation marks: the one pairing of quotation marks that every table uses.

No library pairs news quotation marks, so this is hand-written: straight, curly and guillemet double
marks and '' (two apostrophes) are paired line by line; nested quotes of the other style stay inside;
a mark's neighbours decide whether a mis-typed curly mark opens or closes; an odd count never raises
(an unclosed quote runs to the end of its line). A line that leaves a quote open while the next line
opens with a mark is the news convention for a quote running over several paragraphs (`continued`).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..text import paragraph_spans

OPEN_MARKS = "\u201c\u201e\u201f\u00ab"
CLOSE_MARKS = "\u201d\u00bb"
STRAIGHT = '"'
ALL_MARKS = OPEN_MARKS + CLOSE_MARKS + STRAIGHT


class QuoteSpan(NamedTuple):
    """The words between a pair of quotation marks (marks excluded), offsets into the text."""
    start: int
    end: int
    continued: bool  # no closing mark on its line, and the next line opens a quote: a multi-paragraph quote


def _is_opening(text: str, i: int, width: int = 1) -> bool:
    """Whether the straight double mark at `i` opens a quote (judged from its neighbours)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if prev.isspace() or prev in "([{\u2014\u2013-/:" or i == 0:
        return not nxt.isspace()
    if nxt.isspace() or nxt in ".,;:!?)]}\u2014\u2013-" or i + width == len(text):
        return False
    return not (prev.isalnum() or prev in ".,!?;'\u2019")


LINE_RE = re.compile(r"\n")
MARK_RE = re.compile("''|[" + re.escape(ALL_MARKS) + "]")


def block_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: a quote never runs over a line break, even a single one."""
    return paragraph_spans(text, LINE_RE)


def _nests(text: str, i: int, b: int) -> bool:
    """Whether the curly opening mark at `i` starts a quote nested in an open one: two closing marks follow."""
    closes = 0
    for k in range(i + 1, b):
        c = text[k]
        if c in OPEN_MARKS:
            return False
        if c in CLOSE_MARKS:
            closes += 1
            if closes >= 2:
                return True
    return False


def quote_spans(text: str) -> list[QuoteSpan]:
    """Inner (start, end, continued) spans of double-quoted passages, paired line by line.

    Marks of the other style, or a curly pair followed by two closing marks, are nested quotes (kept
    inside); a mark that starts a line opens a quote whatever its shape, and a mark's neighbours decide
    whether a mis-typed curly mark opens or closes; '' (two apostrophes) counts as a straight double
    mark. An odd count never raises (an unclosed quote runs to the end of its line). `continued` marks
    a piece of a multi-paragraph quote (no closing mark, next paragraph opens one).
    """
    if not text:
        return []
    blocks = block_spans(text)
    out: list[QuoteSpan] = []
    starts_with_mark = [text[a] in ALL_MARKS or text.startswith("''", a) for a, _ in blocks]
    for bi, (a, b) in enumerate(blocks):
        opened: int | None = None
        style = ""      # 'straight' or 'curly': the mark that opened the current quote
        nested = 0      # depth of quotes of the other style inside the current one
        nested_c = 0    # curly quotes nested inside a curly quote
        for m in MARK_RE.finditer(text, a, b):
            i, w = m.start(), m.end() - m.start()
            ch = STRAIGHT if w == 2 else text[i]  # '' (two apostrophes) is a straight double mark
            curly = ch != STRAIGHT
            if opened is None:
                if ch in OPEN_MARKS or i == a or (ch == STRAIGHT and _is_opening(text, i, w)) or (
                        ch in CLOSE_MARKS and _is_opening(text, i)):
                    opened, style, nested, nested_c = i + w, ("curly" if curly else "straight"), 0, 0
                continue  # a closing mark with nothing open is ignored
            if style == "straight":
                if ch == STRAIGHT or (ch in CLOSE_MARKS and not nested):
                    # a straight mark closes; so does a curly closing mark with nothing nested (mixed styles)
                    if nested == 0 or not _is_opening(text, i, w):
                        if i > opened:
                            out.append(QuoteSpan(opened, i, False))
                        opened = None
                elif ch in OPEN_MARKS:
                    nested += 1
                elif ch in CLOSE_MARKS and nested:
                    nested -= 1
            else:
                if ch == STRAIGHT:
                    if _is_opening(text, i, w):
                        nested = 1
                    elif nested == 1:
                        nested = 0
                    else:
                        if i > opened:
                            out.append(QuoteSpan(opened, i, False))
                        opened = None
                elif ch in OPEN_MARKS:
                    if not _is_opening(text, i) and not nested_c:
                        if i > opened:  # a mis-typed closing mark ('... "Mostly False.\u201c')
                            out.append(QuoteSpan(opened, i, False))
                        opened = None
                    elif _nests(text, i, b):
                        nested_c += 1  # '\u201cwhat he calls \u201chell\u201d than ...\u201d'
                    else:
                        opened, nested, nested_c = i + 1, 0, 0  # the first was never closed: restart
                elif nested_c:
                    nested_c -= 1
                else:
                    if i > opened:
                        out.append(QuoteSpan(opened, i, False))
                    opened, nested = None, 0
        if opened is not None:
            nxt_opens = bi + 1 < len(blocks) and starts_with_mark[bi + 1]
            if opened < b:
                out.append(QuoteSpan(opened, b, nxt_opens))
    return out


def mark_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted stretch with its quotation marks included, merged where they touch:
    what narration leaves out and where a mention counts as inside a quote."""
    if not isinstance(text, str) or not text:
        return []
    n = len(text)
    out: list[tuple[int, int]] = []
    for a, b, _ in quote_spans(text):
        if a >= 2 and text[a - 2:a] == "''":
            a -= 2
        elif a >= 1 and text[a - 1] in ALL_MARKS:
            a -= 1
        if text.startswith("''", b):
            b += 2
        elif b < n and text[b] in ALL_MARKS:
            b += 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


SINGLE_OPEN = "\u2018"
SINGLE_CLOSE = "\u2019"
APOSTROPHE = "'"
# Characters after which a single mark opens a quote (a space, a bracket, a dash, a colon, a double mark).
SINGLE_OPENS_AFTER = "([{\u2014\u2013-/:\"\u201c\u201e"
# Straight apostrophes that start a word and are not quotation marks ('90s, 'em, 'til, rock 'n' roll).
ELISIONS = re.compile(r"'(?:\d\d|em\b|til\b|tis\b|twas\b|cause\b|n\b|round\b|bout\b|s\b)", re.I)


def _single_closes(text: str, j: int, end: int) -> bool:
    """Whether the single mark at `j` can close a quote: after a non-space, before a non-letter."""
    return j > 0 and not text[j - 1].isspace() and (j + 1 >= end or not text[j + 1].isalnum())


def single_quote_spans(text: str, inside: list[tuple[int, int]] = ()) -> list[QuoteSpan]:
    """Inner spans of passages in single quotation marks (British style, headlines), paired line by line.

    An opening mark (curly \u2018, or a straight ' not starting an elision such as '90s) follows a space,
    a bracket, a dash, a colon or a double mark and precedes a non-space; the closing mark of the same
    shape follows a non-space and precedes a non-letter (an apostrophe inside a word never closes). A
    closing mark after an "s" followed by a lower-case word ("the players\u2019 union") closes only when
    nothing else on the line can. Spans inside `inside` (double-quoted passages) are nested quotes and
    left out. A mark that opens a line and never closes runs to the line's end. Whether a single-quoted
    passage is a quotation is decided by its attribution, not here.
    """
    if not text:
        return []
    out: list[QuoteSpan] = []
    for lo, hi in block_spans(text):
        i = lo
        while i < hi:
            ch = text[i]
            if ch not in (SINGLE_OPEN, APOSTROPHE) or text.startswith("''", i) or (i > lo and text[i - 1] == "'"):
                i += 1
                continue
            prev = text[i - 1] if i > lo else " "
            if not (i == lo or prev.isspace() or prev in SINGLE_OPENS_AFTER) or i + 1 >= hi or text[i + 1].isspace():
                i += 1
                continue
            if ch == APOSTROPHE and (ELISIONS.match(text, i) or not text[i + 1].isalnum()):
                i += 1
                continue
            close = SINGLE_CLOSE if ch == SINGLE_OPEN else APOSTROPHE
            cands = []
            j = text.find(close, i + 2, hi)
            while j != -1:
                if _single_closes(text, j, hi) and not text.startswith("''", j) and text[j - 1] != "'":
                    cands.append(j)
                j = text.find(close, j + 1, hi)
            if ch == APOSTROPHE:
                cands = [j for j in cands if not (text[j - 1] in "sS" and j + 2 < hi and text[j + 1] == " "
                                                  and text[j + 2].islower())]
            else:
                plain = [j for j in cands if not (text[j - 1] in "sS" and j + 2 < hi and text[j + 1] == " "
                                                  and text[j + 2].islower())]
                cands = plain or cands
            if cands:
                j = cands[0]
            elif i == lo or text[lo:i].strip(ALL_MARKS + " ") == "":
                j = hi  # opens the line and never closes: runs to the line's end
            else:
                i += 1
                continue
            a = i + 1
            if not any(x <= a and j <= y for x, y in inside):
                out.append(QuoteSpan(a, j, False))
            i = j + 1
    return out
