"""Typed records of the briefing format, and the archive that holds them all.

The fields of each record come from its declaration in schema.py; each class
also declares them as typed attributes, for the type checker and the reader,
and a test holds the two to the same names (tests/test_model.py). The classes
add the domain behaviour around them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, overload

from generator.format import schema
from generator.format.fieldtypes import DateValue, Ref
from generator.format.loader import Node
from generator.format.quotes import NormalText


@cache
def _defaults(record: schema.Record) -> tuple[tuple[str, bool], ...]:
    """(field name, whether it is a list) of a record kind: an absent list is empty, any other field None."""
    return tuple((f.name, is_list) for f, is_list, _ in schema.walk(record))


class RecordBase:
    """A validated record: one attribute per schema field, plus where it came from."""

    record: schema.Record

    def __init__(self, values: dict[str, Any], nodes: dict[str, Node], node: Node, where: str):
        for name, is_list in _defaults(self.record):
            value = values.get(name)
            setattr(self, name, [] if value is None and is_list else value)
        self.node = node
        """The mapping this record was read from (file, line, column)."""
        self.nodes = nodes
        """Field name → value node, for reporting problems at the right place."""
        self.where = where
        """Field path of the record in its file, e.g. ``claims[2]``."""

    @property
    def path(self) -> str:
        return self.node.path

    def at(self, name: str, index: int | None = None) -> Node:
        """Node of field ``name`` (or of its item ``index``), falling back to the record."""
        node = self.nodes.get(name, self.node)
        if index is not None and hasattr(node, "items") and isinstance(node.items, list):
            return node.items[index]
        return node

    def field_path(self, name: str, index: int | None = None) -> str:
        base = f"{self.where}.{name}" if self.where else name
        return base if index is None else f"{base}[{index}]"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '')} at {self.path}:{self.node.line}>"


class Quote(RecordBase):
    record = schema.QUOTE
    source: str
    exact: str
    prefix: str | None
    suffix: str | None
    by: str | None
    span: tuple[int, int] | None = None
    """Character offsets of the words in the source text, once verified."""

    @property
    def verified(self) -> bool:
        """Found word for word in the source's text."""
        return self.span is not None

    @property
    def anchor(self) -> str:
        """Anchor of the highlighted span on the source page ('' when not verified)."""
        return f"q-{self.span[0]}-{self.span[1]}" if self.span is not None else ""


class Readout(RecordBase):
    record = schema.READOUT
    by: str
    text: str
    quote: Quote | None


class Figure(RecordBase):
    record = schema.FIGURE
    value: int | float
    qualifier: str | None
    value_max: int | float | None
    unit: str
    date: DateValue | None
    by: str | None
    quote: Quote | None


class ClaimHistory(RecordBase):
    record = schema.CLAIM_HISTORY
    date: DateValue
    status: str
    note: str | None


class IssueHistory(RecordBase):
    record = schema.ISSUE_HISTORY
    date: DateValue
    status: str
    note: str | None


class Position(RecordBase):
    record = schema.POSITION
    actor: str
    position: str
    date: DateValue | None
    quote: Quote | None
    inferred: PositionInferred | None


class Review(RecordBase):
    """The desk's own verdict on a checkable claim (format 1.1)."""

    record = schema.REVIEW
    verdict: str
    rationale: str
    date: DateValue
    reviewer: str | None
    evidence: list[Quote]
    sources: list[str]


class CallInferred(RecordBase):
    record = schema.CALL_INFERRED
    call: str | None
    date: str | None
    initiator: str | None
    related: str | None


class ClaimInferred(RecordBase):
    record = schema.CLAIM_INFERRED
    date: str | None
    related: str | None


class PositionInferred(RecordBase):
    record = schema.POSITION_INFERRED
    date: str | None


class IssueInferred(RecordBase):
    record = schema.ISSUE_INFERRED
    related: str | None


class Change(RecordBase):
    record = schema.CHANGE
    date: DateValue
    note: str


