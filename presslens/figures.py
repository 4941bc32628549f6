"""The one figure helper: fixed size and dpi, one distinct colour per outlet, a source line on every saved
figure, alt text for the HTML, and every figure saved as `NN-slug.png` + `.svg` + `.csv` (the CSV holds
exactly the numbers plotted). Drawing is most of a notebook's time, so a saved figure is drawn once per
format and a notebook shows the PNG already drawn (`saved_png`) unless the figure changed since.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from binascii import b2a_base64
from functools import lru_cache, partial
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from . import paths
from .outlets import known_outlets

try:  # in a notebook kernel: figures shown inline get alt text (see `_install_alt_text`)
    from IPython import get_ipython
    from IPython.core.pylabtools import print_figure
except ImportError:  # pragma: no cover - IPython comes with jupyterlab
    get_ipython = print_figure = None

FIGSIZE = (8.0, 4.5)
# Inches of figure height a row of a dot or bar chart needs so that its label, whisker and n label stay apart,
# and the inches a panel takes beyond its rows (title, axis, ticks).
ROW_HEIGHT = 0.35
PANEL_MARGIN = 1.5
DPI = 150
# zlib level of the saved PNGs: 3 encodes the report's figures in about half the time of PIL's default 6, for
# files within 1% of its size (27 report figures, 58 Mpx: 2.98 -> 1.60 s, 6.42 -> 6.45 MB); the image is the same.
PNG_COMPRESS_LEVEL = 3
_PRINT_KW = {"png": {"pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}}, "svg": {}}
SLUG_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
# Qualitative palette of 28 colours, no two closer than CIE76 dE 16 (tab10, the light half of tab20, then the
# tab20b/tab20c colours far from those): outlets in outlets.yaml order take one each, so two outlets of a
# corpus never get near-identical colours (the brand colours in outlets.yaml were five near-identical reds).
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
           "#dbdb8d", "#9edae5", "#393b79", "#9c9ede", "#637939", "#8c6d31", "#bd9e39", "#ad494a", "#7b4173",
           "#c7e9c0"]
_PALETTE = PALETTE  # the name other modules used
STYLE = {"axes.spines.top": False, "axes.spines.right": False, "axes.titleweight": "bold",
         "axes.titlesize": 12, "axes.labelsize": 10, "font.size": 10, "legend.frameon": False}
# Environment variables `presslens report` sets for the notebook kernels it starts: the figures' source line,
# and the corpus's outlets (JSON list) so every notebook gives each outlet the same colour.
SOURCE_ENV = "PRESSLENS_FIGURE_SOURCE"
OUTLETS_ENV = "PRESSLENS_OUTLETS"
SOURCE_GID = "presslens-source"
SOURCE_FONTSIZE = 7
MAX_SOURCE_OUTLETS = 6  # outlets named in a source line before "and N more"
_STATE: dict = {"source": None, "colors": {}}
# Resample index matrices kept (one per group size, 2,000 x n integers each): the sizes of one corpus's groups.
RESAMPLE_CACHE = 64
# Resampled values taken at once when many groups are bootstrapped together (32 MB of floats), so a corpus
# with thousands of groups never holds all their resamples in memory.
BOOTSTRAP_CELLS = 2**22
# The figure attribute holding the PNG `save_figure` rendered, shown inline instead of drawing it again.
_PNG_ATTR = "_presslens_png"


class SavedPNG(NamedTuple):
    """The PNG bytes `save_figure` wrote and the dpi they were drawn at."""
    data: bytes
    dpi: float


def _slot(outlet: str) -> int:
    """The outlet's palette slot: its row in outlets.yaml, else a stable hash of its name."""
    for i, row in enumerate(known_outlets()):
        if row["name"] == outlet:
            return i % len(PALETTE)
    return int(hashlib.md5(str(outlet).encode("utf8")).hexdigest(), 16) % len(PALETTE)


def register_outlets(outlets) -> dict[str, str]:
    """Fix the colours of a corpus's outlets for this session: distinct slots (outlets.yaml order first, the
    others in name order from their hashed slot to the next free one), so no two share a colour (up to 28)."""
    names = sorted({str(o) for o in outlets if isinstance(o, str) and o})
    known = {row["name"] for row in known_outlets()}
    taken, colors = set(), {}
    for o in [n for n in names if n in known] + [n for n in names if n not in known]:
        slot = _slot(o)
        for step in range(len(PALETTE)):
            if (slot + step) % len(PALETTE) not in taken or len(taken) >= len(PALETTE):
                slot = (slot + step) % len(PALETTE)
                break
        taken.add(slot)
        colors[o] = PALETTE[slot]
    _STATE["colors"] = colors
    return dict(colors)


