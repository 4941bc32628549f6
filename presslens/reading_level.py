"""Readability per article (issue 5): textstat 0.7.8 formulas on the clean text and on the outlet's narration.

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

import pandas as pd

from .sentiment import DIRECT_KINDS, quoted_spans, voice_of
from .text import QUOTE_MARKS, doc_text

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
# The per-article row (`readability_from_doc`, cached with the parse): full text, narration, quoted share.
DOC_COLUMNS = [*TEXT_COLUMNS, *[NARRATION_PREFIX + c for c in TEXT_COLUMNS], "quoted_word_share"]
READABILITY_COLUMNS = ["article_id", "outlet", *DOC_COLUMNS]
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
_TERMINAL = ".?!"


# Distinct words whose syllable count and Dale-Chall difficulty are remembered (a few MB at most).
WORD_CACHE_SIZE = 1 << 16
_WORD_CACHES: list = []


def _widen_word_caches() -> None:
    """Give textstat's per-word lookups a cache that holds a corpus's vocabulary.

    textstat 0.7.8 memoises every helper with `lru_cache(maxsize=128)`, so in an article of a few
    hundred distinct words each formula recounts every word's syllables (CMUdict, then Pyphen) and
    re-checks it against the Dale-Chall list: two thirds of the time `text_metrics` takes. This
    rebinds the three names through which textstat calls those helpers on single words (never on a
    whole text, so no article text is kept) to the same functions behind a WORD_CACHE_SIZE cache:
    the scores are textstat's own, bit for bit (tested). Another textstat layout is left alone.
    """
    if _WORD_CACHES:
        return
    try:
        from textstat.backend.counts import _count_polysyllable_words as poly
        from textstat.backend.selections import _list_difficult_words as diff_list
        from textstat.backend.validations import _is_difficult_word as diff_word

        syllables = functools.lru_cache(maxsize=WORD_CACHE_SIZE)(poly.count_syllables.__wrapped__)
        difficult = functools.lru_cache(maxsize=WORD_CACHE_SIZE)(diff_list.is_difficult_word.__wrapped__)
        poly.count_syllables = diff_word.count_syllables = syllables
        diff_list.is_difficult_word = difficult
        _WORD_CACHES.extend([syllables, difficult])
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


def _cut_quotes(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """text[start:end] with quoted spans cut out; a cut that ended the sentence leaves its full stop."""
    pieces, pos = [], start
    for s, e in spans:
        a, b = max(s, start), min(e, end)
        if a >= b:
            continue
        cut = text[a:b].rstrip().rstrip(QUOTE_MARKS).rstrip()
        if b >= end and cut and cut[-1] in _TERMINAL:
            pieces.append(text[pos:a].rstrip() + cut[-1])
        else:
            pieces.append(text[pos:a])
        pos = b
    pieces.append(text[pos:end])
    return " ".join("".join(pieces).split())


def narration_text(text: str, sentence_spans, quotes: list[dict] | None = None) -> str:
    """The outlet's own words: sentences in a quoted source's voice dropped, quoted fragments cut from the rest.

    `sentence_spans` are (start, end) or (start, end, paragraph) of the text's sentences; sentences
    stay in order, one paragraph per line block, so textstat counts the same sentences.
    """
    if not isinstance(text, str) or not text.strip():
        return ""
    spans = quoted_spans(text, quotes)
    paras: list[list[str]] = []
    last_para = None
    for sp in sentence_spans:
        start, end = int(sp[0]), int(sp[1])
        para = sp[2] if len(sp) > 2 else None
        if voice_of(text, start, end, spans) == "quote":
            continue
        piece = _cut_quotes(text, start, end, spans)
        if not piece:
            continue
        if not paras or para is None or para != last_para:
            paras.append([])
        paras[-1].append(piece)
        last_para = para
    return "\n\n".join(" ".join(p) for p in paras)


def _rows_by_article(table: pd.DataFrame | None) -> dict:
    """{article_id: list of row dicts} of a per-article table (empty dict for None)."""
    if table is None or len(table) == 0:
        return {}
    out: dict = {}
    for row in table.to_dict("records"):  # one pass (a to_dict per groupby group costs ~10 ms an article)
        out.setdefault(row["article_id"], []).append(row)
    return out


def _sentence_spans(sentences: list[dict] | None) -> list[tuple]:
    """(start, end, paragraph) of an article's sentence rows, in text order."""
    return [(r["start"], r["end"], r.get("paragraph")) for r in sorted(sentences or [], key=lambda r: r["start"])]


def _narration_inputs(sentences: list[dict] | None, quotes: list[dict] | None) -> tuple:
    """What `narration_text` reads of an article's rows besides its text: sentence spans and the
    direct quotes' (start, end). Equal inputs give the same narration (unequal ones: recompute)."""
    spans = tuple((int(s), int(e), p) for s, e, p in _sentence_spans(sentences))
    direct = sorted((int(q["start"]), int(q["end"])) for q in quotes or []
                    if q.get("kind") in DIRECT_KINDS and q.get("start") is not None and q.get("end") is not None
                    and q["start"] == q["start"] and q["end"] == q["end"] and q["end"] > q["start"])
    return spans, tuple(direct)


def _readability_row(text: str, narration: str) -> dict:
    """The DOC_COLUMNS values of one article from its clean text and its narration."""
    full = text_metrics(text)
    nar = text_metrics(narration)
    share = (1 - nar["lexicon_count"] / full["lexicon_count"]) if full["lexicon_count"] else math.nan
    return {**full, **{NARRATION_PREFIX + k: v for k, v in nar.items()}, "quoted_word_share": share}


