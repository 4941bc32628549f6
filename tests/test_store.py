"""The columnar store: per-article rows in Parquet partitioned by story and month give exactly the
tables a fresh parse gives, and a damaged, half-written or concurrent store never gives wrong rows."""
from __future__ import annotations

import math
import multiprocessing
import warnings

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from presslens import paths, pipeline, store
from presslens.loader import load_corpus

ODD_STORY = "Élections 2024 / ../round two?"
SMALL = [
    ("q1", "Pipes Daily", "water", "2026-02-11",
     '"We will replace every lead pipe," Mayor Jane Okafor said on Tuesday. The council agreed.'),
    ("q2", "River Post", ODD_STORY, "2024-11-03",
     "Senator Tom Reyes criticised the plan.\n\nHe said it was \"too slow\" and asked for a vote."),
    ("n1", "River Post", None, None, "it rained. then it stopped."),
    ("e1", "River Post", "water", "2026-03-01", ""),
]


@pytest.fixture(scope="module")
def articles():
    """The shipped corpus, two fixture articles and small texts of our own, with stories and dates."""
    corpus = load_corpus(paths.CORPUS_DIR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = load_corpus(paths.PROJ_ROOT / "tests" / "fixtures" / "other_story")
    small = pd.DataFrame(SMALL, columns=["article_id", "outlet", "story", "date", "text"])
    small["date"] = pd.to_datetime(small["date"])
    cols = ["article_id", "outlet", "story", "date", "text"]
    return pd.concat([corpus[cols], other[cols], small], ignore_index=True)


@pytest.fixture(scope="module")
def fresh(nlp, articles):
    """The reference: the tables of a parse that keeps nothing (what the old pickle cache gave back)."""
    return pipeline.analyze(articles, cache=False)


@pytest.fixture(autouse=True)
def no_memory():
    pipeline.forget()
    yield
    pipeline.forget()


def assert_identical(got: dict, want: dict):
    assert set(got) == set(want) == set(pipeline.TABLES)
    for t in pipeline.TABLES:
        pd.testing.assert_frame_equal(got[t], want[t], check_exact=True)
        assert list(got[t].dtypes) == list(want[t].dtypes), t


def count_parses(monkeypatch) -> list:
    parsed: list = []
    real = pipeline.analyze_doc
    monkeypatch.setattr(pipeline, "analyze_doc", lambda doc: parsed.append(doc.text) or real(doc))
    return parsed


def test_every_column_has_an_explicit_kind():
    for t, cols in pipeline.COLUMNS.items():
        for c in cols:
            assert store.column_kind(t, c) != store.JSON or c == "cues", (t, c)
    assert store.column_kind("readability", "narration_lexicon_count") == store.INT
    assert store.column_kind("readability", "gunning_fog") == store.FLOAT


def test_round_trip_is_identical_to_a_fresh_parse(articles, fresh, tmp_path, monkeypatch):
    cold = pipeline.analyze(articles, cache_dir=tmp_path)
    assert_identical(cold, fresh)
    pipeline.forget()
    parsed = count_parses(monkeypatch)
    warm = pipeline.analyze(articles, cache_dir=tmp_path)
    assert parsed == []  # every article read back from the store
    assert_identical(warm, fresh)
    assert (store.root(tmp_path, pipeline.code_version()) / "articles").is_dir()


def test_number_columns_keep_ints_and_floats_apart(tmp_path):
    rows = {t: [] for t in pipeline.TABLES}
    tone = {c: None for c in pipeline.COLUMNS["entity_tone"]}
    rows["entity_tone"] = [{**tone, "entity": "A", "mention_spans": [[0, 1]], "spans_narration": [],
                            "spans_quote": [], "cues": [[3, 7, 1.9], [9, 12, -2]], "valence_narration": 0,
                            "valence_quote": 1.5, "tone_narration": math.nan}]
    assert store.write_batch(tmp_path, pipeline.COLUMNS, ["k"], [store.partition(None, None)], [rows]).stored == ["k"]
    (back,) = store.read_results(tmp_path, pipeline.COLUMNS, ["k"])["k"]["entity_tone"]
    assert type(back["valence_narration"]) is int and back["valence_narration"] == 0
    assert type(back["valence_quote"]) is float and back["valence_quote"] == 1.5
    assert back["cues"] == [[3, 7, 1.9], [9, 12, -2]] and type(back["cues"][1][2]) is int
    assert math.isnan(back["tone_narration"]) and back["tone_quote"] is None


def test_partitions_by_story_and_month(articles, tmp_path):
    pipeline.analyze(articles, cache_dir=tmp_path)
    root = store.root(tmp_path, pipeline.code_version())
    odd = store.safe_part(ODD_STORY, store.NO_STORY)
    assert "/" not in odd and ".." not in odd and odd.startswith("Elections_2024_round_two-")
    assert (root / "quotes" / "story=water" / "month=2026-02").is_dir()
    assert (root / "mentions" / f"story={odd}" / "month=2024-11").is_dir()
    assert (root / "sentences" / f"story={store.NO_STORY}" / f"month={store.NO_MONTH}").is_dir()
    idx = store.index(root, pipeline.COLUMNS)
    assert ODD_STORY in set(idx["story_name"])  # the true story is kept in the index
    one = store.read_table(root, pipeline.COLUMNS, "mentions", stories=[ODD_STORY]).to_pandas()
    keys = set(idx.loc[idx["story_name"] == ODD_STORY, "key"])
    assert len(one) > 0 and set(one["key"]) == keys and set(one["story"]) == {odd}
    assert "Tom Reyes" in " ".join(one["surface"])
    feb = store.read_table(root, pipeline.COLUMNS, "sentences", months=["2026-02"]).to_pandas()
    assert set(feb["month"]) == {"2026-02"} and len(feb) > 0


def test_reads_select_only_the_columns_asked_for(articles, tmp_path):
    pipeline.analyze(articles, cache_dir=tmp_path)
    root = store.root(tmp_path, pipeline.code_version())
    tbl = store.read_table(root, pipeline.COLUMNS, "sentences", select=["compound"], stories=["water"])
    assert tbl.column_names == ["key", "row", "story", "month", "compound"]
    assert tbl.num_rows == 2  # the two sentences of the one water article with text


def test_a_damaged_file_is_a_warning_and_its_articles_are_parsed_again(articles, fresh, tmp_path, monkeypatch):
    pipeline.analyze(articles, cache_dir=tmp_path)
    pipeline.forget()
    root = store.root(tmp_path, pipeline.code_version())
    (bad,) = (root / "quotes" / "story=water" / "month=2026-02").glob("*.parquet")
    data = bad.read_bytes()
    bad.write_bytes(data[: len(data) // 2])  # truncated
    parsed = count_parses(monkeypatch)
    with pytest.warns(RuntimeWarning, match=bad.name):
        again = pipeline.analyze(articles, cache_dir=tmp_path)
    assert parsed == [SMALL[0][4]]  # only the article whose quotes were in that file
    assert_identical(again, fresh)
    pipeline.forget()
    parsed.clear()
    assert_identical(pipeline.analyze(articles, cache_dir=tmp_path), fresh)
    assert parsed == []  # the damaged file was set aside, the new rows are read


def test_flipped_bytes_are_never_read_as_rows(articles, fresh, tmp_path):
    pipeline.analyze(articles, cache_dir=tmp_path)
    pipeline.forget()
    root = store.root(tmp_path, pipeline.code_version())
    for f in (root / "sentences").rglob("*.parquet"):
        data = bytearray(f.read_bytes())
        data[len(data) // 3] ^= 0xFF  # inside the data pages
        f.write_bytes(bytes(data))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert_identical(pipeline.analyze(articles, cache_dir=tmp_path), fresh)
    assert any("sentences" in str(w.message) for w in caught)  # each damaged file was noticed


def test_a_missing_file_means_its_articles_are_parsed_again(articles, fresh, tmp_path, monkeypatch):
    pipeline.analyze(articles, cache_dir=tmp_path)
    pipeline.forget()
    root = store.root(tmp_path, pipeline.code_version())
    for f in (root / "narration" / "story=water").rglob("*.parquet"):
        f.unlink()
    parsed = count_parses(monkeypatch)
    with pytest.warns(RuntimeWarning, match="missing from the store"):
        assert_identical(pipeline.analyze(articles, cache_dir=tmp_path), fresh)
    assert parsed == [SMALL[0][4]]


def test_leftovers_of_a_killed_write_are_ignored(articles, fresh, tmp_path, monkeypatch):
    root = store.root(tmp_path, pipeline.code_version())
    small = articles[articles["article_id"].isin(["q1", "n1"])]
    (rows,) = pipeline.analyze_texts([small["text"].iloc[0]], cache=False)
    key = pipeline.cache_key(small["text"].iloc[0], pipeline.code_version())
    wrong = {t: [dict(r) for r in v] for t, v in rows.items()}
    wrong["quotes"][0]["quote"] = "words nobody said"
    # a writer killed after its table files, before its index file: rows no index entry points to
    monkeypatch.setattr(store, "_write", _fail_on_index(store._write))
    with pytest.warns(RuntimeWarning, match="cannot write the store"):
        store.write_batch(root, pipeline.COLUMNS, [key], [store.partition("water", "2026-02-11")], [wrong])
    monkeypatch.undo()
    (root / "quotes" / "story=water" / "month=2026-02" / ".half.parquet.123.tmp").write_bytes(b"PAR1 half")
    parsed = count_parses(monkeypatch)
    got = pipeline.analyze(articles, cache_dir=tmp_path)
    assert SMALL[0][4] in parsed  # not stored: analysed
    assert_identical(got, fresh)
    pipeline.forget()
    assert_identical(pipeline.analyze(articles, cache_dir=tmp_path), fresh)


def _fail_on_index(real):
    def write(table, path):
        if path.parent.name == store.INDEX:
            raise OSError("killed")
        real(table, path)
    return write


def _write_in_child(root, rows, key, story):
    store.write_batch(root, pipeline.COLUMNS, [key], [store.partition(story, "2026-01-05")], [rows])


def test_concurrent_writers_are_both_kept(nlp, tmp_path):
    texts = [SMALL[0][4], SMALL[1][4]]
    results = pipeline.analyze_texts(texts, cache=False)
    keys = ["k-one", "k-two"]
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_write_in_child, args=(tmp_path, r, k, "water"))
             for r, k in zip(results, keys)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(list((tmp_path / store.INDEX).glob("*.parquet"))) == 2
    got = store.read_results(tmp_path, pipeline.COLUMNS, keys)
    assert set(got) == set(keys) and _got(got, keys) == _exact(results)


def _exact(results):
    """Rows with only the declared columns (what the store keeps), as a repr: exact types and values,
    NaN equal to NaN."""
    return repr([{t: [{c: r[c] for c in pipeline.COLUMNS[t]} for r in res[t]] for t in pipeline.TABLES}
                 for res in results])


def _got(found: dict, keys: list) -> str:
    return repr([found[k] for k in keys])


def test_a_key_written_twice_is_read_once(nlp, tmp_path):
    (rows,) = pipeline.analyze_texts([SMALL[0][4]], cache=False)
    for story in ("water", "other"):  # two writers of the same article, in two partitions
        store.write_batch(tmp_path, pipeline.COLUMNS, ["k"], [store.partition(story, None)], [rows])
    assert _got(store.read_results(tmp_path, pipeline.COLUMNS, ["k"]), ["k"]) == _exact([rows])
    tbl = store.read_table(tmp_path, pipeline.COLUMNS, "sentences")
    assert tbl.num_rows == len(rows["sentences"])


def test_compact_merges_small_files_and_keeps_every_row(nlp, tmp_path):
    results = pipeline.analyze_texts([s[4] for s in SMALL], cache=False)
    keys = [f"k{i}" for i in range(len(results))]
    for k, r in zip(keys, results):  # one batch per article: one file each
        store.write_batch(tmp_path, pipeline.COLUMNS, [k], [store.partition("water", "2026-02-01")], [r])
    folder = tmp_path / "sentences" / "story=water" / "month=2026-02"
    assert len(list(folder.glob("*.parquet"))) == 3  # the empty text has no sentences
    assert store.compact(tmp_path, pipeline.COLUMNS, min_files=2) > 0
    assert len(list(folder.glob("*.parquet"))) == 1
    assert len(list((tmp_path / store.INDEX).glob("*.parquet"))) == 1
    assert _got(store.read_results(tmp_path, pipeline.COLUMNS, keys), keys) == _exact(results)


def test_rows_that_do_not_fit_the_schema_stay_in_memory(tmp_path):
    rows = {t: [] for t in pipeline.TABLES}
    rows["readability"] = [{c: np.float64(1.0) for c in pipeline.COLUMNS["readability"]}]
    with pytest.warns(RuntimeWarning, match="cannot be stored exactly"):
        done = store.write_batch(tmp_path, pipeline.COLUMNS, ["k"], [store.partition(None, None)], [rows])
    assert done.stored == [] and store.read_results(tmp_path, pipeline.COLUMNS, ["k"]) == {}


def test_an_unwritable_store_is_a_warning_and_rows_stay_for_the_session(nlp, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    store._WARNED.clear()
    with pytest.warns(RuntimeWarning, match="cannot write the store folder"):
        (rows,) = pipeline.analyze_texts([SMALL[0][4]], cache_dir=blocker)
    parsed = count_parses(monkeypatch)
    (again,) = pipeline.cached_results([SMALL[0][4]], cache_dir=blocker)
    assert again == rows and parsed == []


def test_cache_false_writes_nothing(articles, tmp_path):
    pipeline.analyze(articles.head(2), cache=False, cache_dir=tmp_path)
    assert not any(tmp_path.iterdir())
    assert pipeline.cached_results(list(articles["text"].head(2)), cache_dir=tmp_path) == [None, None]


def test_a_code_change_is_a_new_folder(articles, tmp_path, monkeypatch):
    small = articles[articles["article_id"].isin(["q1", "n1"])]
    pipeline.analyze(small, cache_dir=tmp_path)
    first = pipeline.code_version()
    monkeypatch.setattr(pipeline, "code_version", lambda: "another-version")
    parsed = count_parses(monkeypatch)
    pipeline.analyze(small, cache_dir=tmp_path)
    assert len(parsed) == 2
    assert {p.name for p in (tmp_path / "store").iterdir()} == {"another-version", first}


def same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Equal columns, dtypes and values (object cells equal in type and value; NaN equals NaN)."""
    if list(a.columns) != list(b.columns) or not a.dtypes.equals(b.dtypes) or len(a) != len(b):
        return False
    for c in a.columns:
        same = a[c].reset_index(drop=True).equals(b[c].reset_index(drop=True)) if a[c].dtype != object else \
            all(type(x) is type(y) and (x == y or (x != x and y != y)) for x, y in zip(a[c], b[c]))
        if not same:
            return False
    return True


def test_study_tables_read_back_identical(seeds, tmp_path):
    from presslens import study

    built = study.tables(seeds, cache_dir=tmp_path)
    study._MEMO.clear()
    stored = list((store.root(tmp_path, pipeline.code_version()) / store.STUDY).iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".pkl"
    again = study.tables(seeds, cache_dir=tmp_path)
    assert again is not built
    for name in study.TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(built, name), check_exact=True)
        assert same_frame(getattr(again, name), getattr(built, name)), name


def test_parquet_files_carry_page_checksums(articles, tmp_path):
    pipeline.analyze(articles.head(1), cache_dir=tmp_path)
    f = next((store.root(tmp_path, pipeline.code_version()) / "mentions").rglob("*.parquet"))
    assert pq.read_schema(f).metadata[b"format"] == store.FORMAT.encode()
    assert pq.ParquetFile(f).metadata.row_group(0).column(0).compression == "ZSTD"


def test_dask_workers_write_the_store_and_give_the_local_tables(articles, fresh, tmp_path):
    distributed = pytest.importorskip("distributed")
    small = articles[articles["article_id"].isin(["q1", "q2", "n1", "e1"])].reset_index(drop=True)
    want = {t: fresh[t][fresh[t]["article_id"].isin(small["article_id"])].reset_index(drop=True)
            for t in pipeline.TABLES}
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        got = pipeline.analyze(small, cache_dir=tmp_path, engine="dask", scheduler=client, batch_size=2)
    assert_identical(got, want)
    root = store.root(tmp_path, pipeline.code_version())
    assert len(list((root / store.INDEX).glob("*.parquet"))) == 2  # two batches, written by the worker
    assert pipeline._UNSTORED == {}  # no rows travelled back


def test_worker_processes_write_the_store_and_give_the_local_tables(articles, fresh, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_UNSTORED", {})
    got = pipeline.analyze(articles, cache_dir=tmp_path, n_process=2, batch_size=2)
    assert_identical(got, fresh)
    assert pipeline._UNSTORED == {}  # every row went through the store
    chunks = pipeline.chunk_bounds(len(articles), 2, 2)  # 2, 2, then the last four shared out one by one
    assert len(chunks) == 6
    assert len(list((store.root(tmp_path, pipeline.code_version()) / store.INDEX).glob("*.parquet"))) == len(chunks)


def test_misfit_checks_columns_whole_and_names_the_first_misfit_as_a_row_scan_does(monkeypatch):
    import random

    from presslens import store as S

    kinds = [S.INT, S.FLOAT, S.BOOL, S.STR, S.NUMBER, S.STRS, S.INT_LISTS, S.JSON]
    columns = [f"c_{k}" for k in kinds]
    monkeypatch.setitem(S.COLUMN_KINDS, "probe", dict(zip(columns, kinds)))
    values = [None, 0, 1, -3, True, False, 2.5, float("nan"), "x", "", 1 << 53, (1 << 53) - 1, -(1 << 63),
              (1 << 63) - 1, 1 << 63, ["a"], [[1, 2]], [["a"]], {"k": 1}, [1.5], np.float64(1.0), np.int64(2)]

    def scan(rows):
        for r in rows:
            for c, kind in zip(columns, kinds):
                if c not in r:
                    return f"probe row without {c!r}"
                if not S._CHECKS[kind](r[c]):
                    return f"probe.{c} holds a {type(r[c]).__name__} ({kind} expected)"
        return None

    rng = random.Random(11)
    fits = 0
    for _ in range(3000):
        rows = []
        for _ in range(rng.randrange(0, 4)):
            row = {}
            for c, kind in zip(columns, kinds):
                if rng.random() < 0.97:  # mostly a value of the column's own kind, sometimes anything
                    pool = {S.INT: [0, 7, None, -(1 << 63)], S.FLOAT: [0.5, None], S.BOOL: [True, None],
                            S.STR: ["x", None], S.NUMBER: [3, 2.5, None], S.STRS: [["a"], []],
                            S.INT_LISTS: [[[1, 2]], []], S.JSON: [None, {"k": [1]}]}[kind]
                    row[c] = rng.choice(pool if rng.random() < 0.9 else values)
                elif rng.random() < 0.5:
                    row[c] = rng.choice(values)
            rows.append(row)
        want = scan(rows)
        fits += want is None
        assert S._misfit("probe", columns, rows) == want
    assert 100 < fits < 2900  # both outcomes were exercised
