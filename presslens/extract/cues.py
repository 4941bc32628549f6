"""Reporting verbs: the one lexicon of cues that introduce speech, kept as data.

data/reporting_verbs.txt lists lemmas with their use: 'both' (direct and reported speech, "say",
"warn") or 'direct' (only with quotation marks, "laugh", "quip"). Every module that asks "is this
an act of saying?" reads this lexicon.
"""
from __future__ import annotations

from functools import lru_cache

from ..names import data_lines


@lru_cache(maxsize=None)
def reporting_verbs() -> dict[str, str]:
    """Reporting-verb lexicon {lemma: 'both'|'direct'} read from data/reporting_verbs.txt."""
    out: dict[str, str] = {}
    for line in data_lines("reporting_verbs.txt"):
        lemma, _, use = line.strip().partition("\t")
        out[lemma.strip().lower()] = (use.strip() or "both")
    return out
