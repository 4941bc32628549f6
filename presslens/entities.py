"""Entity mentions (issue 3). STUB: being written; contract below is fixed."""
from __future__ import annotations

DOC_COLUMNS = ["entity", "label", "surface", "start", "end", "sentence", "paragraph", "in_quote", "role"]


def mentions_from_doc(doc, quotes: list[dict]) -> list[dict]:
    """One dict per entity mention (DOC_COLUMNS), offsets into doc.text; `entity` canonical within the article."""
    from .text import paragraph_index, paragraph_spans

    paras = paragraph_spans(doc.text)
    sent_starts = [s.start_char for s in doc.sents]
    import bisect

    rows = []
    for e in doc.ents:
        if e.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        in_q = any(q["kind"] == "direct" and q["start"] <= e.start_char < q["end"] for q in quotes)
        rows.append({"entity": e.text, "label": e.label_, "surface": e.text, "start": e.start_char,
                     "end": e.end_char, "sentence": bisect.bisect_right(sent_starts, e.start_char) - 1,
                     "paragraph": paragraph_index(paras, e.start_char), "in_quote": in_q, "role": None})
    return rows
