"""Tone toward each entity, per article: the corpus table the tone charts read (`entity_sentiment`).

VADER (Hutto & Gilbert 2014) on the words the parse ties to an entity's mentions, read per article from
the study's `entity_tone` rows (`presslens.extract.tone`): its noun phrase and the clause it is subject or
object of, names left out, in the outlet's narration and in quoted voices apart, each article-level name
mapped to the study's canonical name. Without those rows, the mean compound of the sentences naming the
entity (`method` says which). Kept apart from `presslens.sentiment`, which draws, so that building the
table never loads matplotlib.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import normalize

from . import study
from .gc_pause import paused
from .study import entities_by_sentence
from .text import count_words

CLAUSE, SENTENCE = "clause", "sentence"
# Per article and canonical entity. `compound` is the tone the charts use (the outlet's narration).
ENTITY_TONE_COLUMNS = ["article_id", "outlet", "entity", "compound", "tone_narration", "tone_quote",
                       "n_words_narration", "n_words_quote", "n_mentions", "n_mentions_quote", "method",
                       "spans_narration", "spans_quote", "cues"]

# --- tone toward an entity, per article ----------------------------------------------------------

def _sentence_entities(sents: pd.DataFrame, mentions: pd.DataFrame | None) -> pd.DataFrame:
    """(article_id, outlet, start, end, text, voice, compound, entity): one row per entity a sentence names."""
    cols = ["article_id", "outlet", "start", "end", "text", "voice", "compound", "entity"]
    if sents is None or sents.empty:
        return pd.DataFrame(columns=cols)
    if mentions is not None:
        ents = entities_by_sentence(sents, mentions)
    elif "entities" in sents:
        ents = sents["entities"]
    else:
        return pd.DataFrame(columns=cols)
    s = sents.assign(entity=[list(e) if isinstance(e, (list, tuple)) else [] for e in ents])
    s = s.explode("entity").dropna(subset=["entity"])
    return s.drop_duplicates(["article_id", "start", "entity"]).reindex(columns=cols)


def sentence_entity_tone(sents: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """ENTITY_TONE_COLUMNS by the sentence method: per article and entity, the mean VADER compound of
    the sentences naming it, narration and quoted sentences apart (a sentence counts once)."""
    se = _sentence_entities(sents, mentions)
    counts = {}
    if mentions is not None and len(mentions):
        counts = mentions.groupby(["article_id", "entity"]).size().to_dict()
    rows = []
    for (aid, outlet, ent), g in se.groupby(["article_id", "outlet", "entity"], sort=False):
        nar, quo = g[g["voice"] == "narration"], g[g["voice"] == "quote"]
        rows.append({"article_id": aid, "outlet": outlet, "entity": ent,
                     "tone_narration": float(nar["compound"].mean()) if len(nar) else np.nan,
                     "tone_quote": float(quo["compound"].mean()) if len(quo) else np.nan,
                     "n_words_narration": int(sum(map(count_words, nar["text"]))),
                     "n_words_quote": int(sum(map(count_words, quo["text"]))),
                     "n_mentions": int(counts.get((aid, ent), len(g))), "n_mentions_quote": len(quo),
                     "method": SENTENCE, "spans_narration": [[int(a), int(b)] for a, b in zip(nar["start"], nar["end"])],
                     "spans_quote": [[int(a), int(b)] for a, b in zip(quo["start"], quo["end"])], "cues": []})
    out = pd.DataFrame(rows, columns=ENTITY_TONE_COLUMNS)
    return out.assign(compound=out["tone_narration"])[ENTITY_TONE_COLUMNS]


def _canonical_names(raw: pd.DataFrame, mentions: pd.DataFrame | None) -> list:
    """For each per-article tone row, the canonical name most of its mentions carry in `mentions`
    (same article and offsets), else the article's own name."""
    where: dict = {}
    if mentions is not None and len(mentions):
        where = dict(zip(zip(mentions["article_id"].tolist(), mentions["start"].astype("int64").tolist(),
                             mentions["end"].astype("int64").tolist()), mentions["entity"].tolist()))
    names = []
    for aid, name, spans in zip(raw["article_id"].tolist(), raw["entity"].tolist(), raw["mention_spans"].tolist()):
        found = [where.get((aid, int(s), int(e))) for s, e in (spans if isinstance(spans, (list, tuple)) else [])]
        found = [f for f in found if isinstance(f, str)]
        names.append(max(set(found), key=lambda f: (found.count(f), f)) if found else name)
    return names


