"""Entity shapes the small English model gets wrong, fixed by general rules on the parsed Doc.

What a spaCy entity ruler would do, applied after the model (so the pipeline stays the stock one):
name shapes give labels (data/entity_shapes.csv: "... Building" is a facility, "Operation ..." an event,
"... Country" a region); a title-case name built around an organisation head noun is one organisation
(data/org_words.txt: "Lakeside Clinical Genomics Lab"); "<Name> administration" is an organisation, not
the person; the platform X where a text says someone "posted on X"; a person must look like a person's
name (no digits, no lone common word; data/first_names.txt gives the given names that start one), and a
virus or product code ("H7N9") is no name at all.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from typing import NamedTuple

from ..names import data_lines, is_title_word
from ..text import doc_text
from .doc_arrays import per_doc, token_attr

# Labels a shape rule may rewrite or a name may carry.
NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
# Words allowed inside a title-case organisation name ("Department of Health", "Committee on Rules and
# Administration", "Court for the Northern District of Ohio").
ORG_INNER = {"of", "for", "on", "and", "the", "&"}
# Entity labels that never sit inside an organisation's name ("the State Department on Thursday").
NOT_NAME_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
# An organisation name found by its shape has at most this many tokens (a longer run is a headline).
MAX_ORG_TOKENS = 14
# A code: letters and two or more digit groups in one word ("H7N9", "H3N2"); names never look like this.
CODE_RE = re.compile(r"^[A-Za-z]+\d+[A-Za-z]+\d+[A-Za-z\d]*$")
# Verbs of posting that put "on X" after them: the platform X, not a letter.
POSTING_RE = re.compile(r"\b(?:posted|posting|posts|post|wrote|writing|writes|said|shared|sharing|tweeted|"
                        r"announced|replied|responded|commented|published)\s+(?:\w+\s+){0,3}?on\s+(X)(?![\w'\u2019-])")
PLATFORM_RE = re.compile(r"(?<![\w.])(X)(?=,?\s+\(?formerly(?:\s+known\s+as)?\s+Twitter)|"
                         r"\b(?:platform|site|app)\s+(X)(?![\w'\u2019-])")
ADMINISTRATION = ("administration", "Administration")
# Words after which a capitalised "The" starts a name ("Jane Doe of The Courier", "told The Ledger").
AFFILIATION_WORDS = {"of", "at", "from", "told", "to", "per", "with", "for", "by"}
# A web site named as a source: "per Jane Doe at Ballpark.com", "according to example.com".
DOMAIN_RE = re.compile(r"\b(?:according\s+to|per|at|via|from|told|on|in|by)\s+(?:the\s+)?"
                       r"([A-Za-z][\w-]{1,40}+\.(?:com|org|net|news|co\.uk))(?![\w/-]|\.\w)")


class Shape(NamedTuple):
    """One row of data/entity_shapes.csv: a word at a position of a name gives it a label."""
    position: str
    word: str
    label: str
    overrides: frozenset[str] | None  # None: any label


@lru_cache(maxsize=None)
def shapes() -> tuple[Shape, ...]:
    """The name-shape rules (data/entity_shapes.csv)."""
    out = []
    for row in csv.DictReader(data_lines("entity_shapes.csv")):
        ov = row["overrides"].strip()
        out.append(Shape(row["position"].strip(), row["word"].strip(), row["label"].strip(),
                         None if ov == "any" else frozenset(ov.split("|"))))
    return tuple(out)


@lru_cache(maxsize=None)
def _shapes_by_word() -> dict[str, list[tuple[int, Shape]]]:
    """The name-shape rules by their word, each with its position in `shapes()`."""
    out: dict[str, list[tuple[int, Shape]]] = {}
    for k, s in enumerate(shapes()):
        out.setdefault(s.word, []).append((k, s))
    return out


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    """Common given names, lower case (data/first_names.txt)."""
    return frozenset(w.strip().lower() for w in data_lines("first_names.txt"))


@lru_cache(maxsize=None)
def org_words() -> frozenset[str]:
    """Head nouns of organisation names, lower case (data/org_words.txt)."""
    return frozenset(w.strip().lower() for w in data_lines("org_words.txt"))


def shape_label(surface: str, label: str, after_the: bool) -> str | None:
    """The label a name's shape gives it ("Kennedy Space Center Launch Pad" -> FAC), or None to keep the
    model's; `after_the`: the name follows "the" ("the Moon")."""
    words = surface.split()
    if not words:
        return None
    by_word = _shapes_by_word()
    found = {k: s for w in (surface, words[0], words[-1]) for k, s in by_word.get(w, ())}
    for s in (found[k] for k in sorted(found)):  # the rules that can match, in file order
        if s.overrides is not None and label not in s.overrides:
            continue
        if s.position == "the" and after_the and surface == s.word \
                or s.position == "first" and len(words) >= 2 and words[0] == s.word \
                or s.position == "last" and len(words) >= 2 and words[-1] == s.word:
            return s.label if s.label != label else None
    return None


