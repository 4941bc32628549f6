"""The columnar store of per-article rows: Parquet files partitioned Hive-style by story and month.

Layout (Apache Parquet, read with pyarrow datasets; "Hive partitioning" = one `name=value` folder
level per partition column, as pyarrow.dataset.partitioning(flavor="hive") reads it):

    <cache_dir>/store/<code_version>/<table>/story=<story>/month=<YYYY-MM>/<batch>.parquet
    <cache_dir>/store/<code_version>/articles/<batch>.parquet     the index: one row per stored article
    <cache_dir>/store/<code_version>/study/<key>.pkl             the study's tables (`study.tables`, `kept`)

Each row carries the article's content `key`, the `batch` that wrote it and its number `row` within the
article, then the table's columns under a fixed Arrow schema (`COLUMN_KINDS`). The index holds key,
batch, true story, month, write time and each table's row count (so an article with no rows is known to
be stored); a key written twice is read from its latest batch only. Files are written under a temporary
dot-name then `os.replace`d, the index last, so a killed writer leaves nothing that is read; a file that
cannot be read (or fails its Parquet page checksums) is set aside with a warning naming it, and its
articles count as not stored.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import unicodedata
import warnings
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

# Bump when the layout or a column's encoding changes (it is part of the code version, so a new folder).
FORMAT = "presslens-store-1"
INDEX, STUDY = "articles", "study"  # the folders of the index and of the study's tables
NO_STORY = "none"       # partition value of an article without a story
NO_MONTH = "unknown"    # partition value of an article without a date
# Longest partition folder value kept readable; longer or unsafe names get a hash suffix instead.
MAX_PART_CHARS = 80
# A partition folder with more files than this is merged into one after a write (`compact`).
COMPACT_FILES = 32
# Parquet page checksums (CRC-32) written and verified, so a damaged page is an error, not wrong values.
_FORMAT_OPTIONS = ds.ParquetFileFormat(
    default_fragment_scan_options=ds.ParquetFragmentScanOptions(page_checksum_verification=True))
_PARTITIONING = ds.partitioning(pa.schema([("story", pa.string()), ("month", pa.string())]), flavor="hive")

# How each per-article column is kept. "number" (an int or a float, e.g. a sum that is 0 when empty)
# is a float64 plus a flag column `<name>__int`; "json" keeps any nested list of numbers/strings exactly.
INT, FLOAT, BOOL, STR, NUMBER, STRS, INT_LISTS, JSON = (
    "int", "float", "bool", "str", "number", "strs", "int_lists", "json")
ARROW_TYPES = {INT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_(), STR: pa.string(), NUMBER: pa.float64(),
               STRS: pa.list_(pa.string()), INT_LISTS: pa.list_(pa.list_(pa.int64())), JSON: pa.string()}
_OFFSETS = {c: INT for c in ("start", "end", "paragraph", "sentence", "cue_start", "cue_end", "speaker_start",
                             "speaker_end", "segment")}
COLUMN_KINDS = {
    "quotes": {**_OFFSETS, "quote": STR, "kind": STR, "cue": STR, "speaker": STR, "speaker_role": STR},
    "mentions": {**_OFFSETS, "entity": STR, "label": STR, "surface": STR, "in_quote": BOOL, "role": STR},
    "sentences": {**_OFFSETS, "text": STR, "neg": FLOAT, "neu": FLOAT, "pos": FLOAT, "compound": FLOAT,
                  "voice": STR, "speaker": STR, "entities": STRS},
    "narration": dict(_OFFSETS),
    "readability": {"quoted_word_share": FLOAT},  # counts are INT, every other metric FLOAT (`column_kind`)
    "gender": {**_OFFSETS, "entity": STR, "gender": STR, "evidence": STR},
    "entity_tone": {"entity": STR, "label": STR, "mention_spans": INT_LISTS, "n_mentions": INT,
                    "n_mentions_quote": INT, "n_words_narration": INT, "n_words_quote": INT,
                    "valence_narration": NUMBER, "valence_quote": NUMBER, "tone_narration": FLOAT,
                    "tone_quote": FLOAT, "spans_narration": INT_LISTS, "spans_quote": INT_LISTS, "cues": JSON},
}
_INT64 = 1 << 63
_WARNED: set = set()


class Partition(NamedTuple):
    """Where an article's rows go: the partition folder values (safe names) and the true story."""
    story: str
    month: str
    story_name: str | None


