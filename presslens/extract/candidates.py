"""Entity candidates of one article: spaCy's entities cleaned into name spans with a label and a role.

spaCy's NER (en_core_web_sm 3.8.0) finds the candidates. Titles and honorifics move out of the name into
`role` (data/titles.txt); possessives, a leading "the", a caption's "FILE -", editing brackets and party
tags ("D-Va.") are dropped; title-case headline lines are not read as names; two organisations joined by
a possessive are split ("Alphabet Inc's Google"); the shape rules of `entity_rules` fix labels and add
what the model misses (organisation names by their head noun, "<Name> administration", the platform X,
people named by a common given name). Page furniture (credits, bylines) is found by `credits`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..names import is_title_word
from ..text import doc_text
from .cues import reporting_verbs
from .doc_arrays import per_doc, sentence_bounds, token_attr
from .entity_rules import (
    administration_end,
    capital_the_spans,
    domain_spans,
    is_code,
    looks_like_person,
    org_shape_spans,
    org_words,
    person_name_at,
    platform_spans,
    shape_label,
    title_line,
)
from .voice import is_inside

# Labels kept from the model: people, organisations, countries/cities, nationalities/groups, places.
LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
# Labels whose spans the small model sometimes puts around a person ("Nobel Peace Prize María Corina Machado").
MISC_LABELS = ("WORK_OF_ART", "EVENT", "PRODUCT", "LAW")
# Labels of spans that are a person when they look like one ("Nolan Hardaway" read as a facility).
PERSON_LIKE_LABELS = ("FAC", "LOC", *MISC_LABELS)
LEADING_DETS = {"the", "a", "an"}
# Words that end a non-person name: a person span never stops on one of these.
NAME_STOP = {"prize", "award", "awards", "party", "department", "ministry", "news", "house", "agency",
             "council", "committee", "office", "court", "university", "bank", "company", "corp", "inc",
             "group", "foundation", "institute", "association", "union", "times", "post", "journal"}
PARTY_RE = re.compile(r"^[DRI]-[A-Z]")
BAD_CHARS_RE = re.compile(r"[\[\]{}<>|@#=_]")  # editing brackets ("[W]e"), handles, markup: not a name
DASHES = {"-", "\u2013", "\u2014", "--"}
POSSESSIVES = ("'s", "\u2019s")
# Words that only qualify a title: a role made of these alone ("top", "former") says nothing.
MODIFIERS = {"top", "former", "acting", "interim", "senior", "then", "late", "ex", "incoming", "outgoing",
             "chief", "head", "deputy", "vice", "assistant"}
QUOTES = set('"\u201c\u201d')
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
YEAR_RE = re.compile(r"^(?:1[89]|20)\d\d$")
# Lower-case words inside a person's name ("Ludwig van Beethoven", "Bill de Blasio").
NAME_PARTICLES = {"de", "da", "del", "della", "di", "du", "dos", "das", "van", "von", "der", "den", "ter", "ten",
                  "bin", "ibn", "al", "el", "la", "le", "y"}
# A person's name has at most this many words (given names, initials, surname).
MAX_NAME_TOKENS = 4


@dataclass
class Candidate:
    """A name span: tokens [i, j), characters [start, end), label, the role words before it (if any)."""
    label: str
    surface: str
    start: int
    end: int
    role: str | None
    i: int
    j: int
    role_start: int | None = None  # character offset of the role words, for a person with a title
    given_name: str | None = None  # a given name written apart from the surname ("Chief (Owen) Marsh")


class Taken:
    """Characters of a text already claimed by a name or a credit: constant-time marks and look-ups per
    character, so checking every candidate stays linear in the text (a list scan is quadratic)."""

    def __init__(self, size: int, spans=()):
        self.marks = bytearray(size + 1)
        for a, b in spans:
            self.add(a, b)

    def add(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * max(0, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.marks[start:end])


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of a few `spans`."""
    return any(s < end and start < e for s, e in spans)


