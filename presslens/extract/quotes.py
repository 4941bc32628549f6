"""Who said what: direct and reported (indirect) quotes with speaker, cue and character offsets (issue 4).

Method. spaCy gives the tokens, sentences, dependency parse and named entities (one parse per article,
shared with every other table). No library pairs news quotation marks or attributes them, so that part
is hand-written and local, in the spirit of textacy's `direct_quotations` (Burrows & co.) and the
PolNeAR attribution scheme (Newell, Margolin & Ruths 2018, source / cue / content):

1. Quotation marks are paired line by line (straight, curly and '' double marks; nested quotes of either
   style kept inside; a mark's neighbours decide whether a mis-typed curly mark opens or closes; an odd
   count never raises). A line that leaves a quote open while the next paragraph opens with a mark is the
   news convention for a quote running over several paragraphs: one row per paragraph.
2. A cue is a reporting verb from `data/reporting_verbs.txt` (or "according to") outside the marks, in
   the quote's sentence or a short trailing one ('"...?" she asked.'); the speaker is the verb's subject
   in the dependency parse ("said X" and "X said" alike, appositions and titles give the role), else a
   name next to the verb. Without a cue: a '― Name' signature, a transcript label ("PENCE: ..."),
   a sentence ending in ':' before the quote, the previous sentence's speaker, or the previous quote's
   speaker (floating quote). Short quotes count only when a speech verb governs them with a named
   subject; scare quotes, titles of programmes and nicknames are dropped.
3. Pronouns, relative pronouns and surnames are resolved to the nearest compatible full name (gender from
   honorifics and the first he/she after a person is the subject); documents ("the statement said") to
   the organisation behind the previous statement.
4. Reported speech: the clausal complement (ccomp) of a cue verb with a subject, the sentence around a
   parenthetical cue ("the plan, she said, will fail"), or the clause framed by "according to X", is an
   'indirect' row, unless quotation marks already cover most of it.

Measured on the PolNeAR dev set (84 articles; ../shared/eval/score_quotes.py): direct F1 0.957, speaker
accuracy 0.917, attributed recall 0.870, speech recall 0.825, indirect precision 0.942. Extraction costs
about 4% of the spaCy parse.
"""
from __future__ import annotations

import re

from ..names import HONORIFIC_GENDER as _HONORIFIC_GENDER
from ..names import clean_name as _clean_name
from ..text import doc_text, paragraph_index, paragraph_spans
from .cues import reporting_verbs
from .quotemarks import ALL_MARKS, OPEN_MARKS, STRAIGHT, block_spans, quote_spans

EXTRACT_COLUMNS = ["quote", "start", "end", "kind", "cue", "cue_start", "cue_end", "speaker",
                   "speaker_start", "speaker_end", "speaker_role", "paragraph"]


PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p", "it": "n",
            "i": "s", "we": "p", "you": "s"}
# Honorific -> "m"/"f", the article's own evidence of a speaker's gender (names.HONORIFIC_GENDER).
HONORIFIC_GENDER = {k: v[0] for k, v in _HONORIFIC_GENDER.items()}
# Nouns that name a document or message: its "speaker" is whoever issued it.
DOCUMENT_NOUNS = {"statement", "release", "note", "memo", "memorandum", "report", "letter", "email",
                  "document", "filing", "announcement", "post", "tweet", "message", "complaint",
                  "lawsuit", "readout", "communique", "communiqué", "notice", "order", "ruling", "study",
                  "survey", "poll", "analysis", "website", "site", "ad", "advertisement", "video",
                  "transcript", "memoir", "book", "article", "editorial", "op-ed", "column", "blog"}
SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
MIN_UNCUED_WORDS = 4   # an uncued quote shorter than this is a scare quote or a title
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


# ---------------------------------------------------------------------------------------------
# helpers over the parsed Doc
# ---------------------------------------------------------------------------------------------

