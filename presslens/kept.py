"""Objects kept between runs, one pickle file each: the loaded corpus (`corpus_cache`) and the study's tables
(`study.tables`), both read back by every notebook of a report.

A pickle keeps a table exactly as it was (dtypes, lists of tuples, NaN against None) and reads back several
times faster than Parquet with per-value JSON; these copies are private to the cache folder, under keys of
their inputs' content. The file also holds the Python, pandas and numpy versions that wrote it: one written
by another environment is a miss, not an error. It is written under a temporary name and renamed into place,
so a killed run leaves no half-written copy; a copy that cannot be read is dropped with a warning naming it.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy
import pandas as pd

VERSIONS = (sys.version, pd.__version__, numpy.__version__)


def write(path: Path, obj) -> bool:
    """Keep `obj` at `path` (written whole, then renamed into place); False when it cannot be written."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.time_ns()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump((VERSIONS, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False


def read(path: Path, what: str, check=None):
    """The object kept at `path`, or None: when there is none, when another environment wrote it, or when it
    cannot be read or fails `check(obj)` (then it is removed, with a warning that names `what` and the file)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            versions, obj = pickle.load(fh)
        if versions != VERSIONS:
            return None
        if check is not None and not check(obj):
            raise ValueError("not what was kept there")
    except Exception as exc:  # noqa: BLE001 - any damage to a kept copy means: build it again
        warnings.warn(f"{what} {path} cannot be read ({exc}); it is dropped and made again", RuntimeWarning, stacklevel=3)
        path.unlink(missing_ok=True)
        return None
    return obj
