"""The gender split of an outlet's voices: women's share of quotes by people, of the words in those
quotes and of the people each article mentions, with article-cluster bootstrap intervals
(`shares.category_shares`), and its chart. Genders come from `presslens.gender` (evidence, names,
overrides); kept apart from it so the study's tables do not depend on how a chart is drawn.
"""
from __future__ import annotations

import pandas as pd

from .figures import new_figure, no_data, save_figure
from .gender import FEMALE, MALE, NONBINARY, UNKNOWN
from .shares import SHARE_COLUMNS, category_shares

SUMMARY_COLUMNS = ["measure", *SHARE_COLUMNS]
MEASURES = ("quotes", "quoted words", "people mentioned")
GENDER_COLORS = {FEMALE: "#8172b3", MALE: "#ccb974", NONBINARY: "#64b5cd", UNKNOWN: "#d9d9d9"}


def gender_categories(values) -> list[str]:
    """female, male, nonbinary where present, unknown: the categories of every gender split."""
    present = {v for v in values if isinstance(v, str)}
    return [FEMALE, MALE] + ([NONBINARY] if NONBINARY in present else []) + [UNKNOWN]


def gender_shares(quotes: pd.DataFrame, mentions: pd.DataFrame, by: str = "outlet", **kw) -> pd.DataFrame:
    """Per `by` (outlet), the split by gender of (1) quotes by people, (2) the words those quotes
    hold and (3) the people each article mentions (one per person and article), each share with an
    article-cluster bootstrap interval and the unknown share as its own row (SUMMARY_COLUMNS).
    Quotes by organisations, documents and groups are left out: they have no gender."""
    parts = []
    q = quotes[quotes["speaker_kind"] == "person"] if quotes is not None and len(quotes) else None
    if q is not None and len(q):
        q = q.assign(speaker_gender=q["speaker_gender"].fillna(UNKNOWN))
        cats = gender_categories(q["speaker_gender"])
        parts.append(category_shares(q, by, "speaker_gender", categories=cats, **kw).assign(measure="quotes"))
        parts.append(category_shares(q, by, "speaker_gender", weight="n_words", categories=cats, **kw)
                     .assign(measure="quoted words"))
    if mentions is not None and len(mentions):
        p = mentions[mentions["label"] == "PERSON"].drop_duplicates(["article_id", "entity"])
        p = p.assign(gender=p["gender"].fillna(UNKNOWN))
        parts.append(category_shares(p, by, "gender", categories=gender_categories(p["gender"]), **kw)
                     .assign(measure="people mentioned"))
    if not parts:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    return pd.concat(parts, ignore_index=True)[SUMMARY_COLUMNS]


def unknown_share(summary: pd.DataFrame) -> pd.DataFrame:
    """Per measure, the share of the whole corpus whose gender is unknown (n unknown / total)."""
    if summary is None or summary.empty:
        return pd.DataFrame(columns=["measure", "n_unknown", "total", "share_unknown"])
    s = summary[summary["category"] == UNKNOWN].groupby("measure", sort=False)[["n", "total"]].sum()
    s = s.rename(columns={"n": "n_unknown"}).reset_index()
    s["share_unknown"] = s["n_unknown"] / s["total"].where(s["total"] > 0)
    return s


def plot_gender_shares(summary: pd.DataFrame, slug: str, figures_dir=None):
    """One panel per measure (quotes, quoted words, people mentioned): per outlet, stacked shares of
    female, male and unknown, the female share's 95% interval as a whisker. Returns (fig, data)."""
    data = summary.reindex(columns=SUMMARY_COLUMNS).copy()
    measures = [m for m in MEASURES if m in set(data["measure"])] or list(MEASURES[:1])
    fig, axes = new_figure("Women's share of quotes, quoted words and people mentioned, per outlet",
                           nrows=1, ncols=len(measures), sharey=True)
    axes = list(axes) if len(measures) > 1 else [axes]
    if data.empty:
        no_data(axes[0], "people quoted or mentioned")
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    groups = sorted(data["group"].astype(str).unique())
    for ax, measure in zip(axes, measures):
        d = data[data["measure"] == measure]
        for i, gname in enumerate(groups):
            left = 0.0
            rows = d[d["group"].astype(str) == gname].set_index("category")
            for c in gender_categories(d["category"]):
                v = 100 * float(rows["share"].get(c, 0.0) or 0.0) if len(rows) else 0.0
                ax.barh(i, v, left=left, color=GENDER_COLORS[c], label=c if i == 0 else None)
                if c == FEMALE and len(rows) and c in rows.index and rows.loc[c, "n_articles"] >= 2:
                    lo, hi = 100 * rows.loc[c, "ci_low"], 100 * rows.loc[c, "ci_high"]
                    ax.plot([lo, hi], [i, i], color="#222222", linewidth=1.2)
                left += v
            total = int(rows["total"].iloc[0]) if len(rows) else 0
            ax.text(101, i, f"n={total}", va="center", fontsize=7, color="#555555")
        ax.set_title(measure, fontsize=10)
        ax.set_xlim(0, 118)
        ax.set_xlabel(f"% of {measure}")
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels(groups)
    axes[0].invert_yaxis()
    axes[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, fontsize=8)
    save_figure(fig, slug, data, figures_dir)
    return fig, data