class _Ctx:
    """Per-document lookups: entity of each token, quoted characters, full names, roles."""

    def __init__(self, doc, spans):
        self.doc = doc
        self.text = doc_text(doc)
        self.ents = list(doc.ents)
        self.ent_of = {}
        for e in self.ents:
            for t in e:
                self.ent_of[t.i] = e
        n = len(self.text)
        self.in_quote = bytearray(n + 1)
        for a, b, _ in spans:
            for k in range(max(0, a - 1), min(n, b + 1)):
                self.in_quote[k] = 1
        self.persons = [e for e in self.ents if e.label_ == "PERSON" and not self.in_quote[e.start_char]]
        self.name_label = {_clean_name(e.text): e.label_ for e in self.ents if e.label_ in SPEAKER_LABELS}
        self.surnames = {_clean_name(e.text).split()[-1] for e in self.persons
                         if len(_clean_name(e.text).split()) > 1}
        self.persons = [e for e in self.ents if not self.in_quote[e.start_char] and self.is_person(e)]
        self.person_names = [_clean_name(e.text) for e in self.persons]
        self._full: dict[str, str] = {}
        self.gender: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        for e in self.persons:
            full = self.full_name(e)
            prev = doc[e.start - 1] if e.start > 0 else None
            if prev is not None and prev.lower_.rstrip(".") in HONORIFIC_GENDER:
                self.gender.setdefault(full, HONORIFIC_GENDER[prev.lower_.rstrip(".")])
            self.name_label[full] = "PERSON"
            role = _role_of(e, self)
            if role:
                self.roles.setdefault(full, role)
        self._learn_gender()

    def _learn_gender(self) -> None:
        """Gender of each person from the first he/his or she/her after a mention of them as subject."""
        doc = self.doc
        starts = {e.start: e for e in self.persons if e.root.dep_ in ("nsubj", "nsubjpass")}
        current = None
        for t in doc:
            if t.i in starts:
                current = self.full_name(starts[t.i])
                continue
            if current is None or self.in_quote[t.idx]:
                continue
            g = {"he": "m", "his": "m", "him": "m", "himself": "m",
                 "she": "f", "her": "f", "hers": "f", "herself": "f"}.get(t.lower_)
            if g:
                self.gender.setdefault(current, g)
                current = None

    def is_person(self, ent) -> bool:
        """PERSON, or a lone surname the model mislabelled ("Burgum" as ORG) of a person named in full."""
        if ent.label_ == "PERSON":
            return True
        words = _clean_name(ent.text).split()
        return len(words) == 1 and words[0] in self.surnames

    def quoted(self, tok) -> bool:
        return bool(self.in_quote[tok.idx])

    def full_name(self, ent) -> str:
        """Longest PERSON name in the article sharing this mention's last word ("Burgum" -> "Doug Burgum")."""
        text = _clean_name(ent.text)
        if text in self._full:
            return self._full[text]
        words = text.split()
        if not words:
            return text
        last = words[-1]
        best = text
        for t in self.person_names:
            tw = t.split()
            if tw and (tw[-1] == last or (len(words) == 1 and words[0] in tw)) and len(t) > len(best):
                best = t
        self._full[text] = best
        return best


def _role_of(ent, ctx) -> str | None:
    """Title the article gives a person: capitalised words just before the name, or an apposition."""
    doc = ent.doc
    k = ent.start - 1
    words = []
    while k >= 0:
        t = doc[k]
        if t.is_title or t.is_upper and len(t) > 1:
            if t.lower_.rstrip(".") in HONORIFIC_GENDER or t.ent_type_ in ("PERSON",):
                break
            if t.dep_ in ("compound", "amod", "nmod", "npadvmod", "appos") or t.head.i in range(ent.start, ent.end):
                words.insert(0, t)
                k -= 1
                continue
        break
    if words:
        # drop a leading organisation/country if the title itself follows ("U.S. Interior Secretary")
        return " ".join(t.text for t in words)
    root = ent.root
    for c in root.children:
        if c.dep_ == "appos" and c.ent_type_ not in ("PERSON",) and c.i > root.i:
            span = doc[c.left_edge.i: c.right_edge.i + 1]
            toks = [t for t in span if not (t.i == span.start and t.dep_ == "det")]
            s = " ".join(t.text for t in toks).replace(" ,", ",").strip(" ,")
            if 0 < len(s) <= 80:
                return s
    return None


def _mention_span(head, ctx):
    """(start, end, kind) of the noun phrase a speaker head stands for: entity if any, else left part of its NP."""
    e = ctx.ent_of.get(head.i)
    if e is not None and e.label_ in SPEAKER_LABELS:
        return e.start_char, e.end_char, e.label_
    if head.lower_ in PRONOUNS:
        return head.idx, head.idx + len(head.text), "PRON"
    # entity inside the compound chain, e.g. "State Department officials"
    left = head.left_edge
    toks = [t for t in head.doc[left.i: head.i + 1] if not ctx.quoted(t)]
    if not toks:
        toks = [head]
    while toks and (toks[0].dep_ in ("det", "punct", "cc") or toks[0].is_punct):
        if len(toks) == 1:
            break
        toks = toks[1:]
    return toks[0].idx, head.idx + len(head.text), "NP"


def _subject_of(verb, ctx):
    """The subject head of a cue verb (nsubj), following conjunctions and auxiliaries up."""
    v = verb
    for _ in range(3):
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and not ctx.quoted(c):
                return c
        if v.dep_ == "acl" and v.head.pos_ in ("PROPN", "NOUN", "PRON") and not ctx.quoted(v.head):
            return v.head  # "footage of Trump saying ..."
        if v.dep_ in ("conj", "xcomp", "advcl", "dep") and v.head is not v:
            v = v.head
        else:
            break
    return None


