"""The study's tables, built once per corpus and shared by every notebook and the report.

`tables(articles)` returns a `Tables` record: articles, mentions, quotes, sentences, readability and
narration, one tidy table per idea, every row with `article_id`, `outlet` and (except readability)
character offsets into `articles.text`. Per-article rows come from the cached parse
(`pipeline.analyze`); this module applies what needs more than one article: one canonical name per
entity (`canon.canonicalize` with the corpus's aliases.csv), quote speakers linked to those names,
speaker types, corrections, gender, and the canonical names of the entities each sentence mentions.

The unit of that naming is the story (`story_tables`), what presslens compares: building story by
story bounds memory by the largest story, not the corpus (tables take ~80 MB per 1,000 articles).
(Canonicalising distinct surface forms would keep corpus-wide names, but every corpus-wide step --
speaker spellings, roles, gender votes, corrections -- would need rewriting over counts.) On a corpus
of one story the tables are exactly a corpus-wide build's. On several stories, names, speaker
spellings and types, and genders are decided within each story ("Smith" in one story is not linked
to the "John Smith" of another; aliases.csv merges across stories); alias and correction lines are
warned about only when no story has their name or article. Rows keep the articles' order.

`keep_parts(articles)` keeps these tables in the store's parts (`presslens.parts`: Parquet partitioned
by story and month) for `presslens.aggregates` (DuckDB); `build_store(stories)` builds them story by
story for a corpus too large to hold (unchanged stories skipped).
"""
from __future__ import annotations

import bisect
import contextlib
import hashlib
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple

import pandas as pd

from . import canon, gender, kept, paths, store
from .gc_pause import paused
from .parts import PART_TABLES, parts_folder, stored_stories, story_folder, write_story
from .pipeline import COLUMNS, _mp_context, analyze, code_sources, code_version, engine_settings
from .corrections import CORRECTED, CORRECTIONS_FILE, DROPPED, apply_corrections
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
# The corpus tables are also kept on disk (one Parquet file per table in the store folder of this code
# version), so the notebooks of one report (one kernel each) share a single build instead of each
# rebuilding the corpus-level naming from the per-article rows.
STUDY_CACHE = store.STUDY
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
    """Hash of the code building these tables (this module and all it imports) and of the per-article code version."""
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
    of `mentions` (`canon.link_speaker`, one index per article, then one spelling per speaker) and the speaker's type."""
    if raw is None or len(raw) == 0:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    q = raw.reindex(columns=_QUOTE_BASE[:-3]).copy()
    q["n_words"] = q["quote"].map(count_words).astype(int)
    index, no_mentions = canon.SpeakerIndex.per_article(mentions), canon.SpeakerIndex([])
    linked = [index.get(r.article_id, no_mentions).link(r.speaker, r.speaker_start, r.speaker_end)
              for r in q.itertuples(index=False)]
    q["speaker_entity"] = canon.harmonize_speakers(pd.Series(linked, index=q.index, dtype=object))
    roles_elsewhere, labels = corpus_roles(mentions), entity_labels(mentions)
    types, typed = [], {}  # speaker_type is a function of its arguments: a speaker quoted again is typed once
    for r, ent in zip(q.itertuples(index=False), linked):
        # the role as the article states it: the extractor's, then any role the mentions give the entity
        roles = [r.speaker_role] + index.get(r.article_id, no_mentions).roles_of(ent)
        role = "; ".join(dict.fromkeys(x for x in roles if isinstance(x, str) and x.strip())) or None
        args = (role, r.speaker, r.speaker_entity)
        if args not in typed:
            typed[args] = speaker_type(role, r.speaker, r.speaker_entity, speaker_types,
                                       label=labels.get(r.speaker_entity),
                                       corpus_role=roles_elsewhere.get(r.speaker_entity))
        types.append(typed[args])
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


def _corpus_files(articles: pd.DataFrame, aliases=None, speaker_types=None) -> tuple:
    """(aliases, speaker_types, corrections, genders): the given ones, else the corpus folder's files."""
    if aliases is None:
        aliases = paths.corpus_file(articles, "aliases.csv")
    if speaker_types is None:
        speaker_types = paths.corpus_file(articles, "speaker_types.csv")
    return (aliases, speaker_types, paths.corpus_file(articles, CORRECTIONS_FILE),
            paths.corpus_file(articles, gender.GENDERS_FILE))


def story_groups(articles: pd.DataFrame) -> list[pd.DataFrame]:
    """The articles of each story (stories in order of first appearance; articles without a story are
    one group), each keeping the table's attrs (the corpus folder)."""
    if articles is None or len(articles) == 0 or "story" not in articles:
        return [articles] if articles is not None and len(articles) else []
    names = articles["story"].astype(object).where(articles["story"].notna(), None)
    if names.nunique(dropna=False) <= 1:
        return [articles]
    groups = []
    for _, idx in names.groupby(names.map(repr), sort=False).groups.items():
        g = articles.loc[idx].reset_index(drop=True)
        g.attrs = dict(articles.attrs)
        groups.append(g)
    return groups


