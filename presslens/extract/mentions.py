"""Entity mentions of one article: spaCy's NER plus the fixes news text needs, Doc -> rows.

spaCy's NER (en_core_web_sm 3.8.0) finds the candidates; data files in presslens/data drive the
fixes: titles and honorifics move out of the name into `role` (titles.txt); possessives, a leading
"the", editing brackets and party tags ("D-Va.") are dropped; photo credits, captions and wire
datelines never count (credit_patterns.txt); title-case headline lines are not read as names; a
surname or short form takes the label and canonical name of the full name met in the same article
(accent-insensitive; forward only when no built-in alias claims it); and names the model missed are
found again by matching the article's own names, their acronyms and the built-in multi-word names
over the text. Corpus-wide names are decided above this layer (presslens.canon).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..names import (
    NICKNAME_RE,
    accent_score,
    builtin_keys,
    data_lines,
    fold,
    gazetteer,
    is_title_word,
    link_person,
    name_key,
)
from ..text import doc_text, paragraph_index, paragraph_spans
from .cues import reporting_verbs
from .voice import is_inside, quoted_spans

DOC_COLUMNS = ["entity", "label", "surface", "start", "end", "sentence", "paragraph", "in_quote", "role"]

# Labels kept from the model: people, organisations, countries/cities, nationalities/groups, places.
LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
# Labels whose spans the small model sometimes puts around a person ("Nobel Peace Prize María Corina Machado").
_MISC_LABELS = ("WORK_OF_ART", "EVENT", "PRODUCT", "LAW")
_LEADING_DETS = {"the", "a", "an"}
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


@lru_cache(maxsize=None)
def credit_patterns() -> tuple[re.Pattern, ...]:
    """Compiled photo-credit patterns (data/credit_patterns.txt)."""
    return tuple(re.compile(p.strip()) for p in data_lines("credit_patterns.txt"))




# ---------------------------------------------------------------------------------------------

def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of photo credits in `text`, and of whole paragraphs that end with one (captions)."""
    spans = []
    for pat in credit_patterns():
        spans.extend((m.start(), m.end()) for m in pat.finditer(text))
    for a, b in paragraph_spans(text):
        if any(a <= s < b and e >= b - 2 for s, e in spans):
            spans.append((a, b))
    return sorted(spans)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


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
    return is_title_word(tok.lower_)


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
        return t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ in reporting_verbs()

    nxt = doc[ent.end] if ent.end < len(doc) else None
    if not (speaks(root) or (root.dep_ == "appos" and speaks(root.head))
            or (nxt is not None and nxt.lemma_ in reporting_verbs() and nxt.pos_ == "VERB")):
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
           or not is_inside(roles, c["start"], c["end"])]
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
            name = " ".join(NICKNAME_RE.sub(" ", c["surface"]).split())
            cur = best.get(k)
            if cur is None or accent_score(name) > accent_score(cur):
                best[k] = name
    # The nickname with the surname names the same person: "Bobby Scott" = Robert C. "Bobby" Scott.
    for c in cands:
        nick = NICKNAME_RE.search(c["surface"]) if c["label"] == "PERSON" else None
        if nick:
            alias = name_key(nick.group(0).strip(" \"\u201c\u201d") + " " + c["surface"].split()[-1])
            best[alias] = best[name_key(c["surface"])]
    # A shorter full name that ends a longer one is that person ("De Blasio" -> "Bill de Blasio").
    for k in list(best):
        longer = [x for x in best if len(x.split()) > len(k.split()) and x.split()[-len(k.split()):] == k.split()]
        if len(longer) == 1:
            best[k] = best[longer[0]]
    return best



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
                k in person_keys or link_person(k, c["start"], fulls, first_names=False)):
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
    for alias, label in gazetteer().items():
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
    quoted = quoted_spans(text, quotes)
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
                full = link_person(key, c["start"], fulls, first_names=not honorific,
                                    forward=key not in builtin_keys())
                if full:
                    entity = fulls_display[full]
        rows.append({"entity": entity, "label": c["label"], "surface": c["surface"], "start": c["start"],
                     "end": c["end"], "sentence": max(0, bisect.bisect_right(sent_starts, c["start"]) - 1),
                     "paragraph": paragraph_index(paras, c["start"]),
                     "in_quote": is_inside(quoted, c["start"], c["end"]), "role": c["role"]})
    return rows

