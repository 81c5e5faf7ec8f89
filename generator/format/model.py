"""Typed records of the briefing format, each declared once, and the archive that holds them all.

Each field of the format is one line of its record's class: the typed attribute
that code reads, with the field's declaration (``Field``: its type in the
format, its description, whether it is required). ``schema.Record`` is derived
from the class (``Claim.record``), and validation, the JSON Schemas, the format
reference and the YAML writer read that. The classes add the domain behaviour
around their fields.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, overload

from generator.format import schema
from generator.format.fieldtypes import (
    Date,
    DateValue,
    Enum,
    FieldType,
    Flag,
    Id,
    ListOf,
    Number,
    OneOrMore,
    Pattern,
    Ref,
    SeedPath,
    Speakers,
    Url,
)
from generator.format.loader import Node
from generator.format.quotes import NormalText
from generator.format.schema import (
    ACTOR_KINDS,
    BRIEFING_STATUSES,
    CALL_KINDS,
    CALL_STATUSES,
    CLAIM_KINDS,
    CONFIDENCES,
    EVIDENCE_STATUSES,
    FIGURE_QUALIFIERS,
    ISSUE_STATUSES,
    LABEL,
    LIKELIHOODS,
    LINE,
    PARAGRAPHS,
    REVIEW_VERDICTS,
)


def Field(  # noqa: N802 - reads as a declaration, as MkDocs' config options do
    type_: FieldType | ListOf | schema.Record, doc: str, required: bool = False
) -> Any:
    """A field of the format, declared where its typed attribute is::

        quote: Quote | None = Field(Quote.record, "The words this value rests on.")

    Its name is the attribute's. A record with a missing or invalid required field is still made (the field is
    None) so that every error of a run is reported; nothing is rendered while any error stands."""
    return schema.Field(type_, doc, required)


CLASSES: dict[schema.Record, type[RecordBase]] = {}
"""Record kind → the class that declares it."""


@cache
def _defaults(record: schema.Record) -> tuple[tuple[str, bool], ...]:
    """(field name, whether it is a list) of a record kind: an absent list is empty, any other field None."""
    return tuple((f.name, is_list) for f, is_list, _ in schema.walk(record))


class RecordBase:
    """A validated record: one attribute per schema field, plus where it came from."""

    record: schema.Record

    def __init_subclass__(cls, name: str = "", doc: str = "", **kwargs: Any) -> None:
        """A class given a record ``name`` (``class Claim(Thread, name="claim", doc=…)``) declares that record
        kind: its fields are its ``Field`` attributes, in the order written."""
        super().__init_subclass__(**kwargs)
        if name:
            fields = tuple(v for v in vars(cls).values() if isinstance(v, schema.Field))
            cls.record = schema.Record(name, doc, fields)
            CLASSES[cls.record] = cls

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

    def has(self, name: str) -> bool:
        """Whether field ``name`` holds a value. A required field read with an error holds None (its type says
        what it holds once the check passed): a rule that runs on records with errors asks this first."""
        return getattr(self, name) is not None

    def field_path(self, name: str, index: int | None = None) -> str:
        base = f"{self.where}.{name}" if self.where else name
        return base if index is None else f"{base}[{index}]"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '')} at {self.path}:{self.node.line}>"


class Quote(
    RecordBase, name="quote", doc="Exact words from a source, verified against its local text."
):
    source: str = Field(Ref(target="source"), "Id of the source the words are in.", required=True)
    exact: str = Field(LINE, "The quoted words, as in the source.", required=True)
    prefix: str | None = Field(
        LINE, "Words right before the quote, to pick one of several matches."
    )
    suffix: str | None = Field(LINE, "Words right after the quote, to pick one of several matches.")
    by: str | None = Field(
        Ref(target="actor"), "Who spoke the words, where that is not the record's own actor."
    )
    translation: str | None = Field(
        LINE,
        "The words are a translation: from what language and by whom, e.g. 'from Khmer, by the publisher'; "
        "shown beside the quote.",
    )
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


class Readout(RecordBase, name="readout", doc="One side's characterisation of a call."):
    by: Speakers = Field(
        OneOrMore(Ref(target="actor"), all_key="speakers"),
        "Actor whose readout this is.",
        required=True,
    )
    text: str = Field(LINE, "Their characterisation, e.g. 'fruitful'.", required=True)
    quote: Quote | None = Field(Quote.record, "The words this readout rests on.")


class Figure(RecordBase, name="figure", doc="A number as it was reported at one time."):
    value: int | float | None = Field(
        Number(),
        "The number reported (the low end of a range); left out only for a vague quantity (qualifier "
        "several, dozens, hundreds or thousands).",
    )
    qualifier: str | None = Field(
        Enum(values=FIGURE_QUALIFIERS),
        "How the number was put: about, at-least, more-than, up-to, fewer-than (default: exactly); or a vague "
        "quantity without a number: several, dozens, hundreds, thousands.",
    )
    value_max: int | float | None = Field(
        Number(), "The high end, when a range was reported (value to value_max)."
    )
    unit: str = Field(LABEL, "What is counted, e.g. 'drones'.", required=True)
    date: DateValue | None = Field(
        Date(unknown=True), "When this value was reported (unknown when the source gives no date)."
    )
    by: str | None = Field(
        Ref(target="claimant"),
        "Who reported this value: an actor, or a source (shown 'as reported by' its publisher).",
    )
    quote: Quote | None = Field(Quote.record, "The words this value rests on.")


class ClaimHistory(RecordBase, name="claim history entry", doc="An earlier status of the claim."):
    date: DateValue = Field(Date(), "When the status applied.", required=True)
    status: str = Field(Enum(values=EVIDENCE_STATUSES), "The status at that date.", required=True)
    note: str | None = Field(LINE, "Why it changed.")


class IssueHistory(
    RecordBase, name="open issue history entry", doc="An earlier status of the open issue."
):
    date: DateValue = Field(Date(), "When the status applied.", required=True)
    status: str = Field(Enum(values=ISSUE_STATUSES), "The status at that date.", required=True)
    note: str | None = Field(LINE, "Why it changed.")


class CallInferred(
    RecordBase,
    name="call inferences",
    doc="Parts of the call the desk inferred; each note says from what.",
):
    call: str | None = Field(
        LINE, "The call itself is inferred, not reported (e.g. \"implied by 'second call'\")."
    )
    date: str | None = Field(LINE, 'The date is inferred (e.g. "from the article\'s dateline").')
    initiator: str | None = Field(LINE, "The initiator is inferred, not reported.")
    related: str | None = Field(
        LINE, "The links in related are the desk's inference, not the source's."
    )


class ClaimInferred(
    RecordBase,
    name="claim inferences",
    doc="Parts of the claim the desk inferred; each note says from what.",
):
    date: str | None = Field(LINE, 'The date is inferred (e.g. "from the article\'s dateline").')
    related: str | None = Field(
        LINE, "The links in related are the desk's inference, not the source's."
    )


class PositionInferred(
    RecordBase,
    name="position inferences",
    doc="Parts of the position the desk inferred; each note says from what.",
):
    date: str | None = Field(LINE, 'The date is inferred (e.g. "from the article\'s dateline").')


class IssueInferred(
    RecordBase,
    name="open issue inferences",
    doc="Parts of the open issue the desk inferred; each note says from what.",
):
    related: str | None = Field(
        LINE, "The links in related are the desk's inference, not the source's."
    )


class Review(
    RecordBase, name="review", doc="The desk's own verdict on a checkable claim, and on what basis."
):
    """The desk's own verdict on a checkable claim (format 1.1)."""

    verdict: str = Field(Enum(values=REVIEW_VERDICTS), "The desk's verdict.", required=True)
    claim_reviewed: str | None = Field(
        LINE,
        "The assertion the desk rated, in plain words (not 'X accused Y of …' but what X asserts); published as "
        "the ClaimReview's claimReviewed (default: the claim's statement, with a warning).",
    )
    rationale: str = Field(
        PARAGRAPHS, "What was checked, against what; published as the review's text.", required=True
    )
    date: DateValue = Field(
        Date(day_only=True), "When the desk reviewed the claim, YYYY-MM-DD.", required=True
    )
    reviewer: str | None = Field(LABEL, "Who on the desk reviewed it.")
    evidence: list[Quote] = Field(ListOf(Quote.record), "Quoted words the verdict rests on.")
    sources: list[str] = Field(ListOf(Ref(target="source")), "Ids of sources checked.")


