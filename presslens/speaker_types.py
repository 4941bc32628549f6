"""Speaker types: what kind of source a speaker is, read from what the article says about them.

Two editable tables, kept as data, decide the type:
- speaker_types.csv (speaker_type, pattern, comment): ordered rows of case-insensitive regular
  expressions over roles and generic nouns ("senator", "spokeswoman for the ministry", "professor of",
  "police chief", "residents", "a statement"); write `(?-i:...)` for a case-sensitive part.
- organisation_kinds.csv (organisation_kind, speaker_type, pattern, source): the words that name an
  organisation's kind ("... Ministry", "... University", "... Inc.", "... FC", "... Union"), tried after
  the rows above, on the role and on the name of a speaker who is not a person.

The stated role is tried first (its title capitals lowered, "U.S. District Judge" -> "U.S. district
judge", then as written: lower-case-only rows are the common nouns that are also surnames, "judge",
"bishop", "fan"), then the speaker as written, then the linked entity, then the roles other articles
give the entity. Within each text the first matching row wins, so specific rows sit above broad ones.
A row typed "other" marks a phrase that says nothing of the speaker's kind ("a spokesman", "sources"):
it ends the rows for that text (the organisation kinds are still tried: "spokesman for Acme Motors"),
and the next text is tried. A corpus folder's own speaker_types.csv (same format: the story's cast by
name) is tried, in full, before the package's tables.
"""
from __future__ import annotations

import csv
import re
import warnings
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .names import data_lines, is_title_word
from .paths import DATA_DIR

SPEAKER_TYPE_COLUMNS = ["speaker_type", "pattern", "comment"]
ORGANISATION_KIND_COLUMNS = ["organisation_kind", "speaker_type", "pattern", "source"]
SPEAKER_TYPES_PATH = DATA_DIR / "speaker_types.csv"
ORGANISATION_KINDS_PATH = DATA_DIR / "organisation_kinds.csv"
FIRST_NAMES_FILE = "first_names.txt"  # common given names: a name starting with one is a person's
UNATTRIBUTED_TYPE = "unattributed"    # speaker_type of a quote with no speaker and no role
OTHER_TYPE = "other"                  # speaker_type when no row of the tables matches
PERSON_LABEL = "PERSON"               # entity label of a person: organisation kinds never apply to it


class Rule(NamedTuple):
    """One row of a type table, compiled: the type it gives, its pattern, and where it was written."""
    speaker_type: str
    pattern: re.Pattern
    source: str
    line: int


def _read(path: Path, required: list[str], columns: list[str]) -> pd.DataFrame:
    """A type table: `columns` plus `line` (the row's line in the file); lines starting with # are comments."""
    lines = [(i, ln) for i, ln in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader([ln for _, ln in lines]))
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in required if c not in header]
    if missing:
        raise ValueError(f"speaker type table {path} lacks column(s) {missing}; its first line (after # "
                         f"comments) must be {','.join(columns)}")
    records = [dict(zip(header, r), line=n) for (n, _), r in zip(lines[1:], rows[1:])]
    table = pd.DataFrame(records, columns=[*header, "line"]).fillna("")
    for c in columns:
        if c not in table:
            table[c] = ""
    return table[[*columns, "line"]]


def load_speaker_types(path: str | Path | None = None) -> pd.DataFrame:
    """The speaker-type table (SPEAKER_TYPE_COLUMNS): ordered regex rows, the first match wins."""
    return _read(Path(path or SPEAKER_TYPES_PATH), ["speaker_type", "pattern"], SPEAKER_TYPE_COLUMNS)[
        SPEAKER_TYPE_COLUMNS]


def load_organisation_kinds(path: str | Path | None = None) -> pd.DataFrame:
    """The organisation-kind table (ORGANISATION_KIND_COLUMNS): name words -> kind -> speaker type."""
    return _read(Path(path or ORGANISATION_KINDS_PATH), ["organisation_kind", "speaker_type", "pattern"],
                 ORGANISATION_KIND_COLUMNS)[ORGANISATION_KIND_COLUMNS]


