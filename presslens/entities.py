"""Entity mentions (issue 3): who each outlet names, how often, how early, in quotes or in narration.

Per article (`mentions_from_doc`, called by presslens.pipeline on the one spaCy parse): spaCy's NER
(en_core_web_sm 3.8.0) plus the fixes news text needs, driven by data files in presslens/data:
titles and honorifics move out of the name into `role` (titles.txt); possessives, a leading "the",
editing brackets and party tags ("D-Va.") are dropped; photo credits, captions and wire datelines never
count (credit_patterns.txt); title-case headline lines are not read as names; a surname or short form
takes the label and canonical name of the full name met in the same article (accent-insensitive;
forward only when no built-in alias claims it); and names the model missed are found again by matching
the article's own names, their acronyms and the built-in multi-word names over the text.
Across the corpus (`mentions`): one canonical name per person or organisation in every outlet, from
the user's `aliases.csv` in the corpus folder (overrides everything, can fix a label or IGNORE a name),
the built-in aliases (known_aliases.csv), then automatic merging of spellings that differ by accents,
case, "the", a country prefix, an acronym used with its long form, or a bare surname whose full name
appears once in the corpus. Measured on hand-written gold: see tests/test_entities.py.
"""
from __future__ import annotations

import bisect
import csv
import re
import unicodedata
import warnings
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .text import doc_text, quote_mark_spans

DOC_COLUMNS = ["entity", "label", "surface", "start", "end", "sentence", "paragraph", "in_quote", "role"]
MENTION_COLUMNS = ["article_id", "outlet", *DOC_COLUMNS]
UNKNOWN_ALIAS_COLUMNS = ["source", "line", "canonical", "alias"]
RATE_COLUMNS = ["outlet", "entity", "label", "n_mentions", "n_words", "per_1000_words",
                "n_articles", "n_outlet_articles", "share_of_articles"]
ARTICLE_RATE_COLUMNS = ["article_id", "outlet", "entity", "label", "n_mentions", "n_words", "per_1000_words"]
FIRST_MENTION_COLUMNS = ["article_id", "outlet", "entity", "label", "first_paragraph", "n_paragraphs",
                         "first_position", "first_start", "first_end", "first_surface"]
VOICE_COLUMNS = ["outlet", "entity", "label", "n_mentions", "n_in_quote", "n_narration", "share_in_quote"]
COOCCURRENCE_COLUMNS = ["entity_a", "entity_b", "n_sentences", "n_articles", "n_outlets", "outlets"]

# Labels kept from the model: people, organisations, countries/cities, nationalities/groups, places.
LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
# Labels whose spans the small model sometimes puts around a person ("Nobel Peace Prize María Corina Machado").
_MISC_LABELS = ("WORK_OF_ART", "EVENT", "PRODUCT", "LAW")
_DATA = Path(__file__).resolve().parent / "data"
_LEADING_DETS = {"the", "a", "an"}
_SPEECH_LEMMAS = {"say", "tell", "add", "state", "write", "announce", "declare", "insist", "note",
                  "claim", "argue", "warn", "explain", "acknowledge", "deny", "confirm"}
# Words that end a non-person name: a person span never stops on one of these.
_NAME_STOP = {"prize", "award", "awards", "party", "department", "ministry", "news", "house", "agency",
              "council", "committee", "office", "court", "university", "bank", "company", "corp", "inc",
              "group", "foundation", "institute", "association", "union", "times", "post", "journal"}
_PARTY_RE = re.compile(r"^[DRI]-[A-Z]")
_BAD_CHARS_RE = re.compile(r"[\[\]{}<>|@#=_]")  # editing brackets ("[W]e"), handles, markup: not a name
# Words that only qualify a title: a role made of these alone ("top", "former") says nothing.
_MODIFIERS = {"top", "former", "acting", "interim", "senior", "then", "late", "ex", "incoming", "outgoing",
              "chief", "head", "deputy", "vice", "assistant"}
QUOTES = set('"\u201c\u201d')
_NICKNAME_RE = re.compile(r"\s*[\"\u201c\u201d][^\"\u201c\u201d]{1,20}[\"\u201c\u201d]\s*")
_COUNTRY_PREFIXES = ("us ", "american ", "federal ", "british ", "uk ")


# ---------------------------------------------------------------------------------------------
# Data files (rules as data)
# ---------------------------------------------------------------------------------------------

def _data_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file in presslens/data."""
    p = _DATA / name
    if not p.exists():
        return []
    return [ln.rstrip("\n") for ln in p.read_text(encoding="utf8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def title_words() -> frozenset[str]:
    """Lower-cased words that are titles or honorifics, never part of a name (data/titles.txt)."""
    return frozenset(w.strip().lower() for w in _data_lines("titles.txt"))


@lru_cache(maxsize=None)
def credit_patterns() -> tuple[re.Pattern, ...]:
    """Compiled photo-credit patterns (data/credit_patterns.txt)."""
    return tuple(re.compile(p.strip()) for p in _data_lines("credit_patterns.txt"))


@lru_cache(maxsize=None)
def _gazetteer() -> dict[str, str]:
    """Built-in names safe to look up in any text: multi-word names and acronyms of 3+ capitals, with labels."""
    out = {}
    for a, lab in zip(builtin_aliases()["alias"], builtin_aliases()["label"]):
        if isinstance(lab, str) and lab in ("PERSON", "ORG") and (" " in a or re.fullmatch(r"[A-Z]{3,}", a)):
            out[a] = lab
    return out


@lru_cache(maxsize=None)
def _builtin_keys() -> frozenset[str]:
    """Matching keys of every built-in alias (data/known_aliases.csv)."""
    return frozenset(name_key(a) for a in builtin_aliases()["alias"])


class _FoldTable(dict):
    """str.translate table for `fold`, filled one character at a time as characters are met."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c == "\u2019":
            out = "'"
        elif code < 128:
            out = c
        else:
            d = unicodedata.normalize("NFD", c)
            out = d[0] if d and ord(d[0]) < 128 else c
        self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


