"""Per-article analysis: one spaCy parse per article, every per-article table derived from it, cached.

Each article's text is parsed once (`nlp.pipe`, streamed in batches) and every per-article table is
read off that Doc by the extraction layer (`presslens.extract`); the Doc is then dropped, so memory
holds rows, never Docs. The rows are kept in the columnar store (`presslens.store`: Parquet files
partitioned by story and month, under `<cache_dir>/store/<code_version>/`) under a key made of the text
and `code_version()`: a hash of the extraction layer's files, every package module they import and
every data file they name (found from the import graph, not a hand-kept list), spaCy, textstat, VADER,
the model and the store's format. A re-run only parses articles it has not seen; a change to
extraction starts a new store folder, a change to a plot or a summary does not.

Engines (same rows, whichever runs them; the unit of work is `analyze_batch`, a list of texts in,
a list of per-article rows out):
    engine="local", n_process=1   parse in this process (the default)
    engine="local", n_process=N   N worker processes, each parsing whole batches and writing them to the store
    engine="dask"                 batches on a dask.distributed cluster, the workers writing the store
                                  (see presslens.engine)
Left unset, engine, n_process and scheduler come from the environment variables PRESSLENS_ENGINE,
PRESSLENS_PROCESSES and PRESSLENS_SCHEDULER, so `presslens report` and the notebooks can be sent to
more processes or a cluster without a code change.
"""
from __future__ import annotations

import ast
import hashlib
import json
import multiprocessing
import os
import re
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterator

import pandas as pd

from . import paths, store
from .engine import StoredBatch, analyze_and_store, analyze_rows, dask_results, dask_store
from .extract.batch import (
    BATCH_SIZE,
    COLUMNS,
    TABLES,
    analyze_batch,
    analyze_doc,
    parse_texts,
)
from .gc_pause import paused
from .nlp import get_nlp, model_signature

ENGINES = ("local", "dask")
# texts longer than this are not parsed (spaCy's default limit: the parser needs ~1 GB per 100,000
# characters); the loader lists such files, and here they give empty rows with a warning.
MAX_CHARS = 1_000_000
# Articles the one-process engine parses before writing them to the store: files of a useful size, and
# at most this many articles' work lost when a run is killed.
FLUSH_ARTICLES = 64
# Rows of articles the store could not keep (an unwritable folder), kept for this process only.
_UNSTORED: dict[str, dict] = {}
_PKG = Path(__file__).resolve().parent
_EXTRACT_ENTRY = _PKG / "extract" / "batch.py"


