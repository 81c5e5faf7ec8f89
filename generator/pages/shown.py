"""What each page shows of the archive, so that an edit renders the pages it touches and no other.

A page shows a briefing whole when its context holds the briefing, and only its records when it holds one of
its records (a call, claim or open issue, shown with its briefing's id, title, date and story), or a record of
a thread whose latest two records are in it (a record is shown with its thread's latest status). Around its
rows a page has a frame: its title, description, tags, breadcrumb and the plain values of its context (the
periods it links with their counts, a list's counts by story). An edit changes the pages that show a changed
briefing, before or after it, and those whose frame changed; ``changed_briefings`` says which briefings an
edit changes (the edited ones, their neighbours, the latest records of the threads they name, every
briefing of a story whose latest briefing or title moved), and which of them only in their own text
(``TEXT_FIELDS``: an edit of the summary leaves the pages that show only the briefing's records as they
were). The live preview (``preview.py``) and an incremental generation (``output/generate.py``) both decide
from here.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from generator.format.loader import Mapping, Node, Scalar, Sequence
from generator.format.model import Briefing, Thread, named_ids

MENTION_DEPTH = 6
"""How deep a page's context is searched for briefings and records (a period's rows: (date, chain of records))."""
_PLAIN = (str, int, float, bool, type(None))
TEXT_FIELDS = frozenset({"bottom_line", "summary", "key_points"})
"""A briefing's own text: shown where the briefing is shown whole (its page, its story's, the lists of
briefings), never beside one of its records."""


class Shown(NamedTuple):
    """What a page shows of the archive (:func:`shown`)."""

    whole: frozenset[str]
    """The ids of the briefings it shows whole (any of their fields)."""
    records: frozenset[str]
    """The ids of the other briefings it shows records of, with their id, title, date and story."""
    frame: str
    """The digest of what it shows around its rows (:func:`frame`)."""


class Changed(NamedTuple):
    """What an edit changed (:func:`changed_briefings`)."""

    whole: frozenset[str]
    """The ids of the briefings whose pages and mentions the edit rewrites."""
    records: frozenset[str]
    """Those of them whose records, or what a record is shown with, it may have changed: every one but an
    edited briefing whose edit changed only its own text, and what that edit alone brings in."""


def records_digest(briefing: Briefing) -> str:
    """A digest of all that a briefing's file says but its own text (:data:`TEXT_FIELDS`): its id, title, date,
    story and the rest of its head, and every record. Two versions with the same digest show their records
    alike on every page. The same in every process."""
    said: list[str] = []
    node = briefing.node
    top = node.items.items() if isinstance(node, Mapping) else ()
    for key, (_, value) in top:
        if key not in TEXT_FIELDS:
            said.append(key)
            _said(value, said)
    return hashlib.sha256("\x1f".join(said).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _said(node: Node, said: list[str]) -> None:
    """The values of ``node``, in order, with their structure (no places: a moved line says the same)."""
    stack: list[Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            said.append(item)
        elif isinstance(item, Scalar):
            said.append("=" + item.value)
        elif isinstance(item, Sequence):
            said.append("[")
            stack.append("]")
            stack.extend(reversed(item.items))
        elif isinstance(item, Mapping):
            said.append("{")
            stack.append("}")
            for key, (_, value) in reversed(item.items.items()):
                stack.extend((value, ":" + key))
        else:
            said.append("?" + type(item).__name__)


def story_marks(index) -> dict[str, str]:
    """Each story's latest briefing and title: when either changes, every briefing of the story counts as edited."""
    marks = {}
    for story, chain in index.stories.items():
        marks[story] = chain[-1].id
        marks[f"title:{story}"] = index.story_title(story)
    return marks


def changed_briefings(
    edited: list[Briefing],
    index,
    marks: dict,
    marks_before: dict,
    text_only: frozenset[str] = frozenset(),
) -> Changed:
    """The ids whose pages and mentions an edit rewrites: the edited briefings, their neighbours in their story
    (whose "What changed" compares with them), the latest records of the threads they name, and every
    briefing of a story whose latest briefing or title moved; and which of them may show their records
    otherwise: all but what the edits of ``text_only`` (ids of edited briefings whose :func:`records_digest`
    is the same before and after) bring in."""
    whole = _touched(edited, index)
    records = _touched([b for b in edited if b.id not in text_only], index)
    for key in marks.keys() | marks_before.keys():
        if marks.get(key) != marks_before.get(key):
            story = {b.id for b in index.stories.get(key.removeprefix("title:"), ())}
            whole |= story
            records |= story
    return Changed(frozenset(whole), frozenset(records))


