"""Corpus overview tables and figures (notebook 00): what is in the corpus, what was stripped, what was skipped."""
from __future__ import annotations

import pandas as pd

from .figures import new_figure, outlet_color, save_figure

FURNITURE_COLUMNS = ["article_id", "outlet", "path", "rule", "start", "end", "text"]
COVERAGE_COLUMNS = ["story", "outlet", "articles", "words", "first_date", "last_date"]
NO_TITLE = "(no title in the file or manifest)"


def select_story(articles: pd.DataFrame, story: str | None = None) -> pd.DataFrame:
    """The articles of one story (all of them when `story` is None); a clear error for an unknown story."""
    if story is None:
        return articles
    if story not in set(articles["story"]):
        raise ValueError(f"story {story!r} is not in the corpus; stories: {sorted(set(articles['story']))}")
    out = articles[articles["story"] == story].reset_index(drop=True)
    out.attrs = dict(articles.attrs)
    return out


def coverage_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story x outlet: articles, words, first and last date."""
    if articles.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    g = articles.groupby(["story", "outlet"], sort=True)
    out = g.agg(articles=("article_id", "size"), words=("n_words", "sum"),
                first_date=("date", "min"), last_date=("date", "max")).reset_index()
    return out[COVERAGE_COLUMNS]


def article_list(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles as a reader would list them: date, outlet, title, words, furniture removed, path."""
    cols = ["date", "outlet", "story", "title", "n_words", "furniture_removed", "path", "article_id"]
    # a missing title is said in words, never shown as "None" or "nan"
    titles = articles["title"].where(articles["title"].notna() & (articles["title"].astype(str).str.strip() != ""),
                                     NO_TITLE)
    out = articles.assign(furniture_removed=articles["furniture"].map(len), title=titles)
    return out[cols].sort_values(["story", "date", "outlet"]).reset_index(drop=True)


def furniture_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per removed piece of site furniture, with its rule and offsets into the raw file."""
    rows = [{"article_id": a.article_id, "outlet": a.outlet, "path": a.path, **f}
            for a in articles.itertuples() for f in a.furniture]
    return pd.DataFrame(rows, columns=FURNITURE_COLUMNS)


def problems_summary(problems: pd.DataFrame) -> pd.DataFrame:
    """The files skipped or loaded with a warning, and why (a one-row note when there are none)."""
    if problems is None or problems.empty:
        return pd.DataFrame([{"path": "-", "problem": "no file was skipped and none needed a warning",
                              "action": "-"}])
    return problems.reset_index(drop=True)


def plot_articles_per_outlet(articles: pd.DataFrame, slug: str, figures_dir=None):
    """Bar chart of articles per outlet (stacked by story when there are several)."""
    cov = coverage_table(articles)
    data = cov.pivot_table(index="outlet", columns="story", values="articles", aggfunc="sum", fill_value=0)
    fig, ax = new_figure("Articles per outlet in the corpus", "articles", None)
    left = pd.Series(0, index=data.index, dtype=float)
    for story in data.columns:
        ax.barh(data.index, data[story], left=left, label=story,
                color=[outlet_color(o) for o in data.index], alpha=1.0 if len(data.columns) == 1 else 0.85,
                edgecolor="white")
        left += data[story]
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    if len(data.columns) > 1:
        ax.legend(title="story", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    data = cov[["story", "outlet", "articles"]]
    save_figure(fig, slug, data, figures_dir)
    return fig, data


LABELLED_DOTS = 12  # an outlet's dots carry their word counts up to this many articles


def plot_words_per_article(articles: pd.DataFrame, slug: str, figures_dir=None):
    """Each article's length in words, one dot per article, grouped by outlet; the dots carry their word counts
    when an outlet has at most `LABELLED_DOTS` articles (more labels would overlap into an unreadable band)."""
    data = articles[["article_id", "outlet", "date", "n_words"]].sort_values(["outlet", "date"]).reset_index(drop=True)
    fig, ax = new_figure("Article length by outlet (clean text, furniture removed)", "words per article", None)
    outlets = sorted(data["outlet"].unique())
    for i, o in enumerate(outlets):
        d = data[data["outlet"] == o]
        ax.scatter(d["n_words"], [i] * len(d), color=outlet_color(o), s=60, zorder=3)
        for w in (d["n_words"] if len(d) <= LABELLED_DOTS else ()):
            ax.annotate(f"{w:,}", (w, i), xytext=(0, 8), textcoords="offset points", ha="center", fontsize=8)
    ax.set_yticks(range(len(outlets)))
    ax.set_yticklabels(outlets)
    ax.set_ylim(-0.7, len(outlets) - 0.3)
    ax.set_xlim(left=0)
    ax.invert_yaxis()
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def shared_text_long(summary: pd.DataFrame) -> pd.DataFrame:
    """The shared-text summary one row per (story, outlet, other outlet): the share of the outlet's words shared."""
    rows = []
    for r in summary.itertuples():
        rows.append({"story": r.story, "outlet": r.outlet_a, "other_outlet": r.outlet_b, "words": r.words_a,
                     "shared_words": r.shared_words_a, "share_pct": 100 * r.share_a})
        rows.append({"story": r.story, "outlet": r.outlet_b, "other_outlet": r.outlet_a, "words": r.words_b,
                     "shared_words": r.shared_words_b, "share_pct": 100 * r.share_b})
    return pd.DataFrame(rows, columns=["story", "outlet", "other_outlet", "words", "shared_words", "share_pct"])


def plot_shared_text(summary: pd.DataFrame, slug: str, figures_dir=None):
    """Per outlet, the % of its words in sentences another outlet carries too."""
    data = shared_text_long(summary)
    fig, ax = new_figure("Text each outlet shares with another outlet's coverage",
                         "% of the outlet's words in shared sentences", None)
    labels = [f"{r.outlet}  (vs {r.other_outlet})" + (f"  [{r.story}]" if data["story"].nunique() > 1 else "")
              for r in data.itertuples()]
    ax.barh(range(len(data)), data["share_pct"], color=[outlet_color(o) for o in data["outlet"]])
    for i, r in enumerate(data.itertuples()):
        ax.annotate(f"{r.share_pct:.0f}% ({r.shared_words:,} of {r.words:,} words)", (r.share_pct, i),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels(labels)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    save_figure(fig, slug, data, figures_dir)
    return fig, data
