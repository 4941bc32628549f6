"""Site furniture (presslens/furniture.py, data/furniture.yaml): what goes, what stays, offsets, and speed."""
from __future__ import annotations

import re
import time

import pytest

from presslens.furniture import load_rules, paragraphs, raw_offset, strip_furniture
from presslens.paths import DATA_DIR

# Generous bound for "linear time": catastrophic backtracking on these inputs takes minutes, not seconds.
LINEAR_SECONDS = 5.0


def clean(raw: str, outlet: str | None = None):
    c = strip_furniture(raw, 0, outlet)
    return c.text, [(r["rule"], r["text"]) for r in c.removed]


@pytest.mark.parametrize("raw,text,removed", [
    ("WASHINGTON (Reuters) - The Senate voted on Tuesday.\n\nMore text.",
     "The Senate voted on Tuesday.\n\nMore text.", ("wire dateline", "WASHINGTON (Reuters) - ")),
    ("CARACAS/WASHINGTON, March 5 (AP) \u2014 Officials met on Thursday.",
     "Officials met on Thursday.", ("wire dateline", "CARACAS/WASHINGTON, March 5 (AP) \u2014 ")),
    ("NEW YORK \u2014 The mayor said the plan was ready.", "The mayor said the plan was ready.",
     ("wire dateline", "NEW YORK \u2014 ")),
    ("Springfield (CNN) \u2014 The mayor said it.", "The mayor said it.", ("wire dateline", "Springfield (CNN) \u2014 ")),
    ("By Jane Roe\n\nThe council voted.", "The council voted.", ("byline", "By Jane Roe")),
    ("BY JANE ROE AND JOHN DOE, THE DAILY PLANET\n\nThe council voted.", "The council voted.",
     ("byline", "BY JANE ROE AND JOHN DOE, THE DAILY PLANET")),
    ("By Jane Roe | Updated March 5, 2026 4:02 p.m. ET\n\nThe council voted.", "The council voted.",
     ("byline", "By Jane Roe | Updated March 5, 2026 4:02 p.m. ET")),
    ("The council voted.\n\nReporting by Jane Roe; Editing by Joe Bloggs", "The council voted.",
     ("contributor line", "Reporting by Jane Roe; Editing by Joe Bloggs")),
    ("The council voted.\n\n(Reporting by Jane Roe in Springfield; Editing by J. Bloggs)", "The council voted.",
     ("contributor line", "(Reporting by Jane Roe in Springfield; Editing by J. Bloggs)")),
    ("The council voted.\n\nJane Roe is a reporter for The Daily Planet covering city hall.", "The council voted.",
     ("contributor bio", "Jane Roe is a reporter for The Daily Planet covering city hall.")),
    ("Residents leave town on Monday. John Smith/AP Photo\n\nEnd.", "Residents leave town on Monday.\n\nEnd.",
     ("photo credit", "John Smith/AP Photo")),
    ("People wade through water. (AP Photo/Jane Doe)\n\nEnd.", "People wade through water.\n\nEnd.",
     ("photo credit in brackets", "(AP Photo/Jane Doe)")),
    ("The mayor waves. REUTERS/Leah Millis\n\nEnd.", "The mayor waves.\n\nEnd.", ("photo credit", "REUTERS/Leah Millis")),
    ("The mayor waves. AP / Jane Doe\n\nEnd.", "The mayor waves.\n\nEnd.", ("photo credit", "AP / Jane Doe")),
    ("The mayor waves. Photo: Jane Doe\n\nEnd.", "The mayor waves.\n\nEnd.", ("photo credit label", "Photo: Jane Doe")),
    ("The mayor waves. Credit: Jane Doe for The Daily Planet\n\nEnd.", "The mayor waves.\n\nEnd.",
     ("photo credit label", "Credit: Jane Doe for The Daily Planet")),
    ("The mayor waves. Jane Doe/Agency via Getty Images\n\nEnd.", "The mayor waves.\n\nEnd.",
     ("photo credit", "Jane Doe/Agency via Getty Images")),
    ("The mayor waves in the square. Getty Images\n\nEnd.", "The mayor waves in the square.\n\nEnd.",
     ("picture agency", "Getty Images")),
    ("Lead.\n\nShare this article\n\nTail.", "Lead.\n\nTail.", ("share buttons", "Share this article")),
    ("Lead.\n\nFacebook Twitter Email Copy link\n\nTail.", "Lead.\n\nTail.",
     ("share buttons", "Facebook Twitter Email Copy link")),
    ("Lead.\n\nSign up for our morning newsletter\n\nTail.", "Lead.\n\nTail.",
     ("newsletter prompt", "Sign up for our morning newsletter")),
    ("Lead.\n\nRelated: Bridge repairs start next week\n\nTail.", "Lead.\n\nTail.",
     ("link list", "Related: Bridge repairs start next week")),
    ("Lead.\n\nOur Standards: The Thomson Reuters Trust Principles.", "Lead.",
     ("trust principles footer", "Our Standards: The Thomson Reuters Trust Principles.")),
    ("Lead.\n\n\u00a9 2026 The Daily Planet. All rights reserved.", "Lead.",
     ("syndication disclaimer", "\u00a9 2026 The Daily Planet. All rights reserved.")),
    ("Lead.\n\nUpdated 5:00 PM EST, Thu March 5, 2026\n\nTail.", "Lead.\n\nTail.",
     ("timestamp line", "Updated 5:00 PM EST, Thu March 5, 2026")),
])
def test_furniture_forms(raw, text, removed):
    got_text, got_removed = clean(raw)
    assert got_text == text
    assert removed in got_removed


