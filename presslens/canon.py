"""Corpus-wide names: one canonical name and label per person or organisation, in every table.

Order of precedence: the user's `aliases.csv` in the corpus folder (overrides everything, can fix a
label or IGNORE a name), the built-in aliases (data/known_aliases.csv), then automatic merging of
spellings that differ by accents, case, "the", a country prefix, an acronym used with its long form,
or a bare surname whose full name appears once in the corpus. Quote speakers are linked to the same
canonical names (`link_speaker`), so a speaker and a mention of the same person agree everywhere.
"""
from __future__ import annotations

import bisect

from collections import Counter

import numpy as np
import pandas as pd

from .names import (
    ALIAS_COLUMNS,
    IGNORE,
    accent_score,
    builtin_aliases,
    initials,
    name_key,
    name_tokens,
    read_aliases,
    typo_variant,
)
from .outlets import known_outlets

UNKNOWN_ALIAS_COLUMNS = ["source", "line", "canonical", "alias"]
# Country prefixes an organisation's name may carry or drop ("U.S. State Department" = "State Department").
COUNTRY_PREFIXES = ("us ", "american ", "federal ", "british ", "uk ")
# Corporate suffixes an organisation's name may carry or drop ("Acme Widgets Inc" = "Acme Widgets").
CORPORATE_SUFFIXES = ("inc", "corp", "co", "ltd", "llc", "plc", "com")
# Labels the small model gives a news outlet's name by mistake ("Axios reported" read as a place).
OUTLET_MISLABELS = ("GPE", "PERSON", "LOC", "NORP", "FAC")


def as_aliases(aliases) -> pd.DataFrame:
    if aliases is None or aliases is False:
        return pd.DataFrame(columns=ALIAS_COLUMNS)
    if isinstance(aliases, pd.DataFrame):
        return aliases.reindex(columns=ALIAS_COLUMNS)
    return read_aliases(aliases)


def unknown_aliases(mentions_df: pd.DataFrame, aliases) -> pd.DataFrame:
    """Alias lines that match no mention (by surface or entity name, accent/case-insensitive): likely typos.

    Pass the mentions before aliases are applied (`pipeline.analyze(articles)["mentions"]`); `mentions()`
    does this itself and keeps the result in `.attrs["unknown_aliases"]`.
    """
    al = as_aliases(aliases)
    if al.empty:
        return pd.DataFrame(columns=UNKNOWN_ALIAS_COLUMNS)
    known = set()
    for col in ("surface", "entity"):
        if col in mentions_df:
            known.update(name_key(s) for s in mentions_df[col].dropna().unique())
    out = []
    for (src, line), g in al.groupby(["source", "line"], sort=False):
        canonical = g["canonical"].iloc[0]
        names = g["alias"].tolist()
        if len(names) > 1:
            names = [a for a in names[1:]]  # the canonical name may be a new spelling: only aliases must match
        for a in names:
            if name_key(a) not in known:
                out.append({"source": src, "line": int(line), "canonical": canonical, "alias": a})
    return pd.DataFrame(out, columns=UNKNOWN_ALIAS_COLUMNS)


_LABEL_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3, "LOC": 4, "FAC": 5}