def _agent_of(verb, ctx):
    """Speaker near a cue verb without a parsed subject ("said X", "according to X")."""
    for c in verb.children:
        if c.dep_ in ("agent",):
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
        if c.dep_ in ("dobj", "attr") and c.ent_type_ in SPEAKER_LABELS and not ctx.quoted(c):
            return c
    return None


def _antecedent(rel):
    """The noun a relative pronoun stands for ("McConnell, now the leader, who said" -> McConnell)."""
    ante = rel.head.head
    # walk from an apposition back to the name it describes
    while ante.dep_ == "appos" and ante.head is not ante:
        ante = ante.head
    return ante


def _resolve(head, ctx, prev_speaker):
    """Resolved speaker name and role for a speaker head token."""
    doc = ctx.doc
    if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
        head = _antecedent(head)
    e = ctx.ent_of.get(head.i)
    low = head.lower_
    if e is not None and ctx.is_person(e):
        full = ctx.full_name(e)
        return full, ctx.roles.get(full) or _role_of(e, ctx)
    if e is not None and e.label_ in SPEAKER_LABELS:
        return _clean_name(e.text), None
    if low in PRONOUNS:
        return _resolve_pronoun(head, ctx, prev_speaker)
    # "Rodriguez's government", "Trump's campaign": the group of a named person
    for c in head.children:
        if c.dep_ == "poss" and head.pos_ == "NOUN" and low not in DOCUMENT_NOUNS:
            pe = ctx.ent_of.get(c.i)
            if pe is not None and ctx.is_person(pe):
                return f"{ctx.full_name(pe)}'s {head.text}", None
    # a compound entity inside the NP ("State Department officials", "a State Department media note")
    for t in doc[head.left_edge.i: head.i]:
        pe = ctx.ent_of.get(t.i)
        if pe is not None and pe.label_ in SPEAKER_LABELS and pe.end <= head.i + 1:
            if ctx.is_person(pe):
                full = ctx.full_name(pe)
                return full, ctx.roles.get(full)
            if low in DOCUMENT_NOUNS or pe.label_ == "ORG":
                return _clean_name(pe.text), None
    # a name in apposition ("the spokesman, John Smith,", "the party's leader Jane Doe said")
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i:
            pe = ctx.ent_of.get(c.i)
            if pe is not None and pe.label_ == "PERSON":
                full = ctx.full_name(pe)
                return full, _np_text(head) if head.pos_ == "NOUN" else ctx.roles.get(full)
            if c.pos_ == "PROPN" and pe is None or (pe is not None and pe.label_ not in SPEAKER_LABELS
                                                    and c.pos_ == "PROPN"):
                parts = [t for t in c.children if t.dep_ == "compound" and t.pos_ == "PROPN"] + [c]
                return " ".join(t.text for t in parts), _np_text(head) if head.pos_ == "NOUN" else None
    if low in DOCUMENT_NOUNS:
        # "the Security Council issued a statement calling ...": whoever issued it
        if head.dep_ == "dobj":
            issuer = next((c for c in head.head.children if c.dep_ == "nsubj" and not ctx.quoted(c)), None)
            if issuer is not None and issuer.lower_ not in DOCUMENT_NOUNS and issuer.lower_ not in ("who", "which", "that"):
                return _resolve(issuer, ctx, prev_speaker)
        # "the statement said": the organisation (or person) behind the last statement
        if prev_speaker and prev_speaker[1] in ("ORG", "GPE", "NORP", "PERSON"):
            return prev_speaker[0], prev_speaker[2]
        org = _nearest_entity(head, ctx, ("ORG", "GPE"))
        if org is not None:
            return _clean_name(org.text), None
    return _np_text(head), None


def _np_text(head) -> str:
    """The words of a noun phrase up to its head, without a leading determiner ("a White House spokesman")."""
    doc = head.doc
    lo = head.left_edge.i
    while lo < head.i and (doc[lo].dep_ in ("det", "punct", "cc") or doc[lo].is_punct):
        lo += 1
    return doc[lo: head.i + 1].text


def _nearest_entity(tok, ctx, labels, window: int = 2500):
    best = None
    for e in ctx.ents:
        if e.start_char >= tok.idx:
            break
        if e.label_ in labels and tok.idx - e.start_char <= window and not ctx.in_quote[e.start_char]:
            best = e
    return best


