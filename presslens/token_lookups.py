"""spaCy's attribute ruler and rule lemmatizer, with the same output, looked up per distinct token.

In `en_core_web_sm` these two components cost about a third as much as the tagger, parser and NER
together (measured on 200 news articles: the attribute ruler 17 ms and the lemmatizer 7-14 ms a
600-word article). Both are pure functions of a few attributes of one token:

- The attribute ruler's patterns are nearly all one token long (171 of 179 in en_core_web_sm 3.8.0:
  the tag map and the morph rules), and spaCy's `Matcher` tries every one of them at every token,
  calling a Python predicate for each `IN`/`NOT_IN`. Which one-token patterns match depends only on
  the attributes they test (TAG, LOWER, DEP, IS_SPACE, ...), so `LookupAttributeRuler` evaluates
  them once per distinct combination of those and remembers the answer; the other patterns (longer
  ones, operators, forms not handled here) stay with a `Matcher` of their own. The matches are
  sorted as `AttributeRuler.match` sorts them and applied by its own `set_annotations`.
- The rule lemmatizer's answer depends only on the token's text, part of speech and morphology
  (it caches on exactly that key, but not the base forms, which are most tokens), and it walks the
  doc a Python `Token` at a time. `LookupLemmatizer` asks it once per distinct key and writes the
  lemmas with one `Doc.from_array`.

Both keep spaCy's component as the source of every answer; `tests/test_token_lookups.py` checks
the annotations against spaCy's own components token by token. Written here because spaCy has no
faster mode with the same output (its "lookup" lemmatizer mode gives other lemmas).
"""
from __future__ import annotations

from typing import NamedTuple

ATTRIBUTE_RULER = "presslens_attribute_ruler"
LEMMATIZER = "presslens_lemmatizer"
# Token attributes a one-token pattern may test to be looked up (spaCy's names; TEXT is ORTH).
LOOKUP_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "DEP", "POS", "IS_SPACE")
SET_PREDICATES = ("IN", "NOT_IN")
# Answers remembered per component before starting afresh: a year of news meets millions of distinct
# tokens, and a table this size holds the frequent ones again within a few articles (about 60 MB).
MAX_REMEMBERED = 200_000


class Condition(NamedTuple):
    """One condition of a one-token pattern: the attribute's column, and the ids it must (not) be."""
    column: int
    ids: frozenset
    negated: bool


def _condition(attr: str, value, columns: dict):
    """A `Condition` for one `attr: value` of a token pattern as spaCy's Matcher reads it, or None when
    it is a form this module does not look up (the pattern then stays with the Matcher)."""
    from spacy.strings import get_string_id

    name = "ORTH" if attr.upper() == "TEXT" else attr.upper()
    if name not in columns:
        return None
    if isinstance(value, bool):
        return Condition(columns[name], frozenset([int(value)]), False)
    if isinstance(value, (str, int)) and name != "IS_SPACE":
        return Condition(columns[name], frozenset([get_string_id(value)]), False)
    if (isinstance(value, dict) and len(value) == 1 and name != "IS_SPACE"
            and next(iter(value)) in SET_PREDICATES and isinstance(next(iter(value.values())), (list, tuple))):
        (op, values), = value.items()
        if all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            return Condition(columns[name], frozenset(get_string_id(v) for v in values), op == "NOT_IN")
    return None


def one_token_tests(pattern: list, columns: dict) -> tuple | None:
    """The tests of a one-token pattern, or None when the pattern must stay with the Matcher."""
    if len(pattern) != 1 or not isinstance(pattern[0], dict):
        return None
    tests = tuple(_condition(attr, value, columns) for attr, value in pattern[0].items())
    return None if any(t is None for t in tests) else tests


