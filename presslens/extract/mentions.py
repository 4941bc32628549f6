"""Entity mentions of one article: cleaned candidates linked into entities, Doc -> rows.

The candidates come from `candidates` (spaCy's NER with the fixes news text needs). Here they become
entities within the article: a surname or short form takes the label and canonical name of the full
name met in the same article (accent-insensitive; forward only when no built-in alias claims it; a
middle initial or a short given name ("Kitt" for "Kittredge") does not make another person); a short form of an
organisation takes its long name ("Otters" -> "Springfield Otters", "Ledger" -> "Northern Ledger", an
acronym defined in parentheses or made of the name's initials); a lone common word capitalised is no
name; mentions inside photo credits, bylines and captions never count; and names the model missed are
found again by matching the article's own names, their acronyms and the built-in multi-word names over
the text. Corpus-wide names are decided above this layer (presslens.canon).
"""
from __future__ import annotations

import bisect
import re

from ..names import (
    NICKNAME_RE,
    accent_score,
    builtin_keys,
    fold,
    gazetteer,
    link_person,
    name_key,
    one_edit_apart,
    typo_variant,
)
from ..text import doc_text, paragraph_index, paragraph_spans
from .candidates import Candidate, Taken, candidates, make, role_left, role_text
from .credits import credit_spans
from .entity_rules import lone_common_word
from .voice import is_inside, quoted_spans

DOC_COLUMNS = ["entity", "label", "surface", "start", "end", "sentence", "paragraph", "in_quote", "role"]
HONORIFIC_ROLES = {"Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms"}
# A given name this long or longer may be shortened ("Kitt" for "Kittredge"); shorter ones are names of their own.
MIN_SHORT_GIVEN_NAME = 4
# Corporate suffixes and web endings an organisation's name may carry or drop ("Acme.com Inc" = "Acme").
CORPORATE_SUFFIXES = ("inc", "corp", "co", "ltd", "llc", "plc", "com", "group")
# Initials of an organisation's name, small words included or not ("Department of Health" -> "DOH" or "DH").
SMALL_WORDS = {"of", "the", "and", "for", "on", "de", "&"}
WEB_ENDING_RE = re.compile(r"\.(?:com|org|net)\b")
ACRONYM_DEF_RE = re.compile(r"\s*\(([A-Z][A-Za-z&.]{1,9})\)")


def _person_groups(cands: list[Candidate]) -> dict[str, str]:
    """{folded lower-case full name: display name}: the accented variant of each full name in the article,
    with nicknames, shorter full names ("De Blasio") and middle initials ("Jane Q. Doe") linked."""
    best: dict[str, str] = {}
    for c in cands:
        if c.label == "PERSON" and len(c.surface.split()) >= 2:
            k = name_key(c.surface)
            name = " ".join(NICKNAME_RE.sub(" ", c.surface).split())
            cur = best.get(k)
            if cur is None or accent_score(name) > accent_score(cur):
                best[k] = name
    # The nickname with the surname names the same person: "Bobby Scott" = Robert C. "Bobby" Scott.
    for c in cands:
        nick = NICKNAME_RE.search(c.surface) if c.label == "PERSON" else None
        full = best.get(name_key(c.surface)) if nick else None
        if full is not None:  # a one-word surface ('Robert"Bobby"Scott') has no full-name entry
            alias = name_key(nick.group(0).strip(" \"\u201c\u201d") + " " + c.surface.split()[-1])
            best[alias] = full
    # A middle initial does not make another person: "Jane Q. Doe" = "Jane Doe" when both occur.
    for k in list(best):
        toks = k.split()
        plain = " ".join(t for t in toks[1:-1] if len(t) > 1)
        short = " ".join(x for x in (toks[0], plain, toks[-1]) if x)
        if len(toks) >= 3 and short != k and short in best:
            best[k] = best[short]
    # A one-letter misspelling of a name met earlier in the article is that person ("Harriet Vanse"/"Harriet Vance").
    keys = list(best)
    for n, k in enumerate(keys):
        earlier = [x for x in keys[:n] if typo_variant(k, x)]
        if len(earlier) == 1:
            best[k] = best[earlier[0]]
    # A shorter full name that ends a longer one is that person ("De Blasio" -> "Bill de Blasio").
    for k in list(best):
        longer = [x for x in best if len(x.split()) > len(k.split()) and x.split()[-len(k.split()):] == k.split()]
        if len({best[x] for x in longer}) == 1:
            best[k] = best[longer[0]]
    return best


