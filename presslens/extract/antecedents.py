"""Antecedents: the earlier mention a pronoun or a description can stand for.

Candidates are the article's person and organisation mentions outside quotation marks, before the
pronoun and within a window; they are ranked by salience as in Lappin & Leass (1994, "An algorithm for
pronominal anaphora resolution"): the subject of a main clause first, a mention inside someone's reported
words last, recency breaking ties, and gender (from the article's own words) as a filter.
"""
from __future__ import annotations

import re

from .roles import ENTITY_WINDOW_CHARS, PERSON_WINDOW_CHARS

PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p", "it": "n",
            "i": "s", "we": "p", "you": "s"}
# Entity labels of a group that "it" or "they" can stand for.
GROUP_LABELS = ("ORG", "GPE", "NORP")
# A paragraph boundary (a run of line breaks).
LINE_BREAKS_RE = re.compile(r"\n\s*")


def is_main_subject(ent) -> bool:
    """Whether a mention is the subject of its sentence's main clause (or of a verb conjoined to it), not
    of an embedded clause ("Roe said he expects Doe to recover": Roe, not Doe)."""
    root = ent.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = root.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def nearest_entity(tok, ctx, labels, window: int = ENTITY_WINDOW_CHARS):
    """The last entity with one of `labels` before `tok`, outside quotes, within `window` characters."""
    best = None
    for e in ctx.ents:
        if e.start_char >= tok.idx:
            break
        if e.label_ in labels and tok.idx - e.start_char <= window and not ctx.in_quote[e.start_char]:
            best = e
    return best


def paragraph_person(tok, ctx, g, offset: int, name: str):
    """When the antecedent found so far (`name`, at `offset`) was named in an earlier paragraph and this
    paragraph names another compatible person in a sentence before the pronoun's, that person (the last
    one, not one named inside what someone says, "argued that Doe was"): a paragraph that brings in
    someone new and then says "he said" is about them. None otherwise."""
    para = ctx.text.rfind("\n", 0, tok.idx) + 1
    if offset >= para:
        return None
    best = None
    for e in ctx.persons:
        if e.start_char >= tok.sent.start_char:
            break
        if e.start_char < para or ctx.full_name(e) == name or any(a.dep_ == "ccomp" for a in e.root.ancestors):
            continue
        eg = ctx.gender.get(ctx.full_name(e))
        if g in ("m", "f") and eg is not None and eg != g:
            continue
        best = e
    return best


def sentence_subject(tok, ctx):
    """The nearest noun subject before `tok` in its sentence, outside quotes, that "it" (singular) or
    "they" (plural, or an organisation) can stand for; None if there is none."""
    doc = tok.doc
    plural = PRONOUNS.get(tok.lower_) == "p"
    best = fallback = None
    for t in doc[tok.sent.start: tok.i]:
        if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ not in ("NOUN", "PROPN") or ctx.quoted(t):
            continue
        if not t.head.left_edge.i <= tok.i <= t.head.right_edge.i:
            continue  # a subject of another clause ("investors that the state could pressure ..., they say")
        if t.text.isupper() and t.i + 1 < len(doc) and doc[t.i + 1].text in ("--", "-", "\u2014", "\u2013"):
            continue  # a dateline ("WASHINGTON -- President Obama said it ...")
        e = ctx.ent_of.get(t.i)
        if e is not None and ctx.is_person(e):
            continue  # a person is "he" or "she"
        group = e is not None and e.label_ in GROUP_LABELS
        if (t.tag_ in ("NNS", "NNPS") or group) if plural else t.tag_ not in ("NNS", "NNPS"):
            best = t
        elif plural:
            fallback = t  # "the campaign ... what they call": a collective noun, if nothing plural is there
    return best or fallback


def nearest_person(tok, ctx, g, after: int = -1):
    """Nearest PERSON mention before `tok` (after char `after`), subject mentions preferred, gender-compatible."""
    best = best_subject = best_free = None
    for e in ctx.persons:
        if e.start_char >= tok.idx:
            break
        if e.start_char <= after:
            continue
        if tok.idx - e.start_char > PERSON_WINDOW_CHARS:
            continue
        eg = ctx.gender.get(ctx.full_name(e))
        if g in ("m", "f") and eg is not None and eg != g:
            continue
        if after >= 0 and not is_main_subject(e):
            continue
        best = e
        if is_main_subject(e):
            best_subject = e
        if not any(a.dep_ == "ccomp" for a in e.root.ancestors):
            best_free = e
    if after >= 0:
        return best
    # without a bound, a main-clause subject of the pronoun's paragraph or the one before outranks a
    # mention in a phrase ("Of Jane Roe, he said"); one from further back does not outrank the nearest
    # person, but a person named inside what someone says ("argued that Doe was") is taken only when
    # nobody else is
    if best_subject is not None and len(LINE_BREAKS_RE.findall(ctx.text, best_subject.start_char, tok.idx)) <= 1:
        return best_subject
    return best_free or best
