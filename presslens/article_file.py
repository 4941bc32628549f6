"""One article file -> one row of the `articles` table, or the problems that keep it out.

Reading runs in two steps around the loader's identical-text check: `read_head` (bytes -> text, front matter,
article id) and `read_rest` (metadata, outlet, date, story, furniture stripped). Neither step looks at the
other files, so `read_file` can keep what a file gives (`FileRead`) in the per-file cache (`corpus_cache`) and
the loader applies the check to a kept or a fresh read alike. Metadata precedence: front matter, then the
manifest row, then inference (url domain, then text signatures, presslens/outlets.py).
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .furniture import strip_furniture
from .outlets import (
    canonical_outlet,
    domain_for_outlet,
    domain_of,
    outlet_for_domain,
    outlet_from_signatures,
)
from .text import count_words
from .textfile import decode as _decode
from .textfile import split_front_matter as _split_front_matter

META_KEYS = {"outlet", "url", "date", "title", "story", "outlet_domain"}
UNKNOWN_OUTLET = "unknown"
UNSORTED_STORY = "unsorted"
WARN_BYTES = 300_000      # longer than any news article we have seen: loaded, with a warning
MAX_BYTES = 5_000_000     # not one article: skipped
# spaCy refuses texts longer than nlp.max_length (1,000,000 characters by default, error E088); a text
# that long is not one news article either, so it is skipped rather than loaded and left to fail later.
SPACY_MAX_CHARS = 1_000_000
# pandas datetime64[ns] holds 1677-09-21 .. 2262-04-11; a date outside it would overflow the whole column.
DATE_MIN, DATE_MAX = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-10")
SEED_DATE_RE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
SKIPPED = "skipped"


class CorpusError(ValueError):
    """A corpus file that cannot be used (raised only with strict=True)."""


@dataclass
class _Problems:
    rows: list

    def add(self, path, problem: str, action: str, strict: bool = False):
        self.rows.append({"path": str(path), "problem": problem, "action": action})
        if strict and action.startswith(SKIPPED):
            raise CorpusError(f"{path}: {problem}")
        warnings.warn(f"{path}: {problem} ({action})", stacklevel=3)


def _clean_meta(value):
    """A metadata value as one line of text, or None when empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = " ".join(str(value).split())
    return s or None


def _scalar_meta(front: dict, path, problems: _Problems, strict: bool) -> dict:
    """The front matter's known keys as text; a list or mapping where one value belongs is a problem, not text."""
    out = {}
    for k, v in front.items():
        if k not in META_KEYS:
            continue
        if isinstance(v, (list, dict, set, tuple)):
            kind = "a list" if not isinstance(v, dict) else "a set of 'key: value' lines"
            problems.add(path, f"front matter '{k}' is {kind}, not one value; give a single {k}",
                         f"loaded without its {k}", strict)
            continue
        out[k] = _clean_meta(v)
    return out


def _content_id(body: str) -> str:
    """Stable article id: a hash of the body with whitespace folded (not of the file name or row order)."""
    norm = " ".join(body.split())
    return hashlib.sha256(norm.encode("utf8", "surrogatepass")).hexdigest()[:16]


def _parse_date(value, path, problems, strict):
    """A day (Timestamp) from a metadata value; NaT and a problem row when it is not a date pandas can hold."""
    if value is None:
        return pd.NaT
    try:
        ts = pd.Timestamp(str(value))
    except (ValueError, TypeError, OverflowError):
        problems.add(path, f"date {value!r} is not a date (use YYYY-MM-DD)", "loaded without a date", strict)
        return pd.NaT
    if ts is pd.NaT:
        return pd.NaT
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)  # the local calendar day the outlet gave
    if not DATE_MIN <= ts <= DATE_MAX:
        problems.add(path, f"date {value!r} is outside the years 1678-2261 that the tables can hold; check it",
                     "loaded without a date", strict)
        return pd.NaT
    return ts.as_unit("ns").normalize()


class _NotRegular(OSError):
    """A path that is not a regular file (pipe, socket, device, folder)."""


