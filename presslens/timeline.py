"""Coverage over time: articles and quotes per outlet per day, who named each top entity first, and
how often the top entities are mentioned day by day.

Dates are the articles' publication days (the loader's `date`, a day, no time of day), so "first"
means the earliest day: outlets that named an entity on that same day are all listed as first. A
corpus from a single day has no timeline; `coverage_note` says so and the plots show it in words.
"""
from __future__ import annotations

import pandas as pd

from .figures import new_figure, outlet_color, save_figure

DAILY_COLUMNS = ["outlet", "date", "n_articles", "n_quotes"]
FIRST_COLUMNS = ["entity", "label", "n_mentions", "n_outlets", "first_date", "first_outlets",
                 "article_id", "surface", "start", "end"]
ENTITY_DAY_COLUMNS = ["entity", "date", "n_mentions", "n_articles", "n_outlets"]
ONE_DAY = "All articles are from one day: no timeline to show"
TOP = 10                       # top entities followed over time (by mentions over the corpus)
TOP_LABELS = ("PERSON", "ORG")  # people and organisations: places name the story, not its actors


def _dates(articles: pd.DataFrame) -> pd.Series:
    d = pd.to_datetime(articles["date"], errors="coerce") if "date" in articles else \
        pd.Series(pd.NaT, index=articles.index)
    return d.dt.normalize()


def n_days(articles: pd.DataFrame) -> int:
    """Number of distinct publication days among the dated articles."""
    return int(_dates(articles).dropna().nunique()) if len(articles) else 0


def coverage_note(articles: pd.DataFrame) -> str:
    """One sentence on the corpus's time span: several days, a single day (no timeline), or no dates."""
    d = _dates(articles).dropna() if len(articles) else pd.Series(dtype="datetime64[ns]")
    undated = len(articles) - len(d)
    tail = f" ({undated} article(s) without a date are left out)" if undated else ""
    if d.empty:
        return "No article has a publication date, so there is no timeline."
    if d.nunique() == 1:
        return (f"All {len(d)} dated articles are from one day ({d.iloc[0]:%Y-%m-%d}): there is no "
                f"timeline to show{tail}.")
    return (f"The corpus spans {d.nunique()} publication days, {d.min():%Y-%m-%d} to "
            f"{d.max():%Y-%m-%d}{tail}.")