class Batch(NamedTuple):
    """What a writer reports back: the keys it stored and their rows per table (never the rows)."""
    stored: list
    counts: dict


def column_kind(table: str, column: str) -> str:
    """The kind of a per-article column (COLUMN_KINDS; readability counts are ints, its metrics floats);
    a column not listed is kept as exact JSON."""
    kind = COLUMN_KINDS.get(table, {}).get(column)
    if kind is None and table == "readability":
        kind = INT if column.endswith(("lexicon_count", "sentence_count")) else FLOAT
    return kind or JSON


def root(cache_dir, version: str) -> Path:
    """The store folder of one code version."""
    return Path(cache_dir) / "store" / version


def safe_part(value: str | None, absent: str) -> str:
    """A partition folder value for any user string: itself when short and made of [A-Za-z0-9._-],
    else a readable ASCII slug plus a hash of the true value; `absent` for None or blank."""
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return absent
    s = str(value)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", s) and len(s) <= MAX_PART_CHARS:
        return s
    ascii_s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9-]+", "_", ascii_s).strip("_")[:MAX_PART_CHARS]
    return f"{slug}-{hashlib.sha256(s.encode('utf8', 'surrogatepass')).hexdigest()[:10]}"


def month_of(date) -> str:
    """YYYY-MM of a date (a Timestamp, datetime or parseable string), NO_MONTH when absent or unreadable."""
    try:
        ts = pd.Timestamp(date)
    except (ValueError, TypeError):
        return NO_MONTH
    return NO_MONTH if pd.isna(ts) else f"{ts.year:04d}-{ts.month:02d}"


def story_name(story) -> str | None:
    """An article's true story name: the value as text, None when it has none (None or NaN)."""
    return None if story is None or (isinstance(story, float) and story != story) else str(story)


def partition(story, date) -> Partition:
    """The Partition of an article with this story and date."""
    name = story_name(story)
    return Partition(safe_part(name, NO_STORY), month_of(date), name)


def schema(table: str, columns: list) -> pa.Schema:
    """The Arrow schema of one table's files: key, batch, row, then each column (and number flags)."""
    fields = [pa.field("key", pa.string()), pa.field("batch", pa.string()), pa.field("row", pa.int32())]
    for c in columns:
        kind = column_kind(table, c)
        fields.append(pa.field(c, ARROW_TYPES[kind]))
        if kind == NUMBER:
            fields.append(pa.field(f"{c}__int", pa.bool_()))
    return pa.schema(fields, metadata={"format": FORMAT, "table": table})


def index_schema(tables) -> pa.Schema:
    """The index's schema: key, batch, story (true value), story and month folders, write time, counts."""
    return pa.schema([("key", pa.string()), ("batch", pa.string()), ("story_name", pa.string()),
                      ("story", pa.string()), ("month", pa.string()), ("written", pa.int64()),
                      *[(f"n_{t}", pa.int32()) for t in tables]], metadata={"format": FORMAT})


def _json_exact(v) -> bool:
    """A value JSON keeps exactly: None, a bool, str, float or 64-bit int, or a list of such values."""
    return v is None or type(v) in (bool, str, float) or (type(v) is int and -_INT64 <= v < _INT64) \
        or (type(v) is list and all(_json_exact(x) for x in v))


_CHECKS = {
    INT: lambda v: v is None or (type(v) is int and -_INT64 <= v < _INT64),
    FLOAT: lambda v: v is None or type(v) is float,
    BOOL: lambda v: v is None or type(v) is bool,
    STR: lambda v: v is None or type(v) is str,
    NUMBER: lambda v: v is None or type(v) is float or (type(v) is int and abs(v) < (1 << 53)),
    STRS: lambda v: type(v) is list and all(type(x) is str for x in v),
    INT_LISTS: lambda v: type(v) is list and all(type(x) is list and all(type(i) is int and -_INT64 <= i < _INT64
                                                                         for i in x) for x in v),
    JSON: _json_exact,
}


