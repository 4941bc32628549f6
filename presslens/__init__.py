"""presslens: how news outlets cover the same story, as tidy pandas tables and figures.

Tables (one idea each, every row with `article_id` and `outlet`):
    load_corpus(path)            articles, one row an article (the thin loader)
    tables(articles)             every table below at once, built once and shared (a `Tables` record)
    mentions(articles)           entity mentions, with character offsets and canonical names
    quotes(articles)             quotes with speaker, cue and offsets; extract_quotes(text) for one text
    sentences(articles)          sentences with VADER scores and voice (narration or quote)
    readability(articles)        readability formulas per article
    entity_sentiment(sentences, mentions)  tone toward each entity per outlet
Evidence: show(article_id, tables) renders an article with its quotes, speakers and mentions marked;
table(df) shows any table with each row linked to the words behind it.
Names are resolved lazily so `import presslens` stays fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_corpus": "loader",
    "load_corpus_report": "loader",
    "tables": "study",
    "Tables": "study",
    "mentions": "study",
    "quotes": "study",
    "sentences": "study",
    "readability": "study",
    "unknown_aliases": "canon",
    "extract_quotes": "pipeline",
    "entity_sentiment": "entity_tone",
    "show": "evidence",
    "table": "evidence",
    "set_source": "figures",
    "save_figure": "figures",
    "outlet_colors": "figures",
    "analyze": "pipeline",
    "add": "ingest",
    "report": "report",
    "distinctive_terms": "wordchoice",
    "actor_descriptions": "wordchoice",
    "shared_sentences": "similarity",
    "unique_sentences": "similarity",
    "shared_text_summary": "similarity",
}


def __getattr__(name: str):
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'presslens' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))


__all__ = sorted(_EXPORTS)
