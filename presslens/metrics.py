"""Readability formulas and the columns they fill: one definition for the per-article layer, which
computes them, and the summaries, which read them (Flesch 1948; Flesch-Kincaid 1975; Gunning 1952;
McLaughlin's SMOG 1969; Coleman-Liau 1975; Dale-Chall 1948/1995, as textstat 0.7.8 computes them)."""
from __future__ import annotations

# column name -> textstat function name (one formula per column).
FORMULAS = {
    "flesch_reading_ease": "flesch_reading_ease",
    "flesch_kincaid_grade": "flesch_kincaid_grade",
    "gunning_fog": "gunning_fog",
    "smog_index": "smog_index",
    "coleman_liau_index": "coleman_liau_index",
    "dale_chall": "dale_chall_readability_score",
}
GRADE_METRICS = ["flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index"]
COUNTS = ["lexicon_count", "sentence_count"]
# words per sentence and syllables per word feed Flesch; long words are LIX's (more than six letters);
# polysyllables (three or more syllables) are Gunning fog's and SMOG's "complex words".
SHAPE = ["words_per_sentence", "syllables_per_word", "long_word_share", "polysyllable_share"]
METRICS = [*FORMULAS, *SHAPE]
TEXT_COLUMNS = [*COUNTS, *METRICS]
NARRATION_PREFIX = "narration_"