class Position(RecordBase, name="position", doc="One party's stance on an open issue."):
    actor: str = Field(Ref(target="actor"), "The party.", required=True)
    position: str = Field(LINE, "Their stance, neutrally stated.", required=True)
    date: DateValue | None = Field(
        Date(unknown=True), "When they took this stance (unknown when the source gives no date)."
    )
    quote: Quote | None = Field(Quote.record, "The words this position rests on.")
    inferred: PositionInferred | None = Field(
        PositionInferred.record, "What the desk inferred here rather than read in a source."
    )


class Change(RecordBase, name="change", doc="One entry of a briefing's change log."):
    date: DateValue = Field(Date(day_only=True), "When the briefing changed.", required=True)
    note: str = Field(LINE, "What changed.", required=True)


class Thread(RecordBase):
    """A call, claim or open issue: identified by its id across briefings."""

    thread_kind = ""
    id: str
    briefing: Briefing
    """The briefing holding this record (set when that briefing is made)."""

    @property
    def anchor(self) -> str:
        return f"{self.thread_kind}-{self.id}"


class Call(
    Thread,
    name="call",
    doc="A diplomatic contact: phone call, video call, meeting, visit, talks or message.",
):
    thread_kind = "call"
    id: str = Field(
        Id(),
        "Id of the call, unique in its briefing; the same id later is the same call.",
        required=True,
    )
    title: str | None = Field(
        LABEL, "Short headline of the call (optional; defaults to its kind, participants and date)."
    )
    date: DateValue = Field(
        Date(unknown=True),
        "When it took place (day, month or year; START/END for a range).",
        required=True,
    )
    kind: str = Field(Enum(values=CALL_KINDS), "What kind of contact it was.", required=True)
    status: str | None = Field(
        Enum(values=CALL_STATUSES),
        "held (default), planned, postponed or cancelled: a contact that did not (yet) take place is shown as "
        "such and never listed or counted as one that did.",
    )
    participants: list[str] = Field(
        ListOf(Ref(target="actor"), min_items=2),
        "Actor ids of those taking part (at least 2).",
        required=True,
    )
    initiator: str | None = Field(
        Ref(target="actor"), "Who initiated it, where known; one of the participants."
    )
    location: str | None = Field(LABEL, "Where it took place.")
    summary: str = Field(PARAGRAPHS, "What happened; paragraphs allowed.", required=True)
    readouts: list[Readout] = Field(ListOf(Readout.record), "Each side's characterisation.")
    quotes: list[Quote] = Field(ListOf(Quote.record), "Quoted words about the call.")
    related: list[str] = Field(
        ListOf(Ref(target="thread")), "Ids of claims or open issues this call touched."
    )
    inferred: CallInferred | None = Field(
        CallInferred.record, "What the desk inferred here rather than read in a source."
    )

    @property
    def held(self) -> bool:
        """The contact took place (status held, or none given)."""
        return self.status in (None, "held")