def trim(doc, i: int, j: int, label: str = "") -> tuple[int, int]:
    """Token range without a leading determiner/punctuation (or lower-case word, for an organisation:
    "state Department of Revenue Services"), a caption's "FILE -", or a trailing possessive/punctuation."""
    while i < j and (doc[i].lower_ in LEADING_DETS or doc[i].is_punct or doc[i].is_space
                     or (label == "ORG" and doc[i].is_lower and j - i > 1)
                     or (i + 1 < j and doc[i].is_upper and doc[i + 1].text in DASHES)):
        i += 1
    if j - i >= 3 and doc[j - 1].like_num and doc[j - 2].lower_ in POSSESSIVES:
        j -= 1
    while j - i >= 2 and (doc[j - 1].lower_ in WEEKDAYS or YEAR_RE.match(doc[j - 1].text)):
        j -= 1  # a date the model ran into the name ("the Harbor Authority 2023", "Pentagon Tuesday")
    while j > i and (doc[j - 1].lower_ in ("'s", "\u2019s", "'", "\u2019") or doc[j - 1].is_punct
                     or doc[j - 1].is_space):
        j -= 1
    return i, j


def is_headline(doc, i: int, j: int) -> bool:
    """True when the span sits in a title-case line ("Local Lawmakers Rip Jane Roe As A 'Total Failure.'"):
    a headline, whose capitals the model reads as names (one answer per sentence, kept on the Doc)."""
    start, end = sentence_bounds(doc)[i]
    memo = per_doc(doc, "headline", lambda d: {})
    if start not in memo:
        memo[start] = _is_headline_sentence(doc, start, end)
    return memo[start]


def _is_headline_sentence(doc, start: int, end: int) -> bool:
    """Signs, in the sentence doc[start:end]: capitalised small words ("As", "To", "On") after the first word
    and at most one lower-case word; or five or more long words all capitalised, one of them a common word
    ("Rip", "Fraud"), not only names ("From Jane Doe at the Northern Ledger:" is a credit line, not a headline)."""
    alpha, text, idx = token_attr(doc, "is_alpha"), token_attr(doc, "text"), token_attr(doc, "idx")
    words = [k for k in range(start, end) if alpha[k]]
    if len(words) < 4 or doc_text(doc)[idx[start]:idx[end - 1] + len(text[end - 1])].rstrip().endswith(":"):
        return False  # a line that introduces what follows ("From Jane Doe of The Daily Planet:")
    title, upper, ent = token_attr(doc, "is_title"), token_attr(doc, "is_upper"), token_attr(doc, "ent_type_")
    stop, low = token_attr(doc, "is_stop"), token_attr(doc, "is_lower")
    cap_stops = sum(1 for k in words[1:] if stop[k] and title[k])
    lower = sum(1 for k in words if low[k])
    long_words = [k for k in words if len(text[k]) > 3]
    all_caps_long = len(long_words) >= 5 and all(title[k] or upper[k] for k in long_words)
    pos = token_attr(doc, "pos_")
    common = sum(1 for k in words[1:] if title[k] and not ent[k] and pos[k] != "PROPN")
    return (cap_stops >= 1 and lower <= 1) or (all_caps_long and lower <= 2 and common >= 1)


def role_left(doc, i: int) -> int:
    """Start token of the title/role words right before token `i` ("the U.S. Interior Secretary")."""
    j = i
    seen_title = False
    while j > 0:
        t = doc[j - 1]
        if t.is_space or "\n" in t.text:
            break
        if is_title_word(t.lower_):
            seen_title = True
            j -= 1
        elif t.lower_ == "of" and seen_title and j >= 2 and is_title_word(doc[j - 2].lower_):
            j -= 1  # "Secretary of State Marco Rubio"
        elif t.ent_type_ in ("GPE", "NORP") and (seen_title or j < i):
            j -= 1
        elif t.lower_ in POSSESSIVES and j - 2 >= 0 and doc[j - 2].ent_type_ in ("GPE", "ORG", "NORP"):
            j -= 1
        elif t.is_title and t.dep_ == "compound" and seen_title and t.head.i >= j:
            j -= 1  # "Energy" in "Energy Secretary" when the model left it out of the lexicon
        else:
            break
    while j < i and (doc[j].lower_ in POSSESSIVES or doc[j].is_punct):
        j += 1
    return j if seen_title else i


