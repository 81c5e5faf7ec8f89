"""Rules that keep the site from saying more than the desk knows (format 1.1).

A review is the desk's verdict and is published as a ClaimReview, so only a
claim the desk marked as a checkable fact may carry one; an inference must
name something that is there; a source should say who published it.
"""

from __future__ import annotations

from generator.errors import Collector
from generator.format.model import Archive, Briefing
from generator.format.quotes import paragraph_break

BOTTOM_LINE_MAX = 300
"""Characters of a one-sentence bottom line: read in about ten seconds."""


def check_provenance(archive: Archive, out: Collector) -> None:
    for s in archive.sources.values():
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
    for b in archive.briefings:
        _bottom_line(b, out)
        for call in b.calls:
            inferred = call.inferred
            if inferred is not None:
                if inferred.initiator and not call.initiator:
                    out.at(
                        inferred.at("initiator"),
                        inferred.field_path("initiator"),
                        "the call has no initiator to infer; remove this note or add initiator",
                    )
                if inferred.related and not call.related:
                    out.at(
                        inferred.at("related"),
                        inferred.field_path("related"),
                        "the call has no related links to infer; remove this note or add related",
                    )
        for claim in b.claims:
            if claim.review is not None and claim.kind != "fact":
                what = f"is marked as {claim.kind}" if claim.kind else "does not say kind: fact"
                out.at(
                    claim.review.node,
                    claim.field_path("review"),
                    f"only a checkable claim can carry the desk's review, and this claim {what}; "
                    "set kind: fact or remove the review",
                )
            if claim.inferred is not None and claim.inferred.related and not claim.related:
                out.at(
                    claim.inferred.at("related"),
                    claim.inferred.field_path("related"),
                    "the claim has no related links to infer; remove this note or add related",
                )
            for f in claim.figures:
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
        for issue in b.open_issues:
            if issue.inferred is not None and issue.inferred.related and not issue.related:
                out.at(
                    issue.inferred.at("related"),
                    issue.inferred.field_path("related"),
                    "the issue has no related links to infer; remove this note or add related",
                )


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
    return " ".join(text.lower().split()).rstrip(".")
