"""Drafts: a briefing being written is checked and previewed, never published.

``briefing new`` writes ``draft: true`` and placeholder text where the editor
has to write. ``briefing check`` warns about both (the run passes: a draft is
work in progress), and ``briefing build`` leaves every draft out of the site
(``published_only``): no page, and no mention in an index, feed, data file,
timeline, search or what-changed list. Removing the ``draft`` line publishes it.

Two rules keep what is published whole:

- Placeholder text in a briefing that is not a draft is an error. The file
  says it is ready while it holds words written for the editor, not the
  reader; leaving it out of the site silently would hide a briefing its
  editor believes is published, and publishing it would show the placeholder.
- A published briefing must not depend on a draft: a ``related``,
  ``disputes``, ``supports`` or ``supersedes`` id naming a call, claim or open
  issue found only in drafts is an error, since the link would lead nowhere.
  What changed is computed between published briefings only, so a draft
  between two published briefings of a story is skipped as if it were not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from generator.errors import Collector
from generator.format.fieldtypes import Text
from generator.format.model import (
    Archive,
    Briefing,
    FoundOnce,
    RecordBase,
    references,
    thread_references,
)
from generator.format.schema import walk

SUMMARY_PLACEHOLDER = "Bottom line up front: replace this with what a reader must know first."
UPDATE_NOTE = "Update of {previous}: replace this note with what changed."
"""The placeholders ``briefing new`` writes (scaffold.py); each holds one of the ``PLACEHOLDER_MARKS``."""
PLACEHOLDER_MARKS = re.compile(
    r"replace this with what a reader must know first|replace this note with what changed|^Replace this: "
)
"""What identifies placeholder text, also when the editor wrote around it without removing it."""

DRAFT_WARNING = "this briefing is a draft: briefing build leaves it out of the site; delete this line to publish it"
PLACEHOLDER_IN_DRAFT = (
    "still the placeholder text written by briefing new; replace it before publishing"
)
PLACEHOLDER_PUBLISHED = (
    "still the placeholder text written by briefing new, in a briefing that would be published; "
    "replace it, or add 'draft: true' until the briefing is ready"
)


def published_only(archive: Archive) -> Archive:
    """The archive as the site shows it: every briefing but the drafts, and every actor and source but those
    that only drafts name (an embargoed source's text would otherwise be published on its own page)."""
    if not any(b.draft for b in archive.briefings):
        return archive
    actors, sources = draft_only(archive)
    return replace(
        archive,
        briefings=[b for b in archive.briefings if not b.draft],
        actors={k: v for k, v in archive.actors.items() if k not in actors},
        sources={k: v for k, v in archive.sources.items() if k not in sources},
        texts={k: v for k, v in archive.texts.items() if k not in sources},
    )


def draft_only(archive: Archive) -> tuple[dict[str, Briefing], dict[str, Briefing]]:
    """Actors and sources that draft briefings name and no published briefing does, each with the first draft
    that names it."""
    named: dict[str, dict[str, Briefing]] = {"actor": {}, "source": {}}
    published: set[tuple[str, str]] = set()
    for b in archive.briefings:
        for target, ref, _rec, _name, _i in references(b):
            kind = _registry_of(archive, target, ref)
            if kind is None:
                continue
            if b.draft:
                named[kind].setdefault(ref, b)
            else:
                published.add((kind, ref))
    actors, sources = (
        {ref: b for ref, b in named[kind].items() if (kind, ref) not in published}
        for kind in ("actor", "source")
    )
    return actors, sources


def _registry_of(archive: Archive, target: str, ref: str) -> str | None:
    """The registry a reference names an entry of, as the check resolves it (a claimant: an actor first)."""
    if target in ("actor", "claimant") and ref in archive.actors:
        return "actor"
    if target in ("source", "claimant") and ref in archive.sources:
        return "source"
    return None


def check_drafts(archive: Archive, out: Collector) -> None:
    for b in archive.briefings:
        if b.draft:
            out.warn(b.at("draft"), "draft", DRAFT_WARNING)
        for rec, name, index in placeholders_of(b):
            if b.draft:
                out.warn(rec.at(name, index), rec.field_path(name, index), PLACEHOLDER_IN_DRAFT)
            else:
                out.at(rec.at(name, index), rec.field_path(name, index), PLACEHOLDER_PUBLISHED)
    _links_into_drafts(archive, out)
    actors, sources = draft_only(archive)
    for kind, entries, registry in (
        ("actor", actors, archive.actors),
        ("source", sources, archive.sources),
    ):
        for ref, b in entries.items():
            out.warn(
                registry[ref].at("id"),
                "id",
                f"{kind} '{ref}' is named only by draft briefings (first '{b.id}', {b.path}): the site leaves "
                "it out, its page and every mention, until one of them is published",
            )


def placeholders_of(b: Briefing) -> list[tuple[RecordBase, str, int | None]]:
    """The placeholders of a briefing, found once per record: a preview hands back the record of an unchanged
    file (check/content.py's ``reuse``), and a save then does not walk its every text again."""
    return _FOUND(b)


def keep_placeholders(b: Briefing, found: list[tuple]) -> None:
    """``b``'s placeholders as :func:`placeholders_of` found them in a run that kept the record (stored.py)."""
    _FOUND.keep(b, found)


def _placeholders(rec: RecordBase) -> Iterator[tuple[RecordBase, str, int | None]]:
    """(record, field, index) of every text in ``rec`` and its nested records that the editor was asked to
    replace and did not (the skeleton of ``briefing new`` puts such text in every part it stubs)."""
    for f, is_list, item in walk(rec.record):
        value = getattr(rec, f.name)
        if value is None:
            continue
        values = list(enumerate(value)) if is_list else [(None, value)]
        for i, v in values:
            if isinstance(item, Text) and isinstance(v, str) and PLACEHOLDER_MARKS.search(v):
                yield rec, f.name, i
            elif isinstance(v, RecordBase):
                yield from _placeholders(v)


_FOUND = FoundOnce(_placeholders, holder=0)
"""Each briefing's placeholders, found once (:func:`placeholders_of`); ``check/stored.py`` keeps them with it."""


def _links_into_drafts(archive: Archive, out: Collector) -> None:
    """A published briefing's link to a thread that only drafts carry: it would lead nowhere on the site."""
    drafts = [b for b in archive.briefings if b.draft]
    if not drafts:
        return
    in_published = {t.id for b in archive.briefings if not b.draft for t in b.threads()}
    only_in_draft: dict[str, Briefing] = {}
    for b in drafts:
        for t in b.threads():
            if t.id is not None and t.id not in in_published:
                only_in_draft.setdefault(t.id, b)
    for b in archive.briefings:
        if b.draft:
            continue
        for t, name, i, ref in thread_references(b):
            draft = only_in_draft.get(ref)
            if draft is not None:
                out.at(
                    t.at(name, i),
                    t.field_path(name, i),
                    f"'{ref}' is only in the draft briefing '{draft.id}' ({draft.path}), so this published "
                    f"briefing would link to nothing; publish '{draft.id}' (delete its draft line) or remove "
                    "the link",
                )
