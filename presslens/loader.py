"""The thin loader: files in a corpus folder -> the `articles` table (one row an article), nothing else.

It reads the seed format (` date YYYY-MM-DD ` then the text, paragraphs on blank lines), YAML front
matter (`---` ... `---`), and a `manifest.csv` in the corpus folder; works out each article's outlet;
and strips site furniture (presslens/furniture.py). Metadata precedence: front matter, then the
manifest, then inference (url domain, then text signatures). It never writes to or moves a file.
A file it cannot use is skipped with a message naming the file and the problem; a file it can use
with doubts is loaded with a warning. Both are listed in the problems table, never dropped silently.
"""
from __future__ import annotations

import csv
import hashlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import paths
from .furniture import strip_furniture
from .outlets import canonical_outlet, domain_for_outlet, domain_of, outlet_for_domain, outlet_from_signatures
from .text import count_words

# libyaml's safe loader when PyYAML was built with it (about 10x faster on a thousand headers), else PyYAML's own.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ARTICLE_COLUMNS = ["article_id", "story", "outlet", "outlet_domain", "url", "date", "title", "path",
                   "raw_text", "text", "n_words", "furniture", "offset_map"]
PROBLEM_COLUMNS = ["path", "problem", "action"]
ARTICLE_SUFFIXES = {".txt", ".md", ".text"}
# Files in a corpus folder that are data about the corpus, not articles.
CORPUS_DATA_FILES = {"manifest.csv", "aliases.csv", "speaker_types.csv", "readme.md", "readme.txt"}
MANIFEST_COLUMNS = ["path", "outlet", "url", "date", "title", "story"]
META_KEYS = {"outlet", "url", "date", "title", "story", "outlet_domain"}
UNKNOWN_OUTLET = "unknown"
UNSORTED_STORY = "unsorted"
WARN_BYTES = 300_000      # longer than any news article we have seen: loaded, with a warning
MAX_BYTES = 5_000_000     # not one article: skipped
SEED_DATE_RE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")


class CorpusError(ValueError):
    """A corpus file that cannot be used (raised only with strict=True)."""