# The Python types a column of each scalar kind may hold, checked for a whole column at once (`_fits`).
_SCALAR_TYPES = {INT: {int, type(None)}, FLOAT: {float, type(None)}, BOOL: {bool, type(None)},
                 STR: {str, type(None)}, NUMBER: {int, float, type(None)}}


def _fits(kind: str, values: list) -> bool:
    """Whether every value of a column fits its kind (`_CHECKS`, one value at a time for lists and JSON)."""
    allowed = _SCALAR_TYPES.get(kind)
    if allowed is None:
        return all(map(_CHECKS[kind], values))
    if not set(map(type, values)) <= allowed:
        return False
    if kind in (INT, NUMBER):
        ints = [v for v in values if type(v) is int]
        low, high = (-_INT64, _INT64 - 1) if kind == INT else (-(1 << 53) + 1, (1 << 53) - 1)
        return not ints or (low <= min(ints) and max(ints) <= high)
    return True


def _misfit(table: str, columns: list, rows: list) -> str | None:
    """Why these rows cannot be kept exactly under the table's schema (None when they can): each column
    checked whole (`_fits`), then, if one does not fit, the rows in order for the first misfit."""
    kinds = [(c, column_kind(table, c)) for c in columns]
    try:
        if all(_fits(kind, [r[c] for r in rows]) for c, kind in kinds):
            return None
    except KeyError:
        pass
    for r in rows:
        for c, kind in kinds:
            if c not in r:
                return f"{table} row without {c!r}"
            if not _CHECKS[kind](r[c]):
                return f"{table}.{c} holds a {type(r[c]).__name__} ({kind} expected)"
    return None


def _arrow(table: str, columns: list, keyed_rows: list, batch: str) -> pa.Table:
    """One Arrow table from (key, row number, row dict) triples."""
    sch = schema(table, columns)
    data = {"key": [k for k, _, _ in keyed_rows], "batch": [batch] * len(keyed_rows),
            "row": [i for _, i, _ in keyed_rows]}
    for c in columns:
        vals = [r[c] for _, _, r in keyed_rows]
        kind = column_kind(table, c)
        if kind == JSON:
            vals = [None if v is None else json.dumps(v) for v in vals]
        elif kind == NUMBER:
            data[f"{c}__int"] = [None if v is None else type(v) is int for v in vals]
            vals = [None if v is None else float(v) for v in vals]
        data[c] = vals
    return pa.Table.from_arrays([pa.array(data[f.name], f.type) for f in sch], schema=sch)


