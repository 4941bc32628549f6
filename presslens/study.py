"""The study's tables, built once per corpus and shared by every notebook and the report.

`tables(articles)` returns a `Tables` record: articles, mentions, quotes, sentences, readability and
narration, one tidy table per idea, every row with `article_id`, `outlet` and (except readability)
character offsets into `articles.text`. Per-article rows come from the cached parse
(`pipeline.analyze`); this module applies what needs the whole corpus: one canonical name per entity
(`canon.canonicalize` with the corpus's aliases.csv), quote speakers linked to those names, speaker
types, and the canonical names of the entities each sentence mentions. Every count in every notebook
is read from these tables, so the same entity has the same name, and the same count, everywhere.
"""
from __future__ import annotations

import bisect
import hashlib
import warnings
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import cache as disk_cache
from . import canon, gender, paths
from .pipeline import COLUMNS, analyze, code_sources, code_version
from .corrections import CORRECTED, CORRECTIONS_FILE, apply_corrections
from .speaker_types import corpus_roles, entity_labels, speaker_type
from .text import count_words

MENTION_COLUMNS = ["article_id", "outlet", *COLUMNS["mentions"], "self_reference", "gender", "gender_evidence"]
QUOTE_COLUMNS = ["article_id", "outlet", *COLUMNS["quotes"], "n_words", "speaker_entity", "speaker_type", CORRECTED,
                 "speaker_kind", "speaker_gender", "speaker_gender_evidence"]
# The columns the quote table's first step builds (speaker gender is added once names are canonical).
_QUOTE_BASE = QUOTE_COLUMNS[:QUOTE_COLUMNS.index(CORRECTED) + 1]
SENTENCE_COLUMNS = ["article_id", "outlet", *COLUMNS["sentences"], "tone"]
READABILITY_COLUMNS = ["article_id", "outlet", *COLUMNS["readability"]]
ENTITY_TONE_COLUMNS = ["article_id", "outlet", *COLUMNS["entity_tone"]]
GENDER_EVIDENCE_COLUMNS = ["article_id", *COLUMNS["gender"]]
NARRATION_COLUMNS = ["article_id", "outlet", *COLUMNS["narration"], "text"]
# VADER's documented compound thresholds (vaderSentiment README, "about the scoring").
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
# How many corpora's tables one process keeps (a notebook asks for the same corpus many times).
MEMO_SIZE = 4
_MEMO: dict[str, "Tables"] = {}
# The corpus tables are also kept on disk, so the notebooks of one report (one kernel each) share a
# single build instead of each rebuilding the corpus-level naming from the per-article rows.
STUDY_CACHE = "study"
TABLE_NAMES = ("mentions", "quotes", "sentences", "readability", "narration", "entity_tone", "gender_evidence",
               "unknown_aliases")


@dataclass
class Tables:
    """The study's tables for one corpus (see the module docstring): `entity_tone` holds the tone of
    the words about each entity per article, `gender_evidence` the words that show each person's
    gender; `unknown_aliases` lists alias lines that matched no mention (likely typos)."""
    articles: pd.DataFrame
    mentions: pd.DataFrame
    quotes: pd.DataFrame
    sentences: pd.DataFrame
    readability: pd.DataFrame
    narration: pd.DataFrame
    entity_tone: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ENTITY_TONE_COLUMNS))
    gender_evidence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GENDER_EVIDENCE_COLUMNS))
    unknown_aliases: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=canon.UNKNOWN_ALIAS_COLUMNS))

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """{name: table} of every table."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def tone_of(compound: float) -> str:
    """'positive' (>= 0.05), 'negative' (<= -0.05) or 'neutral': VADER's documented compound thresholds."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


@lru_cache(maxsize=1)
def study_version() -> str:
    """Hash of the code and data that build these tables from the per-article rows (this module and
    everything it imports, found from the import graph) and of the per-article code version."""
    h = hashlib.sha256(code_version().encode())
    for p in code_sources([Path(__file__).resolve()]):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def _key(articles: pd.DataFrame, *extras) -> str:
    h = hashlib.sha256(study_version().encode())
    for col in ("article_id", "outlet", "text"):
        for v in (articles[col] if col in articles else []):
            h.update(str(v).encode("utf8", "surrogatepass") + b"\0")
    for extra in extras:
        if isinstance(extra, (str, Path)) and Path(extra).is_file():
            h.update(Path(extra).read_bytes())
        elif isinstance(extra, pd.DataFrame):
            h.update(pd.util.hash_pandas_object(extra.astype(str), index=False).values.tobytes())
        else:
            h.update(repr(extra).encode())
    return h.hexdigest()


