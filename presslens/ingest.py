"""Adding articles to a corpus: each source becomes a NEW front-matter file under corpus/<story>/.

A source is a seed-format or front-matter text file, a saved HTML article page (main text and metadata by
trafilatura, offline), or a CSV / JSONL file of articles (one adapter per format, in `READERS`). Nothing a
user gave is edited: inputs are only read, and corpus files are created with mode 'x' (never overwritten).
An article whose text is already in the corpus is reported, not added twice (same loader article_id or the
same clean text), and an updated version of an article of the same outlet (a near-duplicate, see
`loader.NearDuplicateIndex`) is reported and not added unless forced; anything unusable is refused with a
message naming the source and what to do. One `add` at a time writes to a corpus (a lock file in it), so
two runs adding the same article cannot both write it; a corpus folder that does not exist is only
created when asked (`new_corpus=True`, `--new-corpus`), so a typo in its name cannot start a new corpus.
"""
from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import re
import tempfile
import warnings
from pathlib import Path

try:  # POSIX advisory locks; where missing (Windows), concurrent `add` runs are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

import pandas as pd
import yaml

from . import paths
from .article_file import DATE_MAX, DATE_MIN, UNKNOWN_OUTLET, read_article
from .loader import NearDuplicateIndex, load_corpus
from .outlets import (
    canonical_outlet,
    domain_of,
    outlet_for_domain,
    outlet_from_signatures,
)
from .sources import (  # noqa: F401
    HTML_SUFFIXES,
    READERS,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
    SourceError,
    reader_for,
)

# One row per article found in a source (or per source refused whole).
ADD_COLUMNS = ["source", "item", "status", "path", "article_id", "story", "outlet", "date", "title", "message"]
ADDED, PRESENT, REFUSED = "added", "already present", "refused"
WOULD_ADD = "would add"              # dry run: what `added` would be, nothing written
UPDATED = "updated version"          # a near-duplicate of an article of the same outlet: not added unless forced
# The lock file `add` holds while it reads the corpus and writes (the loader does not list it as hidden).
LOCK_NAME = ".presslens-add.lock"
# A "did you mean" folder name is offered from this similarity up (difflib ratio).
SIMILAR_NAME_CUTOFF = 0.6
# Written to every new file, in this order; the loader reads exactly these keys.
FRONT_MATTER_KEYS = ("outlet", "url", "date", "title", "story")


class CorpusWriteError(OSError):
    """The corpus folder cannot be written to (read-only, not ours)."""


def _value(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v).strip()
    return s or None


def slugify(text: str) -> str:
    """'US-Venezuela relations!' -> 'us-venezuela-relations' (folder and file names)."""
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return s[:60].strip("-")


def normalize_date(value) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD or None, note): any date pandas understands; a note when it does not."""
    v = _value(value)
    if v is None:
        return None, None
    try:
        ts = pd.Timestamp(v)
    except (ValueError, TypeError, OverflowError):
        return None, f"date {v!r} is not a date; give it as YYYY-MM-DD"
    if ts is pd.NaT:
        return None, None
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    if not DATE_MIN <= ts <= DATE_MAX:
        return None, f"date {v!r} is outside the years 1678-2261 the tables can hold; check it"
    return ts.strftime("%Y-%m-%d"), None


def resolve_outlet(fields: dict, outlet: str | None = None) -> tuple[str | None, str]:
    """(outlet, how): the source's own outlet field, else --outlet, else url domain, site name, signatures."""
    own = _value(fields.get("outlet"))
    if own:
        return canonical_outlet(own), "from the source's outlet field"
    if _value(outlet):
        return canonical_outlet(outlet), "from --outlet"
    url = _value(fields.get("url"))
    by_domain = outlet_for_domain(domain_of(url)) or outlet_for_domain(_value(fields.get("hostname")))
    if by_domain:
        return by_domain, "from the url's domain"
    site = _value(fields.get("site_name"))
    if site:
        return canonical_outlet(site), "from the page's site name"
    name, sig = outlet_from_signatures(fields.get("raw") or fields.get("text") or "")
    if name:
        return name, f"from the text ({sig!r})"
    return None, ""


