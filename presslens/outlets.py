"""Known outlets (presslens/data/outlets.yaml): display names, domains, text signatures, colours."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

import yaml

from .paths import DATA_DIR


@lru_cache(maxsize=None)
def known_outlets() -> tuple[dict, ...]:
    """The outlet table as a tuple of dicts (name, domains, signatures, color)."""
    with open(DATA_DIR / "outlets.yaml", encoding="utf8") as fh:
        rows = yaml.safe_load(fh) or []
    return tuple(rows)


def domain_of(url: str | None) -> str | None:
    """Registrable-looking host of a url without 'www.' ('https://www.cbsnews.com/x' -> 'cbsnews.com')."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:  # "http://[x" or a bracketed host that is not an IPv6 address: urlparse raises ValueError
        host = urlparse(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else (host or None)


def outlet_for_domain(domain: str | None) -> str | None:
    """Display name for a domain (or any subdomain of it), None when unknown."""
    if not domain:
        return None
    for row in known_outlets():
        for d in row.get("domains") or []:
            if domain == d or domain.endswith("." + d):
                return row["name"]
    return None


def domain_for_outlet(name: str | None) -> str | None:
    """First known domain of an outlet's display name."""
    for row in known_outlets():
        if row["name"] == name and row.get("domains"):
            return row["domains"][0]
    return None


def outlet_from_signatures(raw: str) -> tuple[str | None, str | None]:
    """(outlet, matched signature) when exactly one known outlet's signature occurs in the text."""
    hits = {}
    for row in known_outlets():
        for sig in row.get("signatures") or []:
            m = re.search(sig, raw)
            if m:
                hits.setdefault(row["name"], m.group(0))
                break
    if len(hits) == 1:
        return next(iter(hits.items()))
    return None, None


def canonical_outlet(name: str | None) -> str | None:
    """A known display name for a user-written outlet ('fox news', 'foxnews.com' -> 'Fox News')."""
    if not isinstance(name, str) or not name.strip():
        return None
    s = name.strip()
    for row in known_outlets():
        if s.lower() == row["name"].lower():
            return row["name"]
    by_domain = outlet_for_domain(domain_of(s) if "." in s else None)
    return by_domain or s
