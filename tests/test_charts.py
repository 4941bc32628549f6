"""What a first-day user saw wrong on the charts: panels that hid the highest values, figures too wide,
legends over the data, unreadable numbers on dark cells."""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from presslens import entities

matplotlib.use("Agg")  # tests only: the notebooks keep their own backend


def _rates(n_outlets: int) -> pd.DataFrame:
    """Mentions per 1,000 words for one entity per outlet, the highest value in the LAST outlet."""
    rows = []
    for k in range(n_outlets):
        for art in range(2):
            rows.append({"article_id": f"o{k}a{art}", "outlet": f"Outlet {k}", "entity": f"Person {k}",
                         "label": "PERSON", "n_mentions": 1 + k, "n_words": 1000, "per_1000_words": 1.0 + 10 * k + art})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n_outlets", [1, 2, 5])
def test_every_panel_shows_its_highest_value(tmp_path, n_outlets):
    fig, est = entities.plot_top_entities(_rates(n_outlets), "01-test-top", tmp_path)
    high = float(np.nanmax(est[["mean", "ci_high"]].to_numpy(dtype=float)))
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == n_outlets
    for ax in visible:
        lo, hi = ax.get_xlim()
        assert lo == 0 and hi >= high  # no panel cuts a value another panel draws


def test_a_figure_of_many_outlets_wraps_instead_of_growing_wider(tmp_path):
    fig, _ = entities.plot_top_entities(_rates(5), "01-test-wide", tmp_path)
    assert fig.get_size_inches()[0] <= 4.2 * entities.PANELS_PER_ROW + 1


def test_legends_sit_outside_the_data(tmp_path):
    rates = pd.DataFrame({"outlet": ["A", "B", "A", "B"], "entity": ["X", "X", "Y", "Y"], "label": "PERSON",
                          "n_articles": [1, 2, 1, 1], "n_outlet_articles": [1, 2, 1, 2],
                          "share_of_articles": [1.0, 1.0, 1.0, 0.5]})
    fig, _ = entities.plot_share_of_articles(rates, "01-test-share", tmp_path)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1 - 1  # right of the plotting area, never over a dot


def test_numbers_on_dark_heatmap_cells_are_white(tmp_path):
    pairs = pd.DataFrame({"entity_a": ["A", "A"], "entity_b": ["B", "C"], "n_sentences": [10, 1],
                          "n_articles": [1, 1], "n_outlets": [1, 1], "outlets": ["O", "O"]})
    fig, _ = entities.plot_cooccurrence(pairs, "01-test-heat", tmp_path)
    colours = {t.get_text(): t.get_color() for t in fig.axes[0].texts}
    assert colours["10"] == "white" and colours["1"] == "black"
