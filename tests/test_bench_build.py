"""Tests for the build `benchmarks/bench.py` times: the study's tables as `presslens report` builds them,
the per-article pass run once."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench  # noqa: E402

from presslens import pipeline, study  # noqa: E402

TEXTS = ['"We will reopen the office," the mayor, Jane Doe, said on Thursday.',
         "The city council met on Friday. Council member John Roe said the vote would wait."]


def test_the_build_parses_once_and_gives_the_study_tables(nlp, monkeypatch, tmp_path):
    articles = pd.DataFrame({"article_id": ["a1", "a2"], "outlet": ["Outlet A", "Outlet B"], "text": TEXTS,
                             "story": "s", "date": pd.Timestamp("2025-01-02")})
    calls = []
    real = pipeline.analyze_texts

    def counted(*a, **k):
        calls.append(len(a[0]))
        return real(*a, **k)

    monkeypatch.setattr(pipeline, "analyze_texts", counted)
    timings: dict = {}
    got = bench.build_tables(articles, timings=timings)
    assert calls == [2], "one per-article pass over the two articles, not a second one to read them back"
    assert 0 < timings["analyze_s"]
    want = study.tables(articles)
    for name in ("mentions", "quotes", "sentences", "readability"):
        pd.testing.assert_frame_equal(got[name], getattr(want, name))
    assert len(got["quotes"]) >= 1
