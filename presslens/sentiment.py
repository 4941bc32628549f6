"""Tone per outlet: corpus summaries of VADER scores (sentences, and the words about each entity), and their figures.

VADER (Hutto & Gilbert 2014) is a lexicon-and-rules scorer tuned on social media: it reads the
polarity of words ("crisis", "happiness"), not the stance of a story, so news prose mostly scores
neutral and a negative sentence may report bad news rather than judge it. `compound` is VADER's
normalised sum in [-1, 1]; its documented thresholds call >= 0.05 positive and <= -0.05 negative.

Tone toward an entity is read per article from the study's `entity_tone` table: VADER on the words
the parse ties to the entity's mentions (its noun phrase and the clause it is subject or object of),
names left out, in the outlet's narration and in quoted voices separately. Without that table it
falls back to the mean compound of the sentences naming the entity (`method` says which). Measured
against human readers (BASIL, Fan et al. 2019) neither agrees with them: see `MEASURED_AGREEMENT`.
"""
from __future__ import annotations

import html
from typing import NamedTuple

import numpy as np
import pandas as pd

from .entity_tone import (CLAUSE, ENTITY_TONE_COLUMNS, SENTENCE, entity_sentiment,  # noqa: F401
                          sentence_entity_tone, targeted_entity_tone)
from .figures import FIGSIZE, estimate_rows, new_figure, outlet_color, plot_estimates, rows_height, save_figure
from .study import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, tone_of
from .text import paragraph_spans

ARTICLE_TONE_COLUMNS = ["article_id", "outlet", "voice", "n_sentences", "mean_compound", "share_negative",
                        "share_neutral", "share_positive"]
OUTLET_TONE_COLUMNS = ["outlet", "entity", "n", "mean", "ci_low", "ci_high", "n_words"]
NEGATIVE_SENTENCE_COLUMNS = ["outlet", "article_id", "compound", "start", "end", "text"]
VOICES = ("narration", "quote")
TONES = ("negative", "neutral", "positive")
# Below this Pearson r with human readers a chart calls its tone "not a reliable measure" (the
# agreement the project set as useful: r >= 0.35 with annotators' readings).
RELIABLE_R = 0.35


class Agreement(NamedTuple):
    """How well a tone measure follows human readers: Pearson r over n labelled (article, entity) pairs."""
    r: float
    n_pairs: int
    labels: str


# Measured with score_basil.py (tone) on the BASIL dev half (159 New York Times, Fox News and HuffPost
# articles on the same events; annotators' reading of the author's feeling toward each main entity,
# neg -1 / neu 0 / pos +1, strong +-2). With 238 pairs, |r| < 0.13 is within chance (95%).
BASIL_LABELS = "BASIL dev half, annotators' reading of the author's feeling toward the entity"
MEASURED_AGREEMENT = {CLAUSE: Agreement(0.018, 244, BASIL_LABELS),
                      SENTENCE: Agreement(0.077, 244, BASIL_LABELS)}


def article_tone(sents: pd.DataFrame) -> pd.DataFrame:
    """Per article and voice ('all', 'narration', 'quote'): sentence count, mean compound, share of each tone."""
    rows = []
    if sents is not None and not sents.empty:
        tone = sents["tone"] if "tone" in sents else sents["compound"].map(tone_of)
        s = sents.assign(tone=tone)
        for voice in ("all", *VOICES):
            part = s if voice == "all" else s[s["voice"] == voice]
            for (aid, outlet), g in part.groupby(["article_id", "outlet"], sort=False):
                rows.append({"article_id": aid, "outlet": outlet, "voice": voice, "n_sentences": len(g),
                             "mean_compound": float(g["compound"].mean()),
                             **{f"share_{t}": float((g["tone"] == t).mean()) for t in TONES}})
    return pd.DataFrame(rows, columns=ARTICLE_TONE_COLUMNS)


def most_negative_sentences(sents: pd.DataFrame, n: int = 3, voice: str = "narration") -> pd.DataFrame:
    """Each outlet's `n` lowest-scored sentences in `voice` that VADER calls negative (compound <= -0.05):
    a sentence scored 0.0 is neutral, never "most negative"."""
    if sents is None or sents.empty:
        return pd.DataFrame(columns=NEGATIVE_SENTENCE_COLUMNS)
    s = sents[(sents["voice"] == voice) & (sents["compound"] <= NEGATIVE_THRESHOLD)]
    s = s.sort_values(["outlet", "compound", "article_id", "start"], kind="stable")
    return s.groupby("outlet", sort=True).head(n)[NEGATIVE_SENTENCE_COLUMNS].reset_index(drop=True)


