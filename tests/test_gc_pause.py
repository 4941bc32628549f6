"""The cyclic garbage collector is held off while the tables are built, and given back after."""
from __future__ import annotations

import gc
import pickle

import pandas as pd
import pytest

from presslens import engine, pipeline, study
from presslens.gc_pause import paused

TEXT = '"We will reopen the office," the mayor, Jane Doe, said on Thursday. Doe said more was to come.'


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_turns_the_collector_off_and_back_on_even_after_an_error():
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves the outer one's pause alone
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with paused():
            raise ValueError("boom")
    assert gc.isenabled()


def test_paused_leaves_a_collector_the_caller_turned_off_off():
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def _recording(monkeypatch, module, name):
    seen = []
    real = getattr(module, name)

    def spy(*a, **k):
        seen.append(gc.isenabled())
        return real(*a, **k)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_the_per_article_rules_run_with_the_collector_paused(nlp, monkeypatch):
    seen = _recording(monkeypatch, pipeline, "analyze_doc")
    (rows,) = pipeline.analyze_texts([TEXT], cache=False)
    assert rows["quotes"], "the text has a quote"
    assert seen == [False]
    assert gc.isenabled()
    worker_seen = _recording(monkeypatch, engine, "analyze_batch")
    assert pickle.dumps(engine.analyze_rows([TEXT])) == pickle.dumps([rows])  # NaN-safe equality
    assert worker_seen == [False] and gc.isenabled()


def test_the_study_tables_are_built_with_the_collector_paused(nlp, monkeypatch, tmp_path):
    seen = _recording(monkeypatch, study, "quote_table")
    articles = pd.DataFrame({"article_id": ["a1"], "outlet": ["Outlet A"], "text": [TEXT],
                             "story": ["s"], "date": [pd.Timestamp("2025-01-02")]})
    t = study.tables(articles, cache=False)
    assert len(t.quotes) >= 1
    assert seen == [False]
    assert gc.isenabled()


def test_the_entity_tone_table_is_built_with_the_collector_paused(monkeypatch):
    from presslens import entity_tone

    seen = _recording(monkeypatch, entity_tone, "targeted_entity_tone")
    raw = pd.DataFrame([{"article_id": "a", "outlet": "X", "entity": "Ann Lee", "label": "PERSON",
                         "mention_spans": [[0, 7]], "n_mentions": 1, "n_mentions_quote": 0, "n_words_narration": 2,
                         "valence_narration": 1.5, "n_words_quote": 0, "valence_quote": 0.0,
                         "spans_narration": [[8, 12]], "spans_quote": [], "cues": []}])
    out = entity_tone.entity_sentiment(pd.DataFrame(), None, tone=raw)
    assert list(out["entity"]) == ["Ann Lee"]
    assert seen == [False] and gc.isenabled()

