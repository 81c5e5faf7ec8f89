"""Rules that keep the site from saying more than the desk knows (format 1.1).

A review is the desk's verdict and is published as a ClaimReview, so only a
claim the desk marked as a checkable fact may carry one; an inference must
name something that is there; a source should say who published it.
"""

from __future__ import annotations

import re

from generator.errors import Collector
from generator.format.model import Archive, Briefing, Claim, Figure
from generator.format.quotes import paragraph_break
from generator.format.schema import VAGUE_QUANTITIES
from generator.format.text import one_line

BOTTOM_LINE_MAX = 300
"""Characters of a one-sentence bottom line: read in about ten seconds."""


def check_provenance(archive: Archive, out: Collector) -> None:
    for s in archive.sources.values():
        _source(s, out)
    backing = _backing(archive)
    for b in archive.briefings:
        _bottom_line(b, out)
        for call in b.calls:
            _call_inferences(call, out)
        for claim in b.claims:
            _claim(claim, backing, out, b)
        for issue in b.open_issues:
            _related_inferred(issue, "issue", out)


def _source(s, out: Collector) -> None:
    if not s.publisher and not s.url:
        out.warn(
            s.node,
            s.where,
            f"source '{s.id}' has neither publisher nor url; pages will say 'publisher not recorded'. "
            "Add whichever is known",
        )
    if s.body and paragraph_break(s.body) == "\n":
        out.warn(
            s.at("text"),
            s.field_path("text"),
            f"'{s.text}' has {s.body.strip().count(chr(10)) + 1} lines and no blank line between them; "
            "its page shows each line as a paragraph. Separate paragraphs with a blank line",
        )


def _call_inferences(call, out: Collector) -> None:
    inferred = call.inferred
    if inferred is None:
        return
    if inferred.initiator and not call.initiator:
        out.at(
            inferred.at("initiator"),
            inferred.field_path("initiator"),
            "the call has no initiator to infer; remove this note or add initiator",
        )
    _related_inferred(call, "call", out)


def _related_inferred(record, what: str, out: Collector) -> None:
    """An inference about related links needs related links to be about."""
    inferred = record.inferred
    if inferred is not None and inferred.related and not record.related:
        out.at(
            inferred.at("related"),
            inferred.field_path("related"),
            f"the {what} has no related links to infer; remove this note or add related",
        )


def _claim(claim: Claim, backing: Backing, out: Collector, b: Briefing) -> None:
    if claim.review is not None and claim.kind != "fact":
        what = f"is marked as {claim.kind}" if claim.kind else "does not say kind: fact"
        out.at(
            claim.review.node,
            claim.field_path("review"),
            f"only a checkable claim can carry the desk's review, and this claim {what}; "
            "set kind: fact or remove the review",
        )
    _related_inferred(claim, "claim", out)
    _status_and_verdict(claim, backing, out, b)
    for f in claim.figures:
        _vague_or_numbered(f, out)
        _figure_in_quote(f, out)
        _range(f, out)


def _range(f: Figure, out: Collector) -> None:
    if f.value_max is not None and f.value is not None and f.value_max <= f.value:
        out.at(
            f.at("value_max"),
            f.field_path("value_max"),
            f"value_max ({f.value_max}) must be greater than value ({f.value}) in a range",
        )
    if f.value_max is not None and f.qualifier not in (None, "exactly", "about"):
        out.at(
            f.at("qualifier"),
            f.field_path("qualifier"),
            f"a range (value to value_max) cannot also be '{f.qualifier}'; use about or no qualifier",
        )


CONTRADICTED_BY = {
    "accurate": ("refuted", "retracted"),
    "mostly-accurate": ("refuted", "retracted"),
    "false": ("corroborated",),
    "misleading": ("corroborated",),
}
"""Review verdicts, and the evidence statuses that say the opposite of them."""


Backing = dict[tuple[str | None, str, str], list[frozenset[str]]]
"""(story, link field, claim id) → the speakers of each claim of the story that names the claim in that field."""


def _backing(archive: Archive) -> Backing:
    """Who supports and who disputes each claim, story by story: computed once, read by every claim's rule."""
    out: Backing = {}
    for b in archive.briefings:
        for c in b.claims:
            if not c.has("claimant"):
                continue
            speakers = frozenset(c.claimant.all)
            for name in ("supports", "disputes"):
                for target in getattr(c, name):
                    out.setdefault((b.story, name, target), []).append(speakers)
    return out