def fold(s: str) -> str:
    """`s` without accents, same length (so offsets survive): "Rodríguez" -> "Rodriguez", curly ' -> '."""
    return s if s.isascii() else s.translate(_FOLD_TABLE)


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Matching key of a name: no accents, case, periods, leading "the" or possessive ("The U.S." -> "us")."""
    if not isinstance(name, str):
        return ""
    k = fold(_NICKNAME_RE.sub(" ", name)).lower()
    k = re.sub(r"'s?$", "", k.strip())
    k = re.sub(r"^(?:the|a|an)\s+", "", k)
    k = re.sub(r"[.\u2019']", "", k)
    k = re.sub(r"[^\w&]+", " ", k)
    return " ".join(k.split())


# ---------------------------------------------------------------------------------------------
# Per article: spans from the parse
# ---------------------------------------------------------------------------------------------

def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of photo credits in `text`, and of whole paragraphs that end with one (captions)."""
    from .text import paragraph_spans

    spans = []
    for pat in credit_patterns():
        spans.extend((m.start(), m.end()) for m in pat.finditer(text))
    for a, b in paragraph_spans(text):
        if any(a <= s < b and e >= b - 2 for s, e in spans):
            spans.append((a, b))
    return sorted(spans)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _trim(doc, i: int, j: int, label: str = "") -> tuple[int, int]:
    """Token range without a leading determiner/punctuation (or lower-case word, for an organisation:
    "state Department of Revenue Services") or a trailing possessive/punctuation ("Trump's 1995")."""
    while i < j and (doc[i].lower_ in _LEADING_DETS or doc[i].is_punct or doc[i].is_space
                     or (label == "ORG" and doc[i].is_lower and j - i > 1)):
        i += 1
    if j - i >= 3 and doc[j - 1].like_num and doc[j - 2].lower_ in ("'s", "\u2019s"):
        j -= 1
    while j > i and (doc[j - 1].lower_ in ("'s", "\u2019s", "'", "\u2019") or doc[j - 1].is_punct
                     or doc[j - 1].is_space):
        j -= 1
    return i, j


def _is_titleword(tok) -> bool:
    return tok.lower_ in title_words() or tok.lower_.rstrip(".") in title_words()


def _is_headline(doc, i: int, j: int) -> bool:
    """True when the span sits in a title-case line ("Black Lawmakers Rip Donald Trump As A 'Disgusting Fraud.'"):
    a headline, whose capitals the model reads as names. Signs: capitalised small words ("As", "To", "On")
    after the first word and at most one lower-case word, or five or more long words all capitalised."""
    sent = doc[i].sent
    memo = doc.user_data.setdefault(("presslens", "headline"), {})  # one answer per sentence
    if sent.start not in memo:
        memo[sent.start] = _is_headline_sentence(sent)
    return memo[sent.start]


def _is_headline_sentence(sent) -> bool:
    words = [t for t in sent if t.is_alpha]
    if len(words) < 4:
        return False
    cap_stops = sum(1 for t in words[1:] if t.is_stop and t.is_title)
    lower = sum(1 for t in words if t.is_lower)
    long_words = [t for t in words if len(t) > 3]
    all_caps_long = len(long_words) >= 5 and all(t.is_title or t.is_upper for t in long_words)
    return (cap_stops >= 1 and lower <= 1) or (all_caps_long and lower <= 2)


def _role_left(doc, i: int) -> int:
    """Start token of the title/role words right before token `i` ("the U.S. Interior Secretary")."""
    j = i
    seen_title = False
    while j > 0:
        t = doc[j - 1]
        if t.is_space or "\n" in t.text:
            break
        if _is_titleword(t):
            seen_title = True
            j -= 1
        elif t.lower_ == "of" and seen_title and j >= 2 and _is_titleword(doc[j - 2]):
            j -= 1  # "Secretary of State Marco Rubio"
        elif t.ent_type_ in ("GPE", "NORP") and (seen_title or j < i):
            j -= 1
        elif t.lower_ in ("'s", "\u2019s") and j - 2 >= 0 and doc[j - 2].ent_type_ in ("GPE", "ORG", "NORP"):
            j -= 1
        elif t.is_title and t.dep_ == "compound" and seen_title and t.head.i >= j:
            j -= 1  # "Energy" in "Energy Secretary" when the model left it out of the lexicon
        else:
            break
    while j < i and (doc[j].lower_ in ("'s", "\u2019s") or doc[j].is_punct):
        j += 1
    return j if seen_title else i


def _role_appos(doc, i: int, j: int) -> str | None:
    """Role from an apposition: "Delcy Rodríguez, formerly Maduro's vice president" / "his wife, Cilia Flores"."""
    span = doc[i:j]
    root = span.root
    for ch in root.children:
        if ch.dep_ == "appos" and ch.i >= j and ch.pos_ == "NOUN" and _is_titleword(ch):
            a, b = ch.left_edge.i, ch.i + 1
            if b - a <= 8 and a > j - 1:
                return doc[a:b].text.strip(" ,")
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and i - 12 < root.head.i < i and _is_titleword(root.head) \
            and not any(t.text in QUOTES or t.is_sent_start for t in doc[root.head.i + 1:i + 1]):
        h = root.head
        a = h.left_edge.i
        if h.i + 1 - a <= 8:
            return doc[a:h.i + 1].text
    return None


def _speaker_person(doc, ent) -> tuple[int, int] | None:
    """Token range of a person's name at the end of a mislabelled span that speaks ("... Prize María Corina Machado said")."""
    root = ent.root
    if root.pos_ != "PROPN" or root.i != ent.end - 1:
        return None
    def speaks(t):
        return t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ in _SPEECH_LEMMAS

    nxt = doc[ent.end] if ent.end < len(doc) else None
    if not (speaks(root) or (root.dep_ == "appos" and speaks(root.head))
            or (nxt is not None and nxt.lemma_ in _SPEECH_LEMMAS and nxt.pos_ == "VERB")):
        return None
    i = ent.end
    while i > ent.start and doc[i - 1].pos_ == "PROPN" and doc[i - 1].lower_ not in _NAME_STOP \
            and not _is_titleword(doc[i - 1]) and not doc[i - 1].like_num:
        i -= 1
    if 2 <= ent.end - i <= 4 and i > ent.start:
        return i, ent.end
    return None