class StoryWarnings:
    """Collects the warnings of the stories of one build and says each once at the end. A warning that
    a name or an article is absent (an alias line, a correction line) is said only when every story
    raised it: the line belongs to another story, not to none."""
    ABSENT = ("matches no mention in these articles", "no article with id or path")

    def __init__(self, n_stories: int):
        self.n, self.seen = n_stories, {}

    def __enter__(self) -> "StoryWarnings":
        return self

    def add(self, said: list) -> None:
        """Keep one story's warnings, (category, message) pairs."""
        for w in dict.fromkeys(said):
            self.seen[w] = self.seen.get(w, 0) + 1

    def story(self, build):
        """Run `build()` for one story, keeping its warnings."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = build()
        self.add([(w.category, str(w.message)) for w in caught])
        return out

    def __exit__(self, *exc) -> None:
        for (category, message), n in self.seen.items():
            if n == self.n or not any(a in message for a in self.ABSENT):
                warnings.warn(message, category, stacklevel=3)


def combine(articles: pd.DataFrame, parts: list[Tables]) -> Tables:
    """One Tables from the stories' own (`story_tables`): rows in the articles' order, the alias lines
    that matched no mention in any story, the quotes every story's corrections dropped."""
    order = {a: i for i, a in enumerate(articles["article_id"])}
    out = {}
    for name in TABLE_NAMES[:-1]:
        frames = [getattr(t, name) for t in parts]
        full = [f for f in frames if len(f)]  # an empty story's table would turn int columns to object
        df = pd.concat(full, ignore_index=True) if full else frames[0].iloc[:0].copy()
        df.attrs = {}
        if len(df):
            pos = df["article_id"].map(order).to_numpy()
            df = df.iloc[sorted(range(len(df)), key=pos.__getitem__)].reset_index(drop=True)
        out[name] = df
    unknown = parts[0].unknown_aliases
    for t in parts[1:]:
        unknown = unknown.merge(t.unknown_aliases, how="inner")
    result = Tables(articles=articles, **out, unknown_aliases=unknown.reset_index(drop=True))
    result.mentions.attrs["unknown_aliases"] = result.unknown_aliases.to_dict("records")
    result.quotes.attrs[DROPPED] = [r for t in parts for r in t.quotes.attrs.get(DROPPED, [])]
    return result


@paused()
def story_tables(articles: pd.DataFrame, raw: dict, aliases=None, speaker_types=None, corrections=None,
                 genders=None) -> Tables:
    """The study's tables of one story's `articles` from their per-article rows `raw` (`pipeline.analyze`):
    canonical names, speakers, types, corrections and gender decided over these articles alone."""
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
    return out


@paused()
def tables(articles: pd.DataFrame, aliases=None, speaker_types=None, cache=True, parsed=None, **analyze_kw) -> Tables:
    """The study's tables for `articles` (a `load_corpus` table), built once per process and corpus.

    `aliases`: a path or table in the aliases.csv format (default: the corpus folder's aliases.csv;
    False for none); `speaker_types`: a speaker-type table (default: the corpus folder's
    speaker_types.csv, tried before the package's); the corpus folder's corrections.csv (speakers
    fixed, quotes dropped or added by the user) is applied to the quotes, each corrected row saying so.
    Names, speakers and genders are decided per story (`story_tables`; see the module docstring); rows
    keep the articles' order. `parsed()`, if given, is called once they are analysed, before the tables are built
    from them (the report then starts its first kernels); other keywords (engine, n_process, ...) go to `analyze`."""
    if articles is None:
        articles = pd.DataFrame(columns=["article_id", "outlet", "text"])
    files = _corpus_files(articles, aliases, speaker_types)
    key = _key(articles, *files)
    cache_dir = Path(analyze_kw.get("cache_dir") or paths.CACHE_DIR)
    memo_key = f"{key} {cache_dir}"  # a study kept in another cache folder is another study
    if cache and memo_key in _MEMO:
        return _MEMO[memo_key]
    study_file = store.root(cache_dir, code_version()) / STUDY_CACHE / f"{key}.pkl"
    stored = kept.read(study_file, "the kept study tables", lambda o: isinstance(o, dict) and set(o) == set(TABLE_NAMES)
                       and all(isinstance(df, pd.DataFrame) for df in o.values())) if cache else None
    if stored is not None:
        out = Tables(articles=articles, **stored)
        out.mentions.attrs["unknown_aliases"] = out.unknown_aliases.to_dict("records")
        return _remember(memo_key, out)
    raw = analyze(articles, cache=cache, **analyze_kw)
    if parsed is not None:
        parsed()
    groups = story_groups(articles)
    if len(groups) <= 1:
        out = story_tables(articles, raw, *files)
    else:
        with StoryWarnings(len(groups)) as said:
            parts = []
            for group in groups:
                ids = set(group["article_id"])
                part_raw = {t: df[df["article_id"].isin(ids)].reset_index(drop=True) for t, df in raw.items()}
                parts.append(said.story(lambda: story_tables(group, part_raw, *files)))
        out = combine(articles, parts)
    if not cache:
        return out
    kept.write(study_file, {name: getattr(out, name) for name in TABLE_NAMES})
    return _remember(memo_key, out)


