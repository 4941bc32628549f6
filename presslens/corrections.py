"""A user's corrections to the quote table, kept in the corpus folder (corrections.csv, like aliases.csv).

One line a correction, keyed by the article and the quote's character offsets in the article's text
(the `start` and `end` columns of the quote table):

    article,start,end,action,value,text,comment
    us-story/002_outlet.txt,1534,1602,speaker,Jane Roe,,the pronoun was read as the wrong person
    4672377fa7a1b18e,880,912,drop,,"a phrase in quotation marks","a scare quote, not speech"
    4672377fa7a1b18e,2040,2101,add,Jane Roe,"We will hold the talks",missed: no reporting verb
    4672377fa7a1b18e,2210,2290,type,expert,,she spoke as an economist

- article: the article's `article_id`, or its path in the corpus folder as the loader lists it (`path`).
- start, end: the quote's offsets; for `add`, the offsets of the words to add (text[start:end]).
- action: `speaker` (value: the right speaker, as it should be counted), `type` (value: the right
  speaker type), `drop` (not a quote: left out of every count, listed in `quotes.attrs["dropped"]`),
  `add` (a quote the extractor missed; value: its speaker, may be empty; an optional `kind` column
  gives direct or indirect, default direct).
- text: optional; the quoted words as you read them, checked against the article so a wrong offset is
  caught. comment: free text. Lines starting with # are comments.

Every corrected row says so in the `corrected` column ("speaker: X -> Y (corrections.csv line 3)",
"added by the user (... line 5)"). A line that cannot be applied (unknown article, offsets that fit no
quote, an unknown action) is skipped with a warning naming the file and the line; nothing is rewritten.
"""
from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .speaker_types import corpus_roles, entity_labels, speaker_type
from .text import count_words, paragraph_index, paragraph_spans

CORRECTIONS_FILE = "corrections.csv"
CORRECTION_COLUMNS = ["article", "start", "end", "action", "value", "text", "comment"]
REQUIRED_COLUMNS = ["article", "start", "end", "action"]
ACTIONS = ("speaker", "type", "drop", "add")
KINDS = ("direct", "indirect")
CORRECTED = "corrected"          # the column that says how a row was corrected ("" when it was not)
DROPPED = "dropped"              # key of quotes.attrs listing the dropped rows (records)


class Correction(NamedTuple):
    """One usable line of a corrections file."""
    line: int
    article_id: str
    start: int
    end: int
    action: str
    value: str
    kind: str


def _warn(path, line, problem: str) -> None:
    warnings.warn(f"{path}, line {line}: {problem}; this correction is not applied", UserWarning, stacklevel=4)


def read_corrections(path: str | Path, articles: pd.DataFrame) -> list[Correction]:
    """The usable lines of a corrections file, each checked against `articles` (bad lines warn and are skipped)."""
    path = Path(path)
    lines = [(i, ln) for i, ln in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    rows = list(csv.reader([ln for _, ln in lines]))
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}, line {lines[0][0]}: the header lacks column(s) {missing}; it must be "
                         f"{','.join(CORRECTION_COLUMNS)}")
    ids = {str(a): str(a) for a in articles["article_id"]}
    if "path" in articles:
        ids.update({str(p).replace("\\", "/"): str(a) for p, a in zip(articles["path"], articles["article_id"])})
    texts = dict(zip(articles["article_id"].astype(str), articles["text"]))
    out: list[Correction] = []
    for (n, _), values in zip(lines[1:], rows[1:]):
        f = {k: (v.strip() if isinstance(v, str) else "") for k, v in zip(header, values)}
        c = _check(path, n, f, ids, texts)
        if c is not None:
            out.append(c)
    return out


def _check(path, n: int, f: dict, ids: dict, texts: dict) -> Correction | None:
    aid = ids.get(f.get("article", "").replace("\\", "/"))
    if aid is None:
        return _warn(path, n, f"no article with id or path {f.get('article', '')!r} in this corpus")
    try:
        start, end = int(f.get("start", "")), int(f.get("end", ""))
    except ValueError:
        return _warn(path, n, f"start and end must be whole numbers (got {f.get('start')!r}, {f.get('end')!r})")
    text = texts.get(aid) if isinstance(texts.get(aid), str) else ""
    if not 0 <= start < end <= len(text):
        return _warn(path, n, f"offsets {start}-{end} do not fit the article's text ({len(text)} characters)")
    action = f.get("action", "").lower()
    if action not in ACTIONS:
        return _warn(path, n, f"unknown action {f.get('action', '')!r} (one of {', '.join(ACTIONS)})")
    value = f.get("value", "")
    if action in ("speaker", "type") and not value:
        return _warn(path, n, f"the action {action!r} needs a value (the right {action})")
    if f.get("text") and " ".join(f["text"].split()) != " ".join(text[start:end].split()):
        return _warn(path, n, f"the text at {start}-{end} is {text[start:end]!r}, not {f['text']!r}")
    kind = (f.get("kind") or "direct").lower()
    if kind not in KINDS:
        return _warn(path, n, f"unknown kind {f.get('kind')!r} (direct or indirect)")
    return Correction(n, aid, start, end, action, value, kind)


