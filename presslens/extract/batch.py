"""The unit of work of every engine: parsed Docs in, one record of per-article rows out.

Each article is parsed once; quotes come first (mentions, sentence voice and narration need them),
then mentions, the gender evidence, sentences, the narration segments, the readability row and
the tone of the words about each entity, all read off the same Doc
and the one definition of quoted text (`voice.quoted_spans`). Docs are dropped once read, so memory
holds rows, never Docs.
"""
from __future__ import annotations

from typing import Iterable

from ..nlp import get_nlp
from ..text import doc_text
from .doc_arrays import release
from .gender import DOC_COLUMNS as GENDER_COLUMNS
from .gender import gender_rows
from .mentions import DOC_COLUMNS as MENTION_COLUMNS
from .mentions import mentions_from_doc
from .quotes import EXTRACT_COLUMNS as QUOTE_COLUMNS
from .quotes import quotes_from_doc
from .readability import DOC_COLUMNS as READABILITY_COLUMNS
from .readability import readability_row
from .sentences import DOC_COLUMNS as SENTENCE_COLUMNS
from .sentences import sentence_spans, sentences_from_doc
from .tone import DOC_COLUMNS as ENTITY_TONE_COLUMNS
from .tone import entity_tone_rows
from .voice import narration_segments, quoted_spans

# Articles per unit of work shipped to a worker process or a Dask worker (also nlp.pipe's batch size).
BATCH_SIZE = 16
NARRATION_COLUMNS = ["segment", "start", "end", "paragraph"]
# Per-article tables and their columns, in the order they are built.
COLUMNS = {"quotes": QUOTE_COLUMNS, "mentions": MENTION_COLUMNS, "sentences": SENTENCE_COLUMNS,
           "narration": NARRATION_COLUMNS, "readability": READABILITY_COLUMNS, "gender": GENDER_COLUMNS,
           "entity_tone": ENTITY_TONE_COLUMNS}
TABLES = tuple(COLUMNS)


def empty_result() -> dict[str, list[dict]]:
    """The rows of an article with no text: no quotes, mentions, sentences or narration; readability
    of the empty text (counts 0, formulas NaN), so the readability table keeps one row per article."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    out["readability"] = [readability_row("", [], [], [])]
    return out


def analyze_doc(doc) -> dict[str, list[dict]]:
    """All per-article rows from one parsed Doc ({table: list of row dicts}, offsets into the text).
    What the extractors kept on the Doc while reading it is dropped after (`doc_arrays.release`)."""
    try:
        return _doc_rows(doc)
    finally:
        if doc is not None:
            release(doc)


def _doc_rows(doc) -> dict[str, list[dict]]:
    """`analyze_doc`'s rows, read off the Doc in the order the module docstring gives."""
    text = doc_text(doc) if doc is not None else ""
    if not text.strip() or len(doc) == 0:
        return empty_result()
    quotes = quotes_from_doc(doc)
    spans = quoted_spans(text, quotes)
    mentions = mentions_from_doc(doc, quotes)
    gender = gender_rows(doc, mentions, quotes)
    sents = sentence_spans(doc)
    sentences = sentences_from_doc(doc, sents, spans, quotes, mentions)
    trio = [(s.start, s.end, s.paragraph) for s in sents]
    segments = narration_segments(text, trio, spans)
    narration = [{"segment": k, "start": s.start, "end": s.end, "paragraph": s.paragraph}
                 for k, s in enumerate(segments)]
    readability = [readability_row(text, trio, spans, segments)]
    entity_tone = entity_tone_rows(doc, mentions, quotes, spans)
    return {"quotes": quotes, "mentions": mentions, "sentences": sentences, "narration": narration,
            "readability": readability, "gender": gender, "entity_tone": entity_tone}


def parse_texts(texts: Iterable[str], n_process: int = 1, batch_size: int = BATCH_SIZE):
    """Stream Docs for `texts` through the shared pipeline (no Doc is kept once yielded)."""
    yield from get_nlp().pipe(texts, n_process=n_process, batch_size=batch_size)


def analyze_batch(texts: list[str], batch_size: int = BATCH_SIZE) -> list[dict]:
    """Per-article rows for a batch of texts parsed in this process: the unit of work of every engine."""
    return [analyze_doc(doc) for doc in parse_texts(texts, batch_size=batch_size)]


def batches(items: list, size: int) -> list[list]:
    """`items` cut into consecutive lists of at most `size` (at least 1)."""
    size = max(1, int(size))
    return [items[i:i + size] for i in range(0, len(items), size)]
