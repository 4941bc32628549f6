"""A corpus folder's articles table kept between loads, so each notebook of a report, and each re-run, reads the
corpus as it was loaded instead of cleaning every file again (furniture, dates, near-duplicates).

The key is everything the load reads, by content: the folder's path, the relative name and bytes of every file
the walk lists (a link by its target's bytes), the walk's own problems (hidden or unreadable entries), the
loader's code and data (`pipeline.code_sources`: the modules it imports and the data files they read), and the
Python, pandas and numpy versions (the pickle's format). File times are not used, so an edit that keeps a
file's size and time still loads it again. The table and its problems are kept as one pickle (`kept`: the
table holds lists of tuples, which Parquet would turn into lists); a damaged copy is dropped with a warning and
the corpus loaded afresh. Only the newest copy of a folder is kept.

When anything changed, the load goes through `FileStore`: what each file gave (`article_file.FileRead`: its row
and its problems, before the identical-text check, which depends on the other files) is kept per file under its
relative path, the SHA-256 of its bytes and its manifest row, and each outlet's near-duplicate pairs under the
SHA-256 of its texts in order; only a new or changed file is read and only an outlet whose texts changed is
matched again. One store per folder, for one code digest, rewritten whole (without the files gone) when it
changed.
"""
from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import kept as kept_files
from . import paths
from . import report_reuse as reuse
from .article_file import FileRead
from .pipeline import _PKG, code_sources

FOLDER = "corpus"           # under the cache folder
FILES_FOLDER = "corpus-files"  # the per-file stores, one a folder


class Loaded(NamedTuple):
    """A kept load: the articles table and its problems (the files skipped or loaded with a warning)."""
    articles: pd.DataFrame
    problems: pd.DataFrame


def _path(root: Path, key: str) -> Path:
    return Path(paths.CACHE_DIR) / FOLDER / f"{reuse.digest(str(root))[:12]}-{key[:24]}.pkl"


@lru_cache(maxsize=None)
def _code_digest() -> str:
    files = code_sources([Path(__file__).with_name("loader.py")])
    return reuse.digest(*kept_files.VERSIONS,
                        *(x for p in files for x in (p.relative_to(_PKG).as_posix(), p.read_bytes())))


def file_hashes(root: Path, files: list[Path]) -> dict[Path, str] | None:
    """{file: SHA-256 of its bytes (a link's target's)} of the files a walk of `root` found; None when one cannot
    be read (the load then says so itself)."""
    try:
        return {f: reuse.sha256_file(f) for f in files}
    except OSError:
        return None


def corpus_key(root: Path, files: list[Path], listing: list[dict], hashes: dict[Path, str] | None = None) -> str | None:
    """The content key of loading `root`, whose walk found `files` (their `file_hashes`, worked out when not
    given) and `listing` problems; None when a file cannot be read (the load then says so itself)."""
    hashes = file_hashes(root, files) if hashes is None else hashes
    if hashes is None:
        return None
    parts = [str(root), _code_digest(), repr(listing)]
    for f in files:
        try:
            parts += [f.relative_to(root).as_posix(), hashes[f]]
        except (KeyError, ValueError):
            return None
    return reuse.digest(*parts)


def read(root: Path, key: str) -> Loaded | None:
    """The kept load of `root` under `key`, its problems warned again as the load warns them; None if none."""
    obj = kept_files.read(_path(root, key), "the kept corpus load", lambda o: isinstance(o, tuple) and len(o) == 2
                          and all(isinstance(df, pd.DataFrame) for df in o))
    if obj is None:
        return None
    kept = Loaded(*obj)
    for p in kept.problems.itertuples():
        warnings.warn(f"{p.path}: {p.problem} ({p.action})", stacklevel=3)
    return kept


def write(root: Path, key: str, articles: pd.DataFrame, problems: pd.DataFrame) -> bool:
    """Keep this load of `root` (replacing the folder's older ones); False when it cannot be kept."""
    path = _path(root, key)
    if not kept_files.write(path, (articles, problems)):
        return False
    prefix = path.name.split("-", 1)[0] + "-"
    for old in path.parent.glob(prefix + "*.pkl"):
        if old != path:
            old.unlink(missing_ok=True)
    return True


class FileStore:
    """The kept per-file reads and per-outlet near-duplicate pairs of one corpus folder, for the loader's code
    (`_code_digest`): `read` and `near` give a kept answer or work it out and keep it; `save` writes the store
    again when it changed, keeping only what this load used."""

    def __init__(self, root: Path):
        self.path = Path(paths.CACHE_DIR) / FILES_FOLDER / f"{reuse.digest(str(root))[:24]}.pkl"
        self.code = _code_digest()
        obj = kept_files.read(self.path, "the kept file reads", _is_store)
        old = obj if obj is not None and obj["code"] == self.code else {"files": {}, "near": {}}
        self._old_files, self._old_near = old["files"], old["near"]
        self._files: dict[str, tuple] = {}
        self._near: dict[str, list] = {}
        self.fresh = 0  # files read afresh by this load

    def kept(self, rel: str, sha: str, manifest_row: dict | None) -> FileRead | None:
        """What the file at `rel` gave when its bytes had this SHA-256 and its manifest row was this; None if
        not kept."""
        entry = self._old_files.get(rel)
        if entry is None or entry[0] != sha or entry[1] != manifest_row:
            return None
        self._files[rel] = entry
        return entry[2]

    def read(self, rel: str, data: bytes, manifest_row: dict | None, reader) -> FileRead:
        """What the file at `rel` with these bytes and manifest row gives: kept, else `reader()` (then kept)."""
        sha = hashlib.sha256(data).hexdigest()
        got = self.kept(rel, sha, manifest_row)
        if got is None:
            got = reader()
            self._files[rel] = (sha, None if manifest_row is None else dict(manifest_row), got)
            self.fresh += 1
        return got

    def near(self, texts: list[str], matcher) -> list:
        """The near-duplicate pairs of one outlet's texts (in file order): kept, else `matcher(texts)`."""
        key = reuse.digest(*texts)
        pairs = self._old_near.get(key)
        if pairs is None:
            pairs = matcher(texts)
        self._near[key] = pairs
        return pairs

    def save(self) -> bool:
        """Write the store when this load read a file afresh or no longer needs a kept entry; True if written."""
        if not self.fresh and self._files.keys() == self._old_files.keys() and self._near.keys() == self._old_near.keys():
            return False
        return kept_files.write(self.path, {"code": self.code, "files": self._files, "near": self._near})


def _is_store(obj) -> bool:
    """A store as `FileStore.save` writes it (a damaged or foreign one is dropped and made again)."""
    return (isinstance(obj, dict) and obj.keys() == {"code", "files", "near"} and isinstance(obj["near"], dict)
            and isinstance(obj["files"], dict) and all(
                isinstance(e, tuple) and len(e) == 3 and isinstance(e[2], FileRead) for e in obj["files"].values()))
