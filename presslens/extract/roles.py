"""Roles: the titles and descriptions an article gives a person, and the definite descriptions that
point back to a named person or organisation ("the judge", "the senator", "the department").

A role is the capitalised title before a name ("Interior Secretary Doug Burgum") or an apposition ("Hugh
Hill, a doctor at the clinic"); abbreviated titles are written out (data/title_abbreviations.txt, after
the AP Stylebook). A definite description is resolved by head match, as in the rule-based coreference
sieves of Lee et al. (2013): to the person most often given that role before it, else to an organisation
whose name holds the noun, else to the organisation last named as a subject or owner.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..names import HONORIFIC_GENDER as _HONORIFIC_GENDER
from ..names import clean_name, data_lines

# Honorific -> "m"/"f", the article's own evidence of a speaker's gender (names.HONORIFIC_GENDER).
HONORIFIC_GENDER = {k: v[0] for k, v in _HONORIFIC_GENDER.items()}
# How far back (characters) an antecedent is looked for. About a screen of news text: a person or an
# organisation named further back is rarely what a pronoun or "the statement" refers to, and a longer
# window lets a pronoun jump over the people named in between.
PERSON_WINDOW_CHARS = 3000
ENTITY_WINDOW_CHARS = 2500
# A role in apposition longer than this is a clause, not a title ("a doctor at the clinic" fits).
MAX_ROLE_CHARS = 80
# Nouns naming an organisation by its kind: "the company said" is the organisation the article named
# last as a subject or owner (an organisation whose name holds the noun, "the department", comes first).
ORG_KIND_NOUNS = {"company", "firm", "agency", "ministry", "department", "government", "organization",
                  "organisation", "group", "committee", "court", "union", "university", "network", "league",
                  "team", "club", "bank", "airline", "carrier", "retailer", "administration", "council",
                  "commission", "board", "foundation", "institute", "party", "office", "bureau", "service",
                  "authority", "association", "coalition", "alliance", "panel", "hospital", "school",
                  "district", "county", "city", "state", "lab", "laboratory", "center", "centre", "studio",
                  "publisher", "manufacturer", "maker", "startup", "giant", "chain", "operator", "provider",
                  "regulator", "watchdog", "charity", "nonprofit", "church", "museum", "police", "military",
                  "army", "navy", "embassy", "consulate", "parliament", "legislature", "senate", "house",
                  "assembly", "cabinet", "presidency", "palace", "kremlin", "pentagon", "campaign"}
# Words that make a role a different office: "the president" is not "Vice President Jane Doe".
RANK_MODIFIERS = {"vice", "deputy", "assistant", "associate", "under", "lieutenant", "acting", "interim",
                  "former", "ex", "co", "first"}
WORD_SPLIT_RE = re.compile(r"[^\w-]+")
# An indefinite role ("a judge found ...") names the person the article then gives that role, when that
# person is named within this many characters after it (a lede's "a judge", then "Judge Jane Roe said").
CATAPHOR_WINDOW_CHARS = 600
# Quantifier pronouns that speak for a group named before them ("fans ..., and many say ...").
QUANTIFIERS = {"many", "some", "most", "several", "few", "others", "both", "all"}
# Entity labels of plural nouns that are measures, not groups of people ("for hours", "millions of dollars").
MEASURE_LABELS = {"DATE", "TIME", "QUANTITY", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"}
AGE_RE = re.compile(r"\d+-years?-old$")


class RoleMention(NamedTuple):
    """A person mention with the role the article gives them there, as lower-case role nouns."""
    offset: int
    name: str
    nouns: frozenset


@lru_cache(maxsize=None)
def title_abbreviations() -> dict[str, str]:
    """Abbreviated titles and the role noun each stands for ("sen" -> "senator"), data/title_abbreviations.txt."""
    out = {}
    for line in data_lines("title_abbreviations.txt"):
        abbr, _, noun = line.partition("\t")
        out[abbr.strip().lower()] = noun.strip().lower()
    return out


def role_nouns(role: str) -> frozenset:
    """The lower-case words of a role with abbreviated titles written out ("Lt. Gov." -> lieutenant, governor)."""
    abbr = title_abbreviations()
    words = [w.strip(".").lower() for w in WORD_SPLIT_RE.split(role) if w.strip(".")]
    return frozenset(abbr.get(w, w) for w in words)


def role_of(ent) -> str | None:
    """Title the article gives a person: capitalised words just before the name, or an apposition."""
    doc = ent.doc
    k = ent.start - 1
    words = []
    while k >= 0:
        t = doc[k]
        if t.is_title or t.is_upper and len(t) > 1:
            if t.lower_.rstrip(".") in HONORIFIC_GENDER or t.ent_type_ in ("PERSON",):
                break
            if t.dep_ in ("compound", "amod", "nmod", "npadvmod", "appos") or t.head.i in range(ent.start, ent.end):
                words.insert(0, t)
                k -= 1
                continue
        break
    if words:
        return "".join(t.text_with_ws for t in words).strip()  # as written: "Caracas-based", not "Caracas - based"
    root = ent.root
    for c in root.children:
        if c.dep_ == "appos" and c.ent_type_ not in ("PERSON",) and c.i > root.i:
            span = doc[c.left_edge.i: c.right_edge.i + 1]
            toks = [t for t in span if not (t.i == span.start and t.dep_ == "det")]
            s = "".join(t.text_with_ws for t in toks).strip(" ,\n")
            if 0 < len(s) <= MAX_ROLE_CHARS:
                return s
    return None


def is_age_description(head) -> bool:
    """Whether a definite noun phrase describes a person by age ("the 27-year-old right-hander"): such a
    description points back to a person already in the story, never to someone new."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return False
    for c in head.children:
        if AGE_RE.match(c.lower_) or (c.lower_ == "old" and any(g.lower_ in ("year", "years") for g in c.children)):
            return True
    return False


