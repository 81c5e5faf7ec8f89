"""Small HTML fragments used on every page (badges, links, dates, quotes).

They are called tens of thousands of times in a large archive, so they are
plain Python returning escaped ``Markup`` rather than template macros; the
shapes of pages and records stay in the templates.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .links import Links, thread_label, thread_url
from .model import Archive, Quote, Thread


def escaped(value) -> str:
    """Escaped text as a plain str, safe to concatenate (str + Markup would escape the str)."""
    return str(escape(value))


_VERIFIED = '<span class="verified" title="Found word for word in the source text">verified</span>'
_UNVERIFIED = '<span class="unverified" title="The source has no local text to check against">not verified</span>'
# Fragments are built by concatenating escaped()d parts: markupsafe's C escape is
# many times faster than Markup.format, and these run tens of thousands of times.


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="' + escaped(href) + '">' + escaped(text) + "</a>")


class Fragments:
    """Fragment makers for one page (links are relative to it)."""

    def __init__(self, archive: Archive, link: Links, cache: dict, labels: dict | None = None):
        self.archive = archive
        self.link = link
        self.cache = cache
        """Shared by pages at the same depth: actor links and dates do not depend on the page itself."""
        self.labels = {} if labels is None else labels
        """Shared by all pages: thread → its label, escaped (a claim is linked from many pages)."""

    def badge(self, status: str, kind: str = "evidence") -> Markup:
        key = ("badge", status, kind)
        html = self.cache.get(key)
        if html is None:
            html = self.cache[key] = Markup(
                '<span class="badge badge-' + escaped(status) + '" data-kind="' + escaped(kind) + '">'
                + escaped(status.replace("-", " ")) + "</span>"
            )
        return html

    def actor(self, actor_id: str) -> Markup:
        key = ("actor", actor_id)
        html = self.cache.get(key)
        if html is None:
            a = self.archive.actors.get(actor_id)
            html = self.cache[key] = _link(self.link(f"actors/{actor_id}/"), a.name if a else actor_id)
        return html

    def actors(self, ids) -> Markup:
        return Markup(", ").join(self.actor(i) for i in ids)

    def date(self, d) -> Markup:
        key = ("date", d.text)
        html = self.cache.get(key)
        if html is None:
            html = self.cache[key] = Markup('<time datetime="' + d.start.isoformat() + '">' + escaped(d.display()) + "</time>")
        return html

    def thread(self, t: Thread, text: str | None = None) -> Markup:
        where, anchor = thread_url(t)
        return Markup('<a href="' + escaped(self.link(where, anchor)) + '">'
                      + (escaped(text) if text else self._label(t)) + "</a>")

    def label(self, t: Thread) -> Markup:
        return Markup(self._label(t))

    def _label(self, t: Thread) -> str:
        html = self.labels.get(t)
        if html is None:
            html = self.labels[t] = escaped(thread_label(self.archive, t))
        return html

    def quote(self, q: Quote) -> Markup:
        src = self.archive.sources.get(q.source)
        title = src.title if src else q.source
        by = str(self.actor(q.by)) + ", " if q.by else ""
        if q.verified:
            href, mark = self.link(f"sources/{q.source}/", q.anchor), _VERIFIED
        else:
            href, mark = self.link(f"sources/{q.source}/"), _UNVERIFIED
        return Markup(
            '<blockquote class="quote">\n<p>“' + escaped(q.exact) + "”</p>\n<footer data-search-exclude>" + by
            + '<a href="' + escaped(href) + '">' + escaped(title) + "</a> " + mark + "</footer>\n</blockquote>"
        )


__all__ = ["Fragments", "escaped"]
