"""Tests for presslens.corrections: a user's corrections file fixes speakers, drops false quotes and adds
missed ones; every corrected row says so; bad lines warn with the file and line. Texts are made up."""
from __future__ import annotations

import pandas as pd
import pytest

from presslens import corrections as cx
from presslens.paths import CORPUS_DIR
from presslens.text import count_words

TEXT_A = ('The mayor spoke first. "We will rebuild the bridge," she said.\n\n'
          'Critics called the plan "a fantasy" on Monday. Jane Roe, a professor of engineering, '
          'said the repairs would take a decade. We have waited long enough, one resident added.')
TEXT_B = '"The river is rising," the county said in a statement.'


def _span(text, s):
    i = text.index(s)
    return i, i + len(s)


@pytest.fixture
def articles():
    return pd.DataFrame({"article_id": ["a1", "b2"], "outlet": ["Daily Planet", "Evening Star"],
                         "path": ["story/a.txt", "story/b.txt"], "text": [TEXT_A, TEXT_B]})


def _quote(aid, text, words, speaker, kind="direct", stype="other"):
    s, e = _span(text, words)
    return {"article_id": aid, "outlet": "Daily Planet" if aid == "a1" else "Evening Star", "quote": words,
            "start": s, "end": e, "kind": kind, "cue": "said", "cue_start": None, "cue_end": None,
            "speaker": speaker, "speaker_start": None, "speaker_end": None, "speaker_role": None, "paragraph": 0,
            "n_words": count_words(words), "speaker_entity": speaker, "speaker_type": stype}


@pytest.fixture
def quotes():
    return pd.DataFrame([
        _quote("a1", TEXT_A, "We will rebuild the bridge,", "Critics"),                  # wrong speaker
        _quote("a1", TEXT_A, "a fantasy", "Critics"),                                     # a scare quote
        _quote("a1", TEXT_A, "the repairs would take a decade", "Jane Roe", "indirect", "expert"),
        _quote("b2", TEXT_B, "The river is rising,", "the county", stype="government"),
    ])


def _write(tmp_path, body: str):
    path = tmp_path / "corrections.csv"
    path.write_text("# made-up corrections\narticle,start,end,action,value,text,comment\n" + body, encoding="utf8")
    return path


def _line(article, text, words, action, value="", check="", comment=""):
    s, e = _span(text, words)
    return f'{article},{s},{e},{action},{value},"{check}","{comment}"\n'


def test_speaker_drop_add_and_type(tmp_path, articles, quotes):
    path = _write(tmp_path,
                  _line("a1", TEXT_A, "We will rebuild the bridge,", "speaker", "the mayor", comment="she = the mayor")
                  + _line("story/a.txt", TEXT_A, "a fantasy", "drop", check="a fantasy")
                  + _line("a1", TEXT_A, "We have waited long enough", "add", "one resident")
                  + _line("b2", TEXT_B, "The river is rising,", "type", "law & courts"))
    out = cx.apply_corrections(quotes, articles, path)
    assert len(out) == len(quotes) - 1 + 1
    fixed = out[out["quote"] == "We will rebuild the bridge,"].iloc[0]
    assert fixed["speaker"] == fixed["speaker_entity"] == "the mayor"
    assert fixed["speaker_type"] == "government"                          # typed again from the new speaker
    assert fixed["corrected"] == "speaker: Critics -> the mayor (corrections.csv line 3)"
    assert "a fantasy" not in set(out["quote"])                           # left out of every count
    dropped = out.attrs["dropped"]
    assert [d["quote"] for d in dropped] == ["a fantasy"]
    assert dropped[0]["corrected"] == "dropped by the user (corrections.csv line 4)"
    new = out[out["corrected"].str.startswith("added")].iloc[0]
    assert TEXT_A[new["start"]:new["end"]] == new["quote"] == "We have waited long enough"
    assert new["speaker"] == "one resident" and new["speaker_type"] == "public" and new["kind"] == "direct"
    assert new["n_words"] == 5 and new["paragraph"] == 1 and new["outlet"] == "Daily Planet"
    assert new["corrected"] == "added by the user (corrections.csv line 5)"
    typed = out[out["article_id"] == "b2"].iloc[0]
    assert typed["speaker_type"] == "law & courts" and typed["corrected"] == "type: government -> law & courts " \
                                                                              "(corrections.csv line 6)"
    untouched = out[out["quote"] == "the repairs would take a decade"].iloc[0]
    assert untouched["corrected"] == "" and untouched["speaker"] == "Jane Roe"
    # articles in input order, quotes in text order; the user's table is not touched
    assert list(zip(out["article_id"], out["start"])) == sorted(zip(out["article_id"], out["start"]))
    assert quotes["speaker"].tolist()[0] == "Critics" and "corrected" not in quotes


def test_no_file_gives_an_empty_corrected_column(articles, quotes, tmp_path):
    for path in (None, tmp_path / "absent.csv"):
        out = cx.apply_corrections(quotes, articles, path)
        assert out.drop(columns="corrected").equals(quotes)
        assert (out["corrected"] == "").all() and out.attrs["dropped"] == []


def test_an_added_speaker_uses_the_corpus_roles(tmp_path, articles, quotes):
    path = _write(tmp_path, _line("a1", TEXT_A, "We have waited long enough", "add", "Ann Doe"))
    mentions = pd.DataFrame({"entity": ["Ann Doe"], "label": ["PERSON"], "role": ["state senator"]})
    out = cx.apply_corrections(quotes, articles, path, mentions=mentions)
    assert out.loc[out["speaker"] == "Ann Doe", "speaker_type"].item() == "politician"


BAD_LINES = {
    "unknown article": ("zz,0,5,drop,,,\n", "no article with id or path 'zz'"),
    "offsets not numbers": ("a1,x,5,drop,,,\n", "whole numbers"),
    "offsets past the text": (f"b2,0,{len(TEXT_B) + 5},drop,,,\n", "do not fit"),
    "unknown action": ("a1,0,5,rename,X,,\n", "unknown action 'rename'"),
    "speaker without a value": (_line("a1", TEXT_A, "a fantasy", "speaker"), "needs a value"),
    "text does not match": (_line("a1", TEXT_A, "a fantasy", "drop", check="a dream"), "not 'a dream'"),
    "no quote at these offsets": ("a1,0,10,drop,,,\n", "no quote at 0-10"),
}


@pytest.mark.parametrize("body, message", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_lines_warn_with_file_and_line_and_change_nothing(tmp_path, articles, quotes, body, message):
    path = _write(tmp_path, body)
    with pytest.warns(UserWarning, match=message) as caught:
        out = cx.apply_corrections(quotes, articles, path)
    assert any(f"{path}, line 3" in str(w.message) for w in caught)
    assert out.drop(columns="corrected").equals(quotes) and (out["corrected"] == "").all()


def test_a_file_without_the_header_is_an_error_naming_it(tmp_path, articles, quotes):
    path = tmp_path / "corrections.csv"
    path.write_text("where,what\na1,drop\n", encoding="utf8")
    with pytest.raises(ValueError, match="corrections.csv, line 1"):
        cx.apply_corrections(quotes, articles, path)


def test_the_shipped_example_file_is_header_only():
    path = CORPUS_DIR / cx.CORRECTIONS_FILE
    if not path.exists():
        pytest.skip("no corrections.csv in the shipped corpus")
    text = path.read_text(encoding="utf8")
    assert "action" in text and "drop" in text and "add" in text        # the format is documented at the top
    articles = pd.DataFrame({"article_id": ["x"], "text": ["Nothing."]})
    assert cx.read_corrections(path, articles) == []
