"""Gender evidence of one article: what the article's own words say about each person it names.

Three kinds of evidence, each a row with the words that carry it (offsets into the text):

- honorific: "Mr." / "Mrs." / "Ms." (and Miss, Sir, Dame, Lady, Lord, Madam) right before a mention
  of the person (names.HONORIFIC_GENDER, English usage);
- role: a gendered noun in the title or apposition the article attaches to the mention ("spokeswoman",
  "his wife, ...", "Congresswoman"); nouns used for either sex ("chairman") are not evidence;
- pronoun: a third-person he/she that refers to the person, read as in the quote extractor: when the
  person is the grammatical subject of a clause in the outlet's own words, the first he/she/him/her/
  his/hers after the mention, in the same or the next sentence, outside quotation marks, with no other
  person named in between. This is the "most recent subject" heuristic of Lappin & Leass (1994) style
  pronoun resolution, restricted to the cases where no other person can be the antecedent.

Nothing here guesses from a name: name statistics are corpus-level (presslens.gender).
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from ..lexicon import FEMALE, GENDERED_PRONOUNS, GENDERED_ROLE_NOUNS, MALE, role_gender  # noqa: F401
from ..names import HONORIFIC_GENDER
from ..text import doc_text
from .doc_arrays import per_doc, token_attr
from .voice import is_inside, quoted_spans

DOC_COLUMNS = ["entity", "gender", "evidence", "start", "end", "cue_start", "cue_end"]

# "Mr." etc. right before the name (optionally one initial or first name in between is the name itself).
HONORIFIC_RE = re.compile(r"\b(" + "|".join(k.capitalize() for k in HONORIFIC_GENDER) + r")\.?\s+$")
# How far back from a mention an honorific is looked for (characters): "Mrs. " plus spacing.
HONORIFIC_WINDOW = 12
# The subject forms only: a possessive or object ("his", "her") in a clause about someone else
# ("Trump demanded that Smith prosecute his foes") refers to that someone as often as not.
SUBJECT_PRONOUNS = {"he": MALE, "she": FEMALE}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# A pronoun more than this many sentences after the subject mention is not read as referring to it.
PRONOUN_SENTENCES = 1


class Evidence(NamedTuple):
    """One piece of gender evidence: the person (article-level name), the gender, what shows it
    ("honorific: Ms.", "role: spokeswoman", "pronoun: she"), the mention's offsets and the cue's."""
    entity: str
    gender: str
    evidence: str
    start: int
    end: int
    cue_start: int
    cue_end: int


def honorific_before(text: str, start: int) -> re.Match | None:
    """The honorific ("Ms.") written right before offset `start`, if any (same line)."""
    m = HONORIFIC_RE.search(text[max(0, start - HONORIFIC_WINDOW):start])
    if m is None or "\n" in m.group(0):
        return None
    return m


def _person_rows(mentions: list[dict]) -> list[dict]:
    rows = [m for m in mentions if m.get("label") == "PERSON" and isinstance(m.get("entity"), str)]
    return sorted(rows, key=lambda m: int(m["start"]))


def _honorific_evidence(text: str, persons: list[dict]) -> list[Evidence]:
    out = []
    for m in persons:
        s, e = int(m["start"]), int(m["end"])
        h = honorific_before(text, s)
        if h is not None:
            a = s - len(h.group(0)) + h.start(1) - h.start(0)
            word = h.group(1)
            cue = text[a:a + len(word) + (1 if text[a + len(word):a + len(word) + 1] == "." else 0)]
            out.append(Evidence(m["entity"], HONORIFIC_GENDER[word.lower()], f"honorific: {cue}", s, e,
                                a, a + len(cue)))
            continue
        rg = role_gender(m.get("role"))
        if rg is not None:
            gender, noun = rg
            # the cue: the noun's last occurrence before the mention (a title), else after it (an apposition)
            lo = max(0, s - 200)
            before = [x for x in re.finditer(rf"\b{noun}\b", text[lo:s], re.I)]
            after = re.search(rf"\b{noun}\b", text[e:e + 200], re.I)
            if before:
                a = lo + before[-1].start()
            elif after:
                a = e + after.start()
            else:
                continue
            out.append(Evidence(m["entity"], gender, f"role: {noun}", s, e, a, a + len(noun)))
    return out


def _mention_token(doc, m: dict):
    span = doc.char_span(int(m["start"]), int(m["end"]), alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _is_subject_pronoun(t, quoted) -> str | None:
    """The gender of a he/she that is the subject of its clause, outside quotation marks; else None."""
    g = SUBJECT_PRONOUNS.get(t.lower_)
    if g is None or t.dep_ not in SUBJECT_DEPS or is_inside(quoted, t.idx, t.idx + len(t)):
        return None
    return g


def _pronoun_evidence(doc, text: str, persons: list[dict], quoted: list[tuple[int, int]]) -> list[Evidence]:
    """he/she as the subject of a clause, referring to a person who is a subject (module docstring):
    after the mention, in the same or the next sentence, or before it in the same sentence ("In her
    ruling, Smith wrote"), with no other person named in between or earlier in the sentence."""
    out = []
    # (start, end, start_char) of each sentence: numbers, not Spans, which would tie the Doc in a cycle
    sents = per_doc(doc, "sentence_spans", lambda d: [(s.start, s.end, s.start_char) for s in d.sents])
    sent_starts = [s[0] for s in sents]
    lower, idx, words = token_attr(doc, "lower_"), token_attr(doc, "idx"), token_attr(doc, "text")

    def subject_pronoun_at(i):  # _is_subject_pronoun of token i, the Token read only for a he/she
        return lower[i] in SUBJECT_PRONOUNS and _is_subject_pronoun(doc[i], quoted)

    for k, m in enumerate(persons):
        s, e = int(m["start"]), int(m["end"])
        if m.get("in_quote") or is_inside(quoted, s, e):
            continue
        root = _mention_token(doc, m)
        if root is None or root.dep_ not in SUBJECT_DEPS:
            continue
        sent_no = bisect.bisect_right(sent_starts, root.i) - 1
        first = sents[sent_no][2]
        if any(p["entity"] != m["entity"] and first <= int(p["start"]) < s for p in persons[:k]) or \
                any(subject_pronoun_at(i) for i in range(sents[sent_no][0], root.i)):
            continue  # "Jones said Smith started it and he ...", "He said Smith ...": "he" may be the other
        last_sent = min(len(sents) - 1, sent_no + PRONOUN_SENTENCES)
        # the next mention of anyone else ends the window: after it, "she" may be that other person
        nxt = next((p for p in persons[k + 1:] if p["entity"] != m["entity"]), None)
        limit = int(nxt["start"]) if nxt is not None else len(text)
        found = None
        for i in range(root.i + 1, sents[last_sent][1]):
            if idx[i] >= limit:
                break
            if idx[i] >= e and subject_pronoun_at(i):
                found = doc[i]
                break
        if found is None:  # cataphora: "After she ..., Smith said" / "In her ruling, Smith wrote"
            for i in range(sents[sent_no][0], root.i):
                if idx[i] + len(words[i]) <= s and lower[i] in GENDERED_PRONOUNS \
                        and not is_inside(quoted, idx[i], idx[i] + len(words[i])):
                    found = doc[i]
                    break
        if found is not None:
            out.append(Evidence(m["entity"], GENDERED_PRONOUNS[found.lower_], f"pronoun: {found.lower_}",
                                s, e, found.idx, found.idx + len(found)))
    return out


def person_evidence(doc, persons: list[dict], quoted: list[tuple[int, int]]) -> list[Evidence]:
    """Honorific, role and pronoun evidence for person mention rows (entity, start, end, role; in text
    order), the words in `quoted` spans never read as narration: the one reading of a person's gender
    from an article, used by the gender table and by the speaker resolver."""
    text = doc_text(doc)
    return _honorific_evidence(text, persons) + _pronoun_evidence(doc, text, persons, quoted)


def gender_rows(doc, mentions: list[dict], quotes: list[dict] | None = None) -> list[dict]:
    """Gender evidence rows (DOC_COLUMNS) for the PERSON mentions of one article, offsets into doc.text.

    `mentions`: the article's mention rows (extract.mentions); `quotes`: its quote rows, so that the
    words inside quotation marks (another voice) are never read as narration."""
    if doc is None:
        return []
    text = doc_text(doc)
    persons = _person_rows(mentions or [])
    if not text.strip() or not persons:
        return []
    rows = person_evidence(doc, persons, quoted_spans(text, quotes))
    rows.sort(key=lambda r: (r.start, r.cue_start))
    return [r._asdict() for r in rows]
