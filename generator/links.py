"""URLs between pages and the plain-text labels of records: shared by templates and fragments."""

from __future__ import annotations

import re

from .model import Archive, Briefing, Claim, OpenIssue, Thread


class Links:
    """Relative URLs from one page to others, valid with and without directory URLs."""

    def __init__(self, here: str, directory_urls: bool = True):
        self.here = here
        self.up = "../" * here.count("/")
        self.suffix = "" if directory_urls else "index.html"

    def __call__(self, target: str, anchor: str = "") -> str:
        if target == self.here and anchor:
            return f"#{anchor}"
        url = self.up + target + self.suffix
        if not url:
            url = "./"
        return f"{url}#{anchor}" if anchor else url


def briefing_url(b: Briefing) -> str:
    return f"briefings/{b.id}/"


def thread_url(t: Thread) -> tuple[str, str]:
    return briefing_url(t.briefing), t.anchor


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def collapse_space(text: str) -> str:
    """Runs of HTML's white space as one space, trimmed; a no-break space stays as typed."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:  # most hold none: skip the regex
        text = _HTML_SPACE.sub(" ", text)
    return text.strip(" ")


def headline(text: str, limit: int = 110) -> str:
    """A one-line heading from a statement: its first sentence, cut at a word."""
    flat = collapse_space(text)
    for end in (". ", "; "):
        cut = flat.find(end)
        if 0 < cut < limit:
            return flat[: cut + (1 if end == ". " else 0)].rstrip(";")
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def thread_label(archive: Archive, t: Thread) -> str:
    """The heading of a call, claim or open issue, as plain text."""
    if isinstance(t, Claim):
        return t.title or headline(t.statement)
    if isinstance(t, OpenIssue):
        return t.title
    names = " – ".join(actor_name(archive, p) for p in t.participants)
    return f"{t.kind.replace('-', ' ').capitalize()}: {names}, {t.date.display()}"


def actor_name(archive: Archive, actor_id: str | None) -> str:
    """An actor's name; for a claimant that is a source, the source's own voice."""
    actor = archive.actors.get(actor_id or "")
    if actor is None and actor_id in archive.sources:
        return source_voice(archive, actor_id)
    return actor.name if actor else (actor_id or "")


def source_voice(archive: Archive, source_id: str) -> str:
    """A source as a claimant: its publisher's analysis, or the article's when no publisher is recorded."""
    s = archive.sources[source_id]
    return f"{s.publisher} (analysis)" if s.publisher else "The article (its own analysis)"