def _candidates(doc) -> list[dict]:
    """Cleaned spans from the model's entities: title/possessive/determiner stripped, roles attached."""
    out = []
    for ent in doc.ents:
        label = ent.label_
        i, j = ent.start, ent.end
        if _is_headline(doc, i, j):
            continue  # title-case lines fuse words into names; the article's own names are found there later
        if label not in LABELS:
            if label in _MISC_LABELS:
                sp = _speaker_person(doc, ent)
                if sp:
                    out.append(_cand(doc, sp[0], sp[1], "PERSON", _role_left(doc, sp[0])))
            continue
        i, j = _trim(doc, i, j, label)
        if _PARTY_RE.match(doc[i:j].text) or _BAD_CHARS_RE.search(doc[i:j].text):
            continue  # "(D-Newport News)": a party and district, not an organisation
        role_start = None
        if label == "PERSON":
            # A nickname in quotes splits the model's span: Robert C. "Bobby" Scott, Marcia "Cia" Price.
            def name_at(t):
                return t < len(doc) and doc[t].is_title and doc[t].pos_ in ("PROPN", "NOUN") \
                    and not _is_titleword(doc[t])

            if j + 3 < len(doc) and doc[j].text in QUOTES and name_at(j + 1) and doc[j + 2].text in QUOTES \
                    and name_at(j + 3):
                j += 4
            elif j - 2 >= i and doc[j - 2].text in QUOTES and j + 1 < len(doc) and doc[j].text in QUOTES \
                    and name_at(j + 1):
                j += 2
            k = i
            while k < j - 1 and (_is_titleword(doc[k]) or (doc[k].ent_type_ in ("GPE", "NORP")
                                                              and k + 1 < j and _is_titleword(doc[k + 1]))):
                k += 1
            if k > i:
                role_start = i
                i = k
            i, j = _trim(doc, i, j)
        if i >= j:
            continue
        poss = [k for k in range(i + 1, j - 1) if doc[k].lower_ in ("'s", "\u2019s")] if label == "ORG" else []
        if poss:  # "Alphabet Inc's Google": two organisations
            out.append(_cand(doc, i, poss[0], label, i))
            out.append(_cand(doc, poss[0] + 1, j, label, poss[0] + 1))
            continue
        left = _role_left(doc, role_start if role_start is not None else i)
        out.append(_cand(doc, i, j, label, left))
    # A one-word name inside a person's title is part of the title ("State" in "Secretary of State Marco
    # Rubio", "Interior" in "Interior Secretary Doug Burgum"), not a mention of its own.
    roles = [(c["role_start"], c["start"]) for c in out if c["label"] == "PERSON" and c["role_start"] is not None]
    out = [c for c in out if c["label"] == "PERSON" or c["j"] - c["i"] > 1 or not _is_titleword(doc[c["i"]])
           or not _inside(roles, c["start"], c["end"])]
    kept: list[dict] = []
    for c in sorted(out, key=lambda c: (c["start"], -(c["end"] - c["start"]))):
        if not kept or c["start"] >= kept[-1]["end"]:
            kept.append(c)
    return kept


def _role_text(doc, a: int, i: int) -> str | None:
    """The title words doc[a:i] as a role, or None when empty or only qualifiers ("top", "former")."""
    role = doc[a:i].text.strip(" ,") if a < i else ""
    if not role or all(w.lower() in _MODIFIERS for w in role.split()):
        return None
    return role


def _cand(doc, i: int, j: int, label: str, role_start: int) -> dict:
    span = doc[i:j]
    role = _role_text(doc, role_start, i) if label == "PERSON" else None
    if label == "PERSON" and not role:
        role = _role_appos(doc, i, j)
    return {"label": label, "surface": span.text, "start": span.start_char, "end": span.end_char,
            "role": role or None, "i": i, "j": j,
            "role_start": doc[role_start].idx if role_start < i and label == "PERSON" else None}


def _person_groups(cands: list[dict]) -> dict[str, str]:
    """{folded lower-case full name: display name}: the accented variant of each full name in the article."""
    best: dict[str, str] = {}
    for c in cands:
        if c["label"] == "PERSON" and len(c["surface"].split()) >= 2:
            k = name_key(c["surface"])
            name = " ".join(_NICKNAME_RE.sub(" ", c["surface"]).split())
            cur = best.get(k)
            if cur is None or _accent_score(name) > _accent_score(cur):
                best[k] = name
    # The nickname with the surname names the same person: "Bobby Scott" = Robert C. "Bobby" Scott.
    for c in cands:
        nick = _NICKNAME_RE.search(c["surface"]) if c["label"] == "PERSON" else None
        if nick:
            alias = name_key(nick.group(0).strip(" \"\u201c\u201d") + " " + c["surface"].split()[-1])
            best[alias] = best[name_key(c["surface"])]
    # A shorter full name that ends a longer one is that person ("De Blasio" -> "Bill de Blasio").
    for k in list(best):
        longer = [x for x in best if len(x.split()) > len(k.split()) and x.split()[-len(k.split()):] == k.split()]
        if len(longer) == 1:
            best[k] = best[longer[0]]
    return best


def _accent_score(s: str) -> int:
    return sum(1 for ch in s if ord(ch) > 127)


def _link_person(key: str, start: int, fulls: list[tuple[int, str]], first_names: bool = True,
                 forward: bool = True) -> str | None:
    """Full-name key a short form links to: by surname the latest full name before `start`, else (`forward`)
    the first after; failing that, by first name ("Hillary"), only a full name met before."""
    toks = key.split()
    n = len(toks)
    before = after = by_first = None
    for pos, full in fulls:
        ft = full.split()
        if len(ft) <= n:
            continue
        if ft[-n:] == toks:
            if pos <= start:
                before = full
            elif after is None and forward:
                after = full
        elif first_names and n == 1 and ft[0] == toks[0] and pos <= start:
            by_first = full
    return before or after or by_first


@lru_cache(maxsize=4096)
def _name_pattern(needle: str) -> re.Pattern:
    """`needle` as a whole name: not inside a word, not after a period ("U.S." is not "S.")."""
    return re.compile(r"(?<![\w.])" + re.escape(needle) + r"(?![\w])")


def _scan_missed(doc, text: str, names: dict[str, str], taken: list[tuple[int, int]]) -> list[dict]:
    """Occurrences of the article's own names (full, surname) the model missed, accent-insensitive
    (`text`: the article's text as `fold` gives it)."""
    raw = doc_text(doc)
    out = []
    for surface, label in names.items():
        needle = fold(surface)
        if needle not in text:  # a plain substring test first: most names occur only where the model found them
            continue
        for m in _name_pattern(needle).finditer(text):
            a, b = m.start(), m.end()
            if _overlaps(taken, a, b):
                continue
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or (len(span) == 1 and span[0].is_sent_start and span[0].pos_ != "PROPN"):
                continue  # "Little is known": a surname that is also a word, capitalised by the sentence
            left = _role_left(doc, span.start) if label == "PERSON" else span.start
            c = _cand(doc, span.start, span.end, label, left)
            c["surface"], c["start"], c["end"] = raw[a:b], a, b
            out.append(c)
            taken.append((a, b))
    return out