def canonical_mentions(raw: pd.DataFrame, aliases) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions with corpus-wide canonical names, unknown alias lines), warning about each unknown line."""
    al = canon.as_aliases(aliases)
    unknown = canon.unknown_aliases(raw, al)
    for r in unknown.itertuples():
        warnings.warn(f"{r.source} line {r.line}: the alias {r.alias!r} (for {r.canonical!r}) matches no "
                      "mention in these articles; check its spelling", UserWarning, stacklevel=3)
    out = canon.canonicalize(raw.reindex(columns=MENTION_COLUMNS[:-3]), al)
    out = out.astype({"start": int, "end": int, "sentence": int, "paragraph": int, "in_quote": bool})
    return out.reset_index(drop=True), unknown


def quote_table(raw: pd.DataFrame, mentions: pd.DataFrame, speaker_types=None) -> pd.DataFrame:
    """QUOTE_COLUMNS: the extractor's rows, the words quoted, the speaker linked to the canonical names
    of `mentions` (`canon.link_speaker`, then one spelling per speaker) and the speaker's type."""
    if raw is None or len(raw) == 0:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    q = raw.reindex(columns=_QUOTE_BASE[:-3]).copy()
    q["n_words"] = q["quote"].map(count_words).astype(int)
    by_article: dict = {}
    if mentions is not None and len(mentions):
        by_article = {aid: g.to_dict("records") for aid, g in mentions.groupby("article_id", sort=False)}
    linked = [canon.link_speaker(r.speaker, r.speaker_start, r.speaker_end, by_article.get(r.article_id, []))
              for r in q.itertuples(index=False)]
    q["speaker_entity"] = canon.harmonize_speakers(pd.Series(linked, index=q.index, dtype=object))
    roles_elsewhere, labels = corpus_roles(mentions), entity_labels(mentions)
    types = []
    for r, ent in zip(q.itertuples(index=False), linked):
        # the role as the article states it: the extractor's, then any role the mentions give the entity
        roles = [r.speaker_role] + [m.get("role") for m in by_article.get(r.article_id, [])
                                    if ent is not None and m.get("entity") == ent]
        role = "; ".join(dict.fromkeys(x for x in roles if isinstance(x, str) and x.strip())) or None
        types.append(speaker_type(role, r.speaker, r.speaker_entity, speaker_types,
                                  label=labels.get(r.speaker_entity), corpus_role=roles_elsewhere.get(r.speaker_entity)))
    q["speaker_type"] = types
    q[CORRECTED] = ""
    order = {a: i for i, a in enumerate(pd.unique(q["article_id"]))}
    q = q.assign(_a=q["article_id"].map(order), _s=pd.to_numeric(q["start"], errors="coerce"))
    q = q.sort_values(["_a", "_s"], kind="stable")  # articles in input order, quotes in text order
    return q[_QUOTE_BASE].reset_index(drop=True)


