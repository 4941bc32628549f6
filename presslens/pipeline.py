"""Per-article analysis: one spaCy parse per article, every per-article table derived from it, cached.

Each article's text is parsed once (`nlp.pipe`, streamed in batches); quotes, entity mentions and
sentences are read off the same Doc, the readability row is scored from its text and those rows, and
the Doc is dropped, so memory holds rows, never Docs.
The rows are cached on disk under a key made of the text, the per-article code, the data files it
reads, spaCy, textstat and the model, so a re-run only parses and scores articles it has not seen,
and changing any of those invalidates the cache.

Engines (same rows, whichever runs them; the unit of work is `analyze_batch`, a list of texts in,
a list of per-article rows out):
    engine="local", n_process=1   parse in this process (the default)
    engine="local", n_process=N   N worker processes, each parsing whole batches and returning rows
    engine="dask"                 batches on a dask.distributed cluster (see presslens.engine)
Left unset, engine, n_process and scheduler come from the environment variables PRESSLENS_ENGINE,
PRESSLENS_PROCESSES and PRESSLENS_SCHEDULER, so `presslens report` and the notebooks can be sent to
more processes or a cluster without a code change.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from . import paths

TABLES = ("quotes", "mentions", "sentences", "readability")
ENGINES = ("local", "dask")
# Articles per unit of work shipped to a worker process or a Dask worker (also nlp.pipe's batch size).
BATCH_SIZE = 16
# The modules whose code decides the per-article rows: their source is part of the cache key.
_KEY_MODULES = ("pipeline.py", "nlp.py", "text.py", "attribution.py", "entities.py", "sentiment.py",
                "reading_level.py")
# Files in presslens/data that no per-article module reads (voices.py, outlets.py, furniture.py, which
# run before or after the per-article step): left out of the cache key, so editing them keeps the cache.
# Every other data file (reporting_verbs.txt, titles.txt, credit_patterns.txt, known_aliases.csv, and
# any new one until it is listed here) is part of the key.
_UNKEYED_DATA = frozenset({"speaker_types.csv", "outlets.yaml", "furniture.yaml"})
_MEMO: dict[str, dict] = {}


def code_version() -> str:
    """Hash of the per-article analysis code, the data files it reads, spaCy, textstat and the model:
    changes whenever any of them does."""
    from importlib.metadata import PackageNotFoundError, version

    import spacy

    from .nlp import model_signature

    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for name in _KEY_MODULES:
        p = pkg / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.exists() else b"")
    data = pkg / "data"
    for p in sorted(data.glob("*")):
        if p.is_file() and p.name not in _UNKEYED_DATA:
            h.update(p.name.encode())
            h.update(p.read_bytes())
    h.update(spacy.__version__.encode())
    try:
        h.update(b"textstat " + version("textstat").encode())
    except PackageNotFoundError:
        h.update(b"textstat none")
    h.update(model_signature().encode())
    return h.hexdigest()[:16]


def cache_key(text: str, version: str) -> str:
    """Content key of one article's analysis: its text plus the code version."""
    return hashlib.sha256((version + "\0" + text).encode("utf8")).hexdigest()


def analyze_doc(doc) -> dict[str, list[dict]]:
    """All per-article rows from one parsed Doc: quotes first (mentions and sentences need them),
    readability last (its narration needs quotes and sentences)."""
    from .entities import mentions_from_doc
    from .attribution import quotes_from_doc
    from .reading_level import readability_from_doc
    from .sentiment import sentences_from_doc

    q = quotes_from_doc(doc)
    m = mentions_from_doc(doc, q)
    s = sentences_from_doc(doc, q, m)
    r = readability_from_doc(doc, q, s)
    return {"quotes": q, "mentions": m, "sentences": s, "readability": r}


def analyze_batch(texts: list[str], batch_size: int = BATCH_SIZE) -> list[dict]:
    """Per-article rows for a batch of texts parsed in this process: the unit of work of every engine."""
    return [analyze_doc(doc) for doc in parse_texts(texts, batch_size=batch_size)]


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.pkl"


def _read_cache(cache_dir: Path | None, key: str):
    if key in _MEMO:
        return _MEMO[key]
    if cache_dir is None:
        return None
    p = _cache_path(cache_dir, key)
    try:
        with open(p, "rb") as fh:
            rows = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None  # missing or unreadable entry: recompute it
    _MEMO[key] = rows
    return rows