class Claim(Thread, name="claim", doc="Who asserts what, and how well it is supported."):
    thread_kind = "claim"
    id: str = Field(
        Id(),
        "Id of the claim, unique in its briefing; the same id later is the same claim.",
        required=True,
    )
    title: str | None = Field(
        LABEL, "Short headline of the claim (optional; defaults to the statement's first sentence)."
    )
    claimant: Speakers = Field(
        OneOrMore(Ref(target="claimant"), all_key="claimants"),
        "Actor who makes the claim.",
        required=True,
    )
    kind: str | None = Field(
        Enum(values=CLAIM_KINDS),
        "fact (checkable), opinion, characterisation or forecast; only a fact can be reviewed.",
    )
    date: DateValue = Field(
        Date(unknown=True),
        "When it was asserted.",
        required=True,
    )
    statement: str = Field(
        PARAGRAPHS, "What is asserted, neutrally; paragraphs allowed.", required=True
    )
    status: str = Field(Enum(values=EVIDENCE_STATUSES), "Evidence status.", required=True)
    likelihood: str | None = Field(
        Enum(values=LIKELIHOODS), "ICD 203 likelihood words, kept apart from confidence."
    )
    confidence: str | None = Field(
        Enum(values=CONFIDENCES), "Analytic confidence in the judgement."
    )
    quotes: list[Quote] = Field(ListOf(Quote.record), "Quoted words the claim rests on.")
    disputes: list[str] = Field(ListOf(Ref(target="claim")), "Ids of claims this one disputes.")
    supports: list[str] = Field(ListOf(Ref(target="claim")), "Ids of claims this one supports.")
    supersedes: list[str] = Field(ListOf(Ref(target="claim")), "Ids of claims this one supersedes.")
    figures: list[Figure] = Field(
        ListOf(Figure.record), "A number as it was reported over time, e.g. a drone count."
    )
    history: list[ClaimHistory] = Field(ListOf(ClaimHistory.record), "Earlier evidence statuses.")
    related: list[str] = Field(
        ListOf(Ref(target="thread")), "Ids of calls, claims or open issues this claim touches."
    )
    review: Review | None = Field(
        Review.record,
        "The desk's own verdict, for a checkable claim it reviewed; only then is a ClaimReview published.",
    )
    inferred: ClaimInferred | None = Field(
        ClaimInferred.record, "What the desk inferred here rather than read in a source."
    )

    @property
    def evidence_status(self) -> str | None:
        """The evidence status where it means something: on a fact, or a claim of no stated kind. An opinion,
        characterisation or forecast is shown as what it is, never with a status, on every page and data file."""
        return None if self.is_opinion else self.status

    @property
    def is_opinion(self) -> bool:
        """An opinion, characterisation or forecast: shown as such, never rated."""
        return self.kind is not None and self.kind != "fact"


