"""URLs between pages and the plain-text labels of records: shared by templates and fragments."""

from __future__ import annotations

from typing import Protocol

from generator.format.model import Archive, Briefing, Call, Claim, OpenIssue, Thread
from generator.format.text import collapse_space
from generator.pages import urls


class LinkMaker(Protocol):
    """What makes the links of a page or a feed: relative ones (:class:`Links`) or absolute ones
    (``published.Published``)."""

    def __call__(self, target: str, anchor: str = "") -> str: ...


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


NO_STORY = "_unsorted"
"""The story key of the briefings that name no story: "_" is never in an id, so no story can take it
(a story with the id ``unsorted`` is a story like any other)."""


def story_key(b: Briefing) -> str:
    """Key of the briefing's story (``Index.stories``), and the folder of its story pages."""
    return b.story or NO_STORY


def briefing_url(b: Briefing) -> str:
    return urls.briefing(b.id)


def thread_url(t: Thread) -> tuple[str, str]:
    return briefing_url(t.briefing), t.anchor


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


CONTESTED = frozenset({"disputed", "refuted", "retracted"})
"""Evidence statuses a reader must see first: the claim is contested, shown false or withdrawn."""


def contested(b: Briefing) -> list:
    """The claims of ``b`` a reader must see first: those whose evidence status is disputed, refuted or
    retracted, and those the desk reviewed; in the briefing's order."""
    return [c for c in b.claims if c.evidence_status in CONTESTED or c.review is not None]


def thread_label(archive: Archive, t: Thread) -> str:
    """The heading of a call, claim or open issue, as plain text."""
    if isinstance(t, Claim):
        return t.title or headline(t.statement)
    if isinstance(t, OpenIssue):
        return t.title
    assert isinstance(t, Call), t  # the third kind of thread
    if t.title:
        return t.title
    names = " – ".join(actor_name(archive, p) for p in t.participants)
    return f"{call_kind(t)}: {names}, {shown_date(t.date, t.inferred)}"


def call_kind(call: Call) -> str:
    """'Phone call'; a contact that did not take place says so: 'Planned meeting', 'Cancelled visit'."""
    kind = call.kind.replace("-", " ")
    return kind.capitalize() if call.held else f"{(call.status or '').capitalize()} {kind}"


def speakers(names: list[str]) -> str:
    """Names said together: 'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


INFERRED_DATE = "(date inferred)"
"""What follows a date the desk inferred wherever the date is plain text (titles, feeds, data files); pages
that show the record say from what."""


def shown_date(date, inferred=None) -> str:
    """A date as plain text, marked when the record's ``inferred`` note says the desk inferred it."""
    mark = f" {INFERRED_DATE}" if inferred is not None and getattr(inferred, "date", None) else ""
    return date.display() + mark


def actor_name(archive: Archive, actor_id: str | None, reports: bool = False) -> str:
    """An actor's name; for a claimant that is a source, the source's own voice (see :func:`source_voice`)."""
    actor = archive.actors.get(actor_id or "")
    if actor is None and actor_id in archive.sources:
        return source_voice(archive, actor_id, reports)
    return actor.name if actor else (actor_id or "")


def source_voice(archive: Archive, source_id: str, reports: bool = False) -> str:
    """A source in a claimant's place. What it ``reports`` (a fact it states, a figure it gives) reads "as
    reported by" its publisher, else its title; its own opinion, characterisation or forecast reads as its
    publisher's analysis, or the article's when no publisher is recorded."""
    s = archive.sources[source_id]
    if reports:
        return f"as reported by {s.credited}"
    return f"{s.publisher} (analysis)" if s.publisher else "The article (its own analysis)"


def reports(claim: Claim | None) -> bool:
    """Whether a source named by ``claim`` (None: by a figure) reports rather than gives its own view."""
    return claim is None or not claim.is_opinion