def _module_path(module: str) -> Path | None:
    """File of a presslens module name ("presslens.names" -> presslens/names.py), None outside the package."""
    parts = module.split(".")
    if parts[0] != "presslens":
        return None
    base = _PKG.joinpath(*parts[1:])
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _statements(tree: ast.Module):
    """Every statement of a module, nested ones included (an import is a statement, never part of an
    expression): a walk of the statement bodies only, a tenth of `ast.walk`'s nodes."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            todo.extend(getattr(node, name, None) or ())


def _imports(path: Path) -> set[Path]:
    """Package files that `path` imports (absolute or relative), read from its syntax tree."""
    rel = path.relative_to(_PKG.parent).with_suffix("")
    pkg = list(rel.parts[:-1]) if path.name != "__init__.py" else list(rel.parts[:-1])
    out: set[Path] = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = pkg[: len(pkg) - node.level + 1] if node.level else []
            stem = ".".join(base + ([node.module] if node.module else []))
            names = [stem] + [f"{stem}.{a.name}" for a in node.names]
        for name in names:
            found = _module_path(name)
            if found is not None:
                out.add(found)
    return out


def extraction_sources() -> list[Path]:
    """The files that decide the per-article rows: the extraction layer's modules and every package
    module they import (followed through the import graph), plus the data files those modules name."""
    return code_sources([_EXTRACT_ENTRY, *(_PKG / "extract").glob("*.py")])


def code_sources(entries: list[Path]) -> list[Path]:
    """`entries`, every package module they import (followed through the import graph), and the
    data files in presslens/data those modules name.

    Reading the import graph parses every module it reaches, so the answer is kept for the process
    and on disk (`_SOURCES_MEMO` in the cache folder), the latter keyed by the size and modification
    time of every file it rests on and the list of package modules and data files: each notebook's
    kernel asks for it and none of them then parses the package again."""
    return list(_code_sources(tuple(sorted(Path(e).resolve() for e in entries))))


@lru_cache(maxsize=None)
def _code_sources(entries: tuple[Path, ...]) -> tuple[Path, ...]:
    key = " ".join(str(p.relative_to(_PKG)) if p.is_relative_to(_PKG) else str(p) for p in entries)
    layout = _package_layout()
    memo = _read_sources_memo().get(key)
    if memo is not None and memo.get("layout") == layout:
        found = [(_PKG / rel, stamp) for rel, stamp in memo.get("files", [])]
        if found and all(_stamp(p) == stamp for p, stamp in found):
            return tuple(p for p, _ in found)
    out = tuple(_walk_sources(list(entries)))
    if all(p.is_relative_to(_PKG) for p in out):
        _write_sources_memo(key, {"layout": layout,
                                  "files": [[str(p.relative_to(_PKG)), _stamp(p)] for p in out]})
    return out


def _walk_sources(entries: list[Path]) -> list[Path]:
    """`code_sources` read from the files themselves."""
    seen: set[Path] = set()
    todo = list(entries)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo.extend(_imports(p) - seen)
    data = _PKG / "data"
    sources = " ".join(p.read_text(encoding="utf8") for p in seen)
    named = {f for f in data.glob("*") if f.is_file() and re.search(r"[\"']" + re.escape(f.name) + r"[\"']", sources)}
    return sorted(seen | named)


# The disk memo of `code_sources`, in the cache folder: {entries: {"layout": ..., "files": [[path, stamp]]}}.
_SOURCES_MEMO = "code-sources.json"


def _stamp(path: Path) -> list[int] | None:
    """(size, modification time in ns) of a file, None when it is gone: what the disk memo is keyed by."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _package_layout() -> list[str]:
    """Every module and data file of the package (an import or a data file name may start to resolve
    when a file appears, without any file the memo rests on changing)."""
    return sorted(str(p.relative_to(_PKG)) for p in [*_PKG.rglob("*.py"), *(_PKG / "data").glob("*")]
                  if "__pycache__" not in p.parts)


