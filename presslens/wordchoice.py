"""Word choice and framing: the words and phrases each outlet uses that the others do not, and how it names actors.

Distinctive terms use the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi & Quinn 2008, "Fightin' Words", Political Analysis 16(4), eq. 16-22), each outlet against
all the others, on the outlet's own narration (the narration table: the one definition of the
outlet's own words, quoted words left out) with furniture already out of the clean `text`.

Tokens are `presslens.text.WORD_RE` words (the same words `count_words` counts, so "U.S.",
"re-establish" and "Maduro's" stay whole), lower-cased, curly apostrophes straightened and the
possessive 's dropped; a bigram is two consecutive words with only white space between them (no
phrase runs across punctuation, a quote or a paragraph break). A regex rather than spaCy tokens:
the pipeline keeps no Doc after its one parse, and a second parse would double the cost; on edited
news copy the two tokenisations differ almost only on punctuation, which is dropped here anyway.
"""
from __future__ import annotations

import importlib.util
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .figures import FIGSIZE, new_figure, outlet_color, save_figure
from .names import name_key
from .similarity import ABBREVIATIONS
from .study import tables
from .text import WORD_RE

TERM_COLUMNS = ["outlet", "term", "ngram", "count", "count_rest", "articles", "articles_rest",
                "tokens", "tokens_rest", "per_1000", "per_1000_rest", "prior", "log_odds", "variance", "z"]
COUNT_COLUMNS = ["article_id", "outlet", "term", "ngram", "count"]
OCCURRENCE_COLUMNS = ["article_id", "outlet", "term", "start", "end", "context"]
ACTOR_COLUMNS = ["entity", "label", "outlet", "role", "mentions", "articles", "article_id", "start", "end", "surface"]
MIN_COUNT = 3
NGRAMS = (1, 2)
_GAP_RE = re.compile(r"[ \t]+")


@lru_cache(maxsize=None)
def _stopwords() -> frozenset:
    """spaCy's English stop words, and "s" and the forms of "say"."""
    return frozenset(_spacy_stop_words()) | {"s", "said", "says", "say"}


def _spacy_stop_words() -> set:
    """spaCy's English stop-word list (spacy/lang/en/stop_words.py, a module holding only the list), read from
    its file: importing it through the package would import all of spaCy, over a second, for a word list."""
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    path = Path(spec.submodule_search_locations[0]) / "lang" / "en" / "stop_words.py" if spec else None
    if path is None or not path.is_file():
        from spacy.lang.en.stop_words import STOP_WORDS  # another layout: the package's own import
        return STOP_WORDS
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("_spacy_en_stop_words", path))
    module.__loader__.exec_module(module)
    return module.STOP_WORDS


@lru_cache(maxsize=200_000)
def normalize_token(word: str) -> str:
    """How a word is counted: lower case, straight apostrophes, possessive 's dropped ("Maduro's" -> "maduro")."""
    w = word.lower().replace("\u2019", "'").replace("\u2018", "'")
    return w[:-2] if w.endswith("'s") and len(w) > 2 else w


def _segments_by_article(narration: pd.DataFrame | None) -> dict:
    """{article_id: [(start, end), ...]} of the narration table (`tables(articles).narration`)."""
    spans = defaultdict(list)
    if narration is None or len(narration) == 0:
        return spans
    for aid, a, b in zip(narration["article_id"], narration["start"], narration["end"]):
        spans[aid].append((int(a), int(b)))
    return spans


def _grams(text: str, spans, ngrams=NGRAMS):
    """Yield (term, n, start, end) for every n-gram inside the narration spans (no n-gram crosses punctuation)."""
    for a, b in spans:
        run: list[tuple[str, int, int]] = []
        for m in WORD_RE.finditer(text, a, b):
            if run and not _GAP_RE.fullmatch(text[run[-1][2]:m.start()]):
                run = []
            word, end = m.group(), m.end()
            if end < b and text[end] == "." and ("." in word or word.lower() in ABBREVIATIONS):
                word, end = word + ".", end + 1  # "U.S." and "Mr." keep their period and their phrase
            run.append((normalize_token(word), m.start(), end))
            for n in ngrams:
                if len(run) >= n:
                    yield " ".join(w for w, _, _ in run[-n:]), n, run[-n][1], end