def _write(table: pa.Table, path: Path) -> None:
    """Write `table` to `path` atomically: a temporary dot-name in the same folder, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd", write_page_checksum=True)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _warn_once(what: str, message: str) -> None:
    if what not in _WARNED:
        _WARNED.add(what)
        warnings.warn(message, RuntimeWarning, stacklevel=4)


def write_batch(folder: Path, columns: dict, keys: list, parts: list, results: list) -> Batch:
    """Store the per-article rows `results` ({table: [row dict]}) of articles `keys` in partitions `parts`.

    Articles whose rows do not fit the schema exactly, and every article when the folder cannot be
    written, are left out with a warning (the caller keeps their rows in memory); Batch lists the rest."""
    folder = Path(folder)
    todo: dict[str, tuple] = {}
    for key, part, res in zip(keys, parts, results):
        why = next((w for t in columns if (w := _misfit(t, columns[t], (res or {}).get(t) or []))), None)
        if why is not None:
            _warn_once(why, f"an article's rows cannot be stored exactly ({why}); they are kept in memory "
                       "and analysed again next time")
        elif key not in todo:
            todo[key] = (part, res or {})
    if not todo:
        return Batch([], {})
    batch = hashlib.sha256(f"{os.getpid()} {time.time_ns()} {os.urandom(8).hex()} {len(todo)}".encode()
                           + "".join(todo).encode()).hexdigest()[:24]
    counts = {k: {t: len(res.get(t) or []) for t in columns} for k, (_, res) in todo.items()}
    try:
        for t, cols in columns.items():
            by_part: dict[tuple, list] = {}
            for key, (part, res) in ((k, v) for k, v in todo.items() if v[1].get(t)):
                by_part.setdefault(part[:2], []).extend((key, i, r) for i, r in enumerate(res[t]))
            for (story, month), keyed in by_part.items():
                _write(_arrow(t, cols, keyed, batch), folder / t / f"story={story}/month={month}/{batch}.parquet")
        ps = [p for p, _ in todo.values()]
        idx = {"key": list(todo), "batch": [batch] * len(ps), "story_name": [p.story_name for p in ps],
               "story": [p.story for p in ps], "month": [p.month for p in ps],
               "written": [time.time_ns()] * len(ps), **{f"n_{t}": [counts[k][t] for k in todo] for t in columns}}
        _write(pa.Table.from_pydict(idx, schema=index_schema(columns)), folder / INDEX / f"{batch}.parquet")
    except (OSError, pa.ArrowException) as exc:
        _warn_once(f"write {folder}", f"cannot write the store folder {folder} ({exc}); results are kept "
                   "in memory for this session only")
        return Batch([], {})
    return Batch(list(todo), counts)


def _files(folder: Path, parts=None) -> list[Path]:
    """The finished .parquet files under `folder` (all, or only those of the (story, month) `parts`)."""
    dirs = [Path(d) for d, _, _ in os.walk(folder)] if parts is None else \
        [folder / f"story={s}" / f"month={m}" for s, m in parts]
    out = []
    for d in dirs:
        with contextlib.suppress(OSError):
            out.extend(Path(e.path) for e in os.scandir(d)
                       if e.name.endswith(".parquet") and not e.name.startswith(".") and e.is_file())
    return sorted(out)


def _set_aside(path: Path, exc: Exception) -> None:
    """Warn about an unreadable store file, naming it, and rename it out of the way."""
    warnings.warn(f"the store file {path} cannot be read ({exc}); its articles are analysed again",
                  RuntimeWarning, stacklevel=4)
    with contextlib.suppress(OSError):  # a dot-name: no read lists it again
        os.replace(path, path.with_name(f".{path.name}.{time.time_ns()}.unreadable"))


def _scan(files: list[Path], sch: pa.Schema, base: Path, columns=None, filt=None, hive=True) -> pa.Table:
    """Rows of `files` (selected columns, filtered), as one table; unreadable files are set aside."""
    kw = {"partitioning": _PARTITIONING, "partition_base_dir": str(base)} if hive else {}
    full = pa.unify_schemas([sch, _PARTITIONING.schema]) if hive else sch
    if not files:
        return full.empty_table().select(columns) if columns else full.empty_table()

    def read(paths):
        return ds.dataset([str(p) for p in paths], schema=full, format=_FORMAT_OPTIONS, **kw).to_table(
            columns=columns, filter=filt)
    try:
        return read(files)
    except (OSError, pa.ArrowException):
        good = []
        for f in files:
            try:
                good.append(read([f]))
            except (OSError, pa.ArrowException) as exc:
                if not isinstance(exc, FileNotFoundError):  # else merged away meanwhile (`compact`)
                    _set_aside(f, exc)
        return pa.concat_tables(good) if good else _scan([], sch, base, columns, filt, hive)


def index(folder: Path, tables, keys=None, stories=None, months=None) -> pd.DataFrame:
    """The latest index row of each stored article, of `keys`, `stories` (true names) and `months` if given."""
    filt = None if keys is None else pc.field("key").isin(pa.array(list(keys), pa.string()))
    got = _scan(_files(Path(folder) / INDEX), index_schema(tables), Path(folder) / INDEX, filt=filt, hive=False)
    got = got.to_pandas().sort_values(["written", "batch"], ascending=False, kind="stable").drop_duplicates("key")
    if stories is not None:
        got = got[got["story_name"].isin([str(s) for s in stories])]
    if months is not None:
        got = got[got["month"].isin(list(months))]
    return got.reset_index(drop=True)


def _values(table: str, column: str, tbl: pa.Table) -> list:
    """One column's Python values exactly as written: JSON texts decoded (in one `json.loads` of them all
    as an array, null for a missing one), a NUMBER that was an int back to int."""
    kind = column_kind(table, column)
    values = tbl.column(column).to_pylist()
    if kind == JSON:
        return json.loads("[" + ",".join("null" if v is None else v for v in values) + "]")
    if kind == NUMBER:
        return [int(v) if whole else v for v, whole in zip(values, tbl.column(f"{column}__int").to_pylist())]
    return values


def read_results(folder: Path, columns: dict, keys: list) -> dict:
    """{key: {table: [row dict]}} for each of `keys` whose rows are all in the store (others absent).

    The index is read once; each table is read from the partition folders those keys live in, only
    rows of each key's latest batch, and a key whose row counts disagree with the index is left out.
    Rows are sorted by (key, row) in Arrow (a stable sort) and turned into Python values column by column."""
    folder = Path(folder)
    idx = index(folder, columns, keys=set(keys)) if keys else None
    if idx is None or idx.empty:
        return {}
    latest = dict(zip(idx["key"], idx["batch"]))
    parts = sorted(set(zip(idx["story"], idx["month"])))
    out: dict = {k: {t: [] for t in columns} for k in latest}
    key_filter = pc.field("key").isin(pa.array(list(latest), pa.string()))
    for t, cols in columns.items():
        expected = dict(zip(idx["key"], idx[f"n_{t}"].astype(int)))
        sch = schema(t, cols)
        tbl = _scan(_files(folder / t, parts), sch, folder / t, columns=sch.names, filt=key_filter) \
            if any(expected.values()) else sch.empty_table()
        tbl = tbl.sort_by([("key", "ascending"), ("row", "ascending")])
        names = list(cols)
        for k, b, i, *row in zip(tbl.column("key").to_pylist(), tbl.column("batch").to_pylist(),
                                 tbl.column("row").to_pylist(), *(_values(t, c, tbl) for c in names)):
            if k in out and latest[k] == b and i == len(out[k][t]):  # latest batch; a merged copy once
                out[k][t].append(dict(zip(names, row)))
        for k in [k for k in out if len(out[k][t]) != expected[k]]:
            _warn_once(f"count {folder}", f"rows of some articles are missing from the store {folder}; "
                       "they are analysed again")
            out.pop(k)
    return out


def read_table(folder: Path, columns: dict, table: str, select=None, keys=None, stories=None,
               months=None) -> pa.Table:
    """One table's rows as Arrow: only the columns in `select` (default all), and only the articles of
    `keys`, `stories` (true names) and `months` (YYYY-MM) when given, each from its latest batch; with
    the article's key, row number, story folder and month. Number columns come back as float64."""
    folder = Path(folder)
    idx = index(folder, columns, keys=keys, stories=stories, months=months)
    cols = list(columns[table])
    want = ["key", "batch", "row", "story", "month", *(select or cols)]
    filt = pc.field("key").isin(pa.array(list(idx["key"]), pa.string()))
    tbl = _scan(_files(folder / table, sorted(set(zip(idx["story"], idx["month"])))), schema(table, cols),
                folder / table, columns=want, filt=filt)
    return _current_once(tbl, idx).drop_columns(["batch"])