def outlet_color(outlet: str) -> str:
    """The colour of an outlet in every figure: fixed by `register_outlets` for the corpus, else its palette slot."""
    return _STATE["colors"].get(outlet) or PALETTE[_slot(outlet)]


def outlet_colors(outlets) -> dict[str, str]:
    """{outlet: colour} for a list of outlets, distinct within the list (registered colours kept)."""
    outlets = list(dict.fromkeys(outlets))
    if len({outlet_color(o) for o in outlets}) == len(outlets):
        return {o: outlet_color(o) for o in outlets}
    registered = dict(_STATE["colors"])
    try:
        register_outlets(list(registered) + outlets)
        return {o: outlet_color(o) for o in outlets}
    finally:
        _STATE["colors"] = registered


def source_line(articles: pd.DataFrame, corpus_name: str | None = None) -> str:
    """'Source: presslens, corpus NAME: N articles from OUTLETS, FIRST to LAST.' for a figure's foot."""
    if corpus_name is None:
        corpus_name = Path(str(articles.attrs.get("corpus_dir", "") or "corpus")).name
    outlets = sorted(articles["outlet"].dropna().astype(str).unique()) if len(articles) else []
    named = ", ".join(outlets[:MAX_SOURCE_OUTLETS]) + (f" and {len(outlets) - MAX_SOURCE_OUTLETS} more"
                                                       if len(outlets) > MAX_SOURCE_OUTLETS else "")
    dates = pd.to_datetime(articles["date"], errors="coerce").dropna() if "date" in articles else pd.Series([], dtype=object)
    span = (f", {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else ", undated")
    return (f"Source: presslens, corpus {corpus_name}: {len(articles)} article{'s' if len(articles) != 1 else ''} "
            f"from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({named}){span}.")


def set_source(articles: pd.DataFrame | str | None, corpus_name: str | None = None) -> str | None:
    """Set the source line every later `save_figure` draws (a sentence, or the articles to describe), and fix
    the outlets' colours; returns the line. `presslens report` sets it for its notebooks through SOURCE_ENV."""
    if isinstance(articles, pd.DataFrame):
        register_outlets(articles["outlet"].dropna().unique())
        articles = source_line(articles, corpus_name)
    _STATE["source"] = articles
    return articles


def figure_alt(fig) -> str:
    """Alt text saying what a figure shows: its title, each panel's title and axis labels, and its source."""
    parts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) is not None else []
    for ax in fig.get_axes():
        bits = [t for t in (ax.get_title(),) if t]
        if ax.get_xlabel():
            bits.append(f"x axis: {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"y axis: {ax.get_ylabel()}")
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()][:12]
        if labels and not ax.get_ylabel():
            bits.append("rows: " + ", ".join(labels))
        if bits and "; ".join(bits) not in parts:
            parts.append("; ".join(bits))
    parts += [" ".join(t.get_text().split()) for t in fig.texts if t.get_gid() == SOURCE_GID]
    return ". ".join(p.rstrip(".") for p in parts if p) + "." if parts else "A chart."


def _install_alt_text() -> None:
    """In a notebook, wrap the inline PNG formatter so a figure's output carries `figure_alt` as its alt text
    (nbconvert writes it into the HTML page instead of 'No description has been provided')."""
    shell = get_ipython() if get_ipython is not None else None
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    fmt = shell.display_formatter.formatters.get("image/png")
    current = fmt.type_printers.get(Figure) if fmt is not None else None
    if current is None or getattr(current, "presslens_alt", False):
        return

    def with_alt(fig, _png=current):
        data = saved_png(fig, _png)
        if data is None:
            data = _png(fig)
        return (data, {"alt": figure_alt(fig)}) if data else data

    with_alt.presslens_alt = True
    fmt.for_type(Figure, with_alt)


if os.environ.get(OUTLETS_ENV):
    try:
        register_outlets(json.loads(os.environ[OUTLETS_ENV]))
    except (ValueError, TypeError):
        pass


def saved_png(fig, formatter) -> bytes | str | None:
    """What the notebook's PNG `formatter` would return for `fig`, taken from the PNG `save_figure` drew,
    when that is the same image: the formatter is IPython's own PNG printer with the default tight bounding
    box, the figure's dpi is unchanged and nothing on it changed since (matplotlib marks a changed figure
    `stale`). None otherwise (the formatter then draws the figure)."""
    saved = getattr(fig, _PNG_ATTR, None)
    if (saved is None or fig.stale or fig.dpi != saved.dpi or print_figure is None
            or not isinstance(formatter, partial) or formatter.func is not print_figure or formatter.args):
        return None
    kw = formatter.keywords
    if set(kw) - {"fmt", "base64", "bbox_inches"} or kw.get("fmt", "png") != "png" \
            or kw.get("bbox_inches", "tight") != "tight" or not (fig.axes or fig.lines):
        return None
    return b2a_base64(saved.data, newline=False).decode("ascii") if kw.get("base64") else saved.data


