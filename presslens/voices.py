"""Who gets to speak, per outlet: corpus summaries of the quote table, and their figures.

Pure functions from the study's quote table (`presslens.study`: speakers already linked to canonical
names and typed) to the tables notebook 02 plots: share of voice per speaker and outlet, direct vs
indirect speech, speaker types, speakers only one outlet quotes, the same quote carried by several
outlets (rapidfuzz partial_ratio over quotes sharing a run of words). Every plot returns (fig, data).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from .figures import new_figure, no_data, outlet_color, save_figure
from .groups import DisjointSets
from .names import fold
from .speaker_types import OTHER_TYPE, UNATTRIBUTED_TYPE

SHARE_COLUMNS = ["outlet", "speaker_entity", "speaker_type", "n_articles", "n_quotes", "n_words",
                 "share_quotes", "share_words"]
KIND_COLUMNS = ["outlet", "kind", "n_quotes", "n_words", "share_quotes", "share_words"]
TYPE_COLUMNS = ["outlet", "speaker_type", "n_speakers", "n_quotes", "n_words", "share_quotes", "share_words"]
SPEAKER_OUTLET_COLUMNS = ["speaker_entity", "speaker_type", "n_outlets", "outlets", "n_quotes", "n_words"]
ONE_OUTLET_COLUMNS = ["outlet", "speaker_entity", "speaker_type", "n_articles", "n_quotes", "n_words"]
SHARED_COLUMNS = ["group", "n_outlets", "article_id", "outlet", "kind", "speaker_entity", "quote",
                  "start", "end", "similarity"]
SHARED_SHARE_COLUMNS = ["outlet", "n_quotes", "n_shared", "n_words", "n_shared_words", "share_shared_words"]
KINDS = ("direct", "indirect")

UNATTRIBUTED = "(unattributed)"       # speaker_entity label of quotes without a speaker, in summaries
MIN_SIMILARITY = 90                   # rapidfuzz partial_ratio (0-100) for "the same quote"
MIN_SHARED_WORDS = 6                  # shorter quotes ("will strengthen relations") are too generic to match
SHINGLE = 4                           # quotes sharing no run of this many words are never compared

_MARKS = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
                        "\u00bb": '"', "\u2018": "'", "\u2019": "'", "\u2014": "-", "\u2013": "-"})


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


# --- summaries per outlet -----------------------------------------------------------------------

def _labelled(q: pd.DataFrame) -> pd.DataFrame:
    q = q.copy()
    q["speaker_entity"] = q["speaker_entity"].where(q["speaker_entity"].notna(), UNATTRIBUTED)
    q["speaker_type"] = q["speaker_type"].where(q["speaker_type"].notna(), UNATTRIBUTED_TYPE)
    q["n_words"] = pd.to_numeric(q["n_words"], errors="coerce").fillna(0).astype(int)
    return q


def _shares(df: pd.DataFrame) -> pd.DataFrame:
    tot = df.groupby("outlet")[["n_quotes", "n_words"]].transform("sum")
    df["share_quotes"] = (df["n_quotes"] / tot["n_quotes"].where(tot["n_quotes"] > 0)).fillna(0.0)
    df["share_words"] = (df["n_words"] / tot["n_words"].where(tot["n_words"] > 0)).fillna(0.0)
    return df


def share_of_voice(q: pd.DataFrame) -> pd.DataFrame:
    """Quotes and quoted words per speaker per outlet, with each speaker's share within the outlet."""
    if q is None or len(q) == 0:
        return _empty(SHARE_COLUMNS)
    q = _labelled(q)
    g = q.groupby(["outlet", "speaker_entity"], sort=False)
    df = g.agg(speaker_type=("speaker_type", lambda s: s.mode().iloc[0]),
               n_articles=("article_id", "nunique"), n_quotes=("quote", "size"),
               n_words=("n_words", "sum")).reset_index()
    df = _shares(df)
    df = df.sort_values(["outlet", "share_words", "n_quotes", "speaker_entity"],
                        ascending=[True, False, False, True], kind="stable")
    return df[SHARE_COLUMNS].reset_index(drop=True)