def _current_once(tbl: pa.Table, idx: pd.DataFrame) -> pa.Table:
    """Rows of `tbl` from each key's latest batch (`idx`, the index), each (key, row) once, sorted."""
    pairs = pa.array((idx["key"] + " " + idx["batch"]).tolist(), pa.string())
    tbl = tbl.filter(pc.is_in(pc.binary_join_element_wise(tbl["key"], tbl["batch"], " "), pairs))
    tbl = tbl.append_column("_i", pa.array(range(tbl.num_rows), pa.int64()))
    first = tbl.group_by(["key", "row"], use_threads=False).aggregate([("_i", "min")])
    return tbl.take(first["_i_min"]).drop_columns(["_i"]).sort_by([("key", "ascending"), ("row", "ascending")])


def compact(folder: Path, columns: dict, min_files: int = COMPACT_FILES) -> int:
    """Merge the files of each partition folder holding at least `min_files` into one (rows of stale or
    unindexed batches dropped), then the index files likewise; returns how many folders were merged.

    The merged file is written atomically before its sources are removed, and readers keep only one
    copy of an article's row, so a read during a merge sees every row once."""
    folder, floor = Path(folder), max(2, min_files)
    by_dir: dict = {}
    for t in columns:
        for p in _files(folder / t):
            by_dir.setdefault((t, p.parent), []).append(p)
    crowded = {td: files for td, files in by_dir.items() if len(files) >= floor}
    index_files = _files(folder / INDEX)
    if not crowded and len(index_files) < floor:
        return 0
    idx = index(folder, columns)
    known = set(idx["batch"])
    for (t, d), files in crowded.items():  # a batch not indexed yet may be a writer's work in progress: kept
        files = [p for p in files if p.stem in known or p.stem.startswith("m-")]
        if len(files) >= 2:
            sch = schema(t, columns[t])
            tbl = _current_once(_scan(files, sch, folder / t, columns=sch.names), idx)
            _merge_into(d, files, tbl.select(sch.names).cast(sch))
    if len(index_files) >= floor:
        _merge_into(folder / INDEX, index_files,
                    pa.Table.from_pandas(idx, schema=index_schema(columns), preserve_index=False))
    return len(crowded) + (len(index_files) >= floor)