def _forget_png_on_change(fig) -> None:
    """Drop the saved PNG at the figure's next change: every change marks an artist stale and matplotlib passes
    that up to the figure, whose `stale_callback` this wraps (a redraw clears `stale` again, so the flag alone
    cannot say whether the figure changed since it was saved)."""
    fig.stale = False  # saving itself marks it changed; from here on only a real change does
    if getattr(fig.stale_callback, "presslens_forget", False):
        return

    def forget(figure, value, _then=fig.stale_callback):
        if value and getattr(figure, _PNG_ATTR, None) is not None:
            setattr(figure, _PNG_ATTR, None)
        if _then is not None:
            _then(figure, value)

    forget.presslens_forget = True
    fig.stale_callback = forget


def stamp_source(fig, source: str | None) -> bool:
    """Draw `source` in small grey type under everything else on the figure (replacing an earlier one); True
    when the figure was laid out for it (drawn without rendering)."""
    for t in [t for t in fig.texts if t.get_gid() == SOURCE_GID]:
        t.remove()
    if not source:
        return False
    fig.draw_without_rendering()  # lay out the labels tight_layout moved, then measure everything drawn
    renderer = fig.canvas.get_renderer()
    y0 = fig.get_tightbbox(renderer).y0 / fig.get_figheight()
    text = fig.text(0.01, y0 - 0.01, source, ha="left", va="top", fontsize=SOURCE_FONTSIZE, color="#666666",
                    gid=SOURCE_GID, parse_math=False)
    text.set_text(_wrap_to_figure(text, renderer))
    return True


def _wrap_to_figure(text, renderer) -> str:
    """`text`'s string with line breaks where matplotlib's `wrap=True` puts them (each line the most words that
    fit between the text's left edge and the figure's right edge), worked out once. matplotlib wraps again at
    every draw, measuring each line word by word anew: printing the 12 figures of notebooks 01, 03 and 04 (PNG
    and SVG) took 20.7 s wrapped by matplotlib, 17.5 s wrapped here once. A left-aligned, horizontal, plain-text
    line is assumed (the source line); a line's width grows with its words, so the longest line that fits is
    found by halving."""
    prop = text.get_fontproperties()
    limit = text.figure.bbox.x1 - text.get_transform().transform(text.get_position())[0]

    def fits(words: list[str]) -> bool:
        return math.ceil(renderer.get_text_width_height_descent(" ".join(words), prop, ismath=False)[0]) <= limit

    lines = []
    for line in text.get_text().split("\n"):
        words = line.split(" ")
        while len(words) > 1:
            low, high = 1, len(words)  # words[:low] fits (or is one word); find the longest prefix that fits
            while low < high:
                mid = (low + high + 1) // 2
                low, high = (mid, high) if fits(words[:mid]) else (low, mid - 1)
            lines.append(" ".join(words[:low]))
            words = words[low:]
        lines.extend(words)
    return "\n".join(lines)


def _write_tight(fig, targets: dict) -> None:
    """Print the figure to each `{format: file}` of `targets`, cropped to its tight bounding box as
    `savefig(bbox_inches="tight")` crops it, in one draw each: the figure was just laid out (`save_figure`),
    so the box is measured once, from the Agg renderer, without drawing again, and the placeholder layout
    engine `tight_layout` leaves (which makes savefig lay the figure out once more) is set aside while it
    prints. The SVG renderer measures text a little differently from Agg's; the box's padding
    (`savefig.pad_inches`) holds that difference."""
    kw = {"dpi": DPI, "facecolor": fig.get_facecolor(), "edgecolor": fig.get_edgecolor()}
    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine) or fig.dpi != DPI:  # laid out or measured another way
        for fmt, target in targets.items():
            fig.canvas.print_figure(target, format=fmt, bbox_inches="tight", **kw, **_PRINT_KW[fmt])
        return
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    with plt.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # (with those settings: no engine)
    try:
        for fmt, target in targets.items():
            fig.canvas.print_figure(target, format=fmt, bbox_inches=box, **kw, **_PRINT_KW[fmt])
    finally:
        fig.set_layout_engine(engine)