def is_code(surface: str) -> bool:
    """A code such as a virus subtype ("H7N9", "H3N2"): letters and two digit groups in one word."""
    return bool(CODE_RE.match(surface.strip()))


def looks_like_person(surface: str) -> bool:
    """Whether words could be a person's name: some capital, no digits, no organisation head noun."""
    words = surface.split()
    return bool(words) and any(ch.isupper() for ch in surface) and not any(ch.isdigit() for ch in surface) \
        and not any(w.lower().strip(".,'\u2019") in org_words() for w in words)


def person_name_at(doc, i: int, j: int) -> bool:
    """Tokens doc[i:j] are a person's name by shape: 2-4 title-case proper nouns starting with a common
    given name, none a title, organisation word or place ("Nolan Hardaway", not "Nolan County Court")."""
    if not 2 <= j - i <= 4 or doc[i].lower_ not in first_names():
        return False
    for t in doc[i:j]:
        if not (t.is_title or (len(t) <= 2 and t.text.endswith("."))) or t.like_num or is_title_word(t.lower_) \
                or t.lower_ in org_words():
            return False
        if t.ent_type_ in ("GPE", "LOC", "NORP") and t.i == i:
            return False
    return shape_label(doc[i:j].text, "PERSON", False) is None


def lone_common_word(doc, i: int, j: int, text: str) -> bool:
    """A one-word name that is only a common word capitalised: a word the same article also writes in lower case, capitalised by the sentence or as a modifier ("State inspectors found"
    where "state" occurs too, "Retail stores")."""
    if j - i != 1:
        return False
    t = doc[i]
    w = t.lower_
    if not t.is_title or len(w) < 3:
        return False
    return has_word(w, text) and (t.is_sent_start or t.pos_ != "PROPN" or t.dep_ in ("amod", "compound"))


def has_word(word: str, text: str) -> bool:
    r"""Whether `word` occurs in `text` with no word character or hyphen on either side: the regex
    (?<![\w-])word(?![\w-]), found with str.find (a pattern that opens with a look-behind gets no
    literal-prefix search in Python's re and tries every position of the text)."""
    i = text.find(word) if word else -1
    while i >= 0:
        j = i + len(word)
        before, after = text[i - 1:i], text[j:j + 1]
        if not (before and (before.isalnum() or before in "_-")) and not (after and (after.isalnum() or after in "_-")):
            return True
        i = text.find(word, i + 1)
    return False


def administration_end(doc, j: int) -> int | None:
    """End token of "<Name> administration" when `j` (the name's end) is followed by that word (and an
    optional possessive before it: "Trump's administration" stays the person)."""
    if j < len(doc) and doc[j].text in ADMINISTRATION:
        return j + 1
    return None


def org_shape_spans(doc, is_headline) -> list[tuple[int, int]]:
    """Token ranges of title-case names built around an organisation head noun ("Pike County Sheriff's
    Office", "Select Committee on Water Safety and Drought"): each run of title-case words
    (with "of", "for", "on", "and", "the", "&" and "'s" inside) that holds a head noun, from its first
    word to the last title-case word after the head, person names and titles after it left out."""
    out: list[tuple[int, int]] = []
    n = len(doc)
    k = 0
    words = org_words()
    ent, lower = token_attr(doc, "ent_type_"), token_attr(doc, "lower_")
    cap = _caps(doc)
    while k < n:
        if not cap[k] or ent[k] == "PERSON":
            k += 1
            continue
        a = k
        b = k
        while b < n:
            tb = doc[b]
            if "\n" in tb.text_with_ws and b > a and tb.is_space:
                break
            if cap[b] and (ent[b] != "PERSON" or _in_complement(doc, a, b, words)):
                b += 1
            elif lower[b] in ORG_INNER and b + 1 < n and (cap[b + 1] or lower[b + 1] == "the"
                                                          and lower[b] in ("of", "for", "on")) \
                    and (lower[b] != "and" or any(lower[x] in ("of", "for", "on") for x in range(a, b))):
                b += 1  # "and" only inside a complement ("Committee on Rules and Administration"), not "House and Senate"
            elif lower[b] in ("'s", "\u2019s") and b > a and b + 1 < n and cap[b + 1]:
                b += 1
            else:
                break
            if "\n" in doc[b - 1].whitespace_:
                break
        k = max(b, k + 1)
        heads = [x for x in range(a, b) if doc[x].lower_ in words and doc[x].is_title]
        if not heads or b - a < 2 or b - a > MAX_ORG_TOKENS or is_headline(doc, a, b) or title_line(doc, a):
            continue
        if heads[-1] + 1 < b and doc[heads[-1] + 1].lower_ not in ORG_INNER:
            b = heads[-1] + 1  # after the head noun only "of ...", "for ...", "on ..." ("Court Decision" is no name)
        while a < heads[0] and (doc[a].lower_ in ("the", "a", "an") or doc[a].is_sent_start
                                and doc[a].pos_ not in ("PROPN",) and not doc[a].ent_type_):
            a += 1
        while b > heads[-1] + 1 and (doc[b - 1].lower_ in ORG_INNER or is_title_word(doc[b - 1].lower_)
                                     and doc[b - 1].lower_ not in words):
            b -= 1
        while a < heads[0] and (is_title_word(doc[a].lower_) and doc[a].lower_ not in words
                                and doc[a].ent_type_ not in ("ORG", "GPE") or doc[a].lower_ in ORG_INNER):
            a += 1  # "Secretary General of the League": the title is the person's, not the organisation's
        if b - a >= 2:
            out.append((a, b))
    return out


