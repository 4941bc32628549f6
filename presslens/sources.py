"""Reading what a user adds: one adapter per kind of source file, each giving (text, metadata) pairs.

A seed-format or front-matter text file (one article), a saved HTML article page (main text, title,
date, site name and url by trafilatura, offline), a CSV or JSONL file of articles (one row an article,
column names mapped through `FIELD_ALIASES`). Sources are only read, never changed.
"""
from __future__ import annotations

import csv
import io
import json
import re
import warnings
from pathlib import Path
from typing import Iterable

from .text import count_words
from .textfile import decode, split_front_matter

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".csv", ".jsonl", ".ndjson", ".json"}
# Column names accepted in CSV/JSONL files, mapped to the field they fill (display names kept as data).
FIELD_ALIASES = {
    "text": "text", "body": "text", "content": "text", "article": "text", "article_text": "text",
    "outlet": "outlet", "publication": "outlet", "publisher": "outlet", "site": "outlet", "source": "outlet",
    "date": "date", "published": "date", "published_at": "date", "publish_date": "date", "pubdate": "date",
    "title": "title", "headline": "title",
    "url": "url", "link": "url",
    "story": "story",
}
# Fewer words than this from an HTML page means trafilatura found a teaser, paywall or index page.
MIN_HTML_WORDS = 40
SEED_DATE_RE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")


class SourceError(ValueError):
    """A source (or one item in it) that cannot be added; the message says what to do."""




# --- readers: one per format, each path -> list of (item label, article fields) ------------------

def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"could not be read ({exc.strerror or exc}); check the path and permissions")


def _decode(data: bytes) -> str:
    """Text of a file as the loader reads it (`textfile.decode`); binary files are refused."""
    text, note = decode(data)
    if text is None:
        raise SourceError(f"is not a text file we can read ({note}); save the article as text, HTML or CSV")
    return text


def _split_front_matter(raw: str) -> tuple[dict, str]:
    """(metadata, body) of a text that may open with a YAML front matter block (the loader's reading of it)."""
    meta, body_start, err = split_front_matter(raw)
    if err:
        raise SourceError(f"has {err}; fix the lines between the two '---'")
    return {k.strip(): v for k, v in meta.items()}, raw[body_start:]


def read_text_file(path: Path) -> list[tuple[str, dict]]:
    """A seed-format (` date YYYY-MM-DD ` then text) or front-matter text file: one article."""
    raw = _decode(_read_bytes(path)).replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _split_front_matter(raw)
    fields = {FIELD_ALIASES.get(k, k): v for k, v in meta.items() if FIELD_ALIASES.get(k, k) in FIELD_ALIASES.values()}
    m = SEED_DATE_RE.match(body)
    if m:
        fields.setdefault("date", m.group(1))
        body = body[m.end():]
    fields["text"] = body
    fields["raw"] = raw
    return [("", fields)]


def _paragraphs_from_lines(text: str) -> str:
    """trafilatura puts one paragraph per line; the corpus separates paragraphs by blank lines."""
    lines = [ln.strip() for ln in (text or "").splitlines()]
    return "\n\n".join(ln for ln in lines if ln)


def read_html(path: Path) -> list[tuple[str, dict]]:
    """A saved article page: main text, title, date, site name and url by trafilatura (no network)."""
    from trafilatura import bare_extraction

    html = _decode(_read_bytes(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                              favor_precision=True)
    if doc is None:
        raise SourceError("is an HTML file but no article text was found in it; save the article page itself "
                          "(not a home or search page), or paste the text into a .txt file")
    d = doc if isinstance(doc, dict) else doc.as_dict()
    text = _paragraphs_from_lines(d.get("text") or "")
    title = (d.get("title") or "").strip() or None
    if title and text.startswith(title):  # the headline often comes back as the first paragraph
        text = text[len(title):].lstrip()
    n = count_words(text)
    if n < MIN_HTML_WORDS:
        raise SourceError(f"is an HTML page but only {n} words of article text were found (a paywall, teaser or "
                          "index page?); save the full article page, or paste the text into a .txt file")
    fields = {"text": text, "title": title, "date": d.get("date"), "url": d.get("url"),
              "site_name": d.get("sitename"), "hostname": d.get("hostname"), "raw": text}
    return [("", fields)]


def _table_rows(records: Iterable[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Article fields from table records: known column names (FIELD_ALIASES) only, text as a string."""
    out = []
    for label, rec in records:
        fields = {}
        for k, v in rec.items():
            name = FIELD_ALIASES.get(str(k).strip().lower())
            if name and name not in fields:
                fields[name] = v
        text = fields.get("text")
        fields["text"] = "" if text is None or (isinstance(text, float) and text != text) else str(text)
        fields["raw"] = fields["text"]
        out.append((label, fields))
    return out


def read_csv(path: Path) -> list[tuple[str, dict]]:
    """A CSV of articles, one per row (columns text, outlet, date, title, url, story)."""
    raw = _decode(_read_bytes(path))
    try:
        reader = csv.DictReader(io.StringIO(raw, newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise SourceError(f"is not a readable CSV ({exc}); export it again as CSV (UTF-8)")
    cols = [c for c in (reader.fieldnames or []) if c]
    if not any(FIELD_ALIASES.get(c.strip().lower()) == "text" for c in cols):
        raise SourceError(f"has no 'text' column (columns found: {', '.join(cols) or 'none'}); "
                          "name the column holding the article text 'text'")
    # row numbers as a spreadsheet shows them: the header is row 1
    return _table_rows(((f"row {i}", r) for i, r in enumerate(rows, start=2)))


def read_jsonl(path: Path) -> list[tuple[str, dict]]:
    """A JSON Lines file (one article object per line) or a JSON list of article objects."""
    raw = _decode(_read_bytes(path))
    records: list[tuple[str, dict]] = []
    stripped = raw.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SourceError(f"is not valid JSON ({exc.msg} at line {exc.lineno}); fix it or save one object per line")
        for i, rec in enumerate(data, start=1):
            records.append((f"item {i}", rec))
    else:
        for i, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                rec = SourceError(f"line {i} is not valid JSON ({exc.msg}); fix that line")
            records.append((f"line {i}", rec))
    out = []
    for label, rec in records:
        if isinstance(rec, SourceError) or not isinstance(rec, dict):
            err = rec if isinstance(rec, SourceError) else SourceError(f"{label} is not an object with a 'text' field")
            out.append((label, {"error": str(err)}))
        else:
            out.extend(_table_rows([(label, rec)]))
    return out


READERS = {**{s: read_text_file for s in TEXT_SUFFIXES}, **{s: read_html for s in HTML_SUFFIXES},
           ".csv": read_csv, ".jsonl": read_jsonl, ".ndjson": read_jsonl, ".json": read_jsonl}


def reader_for(path: Path):
    """The reader for a file: by extension, else by a look at its first bytes (HTML or text)."""
    reader = READERS.get(path.suffix.lower())
    if reader:
        return reader
    head = _read_bytes(path)[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return read_html
    if path.suffix.lower() in {".pdf", ".doc", ".docx", ".rtf", ".odt", ".png", ".jpg", ".jpeg", ".gif"}:
        raise SourceError(f"is a {path.suffix} file, which presslens cannot read; save the article as text (.txt), "
                          "HTML, CSV or JSONL")
    return read_text_file


# --- fields -> one corpus file ---------------------------------------------------------------
