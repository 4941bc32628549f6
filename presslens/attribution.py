"""Quote attribution (issue 4). STUB: being written; contract below is fixed."""
from __future__ import annotations

import pandas as pd

EXTRACT_COLUMNS = ["quote", "start", "end", "kind", "cue", "cue_start", "cue_end", "speaker",
                   "speaker_start", "speaker_end", "speaker_role", "paragraph"]


def quotes_from_doc(doc) -> list[dict]:
    """One dict per quote (EXTRACT_COLUMNS), offsets into doc.text."""
    return []


def extract_quotes(text: str) -> pd.DataFrame:
    """Quotes of one text as a DataFrame (EXTRACT_COLUMNS)."""
    from .nlp import get_nlp

    return pd.DataFrame(quotes_from_doc(get_nlp()(text or "")), columns=EXTRACT_COLUMNS)