class OpenIssue(Thread, name="open issue", doc="An unresolved point of negotiation."):
    thread_kind = "issue"
    id: str = Field(
        Id(),
        "Id of the issue, e.g. 'territory'; the same id later is the same issue.",
        required=True,
    )
    title: str = Field(LABEL, "Short name of the issue.", required=True)
    status: str = Field(Enum(values=ISSUE_STATUSES), "Where the issue stands.", required=True)
    summary: str = Field(PARAGRAPHS, "What is at stake; paragraphs allowed.", required=True)
    positions: list[Position] = Field(ListOf(Position.record), "Each party's stance.")
    history: list[IssueHistory] = Field(ListOf(IssueHistory.record), "Earlier statuses.")
    related: list[str] = Field(
        ListOf(Ref(target="thread")), "Ids of calls or claims that moved the issue."
    )
    inferred: IssueInferred | None = Field(
        IssueInferred.record, "What the desk inferred here rather than read in a source."
    )


class Briefing(RecordBase, name="briefing", doc="One briefing on a story, as of a date."):
    id: str = Field(Id(), "Id of the briefing; equals the file name without .yaml.", required=True)
    title: str = Field(LABEL, "Headline of the briefing.", required=True)
    date: DateValue = Field(Date(day_only=True), "The 'as of' date, YYYY-MM-DD.", required=True)
    story: str | None = Field(Id(), "Id of the story this briefing belongs to.")
    order: int | None = Field(
        Number(),
        "Which comes first among the story's briefings of one date: 1, 2, … (without it: by id).",
    )
    story_title: str | None = Field(
        LABEL,
        "Name of the story, shown on its pages; the latest briefing's wins (default: the story id).",
    )
    status: str = Field(Enum(values=BRIEFING_STATUSES), "developing (default), stable or archived.")
    draft: bool | None = Field(
        Flag(),
        "true while the briefing is being written: checked and previewed, never published; delete the line to publish it.",
    )
    bottom_line: str | None = Field(
        LINE,
        "The bottom line in one sentence (at most 300 characters), shown first; summary then becomes the context.",
    )
    summary: str = Field(PARAGRAPHS, "Bottom line up front; paragraphs allowed.", required=True)
    key_points: list[str] = Field(
        ListOf(LINE), "The points a reader must not miss; they do not repeat the bottom line."
    )
    tags: list[str] = Field(ListOf(Id()), "Tag ids, e.g. 'security-guarantees'.")
    sources: list[str] = Field(
        ListOf(Ref(target="source"), min_items=1),
        "Ids of the sources this briefing draws on.",
        required=True,
    )
    calls: list[Call] = Field(ListOf(Call.record), "Diplomatic contacts.")
    claims: list[Claim] = Field(ListOf(Claim.record), "Claims and their evidence status.")
    open_issues: list[OpenIssue] = Field(
        ListOf(OpenIssue.record), "Unresolved points of negotiation."
    )
    changes: list[Change] = Field(ListOf(Change.record), "Change log of this briefing.")
    DEFAULT_STATUS = "developing"
    """The status of a briefing that gives none."""

    def __init__(self, values: dict[str, Any], nodes: dict[str, Node], node: Node, where: str):
        super().__init__(values, nodes, node, where)
        if not self.has("status"):
            self.status = self.DEFAULT_STATUS
        for t in self.threads():
            t.briefing = self
        if self.has("date"):
            self._date_the_undated()

    def _date_the_undated(self) -> None:
        """A record whose date is unknown sorts with this briefing: its date keeps the text 'unknown' and
        takes this briefing's day for its place in lists."""
        dated: list[Any] = [*self.calls, *self.claims]
        dated += [f for c in self.claims for f in c.figures]
        dated += [p for i in self.open_issues for p in i.positions]
        for rec in dated:
            if rec.date is not None and rec.date.unknown:
                rec.date = DateValue(self.date.start, self.date.end, rec.date.text)

    @property
    def sort_key(self) -> tuple[str, int | float, str]:
        """Where the briefing stands in its archive: by date, then ``order`` within a day, then id."""
        return (str(self.date or ""), self.order or 0, self.id or "")

    def threads(self) -> Iterator[Thread]:
        yield from self.calls
        yield from self.claims
        yield from self.open_issues


