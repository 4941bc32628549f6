"""Category shares with article-cluster bootstrap intervals."""
from __future__ import annotations

import pandas as pd
import pytest

from presslens.shares import SHARE_COLUMNS, category_shares


def test_shares_counts_weights_and_intervals():
    df = pd.DataFrame({"outlet": ["X"] * 4 + ["Y"], "article_id": ["a1", "a1", "a2", "a3", "b1"],
                       "g": ["f", "m", "m", "f", "f"], "w": [10, 10, 20, 60, 5]})
    s = category_shares(df, "outlet", "g", categories=["f", "m", "unknown"])
    assert list(s.columns) == SHARE_COLUMNS
    x = s.set_index(["group", "category"])
    assert x.loc[("X", "f"), "share"] == pytest.approx(0.5) and x.loc[("X", "f"), "n_articles"] == 3
    assert x.loc[("X", "unknown"), "n"] == 0
    assert 0 <= x.loc[("X", "f"), "ci_low"] <= 0.5 <= x.loc[("X", "f"), "ci_high"] <= 1
    assert x.loc[("X", "f"), "ci_low"] < x.loc[("X", "f"), "ci_high"]
    assert x.loc[("Y", "f"), "ci_low"] == x.loc[("Y", "f"), "ci_high"] == 1.0  # one article: no interval
    w = category_shares(df, "outlet", "g", weight="w").set_index(["group", "category"])
    assert w.loc[("X", "f"), "share"] == pytest.approx(70 / 100)
    assert category_shares(df.iloc[0:0], "outlet", "g").empty


def test_missing_category_counts_as_unknown_and_is_reproducible():
    df = pd.DataFrame({"outlet": ["X"] * 3, "article_id": ["a1", "a2", "a3"], "g": ["f", None, "m"]})
    a = category_shares(df, "outlet", "g")
    assert "unknown" in set(a["category"])
    pd.testing.assert_frame_equal(a, category_shares(df, "outlet", "g"))
