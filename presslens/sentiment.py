"""Sentence sentiment (issue 5). STUB: being written; contract below is fixed."""
from __future__ import annotations

DOC_COLUMNS = ["sentence", "start", "end", "paragraph", "text", "neg", "neu", "pos", "compound",
               "voice", "speaker"]


def sentences_from_doc(doc, quotes: list[dict], mentions: list[dict]) -> list[dict]:
    """One dict per sentence (DOC_COLUMNS), offsets into doc.text."""
    return []
