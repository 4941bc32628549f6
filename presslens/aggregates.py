"""Per-outlet figures of a whole corpus, summed by DuckDB over the study's tables in the store.

The study's tables are kept as Parquet files partitioned by story and month (`presslens.parts`:
`corpus_source(articles)` keeps those of `study.tables(articles)`; `study.build_store` builds a corpus
too large to hold story by story); the functions here read only the columns they need from those
files (DuckDB `read_parquet`, Hive partitions) and return the same small tables as the pandas
summaries the notebooks once computed on `pl.tables(articles)`, without loading a corpus's rows:

    coverage             overview.coverage_table         articles and words per story and outlet
    mention_rates        entities.mention_rates          mentions per 1,000 words per outlet and entity
    top_entities         entities.top_entities           the n most-named per outlet (self-references out)
    share_of_voice       voices.share_of_voice           quotes and quoted words per speaker and outlet
    speaker_type_shares  voices.speaker_type_shares      quotes and quoted words per speaker type and outlet
    article_tone         sentiment.article_tone          per article and voice: sentences, mean compound, tone shares
    tone_shares          sentiment.plot_tone_shares data per outlet and voice: mean share of each tone, bootstrap
    readability_summary  reading_level.outlet_summary    mean readability per outlet
    gender_shares        gender_split.gender_shares      speaker and people-mentioned gender shares, bootstrap

Rows of a table are ordered as in `pl.tables` (the article's `position` in the corpus, then the row's
place in its file), so "first" labels, modes and bootstrap draws match the pandas summaries exactly.
Bootstrap intervals are computed in pandas on per-article sums (one row per article, not per mention).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from . import store, study
from .parts import parts_folder, stored_stories, story_folder
from .entities import RATE_COLUMNS, top_entities as _top
from .gender import UNKNOWN
from .gender_split import SUMMARY_COLUMNS, gender_categories
from .overview import COVERAGE_COLUMNS
from .reading_level import grade_in_words, reading_ease_in_words
from .sentiment import ARTICLE_TONE_COLUMNS, TONES, tone_share_estimates
from .shares import category_shares
from .speaker_types import OTHER_TYPE, UNATTRIBUTED_TYPE
from .voices import SHARE_COLUMNS as VOICE_SHARE_COLUMNS
from .voices import TYPE_COLUMNS, UNATTRIBUTED

# DuckDB's own limits: both cores, and a memory ceiling well under the 4 GB a laptop run may use
# (DuckDB spills to disk past it rather than failing).
THREADS = 2
MEMORY_LIMIT = "1GB"
# The order of a row in the corpus: the article's position, then the row's place in its file (one
# article's rows are all in one story-month file), as one number.
ORDER = "a.position * 4294967296 + t.file_row_number"
# The study's tables of one row per article (`article_rows`).
PER_ARTICLE_TABLES = ("readability", "narration")
READABILITY_MEANS = ["flesch_kincaid_grade", "flesch_reading_ease", "narration_flesch_kincaid_grade",
                     "words_per_sentence"]


class Source(NamedTuple):
    """Which study tables to read: the store's parts folder (`parts.parts_folder`), all stories,
    months and outlets, or only those given (true story names, None for articles without a story;
    YYYY-MM; outlet names)."""
    folder: Path
    stories: tuple | None = None
    months: tuple | None = None
    outlets: tuple | None = None


def source(folder=None, stories=None, months=None) -> Source:
    """A Source over `folder` (default: the parts folder of the default cache)."""
    return Source(Path(folder) if folder is not None else parts_folder(),
                  None if stories is None else tuple(stories), None if months is None else tuple(months))


def corpus_source(articles: pd.DataFrame, aliases=None, speaker_types=None, cache_dir=None) -> Source:
    """A Source over the stories of `articles` (a `load_corpus` table): the rows of `study.tables(articles)`,
    kept in the store's parts the first time they are asked for (`study.keep_parts`)."""
    stories = study.keep_parts(articles, aliases, speaker_types, cache_dir)
    return Source(parts_folder(cache_dir), tuple(b.story for b in stories), None)