def front_matter_file(meta: dict, text: str) -> str:
    """The file written for one article: YAML front matter (FRONT_MATTER_KEYS) then the text."""
    head = {k: meta[k] for k in FRONT_MATTER_KEYS if meta.get(k) is not None}
    fm = yaml.safe_dump(head, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)
    return f"---\n{fm}---\n\n{text.strip()}\n"


def _clean_key(text: str) -> str:
    return " ".join(str(text).split())


class _Notes:
    """Collects the loader's problems for one file instead of warning (duck-types loader._Problems)."""

    def __init__(self):
        self.rows = []

    def add(self, path, problem, action, strict=False):
        self.rows.append({"path": str(path), "problem": problem, "action": action})


def _as_loaded(content: str, story: str) -> tuple[dict | None, list[dict]]:
    """The loader's row for a file with this content (article_id, clean text), read from a temp copy."""
    with tempfile.TemporaryDirectory(prefix="presslens-add-") as tmp:
        root = Path(tmp)
        p = root / story / "article.txt"
        p.parent.mkdir(parents=True)
        p.write_text(content, encoding="utf8")
        notes = _Notes()
        row = read_article(p, root, {}, notes, strict=False)
    return row, notes.rows


def _existing(corpus: Path) -> tuple[dict[str, str], dict[str, str], dict[str, NearDuplicateIndex]]:
    """({article_id: path}, {clean text: path}, {outlet: near-duplicate index}) of the articles in the corpus."""
    if not corpus.is_dir() or not any(corpus.iterdir()):
        return {}, {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = load_corpus(corpus)
    ids = dict(zip(arts["article_id"], arts["path"]))
    texts = {_clean_key(t): p for t, p in zip(arts["text"], arts["path"])}
    near: dict[str, NearDuplicateIndex] = {}
    for outlet, path, text in zip(arts["outlet"], arts["path"], arts["text"]):
        if outlet != UNKNOWN_OUTLET:
            near.setdefault(outlet, NearDuplicateIndex()).add(path, text)
    return ids, texts, near


@contextlib.contextmanager
def corpus_lock(corpus: Path):
    """Hold an exclusive lock on CORPUS/.presslens-add.lock (POSIX flock): one `add` at a time per corpus."""
    try:
        fd = os.open(corpus / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CorpusWriteError(f"cannot write to the corpus folder {corpus} ({exc.strerror or exc}); check it is "
                               "yours and not read-only") from exc
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def _missing_corpus_message(corpus: Path) -> str:
    """Why a corpus folder that does not exist is refused, with the nearest existing folder name."""
    near = []
    if corpus.parent.is_dir():
        try:
            names = [d.name for d in corpus.parent.iterdir() if d.is_dir() and not d.name.startswith(".")]
        except OSError:
            names = []
        near = difflib.get_close_matches(corpus.name, names, n=1, cutoff=SIMILAR_NAME_CUTOFF)
    hint = f" Did you mean {corpus.parent / near[0]}?" if near else ""
    return (f"corpus folder {corpus} does not exist.{hint} To start a new corpus there, "
            "pass --new-corpus (new_corpus=True).")


def _non_scalar(fields: dict) -> str | None:
    """The first metadata field holding a list or mapping instead of one value, described; None if all are single."""
    for k in ("outlet", "url", "date", "title", "story"):
        v = fields.get(k)
        if isinstance(v, (list, dict, tuple, set)):
            return f"field '{k}' holds {'a list' if not isinstance(v, dict) else 'several key: value pairs'} ({v!r:.80}); give one {k}"
    return None


def _stories(corpus: Path) -> list[str]:
    if not corpus.is_dir():
        return []
    return sorted(p.name for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))


def _expand(sources) -> list[Path]:
    """Paths of every source; a folder stands for the article files in it (sorted, recursive)."""
    if isinstance(sources, (str, Path)):
        sources = [sources]
    out = []
    for s in sources:
        p = Path(s).expanduser()
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                           and f.suffix.lower() in READERS)
            out.extend(found or [p])  # an empty folder is reported, not silently skipped
        else:
            out.append(p)
    return out