def _touched(edited: list[Briefing], index) -> set[str]:
    ids = {b.id for b in edited}
    for bid in list(ids):
        ids |= {n.id for n in (index.previous.get(bid), index.next.get(bid)) if n is not None}
    families = (index.claims, index.issues, index.calls)
    for text in {t for b in edited for t in named_ids(b)}:
        for family in families:
            ids |= {r.briefing.id for r in family.get(text, ())[-2:]}
    return ids


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


_SKIP, _BRIEFING, _THREAD, _DICT, _LIST = (
    ("skip",),
    ("briefing",),
    ("thread",),
    ("dict",),
    ("list",),
)
_KINDS: dict[type, tuple[str, ...]] = {}


def _kind(t: type) -> tuple[str, ...]:
    """How :func:`shown` looks into a value of type ``t``: one of the markers above, or, for a dataclass, the
    names of its fields (worked out once a type)."""
    kind = _KINDS.get(t)
    if kind is None:
        if issubclass(t, Briefing):
            kind = _BRIEFING
        elif issubclass(t, Thread):
            kind = _THREAD
        elif t is dict:
            kind = _DICT
        elif t is list or t is tuple:
            kind = _LIST
        elif hasattr(t, "__dataclass_fields__"):
            kind = tuple(t.__dataclass_fields__)
        else:
            kind = _SKIP
        _KINDS[t] = kind
    return kind


def shown(page, index) -> Shown:
    """What a page shows: the briefings in its context (whole), those of the records in it and those holding the
    latest two records of each thread it shows a record of (a record is shown with its thread's latest
    status), and its frame."""
    found: set[str] = set()
    held: set[str] = set()
    threads: set[tuple[str, str]] = set()
    stack = [(v, MENTION_DEPTH) for k, v in page.context.items() if k != "index"]
    # a value met again (a story's changes are in each of its rows) is looked into again only with more
    # depth left than the first time
    expanded: dict[int, int] = {}
    while stack:
        value, depth = stack.pop()
        kind = _kind(type(value))
        if kind is _SKIP:
            continue
        if kind is _BRIEFING:
            found.add(value.id)
        elif kind is _THREAD:
            held.add(value.briefing.id)
            threads.add((value.thread_kind, value.id))
        elif depth > expanded.get(id(value), 0):
            expanded[id(value)] = depth
            if kind is _DICT:
                stack.extend((item, depth - 1) for item in value.values())
            elif kind is _LIST:
                stack.extend((item, depth - 1) for item in value)
            else:  # a dataclass: its fields' names (e.g. what changed between two briefings)
                stack.extend((getattr(value, name), depth - 1) for name in kind)
    families = {"claim": index.claims, "issue": index.issues, "call": index.calls}
    for thread_kind, tid in threads:
        held.update(r.briefing.id for r in families[thread_kind].get(tid, ())[-2:])
    return Shown(frozenset(found), frozenset(held - found), frame(page))


def touched(now: Shown, old: Shown, changed: Changed) -> bool:
    """Whether a page that showed ``old`` and shows ``now`` shows what an edit changed: a changed briefing whole,
    the records of one whose records may have changed, or another frame."""
    return bool(
        now.frame != old.frame
        or (now.whole | old.whole) & changed.whole
        or (now.records | old.records) & changed.records
    )


def to_render(
    pages, shows: dict[str, Shown], before: dict[str, Shown], changed: Changed, directory_urls: bool
) -> list:
    """The pages an edit renders: every summary page, a page new since ``before``, and one :func:`touched` by
    it. ``shows`` and ``before``: docs file → what it shows, now and at the last generation."""
    chosen = []
    for page in pages:
        rel = page.file(directory_urls)
        old = before.get(rel)
        if page.summary or old is None or touched(shows[rel], old, changed):
            chosen.append(page)
    return chosen
