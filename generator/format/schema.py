"""The briefing format, version 1.1, declared once.

Version 1.1 only adds optional fields to version 1 (every version-1 file stays
valid): the kind of statement and the desk's own review on a claim, what the
desk inferred rather than read in a source (``inferred``), qualified figures,
a one-sentence bottom line, the provenance of a source, and ``draft`` on a
briefing that is not to be published yet.

Each record kind is a list of fields, one per line with its description.
Validation (validate.py), the JSON Schema for editors (jsonschema.py) and the
format reference (docs) are all derived from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.format.fieldtypes import (
    LABEL_MAX,
    Date,
    Enum,
    FieldType,
    Flag,
    Id,
    ListOf,
    Number,
    Pattern,
    Ref,
    SeedPath,
    Text,
    Url,
)

FORMAT_VERSION = "1.1"

EVIDENCE_STATUSES = ("unverified", "disputed", "corroborated", "refuted", "retracted")
LIKELIHOODS = (
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
)
CONFIDENCES = ("low", "moderate", "high")
CLAIM_KINDS = ("fact", "opinion", "characterisation", "forecast")
"""What a claim is: only a ``fact`` (a checkable factual assertion) can be reviewed and rated."""
REVIEW_VERDICTS = ("accurate", "mostly-accurate", "mixed", "misleading", "false", "unproven")
"""The desk's verdict on a checkable claim it reviewed (published as ClaimReview; see jsonld.py)."""
FIGURE_QUALIFIERS = ("exactly", "about", "at-least", "more-than", "up-to", "fewer-than")
ISSUE_STATUSES = (
    "open",
    "under-discussion",
    "agreed-in-principle",
    "agreed",
    "implemented",
    "stalled",
    "at-risk",
)
CALL_KINDS = ("phone-call", "video-call", "meeting", "visit", "talks", "message")
BRIEFING_STATUSES = ("developing", "stable", "archived")
ACTOR_KINDS = ("person", "government", "organization")


LABEL = Text(max_length=LABEL_MAX, invisible=False)
"""A name, title or label: shown in headings, link texts and lists, so repeated on many pages."""
LINE = Text(max_length=2_000)
"""A sentence or two on one line: a key point, a stance, a note, quoted words."""
PARAGRAPHS = Text(paragraphs=True, max_length=5_000)
"""A summary or statement; paragraphs allowed. The longest in the shipped briefing is 724 characters."""


@dataclass(frozen=True, eq=False)
class Field:
    name: str
    """Key in the YAML mapping (fixed by the format)."""
    type: FieldType | Record | ListOf
    """What the value is and how it is converted."""
    doc: str
    """One-line description, shown to editors."""
    required: bool = False