def _write_cache(cache_dir: Path | None, key: str, rows: dict) -> None:
    _MEMO[key] = rows
    if cache_dir is None:
        return
    p = _cache_path(cache_dir, key)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(f".{multiprocessing.current_process().pid}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(p)


def parse_texts(texts: Iterable[str], n_process: int = 1, batch_size: int = BATCH_SIZE):
    """Stream Docs for `texts` through the shared pipeline (no Doc is kept once yielded)."""
    from .nlp import get_nlp

    yield from get_nlp().pipe(texts, n_process=n_process, batch_size=batch_size)


def batches(items: list, size: int) -> list[list]:
    """`items` cut into consecutive lists of at most `size` (at least 1)."""
    size = max(1, int(size))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _mp_context():
    """Fork where the OS has it (workers share the loaded model, no start-up cost, as spaCy's own
    n_process does); spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _warm_worker() -> None:
    """Worker initializer: load the spaCy pipeline once per worker process."""
    from .nlp import get_nlp

    get_nlp()


def _pool_results(texts: list[str], n_process: int, batch_size: int) -> Iterator[tuple[int, dict]]:
    """(position, rows) for each text, computed by `n_process` worker processes over batches.

    At most two batches per worker are in flight, so memory stays flat however long the corpus."""
    chunks = batches(texts, batch_size)
    starts = [i * max(1, int(batch_size)) for i in range(len(chunks))]
    with ProcessPoolExecutor(max_workers=n_process, mp_context=_mp_context(),
                             initializer=_warm_worker) as pool:
        pending: dict = {}
        nxt = 0
        while nxt < len(chunks) or pending:
            while nxt < len(chunks) and len(pending) < 2 * n_process:
                pending[pool.submit(analyze_batch, chunks[nxt], batch_size)] = starts[nxt]
                nxt += 1
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                start = pending.pop(fut)
                for j, rows in enumerate(fut.result()):
                    yield start + j, rows


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


def _results(texts: list[str], engine: str | None, n_process: int | None, scheduler, batch_size: int
             ) -> Iterator[tuple[int, dict]]:
    """(position, rows) for each text, in any order, from the chosen engine."""
    engine, n_process, scheduler = engine_settings(engine, n_process, scheduler)
    if engine == "dask":
        from .engine import dask_results

        yield from dask_results(texts, scheduler=scheduler, n_workers=n_process, batch_size=batch_size)
    elif n_process > 1 and len(texts) > batch_size:
        yield from _pool_results(texts, n_process, batch_size)
    else:  # one process, or too few texts to be worth a second one
        for i, doc in enumerate(parse_texts(texts, batch_size=batch_size)):
            yield i, analyze_doc(doc)


def analyze_texts(texts: list[str], cache: bool = True, cache_dir: Path | None = None,
                  n_process: int | None = None, batch_size: int = BATCH_SIZE, progress=None,
                  engine: str | None = None, scheduler=None) -> list[dict]:
    """Per-article rows for each text, from the cache where present, parsing only the rest."""
    engine, n_process, scheduler = engine_settings(engine, n_process, scheduler)
    texts = [t if isinstance(t, str) else "" for t in texts]
    version = code_version()
    cdir = Path(cache_dir or paths.CACHE_DIR) if cache else None
    keys = [cache_key(t, version) for t in texts]
    out: list[dict | None] = [_read_cache(cdir, k) if cache else None for k in keys]
    todo = [i for i, r in enumerate(out) if r is None]
    if todo:
        for pos, rows in _results([texts[i] for i in todo], engine, n_process, scheduler, batch_size):
            i = todo[pos]
            out[i] = rows
            if cache:
                _write_cache(cdir, keys[i], rows)
            if progress is not None:
                progress(1)
    return out  # type: ignore[return-value]


def cached_results(texts: list, cache: bool = True, cache_dir: Path | None = None) -> list[dict | None]:
    """Per-article rows of each text already in the cache (this session's or on disk), None for the
    others: a look-up only, nothing is parsed (and nothing is found with cache=False)."""
    if not cache:
        return [None] * len(texts)
    version = code_version()
    cdir = Path(cache_dir or paths.CACHE_DIR)
    return [_read_cache(cdir, cache_key(t if isinstance(t, str) else "", version)) for t in texts]


def columns_for(table: str) -> list[str]:
    """The per-article columns of `table` as its module defines them."""
    if table == "quotes":
        from .attribution import EXTRACT_COLUMNS as cols
    elif table == "mentions":
        from .entities import DOC_COLUMNS as cols
    elif table == "readability":
        from .reading_level import DOC_COLUMNS as cols
    else:
        from .sentiment import DOC_COLUMNS as cols
    return list(cols)


def tables_from_results(ids: list, outlets: list, results: list[dict]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table from per-article rows, each row prefixed with article_id and outlet."""
    tables = {}
    for table in TABLES:
        cols = columns_for(table)
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


def analyze(articles: pd.DataFrame, cache: bool = True, cache_dir: Path | None = None,
            n_process: int | None = None, batch_size: int = BATCH_SIZE, engine: str | None = None,
            scheduler=None, progress=None) -> dict[str, pd.DataFrame]:
    """Per-article tables for a corpus: {'quotes', 'mentions', 'sentences', 'readability'}, each row with
    article_id and outlet (readability: exactly one row per article).

    `engine="local"` with `n_process>1` uses worker processes; `engine="dask"` runs the batches on a
    dask.distributed cluster (`scheduler`: an address, a Client, or None for a local cluster of
    `n_process` workers). Unset, they come from PRESSLENS_ENGINE / PRESSLENS_PROCESSES /
    PRESSLENS_SCHEDULER (`engine_settings`). Every engine gives the same tables."""
    if articles is None or len(articles) == 0 or "text" not in articles:
        return tables_from_results([], [], [])
    texts = [t if isinstance(t, str) else "" for t in articles["text"]]
    results = analyze_texts(texts, cache=cache, cache_dir=cache_dir, n_process=n_process,
                            batch_size=batch_size, progress=progress, engine=engine, scheduler=scheduler)
    ids = list(articles["article_id"]) if "article_id" in articles else [None] * len(texts)
    outlets = list(articles["outlet"]) if "outlet" in articles else [None] * len(texts)
    return tables_from_results(ids, outlets, results)