def stored_source(articles: pd.DataFrame, aliases=None, speaker_types=None, cache_dir=None,
                  n_process: int | None = None, done=None) -> Source:
    """A Source over the stories of `articles` (a `load_corpus` table) built into the store story by
    story (`study.build_store`: only the stories changed since their last build are analysed, and no
    table's rows are gathered in this process): the aggregates of a corpus too large to hold its tables.
    `done(n)` is called as each story's n articles are built or found current."""
    folder = study.build_store(articles, aliases, speaker_types, cache_dir, n_process, done=done)
    stories = articles["story"] if "story" in articles else pd.Series([None] * len(articles), dtype=object)
    return Source(folder, tuple(dict.fromkeys(map(store.story_name, stories))), None)


def top_outlets(src: Source, n: int) -> list[str]:
    """The `n` outlets of the source with the most articles (ties by name), most first: the outlets a
    chart of a corpus of many outlets shows, its rows still readable."""
    out = _sql(src, (), f"""SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet
        ORDER BY count(*) DESC, outlet LIMIT {int(n)}""")
    return [] if out is None else list(out["outlet"])


def build_keys(src: Source) -> list[str]:
    """The build keys of the source's stories as stored: they change whenever any of their tables does."""
    stored = stored_stories(src.folder)
    wanted = sorted(stored) if src.stories is None else [story_folder(s) for s in src.stories]
    return [stored[s]["key"] for s in wanted if s in stored]


def part_files(folder: Path, table: str, stories=None, months=None) -> list[Path]:
    """The current Parquet files of one study table in `folder`: every story's, or those of `stories`
    (true names) and `months` (YYYY-MM) when given."""
    want = None if stories is None else {story_folder(x) for x in stories}
    out = []
    for s, man in stored_stories(folder).items():
        if want is not None and s not in want:
            continue
        for m in man["months"].get(table, []):
            if months is None or m in months:
                out.append(Path(folder) / table / f"story={s}" / f"month={m}" / f"{man['key']}.parquet")
    return out


def _connect(src: Source, *tables: str) -> duckdb.DuckDBPyConnection | None:
    """A DuckDB connection with a view per table over its current files; None when a table has none."""
    con = duckdb.connect()
    con.execute(f"SET threads={THREADS}")
    con.execute(f"SET memory_limit='{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order=false")
    for t in ("articles", *tables):
        files = [str(p) for p in part_files(src.folder, t, src.stories, src.months)]
        if not files:
            con.close()
            return None
        rel = con.read_parquet(files, hive_partitioning=False, union_by_name=True, file_row_number=True)
        if src.outlets is not None:
            rel = rel.filter(duckdb.ColumnExpression("outlet").isin(*map(duckdb.ConstantExpression, src.outlets))
                             if src.outlets else duckdb.ConstantExpression(False))
        rel.create_view(t)
    return con


def _sql(src: Source, tables: tuple, query: str, params=None) -> pd.DataFrame | None:
    con = _connect(src, *tables)
    if con is None:
        return None
    try:
        return con.execute(query, params or []).df()
    finally:
        con.close()


def article_rows(src: Source, table: str = "readability") -> pd.DataFrame:
    """A study table of one row per article (PER_ARTICLE_TABLES: readability, narration) as the study
    built it, its rows in corpus order: such a table is no longer than the articles table, which is held
    anyway, so the per-article charts (e.g. `reading_level.plot_grade_levels`) draw from it as they are."""
    if table not in PER_ARTICLE_TABLES:
        raise ValueError(f"{table!r} is not a table of one row per article ({', '.join(PER_ARTICLE_TABLES)})")
    files = part_files(src.folder, table, src.stories, src.months)
    if not files:
        return pd.DataFrame()
    df = pd.concat([store._frame(pq.read_table(f)) for f in files], ignore_index=True)  # noqa: SLF001 - its decoding
    if src.outlets is not None:
        df = df[df["outlet"].isin(src.outlets)]
    order = _sql(src, (), "SELECT article_id, position FROM articles")
    position = df["article_id"].map(dict(zip(order["article_id"], order["position"])))
    return df.iloc[position.argsort(kind="stable")].reset_index(drop=True)


