"""What moved between two briefings of a story, computed from the thread ids in the content.

A briefing is compared with the one before it in the same story (never with
git history): claims and open issues added and dropped, evidence and issue
statuses that changed (each with a trend against a fixed order), the latest
figure of a claim that changed, and parties whose position on an issue is new
or changed. Every pair is compared once; the templates only read the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.format.model import Briefing, Claim, Figure, OpenIssue, Position, Thread

EVIDENCE_ORDER: dict[str, int] = {
    "refuted": 0,
    "retracted": 0,
    "disputed": 1,
    "unverified": 2,
    "corroborated": 3,
}
"""How well the evidence supports a claim, weakest first; a move to a higher rank is *up*.

Refuted and retracted both mean the claim no longer stands, so a move between them is *level*.
"""

ISSUE_ORDER: dict[str, int] = {
    "stalled": -1,
    "at-risk": -1,
    "open": 0,
    "under-discussion": 1,
    "agreed-in-principle": 2,
    "agreed": 3,
    "implemented": 4,
}
"""How far an open issue has come, least first; stalled and at risk are setbacks below open."""

UP, DOWN, LEVEL = "up", "down", "level"

TREND_WORDS: dict[tuple[str, str], str] = {
    ("claim", UP): "stronger evidence",
    ("claim", DOWN): "weaker evidence",
    ("claim", LEVEL): "no stronger or weaker",
    ("issue", UP): "moved toward agreement",
    ("issue", DOWN): "moved away from agreement",
    ("issue", LEVEL): "no closer to agreement",
}
"""What an arrow means, in words, for a claim's evidence and an issue's status: shown beside every arrow."""

GROUPS: dict[str, str] = {
    "status": "Status changes",
    "figure": "Figures",
    "added": "New claims and issues",
    "dropped": "Dropped",
    "position": "Positions",
}
"""The groups of a "What changed" list, in the order shown, with their headings."""
GROUP_OF = {
    "status": "status",
    "figure": "figure",
    "claim-added": "added",
    "issue-added": "added",
    "claim-dropped": "dropped",
    "issue-dropped": "dropped",
    "position": "position",
}
"""The group of each kind of entry (``BriefingChanges.entries()``)."""


def trend(kind: str, before: str, after: str) -> str:
    """``up``, ``down`` or ``level``: where ``after`` stands against ``before`` for a claim or an issue."""
    order = EVIDENCE_ORDER if kind == "claim" else ISSUE_ORDER
    a, b = order[before], order[after]
    return UP if b > a else DOWN if b < a else LEVEL


@dataclass(frozen=True)
class StatusChange:
    """A claim's evidence status or an issue's status, before and after."""

    thread: Thread
    """The record in the newer briefing."""
    before: str
    after: str
    trend: str
    """``up``, ``down`` or ``level`` (see EVIDENCE_ORDER and ISSUE_ORDER)."""


@dataclass(frozen=True)
class FigureChange:
    """The latest figure of a claim, before and after; ``before`` is None when the claim had none."""

    claim: Claim
    before: Figure | None
    after: Figure


@dataclass(frozen=True)
class PositionChange:
    """A party's latest position on a continuing issue that is new or worded differently."""

    issue: OpenIssue
    position: Position
    before: str | None
    """The position in the previous briefing; None when the party had none there."""