def _short_given_name(key: str, fulls: dict[str, str]) -> str | None:
    """The one full name whose given name starts with a lone word ("Kitt" -> "Kittredge Moss")."""
    if " " in key or len(key) < MIN_SHORT_GIVEN_NAME - 1:
        return None
    hits = {v for k, v in fulls.items() if k.split()[0] != key and k.split()[0].startswith(key)
            and len(k.split()[0]) >= MIN_SHORT_GIVEN_NAME}
    return next(iter(hits)) if len(hits) == 1 else None


def _org_key(surface: str) -> str:
    """An organisation's key without a corporate suffix or web ending ("Acme.com Inc" -> "acme")."""
    toks = name_key(WEB_ENDING_RE.sub("", surface)).split()
    while len(toks) > 1 and toks[-1] in CORPORATE_SUFFIXES:
        toks.pop()
    return " ".join(toks)


def acronyms_of(key: str) -> set[str]:
    """Initials an organisation's name may be written as: all words, without small words, or of a tail
    of the name ("northfield state department of health" -> "nsdoh", "nsdh", "doh", "dh", ...)."""
    toks = key.split()
    out = set()
    for a in range(len(toks)):
        tail = toks[a:]
        if len(tail) < 2 or tail[0] in SMALL_WORDS:
            continue
        out.add("".join(w[0] for w in tail))
        out.add("".join(w[0] for w in tail if w not in SMALL_WORDS))
    return {x for x in out if len(x) >= 2}


def _org_forms(doc, text: str, cands: list[Candidate]) -> dict[str, str]:
    """{key of a short form: long name} of the article's organisations: an acronym defined in parentheses
    ("Centers for Disease Control and Prevention (CDC)"), the initials of a name, the tail of a name
    ("Otters", "Sea Otters", "Ledger"), a name without its corporate suffix, a city written by its initials
    ("SF Otters"). A short form that could stand for two names is left alone."""
    longs = [c for c in cands if c.label == "ORG" and len(c.surface.split()) >= 2]
    # key -> the long names claiming it, in the order the article writes them (a dict, not a set: of two
    # spellings of one length, "Acme's" and "Acme’s", the first one written wins, whatever the hash seed)
    claims: dict[str, dict[str, None]] = {}

    def claim(k: str, long: str):
        if k and k != name_key(long):
            claims.setdefault(k, {})[long] = None

    for c in longs:
        k = name_key(c.surface)
        m = ACRONYM_DEF_RE.match(text, c.end)
        if m:
            claim(name_key(m.group(1)), c.surface)
        for a in acronyms_of(k):
            if len(a) >= 3 or k.split()[0] not in SMALL_WORDS:
                claim(a, c.surface)
        toks = k.split()
        for n in range(1, len(toks)):
            tail = toks[n:]
            if tail[0] not in SMALL_WORDS:
                claim(" ".join(tail), c.surface)
    # "SF Otters" / "San Francisco Otters": the same name with its first words written as initials.
    longs = list({name_key(c.surface): c for c in longs}.values())
    for c in longs:
        toks = name_key(c.surface).split()
        for d in longs:
            dt = name_key(d.surface).split()
            if len(toks) >= 2 and len(dt) > len(toks) and toks[1:] == dt[-(len(toks) - 1):] \
                    and toks[0] == "".join(w[0] for w in dt[:len(dt) - len(toks) + 1]):
                claim(name_key(c.surface), d.surface)
    # Longest name wins a claim shared by a name and its own longer form ("Sea Otters" / "Springfield Sea Otters").
    out = {}
    for k, longs_of in claims.items():
        top = max(longs_of, key=len)
        if all(name_key(top).endswith(name_key(x)) for x in longs_of):
            out[k] = top
    # A name with a corporate suffix is the plain name the article also uses ("Acme.com Inc" -> "Acme"),
    # whatever label the model gave the plain name.
    plain = {name_key(c.surface): c.surface for c in cands if c.label in ("ORG", "PERSON", "GPE")}
    for c in longs:
        k = _org_key(c.surface)
        if k != name_key(c.surface) and k in plain:
            out[name_key(c.surface)] = out[k] = out.get(k, plain[k])
    return out


def _modifier_word(doc, c: Candidate, fulls_display: dict[str, str]) -> bool:
    """A lone capitalised word read as a person that only names a kind of thing ("Javelin missiles"): a
    modifier of a plural common noun, not the name or surname of anyone the article names in full, nor a
    built-in name."""
    if c.label != "PERSON" or c.j - c.i != 1 or c.j >= len(doc):
        return False
    t, head = doc[c.i], doc[c.j]
    key = name_key(c.surface)
    return t.dep_ == "compound" and t.head.i == head.i and head.tag_ == "NNS" and head.is_lower \
        and not any(key in k.split() for k in fulls_display) and key not in builtin_keys()