def _compile(table: pd.DataFrame, source: str) -> tuple[Rule, ...]:
    """Rules of a table; a row whose pattern is not a valid regex is skipped with a warning naming it."""
    rules = []
    lines = table["line"] if "line" in table else range(2, len(table) + 2)  # the header is line 1
    for kind, pattern, line in zip(table["speaker_type"], table["pattern"], lines):
        if not str(kind).strip() or not str(pattern).strip():
            warnings.warn(f"{source}, line {line}: empty speaker_type or pattern; the row is ignored",
                          UserWarning, stacklevel=4)
            continue
        try:
            rules.append(Rule(str(kind).strip(), re.compile(pattern, re.I), source, int(line)))
        except re.error as exc:
            warnings.warn(f"{source}, line {line}: pattern {pattern!r} is not a valid regular expression "
                          f"({exc}); the row is ignored", UserWarning, stacklevel=4)
    return tuple(rules)


@lru_cache(maxsize=16)
def _file_rules(path: str, stamp: tuple) -> tuple[Rule, ...]:
    """Rules of a speaker_types.csv file (`stamp`: its modification time and size, so an edit is seen)."""
    return _compile(_read(Path(path), ["speaker_type", "pattern"], SPEAKER_TYPE_COLUMNS), path)


@lru_cache(maxsize=1)
def organisation_rules() -> tuple[tuple[str, Rule], ...]:
    """(organisation_kind, rule) pairs of the package's organisation_kinds.csv, in file order."""
    table = _read(ORGANISATION_KINDS_PATH, ["organisation_kind", "speaker_type", "pattern"], ORGANISATION_KIND_COLUMNS)
    kinds = dict(zip(table["line"], table["organisation_kind"]))
    return tuple((kinds[r.line], r) for r in _compile(table, str(ORGANISATION_KINDS_PATH)))


def package_rules() -> tuple[Rule, ...]:
    """Rules of the package's speaker_types.csv."""
    return table_rules(SPEAKER_TYPES_PATH)


