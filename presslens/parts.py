"""The study's tables kept per story and month: what `presslens.aggregates` (DuckDB) reads.

Layout, under the store folder of this code version: `<table>/story=<s>/month=<m>/<key>.parquet`
(Hive partitions; `s` from `store.safe_part`, `m` the YYYY-MM of the row's article, `key` the
story's build key) and one manifest `stories/<s>.json` per story naming its key and months. A story
is written whole, manifest last, so a killed write is never read, and the files of its earlier builds
are dropped. `study.keep_parts(articles)` writes the stories of a corpus's study tables the first time
the aggregates ask for them; `study.build_store` builds a corpus too large to hold story by story.
"""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from . import paths, store
from .pipeline import code_version

PARTS = "study-parts"
# The slim articles table kept with the parts (no text); `position` is the article's place in its corpus.
ARTICLE_PART_COLUMNS = ["article_id", "story", "outlet", "outlet_domain", "url", "date", "title", "n_words",
                        "position"]
PART_TABLES = ("articles", "mentions", "quotes", "sentences", "readability", "narration", "entity_tone",
               "gender_evidence")


def parts_folder(cache_dir=None) -> Path:
    """The folder of the study's tables kept per story and month, in the store of this code version."""
    return store.root(cache_dir or paths.CACHE_DIR, code_version()) / PARTS


def story_folder(story) -> str:
    """The partition value of a story (true name, or None for articles without one)."""
    return store.safe_part(story, store.NO_STORY)


def write_story(folder: Path, story: str | None, key: str, tables) -> None:
    """Write one story's tables (a `study.Tables` whose articles carry `position`) as
    `<table>/story=<s>/month=<m>/<key>.parquet` (a row goes to its article's month), then its
    manifest, then drop the story's files of earlier builds."""
    s = story_folder(story)
    art = tables.articles.reindex(columns=ARTICLE_PART_COLUMNS)
    month_of = dict(zip(art["article_id"], map(store.month_of, art["date"])))
    months = {}
    for name in PART_TABLES:
        df = art if name == "articles" else getattr(tables, name)
        for m, idx in df.groupby(df["article_id"].map(month_of), sort=True).groups.items():
            tbl = store._frame_table(df.loc[idx].reset_index(drop=True))  # noqa: SLF001 - the store's one encoding
            if tbl is None:
                raise ValueError(f"the {name} table of story {story!r} cannot be kept exactly in Parquet")
            store._write(tbl, folder / name / f"story={s}" / f"month={m}" / f"{key}.parquet")  # noqa: SLF001
            months.setdefault(name, []).append(m)
    manifest = folder / "stories" / f"{s}.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    tmp = manifest.with_name(f".{manifest.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"story": story, "key": key, "months": months}), encoding="utf8")
    os.replace(tmp, manifest)
    for old in folder.glob(f"*/story={s}/month=*/*.parquet"):
        if old.stem != key:
            old.unlink(missing_ok=True)


def stored_stories(folder: Path) -> dict[str, dict]:
    """{story folder: manifest (story, key, months per table)} of the stories built into `folder`."""
    out = {}
    for f in sorted(Path(folder).glob("stories/*.json")):
        with contextlib.suppress(OSError, ValueError):
            out[f.stem] = json.loads(f.read_text(encoding="utf8"))
    return out
