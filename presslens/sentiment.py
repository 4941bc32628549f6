"""Tone per outlet: corpus summaries of the sentence table's VADER scores, and their figures.

VADER (Hutto & Gilbert 2014) is a lexicon-and-rules scorer tuned on social media: it reads the
polarity of words ("crisis", "happiness"), not the stance of a story, so news prose mostly scores
neutral and a negative sentence may report bad news rather than judge it. `compound` is VADER's
normalised sum in [-1, 1]; its documented thresholds call >= 0.05 positive and <= -0.05 negative.
A sentence's `voice` (the outlet's narration or a quoted source) is decided once, in the per-article
layer; this module only summarises.
"""
from __future__ import annotations

import pandas as pd

from .tables import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    entities_by_sentence,
    tone_of,
)

ARTICLE_TONE_COLUMNS = ["article_id", "outlet", "voice", "n_sentences", "mean_compound", "share_negative",
                        "share_neutral", "share_positive"]
ENTITY_SENTIMENT_COLUMNS = ["outlet", "entity", "n_articles", "n_sentences", "mean_compound",
                            "n_narration", "mean_compound_narration"]
VOICES = ("narration", "quote")
TONES = ("negative", "neutral", "positive")


def article_tone(sents: pd.DataFrame) -> pd.DataFrame:
    """Per article and voice ('all', 'narration', 'quote'): sentence count, mean compound, share of each tone."""
    rows = []
    if sents is not None and not sents.empty:
        tone = sents["tone"] if "tone" in sents else sents["compound"].map(tone_of)
        s = sents.assign(tone=tone)
        for voice in ("all", *VOICES):
            part = s if voice == "all" else s[s["voice"] == voice]
            for (aid, outlet), g in part.groupby(["article_id", "outlet"], sort=False):
                n = len(g)
                rows.append({"article_id": aid, "outlet": outlet, "voice": voice, "n_sentences": n,
                             "mean_compound": float(g["compound"].mean()),
                             **{f"share_{t}": float((g["tone"] == t).mean()) for t in TONES}})
    return pd.DataFrame(rows, columns=ARTICLE_TONE_COLUMNS)


def _sentence_entities(sents: pd.DataFrame, mentions: pd.DataFrame | None) -> pd.DataFrame:
    """(article_id, outlet, sentence, voice, compound, entity): one row per entity a sentence mentions."""
    cols = ["article_id", "outlet", "sentence", "voice", "compound", "entity"]
    if sents is None or sents.empty:
        return pd.DataFrame(columns=cols)
    if mentions is not None:
        ents = entities_by_sentence(sents, mentions)
    elif "entities" in sents:
        ents = sents["entities"]
    else:
        return pd.DataFrame(columns=cols)
    s = sents.assign(entity=[list(e) if isinstance(e, (list, tuple)) else [] for e in ents])
    s = s.explode("entity").dropna(subset=["entity"])
    return s[cols].drop_duplicates(["article_id", "sentence", "entity"])


def entity_sentiment(sents: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per outlet x entity: mean VADER compound of the sentences naming the entity, all and narration only, with counts.

    A sentence counts once per entity however often it names it; `mentions` (offsets) decides which
    sentence names whom, else the sentences' own `entities` column. Sorted by sentence count.
    """
    se = _sentence_entities(sents, mentions)
    if se.empty:
        return pd.DataFrame(columns=ENTITY_SENTIMENT_COLUMNS)
    se = se.assign(_nar=se["compound"].where(se["voice"] == "narration"),
                   _is_nar=(se["voice"] == "narration").astype(int))
    out = (se.groupby(["outlet", "entity"], sort=False)
           .agg(n_articles=("article_id", "nunique"), n_sentences=("compound", "size"),
                mean_compound=("compound", "mean"), n_narration=("_is_nar", "sum"),
                mean_compound_narration=("_nar", "mean"))
           .reset_index())
    out = out.astype({"n_articles": int, "n_sentences": int, "n_narration": int,
                      "mean_compound": float, "mean_compound_narration": float})[ENTITY_SENTIMENT_COLUMNS]
    return out.sort_values(["n_sentences", "outlet", "entity"], ascending=[False, True, True],
                           ignore_index=True)


# --- figures for notebook 03 (every one through presslens.figures.save_figure) -------------------

def estimate_rows(df: pd.DataFrame, value: str, groups: list[str]) -> pd.DataFrame:
    """Per group: n, mean and 95% bootstrap interval of `value` (figures.bootstrap_ci), with an 'outlet · group' label."""
    from .figures import bootstrap_ci

    cols = ["label", *groups, "n", "mean", "ci_low", "ci_high"]
    rows = []
    if df is not None and not df.empty:
        for key, g in df.groupby(groups, sort=True):
            key = key if isinstance(key, tuple) else (key,)
            vals = g[value].dropna().tolist()
            if not vals:
                continue
            m, lo, hi = bootstrap_ci(vals)
            rows.append({"label": " · ".join(str(k) for k in key), **dict(zip(groups, key)),
                         "n": len(vals), "mean": m, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=cols)


def _empty_note(ax, what: str) -> None:
    """Say on an empty panel that there is nothing to plot, instead of drawing blank axes."""
    ax.text(0.5, 0.5, f"no {what} in this corpus", ha="center", va="center", transform=ax.transAxes,
            color="#555555")
    ax.set_yticks([])


def _tone_band(ax) -> None:
    """Shade VADER's neutral band (-0.05, 0.05) and mark zero."""
    ax.axvspan(NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, color="#eeeeee", zorder=0)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)


