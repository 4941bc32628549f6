"""Cues: the acts of saying that attribute words to a speaker, and the speaker each one names.

data/reporting_verbs.txt lists lemmas with their use: 'both' (direct and reported speech, "say",
"warn") or 'direct' (only with quotation marks, "laugh", "quip"). Every module that asks "is this
an act of saying?" reads this lexicon. A cue is such a verb outside quotation marks, or "according to"
(the PolNeAR scheme's cue, Newell, Margolin & Ruths 2018); its speaker is the verb's subject in the
dependency parse ("said X" and "X said" alike), an agent, or a name next to the verb. For a direct quote
the cue is the nearest one in the quote's sentence(s) that governs the quote, else a verb the quoted
phrase hangs from ('likened the refugees to a "vicious snake"'), as textacy's `direct_quotations` does.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from ..names import data_lines
from ..text import paragraph_index
from .doc_arrays import per_doc, token_attr
from .quotemarks import ALL_MARKS
from .speakers import (
    PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEAKER_LABELS,
    DocContext,
    antecedent,
    token_at,
)

# Nouns of saying whose possessor is the speaker of a quoted phrase they govern ("Trump's claim").
SPEECH_NOUNS = {"claim", "claims", "statement", "remark", "remarks", "comment", "comments", "prediction",
                "promise", "warning", "description", "assertion", "words", "call", "pledge", "vow", "argument",
                "accusation", "charge", "insistence", "suggestion", "admission", "message", "missive", "tweet",
                "quip", "boast", "complaint", "contention", "declaration", "allegation", "characterization"}
# Dependency hops from a cue verb up to the clause that has its subject ("X stood up and said").
SUBJECT_HOPS = 4
# Subordinators before a participle whose understood subject is the main clause's ("while chanting").
ADJUNCT_MARKERS = {"while", "when", "whilst", "before", "after", "upon", "without", "since"}
# Dependency hops from a quoted phrase up to the verb or noun of saying that governs it.
GOVERNOR_HOPS = 6
# Tokens looked at before / after a cue for a name the parser did not link to it: about a title and
# a full name ('"..." Police Chief Jane Doe said') / a name right after ('said John Smith').
NAME_BEFORE_CUE_TOKENS = 11
NAME_AFTER_CUE_TOKENS = 4
# A sentence after a quote this short (in tokens) is its attribution ('"...?" she asked.').
TRAILING_ATTRIBUTION_TOKENS = 14
# ... or of any length when a reporting verb is among its first tokens ("asked Jane Doe, the mayor, who ...").
TRAILING_CUE_POSITION = 4
# At most this many words after the closing mark: any verb with a subject there is the attribution.
TRAILING_ATTRIBUTION_WORDS = 6
# Cue ranking: the distance in characters from the quote, less these bonuses: a cue whose phrase
# contains the quote outranks a nearer one in another clause, and a cue with a speaker one without.
GOVERNS_BONUS = 400
# Verbs that relay someone else's words: in "'...,' the paper reported" the speaker is the one quoted.
RELAY_LEMMAS = {"report", "quote", "cite", "relay", "recount"}
HAS_SPEAKER_BONUS = 200


# Fixed phrases with a reporting verb that attribute nothing: (word before, verb).
IDIOMS = {("without", "saying"), ("needless", "to", "say"), ("suffice", "to", "say"), ("is", "to", "say"),
          ("so", "to", "speak")}
IDIOM_WORDS = {p[-1] for p in IDIOMS}


class CueCandidate(NamedTuple):
    """A cue near a direct quote, its rank (lower is better) and its speaker head (or None)."""
    score: int
    cue: object
    speaker: object
    governs: bool  # the quote lies in the cue's phrase


def innermost(best: CueCandidate, cands: list[CueCandidate]) -> CueCandidate:
    """Nested speech ("X said that Y told them '...'", "X quoted Y as saying '...'", "'...,' the paper
    reported"): the words belong to the innermost speaker, the cue inside the chosen cue's phrase that
    still governs the quote, when the outer cue comes first or only relays (report, quote, cite)."""
    if not best.governs:
        return best
    if (best.cue.lemma_.lower() in RELAY_LEMMAS and best.speaker is not None and best.speaker.pos_ == "PROPN"
            and best.speaker.ent_type_ != "PERSON"):
        # "Jane Doe said that ... '...,' the Planet reported" (whatever the parse): the one who said it; a
        # person who reports ('a deputy reported, "..."') is the speaker
        said = [c for c in cands if c.governs and c.speaker is not None and c.cue.lemma_.lower() not in RELAY_LEMMAS]
        if said:
            best = said[0]
    changed = True
    while changed:
        changed = False
        for c in cands:
            if (c.governs and c.speaker is not None and c.cue.i != best.cue.i and best.cue in c.cue.ancestors
                    and c.cue.lemma_.lower() not in RELAY_LEMMAS and c.cue.lower_ != "according"
                    and best.cue.i < c.cue.i and not describes_listener(c.cue, best.cue)):
                best, changed = c, True
                break
    return best


def describes_listener(inner, outer) -> bool:
    """Whether a cue sits in a relative clause about the one the outer cue's speaker talks to ("told a
    young woman who suggested ... that '...'"): the listener's words are not what is being told."""
    t = inner
    while t.i != outer.i and t.head.i != t.i:
        if t.dep_ == "relcl" and t.head.dep_ in ("dobj", "dative", "iobj") and t.head.head.i == outer.i:
            return True
        t = t.head
    return False


class CueFields(NamedTuple):
    """The cue columns of a row: the words of the cue and their character span."""
    text: str | None
    start: int | None
    end: int | None


@lru_cache(maxsize=None)
def reporting_verbs() -> dict[str, str]:
    """Reporting-verb lexicon {lemma: 'both'|'direct'} read from data/reporting_verbs.txt."""
    out: dict[str, str] = {}
    for line in data_lines("reporting_verbs.txt"):
        lemma, _, use = line.strip().partition("\t")
        out[lemma.strip().lower()] = (use.strip() or "both")
    return out


def cue_lemmas(doc) -> list[bool]:
    """Per token of the Doc: whether its lemma can make it a cue (`is_cue` is False for all others)."""
    def build(d):
        lemmas, verbs = token_attr(d, "lemma_"), reporting_verbs()
        accepts = {lemma: lemma.lower() in verbs or lemma.lower() == "put" for lemma in set(lemmas)}
        return [accepts[lemma] for lemma in lemmas]
    return per_doc(doc, "cue_lemma", build)


def is_cue(tok, ctx: DocContext, indirect: bool = False) -> bool:
    """Whether a token is a reporting verb outside quotes (for reported speech: one of 'both' use)."""
    if ctx.quoted(tok):
        return False
    use = reporting_verbs().get(tok.lemma_.lower())
    if use is None:
        # "as the memo put it": 'put it' after 'as' is a cue of the quoted words
        return tok.lemma_.lower() == "put" and any(c.lower_ == "it" for c in tok.children) and any(
            c.lower_ == "as" for c in tok.children) and not indirect
    if tok.pos_ not in ("VERB", "AUX") and not (tok.tag_.startswith("VB")):
        return False
    if indirect and use != "both":
        return False
    if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "so":
        return False  # "so-called"
    if tok.lower_ in IDIOM_WORDS and any(
            tuple(t.lower_ for t in tok.doc[max(0, tok.i - len(p) + 1): tok.i + 1]) == p for p in IDIOMS):
        return False  # "it goes without saying", "needless to say": nobody is being quoted
    return True


def according_to(tok, ctx: DocContext):
    """The object of "according to" starting at `tok`, or None."""
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        to = tok.doc[tok.i + 1]
        for c in list(to.children) + list(tok.children):
            if c.dep_ == "pobj":
                return c
        if to.i + 1 < len(tok.doc):
            return tok.doc[to.i + 1]
    return None


def own_subject(verb, ctx: DocContext):
    """The verb's own subject outside quotes; of two (a role and a name, "the company's head Jane Doe
    told"), the one nearest before the verb."""
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not ctx.quoted(c)]
    if not subs:
        return None
    before = [c for c in subs if c.i < verb.i]
    return before[-1] if before else subs[0]


