"""Rules for what a reader reads first of a briefing: the top fits a phone's first screen.

A headline of at most 90 characters, a bottom line of at most 30 words, key points of at most 25 words each
(reader review 2, after the discipline of intelligence key takeaways). Past them the page still builds: these
are warnings, each saying what to cut. The page shows 4 key points and folds the others under "More key
points (N)", so an editor orders them, the ones a reader must not miss first; more than 4 is no mistake.
"""

from __future__ import annotations

from generator.errors import Collector
from generator.format.model import Archive, Briefing
from generator.format.reading import bottom_line

HEADLINE_MAX = 90
"""Characters of a briefing's title: two lines on a phone."""
BOTTOM_LINE_WORDS = 30
"""Words of the bottom line: read in one breath, in one screen."""
KEY_POINT_WORDS = 25
"""Words of one key point."""


def check_reading(archive: Archive, out: Collector) -> None:
    for b in archive.briefings:
        _briefing(b, out)


def _words(text: str) -> int:
    return len(text.split())


def _briefing(b: Briefing, out: Collector) -> None:
    """A field read with an error holds None: the error is reported already, and this rule says nothing."""
    if isinstance(b.title, str) and len(b.title) > HEADLINE_MAX:
        out.warn(
            b.at("title"),
            "title",
            f"the headline is {len(b.title)} characters; at most {HEADLINE_MAX} fit two lines on a phone: keep "
            "the news in the title and let the bottom line say the rest",
        )
    summary: object = b.summary  # None when read with an error
    line = bottom_line(b)[0] if isinstance(summary, str) or b.bottom_line else ""
    if _words(line) > BOTTOM_LINE_WORDS:
        field = "bottom_line" if b.bottom_line else "summary"
        what = (
            "the bottom line"
            if b.bottom_line
            else "the bottom line (the summary's first paragraph)"
        )
        out.warn(
            b.at(field),
            field,
            f"{what} is {_words(line)} words; at most {BOTTOM_LINE_WORDS} read in one screen: say the news in "
            "one shorter sentence and let the context follow",
        )
    for i, point in enumerate(b.key_points):
        if isinstance(point, str) and _words(point) > KEY_POINT_WORDS:
            out.warn(
                b.at("key_points", i),
                f"key_points[{i}]",
                f"this key point is {_words(point)} words; at most {KEY_POINT_WORDS} each: one fact a point",
            )
