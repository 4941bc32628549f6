"""Entity mentions (issue 3): who each outlet names, how often, how early, in quotes or in narration.

Per article (`mentions_from_doc`, called by presslens.pipeline on the one spaCy parse): spaCy's NER
(en_core_web_sm) plus the fixes news text needs, all driven by data files in presslens/data:
titles and honorifics move out of the name into `role` (titles.txt), possessives and a leading
"the" are dropped, photo credits never count (credit_patterns.txt), a bare surname takes the label
and the canonical name of the full name met in the same article (accent-insensitive), and names the
model missed are found again by matching the article's own names over its text.
Across the corpus (`mentions`): one canonical name per person or organisation in every outlet, from
the built-in aliases (known_aliases.csv), accent/"the"/country-prefix-insensitive matching, acronyms,
and the user's `aliases.csv` in the corpus folder, which overrides everything and can fix a label.
"""
from __future__ import annotations

import bisect
import csv
import re
import unicodedata
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

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
_MISC_LABELS = ("WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "FAC")
_DATA = Path(__file__).resolve().parent / "data"
_APOS = "'\u2019"
_LEADING_DETS = {"the", "a", "an"}
_SPEECH_LEMMAS = {"say", "tell", "add", "state", "write", "announce", "declare", "insist", "note",
                  "claim", "argue", "warn", "explain", "acknowledge", "deny", "confirm"}
# Words that end a non-person name: a person span never stops on one of these.
_NAME_STOP = {"prize", "award", "awards", "party", "department", "ministry", "news", "house", "agency",
              "council", "committee", "office", "court", "university", "bank", "company", "corp", "inc",
              "group", "foundation", "institute", "association", "union", "times", "post", "journal"}
_COUNTRY_PREFIXES = ("us ", "u s ", "american ", "federal ", "venezuelan ", "british ", "uk ")


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


def fold(s: str) -> str:
    """`s` without accents, same length (so offsets survive): "Rodríguez" -> "Rodriguez", curly ' -> '."""
    out = []
    for c in s:
        if c == "\u2019":
            out.append("'")
        elif ord(c) < 128:
            out.append(c)
        else:
            d = unicodedata.normalize("NFD", c)
            out.append(d[0] if d and ord(d[0]) < 128 else c)
    return "".join(out)


def name_key(name: str) -> str:
    """Matching key of a name: no accents, case, periods, leading "the" or possessive ("The U.S." -> "us")."""
    if not isinstance(name, str):
        return ""
    k = fold(name).lower()
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


def quote_mark_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of text between paired double quotation marks, paragraph by paragraph."""
    from .text import paragraph_spans

    out = []
    for a, b in paragraph_spans(text):
        opened = None
        for i in range(a, b):
            c = text[i]
            if c == "\u201c" or (c == '"' and opened is None):
                opened = i
            elif (c == "\u201d" or c == '"') and opened is not None:
                out.append((opened, i + 1))
                opened = None
        if opened is not None:  # a quote running to the paragraph end (continued next paragraph)
            out.append((opened, b))
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _trim(doc, i: int, j: int) -> tuple[int, int]:
    """Token range without a leading determiner/punctuation or a trailing possessive/punctuation."""
    while i < j and (doc[i].lower_ in _LEADING_DETS or doc[i].is_punct or doc[i].is_space):
        i += 1
    while j > i and (doc[j - 1].lower_ in ("'s", "\u2019s", "'", "\u2019") or doc[j - 1].is_punct
                     or doc[j - 1].is_space):
        j -= 1
    return i, j


def _is_titleword(tok) -> bool:
    return tok.lower_ in title_words() or tok.lower_.rstrip(".") in title_words()


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
        if ch.dep_ == "appos" and ch.i >= j and ch.pos_ == "NOUN":
            a, b = ch.left_edge.i, ch.right_edge.i + 1
            if b - a <= 10 and a > j - 1:
                return doc[a:b].text.strip(" ,")
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < i:
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
        if label not in LABELS:
            if label in _MISC_LABELS:
                sp = _speaker_person(doc, ent)
                if sp:
                    out.append(_cand(doc, sp[0], sp[1], "PERSON", _role_left(doc, sp[0])))
            continue
        i, j = _trim(doc, i, j)
        role_start = None
        if label == "PERSON":
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
        # A one-word ORG/GPE that is part of a title ("Interior" in "Interior Secretary Doug Burgum").
        if label != "PERSON" and j - i == 1 and j < len(doc) and _is_titleword(doc[j]) \
                and doc[i].lower_ in title_words():
            continue
        left = _role_left(doc, role_start if role_start is not None else i)
        out.append(_cand(doc, i, j, label, left))
    return out


def _cand(doc, i: int, j: int, label: str, role_start: int) -> dict:
    span = doc[i:j]
    role = doc[role_start:i].text.strip(" ,") if role_start < i and label == "PERSON" else None
    if label == "PERSON" and not role:
        role = _role_appos(doc, i, j)
    return {"label": label, "surface": span.text, "start": span.start_char, "end": span.end_char,
            "role": role or None, "i": i, "j": j}


def _person_groups(cands: list[dict]) -> dict[str, str]:
    """{folded lower-case full name: display name}: the accented variant of each full name in the article."""
    best: dict[str, str] = {}
    for c in cands:
        if c["label"] == "PERSON" and len(c["surface"].split()) >= 2:
            k = name_key(c["surface"])
            cur = best.get(k)
            if cur is None or _accent_score(c["surface"]) > _accent_score(cur):
                best[k] = c["surface"]
    return best


def _accent_score(s: str) -> int:
    return sum(1 for ch in s if ord(ch) > 127)


def _link_person(key: str, start: int, fulls: list[tuple[int, str]]) -> str | None:
    """Full-name key that a short form links to: the latest one before `start` with that token, else the first after."""
    toks = key.split()
    before, after = None, None
    for pos, full in fulls:
        ft = full.split()
        ok = (len(toks) == 1 and (toks[0] == ft[-1] or toks[0] == ft[0])) or \
             (len(toks) > 1 and len(toks) < len(ft) and ft[-len(toks):] == toks)
        if not ok:
            continue
        if pos <= start:
            before = full
        elif after is None:
            after = full
    return before or after


def _scan_missed(doc, names: dict[str, str], taken: list[tuple[int, int]]) -> list[dict]:
    """Occurrences of the article's own names (full, surname) the model missed, accent-insensitive."""
    text = fold(doc.text)
    out = []
    for surface, label in names.items():
        pat = re.compile(r"(?<![\w.])" + re.escape(fold(surface)) + r"(?![\w])")
        for m in pat.finditer(text):
            a, b = m.start(), m.end()
            if _overlaps(taken, a, b):
                continue
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None:
                continue
            left = _role_left(doc, span.start) if label == "PERSON" else span.start
            c = _cand(doc, span.start, span.end, label, left)
            c["surface"], c["start"], c["end"] = doc.text[a:b], a, b
            out.append(c)
            taken.append((a, b))
    return out


def mentions_from_doc(doc, quotes: list[dict]) -> list[dict]:
    """One dict per entity mention (DOC_COLUMNS), offsets into doc.text; `entity` canonical within the article."""
    from .text import paragraph_index, paragraph_spans

    text = doc.text
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
    person_keys = {name_key(c["surface"]) for c in cands if c["label"] == "PERSON"}
    for c in cands:
        k = name_key(c["surface"])
        if c["label"] != "PERSON" and k and len(k.split()) <= 2 and (
                k in person_keys or _link_person(k, c["start"], fulls)):
            c["label"] = "PERSON"
            if not c["role"]:
                c["role"] = doc[_role_left(doc, c["i"]):c["i"]].text.strip(" ,") or None
    # Names the model missed: the article's own surnames and organisation names, found again.
    names = {s: "PERSON" for s in surnames}
    names.update({fulls_display[k]: "PERSON" for k in fulls_display})
    for c in cands:
        if c["label"] == "PERSON" and len(c["surface"].split()) == 1:
            names.setdefault(c["surface"], "PERSON")
        elif c["label"] == "ORG" and len(c["surface"]) > 3 and c["surface"][0].isupper():
            names.setdefault(c["surface"], "ORG")
    taken = [(c["start"], c["end"]) for c in cands] + credits
    extra = _scan_missed(doc, dict(sorted(names.items(), key=lambda kv: -len(kv[0]))), taken)
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
                full = _link_person(key, c["start"], fulls)
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
    """Alias lines that match no mention (by surface or entity name, accent/case-insensitive): likely typos."""
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
    acronyms = {}
    for k in org_keys:
        if len(k.split()) >= 2:
            acronyms.setdefault(_initials(k), set()).add(k)

    def auto(key: str, label: str) -> str:
        if label == "PERSON" and len(key.split()) == 1 and len(by_last.get(key, ())) == 1:
            return next(iter(by_last[key]))
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
    for skey, ekey, lab in zip(m["_skey"], m["_ekey"], m["label"]):
        key = auto(ekey, lab)
        hit = user_map.get(skey) or user_map.get(ekey) or user_map.get(key) \
            or base_map.get(ekey) or base_map.get(key)
        canon.append(hit[0] if hit else None)
        labels.append(hit[1] if hit else None)
        keys.append(name_key(hit[0]) if hit else key)
    m["_alias_canon"], m["_alias_label"], m["_key"] = canon, labels, keys
    m = m[m["_alias_canon"] != IGNORE].copy()

    # Display name and label per key.
    display, label_of = {}, {}
    for key, g in m.groupby("_key", sort=False):
        fixed = g["_alias_canon"].dropna()
        if len(fixed):
            display[key] = fixed.mode().iloc[0]
        else:
            counts = g["entity"].value_counts()
            person = (g["label"] == "PERSON").mean() >= 0.5
            # People: the accented, fullest spelling; organisations: the most frequent form.
            display[key] = sorted(counts.index, key=lambda s: (-_accent_score(s), -len(s), -counts[s]) if person
                                  else (-counts[s], -_accent_score(s), -len(s)))[0]
        fixed_lab = g["_alias_label"].dropna()
        if len(fixed_lab):
            label_of[key] = fixed_lab.iloc[-1]
        else:
            lc = g["label"].value_counts()
            label_of[key] = sorted(lc.index, key=lambda x: (-lc[x], _LABEL_ORDER.get(x, 9)))[0]
    m["entity"] = m["_key"].map(display)
    m["label"] = m["_key"].map(label_of)
    return m.drop(columns=[c for c in m.columns if c.startswith("_")]).reset_index(drop=True)[cols]


def mentions(articles: pd.DataFrame, aliases=None, cache: bool = True) -> pd.DataFrame:
    """Entity mentions of a corpus (MENTION_COLUMNS), one row per mention, canonical names across outlets.

    `aliases`: a path or table in the aliases.csv format; by default the corpus folder's aliases.csv.
    Alias lines that match nothing are warned about and listed in `.attrs["unknown_aliases"]`.
    """
    from .pipeline import analyze

    if articles is None or len(articles) == 0:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    raw = analyze(articles, cache=cache)["mentions"].reindex(columns=MENTION_COLUMNS)
    if aliases is None:
        aliases = corpus_aliases_path(articles)
    al = _as_aliases(aliases)
    unknown = unknown_aliases(raw, al)
    for r in unknown.itertuples():
        warnings.warn(f"{r.source} line {r.line}: the alias {r.alias!r} (for {r.canonical!r}) matches no "
                      "mention in these articles; check its spelling", UserWarning, stacklevel=2)
    out = canonicalize(raw, al)
    out = out.astype({"start": int, "end": int, "sentence": int, "paragraph": int, "in_quote": bool})
    out.attrs["unknown_aliases"] = unknown
    return out
