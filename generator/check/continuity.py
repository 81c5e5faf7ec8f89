"""Warnings about time and identity across a story: what a briefing could not have known, and a thread renamed.

A briefing is a snapshot as of its date, so a record dated later, or a source
published later, is almost always a typo in one of the two dates. A thread is
known by its id: a claim or open issue that changes id between two briefings
of a story loses its history on the site (it shows as one dropped and one
added), so an id that disappears while another with the same title appears
is named, with the id to keep. These are warnings: a late date can be right
(a call scheduled ahead is reported as planned), and two threads can share a
title.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Collector
from generator.format.fieldtypes import DateValue
from generator.format.model import (
    Archive,
    Briefing,
    Call,
    Claim,
    ClaimHistory,
    Figure,
    IssueHistory,
    OpenIssue,
    Position,
)
from generator.format.text import one_line

THREAD_WORDS = {"claim": "claim", "issue": "open issue"}


def check_continuity(archive: Archive, out: Collector) -> None:
    previous: dict[str | None, Briefing] = {}
    for b in archive.briefings:
        if not b.has("date"):
            continue
        _dated_after(b, out)
        _published_after(b, archive, out)
        if b.story is not None:
            before = previous.get(b.story)
            if before is not None:
                _renamed_threads(before, b, out)
            previous[b.story] = b


def _later(value: DateValue | None, b: Briefing) -> bool:
    return value is not None and value.start > b.date.start


def _dated_after(b: Briefing, out: Collector) -> None:
    """Calls, claims, figures, positions and status history dated after the briefing that reports them."""
    for rec, what in _dated_records(b):
        if isinstance(rec, Call) and not rec.held:  # a planned contact is dated ahead on purpose
            continue
        if _later(rec.date, b):
            out.warn(
                rec.at("date"),
                rec.field_path("date"),
                f"{what} is dated {rec.date}, after this briefing ({b.date}), which cannot report it yet; "
                "check this date or the briefing's",
            )


def _dated_records(
    b: Briefing,
) -> Iterator[tuple[Call | Claim | Figure | ClaimHistory | IssueHistory | Position, str]]:
    for call in b.calls:
        yield call, "the call"
    for claim in b.claims:
        yield claim, "the claim"
        for f in claim.figures:
            yield f, "the figure"
        for h in claim.history:
            yield h, "the status"
    for issue in b.open_issues:
        for p in issue.positions:
            yield p, "the position"
        for ih in issue.history:
            yield ih, "the status"


def _published_after(b: Briefing, archive: Archive, out: Collector) -> None:
    """A source the briefing lists (and so may quote) that was published after it."""
    for i, sid in enumerate(b.sources):
        source = archive.sources.get(sid)
        if source is not None and _later(source.published, b):
            out.warn(
                b.at("sources", i),
                f"sources[{i}]",
                f"source '{sid}' was published {source.published}, after this briefing ({b.date}); "
                f"check its published date in {source.path}:{source.at('published').line} or the briefing's date",
            )


def _title(t: Claim | OpenIssue) -> str | None:
    title = t.title if not isinstance(t, Claim) else (t.title or t.statement)
    return one_line(title).casefold() if title else None


def _renamed_threads(before: Briefing, b: Briefing, out: Collector) -> None:
    """A claim or issue whose id is gone from the next briefing, while a new id there has the same title."""
    for kind, old_list, new_list in (
        ("claim", before.claims, b.claims),
        ("issue", before.open_issues, b.open_issues),
    ):
        new_ids = {t.id for t in new_list}
        gone: dict[str, Claim | OpenIssue] = {}
        for t in old_list:
            title = _title(t)
            if t.id not in new_ids and title:
                gone.setdefault(title, t)
        if not gone:
            continue
        old_ids = {t.id for t in old_list}
        for t in new_list:
            old = gone.get(_title(t) or "")
            if t.id in old_ids or old is None:
                continue
            out.warn(
                t.at("id"),
                t.field_path("id"),
                f"{THREAD_WORDS[kind]} '{t.id}' is new here, and '{old.id}' with the same title in {before.id} "
                f"is not carried on; if it is the same {THREAD_WORDS[kind]}, keep the id '{old.id}' so that "
                "its history stays one",
            )