def export_table(src: Source, table: str, path: Path) -> int:
    """Write one study table (every row, in corpus order; list columns as JSON text) to a Parquet file
    with DuckDB, which streams it from the store's parts and never holds the table in memory; returns
    the number of rows written (0 and no file when the table has none)."""
    con = _connect(src, *(() if table == "articles" else (table,)))
    if con is None:
        return 0
    try:
        query = ("SELECT * EXCLUDE (file_row_number) FROM articles ORDER BY position" if table == "articles" else
                 f"SELECT t.* EXCLUDE (file_row_number) FROM {table} t JOIN articles a USING (article_id) "
                 f"ORDER BY {ORDER}")
        tmp = path.with_name(f".{path.name}.tmp")
        con.execute(f"COPY ({query}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT PARQUET)")
        os.replace(tmp, path)
        return int(pq.ParquetFile(path).metadata.num_rows)
    finally:
        con.close()


def _frame(df: pd.DataFrame | None, columns: list, types: dict | None = None) -> pd.DataFrame:
    """`df` with `columns` in order and `types` cast; an empty table of `columns` when there is none."""
    if df is None or df.empty:
        return pd.DataFrame(columns=columns)
    return df.astype(types or {})[columns].reset_index(drop=True)


def coverage(src: Source) -> pd.DataFrame:
    """One row per story x outlet: articles, words, first and last date (`overview.coverage_table`)."""
    out = _sql(src, (), """SELECT story, outlet, count(*) AS articles, sum(n_words) AS words,
        min(date) AS first_date, max(date) AS last_date FROM articles
        WHERE story IS NOT NULL AND outlet IS NOT NULL GROUP BY story, outlet ORDER BY story, outlet""")
    return _frame(out, COVERAGE_COLUMNS, {"articles": "int64", "words": "int64"})


def mention_rates(src: Source, labels=("PERSON", "ORG"), self_references: bool = False) -> pd.DataFrame:
    """Per outlet and entity: mentions, mentions per 1,000 words of the outlet, share of its articles
    naming the entity (`entities.mention_rates`; self-references left out unless asked for)."""
    where = "t.entity IS NOT NULL AND t.outlet IS NOT NULL"
    if labels:
        where += " AND list_contains($labels, t.label)"
    if not self_references:
        where += " AND NOT coalesce(t.self_reference, false)"
    out = _sql(src, ("mentions",), f"""
        WITH w AS (SELECT outlet, sum(n_words) AS n_words, count(DISTINCT article_id) AS n_outlet_articles
                   FROM articles GROUP BY outlet),
        m AS (SELECT t.outlet, t.entity, first(t.label ORDER BY {ORDER}) FILTER (WHERE t.label IS NOT NULL)
                     AS label, count(*) AS n_mentions, count(DISTINCT t.article_id) AS n_articles
              FROM mentions t JOIN articles a USING (article_id) WHERE {where} GROUP BY t.outlet, t.entity)
        SELECT m.*, w.n_words, w.n_outlet_articles FROM m JOIN w USING (outlet)""",
               {"labels": list(labels)} if labels else None)
    if out is None or out.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    out = out.astype({"n_mentions": "int64", "n_articles": "int64", "n_words": "int64",
                      "n_outlet_articles": "int64"})
    out["per_1000_words"] = 1000 * out["n_mentions"] / out["n_words"].where(out["n_words"] > 0)
    out["share_of_articles"] = out["n_articles"] / out["n_outlet_articles"]
    out = out.sort_values(["outlet", "entity"]).sort_values(["outlet", "n_mentions", "entity"],
                                                            ascending=[True, False, True], kind="stable")
    return out[RATE_COLUMNS].reset_index(drop=True)


def top_entities(src: Source, n: int = 10, labels=("PERSON", "ORG")) -> pd.DataFrame:
    """The `n` entities most mentioned per 1,000 words in each outlet (`entities.top_entities`)."""
    return _top(mention_rates(src, labels), n)


_QUOTES = f"""SELECT t.outlet, t.article_id,
    coalesce(t.speaker_entity, '{UNATTRIBUTED}') AS speaker_entity,
    coalesce(t.speaker_type, '{UNATTRIBUTED_TYPE}') AS speaker_type,
    coalesce(TRY_CAST(t.n_words AS DOUBLE), 0)::BIGINT AS n_words FROM quotes t WHERE t.outlet IS NOT NULL"""


