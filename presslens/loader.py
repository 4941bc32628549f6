"""The thin loader: files in a corpus folder -> the `articles` table (one row an article), nothing else.

It reads the seed format (` date YYYY-MM-DD ` then the text, paragraphs on blank lines), YAML front
matter (`---` ... `---`), and a `manifest.csv` in the corpus folder; works out each article's outlet;
and strips site furniture (presslens/furniture.py); one file's reading is presslens/article_file.py.
Metadata precedence: front matter, then the manifest, then inference (url domain, then text signatures).
It never writes to or moves a file.
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
import io
import os
import stat
import warnings
from pathlib import Path

import pandas as pd

from . import corpus_cache, paths
from .article_file import (  # noqa: F401 - CorpusError re-exported: callers catch it as the loader's error
    SKIPPED,
    UNKNOWN_OUTLET,
    CorpusError,
    _clean_meta,
    _NotRegular,
    _Problems,
    _read_regular,
    read_article,
    read_file,
    same_article,
)
from .furniture import raw_offset
from .groups import DisjointSets
from .neardup import NearDuplicateIndex, jaccard

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


def _outlet_pairs(texts: list[str]) -> list[tuple[int, int]]:
    """(i, j) for each text i that is a near-duplicate of an earlier text j of the same outlet (in file order)."""
    index, pairs = NearDuplicateIndex(), []
    for i, text in enumerate(texts):
        hit = index.match(text)
        if hit is not None:
            pairs.append((i, hit.key))
        index.add(i, text)
    return pairs


def _drop_near_duplicates(rows: list[dict], root: Path, problems: _Problems, strict: bool,
                          store: corpus_cache.FileStore | None = None) -> list[dict]:
    """Keep one article of each group of near-duplicates of one outlet: the latest date, else the longest.
    An outlet's pairs come from `store` when its texts are the ones it kept."""
    by_outlet: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r["outlet"] != UNKNOWN_OUTLET:
            by_outlet.setdefault(r["outlet"], []).append(i)
    sets = DisjointSets(len(rows))
    for idxs in by_outlet.values():
        if len(idxs) < 2:
            continue
        texts = [rows[i]["text"] for i in idxs]
        for a, b in (store.near(texts, _outlet_pairs) if store is not None else _outlet_pairs(texts)):
            sets.union(idxs[a], idxs[b])
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
    key = store = hashes = None
    if single:
        files, root, manifest = [corpus], corpus.parent, {}
    else:
        root = corpus
        if not strict:  # a strict load raises at the first problem, so only a lenient one is kept
            listing = _Problems([])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                walked = corpus_files(root, listing)
            hashes = corpus_cache.file_hashes(root, walked)
            key = corpus_cache.corpus_key(root, walked, listing.rows, hashes)
            kept = corpus_cache.read(root, key) if key else None
            if kept is not None:
                return _finished(kept.articles, kept.problems, root)
            store = corpus_cache.FileStore(root)
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
            row = (read_article(f, root, manifest, problems, strict, seen) if store is None
                   else _read_kept(f, rel, manifest.get(rel), store, problems, seen, (hashes or {}).get(f)))
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
    rows = _drop_near_duplicates(rows, root, problems, strict, store)
    if store is not None:
        store.save()
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    articles["date"] = pd.to_datetime(articles["date"], errors="coerce")
    articles["n_words"] = articles["n_words"].astype(int)
    articles = articles.sort_values(["story", "date", "outlet", "path"], kind="stable").reset_index(drop=True)
    problems_df = pd.DataFrame(problems.rows, columns=PROBLEM_COLUMNS)
    if key:
        corpus_cache.write(root, key, articles, problems_df)
    return _finished(articles, problems_df, root)


def _read_kept(f: Path, rel: str, manifest_row: dict | None, store: corpus_cache.FileStore, problems: _Problems,
               seen: dict, sha: str | None = None) -> dict | None:
    """`read_article` (lenient) through the per-file store: the file is read afresh only when its bytes (`sha`,
    when the walk hashed them already) or manifest row are new; its problems are warned again either way, and
    the identical-text check is made here, on a kept or a fresh read alike."""
    got = store.kept(rel, sha, manifest_row) if sha else None
    if got is None:
        try:
            data = _read_regular(f)
        except _NotRegular as exc:
            problems.add(f, str(exc), SKIPPED)
            return None
        got = store.read(rel, data, manifest_row, lambda: read_file(data, f, rel, manifest_row))
    for problem, action in got.before:
        problems.add(f, problem, action)
    if got.article_id is None:
        return None
    if got.article_id in seen:
        problems.add(f, same_article(seen[got.article_id]), SKIPPED)
        return None
    for problem, action in got.after:
        problems.add(f, problem, action)
    return got.row


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