def _read_sources_memo() -> dict:
    try:
        memo = json.loads((Path(paths.CACHE_DIR) / _SOURCES_MEMO).read_text(encoding="utf8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def _write_sources_memo(key: str, entry: dict) -> None:
    """Add one answer to the disk memo (written whole, then renamed: a reader never sees half a file);
    a cache folder that cannot be written only costs the next process the parse."""
    folder = Path(paths.CACHE_DIR)
    memo = _read_sources_memo()
    memo[key] = entry
    tmp = folder / f".{_SOURCES_MEMO}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(memo), encoding="utf8")
        os.replace(tmp, folder / _SOURCES_MEMO)
    except OSError:
        tmp.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the per-article code and data (`extraction_sources`), spaCy, textstat, VADER and the
    model: changes whenever any of them does, and only then (a plotting change keeps the cache)."""
    h = hashlib.sha256()
    for p in extraction_sources():
        h.update(str(p.relative_to(_PKG)).encode())
        h.update(p.read_bytes())
    for dist in ("spacy", "textstat", "vaderSentiment"):
        try:
            h.update(f"{dist} {version(dist)}".encode())
        except PackageNotFoundError:
            h.update(f"{dist} none".encode())
    h.update(model_signature().encode())
    h.update(store.FORMAT.encode())
    return h.hexdigest()[:16]


def cache_key(text: str, version: str) -> str:
    """Content key of one article's analysis: its text plus the code version."""
    return hashlib.sha256((version + "\0" + text).encode("utf8", "surrogatepass")).hexdigest()


def _safe_texts(texts: list) -> list[str]:
    """Texts the parser can take: non-strings become "", lone surrogates are replaced (same length,
    so offsets hold), and a text over MAX_CHARS becomes "" with a warning."""
    out = []
    for t in texts:
        if not isinstance(t, str):
            t = ""
        if len(t) > MAX_CHARS:
            warnings.warn(f"an article of {len(t):,} characters is longer than the parser takes "
                          f"({MAX_CHARS:,}); it gets no rows: split it into parts", RuntimeWarning, stacklevel=3)
            t = ""
        try:
            t.encode("utf8")
        except UnicodeEncodeError:
            t = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in t)
        out.append(t)
    return out


def _mp_context():
    """Fork where the OS has it (workers share the loaded model, no start-up cost, as spaCy's own
    n_process does); spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _warm_worker() -> None:
    """Worker initializer: load the spaCy pipeline once per worker process."""
    get_nlp()


def _pool_results(texts: list[str], n_process: int, batch_size: int, keys=None, parts=None, folder=None
                  ) -> Iterator[tuple[int, dict | None]]:
    """(position, rows) for each text, computed by `n_process` worker processes over batches; with a
    store `folder` the workers write the rows there and rows is None for each article they stored.

    At most two batches per worker are in flight, so memory stays flat however long the corpus; the last
    batches are smaller (`chunk_bounds`), so the workers finish together."""
    bounds = chunk_bounds(len(texts), batch_size, n_process)
    if folder is not None:
        jobs = [(analyze_and_store, texts[a:b], keys[a:b], parts[a:b], str(folder), batch_size) for a, b in bounds]
    else:
        jobs = [(analyze_rows, texts[a:b], batch_size) for a, b in bounds]
    with ProcessPoolExecutor(max_workers=n_process, mp_context=_mp_context(),
                             initializer=_warm_worker) as pool:
        pending: dict = {}
        nxt = 0
        while nxt < len(jobs) or pending:
            while nxt < len(jobs) and len(pending) < 2 * n_process:
                pending[pool.submit(*jobs[nxt])] = nxt
                nxt += 1
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                a, b = bounds[pending.pop(fut)]
                yield from _positions(a, (keys or [])[a:b], fut.result())


def chunk_bounds(n: int, size: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive chunks of `n` items: `size` at a time while plenty remain, then a share of
    what remains (guided self-scheduling, Polychronopoulos & Kuck 1987), so no worker parses a whole batch at
    the end while the others wait. The rows do not depend on the batching (checked: the rows of 40 articles
    parsed in batches of 16, 5 and 1 pickle to the same bytes)."""
    out, start, size, workers = [], 0, max(1, int(size)), max(1, int(workers))
    while start < n:
        step = max(1, min(size, -(-(n - start) // (2 * workers))))
        out.append((start, start + step))
        start += step
    return out


def _positions(start: int, keys: list, answer) -> Iterator[tuple[int, dict | None]]:
    """(position, rows, or None when stored) for the articles of one batch's answer; rows a worker could
    not store are kept in this process's memory."""
    if isinstance(answer, StoredBatch):
        for j, k in enumerate(keys):
            if j in answer.unstored:
                _UNSTORED[k] = answer.unstored[j]
            yield start + j, answer.unstored.get(j)
    else:
        yield from enumerate(answer, start)


def engine_settings(engine: str | None = None, n_process: int | None = None, scheduler=None):
    """(engine, n_process, scheduler) with unset ones taken from PRESSLENS_ENGINE, PRESSLENS_PROCESSES
    and PRESSLENS_SCHEDULER (defaults: "local", 1, None)."""
    engine = (engine or os.environ.get("PRESSLENS_ENGINE") or "local").strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if n_process is None:
        env = os.environ.get("PRESSLENS_PROCESSES", "").strip()
        try:
            n_process = int(env) if env else 1
        except ValueError:
            raise ValueError(f"PRESSLENS_PROCESSES must be a whole number, not {env!r}") from None
    if scheduler is None:
        scheduler = os.environ.get("PRESSLENS_SCHEDULER") or None
    return engine, max(1, int(n_process)), scheduler


def _results(texts: list[str], engine: str | None, n_process: int | None, scheduler, batch_size: int,
             keys=None, parts=None, folder: Path | None = None) -> Iterator[tuple[int, dict | None]]:
    """(position, rows) for each text, in any order, from the chosen engine. With a store `folder`,
    every article's rows are written there; rows is None for those the workers wrote themselves."""
    engine, n_process, scheduler = engine_settings(engine, n_process, scheduler)
    if engine == "dask" and folder is not None:
        for start, answer in dask_store(texts, keys, parts, folder, scheduler=scheduler, n_workers=n_process,
                                        batch_size=batch_size):
            yield from _positions(start, keys[start:start + max(1, int(batch_size))], answer)
    elif engine == "dask":
        yield from dask_results(texts, scheduler=scheduler, n_workers=n_process, batch_size=batch_size)
    elif n_process > 1 and len(texts) > batch_size:
        yield from _pool_results(texts, n_process, batch_size, keys, parts, folder)
    else:  # one process, or too few texts to be worth a second one
        done: list[tuple[int, dict]] = []
        for i, doc in enumerate(parse_texts(texts, batch_size=batch_size)):
            done.append((i, analyze_doc(doc)))
            if len(done) >= FLUSH_ARTICLES or i == len(texts) - 1:
                if folder is not None:
                    _store_here(folder, [keys[j] for j, _ in done], [parts[j] for j, _ in done],
                                [r for _, r in done])
                yield from done
                done = []


def _store_here(folder: Path, keys: list, parts: list, results: list) -> None:
    """Write rows computed in this process to the store; those it cannot keep stay in memory."""
    kept = set(store.write_batch(folder, COLUMNS, keys, parts, results).stored)
    _UNSTORED.update({k: r for k, r in zip(keys, results) if k not in kept})


def store_folder(cache_dir: Path | None = None) -> Path:
    """The store folder of this code version under `cache_dir` (default: paths.CACHE_DIR)."""
    return store.root(cache_dir or paths.CACHE_DIR, code_version())


def _stored(folder: Path, keys) -> dict[str, dict]:
    """{key: rows} of `keys` this process kept in memory or the store holds."""
    found = {k: _UNSTORED[k] for k in keys if k in _UNSTORED}
    found.update(store.read_results(folder, COLUMNS, [k for k in keys if k not in found]))
    return found


@paused()
def analyze_texts(texts: list[str], cache: bool = True, cache_dir: Path | None = None,
                  n_process: int | None = None, batch_size: int = BATCH_SIZE, progress=None,
                  engine: str | None = None, scheduler=None, stories=None, dates=None) -> list[dict]:
    """Per-article rows for each text, from the store where present, parsing only the rest (each
    distinct text once) and writing them to the store in the partition of their story and month."""
    engine, n_process, scheduler = engine_settings(engine, n_process, scheduler)
    texts = _safe_texts(texts)
    if not cache:
        out: list = [None] * len(texts)
        for pos, rows in _results(texts, engine, n_process, scheduler, batch_size):
            out[pos] = rows
            if progress is not None:
                progress(1)
        return out
    folder = store_folder(cache_dir)
    version = code_version()
    keys = [cache_key(t, version) for t in texts]
    n = len(texts)
    parts = [store.partition(s, d) for s, d in zip(stories if stories is not None else [None] * n,
                                                  dates if dates is not None else [None] * n)]
    found = _stored(folder, list(dict.fromkeys(keys)))
    first = {}
    for i, k in enumerate(keys):
        if k not in found:
            first.setdefault(k, i)
    todo = list(first.values())
    if todo:
        written = []
        for pos, rows in _results([texts[i] for i in todo], engine, n_process, scheduler, batch_size,
                                  [keys[i] for i in todo], [parts[i] for i in todo], folder):
            k = keys[todo[pos]]
            if rows is None:
                written.append(k)
            else:
                found[k] = rows
            if progress is not None:
                progress(1)
        found.update(_stored(folder, written))
        lost = [i for i in todo if keys[i] not in found]
        if lost:  # the workers wrote to a folder this process cannot read (not shared)
            warnings.warn(f"the workers' rows of {len(lost)} articles are not in {folder} as this process "
                          "sees it (is the cache folder shared with the workers?); they are analysed here",
                          RuntimeWarning, stacklevel=2)
            for pos, rows in _results([texts[i] for i in lost], "local", 1, None, batch_size):
                found[keys[lost[pos]]] = _UNSTORED[keys[lost[pos]]] = rows
        store.compact(folder, COLUMNS)
    return [found[k] for k in keys]


def cached_results(texts: list, cache: bool = True, cache_dir: Path | None = None) -> list[dict | None]:
    """Per-article rows of each text already stored (in the store, or this process's memory when the
    store could not be written), None for the others: a look-up only, nothing is parsed (and nothing is
    found with cache=False)."""
    if not cache:
        return [None] * len(texts)
    version = code_version()
    keys = [cache_key(t, version) for t in _safe_texts(texts)]
    found = _stored(store_folder(cache_dir), list(dict.fromkeys(keys)))
    return [found.get(k) for k in keys]


def forget() -> None:
    """Drop the rows this process keeps in memory (those the store could not keep); the store stays."""
    _UNSTORED.clear()


def tables_from_results(ids: list, outlets: list, results: list[dict]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table from per-article rows, each row prefixed with article_id and outlet."""
    tables = {}
    for table in TABLES:
        cols = list(COLUMNS[table])
        rows: list[dict] = []
        row_ids: list = []
        row_outlets: list = []
        for aid, outlet, res in zip(ids, outlets, results):
            part = (res or {}).get(table) or []
            rows.extend(part)
            row_ids.extend([aid] * len(part))
            row_outlets.extend([outlet] * len(part))
        df = pd.DataFrame.from_records(rows, columns=cols) if rows else pd.DataFrame(columns=cols)
        df.insert(0, "outlet", pd.Series(row_outlets, dtype=object))
        df.insert(0, "article_id", pd.Series(row_ids, dtype=object))
        tables[table] = df
    return tables


@paused()
def analyze(articles: pd.DataFrame, cache: bool = True, cache_dir: Path | None = None,
            n_process: int | None = None, batch_size: int = BATCH_SIZE, engine: str | None = None,
            scheduler=None, progress=None) -> dict[str, pd.DataFrame]:
    """Per-article tables for a corpus ({table: DataFrame} for each of extract.batch.TABLES), each row
    with article_id and outlet (readability: exactly one row per article). These are the raw rows,
    names as each article writes them; the study's tables are `presslens.study.tables(articles)`.

    `engine="local"` with `n_process>1` uses worker processes; `engine="dask"` runs the batches on a
    dask.distributed cluster (`scheduler`: an address, a Client, or None for a local cluster of
    `n_process` workers). Unset, they come from PRESSLENS_ENGINE / PRESSLENS_PROCESSES /
    PRESSLENS_SCHEDULER (`engine_settings`). Every engine gives the same tables."""
    if articles is None or len(articles) == 0 or "text" not in articles:
        return tables_from_results([], [], [])
    texts = [t if isinstance(t, str) else "" for t in articles["text"]]
    stories = list(articles["story"]) if "story" in articles else None
    dates = list(articles["date"]) if "date" in articles else None
    results = analyze_texts(texts, cache=cache, cache_dir=cache_dir, n_process=n_process,
                            batch_size=batch_size, progress=progress, engine=engine, scheduler=scheduler,
                            stories=stories, dates=dates)
    ids = list(articles["article_id"]) if "article_id" in articles else [None] * len(texts)
    outlets = list(articles["outlet"]) if "outlet" in articles else [None] * len(texts)
    return tables_from_results(ids, outlets, results)


def extract_quotes(text: str) -> pd.DataFrame:
    """Quotes of one text (the per-article quote columns), parsed once with the shared pipeline."""
    (rows,) = analyze_texts([text], cache=False)
    return pd.DataFrame(rows["quotes"], columns=list(COLUMNS["quotes"]))
