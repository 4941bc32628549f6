"""Entity-targeted tone: which words are scored for an entity, VADER's valences and rules on them,
narration vs quoted voices, names never scored, offsets that point at the words."""
from __future__ import annotations

import math

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from presslens.extract.mentions import mentions_from_doc
from presslens.extract.quotes import quotes_from_doc
from presslens.extract.tone import DOC_COLUMNS, about_tokens, compound_of, entity_tone_rows, vader_words
from presslens.extract.voice import quoted_spans

VADER = SentimentIntensityAnalyzer()  # an independent analyzer: single-word valences must agree with it


def tone_rows(nlp, text: str) -> dict[str, dict]:
    """{article-level entity: row} for one hand-written text, through the real extractors."""
    doc = nlp(text)
    quotes = quotes_from_doc(doc)
    rows = entity_tone_rows(doc, mentions_from_doc(doc, quotes), quotes, quoted_spans(text, quotes))
    return {r["entity"]: r for r in rows}


def words(text: str, spans) -> str:
    return " ".join(text[s:e] for s, e in spans)


def cue_words(text: str, row) -> set[str]:
    return {text[s:e].lower() for s, e, _ in row["cues"]}


def test_rows_have_the_documented_columns(nlp):
    rows = tone_rows(nlp, "Voters love Rita Gomez.")
    assert list(rows["Rita Gomez"]) == DOC_COLUMNS


def test_only_the_clause_about_the_entity_is_scored(nlp):
    text = "Voters love Rita Gomez, while the awful storm destroyed the harbour."
    row = tone_rows(nlp, text)["Rita Gomez"]
    assert cue_words(text, row) == {"love"}
    assert "storm" not in words(text, row["spans_narration"])
    assert row["tone_narration"] == pytest.approx(compound_of([VADER.lexicon["love"]]))
    assert row["tone_narration"] > 0.05 and math.isnan(row["tone_quote"])


def test_two_entities_in_one_sentence_get_their_own_words(nlp):
    text = "Senator Ann Walsh praised the wonderful plan, but Governor Tom Reyes called it a disaster."
    rows = tone_rows(nlp, text)
    assert {"praised", "wonderful"} <= cue_words(text, rows["Ann Walsh"])
    assert "disaster" not in cue_words(text, rows["Ann Walsh"])
    assert "disaster" in cue_words(text, rows["Tom Reyes"])
    assert "praised" not in cue_words(text, rows["Tom Reyes"])


def test_modifiers_of_the_name_count(nlp):
    text = "The brilliant economist Maria Lopez spoke on Tuesday."
    row = tone_rows(nlp, text)["Maria Lopez"]
    assert "brilliant" in cue_words(text, row) and row["tone_narration"] > 0


def test_what_someone_said_is_not_their_tone_but_a_claim_about_them_is(nlp):
    text = "Mayor Lee Grant said the terrible flood ruined the town."
    row = tone_rows(nlp, text)["Lee Grant"]
    assert "terrible" not in cue_words(text, row) and row["tone_narration"] == 0.0
    text = "Critics said Ken Marlow is a liar."
    row = tone_rows(nlp, text)["Ken Marlow"]
    assert cue_words(text, row) == {"liar"} and row["tone_narration"] < -0.05


def test_negation_follows_vader(nlp):
    text = "Investigators said Paul Dunn did not cheat."
    row = tone_rows(nlp, text)["Paul Dunn"]
    # VADER's own reading of the same words: "not" flips the valence of "cheat" (N_SCALAR = -0.74)
    assert row["tone_narration"] == pytest.approx(VADER.polarity_scores("did not cheat")["compound"], abs=1e-3)
    assert row["tone_narration"] > 0


def test_names_are_never_scored(nlp):
    # "Justice" and "Liberty" are positive words in VADER's lexicon; as names they say nothing
    text = "The Justice Department sued Liberty Bank on Monday."
    rows = tone_rows(nlp, text)
    for row in rows.values():
        assert not {"justice", "liberty"} & cue_words(text, row)


def test_quoted_words_are_scored_apart_from_narration(nlp):
    text = 'Officials met Ruth Kane on Friday. "Ruth Kane is a disgrace and a fraud," said one protester.'
    row = tone_rows(nlp, text)["Ruth Kane"]
    assert row["n_words_narration"] > 0 and row["tone_narration"] == 0.0
    assert row["tone_quote"] < -0.5 and {"disgrace", "fraud"} <= cue_words(text, row)
    assert "disgrace" in words(text, row["spans_quote"])
    assert "disgrace" not in words(text, row["spans_narration"])
    assert row["n_mentions"] == 2 and row["n_mentions_quote"] == 1


def test_offsets_point_at_the_scored_words(nlp):
    text = "Voters love Rita Gomez. Rita Gomez won the happy race."
    row = tone_rows(nlp, text)["Rita Gomez"]
    for s, e, v in row["cues"]:
        assert VADER.lexicon[text[s:e].lower()] != 0 and v != 0
    for s, e in row["mention_spans"]:
        assert text[s:e] == "Rita Gomez"
    assert row["valence_narration"] == pytest.approx(sum(v for _, _, v in row["cues"]))


@pytest.mark.parametrize("seq", [["very", "good"], ["not", "good"], ["good", "but", "awful"], ["GREAT", "day"],
                                 ["kind", "of", "bad"], []])
def test_vader_words_sum_to_vaders_compound(seq):
    got = compound_of(vader_words(seq))
    assert got == pytest.approx(VADER.polarity_scores(" ".join(seq))["compound"], abs=1e-4)


def test_about_tokens_of_a_span_the_parse_cannot_place(nlp):
    doc = nlp("Short text.")
    assert about_tokens(doc, 3, 3) == set()


def test_no_mentions_no_rows(nlp):
    doc = nlp("It rained all day and everyone was miserable.")
    assert entity_tone_rows(doc, [], [], []) == []


def test_the_span_index_answers_as_the_linear_scan():
    """`voice.SpanIndex.contains` is `voice.is_inside`, for overlapping, nested and unsorted spans too."""
    import random

    from presslens.extract.voice import SpanIndex, is_inside

    rng = random.Random(5)
    for _ in range(500):
        spans = [(a, a + rng.randint(0, 12)) for a in (rng.randint(0, 40) for _ in range(rng.randint(0, 6)))]
        index = SpanIndex(spans)
        for _ in range(20):
            s = rng.randint(0, 50)
            e = s + rng.randint(0, 10)
            assert index.contains(s, e) == is_inside(spans, s, e), (spans, s, e)


def test_quoted_share_counts_non_space_characters():
    from presslens.extract.voice import quoted_share

    text = 'He said "a b\u00a0c" then\tleft.'
    q = text.index('"')
    assert quoted_share(text, 0, len(text), [(q, text.index('"', q + 1) + 1)]) == 5 / 20
    assert quoted_share(" \n\t", 0, 3, [(0, 3)]) == 0.0
