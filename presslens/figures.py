"""The one figure helper: fixed size and dpi, one colour per outlet, and every figure saved as
`NN-slug.png` + `.svg` + `.csv` (the CSV holds exactly the numbers plotted)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import paths
from .outlets import known_outlets

FIGSIZE = (8.0, 4.5)
DPI = 150
SLUG_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
_PALETTE = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860",
            "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]
STYLE = {"axes.spines.top": False, "axes.spines.right": False, "axes.titleweight": "bold",
         "axes.titlesize": 12, "axes.labelsize": 10, "font.size": 10, "legend.frameon": False}


def outlet_color(outlet: str) -> str:
    """The colour of an outlet in every figure: its colour in outlets.yaml, else a stable palette pick."""
    for row in known_outlets():
        if row["name"] == outlet and row.get("color"):
            return row["color"]
    digest = int(hashlib.md5(str(outlet).encode("utf8")).hexdigest(), 16)
    return _PALETTE[digest % len(_PALETTE)]


def outlet_colors(outlets) -> dict[str, str]:
    """{outlet: colour} for a list of outlets."""
    return {o: outlet_color(o) for o in outlets}


def new_figure(title: str, xlabel: str | None = None, ylabel: str | None = None,
               nrows: int = 1, ncols: int = 1, figsize=FIGSIZE, **kw):
    """A figure of the house size and style with its title and axis labels set."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(nrows, ncols, figsize=figsize, dpi=DPI, squeeze=True, **kw)
        interactive = plt.isinteractive()  # set by the notebook backend on first use: keep it
    plt.interactive(interactive)  # rc_context would reset it, and Jupyter would show only the first figure
    axes = np.atleast_1d(ax)
    for a in axes.ravel():
        for side in ("top", "right"):
            a.spines[side].set_visible(False)
    first = axes.ravel()[0]
    if xlabel:
        first.set_xlabel(xlabel)
    if ylabel:
        first.set_ylabel(ylabel)
    fig.suptitle(title, fontweight="bold", fontsize=12)
    return fig, ax


def save_figure(fig, slug: str, data: pd.DataFrame, figures_dir: str | Path | None = None) -> dict[str, Path]:
    """Write `slug`.png, .svg and .csv (the plotted numbers) to the figures folder; return the paths.

    `slug` is `NN-what-it-shows`, NN the notebook's number, so every figure traces to its notebook.
    """
    if not SLUG_RE.match(slug):
        raise ValueError(f"figure name {slug!r} must look like '01-mentions-per-1000-words'")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"figure {slug}: pass the plotted numbers as a DataFrame, not {type(data).__name__}")
    out = Path(figures_dir or paths.FIGURES_DIR)
    out.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    written = {}
    for ext in ("png", "svg"):
        p = out / f"{slug}.{ext}"
        fig.savefig(p, dpi=DPI, bbox_inches="tight")
        written[ext] = p
    p = out / f"{slug}.csv"
    data.to_csv(p, index=False)
    written["csv"] = p
    return written


def bootstrap_ci(values, n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> tuple[float, float, float]:
    """(mean, low, high): the mean with a percentile bootstrap interval; low = high = mean when n < 2."""
    x = np.asarray([v for v in values if v == v], dtype=float)
    if len(x) == 0:
        return (float("nan"),) * 3
    m = float(x.mean())
    if len(x) < 2:
        return m, m, m
    rng = np.random.default_rng(seed)
    means = rng.choice(x, size=(n_boot, len(x)), replace=True).mean(axis=1)
    a = (1 - level) / 2
    return m, float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def outlet_estimates(df: pd.DataFrame, value: str, by: str = "outlet", **kw) -> pd.DataFrame:
    """Per group: n, mean, 95% bootstrap low/high of `value` (one row per `by` value)."""
    rows = []
    for key, g in df.groupby(by, sort=True):
        m, lo, hi = bootstrap_ci(g[value].tolist(), **kw)
        rows.append({by: key, "n": int(g[value].notna().sum()), "mean": m, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=[by, "n", "mean", "ci_low", "ci_high"])


def plot_estimates(ax, est: pd.DataFrame, by: str = "outlet", color_by: str | None = "outlet"):
    """Dot-and-whisker of `outlet_estimates` rows: an interval where n >= 2, a lone point labelled n=1.

    Never a bar: a bar of one article looks like a firm average.
    """
    est = est.reset_index(drop=True)
    for i, r in est.iterrows():
        c = outlet_color(r[color_by]) if color_by and color_by in est else _PALETTE[0]
        if r["n"] >= 2:
            ax.errorbar(r["mean"], i, xerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]],
                        fmt="o", color=c, capsize=4, markersize=7)
        else:
            ax.plot(r["mean"], i, marker="o", markersize=7, markerfacecolor="white", color=c)
        ax.annotate(f"n={int(r['n'])}", (r["mean"], i), xytext=(0, 9), textcoords="offset points",
                    ha="center", fontsize=8, color="#555555")
    ax.set_yticks(range(len(est)))
    ax.set_yticklabels(est[by])
    ax.set_ylim(-0.7, len(est) - 0.3)
    ax.invert_yaxis()
    return ax