def role_appos(doc, i: int, j: int) -> str | None:
    """Role from an apposition: "Delcy Rodríguez, formerly Maduro's vice president" / "his wife, Cilia Flores"."""
    root = doc[i:j].root
    for ch in root.children:
        if ch.dep_ == "appos" and ch.i >= j and ch.pos_ == "NOUN" and is_title_word(ch.lower_):
            a, b = ch.left_edge.i, ch.i + 1
            if b - a <= 8 and a > j - 1:
                return doc[a:b].text.strip(" ,")
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and i - 12 < root.head.i < i \
            and is_title_word(root.head.lower_) \
            and not any(t.text in QUOTES or t.is_sent_start for t in doc[root.head.i + 1:i + 1]):
        h = root.head
        a = h.left_edge.i
        if h.i + 1 - a <= 8:
            return doc[a:h.i + 1].text
    return None


def role_text(doc, a: int, i: int) -> str | None:
    """The title words doc[a:i] as a role, or None when empty or only qualifiers ("top", "former")."""
    role = doc[a:i].text.strip(" ,") if a < i else ""
    if not role or all(w.lower() in MODIFIERS for w in role.split()):
        return None
    return role


def make(doc, i: int, j: int, label: str, role_start: int) -> Candidate:
    """A candidate over tokens [i, j); a person's role from the title words from `role_start` or an apposition."""
    span = doc[i:j]
    role = role_text(doc, role_start, i) if label == "PERSON" else None
    if label == "PERSON" and not role:
        role = role_appos(doc, i, j)
    return Candidate(label, span.text, span.start_char, span.end_char, role or None, i, j,
                     doc[role_start].idx if role_start < i and label == "PERSON" else None)


def _speaker_person(doc, ent) -> tuple[int, int] | None:
    """Token range of a person's name at the end of a mislabelled span that speaks ("... Prize María Corina Machado said")."""
    root = ent.root
    if root.pos_ != "PROPN" or root.i != ent.end - 1:
        return None

    def speaks(t):
        return t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ in reporting_verbs()

    nxt = doc[ent.end] if ent.end < len(doc) else None
    if not (speaks(root) or (root.dep_ == "appos" and speaks(root.head))
            or (nxt is not None and nxt.lemma_ in reporting_verbs() and nxt.pos_ == "VERB")):
        return None
    i = ent.end
    while i > ent.start and doc[i - 1].pos_ == "PROPN" and doc[i - 1].lower_ not in NAME_STOP \
            and not is_title_word(doc[i - 1].lower_) and not doc[i - 1].like_num:
        i -= 1
    if 2 <= ent.end - i <= 4 and i > ent.start:
        return i, ent.end
    return None


def _person_span(doc, i: int, j: int) -> tuple[int, int, int | None]:
    """A PERSON span with a nickname in quotes taken in (Robert C. "Bobby" Scott) and leading titles taken
    out: (i, j, start of the role words or None)."""
    def name_at(t):
        return t < len(doc) and doc[t].is_title and doc[t].pos_ in ("PROPN", "NOUN") and not is_title_word(doc[t].lower_)

    if j + 3 < len(doc) and doc[j].text in QUOTES and name_at(j + 1) and doc[j + 2].text in QUOTES and name_at(j + 3):
        j += 4
    elif j - 2 >= i and doc[j - 2].text in QUOTES and j + 1 < len(doc) and doc[j].text in QUOTES and name_at(j + 1):
        j += 2
    while j < len(doc) and j - i < MAX_NAME_TOKENS and doc[j].is_title and doc[j].pos_ == "PROPN" \
            and not doc[j].ent_type_ and not is_title_word(doc[j].lower_) and doc[j].lower_ not in org_words() \
            and doc[j - 1].whitespace_ == " ":
        j += 1  # a surname the model left out ("Ada Lind" + "Morrow's")
    k = i
    while k < j - 1 and (is_title_word(doc[k].lower_) or (doc[k].ent_type_ in ("GPE", "NORP")
                                                          and k + 1 < j and is_title_word(doc[k + 1].lower_))):
        k += 1
    role_start = i if k > i else None
    i, j = trim(doc, k, j)
    while j - i >= 2 and doc[j - 1].is_lower and doc[j - 1].is_alpha and doc[j - 1].lower_ not in NAME_PARTICLES:
        j -= 1  # a common noun the model ran into the name ("Javelin missiles")
    return i, j, role_start


