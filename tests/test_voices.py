"""Tests for who speaks: the study's quote table (presslens.study.quote_table), speaker linking
(presslens.canon), speaker types on the quote table (presslens.speaker_types), the per-outlet summaries and
figures of presslens.voices, and notebook 02. Hand-made extractor rows pin the logic; the seed articles check
it end to end."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from presslens import canon, study, voices
from presslens.extract.quotes import EXTRACT_COLUMNS
from presslens.paths import CORPUS_DIR, NOTEBOOKS_DIR
from presslens.speaker_types import speaker_type
from presslens.text import count_words

STATEMENT = ("This step will facilitate our joint efforts to promote stability, support economic recovery, "
             "and advance political reconciliation in Venezuela.")


# --- hand-made articles, mentions and extractor rows --------------------------------------------

TEXT_A = ('Interior Secretary Doug Burgum said the visit went well. "We want to clear the path," Burgum told '
          'reporters. Rodríguez\'s government said it welcomed the move. "' + STATEMENT + '" the State '
          'Department said. "It is a phased plan," said Jane Roe.')
TEXT_B = ('The State Department said the agreement is intended to "facilitate our joint efforts to promote '
          'stability, support economic recovery, and advance political reconciliation in Venezuela." '
          '"Elections will come," Delcy Rodriguez said. "Happiness," she said.')


def _span(text, s, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(s, i + 1)
    return i, i + len(s)


def _row(aid, outlet, text, quote, kind, speaker, speaker_surface=None, role=None, nth=0):
    a, b = _span(text, quote)
    sa, sb = _span(text, speaker_surface, nth) if speaker_surface else (None, None)
    return {"article_id": aid, "outlet": outlet, "quote": quote, "start": a, "end": b, "kind": kind,
            "cue": "said", "cue_start": None, "cue_end": None, "speaker": speaker, "speaker_start": sa,
            "speaker_end": sb, "speaker_role": role, "paragraph": 0}


def _mention(aid, text, surface, entity, label, role=None, nth=0):
    a, b = _span(text, surface, nth)
    return {"article_id": aid, "outlet": None, "entity": entity, "label": label, "surface": surface,
            "start": a, "end": b, "sentence": 0, "paragraph": 0, "in_quote": False, "role": role}


@pytest.fixture
def raw():
    return pd.DataFrame([
        _row("a", "CBS News", TEXT_A, "the visit went well", "indirect", "Doug Burgum",
             "Interior Secretary Doug Burgum", role="Interior Secretary"),
        _row("a", "CBS News", TEXT_A, "We want to clear the path,", "direct", "Burgum", "Burgum", nth=1),
        _row("a", "CBS News", TEXT_A, "it welcomed the move", "indirect", "Rodríguez's government",
             "Rodríguez's government"),
        _row("a", "CBS News", TEXT_A, STATEMENT, "direct", "State Department", "State Department"),
        _row("a", "CBS News", TEXT_A, "It is a phased plan,", "direct", "Jane Roe", "Jane Roe"),
        _row("b", "Fox News", TEXT_B, "facilitate our joint efforts to promote stability, support economic "
             "recovery, and advance political reconciliation in Venezuela.", "direct", "State Department",
             "State Department"),
        _row("b", "Fox News", TEXT_B, "Elections will come,", "direct", "Delcy Rodriguez", "Delcy Rodriguez"),
        _row("b", "Fox News", TEXT_B, "Happiness,", "direct", "Delcy Rodriguez", "she"),
        _row("b", "Fox News", TEXT_B, "the agreement is intended to", "indirect", None),
    ], columns=["article_id", "outlet", *EXTRACT_COLUMNS])


@pytest.fixture
def mentions():
    return pd.DataFrame([
        _mention("a", TEXT_A, "Doug Burgum", "Doug Burgum", "PERSON", role="Interior Secretary"),
        _mention("a", TEXT_A, "Burgum", "Doug Burgum", "PERSON", nth=1),
        _mention("a", TEXT_A, "Rodríguez", "Delcy Rodríguez", "PERSON"),
        _mention("a", TEXT_A, "State Department", "State Department", "ORG"),
        _mention("a", TEXT_A, "Jane Roe", "Jane Roe", "PERSON", role="a professor at Harvard University"),
        _mention("b", TEXT_B, "State Department", "State Department", "ORG"),
        _mention("b", TEXT_B, "Delcy Rodriguez", "Delcy Rodríguez", "PERSON"),  # canonical spelling differs
    ])


@pytest.fixture
def table(raw, mentions):
    return study.quote_table(raw, mentions)


# --- column contracts ---------------------------------------------------------------------------

def test_quote_columns_extend_the_extractor_contract():
    assert study.QUOTE_COLUMNS == ["article_id", "outlet", *EXTRACT_COLUMNS, "n_words", "speaker_entity",
                                    "speaker_type", "corrected", "speaker_kind", "speaker_gender",
                                    "speaker_gender_evidence"]


def test_quote_table_has_the_contract_columns_and_keeps_every_row(table, raw):
    # the quote table's own columns; speaker gender is added by tables() once names are canonical
    assert list(table.columns) == study.QUOTE_COLUMNS[:study.QUOTE_COLUMNS.index("corrected") + 1]
    assert len(table) == len(raw)
    texts = {"a": TEXT_A, "b": TEXT_B}
    for r in table.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.quote  # every row traces back to the article


@pytest.mark.parametrize("fn, columns", [
    (voices.share_of_voice, voices.SHARE_COLUMNS),
    (voices.direct_indirect, voices.KIND_COLUMNS),
    (voices.speaker_type_shares, voices.TYPE_COLUMNS),
    (voices.speaker_outlets, voices.SPEAKER_OUTLET_COLUMNS),
    (voices.one_outlet_speakers, voices.ONE_OUTLET_COLUMNS),
    (voices.shared_quotes, voices.SHARED_COLUMNS),
    (voices.shared_quote_share, voices.SHARED_SHARE_COLUMNS),
])
def test_summaries_have_their_columns_on_data_and_on_empty_input(fn, columns, table):
    assert list(fn(table).columns) == columns
    empty = study.quote_table(None, None)
    assert list(empty.columns) == study.QUOTE_COLUMNS
    for bad in (empty, None):
        out = fn(bad)
        assert out.empty and list(out.columns) == columns


@pytest.mark.parametrize("articles", [
    pd.DataFrame(columns=["article_id", "outlet", "text"]),
    None,
    pd.DataFrame({"article_id": ["x", "y", "z"], "outlet": ["CBS News"] * 3, "text": [None, "", "No quotes here."]}),
])
def test_quotes_of_empty_or_quote_free_articles_is_an_empty_table(articles):
    out = study.quotes(articles)
    assert out.empty and list(out.columns) == study.QUOTE_COLUMNS


# --- words, speaker entities and types ----------------------------------------------------------

def test_n_words_counts_the_quoted_words(table):
    assert table["n_words"].tolist() == [count_words(q) for q in table["quote"]]
    assert table.loc[table["quote"] == "We want to clear the path,", "n_words"].item() == 6


SPEAKER_CASES = {
    "title before name, span covers the mention": ("the visit went well", "Doug Burgum"),
    "surname only": ("We want to clear the path,", "Doug Burgum"),
    "possessive organisation is not the person": ("it welcomed the move", "Rodríguez's government"),
    "organisation": (STATEMENT, "State Department"),
    "surface spelling differs from the canonical name": ("Elections will come,", "Delcy Rodríguez"),
    "pronoun span resolved by name": ("Happiness,", "Delcy Rodríguez"),
    "no speaker": ("the agreement is intended to", None),
}


@pytest.mark.parametrize("quote, expected", SPEAKER_CASES.values(), ids=SPEAKER_CASES.keys())
def test_speaker_entity(table, quote, expected):
    got = table.loc[table["quote"] == quote, "speaker_entity"].item()
    assert got == expected


LINK_TEXT = "Delcy Rodríguez spoke. Jorge Rodríguez, the assembly head, too. The State Department agreed."
LINK_MENTIONS = [
    _mention("x", LINK_TEXT, "Delcy Rodríguez", "Delcy Rodríguez", "PERSON"),
    _mention("x", LINK_TEXT, "Jorge Rodríguez", "Jorge Rodríguez", "PERSON", role="the assembly head"),
    _mention("x", LINK_TEXT, "State Department", "State Department", "ORG"),
]


@pytest.mark.parametrize("speaker, span, expected", [
    ("Delcy Rodriguez", None, "Delcy Rodríguez"),
    ("Jorge Rodríguez", None, "Jorge Rodríguez"),
    ("the State Department", None, "State Department"),
    ("Acting President Delcy Rodríguez", None, "Delcy Rodríguez"),
    ("Carlos Rodríguez", None, "Carlos Rodríguez"),        # same surname, another person
    ("Mr. Nobody", None, "Mr. Nobody"),
    ("the assembly head", None, "Jorge Rodríguez"),         # the speaker is given by the role the article states
    ("the assembly", None, "the assembly"),
    (None, None, None),
    ("she", "Jorge Rodríguez", "Jorge Rodríguez"),          # the span decides when it lies on a mention
    ("the State Department", "The State Department", "State Department"),
])
def test_link_speaker(speaker, span, expected):
    a, b = _span(LINK_TEXT, span) if span else (None, None)
    assert canon.link_speaker(speaker, a, b, LINK_MENTIONS) == expected


@pytest.mark.parametrize("names, expected", [
    (["Delcy Rodríguez", "Delcy Rodriguez", "Delcy Rodríguez"], ["Delcy Rodríguez"] * 3),
    (["Rodríguez", "Delcy Rodríguez"], ["Delcy Rodríguez"] * 2),
    (["Rodríguez", "Delcy Rodríguez", "Jorge Rodríguez"], ["Rodríguez", "Delcy Rodríguez", "Jorge Rodríguez"]),
    (["State Department", None], ["State Department", None]),
])
def test_harmonize_speakers(names, expected):
    got = canon.harmonize_speakers(pd.Series(names, dtype=object)).tolist()
    assert got == expected


TYPE_CASES = {
    "the package's generic types, from the role": ("Interior Secretary", "Doug Burgum", None, "government"),
    "from the speaker as written": (None, "the State Department", None, "government"),
    "expert": ("a professor of Latin American studies at Florida International University", "Jane Roe", None,
               "expert"),
    "business": ("chief executive of an oil company", "Mike Wirth", None, "business"),
    "media": ("a correspondent", "Jan Doe", None, "media"),
    "a name alone says nothing": (None, "Delcy Rodríguez", None, "other"),
    "lower-case 'us' is not the US": (None, "us", None, "other"),
    "no speaker at all": (None, None, None, "unattributed"),
    # the shipped corpus's own table (its story's cast) is tried first
    "story table: role": ("Venezuela's interim President", "Unknown Person", CORPUS_DIR / "speaker_types.csv",
                          "Venezuelan government"),
    "story table: name": (None, "Delcy Rodríguez", CORPUS_DIR / "speaker_types.csv", "Venezuelan government"),
    "story table: opposition before Venezuelan": ("Venezuelan opposition lawmaker", "Juan Guaidó",
                                                  CORPUS_DIR / "speaker_types.csv", "opposition"),
    "story table: role wins over name": ("Venezuela's foreign minister", "Trump", CORPUS_DIR / "speaker_types.csv",
                                         "Venezuelan government"),
    "story table, then the package's": ("a professor", "Jane Roe", CORPUS_DIR / "speaker_types.csv", "expert"),
}


@pytest.mark.parametrize("role, speaker, table, expected", TYPE_CASES.values(), ids=TYPE_CASES.keys())
def test_speaker_type(role, speaker, table, expected):
    assert speaker_type(role, speaker, table=table) == expected


def test_quote_table_types_with_the_corpus_table(raw, mentions):
    story = study.quote_table(raw, mentions, CORPUS_DIR / "speaker_types.csv")
    generic = study.quote_table(raw, mentions)
    delcy = story["speaker_entity"] == "Delcy Rodríguez"
    assert set(story.loc[delcy, "speaker_type"]) == {"Venezuelan government"}
    assert set(generic.loc[delcy, "speaker_type"]) == {"other"}
    assert set(story.loc[story["speaker_entity"] == "Doug Burgum", "speaker_type"]) == {"US government"}
    assert set(generic.loc[generic["speaker_entity"] == "Doug Burgum", "speaker_type"]) == {"government"}


def test_role_from_the_mentions_table_types_the_speaker(table, raw):
    # Jane Roe's role is only in the mentions table ("a professor at Harvard University").
    assert table.loc[table["speaker_entity"] == "Jane Roe", "speaker_type"].item() == "expert"
    assert study.quote_table(raw, None).query("speaker == 'Jane Roe'")["speaker_type"].item() == "other"


# --- per-outlet summaries -----------------------------------------------------------------------

def test_share_of_voice(table):
    sov = voices.share_of_voice(table)
    assert sov.groupby("outlet")["share_quotes"].sum().round(9).eq(1).all()
    assert sov.groupby("outlet")["share_words"].sum().round(9).eq(1).all()
    cbs = table[table["outlet"] == "CBS News"]
    burgum = sov[(sov["outlet"] == "CBS News") & (sov["speaker_entity"] == "Doug Burgum")].iloc[0]
    assert burgum["n_quotes"] == 2 and burgum["n_articles"] == 1
    want = cbs.loc[cbs["speaker_entity"] == "Doug Burgum", "n_words"].sum()
    assert burgum["n_words"] == want
    assert burgum["share_words"] == pytest.approx(want / cbs["n_words"].sum())
    fox = sov[sov["outlet"] == "Fox News"].set_index("speaker_entity")
    assert fox.loc["Delcy Rodríguez", "n_quotes"] == 2
    assert fox.loc[voices.UNATTRIBUTED, "speaker_type"] == "unattributed"


def test_direct_indirect_keeps_zero_rows(table):
    k = voices.direct_indirect(table).set_index(["outlet", "kind"])
    assert k.loc[("CBS News", "direct"), "n_quotes"] == 3 and k.loc[("CBS News", "indirect"), "n_quotes"] == 2
    assert k.loc[("Fox News", "indirect"), "n_quotes"] == 1
    assert k.loc[("CBS News", "direct"), "share_quotes"] == pytest.approx(0.6)
    one = table[table["kind"] == "direct"]
    assert voices.direct_indirect(one).set_index(["outlet", "kind"]).loc[("Fox News", "indirect"), "n_quotes"] == 0


def test_speaker_type_shares(table):
    t = voices.speaker_type_shares(table)
    assert len(t) == t["outlet"].nunique() * t["speaker_type"].nunique()   # full grid
    cbs = t[t["outlet"] == "CBS News"].set_index("speaker_type")
    # Burgum twice (his role), "Rodríguez's government", the State Department: the package's generic types
    assert cbs.loc["government", "n_quotes"] == 4 and cbs.loc["government", "n_speakers"] == 3
    assert cbs.loc["expert", "n_quotes"] == 1
    fox = t[t["outlet"] == "Fox News"].set_index("speaker_type")
    assert fox.loc["unattributed", "n_speakers"] == 0 and fox.loc["unattributed", "n_quotes"] == 1
    assert set(t["speaker_type"].drop_duplicates().tolist()[-2:]) == {"other", "unattributed"}  # always last


def test_speakers_quoted_by_one_outlet_only(table):
    per = voices.speaker_outlets(table).set_index("speaker_entity")
    assert per.loc["State Department", "n_outlets"] == 2
    assert per.loc["State Department", "outlets"] == "CBS News, Fox News"
    assert voices.UNATTRIBUTED not in per.index
    only = voices.one_outlet_speakers(table)
    assert set(zip(only["outlet"], only["speaker_entity"])) == {
        ("CBS News", "Doug Burgum"), ("CBS News", "Rodríguez's government"), ("CBS News", "Jane Roe"),
        ("Fox News", "Delcy Rodríguez")}
    assert voices.one_outlet_speakers(table[table["outlet"] == "CBS News"]).empty  # one outlet: nothing to compare


def test_shared_quotes_finds_the_statement_in_both_outlets(table):
    s = voices.shared_quotes(table)
    assert s["group"].nunique() == 1
    assert set(s["outlet"]) == {"CBS News", "Fox News"}
    assert s["quote"].str.contains("facilitate our joint efforts").all()
    assert (s["similarity"] >= voices.MIN_SIMILARITY).all() and (s["n_outlets"] == 2).all()


def test_shared_quotes_ignores_short_and_same_outlet_and_different_quotes(table):
    base = table.iloc[[3]]  # the statement at CBS
    other = base.assign(article_id="c")       # same outlet, another article
    assert voices.shared_quotes(pd.concat([base, other])).empty
    short = pd.DataFrame([dict(base.iloc[0], quote="will strengthen relations", n_words=3),
                          dict(base.iloc[0], article_id="d", outlet="Fox News", quote="will strengthen relations",
                               n_words=3)])
    assert voices.shared_quotes(short).empty
    different = base.assign(article_id="e", outlet="Fox News",
                            quote="We want to clear the path for them to get here and start working.", n_words=14)
    assert voices.shared_quotes(pd.concat([base, different])).empty
    assert len(voices.shared_quotes(pd.concat([base, different, base.assign(article_id="f", outlet="NPR")]))) == 2


def test_shared_quote_share(table):
    s = voices.shared_quote_share(table).set_index("outlet")
    assert s.loc["CBS News", "n_shared"] == 1 and s.loc["Fox News", "n_shared"] == 1
    cbs = table[table["outlet"] == "CBS News"]
    assert s.loc["CBS News", "n_shared_words"] == count_words(STATEMENT)
    assert s.loc["CBS News", "share_shared_words"] == pytest.approx(count_words(STATEMENT) / cbs["n_words"].sum())


# --- figures ------------------------------------------------------------------------------------

PLOTS = [
    (voices.plot_share_of_voice, voices.share_of_voice, "02-share-of-voice"),
    (voices.plot_direct_indirect, voices.direct_indirect, "02-direct-vs-indirect"),
    (voices.plot_speaker_types, voices.speaker_type_shares, "02-speaker-types"),
    (voices.plot_speakers_by_outlet, voices.share_of_voice, "02-speakers-by-outlet"),
    (voices.plot_shared_quotes, voices.shared_quote_share, "02-shared-quotes"),
]


@pytest.mark.parametrize("plot, summary, slug", PLOTS, ids=[p[2] for p in PLOTS])
def test_figures_write_png_svg_and_the_plotted_numbers(plot, summary, slug, table, tmp_path):
    import matplotlib.pyplot as plt

    fig, data = plot(summary(table), slug, tmp_path)
    plt.close(fig)
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / f"{slug}.{ext}").stat().st_size > 0
    csv = pd.read_csv(tmp_path / f"{slug}.csv")
    assert len(csv) == len(data) > 0 and "outlet" in csv and list(csv.columns) == list(data.columns)
    fig, data = plot(summary(study.quote_table(None, None)), slug, tmp_path / "empty")
    plt.close(fig)
    assert data.empty and pd.read_csv(tmp_path / "empty" / f"{slug}.csv").empty


def test_share_of_voice_figure_numbers_are_the_table_numbers(table, tmp_path):
    import matplotlib.pyplot as plt

    sov = voices.share_of_voice(table)
    fig, data = voices.plot_share_of_voice(sov, "02-share-of-voice", tmp_path, top=2)
    plt.close(fig)
    csv = pd.read_csv(tmp_path / "02-share-of-voice.csv")
    assert csv["speaker_entity"].nunique() == 2
    merged = csv.merge(sov, on=["outlet", "speaker_entity"])
    assert merged["pct_words"].round(6).tolist() == (100 * merged["share_words"]).round(6).tolist()


# --- the seed articles, end to end --------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_quotes():
    from presslens.loader import load_corpus

    articles = load_corpus(CORPUS_DIR)
    return articles, study.quotes(articles)


def test_seed_quotes_trace_back_to_the_articles(seed_quotes):
    articles, q = seed_quotes
    assert list(q.columns) == study.QUOTE_COLUMNS
    text = dict(zip(articles["article_id"], articles["text"]))
    outlet = dict(zip(articles["article_id"], articles["outlet"]))
    for r in q.itertuples():
        assert outlet[r.article_id] == r.outlet
        assert text[r.article_id][r.start:r.end] == r.quote
        assert r.n_words == count_words(r.quote)


def test_seed_state_department_statement_is_carried_by_both_outlets(seed_quotes):
    _, q = seed_quotes
    s = voices.shared_quotes(q)
    hit = s[s["quote"].str.contains("facilitate our joint efforts", regex=False)]
    assert set(hit["outlet"]) == {"CBS News", "Fox News"}
    assert hit["group"].nunique() == 1
    assert set(hit["speaker_entity"]) == {"State Department"}
    assert set(q.loc[q["speaker_entity"] == "State Department", "speaker_type"]) == {"US government"}


@pytest.mark.parametrize("fragment, entity, speaker_type", [
    ("We told all the companies", "Doug Burgum", "US government"),
    ("social and economic happiness", "Delcy Rodríguez", "Venezuelan government"),
    ("will strengthen relations between our two countries", "Delcy Rodríguez", "Venezuelan government"),
    ("she will return to Venezuela", "María Corina Machado", "opposition"),
])
def test_seed_speakers_are_linked_and_typed(seed_quotes, fragment, entity, speaker_type):
    _, q = seed_quotes
    row = q[q["quote"].str.contains(fragment, regex=False)]
    assert len(row) == 1
    assert row["speaker_entity"].item() == entity and row["speaker_type"].item() == speaker_type


# --- notebook 02, executed end to end on the shipped corpus -------------------------------------

NOTEBOOK = NOTEBOOKS_DIR / "02-quote-attribution.ipynb"
FIGURES = ["02-share-of-voice", "02-direct-vs-indirect", "02-speaker-types", "02-speakers-by-outlet",
           "02-shared-quotes"]


def test_notebook_follows_the_house_rules():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and all(f in nb.cells[0].source for f in FIGURES)
    params = nb.cells[1]
    assert params.cell_type == "code" and "parameters" in params.metadata.get("tags", [])
    for line in params.source.splitlines():
        assert re.match(r"^[A-Z_]+ = (\"[^\"]*\"|None|\d+)$", line), line
    assert 'CORPUS_DIR = "../corpus"' in params.source and 'FIGURES_DIR = "../figures"' in params.source
    for prev, cell in zip(nb.cells, nb.cells[1:]):
        assert not cell.get("outputs")
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class|for|while) ", cell.source, re.M)
            assert "matplotlib.use" not in cell.source and "/work" not in cell.source
            if cell is not params:
                assert prev.cell_type == "markdown"


@pytest.mark.slow
def test_notebook_runs_on_the_shipped_corpus(run_notebook):
    figures, _ = run_notebook(NOTEBOOK.name)
    for slug in FIGURES:
        for ext in ("png", "svg", "csv"):
            assert (figures / f"{slug}.{ext}").exists(), f"{slug}.{ext}"
    sov = pd.read_csv(figures / "02-share-of-voice.csv")
    assert set(sov["outlet"]) == {"CBS News", "Fox News"}
