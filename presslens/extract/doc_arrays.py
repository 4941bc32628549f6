"""Per-Doc arrays of token attributes, read once per Doc and kept in `doc.user_data`.

spaCy builds a new Token object on every `doc[i]` and a new string or Span on every attribute read
(`tok.lower_`, `tok.ent_type_`, `tok.sent`), which made the whole-article scans of the extractors cost
more than their rules. `token_attr(doc, "lower_")` is the list of that attribute for every token, in
token order; `per_doc` keeps any other per-Doc list the same way; `sentence_bounds(doc)` the (start, end) token range of each token's sentence.
"""
from __future__ import annotations

from operator import attrgetter

_ATTRS_KEY = ("presslens", "token_attrs")
_SENTS_KEY = ("presslens", "sentence_bounds")


def per_doc(doc, name: str, build):
    """`build(doc)`, computed on the first call for this Doc and `name` and kept for the next ones."""
    cache = doc.user_data.get(_ATTRS_KEY)
    if cache is None:
        cache = doc.user_data[_ATTRS_KEY] = {}
    value = cache.get(name)
    if value is None:
        value = cache[name] = build(doc)
    return value


def token_attr(doc, name: str) -> list:
    """[getattr(tok, name) for tok in doc], built on the first call for this Doc and attribute."""
    return per_doc(doc, name, lambda d: list(map(attrgetter(name), d)))


def sentence_bounds(doc) -> list[tuple[int, int]]:
    """(tok.sent.start, tok.sent.end) for every token of the Doc, in token order."""
    bounds = doc.user_data.get(_SENTS_KEY)
    if bounds is None:
        bounds = []
        for sent in doc.sents:
            pair = (sent.start, sent.end)
            bounds.extend([pair] * (sent.end - sent.start))
        doc.user_data[_SENTS_KEY] = bounds
    return bounds
