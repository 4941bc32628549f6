"""Attribution without a reporting verb beside the quote: the layout and the sentences around it.

A signature after the closing mark ('"..." \u2015 Jane Doe'), a verbless label line ('Jane Roe, mayor:
"..."', '@handle: ...', a heading '"It hurts": Jane Roe'), a sentence ending in a colon before the quote
("He said:", "She sent a message:"), and the sentence before a quote that opens its own (a reported-speech
cue there, "Smith called out the judge, saying he was absent." followed by the judge's quoted words).
News conventions described in the AP Stylebook ("quotations in the news") and observed in wire copy.
"""
from __future__ import annotations

import re

from ..names import is_title_word
from ..text import paragraph_index
from .cues import according_to, is_cue, own_subject, speaker_for_cue
from .quotemarks import ALL_MARKS
from .antecedents import is_main_subject
from .speakers import DOCUMENT_NOUNS, SPEAKER_LABELS, DocContext, token_at

DASHES = "\u2015\u2014\u2013-"
# A label at the start of a line: a name (up to four capitalised words) or an @handle, an optional
# short description after a comma ("Jane Roe, The Daily Planet"), then a colon.
LABEL_RE = re.compile(r"(@\w{1,30}|[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})(?:,[^:\n]{1,60})?\s*:\s")
# After a quoted heading: the closing mark, a colon and a name ('"It hurts": Jane Roe').
HEADING_TAIL_RE = re.compile(r"[\u2019'\u201d\"]?\s*:\s*")
# Verbs that issue a document: "She sent a message:", "The ministry released a statement:".
ISSUE_LEMMAS = {"send", "issue", "release", "post", "publish", "share", "write", "sign", "deliver", "text"}


def dash_speaker(b, doc, ctx: DocContext):
    """A signature after the closing mark ('"..." \u2015 Jane Doe'): (dash token, name head) or None."""
    text = ctx.text
    k = b
    while k < len(text) and text[k] in ALL_MARKS + "'.,":
        k += 1
    while k < len(text) and text[k] in " \u00a0\t":
        k += 1
    if k >= len(text) or text[k] not in DASHES:
        return None
    dash = token_at(doc, k)
    if dash is None:
        return None
    for t in doc[dash.i + 1: dash.i + 4]:
        if t.is_space or t.text in DASHES:
            continue
        if "\n" in t.text:
            break
        if t.is_title or t.ent_type_ in SPEAKER_LABELS:
            e = ctx.ent_of.get(t.i)
            if e is not None:
                return dash, e.root
            # a name spaCy missed: the run of capitalised words
            j = t.i
            while j + 1 < len(doc) and doc[j + 1].is_title and "\n" not in doc[j + 1].text:
                j += 1
            return dash, doc[j]
        break
    return None


def colon_intro(a, doc, ctx: DocContext):
    """A sentence ending in ':' right before the quote ("He said:", "The Times reports:"): (cue, speaker head)."""
    text = ctx.text
    k = a - 1
    while k >= 0 and (text[k] in ALL_MARKS + "'\u2018" or text[k].isspace()):
        k -= 1
    if k < 0 or text[k] != ":":
        return None
    colon = token_at(doc, k, forward=False)
    if colon is None:
        return None
    sent = colon.sent
    cands = [t for t in sent if t.i < colon.i and not ctx.quoted(t) and is_cue(t, ctx)]
    for t in reversed(cands):
        sp = speaker_for_cue(t, ctx)
        if sp is not None:
            return t, sp
    # a document issued: "She sent the president a message:" -> she
    issued = issuer(sent, colon.idx, ctx)
    if issued is not None:
        return issued
    # no reporting verb: the subject of the introducing sentence ("The piece used this headline:")
    root = sent.root
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass") and not ctx.quoted(c):
            return root, c
    return None


def _label_head(tok, ctx: DocContext):
    """The speaker head of a label word: a name the recogniser found, or a surname of a person the
    article names in full ("Bondi:" once "Pam Bondi" was named)."""
    e = ctx.entity(tok)
    if e is not None:
        return e.root
    if tok.is_title and tok.text in ctx.surnames:
        return tok
    return None


