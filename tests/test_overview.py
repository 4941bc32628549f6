"""Corpus overview tables, figures, and notebook 00 executed end to end on the shipped corpus."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from presslens import overview, paths
from presslens.furniture import rules_for
from presslens.loader import load_corpus_report


@pytest.fixture(scope="module")
def corpus():
    return load_corpus_report(paths.CORPUS_DIR)


def test_coverage_table(corpus):
    cov = overview.coverage_table(corpus[0])
    assert list(cov.columns) == overview.COVERAGE_COLUMNS
    assert cov.set_index("outlet")["articles"].to_dict() == {"CBS News": 1, "Fox News": 1}
    assert cov["words"].sum() == corpus[0]["n_words"].sum()


def test_furniture_table_traces_to_raw(corpus):
    articles = corpus[0]
    f = overview.furniture_table(articles)
    assert list(f.columns) == overview.FURNITURE_COLUMNS
    assert len(f) == articles["furniture"].map(len).sum() > 0     # both seeds carry some furniture
    raw = articles.set_index("article_id")["raw_text"]
    for r in f.itertuples():
        assert raw[r.article_id][r.start:r.end] == r.text
        # every row names a rule of data/furniture.yaml that applies to its outlet
        assert r.rule in {rule.name for rule in rules_for(r.outlet)}, r.rule


def test_select_story(corpus):
    assert len(overview.select_story(corpus[0], "us-venezuela-relations")) == 2
    with pytest.raises(ValueError, match="not in the corpus"):
        overview.select_story(corpus[0], "no-such-story")


def test_problems_summary_never_empty():
    empty = pd.DataFrame(columns=["path", "problem", "action"])
    assert "no file was skipped" in overview.problems_summary(empty)["problem"].iloc[0]


def test_figures_write_png_svg_csv(corpus, tmp_path):
    import matplotlib.pyplot as plt

    for plot, slug in ((overview.plot_articles_per_outlet, "00-articles-per-outlet"),
                       (overview.plot_words_per_article, "00-words-per-article")):
        fig, data = plot(corpus[0], slug, tmp_path)
        plt.close(fig)
        for ext in ("png", "svg", "csv"):
            assert (tmp_path / f"{slug}.{ext}").stat().st_size > 0
        assert len(pd.read_csv(tmp_path / f"{slug}.csv")) == len(data) > 0
    words = pd.read_csv(tmp_path / "00-words-per-article.csv")
    assert sorted(words["n_words"]) == sorted(corpus[0]["n_words"])
    per_outlet = pd.read_csv(tmp_path / "00-articles-per-outlet.csv")
    assert per_outlet.set_index("outlet")["articles"].to_dict() == {"CBS News": 1, "Fox News": 1}


def test_words_per_article_labels_dots_only_when_few(tmp_path):
    import matplotlib.pyplot as plt

    few = overview.LABELLED_DOTS
    rows = [{"article_id": f"a{i}", "outlet": "Few Daily", "date": "2026-01-01", "n_words": 100 + i}
            for i in range(few)]
    rows += [{"article_id": f"b{i}", "outlet": "Many Post", "date": "2026-01-01", "n_words": 500 + i}
             for i in range(few + 1)]
    fig, data = overview.plot_words_per_article(pd.DataFrame(rows), "00-words-per-article", tmp_path)
    labels = sorted(int(t.get_text().replace(",", "")) for t in fig.axes[0].texts)
    plt.close(fig)
    assert labels == list(range(100, 100 + few))  # the outlet with more dots than that is left unlabelled
    assert len(data) == 2 * few + 1


@pytest.mark.slow
def test_notebook_00_runs_on_the_shipped_corpus(run_notebook):
    fig, out = run_notebook("00-corpus-overview.ipynb")
    nb = json.loads(out.read_text())
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    for slug in ("00-articles-per-outlet", "00-words-per-article", "00-shared-text"):
        assert (fig / f"{slug}.png").exists()
    shared = pd.read_csv(fig / "00-shared-text.csv")
    assert (shared["share_pct"] > 0).all()  # the State Department statement is in both seeds


def test_a_missing_title_is_said_in_words(seeds):
    listed = overview.article_list(seeds)
    assert not listed["title"].isna().any()
    assert set(listed["title"]) == {overview.NO_TITLE}  # neither seed states a title
    assert "None" not in listed["title"].astype(str).tolist()
