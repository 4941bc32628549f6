"""Readability per outlet: summaries of the readability table (textstat 0.7.8 formulas on the clean
text and on the outlet's narration, computed per article in the extraction layer), and their figures.

The formulas (Flesch 1948; Flesch-Kincaid 1975; Gunning 1952; McLaughlin's SMOG 1969; Coleman-Liau
1975; Dale-Chall 1948/1995) only count sentence length, word length in syllables or letters, and
unfamiliar words: they say how hard the prose is to decode, not whether it is clear, fair or right,
and their US school grades were calibrated on schoolbooks, not news. `textstat` is pinned to 0.7.8
(0.7.9+ downloads nltk data at first use). A text with no words gets NaN for every formula, not
textstat's 0.0, which would read as "very hard".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .figures import FIGSIZE, estimate_rows, new_figure, no_data, plot_estimates, rows_height, save_figure
from .metrics import COUNTS, FORMULAS, GRADE_METRICS, METRICS, NARRATION_PREFIX, SHAPE, TEXT_COLUMNS  # noqa: F401

LABELS = {
    "flesch_reading_ease": "Flesch reading ease (0-100, higher = easier)",
    "flesch_kincaid_grade": "Flesch-Kincaid grade (US school years)",
    "gunning_fog": "Gunning fog (US school years)",
    "smog_index": "SMOG (US school years)",
    "coleman_liau_index": "Coleman-Liau (US school years)",
    "dale_chall": "Dale-Chall score (higher = harder)",
    "words_per_sentence": "words per sentence",
    "syllables_per_word": "syllables per word",
    "long_word_share": "share of words longer than six letters",
    "polysyllable_share": "share of words of three or more syllables",
}


def grade_in_words(grade: float) -> str:
    """A US school grade level (Flesch-Kincaid, fog, SMOG, Coleman-Liau) said in words."""
    if grade is None or grade != grade:
        return "no text to score"
    g = float(grade)
    if g < 6:
        band = "elementary school"
    elif g < 9:
        band = "middle school"
    elif g < 13:
        band = "high school"
    elif g < 17:
        band = "college"
    else:
        band = "graduate school"
    return f"about {max(g, 0):.0f} years of US schooling ({band} reading level)"


def reading_ease_in_words(score: float) -> str:
    """Flesch reading ease in Flesch's own bands (1948): 90-100 very easy ... 0-30 very difficult."""
    if score is None or score != score:
        return "no text to score"
    for low, words in ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "plain English"),
                       (50, "fairly difficult"), (30, "difficult")):
        if score >= low:
            return words
    return "very difficult"


# --- tables and figures for notebook 04 --------------------------------------------------------

def long_readability(rd: pd.DataFrame) -> pd.DataFrame:
    """The readability table in long form: one row per article x scope ('full text' | 'narration') x metric."""
    cols = ["article_id", "outlet", "scope", "metric", "value"]
    if rd is None or rd.empty:
        return pd.DataFrame(columns=cols)
    parts = []
    for scope, prefix in (("full text", ""), ("narration", NARRATION_PREFIX)):
        part = rd[["article_id", "outlet", *[prefix + m for m in METRICS]]].copy()
        part.columns = ["article_id", "outlet", *METRICS]
        part = part.melt(["article_id", "outlet"], METRICS, var_name="metric", value_name="value")
        part.insert(2, "scope", scope)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[cols]


def outlet_summary(rd: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, mean Flesch-Kincaid grade and Flesch reading ease of the full text, said in words."""
    cols = ["outlet", "n_articles", "flesch_kincaid_grade", "grade_in_words", "flesch_reading_ease",
            "reading_ease_in_words", "narration_flesch_kincaid_grade", "words_per_sentence"]
    if rd is None or rd.empty:
        return pd.DataFrame(columns=cols)
    g = rd.groupby("outlet", sort=True)
    out = pd.DataFrame({
        "outlet": list(g.groups),
        "n_articles": g["article_id"].count().to_numpy(),
        "flesch_kincaid_grade": g["flesch_kincaid_grade"].mean().to_numpy(),
        "flesch_reading_ease": g["flesch_reading_ease"].mean().to_numpy(),
        "narration_flesch_kincaid_grade": g["narration_flesch_kincaid_grade"].mean().to_numpy(),
        "words_per_sentence": g["words_per_sentence"].mean().to_numpy(),
    })
    out["grade_in_words"] = out["flesch_kincaid_grade"].map(grade_in_words)
    out["reading_ease_in_words"] = out["flesch_reading_ease"].map(reading_ease_in_words)
    return out[cols]


def _plot_metric_panels(rd: pd.DataFrame, metrics: list[str], title: str, slug: str, figures_dir,
                        nrows: int, ncols: int):
    """One panel per metric: per outlet and scope, the mean over articles with a bootstrap 95% interval (n=1 a lone point)."""

    lr = long_readability(rd)
    parts = []
    for m in metrics:
        e = estimate_rows(lr[lr["metric"] == m], "value", ["outlet", "scope"])
        e.insert(0, "metric", m)
        parts.append(e)
    est = pd.concat(parts, ignore_index=True)
    rows = int(est.groupby("metric").size().max()) if len(est) else 0  # points per panel: outlets x scopes
    height = rows_height(rows, nrows, FIGSIZE[1] * (1 if nrows == 1 else 1.5))
    fig, axes = new_figure(title, None, None, nrows=nrows, ncols=ncols, sharey=True, figsize=(FIGSIZE[0], height))
    for ax, m in zip(np.atleast_1d(axes).ravel(), metrics):
        part = est[est["metric"] == m]
        if part.empty:
            no_data(ax, "text")
        else:
            plot_estimates(ax, part, by="label")
            ax.margins(x=0.15)
        ax.set_xlabel(LABELS[m], fontsize=9)
    save_figure(fig, slug, est, figures_dir)
    return fig, est


def plot_grade_levels(rd: pd.DataFrame, slug: str, figures_dir=None):
    """The four US-grade formulas per outlet, full text and narration alone (mean over articles, 95% bootstrap)."""
    return _plot_metric_panels(rd, GRADE_METRICS, "Reading grade level by outlet: full text and the outlet's narration",
                               slug, figures_dir, 2, 2)


def plot_reading_ease(rd: pd.DataFrame, slug: str, figures_dir=None):
    """Flesch reading ease and Dale-Chall per outlet, full text and narration alone."""
    return _plot_metric_panels(rd, ["flesch_reading_ease", "dale_chall"],
                               "Reading ease by outlet: full text and the outlet's narration", slug, figures_dir, 1, 2)


def plot_text_shape(rd: pd.DataFrame, slug: str, figures_dir=None):
    """What drives the formulas: words per sentence, syllables per word, share of long words, per outlet and scope."""
    return _plot_metric_panels(rd, ["words_per_sentence", "syllables_per_word", "long_word_share"],
                               "Sentence and word length by outlet: full text and the outlet's narration",
                               slug, figures_dir, 1, 3)
