"""Speakers: who a speaker mention stands for, from the article's own evidence.

A speaker head token (the subject of a cue, a name after "said", the object of "according to") is
resolved to the name a reader would give: a surname or a mislabelled lone surname to the longest full
name the article gives that person; he/she to the nearest compatible person (gender from honorifics and
from the first he/she after a person is a subject; the previous speaker first), it/they to the subject of
its own sentence or the nearest organisation; a relative pronoun to its antecedent; a document ("the
statement said") to whoever issued it; a role noun with a name in apposition to that name. Mention-level
coreference in the spirit of the rule-based sieves of Lee et al. (2013, "Deterministic coreference
resolution based on entity-centric, precision-ranked rules"), restricted to what speaker attribution needs.
"""
from __future__ import annotations

from typing import NamedTuple

from ..lexicon import DOCUMENT_NOUNS, FEMALE, MALE
from ..names import SUFFIXES, clean_name
from ..text import doc_text
from .antecedents import (
    GROUP_LABELS,
    PRONOUNS,
    nearest_entity,
    nearest_person,
    paragraph_person,
    sentence_subject,
)
from .gender import person_evidence
from .roles import (
    HONORIFIC_GENDER,
    RoleMention,
    described_entity,
    is_age_description,
    quantified_group,
    role_nouns,
    role_of,
)