def _status_and_verdict(claim: Claim, backing: Backing, out: Collector, b: Briefing) -> None:
    """Warnings where a claim's status has nothing behind it, or its review says the opposite, or its review is
    dated after the briefing that publishes it: each may be deliberate, and each reads as false when it is not."""
    status, review = claim.status, claim.review
    if not claim.has("claimant"):  # reported where it was read
        return
    mine = set(claim.claimant.all)

    def by_another(name: str) -> bool:
        """A claim of another party (no speaker in common) of this story names this one in ``name``."""
        return any(not speakers & mine for speakers in backing.get((b.story, name, claim.id), ()))

    if status == "corroborated":
        sources = {q.source for q in claim.quotes if q.source}
        if len(sources) < 2 and not by_another("supports"):
            out.warn(
                claim.at("status"),
                claim.field_path("status"),
                "corroborated, but nothing here corroborates it: its quotes come from "
                f"{'one source' if sources else 'no source'} and no claim of another party supports it "
                f"(supports: [{claim.id}]); add what corroborates it, or set the status the evidence shows",
            )
    elif status in ("disputed", "refuted") and not by_another("disputes"):
        # two claims that dispute each other are both disputed: a denial is one side of the dispute
        against = (
            bool(claim.disputes)
            if status == "disputed"
            else review is not None and review.verdict in ("false", "misleading")
        )
        if not against:
            out.warn(
                claim.at("status"),
                claim.field_path("status"),
                f"{status}, but no claim of another party disputes it (disputes: [{claim.id}])"
                + (" and no desk review finds it false" if status == "refuted" else "")
                + "; add what disputes it, or set the status the evidence shows",
            )
    if review is None:
        return
    if not review.claim_reviewed:
        out.warn(
            review.node,
            claim.field_path("review"),
            "the review gives no claim_reviewed, so the ClaimReview rates the claim's statement, which reports "
            "who said what; write the assertion the desk rated (claim_reviewed: …)",
        )
    if status in CONTRADICTED_BY.get(review.verdict or "", ()):
        out.warn(
            review.at("verdict"),
            claim.field_path("review") + ".verdict",
            f"the desk's verdict '{review.verdict}' says the opposite of the claim's status '{status}'; "
            "one of them is wrong",
        )
    if review.date is not None and b.date is not None and review.date.start > b.date.end:
        out.warn(
            review.at("date"),
            claim.field_path("review") + ".date",
            f"the review is dated {review.date.text}, after this briefing ({b.date.text}); a briefing "
            "publishes only what the desk had found by its date",
        )


_NUMBER_WORDS = {
    **{
        w: n
        for n, w in enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen".split()
        )
    },
    **{
        w: 10 * n
        for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
    },
    "dozen": 12,
    "a hundred": 100,
    "hundred": 100,
    "a thousand": 1000,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMERAL = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(hundred|thousand|million|billion)\b)?", re.I
)
_WORDED = re.compile(
    r"\b("
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:[- ](one|two|three|four|five|six|"
    r"seven|eight|nine))?(?:\s+(hundred|thousand|million|billion)\b)?",
    re.I,
)


def numbers_in(text: str) -> set[float]:
    """The numbers ``text`` writes, in figures (91, 1,200, 2.5 million) or words (ninety-one, two thousand)."""
    found: set[float] = set()
    for m in _NUMERAL.finditer(text):
        n = float(m[1].replace(",", "") + (m[2] or ""))
        found.add(n)
        if m[3]:
            found.add(n * _SCALES[m[3].lower()])
    for m in _WORDED.finditer(text):
        n = float(_NUMBER_WORDS[m[1].lower()] + (_NUMBER_WORDS[m[2].lower()] if m[2] else 0))
        found.add(n)
        if m[3]:
            found.add(n * _SCALES[m[3].lower()])
    return found


def _vague_or_numbered(f: Figure, out: Collector) -> None:
    """A figure has its number, unless its qualifier is a vague quantity, which stands without one."""
    vague = f.qualifier in VAGUE_QUANTITIES
    if vague and "value" in f.nodes:
        out.at(
            f.at("value"),
            f.field_path("value"),
            f"'{f.qualifier}' is a quantity without a number; remove value, or choose another qualifier",
        )
    elif not vague and "value" not in f.nodes:
        out.at(
            f.node,
            f.field_path("value"),
            "required field is missing; add it (the number reported), or give a vague quantity as qualifier "
            "(several, dozens, hundreds, thousands)",
        )


def _figure_in_quote(f: Figure, out: Collector) -> None:
    """A figure that rests on a quote shows a number those words write: a value of 910 on "91 drones" is refused."""
    if f.quote is None or not f.quote.exact:
        return
    written = numbers_in(f.quote.exact)
    for name in ("value", "value_max"):
        value = getattr(f, name)
        if value is not None and float(value) not in written:
            shown = ", ".join(_plain_number(n) for n in sorted(written)) or "no number"
            out.at(
                f.at(name),
                f.field_path(name),
                f'{_plain_number(float(value))} is not a number its quote writes ("{f.quote.exact}" has '
                f"{shown}); a figure shows what its words say",
            )


def _plain_number(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


def _bottom_line(b: Briefing, out: Collector) -> None:
    line = b.bottom_line
    if line is None:
        return
    if len(line) > BOTTOM_LINE_MAX:
        out.at(
            b.at("bottom_line"),
            "bottom_line",
            f"the bottom line is {len(line)} characters; keep it to one sentence of at most {BOTTOM_LINE_MAX} "
            "and put the detail in summary or key_points",
        )
    plain = _plain(line)
    for i, point in enumerate(b.key_points):
        if _plain(point) == plain:
            out.warn(
                b.at("key_points", i),
                f"key_points[{i}]",
                "this key point repeats the bottom line; key points add what the bottom line leaves out",
            )


def _plain(text: str) -> str:
    return one_line(text.lower()).rstrip(".")
