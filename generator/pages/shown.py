"""What each page shows of the archive, so that an edit renders the pages it touches and no other.

A page shows a briefing when its context holds the briefing or one of its records, or a record of a thread
whose latest two records are in it (a record is shown with its thread's latest status). Around its rows a
page has a frame: its title, description, tags, breadcrumb and the plain values of its context (the periods
it links with their counts, a list's counts by story). An edit changes the pages that show a changed
briefing, before or after it, and those whose frame changed; ``changed_briefings`` says which briefings an
edit changes (the edited ones, their neighbours, the latest records of the threads they name, every
briefing of a story whose latest briefing or title moved). The live preview (``preview.py``) and an
incremental generation (``output/generate.py``) both decide from here.
"""

from __future__ import annotations

import hashlib

from generator.format.model import Briefing, Thread, named_ids

MENTION_DEPTH = 6
"""How deep a page's context is searched for briefings and records (a period's rows: (date, chain of records))."""
_PLAIN = (str, int, float, bool, type(None))


def story_marks(index) -> dict[str, str]:
    """Each story's latest briefing and title: when either changes, every briefing of the story counts as edited."""
    marks = {}
    for story, chain in index.stories.items():
        marks[story] = chain[-1].id
        marks[f"title:{story}"] = index.story_title(story)
    return marks


def changed_briefings(
    edited: list[Briefing], index, marks: dict, marks_before: dict
) -> frozenset[str]:
    """The ids whose pages and mentions an edit rewrites: the edited briefings, their neighbours in their story
    (whose "What changed" compares with them), the latest records of the threads they name, and every
    briefing of a story whose latest briefing or title moved."""
    ids = {b.id for b in edited}
    for bid in list(ids):
        ids |= {n.id for n in (index.previous.get(bid), index.next.get(bid)) if n is not None}
    families = (index.claims, index.issues, index.calls)
    for text in {t for b in edited for t in named_ids(b)}:
        for family in families:
            ids |= {r.briefing.id for r in family.get(text, ())[-2:]}
    for key in marks.keys() | marks_before.keys():
        if marks.get(key) != marks_before.get(key):
            ids |= {b.id for b in index.stories.get(key.removeprefix("title:"), ())}
    return frozenset(ids)


def _plain(value, depth: int = 4) -> bool:
    """Whether ``value`` is text, numbers and lists or mappings of them: data a page prints as it is."""
    if isinstance(value, _PLAIN):
        return True
    if depth and isinstance(value, list | tuple):
        return all(_plain(v, depth - 1) for v in value)
    if depth and isinstance(value, dict):
        return all(_plain(k, 0) and _plain(v, depth - 1) for k, v in value.items())
    return False


def frame(page) -> str:
    """A digest of what a page shows around its rows: its title, description, tags, breadcrumb, and every
    plain value of its context (the periods it links with their counts, counts by story, a tag's name); the
    same in every process."""
    said = [page.title, page.description, page.tags, page.crumbs, page.kind]
    said += [(k, v) for k, v in sorted(page.context.items()) if k != "index" and _plain(v)]
    return hashlib.sha256(repr(said).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def shown_briefings(page, index) -> frozenset[str]:
    """The ids of the briefings a page shows: those in its context, and those holding the latest two records of
    each thread it shows a record of (a record is shown with its thread's latest status)."""
    found: set[str] = set()
    threads: set[tuple[str, str]] = set()
    stack = [(v, MENTION_DEPTH) for k, v in page.context.items() if k != "index"]
    # a value met again (a story's changes are in each of its rows) is looked into again only with more
    # depth left than the first time
    expanded: dict[int, int] = {}
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is list or kind is tuple or kind is dict:
            if depth > expanded.get(id(value), 0):
                expanded[id(value)] = depth
                items = value.values() if kind is dict else value
                stack.extend((item, depth - 1) for item in items)
        elif isinstance(value, Briefing):
            found.add(value.id)
        elif isinstance(value, Thread):
            found.add(value.briefing.id)
            threads.add((value.thread_kind, value.id))
        elif depth > expanded.get(id(value), 0) and hasattr(kind, "__dataclass_fields__"):
            expanded[id(value)] = depth  # e.g. what changed between two briefings
            stack.extend((getattr(value, name), depth - 1) for name in kind.__dataclass_fields__)
    families = {"claim": index.claims, "issue": index.issues, "call": index.calls}
    for thread_kind, tid in threads:
        found.update(r.briefing.id for r in families[thread_kind].get(tid, ())[-2:])
    return frozenset(found)


def to_render(
    pages, shows: dict, before: dict, changed: frozenset[str], directory_urls: bool
) -> list:
    """The pages an edit renders: every summary page, a page new since ``before``, one whose frame changed,
    and one that shows a changed briefing now or showed one before. ``shows`` and ``before``: docs file →
    (briefing ids shown, frame), now and at the last generation."""
    chosen = []
    for page in pages:
        rel = page.file(directory_urls)
        now, old = shows[rel], before.get(rel)
        if page.summary or old is None or now[1] != old[1] or (now[0] | old[0]) & changed:
            chosen.append(page)
    return chosen
