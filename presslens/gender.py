"""Gender of the people a corpus names and quotes, with the evidence that decided each one.

Order of evidence, per canonical person across the corpus (first that decides wins):

1. override: the corpus folder's `genders.csv` (`name,gender`; gender female, male, nonbinary or
   unknown), for anyone the evidence below gets wrong or who should not be gendered;
2. the articles' own words (presslens.extract.gender): an honorific or a gendered role noun
   ("Ms.", "spokeswoman") first, else pronouns that refer to the person ("she"); several articles
   vote, the majority wins, a tie is "unknown";
3. first-name statistics from the offline `nomquamgender` data (Van Buskirk, Clauset & Larremore 2023,
   "An open-source cultural consensus approach to name-based gender classification", MIT licence):
   p(gf), the share of people with that first name gendered female across its 36 sources. A name is
   "gendered female by name" at p >= 0.9 and male at p <= 0.1 (the package's own default threshold:
   its authors show errors rise quickly inside that band) and only when its sources counted at least
   10 people (the package's "high coverage" cut-off); anything else is "unknown".

Known failure modes, stated in notebook 06: names are not genders (a name-based answer misgenders
non-binary people and anyone whose name runs against the statistics); the name data is thinner and
less decided for many non-Western names (more "unknown"); a pronoun rule can pick the wrong antecedent.
Nothing is looked up online. Organisations, documents and groups are never gendered (`speaker_kind`).
"""
from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import os
import re
import tempfile
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import paths
from .lexicon import DOCUMENT_NOUNS, GENDERED_PRONOUNS, GENDERED_ROLE_NOUNS, role_gender
from .pipeline import COLUMNS

EVIDENCE_COLUMNS = list(COLUMNS["gender"])
from .names import fold, is_title_word, name_key, name_tokens

FEMALE, MALE, UNKNOWN, NONBINARY = "female", "male", "unknown", "nonbinary"
GENDERS = (FEMALE, MALE, UNKNOWN)
OVERRIDE_GENDERS = (FEMALE, MALE, NONBINARY, UNKNOWN)
GENDERS_FILE = "genders.csv"
# nomquamgender's default: a name is classified only when p(gf) is at most this far from 0 or 1.
NAME_THRESHOLD = 0.1
# nomquamgender's "high coverage" cut-off: fewer counted people and the estimate is too thin to use.
NAME_MIN_COUNTS = 10
# Evidence stated outright (an honorific, a gendered role noun) outranks a pronoun's reading.
STATED_KINDS = ("honorific", "role")
SPEAKER_KINDS = ("person", "organisation", "document", "group", "unknown")
# Mention labels and the kind of speaker they name.
LABEL_KIND = {"PERSON": "person", "ORG": "organisation", "GPE": "organisation", "FAC": "organisation",
              "LOC": "organisation", "NORP": "group"}
# Nouns that name an organisation when a speaker is written as a common noun ("the company said").
ORGANISATION_NOUNS = {"company", "department", "agency", "ministry", "government", "administration",
                      "court", "office", "committee", "council", "party", "campaign", "firm", "bank",
                      "embassy", "military", "army", "police", "state", "county", "city", "union",
                      "university", "school", "hospital", "network", "team", "club", "league",
                      "organization", "organisation", "group", "commission", "board", "authority",
                      "parliament", "congress", "senate", "house", "kremlin", "pentagon", "nato", "un"}
# Words for several people at once ("both", "many") when they are the speaker.
GROUP_WORDS = {"both", "many", "some", "several", "others", "most", "all", "few", "people", "staff",
               "crowd", "public", "residents", "critics", "they", "we"}
PERSON_PRONOUNS = {"he", "she", "i", "him", "her"}
# Suffixes of a singular noun for a person ("coordinator", "right-hander", "economist").
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "person", "ant", "ent", "ee")
PERSON_COLUMNS = ["entity", "gender", "gender_evidence", "n_female", "n_male", "first_name", "p_female"]
OVERRIDE_COLUMNS = ["name", "gender", "source", "line"]


class NameGuess(NamedTuple):
    """What the first-name statistics say: the gender ("unknown" inside the threshold), the first name
    looked up, its p(gf) (NaN when absent) and the number of people counted."""
    gender: str
    first_name: str | None
    p_female: float
    counts: int


# --- first-name statistics ----------------------------------------------------------------------

