"""Per-Doc arrays of token attributes, read once per Doc and kept in `doc.user_data`.

spaCy builds a new Token object on every `doc[i]` and a new string or Span on every attribute read
(`tok.lower_`, `tok.ent_type_`, `tok.sent`), which made the whole-article scans of the extractors cost
more than their rules. `token_attr(doc, "lower_")` is the list of that attribute for every token, in
token order; `per_doc` keeps any other per-Doc list the same way; `sentence_bounds(doc)` the (start, end) token range of each token's sentence.
`release(doc)` drops all of them once the Doc's rows are read (`extract.batch.analyze_doc`).
"""
from __future__ import annotations

from operator import attrgetter

_ATTRS_KEY = ("presslens", "token_attrs")


def per_doc(doc, name: str, build):
    """`build(doc)`, computed on the first call for this Doc and `name` and kept for the next ones."""
    cache = doc.user_data.get(_ATTRS_KEY)
    if cache is None:
        cache = doc.user_data[_ATTRS_KEY] = {}
    value = cache.get(name)
    if value is None:
        value = cache[name] = build(doc)
    return value


def release(doc) -> None:
    """Drop every value presslens keeps on `doc` (the `doc.user_data` keys ("presslens", ...): arrays,
    sentence bounds, memos, the text). The Doc is left as spaCy made it, and nothing kept on it can hold
    it in a reference cycle, so it is freed as soon as it is dropped, also while the build pauses the
    cyclic garbage collector (`presslens.gc_pause`)."""
    for key in [k for k in doc.user_data if isinstance(k, tuple) and k[:1] == ("presslens",)]:
        del doc.user_data[key]


def token_attr(doc, name: str) -> list:
    """[getattr(tok, name) for tok in doc], built on the first call for this Doc and attribute."""
    return per_doc(doc, name, lambda d: _read(d, name))


def _read(doc, name: str) -> list:
    """The attribute of every token: the strings and flags spaCy stores as numbers read with one
    `Doc.to_array` (no Token built), any other attribute token by token."""
    from spacy import attrs  # here, not at the top: importing this module must not import spaCy

    if name in _STRING_ATTRS:
        ids = doc.to_array(getattr(attrs, _STRING_ATTRS[name])).tolist()
        strings = doc.vocab.strings
        text_of = {h: strings[h] for h in set(ids)}
        return [text_of[h] for h in ids]
    if name in _FLAG_ATTRS:
        return [x == 1 for x in doc.to_array(getattr(attrs, _FLAG_ATTRS[name])).tolist()]
    if name == "idx":
        return doc.to_array(attrs.IDX).tolist()
    return list(map(attrgetter(name), doc))


# Token attributes read by `_read` through `Doc.to_array` (the spaCy attribute id of each).
_STRING_ATTRS = {"text": "ORTH", "lower_": "LOWER", "lemma_": "LEMMA", "ent_type_": "ENT_TYPE", "pos_": "POS",
                 "dep_": "DEP"}
_FLAG_ATTRS = {"is_title": "IS_TITLE", "is_upper": "IS_UPPER", "is_space": "IS_SPACE", "is_alpha": "IS_ALPHA",
               "is_lower": "IS_LOWER", "is_stop": "IS_STOP", "is_punct": "IS_PUNCT"}


def sentence_bounds(doc) -> list[tuple[int, int]]:
    """(tok.sent.start, tok.sent.end) for every token of the Doc, in token order."""
    def build(d):
        bounds = []
        for sent in d.sents:
            pair = (sent.start, sent.end)
            bounds.extend([pair] * (sent.end - sent.start))
        return bounds
    return per_doc(doc, "sentence_bounds", build)


def children(doc) -> list[list[int]]:
    """[[c.i for c in tok.children] for tok in doc]: the tokens whose head each token is, in text order."""
    def build(d):
        from spacy.attrs import HEAD  # here, not at the top: see `_read`

        out: list[list[int]] = [[] for _ in range(len(d))]
        for i, offset in enumerate(d.to_array(HEAD).astype("int64").tolist()):  # head offsets, signed
            if offset:
                out[i + offset].append(i)
        return out
    return per_doc(doc, "children", build)


def subtree(kids: list[list[int]], i: int) -> set[int]:
    """{t.i for t in tok.subtree} of token `i`, with `kids` = `children(doc)`."""
    out, stack = set(), [i]
    while stack:
        k = stack.pop()
        out.add(k)
        stack.extend(kids[k])
    return out


def subtree_has(kids: list[list[int]], i: int, wanted) -> bool:
    """Whether token `i` or any token below it (`tok.subtree`, with `kids` = `children(doc)`) is in `wanted`."""
    stack = [i]
    while stack:
        k = stack.pop()
        if k in wanted:
            return True
        stack.extend(kids[k])
    return False
