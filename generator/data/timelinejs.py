"""``data/timeline.json``: the calls and claims of every story in TimelineJS3's JSON format.

Each call and claim thread is one event, as in its latest briefing, grouped
by story. TimelineJS renders ``headline`` and ``text`` as HTML, so content
text is escaped here and the only markup is the paragraphs and link made here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator.data.published import Published
from generator.format.model import Archive, Call, Claim
from generator.format.text import one_line
from generator.pages import urls
from generator.pages.fragments import escaped
from generator.pages.links import actor_name, reports, shown_date, speakers, thread_label
from generator.pages.site import timeline_threads

TIMELINE = urls.TIMELINE_JSON


def _date(text: str) -> dict:
    """'2025-12-29' → {year, month, day}; a month or a year keeps only what it has."""
    return dict(zip(("year", "month", "day"), (int(p) for p in text.split("-")), strict=False))


def compact(value) -> str:
    """Compact, deterministic JSON text (keys in the order built), as the data files are written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def event_head(archive: Archive, t: Call | Claim, site: Published) -> str:
    """The JSON of the record's event up to its story's name (which the story's other briefings may give), its
    closing brace left off: all of it that depends only on the record, the actors and the site."""
    event = _event(archive, t, site)
    return compact(event)[:-1]


def _event(archive: Archive, t: Call | Claim, site: Published) -> dict:
    if isinstance(t, Claim):
        shown = [t.kind if t.is_opinion and t.kind else t.status]
        if t.review is not None:
            shown.append("desk review: " + t.review.verdict.replace("-", " "))
        who = (
            escaped(speakers([actor_name(archive, who, reports(t)) for who in t.claimant.all]))
            + " · "
            + escaped(" · ".join(shown))
        )
        body = t.statement
    else:
        names = ", ".join(escaped(actor_name(archive, p)) for p in t.participants)
        who = escaped(t.kind.replace("-", " ")) + " · " + names
        body = t.summary
    paragraphs = "".join(
        "<p>" + escaped(one_line(p)) + "</p>" for p in body.split("\n\n") if p.strip()
    )
    link = '<p><a href="' + escaped(site.thread(t)) + '">' + escaped(t.briefing.title) + "</a></p>"
    first, _, last = t.date.sort_text.partition("/")
    event: dict[str, Any] = {"start_date": _date(first)}
    if last:
        event["end_date"] = _date(last)
    event["display_date"] = shown_date(t.date, t.inferred)
    event["text"] = {
        "headline": escaped(thread_label(archive, t)),
        "text": "<p>" + who + "</p>" + paragraphs + link,
    }
    return event


def timeline_json(index, site: Published, heads: Callable[[Call | Claim], str]) -> bytes:
    """timeline.json: every call and claim thread once, as in its latest briefing, oldest first; each event
    from its :func:`event_head` (``heads(t)``), with its story's name and its id."""
    latest = list(reversed(timeline_threads(index)))  # the timeline pages' threads, oldest first
    title = {
        "text": {"headline": escaped(site.site_name), "text": "Calls and claims of every story."}
    }
    events = []
    for t in latest:
        group = (
            f',"group":{compact(escaped(index.story_title(t.briefing.story)))}'
            if t.briefing.story
            else ""
        )
        events.append(f'{heads(t)}{group},"unique_id":{compact(t.anchor)}}}')
    return f'{{"title":{compact(title)},"events":[{",".join(events)}]}}\n'.encode()