def canonicalize(raw: pd.DataFrame, aliases=None, builtin: bool = True) -> pd.DataFrame:
    """One canonical `entity` and `label` per person/organisation across the corpus (the columns it is given).

    Order of precedence: the user's aliases, the built-in aliases, then automatic merging of names
    that differ only by accents, case, "the", a country prefix ("U.S. State Department"), an acronym,
    or a bare surname whose full name appears (once) elsewhere in the corpus.
    """
    cols = list(raw.columns)
    if raw.empty:
        return raw.copy()
    m = raw.copy()
    m["label"] = fix_outlet_labels(m["surface"], m["label"])
    user = as_aliases(aliases)
    base = builtin_aliases() if builtin else pd.DataFrame(columns=ALIAS_COLUMNS)
    m["_skey"] = m["surface"].map(name_key)
    m["_ekey"] = m["entity"].map(name_key)

    # Automatic: keys of multi-word person names and of organisations seen in the corpus.
    persons = m[m["label"] == "PERSON"]
    full_keys = {k for k in persons["_ekey"].unique() if len(k.split()) >= 2}
    by_last: dict[str, set[str]] = {}
    for k in full_keys:
        by_last.setdefault(k.split()[-1], set()).add(k)
    org_keys = set(m.loc[m["label"] == "ORG", "_ekey"].unique())
    # An acronym stands for a long name only where one article uses both ("the Environmental Protection
    # Agency ... the EPA"); "NBC" never becomes "National Baptist Convention" by chance.
    acronyms: dict[str, set[str]] = {}
    for _, g in m[m["label"] == "ORG"].groupby("article_id", sort=False):
        keys_here = set(g["_ekey"])
        for k in keys_here:
            if len(k.split()) >= 2 and initials(k) in keys_here:
                acronyms.setdefault(initials(k), set()).add(k)

    def auto(key: str, label: str) -> str:
        if label == "PERSON" and len(key.split()) == 1 and len(by_last.get(key, ())) == 1:
            return next(iter(by_last[key]))
        if label == "PERSON" and len(key.split()) >= 3:
            plain = " ".join(t for t in key.split() if len(t) > 1)  # "james b comey" -> "james comey"
            if plain != key and plain in full_keys:
                return plain
        if label == "PERSON" and len(key.split()) >= 2:
            toks = key.split()
            longer = [x for x in by_last.get(toks[-1], ()) if len(x.split()) > len(toks)
                      and x.split()[-len(toks):] == toks]
            if len(longer) == 1:
                return longer[0]
        if label != "PERSON":
            toks = key.split()
            while len(toks) > 1 and toks[-1] in CORPORATE_SUFFIXES:
                toks.pop()
            if len(toks) < len(key.split()) and " ".join(toks) in org_keys:
                return " ".join(toks)  # "acme widgets inc" = "acme widgets"
            for pre in COUNTRY_PREFIXES:
                if key.startswith(pre) and key[len(pre):] in org_keys:
                    return key[len(pre):]
            if " " not in key and len(acronyms.get(key, ())) == 1:
                return next(iter(acronyms[key]))
        return key

    # User aliases (matched on the words as written, then on the article's name), then built-in
    # aliases (on the article's name: a bare surname only where the article named nobody fuller).
    def table(al: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
        return {name_key(a): (c, lab if isinstance(lab, str) and lab else None)
                for a, c, lab in zip(al["alias"], al["canonical"], al["label"])}

    base_map, user_map = table(base), table(user)

    canon, labels, keys = [], [], []
    auto_of: dict[tuple[str, str], str] = {}  # a corpus repeats its names: each (name, label) is resolved once
    for skey, ekey, lab in zip(m["_skey"], m["_ekey"], m["label"]):
        key = auto_of.get((ekey, lab))
        if key is None:
            key = auto_of[(ekey, lab)] = auto(ekey, lab)
        hit = user_map.get(skey) or user_map.get(ekey) or user_map.get(key) \
            or base_map.get(ekey) or base_map.get(key)
        canon.append(hit[0] if hit else None)
        labels.append(hit[1] if hit else None)
        keys.append(name_key(hit[0]) if hit else key)
    m["_alias_canon"], m["_alias_label"], m["_key"] = canon, labels, keys
    m = m[m["_alias_canon"] != IGNORE].copy()

    # Display name and label per key, from counts gathered in one pass over the mentions (a pandas
    # groupby with a value_counts per key costs ~1 ms a key: seconds on a year of coverage).
    forms: dict[str, Counter] = {}     # key -> surface forms of its canonical name, in first-seen order
    kinds: dict[str, Counter] = {}     # key -> labels
    fixed: dict[str, Counter] = {}     # key -> alias canonical names
    fixed_label: dict[str, str] = {}   # key -> the last alias label given
    rows_of: Counter = Counter()
    for key, ent, lab, a_canon, a_label in zip(m["_key"], m["entity"], m["label"], m["_alias_canon"],
                                               m["_alias_label"]):
        rows_of[key] += 1
        if isinstance(ent, str):
            forms.setdefault(key, Counter())[ent] += 1
        kinds.setdefault(key, Counter())
        if isinstance(lab, str):
            kinds[key][lab] += 1
        if isinstance(a_canon, str):
            fixed.setdefault(key, Counter())[a_canon] += 1
        if isinstance(a_label, str):
            fixed_label[key] = a_label
    display, label_of = {}, {}
    for key in rows_of:
        if key in fixed:
            top = max(fixed[key].values())
            display[key] = min(c for c, n in fixed[key].items() if n == top)  # the mode (smallest on a tie)
        else:
            counts = dict(forms[key].most_common())
            person = kinds[key]["PERSON"] / rows_of[key] >= 0.5
            # People: a full name, accented, the most frequent; organisations: the most frequent form.
            display[key] = sorted(counts, key=lambda s: (-min(2, len(s.split())), -accent_score(s),
                                                         -counts[s], -len(s)) if person
                                  else (-counts[s], -accent_score(s), -len(s)))[0]
        if key in fixed_label:
            label_of[key] = fixed_label[key]
        else:
            lc = dict(kinds[key].most_common())
            label_of[key] = sorted(lc, key=lambda x: (-lc[x], _LABEL_ORDER.get(x, 9)))[0]
    m["entity"] = m["_key"].map(display)
    m["label"] = m["_key"].map(label_of)
    return m.drop(columns=[c for c in m.columns if c.startswith("_")]).reset_index(drop=True)[cols]


def _is_int(x) -> bool:
    return x is not None and not (isinstance(x, float) and np.isnan(x)) and x is not pd.NA


def link_speaker(speaker, speaker_start, speaker_end, mentions: list[dict]) -> str | None:
    """Canonical entity of a quote's speaker among its article's mentions, else the speaker string.

    In order: the mention covering at least half of the speaker span (so "Rodríguez's government" is
    not read as the person Rodríguez); a mention whose canonical name, surface or stated role equals
    the speaker;
    a person mention with the same surname whose name words contain, or are contained in, the
    speaker's ("Burgum", "Interior Secretary Doug Burgum" -> "Doug Burgum").
    To link many quotes of one article, build its `SpeakerIndex` once.
    """
    return SpeakerIndex(mentions).link(speaker, speaker_start, speaker_end)


class SpeakerIndex:
    """One article's mentions read once for `link_speaker`: their spans sorted by start, the first
    entity each name-word sequence (of a canonical name, a surface, a stated role) points to, the
    people's name words, and each entity's stated roles (`roles_of`). An article's quotes are linked against it without re-reading every mention
    for every quote (same answers as scanning the mentions in order)."""

    # The mention fields an index reads (a mentions table's other columns need not be turned into records).
    FIELDS = ("start", "end", "entity", "surface", "role", "label")

    @classmethod
    def per_article(cls, mentions: pd.DataFrame) -> dict:
        """{article_id: SpeakerIndex of its mentions} for a mentions table, its rows read once as records of
        FIELDS (those it has): what `to_dict("records")` gives for those columns, in a tenth of its time."""
        if mentions is None or len(mentions) == 0:
            return {}
        fields = [c for c in cls.FIELDS if c in mentions]
        by_article: dict = {}
        for aid, *values in zip(mentions["article_id"], *(mentions[c].tolist() for c in fields)):
            by_article.setdefault(aid, []).append(dict(zip(fields, values)))
        return {aid: cls(recs) for aid, recs in by_article.items()}

    def __init__(self, mentions: list[dict]):
        spans = sorted((m["start"], i, m["end"], m["entity"]) for i, m in enumerate(mentions)
                       if isinstance(m.get("entity"), str))
        self._starts = [s for s, *_ in spans]
        self._spans = spans
        self._longest = max((e - s for s, _, e, _ in spans), default=0)
        self._first: list[dict] = []
        for key in ("entity", "surface", "role"):  # role: "Venezuela's top opposition leader" names Machado
            first: dict = {}
            for m in mentions:
                if isinstance(m.get("entity"), str):
                    first.setdefault(_name_tokens_of(m.get(key)), m["entity"])
            self._first.append(first)
        self._roles: dict = {}
        for m in mentions:
            self._roles.setdefault(m.get("entity"), []).append(m.get("role"))
        self._people = [(m["entity"], toks) for m in mentions
                        if isinstance(m.get("entity"), str) and m.get("label") in ("PERSON", None)
                        and (toks := _name_tokens_of(m["entity"]))]

    def _covering(self, a: int, b: int) -> str | None:
        """The first (in mention order) of the mentions overlapping [a, b) most, by at least half of it."""
        lo = bisect.bisect_left(self._starts, a - self._longest)
        hi = bisect.bisect_left(self._starts, b)
        best, best_ov, best_i = None, 0, -1
        for start, i, end, entity in self._spans[lo:hi]:
            ov = min(b, end) - max(a, start)
            if ov * 2 >= (b - a) and (ov > best_ov or (ov == best_ov and ov > 0 and i < best_i)):
                best, best_ov, best_i = entity, ov, i
        return best

    def roles_of(self, entity) -> list:
        """The roles this article's mentions of `entity` state (None where none), in mention order."""
        return list(self._roles.get(entity, [])) if entity is not None else []

    def link(self, speaker, speaker_start, speaker_end) -> str | None:
        """`link_speaker` of one quote of this article."""
        name = speaker.strip() if isinstance(speaker, str) and speaker.strip() else None
        if _is_int(speaker_start) and _is_int(speaker_end) and speaker_end > speaker_start:
            best = self._covering(int(speaker_start), int(speaker_end))
            if best:
                return best
        if name is None:
            return None
        want = _name_tokens_of(name)
        if not want:
            return name
        for first in self._first:
            if want in first:
                return first[want]
        counts: dict[str, int] = {}
        wanted = set(want)
        for ent, have in self._people:
            if have[-1] == want[-1] and (set(have) <= wanted or wanted <= set(have)):
                counts[ent] = counts.get(ent, 0) + 1
        if counts:
            return max(counts, key=lambda e: (counts[e], len(e)))
        return name


def _name_tokens_of(name) -> tuple[str, ...]:
    """`names.name_tokens` as a tuple (a dictionary key); () for anything but text."""
    return tuple(name_tokens(name))


def harmonize_speakers(names: pd.Series) -> pd.Series:
    """One spelling per speaker across articles: accent/case variants take the commonest spelling,
    and a lone surname takes the one full name in the corpus ending with it ("Rodriguez" -> "Delcy Rodríguez").
    """
    valid = names.dropna()
    if valid.empty:
        return names
    folded = valid.map(lambda n: " ".join(name_tokens(n)) or name_key(n))
    counted: dict[str, Counter] = {}
    for name, key in zip(valid, folded):
        counted.setdefault(key, Counter())[name] += 1
    spelling = {}
    for key in sorted(counted):
        counts = counted[key]
        most = max(counts.values())
        top = [s for s, n in counts.items() if n == most]
        spelling[key] = sorted(top, key=lambda s: (-sum(ord(c) > 127 for c in s), s))[0]
    full_by_surname: dict[str, set] = {}
    for key in spelling:
        toks = key.split()
        if len(toks) >= 2:
            full_by_surname.setdefault(toks[-1], set()).add(key)
    mapped = {}
    for key, best in spelling.items():
        toks = key.split()
        if len(toks) == 1 and len(full_by_surname.get(toks[0], ())) == 1:
            best = spelling[next(iter(full_by_surname[toks[0]]))]
        mapped[key] = best
    out = names.copy()
    out.loc[valid.index] = folded.map(mapped)
    return out


# Words an outlet's name may carry or drop when it names itself ("Fox News Digital", "KIRO 7 News", "CBS").
SELF_NAME_EXTRAS = frozenset({"the", "digital", "online", "com", "news", "newspaper", "magazine", "tv", "radio",
                              "staff", "network", "media"})


def outlet_keys(outlet, domain=None) -> tuple[frozenset[str], set[str]]:
    """(core words, joined spellings) of an outlet's name: "The Fox News" -> ({"fox"}, {"foxnews", "fox"});
    a domain adds its name part ("foxnews.com" -> "foxnews")."""
    words = [w for w in name_key(outlet).split()] if isinstance(outlet, str) else []
    core = frozenset(w for w in words if w not in SELF_NAME_EXTRAS)
    joined = {"".join(words), "".join(w for w in words if w != "the"), "".join(sorted(core))} if words else set()
    if isinstance(domain, str) and domain.strip():
        host = domain.strip().lower().removeprefix("www.").split("/")[0]
        joined.add(host.rsplit(".", 1)[0].replace(".", "").replace("-", ""))
    if len(words) >= 2:
        joined.add(initials(" ".join(w for w in words if w != "the")))
    return core, {j for j in joined if j}


def is_self_reference(name, outlet, domain=None) -> bool:
    """Whether a name is the outlet naming itself ("told Fox News Digital" in Fox News, "CBS" in CBS News,
    "AP" in Associated Press): the same core words, or the same letters run together."""
    core, joined = outlet_keys(outlet, domain)
    words = name_key(name).split() if isinstance(name, str) else []
    if not words or not (core or joined):
        return False
    mine = frozenset(w for w in words if w not in SELF_NAME_EXTRAS)
    return (bool(mine) and mine == core) or "".join(words) in joined or "".join(sorted(mine)) in joined


def self_references(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """Boolean per mention row: the article's own outlet naming itself (`is_self_reference` on the mention's
    words or its canonical name; people never). "Who the outlet names" leaves these rows out by default."""
    if mentions is None or len(mentions) == 0:
        return pd.Series([], index=getattr(mentions, "index", None), dtype=bool)
    art = articles.set_index("article_id") if articles is not None and len(articles) else pd.DataFrame()
    outlet_of = art["outlet"].to_dict() if "outlet" in art else {}
    domain_of = art["outlet_domain"].to_dict() if "outlet_domain" in art else {}
    memo: dict[tuple, bool] = {}
    out = []
    for aid, outlet, surface, entity, label in zip(mentions["article_id"], mentions.get("outlet", [None] * len(mentions)),
                                                   mentions["surface"], mentions["entity"], mentions["label"]):
        outlet = outlet_of.get(aid, outlet)
        key = (outlet, domain_of.get(aid), surface, entity, label)
        if key not in memo:
            memo[key] = label != "PERSON" and (is_self_reference(surface, outlet, key[1])
                                               or is_self_reference(entity, outlet, key[1]))
        out.append(memo[key])
    return pd.Series(out, index=mentions.index, dtype=bool)


def outlet_name_keys() -> frozenset[str]:
    """Name keys of the known news outlets (data/outlets.yaml), with and without a leading "the"."""
    return frozenset(name_key(o.get("name", "")) for o in known_outlets() if o.get("name")) - {""}


def fix_outlet_labels(surfaces: pd.Series, labels: pd.Series) -> pd.Series:
    """Labels with a known news outlet's name made an organisation ("Axios" tagged as a place)."""
    keys = outlet_name_keys()
    bad = labels.isin(OUTLET_MISLABELS) & surfaces.map(lambda s: name_key(s) in keys)
    return labels.where(~bad, "ORG")


SUGGESTION_COLUMNS = ["name", "suggestion", "n_name", "n_suggestion", "article_ids"]


def alias_suggestions(mentions: pd.DataFrame) -> pd.DataFrame:
    """People whose canonical names differ by one letter in one word across the corpus ("Harriot Vance" in
    one article, "Harriet Vance" in five): likely one person misspelt, listed for the user to confirm in
    aliases.csv (SUGGESTION_COLUMNS; the rarer spelling first) rather than merged, since two people can
    have names that close."""
    if mentions is None or len(mentions) == 0:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    people = mentions[mentions["label"] == "PERSON"].dropna(subset=["entity"])
    counts = people["entity"].value_counts()
    arts = people.groupby("entity")["article_id"].agg(lambda s: sorted(set(map(str, s))))
    names = [n for n in counts.index if len(name_key(n).split()) >= 2]
    by_len: dict[int, list[str]] = {}
    for n in names:
        by_len.setdefault(len(name_key(n).split()), []).append(n)
    rows = []
    for group in by_len.values():
        for k, a in enumerate(group):
            for b in group[k + 1:]:
                if typo_variant(name_key(a), name_key(b)):
                    rare, common = (a, b) if (counts[a], a) < (counts[b], b) else (b, a)
                    rows.append({"name": rare, "suggestion": common, "n_name": int(counts[rare]),
                                 "n_suggestion": int(counts[common]), "article_ids": arts[rare]})
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