def _merge_into(d: Path, files: list[Path], table: pa.Table) -> None:
    """Write `table` as one file named by the hash of the merged names, then remove `files`."""
    name = "m-" + hashlib.sha256("".join(p.name for p in files).encode()).hexdigest()[:24]
    _write(table, d / f"{name}.parquet")
    for p in (p for p in files if p.name != f"{name}.parquet"):
        p.unlink(missing_ok=True)


def _frame_table(df: pd.DataFrame) -> pa.Table | None:
    """A DataFrame as Arrow with each column's dtype noted ("str"/"json" for object columns of strings
    or of JSON values, native otherwise); None when a column holds something else."""
    if not isinstance(df.index, pd.RangeIndex) or not df.index.equals(pd.RangeIndex(len(df))) \
            or not all(isinstance(c, str) for c in df.columns) or df.columns.has_duplicates:
        return None
    arrays, kinds = [], []
    for c in df.columns:
        vals = df[c].tolist() if df[c].dtype == object else None
        if vals is None:
            kind, arr = "native", pa.Array.from_pandas(df[c])
        elif all(v is None or type(v) is str for v in vals):
            kind, arr = "str", pa.array(vals, pa.string())
        elif all(_json_exact(v) for v in vals):
            kind, arr = "json", pa.array([json.dumps(v, ensure_ascii=False) for v in vals], pa.string())
        else:
            return None
        arrays.append(arr)
        kinds.append([c, kind, str(df[c].dtype)])
    meta = {"format": FORMAT, "columns": json.dumps(kinds)}
    return pa.Table.from_arrays(arrays, names=list(df.columns), metadata=meta)


def _frame(tbl: pa.Table) -> pd.DataFrame:
    """The DataFrame `_frame_table` wrote (its dtypes restored from the noted ones)."""
    kinds = json.loads(tbl.schema.metadata[b"columns"])
    cols = {name: col.to_pandas().astype(dtype) if kind == "native" else pd.Series(
        [json.loads(v) for v in col.to_pylist()] if kind == "json" else col.to_pylist(), dtype=object)
        for (name, kind, dtype), col in zip(kinds, tbl.columns)}
    return pd.DataFrame(cols, index=pd.RangeIndex(tbl.num_rows), columns=[k[0] for k in kinds])