def is_adjunct_participle(verb) -> bool:
    """A participle that opens an adjunct after a comma or a subordinator ("..., saying", "..., stating
    bluntly", "while chanting"): its understood subject is the subject of the sentence's main clause."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "xcomp", "conj", "dep", "acl") or verb.i == 0:
        return False
    prev = verb.doc[verb.i - 1]
    return prev.text == "," or prev.lower_ in ADJUNCT_MARKERS or (
        prev.pos_ == "ADV" and verb.i > 1 and verb.doc[verb.i - 2].text == ",")


def subject_of(verb, ctx: DocContext):
    """The subject head of a cue verb (nsubj), following conjunctions and auxiliaries up; for a
    non-finite cue ("..., saying", "after dismissing") the subject of the clause it modifies."""
    if verb.tag_ == "VBG" and verb.i > 0 and (e := ctx.entity(verb.doc[verb.i - 1])) is not None \
            and e.root.dep_ == "pobj" and e.root.head.lower_ == "of" and not ctx.quoted(e.root):
        return e.root  # "footage of Jane Roe asking, '...'": whatever clause the parser hung it from
    s = own_subject(verb, ctx)
    if s is not None:
        if s.dep_ == "nsubjpass" and verb.lemma_.lower() not in RELAY_LEMMAS:
            return None  # "the charges were dismissed as '...'": what is talked about, not who talks
        return s
    if is_adjunct_participle(verb) and not (verb.dep_ == "acl" and verb.head.pos_ in ("PROPN", "NOUN", "PRON")):
        # the highest clause outside the quotation marks that has a subject (the main clause)
        top = None
        for anc in verb.ancestors:
            if anc.pos_ in ("VERB", "AUX") and not ctx.quoted(anc):
                s = own_subject(anc, ctx)
                if s is not None:
                    top = s
        if top is not None:
            return top
    v = verb
    for _ in range(SUBJECT_HOPS):
        s = own_subject(v, ctx)
        if s is not None and not (v.i != verb.i and s.tag_ == "DT" and v.dep_ == "ccomp" and v.head.i != v.i):
            return s
        if s is not None:
            # "Roe's brief said that was not her view and dismissed ...": a demonstrative subject of the
            # content clause the cue was parsed into is not who speaks; the clause's own speaker is
            v = v.head
            continue
        if v.dep_ == "acl" and v.head.pos_ in ("PROPN", "NOUN", "PRON") and not ctx.quoted(v.head):
            return v.head  # "footage of Trump saying ..."
        if v.dep_ == "pcomp" and v.head.lower_ == "as":
            obj = next((c for c in v.head.head.children if c.dep_ == "dobj" and not ctx.quoted(c)), None)
            if obj is not None:
                return obj  # "quoted Jane Roe as saying": the one quoted speaks
        if v.dep_ == "pcomp" and v.head.dep_ in ("prep", "conj") and v.head.head.i != v.head.i:
            p = v.head  # "after dismissing ...", "by declaring ...": the clause the phrase modifies
            while p.dep_ == "conj" and p.head.i != p.i:
                p = p.head  # "for his role in ... and for saying ...": the first of the conjoined phrases
            v = p.head
            while v.pos_ not in ("VERB", "AUX") and v.dep_ in ("pobj", "prep") and v.head.i != v.i:
                v = v.head  # "appeared at an inquiry for his role in ...": up the phrases to their verb
        elif v.dep_ in ("conj", "xcomp", "advcl", "dep") and v.head.i != v.i:
            v = v.head
        else:
            break
    return split_subject(v, ctx)


def split_subject(verb, ctx: DocContext):
    """A name the parser cut off as a sentence of its own right before a main verb that has no subject
    ("Rutte | lavished praise on ..."): the subject the sentence splitter took away; None otherwise."""
    if verb.dep_ != "ROOT" or verb.left_edge.i == 0:
        return None
    e = ctx.entity(verb.doc[verb.left_edge.i - 1])
    if e is None or ctx.quoted(e.root) or e.root.dep_ != "ROOT":
        return None
    sent = e.root.sent
    if sent.start != e.start or sent.end != e.end or "\n" in verb.doc[e.start: verb.i].text:
        return None
    return e.root


def agent_of(verb, ctx: DocContext):
    """Speaker near a cue verb without a parsed subject ("said X", "according to X")."""
    for c in verb.children:
        if c.dep_ in ("agent",):
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
        if c.dep_ in ("dobj", "attr") and c.ent_type_ in SPEAKER_LABELS and not ctx.quoted(c):
            return c
    if any(c.dep_ == "auxpass" for c in verb.children):
        # a passive whose "by" phrase the parser hung lower ('was described as "..." by Mayor Jane Roe')
        for t in verb.subtree:
            if t.lower_ == "by" and not ctx.quoted(t):
                obj = next((g for g in t.children if g.dep_ == "pobj" and g.ent_type_ in SPEAKER_LABELS), None)
                if obj is not None:
                    return obj
    return None


def is_dateline(ent) -> bool:
    """Whether an entity is a wire dateline opening a line ("WASHINGTON (Reuters) -", "CARACAS/WASHINGTON --"):
    capitals at the start of a line, followed by a bracket, a dash, a slash or a comma."""
    doc = ent.doc
    if not ent.text.replace("/", "").replace(" ", "").replace(".", "").isupper():
        return False
    k = ent.start - 1
    while k >= 0 and doc[k].text in ("/",) or k >= 0 and doc[k].text.isupper() and "\n" not in doc[k].text:
        k -= 1
    at_start = k < 0 or "\n" in doc[k].text or doc[k].is_space
    nxt = doc[ent.end] if ent.end < len(doc) else None
    return at_start and (nxt is None or nxt.text in ("(", "-", "--", "\u2014", "\u2013", "/", ","))


def in_other_clause(ent, cue) -> bool:
    """Whether an entity is the subject of a subordinate clause ("while Trump was on his way") that does
    not hold the cue: the subject of another clause is not the one speaking."""
    root = ent.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = root.head
    return any(c.dep_ == "mark" for c in verb.children) and not verb.left_edge.i <= cue.i <= verb.right_edge.i


def speaker_for_cue(cue, ctx: DocContext):
    """Speaker head token for a cue token (verb subject, agent, 'according to' object, nearby name)."""
    obj = according_to(cue, ctx)
    if obj is not None:
        return obj
    s = subject_of(cue, ctx)
    if s is not None:
        # "told reporters" style: subject is fine; relative pronouns point at their antecedent
        return s
    a = agent_of(cue, ctx)
    if a is not None:
        return a
    doc = cue.doc
    # a name just before the verb that the parser failed to link ("..." Police Chief Jane Doe said Monday)
    for k in range(cue.i - 1, max(-1, cue.i - 1 - NAME_BEFORE_CUE_TOKENS), -1):
        t = doc[k]
        if ctx.quoted(t) or t.text in ALL_MARKS or t.is_sent_start and k < cue.i - 1 and t.is_space or "\n" in t.text:
            break  # never across a line: the name of a caption above is not the speaker
        e = ctx.entity(t)
        if e is not None and e.root.dep_ not in ("compound", "poss", "pobj") and not is_dateline(e) \
                and not in_other_clause(e, cue) and not (e.root.dep_ == "nsubjpass" and e.root.head.i == cue.i):
            return e.root
        if t.lower_ in ("he", "she", "they") and t.dep_ in ("nsubj", "nsubjpass"):
            return t
    # a name right after the verb ("..., said John Smith")
    for k in range(cue.i + 1, min(len(doc), cue.i + 1 + NAME_AFTER_CUE_TOKENS)):
        t = doc[k]
        if ctx.quoted(t) or t.is_punct and t.text not in ",":
            break
        if t.ent_type_ in SPEAKER_LABELS or t.lower_ in PRONOUNS:
            e = ctx.ent_of.get(t.i)
            return e.root if e is not None else t
    return None


def cue_fields(cue) -> CueFields:
    """The cue's words (a verb with its particle, "chimed in"; "according to") and character span."""
    if cue is None:
        return CueFields(None, None, None)
    if cue.lower_ == "according":
        to = cue.doc[cue.i + 1]
        return CueFields(f"{cue.text} {to.text}", cue.idx, to.idx + len(to.text))
    parts = [cue]
    for c in cue.children:
        if c.dep_ == "prt" and c.i > cue.i:
            parts.append(c)
    return CueFields(cue.doc[cue.i: parts[-1].i + 1].text, cue.idx, parts[-1].idx + len(parts[-1].text))