def plot_voice_tone(sents: pd.DataFrame, figures_dir=None, slug: str = "03-tone-narration-vs-quotes") -> pd.DataFrame:
    """Mean VADER compound per article, outlet by outlet, in the outlet's narration and in quoted sources, side by side."""
    from .figures import new_figure, plot_estimates, save_figure

    at = article_tone(sents)
    at = at[at["voice"].isin(VOICES)]
    est = estimate_rows(at, "mean_compound", ["outlet", "voice"])
    fig, axes = new_figure("Tone per article: the outlet's narration and the sources it quotes",
                           None, None, nrows=1, ncols=2, sharex=True)
    fig.supxlabel("mean VADER compound of the article's sentences (-1 negative … +1 positive)", fontsize=10)
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
    return est


def plot_sentence_tone(sents: pd.DataFrame, figures_dir=None, slug: str = "03-sentence-tone-by-outlet") -> pd.DataFrame:
    """Every sentence's VADER compound per outlet (filled = narration, hollow = quote): the distribution, not a mean."""
    import numpy as np

    from .figures import new_figure, outlet_color, save_figure

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
    return data


def plot_tone_shares(sents: pd.DataFrame, figures_dir=None, slug: str = "03-share-negative-neutral-positive") -> pd.DataFrame:
    """Share of negative, neutral and positive sentences (VADER +-0.05) per article, per outlet and voice."""
    from .figures import new_figure, plot_estimates, save_figure

    at = article_tone(sents)
    at = at[at["voice"].isin(VOICES)]
    parts = []
    for t in TONES:
        e = estimate_rows(at, f"share_{t}", ["outlet", "voice"])
        e.insert(0, "tone", t)
        parts.append(e)
    est = pd.concat(parts, ignore_index=True)
    fig, axes = new_figure("Negative, neutral and positive sentences per article, by outlet and voice",
                           None, None, nrows=1, ncols=3, sharex=True, sharey=True)
    fig.supxlabel("share of the article's sentences (VADER compound <= -0.05 negative, >= 0.05 positive)",
                  fontsize=10)
    for ax, t in zip(axes, TONES):
        part = est[est["tone"] == t]
        if part.empty:
            _empty_note(ax, "sentences")
        else:
            plot_estimates(ax, part, by="label")
        ax.set_title(t, fontsize=10)
        ax.set_xlim(-0.05, 1.05)
    save_figure(fig, slug, est, figures_dir)
    return est


def top_entities(ent: pd.DataFrame, n: int = 8) -> list[str]:
    """The `n` entities named in the most sentences across outlets (ties by name)."""
    if ent is None or ent.empty:
        return []
    tot = ent.groupby("entity")["n_sentences"].sum().reset_index()
    tot = tot.sort_values(["n_sentences", "entity"], ascending=[False, True])
    return tot["entity"].head(n).tolist()


def plot_entity_tone(ent: pd.DataFrame, figures_dir=None, n: int = 8, voice: str = "narration",
                     slug: str = "03-tone-toward-top-entities") -> pd.DataFrame:
    """Mean VADER compound of the sentences naming each of the top entities, one dot per outlet, labelled with n sentences."""
    from .figures import new_figure, outlet_color, save_figure

    mean_col, n_col = (("mean_compound_narration", "n_narration") if voice == "narration"
                       else ("mean_compound", "n_sentences"))
    names = top_entities(ent, n)
    cols = ["entity", "outlet", "n", "mean"]
    data = (ent[ent["entity"].isin(names) & (ent[n_col] > 0)]
            .rename(columns={n_col: "n", mean_col: "mean"})[cols] if names else pd.DataFrame(columns=cols))
    data = data.assign(order=data["entity"].map({e: i for i, e in enumerate(names)}))
    data = data.sort_values(["order", "outlet"]).drop(columns="order").reset_index(drop=True)
    who = "the outlet's narration" if voice == "narration" else "all sentences"
    fig, ax = new_figure(f"Tone toward the most-named entities ({who})",
                         "mean VADER compound of sentences naming the entity (-1 … +1)", None)
    _tone_band(ax)
    outlets = sorted(data["outlet"].unique())
    step = 0.6 / max(len(outlets), 1)
    for j, outlet in enumerate(outlets):
        g = data[data["outlet"] == outlet]
        y = [names.index(e) - 0.3 + step * (j + 0.5) for e in g["entity"]]
        ax.scatter(g["mean"], y, color=outlet_color(outlet), s=30, label=outlet, zorder=3)
        for x, yy, k in zip(g["mean"], y, g["n"]):
            ax.annotate(f"{int(k)} sent.", (x, yy), xytext=(6, -3), textcoords="offset points", fontsize=7,
                        color="#555555")
    if names:
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels(names)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.legend(fontsize=8, loc="lower right")
    else:
        _empty_note(ax, "entities")
    ax.set_xlim(-1.05, 1.05)
    save_figure(fig, slug, data, figures_dir)
    return data
