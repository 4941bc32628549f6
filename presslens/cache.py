"""The on-disk cache of per-article rows, keyed by content, verified on every read.

An entry is `<key[:2]>/<key>.pkl`: a pickled record holding the key it was written under, a SHA-256
of the pickled rows and the rows. A read recomputes the checksum and compares the key, so a truncated,
corrupted, swapped or foreign entry is never used: it is treated as missing and recomputed. A cache
folder that cannot be written is a warning, once per process, never a failure.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import warnings
from pathlib import Path
from typing import NamedTuple

FORMAT = "presslens-rows-1"  # bump when the entry layout changes
_MEMO: dict[str, dict] = {}
_WARNED: set[str] = set()


class Entry(NamedTuple):
    """What one cache file holds."""
    format: str
    key: str
    checksum: str
    payload: bytes


def entry_path(cache_dir: Path, key: str) -> Path:
    """Where the entry for `key` lives."""
    return Path(cache_dir) / key[:2] / f"{key}.pkl"


def _checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _is_rows(value) -> bool:
    """Per-article rows: {table: list of row dicts}."""
    return isinstance(value, dict) and all(isinstance(v, list) for v in value.values())


def read(cache_dir: Path | None, key: str, check=_is_rows):
    """The value cached under `key` (this process's memo first), or None when absent or doubtful
    (`check` says whether an unpickled value has the expected shape)."""
    if key in _MEMO:
        return _MEMO[key]
    if cache_dir is None:
        return None
    try:
        with open(entry_path(cache_dir, key), "rb") as fh:
            entry = pickle.load(fh)
        if not (isinstance(entry, tuple) and len(entry) == 4):
            return None
        entry = Entry(*entry)
        if entry.format != FORMAT or entry.key != key or not isinstance(entry.payload, bytes) \
                or _checksum(entry.payload) != entry.checksum:
            return None
        rows = pickle.loads(entry.payload)
    except Exception:  # missing, unreadable, truncated, a folder, an unknown protocol: recompute it
        return None
    if not check(rows):
        return None
    _MEMO[key] = rows
    return rows


def write(cache_dir: Path | None, key: str, rows) -> None:
    """Keep `rows` under `key` (memo, and on disk when a folder is given); a write that fails warns once."""
    _MEMO[key] = rows
    if cache_dir is None:
        return
    payload = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    entry = tuple(Entry(FORMAT, key, _checksum(payload), payload))
    p = entry_path(cache_dir, key)
    tmp = p.with_name(f"{p.name}.{os.getpid()}.tmp")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, p)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        folder = str(cache_dir)
        if folder not in _WARNED:
            _WARNED.add(folder)
            warnings.warn(f"cannot write the cache folder {folder} ({exc.strerror or exc}); results are kept "
                          "in memory for this session only", RuntimeWarning, stacklevel=3)


def forget() -> None:
    """Drop this process's in-memory copies (the disk cache stays)."""
    _MEMO.clear()
