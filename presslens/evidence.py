"""The evidence view: one article's clean text with every counted span marked, so each number traces to words.

`article_html(article, tables)` renders one article as a self-contained HTML fragment: numbered paragraphs;
quotes (direct and indirect) shaded in their speaker's colour with the cue boxed and the resolved speaker
named; entity mentions underlined with their canonical name and label; sentence tone as a shading switched on
by a checkbox; removed site furniture struck through with the rule that removed it, where it stood (located
through the loader's clean-to-raw offset map; without one, listed after the text). Spans are laid out by a
boundary sweep over a stack (outer spans open first; a span crossing an open one is split into parts that
share one key), so overlapping spans always give well-formed HTML. All article text is escaped.
Every quote, cue, mention and sentence carries a stable anchor `q-|c-|m-|s-<article_id>-<start>-<end>`;
`#r-<start>-<end>` highlights any character range. `show(...)` renders the view inline in JupyterLab.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import NamedTuple

import itables
import pandas as pd
from itables.javascript import generate_init_offline_itables_html

from . import evidence_html as assets
from .text import PARAGRAPH_SEP_RE, paragraph_spans

# Light, distinct backgrounds for quote speakers (ColorBrewer Pastel1 + Set3), in order of first quote.
SPEAKER_COLORS = ["#fbb4ae", "#b3cde3", "#ccebc5", "#decbe4", "#fed9a6", "#ffffcc", "#e5d8bd", "#fddaec",
                  "#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#d9d9d9", "#bc80bd"]
UNKNOWN_SPEAKER = "speaker not found"
# Nesting rank when two spans start and end at the same characters: the lower rank is the outer element.
RANK = {"sentence": 0, "quote": 1, "speaker": 2, "cue": 3, "mention": 4}
ANCHOR_PREFIX = {"quote": "q", "cue": "c", "mention": "m", "sentence": "s", "speaker": "p"}
# Rows per page of an interactive table, and the page-length menu (-1: all rows).
PAGE_LENGTH = 25
LENGTH_MENU = [10, 25, 100, 500, -1]
# Where the report keeps article pages, relative to a notebook page (tables under tables/ use "../articles/").
ARTICLES_HREF = "articles/"
_BUNDLE_SENT = {"done": False}  # the DataTables bundle goes into the first table of a kernel session only
# Rows an interactive table embeds: beyond this a page grows past ~15 MB and opens slowly in a browser, so a
# larger table shows its first rows and says where every row is (the report's tables/ folder, CSV and Parquet).
MAX_ROWS = 25_000
# Tables of one session are numbered (not given random ids), so re-running a notebook writes the same page.
_TABLE_COUNT = {"n": 0}


class Span(NamedTuple):
    """One marked stretch of the clean text: kind, offsets, stable anchor id and its HTML attributes."""
    kind: str
    start: int
    end: int
    key: str
    attrs: tuple  # ((name, value), ...), escaped when written


class Removed(NamedTuple):
    """A piece of furniture placed in the clean text: at `at` (clean offset), as a block or inline."""
    at: int
    block: bool
    rule: str
    text: str
    raw_start: int
    raw_end: int


def anchor(kind: str, article_id: str, start: int, end: int) -> str:
    """The stable element id of a span: 'q-<article_id>-<start>-<end>' for a quote, 'm-' mention, 's-' sentence."""
    return f"{ANCHOR_PREFIX[kind]}-{article_id}-{int(start)}-{int(end)}"


def range_anchor(start: int, end: int) -> str:
    """The fragment that highlights characters start..end of an article page (any table row with offsets)."""
    return f"r-{int(start)}-{int(end)}"


SPAN_TABLES = ("quotes", "mentions", "sentences")  # the tables whose rows an article's page marks


def rows_by_article(tables) -> dict[str, dict[str, list]]:
    """{table: {article_id: its rows as named tuples, in table order}} of `SPAN_TABLES`, grouped in one pass
    over each table: a report's pages then look an article's rows up instead of filtering every table once
    per article."""
    out = {}
    for name in SPAN_TABLES:
        df, groups = getattr(tables, name, None), {}
        if df is not None and len(df) and "article_id" in df:
            for r in df.itertuples(index=False):
                groups.setdefault(r.article_id, []).append(r)
        out[name] = groups
    return out


def _rows(tables, name: str, article_id: str, grouped: dict | None = None) -> list:
    """The rows of table `name` about one article, as named tuples in table order."""
    if grouped is not None:
        return grouped[name].get(article_id, [])
    df = getattr(tables, name, None)
    if df is None or len(df) == 0 or "article_id" not in df:
        return []
    return list(df[df["article_id"] == article_id].itertuples(index=False))


def _ok(start, end, n: int) -> bool:
    return pd.notna(start) and pd.notna(end) and 0 <= int(start) < int(end) <= n


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def speaker_colors(quotes) -> dict[str, str]:
    """{speaker: background colour}: speakers in order of their first quote, cycling through SPEAKER_COLORS.
    `quotes`: a quotes table or its rows as named tuples."""
    rows = quotes.itertuples(index=False) if isinstance(quotes, pd.DataFrame) else quotes
    names = []
    for q in sorted(rows, key=lambda q: q.start):
        name = _speaker(q)
        if name not in names:
            names.append(name)
    return {n: SPEAKER_COLORS[i % len(SPEAKER_COLORS)] for i, n in enumerate(names)}


def _speaker(q) -> str:
    return _text(getattr(q, "speaker_entity", None)) or _text(getattr(q, "speaker", None)) or UNKNOWN_SPEAKER


def spans(article_id: str, text: str, tables, grouped: dict | None = None) -> list[Span]:
    """Every quote, cue, speaker, mention and sentence span of one article (offsets into its clean text);
    `grouped`: the tables' `rows_by_article`, when many articles are shown."""
    n, out, seen = len(text), [], set()

    def add(kind, start, end, attrs):
        key = anchor(kind, article_id, start, end)
        if key not in seen and _ok(start, end, n):
            seen.add(key)
            out.append(Span(kind, int(start), int(end), key, tuple(attrs)))

    quotes = _rows(tables, "quotes", article_id, grouped)
    colors = speaker_colors(quotes)
    for q in quotes:
        who, kind, cue = _speaker(q), _text(getattr(q, "kind", "")), _text(getattr(q, "cue", ""))
        role = _text(getattr(q, "speaker_type", ""))
        tip = f"{kind} quote; speaker: {who}" + (f" ({role})" if role else "") + (f"; cue: {cue}" if cue else "")
        add("quote", q.start, q.end, [("class", f"pl-q pl-q-{kind}"), ("style", f"--pl-c:{colors[who]}"),
                                      ("data-who", who), ("title", tip)])
        if _ok(getattr(q, "cue_start", None), getattr(q, "cue_end", None), n):
            add("cue", q.cue_start, q.cue_end, [("class", "pl-cue"), ("title", f"cue of a quote by {who}")])
        if _ok(getattr(q, "speaker_start", None), getattr(q, "speaker_end", None), n):
            add("speaker", q.speaker_start, q.speaker_end,
                [("class", "pl-spk"), ("style", f"--pl-c:{colors[who]}"), ("title", f"speaker: {who}")])
    for m in _rows(tables, "mentions", article_id, grouped):
        entity, label, surface = _text(m.entity), _text(m.label), _text(getattr(m, "surface", ""))
        tag = label if entity == surface else f"{entity} \u00b7 {label}"
        add("mention", m.start, m.end, [("class", f"pl-m pl-m-{label}"), ("data-tag", tag),
                                        ("title", f"{entity} ({label})")])
    for s in _rows(tables, "sentences", article_id, grouped):
        score = getattr(s, "compound", float("nan"))
        tone = _text(getattr(s, "tone", "")) or ("positive" if score >= 0.05 else "negative" if score <= -0.05
                                                 else "neutral")
        voice = _text(getattr(s, "voice", ""))
        add("sentence", s.start, s.end, [("class", "pl-s"), ("data-tone", tone),
                                         ("title", f"sentence tone {tone} (VADER compound {score:+.2f})"
                                                   + (f"; {voice}" if voice else ""))])
    return out