# --- per outlet, with intervals --------------------------------------------------------------------

def top_entities(et: pd.DataFrame, n: int = 8) -> list[str]:
    """The `n` entities with a narration tone in the most articles (then most mentions, then name)."""
    if et is None or et.empty:
        return []
    d = et[et["compound"].notna()]
    tot = d.groupby("entity").agg(k=("article_id", "nunique"), m=("n_mentions", "sum")).reset_index()
    tot = tot.sort_values(["k", "m", "entity"], ascending=[False, False, True])
    return tot["entity"].head(n).tolist()


def outlet_entity_tone(et: pd.DataFrame, entities: list[str] | None = None, value: str = "compound") -> pd.DataFrame:
    """OUTLET_TONE_COLUMNS: per outlet and entity, the mean over articles of `value` with its 95%
    bootstrap interval (none for one article), n articles and the words scored."""
    if et is None or et.empty:
        return pd.DataFrame(columns=OUTLET_TONE_COLUMNS)
    d = et if entities is None else et[et["entity"].isin(entities)]
    est = estimate_rows(d, value, ["outlet", "entity"])
    words = d.groupby(["outlet", "entity"])["n_words_narration" if value == "compound" else "n_words_quote"].sum()
    est["n_words"] = [int(words.get((o, e), 0)) for o, e in zip(est["outlet"], est["entity"])]
    return est[OUTLET_TONE_COLUMNS].reset_index(drop=True)


def agreement_note(method: str) -> str:
    """One line for a chart: the measured agreement of `method` with human readers, and what it means."""
    a = MEASURED_AGREEMENT.get(method)
    if a is None:
        return "Agreement with human readers not measured for this method."
    verdict = ("NOT a reliable measure of how the outlet feels about anyone" if a.r < RELIABLE_R
               else "a rough guide, not a verdict")
    return (f"Agreement with human readers: Pearson r = {a.r:+.2f} over {a.n_pairs} labelled pairs "
            f"({a.labels}): {verdict}.")


def _single_note(est: pd.DataFrame) -> str:
    """A second line for the axis label, said once: points resting on one article carry no interval."""
    if not len(est) or not (est["n"] < 2).any():
        return ""
    if (est["n"] < 2).all():
        return "\nEvery point is one article (n=1): no spread, so no interval is drawn."
    return "\nHollow points are one article (n=1): no spread, so no interval is drawn."


# --- figures for notebook 03 (every one through presslens.figures.save_figure) -------------------

def _empty_note(ax, what: str) -> None:
    """Say on an empty panel that there is nothing to plot, instead of drawing blank axes."""
    ax.text(0.5, 0.5, f"no {what} in this corpus", ha="center", va="center", transform=ax.transAxes,
            color="#555555")
    ax.set_yticks([])


def _tone_band(ax) -> None:
    """Shade VADER's neutral band (-0.05, 0.05) and mark zero."""
    ax.axvspan(NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, color="#eeeeee", zorder=0)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)


def plot_entity_tone(et: pd.DataFrame, slug: str, figures_dir=None, n: int = 8):
    """Tone toward the top entities, one dot per outlet (mean over its articles, 95% bootstrap interval,
    hollow = one article), labelled with n articles; the measured agreement with readers on its face."""
    names = top_entities(et, n)
    est = outlet_entity_tone(et, names)
    est = est.assign(_o=est["entity"].map({e: i for i, e in enumerate(names)}))
    est = est.sort_values(["_o", "outlet"]).drop(columns="_o").reset_index(drop=True)
    method = et["method"].iloc[0] if et is not None and len(et) else CLAUSE
    what = ("the words about the entity in the outlet's narration" if method == CLAUSE
            else "the outlet's narration sentences naming the entity")
    fig, ax = new_figure("Tone toward the most-named entities, by outlet",
                         f"VADER compound of {what} (-1 … +1), mean over articles{_single_note(est)}",
                         None, figsize=(8.0, max(4.5, 0.55 * len(est) + 2.0)))
    ax.set_title(agreement_note(method), fontsize=8, color="#b00020", loc="left", wrap=True)
    _tone_band(ax)
    if est.empty:
        _empty_note(ax, "entity tone")
    else:
        plot_estimates(ax, est.assign(label=est["entity"] + " · " + est["outlet"]), by="label")
    ax.set_xlim(-1.05, 1.05)
    save_figure(fig, slug, est, figures_dir)
    return fig, est