def apply_corrections(quotes: pd.DataFrame, articles: pd.DataFrame, path=None, speaker_types=None,
                      mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quote table with the corrections of `path` applied and a `corrected` column ("" when untouched).

    Dropped rows leave the table and are listed in `.attrs["dropped"]`; a corrected or added speaker is
    typed again (`speaker_types.speaker_type`, with the corpus table `speaker_types` and the roles the
    `mentions` give the speaker). Without a file, the table comes back with an empty `corrected` column.
    """
    q = quotes.copy()
    q[CORRECTED] = ""
    q.attrs[DROPPED] = []
    if path is None or path is False or not Path(path).is_file() or q is None:
        return q
    name = Path(path).name
    roles, labels = corpus_roles(mentions), entity_labels(mentions)

    def typed(speaker: str) -> str:
        return speaker_type(None, speaker, speaker, speaker_types, label=labels.get(speaker),
                            corpus_role=roles.get(speaker))

    key = {(str(a), int(s), int(e)): i for i, (a, s, e) in enumerate(zip(q["article_id"], q["start"], q["end"]))}
    index = list(q.index)
    drop, added, seen = set(), [], {}
    for c in read_corrections(path, articles):
        where = f"{name} line {c.line}"
        k = (c.article_id, c.start, c.end)
        if k in seen:
            warnings.warn(f"{path}, line {c.line}: the quote at {c.start}-{c.end} was already corrected on line "
                          f"{seen[k]}; both are applied in file order", UserWarning, stacklevel=2)
        seen[k] = c.line
        if c.action == "add":
            added.append(_added_row(q, articles, c, typed, where))
            continue
        if k not in key:
            _warn(path, c.line, f"no quote at {c.start}-{c.end} in article {c.article_id} (the quote table's "
                                "start and end give the offsets)")
            continue
        i = index[key[k]]
        if c.action == "drop":
            drop.add(i)
            q.at[i, CORRECTED] = _joined(q.at[i, CORRECTED], f"dropped by the user ({where})")
        elif c.action == "speaker":
            old = q.at[i, "speaker_entity"] if pd.notna(q.at[i, "speaker_entity"]) else q.at[i, "speaker"]
            q.at[i, "speaker"] = c.value
            q.at[i, "speaker_entity"] = c.value
            q.at[i, "speaker_type"] = typed(c.value)
            q.at[i, CORRECTED] = _joined(q.at[i, CORRECTED], f"speaker: {old if pd.notna(old) else 'none'} -> "
                                                             f"{c.value} ({where})")
        elif c.action == "type":
            q.at[i, CORRECTED] = _joined(q.at[i, CORRECTED], f"type: {q.at[i, 'speaker_type']} -> {c.value} ({where})")
            q.at[i, "speaker_type"] = c.value
    dropped = q.loc[sorted(drop)]
    q = q.drop(index=sorted(drop))
    if added:
        q = pd.concat([q, pd.DataFrame(added).reindex(columns=q.columns)], ignore_index=True)
    order = {a: n for n, a in enumerate(pd.unique(articles["article_id"].astype(str)))}
    q = q.assign(_a=q["article_id"].astype(str).map(order), _s=pd.to_numeric(q["start"], errors="coerce"))
    q = q.sort_values(["_a", "_s"], kind="stable").drop(columns=["_a", "_s"]).reset_index(drop=True)
    q.attrs[DROPPED] = dropped.to_dict("records")
    return q


def _joined(before: str, note: str) -> str:
    return f"{before}; {note}" if before else note


def _added_row(q: pd.DataFrame, articles: pd.DataFrame, c: Correction, typed, where: str) -> dict:
    art = articles.loc[articles["article_id"].astype(str) == c.article_id].iloc[0]
    text = art["text"]
    words = text[c.start:c.end]
    speaker = c.value or None
    return {"article_id": art["article_id"], "outlet": art.get("outlet"), "quote": words, "start": c.start,
            "end": c.end, "kind": c.kind, "speaker": speaker, "speaker_entity": speaker,
            "speaker_type": typed(speaker) if speaker else speaker_type(None, None, None),
            "paragraph": paragraph_index(paragraph_spans(text), c.start), "n_words": count_words(words),
            CORRECTED: f"added by the user ({where})"}
