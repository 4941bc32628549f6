"""Tests for presslens.gender_split: women's share of quotes, quoted words and people mentioned per
outlet, the unknown share, and the chart (PNG, SVG and the plotted numbers)."""
from __future__ import annotations

import pandas as pd
import pytest

from presslens import gender_split
from presslens.gender import FEMALE, MALE, NONBINARY, UNKNOWN


def _mentions(*rows) -> pd.DataFrame:
    cols = ["article_id", "outlet", "entity", "label", "surface", "start", "end", "gender"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


@pytest.fixture
def split():
    m = _mentions(("a1", "X", "Jane Okafor", "PERSON", "Jane Okafor", 0, 11, "female"),
                  ("a1", "X", "Jane Okafor", "PERSON", "Okafor", 20, 26, "female"),
                  ("a1", "X", "Tom Alder", "PERSON", "Tom Alder", 30, 39, "male"),
                  ("a2", "Y", "Ria Lund", "PERSON", "Ria Lund", 0, 8, None))
    q = pd.DataFrame({"article_id": ["a1"] * 3 + ["a2"], "outlet": ["X"] * 3 + ["Y"], "n_words": [10, 30, 5, 4],
                      "speaker_kind": ["person", "person", "organisation", "person"],
                      "speaker_gender": ["female", "male", None, None]})
    return gender_split.gender_shares(q, m)


def test_gender_shares_count_people_once_per_article_and_leave_out_organisations(split):
    s = split[split["group"] == "X"].set_index(["measure", "category"])
    assert s.loc[("quotes", "female"), "share"] == pytest.approx(0.5)
    assert s.loc[("quoted words", "female"), "share"] == pytest.approx(0.25)
    assert s.loc[("people mentioned", "female"), "share"] == pytest.approx(0.5)
    assert s.loc[("people mentioned", "unknown"), "n"] == 0
    assert list(split.columns) == gender_split.SUMMARY_COLUMNS


def test_unknown_share_is_over_the_whole_corpus(split):
    u = gender_split.unknown_share(split).set_index("measure")
    assert u.loc["quotes", "n_unknown"] == 1 and u.loc["quotes", "total"] == 3
    assert u.loc["people mentioned", "share_unknown"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("values, expected", [
    (["female"], [FEMALE, MALE, UNKNOWN]),
    (["male", NONBINARY, None], [FEMALE, MALE, NONBINARY, UNKNOWN]),
])
def test_every_split_has_the_same_categories_in_order(values, expected):
    assert gender_split.gender_categories(values) == expected


@pytest.mark.parametrize("empty", [False, True])
def test_the_chart_writes_png_svg_and_the_plotted_numbers(split, empty, tmp_path):
    import matplotlib.pyplot as plt

    table = split.iloc[0:0] if empty else split
    fig, data = gender_split.plot_gender_shares(table, "06-gender-shares", tmp_path)
    plt.close("all")
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / f"06-gender-shares.{ext}").stat().st_size > 0
    assert len(pd.read_csv(tmp_path / "06-gender-shares.csv")) == len(data) == len(table)
