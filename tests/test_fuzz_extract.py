"""Property-based fuzzing of the per-article layer and the study's tables: any text gives rows whose
offsets are consistent with the text, and no exception escapes."""
from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presslens import pipeline, study

# Pieces news text is made of, and the odd ones that broke earlier versions: quotation marks of every
# style, glued nicknames, datelines, credits, single and blank lines, a lone surrogate, a title line.
PIECES = ['"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", "''", " said ", " told ",
          "Jane Roe", "Robert\"Bobby\"Scott", "Mr. Doe", "she", "He", "the ministry", "WASHINGTON (Reuters) - ",
          "Photo: A. Person/Agency", "\n", "\n\n", ". ", ", ", ": ", "?", "!", " \u2014 ", "U.S.",
          "according to", "Acme Corp.", "\ud800", "A.", "Word-", "Breaking News In The City", "\t", " "]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check_span(text: str, start, end, surface=None):
    assert 0 <= int(start) <= int(end) <= len(text)
    if surface is not None:
        assert text[int(start):int(end)] == surface


@SETTINGS
@given(TEXTS)
def test_rows_have_offsets_consistent_with_the_text(text):
    (rows,) = pipeline.analyze_texts([text], cache=False)
    safe = pipeline._safe_texts([text])[0]  # what was parsed: lone surrogates replaced, same length
    assert len(safe) == len(text)
    for q in rows["quotes"]:
        _check_span(safe, q["start"], q["end"], q["quote"])
        if q["speaker_start"] is not None:
            _check_span(safe, q["speaker_start"], q["speaker_end"])
    for m in rows["mentions"]:
        _check_span(safe, m["start"], m["end"], m["surface"])
    for s in rows["sentences"]:
        _check_span(safe, s["start"], s["end"], s["text"])
        assert -1.0 <= s["compound"] <= 1.0
    for n in rows["narration"]:
        _check_span(safe, n["start"], n["end"])
    assert len(rows["readability"]) == 1


@SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=3))
def test_the_study_tables_build_on_any_texts(texts):
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                             "outlet": ["Outlet A", "Outlet B", "Outlet A"][:len(texts)], "text": texts})
    t = study.tables(articles, cache=False)
    assert len(t.readability) == len(texts)
    for name in ("mentions", "quotes", "sentences", "narration"):
        df = getattr(t, name)
        assert set(df["article_id"]) <= set(articles["article_id"])
        assert (df["start"].astype(int) <= df["end"].astype(int)).all()


def test_a_nickname_glued_between_names_and_a_lone_surrogate_do_not_break_the_tables():
    texts = ['Rep. Robert"Bobby"Scott said the plan "will not pass the House this year."\n\nScott left.',
             "The minister said \ud800 the talks \"would resume next week in the capital.\""]
    articles = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["Outlet A", "Outlet B"], "text": texts})
    t = study.tables(articles, cache=False)
    assert len(t.readability) == 2
    q = t.quotes.set_index("article_id")
    assert "will not pass" in q.loc["a", "quote"] and "would resume" in q.loc["b", "quote"]
