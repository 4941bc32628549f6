"""Who said what: direct and reported (indirect) quotes with speaker, cue and character offsets.

Method. spaCy gives the tokens, sentences, dependency parse and named entities (one parse per article,
shared with every other table). No library pairs news quotation marks or attributes them, so that part
is hand-written and local, in the spirit of textacy's `direct_quotations` (Burrows & co.) and the
PolNeAR attribution scheme (Newell, Margolin & Ruths 2018, source / cue / content):

1. Quotation marks are paired by `quotemarks` (double marks; single marks, British style and headlines,
   count only when attributed); a quote running over several paragraphs gives one row per paragraph.
2. A cue (`cues`) is a reporting verb or "according to" outside the marks, in the quote's sentence or a
   trailing attribution ('"...?" asked Jane Roe, the mayor, who ...'); the speaker is the verb's subject,
   for a non-finite cue the subject of the clause it modifies; in nested speech the innermost speaker.
   Without a cue (`framing`): a '― Name' signature, a verbless label line ('Jane Roe, mayor: "..."',
   '@handle:'), a transcript label ("PENCE: ..."), a sentence ending in ':' before the quote, reported
   speech in the sentence before, a person the paragraph brought in as its subject, the previous
   speaker (a floating quote continues them), or a verb of
   saying the quoted phrase hangs from. Short uncued quotes, titles, names given ("calling him 'Boss'"),
   phrases of title words and attribute values inside markup are not quotes.
3. Speakers are resolved by `speakers` and `roles` (pronouns, surnames, roles, documents, offices).
4. Reported speech (`reported`): 'indirect' rows.

Measured on the PolNeAR dev set (84 articles; ../shared/eval/score_quotes.py): direct F1 0.961, speaker
accuracy 0.940, attributed recall 0.900; on news-dev (36 articles, ../shared/eval/score_news.py): direct
F1 0.983, speaker accuracy 0.965. Extraction costs about 7% of the spaCy parse.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..names import is_title_word
from ..text import doc_text, paragraph_index, paragraph_spans
from .cues import cue_fields, cue_for_quote, governing_speaker, own_subject
from .framing import colon_intro, dash_speaker, label_speaker, paragraph_subject, previous_cue
from .quotemarks import (
    ALL_MARKS,
    OPEN_MARKS,
    STRAIGHT,
    block_spans,
    quote_spans,
    single_quote_spans,
)
from .reported import indirect_rows
from .speakers import (
    NO_SPEAKER,
    DocContext,
    Speaker,
    SpeakerFields,
    carried,
    speaker_fields,
    token_at,
)

EXTRACT_COLUMNS = ["quote", "start", "end", "kind", "cue", "cue_start", "cue_end", "speaker",
                   "speaker_start", "speaker_end", "speaker_role", "paragraph"]

MIN_UNCUED_WORDS = 4   # an uncued quote shorter than this is a scare quote or a title
# Share of its sentence(s) a quote must fill to continue the previous speaker (a quoted statement), and
# the lower share an uncued quote must fill to be kept at all (not a phrase inside narration).
FLOATING_SHARE = 0.6
UNCUED_SHARE = 0.35
# A floating quote continues the previous speaker only within this many lines of their last quote.
FLOATING_MAX_LINES = 1
# A title is short: at most this many words, every content word capitalised ("Fox News Sunday").
MAX_TITLE_WORDS = 6
# Verbs that give a name: "calling the president 'Daddy'", "dubbed 'Operation Sunrise'".
NAMING_LEMMAS = {"call", "dub", "name", "nickname", "title", "label", "brand", "term"}
# Characters looked at before an opening mark for words that introduce a name ("on CBS's").
WORK_LOOKBACK_CHARS = 25
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
TRANSCRIPT_RE = re.compile(r"^\s*((?:[A-Z][A-Z.'\u2019-]+\s){0,3}[A-Z][A-Z.'\u2019-]+)\s?:\s")
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "vs", "&"}
WORK_PRECEDERS = re.compile(r"(?:\b(?:on|of|in|at|to|from|a|an|the|by|for|during|into|its|his|her|their)|['\u2019]s)\s*$",
                            re.I)
NICK_BEFORE = re.compile(r"[A-Z][\w.]*\s*$")
NICK_AFTER = re.compile(r"^\s*[A-Z]")


def words(s: str) -> int:
    """Number of words (letters and digits, inner apostrophes kept) in `s`."""
    return len(WORD_RE.findall(s))


def is_title(quote: str) -> bool:
    """Whether a short quoted phrase is a title or name (every word capitalised: "Fox News Sunday")."""
    ws = WORD_RE.findall(quote)
    if not ws or len(ws) > MAX_TITLE_WORDS or quote.rstrip(" ,").endswith(("?", "!")):
        return False
    content = [w for w in ws if w.lower() not in SMALL_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content) and not (
        len(content) > 1 and all(w.isupper() for w in content))


def is_nickname(text: str, a: int, b: int) -> bool:
    """Whether a quoted word sits inside a name (Robert C. "Bobby" Scott)."""
    before = text[max(0, a - 20): a].rstrip(ALL_MARKS + "'")
    after = text[b: b + 5].lstrip(ALL_MARKS + "'")
    return words(text[a:b]) <= 2 and bool(NICK_BEFORE.search(before)) and bool(NICK_AFTER.match(after))


def names_a_work(text: str, a: int) -> bool:
    """Whether the words before an opening mark introduce a name ("on CBS's", "in the"), not a saying."""
    before = text[max(0, a - WORK_LOOKBACK_CHARS): a].rstrip(ALL_MARKS + " \u00a0")
    return bool(WORK_PRECEDERS.search(before))


def fills_sentence(a, b, doc, text, share: float = FLOATING_SHARE) -> bool:
    """Whether the quote makes up most of the sentence(s) it sits in (a quoted statement, not a phrase)."""
    first = token_at(doc, a)
    last = token_at(doc, max(a, b - 1), forward=False)
    if first is None or last is None:
        return False
    s0, s1 = first.sent.start_char, last.sent.end_char
    total = sum(1 for ch in text[s0:s1] if not ch.isspace())
    inside = sum(1 for ch in text[a:b] if not ch.isspace())
    return total > 0 and inside >= share * total


class Attribution(NamedTuple):
    """Who a direct quote is attributed to, by which cue, and by which kind of evidence (`how`)."""
    fields: SpeakerFields | None
    cue: object
    how: str  # cue, transcript, label, dash, continued, colon, previous, paragraph, floating, governed, none


# Evidence strong enough to keep a passage in single quotation marks as a quotation (a single-quoted
# phrase with no such attribution is a scare quote or a term).
SINGLE_EVIDENCE = {"cue", "label", "dash", "colon", "previous", "governed"}


def attribute(a, b, doc, ctx: DocContext, blocks, prev: Speaker | None, prev_block: int, open_multi,
              single: bool = False) -> Attribution:
    """The attribution of the direct quote with inner span [a, b), from the strongest evidence found."""
    text = ctx.text
    quote = text[a:b]
    bi = paragraph_index(blocks, a)
    found = cue_for_quote(a, b, doc, ctx, blocks)
    cue, sp = found if found else (None, None)
    weak_cue = None
    if cue is not None and sp is None:
        weak_cue, cue = cue, None  # a cue with nobody attached: try the other clues first
    if cue is not None:
        return Attribution(speaker_fields(sp, ctx, prev), cue, "cue")
    if not single and (lab := TRANSCRIPT_RE.match(quote)) is not None:
        # interview transcript: '"PENCE: Well, look, ..."'
        name = lab.group(1).strip()
        return Attribution(SpeakerFields(name.title(), a + lab.start(1), a + lab.start(1) + len(name), None,
                                         "PERSON"), None, "transcript")
    if (label := label_speaker(a, b, doc, ctx, blocks)) is not None:
        # a verbless label line: 'Jane Roe, mayor: "..."', '@handle: "..."', '"It hurts": Jane Roe'
        sp, handle = label
        fields = speaker_fields(sp, ctx, prev) if sp is not None else SpeakerFields(
            text[handle[0]:handle[1]], handle[0], handle[1], None, "NP")
        return Attribution(fields, None, "label")
    if (dash := dash_speaker(b, doc, ctx)) is not None:
        # '"...." ― Name' signature style
        return Attribution(speaker_fields(dash[1], ctx, prev), dash[0], "dash")
    if open_multi is not None and not single and text[blocks[bi][0]] in OPEN_MARKS + STRAIGHT + "'":
        return Attribution(open_multi[0], open_multi[1], "continued")
    if (intro := colon_intro(a, doc, ctx)) is not None:
        # "X said:" / "X reports:" right before the quote
        return Attribution(speaker_fields(intro[1], ctx, prev), intro[0], "colon")
    opens_line = text[blocks[bi][0]:a].strip(ALL_MARKS + "'\u2018 ") == ""
    statement = fills_sentence(a, b, doc, text)
    if (statement or opens_line) and (
            before := previous_cue(a, doc, ctx, blocks, prev.offset if prev is not None else -1)) is not None:
        # the sentence before attributes reported speech: 'Smith called out the judge, saying he was
        # absent.' then the quoted words
        return Attribution(speaker_fields(before[1], ctx, prev), before[0], "previous")
    if not single and statement and (subj := paragraph_subject(a, ctx, blocks[bi], prev)) is not None:
        # the paragraph brought in a new person as its subject: the quote that follows is theirs
        return Attribution(speaker_fields(subj, ctx, prev), None, "paragraph")
    if not single and prev is not None and bi - prev_block <= FLOATING_MAX_LINES and statement:
        # floating quote: continues the previous speaker (the same mention, e.g. '"...," she said. "..."')
        return Attribution(carried(prev), prev.cue, "floating")
    if (gov := governing_speaker(a, b, doc, ctx)) is not None:
        # a phrase quoted as someone's words: 'Trump likened the refugees to a "vicious snake"'
        return Attribution(speaker_fields(gov[1], ctx, prev), gov[0], "governed")
    return Attribution(None, weak_cue, "none")


def candidate_spans(text: str) -> list[tuple[int, int, bool, bool]]:
    """(start, end, continued, single) of every passage in quotation marks, double and single, in text order."""
    doubles = quote_spans(text)
    singles = single_quote_spans(text, [(a - 1, b + 1) for a, b, _ in doubles])
    return sorted([(a, b, c, False) for a, b, c in doubles] + [(a, b, c, True) for a, b, c in singles])


def is_scare_title(quote: str) -> bool:
    """Whether a quoted phrase is made only of titles ("acting President"): a scare quote, not speech."""
    ws = WORD_RE.findall(quote)
    return bool(ws) and len(ws) <= MAX_TITLE_WORDS and all(is_title_word(w) for w in ws)


def is_name_given(a, doc, ctx: DocContext) -> bool:
    """Whether a quoted phrase is the name given in "call/dub/name/nickname X 'Y'" (an object predicate)."""
    first = token_at(doc, a)
    if first is None:
        return False
    head = first
    while head.head.i != head.i and ctx.quoted(head.head):
        head = head.head
    if head.dep_ == "oprd":
        return True
    named = head.head.head if head.dep_ == "appos" else head.head  # 'calling the president "Daddy"'
    return named.lemma_.lower() in NAMING_LEMMAS and (head.dep_ == "appos" or (
        head.dep_ in ("dobj", "npadvmod", "attr") and any(c.dep_ == "dobj" and c.i != head.i for c in named.children)))


def sentence_speaker(a, doc, ctx: DocContext):
    """(main verb, subject) of the sentence holding an uncued quote when the subject is a named person or a
    personal pronoun ('Reid has gone after Trump as a "human leech"'), else None."""
    first = token_at(doc, a)
    if first is None:
        return None
    root = first.sent.root
    if ctx.quoted(root):
        return None
    subj = own_subject(root, ctx)
    if subj is None or subj.i > first.i:
        return None
    e = ctx.entity(subj, ("PERSON",))
    if (e is not None and ctx.is_person(e)) or subj.lower_ in ("he", "she"):
        return root, subj
    return None


def quotes_from_doc(doc) -> list[dict]:
    """One dict per quote (EXTRACT_COLUMNS), offsets into doc.text; direct quotes first attributed, then reported speech."""
    text = doc_text(doc) if doc is not None else ""
    if not text or not text.strip() or len(doc) == 0:
        return []
    spans = candidate_spans(text)
    ctx = DocContext(doc, [(a, b, c) for a, b, c, _ in spans])
    paras = paragraph_spans(text)
    blocks = block_spans(text)
    rows: list[dict] = []
    prev: Speaker | None = None
    prev_block = -10
    open_multi = None  # (speaker fields, cue) carried through a multi-paragraph quote
    events: list[Speaker] = []  # speakers of direct quotes, in text order, for the reported-speech pass
    for a, b, continued, single in spans:
        # trim whitespace inside the marks
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
            b -= 1  # the comma before '," she said' belongs to the attribution, not the words
        if b <= a:
            continue
        quote = text[a:b]
        if is_title(quote) and (single or names_a_work(text, a) or is_nickname(text, a, b)):
            continue  # a programme, book or nickname in marks ("Face the Nation"), not speech
        if text[max(0, a - 3):a].rstrip(ALL_MARKS + "'\u2018").endswith("="):
            continue  # an attribute value inside markup ('<tweet author="...">'), not a quote
        if is_scare_title(quote) or (is_title(quote) and is_name_given(a, doc, ctx)):
            continue  # "acting President"; 'calling the president "Daddy"': a title or a name given
        pi = paragraph_index(paras, a)
        bi = paragraph_index(blocks, a)
        att = attribute(a, b, doc, ctx, blocks, prev, prev_block, open_multi, single)
        cue, fields = att.cue, att.fields
        if single and att.how not in SINGLE_EVIDENCE:
            continue  # single marks without an attribution: a scare quote or a term
        if fields is None and (words(quote) < MIN_UNCUED_WORDS or not fills_sentence(a, b, doc, text, UNCUED_SHARE)):
            open_multi = None
            continue  # nobody saying it: a scare quote, a title or a name in marks
        if fields is None and (found := sentence_speaker(a, doc, ctx) or previous_cue(a, doc, ctx, blocks, -1)):
            # 'Reid has gone after Trump as a "human leech ..."' (a named subject of the quote's sentence), or
            # 'Officials said there was no sign of it. ... there is "no evidence of ..."' (the sentence before)
            cue, fields = found[0], speaker_fields(found[1], ctx, prev)
        f = fields or NO_SPEAKER
        c = cue_fields(cue)
        rows.append({"quote": quote, "start": a, "end": b, "kind": "direct", "cue": c.text, "cue_start": c.start,
                     "cue_end": c.end, "speaker": f.name, "speaker_start": f.start, "speaker_end": f.end,
                     "speaker_role": f.role, "paragraph": pi})
        if f.name is not None:
            prev = Speaker(f.name, f.label or "NP", f.role, f.start if f.start is not None else a,
                           f.start, f.end, cue)
            prev_block = bi
            events.append(prev)
        open_multi = (f, cue) if continued else None
    rows.extend(indirect_rows(doc, ctx, events))
    rows.sort(key=lambda r: (r["start"], r["kind"]))
    return rows