def direct_indirect(q: pd.DataFrame) -> pd.DataFrame:
    """Direct and indirect quotes per outlet (counts, words, shares), a row for each kind even when zero."""
    if q is None or len(q) == 0:
        return _empty(KIND_COLUMNS)
    q = _labelled(q)
    kinds = list(KINDS) + sorted(set(q["kind"].dropna()) - set(KINDS))
    grid = pd.MultiIndex.from_product([sorted(q["outlet"].unique()), kinds], names=["outlet", "kind"])
    df = (q.groupby(["outlet", "kind"]).agg(n_quotes=("quote", "size"), n_words=("n_words", "sum"))
          .reindex(grid, fill_value=0).reset_index())
    return _shares(df)[KIND_COLUMNS]


def speaker_type_shares(q: pd.DataFrame) -> pd.DataFrame:
    """Named speakers, quotes and quoted words per speaker type per outlet, a row for every type seen anywhere
    (types by quoted words, 'other' and 'unattributed' last)."""
    if q is None or len(q) == 0:
        return _empty(TYPE_COLUMNS)
    q = _labelled(q)
    words = q.groupby("speaker_type")["n_words"].sum()
    types = sorted(words.index, key=lambda t: (t in (OTHER_TYPE, UNATTRIBUTED_TYPE), -words[t], t))
    grid = pd.MultiIndex.from_product([sorted(q["outlet"].unique()), types], names=["outlet", "speaker_type"])
    q["_named"] = q["speaker_entity"].where(q["speaker_entity"] != UNATTRIBUTED)
    df = (q.groupby(["outlet", "speaker_type"])
          .agg(n_speakers=("_named", "nunique"), n_quotes=("quote", "size"), n_words=("n_words", "sum"))
          .reindex(grid, fill_value=0).reset_index())
    return _shares(df)[TYPE_COLUMNS]


def speaker_outlets(q: pd.DataFrame) -> pd.DataFrame:
    """One row per named speaker: how many outlets quote them, which ones, and how much in all."""
    if q is None or len(q) == 0 or q["speaker_entity"].notna().sum() == 0:
        return _empty(SPEAKER_OUTLET_COLUMNS)
    q = _labelled(q)
    q = q[q["speaker_entity"] != UNATTRIBUTED]
    df = q.groupby("speaker_entity").agg(
        speaker_type=("speaker_type", lambda s: s.mode().iloc[0]),
        n_outlets=("outlet", "nunique"), outlets=("outlet", lambda s: ", ".join(sorted(set(s)))),
        n_quotes=("quote", "size"), n_words=("n_words", "sum")).reset_index()
    df = df.sort_values(["n_outlets", "n_words", "speaker_entity"], ascending=[False, False, True])
    return df[SPEAKER_OUTLET_COLUMNS].reset_index(drop=True)


def one_outlet_speakers(q: pd.DataFrame) -> pd.DataFrame:
    """Named speakers quoted by exactly one outlet, when the corpus has two outlets or more."""
    if q is None or len(q) == 0 or q["outlet"].nunique() < 2:
        return _empty(ONE_OUTLET_COLUMNS)
    per = speaker_outlets(q)
    only = set(per.loc[per["n_outlets"] == 1, "speaker_entity"])
    sov = share_of_voice(q)
    df = sov[sov["speaker_entity"].isin(only)]
    df = df.sort_values(["outlet", "n_words", "speaker_entity"], ascending=[True, False, True])
    return df[ONE_OUTLET_COLUMNS].reset_index(drop=True)


def _norm_quote(s) -> str:
    return re.sub(r"\s+", " ", fold(s.translate(_MARKS)).casefold()).strip(" \"'.,") if isinstance(s, str) else ""