def _shares(df: pd.DataFrame) -> pd.DataFrame:
    """Each row's share of its outlet's quotes and quoted words (0 when the outlet has none)."""
    tot = df.groupby("outlet")[["n_quotes", "n_words"]].transform("sum")
    df["share_quotes"] = (df["n_quotes"] / tot["n_quotes"].where(tot["n_quotes"] > 0)).fillna(0.0)
    df["share_words"] = (df["n_words"] / tot["n_words"].where(tot["n_words"] > 0)).fillna(0.0)
    return df


def share_of_voice(src: Source) -> pd.DataFrame:
    """Quotes and quoted words per speaker per outlet, with shares (`voices.share_of_voice`; a speaker's
    type is its commonest, the first in sort order on a tie)."""
    out = _sql(src, ("quotes",), f"""WITH q AS ({_QUOTES}),
        k AS (SELECT outlet, speaker_entity, speaker_type, count(*) AS c FROM q GROUP BY ALL),
        t AS (SELECT outlet, speaker_entity, first(speaker_type ORDER BY c DESC, speaker_type) AS speaker_type
              FROM k GROUP BY ALL)
        SELECT outlet, speaker_entity, t.speaker_type, count(DISTINCT article_id) AS n_articles,
               count(*) AS n_quotes, sum(n_words) AS n_words
        FROM q JOIN t USING (outlet, speaker_entity) GROUP BY outlet, speaker_entity, t.speaker_type""")
    if out is None or out.empty:
        return pd.DataFrame(columns=VOICE_SHARE_COLUMNS)
    out = _shares(out.astype({"n_articles": "int64", "n_quotes": "int64", "n_words": "int64"}))
    out = out.sort_values(["outlet", "share_words", "n_quotes", "speaker_entity"],
                          ascending=[True, False, False, True], kind="stable")
    return out[VOICE_SHARE_COLUMNS].reset_index(drop=True)


def speaker_type_shares(src: Source) -> pd.DataFrame:
    """Named speakers, quotes and quoted words per speaker type per outlet, a row for every type seen
    anywhere, types by quoted words with 'other' and 'unattributed' last (`voices.speaker_type_shares`)."""
    out = _sql(src, ("quotes",), f"""WITH q AS ({_QUOTES})
        SELECT outlet, speaker_type, count(DISTINCT speaker_entity) FILTER (WHERE speaker_entity <> '{UNATTRIBUTED}')
               AS n_speakers, count(*) AS n_quotes, sum(n_words) AS n_words FROM q GROUP BY ALL""")
    if out is None or out.empty:
        return pd.DataFrame(columns=TYPE_COLUMNS)
    words = out.groupby("speaker_type")["n_words"].sum()
    types = sorted(words.index, key=lambda t: (t in (OTHER_TYPE, UNATTRIBUTED_TYPE), -words[t], t))
    grid = pd.MultiIndex.from_product([sorted(out["outlet"].unique()), types], names=["outlet", "speaker_type"])
    out = out.set_index(["outlet", "speaker_type"]).reindex(grid, fill_value=0).reset_index()
    out = out.astype({"n_speakers": "int64", "n_quotes": "int64", "n_words": "int64"})
    return _shares(out)[TYPE_COLUMNS]


def article_tone(src: Source) -> pd.DataFrame:
    """Per article and voice ('all', 'narration', 'quote'): sentences, mean VADER compound and the share
    of each tone (`sentiment.article_tone`), articles in corpus order within each voice."""
    shares = ", ".join(f"avg((t.tone = '{x}')::DOUBLE) AS share_{x}" for x in TONES)
    out = _sql(src, ("sentences",), f"""
        WITH s AS (SELECT t.*, {ORDER} AS o FROM sentences t JOIN articles a USING (article_id)
                   WHERE t.article_id IS NOT NULL AND t.outlet IS NOT NULL),
        v AS (SELECT 'all' AS voice, 0 AS v_order, * EXCLUDE (voice) FROM s
              UNION ALL SELECT voice, CASE voice WHEN 'narration' THEN 1 ELSE 2 END, * EXCLUDE (voice)
              FROM s WHERE voice IN ('narration', 'quote'))
        SELECT t.article_id, t.outlet, t.voice, count(*) AS n_sentences, avg(t.compound) AS mean_compound,
               {shares}, min(t.v_order) AS v_order, min(t.o) AS o
        FROM v t GROUP BY t.article_id, t.outlet, t.voice ORDER BY v_order, o""")
    return _frame(out, ARTICLE_TONE_COLUMNS, {"n_sentences": "int64"})