def removed_pieces(article) -> tuple[list[Removed], list[dict]]:
    """(placed, unplaced): furniture placed in the clean text via the article's offset map, and what could not be.

    A piece with a blank line on both sides in the raw file (a whole paragraph) is a block before the next
    kept paragraph; a piece cut from inside a paragraph is inline where it was cut.
    """
    furniture = [f for f in (article.get("furniture") if hasattr(article, "get") else None) or [] if isinstance(f, dict)]
    omap = article.get("offset_map") if hasattr(article, "get") else None
    raw, text = _text(article.get("raw_text")), _text(article.get("text"))
    if not furniture or not isinstance(omap, (list, tuple)) or not omap or not raw:
        return [], furniture
    placed = []
    for f in furniture:
        s, e = int(f["start"]), int(f["end"])
        prev = [p for p in omap if p[1] + p[2] <= s]
        nxt = [p for p in omap if p[1] >= e]
        prev_end = prev[-1][1] + prev[-1][2] if prev else None
        next_start = nxt[0][1] if nxt else None
        whole = ((prev_end is None or PARAGRAPH_SEP_RE.search(raw[prev_end:s]) is not None)
                 and (next_start is None or PARAGRAPH_SEP_RE.search(raw[e:next_start]) is not None))
        if nxt and (whole or prev_end is None or not PARAGRAPH_SEP_RE.search(raw[e:next_start])):
            at = nxt[0][0]
        elif prev:
            at = prev[-1][0] + prev[-1][2]
        else:
            at = len(text)
        placed.append(Removed(at, whole, _text(f.get("rule")), _text(f.get("text")) or raw[s:e], s, e))
    return placed, []


