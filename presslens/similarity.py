"""Shared and unique text across outlets covering the same story, sentence by sentence.

Wire copy and the same official statement carried by two outlets look like agreement in every
other table; this module finds them so they can be read as what they are. Sentences come from
the study's `sentences` table (presslens.tables), so every notebook counts the same sentences.

Similarity is computed with rapidfuzz (MIT, maintained, C++ Levenshtein/Indel kernels, already
pinned): `fuzz.ratio` is the normalised Indel similarity (0-100, the same measure as Python's
difflib ratio, but fast), and `Indel.opcodes` on word lists gives the aligned word runs, hence the
character offsets of a passage two sentences share. Candidate pairs are sentences that share a word
trigram (an inverted index), so the cost grows with the overlap, not with the square of the corpus.

A pair of sentences from two different outlets of the same story is shared when it is
  - "identical": the same words after normalisation (case, accents, curly quotes, hyphens, punctuation);
  - "near-identical": `fuzz.ratio` of the normalised sentences >= `threshold` (default 85);
  - "shared-passage": otherwise, the sentences share a verbatim run of >= `min_words` words (default 8),
    e.g. the same statement quoted in full by one outlet and in part by another.
A sentence table's matching is computed once and kept (in this process and in the cache folder, see
MATCH_FOLDER), so `shared_sentences`, `unique_sentences` and `outlet_overlap`, in any notebook, share it.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from collections import defaultdict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from itertools import combinations
from pathlib import Path

import pandas as pd
from matplotlib.patches import Patch

from . import paths
from .figures import new_figure, outlet_color, save_figure
from .pipeline import code_sources
from .study import tables
from .text import WORD_RE, count_words

SENTENCE_COLUMNS = ["article_id", "outlet", "story", "sentence", "start", "end", "paragraph", "text", "n_words"]
SHARED_COLUMNS = ["story", "kind", "score", "shared_words",
                  "article_id_a", "outlet_a", "start_a", "end_a", "passage_start_a", "passage_end_a", "text_a",
                  "article_id_b", "outlet_b", "start_b", "end_b", "passage_start_b", "passage_end_b", "text_b"]
UNIQUE_COLUMNS = ["story", "article_id", "outlet", "sentence", "start", "end", "paragraph", "text", "n_words",
                  "best_score", "best_article_id", "best_outlet", "best_start", "best_end"]
SUMMARY_COLUMNS = ["story", "outlet_a", "outlet_b", "articles_a", "articles_b", "words_a", "words_b",
                   "shared_sentences_a", "shared_sentences_b", "shared_words_a", "shared_words_b",
                   "share_a", "share_b", "pairs", "identical", "near_identical", "shared_passage"]
KINDS = ("identical", "near-identical", "shared-passage")
THRESHOLD = 85.0
MIN_WORDS = 8
MIN_SENTENCE_WORDS = 5  # shorter sentences ("Read more.", "He declined to comment.") are never matched
SHINGLE = 3
MAX_POSTING = 500  # a trigram in more sentences of one story than this proposes no pairs

# The matching of one sentence table is kept (`_matched`): notebooks 00 and 05 and the three functions of 05 ask
# for the same pairs. In this process, for the last few tables; on disk, one Parquet file a table under
# <cache folder>/MATCH_FOLDER, keyed by the table's contents, the parameters and this module's code, so the
# notebooks of a report (one kernel each) match a corpus once.
MATCH_MEMO_SIZE = 4
MATCH_FOLDER = "similarity"
MATCH_COLUMNS = ["i", "j", "score", "kind", "shared_words", "pa_start", "pa_end", "pb_start", "pb_end"]
_KEY_COLUMNS = ["story", "article_id", "outlet", "start", "end", "text"]
_MATCHED: dict[str, tuple[pd.DataFrame, list[dict]]] = {}

# Abbreviations that keep their period in a phrase (news style: titles, months, states).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col sgt capt cmdr adm maj st jr sr inc corp co ltd no vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec ala ariz ark calif colo conn del fla ga ill ind "
    "kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo "
    "approx dept est fig gov't mt ft rev hon pres".split())
_TOKEN_TRANS = str.maketrans({"\u2019": "'", "\u2018": "'", "-": "", "\u2010": "", "\u2011": "", ".": ""})


def _is_sentence_table(df: pd.DataFrame) -> bool:
    return {"start", "end", "text"} <= set(df.columns)


def sentence_table(data: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sentences (SENTENCE_COLUMNS) from an `articles` table or a `sentences` table; `story` from `articles` if given.

    Without a story anywhere, all articles count as one story.
    """
    if data is None or len(data) == 0:
        return pd.DataFrame(columns=SENTENCE_COLUMNS)
    if not _is_sentence_table(data):  # an articles table: its sentences as the study defines them
        articles, data = data, tables(data).sentences
        if data.empty:
            return pd.DataFrame(columns=SENTENCE_COLUMNS)
    s = data.copy()
    if articles is not None and "story" in articles and "article_id" in articles:
        story_of = dict(zip(articles["article_id"], articles["story"]))
        s["story"] = s["article_id"].map(story_of)
    elif "story" not in s:
        s["story"] = None
    if "sentence" not in s:
        s["sentence"] = s.groupby("article_id").cumcount()
    if "paragraph" not in s:
        s["paragraph"] = None
    if "n_words" not in s:
        s["n_words"] = [count_words(t) for t in s["text"]]
    return s[SENTENCE_COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=200_000)