def table_rules(table) -> tuple[Rule, ...]:
    """Rules of a speaker-type table given as a path, a DataFrame (SPEAKER_TYPE_COLUMNS) or rules."""
    if table is None or table is False:
        return ()
    if isinstance(table, tuple) and all(isinstance(r, Rule) for r in table):
        return table
    if isinstance(table, pd.DataFrame):
        return _compile(table.reindex(columns=SPEAKER_TYPE_COLUMNS).fillna(""), "the speaker type table given")
    path = Path(table)
    if not path.is_file():
        raise FileNotFoundError(f"speaker type table {path} does not exist")
    st = path.stat()
    return _file_rules(str(path), (st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(w.strip().lower() for w in data_lines(FIRST_NAMES_FILE))


def looks_like_person(name: str) -> bool:
    """True when the name's first word after any titles is a common given name ("Bill Post", "Dr. Jane Roe")."""
    words = [w for w in re.findall(r"[\w'.-]+", name or "") if not is_title_word(w.lower())]
    return bool(words) and words[0].lower().strip(".") in _first_names()


def organisation_kind(name, label: str | None = None) -> str | None:
    """The kind of organisation a name says it is ("Acme Motors Inc." -> "company"), None for a person
    (label PERSON, or a name starting with a common given name) or a name with no kind word."""
    if not isinstance(name, str) or not name.strip() or not _may_be_organisation(name, label):
        return None
    for kind, rule in organisation_rules():
        if rule.pattern.search(name):
            return kind
    return None


def _may_be_organisation(name: str, label: str | None) -> bool:
    if label is not None:
        return label != PERSON_LABEL
    return not looks_like_person(name)


_ABBREVIATION = re.compile(r"^(?:[A-Z][a-z]{1,3}\.|(?:[A-Z]\.)+)$")  # "Sen.", "Dr.", "U.S."


def role_case(role: str) -> str:
    """A stated role with its title capitals lowered ("U.S. District Judge" -> "U.S. district judge"):
    words in capitals and abbreviations ("CEO", "NATO", "Sen.", "Dr.") keep their case."""
    return re.sub(r"[\w'.-]+", lambda m: m.group(0) if m.group(0).isupper() or _ABBREVIATION.match(m.group(0))
                  else m.group(0).lower(), role)


def _role_texts(role) -> list[tuple[str, str]]:
    """A role to try: its capitals lowered first (a role's capitals are a title's, not a name's), then as
    written (for rows that need a capital, "Representative")."""
    if not isinstance(role, str) or not role.strip():
        return []
    role = role.strip()
    return [("role", t) for t in dict.fromkeys((role_case(role), role))]


def _type_of(text: str, rules: tuple[Rule, ...], org_rules) -> str | None:
    """The first rule's type for one text, then the organisation kind it names; None when neither
    matches (an 'other' row stops the rows, not the organisation kinds: "spokesman for Acme Motors")."""
    for rule in rules:
        if rule.pattern.search(text):
            if rule.speaker_type != OTHER_TYPE:
                return rule.speaker_type
            break
    for _, rule in org_rules:
        if rule.pattern.search(text):
            return rule.speaker_type
    return None


def speaker_type(role=None, speaker=None, entity=None, table=None, label: str | None = None,
                 corpus_role: str | None = None) -> str:
    """Type of a speaker: from the stated role, else the speaker as written, else the linked entity.

    `table` is the corpus's own speaker-type table (path, DataFrame or `table_rules`), tried in full
    before the package's tables; `label` is the linked entity's label (organisation kinds never type a
    PERSON; without a label, a name starting with a common given name is taken for a person's);
    `corpus_role` is what other articles say the entity is (`corpus_roles`), tried last.
    Returns UNATTRIBUTED_TYPE when there is no role, speaker or entity, OTHER_TYPE when nothing matches.
    """
    texts = [*_role_texts(role)]
    texts += [(which, t.strip()) for which, t in (("speaker", speaker), ("entity", entity))
              if isinstance(t, str) and t.strip()]
    texts += _role_texts(corpus_role)
    if not texts:
        return UNATTRIBUTED_TYPE
    stages = []
    corpus = table_rules(table)
    if corpus and not (isinstance(table, (str, Path)) and Path(table).resolve() == SPEAKER_TYPES_PATH.resolve()):
        stages.append((corpus, False))
    stages.append((package_rules(), True))
    for rules, with_organisations in stages:
        for which, text in texts:
            org = organisation_rules() if with_organisations and (
                which == "role" or _may_be_organisation(text, label)) else ()
            found = _type_of(text, rules, org)
            if found is not None:
                return found
    return OTHER_TYPE


# Roles a corpus states for an entity anywhere: a fallback for a speaker quoted without one.
MAX_CORPUS_ROLES = 5  # the most frequent roles kept per entity (the rest are rare or descriptive)


def corpus_roles(mentions: pd.DataFrame) -> dict[str, str]:
    """{entity: its stated roles across the corpus, most frequent first, joined by '; '} from the
    mentions table's `role` column; `speaker_type(..., corpus_role=...)` tries them last."""
    if mentions is None or len(mentions) == 0 or not {"entity", "role"} <= set(mentions.columns):
        return {}
    m = mentions.dropna(subset=["entity", "role"])
    m = m[m["role"].astype(str).str.strip() != ""]
    return {e: "; ".join(roles) for e, roles in most_frequent_by(m, "entity", "role", MAX_CORPUS_ROLES).items()}


def entity_labels(mentions: pd.DataFrame) -> dict[str, str]:
    """{entity: its label} from the mentions table (the most frequent label of the entity's mentions)."""
    if mentions is None or len(mentions) == 0 or not {"entity", "label"} <= set(mentions.columns):
        return {}
    m = mentions.dropna(subset=["entity", "label"])
    return {e: labels[0] for e, labels in most_frequent_by(m, "entity", "label", 1).items()}


def most_frequent_by(m: pd.DataFrame, key: str, column: str, n: int) -> dict:
    """{key: the `n` most frequent values of `column` in its rows, most frequent first} for a table
    without missing keys: `g.value_counts().index[:n]` of each group of `m.groupby(key)[column]`, counted
    with a Counter per key. Only where equal counts decide the list is pandas asked (its sort of equal
    counts is not stable, so only pandas gives its own order); a per-group pandas call costs ~0.5 ms."""
    rows: dict = {}
    for k, value in enumerate(m[key]):
        rows.setdefault(value, []).append(k)
    column_values = m[column]
    values = column_values.tolist()
    out = {}
    for value in sorted(rows):
        counts = Counter(values[k] for k in rows[value]).most_common(n + 1)
        tallies = [c for _, c in counts]
        if len(set(tallies)) < len(tallies):
            out[value] = list(column_values.iloc[rows[value]].value_counts().index[:n])
        else:
            out[value] = [v for v, _ in counts[:n]]
    return out
