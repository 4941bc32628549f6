"""Tests for presslens.extract.quotes: direct quotes, cues, speakers and reported speech on small texts
written for the tests, the seed articles against a hand-written gold list, bad input, and the PolNeAR dev
score (skipped when absent)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from presslens import extract_quotes
from presslens.extract.quotes import EXTRACT_COLUMNS, quotes_from_doc
from presslens.paths import PROJ_ROOT
from presslens.text import paragraph_index, paragraph_spans

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVAL_DIR = PROJ_ROOT.parent / "shared" / "eval"
SEED_FILES = {"000_86ed5efb6f595550.txt": "CBS News", "002_63de87443d35718d.txt": "Fox News"}


def run(nlp, text):
    return pd.DataFrame(quotes_from_doc(nlp(text)), columns=EXTRACT_COLUMNS)


def check_offsets(text, df):
    """Every row traces back to the text: quote, cue and speaker offsets, paragraph index."""
    spans = paragraph_spans(text)
    for r in df.itertuples():
        assert text[r.start:r.end] == r.quote
        if r.cue is not None:
            assert text[int(r.cue_start):int(r.cue_end)] == r.cue
        if r.speaker_start is not None and r.speaker_start == r.speaker_start:
            assert 0 <= r.speaker_start < r.speaker_end <= len(text)
        assert r.paragraph == paragraph_index(spans, r.start)


def test_columns_are_the_contract():
    assert EXTRACT_COLUMNS == ["quote", "start", "end", "kind", "cue", "cue_start", "cue_end", "speaker",
                               "speaker_start", "speaker_end", "speaker_role", "paragraph"]


# --- attribution on small texts ------------------------------------------------------------------

CASES = {
    "speaker after quote": (
        '"We will win the vote next week," John Smith said.',
        [("direct", "John Smith", "We will win the vote next week", "said")]),
    "said X (inverted)": (
        '"We will win the vote next week," said Mayor Jane Doe.',
        [("direct", "Jane Doe", "We will win the vote next week", "said")]),
    "colon introduction": (
        'Jane Doe said: "The plan is dead and we will not revive it."',
        [("direct", "Jane Doe", "The plan is dead and we will not revive it.", "said")]),
    "colon on the previous paragraph": (
        'Jane Doe, the mayor, continued:\n\n"The plan is dead and we will not revive it in any form."',
        [("direct", "Jane Doe", "The plan is dead and we will not revive it in any form.", "continued")]),
    "cue inside a split quote": (
        'Jane Doe spoke on Monday. "The plan is dead," she said, "and we will not revive it."',
        [("direct", "Jane Doe", "The plan is dead", "said"),
         ("direct", "Jane Doe", "and we will not revive it.", "said")]),
    "floating quote continues the speaker": (
        '"We will rebuild the bridge," John Smith said.\n\n"It will take two years and cost a lot of money."',
        [("direct", "John Smith", "We will rebuild the bridge", "said"),
         ("direct", "John Smith", "It will take two years and cost a lot of money.", None)]),
    "pronoun resolved to the earlier name": (
        'Jane Doe spoke to reporters on Monday.\n\n"We are ready for the storm," she said.',
        [("direct", "Jane Doe", "We are ready for the storm", "said")]),
    "surname resolved to the full name": (
        'Interior Secretary Doug Burgum visited Caracas on Monday.\n\n"We want to help them," Burgum told reporters.',
        [("direct", "Doug Burgum", "We want to help them", "told")]),
    "'it' is the subject of its own sentence, not the last place named": (
        'The United Nations Security Council on Friday condemned the nuclear test by North Korea and pledged '
        'to impose sanctions as a deterrence to what it called "a clear threat to international peace and security."',
        [("direct", "United Nations Security Council", "a clear threat to international peace and security.",
          "called")]),
    "'they' is a plural subject of its own sentence": (
        'Campaign aides gathered in Ohio on Tuesday to contrast her approach with what they call Donald Trump\'s '
        '"self-centered message about the economy."',
        [("direct", "Campaign aides", "self-centered message about the economy.", "call")]),
    "a document is its issuer's": (
        'Officials in Florida met on Monday. Governor Jane Doe released a letter from her doctor on Friday '
        'that says she is in "excellent health for a woman of her age."',
        [("direct", "Jane Doe", "excellent health for a woman of her age.", "says")]),
    "statement resolved to the organisation": (
        'The State Department said on Monday that talks would continue next month in the capital. '
        '"Our engagement is focused on peace in the region," the statement said.',
        [("indirect", "State Department", "talks would continue next month in the capital", "said"),
         ("direct", "State Department", "Our engagement is focused on peace in the region", "said")]),
    "partial quote inside reported speech": (
        'Acting President Delcy Rodríguez said on television that such steps "will strengthen relations '
        'between our two countries."',
        [("direct", "Delcy Rodríguez", "will strengthen relations between our two countries.", "said")]),
    "nested single quotes": (
        'John Smith said: "They called it \'a disaster\' and then left the room."',
        [("direct", "John Smith", "They called it 'a disaster' and then left the room.", "said")]),
    "according to X (indirect)": (
        "According to the State Department, the embassy in the capital will reopen next month.",
        [("indirect", "State Department", "the embassy in the capital will reopen next month", "According to")]),
    "X said that (indirect)": (
        "Mayor Jane Doe said that the old bridge would close for repairs in June.",
        [("indirect", "Jane Doe", "the old bridge would close for repairs in June", "said")]),
    "X told reporters (indirect)": (
        "John Smith told reporters the company would hire two hundred workers this year.",
        [("indirect", "John Smith", "the company would hire two hundred workers this year", "told")]),
    "signature after a dash": (
        '"The debate changed my mind about the whole election." \u2015 Maria Lopez',
        [("direct", "Maria Lopez", "The debate changed my mind about the whole election.", "\u2015")]),
    "interview transcript label": (
        '"SMITH: We have to fix the roads before the winter comes."',
        [("direct", "Smith", "SMITH: We have to fix the roads before the winter comes.", None)]),
    "scare quote is not a quote": (
        'The so-called "peace plan" was presented on Monday by the ministry.', []),
    "title of a programme is not a quote": (
        'John Smith appeared on "Face the Nation" on Sunday morning.', []),
    "no quotes at all": ("The river rose two metres overnight and the town was evacuated.", []),
    # single quotation marks: quotes when attributed, scare quotes otherwise
    "single marks with a cue (British style)": (
        "\u2018We will not back down from this fight,\u2019 said Mayor Jane Roe.",
        [("direct", "Jane Roe", "We will not back down from this fight", "said")]),
    "single marks in a headline": (
        "Jane Roe says the city will \u2018rebuild every home\u2019 after the flood",
        [("direct", "Jane Roe", "rebuild every home", "says")]),
    "single-marked scare quote is not a quote": ("The \u2018reform\u2019 package passed on Tuesday.", []),
    "title words in marks are a scare quote": ('The "acting President" signed the order on Monday.', []),
    "a name given is not a quote": ('The senator praised the mayor, calling her "Boss" in front of reporters.', []),
    "an attribute inside markup is not a quote": ('<tweet author="Jane Roe said the plan failed badly"> x', []),
    "'goes without saying' is not a cue": ('It goes without saying that the "Grand Plan" failed.', []),
    # verbless label lines
    "label line with a description": (
        'Jane Roe, The Daily Planet: "The council must resign before the next vote."',
        [("direct", "Jane Roe", "The council must resign before the next vote.", None)]),
    "label line with a handle": (
        '@cityhall: "Roads will reopen at noon on Friday for all traffic."',
        [("direct", "@cityhall", "Roads will reopen at noon on Friday for all traffic.", None)]),
    "quoted heading followed by the speaker": (
        "\u2018It hurts so much\u2019: Jane Roe after the final\n\nThe team lost on Sunday.",
        [("direct", "Jane Roe", "It hurts so much", None)]),
    # non-finite cues take the subject of the clause they modify
    "participle after a comma": (
        'Mayor Jane Roe confirmed that all residents would have to leave, stating: "It is not a question of '
        'if, but when."',
        [("indirect", "Jane Roe", "all residents would have to leave", "confirmed"),
         ("direct", "Jane Roe", "It is not a question of if, but when.", "stating")]),
    "participle after a preposition": (
        'John Smith left the hearing after dismissing the report as "a work of fiction and nothing more."',
        [("direct", "John Smith", "a work of fiction and nothing more.", "dismissing")]),
    "participle after a subordinator": (
        'Jane Roe walked past the stadium where the Tigers played on Sunday while chanting, "We want answers '
        'now."',
        [("direct", "Jane Roe", "We want answers now.", "chanting")]),
    "X told Y: the teller speaks": (
        'John Smith told Jane Roe that the plan was "dead on arrival and beyond repair."',
        [("direct", "John Smith", "dead on arrival and beyond repair.", "told")]),
    "'Of X, he said': he speaks": (
        'John Smith spoke on Monday. Of Jane Roe, he said: "She is the best mayor this city has had."',
        [("direct", "John Smith", "She is the best mayor this city has had.", "said")]),
    "question followed by a long attribution": (
        '"Why would we stop now?" asked Jane Roe, the mayor of the city, who has long opposed the plan and '
        'every one of its backers.',
        [("direct", "Jane Roe", "Why would we stop now?", "asked")]),
    "quote after reported speech in the previous paragraph": (
        "During the hearing, Senator Jane Roe criticized the agency, saying it had failed the town.\n\n"
        '"You were nowhere to be found when we needed you most."',
        [("indirect", "Jane Roe", "it had failed the town", "saying"),
         ("direct", "Jane Roe", "You were nowhere to be found when we needed you most.", "saying")]),
    # documents, offices, roles and organisations
    "a statement issued": (
        'The Health Ministry issued a statement saying the talks had "failed completely and would not resume."',
        [("direct", "Health Ministry", "failed completely and would not resume.", "saying")]),
    "his office speaks for him": (
        'Senator John Smith missed the vote on Monday.\n\n"The senator is recovering at home and will return '
        'soon," his office said in a statement.',
        [("direct", "John Smith", "The senator is recovering at home and will return soon", "said")]),
    "'the judge' is the judge named before": (
        'Judge Jane Roe dismissed the case on Monday.\n\n"The appointment was invalid from the start," the judge '
        'wrote.',
        [("direct", "Jane Roe", "The appointment was invalid from the start", "wrote")]),
    "'the senator' after 'Sen.'": (
        'Sen. Jane Roe voted against the bill.\n\n"This bill is a disaster for every family," the senator said.',
        [("direct", "Jane Roe", "This bill is a disaster for every family", "said")]),
    "'the department' is the department named before": (
        'The Justice Department filed its appeal on Monday.\n\n"We will fight this ruling in every court," the '
        'department said.',
        [("direct", "Justice Department", "We will fight this ruling in every court", "said")]),
    # nested speech: the words belong to the innermost speaker
    "relayed by a newspaper": (
        'John Smith said last week that the patient was "a very sick man," the Daily Planet reported.',
        [("indirect", "Daily Planet", 'John Smith said last week that the patient was "a very sick man', "reported"),
         ("direct", "John Smith", "a very sick man", "said")]),
    "X quoted Y as saying": (
        'The Daily Planet quoted John Smith as saying the plan was "dead on arrival."',
        [("direct", "John Smith", "dead on arrival.", "saying")]),
    "a dateline is never the speaker": (
        'WASHINGTON (Reuters) - "We will not accept this deal under any circumstances," Jane Roe said on Monday.',
        [("direct", "Jane Roe", "We will not accept this deal under any circumstances", "said")]),
    "two people share a surname: the one named most often in full": (
        "Senator Jane Roe arrived with her husband, John Roe. Jane Roe spoke first, and Jane Roe spoke last.\n\n"
        '"We are ready for this fight," Roe said.',
        [("direct", "Jane Roe", "We are ready for this fight", "said")]),
    "'According to X,' attributes the quote in its clause": (
        "The plan was announced by Jane Roe, the head of people at the firm.\n\nAccording to Roe, the cuts are part "
        "of the firm's efforts to act \u201clike a garage workshop again\u201d\u2014a structure that "
        "emphasizes speed.",
        [("indirect", "Jane Roe", None, "According to"),
         ("direct", "Jane Roe", "like a garage workshop again", "According to")]),
    "a quantifier speaks for the group named before it, not for a measure": (
        "Supporters queued for hours outside the town hall on Friday evening, and while the vote was not what "
        "they hoped for, many say the campaign has been \u201cworth every minute.\u201d",
        [("indirect", "Supporters", None, "say"), ("direct", "Supporters", "worth every minute.", "say")]),
    "an age description is the person just quoted": (
        "\u201cI kept the ball out of the net for two hours, and that is all a keeper can do,\u201d said John Smith, "
        "who played again on Friday.\n\n\u201cIt was the longest evening of my career and I loved every second,"
        "\u201d the 31-year-old goalkeeper said.",
        [("direct", "John Smith", "I kept the ball out of the net for two hours, and that is all a keeper can do", "said"),
         ("direct", "John Smith", "It was the longest evening of my career and I loved every second", "said")]),
    "an indefinite role named right after": (
        "The park reopened on Monday after a judge found the agency \u201chad no legal basis"
        "\u201d to close it.\n\nCounty Judge Jane Roe said the agency had acted too fast.",
        [("direct", "Jane Roe", "had no legal basis", "found"),
         ("indirect", "Jane Roe", None, "said")]),
    "he after a new paragraph that brings in another man": (
        "\u201cWe will talk less about budgets and more about bus routes,\u201d John Smith said.\n\n"
        "The idea was rejected by Jane Roe. The reaction of Mayor Tom Brown was much harsher. At a press "
        "conference before his trip he said that it was \u201cshameful\u201d that the town would not pay.",
        [("direct", "John Smith", "We will talk less about budgets and more about bus routes", "said"),
         ("indirect", "Tom Brown", None, "said"), ("direct", "Tom Brown", "shameful", "said")]),
    "'according to' a source after the speaker's own cue relays the speaker": (
        "\u201cI do not lend my name to people who insult my town,\u201d Roe said at a press conference "
        "after a rally, according to The Daily Planet.",
        [("direct", "Roe", "I do not lend my name to people who insult my town", "said")]),
    "he after a new paragraph: not a man named inside what someone says": (
        "\u201cWe will talk less about budgets and more about bus routes,\u201d John Smith said.\n\n"
        "The remark was an addition to a talk in which Mayor Bill Harlow criticized the plan, but argued that Tom Brown was "
        "a \u201cpoor planner.\u201d \u201cI have run a town,\u201d he said, \u201cand I know a weak plan.\u201d",
        [("direct", "John Smith", "We will talk less about budgets and more about bus routes", "said"),
         ("indirect", None, None, "argued"), ("direct", None, "poor planner.", "argued"),
         ("direct", "Bill Harlow", "I have run a town", "said"), ("direct", "Bill Harlow", "and I know a weak plan.", "said")]),
    "the subject of a passive cue is what is talked about; a term in marks is no quote": (
        "From left, Jane Roe and John Smith\n\n"
        "Both claims were dropped \u201cfor now,\u201d meaning they could be filed again later.",
        []),
    "a passive cue's speaker is its 'by' phrase, wherever the parser hung it": (
        "The plan was described as \u201ca disaster for the city\u201d by Mayor Jane Roe on Monday.",
        [("direct", "Jane Roe", "a disaster for the city", "described")]),
    "a document's words are its issuer's": (
        "Member towns will spend 3% of their budgets on roads by 2030 \u201cto keep our shared promises\u201d, "
        "according to the final text of the charter of the Valley Towns League.",
        [("indirect", "Valley Towns League", None, "according to"),
         ("direct", "Valley Towns League", "to keep our shared promises", "according to")]),
    "an uncued quote after a paragraph brings in a new person as its subject": (
        "\"We need to stop painting every landlord with the same brush,\" Jim Pelham said on "
        "\"Morning Desk.\"\n\nOn \"Town Talk,\" Sen. Bill Sandoval, who lost the primary, identified "
        "the fatigue of young renters as one reason for hope. \"The younger tenants are more than any group "
        "in town tired of waiting for cheap housing.\"\n\nBut for the city, the questions will take longer.",
        [("direct", "Jim Pelham", "We need to stop painting every landlord with the same brush", "said"),
         ("direct", "Bill Sandoval", "The younger tenants are more than any group in town tired of waiting for "
          "cheap housing.", None)]),
    "a possessive speaker keeps the article's apostrophe": (
        "Senator Jane Roe spoke on Monday.\n\nRoe\u2019s campaign said: \u201cWe are ready for the debate and "
        "we will win it.\u201d",
        [("direct", "Jane Roe\u2019s campaign", "We are ready for the debate and we will win it.", "said")]),
    "a quoted phrase inside the content of a claim": (
        "After the hearing the auditors looked at Jane Roe\u2019s claim that there have been \u201chundreds "
        "of potholes\u201d on the ring road this spring alone.",
        [("direct", "Jane Roe", "hundreds of potholes", "claim")]),
    "a non-finite cue in the second of two conjoined phrases": (
        "Dr. Tom Brown appeared at a 2019 inquiry for his role in selling sleep tonics on his podcast and for "
        "saying that a herbal tea was a \u201cmiracle cure for every kind of insomnia.\u201d\n\n"
        "He bought a \u201cphilanthropub\u201d in the city.",
        [("direct", "Tom Brown", "miracle cure for every kind of insomnia.", "saying")]),
    "footage of X asking": (
        "A new ad from the campaign is seizing on recent comments by its rival.\n\nThe ad uses footage of Jane "
        "Roe asking, \u201cWhy is the bridge still closed, you might wonder?\u201d",
        [("direct", "Jane Roe", "Why is the bridge still closed, you might wonder?", "asking")]),
    "'as X put it' right after the quote attributes it": (
        "Other members of the board echo her doubts, in part because the key condition for the loan is a "
        "\"steady stream of rental income,\" as a Treasury Board memo put it.",
        [("direct", "Treasury Board", "steady stream of rental income", "put")]),
    "the listener's own clause is not what is told": (
        "In a town meeting this weekend, Tom Brown, the chairman of the club, told a young man who "
        "suggested that some fans may stay home that \"this is not the first team to lose a final and staying "
        "home is not a loyal choice.\"",
        [("direct", "Tom Brown", "this is not the first team to lose a final and staying home is not a loyal "
          "choice.", "told")]),
    "a long attribution sentence led by its subject, a nickname in marks inside": (
        "\"What a night for our next mayor, Bill Harlow!\" Harlow's cousin, state Rep. Jane \"JJ\" Roe "
        "(D-Springfield), shouted to the crowd.",
        [("direct", "Harlow's cousin", "What a night for our next mayor, Bill Harlow!", "shouted")]),
    "a next sentence with a reporting verb and its own clause is no attribution": (
        "Officials said there is no sign of a leak. No wells have tested positive, and there is \u201cno "
        "evidence of contamination of the water supply at all\u201d. Field teams will continue "
        "testing the wells near the plant.",
        [("indirect", "Officials", None, "said"),
         ("direct", "Officials", "no evidence of contamination of the water supply at all", None)]),
    "a demonstrative subject of a content clause is not the speaker": (
        "However, Jane Roe's brief said that was not her view and dismissed those reports as \"old "
        "misread remarks.\"",
        [("indirect", "Jane Roe", None, "said"), ("direct", "Jane Roe", "old misread remarks.", None)]),
    "a new reporting verb from the lexicon": (
        '"The money will be there on Monday," the minister Jane Roe assured reporters.',
        [("direct", "Jane Roe", "The money will be there on Monday", "assured")]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_attribution_cases(nlp, name):
    text, expected = CASES[name]
    df = run(nlp, text)
    check_offsets(text, df)
    assert len(df) == len(expected), df[["quote", "kind", "speaker", "cue"]].to_string()
    for r, (kind, speaker, quote, cue) in zip(df.sort_values("start").itertuples(), expected):
        assert r.kind == kind
        if quote is not None:
            assert r.quote.strip() == quote
        if speaker is not None:
            assert r.speaker == speaker
        if cue is not None:
            assert r.cue == cue


def test_speaker_mention_and_role(nlp):
    text = 'Hugh Hill, a doctor at the clinic, said: "We saw dozens of patients every single day."'
    df = run(nlp, text)
    r = df.iloc[0]
    assert r.speaker == "Hugh Hill"
    assert text[int(r.speaker_start):int(r.speaker_end)] == "Hugh Hill"
    assert "doctor" in r.speaker_role


def test_pronoun_speaker_span_points_at_the_pronoun(nlp):
    text = 'Jane Doe spoke to reporters on Monday.\n\n"We are ready for the storm," she said.'
    r = run(nlp, text).iloc[0]
    assert text[int(r.speaker_start):int(r.speaker_end)] == "she"
    assert r.speaker == "Jane Doe"


def test_title_is_the_speaker_role(nlp):
    text = '"We want to help them," Interior Secretary Doug Burgum told reporters.'
    r = run(nlp, text).iloc[0]
    assert r.speaker == "Doug Burgum" and r.speaker_role == "Interior Secretary"


def test_multi_paragraph_quote_one_row_per_paragraph(nlp):
    text = ('John Smith, the director, said: "The first part of the plan is to repair the roads.\n\n'
            '"The second part is to build new schools in every district."')
    df = run(nlp, text)
    assert list(df["paragraph"]) == [0, 1]
    assert set(df["speaker"]) == {"John Smith"}
    assert set(df["kind"]) == {"direct"}


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "",
    None,
    "   \n\n  ",
    'He said "this never ends. And another " mark and one more " here',
    '"""',
    "\u201c\u201c\u201d\u201d\u201d",
    '"' * 51,
    'She said: "unclosed\n\nnext paragraph without marks',
])
def test_bad_input_never_raises(text):
    df = extract_quotes(text)
    assert list(df.columns) == EXTRACT_COLUMNS
    if isinstance(text, str):
        check_offsets(text, df)