def _write_new(target: Path, content: str) -> None:
    """Create `target` with `content`; never overwrites (exclusive create), raises FileExistsError/OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf8", newline="\n") as fh:
        fh.write(content)


def add(sources, corpus: str | Path = paths.CORPUS_DIR, story: str | None = None, outlet: str | None = None,
        dry_run: bool = False, new_corpus: bool = False, force: bool = False) -> pd.DataFrame:
    """Add articles from `sources` to the corpus as new files; one row per article (status column):
    added (or "would add" in a dry run), already present, updated version (not added) or refused.

    `story` and `outlet` fill in what a source does not say itself (a CSV column or front matter wins).
    With no story anywhere, the corpus's only story is used (the message says so); with several, or none,
    the article is refused. A corpus folder that does not exist is refused unless `new_corpus=True`.
    An updated version of an article already there (same outlet, near-duplicate text) is not added unless
    `force=True`. `dry_run=True` reports what would happen and writes nothing.
    """
    corpus = Path(corpus).expanduser().resolve()
    rows: list[dict] = []
    srcs = _expand(sources)

    def emit(source, item, status, message, **kw):
        rows.append({"source": str(source), "item": item, "status": status, "message": message,
                     **{c: kw.get(c) for c in ("path", "article_id", "story", "outlet", "date", "title")}})

    def refuse_all(message):
        for src in srcs:
            emit(src, "", REFUSED, f"{src}: {message}")
        return pd.DataFrame(rows, columns=ADD_COLUMNS)

    if corpus.exists() and not corpus.is_dir():
        return refuse_all(f"the corpus {corpus} is a file, not a folder; give the corpus folder with --corpus")
    if not corpus.exists():
        if not new_corpus:
            return refuse_all(_missing_corpus_message(corpus))
        if not dry_run:
            try:
                corpus.mkdir(parents=True)
            except OSError as exc:
                return refuse_all(f"the corpus folder {corpus} could not be created ({exc.strerror or exc})")
    if dry_run:
        _add_all(srcs, corpus, story, outlet, dry_run, force, emit)
        return pd.DataFrame(rows, columns=ADD_COLUMNS)
    try:
        with corpus_lock(corpus):
            _add_all(srcs, corpus, story, outlet, dry_run, force, emit)
    except CorpusWriteError as exc:
        return refuse_all(str(exc))
    return pd.DataFrame(rows, columns=ADD_COLUMNS)


def _add_all(srcs, corpus, story, outlet, dry_run, force, emit) -> None:
    """The body of `add`, run while holding the corpus lock (or in a dry run)."""
    ids, texts, near = _existing(corpus)
    stories = _stories(corpus)
    for src in srcs:
        if not src.exists():
            emit(src, "", REFUSED, f"{src}: no such file; check the path")
            continue
        if src.is_dir():
            emit(src, "", REFUSED, f"{src}: no article files in this folder (.txt, .md, .html, .csv, .jsonl)")
            continue
        try:
            items = reader_for(src)(src)
        except SourceError as exc:
            emit(src, "", REFUSED, f"{src} {exc}")
            continue
        if not items:
            emit(src, "", REFUSED, f"{src}: no articles found in it; check it is the right file")
            continue
        for item, fields in items:
            where = f"{src}{' ' + item if item else ''}"
            if "error" in fields:
                emit(src, item, REFUSED, f"{src} {fields['error']}")
                continue
            bad = _non_scalar(fields)
            if bad:
                emit(src, item, REFUSED, f"{where}: {bad}")
                continue
            text = (fields.get("text") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if not text:
                emit(src, item, REFUSED, f"{where}: no article text found; put the article's text in it "
                     f"({'the text column' if item else 'after the header'})")
                continue
            name, how = resolve_outlet(fields, outlet)
            slug = slugify(_value(fields.get("story")) or _value(story) or "")
            story_note = ""
            if not slug and len(stories) == 1:
                slug = stories[0]
                story_note = f"filed into story '{slug}', the corpus's only story (use --story to choose another)"
            date, date_note = normalize_date(fields.get("date"))
            info = dict(story=slug or None, outlet=name, date=date, title=_value(fields.get("title")))
            if date_note:
                emit(src, item, REFUSED, f"{where}: {date_note}; not added", **info)
                continue
            meta = {"outlet": name, "url": _value(fields.get("url")), "date": date,
                    "title": info["title"], "story": slug or None}
            content = front_matter_file(meta, text)
            row, notes = _as_loaded(content, slug or "unsorted")
            if row is None:
                why = "; ".join(n["problem"] for n in notes) or "the loader could not read it"
                emit(src, item, REFUSED, f"{where}: {why}", **info)
                continue
            aid = row["article_id"]  # a hash of the text alone: the same article whatever its metadata
            dup = ids.get(aid) or texts.get(_clean_key(row["text"]))
            if dup:
                emit(src, item, PRESENT, f"{where}: already in the corpus as {dup}; not added again",
                     path=dup, article_id=aid, **info)
                continue
            if not name:
                emit(src, item, REFUSED, f"{where}: outlet unknown (no outlet field, no known url, no outlet "
                     "signature in the text); say which outlet with --outlet NAME (or an 'outlet' field)", **info)
                continue
            if not slug:
                have = (f" (stories in the corpus: {', '.join(stories)})" if stories
                        else " (the corpus has no story yet: name the first one)")
                emit(src, item, REFUSED, f"{where}: no story given; say which story with --story SLUG{have}", **info)
                continue
            hit = near[name].match(row["text"]) if name in near else None
            if hit is not None and not force:
                emit(src, item, UPDATED, f"{where}: an updated version of {hit.key} ({hit.jaccard:.0%} of its "
                     "three-word sequences are the same); not added - pass --force to add it as well (the "
                     "loader then keeps the later one)", path=hit.key, article_id=aid, **info)
                continue
            h = hashlib.sha256(content.encode("utf8")).hexdigest()[:10]
            target = corpus / slug / f"{date or 'undated'}_{slugify(name) or 'outlet'}_{h}.txt"
            rel = target.relative_to(corpus).as_posix()
            note = "; ".join(x for x in [story_note, f"outlet {how}" if how else "",
                                         f"updated version of {hit.key}, added because of --force" if hit else "",
                                         *(n["problem"] for n in notes if "date" in n["problem"])] if x)
            if not dry_run:
                try:
                    _write_new(target, content)
                except FileExistsError:
                    emit(src, item, PRESENT, f"{where}: already in the corpus as {rel}; not added again",
                         path=rel, article_id=aid, **info)
                    continue
                except OSError as exc:
                    emit(src, item, REFUSED, f"{where}: could not write {target} ({exc.strerror or exc}); check the "
                         "story folder is writable", **info)
                    continue
            ids[aid] = rel
            texts[_clean_key(row["text"])] = rel
            near.setdefault(name, NearDuplicateIndex()).add(rel, row["text"])
            if slug not in stories:
                stories.append(slug)
            status, verb = (WOULD_ADD, "would add") if dry_run else (ADDED, "added")
            emit(src, item, status, f"{where}: {verb} as {rel}" + (f" ({note})" if note else ""),
                 path=rel, article_id=aid, **info)
