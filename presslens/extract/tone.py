"""Tone toward an entity in one article: VADER on the words about the entity only, Doc -> rows.

Sentence-level VADER (`sentences`) scores every word of a sentence that names an entity, including
the names themselves ("Justice Department" reads positive) and clauses about someone else. Here only
the words the parse ties to a mention count (see `about_tokens`): the noun phrase around the name
(its modifiers, appositions, relative clauses: "the embattled senator", "who was indicted"), and the
clause it is subject or object of (the predicate with its negation, auxiliaries, complements and
adverbs: "was not charged", "lied to investigators"), without the clauses embedded in it ("said that
..." keeps "said", not what was said, unless the name sits inside). No name of any entity is scored.

The selected words are scored with VADER's own machinery (Hutto & Gilbert 2014; vaderSentiment
3.3.2): each word's lexicon valence with its rules for negation ("not", "n't", "never" within three
words), boosters and dampeners ("very", "slightly"), ALL-CAPS emphasis and "but", over the words in
text order, one sequence per sentence; an entity's tone is VADER's normalisation of the summed
valences (the `compound` formula, x / sqrt(x^2 + 15)), so strong cues weigh as VADER weighs them.
Words the outlet narrates and words in quoted voices (`voice.voice_of` / `voice.SpanIndex`) are
scored separately: a quoted critic's words are not the outlet's tone.
"""
from __future__ import annotations

from typing import NamedTuple

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    SentiText,
    allcap_differential,
    normalize,
)

from ..text import doc_text
from .doc_arrays import children, sentence_bounds, subtree, subtree_has, token_attr
from .sentences import analyzer
from .voice import NARRATION, QUOTE, SpanIndex, voice_of

# One row per article-level entity. valence_* are the summed word valences (so rows can be merged
# exactly), tone_* VADER's compound of them; spans_* the scored words as merged [start, end] offsets,
# cues the [start, end, valence] of every scored word that carried valence, mention_spans the names.
DOC_COLUMNS = ["entity", "label", "mention_spans", "n_mentions", "n_mentions_quote", "n_words_narration",
               "n_words_quote", "valence_narration", "valence_quote", "tone_narration", "tone_quote",
               "spans_narration", "spans_quote", "cues"]
# Dependency relations that attach a mention to the noun phrase it names or describes: climb from the
# name to that phrase's head ("the Trump administration", "Trump's lawyers", "the senator, Smith").
NAME_IN_PHRASE_DEPS = ("compound", "poss", "appos", "flat", "nmod", "conj")
# Relations by which a noun phrase is an argument of a predicate (spaCy's English labels).
ARGUMENT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "dobj", "dative", "attr", "oprd", "agent",
                 "pobj", "obj", "iobj", "obl")
# Children of a predicate that open a clause of their own (reported speech, relative and adverbial
# clauses, asides): left out unless the mention is inside ("said that ..." keeps "said").
CLAUSE_DEPS = ("ccomp", "parataxis", "csubj", "csubjpass", "relcl", "acl", "mark", "cc", "punct")
# ... and these when they have a subject of their own; without one they share the predicate's
# subject ("refused to resign", "was fired and charged", "resigned after being accused").
SUBJECT_CLAUSE_DEPS = ("conj", "xcomp", "advcl")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
VERBAL_POS = ("VERB", "AUX")
# Longest climb from a name to its predicate (guards against a malformed parse looping).
MAX_CLIMB = 12


class ScoredWord(NamedTuple):
    """One word VADER read: character offsets in the article, and its valence after VADER's rules."""
    start: int
    end: int
    valence: float


class _Words(NamedTuple):
    """The two attributes of vaderSentiment's SentiText that its valence rules read."""
    words_and_emoticons: list[str]
    is_cap_diff: bool