def has_own_content(cue, a, ctx: DocContext) -> bool:
    """Whether a finite cue after a quote, with its own subject, governs a clause of its own outside the
    marks ('"..." Leitha argued that ...'): a new statement, not the quote's attribution."""
    if cue.tag_ not in ("VBD", "VBZ", "VBP") or not any(c.dep_ == "nsubj" and c.i > cue.i - 4 for c in cue.children):
        return False
    for c in cue.children:
        if c.dep_ == "ccomp" and c.idx > cue.idx and not ctx.quoted(c) and not c.left_edge.idx <= a <= c.right_edge.idx:
            return True
    return False


def subject_led_cue(sent, ctx: DocContext) -> bool:
    """Whether a sentence is "<subject> <reporting verb> ...": its main verb a cue with no clause of its
    own whose subject opens the sentence (a long name with a nickname in marks and a title included), the
    attribution of the quote just before it."""
    root = sent.root
    if not is_cue(root, ctx) or any(c.dep_ in ("ccomp", "xcomp") and not ctx.quoted(c) for c in root.children):
        return False  # "Teams will continue monitoring ...": a statement of its own, not an attribution
    subj = own_subject(root, ctx)
    first = next((t for t in sent if not (t.is_punct or t.is_space)), None)
    return subj is not None and first is not None and subj.left_edge.i == first.i


