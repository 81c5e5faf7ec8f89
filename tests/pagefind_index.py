"""Pagefind's index of a built site, read as the browser reads it: each page's fragment (its URL, its words,
the ids on it with their text, its title)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
"""Pagefind's header before the JSON of a decompressed file."""


def pages(site: Path) -> list[dict]:
    """Every page Pagefind indexed in ``site`` (a site folder), in any of its indexes, as its fragment."""
    out = []
    for path in sorted((site / "pagefind").glob("**/fragment/*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), path
        out.append(json.loads(raw[len(SIGNATURE) :]))
    return out


def page(site: Path, url: str) -> dict:
    """The fragment of the page at ``url`` (site-absolute: "/briefings/x/")."""
    found = [p for p in pages(site) if p["url"] == url]
    assert len(found) == 1, (url, [p["url"] for p in pages(site)])
    return found[0]