def _candidate_pairs(texts: list[str]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of texts sharing a run of SHINGLE words: the only pairs worth a fuzzy match."""
    index: dict[tuple, list[int]] = {}
    for i, t in enumerate(texts):
        toks = re.findall(r"\w+", t)
        for k in {tuple(toks[a:a + SHINGLE]) for a in range(max(1, len(toks) - SHINGLE + 1))}:
            index.setdefault(k, []).append(i)
    pairs = set()
    for ids in index.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                pairs.add((ids[a], ids[b]))
    return pairs


def shared_quotes(q: pd.DataFrame, min_similarity: float = MIN_SIMILARITY,
                  min_words: int = MIN_SHARED_WORDS) -> pd.DataFrame:
    """Groups of near-identical quotes carried by two outlets or more, one row per quote (SHARED_COLUMNS).

    Two quotes of different articles are the same when they share a run of SHINGLE words and
    rapidfuzz's partial_ratio of their folded text reaches `min_similarity` (so a partial quote
    matches the full statement); groups are the connected components of those pairs, kept when
    they span two outlets or more.
    """
    if q is None or len(q) == 0 or q["outlet"].nunique() < 2:
        return _empty(SHARED_COLUMNS)

    q = _labelled(q).reset_index(drop=True)
    cand = q.index[q["n_words"] >= min_words].to_numpy()
    if len(cand) < 2:
        return _empty(SHARED_COLUMNS)
    texts = [_norm_quote(t) for t in q.loc[cand, "quote"]]
    art = q.loc[cand, "article_id"].to_numpy()
    outl = q.loc[cand, "outlet"].to_numpy()
    sets = DisjointSets(len(cand))
    best = np.zeros(len(cand))
    for i, j in _candidate_pairs(texts):
        if art[i] == art[j]:
            continue
        sc = fuzz.partial_ratio(texts[i], texts[j], score_cutoff=min_similarity)
        if sc < min_similarity:
            continue
        sets.union(i, j)
        if outl[i] != outl[j]:
            best[i] = max(best[i], sc)
            best[j] = max(best[j], sc)
    roots = np.array([sets.find(i) for i in range(len(cand))])
    rows = q.loc[cand].assign(_root=roots, similarity=best)
    n_out = rows.groupby("_root")["outlet"].transform("nunique")
    rows = rows[n_out >= 2].assign(n_outlets=n_out[n_out >= 2])
    if rows.empty:
        return _empty(SHARED_COLUMNS)
    stats = rows.reset_index().groupby("_root").agg(n=("n_outlets", "first"), size=("outlet", "size"),
                                                    first=("index", "min"))
    order = stats.sort_values(["n", "size", "first"], ascending=[False, False, True]).index
    rows["group"] = rows["_root"].map({r: i + 1 for i, r in enumerate(order)})
    rows = rows.sort_values(["group", "outlet", "article_id", "start"])
    return rows[SHARED_COLUMNS].reset_index(drop=True)


def shared_quote_share(q: pd.DataFrame, shared: pd.DataFrame | None = None, **kw) -> pd.DataFrame:
    """Per outlet: its quotes and quoted words, and how many of them another outlet carries too."""
    if q is None or len(q) == 0:
        return _empty(SHARED_SHARE_COLUMNS)
    shared = shared_quotes(q, **kw) if shared is None else shared
    q = _labelled(q)
    keys = set(zip(shared["article_id"], shared["start"], shared["end"]))
    q["_shared"] = [k in keys for k in zip(q["article_id"], q["start"], q["end"])]
    q["_shared_words"] = q["n_words"].where(q["_shared"], 0)
    df = q.groupby("outlet").agg(n_quotes=("quote", "size"), n_shared=("_shared", "sum"),
                                 n_words=("n_words", "sum"), n_shared_words=("_shared_words", "sum")).reset_index()
    df["n_shared"] = df["n_shared"].astype(int)
    df["share_shared_words"] = (df["n_shared_words"] / df["n_words"].where(df["n_words"] > 0)).fillna(0.0)
    return df[SHARED_SHARE_COLUMNS]


# --- figures (every one through presslens.figures.save_figure) ---------------------------------

def _grouped_barh(ax, data: pd.DataFrame, row: str, value: str, rows: list, outlets: list,
                  n_quotes: dict | None = None):
    """Horizontal bars, one group per `row`, one bar per outlet in its colour (legend: quotes behind it)."""

    h = 0.8 / max(len(outlets), 1)
    idx = {r: i for i, r in enumerate(rows)}
    for k, o in enumerate(outlets):
        d = data[data["outlet"] == o]
        y = [idx[r] - 0.4 + h * (k + 0.5) for r in d[row]]
        label = f"{o} ({int(n_quotes[o])} quotes)" if n_quotes and o in n_quotes else o
        ax.barh(y, d[value], height=h, color=outlet_color(o), label=label)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)  # never over a bar


def plot_share_of_voice(share: pd.DataFrame, slug: str, figures_dir=None, top: int = 12):
    """Share of each outlet's quoted words per speaker, for the `top` speakers by quoted words overall."""

    fig, ax = new_figure("Who is quoted: share of each outlet's quoted words by speaker",
                         xlabel="% of the outlet's quoted words", ylabel=None)
    cols = ["outlet", "speaker_entity", "speaker_type", "n_quotes", "n_words", "pct_words"]
    if share is None or len(share) == 0:
        no_data(ax, "quotes")
        data = _empty(cols)
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    rows = share.groupby("speaker_entity")["n_words"].sum().sort_values(ascending=False).index[:top].tolist()
    d = share[share["speaker_entity"].isin(rows)].assign(pct_words=lambda x: 100 * x["share_words"])
    _grouped_barh(ax, d, "speaker_entity", "pct_words", rows, sorted(share["outlet"].unique()),
                  share.groupby("outlet")["n_quotes"].sum().to_dict())
    data = d[cols].reset_index(drop=True)
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def plot_direct_indirect(kinds: pd.DataFrame, slug: str, figures_dir=None):
    """Per outlet, the share of quotes that are direct (solid) and indirect (pale), with the count."""

    fig, ax = new_figure("Direct and indirect quotes per outlet", xlabel="% of the outlet's quotes")
    cols = ["outlet", "kind", "n_quotes", "pct_quotes"]
    if kinds is None or len(kinds) == 0 or kinds["n_quotes"].sum() == 0:
        no_data(ax, "quotes")
        data = _empty(cols)
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    d = kinds.assign(pct_quotes=lambda x: 100 * x["share_quotes"])
    outlets = sorted(d["outlet"].unique())
    for i, o in enumerate(outlets):
        left = 0.0
        for kind, alpha in zip(KINDS, (1.0, 0.35)):
            v = float(d.loc[(d["outlet"] == o) & (d["kind"] == kind), "pct_quotes"].sum())
            ax.barh(i, v, left=left, color=outlet_color(o), alpha=alpha, edgecolor=outlet_color(o))
            if v >= 8:
                ax.text(left + v / 2, i, kind, ha="center", va="center", fontsize=8,
                        color="white" if alpha == 1.0 else "#222222")
            left += v
        n = int(d.loc[d["outlet"] == o, "n_quotes"].sum())
        ax.text(101, i, f"n={n}", va="center", fontsize=8, color="#555555")
    ax.set_yticks(range(len(outlets)))
    ax.set_yticklabels(outlets)
    ax.set_xlim(0, 110)
    ax.invert_yaxis()
    data = d[cols].reset_index(drop=True)
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def plot_speaker_types(types: pd.DataFrame, slug: str, figures_dir=None):
    """Share of each outlet's quoted words by speaker type (from the speaker's stated role)."""

    fig, ax = new_figure("Whose voice: share of each outlet's quoted words by speaker type",
                         xlabel="% of the outlet's quoted words")
    cols = ["outlet", "speaker_type", "n_speakers", "n_quotes", "n_words", "pct_words"]
    if types is None or len(types) == 0:
        no_data(ax, "quotes")
        data = _empty(cols)
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    rows = list(dict.fromkeys(types["speaker_type"]))  # the table's order: most quoted first, other last
    d = types.assign(pct_words=lambda x: 100 * x["share_words"])
    _grouped_barh(ax, d, "speaker_type", "pct_words", rows, sorted(d["outlet"].unique()),
                  d.groupby("outlet")["n_quotes"].sum().to_dict())
    data = d[cols].reset_index(drop=True)
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def plot_speakers_by_outlet(share: pd.DataFrame, slug: str, figures_dir=None, top: int = 15):
    """Which outlet quotes whom: a dot per speaker and outlet, its area the number of quotes."""

    fig, ax = new_figure("Which outlets quote each speaker (dot area = number of quotes)", xlabel=None)
    cols = ["speaker_entity", "outlet", "n_quotes", "n_words", "n_outlets"]
    named = share[share["speaker_entity"] != UNATTRIBUTED] if share is not None and len(share) else None
    if named is None or named.empty:
        no_data(ax, "named speakers")
        data = _empty(cols)
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    rows = named.groupby("speaker_entity")["n_words"].sum().sort_values(ascending=False).index[:top].tolist()
    outlets = sorted(share["outlet"].unique())
    d = named[named["speaker_entity"].isin(rows)].copy()
    d["n_outlets"] = d.groupby("speaker_entity")["outlet"].transform("nunique")
    xi = {o: i for i, o in enumerate(outlets)}
    yi = {r: i for i, r in enumerate(rows)}
    ax.scatter(d["outlet"].map(xi), d["speaker_entity"].map(yi), s=40 + 40 * d["n_quotes"],
               c=[outlet_color(o) for o in d["outlet"]], alpha=0.85)
    for r in d.itertuples(index=False):
        ax.annotate(str(r.n_quotes), (xi[r.outlet], yi[r.speaker_entity]), xytext=(10, -3),
                    textcoords="offset points", fontsize=8, color="#555555")
    ax.set_xticks(range(len(outlets)))
    ax.set_xticklabels(outlets)
    ax.set_xlim(-0.6, len(outlets) - 0.4)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r}  (one outlet only)" if len(outlets) > 1 and
                        d.loc[d["speaker_entity"] == r, "n_outlets"].iloc[0] == 1 else r for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    data = d[cols].reset_index(drop=True)
    save_figure(fig, slug, data, figures_dir)
    return fig, data


