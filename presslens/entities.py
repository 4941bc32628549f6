"""Who each outlet names: corpus summaries of the mentions table, and their figures.

Pure functions from the study's tables (`presslens.study`) to the tables notebook 01 plots:
mentions per 1,000 words and the share of articles naming each entity per outlet, how early each
entity is first named, mentions in quotes vs in the outlet's narration, entities named together.
Every plot function returns (fig, data) and takes the figure's slug from the notebook.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .figures import (
    new_figure,
    outlet_color,
    outlet_estimates,
    plot_estimates,
    rows_height,
    save_figure,
)
from .text import paragraph_spans

UNKNOWN_ALIAS_COLUMNS = ["source", "line", "canonical", "alias"]
RATE_COLUMNS = ["outlet", "entity", "label", "n_mentions", "n_words", "per_1000_words",
                "n_articles", "n_outlet_articles", "share_of_articles"]
ARTICLE_RATE_COLUMNS = ["article_id", "outlet", "entity", "label", "n_mentions", "n_words", "per_1000_words"]
FIRST_MENTION_COLUMNS = ["article_id", "outlet", "entity", "label", "first_paragraph", "n_paragraphs",
                         "first_position", "first_start", "first_end", "first_surface"]
VOICE_COLUMNS = ["outlet", "entity", "label", "n_mentions", "n_in_quote", "n_narration", "share_in_quote"]
COOCCURRENCE_COLUMNS = ["entity_a", "entity_b", "n_sentences", "n_articles", "n_outlets", "outlets"]
# Panels per row in a one-panel-per-outlet figure: wider figures do not fit a page or a screen.
PANELS_PER_ROW = 3


# ---------------------------------------------------------------------------------------------
# Per outlet: pure functions from the mentions table to the tables the notebook plots
# ---------------------------------------------------------------------------------------------

def _filter(m: pd.DataFrame, labels, self_references: bool = False) -> pd.DataFrame:
    """The mentions with one of `labels`, without the outlet naming itself ("told Fox News Digital")
    unless `self_references`: who an outlet names is about others, not its own byline."""
    if not self_references and "self_reference" in m:
        m = m[~m["self_reference"].fillna(False).astype(bool)]
    return m if not labels else m[m["label"].isin(list(labels))]


def article_mention_rates(m: pd.DataFrame, articles: pd.DataFrame, labels=("PERSON", "ORG"), self_references: bool = False) -> pd.DataFrame:
    """Mentions of each entity per 1,000 words in every article of its outlet (0 where not named): one row per article x entity."""
    m = _filter(m, labels, self_references)
    if m.empty or articles is None or articles.empty:
        return pd.DataFrame(columns=ARTICLE_RATE_COLUMNS)
    counts = m.groupby(["article_id", "entity"]).size().rename("n_mentions").reset_index()
    label = m.groupby("entity")["label"].first()
    ents = m.groupby("outlet")["entity"].unique()
    rows = []
    for aid, outlet, n_words in zip(articles["article_id"], articles["outlet"], articles["n_words"]):
        for ent in ents.get(outlet, []):
            rows.append({"article_id": aid, "outlet": outlet, "entity": ent, "n_words": int(n_words or 0)})
    out = pd.DataFrame(rows, columns=["article_id", "outlet", "entity", "n_words"])
    out = out.merge(counts, on=["article_id", "entity"], how="left")
    out["n_mentions"] = out["n_mentions"].fillna(0).astype(int)
    out["label"] = out["entity"].map(label)
    out["per_1000_words"] = [1000 * n / w if w else float("nan") for n, w in zip(out["n_mentions"], out["n_words"])]
    return out[ARTICLE_RATE_COLUMNS]


def mention_rates(m: pd.DataFrame, articles: pd.DataFrame, labels=("PERSON", "ORG"), self_references: bool = False) -> pd.DataFrame:
    """Per outlet and entity: mentions, mentions per 1,000 words (pooled over the outlet's articles) and
    the share of the outlet's articles that name the entity at least once."""
    m = _filter(m, labels, self_references)
    if m.empty or articles is None or articles.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    words = articles.groupby("outlet")["n_words"].sum()
    n_art = articles.groupby("outlet")["article_id"].nunique()
    g = m.groupby(["outlet", "entity"])
    out = pd.DataFrame({"label": g["label"].first(), "n_mentions": g.size(),
                        "n_articles": g["article_id"].nunique()}).reset_index()
    out["n_words"] = out["outlet"].map(words).astype(int)
    out["n_outlet_articles"] = out["outlet"].map(n_art).astype(int)
    out["per_1000_words"] = 1000 * out["n_mentions"] / out["n_words"].where(out["n_words"] > 0)
    out["share_of_articles"] = out["n_articles"] / out["n_outlet_articles"]
    return out.sort_values(["outlet", "n_mentions", "entity"], ascending=[True, False, True])[RATE_COLUMNS] \
        .reset_index(drop=True)


def top_entities(rates: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` entities most mentioned per 1,000 words in each outlet (rows of `mention_rates`)."""
    if rates.empty:
        return rates.copy()
    return (rates.sort_values(["outlet", "per_1000_words", "entity"], ascending=[True, False, True])
            .groupby("outlet", sort=True).head(n).reset_index(drop=True))


def first_mentions(m: pd.DataFrame, articles: pd.DataFrame, labels=("PERSON", "ORG"), self_references: bool = False) -> pd.DataFrame:
    """Where each entity is first named in each article: paragraph index (0 = lead), and that index as a
    share of the article's paragraphs (0 = top, near 1 = bottom), with the first mention's offsets."""
    m = _filter(m, labels, self_references)
    if m.empty:
        return pd.DataFrame(columns=FIRST_MENTION_COLUMNS)
    n_par = {aid: max(1, len(paragraph_spans(t if isinstance(t, str) else "")))
             for aid, t in zip(articles["article_id"], articles["text"])}
    first = m.sort_values("start").groupby(["article_id", "entity"], sort=False).first().reset_index()
    first["n_paragraphs"] = first["article_id"].map(n_par)
    first["first_position"] = first["paragraph"] / (first["n_paragraphs"] - 1).clip(lower=1)
    first = first.rename(columns={"paragraph": "first_paragraph", "start": "first_start", "end": "first_end",
                                  "surface": "first_surface"})
    return first.sort_values(["article_id", "first_start"])[FIRST_MENTION_COLUMNS].reset_index(drop=True)


def quote_voice(m: pd.DataFrame, labels=("PERSON", "ORG"), self_references: bool = False) -> pd.DataFrame:
    """Per outlet and entity: mentions inside direct quotations vs in the outlet's own narration."""
    m = _filter(m, labels, self_references)
    if m.empty:
        return pd.DataFrame(columns=VOICE_COLUMNS)
    g = m.groupby(["outlet", "entity"])
    out = pd.DataFrame({"label": g["label"].first(), "n_mentions": g.size(),
                        "n_in_quote": g["in_quote"].sum().astype(int)}).reset_index()
    out["n_narration"] = out["n_mentions"] - out["n_in_quote"]
    out["share_in_quote"] = out["n_in_quote"] / out["n_mentions"]
    return out.sort_values(["outlet", "n_mentions", "entity"], ascending=[True, False, True])[VOICE_COLUMNS] \
        .reset_index(drop=True)


def cooccurrence(m: pd.DataFrame, labels=("PERSON", "ORG"), min_sentences: int = 1, self_references: bool = False) -> pd.DataFrame:
    """Pairs of entities named in the same sentence: in how many sentences, articles and outlets."""
    m = _filter(m, labels, self_references)
    if m.empty:
        return pd.DataFrame(columns=COOCCURRENCE_COLUMNS)
    pairs = {}
    for (aid, outlet, _), g in m.groupby(["article_id", "outlet", "sentence"]):
        ents = sorted(set(g["entity"]))
        for i, a in enumerate(ents):
            for b in ents[i + 1:]:
                rec = pairs.setdefault((a, b), [0, set(), set()])
                rec[0] += 1
                rec[1].add(aid)
                rec[2].add(outlet)
    rows = [{"entity_a": a, "entity_b": b, "n_sentences": n, "n_articles": len(arts), "n_outlets": len(outs),
             "outlets": "; ".join(sorted(outs))} for (a, b), (n, arts, outs) in pairs.items() if n >= min_sentences]
    out = pd.DataFrame(rows, columns=COOCCURRENCE_COLUMNS)
    return out.sort_values(["n_sentences", "entity_a", "entity_b"], ascending=[False, True, True]).reset_index(drop=True)


def cooccurrence_matrix(pairs: pd.DataFrame, n: int = 12) -> pd.DataFrame:
    """Square table of shared sentences between the `n` entities with the most co-occurrences."""
    if pairs.empty:
        return pd.DataFrame()
    tot = pd.concat([pairs.groupby("entity_a")["n_sentences"].sum(),
                     pairs.groupby("entity_b")["n_sentences"].sum()]).groupby(level=0).sum()
    keep = tot.sort_values(ascending=False).head(n).index.tolist()
    mat = pd.DataFrame(0, index=keep, columns=keep)
    for a, b, k in zip(pairs["entity_a"], pairs["entity_b"], pairs["n_sentences"]):
        if a in mat.index and b in mat.index:
            mat.loc[a, b] = mat.loc[b, a] = k
    return mat


# ---------------------------------------------------------------------------------------------
# Figures (all through presslens.figures)
# ---------------------------------------------------------------------------------------------

def outlet_entity_estimates(article_rates: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Per outlet, its `n` most-named entities: mean mentions per 1,000 words over the outlet's articles with a
    95% percentile bootstrap interval, and the share of its articles naming the entity."""
    cols = ["outlet", "entity", "label", "n", "mean", "ci_low", "ci_high", "share_of_articles"]
    if article_rates.empty:
        return pd.DataFrame(columns=cols)
    frames = []
    for outlet, g in article_rates.groupby("outlet", sort=True):
        est = outlet_estimates(g, "per_1000_words", by="entity", top=n)  # only the plotted ones bootstrapped
        share = (g["n_mentions"] > 0).groupby(g["entity"]).mean().astype(float)
        est["share_of_articles"] = est["entity"].map(share)
        est["label"] = est["entity"].map(g.groupby("entity")["label"].first())
        est["outlet"] = outlet
        frames.append(est.sort_values(["mean", "entity"], ascending=[False, True]).head(n))
    return pd.concat(frames, ignore_index=True)[cols]


def plot_top_entities(article_rates: pd.DataFrame, slug: str, figures_dir=None, n: int = 10):
    """One panel per outlet: its `n` most-named people and organisations, mentions per 1,000 words
    (dot = mean over its articles, whisker = 95% bootstrap interval, hollow dot = one article)."""
    est = outlet_entity_estimates(article_rates, n)
    outlets = sorted(est["outlet"].unique()) or ["(no mentions)"]
    ncols = min(PANELS_PER_ROW, len(outlets))
    nrows = -(-len(outlets) // ncols)
    fig, axes = new_figure("Who each outlet names most: people and organisations", nrows=nrows, ncols=ncols,
                           figsize=(4.2 * ncols + 1, nrows * max(3.0, 0.4 * n + 1.5)))
    axes = list(np.atleast_1d(axes).ravel())
    # one explicit range for every panel, from the highest value any panel draws (shared autoscaling
    # would keep the first panel's range and cut the others' highest values)
    high = float(np.nanmax(est[["mean", "ci_high"]].to_numpy(dtype=float))) if len(est) else 1.0
    for ax, outlet in zip(axes, outlets):
        d = est[est["outlet"] == outlet].reset_index(drop=True)
        if len(d):
            plot_estimates(ax, d, by="entity", color_by="outlet")
        ax.set_title(outlet, fontsize=10)
        ax.set_xlabel("mentions per 1,000 words")
        ax.set_xlim(0, high * 1.08 if high > 0 else 1.0)
    for ax in axes[len(outlets):]:
        ax.set_visible(False)
    save_figure(fig, slug, est, figures_dir)
    return fig, est


def plot_share_of_articles(rates: pd.DataFrame, slug: str, figures_dir=None, n: int = 12):
    """Dots per entity and outlet: the share of the outlet's articles that name the entity at least once
    (labelled "k of N articles", so a share of one article is read as such)."""
    cols = ["entity", "outlet", "label", "n_articles", "n_outlet_articles", "share_of_articles"]
    ents = rates.groupby("entity")["n_articles"].sum().sort_values(ascending=False).head(n).index.tolist()
    d = rates[rates["entity"].isin(ents)][cols].copy()
    d["_order"] = d["entity"].map({e: i for i, e in enumerate(ents)})
    d = d.sort_values(["_order", "outlet"]).drop(columns="_order").reset_index(drop=True)
    fig, ax = new_figure("Which people and organisations each outlet's articles name",
                         xlabel="share of the outlet's articles naming them (%)",
                         figsize=(8.0, max(3.0, 0.45 * len(ents) + 1.5)))
    outlets = sorted(d["outlet"].unique())
    step = 0.7 / max(1, len(outlets))
    for k, outlet in enumerate(outlets):
        g = d[d["outlet"] == outlet]
        ys = [ents.index(e) + (k - (len(outlets) - 1) / 2) * step for e in g["entity"]]
        ax.scatter(100 * g["share_of_articles"], ys, color=outlet_color(outlet), label=outlet, zorder=3)
        for x, y, a, t in zip(100 * g["share_of_articles"], ys, g["n_articles"], g["n_outlet_articles"]):
            ax.annotate(f"{a} of {t}", (x, y), xytext=(6, 0), textcoords="offset points", va="center",
                        fontsize=7, color="#555555", clip_on=True)
    ax.set_yticks(range(len(ents)))
    ax.set_yticklabels(ents)
    ax.set_xlim(0, 125)  # room for the "k of N" labels right of a 100% dot
    ax.invert_yaxis()
    if outlets:  # outside the plotting area: a legend never covers a dot
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    save_figure(fig, slug, d, figures_dir)
    return fig, d


def plot_first_mention(first: pd.DataFrame, slug: str, figures_dir=None, n: int = 10):
    """Dot and 95% bootstrap interval of the paragraph where each outlet first names the most-named entities."""
    ents = first["entity"].value_counts().head(n).index.tolist()
    d = first[first["entity"].isin(ents)].copy()
    d["entity_outlet"] = d["entity"] + " | " + d["outlet"]
    est = outlet_estimates(d, "first_paragraph", by="entity_outlet") if len(d) else \
        pd.DataFrame(columns=["entity_outlet", "n", "mean", "ci_low", "ci_high"])
    est["entity"] = est["entity_outlet"].str.split(" | ", regex=False).str[0]
    est["outlet"] = est["entity_outlet"].str.split(" | ", regex=False).str[1]
    order = {e: i for i, e in enumerate(ents)}  # most-named first
    est = est.assign(_o=est["entity"].map(order)).sort_values(["_o", "outlet"]).drop(columns="_o").reset_index(drop=True)
    fig, ax = new_figure("How early each outlet first names each person or organisation",
                         xlabel="paragraph of first mention (0 = lead paragraph)",
                         figsize=(8.0, rows_height(len(est), least=3.0)))
    if len(est):
        plot_estimates(ax, est, by="entity_outlet", color_by="outlet")
    save_figure(fig, slug, est[["entity", "outlet", "n", "mean", "ci_low", "ci_high"]], figures_dir)
    return fig, est


def plot_quote_voice(voice: pd.DataFrame, slug: str, figures_dir=None, n: int = 10):
    """Stacked bars per entity and outlet: mentions in the outlet's narration vs inside direct quotes."""
    tot = voice.groupby("entity")["n_mentions"].sum().sort_values(ascending=False, kind="stable").head(n)
    d = voice[voice["entity"].isin(tot.index)].assign(_o=lambda x: x["entity"].map({e: i for i, e in enumerate(tot.index)}))
    d = d.sort_values(["_o", "outlet"]).drop(columns="_o").reset_index(drop=True)
    fig, ax = new_figure("Who is named in the outlet's own words and who inside quotes",
                         xlabel="mentions (count)", figsize=(8.0, rows_height(len(d), least=3.0)))
    ys = range(len(d))
    colors = [outlet_color(o) for o in d["outlet"]]
    ax.barh(list(ys), d["n_narration"], color=colors, label="narration")
    ax.barh(list(ys), d["n_in_quote"], left=d["n_narration"], color="white", edgecolor=colors, hatch="///",
            label="inside a direct quote")
    ax.set_yticks(list(ys))
    ax.set_yticklabels([f"{e} | {o}" for e, o in zip(d["entity"], d["outlet"])])
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    save_figure(fig, slug, d, figures_dir)
    return fig, d


def plot_cooccurrence(pairs: pd.DataFrame, slug: str, figures_dir=None, n: int = 12):
    """Heat map: in how many sentences two people or organisations are named together."""
    mat = cooccurrence_matrix(pairs, n)
    fig, ax = new_figure("Which people and organisations are named in the same sentence",
                         figsize=(8.0, 6.5))
    if not mat.empty:
        im = ax.imshow(mat.values, cmap="Blues")
        ax.set_xticks(range(len(mat)))
        ax.set_xticklabels(mat.columns, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(mat)))
        ax.set_yticklabels(mat.index, fontsize=8)
        top = float(mat.values.max()) or 1.0
        for i in range(len(mat)):
            for j in range(len(mat)):
                if mat.iat[i, j]:  # white on the darker half of the colour scale, black on the lighter
                    ax.text(j, i, int(mat.iat[i, j]), ha="center", va="center", fontsize=7,
                            color="white" if mat.iat[i, j] > top / 2 else "black")
        fig.colorbar(im, ax=ax, label="sentences naming both (count)")
    data = mat.reset_index(names="entity") if not mat.empty else pd.DataFrame(columns=["entity"])
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def unknown_alias_table(m: pd.DataFrame) -> pd.DataFrame:
    """The alias lines `mentions()` could not match, as a table (UNKNOWN_ALIAS_COLUMNS; empty when all matched)."""
    return pd.DataFrame(getattr(m, "attrs", {}).get("unknown_aliases", []), columns=UNKNOWN_ALIAS_COLUMNS)