@dataclass
class _Problems:
    rows: list

    def add(self, path, problem: str, action: str, strict: bool = False):
        self.rows.append({"path": str(path), "problem": problem, "action": action})
        if strict and action == "skipped":
            raise CorpusError(f"{path}: {problem}")
        warnings.warn(f"{path}: {problem} ({action})", stacklevel=3)


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, note): UTF-8 first, then Windows-1252 with a note; (None, reason) for binary data."""
    head = data[:8192]
    if b"\x00" in head:
        return None, "binary file (it contains NUL bytes), not text: is it a PDF, image or Word file?"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, f"not UTF-8 text (undecodable byte at position {bad}) and not Windows-1252 either; save it as UTF-8"
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0.01 * max(1, len(text[:8192])):
        return None, "binary file (control characters), not text"
    return text, (f"not UTF-8 (undecodable byte at position {bad}); read as Windows-1252 - "
                  "check accented letters, or save the file as UTF-8")


def _split_front_matter(raw: str) -> tuple[dict, int, str | None]:
    """(metadata, body_start, error) for a file that may open with YAML front matter."""
    m = re.match(r"\A\ufeff?---[ \t]*\r?\n", raw)
    if not m:
        return {}, 0, None
    end = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M).search(raw, m.end())
    if not end:
        return {}, 0, "front matter opens with '---' on line 1 but is never closed by a '---' line"
    try:
        meta = yaml.load(raw[m.end():end.start()], Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        return {}, 0, f"front matter is not valid YAML ({first})"
    if not isinstance(meta, dict):
        return {}, 0, "front matter is not a list of 'key: value' lines"
    body = end.end()
    if raw[body:body + 1] == "\n":
        body += 1
    return {str(k).lower(): v for k, v in meta.items()}, body, None


def _clean_meta(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value).strip()
    return s or None


def _read_manifest(corpus: Path, problems: _Problems, strict: bool) -> dict[str, dict]:
    """{relative path: metadata} from corpus/manifest.csv, if there is one."""
    p = corpus / "manifest.csv"
    if not p.exists():
        return {}
    try:
        with open(p, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ("path",) if c not in (reader.fieldnames or [])]
            if missing:
                problems.add(p, f"manifest has no 'path' column (columns: {', '.join(MANIFEST_COLUMNS)})",
                             "ignored", strict)
                return {}
            rows = {}
            for row in reader:
                rel = (row.get("path") or "").strip()
                if rel:
                    rows[Path(rel).as_posix()] = {k.lower(): _clean_meta(v) for k, v in row.items() if k}
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.add(p, f"manifest could not be read ({exc})", "ignored", strict)
        return {}


def _content_id(body: str) -> str:
    """Stable article id: a hash of the body with whitespace folded (not of the file name or row order)."""
    norm = " ".join(body.split())
    return hashlib.sha256(norm.encode("utf8")).hexdigest()[:16]


def _parse_date(value, path, problems, strict):
    if value is None:
        return pd.NaT
    try:
        return pd.Timestamp(str(value)).normalize()
    except (ValueError, TypeError):
        problems.add(path, f"date {value!r} is not a date (use YYYY-MM-DD)", "loaded without a date", strict)
        return pd.NaT


def read_article(path: Path, corpus: Path, manifest: dict, problems: _Problems, strict: bool = False,
                 seen: dict | None = None) -> dict | None:
    """One article row from one file, or None (with a problem recorded) when the file cannot be used.

    `seen` maps article ids already loaded to their paths: a second copy of an article is skipped.
    """
    rel = path.relative_to(corpus).as_posix() if path.is_relative_to(corpus) else str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.add(path, f"too large to be one article ({size / 1e6:.1f} MB)", "skipped", strict)
        return None
    data = path.read_bytes()
    if not data.strip():
        problems.add(path, "empty file", "skipped", strict)
        return None
    raw, note = _decode(data)
    if raw is None:
        problems.add(path, note, "skipped", strict)
        return None
    if note:
        problems.add(path, note, "loaded with a warning", strict)
    front, body_start, err = _split_front_matter(raw)
    if err:
        problems.add(path, err, "skipped", strict)
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
        problems.add(path, f"same article as {seen[article_id]} (identical text)", "skipped", strict)
        return None
    meta = {k: _clean_meta(v) for k, v in front.items() if k in META_KEYS}
    for k, v in (manifest.get(rel) or {}).items():
        if k in META_KEYS and v is not None:
            meta.setdefault(k, v)
    # outlet: metadata, then the url's domain, then signatures in the text
    outlet = canonical_outlet(meta.get("outlet"))
    url = meta.get("url")
    if not outlet:
        outlet = outlet_for_domain(meta.get("outlet_domain") or domain_of(url))
    if not outlet:
        outlet, sig = outlet_from_signatures(raw)
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
        problems.add(path, "no article text (only a header or site furniture)", "skipped", strict)
        return None
    if size > WARN_BYTES:
        problems.add(path, f"very long for one article ({count_words(cleaned.text):,} words, {size / 1e6:.1f} MB); "
                     "check it holds a single article", "loaded with a warning", strict)
    return {
        "article_id": article_id,
        "story": story,
        "outlet": outlet,
        "outlet_domain": domain,
        "url": url,
        "date": date,
        "title": meta.get("title"),
        "path": rel,
        "raw_text": raw,
        "text": cleaned.text,
        "n_words": count_words(cleaned.text),
        "furniture": cleaned.removed,
        "offset_map": cleaned.offset_map,
    }


def corpus_files(corpus: Path) -> list[Path]:
    """Every file under the corpus folder except hidden ones, in a stable order."""
    return sorted(p for p in corpus.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus).parts))


def load_corpus_report(path: str | Path = paths.CORPUS_DIR, strict: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, problems): the articles table and every file skipped or loaded with a warning, and why."""
    corpus = Path(path).expanduser().resolve()
    if not corpus.exists():
        raise FileNotFoundError(f"corpus folder {corpus} does not exist")
    problems = _Problems([])
    if corpus.is_file():
        files, root, manifest = [corpus], corpus.parent, {}
    else:
        root = corpus
        manifest = _read_manifest(corpus, problems, strict)
        files = corpus_files(corpus)
    rows, seen = [], {}
    for f in files:
        rel = f.relative_to(root).as_posix()
        if f.name.lower() in CORPUS_DATA_FILES:
            continue
        if f.suffix.lower() not in ARTICLE_SUFFIXES:
            problems.add(f, f"not an article file ({f.suffix or 'no extension'}); articles are .txt or .md - "
                         "use `presslens add` to import HTML, CSV or JSONL", "skipped", strict)
            continue
        try:
            row = read_article(f, root, manifest, problems, strict, seen)
        except OSError as exc:
            problems.add(f, f"could not be read ({exc.strerror or exc})", "skipped", strict)
            continue
        if row is None:
            continue
        seen[row["article_id"]] = rel
        rows.append(row)
    listed = set(manifest) - {f.relative_to(root).as_posix() for f in files}
    for rel in sorted(listed):
        problems.add(root / rel, "listed in manifest.csv but no such file", "ignored", strict)
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    articles["date"] = pd.to_datetime(articles["date"])
    articles["n_words"] = articles["n_words"].astype(int)
    articles = articles.sort_values(["story", "date", "outlet", "path"], kind="stable").reset_index(drop=True)
    problems_df = pd.DataFrame(problems.rows, columns=PROBLEM_COLUMNS)
    articles.attrs["corpus_dir"] = str(root)
    articles.attrs["problems"] = problems_df.to_dict("records")
    return articles, problems_df


def load_corpus(path: str | Path = paths.CORPUS_DIR, strict: bool = False) -> pd.DataFrame:
    """The articles table of a corpus folder (problems in `.attrs['problems']`; strict=True raises on a bad file)."""
    return load_corpus_report(path, strict=strict)[0]


def raw_span(article: pd.Series | dict, start: int, end: int) -> tuple[int | None, int | None]:
    """Offsets in the original file of a span of the clean `text`, to trace a row back to the file."""
    from .furniture import raw_offset

    return raw_offset(article["offset_map"], start), raw_offset(article["offset_map"], end)