def _attrs(span: Span, first: bool) -> str:
    parts = [f'{k}="{html.escape(str(v))}"' for k, v in span.attrs]
    parts.append(f'data-k="{span.key}"')
    if first:
        parts.append(f'id="{span.key}"')
    else:
        parts.append('data-cont="1"')
    return " ".join(parts)


def _removed_html(r: Removed, article_id: str) -> str:
    body = html.escape(r.text)
    tag = "div" if r.block else "span"
    return (f'<{tag} class="pl-furn" id="f-{article_id}-{r.raw_start}-{r.raw_end}" '
            f'title="removed by the rule: {html.escape(r.rule)} (file characters {r.raw_start}-{r.raw_end})">'
            f'<del>{body}</del> <span class="pl-rule">{html.escape(r.rule)}</span></{tag}>')


def _sweep(text: str, a: int, b: int, items: list[Span], inserts: list[Removed], opened: set, article_id: str) -> str:
    """HTML of text[a:b] with `items` (spans overlapping a..b) as properly nested elements."""
    cuts = {a, b}
    for sp in items:
        cuts.update(x for x in (sp.start, sp.end) if a < x < b)
    cuts.update(r.at for r in inserts if a < r.at < b)
    bounds = sorted(cuts)
    at = {}
    for r in inserts:
        at.setdefault(min(max(r.at, a), b), []).append(r)
    order = sorted(items, key=lambda sp: (sp.start, -sp.end, RANK[sp.kind]))
    out, stack = [], []
    for i, lo in enumerate(bounds[:-1]):
        hi = bounds[i + 1]
        if lo in at:  # furniture removed here: close every open span, show it, reopen
            out.append("</span>" * len(stack))
            stack = []
            out.extend(_removed_html(r, article_id) for r in at.pop(lo))
        want = [sp for sp in order if sp.start <= lo and sp.end >= hi]
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] is want[keep]:
            keep += 1
        out.append("</span>" * (len(stack) - keep))
        for sp in want[keep:]:
            out.append(f"<span {_attrs(sp, sp.key not in opened)}>")
            opened.add(sp.key)
        stack = want
        out.append(html.escape(text[lo:hi]))
    out.append("</span>" * len(stack))
    for r in at.get(b, []):
        out.append(_removed_html(r, article_id))
    return "".join(out)