def rows_height(rows: int, panels_down: int = 1, least: float = FIGSIZE[1]) -> float:
    """The height in inches of a figure with `panels_down` panels stacked, each of `rows` rows: ROW_HEIGHT a
    row plus PANEL_MARGIN a panel, and at least `least`, so a chart of many outlets grows instead of crowding."""
    return max(least, panels_down * (ROW_HEIGHT * rows + PANEL_MARGIN))


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
    _install_alt_text()
    return fig, ax


def save_figure(fig, slug: str, data: pd.DataFrame, figures_dir: str | Path | None = None,
                source: str | pd.DataFrame | None = None) -> dict[str, Path]:
    """Write `slug`.png, .svg and .csv (the plotted numbers) to the figures folder; return the paths.

    `slug` is `NN-what-it-shows`, NN the notebook's number, so every figure traces to its notebook. The figure
    carries a source line: `source` (a sentence, or the articles it describes), else the one `set_source` or
    `presslens report` set; none when nothing says where the data came from.
    """
    if not SLUG_RE.match(slug):
        raise ValueError(f"figure name {slug!r} must look like '01-mentions-per-1000-words'")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"figure {slug}: pass the plotted numbers as a DataFrame, not {type(data).__name__}")
    out = Path(figures_dir or paths.FIGURES_DIR)
    out.mkdir(parents=True, exist_ok=True)
    if isinstance(source, pd.DataFrame):
        source = source_line(source)
    fig.tight_layout()
    if not stamp_source(fig, source or _STATE["source"] or os.environ.get(SOURCE_ENV)):
        fig.draw_without_rendering()
    _install_alt_text()
    # The PNG is drawn once, the way the notebook's inline display draws it (IPython's print_figure at the
    # figure's dpi), so the display reuses these bytes instead of drawing the figure again (`saved_png`).
    buf = BytesIO()
    written = {"png": out / f"{slug}.png", "svg": out / f"{slug}.svg"}
    _write_tight(fig, {"png": buf, "svg": written["svg"]})
    png = buf.getvalue()
    written["png"].write_bytes(png)
    setattr(fig, _PNG_ATTR, SavedPNG(png, DPI))
    _forget_png_on_change(fig)
    p = out / f"{slug}.csv"
    data.to_csv(p, index=False)
    written["csv"] = p
    return written


class Estimate(NamedTuple):
    """A mean with its percentile bootstrap interval (NaN bounds when one value allows no spread)."""
    mean: float
    low: float
    high: float


@lru_cache(maxsize=RESAMPLE_CACHE)
def _resample_index(n: int, n_boot: int, seed: int) -> np.ndarray:
    """The `n_boot` x `n` resample indices a generator seeded `seed` draws: `rng.choice(x, (n_boot, n))` is
    `x[rng.integers(0, n, (n_boot, n))]`, so every group of `n` values with the same seed draws these."""
    idx = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
    idx.flags.writeable = False
    return idx


def _clean(values) -> np.ndarray:
    return np.asarray([v for v in values if v == v], dtype=float)


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else float("nan")


