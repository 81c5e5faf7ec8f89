"""schema.org ClaimReview JSON-LD for the claims of a briefing page.

The generator puts the JSON into the page's front matter (``claim_reviews``);
the theme override prints it in ``<head>`` inside ``<script type="application/ld+json">``.
It is made safe for that place here, whatever the content says.
"""

from __future__ import annotations

import json
from typing import Any

from generator.data.published import Published
from generator.format.model import Archive, Briefing, Claim, quotes_of
from generator.format.text import one_line

RATING: dict[str, int] = {
    "false": 1,
    "misleading": 2,
    "mixed": 3,
    "mostly-accurate": 4,
    "accurate": 5,
}
"""The desk's verdict → ``ratingValue`` on a scale of WORST_RATING to BEST_RATING (README, "ClaimReview").

Only a claim the desk reviewed is published as a ClaimReview: an evidence status
says how a claim stands in the sources, not what the desk concluded, so it is
never turned into a rating. ``unproven`` has no place on the scale and carries
its word alone (``alternateName``).
"""
WORST_RATING, BEST_RATING = 1, 5

ACTOR_TYPES = {"person": "Person", "government": "Organization", "organization": "Organization"}

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe_json(value) -> str:
    """JSON text that cannot end or change the ``<script>`` element it sits in.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026``; ``ensure_ascii`` writes
    every other non-ASCII character, U+2028 and U+2029 among them, as a ``\\u`` escape too,
    so the text is plain ASCII (it also passes through YAML front matter unchanged).
    """
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).translate(_SCRIPT_SAFE)


def _first_date(text: str) -> str:
    """The start of a date range ('2025-12-01/2025-12-05' → '2025-12-01'); ISO 8601 either way."""
    return text.split("/", 1)[0]


def _author(archive: Archive, who: str) -> dict[str, Any]:
    """A claim's author for ClaimReview: an actor (with its Wikidata item), or a source's publisher."""
    actor = archive.actors.get(who)
    src = archive.sources.get(who)
    author: dict[str, Any] = {
        "@type": ACTOR_TYPES.get(actor.kind, "Organization") if actor else "Organization",
        "name": actor.name if actor else src.credited if src else who,
    }
    if actor and actor.wikidata:
        author["sameAs"] = f"https://www.wikidata.org/wiki/{actor.wikidata}"
    return author


def claim_review(archive: Archive, c: Claim, site: Published) -> dict:
    """The ClaimReview of a reviewed claim: the desk's verdict, with its rationale as the review's text."""
    authors = [_author(archive, who) for who in c.claimant.all]
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": authors[0] if len(authors) == 1 else authors,
    }
    if not c.date.unknown:  # no date the source does not give
        item["datePublished"] = _first_date(c.date.text)
    appearance: list[dict[str, Any]] = []
    seen: set[str] = set()
    for q in quotes_of(c):
        source = archive.sources.get(q.source)
        if source and source.url and source.id not in seen:
            seen.add(source.id)
            work: dict[str, Any] = {
                "@type": "CreativeWork",
                "url": source.url,
                "headline": source.shown_title,
                "datePublished": _first_date(source.published.text),
            }
            if source.publisher:
                work["publisher"] = {"@type": "Organization", "name": source.publisher}
            appearance.append(work)
    if appearance:
        item["appearance"] = appearance
    publisher = {"@type": "Organization", "name": site.publisher_name}
    if site.publisher_url:
        publisher["url"] = site.publisher_url
    review = c.review
    assert review is not None, "only reviewed claims are published"
    rating: dict = {"@type": "Rating", "alternateName": review.verdict.replace("-", " ")}
    if review.verdict in RATING:
        rating.update(
            ratingValue=RATING[review.verdict], worstRating=WORST_RATING, bestRating=BEST_RATING
        )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site.thread(c),
        "claimReviewed": one_line(review.claim_reviewed or c.statement),
        "reviewBody": one_line(review.rationale),
        "datePublished": review.date.text,
        "author": publisher,
        "reviewRating": rating,
        "itemReviewed": item,
    }


def reviewed(b: Briefing) -> list[Claim]:
    """The claims of a briefing that carry the desk's review: the only ones published as ClaimReview."""
    return [c for c in b.claims if c.review is not None]


def claim_reviews(archive: Archive, b: Briefing, site: Published) -> str:
    """The ClaimReviews of a briefing's reviewed claims as one script-safe JSON array ('' when none is reviewed)."""
    claims = reviewed(b)
    if not claims:
        return ""
    return script_safe_json([claim_review(archive, c, site) for c in claims])


def add_claim_reviews(page, archive: Archive, site: Published) -> None:
    """Put a briefing page's ClaimReviews into its front matter, for the theme's ``extrahead`` block;
    other pages are left as they are. Called just before the page is rendered, by whoever renders it."""
    b = page.context.get("b") if page.kind == "briefing" else None
    if b is not None:
        reviews = claim_reviews(archive, b, site)
        if reviews:
            page.meta["claim_reviews"] = reviews