def _from_ent(doc, ent) -> list[Candidate]:
    """The candidates one model entity gives (none, one, or two around a possessive)."""
    label = ent.label_
    i, j = ent.start, ent.end
    if is_headline(doc, i, j):
        return []  # title-case lines fuse words into names; the article's own names are found there later
    if label not in LABELS:
        if label in MISC_LABELS:
            sp = _speaker_person(doc, ent)
            if sp:
                return [make(doc, sp[0], sp[1], "PERSON", role_left(doc, sp[0]))]
        if label in PERSON_LIKE_LABELS:
            a, b = trim(doc, i, j)
            if person_name_at(doc, a, b):
                return [make(doc, a, b, "PERSON", role_left(doc, a))]
        return []
    i, j = trim(doc, i, j, label)
    text = doc[i:j].text
    if i >= j or PARTY_RE.match(text) or BAD_CHARS_RE.search(text):
        return []  # "(D-Newport News)": a party and district, not an organisation
    if label in PERSON_LIKE_LABELS and person_name_at(doc, i, j):
        label = "PERSON"
    role_start = None
    if label == "PERSON":
        i, j, role_start = _person_span(doc, i, j)
        if i >= j or all(is_title_word(t.lower_) for t in doc[i:j]):
            return []  # "Sheriff" alone: a title, not a name
    if label == "ORG" and j - i >= 3:  # a person's name glued to the end ("the Treasury Jane Smith")
        for n in (3, 2):
            if j - n > i and person_name_at(doc, j - n, j):
                k = j - n - 1 if j - n - i >= 2 and is_title_word(doc[j - n - 1].lower_) else j - n
                return [make(doc, i, k, label, i), make(doc, j - n, j, "PERSON", role_left(doc, j - n))]
    poss = [k for k in range(i + 1, j - 1) if doc[k].lower_ in POSSESSIVES
            or doc[k].text in ("'", "\u2019") and doc[k - 1].lower_.endswith("s")] if label == "ORG" else []
    if poss:  # "Alphabet Inc's Google", "the Otters' Nolan Hardaway": two names
        k = poss[0]
        second = "PERSON" if person_name_at(doc, k + 1, j) else label
        return [make(doc, i, k, label, i), make(doc, k + 1, j, second, role_left(doc, k + 1))]
    left = role_left(doc, role_start if role_start is not None else i)
    return [make(doc, i, j, label, left)]


def _relabel(doc, c: Candidate) -> Candidate | None:
    """The candidate with the label its shape gives, or None when it is no name (a code, no capital,
    a "person" that cannot be one)."""
    if is_code(c.surface) or not any(ch.isupper() for ch in c.surface):
        return None
    after_the = c.i > 0 and doc[c.i - 1].lower_ == "the"
    new = shape_label(c.surface, c.label, after_the)
    if new is not None:
        if new not in LABELS:
            return None  # an event or a law: not one of the names counted
        c.label, c.role = new, None
    if c.label == "PERSON" and not looks_like_person(c.surface):
        return None
    return c


def _join_adjacent_persons(doc, cands: list[Candidate]) -> list[Candidate]:
    """Two person spans with only a space between them are one name ("Ada Lind" + "Morrow's")."""
    out: list[Candidate] = []
    for c in cands:
        p = out[-1] if out else None
        if p is not None and p.label == c.label == "PERSON" and p.j == c.i and doc[p.j - 1].whitespace_ == " " \
                and c.j - p.i <= 5 and not c.role:
            merged = make(doc, p.i, c.j, "PERSON", role_left(doc, p.i))
            merged.role = p.role or merged.role
            out[-1] = merged
        else:
            out.append(c)
    return out


