"""Rules across a story and across stories: what an editor gets wrong when a desk follows several at once.

A link between claims of two stories (``disputes``, ``supports``, ``supersedes``)
publishes a relation no article of either story made, so it is an error naming
both stories; a ``related`` link across stories may be deliberate, so it draws a
warning. A story id close to an existing one is most often a typo that quietly
starts a second story. A story that never gets a ``story_title`` would be headed
by its slug. A briefing made with ``briefing new --from`` that still carries its
predecessor's bottom line, summary or key points word for word, or cites no
source newer than its predecessor's, publishes yesterday's briefing under
today's date. A source no briefing cites, and two briefings of a story on one
date with no ``order`` to say which came first, are named too.
"""

from __future__ import annotations

import difflib

from generator.errors import Collector
from generator.format.model import Archive, Briefing, thread_references
from generator.format.text import one_line

CLOSE_STORY = 0.85
"""How alike two story ids must be (difflib's ratio) to be taken for a typo of one another."""


def check_stories(archive: Archive, out: Collector) -> None:
    _links_across_stories(archive, out)
    _story_ids(archive, out)
    _carried_unchanged(archive, out)
    _unused_sources(archive, out)
    _same_day(archive, out)


def _story(b: Briefing) -> str:
    return b.story or b.id


def _links_across_stories(archive: Archive, out: Collector) -> None:
    """A claim that disputes, supports or supersedes a claim of another story; a related link across stories."""
    story_of: dict[str, set[str]] = {}
    for b in archive.briefings:
        for t in b.threads():
            if t.has("id"):
                story_of.setdefault(t.id, set()).add(_story(b))
    for b in archive.briefings:
        mine = _story(b)
        for t, name, i, ref in thread_references(b):
            theirs = story_of.get(ref, set())
            if not theirs or mine in theirs:
                continue
            other = sorted(theirs)[0]
            if name == "related":
                out.warn(
                    t.at(name, i),
                    t.field_path(name, i),
                    f"'{ref}' belongs to the story '{other}', not to this briefing's story '{mine}'; "
                    "keep the link only if the two stories are really connected",
                )
            else:
                out.at(
                    t.at(name, i),
                    t.field_path(name, i),
                    f"'{ref}' is a claim of the story '{other}', and this briefing is of the story '{mine}': "
                    f"a claim {name.removesuffix('s')}s only claims of its own story; remove the link, or "
                    "set the story of one of the briefings",
                )


def _story_ids(archive: Archive, out: Collector) -> None:
    """A new story id that looks like a typo of another; a story never given a title."""
    first: dict[str, Briefing] = {}
    titled: set[str] = set()
    published: set[str] = set()
    for b in archive.briefings:
        if b.story is None:
            continue
        if b.story_title:
            titled.add(b.story)
        if not b.draft:
            published.add(b.story)
        if b.story not in first:
            close = [
                s for s in first if difflib.SequenceMatcher(None, s, b.story).ratio() >= CLOSE_STORY
            ]
            if close:
                out.warn(
                    b.at("story"),
                    "story",
                    f"the story '{b.story}' starts here, and '{close[0]}' already exists "
                    f"({first[close[0]].path}); did you mean '{close[0]}'? A new id starts a second story",
                )
            first[b.story] = b
    for story, b in first.items():
        if story not in titled and story in published:  # a story of drafts only is on no page yet
            out.warn(
                b.at("story"),
                "story",
                f"the story '{story}' has no story_title in any briefing, so its pages would be headed by its id; "
                "add story_title: with its name",
            )


def _carried_unchanged(archive: Archive, out: Collector) -> None:
    """A briefing that repeats its predecessor's bottom line, summary or key points, or cites nothing newer."""
    previous: dict[str, Briefing] = {}
    for b in archive.briefings:
        if b.story is None:
            continue
        before = previous.get(b.story)
        previous[b.story] = b
        if before is None or b.draft:
            continue
        for name in ("bottom_line", "summary"):
            mine, theirs = getattr(b, name), getattr(before, name)
            if mine and theirs and _plain(mine) == _plain(theirs):
                out.warn(
                    b.at(name),
                    name,
                    f"the same {name.replace('_', ' ')} as the previous briefing of the story, '{before.id}' "
                    f"({before.path}); write what is new as of {b.date}",
                )
        old_points = {_plain(p) for p in before.key_points if p}
        for i, point in enumerate(b.key_points):
            if point and _plain(point) in old_points:
                out.warn(
                    b.at("key_points", i),
                    f"key_points[{i}]",
                    f"the same key point as in the previous briefing of the story, '{before.id}'; keep it only "
                    "if it still matters most",
                )
        newest = max(
            (archive.sources[s].published.start for s in before.sources if s in archive.sources),
            default=None,
        )
        mine_newest = max(
            (archive.sources[s].published.start for s in b.sources if s in archive.sources),
            default=None,
        )
        if newest is not None and mine_newest is not None and mine_newest <= newest:
            out.warn(
                b.at("sources"),
                "sources",
                f"no source here is newer than those of the previous briefing of the story, '{before.id}'; "
                "add the source this update rests on",
            )


def _unused_sources(archive: Archive, out: Collector) -> None:
    cited = {s for b in archive.briefings for s in b.sources}
    for source in archive.sources.values():
        if source.has("id") and source.id not in cited:
            out.warn(
                source.at("id"),
                "id",
                f"source '{source.id}' is in no briefing's sources; cite it where it is used, or remove it",
            )


def _same_day(archive: Archive, out: Collector) -> None:
    """Two briefings of a story on one date and no ``order`` between them: the site would order them by id."""
    seen: dict[tuple[str, str, int | float], Briefing] = {}
    for b in archive.briefings:
        if b.story is None or not b.has("date"):
            continue
        key = (b.story, b.date.text, b.order or 0)
        other = seen.setdefault(key, b)
        if other is not b:
            where = "order" if b.has("order") else "date"
            out.warn(
                b.at(where),
                where,
                f"'{other.id}' of the same story has the same date, so the site would put them in the order of "
                "their ids; if both report that day, give each an order: line (order: 1 for the earlier, "
                "order: 2 for the later)",
            )


def _plain(text: str) -> str:
    return one_line(text).casefold()
