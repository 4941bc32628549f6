"""Tests for presslens.figures: the bootstrap intervals, distinct outlet colours, the source line drawn on every
saved figure, alt text, and the PNG/SVG/CSV written per figure."""
from __future__ import annotations

import base64
import itertools
from io import BytesIO

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from presslens import figures as F


def lab(hex_color: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour, for CIE76 colour differences."""
    rgb = np.array(to_rgb(hex_color))
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str) -> float:
    return float(np.linalg.norm(lab(a) - lab(b)))


@pytest.fixture(autouse=True)
def fresh_state():
    saved = dict(F._STATE)
    F._STATE.update(source=None, colors={})
    yield
    F._STATE.clear()
    F._STATE.update(saved)


# --- bootstrap_ci / outlet_estimates ------------------------------------------------------------------

def test_bootstrap_ci_brackets_the_mean_and_matches_the_normal_approximation():
    rng = np.random.default_rng(1)
    x = rng.normal(10.0, 2.0, size=400)
    m, lo, hi = F.bootstrap_ci(x, n_boot=4000, seed=3)
    assert m == pytest.approx(x.mean())
    se = x.std(ddof=1) / np.sqrt(len(x))
    assert lo < m < hi
    assert (hi - lo) == pytest.approx(2 * 1.96 * se, rel=0.1)   # percentile interval ~ mean +/- 1.96 se


@pytest.mark.parametrize("values,expected", [
    ([], (None, None, None)),
    ([float("nan")], (None, None, None)),
    ([3.0], (3.0, float("nan"), float("nan"))),
    ([3.0, float("nan")], (3.0, float("nan"), float("nan"))),
    ([2.0, 2.0, 2.0], (2.0, 2.0, 2.0)),
])
def test_bootstrap_ci_edge_cases(values, expected):
    got = F.bootstrap_ci(values)
    if expected[0] is None:
        assert all(v != v for v in got)
    else:
        assert got == pytest.approx(expected, nan_ok=True)


def test_bootstrap_ci_is_reproducible_and_level_widens_it():
    x = [1, 5, 2, 8, 3, 9, 4]
    assert F.bootstrap_ci(x, seed=7) == F.bootstrap_ci(x, seed=7)
    _, lo80, hi80 = F.bootstrap_ci(x, level=0.80)
    _, lo99, hi99 = F.bootstrap_ci(x, level=0.99)
    assert lo99 < lo80 < hi80 < hi99
    assert min(x) <= lo99 and hi99 <= max(x)


def test_outlet_estimates_one_row_per_outlet_with_counts():
    df = pd.DataFrame({"outlet": ["B", "A", "A", "A", "B", "C"], "v": [1.0, 2.0, 4.0, 6.0, float("nan"), 5.0]})
    est = F.outlet_estimates(df, "v")
    assert est["outlet"].tolist() == ["A", "B", "C"]
    assert est["n"].tolist() == [3, 1, 1]
    assert est["mean"].tolist() == pytest.approx([4.0, 1.0, 5.0])
    a = est.iloc[0]
    assert 2.0 <= a["ci_low"] < 4.0 < a["ci_high"] <= 6.0
    assert all(v != v for v in est.iloc[1][["ci_low", "ci_high"]])   # n=1: no spread, no interval


# --- colours -----------------------------------------------------------------------------------------

def test_palette_colours_are_all_clearly_different():
    worst = min(delta_e(a, b) for a, b in itertools.combinations(F.PALETTE, 2))
    assert worst > 15
    assert len(set(F.PALETTE)) == len(F.PALETTE) >= 20


def test_registered_outlets_get_distinct_stable_colours():
    outlets = [f"Outlet {i}" for i in range(20)] + ["Reuters", "CNN", "Fox News", "BBC News", "The Guardian"]
    colors = F.register_outlets(outlets)
    assert len(set(colors.values())) == len(outlets)
    assert F.register_outlets(list(reversed(outlets))) == colors      # order of arrival does not matter
    assert F.outlet_color("Outlet 3") == colors["Outlet 3"]


def test_known_outlets_never_share_a_colour():
    from presslens.outlets import known_outlets

    names = [r["name"] for r in known_outlets()]
    assert len({F.outlet_color(n) for n in names}) == len(names)


def test_outlet_colors_are_distinct_within_a_figure_even_when_hashes_collide():
    names = [f"Local Paper {i}" for i in range(40)]
    pair = next((a, b) for a, b in itertools.combinations(names, 2) if F.outlet_color(a) == F.outlet_color(b))
    colors = F.outlet_colors(pair)
    assert colors[pair[0]] != colors[pair[1]]


# --- source line, alt text, files --------------------------------------------------------------------

def articles():
    return pd.DataFrame({"outlet": ["CNN", "Reuters", "CNN"],
                         "date": pd.to_datetime(["2026-02-11", "2026-02-13", None])})


def test_source_line_names_corpus_outlets_count_and_dates():
    line = F.source_line(articles(), corpus_name="lead-pipes")
    assert line == ("Source: presslens, corpus lead-pipes: 3 articles from 2 outlets (CNN, Reuters), "
                    "2026-02-11 to 2026-02-13.")
    many = pd.DataFrame({"outlet": [f"O{i}" for i in range(9)], "date": [None] * 9})
    assert "and 3 more" in F.source_line(many, "x") and "undated" in F.source_line(many, "x")


def test_saved_figure_carries_the_source_line_and_alt_text(tmp_path):
    fig, ax = F.new_figure("Quotes per outlet", "quotes per article", None)
    ax.barh([0, 1], [3, 5])
    ax.set_yticks([0, 1], ["CNN", "Reuters"])
    paths = F.save_figure(fig, "02-quotes-per-outlet", pd.DataFrame({"outlet": ["CNN", "Reuters"], "n": [3, 5]}),
                          tmp_path, source=articles())
    assert sorted(p.suffix for p in paths.values()) == [".csv", ".png", ".svg"]
    assert "2 outlets (CNN, Reuters)" in paths["svg"].read_text(encoding="utf8")
    src = [t for t in fig.texts if t.get_gid() == F.SOURCE_GID]
    assert len(src) == 1
    # drawn under the axes, not over them
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    assert src[0].get_window_extent(renderer).y1 <= ax.xaxis.label.get_window_extent(renderer).y0
    alt = F.figure_alt(fig)
    assert alt.startswith("Quotes per outlet. x axis: quotes per article; rows: CNN, Reuters. Source: presslens")
    F.save_figure(fig, "02-quotes-per-outlet", pd.DataFrame(), tmp_path, source="Source: elsewhere.")
    assert [t.get_text() for t in fig.texts if t.get_gid() == F.SOURCE_GID] == ["Source: elsewhere."]


def test_set_source_and_the_report_environment_feed_save_figure(tmp_path, monkeypatch):
    fig, _ = F.new_figure("T")
    monkeypatch.setenv(F.SOURCE_ENV, "Source: from the report.")
    F.save_figure(fig, "00-t", pd.DataFrame(), tmp_path)
    assert [t.get_text() for t in fig.texts if t.get_gid() == F.SOURCE_GID] == ["Source: from the report."]
    F.set_source(articles(), "c")
    F.save_figure(fig, "00-t", pd.DataFrame(), tmp_path)
    assert "corpus c: 3 articles" in [t.get_text() for t in fig.texts if t.get_gid() == F.SOURCE_GID][0]


def test_save_figure_refuses_bad_names_and_data(tmp_path):
    fig, _ = F.new_figure("T")
    with pytest.raises(ValueError, match="must look like"):
        F.save_figure(fig, "Quotes", pd.DataFrame(), tmp_path)
    with pytest.raises(TypeError, match="DataFrame"):
        F.save_figure(fig, "00-t", [1, 2], tmp_path)


# --- the same numbers as the one-group-at-a-time bootstrap ---------------------------------------------

def bootstrap_ci_one_at_a_time(values, n_boot=2000, level=0.95, seed=0):
    """The implementation `bootstrap_cis` replaced, kept here as the reference: one generator per group."""
    x = np.asarray([v for v in values if v == v], dtype=float)
    if len(x) == 0:
        return (float("nan"),) * 3
    m = float(x.mean())
    if len(x) < 2:
        return m, float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = rng.choice(x, size=(n_boot, len(x)), replace=True).mean(axis=1)
    a = (1 - level) / 2
    return m, float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def same(a, b) -> bool:
    """Equal to the last bit, NaN equal to NaN."""
    return all((x != x and y != y) or x == y for x, y in zip(a, b))


def random_groups(seed: int, sizes) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    groups = []
    for n in sizes:
        g = list(rng.gamma(1.0, 3.0, size=n))
        if n % 3 == 0:
            g = [round(v) for v in g]          # ties, as counts per article have
        if n % 4 == 1 and n:
            g[0] = float("nan")               # a missing value is dropped first
        groups.append(g)
    return groups


@pytest.mark.parametrize("n_boot,level,seed", [(2000, 0.95, 0), (500, 0.8, 7), (1000, 0.99, 123)])
def test_bootstrap_cis_gives_the_one_at_a_time_numbers_to_the_last_bit(n_boot, level, seed, monkeypatch):
    sizes = [0, 1, 2, 2, 3, 5, 5, 5, 12, 17, 37, 37, 64, 100, 301]
    groups = random_groups(seed, sizes)
    monkeypatch.setattr(F, "BOOTSTRAP_CELLS", 3 * n_boot * 37)  # groups of one size split into several chunks
    got = F.bootstrap_cis(groups, n_boot=n_boot, level=level, seed=seed)
    want = [bootstrap_ci_one_at_a_time(g, n_boot, level, seed) for g in groups]
    assert len(got) == len(groups)
    assert [same(g, w) for g, w in zip(got, want)] == [True] * len(groups)
    assert all(same(F.bootstrap_ci(g, n_boot, level, seed), w) for g, w in zip(groups, want))
    assert isinstance(got[-1], F.Estimate) and got[-1].mean == got[-1][0]


def test_estimate_tables_give_the_one_at_a_time_numbers():
    groups = random_groups(5, [1, 4, 4, 9, 30])
    df = pd.DataFrame([{"outlet": f"O{k}", "voice": v, "x": x} for k, g in enumerate(groups)
                       for j, x in enumerate(g) for v in ["narration" if j % 2 else "quote"]])
    est = F.outlet_estimates(df, "x")
    for r in est.itertuples():
        want = bootstrap_ci_one_at_a_time(df.loc[df["outlet"] == r.outlet, "x"].tolist())
        assert same((r.mean, r.ci_low, r.ci_high), want)
    rows = F.estimate_rows(df, "x", ["outlet", "voice"])
    for r in rows.itertuples():
        vals = df.loc[(df["outlet"] == r.outlet) & (df["voice"] == r.voice), "x"].dropna().tolist()
        assert r.n == len(vals) and same((r.mean, r.ci_low, r.ci_high), bootstrap_ci_one_at_a_time(vals))


def test_outlet_estimates_top_keeps_the_rows_of_the_full_table():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"entity": [f"e{k % 40:02d}" for k in range(400)], "v": rng.poisson(2.0, 400) / 3})
    df.loc[df["entity"] == "e07", "v"] = float("nan")  # a group with no value sorts last
    full = F.outlet_estimates(df, "v", by="entity").sort_values(["mean", "entity"], ascending=[False, True])
    for top in (1, 10, 40, 50):
        got = F.outlet_estimates(df, "v", by="entity", top=top).sort_values(["mean", "entity"],
                                                                          ascending=[False, True])
        pd.testing.assert_frame_equal(got.reset_index(drop=True), full.head(top).reset_index(drop=True))


# --- each figure drawn once per format; the inline display reuses the saved PNG ------------------------

def _pixels(png: bytes) -> tuple:
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(png)) as im:
        return im.mode, im.size, im.tobytes()


def test_the_saved_png_is_what_the_notebook_display_draws(tmp_path):
    from functools import partial

    from IPython.core.pylabtools import print_figure

    fig, ax = F.new_figure("Quotes per outlet", "quotes per article", None)
    ax.barh([0, 1], [3, 5])
    ax.set_yticks([0, 1], ["CNN", "Reuters"])
    written = F.save_figure(fig, "02-quotes-per-outlet", pd.DataFrame({"n": [3, 5]}), tmp_path,
                            source=articles())
    png = written["png"].read_bytes()
    assert png.startswith(b"\x89PNG") and written["svg"].read_text(encoding="utf8").lstrip().startswith("<?xml")
    inline = partial(print_figure, fmt="png", base64=True, bbox_inches="tight")  # IPython's own formatter
    assert F.saved_png(fig, inline) == base64.b64encode(png).decode("ascii")
    assert F.saved_png(fig, partial(print_figure, fmt="png")) == png
    assert F.saved_png(fig, partial(print_figure, fmt="retina", base64=True)) is None  # another image
    assert F.saved_png(fig, lambda f: b"") is None                                      # another printer
    again = print_figure(fig, "png", bbox_inches="tight")           # drawing it again gives the same image
    assert _pixels(again) == _pixels(png) and _pixels(png)[0] == "RGBA"   # (encoded at another zlib level)
    F.save_figure(fig, "02-quotes-per-outlet", pd.DataFrame({"n": [3, 5]}), tmp_path, source=articles())
    assert F.saved_png(fig, inline) is not None
    ax.set_title("changed after saving")
    fig.canvas.draw()  # Jupyter redraws a changed figure before showing it, which clears its `stale` flag
    assert not fig.stale and F.saved_png(fig, inline) is None       # a changed figure is drawn again


def test_the_saved_svg_is_cropped_like_savefig_tight(tmp_path):
    import re

    fig, ax = F.new_figure("Quotes per outlet", "quotes per article", None)
    ax.barh(range(8), range(1, 9))
    ax.set_yticks(range(8), [f"An outlet with a long name {i}" for i in range(8)])
    written = F.save_figure(fig, "02-quotes-per-outlet", pd.DataFrame({"n": range(8)}), tmp_path,
                            source=articles())
    size = re.compile(r'width="([\d.]+)pt" height="([\d.]+)pt"')
    ours = [float(v) for v in size.search(written["svg"].read_text(encoding="utf8")).groups()]
    buf = BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    theirs = [float(v) for v in size.search(buf.getvalue().decode("utf8")).groups()]
    assert ours == pytest.approx(theirs, abs=2.0)  # within 2 pt of savefig's own box: nothing cut off
    assert "An outlet with a long name 7" in written["svg"].read_text(encoding="utf8")


def test_plot_estimates_draws_each_row_at_its_place_with_its_whisker():
    import matplotlib.pyplot as plt
    from matplotlib.container import ErrorbarContainer

    est = pd.DataFrame({"outlet": ["CNN", "Reuters", "CNN", "Reuters"], "n": [3, 1, 5, 2],
                        "mean": [1.0, 2.0, 3.0, 4.0], "ci_low": [0.5, np.nan, 2.5, 3.0],
                        "ci_high": [1.5, np.nan, 3.5, 6.0]})
    fig, ax = plt.subplots()
    F.plot_estimates(ax, est)
    points = {}
    for c in ax.containers:
        assert isinstance(c, ErrorbarContainer)
        line, _, (bars,) = c
        for (x, y), seg in zip(line.get_xydata(), bars.get_segments()):
            points[int(y)] = (x, "whisker", (seg[0][0], seg[1][0]))
    hollow = [ln for ln in ax.lines if ln.get_markerfacecolor() == "white"]
    for ln in hollow:
        for x, y in ln.get_xydata():
            points[int(y)] = (x, "hollow", None)
    assert points == {0: (1.0, "whisker", (0.5, 1.5)), 1: (2.0, "hollow", None),
                      2: (3.0, "whisker", (2.5, 3.5)), 3: (4.0, "whisker", (3.0, 6.0))}
    colors = {int(y): to_rgb(c[0].get_color()) for c in ax.containers for _, y in c[0].get_xydata()}
    assert colors[0] == colors[2] == to_rgb(F.outlet_color("CNN")) != colors[3]
    assert sorted(t.get_text() for t in ax.texts) == ["n=1", "n=2", "n=3", "n=5"]
    plt.close(fig)


def test_a_long_source_line_is_wrapped_once_to_the_figure_width(tmp_path):
    """The source line breaks where matplotlib's own wrapping would: each line the most words that fit between
    the line's left edge and the figure's right edge; every word kept, in order; and it stays put when drawn."""
    words = ("Source: presslens, corpus city-budget: 1,204 articles from 23 outlets (Alpha Daily, Beta Wire, "
             "Gamma News, Delta Post, Epsilon Times, Zeta Herald and 17 more), 2019-01-01 to 2026-12-31; "
             "a-very-long-unbreakable-hyphenated-token-that-is-wider-than-any-narrow-figure-can-hold.").split(" ")
    for width in (2.5, 5.0, 8.0, 14.0):
        fig, _ = F.new_figure("T", figsize=(width, 3))
        F.save_figure(fig, "00-t", pd.DataFrame(), tmp_path, source=" ".join(words))
        text = next(t for t in fig.texts if t.get_gid() == F.SOURCE_GID)
        lines = text.get_text().split("\n")
        assert " ".join(lines).split(" ") == words
        renderer = fig.canvas.get_renderer()
        limit = fig.bbox.x1 - text.get_transform().transform(text.get_position())[0]

        def width_of(s):
            return renderer.get_text_width_height_descent(s, text.get_fontproperties(), ismath=False)[0]

        for i, line in enumerate(lines):
            assert len(line.split(" ")) == 1 or width_of(line) <= limit  # fits (a lone word may not)
            if i + 1 < len(lines):  # and could not take the next line's first word
                assert width_of(line + " " + lines[i + 1].split(" ")[0]) > limit
        assert len(lines) > 1 if width < 14 else len(lines) >= 1
        before = text.get_text()
        fig.draw_without_rendering()
        assert text.get_text() == before and not text.get_wrap()
        assert "corpus city-budget: 1,204 articles" in F.figure_alt(fig)  # the alt text reads it as one line