class LookupAttributeRuler:
    """spaCy's `AttributeRuler` (`stock`), matching its one-token patterns by a table of distinct
    token attributes instead of its Matcher; same matches, same order, same `set_annotations`.
    Patterns added to `stock` later are taken in at the next doc."""

    def __init__(self, stock):
        from spacy.attrs import IDS
        from spacy.matcher import Matcher
        from spacy.tokens._retokenize import set_token_attrs

        self.stock = stock
        self.set_token_attrs = set_token_attrs  # what `AttributeRuler.set_annotations` calls per match
        columns = {a: i for i, a in enumerate(LOOKUP_ATTRS)}
        rules: list[tuple[tuple, tuple]] = []  # ((attr id, match id), tests) per looked-up pattern
        self.rest = Matcher(stock.vocab)  # every other pattern, under its own key
        strings = stock.vocab.strings
        for attr_id, entry in enumerate(stock.patterns):
            key = str(attr_id)
            match_id = strings.add(key)
            kept = []
            for pattern in entry["patterns"]:
                tests = one_token_tests(pattern, columns)
                if tests is None:
                    kept.append(pattern)
                else:
                    rules.append(((attr_id, match_id), tests))
            if kept:
                self.rest.add(key, kept)
        # Only the attributes some pattern tests make up a token's key, renumbered in that order.
        used = sorted({t.column for _, tests in rules for t in tests})
        self.attr_ids = [IDS[LOOKUP_ATTRS[c]] for c in used]
        place = {c: i for i, c in enumerate(used)}
        self.rules = [(rule, tuple(t._replace(column=place[t.column]) for t in tests)) for rule, tests in rules]
        # Each rule filed under one value it requires (its first plain test), or as always to be tried.
        self.by_value: dict[tuple, list[int]] = {}
        self.always: list[int] = []
        for n, (_, tests) in enumerate(self.rules):
            plain = [t for t in tests if not t.negated]
            if plain:
                for value in plain[0].ids:
                    self.by_value.setdefault((plain[0].column, value), []).append(n)
            else:
                self.always.append(n)
        self.seen: dict[tuple, tuple] = {}
        self.n_patterns = len(stock.attrs)

    def _matching(self, values: tuple) -> tuple:
        """(attr id, match id) of every looked-up pattern a token with these attribute values matches."""
        tried = set(self.always)
        for column, value in enumerate(values):
            tried.update(self.by_value.get((column, value), ()))
        hits = []
        for n in sorted(tried):
            rule, tests = self.rules[n]
            if all((values[t.column] in t.ids) != t.negated for t in tests) and rule not in hits:
                hits.append(rule)
        return tuple(hits)

    def _token_values(self, doc) -> list[tuple]:
        """Each token's values of the attributes the looked-up patterns test."""
        if not self.attr_ids:
            return [()] * len(doc)
        return list(map(tuple, doc.to_array(self.attr_ids).reshape(len(doc), len(self.attr_ids)).tolist()))

    def match(self, doc) -> list[tuple]:
        """(attr id, match id, start, end) of every match, sorted, as `AttributeRuler.match` gives."""
        if len(self.stock.attrs) != self.n_patterns:  # rules added to spaCy's ruler since
            self.__init__(self.stock)
        seen = self.seen
        found = []
        for i, values in enumerate(self._token_values(doc)):
            hits = seen.get(values)
            if hits is None:
                if len(seen) >= MAX_REMEMBERED:
                    seen.clear()
                hits = seen[values] = self._matching(values)
            for attr_id, match_id in hits:
                found.append((attr_id, match_id, i, i + 1))
        if len(self.rest):
            strings = self.stock.vocab.strings
            done = set(found)
            for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                m = (int(strings[match_id]), match_id, start, end)
                if m not in done:
                    found.append(m)
        found.sort()
        return found

    def set_annotations(self, doc, matches: list[tuple]) -> None:
        """`AttributeRuler.set_annotations`, in the same order, without a `Span` for each one-token
        match whose attributes go to its only token; any other match goes through spaCy's own."""
        stock = self.stock
        attrs, indices = stock.attrs, stock.indices
        for match in matches:
            attr_id, _, start, end = match
            if end - start == 1 and indices[attr_id] in (0, -1):
                self.set_token_attrs(doc[start], attrs[attr_id])
            else:
                stock.set_annotations(doc, [match])

    def __call__(self, doc):
        try:
            self.set_annotations(doc, self.match(doc))
            return doc
        except Exception as e:  # spaCy's own handling of a component's error
            return self.stock.get_error_handler()(self.stock.name, self.stock, [doc], e)


class LookupLemmatizer:
    """spaCy's rule `Lemmatizer` (`stock`), asked once per distinct (text, part of speech, morphology)
    and writing every lemma of a doc at once; same lemmas, same tokens left alone."""

    def __init__(self, stock):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.stock = stock
        self.attr_ids = [ORTH, POS, MORPH, LEMMA]
        self.lemma_attr = [LEMMA]
        self.seen: dict[tuple, int] = {}

    def __call__(self, doc):
        stock = self.stock
        try:
            if not stock._validated:
                from spacy.errors import Errors

                stock._validate_tables(Errors.E1004)
            rows = doc.to_array(self.attr_ids)
            lemmas = rows[:, 3].copy()
            seen, strings, overwrite = self.seen, doc.vocab.strings, stock.overwrite
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma and not overwrite:
                    continue
                key = (orth, pos, morph)
                got = seen.get(key)
                if got is None:
                    got = strings.add(stock.lemmatize(doc[i])[0])
                    if len(seen) >= MAX_REMEMBERED:
                        seen.clear()
                    if pos:  # no part of speech: spaCy warns at every such token, so ask every time
                        seen[key] = got
                lemmas[i] = got
            doc.from_array(self.lemma_attr, lemmas.reshape(-1, 1))
            return doc
        except Exception as e:
            return stock.get_error_handler()(stock.name, stock, [doc], e)


def _make(kind):
    def make(nlp, name, stock: str):
        return kind(nlp.get_pipe(stock))
    return make


def install(nlp) -> None:
    """Put the lookup versions after spaCy's attribute ruler and rule lemmatizer in `nlp` and disable
    those (they stay loaded: the lookups ask them); a pipeline without them is left as it is."""
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler, Lemmatizer

    for stock_name, spacys, kind, factory in (
            ("attribute_ruler", AttributeRuler, LookupAttributeRuler, ATTRIBUTE_RULER),
            ("lemmatizer", Lemmatizer, LookupLemmatizer, LEMMATIZER)):
        stock = nlp.get_pipe(stock_name) if stock_name in nlp.pipe_names else None
        if not isinstance(stock, spacys) or getattr(stock, "mode", "rule") != "rule":
            continue
        if not Language.has_factory(factory):
            Language.factory(factory, func=_make(kind))
        nlp.add_pipe(factory, name=factory, after=stock_name, config={"stock": stock_name})
        nlp.disable_pipe(stock_name)
