"""Sentences of one article: spaCy's sentences, trimmed, each scored by VADER, with voice and speaker.

VADER (Hutto & Gilbert 2014) is a lexicon-and-rules scorer tuned on social media: it reads the
polarity of words ("crisis", "happiness"), not the stance of a story, so news prose mostly scores
neutral and a negative sentence may report bad news rather than judge it. `compound` is VADER's
normalised sum in [-1, 1]; its documented thresholds call >= 0.05 positive and <= -0.05 negative.
Voice (narration or a quoted source's) is `voice.voice_of`.
"""
from __future__ import annotations

import bisect
from typing import NamedTuple

from ..text import doc_text, paragraph_index, paragraph_spans
from .voice import DIRECT_KINDS, QUOTE, voice_of

DOC_COLUMNS = ["sentence", "start", "end", "paragraph", "text", "neg", "neu", "pos", "compound",
               "voice", "speaker", "entities"]


class SentenceSpan(NamedTuple):
    """One sentence: its index in `doc.sents`, offsets into the text (outer space trimmed), paragraph."""
    index: int
    start: int
    end: int
    paragraph: int


_ANALYZER = None  # the one SentimentIntensityAnalyzer of the process (building it reads the lexicon)


def analyzer():
    """The module's single vaderSentiment SentimentIntensityAnalyzer, built on first use."""
    global _ANALYZER
    if _ANALYZER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER = SentimentIntensityAnalyzer()
    return _ANALYZER


def vader_scores(text: str) -> dict[str, float]:
    """VADER neg/neu/pos/compound of one string, exactly as vaderSentiment returns them (zeros for empty)."""
    return analyzer().polarity_scores(text if isinstance(text, str) else "")


def _speaker_for(start: int, end: int, quotes: list[dict] | None):
    """Speaker of the quote that overlaps [start, end) the most (direct quotes first), else None."""
    best, best_key = None, (0, 0)
    for q in quotes or []:
        s, e = q.get("start"), q.get("end")
        if s is None or e is None or s != s or e != e:
            continue
        overlap = min(int(e), end) - max(int(s), start)
        if overlap <= 0:
            continue
        key = (1 if q.get("kind") in DIRECT_KINDS else 0, overlap)
        if key > best_key:
            best, best_key = q.get("speaker"), key
    return best if isinstance(best, str) and best.strip() else None


def sentence_spans(doc) -> list[SentenceSpan]:
    """Each sentence of `doc.sents`, outer whitespace trimmed.

    A piece with no letter or digit (the closing mark spaCy splits off `."`) joins the sentence
    before it in the same paragraph, or else the next one; a paragraph of bare punctuation is no sentence.
    """
    text = doc_text(doc)
    paras = paragraph_spans(text)
    out: list[list[int]] = []
    pending = None  # (start, paragraph) of a leading punctuation-only piece
    for i, sent in enumerate(doc.sents):
        raw = text[sent.start_char:sent.end_char]
        stripped = raw.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        para = paragraph_index(paras, start)
        if not any(ch.isalnum() for ch in stripped):
            if out and out[-1][3] == para:
                out[-1][2] = end
            else:
                pending = (start, para)
            continue
        if pending is not None and pending[1] == para:
            start = pending[0]
        pending = None
        out.append([i, start, end, para])
    return [SentenceSpan(i, s, e, p) for i, s, e, p in out]


def sentences_from_doc(doc, sents: list[SentenceSpan], spans: list[tuple[int, int]], quotes: list[dict],
                       mentions: list[dict]) -> list[dict]:
    """One dict per sentence (DOC_COLUMNS), offsets into the text, VADER-scored, with voice, speaker and
    the article-level names of the entities it mentions. `sents` from `sentence_spans`, `spans` from
    `voice.quoted_spans`; `sentence` is the index in `doc.sents`, the numbering mentions use."""
    text = doc_text(doc)
    ments = sorted((int(m["start"]), m["entity"]) for m in (mentions or [])
                   if m.get("entity") and m.get("start") is not None)
    m_starts = [s for s, _ in ments]
    rows = []
    for sp in sents:
        start, end = sp.start, sp.end
        stripped = text[start:end]
        voice = voice_of(text, start, end, spans)
        scores = vader_scores(stripped)
        ents: list[str] = []
        for _, name in ments[bisect.bisect_left(m_starts, start):bisect.bisect_left(m_starts, end)]:
            if name not in ents:
                ents.append(name)
        rows.append({"sentence": sp.index, "start": start, "end": end, "paragraph": sp.paragraph,
                     "text": stripped, "neg": scores["neg"], "neu": scores["neu"], "pos": scores["pos"],
                     "compound": scores["compound"], "voice": voice,
                     "speaker": _speaker_for(start, end, quotes) if voice == QUOTE else None,
                     "entities": ents})
    return rows