def bootstrap_cis(groups, n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> list[Estimate]:
    """`bootstrap_ci` of each list of values in `groups`, the same numbers, computed together: groups of one
    size share one resample index matrix and their resample means are taken in one array operation."""
    cleaned = [_clean(g) for g in groups]
    out: list[Estimate | None] = [None] * len(cleaned)
    by_size: dict[int, list[int]] = {}
    for i, x in enumerate(cleaned):
        if len(x) < 2:
            out[i] = Estimate(_mean(x), float("nan"), float("nan"))
        else:
            by_size.setdefault(len(x), []).append(i)
    a = (1 - level) / 2
    for n, members in by_size.items():
        idx = _resample_index(n, n_boot, seed)
        step = max(1, BOOTSTRAP_CELLS // (n_boot * n))
        for k in range(0, len(members), step):
            chunk = members[k:k + step]
            x = np.stack([cleaned[i] for i in chunk])
            # row by row (not a 3-d mean, which sums in another order): each row's sum is the one
            # `rng.choice(x, ...).mean(axis=1)` takes, to the last bit
            means = x[:, idx].reshape(-1, n).mean(axis=1).reshape(len(chunk), n_boot)
            low, high = np.quantile(means, a, axis=1), np.quantile(means, 1 - a, axis=1)
            for j, i in enumerate(chunk):
                out[i] = Estimate(float(cleaned[i].mean()), float(low[j]), float(high[j]))
    return out  # type: ignore[return-value]


def bootstrap_ci(values, n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> Estimate:
    """(mean, low, high): the mean with a percentile bootstrap interval (Efron & Tibshirani 1993, ch. 13:
    `n_boot` resamples with replacement, the `level` central interval of their means); with one value there
    is no spread to estimate, so low and high are NaN (never low = high, which would read as certainty)."""
    return bootstrap_cis([values], n_boot, level, seed)[0]


def outlet_estimates(df: pd.DataFrame, value: str, by: str = "outlet", top: int | None = None,
                     **kw) -> pd.DataFrame:
    """Per group: n, mean, 95% bootstrap low/high of `value` (one row per `by` value). With `top`, only the
    `top` groups of highest mean (ties by `by`) are kept, and only they are bootstrapped."""
    groups = list(df.groupby(by, sort=True)[value])
    if top is not None:
        means = pd.DataFrame({by: [k for k, _ in groups], "mean": [_mean(_clean(g)) for _, g in groups]})
        keep = set(means.sort_values(["mean", by], ascending=[False, True]).head(top).index)
        groups = [grp for i, grp in enumerate(groups) if i in keep]
    ests = bootstrap_cis([g.tolist() for _, g in groups], **kw)
    rows = [{by: key, "n": int(g.notna().sum()), "mean": e.mean, "ci_low": e.low, "ci_high": e.high}
            for (key, g), e in zip(groups, ests)]
    return pd.DataFrame(rows, columns=[by, "n", "mean", "ci_low", "ci_high"])


def plot_estimates(ax, est: pd.DataFrame, by: str = "outlet", color_by: str | None = "outlet"):
    """Dot-and-whisker of `outlet_estimates` rows: an interval where n >= 2, a hollow point where n = 1.

    Never a bar: a bar of one article looks like a firm average. When every point rests on one value
    the panel says so once (no spread, no test possible) instead of labelling each point n=1.
    """
    est = est.reset_index(drop=True)
    all_single = len(est) > 0 and bool((est["n"] < 2).all())
    colors = [outlet_color(v) for v in est[color_by]] if color_by and color_by in est else [_PALETTE[0]] * len(est)
    rows = pd.DataFrame({"y": range(len(est)), "mean": est["mean"].to_numpy(dtype=float),
                         "low": est["ci_low"].to_numpy(dtype=float), "high": est["ci_high"].to_numpy(dtype=float),
                         "spread": (est["n"] >= 2).to_numpy(), "color": colors})
    for (c, spread), g in rows.groupby(["color", "spread"], sort=False):  # one artist per colour, not per row
        if spread:
            ax.errorbar(g["mean"], g["y"], xerr=[g["mean"] - g["low"], g["high"] - g["mean"]], fmt="o", color=c,
                        capsize=4, markersize=7)
        else:
            ax.plot(g["mean"], g["y"], linestyle="none", marker="o", markersize=7, markerfacecolor="white", color=c)
    for i, r in enumerate(est.itertuples(index=False)) if not all_single else ():
        ax.annotate(f"n={int(r.n)}", (r.mean, i), xytext=(0, 9), textcoords="offset points",
                    ha="center", fontsize=8, color="#555555")
    if all_single:
        ax.text(0.99, 0.01, "one article per point: no spread or test possible", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7, color="#555555")
    ax.set_yticks(range(len(est)))
    ax.set_yticklabels(est[by])
    ax.set_ylim(-0.7, len(est) - 0.3)
    ax.invert_yaxis()
    return ax


def estimate_rows(df: pd.DataFrame, value: str, groups: list[str]) -> pd.DataFrame:
    """Per group: n, mean and 95% bootstrap interval of `value` (`bootstrap_ci`: NaN with one value),
    with an 'a · b' label."""
    cols = ["label", *groups, "n", "mean", "ci_low", "ci_high"]
    keys, values = [], []
    if df is not None and not df.empty:
        for key, g in df.groupby(groups, sort=True):
            vals = g[value].dropna().tolist()
            if vals:
                keys.append(key if isinstance(key, tuple) else (key,))
                values.append(vals)
    rows = [{"label": " · ".join(str(k) for k in key), **dict(zip(groups, key)), "n": len(vals),
             "mean": e.mean, "ci_low": e.low, "ci_high": e.high}
            for key, vals, e in zip(keys, values, bootstrap_cis(values))]
    return pd.DataFrame(rows, columns=cols)


def no_data(ax, what: str) -> None:
    """Say on an empty panel that there is nothing to plot, instead of drawing blank axes."""
    ax.text(0.5, 0.5, f"No {what} in this corpus", ha="center", va="center", transform=ax.transAxes,
            color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