def _fold(word: str) -> str:
    """A word compared across outlets: lower case, no accents, straight apostrophes, no hyphens or dots."""
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(c for c in w if not unicodedata.combining(c))
    return w.translate(_TOKEN_TRANS)


def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) of each word of a sentence, offsets relative to the sentence."""
    return [(_fold(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _story_key(story):
    return "" if story is None or (isinstance(story, float) and story != story) else story


def _prepare(sents: pd.DataFrame) -> pd.DataFrame:
    s = sents.reset_index(drop=True).copy()
    s["_story"] = [_story_key(x) for x in s["story"]]
    toks = [_words(t if isinstance(t, str) else "") for t in s["text"]]
    s["_toks"] = toks
    s["_norm"] = [" ".join(w for w, _, _ in t) for t in toks]
    return s


def _longest_run(ta, tb) -> tuple[int, int, int, int, int]:
    """(length, a_from, a_to, b_from, b_to) of the longest aligned run of equal words (word indices)."""
    from rapidfuzz.distance import Indel

    best = (0, 0, 0, 0, 0)
    for op in Indel.opcodes([w for w, _, _ in ta], [w for w, _, _ in tb]):
        if op.tag == "equal" and op.src_end - op.src_start > best[0]:
            best = (op.src_end - op.src_start, op.src_start, op.src_end, op.dest_start, op.dest_end)
    return best


def _types(s: pd.DataFrame, min_sentence_words: int) -> list[list[int]]:
    """Sentences grouped by (story, normalised text): the same wire sentence in 300 articles is matched once."""
    seen: dict[tuple, int] = {}
    members: list[list[int]] = []
    for i, (story, norm, toks) in enumerate(zip(s["_story"], s["_norm"], s["_toks"])):
        if len(toks) < min_sentence_words:
            continue
        t = seen.setdefault((story, norm), len(members))
        if t == len(members):
            members.append([])
        members[t].append(i)
    return members


def _candidates(s: pd.DataFrame, members: list[list[int]]) -> set[tuple[int, int]]:
    """Pairs of sentence types of the same story sharing a word trigram, unless both come from one and the same outlet.

    A trigram found in more than MAX_POSTING different sentences of a story ("according to the") is too
    common to point to a shared source and is not used to propose pairs.
    """
    stories, toks, outlets = s["_story"].tolist(), s["_toks"].tolist(), s["outlet"].tolist()
    t_outlets = [frozenset(outlets[i] for i in m) for m in members]
    index: dict[tuple, list[int]] = defaultdict(list)
    for t, m in enumerate(members):
        words = [w for w, _, _ in toks[m[0]]]
        for g in {tuple(words[k:k + SHINGLE]) for k in range(max(1, len(words) - SHINGLE + 1))}:
            index[(stories[m[0]], g)].append(t)
    pairs = set()
    for ids in index.values():
        if len(ids) < 2 or len(ids) > MAX_POSTING:
            continue
        for a, b in combinations(ids, 2):
            if len(t_outlets[a] | t_outlets[b]) > 1:
                pairs.add((a, b) if a < b else (b, a))
    return pairs


def _match_pairs(s: pd.DataFrame, threshold: float, min_words: int, min_sentence_words: int) -> list[dict]:
    """Cross-outlet sentence pairs with score, longest shared run and kind (None when not shared).

    Shared pairs are listed in full; for candidate pairs that are not shared, each sentence gets one
    representative pair (enough to know its closest counterpart) so repeated text cannot blow up the count.
    """
    from rapidfuzz import fuzz

    toks, norm, text, outlets = s["_toks"].tolist(), s["_norm"].tolist(), s["text"].tolist(), s["outlet"].tolist()
    members = _types(s, min_sentence_words)
    out = []
    for m in members:  # identical sentences: same type, different outlets
        if len({outlets[i] for i in m}) > 1:
            for i, j in combinations(m, 2):
                if outlets[i] != outlets[j]:
                    out.append({"i": i, "j": j, "score": 100.0, "kind": "identical", "shared_words": len(toks[i]),
                                "pa": (0, len(text[i])), "pb": (0, len(text[j]))})
    for ta, tb in sorted(_candidates(s, members)):
        ra, rb = members[ta][0], members[tb][0]
        score = float(fuzz.ratio(norm[ra], norm[rb]))
        run, ia, ib, ja, jb = _longest_run(toks[ra], toks[rb])
        kind = "near-identical" if score >= threshold else "shared-passage" if run >= min_words else None
        if kind is None:
            for x, y in ((members[ta], members[tb]), (members[tb], members[ta])):
                for i in x:
                    j = next((j for j in y if outlets[j] != outlets[i]), None)
                    if j is not None:
                        out.append({"i": i, "j": j, "score": score, "kind": None, "shared_words": run,
                                    "pa": (0, 0), "pb": (0, 0)})
            continue
        for i in members[ta]:
            for j in members[tb]:
                if outlets[i] == outlets[j]:
                    continue
                if kind == "near-identical":
                    pa, pb = (0, len(text[i])), (0, len(text[j]))
                else:
                    pa, pb = (toks[i][ia][1], toks[i][ib - 1][2]), (toks[j][ja][1], toks[j][jb - 1][2])
                out.append({"i": i, "j": j, "score": score, "kind": kind, "shared_words": run, "pa": pa, "pb": pb})
    return out


def _params(threshold, min_words, min_sentence_words):
    return (THRESHOLD if threshold is None else float(threshold), MIN_WORDS if min_words is None else int(min_words),
            MIN_SENTENCE_WORDS if min_sentence_words is None else int(min_sentence_words))


@lru_cache(maxsize=1)
def _code_key() -> str:
    """Hash of the code that matches sentences (this module and what it imports) and of rapidfuzz's version."""
    h = hashlib.sha256()
    for f in code_sources([Path(__file__).resolve()]):
        h.update(f.name.encode() + f.read_bytes())
    try:
        h.update(version("rapidfuzz").encode())
    except PackageNotFoundError:
        h.update(b"rapidfuzz none")
    return h.hexdigest()