def candidates(doc) -> list[Candidate]:
    """Cleaned name spans of a Doc, in text order, none overlapping (see the module docstring)."""
    out: list[Candidate] = []
    for ent in doc.ents:
        for c in _from_ent(doc, ent):
            c = _relabel(doc, c)
            if c is not None:
                out.append(c)
    out = _join_adjacent_persons(doc, sorted(out, key=lambda c: c.start))
    out = _administrations(doc, out)
    out = _org_shapes(doc, out)
    out += _missed_people(doc, out) + _platforms(doc, out) + _domains(doc, out)
    taken = Taken(len(doc_text(doc)), [(c.start, c.end) for c in out])
    out += [make(doc, a, b, "ORG", a) for a, b in capital_the_spans(doc)
            if not taken.overlaps(doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) and not is_headline(doc, a, b)]
    out = _given_name_in_brackets(doc, out)
    out = _divisions_in_roles(doc, out)
    # A one-word name inside a person's title is part of the title ("State" in "Secretary of State Marco
    # Rubio", "Interior" in "Interior Secretary Doug Burgum"), not a mention of its own.
    roles = [(c.role_start, c.start) for c in out if c.label == "PERSON" and c.role_start is not None]
    out = [c for c in out if c.label == "PERSON" or c.j - c.i > 1 or not is_title_word(doc[c.i].lower_)
           or not is_inside(roles, c.start, c.end)]
    kept: list[Candidate] = []
    for c in sorted(out, key=lambda c: (c.start, -(c.end - c.start))):
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept


def _administrations(doc, cands: list[Candidate]) -> list[Candidate]:
    """"the Trump administration": an organisation named after its head, not a mention of the person."""
    out = []
    for c in cands:
        end = administration_end(doc, c.j) if c.label in ("PERSON", "ORG") else None
        if end is not None:
            c = make(doc, c.i, end, "ORG", c.i)
        out.append(c)
    return out


def _org_shapes(doc, cands: list[Candidate]) -> list[Candidate]:
    """Organisation names found by their head noun replace the model's pieces of them (a person inside
    one, or a span reaching past it, keeps the model's reading)."""
    for a, b in org_shape_spans(doc, is_headline):
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        inside = [c for c in cands if c.start < end and start < c.end]
        heads = [x for x in range(a, b) if doc[x].lower_ in org_words() and doc[x].is_title]
        if any(c.label in ("FAC", "LOC") or c.start < start or c.end > end
               or c.label == "PERSON" and not (c.j - c.i == 1 and c.i > heads[0] + 1) for c in inside):
            continue  # a person inside, a building or place the model saw ("Harbour Centre"), or a wider name
        if any(c.label != "ORG" and any(doc[x].lower_ in org_words() for x in range(c.i, c.j)) for c in inside):
            continue  # the model read the head noun as part of a place ("Andean Federation")
        if shape_label(doc[a:b].text, "ORG", a > 0 and doc[a - 1].lower_ == "the") is not None:
            continue  # a place or building by its shape ("Mill Point")
        if len(inside) == 1 and inside[0].label == "ORG" and (inside[0].start, inside[0].end) == (start, end):
            continue
        if len(inside) == 1 and inside[0].label == "GPE" and doc[b - 1].lower_ in ("county", "city", "state"):
            continue
        cands = [c for c in cands if c not in inside] + [make(doc, a, b, "ORG", a)]
    return sorted(cands, key=lambda c: c.start)