def _nqg_file() -> Path:
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("presslens needs the `nomquamgender` package for first-name statistics "
                          "(pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "name_data.json"


# One entry of nomquamgender's name_data.json, `"name": [sources, counts, p_female, flag]`, whose name has
# no space (before JSON escapes are decoded) and whose counts could reach NAME_MIN_COUNTS (two digits or more
# when it is 10 or more): the only entries that can be kept.
_COUNTS_RE = r"[1-9]\d+" if NAME_MIN_COUNTS >= 10 else r"\d+"
_ENTRY_RE = re.compile(r'"((?:[^" \\]|\\.)*)": \[-?\d+, (' + _COUNTS_RE + r'), ([^,\]]+), [^\]]*\]')


def _first_names(data: str) -> dict[str, tuple[float, int]]:
    """{name: (p(gf), counts)} of the single-word names with >= NAME_MIN_COUNTS people in the text of
    name_data.json.

    `json.loads` of the whole 22 MB file makes 720,000 lists to keep 140,000 of them (3 s); the pattern
    picks out the kept entries only (0.4 s). A name with a JSON escape is decoded by `json.loads`; any
    other layout of the file is read with `json.loads` whole. Both give the same table (tested)."""
    table: dict[str, tuple[float, int]] = {}
    for m in _ENTRY_RE.finditer(data):
        name, counts, p = m.groups()
        if "\\" in name:
            name = json.loads(f'"{name}"')
            if " " in name:
                continue
        p_female = float(p)
        if p_female == p_female and int(counts) >= NAME_MIN_COUNTS:
            table[name] = (p_female, int(counts))
    if table:
        return table
    raw = json.loads(data)
    return {k: (float(v[2]), int(v[1])) for k, v in raw.items()
            if " " not in k and len(v) >= 3 and v[2] == v[2] and int(v[1]) >= NAME_MIN_COUNTS}


@lru_cache(maxsize=1)
def name_table() -> dict[str, tuple[float, int]]:
    """{first name: (p(gf), counts)} of nomquamgender's single-word names with >= NAME_MIN_COUNTS people.

    The package's 22 MB JSON takes seconds to read, so the slice used here is kept once in the cache
    folder as Parquet (keyed by the package version; read back in a tenth of a second); the package's
    own data is never changed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    version = importlib.metadata.version("nomquamgender")
    cached = paths.CACHE_DIR / f"nomquamgender-{version}-first-names.parquet"
    if cached.is_file():
        try:
            cols = pq.read_table(cached).to_pydict()
            return dict(zip(cols["name"], zip(cols["p_female"], cols["counts"])))
        except (OSError, ValueError, KeyError, pa.ArrowException):
            pass  # a damaged cache file: rebuilt below
    table = _first_names(_nqg_file().read_text(encoding="utf8"))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        os.close(fd)
        pq.write_table(pa.table({"name": list(table), "p_female": [p for p, _ in table.values()],
                                 "counts": [n for _, n in table.values()]}), tmp)
        os.replace(tmp, cached)
    except (OSError, pa.ArrowException):
        pass  # a read-only cache folder only costs the next process the same few seconds
    return table


def first_name(name) -> str | None:
    """The first name of a full name, folded and lower-cased ("María Corina Machado" -> "maria"); None
    for a single word (a surname alone says nothing) or an initial."""
    toks = name_tokens(name)
    if len(toks) < 2:
        return None
    words = fold(str(name)).lower().replace("\u2019", "'").split()
    while words and name_key(words[0]) and name_key(words[0]) != toks[0] and "-" not in words[0]:
        words.pop(0)  # an honorific the name still carries
    hyphenated = words[0].strip(".,'\"") if words and "-" in words[0] else None
    if hyphenated and name_key(hyphenated).replace(" ", "-") == hyphenated:
        return hyphenated  # "jean-claude": looked up as written first
    return toks[0] if len(toks[0]) > 1 else None


def name_gender(name, threshold: float = NAME_THRESHOLD) -> NameGuess:
    """Gender by first name (see the module docstring): female at p(gf) >= 1 - threshold, male at
    p(gf) <= threshold, else unknown."""
    first = first_name(name)
    if first is None:
        return NameGuess(UNKNOWN, None, float("nan"), 0)
    table = name_table()
    hit = table.get(first)
    if hit is None and "-" in first:
        first = first.split("-")[0]
        hit = table.get(first)
    if hit is None:
        return NameGuess(UNKNOWN, first, float("nan"), 0)
    p, counts = hit
    gender = FEMALE if p >= 1 - threshold else MALE if p <= threshold else UNKNOWN
    return NameGuess(gender, first, p, counts)


# --- overrides ----------------------------------------------------------------------------------

def read_overrides(path) -> pd.DataFrame:
    """A genders.csv as a table (OVERRIDE_COLUMNS): `name,gender` lines, `#` comments, an optional
    header line `name,gender`. A bad gender raises a ValueError naming the file and line."""
    p = Path(path)
    rows = []
    lines = p.read_text(encoding="utf-8-sig").splitlines()
    for n, fields in enumerate(csv.reader(lines), start=1):
        fields = [f.strip() for f in fields]
        if not any(fields) or fields[0].startswith("#"):
            continue
        if n == 1 and [f.lower() for f in fields[:2]] == ["name", "gender"]:
            continue
        if len(fields) < 2 or not fields[0]:
            raise ValueError(f"{p}, line {n}: expected 'name,gender', got {lines[n - 1]!r}")
        gender = fields[1].lower().replace("-", "")
        if gender not in OVERRIDE_GENDERS:
            raise ValueError(f"{p}, line {n}: gender {fields[1]!r} for {fields[0]!r} must be one of "
                             f"{', '.join(OVERRIDE_GENDERS)}")
        rows.append({"name": fields[0], "gender": gender, "source": p.name, "line": n})
    return pd.DataFrame(rows, columns=OVERRIDE_COLUMNS)


def as_overrides(overrides) -> dict[str, str]:
    """{name_key: gender} from a genders.csv path, a table with name/gender columns, or None."""
    if overrides is None or overrides is False:
        return {}
    if isinstance(overrides, (str, Path)):
        overrides = read_overrides(overrides) if Path(overrides).is_file() else None
        if overrides is None:
            return {}
    return {name_key(n): str(g).lower() for n, g in zip(overrides["name"], overrides["gender"])}


# --- per person ---------------------------------------------------------------------------------

def canonical_evidence(mentions: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """The per-article evidence rows with the canonical `entity` of the mention they attach to
    (joined on article_id and the mention's start offset); rows whose mention is gone are dropped."""
    cols = ["article_id", *EVIDENCE_COLUMNS]
    if evidence is None or len(evidence) == 0 or mentions is None or len(mentions) == 0:
        return pd.DataFrame(columns=cols)
    ev = evidence.reindex(columns=cols).drop(columns="entity")
    ev["start"] = ev["start"].astype(int)
    persons = mentions.loc[mentions["label"] == "PERSON", ["article_id", "start", "entity"]]
    persons = persons.astype({"start": int}).drop_duplicates(["article_id", "start"])
    return ev.merge(persons, on=["article_id", "start"], how="inner")[cols].reset_index(drop=True)


def _vote(rows: pd.DataFrame) -> tuple[str, str, int, int]:
    """(gender, evidence, n_female, n_male) of evidence rows: majority; tie -> unknown."""
    c = Counter(rows["gender"])
    nf, nm = c.get(FEMALE, 0), c.get(MALE, 0)
    if nf == nm:
        return UNKNOWN, f"conflicting: {nf} female, {nm} male", nf, nm
    win = FEMALE if nf > nm else MALE
    cue = Counter(rows.loc[rows["gender"] == win, "evidence"]).most_common(1)[0][0]
    if nf and nm:
        cue += f" ({max(nf, nm)} of {nf + nm})"
    return win, cue, nf, nm


def person_groups(people) -> dict[str, tuple[str, str]]:
    """{canonical person name: the key its gender is decided under}: (first, last) name word, so
    spellings that differ by a middle name ("Jane Q. Doe", "Jane Doe") share their evidence, and a
    lone surname joins the only full name in the corpus that ends with it (else it stands alone)."""
    toks = {e: name_tokens(e) for e in people}
    full = {e: (t[0], t[-1]) for e, t in toks.items() if len(t) >= 2}
    by_last: dict[str, set] = {}
    for k in full.values():
        by_last.setdefault(k[1], set()).add(k)
    out = {}
    for e in people:
        if e in full:
            out[e] = full[e]
        else:
            cands = by_last.get(toks[e][-1], set()) if toks[e] else set()
            out[e] = next(iter(cands)) if len(cands) == 1 else ("", name_key(e))
    return out


def person_genders(mentions: pd.DataFrame, evidence: pd.DataFrame | None = None, overrides=None,
                   threshold: float = NAME_THRESHOLD) -> pd.DataFrame:
    """One row per canonical PERSON entity (PERSON_COLUMNS): gender and the evidence that decided it
    (module docstring), evidence pooled over the spellings `person_groups` joins.
    `evidence`: per-article rows (article_id + extract.gender.DOC_COLUMNS)."""
    if mentions is None or len(mentions) == 0:
        return pd.DataFrame(columns=PERSON_COLUMNS)
    people = [e for e in pd.unique(mentions.loc[mentions["label"] == "PERSON", "entity"].dropna())]
    group = person_groups(people)
    ev = canonical_evidence(mentions, evidence)
    ev["kind"] = ev["evidence"].str.split(":").str[0]
    ev["_group"] = ev["entity"].map(group)
    by_group = {k: g for k, g in ev.groupby("_group", sort=False)}
    over = as_overrides(overrides)
    over_group = {group[e]: over[name_key(e)] for e in people if name_key(e) in over}
    rows = []
    for ent in people:
        key = group[ent]
        g = by_group.get(key)
        guess = name_gender(ent, threshold)
        if guess.first_name is None and key[0]:
            guess = name_gender(" ".join(key), threshold)  # a lone surname: its full name's first name
        row = {"entity": ent, "n_female": 0, "n_male": 0, "first_name": guess.first_name,
               "p_female": guess.p_female}
        if name_key(ent) in over or key in over_group:
            row.update(gender=over.get(name_key(ent), over_group.get(key)), gender_evidence="override")
        elif g is not None and len(g):
            stated = g[g["kind"].isin(STATED_KINDS)]
            gender, cue, nf, nm = _vote(stated if len(stated) else g)
            row.update(gender=gender, gender_evidence=cue, n_female=nf, n_male=nm)
        elif guess.gender != UNKNOWN:
            row.update(gender=guess.gender, gender_evidence=f"first name: {guess.first_name.capitalize()} "
                                                            f"(p={guess.p_female:.2f})")
        else:
            row.update(gender=UNKNOWN, gender_evidence="none")
        rows.append(row)
    return pd.DataFrame(rows, columns=PERSON_COLUMNS)


def add_gender(mentions: pd.DataFrame, evidence: pd.DataFrame | None = None, overrides=None,
               threshold: float = NAME_THRESHOLD) -> pd.DataFrame:
    """`mentions` with `gender` and `gender_evidence` on PERSON rows (None on other labels)."""
    out = mentions.copy()
    if len(out) == 0:
        return out.assign(gender=pd.Series(dtype=object), gender_evidence=pd.Series(dtype=object))
    people = person_genders(out, evidence, overrides, threshold).set_index("entity")
    is_person = out["label"] == "PERSON"
    out["gender"] = out["entity"].map(people["gender"]).where(is_person, None)
    out["gender_evidence"] = out["entity"].map(people["gender_evidence"]).where(is_person, None)
    return out


# --- speakers -----------------------------------------------------------------------------------

def _head_word(speaker: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", speaker or "")
    return words[-1].lower().replace("\u2019", "'") if words else ""


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def speaker_kind(speaker, label=None) -> str:
    """person, organisation, document, group or unknown: from the label of the mention the speaker is
    linked to, else from the head word naming the speaker ("the statement", "officials", "she")."""
    if label in LABEL_KIND:
        return LABEL_KIND[label]
    if not isinstance(speaker, str) or not speaker.strip():
        return "unknown"
    head = _head_word(speaker)
    one = _singular(head)
    plural = one != head
    if head in PERSON_PRONOUNS:
        return "person"
    if head == "it":
        return "organisation"
    if head in DOCUMENT_NOUNS or one in DOCUMENT_NOUNS:
        return "document"
    if head in GROUP_WORDS:
        return "group"
    if head in ORGANISATION_NOUNS:
        return "organisation"
    if plural and one in ORGANISATION_NOUNS:
        return "group"  # "authorities", "defense teams"
    if is_title_word(one) or one.endswith(PERSON_SUFFIXES) or one in GENDERED_ROLE_NOUNS:
        return "group" if plural else "person"
    return "unknown"


def speaker_gender(kind: str, speaker, person: tuple | None = None) -> tuple[str | None, str | None]:
    """(gender, evidence) of a quote's speaker: (None, None) for anyone not a person; the linked
    person's (gender, evidence) when decided; else a pronoun or gendered role noun naming the speaker
    ("she", "the spokeswoman"); else unknown."""
    if kind != "person":
        return None, None
    if person is not None and person[0] != UNKNOWN:
        return person
    head = _head_word(speaker if isinstance(speaker, str) else "")
    if head in GENDERED_PRONOUNS:
        return GENDERED_PRONOUNS[head], f"pronoun: {head}"
    rg = role_gender(speaker)
    if rg is not None:
        return rg[0], f"role: {rg[1]}"
    return UNKNOWN, person[1] if person is not None else "none"


def _modes(keys: pd.Series, values: pd.Series) -> dict:
    """{key: its commonest value, the least in sort order on a tie} (`Series.mode().iloc[0]` per key;
    missing values are not counted, a key with none is left out)."""
    counted: dict = {}
    for k, v in zip(keys, values):
        if v is not None and v == v:
            counted.setdefault(k, Counter())[v] += 1
    out = {}
    for k, c in counted.items():
        most = max(c.values())
        out[k] = min(v for v, n in c.items() if n == most)
    return out


def add_speaker_gender(quotes: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """`quotes` with `speaker_kind`, `speaker_gender` and `speaker_gender_evidence`, the speaker's
    canonical entity looked up in `mentions` (which `add_gender` has given a gender)."""
    out = quotes.copy()
    if len(out) == 0:
        for c in ("speaker_kind", "speaker_gender", "speaker_gender_evidence"):
            out[c] = pd.Series(dtype=object)
        return out
    label_of, gender_of = {}, {}
    if mentions is not None and len(mentions):
        m = mentions.dropna(subset=["entity"])
        label_of = _modes(m["entity"], m["label"])
        if "gender" in m:
            p = m[m["label"] == "PERSON"].drop_duplicates("entity")
            gender_of = {e: (g, ev) for e, g, ev in zip(p["entity"], p["gender"], p["gender_evidence"])}
    kinds, genders, evidence = [], [], []
    for spk, ent in zip(out["speaker"], out["speaker_entity"]):
        label = label_of.get(ent) if isinstance(ent, str) else None
        kind = speaker_kind(spk, label)
        g, ev = speaker_gender(kind, spk, gender_of.get(ent))
        kinds.append(kind)
        genders.append(g)
        evidence.append(ev)
    out["speaker_kind"], out["speaker_gender"], out["speaker_gender_evidence"] = kinds, genders, evidence
    return out


# --- the corpus tables with gender --------------------------------------------------------------

class Gendered(NamedTuple):
    """The study's mentions and quotes with gender columns, the per-article evidence behind them
    (article_id + extract.gender.DOC_COLUMNS, canonical names) and one row per person (PERSON_COLUMNS)."""
    mentions: pd.DataFrame
    quotes: pd.DataFrame
    evidence: pd.DataFrame
    people: pd.DataFrame


def with_gender(tables, overrides=None, evidence: pd.DataFrame | None = None) -> Gendered:
    """Gender columns for a `presslens.tables(...)` record: `mentions` with gender/gender_evidence,
    `quotes` with speaker_kind/speaker_gender. `overrides`: a genders.csv (default: the corpus
    folder's); `evidence`: the per-article rows (default: the record's own `gender_evidence`)."""
    if overrides is None:
        overrides = paths.corpus_file(tables.articles, GENDERS_FILE)
    if evidence is None:
        evidence = getattr(tables, "gender_evidence", None)
    if evidence is not None and "gender" in tables.mentions and "speaker_kind" in tables.quotes:
        return Gendered(tables.mentions, tables.quotes, canonical_evidence(tables.mentions, evidence),
                        person_genders(tables.mentions, evidence, overrides))  # built by tables() already
    if evidence is None:
        evidence = pd.DataFrame(columns=EVIDENCE_COLUMNS)
    mentions = add_gender(tables.mentions, evidence, overrides)
    quotes = add_speaker_gender(tables.quotes, mentions)
    people = person_genders(tables.mentions, evidence, overrides)
    return Gendered(mentions, quotes, canonical_evidence(tables.mentions, evidence), people)


# --- summaries per outlet -------------------------------------------------------------------------