def _resolve_pronoun(tok, ctx, prev_speaker):
    """he/she -> nearest compatible person (previous speaker first); they/it -> organisation or group."""
    g = PRONOUNS.get(tok.lower_)
    if g in ("m", "f"):
        # "Clinton says she ...": a person subject earlier in the same sentence comes first
        same = _nearest_person(tok, ctx, g, after=tok.sent.start_char - 1)
        if same is not None:
            full = ctx.full_name(same)
            return full, ctx.roles.get(full)
    if g in ("m", "f", "s"):
        if prev_speaker and prev_speaker[1] == "PERSON":
            pg = ctx.gender.get(prev_speaker[0])
            if pg is None or pg == g or g == "s":
                # prefer the previous speaker unless a different person is the subject in between
                inter = _nearest_person(tok, ctx, g, after=prev_speaker[3])
                if inter is None:
                    return prev_speaker[0], prev_speaker[2]
                full = ctx.full_name(inter)
                return full, ctx.roles.get(full)
        p = _nearest_person(tok, ctx, g)
        if p is not None:
            full = ctx.full_name(p)
            return full, ctx.roles.get(full)
        if prev_speaker:
            return prev_speaker[0], prev_speaker[2]
        return tok.text, None
    if g in ("p", "n"):
        # "The Security Council condemned the test as what it called ...": the subject earlier in the
        # same sentence comes first, as for he/she
        subj = _sentence_subject(tok, ctx)
        if subj is not None:
            return _resolve(subj, ctx, prev_speaker)
        if prev_speaker and prev_speaker[1] in ("ORG", "GPE", "NORP", "NP"):
            return prev_speaker[0], prev_speaker[2]
        org = _nearest_entity(tok, ctx, ("ORG", "NORP", "GPE"))
        if org is not None:
            return _clean_name(org.text), None
        if prev_speaker:
            return prev_speaker[0], prev_speaker[2]
    return tok.text, None


def _sentence_subject(tok, ctx):
    """The nearest noun subject before `tok` in its sentence, outside quotes, that "it" (singular) or
    "they" (plural, or an organisation) can stand for; None if there is none."""
    doc = tok.doc
    plural = PRONOUNS.get(tok.lower_) == "p"
    best = fallback = None
    for t in doc[tok.sent.start: tok.i]:
        if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ not in ("NOUN", "PROPN") or ctx.quoted(t):
            continue
        if not t.head.left_edge.i <= tok.i <= t.head.right_edge.i:
            continue  # a subject of another clause ("investors that the state could pressure ..., they say")
        if t.text.isupper() and t.i + 1 < len(doc) and doc[t.i + 1].text in ("--", "-", "\u2014", "\u2013"):
            continue  # a dateline ("WASHINGTON -- President Obama said it ...")
        e = ctx.ent_of.get(t.i)
        if e is not None and ctx.is_person(e):
            continue  # a person is "he" or "she"
        group = e is not None and e.label_ in ("ORG", "NORP", "GPE")
        if (t.tag_ in ("NNS", "NNPS") or group) if plural else t.tag_ not in ("NNS", "NNPS"):
            best = t
        elif plural:
            fallback = t  # "the campaign ... what they call": a collective noun, if nothing plural is there
    return best or fallback


def _nearest_person(tok, ctx, g, after: int = -1):
    """Nearest PERSON mention before `tok` (after char `after`), subject mentions preferred, gender-compatible."""
    best = None
    for e in ctx.persons:
        if e.start_char >= tok.idx:
            break
        if e.start_char <= after:
            continue
        if tok.idx - e.start_char > 3000:
            continue
        eg = ctx.gender.get(ctx.full_name(e))
        if g in ("m", "f") and eg is not None and eg != g:
            continue
        if after >= 0 and e.root.dep_ not in ("nsubj", "nsubjpass"):
            continue
        best = e
    return best


# ---------------------------------------------------------------------------------------------
# 2. cues
# ---------------------------------------------------------------------------------------------

def _is_cue(tok, ctx, indirect: bool = False) -> bool:
    if ctx.quoted(tok):
        return False
    use = reporting_verbs().get(tok.lemma_.lower())
    if use is None:
        return False
    if tok.pos_ not in ("VERB", "AUX") and not (tok.tag_.startswith("VB")):
        return False
    if indirect and use != "both":
        return False
    if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "so":
        return False  # "so-called"
    return True


def _according_to(tok, ctx):
    """The object of "according to" starting at `tok`, or None."""
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        to = tok.doc[tok.i + 1]
        for c in list(to.children) + list(tok.children):
            if c.dep_ == "pobj":
                return c
        if to.i + 1 < len(tok.doc):
            return tok.doc[to.i + 1]
    return None


def _speaker_for_cue(cue, ctx):
    """Speaker head token for a cue token (verb subject, agent, 'according to' object, nearby name)."""
    obj = _according_to(cue, ctx)
    if obj is not None:
        return obj
    s = _subject_of(cue, ctx)
    if s is not None:
        # "told reporters" style: subject is fine; relative pronouns point at their antecedent
        return s
    a = _agent_of(cue, ctx)
    if a is not None:
        return a
    doc = cue.doc
    # a name just before the verb that the parser failed to link ("..." Police Chief Jane Doe said Monday)
    for k in range(cue.i - 1, max(-1, cue.i - 12), -1):
        t = doc[k]
        if ctx.quoted(t) or t.text in ALL_MARKS or t.is_sent_start and k < cue.i - 1 and t.is_space:
            break
        e = ctx.ent_of.get(t.i)
        if e is not None and e.label_ in SPEAKER_LABELS and e.root.dep_ not in ("compound", "poss", "pobj"):
            return e.root
        if t.lower_ in ("he", "she", "they") and t.dep_ in ("nsubj", "nsubjpass"):
            return t
    # a name right after the verb ("..., said John Smith")
    for k in range(cue.i + 1, min(len(doc), cue.i + 5)):
        t = doc[k]
        if ctx.quoted(t) or t.is_punct and t.text not in ",":
            break
        if t.ent_type_ in SPEAKER_LABELS or t.lower_ in PRONOUNS:
            e = ctx.ent_of.get(t.i)
            return e.root if e is not None else t
    return None