def daily_counts(articles: pd.DataFrame, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Articles and quotes per outlet per publication day (DAILY_COLUMNS); undated articles left out."""
    if articles is None or len(articles) == 0:
        return pd.DataFrame(columns=DAILY_COLUMNS)
    a = articles[["article_id", "outlet"]].assign(date=_dates(articles)).dropna(subset=["date"])
    out = a.groupby(["outlet", "date"]).size().rename("n_articles").reset_index()
    nq = pd.Series(0, index=a.index)
    if quotes is not None and len(quotes):
        per_article = quotes.groupby("article_id").size()
        nq = a["article_id"].map(per_article).fillna(0).astype(int)
    q = a.assign(n_quotes=nq).groupby(["outlet", "date"])["n_quotes"].sum().reset_index()
    out = out.merge(q, on=["outlet", "date"], how="left")
    return out.sort_values(["date", "outlet"]).reset_index(drop=True)[DAILY_COLUMNS]


def top_entities(mentions: pd.DataFrame, top: int = TOP, labels=TOP_LABELS) -> list[str]:
    """The `top` entities of `labels` with most mentions over the corpus (ties: alphabetical)."""
    if mentions is None or len(mentions) == 0:
        return []
    m = mentions[mentions["label"].isin(labels)].dropna(subset=["entity"])
    counts = m.groupby("entity").size().reset_index(name="n").sort_values(["n", "entity"],
                                                                         ascending=[False, True])
    return counts["entity"].head(top).tolist()


def first_named(mentions: pd.DataFrame, articles: pd.DataFrame, top: int = TOP, labels=TOP_LABELS) -> pd.DataFrame:
    """For each top entity: the first day any outlet named it, every outlet that did so that day, and
    the first such mention (article_id, surface, offsets) to read it in context (FIRST_COLUMNS)."""
    ents = top_entities(mentions, top, labels)
    if not ents:
        return pd.DataFrame(columns=FIRST_COLUMNS)
    date_of = dict(zip(articles["article_id"], _dates(articles)))
    m = mentions[mentions["entity"].isin(ents)].assign(date=lambda x: x["article_id"].map(date_of))
    rows = []
    for ent in ents:
        g = m[m["entity"] == ent]
        dated = g.dropna(subset=["date"]).sort_values(["date", "article_id", "start"])
        first = dated.iloc[0] if len(dated) else g.sort_values(["article_id", "start"]).iloc[0]
        same_day = dated[dated["date"] == first["date"]] if len(dated) else dated
        rows.append({"entity": ent, "label": first["label"], "n_mentions": len(g),
                     "n_outlets": g["outlet"].nunique(),
                     "first_date": first["date"] if len(dated) else pd.NaT,
                     "first_outlets": ", ".join(sorted(same_day["outlet"].unique())),
                     "article_id": first["article_id"], "surface": first["surface"],
                     "start": int(first["start"]), "end": int(first["end"])})
    return pd.DataFrame(rows, columns=FIRST_COLUMNS)


def entity_mentions_per_day(mentions: pd.DataFrame, articles: pd.DataFrame, top: int = TOP,
                            labels=TOP_LABELS) -> pd.DataFrame:
    """Mentions of the top entities per publication day, with the articles and outlets behind them
    (ENTITY_DAY_COLUMNS); a day with no mention of an entity gets a 0 row."""
    ents = top_entities(mentions, top, labels)
    if not ents:
        return pd.DataFrame(columns=ENTITY_DAY_COLUMNS)
    date_of = dict(zip(articles["article_id"], _dates(articles)))
    m = mentions[mentions["entity"].isin(ents)].assign(date=lambda x: x["article_id"].map(date_of))
    m = m.dropna(subset=["date"])
    days = sorted(_dates(articles).dropna().unique())
    g = m.groupby(["entity", "date"]).agg(n_mentions=("start", "size"), n_articles=("article_id", "nunique"),
                                          n_outlets=("outlet", "nunique"))
    full = pd.MultiIndex.from_product([ents, days], names=["entity", "date"])
    out = g.reindex(full, fill_value=0).reset_index()
    return out[ENTITY_DAY_COLUMNS]


def _say(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def plot_daily_counts(daily: pd.DataFrame, slug: str, figures_dir=None, what: str = "n_articles"):
    """Lines per outlet of `what` (n_articles or n_quotes) per day. Returns (fig, data)."""
    label = {"n_articles": "articles", "n_quotes": "quotes"}.get(what, what)
    fig, ax = new_figure(f"{label.capitalize()} per outlet per day", xlabel="publication day",
                         ylabel=f"{label} per day")
    data = daily.reindex(columns=DAILY_COLUMNS).copy()
    if data.empty or data["date"].nunique() < 2:
        _say(ax, ONE_DAY if len(data) else "No dated articles in this corpus")
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    for outlet, g in data.groupby("outlet", sort=True):
        ax.plot(g["date"], g[what], marker="o", label=outlet, color=outlet_color(outlet))
    ax.legend(fontsize=8, ncol=2)
    fig.autofmt_xdate()
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def plot_entity_timeline(per_day: pd.DataFrame, slug: str, figures_dir=None):
    """Lines per top entity: mentions per day across all outlets. Returns (fig, data)."""
    fig, ax = new_figure("Mentions of the most-named people and organisations per day",
                         xlabel="publication day", ylabel="mentions per day")
    data = per_day.reindex(columns=ENTITY_DAY_COLUMNS).copy()
    if data.empty or data["date"].nunique() < 2:
        _say(ax, ONE_DAY if len(data) else "No dated mentions of people or organisations")
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    for ent, g in data.groupby("entity", sort=False):
        ax.plot(g["date"], g["n_mentions"], marker="o", label=ent)
    ax.legend(fontsize=7, ncol=2)
    fig.autofmt_xdate()
    save_figure(fig, slug, data, figures_dir)
    return fig, data
