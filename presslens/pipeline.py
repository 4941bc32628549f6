"""Per-article analysis: one spaCy parse per article, every per-article table derived from it, cached.

Each article's text is parsed once (`nlp.pipe`, streamed in batches); quotes, entity mentions and
sentences are read off the same Doc and the Doc is dropped. The rows are cached on disk under a
key made of the text, the pipeline's code and the spaCy model, so a re-run only parses articles it
has not seen, and changing the code invalidates the cache.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import paths

TABLES = ("quotes", "mentions", "sentences")
# The modules whose code decides the per-article rows: their source is part of the cache key.
_KEY_MODULES = ("pipeline.py", "nlp.py", "text.py", "attribution.py", "entities.py", "sentiment.py")
_MEMO: dict[str, dict] = {}


def code_version() -> str:
    """Hash of the per-article analysis code and the spaCy model: changes whenever either does."""
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
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    h.update(spacy.__version__.encode())
    h.update(model_signature().encode())
    return h.hexdigest()[:16]


def cache_key(text: str, version: str) -> str:
    """Content key of one article's analysis: its text plus the code version."""
    return hashlib.sha256((version + "\0" + text).encode("utf8")).hexdigest()


def analyze_doc(doc) -> dict[str, list[dict]]:
    """All per-article rows from one parsed Doc: quotes first (mentions and sentences need them)."""
    from .entities import mentions_from_doc
    from .attribution import quotes_from_doc
    from .sentiment import sentences_from_doc

    q = quotes_from_doc(doc)
    m = mentions_from_doc(doc, q)
    s = sentences_from_doc(doc, q, m)
    return {"quotes": q, "mentions": m, "sentences": s}


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
    tmp = p.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(p)


def parse_texts(texts: Iterable[str], n_process: int = 1, batch_size: int = 16):
    """Stream Docs for `texts` through the shared pipeline (no Doc is kept once yielded)."""
    from .nlp import get_nlp

    yield from get_nlp().pipe(texts, n_process=n_process, batch_size=batch_size)


def analyze_texts(texts: list[str], cache: bool = True, cache_dir: Path | None = None,
                  n_process: int = 1, batch_size: int = 16, progress=None) -> list[dict]:
    """Per-article rows for each text, from the cache where present, parsing only the rest."""
    version = code_version()
    cdir = Path(cache_dir or paths.CACHE_DIR) if cache else None
    keys = [cache_key(t, version) for t in texts]
    out: list[dict | None] = [_read_cache(cdir, k) if cache else None for k in keys]
    todo = [i for i, r in enumerate(out) if r is None]
    if todo:
        docs = parse_texts((texts[i] for i in todo), n_process=n_process, batch_size=batch_size)
        for i, doc in zip(todo, docs):
            rows = analyze_doc(doc)
            out[i] = rows
            if cache:
                _write_cache(cdir, keys[i], rows)
            if progress is not None:
                progress(1)
    return out  # type: ignore[return-value]


def columns_for(table: str) -> list[str]:
    """The per-article columns of `table` as its module defines them."""
    if table == "quotes":
        from .attribution import EXTRACT_COLUMNS as cols
    elif table == "mentions":
        from .entities import DOC_COLUMNS as cols
    else:
        from .sentiment import DOC_COLUMNS as cols
    return list(cols)


def analyze(articles: pd.DataFrame, cache: bool = True, cache_dir: Path | None = None,
            n_process: int = 1, batch_size: int = 16) -> dict[str, pd.DataFrame]:
    """Per-article tables for a corpus: {'quotes', 'mentions', 'sentences'}, each row with article_id and outlet."""
    texts = [t if isinstance(t, str) else "" for t in articles["text"]]
    results = analyze_texts(texts, cache=cache, cache_dir=cache_dir,
                            n_process=n_process, batch_size=batch_size)
    tables = {}
    for table in TABLES:
        cols = columns_for(table)
        frames = []
        for (aid, outlet), res in zip(zip(articles["article_id"], articles["outlet"]), results):
            rows = res[table]
            if rows:
                df = pd.DataFrame(rows, columns=cols)
                df.insert(0, "outlet", outlet)
                df.insert(0, "article_id", aid)
                frames.append(df)
        tables[table] = (pd.concat(frames, ignore_index=True) if frames
                         else pd.DataFrame(columns=["article_id", "outlet", *cols]))
    return tables
