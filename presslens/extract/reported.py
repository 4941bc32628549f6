"""Reported (indirect) speech: what a speaker said without quotation marks.

The clausal complement (ccomp) of a reporting verb with a subject ("Jane Doe said that the bridge would
close"), the sentence around a parenthetical cue ("the plan, she said, will fail"), or the clause framed
by "according to X", as in the PolNeAR scheme (Newell, Margolin & Ruths 2018: source, cue, content).
A clause that quotation marks already mostly cover is the direct quote's, not a second row.
"""
from __future__ import annotations

from ..text import count_words, paragraph_index, paragraph_spans
from .cues import according_to, cue_fields, cue_lemmas, is_cue, speaker_for_cue
from .doc_arrays import token_attr
from .quotemarks import ALL_MARKS
from .speakers import DocContext, Speaker, speaker_fields

# Reported content shorter than this (in words) is a fragment, not a statement.
MIN_INDIRECT_WORDS = 3
# Words before "according to X" in its sentence: fewer than this and it frames what follows.
ACCORDING_TO_LEAD_WORDS = 3
# Share of the content's characters inside quotation marks above which the direct quote has it.
MAX_QUOTED_SHARE = 0.5


def indirect_rows(doc, ctx: DocContext, events: list[Speaker] = ()) -> list[dict]:
    """Reported speech: the clause a cue verb with a subject governs (ccomp), or the clause 'according to X' frames."""
    text = ctx.text
    paras = paragraph_spans(text)
    rows = []
    prev = None
    events = sorted(events, key=lambda e: e.offset)
    k = 0
    idx, lower, maybe_cue = token_attr(doc, "idx"), token_attr(doc, "lower_"), cue_lemmas(doc)
    for i in range(len(doc)):
        if ctx.in_quote[idx[i]]:  # ctx.quoted
            continue
        while k < len(events) and events[k].offset < idx[i]:
            if prev is None or events[k].offset > prev.offset:
                prev = events[k]  # the latest speaker, direct or reported
            k += 1
        if lower[i] != "according" and not maybe_cue[i]:
            continue  # neither "according to" nor a cue: no content
        tok = doc[i]
        content = None
        head = None
        acc = according_to(tok, ctx)
        if acc is not None:
            head = acc
            sent = tok.sent
            acc_lo = tok.i
            acc_hi = max(t.i for t in tok.subtree) if tok.head.i != tok.i else head.right_edge.i
            acc_hi = max(acc_hi, head.right_edge.i)
            before = doc[sent.start: acc_lo]
            after = doc[acc_hi + 1: sent.end]
            # "According to X, ..." frames what follows; "..., according to X" what precedes
            seg = after if count_words(before.text) < ACCORDING_TO_LEAD_WORDS else before
            content = trim(seg)
        elif is_cue(tok, ctx, indirect=True):
            subj = speaker_for_cue(tok, ctx)
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
            if seg.start <= subj.i < seg.end:
                continue
            content = trim(seg)
            head = subj
        if content is None or head is None:
            continue
        a, b = content
        if b <= a or count_words(text[a:b]) < MIN_INDIRECT_WORDS:
            continue
        if sum(ctx.in_quote[a:b]) >= MAX_QUOTED_SHARE * (b - a):
            continue
        f = speaker_fields(head, ctx, prev)
        c = cue_fields(tok)
        rows.append({"quote": text[a:b], "start": a, "end": b, "kind": "indirect", "cue": c.text,
                     "cue_start": c.start, "cue_end": c.end, "speaker": f.name, "speaker_start": f.start,
                     "speaker_end": f.end, "speaker_role": f.role, "paragraph": paragraph_index(paras, a)})
        if f.name is not None:
            prev = Speaker(f.name, f.label or "NP", f.role, f.start if f.start is not None else a,
                           f.start, f.end, tok)
    return rows


def trim(seg):
    """Character span of a token span without leading/trailing punctuation, marks and 'that'."""
    toks = list(seg)
    if toks and toks[0].lower_ == "that" and toks[0].dep_ == "mark":
        toks = toks[1:]  # the complementiser is not part of what was said
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].text in ALL_MARKS):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].text in ALL_MARKS):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)