@dataclass
class ArticleView:
    """An article rendered for JupyterLab: the evidence view as rich HTML output."""
    html: str

    def _repr_html_(self) -> str:
        return self.html


def _meta(article) -> str:
    bits = [_text(article.get("outlet"))]
    date = article.get("date")
    if date is not None and pd.notna(date):
        bits.append(f"{pd.Timestamp(date):%Y-%m-%d}")
    if article.get("n_words") is not None and pd.notna(article.get("n_words")):
        bits.append(f"{int(article.get('n_words')):,} words")
    bits.append(f"file {_text(article.get('path'))}")
    bits.append(f"article id {_text(article.get('article_id'))}")
    url = _text(article.get("url"))
    link = f' \u00b7 <a href="{html.escape(url)}" rel="noreferrer">original page</a>' if url.startswith(("http://", "https://")) else ""
    return html.escape(" \u00b7 ".join(b for b in bits if b)) + link


def _legend(colors: dict[str, str], article_id: str) -> str:
    speakers = "".join(f'<span class="pl-q pl-q-direct" style="--pl-c:{c}">{html.escape(name)}</span> '
                       for name, c in colors.items()) or "<i>no quotes found</i>"
    return f"""<div class="pl-legend">
<div><b>Quotes</b> by speaker: {speakers}</div>
<div><span class="pl-q pl-q-direct" style="--pl-c:#ddd">direct quote</span>
<span class="pl-q pl-q-indirect" style="--pl-c:#ddd">indirect quote (reported speech)</span>
<span class="pl-cue">cue</span> reporting verb, <span class="pl-spk" style="--pl-c:#999">speaker</span> as named in
the text; the resolved speaker is named before each quote.</div>
<div><span class="pl-m pl-m-PERSON" data-tag="label">entity mention</span> underlined, with its canonical name
when the text calls it something else, and its label (PERSON, ORG, GPE, ...).
<span class="pl-furn"><del>removed text</del> <span class="pl-rule">rule</span></span> site furniture the loader removed.</div>
<div class="pl-toggles"><label><input type="checkbox" class="pl-tone-toggle" id="pl-tone-{article_id}">
sentence tone (VADER compound: <span class="pl-sw pl-pos"></span> positive &ge; 0.05,
<span class="pl-sw pl-neg"></span> negative &le; &minus;0.05)</label>
<label><input type="checkbox" class="pl-tag-toggle" checked> entity labels</label></div>
</div>"""


def article_html(article, tables, grouped: dict | None = None) -> str:
    """One article's evidence view as a self-contained, escaped HTML fragment (style and script inline);
    `grouped`: the tables' `rows_by_article`, when many articles are shown."""
    article = article if hasattr(article, "get") else pd.Series(article)
    aid, text = _text(article.get("article_id")), _text(article.get("text"))
    items = spans(aid, text, tables, grouped)
    placed, unplaced = removed_pieces(article)
    quotes = _rows(tables, "quotes", aid, grouped)
    paras, opened, body = paragraph_spans(text), set(), []
    for i, (a, b) in enumerate(paras):
        lo = paras[i - 1][1] if i else -1
        blocks = [r for r in placed if r.block and lo < r.at <= a]
        body.extend(_removed_html(r, aid) for r in blocks)
        inline = [r for r in placed if not r.block and (a <= r.at <= b)]
        inside = [sp for sp in items if sp.start < b and sp.end > a]
        body.append(f'<div class="pl-p" id="p-{aid}-{i + 1}" data-s="{a}" data-e="{b}">'
                    f'<a class="pl-pn" href="#p-{aid}-{i + 1}">{i + 1}</a>'
                    f'<div class="pl-pt">{_sweep(text, a, b, inside, inline, opened, aid)}</div></div>')
    tail = [r for r in placed if r.block and (not paras or r.at >= paras[-1][1])]
    body.extend(_removed_html(r, aid) for r in tail)
    extra = ""
    if unplaced:
        rows = "".join(f"<li><del>{html.escape(_text(f.get('text')))}</del> <span class='pl-rule'>"
                       f"{html.escape(_text(f.get('rule')))}</span> (file characters {f.get('start')}-{f.get('end')})</li>"
                       for f in unplaced)
        extra = f"<h3>Removed from the page</h3><ul class='pl-removed'>{rows}</ul>"
    n_removed = len(placed) + len(unplaced)
    title = _text(article.get("title")) or f"{_text(article.get('outlet'))} article {aid}"
    counts = (f"{len(quotes)} quote(s), {sum(sp.kind == 'mention' for sp in items)} entity mention(s), "
              f"{sum(sp.kind == 'sentence' for sp in items)} sentence(s), {n_removed} piece(s) of furniture removed")
    return (f'<div class="pl-article" data-article="{html.escape(aid)}">{assets.STYLE}'
            f'<h2 class="pl-title">{html.escape(title)}</h2><div class="pl-meta">{_meta(article)}</div>'
            f'<div class="pl-meta">{html.escape(counts)}</div>{_legend(speaker_colors(quotes), html.escape(aid))}'
            f'<div class="pl-text">{"".join(body)}</div>{extra}{assets.SCRIPT}</div>')


