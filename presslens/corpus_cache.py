"""A corpus folder's articles table kept between loads, so each notebook of a report, and each re-run, reads the
corpus as it was loaded instead of cleaning every file again (furniture, dates, near-duplicates).

The key is everything the load reads, by content: the folder's path, the relative name and bytes of every file
the walk lists (a link by its target's bytes), the walk's own problems (hidden or unreadable entries), the
loader's code and data (`pipeline.code_sources`: the modules it imports and the data files they read), and the
Python, pandas and numpy versions (the pickle's format). File times are not used, so an edit that keeps a
file's size and time still loads it again. The table and its problems are kept as one pickle (`kept`: the
table holds lists of tuples, which Parquet would turn into lists); a damaged copy is dropped with a warning and
the corpus loaded afresh. Only the newest copy of a folder is kept.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import kept as kept_files
from . import paths
from . import report_reuse as reuse
from .pipeline import _PKG, code_sources

FOLDER = "corpus"           # under the cache folder


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


def corpus_key(root: Path, files: list[Path], listing: list[dict]) -> str | None:
    """The content key of loading `root`, whose walk found `files` and `listing` problems; None when a file
    cannot be read (the load then says so itself)."""
    parts = [str(root), _code_digest(), repr(listing)]
    for f in files:
        try:
            parts += [f.relative_to(root).as_posix(), reuse.sha256_file(f)]
        except (OSError, ValueError):
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