@dataclass
class BriefingChanges:
    """Everything that moved from ``previous`` to ``briefing``, in the newer briefing's order."""

    briefing: Briefing
    previous: Briefing | None
    """The previous briefing of the same story; None for the first (or a briefing with no story)."""
    added_claims: list[Claim] = field(default_factory=list)
    dropped_claims: list[Claim] = field(default_factory=list)
    """Records of the previous briefing that this one does not carry forward."""
    added_issues: list[OpenIssue] = field(default_factory=list)
    dropped_issues: list[OpenIssue] = field(default_factory=list)
    statuses: list[StatusChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    positions: list[PositionChange] = field(default_factory=list)

    @property
    def added(self) -> int:
        """How many records are new: claims and open issues added."""
        return len(self.added_claims) + len(self.added_issues)

    @property
    def changed(self) -> int:
        """How many continuing records changed: a status, a figure or a position (a record counts once)."""
        ids = {(s.thread.thread_kind, s.thread.id) for s in self.statuses}
        ids |= {("claim", f.claim.id) for f in self.figures}
        ids |= {("issue", p.issue.id) for p in self.positions}
        return len(ids)

    @property
    def dropped(self) -> int:
        """How many records of the previous briefing this one does not carry forward."""
        return len(self.dropped_claims) + len(self.dropped_issues)

    @property
    def issue_moves(self) -> list[StatusChange]:
        """The open issues whose status changed."""
        return [s for s in self.statuses if s.thread.thread_kind == "issue"]

    def mark(self, thread: Thread) -> str | None:
        """``new`` or ``changed`` for a claim or open issue of this briefing that is, else None."""
        marks = self.__dict__.get("_marks")
        if marks is None:
            marks = {}
            if self.previous is not None:
                for s in self.statuses:
                    marks[(s.thread.thread_kind, s.thread.id)] = "changed"
                for f in self.figures:
                    marks[("claim", f.claim.id)] = "changed"
                for p in self.positions:
                    marks[("issue", p.issue.id)] = "changed"
                for c in self.added_claims:
                    marks[("claim", c.id)] = "new"
                for i in self.added_issues:
                    marks[("issue", i.id)] = "new"
            self.__dict__["_marks"] = marks
        return marks.get((thread.thread_kind, thread.id))

    def group_counts(self) -> dict[str, int]:
        """Entries per group (``GROUPS``), for the counted headings."""
        counts: dict[str, int] = {}
        for kind, _ in self.entries():
            counts[GROUP_OF[kind]] = counts.get(GROUP_OF[kind], 0) + 1
        return counts

    @property
    def empty(self) -> bool:
        return not (
            self.added_claims
            or self.dropped_claims
            or self.added_issues
            or self.dropped_issues
            or self.statuses
            or self.figures
            or self.positions
        )

    @property
    def count(self) -> int:
        return (
            len(self.added_claims)
            + len(self.dropped_claims)
            + len(self.added_issues)
            + len(self.dropped_issues)
            + len(self.statuses)
            + len(self.figures)
            + len(self.positions)
        )

    def entries(self) -> list[tuple[str, object]]:
        """(kind, item) in the order pages show them: statuses, figures, added, dropped, positions."""
        return [
            *(("status", s) for s in self.statuses),
            *(("figure", f) for f in self.figures),
            *(("claim-added", c) for c in self.added_claims),
            *(("issue-added", i) for i in self.added_issues),
            *(("claim-dropped", c) for c in self.dropped_claims),
            *(("issue-dropped", i) for i in self.dropped_issues),
            *(("position", p) for p in self.positions),
        ]


def compare(previous: Briefing | None, briefing: Briefing) -> BriefingChanges:
    """What changed from ``previous`` to ``briefing`` (nothing to compare when ``previous`` is None)."""
    out = BriefingChanges(briefing, previous)
    if previous is None:
        return out
    old_claims = {c.id: c for c in previous.claims}
    old_issues = {i.id: i for i in previous.open_issues}
    for c in briefing.claims:
        old = old_claims.get(c.id)
        if old is None:
            out.added_claims.append(c)
            continue
        if old.status != c.status and not c.is_opinion:  # an opinion's status is never shown
            out.statuses.append(
                StatusChange(c, old.status, c.status, trend("claim", old.status, c.status))
            )
        figure = _figure_change(old, c)
        if figure:
            out.figures.append(figure)
    for i in briefing.open_issues:
        old_issue = old_issues.get(i.id)
        if old_issue is None:
            out.added_issues.append(i)
            continue
        if old_issue.status != i.status:
            out.statuses.append(
                StatusChange(
                    i, old_issue.status, i.status, trend("issue", old_issue.status, i.status)
                )
            )
        out.positions += _position_changes(old_issue, i)
    kept_claims = {c.id for c in briefing.claims}
    kept_issues = {i.id for i in briefing.open_issues}
    out.dropped_claims = [c for c in previous.claims if c.id not in kept_claims]
    out.dropped_issues = [i for i in previous.open_issues if i.id not in kept_issues]
    return out


def _figure_change(old: Claim, new: Claim) -> FigureChange | None:
    if not new.figures:
        return None
    after = new.figures[-1]
    # like with like: the latest earlier figure of the same unit (killed is never compared with displaced)
    before = next((f for f in reversed(old.figures) if f.unit == after.unit), None)
    if before is not None and (before.value, before.value_max, before.qualifier) == (
        after.value,
        after.value_max,
        after.qualifier,
    ):
        return None
    return FigureChange(new, before, after)


def _latest_by_party(issue: OpenIssue) -> dict[str, Position]:
    """Each party's last position on the issue (a list may hold a party's earlier stances too)."""
    return {p.actor: p for p in issue.positions}


def _position_changes(old: OpenIssue, new: OpenIssue) -> list[PositionChange]:
    before = {actor: p.position for actor, p in _latest_by_party(old).items()}
    out = []
    for actor, p in _latest_by_party(new).items():
        was = before.get(actor)
        if was != p.position:
            out.append(PositionChange(new, p, was))
    return out


def story_changes(stories: dict[str, list[Briefing]]) -> dict[str, BriefingChanges]:
    """Briefing id → its changes against the previous briefing of its story, for every briefing.

    ``stories`` maps a story id to its briefings, oldest first (``Index.stories``);
    briefings without a story are compared with nothing.
    """
    out: dict[str, BriefingChanges] = {}
    for chain in stories.values():
        previous = None
        for b in chain:
            out[b.id] = compare(previous if b.story else None, b)
            previous = b
    return out


def change_rows(
    chain: list[Briefing], changes: dict[str, BriefingChanges]
) -> list[tuple[str, tuple]]:
    """(date, (changes, kind, item)) for a story's page of changes, newest briefing first.

    One row per change, and one (kind None) for a briefing with none, so that a
    long story is split into pages by the number of changes, not of briefings.
    """
    rows: list[tuple[str, tuple]] = []
    for b in reversed(chain):
        ch = changes[b.id]
        rows += [(b.date.text, (ch, kind, x)) for kind, x in ch.entries()] or [
            (b.date.text, (ch, None, None))
        ]
    return rows


def as_written(rec) -> tuple:
    """A record's fields as written, nested records and lists alike: two records of a thread with the same are
    the same record carried forward."""
    return tuple((f.name, _written(getattr(rec, f.name))) for f in rec.record.fields)


def _written(value):
    if hasattr(value, "record") and hasattr(value.record, "fields"):
        return as_written(value)
    if isinstance(value, list):
        return tuple(_written(v) for v in value)
    if hasattr(value, "all"):  # speakers said together
        return tuple(value.all)
    if hasattr(value, "text") and hasattr(value, "start"):
        # a date as written (an unknown one stays 'unknown')
        return value.text
    return value