def term_counts(articles: pd.DataFrame, narration: pd.DataFrame | None = None, ngrams=NGRAMS) -> pd.DataFrame:
    """Per article, how often each word and phrase occurs in its narration (COUNT_COLUMNS), all terms, no filter."""
    if articles is None or len(articles) == 0:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    segs = _segments_by_article(tables(articles).narration if narration is None else narration)
    rows = []
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        if not isinstance(text, str):
            continue
        c = Counter((t, n) for t, n, _, _ in _grams(text, segs.get(aid, ()), ngrams))
        rows.extend({"article_id": aid, "outlet": outlet, "term": t, "ngram": n, "count": k} for (t, n), k in c.items())
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def log_odds_z(y_i: float, n_i: float, y_j: float, n_j: float, alpha_w: float, alpha_0: float) -> tuple[float, float, float]:
    """(delta, variance, z) of one word: weighted log-odds of group i vs j with Dirichlet prior (Monroe et al. 2008, eq. 16-22).

    delta = log((y_i+a_w)/(n_i+a_0-y_i-a_w)) - log((y_j+a_w)/(n_j+a_0-y_j-a_w)); var ~ 1/(y_i+a_w) + 1/(y_j+a_w).
    """
    delta = (math.log((y_i + alpha_w) / (n_i + alpha_0 - y_i - alpha_w))
             - math.log((y_j + alpha_w) / (n_j + alpha_0 - y_j - alpha_w)))
    var = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w)
    return delta, var, delta / math.sqrt(var)


def distinctive_terms(articles: pd.DataFrame, narration: pd.DataFrame | None = None, by: str = "outlet",
                      ngrams=NGRAMS, min_count: int = MIN_COUNT, prior_scale: float = 1.0,
                      stopwords: bool = True, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each outlet's distinctive words and phrases against all other outlets: weighted log-odds z-scores (TERM_COLUMNS).

    Fightin' Words (Monroe, Colaresi & Quinn 2008) with an informative Dirichlet prior: a_w = prior_scale x
    the term's count in the whole corpus (all outlets), a_0 = sum of a_w, computed separately for
    unigrams and bigrams (each against its own token total). z > 1.96: the outlet uses the term more than
    the rest at the 95% level; z < -1.96: less. Only terms seen `min_count`+ times in the corpus are
    returned, and with `stopwords`, no function word alone and no phrase made only of function words (the
    totals keep every token). `count`, `tokens`, `articles` and their `_rest` twins are the numbers behind
    each score. Fewer than two outlets: an empty table. Sorted by outlet, then z descending.
    `by` names another articles column to compare instead (its groups fill the `outlet` column); `counts`
    reuses a `term_counts` table.
    """
    if counts is None:
        counts = term_counts(articles, narration, ngrams)
        if by != "outlet" and articles is not None and len(articles):
            counts["outlet"] = counts["article_id"].map(dict(zip(articles["article_id"], articles[by])))
    counts = counts.dropna(subset=["outlet"])
    if counts.empty or counts["outlet"].nunique() < 2:
        return pd.DataFrame(columns=TERM_COLUMNS)
    stop = _stopwords() if stopwords else frozenset()
    frames = []
    for n, cn in counts.groupby("ngram"):
        by_outlet = cn.groupby(["outlet", "term"])["count"].sum().unstack("outlet", fill_value=0)
        arts = cn.groupby(["outlet", "term"])["article_id"].nunique().unstack("outlet", fill_value=0)
        corpus = by_outlet.sum(axis=1)
        alpha = prior_scale * corpus
        a0 = float(alpha.sum())
        totals = by_outlet.sum(axis=0)
        keep = corpus >= min_count
        if stop:
            keep &= ~pd.Series([all(w in stop for w in t.split(" ")) for t in corpus.index], index=corpus.index)
        for outlet in by_outlet.columns:
            y_i = by_outlet[outlet][keep]
            y_j = (corpus - by_outlet[outlet])[keep]
            n_i, n_j = float(totals[outlet]), float(totals.sum() - totals[outlet])
            a = alpha[keep]
            delta = np.log((y_i + a) / (n_i + a0 - y_i - a)) - np.log((y_j + a) / (n_j + a0 - y_j - a))
            var = 1.0 / (y_i + a) + 1.0 / (y_j + a)
            frames.append(pd.DataFrame({
                "outlet": outlet, "term": y_i.index, "ngram": int(n), "count": y_i.values.astype(int),
                "count_rest": y_j.values.astype(int), "articles": arts[outlet][keep].values.astype(int),
                "articles_rest": (arts[keep].sum(axis=1) - arts[outlet][keep]).values.astype(int),
                "tokens": int(n_i), "tokens_rest": int(n_j),
                "per_1000": (1000 * y_i / n_i).values if n_i else float("nan"),
                "per_1000_rest": (1000 * y_j / n_j).values if n_j else float("nan"),
                "prior": a.values, "log_odds": delta.values, "variance": var.values,
                "z": (delta / np.sqrt(var)).values}))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TERM_COLUMNS)
    if out.empty:
        return pd.DataFrame(columns=TERM_COLUMNS)
    out = out.sort_values(["outlet", "z", "term"], ascending=[True, False, True], key=_str_key)
    return out[TERM_COLUMNS].reset_index(drop=True)


def _str_key(col: pd.Series) -> pd.Series:
    return col.astype(str) if col.dtype == object else col


def top_terms(terms: pd.DataFrame, k: int = 10, min_z: float = 1.96) -> pd.DataFrame:
    """The `k` most distinctive terms per outlet with z >= `min_z` (the rows a figure plots)."""
    if terms is None or terms.empty:
        return pd.DataFrame(columns=TERM_COLUMNS)
    t = terms[terms["z"] >= min_z].sort_values(["outlet", "z"], ascending=[True, False], key=_str_key)
    return t.groupby("outlet", sort=True).head(k).reset_index(drop=True)


def term_occurrences(articles: pd.DataFrame, terms, narration: pd.DataFrame | None = None, width: int = 60) -> pd.DataFrame:
    """Where each of `terms` occurs in the articles' narration (OCCURRENCE_COLUMNS): offsets and a keyword-in-context snippet."""
    wanted = {terms} if isinstance(terms, str) else set(terms)
    wanted = {" ".join(normalize_token(w) for w in t.split()) for t in wanted}
    sizes = tuple(sorted({len(t.split()) for t in wanted})) or (1,)
    rows = []
    if articles is None or len(articles) == 0 or not wanted:
        return pd.DataFrame(columns=OCCURRENCE_COLUMNS)
    segs = _segments_by_article(tables(articles).narration if narration is None else narration)
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        if not isinstance(text, str):
            continue
        for t, _, a, b in _grams(text, segs.get(aid, ()), sizes):
            if t in wanted:
                ctx = text[max(0, a - width):b + width].replace("\n", " ")
                rows.append({"article_id": aid, "outlet": outlet, "term": t, "start": a, "end": b, "context": ctx})
    return pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)