def mentions_from_doc(doc, quotes: list[dict]) -> list[dict]:
    """One dict per entity mention (DOC_COLUMNS), offsets into doc.text; `entity` canonical within the article."""
    from .text import paragraph_index, paragraph_spans

    text = doc_text(doc)
    if not text or not text.strip():
        return []
    cands = _candidates(doc)
    credits = credit_spans(text)
    cands = [c for c in cands if not _overlaps(credits, c["start"], c["end"])]

    # Persons: full names, with one display form per accent-folded key.
    fulls_display = _person_groups(cands)
    fulls = sorted((c["start"], name_key(c["surface"])) for c in cands
                   if c["label"] == "PERSON" and len(c["surface"].split()) >= 2)
    surnames = {fulls_display[k].split()[-1] for k in fulls_display}

    # Relabel: any span whose text is a person's surname/short form, or is labelled PERSON elsewhere
    # in this article, is that person ("Maduro" tagged ORG, "Trump" in "the Trump administration").
    votes: dict[str, list[str]] = {}
    for c in cands:
        votes.setdefault(name_key(c["surface"]), []).append(c["label"])
    person_keys = {k for k, v in votes.items() if 2 * v.count("PERSON") > len(v)}
    for c in cands:
        k = name_key(c["surface"])
        if c["label"] != "PERSON" and k and len(k.split()) <= 2 and (
                k in person_keys or _link_person(k, c["start"], fulls, first_names=False)):
            c["label"] = "PERSON"
            if not c["role"]:
                c["role"] = _role_text(doc, _role_left(doc, c["i"]), c["i"])
    # Names the model missed: the article's own surnames and organisation names, found again.
    names = {s: "PERSON" for s in surnames}
    names.update({fulls_display[k]: "PERSON" for k in fulls_display})
    for c in cands:
        if c["label"] == "PERSON" and len(c["surface"].split()) == 1:
            names.setdefault(c["surface"], "PERSON")
        elif c["label"] == "ORG" and len(c["surface"]) > 3 and c["surface"][0].isupper():
            names.setdefault(c["surface"], "ORG")
    # Acronyms of the article's own organisations ("Christian News Service" ... "CNS"), and the built-in
    # multi-word names and acronyms (data/known_aliases.csv: "Islamic State", "FBI") the model missed.
    for c in list(cands):
        if c["label"] == "ORG" and len(c["surface"].split()) >= 3:
            ini = "".join(w[0] for w in c["surface"].split() if w[0].isupper())
            if len(ini) >= 3:
                names.setdefault(ini, "ORG")
    folded = fold(text)
    for alias, label in _gazetteer().items():
        names.setdefault(alias, label)
        if " " in alias and fold(alias) in folded:  # a known name beats the model's shorter piece of it
            for mt in re.finditer(r"(?<!\w)" + re.escape(fold(alias)) + r"(?!\w)", folded):
                cands = [c for c in cands if not (mt.start() <= c["start"] and c["end"] <= mt.end()
                                                  and c["end"] - c["start"] < mt.end() - mt.start())]
    taken = [(c["start"], c["end"]) for c in cands] + credits
    extra = _scan_missed(doc, folded, dict(sorted(names.items(), key=lambda kv: -len(kv[0]))), taken)
    cands = sorted(cands + extra, key=lambda c: c["start"])

    # Canonical within the article.
    paras = paragraph_spans(text)
    sent_starts = [s.start_char for s in doc.sents]
    direct = [(q["start"], q["end"]) for q in (quotes or []) if q.get("kind") == "direct"
              and q.get("start") is not None and q.get("end") is not None]
    quoted = direct + quote_mark_spans(text)
    rows = []
    for c in cands:
        key = name_key(c["surface"])
        if not key:
            continue
        entity = c["surface"]
        if c["label"] == "PERSON":
            if key in fulls_display:
                entity = fulls_display[key]
            else:
                honorific = (c["role"] or "").split()[-1:] in (["Mr."], ["Mrs."], ["Ms."], ["Mr"], ["Mrs"], ["Ms"])
                # A famous surname ("Obama") met before any full name is that person (built-in aliases),
                # not a namesake named further down ("Michelle Obama").
                full = _link_person(key, c["start"], fulls, first_names=not honorific,
                                    forward=key not in _builtin_keys())
                if full:
                    entity = fulls_display[full]
        rows.append({"entity": entity, "label": c["label"], "surface": c["surface"], "start": c["start"],
                     "end": c["end"], "sentence": max(0, bisect.bisect_right(sent_starts, c["start"]) - 1),
                     "paragraph": paragraph_index(paras, c["start"]),
                     "in_quote": _inside(quoted, c["start"], c["end"]), "role": c["role"]})
    return rows


# ---------------------------------------------------------------------------------------------
# Across the corpus: aliases and one canonical name per entity
# ---------------------------------------------------------------------------------------------

ALIAS_COLUMNS = ["source", "line", "canonical", "label", "alias"]
IGNORE = "IGNORE"
_LABEL_RE = re.compile(r"^label\s*=\s*([A-Z_]+)$")


def read_aliases(path) -> pd.DataFrame:
    """The alias file as a table (ALIAS_COLUMNS), one row per alias; the canonical name is its own alias.

    Format (CSV, `#` starts a comment line): `canonical name, alias, alias, ...`; a field `label=ORG`
    sets the entity's label; the canonical name IGNORE drops every mention of its aliases.
    """
    p = Path(path)
    rows = []
    if not p.exists():
        return pd.DataFrame(columns=ALIAS_COLUMNS)
    lines = p.read_text(encoding="utf-8-sig").splitlines()
    for n, fields in enumerate(csv.reader(lines), start=1):
        fields = [f.strip() for f in fields if f and f.strip()]
        if not fields or fields[0].startswith("#"):
            continue
        canonical, label, names = fields[0], None, []
        for f in fields[1:]:
            m = _LABEL_RE.match(f)
            if m:
                label = m.group(1)
            else:
                names.append(f)
        for alias in [canonical, *names]:
            rows.append({"source": p.name, "line": n, "canonical": canonical, "label": label, "alias": alias})
    return pd.DataFrame(rows, columns=ALIAS_COLUMNS)