def plot_shared_quotes(summary: pd.DataFrame, slug: str, figures_dir=None):
    """Per outlet, the share of its quoted words that another outlet quotes too (the same statement)."""

    fig, ax = new_figure("Quoted words another outlet carries too (near-identical quotes)",
                         xlabel="% of the outlet's quoted words")
    cols = ["outlet", "n_quotes", "n_shared", "n_words", "n_shared_words", "pct_shared_words"]
    if summary is None or len(summary) == 0 or summary["n_words"].sum() == 0:
        no_data(ax, "quotes")
        data = _empty(cols)
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    d = summary.sort_values("outlet").assign(pct_shared_words=lambda x: 100 * x["share_shared_words"])
    d = d.reset_index(drop=True)
    ax.barh(range(len(d)), d["pct_shared_words"], color=[outlet_color(o) for o in d["outlet"]])
    for i, r in d.iterrows():
        ax.text(r["pct_shared_words"] + 1, i, f"{int(r['n_shared'])} of {int(r['n_quotes'])} quotes",
                va="center", fontsize=8, color="#555555")
    ax.set_yticks(range(len(d)))
    ax.set_yticklabels(d["outlet"])
    ax.set_xlim(0, 115)
    ax.invert_yaxis()
    data = d[cols]
    save_figure(fig, slug, data, figures_dir)
    return fig, data