class Thread(RecordBase):
    """A call, claim or open issue: identified by its id across briefings."""

    thread_kind = ""
    id: str
    briefing: Briefing
    """The briefing holding this record (set when that briefing is made)."""

    @property
    def anchor(self) -> str:
        return f"{self.thread_kind}-{self.id}"


class Call(Thread):
    record = schema.CALL
    thread_kind = "call"
    title: str | None
    date: DateValue
    kind: str
    participants: list[str]
    initiator: str | None
    location: str | None
    summary: str
    readouts: list[Readout]
    quotes: list[Quote]
    related: list[str]
    inferred: CallInferred | None


class Claim(Thread):
    record = schema.CLAIM
    thread_kind = "claim"
    title: str | None
    claimant: str
    kind: str | None
    date: DateValue
    statement: str
    status: str
    likelihood: str | None
    confidence: str | None
    quotes: list[Quote]
    disputes: list[str]
    supports: list[str]
    supersedes: list[str]
    figures: list[Figure]
    history: list[ClaimHistory]
    related: list[str]
    review: Review | None
    inferred: ClaimInferred | None

    @property
    def is_opinion(self) -> bool:
        """An opinion, characterisation or forecast: shown as such, never rated."""
        return self.kind is not None and self.kind != "fact"


class OpenIssue(Thread):
    record = schema.OPEN_ISSUE
    thread_kind = "issue"
    title: str
    status: str
    summary: str
    positions: list[Position]
    history: list[IssueHistory]
    related: list[str]
    inferred: IssueInferred | None


class Briefing(RecordBase):
    record = schema.BRIEFING
    id: str
    title: str
    date: DateValue
    story: str | None
    story_title: str | None
    status: str
    draft: bool | None
    """True while the briefing is being written: checked and previewed, never published (drafts.py)."""
    bottom_line: str | None
    summary: str
    key_points: list[str]
    tags: list[str]
    sources: list[str]
    calls: list[Call]
    claims: list[Claim]
    open_issues: list[OpenIssue]
    changes: list[Change]

    DEFAULT_STATUS = "developing"
    """The status of a briefing that gives none."""

    def __init__(self, values: dict[str, Any], nodes: dict[str, Node], node: Node, where: str):
        super().__init__(values, nodes, node, where)
        if self.status is None:
            self.status = self.DEFAULT_STATUS
        for t in self.threads():
            t.briefing = self

    def threads(self) -> Iterator[Thread]:
        yield from self.calls
        yield from self.claims
        yield from self.open_issues


class Actor(RecordBase):
    record = schema.ACTOR
    id: str
    name: str
    kind: str
    role: str | None
    country: str | None
    aliases: list[str]
    wikidata: str | None


class Source(RecordBase):
    record = schema.SOURCE
    id: str
    title: str
    headline: str | None
    publisher: str | None
    author: str | None
    published: DateValue
    url: str | None
    text: str | None
    body: str | None = None
    """The local text, when the source has one."""

    @property
    def shown_title(self) -> str:
        """The headline as published when recorded, else the title the desk gave it."""
        return self.headline or self.title


class ActorsFile(RecordBase):
    record = schema.ACTORS_FILE
    actors: list[Actor]


class SourcesFile(RecordBase):
    record = schema.SOURCES_FILE
    sources: list[Source]


CLASSES: dict[schema.Record, type[RecordBase]] = {
    cls.record: cls
    for cls in (
        Quote,
        Readout,
        Figure,
        ClaimHistory,
        IssueHistory,
        Position,
        Change,
        Review,
        CallInferred,
        ClaimInferred,
        PositionInferred,
        IssueInferred,
        Call,
        Claim,
        OpenIssue,
        Briefing,
        Actor,
        Source,
        ActorsFile,
        SourcesFile,
    )
}


@dataclass
class Page:
    """A hand-written page from content/pages/, published as it is."""

    name: str
    path: str
    text: str

    @property
    def title(self) -> str:
        """The first '# ' heading, or the file name."""
        for line in self.text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.name.replace("-", " ").capitalize()