def readability_from_doc(doc, quotes: list[dict] | None, sentences: list[dict] | None) -> list[dict]:
    """The article's readability row (DOC_COLUMNS), as a one-row list, from its parsed Doc and the
    quotes and sentence rows read off it: the per-article step of `presslens.pipeline`, cached with them."""
    text = doc_text(doc)
    return [_readability_row(text, narration_text(text, _sentence_spans(sentences), quotes))]


def _as_table(rows: list[dict], articles: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=DOC_COLUMNS)
    out.insert(0, "outlet", pd.Series(list(articles["outlet"]), dtype=object))
    out.insert(0, "article_id", pd.Series(list(articles["article_id"]), dtype=object))
    for c in COUNTS:
        out[c] = out[c].astype("int64")
        out[NARRATION_PREFIX + c] = out[NARRATION_PREFIX + c].astype("int64")
    return out[READABILITY_COLUMNS]


def readability(articles: pd.DataFrame, quotes: pd.DataFrame | None = None,
                sentences: pd.DataFrame | None = None, **analyze_kw) -> pd.DataFrame:
    """One row per article (READABILITY_COLUMNS): textstat formulas on the clean text and on its narration alone.

    Narration = the sentences not mostly inside quotation marks, with quoted fragments cut out
    (`narration_text`); sentence spans and quotes come from the shared cached parse unless given.
    `quoted_word_share` is the share of the text's words that the narration leaves out.
    Without `quotes` and `sentences` the rows are the cached per-article ones (`pipeline.analyze`),
    so a re-run only scores new articles; with them, an article whose given rows yield the same
    narration as its cached parse reuses its cached row (same values), the others are scored here.
    """
    if articles is None or len(articles) == 0:
        return pd.DataFrame(columns=READABILITY_COLUMNS)
    from .pipeline import analyze, cached_results

    if quotes is None and sentences is None:
        rd = analyze(articles, **analyze_kw)["readability"]
        return _as_table(rd[DOC_COLUMNS].to_dict("records"), articles)
    if quotes is None or sentences is None:
        tables = analyze(articles, **analyze_kw)
        quotes = tables["quotes"] if quotes is None else quotes
        sentences = tables["sentences"] if sentences is None else sentences
    q_by, s_by = _rows_by_article(quotes), _rows_by_article(sentences)
    texts = [t if isinstance(t, str) else "" for t in articles["text"]]
    cached = cached_results(texts, cache=analyze_kw.get("cache", True), cache_dir=analyze_kw.get("cache_dir"))
    rows = []
    for aid, text, hit in zip(articles["article_id"], texts, cached):
        s_rows, q_rows = s_by.get(aid), q_by.get(aid)
        if (hit and hit.get("readability") and _narration_inputs(s_rows, q_rows)
                == _narration_inputs(hit.get("sentences"), hit.get("quotes"))):
            rows.append(hit["readability"][0])  # same text, same narration: the cached scores are these
        else:
            rows.append(_readability_row(text, narration_text(text, _sentence_spans(s_rows), q_rows)))
    return _as_table(rows, articles)


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
                        nrows: int, ncols: int) -> pd.DataFrame:
    """One panel per metric: per outlet and scope, the mean over articles with a bootstrap 95% interval (n=1 a lone point)."""
    from .figures import FIGSIZE, new_figure, plot_estimates, save_figure
    from .sentiment import _empty_note, estimate_rows

    lr = long_readability(rd)
    parts = []
    for m in metrics:
        e = estimate_rows(lr[lr["metric"] == m], "value", ["outlet", "scope"])
        e.insert(0, "metric", m)
        parts.append(e)
    est = pd.concat(parts, ignore_index=True)
    fig, axes = new_figure(title, None, None, nrows=nrows, ncols=ncols, sharey=True,
                           figsize=(FIGSIZE[0], FIGSIZE[1] * (1 if nrows == 1 else 1.5)))
    import numpy as np

    for ax, m in zip(np.atleast_1d(axes).ravel(), metrics):
        part = est[est["metric"] == m]
        if part.empty:
            _empty_note(ax, "text")
        else:
            plot_estimates(ax, part, by="label")
            ax.margins(x=0.15)
        ax.set_xlabel(LABELS[m], fontsize=9)
    save_figure(fig, slug, est, figures_dir)
    return est


def plot_grade_levels(rd: pd.DataFrame, figures_dir=None, slug: str = "04-grade-level-by-outlet") -> pd.DataFrame:
    """The four US-grade formulas per outlet, full text and narration alone (mean over articles, 95% bootstrap)."""
    return _plot_metric_panels(rd, GRADE_METRICS, "Reading grade level by outlet: full text and the outlet's narration",
                               slug, figures_dir, 2, 2)


def plot_reading_ease(rd: pd.DataFrame, figures_dir=None, slug: str = "04-reading-ease-by-outlet") -> pd.DataFrame:
    """Flesch reading ease and Dale-Chall per outlet, full text and narration alone."""
    return _plot_metric_panels(rd, ["flesch_reading_ease", "dale_chall"],
                               "Reading ease by outlet: full text and the outlet's narration", slug, figures_dir, 1, 2)


def plot_text_shape(rd: pd.DataFrame, figures_dir=None, slug: str = "04-sentence-and-word-length") -> pd.DataFrame:
    """What drives the formulas: words per sentence, syllables per word, share of long words, per outlet and scope."""
    return _plot_metric_panels(rd, ["words_per_sentence", "syllables_per_word", "long_word_share"],
                               "Sentence and word length by outlet: full text and the outlet's narration",
                               slug, figures_dir, 1, 3)