@dataclass(frozen=True, eq=False)
class Record:
    """A record kind; compared and hashed by identity (each is declared once, below)."""

    name: str
    """Record kind, e.g. ``claim``."""
    doc: str
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)
    """Field name → field, made from ``fields``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field | None:
        return self.by_name.get(name)


def F(name, type_, doc, required=False):  # noqa: N802 - reads as a declaration
    return Field(name, type_, doc, required)


QUOTE = Record(
    "quote",
    "Exact words from a source, verified against its local text.",
    (
        F("source", Ref(target="source"), "Id of the source the words are in.", True),
        F("exact", LINE, "The quoted words, as in the source.", True),
        F("prefix", LINE, "Words right before the quote, to pick one of several matches."),
        F("suffix", LINE, "Words right after the quote, to pick one of several matches."),
        F(
            "by",
            Ref(target="actor"),
            "Who spoke the words, where that is not the record's own actor.",
        ),
    ),
)

READOUT = Record(
    "readout",
    "One side's characterisation of a call.",
    (
        F("by", Ref(target="actor"), "Actor whose readout this is.", True),
        F("text", LINE, "Their characterisation, e.g. 'fruitful'.", True),
        F("quote", QUOTE, "The words this readout rests on."),
    ),
)

FIGURE = Record(
    "figure",
    "A number as it was reported at one time.",
    (
        F("value", Number(), "The number reported (the low end of a range).", True),
        F(
            "qualifier",
            Enum(values=FIGURE_QUALIFIERS),
            "How the number was put: about, at-least, more-than, up-to, fewer-than (default: exactly).",
        ),
        F("value_max", Number(), "The high end, when a range was reported (value to value_max)."),
        F("unit", LABEL, "What is counted, e.g. 'drones'.", True),
        F("date", Date(), "When this value was reported."),
        F("by", Ref(target="actor"), "Who reported this value."),
        F("quote", QUOTE, "The words this value rests on."),
    ),
)


def _history(statuses: tuple[str, ...], what: str) -> Record:
    return Record(
        f"{what} history entry",
        f"An earlier status of the {what}.",
        (
            F("date", Date(), "When the status applied.", True),
            F("status", Enum(values=statuses), "The status at that date.", True),
            F("note", LINE, "Why it changed."),
        ),
    )


CLAIM_HISTORY = _history(EVIDENCE_STATUSES, "claim")
ISSUE_HISTORY = _history(ISSUE_STATUSES, "open issue")


def _inferred(record: str, parts: dict[str, str]) -> Record:
    """What the desk inferred rather than read in a source: one note per inferred part of the record."""
    return Record(
        f"{record} inferences",
        f"Parts of the {record} the desk inferred; each note says from what.",
        tuple(F(name, LINE, doc) for name, doc in parts.items()),
    )


CALL_INFERRED = _inferred(
    "call",
    {
        "call": "The call itself is inferred, not reported (e.g. \"implied by 'second call'\").",
        "date": 'The date is inferred (e.g. "from the article\'s dateline").',
        "initiator": "The initiator is inferred, not reported.",
        "related": "The links in related are the desk's inference, not the source's.",
    },
)
CLAIM_INFERRED = _inferred(
    "claim",
    {
        "date": 'The date is inferred (e.g. "from the article\'s dateline").',
        "related": "The links in related are the desk's inference, not the source's.",
    },
)
POSITION_INFERRED = _inferred(
    "position",
    {
        "date": 'The date is inferred (e.g. "from the article\'s dateline").',
    },
)
ISSUE_INFERRED = _inferred(
    "open issue",
    {
        "related": "The links in related are the desk's inference, not the source's.",
    },
)

REVIEW = Record(
    "review",
    "The desk's own verdict on a checkable claim, and on what basis.",
    (
        F("verdict", Enum(values=REVIEW_VERDICTS), "The desk's verdict.", True),
        F(
            "rationale",
            PARAGRAPHS,
            "What was checked, against what; published as the review's text.",
            True,
        ),
        F("date", Date(day_only=True), "When the desk reviewed the claim, YYYY-MM-DD.", True),
        F("reviewer", LABEL, "Who on the desk reviewed it."),
        F("evidence", ListOf(QUOTE), "Quoted words the verdict rests on."),
        F("sources", ListOf(Ref(target="source")), "Ids of sources checked."),
    ),
)

POSITION = Record(
    "position",
    "One party's stance on an open issue.",
    (
        F("actor", Ref(target="actor"), "The party.", True),
        F("position", LINE, "Their stance, neutrally stated.", True),
        F("date", Date(), "When they took this stance."),
        F("quote", QUOTE, "The words this position rests on."),
        F(
            "inferred",
            POSITION_INFERRED,
            "What the desk inferred here rather than read in a source.",
        ),
    ),
)

CHANGE = Record(
    "change",
    "One entry of a briefing's change log.",
    (
        F("date", Date(day_only=True), "When the briefing changed.", True),
        F("note", LINE, "What changed.", True),
    ),
)

CALL = Record(
    "call",
    "A diplomatic contact: phone call, video call, meeting, visit, talks or message.",
    (
        F(
            "id",
            Id(),
            "Id of the call, unique in its briefing; the same id later is the same call.",
            True,
        ),
        F(
            "title",
            LABEL,
            "Short headline of the call (optional; defaults to its kind, participants and date).",
        ),
        F("date", Date(), "When it took place (day, month or year; START/END for a range).", True),
        F("kind", Enum(values=CALL_KINDS), "What kind of contact it was.", True),
        F(
            "participants",
            ListOf(Ref(target="actor"), min_items=2),
            "Actor ids of those taking part (at least 2).",
            True,
        ),
        F(
            "initiator",
            Ref(target="actor"),
            "Who initiated it, where known; one of the participants.",
        ),
        F("location", LABEL, "Where it took place."),
        F("summary", PARAGRAPHS, "What happened; paragraphs allowed.", True),
        F("readouts", ListOf(READOUT), "Each side's characterisation."),
        F("quotes", ListOf(QUOTE), "Quoted words about the call."),
        F(
            "related",
            ListOf(Ref(target="thread")),
            "Ids of claims or open issues this call touched.",
        ),
        F("inferred", CALL_INFERRED, "What the desk inferred here rather than read in a source."),
    ),
)

CLAIM = Record(
    "claim",
    "Who asserts what, and how well it is supported.",
    (
        F(
            "id",
            Id(),
            "Id of the claim, unique in its briefing; the same id later is the same claim.",
            True,
        ),
        F(
            "title",
            LABEL,
            "Short headline of the claim (optional; defaults to the statement's first sentence).",
        ),
        F("claimant", Ref(target="claimant"), "Actor who makes the claim.", True),
        F(
            "kind",
            Enum(values=CLAIM_KINDS),
            "fact (checkable), opinion, characterisation or forecast; only a fact can be reviewed.",
        ),
        F("date", Date(), "When it was asserted.", True),
        F("statement", PARAGRAPHS, "What is asserted, neutrally; paragraphs allowed.", True),
        F("status", Enum(values=EVIDENCE_STATUSES), "Evidence status.", True),
        F(
            "likelihood",
            Enum(values=LIKELIHOODS),
            "ICD 203 likelihood words, kept apart from confidence.",
        ),
        F("confidence", Enum(values=CONFIDENCES), "Analytic confidence in the judgement."),
        F("quotes", ListOf(QUOTE), "Quoted words the claim rests on."),
        F("disputes", ListOf(Ref(target="claim")), "Ids of claims this one disputes."),
        F("supports", ListOf(Ref(target="claim")), "Ids of claims this one supports."),
        F("supersedes", ListOf(Ref(target="claim")), "Ids of claims this one supersedes."),
        F("figures", ListOf(FIGURE), "A number as it was reported over time, e.g. a drone count."),
        F("history", ListOf(CLAIM_HISTORY), "Earlier evidence statuses."),
        F(
            "related",
            ListOf(Ref(target="thread")),
            "Ids of calls, claims or open issues this claim touches.",
        ),
        F(
            "review",
            REVIEW,
            "The desk's own verdict, for a checkable claim it reviewed; only then is a ClaimReview published.",
        ),
        F("inferred", CLAIM_INFERRED, "What the desk inferred here rather than read in a source."),
    ),
)

OPEN_ISSUE = Record(
    "open issue",
    "An unresolved point of negotiation.",
    (
        F(
            "id",
            Id(),
            "Id of the issue, e.g. 'territory'; the same id later is the same issue.",
            True,
        ),
        F("title", LABEL, "Short name of the issue.", True),
        F("status", Enum(values=ISSUE_STATUSES), "Where the issue stands.", True),
        F("summary", PARAGRAPHS, "What is at stake; paragraphs allowed.", True),
        F("positions", ListOf(POSITION), "Each party's stance."),
        F("history", ListOf(ISSUE_HISTORY), "Earlier statuses."),
        F("related", ListOf(Ref(target="thread")), "Ids of calls or claims that moved the issue."),
        F("inferred", ISSUE_INFERRED, "What the desk inferred here rather than read in a source."),
    ),
)

BRIEFING = Record(
    "briefing",
    "One briefing on a story, as of a date.",
    (
        F("id", Id(), "Id of the briefing; equals the file name without .yaml.", True),
        F("title", LABEL, "Headline of the briefing.", True),
        F("date", Date(day_only=True), "The 'as of' date, YYYY-MM-DD.", True),
        F("story", Id(), "Id of the story this briefing belongs to."),
        F(
            "story_title",
            LABEL,
            "Name of the story, shown on its pages; the latest briefing's wins (default: the story id).",
        ),
        F("status", Enum(values=BRIEFING_STATUSES), "developing (default), stable or archived."),
        F(
            "draft",
            Flag(),
            "true while the briefing is being written: checked and previewed, never published; delete the line to publish it.",
        ),
        F(
            "bottom_line",
            LINE,
            "The bottom line in one sentence (at most 300 characters), shown first; summary then becomes the context.",
        ),
        F("summary", PARAGRAPHS, "Bottom line up front; paragraphs allowed.", True),
        F(
            "key_points",
            ListOf(LINE),
            "The points a reader must not miss; they do not repeat the bottom line.",
        ),
        F("tags", ListOf(Id()), "Tag ids, e.g. 'security-guarantees'."),
        F(
            "sources",
            ListOf(Ref(target="source"), min_items=1),
            "Ids of the sources this briefing draws on.",
            True,
        ),
        F("calls", ListOf(CALL), "Diplomatic contacts."),
        F("claims", ListOf(CLAIM), "Claims and their evidence status."),
        F("open_issues", ListOf(OPEN_ISSUE), "Unresolved points of negotiation."),
        F("changes", ListOf(CHANGE), "Change log of this briefing."),
    ),
)

ACTOR = Record(
    "actor",
    "A person, government or organisation.",
    (
        F("id", Id(), "Id of the actor, e.g. 'putin'.", True),
        F("name", LABEL, "Display name.", True),
        F("kind", Enum(values=ACTOR_KINDS), "person, government or organization.", True),
        F("role", LABEL, "E.g. 'President of Russia'."),
        F("country", LABEL, "Country the actor belongs to."),
        F("aliases", ListOf(LABEL), "Other spellings; search finds them."),
        F(
            "wikidata",
            Pattern(regex=r"Q[1-9]\d*", example="a Wikidata id such as Q7747"),
            "Wikidata item id.",
        ),
    ),
)

SOURCE = Record(
    "source",
    "A text the briefings draw on.",
    (
        F("id", Id(), "Id of the source.", True),
        F(
            "title",
            LABEL,
            "Title shown for the source: its headline, or a description the desk gives an untitled text.",
            True,
        ),
        F(
            "headline",
            LABEL,
            "The headline exactly as published, when it has one (shown instead of title).",
        ),
        F("publisher", LABEL, "Who published it (pages say 'publisher not recorded' without it)."),
        F("author", LABEL, "Who wrote it, as credited."),
        F("published", Date(), "When it was published.", True),
        F("url", Url(), "Where it is online (http or https only)."),
        F(
            "text",
            SeedPath(),
            "Local copy of its text under seeds/; quotes from this source are verified against it.",
        ),
    ),
)

ACTORS_FILE = Record(
    "actors file",
    "content/actors.yaml: the registry of actors.",
    (F("actors", ListOf(ACTOR), "Every actor that briefings name.", True),),
)

SOURCES_FILE = Record(
    "sources file",
    "content/sources.yaml: the registry of sources.",
    (F("sources", ListOf(SOURCE), "Every source that briefings draw on.", True),),
)


GLOSSARY: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    (
        "evidence",
        "Evidence status of a claim",
        "How a claim stands in the sources the briefing draws on. It describes the record, not a verdict of the desk: "
        'the desk\'s own verdict is shown only as a "Desk review", with its reasons.',
        {
            "unverified": "Reported, and not yet confirmed or contradicted by another source the briefing draws on.",
            "disputed": 'Another party contests it (see "Disputed by" on the claim).',
            "corroborated": "Other, independent sources report the same.",
            "refuted": "Shown to be false by evidence cited in the briefing.",
            "retracted": "Withdrawn by the claimant.",
        },
    ),
    (
        "kind",
        "Kind of statement",
        "What a claim is. Only a checkable factual assertion can be reviewed; the others are shown as what they are "
        "and never rated.",
        {
            "fact": "A factual assertion that evidence could confirm or contradict.",
            "opinion": "A view or judgement; it cannot be true or false.",
            "characterisation": 'How someone describes an event or a conversation ("fruitful", "terrorism").',
            "forecast": "A statement about what will or could happen.",
        },
    ),
    (
        "verdict",
        "The desk's review",
        "The desk's own verdict on a checkable claim it reviewed, published with what it checked and against what.",
        {
            "accurate": "The evidence the desk checked supports the claim.",
            "mostly-accurate": "Supported, with a detail wrong or missing.",
            "mixed": "Partly supported and partly not.",
            "misleading": "True in parts, but put in a way that gives a false impression.",
            "false": "The evidence the desk checked contradicts the claim.",
            "unproven": "The desk checked and found too little evidence either way.",
        },
    ),
    (
        "issue",
        "Status of an open issue",
        "Where an unresolved point stands, as the sources describe it.",
        {
            "open": "Unresolved, with no talks on it reported.",
            "under-discussion": "Reported as being negotiated.",
            "agreed-in-principle": "The parties are reported to agree on the principle, not yet the terms.",
            "agreed": "The parties are reported to have agreed.",
            "implemented": "What was agreed is reported to be carried out.",
            "stalled": "Talks on it are reported to have stopped.",
            "at-risk": "A reported agreement or progress is reported to be in danger; the briefing names who says so.",
        },
    ),
    (
        "briefing",
        "Status of a briefing",
        "",
        {
            "developing": "The story is moving; this briefing will be followed by others.",
            "stable": "Nothing new is expected soon.",
            "archived": "The story is closed; kept for the record.",
        },
    ),
    (
        "likelihood",
        "Likelihood (ICD 203 words)",
        "The desk's estimate of how likely something is, kept apart from its confidence.",
        {
            "almost-no-chance": "1–5%.",
            "very-unlikely": "5–20%.",
            "unlikely": "20–45%.",
            "roughly-even-chance": "45–55%.",
            "likely": "55–80%.",
            "very-likely": "80–95%.",
            "almost-certain": "95–99%.",
        },
    ),
    (
        "confidence",
        "Confidence",
        "How much the desk trusts the sources and reasoning behind a judgement.",
        {
            "low": "Fragmentary or poorly corroborated information.",
            "moderate": "Credibly sourced and plausible, but not enough to be sure.",
            "high": "High-quality information from several sources.",
        },
    ),
)
"""What each status, kind and verdict word means: the glossary page, linked from every badge."""


def walk(record: Record) -> tuple[tuple[Field, bool, FieldType | Record], ...]:
    """(field, whether it holds a list, the type of its value or of each item) for each field of ``record``:
    the one walk of the format, which the link tables and the checks' plans are derived from."""
    return _WALKS.get(record) or _WALKS.setdefault(
        record,
        tuple(
            (f, isinstance(f.type, ListOf), f.type.item if isinstance(f.type, ListOf) else f.type)
            for f in record.fields
        ),
    )


_WALKS: dict[Record, tuple[tuple[Field, bool, FieldType | Record], ...]] = {}


def thread_links(record: Record) -> tuple[str, ...]:
    """The fields of ``record`` that name other threads (a call, claim or open issue) by id."""
    return tuple(
        f.name
        for f, _, item in walk(record)
        if isinstance(item, Ref) and item.target in ("thread", "claim")
    )
