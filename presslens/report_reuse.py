"""What a report wrote and from which inputs, so the next run rewrites only what changed.

Every piece of a report folder is a unit with a content key: an executed notebook (its page, executed copy
and figures) is keyed by the notebook, its parameters, every file of the corpus folder, the package's code
and data and the installed libraries; an article page by the article and its quote, mention and sentence
rows; an exported table by its rows. The finished folder's marker lists each unit's key and the SHA-256 of
each file it wrote. A later run that computes the same key hard-links the earlier files into its new folder
(copies them where links cannot be made) after checking their checksums, and writes the unit afresh when
anything differs: a key that changed, a file that is missing or was edited since. The same idea as make,
with content hashes instead of times.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pandas as pd

PKG_DIR = Path(__file__).resolve().parent
# Files under the package whose change cannot change a report (bytecode caches).
IGNORED_PARTS = {"__pycache__"}
# Environment variables (besides those the report sets itself) a notebook's output may depend on: matplotlib's
# backend and settings. The PRESSLENS_ ones choose where and how rows are computed, never what they are.
ENV_PREFIXES = ("MPL", "PYTHONHASHSEED")
HASH_CHUNK = 1 << 20


class Unit(NamedTuple):
    """One reusable piece of a report: its key and {relative path: sha256} of the files it wrote."""
    key: str
    files: dict
    info: dict


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes (read in chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def digest(*parts) -> str:
    """SHA-256 of the parts (str or bytes), each length-prefixed so no two part lists collide."""
    h = hashlib.sha256()
    for p in parts:
        b = p if isinstance(p, bytes) else str(p).encode("utf8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little") + b)
    return h.hexdigest()


def tree_digest(folder: Path, pattern: str = "*") -> str:
    """Every file under `folder` (relative path and bytes; a link's target), in name order."""
    parts = []
    if folder.is_dir():
        for p in sorted(folder.rglob(pattern)):
            rel = p.relative_to(folder).as_posix()
            if IGNORED_PARTS & set(p.relative_to(folder).parts):
                continue
            if p.is_symlink():
                parts += [rel, "link", os.readlink(p)]
            elif p.is_file():
                parts += [rel, sha256_file(p)]
            elif p.is_dir():
                parts += [rel, "dir"]
    return digest(*parts)


def installed() -> list[str]:
    """Every installed distribution as its metadata folder's name (`name-version.dist-info`), on sys.path:
    read from the folder listing, not from each package's metadata (ten times faster)."""
    names = set()
    for entry in sys.path:
        try:
            names.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(names)


def code_digest() -> str:
    """The package's code and data and every installed library's version: a change to any renews every unit."""
    return digest(sys.version, tree_digest(PKG_DIR), *installed())


def environment_digest(extra: dict[str, str]) -> str:
    """The environment variables a notebook's output may depend on: `extra` (those the report sets) and ENV_PREFIXES ones."""
    env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)} | extra
    return digest(*(f"{k}={v}" for k, v in sorted(env.items())))


def _hashable(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str, sort_keys=True)
                                    if isinstance(v, (list, tuple, dict)) else v)
    return out


def row_hashes(df: pd.DataFrame) -> pd.Series:
    """A 64-bit hash of every row (pandas' hash_pandas_object; lists and dicts hashed as their JSON text)."""
    return pd.util.hash_pandas_object(_hashable(df), index=False, categorize=False)


def table_key(base: str, name: str, df: pd.DataFrame, hashes: pd.Series | None = None) -> str:
    """The key of one exported table: its name, columns, types and every row, in order."""
    hashes = row_hashes(df) if hashes is None else hashes
    return digest(base, name, repr(list(df.columns)), repr([str(t) for t in df.dtypes]), hashes.to_numpy().tobytes())


def article_keys(base: str, tables, names=("articles", "quotes", "mentions", "sentences"),
                 hashes: dict | None = None) -> dict[str, str]:
    """{article_id: key} of each article's page: its row of `articles` and its rows of the span tables."""
    hashes = hashes or {}
    parts: dict[str, list] = {str(a): [] for a in tables.articles["article_id"]}
    for name in names:
        df = getattr(tables, name)
        if df is None or "article_id" not in df or not len(df):
            continue
        h = (hashes.get(name) if hashes.get(name) is not None else row_hashes(df)).to_numpy()
        cols = repr(list(df.columns))
        for aid, idx in df.groupby("article_id", sort=False).indices.items():
            if str(aid) in parts:
                parts[str(aid)] += [name, cols, h[idx].tobytes()]
    return {aid: digest(base, aid, *p) for aid, p in parts.items()}


def previous_units(folder: Path, marker: str) -> dict[str, Unit]:
    """The units a finished report in `folder` recorded in its marker ({} when there is none or it is unreadable)."""
    try:
        raw = json.loads((folder / marker).read_text(encoding="utf8")).get("units", {})
        return {name: Unit(u["key"], dict(u["files"]), dict(u.get("info", {}))) for name, u in raw.items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed: a copy does as well
        shutil.copy2(src, dst)


class Ledger:
    """The units of the report being built in `work`: those taken over unchanged from `old`, those written anew."""

    def __init__(self, old: Path, work: Path, previous: dict[str, Unit], accept=None):
        """`accept(relative path)`: whether a file named in the earlier marker may be taken over (default: any
        path inside the folder); a unit naming any other file is written afresh."""
        self.old, self.work, self.previous, self.accept = old, work, previous, accept
        self.units: dict[str, Unit] = {}
        self.reused: set[str] = set()
        self._lock = threading.Lock()

    def reuse(self, name: str, key: str) -> Unit | None:
        """Link the files of unit `name` from the earlier report when its key is `key` and every file is
        there with its recorded checksum; the unit, or None (nothing linked) when it must be written afresh."""
        unit = self.previous.get(name)
        if unit is None or unit.key != key or not all(map(self._inside, unit.files)):
            return None
        for rel, sha in unit.files.items():
            src = self.old / rel
            if not src.is_file() or src.is_symlink() or sha256_file(src) != sha:
                return None
        for rel in unit.files:
            _link(self.old / rel, self.work / rel)
        with self._lock:
            self.units[name] = unit
            self.reused.add(name)
        return unit

    def _inside(self, rel: str) -> bool:
        parts = PurePosixPath(rel).parts
        return (bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts
                and (self.accept is None or bool(self.accept(rel))))

    def record(self, name: str, key: str, files: list[str], info: dict | None = None) -> None:
        """Unit `name` was written afresh: remember its key and the checksums of its files."""
        unit = Unit(key, {rel: sha256_file(self.work / rel) for rel in files if (self.work / rel).is_file()},
                    info or {})
        with self._lock:
            self.units[name] = unit

    def as_json(self) -> dict:
        """The units for the report's marker."""
        return {name: {"key": u.key, "files": u.files, "info": u.info} for name, u in sorted(self.units.items())}