def _match_key(sents: pd.DataFrame, params: tuple) -> str:
    """Content key of one matching: the sentence table's rows (in order), the parameters and the code."""
    h = hashlib.sha256((_code_key() + repr(params)).encode())
    frame = sents[_KEY_COLUMNS].astype(str)
    h.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
    return h.hexdigest()


def _read_matches(path: Path) -> list[dict] | None:
    """A matching kept on disk (`_write_matches`), None when there is none (or it cannot be read)."""
    try:
        df = pd.read_parquet(path)
    except Exception:  # noqa: BLE001 - a missing, partial or foreign file is matched again
        return None
    if list(df.columns) != MATCH_COLUMNS:
        return None
    return [{"i": i, "j": j, "score": float(sc), "kind": k if isinstance(k, str) else None, "shared_words": w,
             "pa": (a0, a1), "pb": (b0, b1)}
            for i, j, sc, k, w, a0, a1, b0, b1 in zip(*(df[c].tolist() for c in MATCH_COLUMNS))]


def _write_matches(path: Path, matches: list[dict]) -> None:
    """Keep one matching on disk (written whole, then renamed); an unwritable cache folder is no error."""
    rows = [(m["i"], m["j"], float(m["score"]), m["kind"], m["shared_words"], *m["pa"], *m["pb"]) for m in matches]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows, columns=MATCH_COLUMNS).astype({"kind": object}).to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _matched(sents: pd.DataFrame, threshold: float, min_words: int, min_sentence_words: int
             ) -> tuple[pd.DataFrame, list[dict]]:
    """The prepared sentence table and its `_match_pairs`, computed once per table and parameters (kept in
    this process and in the cache folder, see MATCH_FOLDER); callers must not change either."""
    params = (threshold, min_words, min_sentence_words)
    key = _match_key(sents, params)
    if key in _MATCHED:
        return _MATCHED[key]
    s = _prepare(sents)
    path = Path(paths.CACHE_DIR) / MATCH_FOLDER / f"{key}.parquet"
    matches = _read_matches(path)
    if matches is None:
        matches = _match_pairs(s, *params)
        _write_matches(path, matches)
    while len(_MATCHED) >= MATCH_MEMO_SIZE:
        _MATCHED.pop(next(iter(_MATCHED)))
    _MATCHED[key] = (s, matches)
    return s, matches