def _article_row(article_or_id, tables) -> pd.Series:
    if isinstance(article_or_id, pd.Series):
        return article_or_id
    if isinstance(article_or_id, dict):
        return pd.Series(article_or_id)
    arts = tables.articles
    hit = arts[arts["article_id"] == str(article_or_id)]
    if hit.empty:
        raise KeyError(f"no article with id {article_or_id!r} in these tables ({len(arts)} articles)")
    return hit.iloc[0]


def show(article, tables) -> ArticleView:
    """The evidence view of an article (its id, or its row of `tables.articles`), rendered inline in JupyterLab."""
    return ArticleView(article_html(_article_row(article, tables), tables))


def article_page(article, tables, back: str = "../index.html", back_label: str = "the report",
                 grouped: dict | None = None) -> str:
    """A whole HTML page for one article (the report's articles/<article_id>.html), nothing loaded from outside;
    `grouped`: the tables' `rows_by_article`, when many pages are written."""
    article = _article_row(article, tables)
    title = _text(article.get("title")) or f"{_text(article.get('outlet'))} article {_text(article.get('article_id'))}"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{assets.PAGE_STYLE}</head>\n'
            f'<body><nav class="pl-nav"><a href="{html.escape(back)}">&larr; {html.escape(back_label)}</a></nav>\n'
            f"{article_html(article, tables, grouped)}\n</body></html>\n")


class TableView(NamedTuple):
    """An interactive table (itables, offline: the DataTables bundle embedded) as rich HTML output: `rows` of
    the table, `shown` of them embedded, `columns` columns."""
    html: str
    rows: int = 0
    shown: int = 0
    columns: int = 0

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        """A line saying what the table holds, for plain-text displays (a terminal, the notebook's text/plain
        output): not the HTML again, which would double every executed notebook's size."""
        part = f", the first {self.shown:,} shown" if self.shown < self.rows else ""
        return f"<interactive table: {self.rows:,} rows x {self.columns} columns{part}>"


class LinkSpec(NamedTuple):
    """Columns that locate a row in an article: id, start and end offsets, and the span kind they anchor."""
    article_id: str
    start: str | None
    end: str | None
    kind: str | None
    name: str


def link_specs(df: pd.DataFrame) -> list[LinkSpec]:
    """Every (article_id, start, end) column triple of a table: 'article_id/start/end', '..._a', 'best_...'."""
    specs = []
    for col in df.columns:
        if not isinstance(col, str) or "article_id" not in col:
            continue
        pre, post = col.split("article_id", 1)
        start, end = f"{pre}start{post}", f"{pre}end{post}"
        has = start in df.columns and end in df.columns
        kind = None
        if not pre and not post and has:
            cols = set(df.columns)
            kind = ("quote" if {"quote", "cue"} <= cols else "mention" if {"entity", "surface"} <= cols
                    else "sentence" if {"compound", "sentence"} <= cols else None)
        specs.append(LinkSpec(col, start if has else None, end if has else None, kind, f"evidence{pre and '_' + pre.rstrip('_')}{post}"))
    return specs