def _in_complement(doc, a: int, b: int, words) -> bool:
    """Whether token `b` follows a head noun and "of/for/on" in the run doc[a:b] ("Committee on Water
    Safety": a word the model read as a person's name is part of the organisation's)."""
    seen_head = False
    for x in range(a, b):
        if doc[x].lower_ in words and doc[x].is_title:
            seen_head = True
        elif seen_head and doc[x].lower_ in ("of", "for", "on"):
            return doc[b].ent_iob_ == "B" and (b + 1 >= len(doc) or doc[b + 1].ent_iob_ != "I")
    return False


def title_line(doc, i: int) -> bool:
    """Whether token `i` sits in a line of three or more words all capitalised and without a final period:
    a subheading ("A Stunning Court Decision"), whose capitals say nothing about names."""
    memo = per_doc(doc, "title_line", lambda d: {})
    text = doc_text(doc)
    a = text.rfind("\n", 0, doc[i].idx) + 1
    if a not in memo:
        b = text.find("\n", a)
        line = text[a:b if b >= 0 else len(text)].strip()
        words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", line) if len(w) > 3]
        memo[a] = len(line.split()) >= 3 and not line.endswith((".", ",", ";", ":")) and bool(words) \
            and all(w[0].isupper() for w in words)
    return memo[a]


def _cap(t) -> bool:
    return (t.is_title or (t.is_upper and len(t) >= 2 and t.is_alpha)) and not t.is_punct \
        and t.ent_type_ not in NOT_NAME_LABELS


def _caps(doc) -> list[bool]:
    """`_cap` of every token of the Doc, the Token read only for a title-case or upper-case word."""
    title, upper, ent = token_attr(doc, "is_title"), token_attr(doc, "is_upper"), token_attr(doc, "ent_type_")
    return [(title[k] or upper[k]) and ent[k] not in NOT_NAME_LABELS and _cap(doc[k]) for k in range(len(doc))]


def platform_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the platform X ("posted on X", "X, formerly Twitter", "the platform X")."""
    out = []
    for pat in (POSTING_RE, PLATFORM_RE):
        for m in pat.finditer(text):
            g = next(k for k in range(1, (m.lastindex or 0) + 1) if m.group(k))
            out.append((m.start(g), m.end(g)))
    return sorted(set(out))


def domain_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of web sites named as sources ("per Jane Doe at Ballpark.com")."""
    return [(m.start(1), m.end(1)) for m in DOMAIN_RE.finditer(text)]


def capital_the_spans(doc) -> list[tuple[int, int]]:
    """Token ranges of names that keep a capital "The" mid-sentence after "of", "at", "told", ... ("Jane Doe
    of The Courier", "told The Ledger") that the model left untagged: a publication or organisation."""
    out = []
    for i, word in enumerate(token_attr(doc, "text")):
        if word != "The":
            continue
        t = doc[i]
        if t.is_sent_start or t.i == 0 or doc[t.i - 1].lower_ not in AFFILIATION_WORDS:
            continue
        j = t.i + 1
        while j < len(doc) and j - t.i <= 3 and doc[j].is_title and not doc[j].ent_type_ and doc[j].is_alpha:
            j += 1
        if j > t.i + 1 and (j == len(doc) or not doc[j].is_title):
            out.append((t.i + 1, j))
    return out