def shared_sentences(data: pd.DataFrame, articles: pd.DataFrame | None = None, threshold: float = THRESHOLD,
                     min_words: int = MIN_WORDS, min_sentence_words: int = MIN_SENTENCE_WORDS) -> pd.DataFrame:
    """Sentence pairs two outlets of the same story share (SHARED_COLUMNS): identical, near-identical, shared passage.

    `data` is the `articles` table (sentences split by regex) or a `sentences` table (then `articles`
    gives each article's story). `score` is rapidfuzz's normalised Indel similarity of the two
    normalised sentences (0-100); `shared_words` the longest verbatim word run; passage offsets are
    into each article's text. Side a is the outlet that sorts first.
    """
    threshold, min_words, min_sentence_words = _params(threshold, min_words, min_sentence_words)
    sents = sentence_table(data, articles)
    if sents.empty:
        return pd.DataFrame(columns=SHARED_COLUMNS)
    s, matches = _matched(sents, threshold, min_words, min_sentence_words)
    cols = {c: s[c].tolist() for c in ("story", "article_id", "outlet", "start", "end", "text")}
    rows = []
    for m in matches:
        if m["kind"] is None:
            continue
        i, j, pa, pb = m["i"], m["j"], m["pa"], m["pb"]
        if (str(cols["outlet"][j]), str(cols["article_id"][j])) < (str(cols["outlet"][i]), str(cols["article_id"][i])):
            i, j, pa, pb = j, i, pb, pa
        row = {"story": cols["story"][i], "kind": m["kind"], "score": round(m["score"], 1),
               "shared_words": m["shared_words"]}
        for side, x, p in (("a", i, pa), ("b", j, pb)):
            start = cols["start"][x]
            row.update({f"article_id_{side}": cols["article_id"][x], f"outlet_{side}": cols["outlet"][x],
                        f"start_{side}": start, f"end_{side}": cols["end"][x], f"passage_start_{side}": start + p[0],
                        f"passage_end_{side}": start + p[1], f"text_{side}": cols["text"][x]})
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=SHARED_COLUMNS)
    out = pd.DataFrame(rows, columns=SHARED_COLUMNS)
    out["_k"] = out["kind"].map({k: n for n, k in enumerate(KINDS)})
    out = out.sort_values(["story", "outlet_a", "outlet_b", "article_id_a", "start_a", "_k", "start_b"], key=_sort_key)
    return out.drop(columns="_k").reset_index(drop=True)


def _sort_key(col: pd.Series) -> pd.Series:
    return col.astype(str) if col.dtype == object else col