def tone_shares(src: Source, tone: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per tone, outlet and voice: the mean over articles of the share of sentences of that tone, with
    a 95% bootstrap interval (the data of `sentiment.plot_tone_shares`)."""
    return tone_share_estimates(article_tone(src) if tone is None else tone)


def readability_summary(src: Source) -> pd.DataFrame:
    """Per outlet: articles, mean Flesch-Kincaid grade and Flesch reading ease of the full text, said in
    words, narration grade and words per sentence (`reading_level.outlet_summary`)."""
    means = ", ".join(f"avg(CASE WHEN isnan({c}) THEN NULL ELSE {c} END) AS {c}" for c in READABILITY_MEANS)
    out = _sql(src, ("readability",), f"""SELECT outlet, count(article_id) AS n_articles, {means}
        FROM readability WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY outlet""")
    cols = ["outlet", "n_articles", "flesch_kincaid_grade", "grade_in_words", "flesch_reading_ease",
            "reading_ease_in_words", "narration_flesch_kincaid_grade", "words_per_sentence"]
    if out is None or out.empty:
        return pd.DataFrame(columns=cols)
    out["grade_in_words"] = out["flesch_kincaid_grade"].map(grade_in_words)
    out["reading_ease_in_words"] = out["flesch_reading_ease"].map(reading_ease_in_words)
    return out.astype({"n_articles": "int64"})[cols]


def gender_shares(src: Source, **kw) -> pd.DataFrame:
    """Per outlet, the gender split of quotes by people, of their quoted words and of the people each
    article mentions (one per person and article), each with an article-cluster bootstrap interval
    (`gender_split.gender_shares`): DuckDB sums per article and gender, the bootstrap runs on those sums."""
    parts = []
    q = _sql(src, ("quotes",), f"""SELECT outlet, article_id, coalesce(speaker_gender, '{UNKNOWN}') AS speaker_gender,
        count(*)::DOUBLE AS n_rows, sum(coalesce(TRY_CAST(n_words AS DOUBLE), 0)) AS n_words
        FROM quotes WHERE speaker_kind = 'person' GROUP BY ALL""")
    if q is not None and len(q):
        cats = gender_categories(q["speaker_gender"])
        rows = category_shares(q, "outlet", "speaker_gender", weight="n_rows", categories=cats, **kw)
        parts.append(rows.astype({"n": "int64", "total": "int64"}).assign(measure="quotes"))
        parts.append(category_shares(q, "outlet", "speaker_gender", weight="n_words", categories=cats, **kw)
                     .assign(measure="quoted words"))
    p = _sql(src, ("mentions",), f"""WITH p AS (
        SELECT t.outlet, t.article_id, first(t.gender ORDER BY {ORDER}) AS gender FROM mentions t
        JOIN articles a USING (article_id) WHERE t.label = 'PERSON' GROUP BY t.outlet, t.article_id, t.entity)
        SELECT outlet, article_id, coalesce(gender, '{UNKNOWN}') AS gender, count(*)::DOUBLE AS n_rows
        FROM p GROUP BY ALL""")
    if p is not None and len(p):
        rows = category_shares(p, "outlet", "gender", weight="n_rows", categories=gender_categories(p["gender"]), **kw)
        parts.append(rows.astype({"n": "int64", "total": "int64"}).assign(measure="people mentioned"))
    if not parts:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    return pd.concat(parts, ignore_index=True)[SUMMARY_COLUMNS]


def summary(src: Source, top_n: int = 10) -> dict[str, pd.DataFrame]:
    """Every aggregate above, by name: what a report of the whole corpus charts."""
    tone = article_tone(src)
    return {"coverage": coverage(src), "mention_rates": mention_rates(src), "top_entities": top_entities(src, top_n),
            "share_of_voice": share_of_voice(src), "speaker_type_shares": speaker_type_shares(src),
            "article_tone": tone, "tone_shares": tone_shares(src, tone),
            "readability_summary": readability_summary(src), "gender_shares": gender_shares(src)}