# Possessive and reflexive forms that tell a person's gender once they are the subject.
GENDERED_FORMS = {"he": "m", "his": "m", "him": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
# The gender codes of this module ("m"/"f", as PRONOUNS) for the study's words ("male"/"female").
GENDER_CODES = {MALE: "m", FEMALE: "f"}
# Nouns that name a document or message: its "speaker" is whoever issued it.
SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
RELATIVE_PRONOUNS = ("who", "which", "that")
# Reporting verbs in headline form that the entity recogniser glues to a name ("Obama Says ...").
HEADLINE_VERBS = {"says", "said", "tells", "told", "warns", "urges", "vows", "claims", "slams", "denies",
                  "admits", "insists", "calls", "asks", "blasts", "praises", "rips", "defends", "explains"}
# "His office said": the office's words are its principal's.
PRINCIPAL_NOUNS = {"office", "camp"}


class Speaker(NamedTuple):
    """A resolved speaker as the running "previous speaker" of an article (direct or reported)."""
    name: str
    label: str           # PERSON, ORG, GPE, NORP or NP (a noun phrase such as "officials")
    role: str | None     # the title or apposition the article gives the person
    offset: int          # character offset of the mention (the quote's start when there is no mention)
    start: int | None    # the mention's character span, None when the speaker was carried over
    end: int | None
    cue: object          # the cue token (spaCy Token) or None


class SpeakerFields(NamedTuple):
    """The speaker columns of one quote row, and the kind of name (label) for the next pronoun."""
    name: str | None
    start: int | None
    end: int | None
    role: str | None
    label: str | None


NO_SPEAKER = SpeakerFields(None, None, None, None, None)


def carried(speaker: Speaker) -> SpeakerFields:
    """The row fields of a previous speaker carried to a following quote (the same mention)."""
    return SpeakerFields(speaker.name, speaker.start, speaker.end, speaker.role, speaker.label)


class DocContext:
    """Per-document lookups: entity of each token, quoted characters, full names, roles and genders."""

    def __init__(self, doc, spans):
        self.doc = doc
        self.text = doc_text(doc)
        self.ents = list(doc.ents)
        self.ent_of = {}
        for e in self.ents:
            for i in range(e.start, e.end):
                self.ent_of[i] = e
        n = len(self.text)
        self.quote_spans = [(a, b) for a, b, _ in spans]
        self.in_quote = bytearray(n + 1)
        for a, b, _ in spans:
            lo, hi = max(0, a - 1), min(n, b + 1)
            if lo < hi:
                self.in_quote[lo:hi] = b"\x01" * (hi - lo)
        persons = [e for e in self.ents if e.label_ == "PERSON" and not self.in_quote[e.start_char]]
        self.name_label = {clean_name(e.text): e.label_ for e in self.ents if e.label_ in SPEAKER_LABELS}
        self.surnames = {clean_name(e.text).split()[-1] for e in persons if len(clean_name(e.text).split()) > 1}
        self.persons = [e for e in self.ents if not self.in_quote[e.start_char] and self.is_person(e)]
        self.person_names = [person_text(e) for e in self.persons]
        self._full: dict[tuple, str] = {}
        self._honorific_gender: dict[str, str] = {}  # a written-out name -> gender of an honorific before it
        for e, t in zip(self.persons, self.person_names):
            h = doc[e.start - 1].lower_.rstrip(".") if e.start > 0 else ""
            if h in HONORIFIC_GENDER and len(t.split()) > 1:
                self._honorific_gender.setdefault(t, HONORIFIC_GENDER[h])
        self.gender: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.role_mentions: list[RoleMention] = []  # every person mention with a role, in text order
        for e in self.persons:
            full = self.full_name(e)
            prev = doc[e.start - 1] if e.start > 0 else None
            if prev is not None and prev.lower_.rstrip(".") in HONORIFIC_GENDER:
                self.gender.setdefault(full, HONORIFIC_GENDER[prev.lower_.rstrip(".")])
            self.name_label[full] = "PERSON"
            role = role_of(e)
            if role:
                self.roles.setdefault(full, role)
                self.role_mentions.append(RoleMention(e.start_char, full, role_nouns(role)))
        self._learn_gender()

    def _learn_gender(self) -> None:
        """Gender of each person from the article's own words, read by `extract.gender` (honorifics,
        gendered role nouns, a subject he/she right after the person is a subject), the same evidence
        the study's gender columns show."""
        rows = [{"entity": self.full_name(e), "start": e.start_char, "end": e.end_char, "label": "PERSON",
                 "role": role_of(e)} for e in self.persons]
        for ev in person_evidence(self.doc, rows, self.quote_spans):
            self.gender.setdefault(ev.entity, GENDER_CODES[ev.gender])

    def is_person(self, ent) -> bool:
        """PERSON, or a lone surname the model mislabelled ("Burgum" as ORG) of a person named in full."""
        if ent.label_ == "PERSON":
            return True
        words = clean_name(ent.text).split()
        return len(words) == 1 and words[0] in self.surnames

    def quoted(self, tok) -> bool:
        """Whether a token lies inside quotation marks (marks included)."""
        return bool(self.in_quote[tok.idx])

    def entity(self, tok, labels=SPEAKER_LABELS):
        """The entity a token belongs to when its label is one of `labels`, else None."""
        e = self.ent_of.get(tok.i)
        return e if e is not None and e.label_ in labels else None

    def full_name(self, ent) -> str:
        """Longest PERSON name in the article sharing this mention's last word ("Burgum" -> "Doug Burgum");
        when two people share it ("Sen. Jane Roe ... her husband, John Roe"), the one the article names most
        often in full (the principal; the longer name among equals), never one whose honorific gives the
        other gender; a lone first name to the one full name starting with it."""
        text = person_text(ent)
        words = text.split()
        while len(words) > 1 and words[-1].lower().rstrip(".") in SUFFIXES:
            words = words[:-1]  # "Joseph R. Biden Jr." is matched by "Biden"
        if not words:
            return text
        last = words[-1]
        honorific = ent.doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
        g = HONORIFIC_GENDER.get(honorific)
        key = (text, g)
        if key in self._full:
            return self._full[key]
        groups: dict[tuple, list[str]] = {}  # (first, last word) -> the written-out names, in text order
        by_first: dict[tuple, list[str]] = {}  # a lone first name ("Keith" -> "Keith Lamont Scott")
        for t in self.person_names:
            tw = t.split()
            while len(tw) > 1 and tw[-1].lower().rstrip(".") in SUFFIXES:
                tw = tw[:-1]
            if not tw or len(t) <= len(text):
                continue
            if g is not None and self._honorific_gender.get(t, g) != g:
                continue
            if tw[-1] == last and (len(words) == 1 or tw[0] == words[0] or tw[-len(words):] == words):
                # "Garcia Lopez" -> "Ana Garcia Lopez", never "Bill" for "Jill Roe"
                groups.setdefault((tw[0], tw[-1]), []).append(t)
            elif len(words) == 1 and tw[0] == words[0]:
                by_first.setdefault((tw[0], tw[-1]), []).append(t)
        groups = groups or by_first
        if not groups:
            best = text
        else:
            # the person the article names most often in full, written in their longest form
            names = max(groups.values(), key=lambda ns: (len(ns), max(map(len, ns))))
            best = max(names, key=len)
        self._full[key] = best
        return best

    def person(self, ent) -> tuple[str, str | None]:
        """(full name, role) of a person mention."""
        full = self.full_name(ent)
        return full, self.roles.get(full)




def person_text(ent) -> str:
    """A person mention's name as written, without a reporting verb a headline glued to it ("Obama Says")."""
    words = clean_name(ent.text).strip("'\"\u201c\u201d\u2018\u2019 ").split()
    while len(words) > 1 and words[-1].lower() in HEADLINE_VERBS:
        words.pop()
    return " ".join(words)


def token_at(doc, char: int, forward: bool = True):
    """Token covering char offset (or the next/previous one)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is not None and len(span):
        return span[0]
    for t in (doc if forward else reversed(doc)):
        if (forward and t.idx >= char) or (not forward and t.idx <= char):
            return t
    return None


def mention_span(head, ctx: DocContext) -> tuple[int, int, str]:
    """(start, end, kind) of the noun phrase a speaker head stands for: entity if any, else left part of its NP."""
    e = ctx.entity(head)
    if e is not None:
        return e.start_char, e.end_char, e.label_
    if head.lower_ in PRONOUNS:
        return head.idx, head.idx + len(head.text), "PRON"
    # entity inside the compound chain, e.g. "State Department officials"
    left = head.left_edge
    toks = [t for t in head.doc[left.i: head.i + 1] if not ctx.quoted(t)]
    if not toks:
        toks = [head]
    while toks and (toks[0].dep_ in ("det", "punct", "cc") or toks[0].is_punct):
        if len(toks) == 1:
            break
        toks = toks[1:]
    return toks[0].idx, head.idx + len(head.text), "NP"


def antecedent(rel):
    """The noun a relative pronoun stands for ("McConnell, now the leader, who said" -> McConnell)."""
    ante = rel.head.head
    # walk from an apposition back to the name it describes
    while ante.dep_ == "appos" and ante.head.i != ante.i:
        ante = ante.head
    return ante


def np_text(head) -> str:
    """The words of a noun phrase up to its head, without a leading determiner ("a White House spokesman")."""
    doc = head.doc
    lo = head.left_edge.i
    while lo < head.i and (doc[lo].dep_ in ("det", "punct", "cc") or doc[lo].is_punct):
        lo += 1
    return doc[lo: head.i + 1].text


def resolve(head, ctx: DocContext, prev: Speaker | None) -> tuple[str, str | None]:
    """Resolved speaker name and role for a speaker head token."""
    doc = ctx.doc
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        head = antecedent(head)
    e = ctx.ent_of.get(head.i)
    low = head.lower_
    if e is not None and ctx.is_person(e):
        full = ctx.full_name(e)
        return full, ctx.roles.get(full) or role_of(e)
    if e is not None and e.label_ in SPEAKER_LABELS:
        return clean_name(e.text), None
    if low in PRONOUNS:
        return resolve_pronoun(head, ctx, prev)
    # "Rodriguez's government", "Trump's campaign": the group of a named person; "his office": the person
    for c in head.children:
        if c.dep_ == "poss" and head.pos_ == "NOUN" and low not in DOCUMENT_NOUNS:
            pe = ctx.ent_of.get(c.i)
            if pe is not None and ctx.is_person(pe):
                principal = ctx.full_name(pe)
            elif c.lower_ in ("his", "her") and low in PRINCIPAL_NOUNS:
                principal, _ = resolve_pronoun(c, ctx, prev)
            else:
                continue
            if low in PRINCIPAL_NOUNS:
                return principal, ctx.roles.get(principal)
            mark = next((g.text for g in c.children if g.dep_ == "case"), "'s")  # as the article writes it
            return f"{principal}{mark} {head.text}", None
    # a compound entity inside the NP ("State Department officials", "a State Department media note")
    for t in doc[head.left_edge.i: head.i]:
        pe = ctx.entity(t)
        if pe is not None and pe.end <= head.i + 1:
            if ctx.is_person(pe):
                return ctx.person(pe)
            if low in DOCUMENT_NOUNS or pe.label_ == "ORG":
                return clean_name(pe.text), None
    # a name in apposition ("the spokesman, John Smith,", "the party's leader Jane Doe said")
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i:
            pe = ctx.ent_of.get(c.i)
            if pe is not None and pe.label_ == "PERSON":
                full = ctx.full_name(pe)
                return full, np_text(head) if head.pos_ == "NOUN" else ctx.roles.get(full)
            if c.pos_ == "PROPN" and pe is None or (pe is not None and pe.label_ not in SPEAKER_LABELS
                                                    and c.pos_ == "PROPN"):
                parts = [t for t in c.children if t.dep_ == "compound" and t.pos_ == "PROPN"] + [c]
                return " ".join(t.text for t in parts), np_text(head) if head.pos_ == "NOUN" else None
    if low in DOCUMENT_NOUNS:
        # "the Security Council issued a statement calling ...": whoever issued it
        issuer = document_issuer(head, ctx)
        if issuer is not None:
            return resolve(issuer, ctx, prev)
        # "the text of the Planet Council's declaration": the organisation or person it names as its own
        owner = next((e for t in head.subtree if t.i > head.i and not ctx.quoted(t)
                      and (e := ctx.entity(t, ("ORG", "PERSON"))) is not None), None)
        if owner is not None:
            return (ctx.full_name(owner), None) if ctx.is_person(owner) else (clean_name(owner.text), None)
        # "the statement said": the organisation (or person) behind the last statement
        if prev and prev.label in ("ORG", "GPE", "NORP", "PERSON"):
            return prev.name, prev.role
        org = nearest_entity(head, ctx, ("ORG", "GPE"))
        if org is not None:
            return clean_name(org.text), None
    group = quantified_group(head, ctx)
    if group is not None:
        return group, None
    if is_age_description(head):
        # "the 27-year-old right-hander said": the person just quoted, else the nearest person named
        if prev and prev.label == "PERSON":
            return prev.name, prev.role
        p = nearest_person(head, ctx, None)
        if p is not None:
            return ctx.person(p)
    described = described_entity(head, ctx)
    if described is not None:
        return described
    return np_text(head), None




def resolve_pronoun(tok, ctx: DocContext, prev: Speaker | None) -> tuple[str, str | None]:
    """he/she -> nearest compatible person (previous speaker first); they/it -> organisation or group."""
    g = PRONOUNS.get(tok.lower_) or GENDERED_FORMS.get(tok.lower_)
    if g in ("m", "f"):
        # "Roe says she ...": a person subject earlier in the same sentence comes first
        same = nearest_person(tok, ctx, g, after=tok.sent.start_char - 1)
        if same is not None:
            return ctx.person(same)
    if g in ("m", "f", "s"):
        if prev and prev.label == "PERSON":
            pg = ctx.gender.get(prev.name)
            if pg is None or pg == g or g == "s":
                # prefer the previous speaker unless a different person is the subject in between
                inter = nearest_person(tok, ctx, g, after=prev.offset) or paragraph_person(tok, ctx, g, prev.offset,
                                                                                         prev.name)
                if inter is None:
                    return prev.name, prev.role
                return ctx.person(inter)
        p = nearest_person(tok, ctx, g)
        if p is not None:
            return ctx.person(paragraph_person(tok, ctx, g, p.start_char, ctx.full_name(p)) or p)
        if prev:
            return prev.name, prev.role
        return tok.text, None
    if g in ("p", "n"):
        # "The Security Council condemned the test as what it called ...": the subject earlier in the
        # same sentence comes first, as for he/she
        subj = sentence_subject(tok, ctx)
        if subj is not None:
            return resolve(subj, ctx, prev)
        if prev and prev.label in (*GROUP_LABELS, "NP"):
            return prev.name, prev.role
        org = nearest_entity(tok, ctx, GROUP_LABELS)
        if org is not None:
            return clean_name(org.text), None
        if prev:
            return prev.name, prev.role
    return tok.text, None








def document_issuer(head, ctx: DocContext):
    """Who issued a document that speaks ("the council issued a statement calling ...", "a letter that
    says"): the subject of the verb the document is the object of; None when there is none."""
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        head = antecedent(head)
    if head.lower_ not in DOCUMENT_NOUNS or head.dep_ != "dobj":
        return None
    issuer = next((c for c in head.head.children if c.dep_ == "nsubj" and not ctx.quoted(c)), None)
    if issuer is None or issuer.lower_ in DOCUMENT_NOUNS or issuer.lower_ in RELATIVE_PRONOUNS:
        return None
    return issuer


def speaker_fields(head, ctx: DocContext, prev: Speaker | None) -> SpeakerFields:
    """The speaker columns for a speaker head token (name resolved, span of the mention, role, label); for
    a document, the span of whoever issued it ("He released a letter that says ...": "He")."""
    if head is None:
        return NO_SPEAKER
    s0, s1, _ = mention_span(document_issuer(head, ctx) or head, ctx)
    name, role = resolve(head, ctx, prev)
    label = ctx.name_label.get(name, "NP")
    if prev and name == prev.name:
        label = prev.label
    return SpeakerFields(name, s0, s1, role, label)