@pytest.mark.parametrize("raw", [
    "By Tuesday, the council had voted to repair the bridge.",
    "A Photo by Ansel Adams sold for $1 million at auction.",
    "Published reports said 5 people died in the flood.",
    "The mayor said Getty Images had paid the photographer, and the agency confirmed it.",
    "Related issues came up at the meeting, the clerk said.",
    "Share prices fell 3% on Monday.",
    "Jane Roe is a former reporter who now runs the bakery on Main Street, and she said the bridge matters.",
    "The trade across the U.S./Mexico border grew.",
])
def test_reporting_that_looks_like_furniture_stays(raw):
    got_text, got_removed = clean(raw)
    assert got_text == raw and got_removed == []


def test_single_newline_pages_are_cleaned_line_by_line():
    raw = ("By Jane Roe\nWASHINGTON (Reuters) - The Senate voted on Tuesday to pass the bill, which now goes "
           "to the president.\nSenator Ann Lee speaks in the chamber. Jane Doe/Reuters\nShare\nTweet\n"
           "The bill passed 60-40, the clerk said, after a debate that lasted more than nine hours.")
    text, removed = clean(raw)
    assert text == ("The Senate voted on Tuesday to pass the bill, which now goes to the president.\n\n"
                    "Senator Ann Lee speaks in the chamber.\n\n"
                    "The bill passed 60-40, the clerk said, after a debate that lasted more than nine hours.")
    assert [r for r, _ in removed] == ["byline", "wire dateline", "photo credit", "share buttons", "share buttons"]


def test_soft_wrapped_prose_stays_one_paragraph():
    raw = ("The council voted on Tuesday to repair the old bridge over the river,\n"
           "a project that the mayor said would take a year and cost two million\n"
           "dollars, most of it paid by the state.")
    assert paragraphs(raw) == [(0, len(raw))]


def test_caption_keeps_its_description_only_the_credit_goes():
    raw = "Lead paragraph here.\n\nMayor Ann Lee and Governor Bo Park tour the site on March 4. Jane Doe/AP\n\nEnd."
    text, removed = clean(raw)
    assert "Mayor Ann Lee and Governor Bo Park tour the site on March 4." in text
    assert removed == [("photo credit", "Jane Doe/AP")]


def test_only_the_first_dateline_goes():
    raw = "LONDON (Reuters) - First.\n\nPARIS (Reuters) - Second paragraph stays as written."
    text, _ = clean(raw)
    assert text == "First.\n\nPARIS (Reuters) - Second paragraph stays as written."


@pytest.mark.parametrize("raw", [
    "WASHINGTON (Reuters) - The vote.\r\n\r\nBy Jane Roe\r\n\r\nMore. Jane Doe/AP\r\nEnd line here.",
    "Lead.\rShare\rTail of the story.",
    "  By Jane Roe  \n\n\n  Text with spaces.  \n",
])
def test_offsets_trace_back_to_the_raw_text(raw):
    c = strip_furniture(raw)
    for f in c.removed:
        assert raw[f["start"]:f["end"]] == f["text"]
    for c0, r0, n in c.offset_map:
        assert c.text[c0:c0 + n] == raw[r0:r0 + n]
    for c0, r0, n in c.offset_map:  # every character of a kept piece maps to itself in the raw text
        for i in range(c0, c0 + n):
            assert raw[raw_offset(c.offset_map, i)] == c.text[i]


ADVERSARIAL = {
    "A.": "A." * 200_000,               # 400 KB
    "Word-": "Word-" * 16_000,          # 80 KB
    "A space": "A " * 100_000,
    "slashes": "Ab/" * 50_000,
    "brackets": "(A" * 50_000,
    "By caps": "By " + "AB " * 50_000,
    "caps dash": "WASHINGTON " * 20_000 + "x",
    "lines": "A\n" * 20_000,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_furniture_rules_run_in_linear_time(name):
    raw = ADVERSARIAL[name]
    t0 = time.perf_counter()
    strip_furniture(raw)
    assert time.perf_counter() - t0 < LINEAR_SECONDS


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_credit_patterns_run_in_linear_time(name):
    lines = (DATA_DIR / "credit_patterns.txt").read_text(encoding="utf8").splitlines()
    patterns = [re.compile(ln.strip()) for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(patterns) >= 7
    raw = ADVERSARIAL[name]
    t0 = time.perf_counter()
    for p in patterns:
        list(p.finditer(raw))
    assert time.perf_counter() - t0 < LINEAR_SECONDS


def test_every_rule_has_a_known_scope_and_compiles():
    general, outlets = load_rules()
    assert {r.scope for r in general} == {"paragraph", "inline", "lead"}
    assert all(r.name for r in general + sum(outlets.values(), ()))