def _sentence_table(raw: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """SENTENCE_COLUMNS: per-article sentence rows, `entities` as canonical names, `tone` from VADER."""
    if raw.empty:
        return pd.DataFrame(columns=SENTENCE_COLUMNS)
    df = raw.copy()
    df["entities"] = entities_by_sentence(df, mentions)
    df["tone"] = [tone_of(c) for c in df["compound"]]
    for col in ("sentence", "start", "end", "paragraph"):
        df[col] = df[col].astype("int64")
    return df[SENTENCE_COLUMNS].reset_index(drop=True)


def entities_by_sentence(sents: pd.DataFrame, mentions: pd.DataFrame) -> pd.Series:
    """For each sentence row, the canonical entities whose mentions start inside it (first-mention order)."""
    if sents.empty or mentions is None or mentions.empty:
        return pd.Series([[] for _ in range(len(sents))], index=sents.index, dtype=object)
    by_article: dict = {}
    m = mentions.dropna(subset=["entity", "start"])
    for aid, start, name in sorted(zip(m["article_id"], m["start"].astype(int), m["entity"]),
                                   key=lambda r: (str(r[0]), r[1], str(r[2]))):
        by_article.setdefault(aid, ([], []))
        by_article[aid][0].append(start)
        by_article[aid][1].append(name)
    lists: list[list[str]] = []  # built as a list, made a Series once (a .at per row costs ~30 us)
    for aid, s, e in zip(sents["article_id"], sents["start"], sents["end"]):
        starts, entities = by_article.get(aid, ((), ()))
        names: list[str] = []
        if starts:
            for name in entities[bisect.bisect_left(starts, int(s)):bisect.bisect_left(starts, int(e))]:
                if name not in names:
                    names.append(name)
        lists.append(names)
    return pd.Series(lists, index=sents.index, dtype=object)


def _readability_table(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.reindex(columns=READABILITY_COLUMNS).copy()
    for c in df.columns:
        if c.endswith(("lexicon_count", "sentence_count")):
            df[c] = df[c].astype("int64")
    return df.reset_index(drop=True)


def _narration_table(raw: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    if raw.empty:
        return pd.DataFrame(columns=NARRATION_COLUMNS)
    text_of = dict(zip(articles["article_id"], articles["text"]))
    df = raw.copy()
    df["text"] = [text_of[a][int(s):int(e)] for a, s, e in zip(df["article_id"], df["start"], df["end"])]
    return df[NARRATION_COLUMNS].reset_index(drop=True)


def tables(articles: pd.DataFrame, aliases=None, speaker_types=None, cache: bool = True, **analyze_kw) -> Tables:
    """The study's tables for `articles` (a `load_corpus` table), built once per process and corpus.

    `aliases`: a path or table in the aliases.csv format (default: the corpus folder's aliases.csv;
    False for none); `speaker_types`: a speaker-type table (default: the corpus folder's
    speaker_types.csv, tried before the package's); the corpus folder's corrections.csv (speakers
    fixed, quotes dropped or added by the user) is applied to the quotes, each corrected row saying so. Other keywords (engine, n_process, ...) go to
    `pipeline.analyze`."""
    if articles is None:
        articles = pd.DataFrame(columns=["article_id", "outlet", "text"])
    if aliases is None:
        aliases = paths.corpus_file(articles, "aliases.csv")
    if speaker_types is None:
        speaker_types = paths.corpus_file(articles, "speaker_types.csv")
    corrections = paths.corpus_file(articles, CORRECTIONS_FILE)
    genders = paths.corpus_file(articles, gender.GENDERS_FILE)
    key = _key(articles, aliases, speaker_types, corrections, genders)
    if cache and key in _MEMO:
        return _MEMO[key]
    study_dir = Path(analyze_kw.get("cache_dir") or paths.CACHE_DIR) / STUDY_CACHE if cache else None
    stored = disk_cache.read(study_dir, key, check=_is_study) if cache else None
    if stored is not None:
        out = Tables(articles=articles, **stored)
        out.mentions.attrs["unknown_aliases"] = out.unknown_aliases.to_dict("records")
        return _remember(key, out)
    raw = analyze(articles, cache=cache, **analyze_kw)
    mentions, unknown = canonical_mentions(raw["mentions"], aliases)
    mentions["self_reference"] = canon.self_references(mentions, articles).to_numpy(dtype=bool)
    evidence = raw["gender"].drop(columns="outlet")
    mentions = gender.add_gender(mentions, evidence, genders)[MENTION_COLUMNS]
    quotes = apply_corrections(quote_table(raw["quotes"], mentions, speaker_types), articles, corrections,
                               speaker_types, mentions)
    quotes = gender.add_speaker_gender(quotes, mentions).reindex(columns=QUOTE_COLUMNS)
    out = Tables(articles=articles, mentions=mentions, quotes=quotes,
                 sentences=_sentence_table(raw["sentences"], mentions),
                 readability=_readability_table(raw["readability"]),
                 narration=_narration_table(raw["narration"], articles),
                 entity_tone=raw["entity_tone"].reindex(columns=ENTITY_TONE_COLUMNS).reset_index(drop=True),
                 gender_evidence=gender.canonical_evidence(mentions, evidence), unknown_aliases=unknown)
    out.mentions.attrs["unknown_aliases"] = unknown.to_dict("records")
    if not cache:
        return out
    disk_cache.write(study_dir, key, {name: getattr(out, name) for name in TABLE_NAMES})
    return _remember(key, out)


def owner(frame: pd.DataFrame) -> Tables | None:
    """The study (built in this process) that `frame` is one of the tables of, or None: lets a summary
    given only the sentences table find the study's other tables (the scorer's entity_sentiment)."""
    for t in _MEMO.values():
        if any(v is frame for v in t.as_dict().values()):
            return t
    return None


def _is_study(value) -> bool:
    """A stored study: one DataFrame per table name."""
    return isinstance(value, dict) and set(value) == set(TABLE_NAMES) and \
        all(isinstance(v, pd.DataFrame) for v in value.values())


def _remember(key: str, out: Tables) -> Tables:
    while len(_MEMO) >= MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = out
    return out


def mentions(articles: pd.DataFrame, aliases=None, **kw) -> pd.DataFrame:
    """Entity mentions (MENTION_COLUMNS), canonical names across outlets: `tables(articles).mentions`."""
    return tables(articles, aliases=aliases, **kw).mentions


def quotes(articles: pd.DataFrame, **kw) -> pd.DataFrame:
    """Every quote (QUOTE_COLUMNS), speakers linked to canonical names: `tables(articles).quotes`."""
    return tables(articles, **kw).quotes


def sentences(articles: pd.DataFrame, **kw) -> pd.DataFrame:
    """One row per sentence with VADER scores, voice, speaker, canonical entities: `tables(articles).sentences`."""
    return tables(articles, **kw).sentences


def readability(articles: pd.DataFrame, **kw) -> pd.DataFrame:
    """Readability formulas per article, whole text and narration: `tables(articles).readability`."""
    return tables(articles, **kw).readability