def quantified_group(head, ctx) -> str | None:
    """The group a quantifier pronoun speaks for: "many of the fans" -> "the fans"; "fans ..., and many
    say" -> the nearest plural noun phrase before it in its sentence, outside quotes; None if none."""
    if head.lower_ not in QUANTIFIERS or head.dep_ not in ("nsubj", "nsubjpass"):
        return None
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.tag_ in ("NNS", "NNPS"):
                return head.doc[obj.left_edge.i: obj.i + 1].text
    for t in reversed(head.doc[head.sent.start: head.i]):
        if t.tag_ == "NNS" and not ctx.quoted(t) and t.dep_ != "compound" and t.ent_type_ not in MEASURE_LABELS:
            lo = t.left_edge.i
            while lo < t.i and (t.doc[lo].dep_ in ("det", "punct", "cc", "poss") or t.doc[lo].is_punct):
                lo += 1
            return t.doc[lo: t.i + 1].text
    return None


def is_definite(head) -> bool:
    """Whether a noun phrase is definite and singular ("the judge", "the 27-year-old right-hander")."""
    return head.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children)


def named_later(head, ctx) -> tuple[str, str | None] | None:
    """An indefinite role ("a judge found ...") that the article resolves right after by naming the one
    person it gives that role ("Judge Jane Roe said ..."): that person; None when the role is given to
    more than one person, to nobody, or only far from the description."""
    if head.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
        return None
    noun = head.lemma_.lower()
    holders = [m for m in ctx.role_mentions if noun in m.nouns and not (m.nouns & RANK_MODIFIERS)]
    if len({m.name for m in holders}) != 1 or not 0 < holders[0].offset - head.idx <= CATAPHOR_WINDOW_CHARS:
        return None
    return holders[0].name, ctx.roles.get(holders[0].name)


def described_entity(head, ctx) -> tuple[str, str | None] | None:
    """The named person or organisation a definite description refers to, or None.

    "the judge" -> the last person the article gave the role "judge" (titles and appositions, "Sen." read
    as senator); "the department" -> the last organisation with that word in its name; "the company" ->
    the last organisation named as a subject or owner. Definite descriptions as anaphors, as in the
    head-match sieve of Lee et al. (2013).
    """
    if head.pos_ != "NOUN" or ctx.quoted(head):
        return None
    if not is_definite(head):
        return named_later(head, ctx)
    noun = head.lemma_.lower()
    said = {c.lower_ for c in head.children}
    votes: dict[str, int] = {}
    for m in ctx.role_mentions:
        if m.offset < head.idx and noun in m.nouns and head.idx - m.offset <= PERSON_WINDOW_CHARS:
            if (m.nouns & RANK_MODIFIERS) - said:
                continue  # "the president" is not the vice president
            votes[m.name] = votes.get(m.name, 0) + 1
            votes[m.name] = votes.pop(m.name)  # the latest mention last: ties go to the most recent
    if votes:
        name = max(reversed(votes), key=votes.get)  # the person most often given that role
        return name, ctx.roles.get(name)
    if noun not in ORG_KIND_NOUNS:
        return None
    best = None
    for e in ctx.ents:
        if e.start_char >= head.idx:
            break
        if e.label_ != "ORG" or ctx.in_quote[e.start_char] or head.idx - e.start_char > ENTITY_WINDOW_CHARS:
            continue
        if noun in {w.lower() for w in clean_name(e.text).split()}:
            best = (2, e)
        elif e.root.dep_ in ("nsubj", "nsubjpass", "poss") and (best is None or best[0] < 2):
            best = (1, e)
    return (clean_name(best[1].text), None) if best is not None else None