def plot_voice_tone(sents: pd.DataFrame, slug: str, figures_dir=None):
    """Mean VADER compound per article, outlet by outlet, in the outlet's narration and in quoted sources, side by side."""
    at = article_tone(sents)
    est = estimate_rows(at[at["voice"].isin(VOICES)], "mean_compound", ["outlet", "voice"])
    fig, axes = new_figure("Tone per article: the outlet's narration and the sources it quotes",
                           None, None, nrows=1, ncols=2, sharex=True)
    fig.supxlabel("mean VADER compound of the article's sentences (-1 negative … +1 positive)"
                  + _single_note(est), fontsize=10)
    for ax, voice in zip(axes, VOICES):
        part = est[est["voice"] == voice]
        _tone_band(ax)
        if part.empty:
            _empty_note(ax, f"{voice} sentences")
        else:
            plot_estimates(ax, part, by="outlet")
        ax.set_title("outlet's narration" if voice == "narration" else "quoted sources", fontsize=10)
        ax.set_xlim(-1.05, 1.05)
    save_figure(fig, slug, est, figures_dir)
    return fig, est


def plot_sentence_tone(sents: pd.DataFrame, slug: str, figures_dir=None):
    """Every sentence's VADER compound per outlet (filled = narration, hollow = quote): the distribution, not a mean."""
    cols = ["article_id", "outlet", "sentence", "start", "end", "voice", "compound"]
    data = (sents[cols] if sents is not None and not sents.empty else pd.DataFrame(columns=cols))
    data = data.sort_values(["outlet", "article_id", "start"], ignore_index=True)
    fig, ax = new_figure("Tone of every sentence, by outlet", "VADER compound per sentence (-1 … +1)", None)
    _tone_band(ax)
    outlets = sorted(data["outlet"].unique())
    if not outlets:
        _empty_note(ax, "sentences")
    rng = np.random.default_rng(0)
    for i, outlet in enumerate(outlets):
        g = data[data["outlet"] == outlet]
        y = i + rng.uniform(-0.25, 0.25, len(g))
        c = outlet_color(outlet)
        nar = (g["voice"] == "narration").to_numpy()
        ax.scatter(g["compound"][nar], y[nar], s=18, color=c, alpha=0.8, label="narration" if i == 0 else None)
        ax.scatter(g["compound"][~nar], y[~nar], s=18, facecolors="white", edgecolors=c,
                   label="quote" if i == 0 else None)
        ax.annotate(f"{len(g)} sentences, {g['article_id'].nunique()} article(s)", (1.0, i + 0.32),
                    ha="right", fontsize=8, color="#555555")
    ax.set_yticks(range(len(outlets)))
    ax.set_yticklabels(outlets)
    ax.set_xlim(-1.05, 1.05)
    ax.invert_yaxis()
    if outlets:
        ax.legend(loc="lower left", fontsize=8)
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def tone_share_estimates(at: pd.DataFrame) -> pd.DataFrame:
    """Per tone, outlet and voice: the mean over articles of the share of sentences of that tone, with a
    95% bootstrap interval (`figures.estimate_rows`), from per-article tone rows (`article_tone`)."""
    at = at[at["voice"].isin(VOICES)]
    parts = []
    for t in TONES:
        e = estimate_rows(at, f"share_{t}", ["outlet", "voice"])
        e.insert(0, "tone", t)
        parts.append(e)
    return pd.concat(parts, ignore_index=True)


