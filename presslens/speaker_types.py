"""Speaker types: what kind of source a speaker is, from an editable table kept as data.

Each row of speaker_types.csv is (speaker_type, pattern, comment), the pattern a case-insensitive
regular expression (write `(?-i:US)` for a case-sensitive part). The speaker's stated role is tried
against every row in order, then the speaker's name, then the linked entity; the first row that
matches gives the type, so put specific rows above broad ones. A corpus folder's own
speaker_types.csv is tried before the package's table.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DATA_DIR

SPEAKER_TYPE_COLUMNS = ["speaker_type", "pattern", "comment"]
SPEAKER_TYPES_PATH = DATA_DIR / "speaker_types.csv"
UNATTRIBUTED_TYPE = "unattributed"    # speaker_type of a quote with no speaker and no role
OTHER_TYPE = "other"                  # speaker_type when no row of the table matches


def load_speaker_types(path: str | Path | None = None) -> pd.DataFrame:
    """The speaker-type table (SPEAKER_TYPE_COLUMNS): ordered regex rows, the first match wins."""
    table = pd.read_csv(path or SPEAKER_TYPES_PATH, dtype=str, keep_default_na=False)
    missing = [c for c in ("speaker_type", "pattern") if c not in table]
    if missing:
        raise ValueError(f"speaker type table {path or SPEAKER_TYPES_PATH} lacks column(s) {missing}")
    if "comment" not in table:
        table["comment"] = ""
    return table[SPEAKER_TYPE_COLUMNS]


@lru_cache(maxsize=8)
def _compiled(path: str) -> tuple[tuple[str, re.Pattern], ...]:
    rows = []
    for i, r in load_speaker_types(path).iterrows():
        try:
            rows.append((r["speaker_type"], re.compile(r["pattern"], re.I)))
        except re.error as exc:
            raise ValueError(f"{path}, row {i + 2}: pattern {r['pattern']!r} is not a valid regex ({exc})") from exc
    return tuple(rows)


def speaker_type(role=None, speaker=None, entity=None, table: str | Path | None = None) -> str:
    """Type of a speaker: the first table row matching the stated role, else the name, else 'other'.

    The role is tried first because it is what the article says the person is ("Venezuela's interim
    President"); names in the table are a fallback for speakers introduced without a role.
    """
    texts = [t.strip() for t in (role, speaker, entity) if isinstance(t, str) and t.strip()]
    if not texts:
        return UNATTRIBUTED_TYPE
    rules = _compiled(str(table or SPEAKER_TYPES_PATH))
    for text in texts:
        for kind, rx in rules:
            if rx.search(text):
                return kind
    return OTHER_TYPE