class Actor(RecordBase, name="actor", doc="A person, government or organisation."):
    id: str = Field(Id(), "Id of the actor, e.g. 'putin'.", required=True)
    name: str = Field(LABEL, "Display name.", required=True)
    kind: str = Field(
        Enum(values=ACTOR_KINDS), "person, government or organization.", required=True
    )
    role: str | None = Field(LABEL, "E.g. 'President of Russia'.")
    country: str | None = Field(LABEL, "Country the actor belongs to.")
    aliases: list[str] = Field(ListOf(LABEL), "Other spellings; search finds them.")
    wikidata: str | None = Field(
        Pattern(regex=r"Q[1-9]\d*", example="a Wikidata id such as Q7747"), "Wikidata item id."
    )


class SourceInferred(
    RecordBase,
    name="source inferences",
    doc="Parts of the source the desk inferred; each note says from what.",
):
    published: str | None = Field(
        LINE, 'The publication date is inferred (e.g. "the text\'s only date, not confirmed").'
    )


class Source(RecordBase, name="source", doc="A text the briefings draw on."):
    id: str = Field(Id(), "Id of the source.", required=True)
    title: str = Field(
        LABEL,
        "Title shown for the source: its headline, or a description the desk gives an untitled text.",
        required=True,
    )
    headline: str | None = Field(
        LABEL, "The headline exactly as published, when it has one (shown instead of title)."
    )
    publisher: str | None = Field(
        LABEL, "Who published it (pages say 'publisher not recorded' without it)."
    )
    via: str | None = Field(
        LABEL,
        "The agency or original publisher whose copy this is, e.g. 'AFP' (shown 'AFP via <publisher>').",
    )
    author: str | None = Field(LABEL, "Who wrote it, as credited.")
    published: DateValue = Field(Date(), "When it was published.", required=True)
    url: str | None = Field(Url(), "Where it is online (http or https only).")
    text: str | None = Field(
        SeedPath(),
        "Local copy of its text under seeds/; quotes from this source are verified against it.",
    )
    partial: bool | None = Field(
        Flag(),
        "true when the desk holds only part of the text: its page says so, and a quote not found says the "
        "copy is partial.",
    )
    inferred: SourceInferred | None = Field(
        SourceInferred.record, "What the desk inferred here rather than read in the source."
    )
    body: str | None = None
    """The local text, when the source has one."""

    @property
    def shown_title(self) -> str:
        """The headline as published when recorded, else the title the desk gave it."""
        return self.headline or self.title

    @property
    def shown_publisher(self) -> str | None:
        """Who published it, with the agency whose copy it is: 'AFP via Caliber.Az'; None when neither is known."""
        if self.via and self.publisher:
            return f"{self.via} via {self.publisher}"
        return self.via or self.publisher

    @property
    def credited(self) -> str:
        """Whom a report of this source is credited to: its publisher (with the agency), else its title."""
        return self.shown_publisher or self.shown_title


