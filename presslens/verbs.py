"""The verbs outlets choose to report speech: "said" versus "claimed", "admitted", "insisted".

Each quote's cue is reduced to its lemma and given the category kept as data in
data/verb_categories.csv (neutral, endorsing, distancing, characterising; sources in the file:
Wikipedia's MOS:SAID, the AP Stylebook, Caldas-Coulthard 1994). Shares per outlet, speaker kind or
speaker gender carry article-cluster bootstrap intervals (presslens.shares), and `verb_sentences`
gives the sentence behind every count, with the cue's offsets.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .figures import new_figure, no_data, save_figure
from .paths import DATA_DIR
from .shares import SHARE_COLUMNS, category_shares

VERB_CATEGORIES_PATH = DATA_DIR / "verb_categories.csv"
CATEGORIES = ("neutral", "endorsing", "distancing", "characterising")
UNCATEGORISED = "uncategorised"       # a cue verb the table does not list
NO_CUE = "no cue"                     # a quote attributed without a verb (a colon, a dash signature)
CATEGORY_COLORS = {"neutral": "#8c8c8c", "endorsing": "#55a868", "distancing": "#c44e52",
                   "characterising": "#dd8452", UNCATEGORISED: "#cccccc"}
SENTENCE_COLUMNS = ["article_id", "outlet", "speaker_entity", "cue", "cue_lemma", "verb_category",
                    "cue_start", "cue_end", "sentence"]
# Irregular past forms of reporting verbs (regular ones are undone by `cue_lemma`'s suffix rules).
IRREGULAR = {"said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write",
             "began": "begin", "begun": "begin", "sang": "sing", "sung": "sing", "read": "read",
             "spoke": "speak", "spoken": "speak", "thought": "think", "cried": "cry", "found": "find",
             "shown": "show", "showed": "show"}
PARTICLES = ("out", "up", "on", "back")


@lru_cache(maxsize=None)
def _table() -> pd.DataFrame:
    t = pd.read_csv(VERB_CATEGORIES_PATH, comment="#", dtype=str, keep_default_na=False)
    bad = sorted(set(t["category"]) - set(CATEGORIES))
    if bad:
        raise ValueError(f"{VERB_CATEGORIES_PATH}: unknown categories {bad} (use {', '.join(CATEGORIES)})")
    dup = t["lemma"][t["lemma"].duplicated()].tolist()
    if dup:
        raise ValueError(f"{VERB_CATEGORIES_PATH}: lemmas listed twice: {dup}")
    return t


def verb_categories() -> pd.DataFrame:
    """The reporting-verb table (lemma, category, source) from data/verb_categories.csv."""
    return _table().copy()


@lru_cache(maxsize=None)
def _category_of() -> dict[str, str]:
    t = _table()
    return dict(zip(t["lemma"], t["category"]))


def _lemma_word(w: str, known) -> str:
    if w in IRREGULAR:
        return IRREGULAR[w]
    cands = [w]
    for suf, rep in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                     ("d", ""), ("ing", ""), ("ing", "e")):
        if w.endswith(suf) and len(w) - len(suf) >= 2:
            stem = w[: len(w) - len(suf)] + rep
            cands.append(stem)
            if rep == "" and len(stem) >= 3 and stem[-1] == stem[-2]:
                cands.append(stem[:-1])  # "admitted" -> "admit"
    for c in cands:
        if c in known:
            return c
    return w


def cue_lemma(cue) -> str | None:
    """The lemma of a cue as the table lists it ("pointed out" -> "point out", "claims" -> "claim",
    "According to" -> "according to"); None for a quote without a cue."""
    if not isinstance(cue, str) or not cue.strip():
        return None
    words = re.findall(r"[a-z]+", cue.lower())
    if not words:
        return None
    if words[:2] == ["according", "to"]:
        return "according to"
    known = _category_of()
    head = _lemma_word(words[0], known)
    if len(words) > 1 and words[-1] in PARTICLES and f"{head} {words[-1]}" in known:
        return f"{head} {words[-1]}"
    return head


def verb_category(cue) -> str:
    """The category of a cue (CATEGORIES), UNCATEGORISED when its verb is not listed, NO_CUE without one."""
    lemma = cue_lemma(cue)
    if lemma is None:
        return NO_CUE
    return _category_of().get(lemma, UNCATEGORISED)


def add_verb_category(quotes: pd.DataFrame) -> pd.DataFrame:
    """`quotes` with `cue_lemma` and `verb_category`."""
    out = quotes.copy()
    out["cue_lemma"] = out["cue"].map(cue_lemma) if len(out) else pd.Series(dtype=object)
    out["verb_category"] = out["cue"].map(verb_category) if len(out) else pd.Series(dtype=object)
    return out


def verb_shares(quotes: pd.DataFrame, by: str = "outlet", **kw) -> pd.DataFrame:
    """Share of each verb category among the cued quotes per `by` (outlet, speaker_kind,
    speaker_gender, speaker_type), with article-cluster bootstrap intervals (SHARE_COLUMNS)."""
    q = quotes if "verb_category" in quotes else add_verb_category(quotes)
    q = q[q["verb_category"] != NO_CUE]
    if by in q:
        q = q.assign(**{by: q[by].astype(object).where(q[by].notna(), "not a person")})
    cats = [c for c in CATEGORIES] + ([UNCATEGORISED] if (q["verb_category"] == UNCATEGORISED).any() else [])
    return category_shares(q, by, "verb_category", categories=cats, **kw)


def verb_sentences(quotes: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame | None = None,
                   category: str | None = None) -> pd.DataFrame:
    """The sentence behind every counted cue (SENTENCE_COLUMNS), optionally one category only: the
    sentence of the `sentences` table that holds the cue, else the article's text around it."""
    q = quotes if "verb_category" in quotes else add_verb_category(quotes)
    q = q[q["verb_category"] != NO_CUE].dropna(subset=["cue_start", "cue_end"])
    if category is not None:
        q = q[q["verb_category"] == category]
    text_of = dict(zip(articles["article_id"], articles["text"]))
    bounds: dict = {}
    if sentences is not None and len(sentences):
        for aid, g in sentences.groupby("article_id", sort=False):
            bounds[aid] = list(zip(g["start"].astype(int), g["end"].astype(int)))
    rows = []
    for r in q.itertuples(index=False):
        text = text_of.get(r.article_id, "")
        a, b = int(r.cue_start), int(r.cue_end)
        span = next(((s, e) for s, e in bounds.get(r.article_id, []) if s <= a < e), None)
        if span is None:  # no sentence table: from the previous to the next sentence end
            s = max(text.rfind(". ", 0, a), text.rfind("\n", 0, a)) + 1
            e = min([x for x in (text.find(". ", b), text.find("\n", b)) if x >= 0] or [len(text)]) + 1
            span = (s, e)
        rows.append({"article_id": r.article_id, "outlet": r.outlet, "speaker_entity": r.speaker_entity,
                     "cue": r.cue, "cue_lemma": r.cue_lemma, "verb_category": r.verb_category,
                     "cue_start": a, "cue_end": b, "sentence": text[span[0]:span[1]].strip()})
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def plot_verb_shares(shares: pd.DataFrame, slug: str, figures_dir=None, by_label: str = "outlet"):
    """Stacked bars: per group, the share of its cued quotes in each verb category (n quotes at the
    end of each bar; the CSV has the intervals). Returns (fig, data)."""
    data = shares.reindex(columns=SHARE_COLUMNS).copy()
    fig, ax = new_figure(f"Reporting verbs per {by_label}: neutral, endorsing, distancing",
                         xlabel="% of the quotes with a cue verb")
    if data.empty or data["total"].sum() == 0:
        no_data(ax, "quotes with a cue verb")
        save_figure(fig, slug, data, figures_dir)
        return fig, data
    groups = sorted(data["group"].astype(str).unique())
    cats = list(dict.fromkeys(data["category"]))
    for i, gname in enumerate(groups):
        left = 0.0
        d = data[data["group"].astype(str) == gname].set_index("category")
        for c in cats:
            v = 100 * float(d["share"].get(c, 0.0) or 0.0)
            ax.barh(i, v, left=left, color=CATEGORY_COLORS.get(c, "#999999"),
                    label=c if i == 0 else None)
            left += v
        ax.text(101, i, f"n={int(d['total'].iloc[0])}", va="center", fontsize=8, color="#555555")
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels(groups)
    ax.set_xlim(0, 112)
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=len(cats), fontsize=8)
    save_figure(fig, slug, data, figures_dir)
    return fig, data
