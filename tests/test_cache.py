"""The per-article cache verifies what it reads and never fails a run: doubtful entries are recomputed."""
from __future__ import annotations

import os
import pickle
import warnings

import pytest

from presslens import cache


@pytest.fixture(autouse=True)
def fresh_memo():
    cache.forget()
    yield
    cache.forget()


ROWS = {"quotes": [{"quote": "We will win", "start": 1, "end": 12}], "mentions": []}


def test_round_trip(tmp_path):
    cache.write(tmp_path, "ab" * 32, ROWS)
    cache.forget()
    assert cache.read(tmp_path, "ab" * 32) == ROWS


def test_an_entry_swapped_with_another_articles_is_not_used(tmp_path):
    k1, k2 = "aa" * 32, "bb" * 32
    cache.write(tmp_path, k1, ROWS)
    cache.write(tmp_path, k2, {"quotes": [], "mentions": []})
    os.replace(cache.entry_path(tmp_path, k1), cache.entry_path(tmp_path, k2))  # k2's file now holds k1's rows
    cache.forget()
    assert cache.read(tmp_path, k2) is None


@pytest.mark.parametrize("content", [
    pickle.dumps(["not", "a", "dict"]),                     # unpickles to the wrong type
    pickle.dumps(("presslens-rows-1", "x", "y", b"z")),    # the right shape, a wrong key and checksum
    b"\x80\x09garbage",                                     # an unknown pickle protocol
    b"",                                                    # truncated
])
def test_doubtful_entries_are_recomputed(tmp_path, content):
    key = "cd" * 32
    p = cache.entry_path(tmp_path, key)
    p.parent.mkdir(parents=True)
    p.write_bytes(content)
    assert cache.read(tmp_path, key) is None


def test_a_corrupted_payload_fails_its_checksum(tmp_path):
    key = "ef" * 32
    cache.write(tmp_path, key, ROWS)
    cache.forget()
    p = cache.entry_path(tmp_path, key)
    fmt, k, checksum, payload = pickle.loads(p.read_bytes())
    p.write_bytes(pickle.dumps((fmt, k, checksum, payload.replace(b"We will win", b"We will go"))))
    assert cache.read(tmp_path, key) is None


def test_a_directory_in_place_of_an_entry(tmp_path):
    key = "01" * 32
    cache.entry_path(tmp_path, key).mkdir(parents=True)
    assert cache.read(tmp_path, key) is None
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        cache.write(tmp_path, key, ROWS)  # cannot replace a folder: a warning, the rows stay in memory
    assert cache.read(tmp_path, key) == ROWS
    assert any("cannot write the cache folder" in str(x.message) for x in w)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_a_warning(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.warns(RuntimeWarning, match="cannot write the cache folder"):
            cache.write(tmp_path / "sub", "23" * 32, ROWS)
    finally:
        tmp_path.chmod(0o700)


def test_a_cache_path_that_is_a_file_is_a_warning(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    with pytest.warns(RuntimeWarning, match="cannot write the cache folder"):
        cache.write(blocker, "45" * 32, ROWS)
    assert cache.read(blocker, "45" * 32) == ROWS  # this session keeps it in memory
