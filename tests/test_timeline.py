"""Coverage over time: per-day counts, who named an entity first, a one-day corpus said in words."""
from __future__ import annotations

import pandas as pd

from presslens import timeline as T


def _corpus():
    arts = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a4"], "outlet": ["X", "Y", "X", "Z"],
                         "date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-03", None]),
                         "text": [""] * 4})
    m = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a3", "a2", "a4"],
                      "outlet": ["X", "Y", "X", "X", "Y", "Z"],
                      "entity": ["Ann Lee", "Ann Lee", "Ann Lee", "City Council", "City Council", "Bo Kim"],
                      "label": ["PERSON", "PERSON", "PERSON", "ORG", "ORG", "PERSON"],
                      "surface": ["Ann Lee", "Lee", "Lee", "the council", "City Council", "Kim"],
                      "start": [5, 9, 0, 40, 3, 0], "end": [12, 12, 3, 51, 15, 3]})
    q = pd.DataFrame({"article_id": ["a1", "a1", "a3"]})
    return arts, m, q


def test_daily_counts():
    arts, _, q = _corpus()
    d = T.daily_counts(arts, q)
    assert d[["outlet", "n_articles", "n_quotes"]].values.tolist() == [["X", 1, 2], ["Y", 1, 0], ["X", 1, 1]]


def test_first_named_lists_every_outlet_of_the_first_day():
    arts, m, _ = _corpus()
    f = T.first_named(m, arts).set_index("entity")
    assert f.loc["Ann Lee", "first_outlets"] == "X, Y"
    assert f.loc["Ann Lee", "article_id"] == "a1" and f.loc["Ann Lee", "start"] == 5
    assert f.loc["City Council", "first_outlets"] == "Y"
    assert str(f.loc["City Council", "first_date"].date()) == "2025-01-01"


def test_entity_mentions_per_day_fill_missing_days_with_zero():
    arts, m, _ = _corpus()
    d = T.entity_mentions_per_day(m, arts)
    lee = d[d["entity"] == "Ann Lee"]["n_mentions"].tolist()
    assert lee == [2, 1]
    council = d[d["entity"] == "City Council"]["n_mentions"].tolist()
    assert council == [1, 1]


def test_coverage_note():
    arts, _, _ = _corpus()
    assert T.coverage_note(arts).startswith("The corpus spans 2 publication days, 2025-01-01 to 2025-01-03")
    assert "1 article(s) without a date" in T.coverage_note(arts)
    one = arts.iloc[:2]
    assert T.coverage_note(one).startswith("All 2 dated articles are from one day (2025-01-01)")
    assert T.n_days(one) == 1


def test_one_day_corpus_plots_say_so(tmp_path):
    arts, m, q = _corpus()
    one = arts.iloc[:2]
    fig, data = T.plot_daily_counts(T.daily_counts(one, q), "06-articles-per-day", tmp_path)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert T.ONE_DAY in texts and len(data) == 2
    fig, data = T.plot_entity_timeline(T.entity_mentions_per_day(m, arts), "06-entities-per-day", tmp_path)
    assert not fig.axes[0].texts and (tmp_path / "06-entities-per-day.csv").is_file()


def test_seed_corpus_is_one_day(seeds):
    assert T.n_days(seeds) == 1
    assert "one day" in T.coverage_note(seeds)