def builtin_aliases() -> pd.DataFrame:
    """Aliases shipped with presslens (data/known_aliases.csv): heads of state, US departments, countries."""
    return read_aliases(_DATA / "known_aliases.csv")


def corpus_aliases_path(articles: pd.DataFrame) -> Path | None:
    """`aliases.csv` in the corpus folder the articles were loaded from, if there is one."""
    d = getattr(articles, "attrs", {}).get("corpus_dir")
    if not d:
        return None
    p = Path(d) / "aliases.csv"
    return p if p.exists() else None


def _as_aliases(aliases) -> pd.DataFrame:
    if aliases is None or aliases is False:
        return pd.DataFrame(columns=ALIAS_COLUMNS)
    if isinstance(aliases, pd.DataFrame):
        return aliases.reindex(columns=ALIAS_COLUMNS)
    return read_aliases(aliases)


def unknown_aliases(mentions_df: pd.DataFrame, aliases) -> pd.DataFrame:
    """Alias lines that match no mention (by surface or entity name, accent/case-insensitive): likely typos.

    Pass the mentions before aliases are applied (`pipeline.analyze(articles)["mentions"]`); `mentions()`
    does this itself and keeps the result in `.attrs["unknown_aliases"]`.
    """
    al = _as_aliases(aliases)
    if al.empty:
        return pd.DataFrame(columns=UNKNOWN_ALIAS_COLUMNS)
    known = set()
    for col in ("surface", "entity"):
        if col in mentions_df:
            known.update(name_key(s) for s in mentions_df[col].dropna().unique())
    out = []
    for (src, line), g in al.groupby(["source", "line"], sort=False):
        canonical = g["canonical"].iloc[0]
        names = g["alias"].tolist()
        if len(names) > 1:
            names = [a for a in names[1:]]  # the canonical name may be a new spelling: only aliases must match
        for a in names:
            if name_key(a) not in known:
                out.append({"source": src, "line": int(line), "canonical": canonical, "alias": a})
    return pd.DataFrame(out, columns=UNKNOWN_ALIAS_COLUMNS)


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in ("of", "the", "and", "for", "on", "de"))


_LABEL_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3, "LOC": 4, "FAC": 5}