def _read_regular(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, opened without blocking (a FIFO is refused, never waited on)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular("not a regular file (a named pipe, socket or device), not an article")
        with open(fd, "rb", closefd=False) as fh:
            return fh.read(max_bytes + 1)
    finally:
        os.close(fd)



class Head(NamedTuple):
    """A file's text as far as the identical-text check: decoded, front matter split off, and its article id."""
    raw: str
    front: dict
    body_start: int
    header_date: str | None
    size: int
    article_id: str


class FileRead(NamedTuple):
    """What one file gives, without the identical-text check (which depends on the files before it): the
    problems found before it (problem, action), the article id (None: skipped before it), the problems found
    after it, and the row (None: skipped)."""
    before: tuple
    article_id: str | None
    after: tuple
    row: dict | None


class _Notes:
    """Problems of one file kept as (problem, action) pairs, not warned: the loader warns them in order."""

    def __init__(self):
        self.rows: list[tuple[str, str]] = []

    def add(self, path, problem: str, action: str, strict: bool = False):
        self.rows.append((problem, action))


def read_head(data: bytes, path, problems: _Problems, strict: bool = False) -> Head | None:
    """The first step of reading a file's bytes: size, decoding, front matter, article id; None (with a problem
    recorded) when the file cannot be used."""
    size = len(data)
    if size > MAX_BYTES:
        problems.add(path, f"too large to be one article (over {MAX_BYTES / 1e6:.0f} MB)", SKIPPED, strict)
        return None
    if not data.strip():
        problems.add(path, "empty file", SKIPPED, strict)
        return None
    raw, note = _decode(data)
    if raw is None:
        problems.add(path, note, SKIPPED, strict)
        return None
    if note:
        problems.add(path, note, "loaded with a warning", strict)
    front, body_start, err = _split_front_matter(raw)
    if err:
        problems.add(path, err, SKIPPED, strict)
        return None
    unknown_keys = sorted(set(front) - META_KEYS)
    if unknown_keys:
        problems.add(path, f"front matter keys not used: {', '.join(unknown_keys)}", "loaded with a warning", strict)
    header_date = None
    m = SEED_DATE_RE.match(raw, body_start)
    if m:
        header_date = m.group(1)
        body_start = m.end()
    return Head(raw, front, body_start, header_date, size, _content_id(raw[body_start:]))


def read_rest(head: Head, path, rel: str, manifest_row: dict | None, problems: _Problems,
              strict: bool = False) -> dict | None:
    """The second step: metadata, outlet, date, story and the text without furniture -> the article row;
    None (with a problem recorded) when no article text is left."""
    raw, body_start, header_date, size = head.raw, head.body_start, head.header_date, head.size
    meta = _scalar_meta(head.front, path, problems, strict)
    for k, v in (manifest_row or {}).items():
        if k in META_KEYS and v is not None and meta.get(k) is None:
            meta[k] = v
    # outlet: metadata, then the url's domain, then signatures in the text
    outlet = canonical_outlet(meta.get("outlet"))
    url = meta.get("url")
    if not outlet:
        outlet = outlet_for_domain(meta.get("outlet_domain") or domain_of(url))
    if not outlet:
        outlet, _ = outlet_from_signatures(raw)
        if not outlet:
            problems.add(path, "outlet unknown: no metadata names it, no known url and no outlet signature in the "
                         "text; add it to front matter or manifest.csv", "loaded as 'unknown'", strict)
            outlet = UNKNOWN_OUTLET
    domain = meta.get("outlet_domain") or domain_of(url) or domain_for_outlet(outlet)
    date_value = meta.get("date") or header_date
    if meta.get("date") and header_date and str(meta["date"])[:10] != header_date:
        problems.add(path, f"date in metadata ({meta['date']}) differs from the file's header ({header_date}); "
                     "using the metadata", "loaded with a warning", strict)
    if date_value is None:
        problems.add(path, "no date (no ' date YYYY-MM-DD ' header, front matter or manifest entry)",
                     "loaded without a date", strict)
    date = _parse_date(date_value, path, problems, strict)
    story = meta.get("story")
    if not story:
        parts = Path(rel).parts
        story = parts[0] if len(parts) > 1 else UNSORTED_STORY
    cleaned = strip_furniture(raw, body_start, outlet)
    if not cleaned.text.strip():
        problems.add(path, "no article text (only a header or site furniture)", SKIPPED, strict)
        return None
    if len(cleaned.text) > SPACY_MAX_CHARS:
        problems.add(path, f"too long to analyse as one article ({len(cleaned.text):,} characters; the language "
                     f"model reads at most {SPACY_MAX_CHARS:,}): split it into its articles", SKIPPED, strict)
        return None
    n_words = count_words(cleaned.text)
    if size > WARN_BYTES:
        problems.add(path, f"very long for one article ({n_words:,} words, {size / 1e6:.1f} MB); "
                     "check it holds a single article", "loaded with a warning", strict)
    return {
        "article_id": head.article_id, "story": story, "outlet": outlet, "outlet_domain": domain, "url": url,
        "date": date, "title": meta.get("title"), "path": rel, "raw_text": raw, "text": cleaned.text,
        "n_words": n_words, "furniture": cleaned.removed, "offset_map": cleaned.offset_map,
    }


def read_file(data: bytes, path, rel: str, manifest_row: dict | None) -> FileRead:
    """Both steps on a file's bytes, its problems kept (not warned) for the loader to warn in order: what the
    per-file cache keeps, so it reads the same whatever files came before."""
    notes = _Notes()
    head = read_head(data, path, notes)
    if head is None:
        return FileRead(tuple(notes.rows), None, (), None)
    before, notes.rows = tuple(notes.rows), []
    row = read_rest(head, path, rel, manifest_row, notes)
    return FileRead(before, head.article_id, tuple(notes.rows), row)


def same_article(seen_path: str) -> str:
    """The problem of a file whose text is identical to one already loaded."""
    return f"same article as {seen_path} (identical text)"


def read_article(path: Path, corpus: Path, manifest: dict, problems: _Problems, strict: bool = False,
                 seen: dict | None = None) -> dict | None:
    """One article row from one file, or None (with a problem recorded) when the file cannot be used.

    `seen` maps article ids already loaded to their paths: a second copy of an article is skipped.
    """
    rel = path.relative_to(corpus).as_posix() if path.is_relative_to(corpus) else str(path)
    try:
        data = _read_regular(path)
    except _NotRegular as exc:
        problems.add(path, str(exc), SKIPPED, strict)
        return None
    head = read_head(data, path, problems, strict)
    if head is None:
        return None
    if seen is not None and head.article_id in seen:
        problems.add(path, same_article(seen[head.article_id]), SKIPPED, strict)
        return None
    return read_rest(head, path, rel, manifest.get(rel), problems, strict)