def _missed_people(doc, cands: list[Candidate]) -> list[Candidate]:
    """"First Last" name shapes the model found nothing in ("Nolan Hardaway put Leeds ahead")."""
    taken = Taken(len(doc_text(doc)), [(c.start, c.end) for c in cands])
    ent, title = token_attr(doc, "ent_type_"), token_attr(doc, "is_title")
    idx, words = token_attr(doc, "idx"), token_attr(doc, "text")
    out = []
    for i in range(len(doc) - 1):
        if ent[i] or not title[i] or ent[i + 1] or taken.overlaps(idx[i], idx[i] + len(words[i])):
            continue
        j = i + 2
        while j < len(doc) and j - i < 3 and title[j] and not ent[j] and doc[j].pos_ == "PROPN":
            j += 1
        if doc[i + 1].pos_ not in ("PROPN", "NOUN") or not person_name_at(doc, i, j) or is_headline(doc, i, j) \
                or title_line(doc, i):
            continue
        c = make(doc, i, j, "PERSON", role_left(doc, i))
        out.append(c)
        taken.add(c.start, c.end)
    return out


def _platforms(doc, cands: list[Candidate]) -> list[Candidate]:
    """The platform X where the text says someone posted on it."""
    taken = [(c.start, c.end) for c in cands]
    out = []
    for a, b in platform_spans(doc_text(doc)):
        span = doc.char_span(a, b)
        if span is not None and not overlaps(taken, a, b):
            out.append(Candidate("ORG", "X", a, b, None, span.start, span.end))
    return out



def _domains(doc, cands: list[Candidate]) -> list[Candidate]:
    """A web site named as a source ("per Jane Doe at Ballpark.com", "according to example.com")."""
    taken = [(c.start, c.end) for c in cands]
    out = []
    for a, b in domain_spans(doc_text(doc)):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and not overlaps(taken, a, b):
            out.append(Candidate("ORG", doc_text(doc)[a:b], a, b, None, span.start, span.end))
    return out


def _given_name_in_brackets(doc, cands: list[Candidate]) -> list[Candidate]:
    """"Chief (Owen) Marsh": the given name an editor put in brackets is part of the name that follows,
    not a mention of its own; the surname keeps it in its `role`-free full form."""
    out = []
    by_start = {c.i: c for c in cands}
    for c in cands:
        if c.label == "PERSON" and c.j - c.i == 1 and c.i > 0 and doc[c.i - 1].text == "(" \
                and c.j + 1 < len(doc) and doc[c.j].text == ")" and doc[c.j + 1].is_title:
            nxt = by_start.get(c.j + 1)
            if nxt is None and not doc[c.j + 1].ent_type_ and doc[c.j + 1].pos_ in ("PROPN", "NOUN"):
                nxt = make(doc, c.j + 1, c.j + 2, "PERSON", c.j + 1)
                nxt.role = role_text(doc, role_left(doc, c.i - 1), c.i - 1)
                out.append(nxt)
            if nxt is not None and nxt.label == "PERSON":
                nxt.given_name = c.surface
                continue
        out.append(c)
    return sorted(out, key=lambda c: c.start)


def _divisions_in_roles(doc, cands: list[Candidate]) -> list[Candidate]:
    """A unit named inside a person's job title is part of the role, not an organisation of its own
    ("Jane Doe, Senior Vice President of Global Talent and Culture at Acme"): an ORG after
    "<title> of", next to a person, with no organisation head noun in it."""
    persons = [c for c in cands if c.label == "PERSON"]
    out = []
    for c in cands:
        if c.label == "ORG" and c.i >= 2 and doc[c.i - 1].lower_ == "of" and is_title_word(doc[c.i - 2].lower_) \
                and not any(t.lower_ in org_words() for t in doc[c.i:c.j]):
            k = c.i - 2
            while k > 0 and (is_title_word(doc[k - 1].lower_) or doc[k - 1].lower_ == "of"):
                k -= 1
            before = k >= 2 and doc[k - 1].text == "," and any(p.j == k - 1 for p in persons)
            after = any(p.i == c.j for p in persons) or (c.j + 1 < len(doc) and doc[c.j].lower_ in ("at", "for")
                                                         and doc[c.j + 1].ent_type_ == "ORG"
                                                         and k >= 2 and doc[k - 1].text == ",")
            if before or after:
                continue
        out.append(c)
    return out