def test_huge_text_runs(nlp):
    para = 'John Smith said the council would meet again. "We will decide next week," he said.'
    text = "\n\n".join([para] * 200)
    df = extract_quotes(text)
    assert (df["kind"] == "direct").sum() == 200
    assert set(df.loc[df["kind"] == "direct", "speaker"]) == {"John Smith"}


# --- the seed articles against the hand-written gold list -----------------------------------------

def _seed_texts() -> dict[str, str]:
    """Clean text of each seed article, as the loader reads it (a broken loader fails this test)."""
    from presslens import load_corpus

    arts = load_corpus()
    texts = {Path(p).name: t for p, t in zip(arts["path"], arts["text"])}
    assert set(SEED_FILES) <= set(texts)
    return texts


@pytest.fixture(scope="module")
def seed_rows(nlp):
    return {name: run(nlp, text) for name, text in _seed_texts().items()}


GOLD = pd.read_csv(FIXTURES / "seed_quotes.csv")


def _overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


@pytest.mark.parametrize("i", range(len(GOLD)))
def test_seed_quote_found_with_speaker(seed_rows, i):
    g = GOLD.iloc[i]
    text = _seed_texts()[g.file]
    df = seed_rows[g.file]
    want = g.quote.strip('"\u201c\u201d ')
    a = text.index(want)
    b = a + len(want)
    hits = df[(df["kind"] == g.kind) & df.apply(lambda r: _overlap(r.start, r.end, a, b) >= 0.5 * (b - a), axis=1)]
    assert len(hits), f"not found: {g.kind} {want[:60]!r}"
    r = hits.iloc[0]
    assert g.speaker.split()[-1] in (r.speaker or ""), (r.speaker, g.speaker)
    assert r.cue is not None and g.cue.lower() in r.cue.lower()
    check_offsets(text, df)


