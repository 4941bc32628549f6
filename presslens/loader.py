"""The thin loader: files in a corpus folder -> the `articles` table (one row an article), nothing else.

It reads the seed format (` date YYYY-MM-DD ` then the text, paragraphs on blank lines), YAML front
matter (`---` ... `---`), and a `manifest.csv` in the corpus folder; works out each article's outlet;
and strips site furniture (presslens/furniture.py). Metadata precedence: front matter, then the
manifest, then inference (url domain, then text signatures). It never writes to or moves a file.
A file it cannot use is skipped with a message naming the file and the problem; a file it can use
with doubts is loaded with a warning. Both are listed in the problems table, never dropped silently.

What is read: every regular file under the corpus folder, and links to files. Hidden entries (a name
starting with '.') are not read and are listed as "ignored", except the tool and system entries in
`SYSTEM_ENTRIES`. At the corpus root, `manifest.csv`, `aliases.csv` and the other `CORPUS_DATA_FILES`
and a README are data about the corpus, not articles; a README inside a story folder is listed as
ignored. Links to folders are not followed (listed), so a link can never make the walk loop.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import corpus_cache, paths
from .furniture import raw_offset, strip_furniture
from .groups import DisjointSets
from .neardup import NearDuplicateIndex, jaccard
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

ARTICLE_COLUMNS = ["article_id", "story", "outlet", "outlet_domain", "url", "date", "title", "path",
                   "raw_text", "text", "n_words", "furniture", "offset_map"]
PROBLEM_COLUMNS = ["path", "problem", "action"]
ARTICLE_SUFFIXES = {".txt", ".md", ".text"}
# Files at the corpus root that are data about the corpus, not articles (a README there too).
CORPUS_DATA_FILES = {"manifest.csv", "aliases.csv", "speaker_types.csv", "corrections.csv", "genders.csv"}
# Hidden entries written by tools and operating systems (and `presslens add`'s lock): not listed as ignored.
SYSTEM_ENTRIES = {".DS_Store", ".git", ".gitignore", ".gitkeep", ".ipynb_checkpoints", ".presslens-add.lock",
                  ".Trash", ".localized"}
MANIFEST_COLUMNS = ["path", "outlet", "url", "date", "title", "story"]
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


def _read_manifest(corpus: Path, problems: _Problems, strict: bool) -> dict[str, dict]:
    """{relative path: metadata} from corpus/manifest.csv; conflicting and runaway (unclosed-quote) rows are reported."""
    p = corpus / "manifest.csv"
    if not p.is_file():
        return {}
    try:
        raw = _read_regular(p)
        with io.StringIO(raw.decode("utf-8-sig"), newline="") as fh:
            reader = csv.DictReader(fh)
            if "path" not in [c.strip().lower() for c in (reader.fieldnames or [])]:
                problems.add(p, f"manifest has no 'path' column (columns: {', '.join(MANIFEST_COLUMNS)})",
                             "ignored", strict)
                return {}
            rows, where, last = {}, {}, reader.line_num
            for row in reader:
                first, last = last + 1, reader.line_num
                values = [v for v in row.values() if isinstance(v, str)]
                if any("\n" in v or "\r" in v for v in values):
                    problems.add(p, f"lines {first}-{last} were read as one row: a quote (\") is probably never "
                                 "closed and swallowed the lines after it; close the quote", "ignored", strict)
                    continue
                meta = {str(k).strip().lower(): _clean_meta(v) for k, v in row.items() if k and isinstance(v, str)}
                rel = meta.get("path")
                if not rel:
                    continue
                rel = Path(rel).as_posix()
                if rel in rows and rows[rel] != meta:
                    diff = ", ".join(f"{k} {rows[rel].get(k)!r} vs {v!r}" for k, v in meta.items()
                                     if rows[rel].get(k) != v)
                    problems.add(p, f"lines {where[rel]} and {first} both describe {rel} and disagree ({diff}); "
                                 f"using line {first}", "loaded with a warning", strict)
                rows[rel], where[rel] = meta, first
            return rows
    except (OSError, UnicodeDecodeError, csv.Error, _NotRegular) as exc:
        problems.add(p, f"manifest could not be read ({exc})", "ignored", strict)
        return {}


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
    article_id = _content_id(raw[body_start:])
    if seen is not None and article_id in seen:
        problems.add(path, f"same article as {seen[article_id]} (identical text)", SKIPPED, strict)
        return None
    meta = _scalar_meta(front, path, problems, strict)
    for k, v in (manifest.get(rel) or {}).items():
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
        "article_id": article_id, "story": story, "outlet": outlet, "outlet_domain": domain, "url": url,
        "date": date, "title": meta.get("title"), "path": rel, "raw_text": raw, "text": cleaned.text,
        "n_words": n_words, "furniture": cleaned.removed, "offset_map": cleaned.offset_map,
    }


def _link_file(p: Path, problems: _Problems, strict: bool) -> bool:
    """True when a symbolic link leads to a regular file; otherwise the link is listed with the reason."""
    target = os.readlink(p)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        problems.add(p, f"broken link: it points to {target}, which does not exist", SKIPPED, strict)
        return False
    except OSError as exc:
        problems.add(p, f"link that cannot be followed ({exc.strerror or exc}; a link loop?)", SKIPPED, strict)
        return False
    if stat.S_ISDIR(st.st_mode):
        problems.add(p, f"link to a folder ({target}): not followed; copy or move the folder into the corpus",
                     SKIPPED, strict)
        return False
    return True


def corpus_files(corpus: Path, problems: _Problems | None = None, strict: bool = False) -> list[Path]:
    """Every file under the corpus folder (regular files, then links to files), in a stable order; what
    cannot be walked is listed in `problems`.

    Hidden entries are not read (see the module docstring); links to folders are not followed.
    """
    problems = problems if problems is not None else _Problems([])
    files, links, stack = [], [], [corpus]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.add(folder, f"folder could not be read ({exc.strerror or exc}); none of its files were loaded",
                         SKIPPED, strict)
            continue
        subdirs = []
        for e in entries:
            p = Path(e.path)
            if e.name.startswith("."):
                if e.name not in SYSTEM_ENTRIES:
                    problems.add(p, "hidden file or folder (its name starts with '.'); rename it to have it read",
                                 "ignored", strict)
                continue
            try:
                if e.is_symlink():
                    if _link_file(p, problems, strict):
                        links.append(p)
                elif e.is_dir(follow_symlinks=False):
                    subdirs.append(p)
                elif e.is_file(follow_symlinks=False):
                    files.append(p)
                else:
                    problems.add(p, "not a regular file (a named pipe, socket or device), not an article",
                                 SKIPPED, strict)
            except OSError as exc:
                problems.add(p, f"could not be read ({exc.strerror or exc})", SKIPPED, strict)
        stack.extend(reversed(subdirs))
    return sorted(files) + sorted(links)  # a file before a link to it: the link is the copy


def _drop_near_duplicates(rows: list[dict], root: Path, problems: _Problems, strict: bool) -> list[dict]:
    """Keep one article of each group of near-duplicates of one outlet: the latest date, else the longest."""
    by_outlet: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r["outlet"] != UNKNOWN_OUTLET:
            by_outlet.setdefault(r["outlet"], []).append(i)
    sets = DisjointSets(len(rows))
    for idxs in by_outlet.values():
        if len(idxs) < 2:
            continue
        index = NearDuplicateIndex()
        for i in idxs:
            hit = index.match(rows[i]["text"])
            if hit is not None:
                sets.union(i, hit.key)
            index.add(i, rows[i]["text"])
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(sets.find(i), []).append(i)
    drop = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        keep = max(members, key=lambda i: (pd.notna(rows[i]["date"]), rows[i]["date"] if pd.notna(rows[i]["date"])
                                           else pd.Timestamp(0), rows[i]["n_words"], rows[i]["path"]))
        for i in members:
            if i != keep:
                j = jaccard(rows[i]["text"], rows[keep]["text"])
                kept = rows[keep]["path"]
                problems.add(root / rows[i]["path"], f"an updated or edited version of {kept} ({j:.0%} of its "
                             "three-word sequences are the same); the latest (else the longest) is kept",
                             f"skipped: near-duplicate of {kept}", strict)
                drop.add(i)
    return [r for i, r in enumerate(rows) if i not in drop]


def load_corpus_report(path: str | Path = paths.CORPUS_DIR, strict: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, problems): the articles table and every file skipped or loaded with a warning, and why.

    `path` may be the corpus folder, one article file, or the corpus's manifest.csv (its folder is read).
    """
    corpus = Path(path).expanduser().resolve()
    if not corpus.exists():
        raise FileNotFoundError(f"corpus folder {corpus} does not exist")
    problems = _Problems([])
    if corpus.is_file() and corpus.name.lower() == "manifest.csv":
        warnings.warn(f"{corpus} is the corpus's manifest; reading its folder {corpus.parent}", stacklevel=2)
        corpus = corpus.parent
    single = corpus.is_file()
    key = None
    if single:
        files, root, manifest = [corpus], corpus.parent, {}
    else:
        root = corpus
        if not strict:  # a strict load raises at the first problem, so only a lenient one is kept
            listing = _Problems([])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                key = corpus_cache.corpus_key(root, corpus_files(root, listing), listing.rows)
            kept = corpus_cache.read(root, key) if key else None
            if kept is not None:
                return _finished(kept.articles, kept.problems, root)
        manifest = _read_manifest(corpus, problems, strict)
        files = corpus_files(corpus, problems, strict)
    rows, seen = [], {}
    for f in files:
        rel = f.relative_to(root).as_posix()
        name = f.name.lower()
        if not single and f.parent == root and (name in CORPUS_DATA_FILES or f.stem.lower() == "readme"):
            continue
        if f.stem.lower() == "readme" and f.parent != root:
            problems.add(f, "a README file is read as notes about its folder, not as an article; rename it if it "
                         "is an article", "ignored", strict)
            continue
        if f.suffix.lower() not in ARTICLE_SUFFIXES:
            problems.add(f, f"not an article file ({f.suffix or 'no extension'}); articles are .txt or .md - "
                         "use `presslens add` to import HTML, CSV or JSONL", SKIPPED, strict)
            continue
        try:
            row = read_article(f, root, manifest, problems, strict, seen)
        except OSError as exc:
            problems.add(f, f"could not be read ({exc.strerror or exc})", SKIPPED, strict)
            continue
        if row is None:
            continue
        seen[row["article_id"]] = rel
        rows.append(row)
    listed = set(manifest) - {f.relative_to(root).as_posix() for f in files}
    for rel in sorted(listed):
        problems.add(root / rel, "listed in manifest.csv but no such file", "ignored", strict)
    rows = _drop_near_duplicates(rows, root, problems, strict)
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    articles["date"] = pd.to_datetime(articles["date"], errors="coerce")
    articles["n_words"] = articles["n_words"].astype(int)
    articles = articles.sort_values(["story", "date", "outlet", "path"], kind="stable").reset_index(drop=True)
    problems_df = pd.DataFrame(problems.rows, columns=PROBLEM_COLUMNS)
    if key:
        corpus_cache.write(root, key, articles, problems_df)
    return _finished(articles, problems_df, root)