def _roles(value) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, (list, tuple, set)):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def actor_descriptions(mentions: pd.DataFrame, narration_only: bool = True, min_mentions: int = 1) -> pd.DataFrame:
    """For each canonical entity, the titles and descriptions each outlet attaches to it (ACTOR_COLUMNS).

    Read from the mentions table's `role` column (title or apposition, e.g. "Acting President",
    "former Maduro vice president"). Entities and roles are grouped ignoring case and accents, shown in
    their most frequent spelling; `article_id`/`start`/`end`/`surface` point at the first such mention.
    With `narration_only`, mentions inside quotes (`in_quote`) are left out: that is the speaker's naming.
    """
    need = {"article_id", "outlet", "entity", "role"}
    if mentions is None or len(mentions) == 0 or not need <= set(mentions.columns):
        return pd.DataFrame(columns=ACTOR_COLUMNS)
    m = mentions
    if narration_only and "in_quote" in m:
        m = m[~m["in_quote"].fillna(False).astype(bool)]
    rows = []
    for r in m.itertuples(index=False):
        for role in _roles(getattr(r, "role")):
            rows.append({"entity": r.entity, "label": getattr(r, "label", None), "outlet": r.outlet, "role": role,
                         "article_id": r.article_id, "start": getattr(r, "start", None), "end": getattr(r, "end", None),
                         "surface": getattr(r, "surface", None)})
    if not rows:
        return pd.DataFrame(columns=ACTOR_COLUMNS)
    df = pd.DataFrame(rows)
    df = df[df["entity"].notna()]
    df["_e"] = [name_key(str(e)) for e in df["entity"]]
    df["_r"] = [name_key(r) for r in df["role"]]
    show_e = df.groupby("_e")["entity"].agg(lambda s: s.value_counts().index[0])
    show_r = df.groupby("_r")["role"].agg(lambda s: s.value_counts().index[0])
    df = df.sort_values(["article_id", "start"], key=_str_key)
    g = df.groupby(["_e", "outlet", "_r"], sort=False)
    out = g.agg(label=("label", "first"), mentions=("role", "size"), articles=("article_id", "nunique"),
                article_id=("article_id", "first"), start=("start", "first"), end=("end", "first"),
                surface=("surface", "first")).reset_index()
    out["entity"] = out["_e"].map(show_e)
    out["role"] = out["_r"].map(show_r)
    out = out[out["mentions"] >= min_mentions]
    out["_tot"] = out.groupby("_e")["mentions"].transform("sum")
    out = out.sort_values(["_tot", "entity", "outlet", "mentions", "role"], ascending=[False, True, True, False, True],
                          key=_str_key)
    return out[ACTOR_COLUMNS].reset_index(drop=True)


