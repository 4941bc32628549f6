"""Inline style and script of the evidence view (presslens.evidence): no file, font or library from outside.

The script highlights the span a link points at (`#q-...`, `#m-...`, `#s-...`: every part of a span split by
an overlapping one; `#r-<start>-<end>`: any character range of the clean text, counted from each paragraph's
`data-s` offset, furniture and labels skipped) and scrolls to it. The toggles are pure CSS (`:has`), so they
work where scripts do not run (an untrusted notebook).
"""
from __future__ import annotations

STYLE = """<style>
.pl-article { font: 16px/1.65 Georgia, "Times New Roman", serif; color: #1d1d1d; max-width: 48em; }
.pl-article .pl-title { font: bold 1.45em/1.25 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: .2em 0; }
.pl-article .pl-meta { font: 13px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #555; }
.pl-legend { font: 13px/1.9 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; background: #f7f7f5;
  border: 1px solid #e2e2de; border-radius: 4px; padding: .4em .8em; margin: .8em 0 1.2em 0; }
.pl-legend label { margin-right: 1.2em; cursor: pointer; }
.pl-p { display: flex; gap: .8em; margin: 0 0 .9em 0; scroll-margin-top: 30vh; }
.pl-pn { color: #9a9a9a; font: 12px/2.2 sans-serif; min-width: 2.2em; text-align: right; text-decoration: none; flex: none; }
.pl-pt { white-space: pre-wrap; flex: 1; min-width: 0; }
.pl-q { background-color: color-mix(in srgb, var(--pl-c) 75%, transparent); border-radius: 2px; scroll-margin-top: 30vh; }
.pl-q-indirect { background-color: transparent; background-image: repeating-linear-gradient(135deg,
  var(--pl-c) 0 5px, color-mix(in srgb, var(--pl-c) 35%, transparent) 5px 8px); }
.pl-q:not([data-cont])::before { content: attr(data-who); font: bold 10px/1 sans-serif; color: #fff; background: #444;
  border-radius: 3px; padding: 1px 4px; margin-right: 3px; vertical-align: 2px; }
.pl-legend .pl-q::before { display: none; }
.pl-cue { outline: 1.5px solid #333; outline-offset: -1px; font-weight: bold; }
.pl-spk { border-bottom: 3px double #555; }
.pl-m { border-bottom: 2px solid #5c7fa8; scroll-margin-top: 30vh; }
.pl-m-PERSON { border-bottom-color: #2b6cb0; } .pl-m-ORG { border-bottom-color: #2f855a; }
.pl-m-GPE, .pl-m-LOC { border-bottom-color: #c05621; } .pl-m-NORP { border-bottom-color: #805ad5; }
.pl-m:not([data-cont])::after { content: attr(data-tag); font: 9px/1 sans-serif; color: #4a5d75; vertical-align: super;
  margin-left: 1px; }
.pl-article:has(.pl-tag-toggle:not(:checked)) .pl-m::after { display: none; }
.pl-s { scroll-margin-top: 30vh; }
.pl-article:has(.pl-tone-toggle:checked) .pl-s[data-tone="positive"], .pl-sw.pl-pos { background-color: #d8efd9; }
.pl-article:has(.pl-tone-toggle:checked) .pl-s[data-tone="negative"], .pl-sw.pl-neg { background-color: #f6d5d5; }
.pl-sw { display: inline-block; width: 1em; height: .8em; border: 1px solid #ccc; vertical-align: -1px; }
.pl-furn { color: #8a8a8a; font-size: .9em; }
div.pl-furn { margin: 0 0 .9em 3em; }
.pl-furn del { text-decoration-color: #b44; }
.pl-rule { font: 10px/1 sans-serif; color: #fff; background: #a55; border-radius: 3px; padding: 1px 4px; white-space: nowrap; }
.pl-article :target, .pl-article .pl-hit { outline: 3px solid #e8590c; outline-offset: 1px; background-color: #ffe066; }
.pl-article mark.pl-hit { color: inherit; }
</style>"""

SCRIPT = """<script>
(function () {
  function clear(root) {
    root.querySelectorAll("mark.pl-hit").forEach(function (m) {
      var p = m.parentNode; while (m.firstChild) p.insertBefore(m.firstChild, m); p.removeChild(m); p.normalize();
    });
    root.querySelectorAll(".pl-hit").forEach(function (e) { e.classList.remove("pl-hit"); });
  }
  function textNodes(el) {
    var out = [], walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, { acceptNode: function (n) {
      return n.parentElement.closest(".pl-furn") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; } });
    while (walk.nextNode()) out.push(walk.currentNode);
    return out;
  }
  function markRange(root, s, e) {
    var first = null;
    root.querySelectorAll(".pl-p").forEach(function (p) {
      var pos = +p.dataset.s;
      if (+p.dataset.e <= s || pos >= e) return;
      textNodes(p.querySelector(".pl-pt")).forEach(function (n) {
        var a = pos, b = pos + n.data.length; pos = b;
        if (b <= s || a >= e) return;
        var x = Math.max(s, a) - a, y = Math.min(e, b) - a, mid = n;
        if (x > 0) mid = n.splitText(x);
        if (y - x < mid.data.length) mid.splitText(y - x);
        var m = document.createElement("mark"); m.className = "pl-hit";
        mid.parentNode.insertBefore(m, mid); m.appendChild(mid);
        if (!first) first = m;
      });
    });
    return first;
  }
  function go() {
    var h = decodeURIComponent(location.hash.slice(1)), root = document;
    if (!h) return;
    clear(root);
    var el = document.getElementById(h), target = null, r = /^r-(\\d+)-(\\d+)$/.exec(h);
    if (el && el.dataset.k) {
      root.querySelectorAll('[data-k="' + el.dataset.k + '"]').forEach(function (e) { e.classList.add("pl-hit"); });
      target = el;
    } else if (el) { target = el; }
    else if (r) { target = markRange(root, +r[1], +r[2]); }
    if (target) target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", go);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go); else go();
})();
</script>"""

PAGE_STYLE = """<style>
body { margin: 1.5em auto; padding: 0 1.2em; max-width: 52em; background: #fff; }
.pl-nav { font: 14px sans-serif; margin-bottom: .8em; } .pl-nav a { color: #1f4e8c; }
</style>"""

TABLE_STYLE = """<style>
table.dataTable td { white-space: normal; vertical-align: top; max-width: 48em; }
table.dataTable a.pl-ev { white-space: nowrap; font-weight: bold; }
</style>"""