@dataclass
class Archive:
    """Everything in the content folder, checked and cross-linked."""

    actors: dict[str, Actor] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    briefings: list[Briefing] = field(default_factory=list)
    """Sorted by date, then id (oldest first)."""
    pages: list[Page] = field(default_factory=list)
    files: int = 0
    texts: dict[str, NormalText | None] = field(default_factory=dict)
    """Source id → its local text in normal form, the text its quotes were placed in (None: no usable text)."""
    warnings: list = field(default_factory=list)
    """Warnings of the check (``Diagnostic``s with severity ``warning``), sorted; they fail nothing."""

    @overload
    def threads(self, kind: Literal["call"]) -> dict[str, list[Call]]: ...
    @overload
    def threads(self, kind: Literal["claim"]) -> dict[str, list[Claim]]: ...
    @overload
    def threads(self, kind: Literal["issue"]) -> dict[str, list[OpenIssue]]: ...

    def threads(self, kind: str) -> dict[str, Any]:
        """Thread id → its records in briefing order, for ``call``, ``claim`` or ``issue``."""
        out: dict[str, list[Thread]] = defaultdict(list)
        for b in self.briefings:
            for t in b.threads():
                if t.thread_kind == kind and t.id is not None:
                    out[t.id].append(t)
        return dict(out)

    def record_count(self) -> int:
        return (
            len(self.actors)
            + len(self.sources)
            + len(self.briefings)
            + sum(len(b.calls) + len(b.claims) + len(b.open_issues) for b in self.briefings)
        )


@cache
def _nested(record: schema.Record) -> tuple[tuple[str, bool], ...]:
    """(name, whether a list) of the fields of ``record`` that hold records, the places a quote can be."""
    return tuple(
        (f.name, is_list)
        for f, is_list, item in schema.walk(record)
        if isinstance(item, schema.Record)
    )


def quotes_of(rec: RecordBase) -> Iterator[Quote]:
    """Every quote in ``rec`` and its nested records, in field order."""
    for name, is_list in _nested(rec.record):
        value = getattr(rec, name)
        if value is None:
            continue
        for v in value if is_list else (value,):
            if type(v) is Quote:
                yield v
            else:
                yield from quotes_of(v)


def changed_positions(pairs) -> list[tuple[OpenIssue, Position]]:
    """(issue, position) pairs in briefing order, keeping a party's position on an issue only when it changed.

    Accepts an issue thread (positions of each record) or (issue, position) pairs.
    """
    if pairs and isinstance(pairs[0], OpenIssue):
        pairs = [(i, p) for i in pairs for p in i.positions]
    last: dict[tuple[str, str], str] = {}
    out = []
    for i, p in pairs:
        key = (i.id, p.actor)
        if last.get(key) != p.position:
            last[key] = p.position
            out.append((i, p))
    return out


@cache
def _plan(record: schema.Record) -> tuple[tuple[str, str, str], ...]:
    """The fields of ``record`` that hold references or nested records: (name, shape, target; '' for records).

    Computed once per record kind, so walking 20,000 claims costs no per-field type tests.
    """
    plan = []
    for f, is_list, item in schema.walk(record):
        if isinstance(item, Ref):
            plan.append((f.name, "refs" if is_list else "ref", item.target))
        elif isinstance(item, schema.Record):
            plan.append((f.name, "records" if is_list else "record", ""))
    return tuple(plan)


def references(rec: RecordBase) -> Iterator[tuple[str, str, RecordBase, str, int | None]]:
    """(target kind, id, record, field, index) of every reference in ``rec`` and its nested records."""
    for name, shape, target in _plan(rec.record):
        value = getattr(rec, name)
        if shape == "ref":
            if value is not None:
                yield target, value, rec, name, None
        elif shape == "refs":
            for i, v in enumerate(value):
                if v is not None:
                    yield target, v, rec, name, i
        elif shape == "record":
            if value is not None:
                yield from references(value)
        else:
            for v in value:
                yield from references(v)