def unique_sentences(data: pd.DataFrame, articles: pd.DataFrame | None = None, threshold: float = THRESHOLD,
                     min_words: int = MIN_WORDS, min_sentence_words: int = MIN_SENTENCE_WORDS) -> pd.DataFrame:
    """Per outlet, its sentences with no shared counterpart in other outlets' coverage of the same story (UNIQUE_COLUMNS).

    What only this outlet reported (or how only it put it). Stories covered by one outlet are left out:
    there is nothing to compare. `best_*` name the closest other-outlet sentence among those sharing a word
    trigram (best_score 0 when none does), so the reader can check the call. Sentences shorter than
    `min_sentence_words` are kept out (too short to judge).
    """
    threshold, min_words, min_sentence_words = _params(threshold, min_words, min_sentence_words)
    sents = sentence_table(data, articles)
    if sents.empty:
        return pd.DataFrame(columns=UNIQUE_COLUMNS)
    s, matches = _matched(sents, threshold, min_words, min_sentence_words)
    n_outlets = s.groupby("_story")["outlet"].nunique()
    shared, best = set(), {}
    for m in matches:
        i, j = m["i"], m["j"]
        if m["kind"] is not None:
            shared.update((i, j))
        for x, y in ((i, j), (j, i)):
            if x not in best or m["score"] > best[x][0]:
                best[x] = (m["score"], y)
    stories, ntoks = s["_story"].tolist(), [len(t) for t in s["_toks"]]
    keep = [i for i in range(len(s)) if i not in shared and n_outlets[stories[i]] > 1
            and ntoks[i] >= min_sentence_words]
    out = s.loc[keep, SENTENCE_COLUMNS].copy()
    ref = {c: s[c].tolist() for c in ("article_id", "outlet", "start", "end")}
    cols = {"best_score": [], "best_article_id": [], "best_outlet": [], "best_start": [], "best_end": []}
    for i in keep:
        score, y = best.get(i, (0.0, None))
        cols["best_score"].append(round(score, 1))
        for c in ("article_id", "outlet", "start", "end"):
            cols[f"best_{c}"].append(ref[c][y] if y is not None else None)
    for c, v in cols.items():
        out[c] = v
    return out[UNIQUE_COLUMNS].reset_index(drop=True)