class StoryBuild(NamedTuple):
    """One story of a corpus as its stored tables are keyed: its articles (with `position`, their
    place in the corpus), the corpus files that shape its tables, its build key and its true name."""
    group: pd.DataFrame
    files: tuple
    key: str
    story: str | None


def story_builds(articles, aliases=None, speaker_types=None) -> Iterator[StoryBuild]:
    """A StoryBuild per story of `articles` (a `load_corpus` table, or an iterable of one-story
    tables), in order; articles without a `position` are numbered in the table's order (across the
    stories as they come, for an iterable)."""
    if isinstance(articles, pd.DataFrame) and "position" not in articles:
        articles = articles.assign(position=range(len(articles)))
    groups = story_groups(articles) if isinstance(articles, pd.DataFrame) else articles
    position = 0
    for group in groups:
        if "position" not in group:
            group = group.assign(position=range(position, position + len(group)))
        position += len(group)
        files = _corpus_files(group, aliases, speaker_types)
        story = store.story_name(group["story"].iloc[0] if "story" in group and len(group) else None)
        yield StoryBuild(group, files, _key(group, *files, list(group["position"]), list(group.get("date", []))), story)


def keep_parts(articles: pd.DataFrame, aliases=None, speaker_types=None, cache_dir=None) -> list[StoryBuild]:
    """Make the store's parts (`presslens.parts`) hold every story of `articles` as `tables(articles)`
    has them, and return the stories: a story whose parts are current is left alone, the others are
    written from the study's tables (this process's, or the ones kept on disk), each story's rows
    taken from them. What the aggregates read is then exactly what the notebooks' tables hold."""
    folder = parts_folder(cache_dir)
    done = stored_stories(folder)
    builds = list(story_builds(articles, aliases, speaker_types))
    todo = [b for b in builds if done.get(story_folder(b.story), {}).get("key") != b.key]
    if not todo:
        return builds
    t = tables(articles, aliases=aliases, speaker_types=speaker_types, cache_dir=cache_dir)
    whole = {name: getattr(t, name) for name in PART_TABLES if name != "articles"}
    for b in todo:
        ids = set(b.group["article_id"])
        rows = whole if len(ids) == len(articles) else {
            k: df[df["article_id"].isin(ids)].reset_index(drop=True) for k, df in whole.items()}
        write_story(folder, b.story, b.key, replace(t, articles=b.group, **rows))
    return builds


def _build_story(group: pd.DataFrame, files: tuple, key: str, story, cache_dir, analyze_kw: dict) -> list:
    """Analyse, build and write one story (in this process or a worker); its warnings, as
    (category, message) pairs, for `StoryWarnings`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = analyze(group, cache_dir=cache_dir, **analyze_kw)
        write_story(parts_folder(cache_dir), story, key, story_tables(group, raw, *files))
    return [(w.category, str(w.message)) for w in caught]


def build_store(articles, aliases=None, speaker_types=None, cache_dir=None, n_process: int | None = None,
                done=None, **analyze_kw) -> Path:
    """Build the study's tables story by story into the store (`parts_folder`) and return that folder.

    `articles`: a `load_corpus` table, or an iterable of such tables one story each (so a corpus need
    not be held whole). Each story is analysed (`pipeline.analyze`, from the store where stored), built
    (`story_tables`) and written partitioned by month; a story whose articles and corpus files are
    unchanged since its last build is skipped. With `n_process` > 1 (default: PRESSLENS_PROCESSES)
    stories are built in that many worker processes, at most two each in flight. Memory is bounded by
    the largest story (per process). `done(n)`, when given, is called as each story's n articles are built
    or found current (a progress bar's update)."""
    folder = parts_folder(cache_dir)
    stored = stored_stories(folder)
    n_process = engine_settings(None, n_process, None)[1]
    pool = ProcessPoolExecutor(n_process, mp_context=_mp_context()) if n_process > 1 else None
    pending: dict = {}  # future -> its story's articles
    tick = done or (lambda n: None)

    def collect(finished) -> None:
        for f in finished:
            said.add(f.result())
            tick(pending.pop(f))

    with StoryWarnings(0) as said, pool or contextlib.nullcontext():
        for b in story_builds(articles, aliases, speaker_types):
            if stored.get(story_folder(b.story), {}).get("key") == b.key:
                tick(len(b.group))
                continue
            said.n += 1
            job = (b.group, b.files, b.key, b.story, cache_dir, analyze_kw)
            if pool is None:
                said.add(_build_story(*job))
                tick(len(b.group))
                continue
            while len(pending) >= 2 * n_process:
                collect(wait(pending, return_when=FIRST_COMPLETED).done)
            pending[pool.submit(_build_story, *job)] = len(b.group)
        collect(wait(pending).done)
    return folder


def owner(frame: pd.DataFrame) -> Tables | None:
    """The study (built in this process) that `frame` is one of the tables of, or None: lets a summary
    given only the sentences table find the study's other tables (the scorer's entity_sentiment)."""
    for t in _MEMO.values():
        if any(v is frame for v in t.as_dict().values()):
            return t
    return None


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