def cue_for_quote(a, b, doc, ctx: DocContext, blocks):
    """Best (cue, speaker head) for the quote with inner span [a, b): nearest cue outside marks in its sentence(s).

    Looks in the quote's own sentence(s), a short trailing sentence ('"...?" she asked.') and, when the quote
    opens its sentence, the previous sentence of the same line ("Schiff said. '...'").
    """
    first = token_at(doc, a)
    last = token_at(doc, max(a, b - 1), forward=False)
    if first is None or last is None:
        return None
    text = ctx.text
    s0 = first.sent
    s1 = last.sent
    lo, hi = s0.start, s1.end
    bl = blocks[paragraph_index(blocks, a)]
    trail = len(text) + 1  # where a trailing attribution sentence starts, when there is one
    # a short trailing sentence "she said." right after a quote that closed its own sentence
    if hi < len(doc):
        nxt = doc[hi].sent
        opens_with_cue = any(is_cue(t, ctx) for t in nxt[:TRAILING_CUE_POSITION])  # '"Why?" asked Jane Doe, who ...'
        led = subject_led_cue(nxt, ctx)  # '"..." Jane "JJ" Roe, the mayor, shouted to the crowd.'
        if nxt.start_char < bl[1] and (len(nxt) <= TRAILING_ATTRIBUTION_TOKENS or opens_with_cue or led) and (
                led or not any(ctx.quoted(t) for t in nxt[:TRAILING_ATTRIBUTION_TOKENS])):
            if text[b:nxt.start_char].strip(ALL_MARKS + "' \u00a0.?!,\u2014-") == "":
                hi, trail = nxt.end, nxt.start_char
    cands: list[CueCandidate] = []
    idx, lower, maybe_cue = token_attr(doc, "idx"), token_attr(doc, "lower_"), cue_lemmas(doc)
    for i in range(lo, hi):
        if a - 1 <= idx[i] < b + 1:
            continue
        if idx[i] < bl[0] or idx[i] >= bl[1]:
            continue
        if lower[i] != "according" and not maybe_cue[i]:
            continue  # neither "according to" nor a cue
        t = doc[i]
        is_acc = according_to(t, ctx) is not None and not ctx.quoted(t)
        if not (is_acc or is_cue(t, ctx)):
            continue
        if t.idx >= b and has_own_content(t, a, ctx):
            continue  # '"..." Leitha argued that his deputies ...': a new statement, not this quote's cue
        if t.idx >= trail and any(c.dep_ in ("ccomp", "xcomp") and not ctx.quoted(c) for c in t.children):
            continue  # '"...". Teams will continue testing ...': the next sentence says something of its own
        dist = (a - t.idx) if t.idx < a else (t.idx - b)
        sp = speaker_for_cue(t, ctx)
        governs = t.left_edge.idx <= a <= t.right_edge.idx + len(t.right_edge.text) or t.head.i == first.i or (
            # "According to X, the cuts are part of ... '...'": the phrase attributes its whole clause
            # (unless it hangs from a cue: '"...," Roe said, according to the text' relays Roe's words)
            is_acc and not is_cue(t.head, ctx) and t.head.left_edge.idx <= a <= t.head.right_edge.idx) or (
            # '..., is a "...," as a memo put it': an "as" clause right after the quote attributes it
            t.idx >= b and any(c.lower_ == "as" for c in t.children)
            and ctx.text[b:t.left_edge.idx].strip(ALL_MARKS + " ,.;\u2019'") == "")
        score = dist - (GOVERNS_BONUS if governs else 0) - (HAS_SPEAKER_BONUS if sp is not None else 0)
        cands.append(CueCandidate(score, t, sp, governs))
    if cands:
        cands.sort(key=lambda c: c.score)
        if cands[0].speaker is not None:
            # a cue in a relative clause about the listener of another cue ("told a woman who suggested
            # ... that '...'") gives way to that cue
            best = next((c for c in cands if c.governs and c.speaker is not None
                         and describes_listener(cands[0].cue, c.cue)), cands[0])
            best = innermost(best, cands)
            return best.cue, best.speaker
    # '"...," Vitter demanded.' : any verb with a subject right after the quote ends the sentence
    after = [t for t in doc[last.i + 1: hi] if t.idx >= b and not ctx.quoted(t)]
    words = [t for t in after if not (t.is_punct or t.is_space)]
    if 0 < len(words) <= TRAILING_ATTRIBUTION_WORDS:
        for t in words:
            if t.pos_ == "VERB":
                sp = subject_of(t, ctx)
                if sp is not None and sp.left_edge.idx > b:  # not '"reform" package passed'
                    return t, sp
    if cands:
        return cands[0].cue, cands[0].speaker
    # the quote opens its sentence: the previous sentence of the same line may name the speaker
    if text[s0.start_char:a].strip(ALL_MARKS + "' \u00a0") == "" and s0.start > 0:
        prev = doc[s0.start - 1].sent
        if prev.start_char >= bl[0] and not any(ctx.quoted(t) for t in prev):
            pc = [t for t in prev if is_cue(t, ctx) or according_to(t, ctx) is not None]
            for t in reversed(pc):
                sp = speaker_for_cue(t, ctx)
                if sp is not None:
                    return t, sp
            root = prev.root
            for c in root.children:
                if c.dep_ == "nsubj" and (c.ent_type_ in ("PERSON",) or c.lower_ in ("he", "she")):
                    return root, c
    return None


