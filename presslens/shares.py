"""Shares of categories per group (outlet, speaker type) with article-level bootstrap intervals.

Quotes and mentions of one article are not independent draws: an article that quotes one woman six
times moves the share six times. The interval is therefore a cluster (article) bootstrap: articles
are resampled with replacement within each group and the share recomputed (Field & Welsh 2007,
"Bootstrapping clustered data"); percentile interval. One article gives no interval (low = high).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SHARE_COLUMNS = ["group", "category", "n", "total", "share", "ci_low", "ci_high", "n_articles"]
N_BOOT = 2000          # bootstrap resamples: enough for stable 95% percentile bounds at two decimals
LEVEL = 0.95
SEED = 0               # fixed, so a figure and its CSV are the same on every run


def category_shares(df: pd.DataFrame, by: str, category: str, weight: str | None = None,
                    cluster: str = "article_id", categories=None, n_boot: int = N_BOOT,
                    level: float = LEVEL, seed: int = SEED) -> pd.DataFrame:
    """One row per (group, category): count (or summed `weight`, e.g. quoted words), the group's
    total, the share and its cluster-bootstrap interval (SHARE_COLUMNS; `group` holds the `by` value).

    `categories`: the categories to report (default: those present), so a category with no rows in
    a group still gets a 0 row."""
    if df is None or len(df) == 0:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    d = df[[by, category, cluster] + ([weight] if weight else [])].copy()
    d[category] = d[category].astype(object).where(d[category].notna(), "unknown")
    w = pd.to_numeric(d[weight], errors="coerce").fillna(0.0) if weight else pd.Series(1.0, index=d.index)
    d["_w"] = w.astype(float)
    cats = list(categories) if categories is not None else sorted(d[category].unique(), key=str)
    rng = np.random.default_rng(seed)
    a = (1 - level) / 2
    rows = []
    for group, g in d.groupby(by, sort=True):
        # per article: total weight and weight per category, so resampling articles is a matrix product
        per = g.pivot_table(index=cluster, columns=category, values="_w", aggfunc="sum", fill_value=0.0)
        per = per.reindex(columns=cats, fill_value=0.0)
        tot_a = g.groupby(cluster)["_w"].sum().reindex(per.index).to_numpy()
        mat = per.to_numpy()
        total = float(tot_a.sum())
        k = len(per)
        if k >= 2 and total > 0:
            idx = rng.integers(0, k, size=(n_boot, k))
            counts = np.zeros((n_boot, k))
            for b in range(n_boot):
                counts[b] = np.bincount(idx[b], minlength=k)
            num = counts @ mat                      # (n_boot, categories)
            den = counts @ tot_a                    # (n_boot,)
            with np.errstate(invalid="ignore", divide="ignore"):
                boot = num / den[:, None]
        for j, c in enumerate(cats):
            n = float(mat[:, j].sum())
            share = n / total if total > 0 else float("nan")
            if k >= 2 and total > 0:
                lo, hi = np.nanquantile(boot[:, j], [a, 1 - a])
            else:
                lo = hi = share
            rows.append({"group": group, "category": c, "n": n, "total": total, "share": share,
                         "ci_low": float(lo), "ci_high": float(hi), "n_articles": int(k)})
    out = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    if not weight:
        out[["n", "total"]] = out[["n", "total"]].astype(int)
    return out