def _finished(articles: pd.DataFrame, problems: pd.DataFrame, root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles.attrs["corpus_dir"] = str(root)
    articles.attrs["problems"] = problems.to_dict("records")
    return articles, problems


def load_corpus(path: str | Path = paths.CORPUS_DIR, strict: bool = False) -> pd.DataFrame:
    """The articles table of a corpus folder (problems in `.attrs['problems']`; strict=True raises on a bad file)."""
    return load_corpus_report(path, strict=strict)[0]


def problems_text(problems, corpus: str | Path | None = None, limit: int = 50) -> str:
    """Plain-text summary of the problems table (skipped and doubtful files, one line each); '' when none."""
    rows = problems.to_dict("records") if isinstance(problems, pd.DataFrame) else list(problems or [])
    if not rows:
        return ""
    root = Path(corpus).expanduser().resolve() if corpus is not None else None
    n_skipped = sum(1 for r in rows if str(r["action"]).startswith((SKIPPED, "ignored")))
    lines = [f"{len(rows)} problem(s) in the corpus files: {n_skipped} file(s) not used, "
             f"{len(rows) - n_skipped} used with a warning"]
    for r in rows[:limit]:
        p = Path(r["path"])
        shown = p.relative_to(root).as_posix() if root is not None and p.is_relative_to(root) else str(p)
        lines.append(f"  {shown}: {r['problem']} ({r['action']})")
    if len(rows) > limit:
        lines.append(f"  ... and {len(rows) - limit} more (see the report's index page)")
    return "\n".join(lines)


def raw_span(article: pd.Series | dict, start: int, end: int) -> tuple[int | None, int | None]:
    """Offsets in the original file of a span of the clean `text`, to trace a row back to the file."""
    return raw_offset(article["offset_map"], start), raw_offset(article["offset_map"], end)
