"""Tests for `benchmarks/bench.py --scale`: one line per N in the agreed format, and aggregates over the
store equal to the pandas summaries of the same rows built in memory (`pl.tables`)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench  # noqa: E402

LINE = re.compile(r"^scale N=(\d+) build_s=(\d+\.\d) peak_rss_mb=(\d+) report_s=(\d+\.\d\d) store_mb=(\d+\.\d)"
                  r" report_cold_s=\d+\.\d\d write_s=\d+\.\d workers_peak_rss_mb=\d+$")


def test_synthetic_stories_spread_articles_over_outlets_stories_and_the_year():
    src = {"texts": ["One text.", "Another text."], "n_words": [2, 2], "rows": [{}, {}]}
    stories = list(bench.scale_stories(250, src, per_story=100))
    assert [len(a) for a, _ in stories] == [100, 100, 50]
    arts = stories[2][0]
    assert arts["article_id"].iloc[0] == "a0000200" and arts["story"].iloc[0] == "story-0002"
    assert arts["text"].iloc[1] == "Another text. [201]"  # source 201 mod 2, a new key, offsets unchanged
    assert arts["outlet"].iloc[0] == "Outlet 000" and stories[0][0]["outlet"].nunique() == 100
    assert str(stories[0][0]["date"].min().date()) == "2026-01-01" and arts["date"].max().year == 2026
    assert stories[2][1][:3] == [0, 1, 0]


def test_scale_measure_prints_its_line_and_the_aggregates_equal_pl_tables(capsys):
    bench.main(["--scale", "120", "--scale-sources", "4", "--per-story", "40", "--check"])
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("scale N=")]
    assert len(lines) == 2, lines
    m = LINE.match(lines[0])
    assert m, lines[0]
    assert int(m.group(1)) == 120 and float(m.group(2)) > 0 and 50 < int(m.group(3)) < 4000
    assert float(m.group(5)) > 0
    checks = dict(kv.split("=") for kv in lines[1].split()[3:])
    assert set(checks) == {"coverage", "mention_rates", "top_entities", "share_of_voice", "speaker_type_shares",
                           "article_tone", "tone_shares", "readability_summary", "gender_shares"}
    assert set(checks.values()) == {"equal"}, checks
