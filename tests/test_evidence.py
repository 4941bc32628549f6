"""Tests for presslens.evidence: the article view (spans nested correctly, escaped, anchored, furniture shown where
it was removed) and the linked interactive tables. Texts and tables are written here, not taken from a corpus."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pandas as pd
import pytest

from presslens import evidence as ev

VOID = {"br", "img", "input", "meta", "link", "hr"}
AID = "abc123"
#          0         1         2         3         4         5         6         7         8
#          012345678901234567890123456789012345678901234567890123456789012345678901234567890
TEXT = ('Mayor Ana Ruiz said the plan <works> & "will last for years." Critics disagree.\n\n'
        'The council met on Friday. It voted 5-4.')
RAW = ('Mayor Ana Ruiz said the plan <works> & "will last for years." Critics disagree. Photo: Lee/Agency\n\n'
       'ADVERTISEMENT\n\nThe council met on Friday. It voted 5-4.')


def _offsets():
    p1 = TEXT.index("\n\n")
    raw_p2 = RAW.index("The council")
    return [(0, 0, p1), (p1 + 2, raw_p2, len(TEXT) - p1 - 2)]


def article(**kw) -> dict:
    cut = RAW.index(" Photo:")
    row = {"article_id": AID, "outlet": "Daily Test", "title": "A <b>plan</b>", "date": pd.Timestamp("2026-01-02"),
           "path": "story/a.txt", "url": "https://example.org/a", "n_words": 20, "text": TEXT, "raw_text": RAW,
           "offset_map": _offsets(),
           "furniture": [{"rule": "photo credit", "start": cut + 1, "end": RAW.index("\n\n"),
                          "text": RAW[cut + 1:RAW.index("\n\n")]},
                         {"rule": "advertisement", "start": RAW.index("ADVERTISEMENT"),
                          "end": RAW.index("ADVERTISEMENT") + 13, "text": "ADVERTISEMENT"}]}
    row.update(kw)
    return row


def span(s: str) -> tuple[int, int]:
    a = TEXT.index(s)
    return a, a + len(s)


def tables(**extra):
    qs, qe = span("will last for years.")
    cs, ce = span("said")
    ss, se = span("Ana Ruiz")
    quotes = pd.DataFrame([{"article_id": AID, "outlet": "Daily Test", "quote": TEXT[qs:qe], "start": qs, "end": qe,
                            "kind": "direct", "cue": "said", "cue_start": cs, "cue_end": ce, "speaker": "Ana Ruiz",
                            "speaker_start": ss, "speaker_end": se, "speaker_entity": "Ana Ruiz",
                            "speaker_type": "local government", "paragraph": 0}])
    ms, me = span("Ruiz")
    ys, ye = span("years")
    mentions = pd.DataFrame([
        {"article_id": AID, "outlet": "Daily Test", "entity": "Ana Ruiz", "label": "PERSON", "surface": "Ruiz",
         "start": ms, "end": me, "paragraph": 0},
        {"article_id": AID, "outlet": "Daily Test", "entity": "Years Inc", "label": "ORG", "surface": "years",
         "start": ys, "end": ye, "paragraph": 0}])
    # a sentence that crosses the quote (starts before it, ends inside it): the sweep must split, not break
    a, _ = span("the plan")
    _, b = span("will last")
    c, d = span("The council met on Friday.")
    sentences = pd.DataFrame([
        {"article_id": AID, "outlet": "Daily Test", "sentence": 0, "start": a, "end": b, "compound": -0.4,
         "tone": "negative", "voice": "narration", "paragraph": 0, "text": TEXT[a:b]},
        {"article_id": AID, "outlet": "Daily Test", "sentence": 1, "start": c, "end": d, "compound": 0.0,
         "tone": "neutral", "voice": "narration", "paragraph": 1, "text": TEXT[c:d]}])
    arts = pd.DataFrame([article()])
    return SimpleNamespace(articles=arts, quotes=quotes, mentions=mentions, sentences=sentences, **extra)


class Tree(HTMLParser):
    """Checks nesting, and collects the text of every element by its data-k key (parts joined)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.by_key, self.ids = [], [], {}, []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag in VOID:
            return
        self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "style" in tags or "script" in tags or any("pl-furn" in a.get("class", "") for _, a in self.stack):
            return
        for key in {a["data-k"] for _, a in self.stack if "data-k" in a}:
            self.by_key[key] = self.by_key.get(key, "") + data


