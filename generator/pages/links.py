"""URLs between pages and the plain-text labels of records: shared by templates and fragments."""

from __future__ import annotations

import re
from typing import Protocol

from generator.format.model import Archive, Briefing, Call, Claim, OpenIssue, Thread


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
    return f"briefings/{b.id}/"


def thread_url(t: Thread) -> tuple[str, str]:
    return briefing_url(t.briefing), t.anchor


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def collapse_space(text: str) -> str:
    """Runs of HTML's white space as one space, trimmed; a no-break space stays as typed."""
    if (
        "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text
    ):  # most hold none: skip the regex
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


BOTTOM_LINE_MAX = 300
"""The cap of a ``bottom_line`` (schema.py): a summary's first paragraph longer than this is cut at its first sentence."""
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*[ \t\n]+(?=[\"“‘(\[]?[A-Z0-9])")
_NOT_AN_END = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "prof",
        "rep",
        "sen",
        "gov",
        "capt",
        "maj",
        "cmdr",
        "adm",
        "approx",
        "ca",
        "fig",
        "vol",
    }
)


def first_sentence(text: str, limit: int = BOTTOM_LINE_MAX) -> tuple[str, str] | None:
    """(first sentence, the rest) of one paragraph, when a sentence ends within ``limit`` characters; else None.

    A full stop after an initial ("J."), an abbreviation ("Mr.", "U.S.") or a number is no end.
    """
    for m in _SENTENCE_END.finditer(text):
        if m.start() >= limit:
            break
        word = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
        bare = word.strip('"“‘(').lower()
        if text[m.start()] == "." and (len(bare) <= 1 or bare in _NOT_AN_END or "." in bare):
            continue
        end = m.start() + len(m.group(0).rstrip(" \t\n"))
        return text[:end], text[m.end() :]
    return None


CONTESTED = frozenset({"disputed", "refuted", "retracted"})
"""Evidence statuses a reader must see first: the claim is contested, shown false or withdrawn."""


def contested(b: Briefing) -> list:
    """The claims of ``b`` a reader must see first: those whose evidence status is disputed, refuted or
    retracted, and those the desk reviewed; in the briefing's order."""
    return [c for c in b.claims if c.evidence_status in CONTESTED or c.review is not None]


def bottom_line(b: Briefing) -> tuple[str, str]:
    """(the bottom line, the context below it) of a briefing.

    The ``bottom_line`` when it has one, with the whole ``summary`` as context.
    A format-1 briefing has none: its summary's first paragraph is its bottom
    line and the other paragraphs the context; a first paragraph longer than a
    ``bottom_line`` may be is cut at the end of its first sentence. Text is
    never rewritten, only cut between paragraphs or sentences (a summary within
    the cap is shown whole, word for word).
    """
    if b.bottom_line:
        return b.bottom_line, b.summary
    paragraphs = [p for p in b.summary.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        return "", ""
    first, rest = collapse_space(paragraphs[0]), paragraphs[1:]
    if len(first) > BOTTOM_LINE_MAX:
        cut = first_sentence(first)
        if cut:
            first = cut[0]
            rest = [cut[1], *rest]
    return first, "\n\n".join(rest)


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