def canonicalize(raw: pd.DataFrame, aliases=None, builtin: bool = True) -> pd.DataFrame:
    """One canonical `entity` and `label` per person/organisation across the corpus (MENTION_COLUMNS).

    Order of precedence: the user's aliases, the built-in aliases, then automatic merging of names
    that differ only by accents, case, "the", a country prefix ("U.S. State Department"), an acronym,
    or a bare surname whose full name appears (once) elsewhere in the corpus.
    """
    cols = list(raw.columns) if len(raw.columns) else MENTION_COLUMNS
    if raw.empty:
        return pd.DataFrame(columns=cols)
    m = raw.copy()
    user = _as_aliases(aliases)
    base = builtin_aliases() if builtin else pd.DataFrame(columns=ALIAS_COLUMNS)
    m["_skey"] = m["surface"].map(name_key)
    m["_ekey"] = m["entity"].map(name_key)

    # Automatic: keys of multi-word person names and of organisations seen in the corpus.
    persons = m[m["label"] == "PERSON"]
    full_keys = {k for k in persons["_ekey"].unique() if len(k.split()) >= 2}
    by_last: dict[str, set[str]] = {}
    for k in full_keys:
        by_last.setdefault(k.split()[-1], set()).add(k)
    org_keys = set(m.loc[m["label"] == "ORG", "_ekey"].unique())
    # An acronym stands for a long name only where one article uses both ("the Environmental Protection
    # Agency ... the EPA"); "NBC" never becomes "National Baptist Convention" by chance.
    acronyms: dict[str, set[str]] = {}
    for _, g in m[m["label"] == "ORG"].groupby("article_id", sort=False):
        keys_here = set(g["_ekey"])
        for k in keys_here:
            if len(k.split()) >= 2 and _initials(k) in keys_here:
                acronyms.setdefault(_initials(k), set()).add(k)

    def auto(key: str, label: str) -> str:
        if label == "PERSON" and len(key.split()) == 1 and len(by_last.get(key, ())) == 1:
            return next(iter(by_last[key]))
        if label == "PERSON" and len(key.split()) >= 2:
            toks = key.split()
            longer = [x for x in by_last.get(toks[-1], ()) if len(x.split()) > len(toks)
                      and x.split()[-len(toks):] == toks]
            if len(longer) == 1:
                return longer[0]
        if label != "PERSON":
            for pre in _COUNTRY_PREFIXES:
                if key.startswith(pre) and key[len(pre):] in org_keys:
                    return key[len(pre):]
            if " " not in key and len(acronyms.get(key, ())) == 1:
                return next(iter(acronyms[key]))
        return key

    # User aliases (matched on the words as written, then on the article's name), then built-in
    # aliases (on the article's name: a bare surname only where the article named nobody fuller).
    def table(al: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
        return {name_key(a): (c, lab if isinstance(lab, str) and lab else None)
                for a, c, lab in zip(al["alias"], al["canonical"], al["label"])}

    base_map, user_map = table(base), table(user)

    canon, labels, keys = [], [], []
    auto_of: dict[tuple[str, str], str] = {}  # a corpus repeats its names: each (name, label) is resolved once
    for skey, ekey, lab in zip(m["_skey"], m["_ekey"], m["label"]):
        key = auto_of.get((ekey, lab))
        if key is None:
            key = auto_of[(ekey, lab)] = auto(ekey, lab)
        hit = user_map.get(skey) or user_map.get(ekey) or user_map.get(key) \
            or base_map.get(ekey) or base_map.get(key)
        canon.append(hit[0] if hit else None)
        labels.append(hit[1] if hit else None)
        keys.append(name_key(hit[0]) if hit else key)
    m["_alias_canon"], m["_alias_label"], m["_key"] = canon, labels, keys
    m = m[m["_alias_canon"] != IGNORE].copy()

    # Display name and label per key, from counts gathered in one pass over the mentions (a pandas
    # groupby with a value_counts per key costs ~1 ms a key: seconds on a year of coverage).
    forms: dict[str, Counter] = {}     # key -> surface forms of its canonical name, in first-seen order
    kinds: dict[str, Counter] = {}     # key -> labels
    fixed: dict[str, Counter] = {}     # key -> alias canonical names
    fixed_label: dict[str, str] = {}   # key -> the last alias label given
    rows_of: Counter = Counter()
    for key, ent, lab, a_canon, a_label in zip(m["_key"], m["entity"], m["label"], m["_alias_canon"],
                                               m["_alias_label"]):
        rows_of[key] += 1
        if isinstance(ent, str):
            forms.setdefault(key, Counter())[ent] += 1
        kinds.setdefault(key, Counter())
        if isinstance(lab, str):
            kinds[key][lab] += 1
        if isinstance(a_canon, str):
            fixed.setdefault(key, Counter())[a_canon] += 1
        if isinstance(a_label, str):
            fixed_label[key] = a_label
    display, label_of = {}, {}
    for key in rows_of:
        if key in fixed:
            top = max(fixed[key].values())
            display[key] = min(c for c, n in fixed[key].items() if n == top)  # the mode (smallest on a tie)
        else:
            counts = dict(forms[key].most_common())
            person = kinds[key]["PERSON"] / rows_of[key] >= 0.5
            # People: a full name, accented, the most frequent; organisations: the most frequent form.
            display[key] = sorted(counts, key=lambda s: (-min(2, len(s.split())), -_accent_score(s),
                                                         -counts[s], -len(s)) if person
                                  else (-counts[s], -_accent_score(s), -len(s)))[0]
        if key in fixed_label:
            label_of[key] = fixed_label[key]
        else:
            lc = dict(kinds[key].most_common())
            label_of[key] = sorted(lc, key=lambda x: (-lc[x], _LABEL_ORDER.get(x, 9)))[0]
    m["entity"] = m["_key"].map(display)
    m["label"] = m["_key"].map(label_of)
    return m.drop(columns=[c for c in m.columns if c.startswith("_")]).reset_index(drop=True)[cols]


def mentions(articles: pd.DataFrame, aliases=None, cache: bool = True, **analyze_kw) -> pd.DataFrame:
    """Entity mentions of a corpus (MENTION_COLUMNS), one row per mention, canonical names across outlets.

    `aliases`: a path or table in the aliases.csv format; by default the corpus folder's aliases.csv.
    Alias lines that match nothing are warned about and listed in `.attrs["unknown_aliases"]` (see `unknown_aliases`).
    Other keywords (engine, n_process, ...) go to `presslens.pipeline.analyze`.
    """
    from .pipeline import analyze

    if articles is None or len(articles) == 0:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    raw = analyze(articles, cache=cache, **analyze_kw)["mentions"].reindex(columns=MENTION_COLUMNS)
    if aliases is None:
        aliases = corpus_aliases_path(articles)
    al = _as_aliases(aliases)
    unknown = unknown_aliases(raw, al)
    for r in unknown.itertuples():
        warnings.warn(f"{r.source} line {r.line}: the alias {r.alias!r} (for {r.canonical!r}) matches no "
                      "mention in these articles; check its spelling", UserWarning, stacklevel=2)
    out = canonicalize(raw, al)
    out = out.astype({"start": int, "end": int, "sentence": int, "paragraph": int, "in_quote": bool})
    out.attrs["unknown_aliases"] = unknown.to_dict("records")  # records: a DataFrame in attrs breaks pandas concat
    return out


# ---------------------------------------------------------------------------------------------
# Per outlet: pure functions from the mentions table to the tables the notebook plots
# ---------------------------------------------------------------------------------------------

def _filter(m: pd.DataFrame, labels) -> pd.DataFrame:
    return m if not labels else m[m["label"].isin(list(labels))]


def article_mention_rates(m: pd.DataFrame, articles: pd.DataFrame, labels=("PERSON", "ORG")) -> pd.DataFrame:
    """Mentions of each entity per 1,000 words in every article of its outlet (0 where not named): one row per article x entity."""
    m = _filter(m, labels)
    if m.empty or articles is None or articles.empty:
        return pd.DataFrame(columns=ARTICLE_RATE_COLUMNS)
    counts = m.groupby(["article_id", "entity"]).size().rename("n_mentions").reset_index()
    label = m.groupby("entity")["label"].first()
    ents = m.groupby("outlet")["entity"].unique()
    rows = []
    for aid, outlet, n_words in zip(articles["article_id"], articles["outlet"], articles["n_words"]):
        for ent in ents.get(outlet, []):
            rows.append({"article_id": aid, "outlet": outlet, "entity": ent, "n_words": int(n_words or 0)})
    out = pd.DataFrame(rows, columns=["article_id", "outlet", "entity", "n_words"])
    out = out.merge(counts, on=["article_id", "entity"], how="left")
    out["n_mentions"] = out["n_mentions"].fillna(0).astype(int)
    out["label"] = out["entity"].map(label)
    out["per_1000_words"] = [1000 * n / w if w else float("nan") for n, w in zip(out["n_mentions"], out["n_words"])]
    return out[ARTICLE_RATE_COLUMNS]


def mention_rates(m: pd.DataFrame, articles: pd.DataFrame, labels=("PERSON", "ORG")) -> pd.DataFrame:
    """Per outlet and entity: mentions, mentions per 1,000 words (pooled over the outlet's articles) and
    the share of the outlet's articles that name the entity at least once."""
    m = _filter(m, labels)
    if m.empty or articles is None or articles.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    words = articles.groupby("outlet")["n_words"].sum()
    n_art = articles.groupby("outlet")["article_id"].nunique()
    g = m.groupby(["outlet", "entity"])
    out = pd.DataFrame({"label": g["label"].first(), "n_mentions": g.size(),
                        "n_articles": g["article_id"].nunique()}).reset_index()
    out["n_words"] = out["outlet"].map(words).astype(int)
    out["n_outlet_articles"] = out["outlet"].map(n_art).astype(int)
    out["per_1000_words"] = 1000 * out["n_mentions"] / out["n_words"].where(out["n_words"] > 0)
    out["share_of_articles"] = out["n_articles"] / out["n_outlet_articles"]
    return out.sort_values(["outlet", "n_mentions", "entity"], ascending=[True, False, True])[RATE_COLUMNS] \
        .reset_index(drop=True)


def top_entities(rates: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` entities most mentioned per 1,000 words in each outlet (rows of `mention_rates`)."""
    if rates.empty:
        return rates.copy()
    return (rates.sort_values(["outlet", "per_1000_words", "entity"], ascending=[True, False, True])
            .groupby("outlet", sort=True).head(n).reset_index(drop=True))


def first_mentions(m: pd.DataFrame, articles: pd.DataFrame, labels=("PERSON", "ORG")) -> pd.DataFrame:
    """Where each entity is first named in each article: paragraph index (0 = lead), and that index as a
    share of the article's paragraphs (0 = top, near 1 = bottom), with the first mention's offsets."""
    from .text import paragraph_spans

    m = _filter(m, labels)
    if m.empty:
        return pd.DataFrame(columns=FIRST_MENTION_COLUMNS)
    n_par = {aid: max(1, len(paragraph_spans(t if isinstance(t, str) else "")))
             for aid, t in zip(articles["article_id"], articles["text"])}
    first = m.sort_values("start").groupby(["article_id", "entity"], sort=False).first().reset_index()
    first["n_paragraphs"] = first["article_id"].map(n_par)
    first["first_position"] = first["paragraph"] / (first["n_paragraphs"] - 1).clip(lower=1)
    first = first.rename(columns={"paragraph": "first_paragraph", "start": "first_start", "end": "first_end",
                                  "surface": "first_surface"})
    return first.sort_values(["article_id", "first_start"])[FIRST_MENTION_COLUMNS].reset_index(drop=True)


def quote_voice(m: pd.DataFrame, labels=("PERSON", "ORG")) -> pd.DataFrame:
    """Per outlet and entity: mentions inside direct quotations vs in the outlet's own narration."""
    m = _filter(m, labels)
    if m.empty:
        return pd.DataFrame(columns=VOICE_COLUMNS)
    g = m.groupby(["outlet", "entity"])
    out = pd.DataFrame({"label": g["label"].first(), "n_mentions": g.size(),
                        "n_in_quote": g["in_quote"].sum().astype(int)}).reset_index()
    out["n_narration"] = out["n_mentions"] - out["n_in_quote"]
    out["share_in_quote"] = out["n_in_quote"] / out["n_mentions"]
    return out.sort_values(["outlet", "n_mentions", "entity"], ascending=[True, False, True])[VOICE_COLUMNS] \
        .reset_index(drop=True)


def cooccurrence(m: pd.DataFrame, labels=("PERSON", "ORG"), min_sentences: int = 1) -> pd.DataFrame:
    """Pairs of entities named in the same sentence: in how many sentences, articles and outlets."""
    m = _filter(m, labels)
    if m.empty:
        return pd.DataFrame(columns=COOCCURRENCE_COLUMNS)
    pairs = {}
    for (aid, outlet, _), g in m.groupby(["article_id", "outlet", "sentence"]):
        ents = sorted(set(g["entity"]))
        for i, a in enumerate(ents):
            for b in ents[i + 1:]:
                rec = pairs.setdefault((a, b), [0, set(), set()])
                rec[0] += 1
                rec[1].add(aid)
                rec[2].add(outlet)
    rows = [{"entity_a": a, "entity_b": b, "n_sentences": n, "n_articles": len(arts), "n_outlets": len(outs),
             "outlets": "; ".join(sorted(outs))} for (a, b), (n, arts, outs) in pairs.items() if n >= min_sentences]
    out = pd.DataFrame(rows, columns=COOCCURRENCE_COLUMNS)
    return out.sort_values(["n_sentences", "entity_a", "entity_b"], ascending=[False, True, True]).reset_index(drop=True)


def cooccurrence_matrix(pairs: pd.DataFrame, n: int = 12) -> pd.DataFrame:
    """Square table of shared sentences between the `n` entities with the most co-occurrences."""
    if pairs.empty:
        return pd.DataFrame()
    tot = pd.concat([pairs.groupby("entity_a")["n_sentences"].sum(),
                     pairs.groupby("entity_b")["n_sentences"].sum()]).groupby(level=0).sum()
    keep = tot.sort_values(ascending=False).head(n).index.tolist()
    mat = pd.DataFrame(0, index=keep, columns=keep)
    for a, b, k in zip(pairs["entity_a"], pairs["entity_b"], pairs["n_sentences"]):
        if a in mat.index and b in mat.index:
            mat.loc[a, b] = mat.loc[b, a] = k
    return mat


# ---------------------------------------------------------------------------------------------
# Figures (all through presslens.figures)
# ---------------------------------------------------------------------------------------------

def outlet_entity_estimates(article_rates: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Per outlet, its `n` most-named entities: mean mentions per 1,000 words over the outlet's articles with a
    95% percentile bootstrap interval, and the share of its articles naming the entity."""
    from .figures import outlet_estimates

    cols = ["outlet", "entity", "label", "n", "mean", "ci_low", "ci_high", "share_of_articles"]
    if article_rates.empty:
        return pd.DataFrame(columns=cols)
    frames = []
    for outlet, g in article_rates.groupby("outlet", sort=True):
        est = outlet_estimates(g, "per_1000_words", by="entity")
        share = g.groupby("entity")["n_mentions"].apply(lambda s: float((s > 0).mean()))
        est["share_of_articles"] = est["entity"].map(share)
        est["label"] = est["entity"].map(g.groupby("entity")["label"].first())
        est["outlet"] = outlet
        frames.append(est.sort_values(["mean", "entity"], ascending=[False, True]).head(n))
    return pd.concat(frames, ignore_index=True)[cols]


def plot_top_entities(article_rates: pd.DataFrame, figures_dir=None, n: int = 10,
                      slug: str = "01-top-entities-per-outlet"):
    """One panel per outlet: its `n` most-named people and organisations, mentions per 1,000 words
    (dot = mean over its articles, whisker = 95% bootstrap interval, hollow dot = one article)."""
    from .figures import new_figure, plot_estimates, save_figure

    est = outlet_entity_estimates(article_rates, n)
    outlets = sorted(est["outlet"].unique()) or ["(no mentions)"]
    fig, axes = new_figure("Who each outlet names most: people and organisations", nrows=1, ncols=len(outlets),
                           figsize=(4.2 * len(outlets) + 1, max(3.0, 0.4 * n + 1.5)), sharex=True)
    axes = list(np.atleast_1d(axes))
    for ax, outlet in zip(axes, outlets):
        d = est[est["outlet"] == outlet].reset_index(drop=True)
        if len(d):
            plot_estimates(ax, d, by="entity", color_by="outlet")
        ax.set_title(outlet, fontsize=10)
        ax.set_xlabel("mentions per 1,000 words")
        ax.set_xlim(left=0)
    save_figure(fig, slug, est, figures_dir)
    return fig, est


def plot_share_of_articles(rates: pd.DataFrame, figures_dir=None, n: int = 12,
                           slug: str = "01-share-of-articles-naming"):
    """Dots per entity and outlet: the share of the outlet's articles that name the entity at least once
    (labelled "k of N articles", so a share of one article is read as such)."""
    from .figures import new_figure, outlet_color, save_figure

    cols = ["entity", "outlet", "label", "n_articles", "n_outlet_articles", "share_of_articles"]
    ents = rates.groupby("entity")["n_articles"].sum().sort_values(ascending=False).head(n).index.tolist()
    d = rates[rates["entity"].isin(ents)][cols].copy()
    d["_order"] = d["entity"].map({e: i for i, e in enumerate(ents)})
    d = d.sort_values(["_order", "outlet"]).drop(columns="_order").reset_index(drop=True)
    fig, ax = new_figure("Which people and organisations each outlet's articles name",
                         xlabel="share of the outlet's articles naming them (%)",
                         figsize=(8.0, max(3.0, 0.45 * len(ents) + 1.5)))
    outlets = sorted(d["outlet"].unique())
    step = 0.7 / max(1, len(outlets))
    for k, outlet in enumerate(outlets):
        g = d[d["outlet"] == outlet]
        ys = [ents.index(e) + (k - (len(outlets) - 1) / 2) * step for e in g["entity"]]
        ax.scatter(100 * g["share_of_articles"], ys, color=outlet_color(outlet), label=outlet, zorder=3)
        for x, y, a, t in zip(100 * g["share_of_articles"], ys, g["n_articles"], g["n_outlet_articles"]):
            ax.annotate(f"{a} of {t}", (x, y), xytext=(5, 0), textcoords="offset points", va="center",
                        fontsize=7, color="#555555")
    ax.set_yticks(range(len(ents)))
    ax.set_yticklabels(ents)
    ax.set_xlim(0, 112)
    ax.invert_yaxis()
    if outlets:
        ax.legend(loc="lower right", fontsize=8)
    save_figure(fig, slug, d, figures_dir)
    return fig, d


def plot_first_mention(first: pd.DataFrame, figures_dir=None, n: int = 10, slug: str = "01-first-mention-paragraph"):
    """Dot and 95% bootstrap interval of the paragraph where each outlet first names the most-named entities."""
    from .figures import new_figure, outlet_estimates, plot_estimates, save_figure

    ents = first["entity"].value_counts().head(n).index.tolist()
    d = first[first["entity"].isin(ents)].copy()
    d["entity_outlet"] = d["entity"] + " | " + d["outlet"]
    est = outlet_estimates(d, "first_paragraph", by="entity_outlet") if len(d) else \
        pd.DataFrame(columns=["entity_outlet", "n", "mean", "ci_low", "ci_high"])
    est["entity"] = est["entity_outlet"].str.split(" | ", regex=False).str[0]
    est["outlet"] = est["entity_outlet"].str.split(" | ", regex=False).str[1]
    order = {e: i for i, e in enumerate(ents)}  # most-named first
    est = est.assign(_o=est["entity"].map(order)).sort_values(["_o", "outlet"]).drop(columns="_o").reset_index(drop=True)
    fig, ax = new_figure("How early each outlet first names each person or organisation",
                         xlabel="paragraph of first mention (0 = lead paragraph)",
                         figsize=(8.0, max(3.0, 0.35 * len(est) + 1.5)))
    if len(est):
        plot_estimates(ax, est, by="entity_outlet", color_by="outlet")
    save_figure(fig, slug, est[["entity", "outlet", "n", "mean", "ci_low", "ci_high"]], figures_dir)
    return fig, est


def plot_quote_voice(voice: pd.DataFrame, figures_dir=None, n: int = 10, slug: str = "01-mentions-in-quotes-vs-narration"):
    """Stacked bars per entity and outlet: mentions in the outlet's narration vs inside direct quotes."""
    from .figures import new_figure, outlet_color, save_figure

    tot = voice.groupby("entity")["n_mentions"].sum().sort_values(ascending=False, kind="stable").head(n)
    d = voice[voice["entity"].isin(tot.index)].assign(_o=lambda x: x["entity"].map({e: i for i, e in enumerate(tot.index)}))
    d = d.sort_values(["_o", "outlet"]).drop(columns="_o").reset_index(drop=True)
    fig, ax = new_figure("Who is named in the outlet's own words and who inside quotes",
                         xlabel="mentions (count)", figsize=(8.0, max(3.0, 0.35 * len(d) + 1.5)))
    ys = range(len(d))
    colors = [outlet_color(o) for o in d["outlet"]]
    ax.barh(list(ys), d["n_narration"], color=colors, label="narration")
    ax.barh(list(ys), d["n_in_quote"], left=d["n_narration"], color="white", edgecolor=colors, hatch="///",
            label="inside a direct quote")
    ax.set_yticks(list(ys))
    ax.set_yticklabels([f"{e} | {o}" for e, o in zip(d["entity"], d["outlet"])])
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    save_figure(fig, slug, d, figures_dir)
    return fig, d


def plot_cooccurrence(pairs: pd.DataFrame, figures_dir=None, n: int = 12, slug: str = "01-entities-named-together"):
    """Heat map: in how many sentences two people or organisations are named together."""
    from .figures import new_figure, save_figure

    mat = cooccurrence_matrix(pairs, n)
    fig, ax = new_figure("Which people and organisations are named in the same sentence",
                         figsize=(8.0, 6.5))
    if not mat.empty:
        im = ax.imshow(mat.values, cmap="Blues")
        ax.set_xticks(range(len(mat)))
        ax.set_xticklabels(mat.columns, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(mat)))
        ax.set_yticklabels(mat.index, fontsize=8)
        for i in range(len(mat)):
            for j in range(len(mat)):
                if mat.iat[i, j]:
                    ax.text(j, i, int(mat.iat[i, j]), ha="center", va="center", fontsize=7)
        fig.colorbar(im, ax=ax, label="sentences naming both (count)")
    data = mat.reset_index(names="entity") if not mat.empty else pd.DataFrame(columns=["entity"])
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def unknown_alias_table(m: pd.DataFrame) -> pd.DataFrame:
    """The alias lines `mentions()` could not match, as a table (UNKNOWN_ALIAS_COLUMNS; empty when all matched)."""
    return pd.DataFrame(getattr(m, "attrs", {}).get("unknown_aliases", []), columns=UNKNOWN_ALIAS_COLUMNS)