def test_seed_direct_quotes_have_no_extras(seed_rows):
    """Every direct quote found in the seeds is one of the gold quotes (no scare quotes, no captions)."""
    for name, df in seed_rows.items():
        gold = [q.strip('"\u201c\u201d ') for q in GOLD.loc[(GOLD.file == name) & (GOLD.kind == "direct"), "quote"]]
        for q in df.loc[df["kind"] == "direct", "quote"]:
            assert any(q.strip() in g or g in q for g in gold), q


def test_seed_roles(seed_rows):
    cbs = seed_rows["000_86ed5efb6f595550.txt"]
    roles = dict(zip(cbs["speaker"], cbs["speaker_role"]))
    assert roles["Delcy Rodríguez"] == "Acting President"
    assert roles["Doug Burgum"] == "Interior Secretary"


# --- the PolNeAR dev score (research data kept outside the repo) -----------------------------------

# A little under the measured figures (2026-11-30: F1 0.961, speaker 0.940, attributed 0.900, speech 0.828,
# indirect precision 0.942), so a change that costs a handful of speakers fails here.
FLOOR = {"direct_f1": 0.95, "speaker_accuracy": 0.93, "attributed_recall": 0.89,
         "speech_recall": 0.80, "indirect_precision": 0.92}


def test_polnear_dev_score_meets_the_floor():
    scorer = EVAL_DIR / "score_quotes.py"
    gold = EVAL_DIR / "polnear-dev"
    if not scorer.exists() or not gold.exists():
        pytest.skip("../shared/eval (PolNeAR dev set and scorer) is not available")
    spec = importlib.util.spec_from_file_location("score_quotes", scorer)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.score(gold, extract_quotes)
    for key, floor in FLOOR.items():
        assert res[key] >= floor, (key, res[key], res)



def test_a_document_s_speaker_mention_is_its_issuer(nlp):
    """'He released a letter ... that says "..."': the words are the letter's, the speaker mention is He."""
    text = ("Walt Hollis spoke in the morning. He released a letter from his doctor on Friday that says "
            "he is in \u201cexcellent shape for a marathon runner\u201d at his age.")
    df = run(nlp, text)
    check_offsets(text, df)
    (row,) = df[df["kind"] == "direct"].itertuples()
    assert row.speaker == "Walt Hollis"
    assert text[int(row.speaker_start):int(row.speaker_end)] == "He"