def _drop_common_words(doc, cands: list[Candidate], keep: set[str]) -> list[Candidate]:
    """Candidates without lone common words capitalised ("State inspectors", "Retail stores")."""
    text = doc_text(doc)
    return [c for c in cands if name_key(c.surface) in keep or c.label not in ("PERSON", "ORG")
            or not lone_common_word(doc, c.i, c.j, text)]


def _whole_name_spans(needle: str, text: str) -> list[tuple[int, int]]:
    r"""(start, end) of each occurrence of `needle` in `text` as a whole name, left to right without
    overlaps: not inside a word, not after a period ("U.S." is not "S."). The same matches as the
    regex (?<![\w.])needle(?!\w), found with str.find: a pattern that opens with a look-behind gets
    no literal-prefix search in Python's re and tries every position of the text."""
    out: list[tuple[int, int]] = []
    i = text.find(needle) if needle else -1
    while i >= 0:
        j = i + len(needle)
        before, after = text[i - 1:i], text[j:j + 1]
        if not (before and (before.isalnum() or before in "_.")) and not (after and (after.isalnum() or after == "_")):
            out.append((i, j))
            i = text.find(needle, j)
        else:
            i = text.find(needle, i + 1)
    return out


def _scan_missed(doc, text: str, names: dict[str, str], taken: Taken) -> list[Candidate]:
    """Occurrences of the article's own names (full, surname) the model missed, accent-insensitive
    (`text`: the article's text as `fold` gives it)."""
    raw = doc_text(doc)
    out = []
    for surface, label in names.items():
        needle = fold(surface)
        if needle not in text:  # a plain substring test first: most names occur only where the model found them
            continue
        for a, b in _whole_name_spans(needle, text):
            if taken.overlaps(a, b):
                continue
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or (len(span) == 1 and span[0].is_sent_start and span[0].pos_ != "PROPN"):
                continue  # "Little is known": a surname that is also a word, capitalised by the sentence
            left = role_left(doc, span.start) if label == "PERSON" else span.start
            c = make(doc, span.start, span.end, label, left)
            c.surface, c.start, c.end = raw[a:b], a, b
            out.append(c)
            taken.add(a, b)
    return out