def plot_tone_shares(table: pd.DataFrame, slug: str, figures_dir=None):
    """Share of negative, neutral and positive sentences (VADER +-0.05) per article, per outlet and voice.
    `table`: the per-article tone rows (`article_tone`, or `aggregates.article_tone` over the store), or
    the sentences they are computed from."""
    est = tone_share_estimates(table if "share_negative" in table else article_tone(table))
    rows = int(est.groupby("tone").size().max()) if len(est) else 0  # points per panel: outlets x voices
    fig, axes = new_figure("Negative, neutral and positive sentences per article, by outlet and voice",
                           None, None, nrows=1, ncols=3, sharex=True, sharey=True,
                           figsize=(FIGSIZE[0], rows_height(rows)))
    fig.supxlabel("share of the article's sentences (VADER compound <= -0.05 negative, >= 0.05 positive)"
                  + _single_note(est), fontsize=10)
    for ax, t in zip(axes, TONES):
        part = est[est["tone"] == t]
        if part.empty:
            _empty_note(ax, "sentences")
        else:
            plot_estimates(ax, part, by="label")
        ax.set_title(t, fontsize=10)
        ax.set_xlim(-0.05, 1.05)
    save_figure(fig, slug, est, figures_dir)
    return fig, est


# --- what was scored, highlighted ------------------------------------------------------------------

MARK_STYLE = {"narration": "background:#ffe08a", "quote": "background:#cfe3ff"}


def scored_words_html(articles: pd.DataFrame, et: pd.DataFrame, article_id, entity: str) -> str:
    """The paragraphs of one article holding the words scored for `entity`, as HTML: narration words
    in yellow <mark>, quoted words in blue, each word that carried valence in bold with its valence."""
    text_of = dict(zip(articles["article_id"], articles["text"]))
    rows = et[(et["article_id"] == article_id) & (et["entity"] == entity)] if et is not None and len(et) else et
    if rows is None or rows.empty or article_id not in text_of:
        return f"<p>No words were scored for {html.escape(str(entity))} in article {html.escape(str(article_id))}.</p>"
    text = text_of[article_id]
    r = rows.iloc[0]
    marks = sorted([(int(s), int(e), v) for v in VOICES for s, e in r[f"spans_{v}"]])
    cues = {(int(s), int(e)): float(v) for s, e, v in r["cues"]}
    out = []
    for a, b in paragraph_spans(text):
        inside = [m for m in marks if a <= m[0] < b]
        if not inside:
            continue
        pos, piece = a, []
        for s, e, voice in inside:
            piece.append(html.escape(text[pos:s]) if s > pos else "")
            piece.append(f'<mark style="{MARK_STYLE[voice]}">{_cue_words(text, s, e, cues)}</mark>')
            pos = max(pos, e)
        piece.append(html.escape(text[pos:b]))
        out.append("<p>" + "".join(piece) + "</p>")
    head = (f"<p><b>{html.escape(str(entity))}</b> in {html.escape(str(r['outlet']))} ({html.escape(str(article_id))}): "
            f"narration tone {_signed(r['tone_narration'])} over {int(r['n_words_narration'])} words, quoted tone "
            f"{_signed(r['tone_quote'])} over {int(r['n_words_quote'])} words ({r['method']} method).</p>")
    return head + "\n".join(out)


def example_entity(et: pd.DataFrame, entity: str | None = None) -> tuple:
    """(article_id, entity) to show what was scored: the article where `entity` (default: the top
    entity) has the most narration words scored; (None, entity) when nothing was scored."""
    entity = entity or next(iter(top_entities(et, 1)), None)
    rows = et[et["entity"] == entity] if et is not None and len(et) else pd.DataFrame()
    if rows.empty:
        return None, entity
    best = rows.sort_values(["n_words_narration", "article_id"], ascending=[False, True]).iloc[0]
    return best["article_id"], entity


def _signed(x: float) -> str:
    return "none" if x != x else f"{x:+.2f}"


def _cue_words(text: str, s: int, e: int, cues: dict) -> str:
    """text[s:e] escaped, with the words that carried valence in bold and their valence as a tooltip."""
    inner = sorted((a, b, v) for (a, b), v in cues.items() if s <= a and b <= e)
    pos, out = s, []
    for a, b, v in inner:
        out.append(html.escape(text[pos:a]))
        out.append(f'<b title="VADER valence {v:+.2f}">{html.escape(text[a:b])}</b>')
        pos = b
    out.append(html.escape(text[pos:e]))
    return "".join(out)