def vader_words(words: list[str]) -> list[float]:
    """VADER's valence of each word of `words` (a sequence in text order), with its negation,
    booster, ALL-CAPS, idiom and "but" rules applied exactly as `polarity_scores` applies them."""
    a = analyzer()
    st = _Words(list(words), allcap_differential(list(words)))
    sentiments: list[float] = []
    for i, item in enumerate(st.words_and_emoticons):
        low = item.lower()
        if low in BOOSTER_DICT or (low == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"):
            sentiments.append(0.0)
            continue
        sentiments = a.sentiment_valence(0, st, item, i, sentiments)
    return [float(v) for v in a._but_check(st.words_and_emoticons, sentiments)]


def compound_of(valences) -> float:
    """VADER's compound of a sum of valences (`vaderSentiment.normalize`: x / sqrt(x^2 + 15), in [-1, 1])."""
    x = float(sum(valences))
    return float(normalize(x)) if x else 0.0


def _vader_token(text: str) -> str | None:
    """The token as VADER's SentiText keeps it: outer punctuation stripped when a word remains, and
    nothing of one character or less (SentiText drops those)."""
    word = SentiText._strip_punc_if_word(text)
    return word if len(word) > 1 else None


def _phrase_head(tok):
    """The head of the noun phrase a name belongs to: up through compounds, possessives, appositions
    and conjuncts ("Trump's lawyers" -> lawyers, "Smith and Jones were charged" -> Smith)."""
    for _ in range(MAX_CLIMB):
        if tok.dep_ in NAME_IN_PHRASE_DEPS and tok.head is not tok:
            tok = tok.head
        else:
            break
    return tok


def _predicate(head):
    """The verb (or copular/predicative head) the noun phrase is an argument of, through prepositions
    ("criticism of Smith" -> criticism, "was fired by Smith" -> fired); None when it has no governor."""
    tok = head
    for _ in range(MAX_CLIMB):
        if tok.dep_ == "ROOT" or tok.head is tok:
            return tok if tok is not head else None
        if tok.dep_ in ARGUMENT_DEPS or tok.dep_ in ("prep", "pobj", "agent", "npadvmod"):
            tok = tok.head
            if tok.pos_ in VERBAL_POS or tok.dep_ == "ROOT":
                return tok
            if tok.dep_ == "prep":
                continue
            if tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.dep_ not in ARGUMENT_DEPS + ("prep",):
                return tok
            continue
        return tok.head if tok.head.pos_ in VERBAL_POS else None
    return None


def _embedded(i: int, dep: list[str], pos: list[str], kids: list[list[int]]) -> bool:
    """Whether token `i` heads a clause of its own inside its head's clause (see CLAUSE_DEPS); `dep`,
    `pos`, `kids`: the Doc's dep_, pos_ and children of every token (`doc_arrays`)."""
    if dep[i] in SUBJECT_CLAUSE_DEPS:
        return pos[i] in VERBAL_POS and any(dep[c] in SUBJECT_DEPS for c in kids[i])
    return dep[i] in CLAUSE_DEPS


def _clause(pred, keep: set[int]) -> set[int]:
    """Token indices of the clause headed by `pred`: its subtree without embedded clauses, except those
    holding a token of `keep` (the mention) and those sharing the predicate's subject."""
    doc = pred.doc
    dep, pos, kids = token_attr(doc, "dep_"), token_attr(doc, "pos_"), children(doc)
    out = {pred.i}
    stack = list(kids[pred.i])
    while stack:
        child = stack.pop()
        if _embedded(child, dep, pos, kids) and not subtree_has(kids, child, keep):
            continue
        out.add(child)
        stack.extend(kids[child])
    return out


def about_tokens(doc, start: int, end: int) -> set[int]:
    """Indices of the tokens about the mention at text[start:end]: its noun phrase (modifiers,
    appositions, relative clauses) and the clause of the predicate it is an argument of, within
    the mention's sentence. The mention's own tokens are included (callers drop names)."""
    span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
    return _about_span(doc, span)


def _about_span(doc, span) -> set[int]:
    """`about_tokens` of a mention's (expanded) Span, or of None (a mention the parse cannot place)."""
    if span is None or len(span) == 0:
        return set()
    own = set(range(span.start, span.end))
    root = span.root
    head = _phrase_head(root)
    out = own | subtree(children(doc), head.i)
    pred = _predicate(head)
    if pred is not None:
        out |= _clause(pred, out)
    lo, hi = sentence_bounds(doc)[root.i]
    return {i for i in out if lo <= i < hi}


def _merge(spans: list[tuple[int, int]], text: str) -> list[list[int]]:
    """Adjacent word spans joined when only spaces or punctuation separate them: highlight-ready."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or not text[out[-1][1]:s].strip(" ,;:-\u2014'\"\u2019")):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


class EntityWords(NamedTuple):
    """What was scored for one article-level entity: its label, mention counts and scored words."""
    label: str | None
    mention_spans: list[list[int]]
    n_mentions: int
    n_mentions_quote: int
    narration: list[ScoredWord]
    quote: list[ScoredWord]


def scored_words(doc, mentions: list[dict], spans: list[tuple[int, int]],
                 scope: str = "clause") -> dict[str, EntityWords]:
    """{article-level entity: EntityWords}: the words about each entity (`about_tokens`, or the whole
    sentence with scope="sentence"), names of every entity left out, each with its VADER valence,
    split into the outlet's narration and quoted voices (`voice.voice_of` for the sentence,
    `voice.SpanIndex` for quoted fragments). Each sentence's words are one VADER sequence per voice."""
    text = doc_text(doc)
    named = set()
    mention_spans = {}  # (start, end) -> the mention's expanded Span (or None), read once
    for m in mentions or []:
        key = (int(m["start"]), int(m["end"]))
        sp = mention_spans[key] = doc.char_span(key[0], key[1], alignment_mode="expand")
        if sp is not None:
            named.update(range(sp.start, sp.end))
    bounds = sentence_bounds(doc)
    sent_voice: dict[int, str] = {}
    quoted_text = SpanIndex(spans)
    found: dict[str, dict] = {}
    for m in mentions or []:
        name = m.get("entity")
        if not name or m.get("start") is None:
            continue
        rec = found.setdefault(name, {"label": m.get("label"), "n": 0, "nq": 0, "tokens": {}, "spans": []})
        start, end = int(m["start"]), int(m["end"])
        rec["spans"].append([start, end])
        sp = mention_spans[(start, end)]
        if scope == "sentence":
            toks = set(range(sp.sent.start, sp.sent.end)) if sp is not None and len(sp) else set()
        else:
            toks = _about_span(doc, sp if end > start else None)
        if not toks:
            continue
        sent_start, sent_end = bounds[min(toks)]
        if sent_start not in sent_voice:
            sent = doc[sent_start:sent_end]
            sent_voice[sent_start] = voice_of(text, sent.start_char, sent.end_char, spans)
        rec["n"] += 1
        rec["nq"] += sent_voice[sent_start] == QUOTE or quoted_text.contains(start, end)
        rec["tokens"].setdefault(sent_start, set()).update(toks - named)
    out: dict[str, EntityWords] = {}
    tok_text, tok_idx, tok_space = token_attr(doc, "text"), token_attr(doc, "idx"), token_attr(doc, "is_space")
    for name, rec in found.items():
        scored: dict[str, list[ScoredWord]] = {NARRATION: [], QUOTE: []}
        for sent_start, idx in sorted(rec["tokens"].items()):
            seqs: dict[str, list] = {NARRATION: [], QUOTE: []}
            for i in sorted(idx):
                word = None if tok_space[i] else _vader_token(tok_text[i])
                if word is None:
                    continue
                a, b = tok_idx[i], tok_idx[i] + len(tok_text[i])
                quoted = sent_voice[sent_start] == QUOTE or quoted_text.contains(a, b)
                seqs[QUOTE if quoted else NARRATION].append((a, b, word))
            for voice, seq in seqs.items():
                if seq:
                    vals = vader_words([w for _, _, w in seq])
                    scored[voice].extend(ScoredWord(a, b, v) for (a, b, _), v in zip(seq, vals))
        out[name] = EntityWords(rec["label"], rec["spans"], rec["n"], rec["nq"], scored[NARRATION], scored[QUOTE])
    return out