def label_speaker(a, b, doc, ctx: DocContext, blocks):
    """Speaker of a quote on a verbless label line: (head token or None, (start, end) of an @handle) or None.

    'Jane Roe, The Daily Planet: "..."' and 'Roe: the plan will be "fairer"' (a name before a colon
    opening the line), '@handle: "..."', and a quoted heading followed by its speaker ('"It hurts": Jane Roe').
    """
    text = ctx.text
    lo, hi = blocks[paragraph_index(blocks, a)]
    m = LABEL_RE.match(text, lo, a)
    if m is not None and m.end() <= a and not any(ch in ALL_MARKS for ch in text[lo:m.start(1) + 1]):
        if m.group(1).startswith("@"):
            return None, (m.start(1), m.end(1))
        first = token_at(doc, m.start(1))
        if first is not None and not (first.text.isupper() and len(first.text) > 1 and first.text.title()
                                      not in ctx.surnames):
            head = _label_head(first, ctx)
            if head is not None:
                return head, None
    # a quoted heading: '"It hurts": Jane Roe after the loss'
    t = HEADING_TAIL_RE.match(text, b, hi)
    if t is not None and ":" in text[b:t.end()] and text[lo:a].strip(ALL_MARKS + "'\u2018 ") == "":
        tok = token_at(doc, t.end())
        if tok is not None and tok.idx < hi:
            e = ctx.entity(tok, ("PERSON",))
            if e is not None:
                return e.root, None
            run = name_run(tok, hi)
            if run is not None:
                return run, None
    return None


def name_run(tok, hi: int):
    """The last token of two or three capitalised words starting at `tok` that end the line or precede a
    lower-case word: a name the recogniser missed ('"It hurts": Jane Roe after the loss'), else None."""
    doc = tok.doc
    j = tok.i
    while j < len(doc) and doc[j].idx < hi and doc[j].is_title and not is_title_word(doc[j].text) and j - tok.i < 3:
        j += 1
    n = j - tok.i
    ends = j >= len(doc) or doc[j].idx >= hi or doc[j].is_space or doc[j].is_lower
    return doc[j - 1] if 2 <= n <= 3 and ends else None


def issuer(sent, before: int, ctx: DocContext):
    """The subject of a verb issuing a document in `sent` before char `before` ("who sent the president a
    message ahead of his arrival:"), or None."""
    for t in sent:
        if t.idx >= before or t.lemma_.lower() not in ISSUE_LEMMAS or ctx.quoted(t):
            continue
        if any(c.dep_ in ("dobj", "dative") and c.lower_ in DOCUMENT_NOUNS for c in t.children) or any(
                c.lower_ in DOCUMENT_NOUNS for c in t.rights if c.dep_ == "dobj"):
            sp = own_subject(t, ctx)
            if sp is not None:
                return t, sp
    return None


def previous_cue(a, doc, ctx: DocContext, blocks, after: int):
    """(cue, speaker head) in the sentence right before a quote that opens its own sentence, when that
    sentence attributes reported speech and starts after char `after` (the last speaker's mention)."""
    first = token_at(doc, a)
    if first is None or first.sent.start == 0:
        return None
    prev = doc[first.sent.start - 1].sent
    while prev.start > 0 and not prev.text.strip():
        prev = doc[prev.start - 1].sent
    if prev.start_char <= after:
        return None
    bi = paragraph_index(blocks, a)
    if paragraph_index(blocks, prev.start_char) < bi - 1:
        return None
    for t in reversed(list(prev)):
        if ctx.quoted(t) or not (is_cue(t, ctx, indirect=True) or according_to(t, ctx) is not None):
            continue
        sp = speaker_for_cue(t, ctx)
        if sp is not None:
            return t, sp
    return None


def paragraph_subject(a, ctx: DocContext, block, prev):
    """The person a paragraph is about when it brings them in as the subject of its main clause and then
    gives an uncued quote ('Sen. Jane Roe, who lost the primary, named three reasons. "The young are ..."'):
    the last such subject before the quote, outside quotes; None when there is none or when the previous
    speaker is named after them in the same paragraph (the quote then continues that speaker)."""
    best = None
    for e in ctx.persons:
        if e.start_char >= a:
            break
        if e.start_char >= block[0] and not ctx.in_quote[e.start_char] and is_main_subject(e):
            best = e
    if best is None or (prev is not None and prev.offset >= best.start_char):
        return None
    return best.root