def _tone(valence: float, n_words: int) -> float:
    """VADER's compound of summed valences (`vaderSentiment.normalize`); NaN when no word was scored."""
    return float(normalize(valence)) if n_words and valence else (0.0 if n_words else np.nan)


def _total(values: np.ndarray, idx: np.ndarray):
    """The sum of `values` over the group's rows `idx` as pandas takes it (missing values count as 0),
    without a pandas object; most groups are one row, whose value is taken as it is."""
    if len(idx) == 1:
        v = values[idx[0]]
        return 0.0 if v != v else v
    return np.nansum(values[idx]) if values.dtype.kind == "f" else values[idx].sum()


def targeted_entity_tone(raw: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """ENTITY_TONE_COLUMNS from the per-article `entity_tone` rows: article-level names mapped to the
    canonical names of `mentions`, rows of one canonical entity in one article merged (valences summed)."""
    if raw is None or raw.empty:
        return pd.DataFrame(columns=ENTITY_TONE_COLUMNS)
    df = raw.assign(entity=_canonical_names(raw, mentions))
    # groups in order of their first row, their rows in table order (as groupby(sort=False) gives them), the
    # sums taken on arrays: thousands of (article, entity) groups, each too small to pay for pandas objects
    groups = sorted(df.groupby(["article_id", "outlet", "entity"], sort=False).indices.items(),
                    key=lambda kv: kv[1][0])
    num = {c: df[c].to_numpy() for c in ("n_words_narration", "n_words_quote", "valence_narration", "valence_quote",
                                          "n_mentions", "n_mentions_quote")}
    spans = {c: df[c].tolist() for c in ("spans_narration", "spans_quote", "cues")}
    rows = []
    for (aid, outlet, ent), idx in groups:
        nw_n, nw_q = int(_total(num["n_words_narration"], idx)), int(_total(num["n_words_quote"], idx))
        rows.append({"article_id": aid, "outlet": outlet, "entity": ent,
                     "tone_narration": _tone(float(_total(num["valence_narration"], idx)), nw_n),
                     "tone_quote": _tone(float(_total(num["valence_quote"], idx)), nw_q),
                     "n_words_narration": nw_n, "n_words_quote": nw_q,
                     "n_mentions": int(_total(num["n_mentions"], idx)),
                     "n_mentions_quote": int(_total(num["n_mentions_quote"], idx)), "method": CLAUSE,
                     **{c: sorted(x for i in idx for x in v[i]) for c, v in spans.items()}})
    out = pd.DataFrame(rows, columns=ENTITY_TONE_COLUMNS)
    return out.assign(compound=out["tone_narration"])[ENTITY_TONE_COLUMNS]


def _study_tone(frame: pd.DataFrame) -> pd.DataFrame | None:
    """The per-article `entity_tone` table of the study `frame` belongs to, when the study has one."""
    t = study.owner(frame)
    return getattr(t, "entity_tone", None)


@paused()
def entity_sentiment(sents: pd.DataFrame, mentions: pd.DataFrame | None = None,
                     tone: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per article and canonical entity (ENTITY_TONE_COLUMNS): tone toward the entity in the outlet's
    narration (`compound`, NaN when nothing about it was narrated) and in quotes, words scored, mentions.

    Reads the per-article `tone` rows (the study's `entity_tone`, found from `sents` when not given):
    VADER on the words about the entity. Without them, the mean compound of the sentences naming it.
    """
    if tone is None:
        tone = _study_tone(sents)
    if tone is not None:
        return targeted_entity_tone(tone, mentions)
    return sentence_entity_tone(sents, mentions)


