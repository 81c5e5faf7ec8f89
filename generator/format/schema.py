"""The briefing format, version 1.2: its vocabulary, and how a record kind is declared.

Version 1.1 only adds optional fields to version 1 (every version-1 file stays
valid): the kind of statement and the desk's own review on a claim, what the
desk inferred rather than read in a source (``inferred``), qualified figures,
a one-sentence bottom line, the provenance of a source, and ``draft`` on a
briefing that is not to be published yet.

Version 1.2 adds optional fields again (every 1.1 file stays valid): the
assertion a review rated (``claim_reviewed``); a source's ``via``, ``partial``
and ``inferred.published``; a quote's ``translation``; a figure's ``by`` may be a
source, and a vague quantity (``qualifier: dozens``) stands without a value; a
call's ``status`` (held, planned, postponed, cancelled); ``date: unknown`` on a
call, claim, position or figure; a briefing's ``order`` among its story's
briefings of one date.

This module holds the format's vocabulary: the values each enumeration takes,
the kinds of text, what a field and a record kind are, the one walk over a
record's fields, and the glossary. The record kinds themselves are declared in
model.py, a field per line in its class (``Claim.record`` is derived from
``Claim``); validation (validate.py), the JSON Schemas and the format reference
(data/reference.py) and the YAML writer (yamltext.py) read those declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.format.fieldtypes import (
    LABEL_MAX,
    FieldType,
    ListOf,
    Ref,
    Text,
)

FORMAT_VERSION = "1.2"

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
VAGUE_QUANTITIES = ("several", "dozens", "hundreds", "thousands")
"""Qualifiers that stand without a number, where a newsroom writes "dozens of drones"."""
FIGURE_QUALIFIERS = (
    "exactly",
    "about",
    "at-least",
    "more-than",
    "up-to",
    "fewer-than",
    *VAGUE_QUANTITIES,
)
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
CALL_STATUSES = ("held", "planned", "postponed", "cancelled")
"""Whether a contact took place: only a ``held`` one (the default) is listed or counted as a contact."""
BRIEFING_STATUSES = ("developing", "stable", "archived")
ACTOR_KINDS = ("person", "government", "organization")


LABEL = Text(max_length=LABEL_MAX, invisible=False)
"""A name, title or label: shown in headings, link texts and lists, so repeated on many pages."""
LINE = Text(max_length=2_000)
"""A sentence or two on one line: a key point, a stance, a note, quoted words."""
PARAGRAPHS = Text(paragraphs=True, max_length=5_000)
"""A summary or statement; paragraphs allowed. The longest in the shipped briefing is 724 characters."""


@dataclass(eq=False)
class Field:
    """One field of a record kind, declared in its class in model.py (``model.Field``)."""

    type: FieldType | Record | ListOf
    """What the value is and how it is converted."""
    doc: str
    """One-line description, shown to editors."""
    required: bool = False
    name: str = ""
    """Key in the YAML mapping (fixed by the format): the name of the attribute that declares it."""

    def __set_name__(self, owner: object, name: str) -> None:
        self.name = name


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


GLOSSARY: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    (
        "evidence",
        "Evidence status of a claim",
        "How a claim stands in the sources the briefing draws on. It describes the record, not a verdict of the desk: "
        'the desk\'s own verdict is shown only as a "Desk review", with its reasons. It applies to a fact (or a '
        "claim of no stated kind) only: an opinion, characterisation or forecast is never shown with one.",
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
            "open": "Unresolved; no agreement or progress on it reported.",
            "under-discussion": "Reported as being negotiated.",
            "agreed-in-principle": "The parties are reported to agree on the principle, not yet the terms.",
            "agreed": "The parties are reported to have agreed.",
            "implemented": "What was agreed is reported to be carried out.",
            "stalled": "Talks on it are reported to have stopped.",
            "at-risk": "A reported agreement or progress is reported to be in danger; the briefing names who says so.",
        },
    ),
    (
        "call",
        "Status of a call",
        "Whether the contact took place. Only a held contact is listed in timelines and counted as a contact.",
        {
            "held": "It took place (the default).",
            "planned": "Expected, on the date given; it has not taken place yet.",
            "postponed": "Expected, then put off; it has not taken place.",
            "cancelled": "Expected, then called off; it did not take place.",
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