def _inside_longer(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside a longer one of the sorted `spans`."""
    k = bisect.bisect_right(spans, (start, float("inf")))
    return any(a <= start and end <= b and end - start < b - a for a, b in spans[max(0, k - 8):k])


def mentions_from_doc(doc, quotes: list[dict]) -> list[dict]:
    """One dict per entity mention (DOC_COLUMNS), offsets into doc.text; `entity` canonical within the article."""
    text = doc_text(doc)
    if not text or not text.strip():
        return []
    cands = candidates(doc)
    credits = credit_spans(text)
    in_credit = Taken(len(text), credits)
    cands = [c for c in cands if not in_credit.overlaps(c.start, c.end)]

    # Persons: full names, with one display form per accent-folded key.
    fulls_display = _person_groups(cands)
    for c in cands:  # "Chief (Owen) Marsh": the surname with the given name set apart is the full name
        if c.given_name and name_key(c.surface) not in fulls_display:
            full = f"{c.given_name} {c.surface}"
            fulls_display.setdefault(name_key(full), full)
            fulls_display[name_key(c.surface)] = fulls_display[name_key(full)]
    fulls = sorted((c.start, name_key(c.surface)) for c in cands if c.label == "PERSON" and len(c.surface.split()) >= 2)
    surnames = {fulls_display[k].split()[-1] for k in fulls_display}
    org_forms = _org_forms(doc, text, cands)
    keep = {name_key(s) for s in surnames} | set(org_forms) | {name_key(a) for a in gazetteer()}
    cands = _drop_common_words(doc, cands, keep)

    # Relabel: a short form of one of the article's organisations is that organisation ("Otters" read as a
    # person); any span whose text is a person's surname/short form, or is labelled PERSON elsewhere in this
    # article, is that person ("Maduro" tagged ORG).
    votes: dict[str, list[str]] = {}
    for c in cands:
        votes.setdefault(name_key(c.surface), []).append(c.label)
    person_keys = {k for k, v in votes.items() if 2 * v.count("PERSON") > len(v)}
    for c in cands:
        k = name_key(c.surface)
        if k in org_forms and c.label in ("PERSON", "ORG") and not any(x.split()[-1] == k for x in fulls_display):
            c.label, c.role = "ORG", None
        elif c.label != "PERSON" and _short_given_name(k, fulls_display):
            c.label = "PERSON"  # "Kitt" read as an organisation, where the article names Kittredge Moss
        elif c.label != "PERSON" and k and len(k.split()) <= 2 and k.upper() != c.surface.replace(".", "") and (
                k in person_keys or link_person(k, c.start, fulls, first_names=False)
                or " " not in k and any(one_edit_apart(k, x.split()[-1]) for x in fulls_display)):
            c.label = "PERSON"  # an all-caps name ("NATO", "FBI") is never relinked to a person by surname
            if not c.role:
                c.role = role_text(doc, role_left(doc, c.i), c.i)
    cands = [c for c in cands if not _modifier_word(doc, c, fulls_display)]
    # Names the model missed: the article's own surnames and organisation names, found again.
    names = {s: "PERSON" for s in surnames}
    names.update({fulls_display[k]: "PERSON" for k in fulls_display})
    for c in cands:
        if c.label == "PERSON" and len(c.surface.split()) == 1:
            names.setdefault(c.surface, "PERSON")
        elif c.label == "ORG" and len(c.surface) > 3 and c.surface[0].isupper():
            names.setdefault(c.surface, "ORG")
    # Acronyms of the article's own organisations ("Christian News Service" ... "CNS"), and the built-in
    # multi-word names and acronyms (data/known_aliases.csv: "Islamic State", "FBI") the model missed.
    for c in list(cands):
        if c.label == "ORG" and len(c.surface.split()) >= 3:
            ini = "".join(w[0] for w in c.surface.split() if w[0].isupper())
            if len(ini) >= 3:
                names.setdefault(ini, "ORG")
    for c in list(cands):  # "Centers for Disease Control and Prevention (CDC)": the acronym it defines
        d = ACRONYM_DEF_RE.match(text, c.end) if c.label == "ORG" else None
        if d:
            names.setdefault(d.group(1), "ORG")
    folded = fold(text)
    known: list[tuple[int, int]] = []
    for alias, label in gazetteer().items():
        names.setdefault(alias, label)
        if " " in alias and fold(alias) in folded:  # a known name beats the model's shorter piece of it
            known += [mt.span() for mt in re.finditer(r"(?<!\w)" + re.escape(fold(alias)) + r"(?!\w)", folded)]
    if known:
        starts = sorted(known)
        cands = [c for c in cands if not _inside_longer(starts, c.start, c.end)]
    taken = Taken(len(text), [(c.start, c.end) for c in cands] + credits)
    extra = _scan_missed(doc, folded, dict(sorted(names.items(), key=lambda kv: -len(kv[0]))), taken)
    cands = sorted(cands + extra, key=lambda c: c.start)
    return _rows(doc, text, cands, quotes, fulls_display, fulls, org_forms)


def _entity_of(c: Candidate, fulls_display: dict[str, str], fulls: list[tuple[int, str]],
               org_forms: dict[str, str]) -> str:
    """The canonical name of a candidate within its article."""
    key = name_key(c.surface)
    if c.label == "ORG":
        return org_forms.get(key, c.surface)
    if c.label != "PERSON":
        return c.surface
    if key in fulls_display:
        return fulls_display[key]
    honorific = (c.role or "").split()[-1:] and (c.role or "").split()[-1] in HONORIFIC_ROLES
    # A famous surname ("Obama") met before any full name is that person (built-in aliases), not a
    # namesake named further down ("Michelle Obama").
    full = link_person(key, c.start, fulls, first_names=not honorific, forward=key not in builtin_keys())
    if full:
        return fulls_display[full]
    short = _short_given_name(key, fulls_display) if not honorific else None
    if short:
        return short
    if " " not in key and not honorific:  # a given name met before its full name: the one person with it
        named = {v for k, v in fulls_display.items() if k.split()[0] == key}
        if len(named) == 1:
            return next(iter(named))
    if " " not in key:  # a surname misspelt by one letter: the one person whose surname it nearly is
        near = {v for k, v in fulls_display.items() if one_edit_apart(key, k.split()[-1])}
        if len(near) == 1:
            return next(iter(near))
    return c.surface


def _rows(doc, text: str, cands: list[Candidate], quotes: list[dict], fulls_display, fulls, org_forms) -> list[dict]:
    paras = paragraph_spans(text)
    sent_starts = [s.start_char for s in doc.sents]
    quoted = quoted_spans(text, quotes)
    rows = []
    for c in cands:
        if not name_key(c.surface):
            continue
        rows.append({"entity": _entity_of(c, fulls_display, fulls, org_forms), "label": c.label,
                     "surface": c.surface, "start": c.start, "end": c.end,
                     "sentence": max(0, bisect.bisect_right(sent_starts, c.start) - 1),
                     "paragraph": paragraph_index(paras, c.start),
                     "in_quote": is_inside(quoted, c.start, c.end), "role": c.role})
    return rows