def entity_tone_rows(doc, mentions: list[dict], quotes: list[dict] | None,
                     spans: list[tuple[int, int]]) -> list[dict]:
    """One row per article-level entity (DOC_COLUMNS): VADER tone of the words about it in the
    outlet's narration and in quoted voices, the words scored and the cues that carried valence.

    `mentions`: rows with entity, label, start, end (`mentions.mentions_from_doc`); `spans`: quoted
    text (`voice.quoted_spans`). Tone = VADER compound of the summed valences (NaN when no word was
    scored); tone_all over both voices. `quotes` is accepted for symmetry with the other extractors.
    """
    text = doc_text(doc)
    rows = []
    for name, ew in scored_words(doc, mentions, spans).items():
        nar, quo = ew.narration, ew.quote
        vn, vq = sum(w.valence for w in nar), sum(w.valence for w in quo)
        rows.append({
            "entity": name, "label": ew.label, "mention_spans": ew.mention_spans, "n_mentions": ew.n_mentions,
            "n_mentions_quote": ew.n_mentions_quote, "n_words_narration": len(nar), "n_words_quote": len(quo),
            "valence_narration": vn, "valence_quote": vq,
            "tone_narration": compound_of([vn]) if nar else float("nan"),
            "tone_quote": compound_of([vq]) if quo else float("nan"),
            "spans_narration": _merge([(w.start, w.end) for w in nar], text),
            "spans_quote": _merge([(w.start, w.end) for w in quo], text),
            "cues": [[w.start, w.end, round(w.valence, 4)] for w in sorted(nar + quo) if w.valence],
        })
    return rows
