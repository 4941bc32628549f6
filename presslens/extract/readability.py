"""Readability of one article: textstat 0.7.8 formulas on the clean text and on the outlet's narration.

The formulas (Flesch 1948; Flesch-Kincaid 1975; Gunning 1952; McLaughlin's SMOG 1969; Coleman-Liau
1975; Dale-Chall 1948/1995) only count sentence length, word length in syllables or letters, and
unfamiliar words: they say how hard the prose is to decode, not whether it is clear, fair or right,
and their US school grades were calibrated on schoolbooks, not news. `textstat` is pinned to 0.7.8
(0.7.9+ downloads nltk data at first use). A text with no words gets NaN for every formula, not
textstat's 0.0, which would read as "very hard".
"""
from __future__ import annotations

import functools
import math

from ..metrics import COUNTS, FORMULAS, METRICS, NARRATION_PREFIX, TEXT_COLUMNS  # noqa: F401
from ..text import count_words
from .voice import Segment, narration_text

# The per-article row (`readability_from_doc`, cached with the parse): full text, narration, quoted share.
DOC_COLUMNS = [*TEXT_COLUMNS, *[NARRATION_PREFIX + c for c in TEXT_COLUMNS], "quoted_word_share"]


# Distinct words whose syllable count and Dale-Chall difficulty are remembered (a few MB at most).
WORD_CACHE_SIZE = 1 << 16
_WORD_CACHES: list = []


def _widen_word_caches() -> None:
    """Give textstat's per-word lookups a cache that holds a corpus's vocabulary.

    textstat 0.7.8 memoises every helper with `lru_cache(maxsize=128)`, so in an article of a few
    hundred distinct words each formula recounts every word's syllables (CMUdict, then Pyphen) and
    re-checks it against the Dale-Chall list: two thirds of the time `text_metrics` takes. This
    rebinds the three names through which textstat calls those helpers on single words (never on a
    whole text, so no article text is kept) to the same functions behind a WORD_CACHE_SIZE cache,
    and the name through which the Flesch formulas count a whole text's syllables to the same sum
    taken word by word through such a cache (`count_syllables` adds up each word's count, looked up
    afresh for every occurrence): the scores are textstat's own, bit for bit (tested). Another
    textstat layout is left alone.
    """
    if _WORD_CACHES:
        return
    try:
        from textstat.backend.counts import _count_polysyllable_words as poly
        from textstat.backend.metrics import _syllables_per_word as per_word
        from textstat.backend.selections import _list_difficult_words as diff_list
        from textstat.backend.selections._list_words import list_words
        from textstat.backend.utils._get_cmudict import get_cmudict
        from textstat.backend.utils._get_pyphen import get_pyphen
        from textstat.backend.validations import _is_difficult_word as diff_word

        syllables = functools.lru_cache(maxsize=WORD_CACHE_SIZE)(poly.count_syllables.__wrapped__)
        difficult = functools.lru_cache(maxsize=WORD_CACHE_SIZE)(diff_list.is_difficult_word.__wrapped__)

        @functools.lru_cache(maxsize=WORD_CACHE_SIZE)
        def word_syllables(word: str, lang: str) -> int:
            """One word's share of `count_syllables`' sum: the vowel sounds (stress digits) of its first
            CMUdict pronunciation, else Pyphen's hyphenation points + 1 (textstat's loop body)."""
            try:
                return sum(1 for p in get_cmudict(lang)[word][0] if p[-1].isdigit())
            except (TypeError, IndexError, KeyError):
                return len(get_pyphen(lang).positions(word)) + 1

        def text_syllables(text: str, lang: str) -> int:
            """textstat's `count_syllables(text, lang)`: the words of the lower-cased text, each counted."""
            if not text:
                return 0
            return sum(word_syllables(w, lang) for w in list_words(text, lowercase=True))

        poly.count_syllables = diff_word.count_syllables = syllables
        diff_list.is_difficult_word = difficult
        per_word.count_syllables = text_syllables
        _WORD_CACHES.extend([syllables, difficult, word_syllables])
    except (ImportError, AttributeError):
        _WORD_CACHES.append(None)  # a textstat without these helpers: its own caching, same scores


def text_metrics(text: str) -> dict[str, float]:
    """Word and sentence counts and every METRICS value of one text, as textstat 0.7.8 computes them.

    No words (empty, blank, None, punctuation only): counts 0 and NaN for every metric.
    """
    import textstat

    _widen_word_caches()
    text = text if isinstance(text, str) else ""
    words = textstat.lexicon_count(text)
    if words == 0:
        return {"lexicon_count": 0, "sentence_count": 0, **{m: math.nan for m in METRICS}}
    out: dict[str, float] = {"lexicon_count": int(words), "sentence_count": int(textstat.sentence_count(text))}
    for col, fn in FORMULAS.items():
        out[col] = float(getattr(textstat, fn)(text))
    out["words_per_sentence"] = float(textstat.words_per_sentence(text))
    out["syllables_per_word"] = float(textstat.avg_syllables_per_word(text))
    out["long_word_share"] = textstat.long_word_count(text) / words
    out["polysyllable_share"] = textstat.polysyllabcount(text) / words
    return out


def readability_row(text: str, sentences, spans, segments: list[Segment]) -> dict:
    """The DOC_COLUMNS values of one article: formulas on its clean text and on its narration
    (`voice.narration_text` of its sentences), and the share of its words outside the narration
    (`segments`, from `voice.narration_segments`): quoted words and attributions of quoted sentences."""
    full = text_metrics(text)
    nar = text_metrics(narration_text(text, sentences, spans))
    words = count_words(text)
    own = sum(count_words(text[s.start:s.end]) for s in segments)
    share = (max(0, words - own) / words) if words else math.nan
    return {**full, **{NARRATION_PREFIX + k: v for k, v in nar.items()}, "quoted_word_share": share}