def actor_descriptions_wide(actors: pd.DataFrame) -> pd.DataFrame:
    """Entity x outlet table of the roles used, "role (mentions)" joined by "; ": the side-by-side view of naming."""
    if actors is None or actors.empty:
        return pd.DataFrame()
    cell = actors.assign(_c=[f"{r} ({n})" for r, n in zip(actors["role"], actors["mentions"])])
    wide = cell.groupby(["entity", "outlet"], sort=False)["_c"].agg("; ".join).unstack("outlet", fill_value="")
    return wide.reindex(actors["entity"].drop_duplicates())


def plot_distinctive_terms(terms: pd.DataFrame, slug: str, figures_dir=None, k: int = 10, min_z: float = 1.96):
    """One panel per outlet: its `k` highest-z words and phrases with z >= `min_z` (the 95% level by
    default: weaker evidence is not drawn, so a small corpus does not fill the chart with chance
    phrases), counts beside each dot."""
    top = terms[terms["z"] >= min_z] if terms is not None and len(terms) else pd.DataFrame(columns=TERM_COLUMNS)
    top = top.sort_values(["outlet", "z"], ascending=[True, False], key=_str_key).groupby("outlet").head(k)
    outlets = sorted(top["outlet"].unique(), key=str) or ["(no outlet)"]
    ncols = min(len(outlets), 3)
    nrows = math.ceil(len(outlets) / ncols)
    fig, axes = new_figure("Words and phrases each outlet uses more than the others (its own narration)",
                           None, None, nrows=nrows, ncols=ncols,
                           figsize=(FIGSIZE[0] * max(1, ncols / 2), max(FIGSIZE[1], 0.35 * k * nrows + 1.2)))
    axes = np.atleast_1d(axes).ravel()
    for ax, outlet in zip(axes, outlets):
        d = top[top["outlet"] == outlet].reset_index(drop=True)
        c = outlet_color(outlet)
        for i, r in d.iterrows():
            ax.plot([0, r["z"]], [i, i], color=c, linewidth=1)
            ax.plot(r["z"], i, "o", color=c, markersize=7)
            ax.annotate(f"{int(r['count'])} vs {int(r['count_rest'])}", (r["z"], i), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=7, color="#555555")
        ax.axvline(1.96, color="#999999", linestyle="--", linewidth=0.8)
        ax.set_yticks(range(len(d)))
        ax.set_yticklabels(d["term"])
        ax.set_ylim(-0.7, max(len(d), 1) - 0.3)
        ax.invert_yaxis()
        ax.set_title(outlet, color=c, fontsize=10)
        ax.set_xlabel("z-score, weighted log-odds vs all other outlets")
        ax.set_xlim(0, max(2.5, float(d["z"].max()) * 1.35 if len(d) else 2.5))
        if d.empty:
            ax.text(0.5, 0.5, f"no term with z >= {min_z:g}", ha="center", va="center", transform=ax.transAxes)
    for ax in axes[len(outlets):]:
        ax.set_visible(False)
    fig.text(0.01, 0.005, f"Terms with z >= {min_z:g} only. Labels: uses by this outlet vs by all others.",
             fontsize=7, color="#555555")
    cols = ["outlet", "term", "ngram", "count", "count_rest", "tokens", "tokens_rest", "prior", "log_odds", "z"]
    data = top[cols].reset_index(drop=True)
    save_figure(fig, slug, data, figures_dir)
    return fig, data
