"""Reading a text file someone gave: its encoding, and the YAML front matter it may open with.

One reading for the loader and for `presslens add`: UTF-16/32 by byte-order mark, UTF-8 (with or
without BOM), else Windows-1252 with a note; binary files refused. Front matter is read with a safe
YAML loader that keeps dates as text (an impossible date is a problem row, not an exception) and
refuses anchors and aliases (a few hundred bytes of aliases can expand to gigabytes).
"""
from __future__ import annotations

import codecs
import re

import yaml

_FM_OPEN = re.compile(r"\A\ufeff?---[ \t]*(?:\r\n|\r|\n)")
_FM_CLOSE = re.compile(r"(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r|\n|\Z)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# libyaml's safe loader when PyYAML was built with it (about 10x faster on a thousand headers), else PyYAML's own;
# dates are kept as text so an impossible one ("2026-02-30") is a problem row instead of a ValueError inside YAML.
_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _FrontMatterLoader(_YAML_BASE):
    """Safe YAML loader that reads dates as strings."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != _TIMESTAMP_TAG] for k, v in _YAML_BASE.yaml_implicit_resolvers.items()}
_FrontMatterLoader.add_constructor(_TIMESTAMP_TAG, yaml.constructor.SafeConstructor.construct_yaml_str)


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, note): UTF-16/32 by byte-order mark, UTF-8, then Windows-1252 with a note; (None, reason) if binary."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError as exc:
                return None, f"starts like {codec.upper()} text but has invalid data at byte {exc.start}; save it as UTF-8"
    head = data[:8192]
    if b"\x00" in head:
        return None, "binary file (it contains NUL bytes), not text: is it a PDF, image or Word file?"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0.01 * max(1, len(text[:8192])):
        return None, "binary file (control characters), not text"
    return text, (f"not UTF-8 (undecodable byte at position {bad}); read as Windows-1252 - "
                  "check accented letters, or save the file as UTF-8")


def load_yaml(block: str) -> tuple[object, str | None]:
    """(value, error) of a front-matter block: anchors and aliases (&a / *a) are refused (alias bombs)."""
    try:
        if "*" in block and "&" in block:
            if any(isinstance(ev, yaml.AliasEvent) for ev in yaml.parse(block, Loader=_FrontMatterLoader)):
                return None, ("front matter uses YAML aliases (&name ... *name), which presslens does not accept; "
                              "write each value out")
        return yaml.load(block, Loader=_FrontMatterLoader), None
    except Exception as exc:  # noqa: BLE001 - any parser failure means the block is not usable YAML
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"front matter is not valid YAML ({first})"


def split_front_matter(raw: str) -> tuple[dict, int, str | None]:
    """(metadata, body_start, error) for a file that may open with YAML front matter (any line endings)."""
    m = _FM_OPEN.match(raw)
    if not m:
        return {}, 0, None
    end = _FM_CLOSE.search(raw, m.end() - 1)
    if not end:
        return {}, 0, "front matter opens with '---' on line 1 but is never closed by a '---' line"
    meta, err = load_yaml(raw[m.end():max(m.end(), end.start())])
    if err:
        return {}, 0, err
    meta = meta or {}
    if not isinstance(meta, dict):
        return {}, 0, "front matter is not a list of 'key: value' lines"
    body = end.end()
    brk = _LINE_BREAK.match(raw, body)
    if brk:
        body = brk.end()
    return {str(k).lower(): v for k, v in meta.items()}, body, None