def parse(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    t.close()
    return t


def test_spans_nest_correctly_and_every_span_holds_exactly_its_words():
    tabs = tables()
    tree = parse(ev.article_html(article(), tabs))
    assert tree.errors == [] and tree.stack == []
    for df, kind in ((tabs.quotes, "quote"), (tabs.mentions, "mention"), (tabs.sentences, "sentence")):
        for r in df.itertuples():
            key = ev.anchor(kind, AID, r.start, r.end)
            assert tree.by_key[key] == TEXT[r.start:r.end], key
    cue = ev.anchor("cue", AID, *span("said"))
    assert tree.by_key[cue] == "said"


def test_every_span_has_one_stable_id_and_parts_share_it():
    html = ev.article_html(article(), tables())
    qs, qe = span("will last for years.")
    ids = parse(html).ids
    assert ids.count(f"q-{AID}-{qs}-{qe}") == 1
    a, _ = span("the plan")
    _, b = span("will last")
    key = f"s-{AID}-{a}-{b}"
    assert ids.count(key) == 1
    assert html.count(f'data-k="{key}"') == 1  # opened first, the sentence stays whole ...
    assert html.count(f'data-k="q-{AID}-{qs}-{qe}"') == 2  # ... and the quote crossing its end is split in two
    assert len(ids) == len(set(ids))


def test_article_text_is_escaped():
    html = ev.article_html(article(title="<script>alert(1)</script>"), tables())
    assert "<works>" not in html and "&lt;works&gt; &amp;" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<b>plan</b>" not in ev.article_html(article(), tables())


def test_quote_names_speaker_and_cue_and_is_coloured_by_speaker():
    html = ev.article_html(article(), tables())
    q = re.search(r'<span class="pl-q pl-q-direct" style="--pl-c:(#[0-9a-f]{6})" data-who="Ana Ruiz" '
                  r'title="direct quote; speaker: Ana Ruiz \(local government\); cue: said"', html)
    assert q and q.group(1) == ev.SPEAKER_COLORS[0]
    assert 'class="pl-cue"' in html and 'class="pl-spk"' in html
    assert 'data-tag="Ana Ruiz \u00b7 PERSON"' in html      # surface "Ruiz": canonical name shown
    assert 'data-tag="Years Inc \u00b7 ORG"' in html
    assert 'data-tone="negative"' in html and "pl-tone-toggle" in html


def test_furniture_is_shown_struck_through_where_it_was_removed():
    html = ev.article_html(article(), tables())
    credit = html.index("Photo: Lee/Agency")
    ad = html.index("ADVERTISEMENT</del>")
    assert html.index("Critics disagree.") < credit < html.index('id="p-abc123-2"')  # inline, end of paragraph 1
    assert html.index('id="p-abc123-2"') > ad > credit                                # a block before paragraph 2
    assert "photo credit" in html and "advertisement" in html and "<del>" in html
    # without an offset map the pieces are listed after the text instead
    html2 = ev.article_html(article(offset_map=None), tables())
    assert "Removed from the page" in html2 and html2.index("ADVERTISEMENT") > html2.index("voted 5-4")


def test_paragraphs_are_numbered_and_carry_their_offsets():
    tree = parse(ev.article_html(article(), tables()))
    assert "p-abc123-1" in tree.ids and "p-abc123-2" in tree.ids
    html = ev.article_html(article(), tables())
    assert f'data-s="{TEXT.index("The council")}" data-e="{len(TEXT)}"' in html


def test_show_accepts_an_id_and_says_which_is_missing():
    tabs = tables()
    assert "Ana Ruiz" in ev.show(AID, tabs)._repr_html_()
    with pytest.raises(KeyError, match="nope"):
        ev.show("nope", tabs)


def test_article_page_loads_nothing_from_outside():
    page = ev.article_page(article(), tables())
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//', page)


def test_table_links_every_row_to_its_words_and_keeps_full_text():
    tabs = tables()
    long_text = "word " * 80 + "KEYWORD at the end"
    shared = pd.DataFrame([{"story": "s", "article_id_a": AID, "start_a": 0, "end_a": 14, "text_a": long_text,
                            "article_id_b": AID, "start_b": 15, "end_b": 19, "text_b": "<i>x</i>"}])
    specs = ev.link_specs(shared)
    assert [(s.start, s.end, s.kind, s.name) for s in specs] == [("start_a", "end_a", None, "evidence_a"),
                                                                  ("start_b", "end_b", None, "evidence_b")]
    html = ev.table(shared, bundle=False).html
    assert "articles/abc123.html#r-0-14" in html and "articles/abc123.html#r-15-19" in html
    assert "KEYWORD at the end" in html                  # not cut
    assert "<i>x</i>" not in html                         # data escaped even with allow_html
    q = ev.table(tabs.quotes, href_base="../articles/", bundle=False).html
    qs, qe = span("will last for years.")
    assert f"../articles/abc123.html#q-abc123-{qs}-{qe}" in q and "\u00b61" in q


def test_table_embeds_the_datatables_bundle_once_and_nothing_remote():
    first = ev.table(tables().mentions, bundle=True).html
    again = ev.table(tables().mentions, bundle=False).html
    assert "injectModule" in first and "injectModule" not in again
    for html in (first, again):
        assert not re.search(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//', html)
        assert "unpkg" not in html and "cdn." not in html


def test_evidence_href_without_offsets_opens_the_article():
    assert ev.evidence_href("x1", None, None) == "articles/x1.html"
    assert ev.evidence_href("x1", 3, 9, "mention") == "articles/x1.html#m-x1-3-9"


def test_tables_show_the_full_text_and_every_row():
    from presslens.evidence import table

    long = "We will " + "keep working on this agreement " * 12 + "until it is done."
    df = pd.DataFrame({"article_id": [f"a{i}" for i in range(300)], "start": 0, "end": len(long),
                       "quote": [long] * 300})
    html_text = table(df, bundle=False).html
    assert long in html_text.replace("\\/", "/")  # the whole quote, not cut to ~50 characters
    assert "a299" in html_text  # every row, paged in the browser, none dropped


def test_report_kernels_do_not_listen_on_tcp():
    from presslens.notebook_run import IPCKernelManager

    assert IPCKernelManager().transport == "ipc"  # no "running over TCP without encryption" warning per kernel


def test_a_long_table_shows_its_first_rows_and_says_where_the_rest_is():
    df = pd.DataFrame({"article_id": [f"a{i}" for i in range(30)], "start": 0, "end": 5, "quote": "words"})
    html_text = ev.table(df, bundle=False, max_rows=10, table_id="t-long").html
    assert "a9" in html_text and "a10" not in html_text
    assert "first 10 of 30 rows" in html_text and "tables/" in html_text
    assert "first" not in ev.table(df, bundle=False, table_id="t-all").html   # within the limit: every row, no note


def test_a_table_in_plain_text_says_what_it_holds_without_the_html():
    df = pd.DataFrame({"article_id": [f"a{i}" for i in range(30)], "start": 0, "end": 5, "quote": "words"})
    long, whole = ev.table(df, bundle=False, max_rows=10), ev.table(df, bundle=False)
    assert repr(long) == "<interactive table: 30 rows x 4 columns, the first 10 shown>"
    assert repr(whole) == "<interactive table: 30 rows x 4 columns>"
    # a notebook keeps every rich output's text/plain too: the HTML must not be written there a second time
    from IPython.core.formatters import PlainTextFormatter
    assert "<table" not in PlainTextFormatter()(whole) and "<table" in whole._repr_html_()


def test_a_table_is_written_the_same_way_every_time():
    df = pd.DataFrame({"article_id": ["a1"], "start": [0], "end": [5], "quote": ["words"]})
    assert ev.table(df, bundle=False, table_id="t").html == ev.table(df, bundle=False, table_id="t").html
    first, second = ev.table(df, bundle=False).html, ev.table(df, bundle=False).html
    ids = [re.search(r'<table id="([^"]+)"', h).group(1) for h in (first, second)]
    assert ids[0] != ids[1] and all(re.fullmatch(r"pl-table-\d+", i) for i in ids)   # numbered, never random


def test_pages_from_rows_grouped_once_are_the_pages_of_each_article_alone():
    t = tables()
    other = "zzz999"  # a second article whose rows sit between and after the first one's
    t.quotes = pd.concat([t.quotes, t.quotes.assign(article_id=other, speaker_entity="Lee Park", speaker="Lee Park")],
                         ignore_index=True)
    t.mentions = pd.concat([t.mentions.iloc[:1], t.mentions.assign(article_id=other), t.mentions.iloc[1:]],
                           ignore_index=True)
    t.sentences = pd.concat([t.sentences.assign(article_id=other), t.sentences], ignore_index=True)
    t.articles = pd.DataFrame([article(), article(article_id=other)])
    grouped = ev.rows_by_article(t)
    assert [r.entity for r in grouped["mentions"][AID]] == ["Ana Ruiz", "Years Inc"]  # table order kept
    assert list(grouped["quotes"]) == [AID, other]
    for _, row in t.articles.iterrows():
        assert ev.article_page(row, t, grouped=grouped) == ev.article_page(row, t)
    assert "Lee Park" in ev.article_page(t.articles.iloc[1], t, grouped=grouped)
    assert "Lee Park" not in ev.article_page(t.articles.iloc[0], t, grouped=grouped)


def test_speaker_colours_follow_the_first_quote_from_a_table_or_its_rows():
    q = pd.DataFrame({"start": [30, 10, 20], "speaker": ["B", "A", "B"], "kind": "direct"})
    colors = ev.speaker_colors(q)
    assert list(colors) == ["A", "B"]
    assert ev.speaker_colors(list(q.itertuples(index=False))) == colors