def shared_text_summary(data: pd.DataFrame, articles: pd.DataFrame | None = None, threshold: float = THRESHOLD,
                        min_words: int = MIN_WORDS, min_sentence_words: int = MIN_SENTENCE_WORDS,
                        shared: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per story and outlet pair, how much text they share (SUMMARY_COLUMNS): share of each side's words in shared sentences.

    `share_a` = words of outlet a's sentences that have an identical, near-identical or shared-passage
    counterpart in outlet b / all words of outlet a's articles in the story. Pass `shared` (the output of
    `shared_sentences` with the same data) to avoid matching twice.
    """
    sents = sentence_table(data, articles)
    if sents.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    if shared is None:
        shared = shared_sentences(sents, None, threshold, min_words, min_sentence_words)
    sents = sents.assign(_story=[_story_key(x) for x in sents["story"]])
    words = sents.groupby(["_story", "outlet"])["n_words"].sum()
    n_art = sents.groupby(["_story", "outlet"])["article_id"].nunique()
    nwords_of = {(a, st): n for a, st, n in zip(sents["article_id"], sents["start"], sents["n_words"])}
    sh = shared.assign(_story=[_story_key(x) for x in shared["story"]]) if len(shared) else None
    rows = []
    for story, g in sents.groupby("_story", sort=True):
        outlets = sorted(g["outlet"].dropna().unique(), key=str)
        for oa, ob in combinations(outlets, 2):
            p = (sh[(sh["_story"] == story) & (sh["outlet_a"] == oa) & (sh["outlet_b"] == ob)]
                 if sh is not None else pd.DataFrame(columns=SHARED_COLUMNS))
            sa = set(zip(p["article_id_a"], p["start_a"]))
            sb = set(zip(p["article_id_b"], p["start_b"]))
            wa, wb = int(words[(story, oa)]), int(words[(story, ob)])
            swa = sum(nwords_of[k] for k in sa)
            swb = sum(nwords_of[k] for k in sb)
            kinds = p["kind"].value_counts()
            rows.append({"story": g["story"].iloc[0], "outlet_a": oa, "outlet_b": ob,
                         "articles_a": int(n_art[(story, oa)]), "articles_b": int(n_art[(story, ob)]),
                         "words_a": wa, "words_b": wb, "shared_sentences_a": len(sa), "shared_sentences_b": len(sb),
                         "shared_words_a": swa, "shared_words_b": swb,
                         "share_a": swa / wa if wa else float("nan"), "share_b": swb / wb if wb else float("nan"),
                         "pairs": len(p), "identical": int(kinds.get("identical", 0)),
                         "near_identical": int(kinds.get("near-identical", 0)),
                         "shared_passage": int(kinds.get("shared-passage", 0))})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


OVERLAP_COLUMNS = ["story", "outlet", "articles", "sentences", "words", "shared_sentences", "shared_words",
                   "unique_sentences", "unique_words", "short_words", "share_shared", "share_unique"]


def outlet_overlap(data: pd.DataFrame, articles: pd.DataFrame | None = None, threshold: float = THRESHOLD,
                   min_words: int = MIN_WORDS, min_sentence_words: int = MIN_SENTENCE_WORDS) -> pd.DataFrame:
    """Per story and outlet, its words in sentences shared with any other outlet, in unique ones, and in short ones (OVERLAP_COLUMNS).

    The three parts add up to `words`; short sentences (under `min_sentence_words`) are not judged.
    Stories covered by one outlet are left out. Shares are of `words`.
    """
    threshold, min_words, min_sentence_words = _params(threshold, min_words, min_sentence_words)
    sents = sentence_table(data, articles)
    if sents.empty:
        return pd.DataFrame(columns=OVERLAP_COLUMNS)
    sh = shared_sentences(sents, None, threshold, min_words, min_sentence_words)
    uq = unique_sentences(sents, None, threshold, min_words, min_sentence_words)
    shared_keys = set(zip(sh["article_id_a"], sh["start_a"])) | set(zip(sh["article_id_b"], sh["start_b"]))
    unique_keys = set(zip(uq["article_id"], uq["start"]))
    s = sents.assign(_story=[_story_key(x) for x in sents["story"]])
    keys = list(zip(s["article_id"], s["start"]))
    s["_shared"] = [k in shared_keys for k in keys]
    s["_unique"] = [k in unique_keys for k in keys]
    s["_short"] = ~s["_shared"] & ~s["_unique"]
    n_outlets = s.groupby("_story")["outlet"].nunique()
    rows = []
    for (story, outlet), g in s.groupby(["_story", "outlet"], sort=True):
        if n_outlets[story] < 2:
            continue
        words = int(g["n_words"].sum())
        sw = int(g.loc[g["_shared"], "n_words"].sum())
        uw = int(g.loc[g["_unique"], "n_words"].sum())
        rows.append({"story": g["story"].iloc[0], "outlet": outlet, "articles": g["article_id"].nunique(),
                     "sentences": len(g), "words": words, "shared_sentences": int(g["_shared"].sum()),
                     "shared_words": sw, "unique_sentences": int(g["_unique"].sum()), "unique_words": uw,
                     "short_words": words - sw - uw, "share_shared": sw / words if words else float("nan"),
                     "share_unique": uw / words if words else float("nan")})
    return pd.DataFrame(rows, columns=OVERLAP_COLUMNS)


def plot_outlet_overlap(overlap: pd.DataFrame, slug: str, figures_dir=None):
    """Per outlet, % of its words shared with another outlet / only its own / in short sentences; one stacked bar each."""
    data = overlap.copy()
    data["pct_shared"] = 100 * data["share_shared"]
    data["pct_unique"] = 100 * data["share_unique"]
    data["pct_short"] = 100 - data["pct_shared"] - data["pct_unique"]
    fig, ax = new_figure("How much of each outlet's text is its own", "% of the outlet's words", None)
    many = data["story"].nunique() > 1
    labels = [f"{r.outlet}" + (f"  [{r.story}]" if many else "") for r in data.itertuples()]
    left = [0.0] * len(data)
    parts = [("pct_shared", "in a sentence another outlet also carries", 1.0),
             ("pct_unique", "in a sentence no other outlet has", 0.45),
             ("pct_short", "in short sentences (not compared)", 0.12)]
    handles = []
    for col, label, alpha in parts:
        vals = data[col].tolist()
        ax.barh(range(len(data)), vals, left=left, color=[outlet_color(o) for o in data["outlet"]], alpha=alpha,
                edgecolor="#333333", linewidth=0.5)
        handles.append(Patch(facecolor="#555555", alpha=alpha, edgecolor="#333333", linewidth=0.5, label=label))
        for i, (x0, v) in enumerate(zip(left, vals)):
            if v >= 6:
                ax.annotate(f"{v:.0f}%", (x0 + v / 2, i), ha="center", va="center", fontsize=8)
        left = [x0 + v for x0, v in zip(left, vals)]
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels(labels)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    if len(data):
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=8)
    else:
        ax.text(0.5, 0.5, "no story is covered by two or more outlets", ha="center", va="center", transform=ax.transAxes)
    cols = ["story", "outlet", "words", "shared_words", "unique_words", "short_words", "pct_shared", "pct_unique",
            "pct_short"]
    data = data[cols]
    save_figure(fig, slug, data, figures_dir)
    return fig, data
