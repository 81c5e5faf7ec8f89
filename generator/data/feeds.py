"""Feeds of briefings, newest first: Atom 1.0 (``feed.xml``) and JSON Feed 1.1 (``feed.json``).

Each entry carries the bottom line and what changed since the previous
briefing of its story (``_feed_entry.html.j2``, with absolute links). Dates
come from the content, never the clock, so a rebuild writes the same bytes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from generator.data.published import Published
from generator.format.model import Archive, Briefing
from generator.format.text import one_line
from generator.pages import urls
from generator.pages.fragments import Fragments
from generator.pages.links import briefing_url

FEED_SIZE = 50
"""How many of the newest briefings the feeds hold."""
ATOM = urls.ATOM_FEED
JSON_FEED = urls.JSON_FEED
ATOM_NS = "http://www.w3.org/2005/Atom"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, not even escaped."""


def _stamp(d) -> str:
    """A day as an RFC 3339 timestamp at midnight UTC."""
    return d.isoformat() + "T00:00:00Z"


def _updated(b: Briefing) -> str:
    """The briefing's date, or the latest date in its change log when that is later."""
    return _stamp(max([b.date.start, *(ch.date.start for ch in b.changes)]))


def newest(archive: Archive) -> list[Briefing]:
    return list(reversed(archive.briefings))[:FEED_SIZE]


class FeedEntries:
    """The entries of both feeds: each briefing's fields and its content as HTML."""

    def __init__(self, archive: Archive, index, site: Published, renderer):
        self.site = site
        template = renderer.env.get_template("_feed_entry.html.j2")
        h = Fragments(archive, site, {}, index=index)
        self.items = []
        for b in newest(archive):
            html = template.render(b=b, ch=index.changes[b.id], link=site, h=h)
            self.items.append((b, site(briefing_url(b)), html.strip() + "\n"))


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = _NOT_XML.sub("\ufffd", text)
    return el


def atom(entries: FeedEntries) -> bytes:
    site = entries.site
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _add(feed, "id", site(""))
    _add(feed, "title", site.site_name, type="text")
    if site.description:
        _add(feed, "subtitle", site.description, type="text")
    _add(
        feed,
        "updated",
        max((_updated(b) for b, _, _ in entries.items), default="1970-01-01T00:00:00Z"),
    )
    _add(feed, "link", rel="self", type="application/atom+xml", href=site(ATOM))
    _add(feed, "link", rel="alternate", type="text/html", href=site(""))
    author = _add(feed, "author")
    _add(author, "name", site.publisher_name)
    if site.publisher_url:
        _add(author, "uri", site.publisher_url)
    for b, url, html in entries.items:
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        _add(entry, "title", b.title, type="text")
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "published", _stamp(b.date.start))
        _add(entry, "updated", _updated(b))
        _add(entry, "summary", b.summary, type="text")
        _add(entry, "content", html, type="html")
        for tag in b.tags:
            _add(entry, "category", term=tag)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def json_feed(entries: FeedEntries) -> bytes:
    site = entries.site
    feed: dict = {"version": "https://jsonfeed.org/version/1.1", "title": site.site_name}
    if site.base:
        feed["home_page_url"] = site("")
        feed["feed_url"] = site(JSON_FEED)
    if site.description:
        feed["description"] = site.description
    author = {
        "name": site.publisher_name,
        **({"url": site.publisher_url} if site.publisher_url else {}),
    }
    feed["authors"] = [author]
    feed["items"] = [
        {
            "id": url,
            "url": url,
            "title": b.title,
            "summary": one_line(b.summary),
            "content_html": html,
            "date_published": _stamp(b.date.start),
            "date_modified": _updated(b),
            **({"tags": list(b.tags)} if b.tags else {}),
        }
        for b, url, html in entries.items
    ]
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def feed_files(archive: Archive, index, site: Published, renderer) -> dict[str, bytes]:
    """Both feeds: docs path → bytes."""
    entries = FeedEntries(archive, index, site, renderer)
    return {ATOM: atom(entries), JSON_FEED: json_feed(entries)}