def evidence_href(article_id: str, start=None, end=None, kind: str | None = None, base: str = ARTICLES_HREF) -> str:
    """The link from a table row to its words: `<base><article_id>.html#<anchor>` (a range when kind is None)."""
    href = f"{base}{article_id}.html"
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return href
    return href + "#" + (anchor(kind, article_id, start, end) if kind else range_anchor(start, end))


def _cell(value) -> str:
    if isinstance(value, (list, tuple, set)):
        value = ", ".join(map(str, value))
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value)) if isinstance(value, str) else value


def linked(df: pd.DataFrame, base: str = ARTICLES_HREF) -> pd.DataFrame:
    """`df` with text escaped and, first, one evidence column per article reference linking to its words."""
    out = df.reset_index(drop=True).copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_cell)
    links = {}
    for spec in link_specs(df):
        none = [None] * len(df)
        paras = df["paragraph"] if spec.kind and "paragraph" in df else none
        hrefs = []
        for aid, s, e, para in zip(df[spec.article_id], df[spec.start] if spec.start else none,
                                   df[spec.end] if spec.end else none, paras):
            if not isinstance(aid, str) or not aid:
                hrefs.append("")
                continue
            label = f"\u00b6{int(para) + 1}" if para is not None and pd.notna(para) else "open"
            hrefs.append(f'<a class="pl-ev" href="{html.escape(evidence_href(aid, s, e, spec.kind, base))}">{label}</a>')
        links[spec.name] = hrefs
    for i, (name, hrefs) in enumerate(links.items()):
        out.insert(i, name, hrefs)
    return out


def table(df: pd.DataFrame, href_base: str = ARTICLES_HREF, caption: str | None = None,
          page_length: int = PAGE_LENGTH, bundle: bool | None = None, table_id: str | None = None,
          max_rows: int = MAX_ROWS) -> TableView:
    """An interactive table (sort, search, filter, page) of every row and the full text, each row linked to its words.

    Offline: the DataTables bundle is embedded in the first table of a session (`bundle=True` forces it).
    A table longer than `max_rows` shows its first `max_rows` rows and says so in its caption. `table_id`
    names the HTML table (default: `pl-table-N`, N counting the tables of this session).
    """
    send = (not _BUNDLE_SENT["done"]) if bundle is None else bundle
    _BUNDLE_SENT["done"] = True
    if table_id is None:
        _TABLE_COUNT["n"] += 1
        table_id = f"pl-table-{_TABLE_COUNT['n']}"
    rows = len(df)
    if rows > max_rows:
        note = (f"the first {max_rows:,} of {rows:,} rows; every row is in the report's tables/ folder "
                "(CSV and Parquet)")
        caption = f"{caption} ({note})" if caption else note.capitalize()
        df = df.head(max_rows)
    head = generate_init_offline_itables_html(itables.options.dt_bundle) if send else ""
    body = itables.to_html_datatable(
        linked(df, href_base), caption=caption, connected=False, allow_html=True, maxBytes=0, showIndex=False,
        table_id=table_id,
        classes="display compact cell-border", pageLength=page_length, lengthMenu=LENGTH_MENU,
        display_logo_when_loading=False,
        layout={"topStart": "pageLength", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging"})
    return TableView(head + assets.TABLE_STYLE + body, rows, len(df), len(df.columns))


def table_page(title: str, view: TableView, back: str = "../index.html") -> str:
    """A whole HTML page holding one interactive table (the report's tables/<name>.html)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{assets.PAGE_STYLE}'
            f'<style>body {{ max-width: none; font: 14px sans-serif; }}</style></head>\n<body>'
            f'<nav class="pl-nav"><a href="{html.escape(back)}">&larr; the report</a></nav><h1>{html.escape(title)}</h1>'
            f'<p>Search, sort and page through every row; the first column opens the words a row counts.</p>\n'
            f"{view.html}\n</body></html>\n")
