"""Engines of the per-article analysis: worker processes and Dask give the local tables, re-runs parse only what is new."""
from __future__ import annotations

import pickle

import pandas as pd
import pytest

from presslens import paths, pipeline

SMALL_TEXTS = {
    "quote": '"We will reopen the embassy," Secretary of State Marco Rubio said on Thursday.',
    "two_paragraphs": "Nicolás Maduro was deposed in January.\n\nThe State Department said talks would go on.",
    "no_entities": "it rained. then it stopped.",
    "empty": "",
    "none": None,
}


@pytest.fixture(scope="session")
def seed_articles():
    """The shipped seed articles (CBS News, Fox News) plus small texts, as an articles table."""
    from presslens.loader import load_corpus

    seeds = load_corpus(paths.CORPUS_DIR)[["article_id", "outlet", "text"]]
    assert len(seeds) >= 2
    small = pd.DataFrame({"article_id": [f"small-{k}" for k in SMALL_TEXTS], "outlet": "Test Outlet",
                          "text": list(SMALL_TEXTS.values())})
    return pd.concat([seeds, small], ignore_index=True)


@pytest.fixture(scope="session")
def local_tables(nlp, seed_articles):
    """The reference: every table from one process, no cache."""
    return pipeline.analyze(seed_articles, cache=False, engine="local", n_process=1)


def _assert_same(got: dict, want: dict):
    assert set(got) == set(want) == set(pipeline.TABLES)
    for t in pipeline.TABLES:
        pd.testing.assert_frame_equal(got[t].reset_index(drop=True), want[t].reset_index(drop=True))


@pytest.mark.parametrize("items,size,expected", [
    ([1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]),
    ([1, 2, 3], 3, [[1, 2, 3]]),
    ([1, 2], 5, [[1, 2]]),
    ([], 4, []),
    ([1, 2], 0, [[1], [2]]),  # a size below 1 means 1
])
def test_batches(items, size, expected):
    from presslens.extract.batch import batches

    assert batches(items, size) == expected


@pytest.mark.parametrize("n,size,workers", [(300, 16, 2), (1000, 16, 2), (7, 16, 2), (0, 16, 2), (50, 4, 3),
                                            (33, 0, 0)])
def test_chunk_bounds_cover_every_item_once_and_shrink_at_the_end(n, size, workers):
    bounds = pipeline.chunk_bounds(n, size, workers)
    assert [i for a, b in bounds for i in range(a, b)] == list(range(n))  # consecutive, each item once
    steps = [b - a for a, b in bounds]
    assert all(1 <= s <= max(1, size) for s in steps)
    assert steps == sorted(steps, reverse=True)                           # never larger after a smaller one
    if n >= 4 * size * max(1, workers):
        assert steps[0] == max(1, size) and steps[-1] == 1                       # whole batches first, the tail shared


def test_local_tables_are_not_empty(local_tables, seed_articles):
    m = local_tables["mentions"]
    assert len(m) > 0  # the seed articles name people and places
    assert set(m["article_id"]) <= set(seed_articles["article_id"])
    for t in pipeline.TABLES:
        assert list(local_tables[t].columns[:2]) == ["article_id", "outlet"]
        assert list(local_tables[t].columns[2:]) == list(pipeline.COLUMNS[t])


def test_worker_processes_give_the_local_tables(local_tables, seed_articles):
    # batch_size=1 so every article is its own unit of work and the pool is really used
    got = pipeline.analyze(seed_articles, cache=False, engine="local", n_process=2, batch_size=1)
    _assert_same(got, local_tables)


def test_worker_pool_is_used(seed_articles, monkeypatch):
    calls = []
    real = pipeline._pool_results
    monkeypatch.setattr(pipeline, "_pool_results", lambda *a, **k: calls.append(a) or real(*a, **k))
    pipeline.analyze(seed_articles.head(3), cache=False, n_process=2, batch_size=1)
    assert calls, "n_process=2 with more texts than one batch must use worker processes"


@pytest.mark.slow
def test_dask_local_cluster_gives_the_local_tables(local_tables, seed_articles):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        got = pipeline.analyze(seed_articles, cache=False, engine="dask", scheduler=client, batch_size=2)
        assert len(client.scheduler_info()["workers"]) == 2
    _assert_same(got, local_tables)


def test_rows_hold_no_spacy_objects(nlp):
    """Workers send back rows only: plain picklable values, never a Doc, Span or Token."""
    from spacy.tokens import Doc, Span, Token

    rows = pipeline.analyze_batch([SMALL_TEXTS["quote"], SMALL_TEXTS["two_paragraphs"]])
    assert len(rows) == 2 and all(set(r) == set(pipeline.TABLES) for r in rows)

    def walk(v):
        assert not isinstance(v, (Doc, Span, Token)), type(v)
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(rows)
    assert repr(pickle.loads(pickle.dumps(rows))) == repr(rows)  # repr: NaN (no tone) equals itself


def test_rerun_parses_only_the_new_article(seed_articles, tmp_path, monkeypatch):
    new = seed_articles["article_id"] == "small-quote"
    pipeline.forget()  # rows kept in memory by earlier tests would not be written to tmp_path
    first = pipeline.analyze(seed_articles[~new], cache_dir=tmp_path, n_process=1)
    pipeline.forget()  # a new session: rows come from the store
    parsed = []
    real = pipeline.analyze_doc
    monkeypatch.setattr(pipeline, "analyze_doc", lambda doc: parsed.append(doc.text) or real(doc))
    again = pipeline.analyze(seed_articles, cache_dir=tmp_path, n_process=1)
    assert parsed == [SMALL_TEXTS["quote"]]
    old = again["mentions"][again["mentions"]["article_id"] != "small-quote"].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, first["mentions"])


def test_bad_input_gives_empty_tables():
    for bad in (None, pd.DataFrame(), pd.DataFrame(columns=["article_id", "outlet", "text"])):
        tables = pipeline.analyze(bad, cache=False, n_process=2)
        for t in pipeline.TABLES:
            assert tables[t].empty
            assert list(tables[t].columns) == ["article_id", "outlet", *list(pipeline.COLUMNS[t])]


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        pipeline.analyze(pd.DataFrame({"article_id": ["a"], "outlet": ["x"], "text": ["Hi."]}),
                         cache=False, engine="spark")


@pytest.mark.parametrize("env,expected", [
    ({}, ("local", 1, None)),
    ({"PRESSLENS_PROCESSES": "2"}, ("local", 2, None)),
    ({"PRESSLENS_ENGINE": "dask", "PRESSLENS_SCHEDULER": "tcp://10.0.0.5:8786"}, ("dask", 1, "tcp://10.0.0.5:8786")),
])
def test_engine_settings_from_environment(env, expected, monkeypatch):
    for k in ("PRESSLENS_ENGINE", "PRESSLENS_PROCESSES", "PRESSLENS_SCHEDULER"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert pipeline.engine_settings() == expected
    assert pipeline.engine_settings("local", 3)[:2] == ("local", 3)  # arguments win over the environment