class ActorsFile(
    RecordBase, name="actors file", doc="content/actors.yaml: the registry of actors."
):
    actors: list[Actor] = Field(
        ListOf(Actor.record), "Every actor that briefings name.", required=True
    )


class SourcesFile(
    RecordBase, name="sources file", doc="content/sources.yaml: the registry of sources."
):
    sources: list[Source] = Field(
        ListOf(Source.record), "Every source that briefings draw on.", required=True
    )


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
        if isinstance(item, OneOrMore):
            plan.append((f.name, "speakers", item.item.target))
        elif isinstance(item, Ref):
            plan.append((f.name, "refs" if is_list else "ref", item.target))
        elif isinstance(item, schema.Record):
            plan.append((f.name, "records" if is_list else "record", ""))
    return tuple(plan)


class FoundOnce:
    """What is found in a record once, kept beside it while it lives (the record itself stays as read): tuples
    whose element at ``holder`` is a record, kept weakly. A nested record links back to its briefing
    (``t.briefing``), so a strong hold would keep every record ever read alive for good, and the collector
    walking them."""

    def __init__(self, find: Callable[[Any], Iterable[tuple]], holder: int):
        self.find, self.holder = find, holder
        self.kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, rec) -> list[tuple]:
        h = self.holder
        kept = self.kept.get(rec)
        if kept is None:
            found = list(self.find(rec))
            self.keep(rec, found)
            return found
        return [(*t[:h], t[h](), *t[h + 1 :]) for t in kept]

    def keep(self, rec, found: list[tuple]) -> None:
        """Keep what was found in ``rec`` (by this process, or by the run that kept the record on disk)."""
        h = self.holder
        self.kept[rec] = [(*t[:h], weakref.ref(t[h]), *t[h + 1 :]) for t in found]


def references(rec: RecordBase) -> Iterator[tuple[str, str, RecordBase, str, int | None]]:
    """(target kind, id, record, field, index) of every reference in ``rec`` and its nested records.

    Found once a record: the check's rules and the drafts' ask each record, and a preview asks again at every
    save for the records of the files that did not change (a record's fields never change once read)."""
    return iter(_REFERENCES(rec))


def keep_references(rec: RecordBase, found: list[tuple]) -> None:
    """``rec``'s references as :func:`references` found them in a run that kept the record (check/stored.py)."""
    _REFERENCES.keep(rec, found)


def _references(rec: RecordBase) -> Iterator[tuple[str, str, RecordBase, str, int | None]]:
    for name, shape, target in _plan(rec.record):
        value = getattr(rec, name)
        if value is None:
            continue
        if shape in ("ref", "refs", "speakers"):
            for i, v in _ids(shape, value):
                yield target, v, rec, name, i
        else:
            for nested in (value,) if shape == "record" else value:
                yield from _references(nested)


_REFERENCES = FoundOnce(_references, holder=2)
"""Each record's references, found once (:func:`references`); ``check/stored.py`` keeps a briefing's with it."""


def _ids(shape: str, value) -> Iterator[tuple[int | None, str]]:
    """(index, id) of a reference field's ids: one id (no index), a list, or speakers (indexed when several)."""
    if shape == "ref":
        yield None, value
    elif shape == "refs":
        yield from ((i, v) for i, v in enumerate(value) if v is not None)
    else:
        many = len(value.all) > 1
        yield from ((i if many else None, v) for i, v in enumerate(value.all))


def named_ids(b: Briefing) -> set[str]:
    """Every id a briefing holds or names: its calls', claims' and open issues' own, and each reference of
    its records (actors, sources, other threads)."""
    ids = {t.id for t in b.threads() if t.id}
    ids.update(ref for _, ref, _, _, _ in references(b))
    return ids


def thread_references(b: Briefing) -> Iterator[tuple[Thread, str, int, str]]:
    """(thread, field, index, id) of every link from one of ``b``'s calls, claims or open issues to another
    thread: the fields the schema says name a thread (``schema.thread_links``: disputes, supports,
    supersedes, related)."""
    for t in b.threads():
        for name in schema.thread_links(t.record):
            for i, ref in enumerate(getattr(t, name)):
                yield t, name, i, ref