# ---------------------------------------------------------------------------------------------
# 3. rows
# ---------------------------------------------------------------------------------------------

def _token_at(doc, char: int, forward: bool = True):
    """Token covering char offset (or the next/previous one)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is not None and len(span):
        return span[0]
    for t in (doc if forward else reversed(doc)):
        if (forward and t.idx >= char) or (not forward and t.idx <= char):
            return t
    return None


def _cue_for_quote(a, b, doc, ctx, blocks):
    """Best (cue, speaker head) for the quote with inner span [a, b): nearest cue outside marks in its sentence(s).

    Looks in the quote's own sentence(s), a short trailing sentence ('"...?" she asked.') and, when the quote
    opens its sentence, the previous sentence of the same line ("Schiff said. '...'").
    """
    first = _token_at(doc, a)
    last = _token_at(doc, max(a, b - 1), forward=False)
    if first is None or last is None:
        return None
    text = ctx.text  # Doc.text re-joins every token: read it once (ctx)
    s0 = first.sent
    s1 = last.sent
    lo, hi = s0.start, s1.end
    bl = blocks[paragraph_index(blocks, a)]
    # a short trailing sentence "she said." right after a quote that closed its own sentence
    if hi < len(doc):
        nxt = doc[hi].sent
        if nxt.start_char < bl[1] and len(nxt) <= 14 and not any(ctx.quoted(t) for t in nxt):
            if text[b:nxt.start_char].strip(ALL_MARKS + "' \u00a0.?!,\u2014-") == "":
                hi = nxt.end
    cands = []
    for t in doc[lo:hi]:
        if a - 1 <= t.idx < b + 1:
            continue
        if t.idx < bl[0] or t.idx >= bl[1]:
            continue
        is_acc = _according_to(t, ctx) is not None and not ctx.quoted(t)
        if not (is_acc or _is_cue(t, ctx)):
            continue
        dist = (a - t.idx) if t.idx < a else (t.idx - b)
        sp = _speaker_for_cue(t, ctx)
        governs = t.left_edge.idx <= a <= t.right_edge.idx + len(t.right_edge.text) or t.head.i == first.i
        score = dist - (400 if governs else 0) - (200 if sp is not None else 0)
        cands.append((score, t, sp))
    if cands:
        cands.sort(key=lambda c: c[0])
        if cands[0][2] is not None:
            return cands[0][1], cands[0][2]
    # '"...," Vitter demanded.' : any verb with a subject right after the quote ends the sentence
    after = [t for t in doc[last.i + 1: hi] if t.idx >= b and not ctx.quoted(t)]
    words = [t for t in after if not (t.is_punct or t.is_space)]
    if 0 < len(words) <= 6:
        for t in words:
            if t.pos_ == "VERB":
                sp = _subject_of(t, ctx)
                if sp is not None and sp.idx > b:
                    return t, sp
    if cands:
        return cands[0][1], cands[0][2]
    # the quote opens its sentence: the previous sentence of the same line may name the speaker
    if text[s0.start_char:a].strip(ALL_MARKS + "' \u00a0") == "" and s0.start > 0:
        prev = doc[s0.start - 1].sent
        if prev.start_char >= bl[0] and not any(ctx.quoted(t) for t in prev):
            pc = [t for t in prev if _is_cue(t, ctx) or _according_to(t, ctx) is not None]
            for t in reversed(pc):
                sp = _speaker_for_cue(t, ctx)
                if sp is not None:
                    return t, sp
            root = prev.root
            for c in root.children:
                if c.dep_ == "nsubj" and (c.ent_type_ in ("PERSON",) or c.lower_ in ("he", "she")):
                    return root, c
    return None


SPEECH_NOUNS = {"claim", "claims", "statement", "remark", "remarks", "comment", "comments", "prediction",
                "promise", "warning", "description", "assertion", "words", "call", "pledge", "vow", "argument",
                "accusation", "charge", "insistence", "suggestion", "admission", "message", "missive", "tweet",
                "quip", "boast", "complaint", "contention", "declaration", "allegation", "characterization"}


def _governing_speaker(a, b, doc, ctx):
    """(verb or noun cue, speaker head) when a quoted phrase is the object of someone's act of saying.

    Walks up the dependency tree from the quoted words to the first verb outside the marks whose subject
    is a name, an organisation or a personal pronoun, or to a speech noun with a possessor ("Trump's claim").
    """
    first = _token_at(doc, a)
    if first is None:
        return None
    tok = first
    # the head of the quoted phrase: the token whose head lies outside the marks
    inside = [t for t in doc[first.i: len(doc)] if t.idx < b]
    for t in inside:
        if not (a <= t.head.idx < b):
            tok = t
            break
    for _ in range(6):
        h = tok.head
        if h is tok:
            return None
        tok = h
        if ctx.quoted(tok):
            continue
        if tok.pos_ == "NOUN" and tok.lower_ in SPEECH_NOUNS:
            for c in tok.children:
                if c.dep_ == "poss":
                    return tok, c
        if tok.pos_ in ("VERB", "AUX"):
            if not _is_cue(tok, ctx):
                return None  # "bought a 'philanthropub'": not an act of saying
            sp = _subject_of(tok, ctx)
            if sp is None:
                return None
            if sp.lower_ in ("who", "which", "that") and sp.head.dep_ == "relcl":
                ante = _antecedent(sp)
                if ante is not None and (ctx.ent_of.get(ante.i) is not None
                                         and ctx.ent_of[ante.i].label_ in SPEAKER_LABELS):
                    return tok, sp
                return None
            if ctx.ent_of.get(sp.i) is not None and ctx.ent_of[sp.i].label_ in SPEAKER_LABELS \
                    or sp.lower_ in PRONOUNS and sp.lower_ not in ("it", "you", "i", "we"):
                return tok, sp
            return None
    return None


DASHES = "\u2015\u2014\u2013-"


def _dash_speaker(b, doc, ctx, paras):
    """A signature after the closing mark ('"..." \u2015 Jane Doe'): (dash token, name head) or None."""
    text = ctx.text  # Doc.text re-joins every token: read it once (ctx)
    k = b
    while k < len(text) and text[k] in ALL_MARKS + "'.,":
        k += 1
    while k < len(text) and text[k] in " \u00a0\t":
        k += 1
    if k >= len(text) or text[k] not in DASHES:
        return None
    dash = _token_at(doc, k)
    if dash is None:
        return None
    for t in doc[dash.i + 1: dash.i + 4]:
        if t.is_space or t.text in DASHES:
            continue
        if "\n" in t.text:
            break
        if t.is_title or t.ent_type_ in SPEAKER_LABELS:
            e = ctx.ent_of.get(t.i)
            if e is not None:
                return dash, e.root
            # a name spaCy missed: the run of capitalised words
            j = t.i
            while j + 1 < len(doc) and doc[j + 1].is_title and "\n" not in doc[j + 1].text:
                j += 1
            return dash, doc[j]
        break
    return None


def _colon_intro(a, doc, ctx, paras):
    """A sentence ending in ':' right before the quote ("He said:", "The Times reports:"): (cue, speaker head)."""
    text = ctx.text  # Doc.text re-joins every token: read it once (ctx)
    k = a - 1
    while k >= 0 and (text[k] in ALL_MARKS + "'" or text[k].isspace()):
        k -= 1
    if k < 0 or text[k] != ":":
        return None
    colon = _token_at(doc, k, forward=False)
    if colon is None:
        return None
    sent = colon.sent
    cands = [t for t in sent if t.i < colon.i and not ctx.quoted(t) and _is_cue(t, ctx)]
    for t in reversed(cands):
        sp = _speaker_for_cue(t, ctx)
        if sp is not None:
            return t, sp
    # no reporting verb: the subject of the introducing sentence ("The piece used this headline:")
    root = sent.root
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass") and not ctx.quoted(c):
            return root, c
    return None


def _cue_text(cue):
    parts = [cue]
    for c in cue.children:
        if c.dep_ == "prt" and c.i > cue.i:
            parts.append(c)
    return cue.doc[cue.i: parts[-1].i + 1].text, cue.idx, parts[-1].idx + len(parts[-1].text)


def _cue_fields(cue):
    if cue is None:
        return None, None, None
    if cue.lower_ == "according":
        to = cue.doc[cue.i + 1]
        return f"{cue.text} {to.text}", cue.idx, to.idx + len(to.text)
    return _cue_text(cue)


def _speaker_fields(head, ctx, prev_speaker):
    """speaker, speaker_start, speaker_end, speaker_role, label for a speaker head token."""
    if head is None:
        return None, None, None, None, None
    s0, s1, label = _mention_span(head, ctx)
    name, role = _resolve(head, ctx, prev_speaker)
    label = ctx.name_label.get(name, "NP")
    if prev_speaker and name == prev_speaker[0]:
        label = prev_speaker[1]
    return name, s0, s1, role, label


def _words(s: str) -> int:
    return len(WORD_RE.findall(s))


def quotes_from_doc(doc) -> list[dict]:
    """One dict per quote (EXTRACT_COLUMNS), offsets into doc.text; direct quotes first attributed, then reported speech."""
    text = doc_text(doc) if doc is not None else ""
    if not text or not text.strip() or len(doc) == 0:
        return []
    spans = quote_spans(text)
    ctx = _Ctx(doc, spans)
    paras = paragraph_spans(text)
    blocks = block_spans(text)
    rows: list[dict] = []
    prev_speaker = None  # (name, label, role, char offset of mention)
    prev_para = -10
    open_multi = None  # speaker fields carried through a multi-paragraph quote
    events: list[tuple] = []  # speakers of direct quotes, in text order, for the reported-speech pass
    for a, b, continued in spans:
        # trim whitespace inside the marks
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
            b -= 1  # the comma before '," she said' belongs to the attribution, not the words
        if b <= a:
            continue
        quote = text[a:b]
        if _is_title(quote) and (_names_a_work(text, a) or _is_nickname(text, a, b)):
            continue  # a programme, book or nickname in marks ("Face the Nation"), not speech
        pi = paragraph_index(paras, a)
        bi = paragraph_index(blocks, a)
        found = _cue_for_quote(a, b, doc, ctx, blocks)
        cue, sp = found if found else (None, None)
        weak_cue = None
        if cue is not None and sp is None:
            weak_cue, cue = cue, None  # a cue with nobody attached: try the other clues first
        fields = None
        if cue is not None:
            name, s0, s1, role, label = _speaker_fields(sp, ctx, prev_speaker)
            fields = (name, s0, s1, role, label)
        elif cue is None and (lab := TRANSCRIPT_RE.match(quote)) is not None:
            # interview transcript: '"PENCE: Well, look, ..."'
            name = lab.group(1).strip()
            fields = (name.title(), a + lab.start(1), a + lab.start(1) + len(name), None, "PERSON")
            cue = None
        elif cue is None and (dash := _dash_speaker(b, doc, ctx, blocks)) is not None:
            # '"...." ― Name' signature style
            cue, sp = dash
            fields = _speaker_fields(sp, ctx, prev_speaker)
        elif open_multi is not None and text[blocks[bi][0]] in OPEN_MARKS + STRAIGHT + "'":
            fields = open_multi[0]
            cue = open_multi[1]
        elif cue is None and (intro := _colon_intro(a, doc, ctx, blocks)) is not None:
            # "X said:" / "X reports:" right before the quote
            cue, sp = intro
            fields = _speaker_fields(sp, ctx, prev_speaker)
        elif cue is None and prev_speaker is not None and bi - prev_para <= 1 and _fills_sentence(a, b, doc, text):
            # floating quote: continues the previous speaker (the same mention, e.g. '"...," she said. "..."')
            fields = (prev_speaker[0], prev_speaker[4], prev_speaker[5], prev_speaker[2], prev_speaker[1])
            cue = prev_speaker[6]
        if cue is None and fields is None and (gov := _governing_speaker(a, b, doc, ctx)) is not None:
            # a phrase quoted as someone's words: 'Trump likened the refugees to a "vicious snake"'
            cue, sp = gov
            fields = _speaker_fields(sp, ctx, prev_speaker)
        if fields is None:
            cue = weak_cue
            if _words(quote) < MIN_UNCUED_WORDS or not _fills_sentence(a, b, doc, text, 0.35):
                open_multi = None
                continue  # nobody saying it: a scare quote, a title or a name in marks
        name, s0, s1, role, label = fields if fields else (None, None, None, None, None)
        c, c0, c1 = _cue_fields(cue)
        rows.append({"quote": quote, "start": a, "end": b, "kind": "direct", "cue": c, "cue_start": c0,
                     "cue_end": c1, "speaker": name, "speaker_start": s0, "speaker_end": s1,
                     "speaker_role": role, "paragraph": pi})
        if name is not None:
            prev_speaker = (name, label or "NP", role, s0 if s0 is not None else a, s0, s1, cue)
            prev_para = bi
            events.append(prev_speaker)
        open_multi = ((name, s0, s1, role, label), cue) if continued else None
    rows.extend(_indirect_rows(doc, ctx, events))
    rows.sort(key=lambda r: (r["start"], r["kind"]))
    return rows


TRANSCRIPT_RE = re.compile(r"^\s*((?:[A-Z][A-Z.'\u2019-]+\s){0,3}[A-Z][A-Z.'\u2019-]+)\s?:\s")
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "vs", "&"}


def _is_title(quote: str) -> bool:
    """Whether a short quoted phrase is a title or name (every word capitalised: "Fox News Sunday")."""
    words = WORD_RE.findall(quote)
    if not words or len(words) > 6 or quote.rstrip(" ,").endswith(("?", "!")):
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content) and not (
        len(content) > 1 and all(w.isupper() for w in content))


WORK_PRECEDERS = re.compile(r"(?:\b(?:on|of|in|at|to|from|a|an|the|by|for|during|into|its|his|her|their)|['\u2019]s)\s*$",
                            re.I)


NICK_BEFORE = re.compile(r"[A-Z][\w.]*\s*$")
NICK_AFTER = re.compile(r"^\s*[A-Z]")


def _is_nickname(text: str, a: int, b: int) -> bool:
    """Whether a quoted word sits inside a name (Robert C. "Bobby" Scott)."""
    before = text[max(0, a - 20): a].rstrip(ALL_MARKS + "'")
    after = text[b: b + 5].lstrip(ALL_MARKS + "'")
    return len(WORD_RE.findall(text[a:b])) <= 2 and bool(NICK_BEFORE.search(before)) and bool(NICK_AFTER.match(after))


def _names_a_work(text: str, a: int) -> bool:
    """Whether the words before an opening mark introduce a name ("on CBS's", "in the"), not a saying."""
    before = text[max(0, a - 25): a].rstrip(ALL_MARKS + " \u00a0")
    return bool(WORK_PRECEDERS.search(before))


def _fills_sentence(a, b, doc, text, share: float = 0.6) -> bool:
    """Whether the quote makes up most of the sentence(s) it sits in (a quoted statement, not a phrase)."""
    first = _token_at(doc, a)
    last = _token_at(doc, max(a, b - 1), forward=False)
    if first is None or last is None:
        return False
    s0, s1 = first.sent.start_char, last.sent.end_char
    total = sum(1 for ch in text[s0:s1] if not ch.isspace())
    inside = sum(1 for ch in text[a:b] if not ch.isspace())
    return total > 0 and inside >= share * total


def _indirect_rows(doc, ctx, events=()) -> list[dict]:
    """Reported speech: the clause a cue verb with a subject governs (ccomp), or the clause 'according to X' frames."""
    text = doc_text(doc)
    paras = paragraph_spans(text)
    rows = []
    prev_speaker = None
    events = sorted(events, key=lambda e: e[3])
    k = 0
    for tok in doc:
        if ctx.quoted(tok):
            continue
        while k < len(events) and events[k][3] < tok.idx:
            if prev_speaker is None or events[k][3] > prev_speaker[3]:
                prev_speaker = events[k]  # the latest speaker, direct or reported
            k += 1
        content = None
        head = None
        if _according_to(tok, ctx) is not None:
            head = _according_to(tok, ctx)
            sent = tok.sent
            acc_lo = tok.i
            acc_hi = max(t.i for t in tok.subtree) if tok.head is not tok else head.right_edge.i
            acc_hi = max(acc_hi, head.right_edge.i)
            before = doc[sent.start: acc_lo]
            after = doc[acc_hi + 1: sent.end]
            # "According to X, ..." frames what follows; "..., according to X" what precedes
            seg = after if _words(before.text) < 3 else before
            content = _trim(seg)
        elif _is_cue(tok, ctx, indirect=True):
            subj = _speaker_for_cue(tok, ctx)
            if subj is None:
                continue
            comp = [c for c in tok.children if c.dep_ == "ccomp" and not ctx.quoted(c)]
            if comp:
                c = comp[0]
                seg = doc[c.left_edge.i: c.right_edge.i + 1]
            elif tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX") and not ctx.quoted(tok.head):
                # "The plan, she said, will fail": the sentence around the parenthetical cue
                sent = tok.sent
                inner = {t.i for t in tok.subtree}
                rest = [t for t in sent if t.i not in inner]
                if not rest:
                    continue
                seg = doc[rest[0].i: rest[-1].i + 1]
            else:
                continue
            # the subject's own words never belong to the content
            if subj.i >= seg.start and subj.i < seg.end:
                continue
            content = _trim(seg)
            head = subj
        if content is None or head is None:
            continue
        a, b = content
        if b <= a or _words(text[a:b]) < 3:
            continue
        inside = sum(ctx.in_quote[a:b])
        if inside >= 0.5 * (b - a):
            continue
        name, s0, s1, role, label = _speaker_fields(head, ctx, prev_speaker)
        c, c0, c1 = _cue_fields(tok)
        rows.append({"quote": text[a:b], "start": a, "end": b, "kind": "indirect", "cue": c, "cue_start": c0,
                     "cue_end": c1, "speaker": name, "speaker_start": s0, "speaker_end": s1,
                     "speaker_role": role, "paragraph": paragraph_index(paras, a)})
        if name is not None:
            prev_speaker = (name, label or "NP", role, s0 if s0 is not None else a, s0, s1, tok)
    return rows


def _trim(seg):
    """Character span of a token span without leading/trailing punctuation, marks and 'that'."""
    toks = [t for t in seg]
    if toks and toks[0].lower_ == "that" and toks[0].dep_ == "mark":
        toks = toks[1:]  # the complementiser is not part of what was said
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].text in ALL_MARKS):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].text in ALL_MARKS):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)
