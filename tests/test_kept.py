"""Tests for presslens.kept: objects kept between runs as one pickle each, read back exactly, a damaged or
foreign copy never used."""
from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from presslens import kept


def test_a_kept_table_reads_back_with_identical_dtypes_and_values(tmp_path):
    df = pd.DataFrame({"entities": [["A", "B"], [], ["C"]], "role": [None, "mayor", None],
                       "flag": [True, False, True], "n": np.array([1, 2, 3], dtype="int64"),
                       "score": [0.5, math.nan, -1.0], "mixed": [None, math.nan, "x"],
                       "spans": [[(1, 2)], [], [(3, 4.5)]]})
    assert kept.write(tmp_path / "k" / "t.pkl", {"a": df})
    back = kept.read(tmp_path / "k" / "t.pkl", "the test table")["a"]
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    assert back["mixed"][0] is None and math.isnan(back["mixed"][1])          # None and NaN stay apart
    assert back["spans"][2][0] == (3, 4.5) and type(back["spans"][2][0]) is tuple
    assert [p.name for p in (tmp_path / "k").iterdir()] == ["t.pkl"]             # no temporary file left


def test_nothing_kept_is_a_miss_and_another_environment_s_copy_too(tmp_path):
    assert kept.read(tmp_path / "none.pkl", "x") is None
    path = tmp_path / "old.pkl"
    path.write_bytes(pickle.dumps((("another python", "1.0", "1.0"), {"a": 1})))
    assert kept.read(path, "x") is None
    assert path.exists()                                                         # not damaged: left alone


@pytest.mark.parametrize("content", [b"not a pickle", pickle.dumps("no versions"), None])
def test_a_damaged_or_wrong_copy_warns_naming_it_and_is_dropped(tmp_path, content):
    path = tmp_path / "t.pkl"
    if content is None:
        kept.write(path, "a string where a dict was kept")
    else:
        path.write_bytes(content)
    with pytest.warns(RuntimeWarning, match=r"the test table .*t\.pkl cannot be read"):
        assert kept.read(path, "the test table", check=lambda o: isinstance(o, dict)) is None
    assert not path.exists()


def test_an_unwritable_place_is_not_an_error(tmp_path):
    (tmp_path / "file").write_text("x")
    assert not kept.write(tmp_path / "file" / "t.pkl", {"a": 1})                # a file where a folder would be
    assert not kept.write(tmp_path / "t.pkl", lambda: None)                       # cannot be pickled
    assert not list(tmp_path.glob(".*tmp"))