def governing_speaker(a, b, doc, ctx: DocContext):
    """(verb or noun cue, speaker head) when a quoted phrase is the object of someone's act of saying.

    Walks up the dependency tree from the quoted words to the first verb outside the marks whose subject
    is a name, an organisation or a personal pronoun, or to a speech noun with a possessor ("Trump's claim").
    """
    first = token_at(doc, a)
    if first is None:
        return None
    tok = first
    # the head of the quoted phrase: the token whose head lies outside the marks
    inside = [t for t in doc[first.i: len(doc)] if t.idx < b]
    for t in inside:
        if not (a <= t.head.idx < b):
            tok = t
            break
    for _ in range(GOVERNOR_HOPS):
        h = tok.head
        if h.i == tok.i:
            return None
        tok = h
        if ctx.quoted(tok):
            continue
        if tok.pos_ == "NOUN" and tok.lower_ in SPEECH_NOUNS:
            for c in tok.children:
                if c.dep_ == "poss":
                    return tok, c
        if tok.pos_ in ("VERB", "AUX"):
            if not is_cue(tok, ctx):
                if tok.dep_ in ("ccomp", "acl") and not ctx.quoted(tok.head):
                    continue  # "Roe's claim that there have been "...", "for saying it was a "...": the content
                return None  # "bought a 'philanthropub'": not an act of saying
            sp = subject_of(tok, ctx)
            if sp is None:
                return None
            if sp.lower_ in RELATIVE_PRONOUNS and sp.head.dep_ == "relcl":
                ante = antecedent(sp)
                if ante is not None and ctx.entity(ante) is not None:
                    return tok, sp
                return None
            if ctx.entity(sp) is not None or sp.lower_ in PRONOUNS and sp.lower_ not in ("it", "you", "i", "we"):
                return tok, sp
            return None
    return None
