"""Names: the one place where names are folded, compared and linked.

Every table that compares names (per-article mentions, speakers, corpus-wide canonical names, alias
files, word choice) uses these functions, so "Rodríguez" and "Rodriguez's" are the same key everywhere.
Titles and honorifics are data (data/titles.txt); aliases are data (data/known_aliases.csv and a
corpus's own aliases.csv, one format).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DATA_DIR

ALIAS_COLUMNS = ["source", "line", "canonical", "label", "alias"]
IGNORE = "IGNORE"  # canonical name of an alias line whose names are dropped from every table
# Honorifics and their grammatical gender (English usage): the article's own evidence of a person's gender.
HONORIFIC_GENDER = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female", "sir": "male",
                    "madam": "female", "dame": "female", "lady": "female", "lord": "male"}
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "madam"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words skipped when taking the initials of a name ("Federal Bureau of Investigation" -> "fbi").
INITIALS_SKIP = frozenset({"of", "the", "and", "for", "on", "de"})
# Words shorter than this are never called typos of each other ("Lee"/"Lea" are two names).
MIN_TYPO_WORD = 5
NICKNAME_RE = re.compile(r"\s*[\"\u201c\u201d][^\"\u201c\u201d]{1,20}[\"\u201c\u201d]\s*")
_LABEL_RE = re.compile(r"^label\s*=\s*([A-Z_]+)$")
_POSSESSIVE_RE = re.compile(r"['\u2019]s?$")
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+")
_PUNCT_RE = re.compile(r"[^\w&]+")


def data_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file in presslens/data (empty when the file is absent)."""
    p = DATA_DIR / name
    if not p.exists():
        return []
    return [ln.rstrip("\n") for ln in p.read_text(encoding="utf8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def title_words() -> frozenset[str]:
    """Lower-cased words that are titles or honorifics, never part of a name (data/titles.txt)."""
    return frozenset(w.strip().lower() for w in data_lines("titles.txt"))


def is_title_word(word: str) -> bool:
    """Whether a single word is a title or honorific ("Secretary", "Sen.", "Mr")."""
    w = word.lower()
    return w in title_words() or w.rstrip(".") in title_words()


class _FoldTable(dict):
    """str.translate table for `fold`, filled one character at a time as characters are met."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in "\u2019\u2018":
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
    k = fold(NICKNAME_RE.sub(" ", name)).lower().strip()
    k = _POSSESSIVE_RE.sub("", k)
    k = _ARTICLE_RE.sub("", k)
    k = k.replace(".", "").replace("'", "")
    k = _PUNCT_RE.sub(" ", k)
    return " ".join(k.split())


def name_tokens(name) -> list[str]:
    """Comparable words of a person's name: its `name_key` words without honorifics or suffixes."""
    return list(_name_tokens(name)) if isinstance(name, str) else []


@lru_cache(maxsize=1 << 16)  # speaker linking compares each quote's speaker with every mention of its article
def _name_tokens(name: str) -> tuple[str, ...]:
    toks = [t for t in name_key(name).split() if t not in HONORIFICS]
    while toks and toks[-1] in SUFFIXES:
        toks.pop()
    return tuple(toks)


def clean_name(s: str) -> str:
    """A name as written, without a possessive, a leading "the" or surrounding punctuation."""
    s = _POSSESSIVE_END_RE.sub("", s.strip())
    s = _LEADING_THE_RE.sub("", s)
    return s.strip(" ,.;:\"\u201c\u201d")


_POSSESSIVE_END_RE = re.compile(r"['\u2019]s$")
_LEADING_THE_RE = re.compile(r"^(the|The)\s+")


def accent_score(s: str) -> int:
    """Number of non-ASCII letters: the accented spelling of a name is preferred for display."""
    return sum(1 for ch in s if ord(ch) > 127)


def initials(key: str) -> str:
    """Initials of a name key, small words skipped ("environmental protection agency" -> "epa")."""
    return "".join(w[0] for w in key.split() if w not in INITIALS_SKIP)


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two words differ by exactly one letter added, dropped, changed or two neighbours swapped
    (Damerau-Levenshtein distance 1), both at least MIN_TYPO_WORD letters: a likely typo of one name."""
    if a == b or min(len(a), len(b)) < MIN_TYPO_WORD or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    k = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[k:] == long[k + 1:]


def typo_variant(key: str, other: str) -> bool:
    """Whether two name keys are the same name with one word misspelt by one letter ("lindsay halligan" /
    "lindsey halligan"); every other word equal."""
    a, b = key.split(), other.split()
    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    return len(diff) == 1 and one_edit_apart(*diff[0])


def link_person(key: str, start: int, fulls: list[tuple[int, str]], first_names: bool = True,
                forward: bool = True) -> str | None:
    """Full-name key a short form links to within one article (`fulls`: (offset, key) of full names):
    by surname the latest full name before `start`, else (`forward`) the first after; failing that, by
    first name ("Jane"), only a full name met before."""
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


def read_aliases(path) -> pd.DataFrame:
    """An alias file as a table (ALIAS_COLUMNS), one row per alias; the canonical name is its own alias.

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


@lru_cache(maxsize=None)
def _builtin_table() -> pd.DataFrame:
    return read_aliases(DATA_DIR / "known_aliases.csv")


def builtin_aliases() -> pd.DataFrame:
    """Aliases shipped with presslens (data/known_aliases.csv): heads of state, US departments, countries."""
    return _builtin_table().copy()


@lru_cache(maxsize=None)
def builtin_keys() -> frozenset[str]:
    """Matching keys of every built-in alias."""
    return frozenset(name_key(a) for a in _builtin_table()["alias"])


@lru_cache(maxsize=None)
def gazetteer() -> dict[str, str]:
    """Built-in names safe to look up in any text: multi-word names and acronyms of 3+ capitals, with labels."""
    t = _builtin_table()
    return {a: lab for a, lab in zip(t["alias"], t["label"])
            if isinstance(lab, str) and lab in ("PERSON", "ORG") and (" " in a or re.fullmatch(r"[A-Z]{3,}", a))}
