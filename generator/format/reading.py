"""What a reader reads first of a briefing: its bottom line, cut from the summary as the pages cut it.

Shared by the pages, which show it, and the check, which warns when it is longer than a phone's first screen
holds. Text is never rewritten, only cut between paragraphs or sentences.
"""

from __future__ import annotations

import re

from generator.format.model import Briefing
from generator.format.text import collapse_space

BOTTOM_LINE_MAX = 300
"""The cap of a ``bottom_line`` (schema.py): a summary's first paragraph longer than this is cut at its first sentence."""
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*[ \t\n]+(?=[\"“‘(\[]?[A-Z0-9])")
_NOT_AN_END = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "prof",
        "rep",
        "sen",
        "gov",
        "capt",
        "maj",
        "cmdr",
        "adm",
        "approx",
        "ca",
        "fig",
        "vol",
    }
)


def first_sentence(text: str, limit: int = BOTTOM_LINE_MAX) -> tuple[str, str] | None:
    """(first sentence, the rest) of one paragraph, when a sentence ends within ``limit`` characters; else None.

    A full stop after an initial ("J."), an abbreviation ("Mr.", "U.S.") or a number is no end.
    """
    for m in _SENTENCE_END.finditer(text):
        if m.start() >= limit:
            break
        word = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
        bare = word.strip('"“‘(').lower()
        if text[m.start()] == "." and (len(bare) <= 1 or bare in _NOT_AN_END or "." in bare):
            continue
        end = m.start() + len(m.group(0).rstrip(" \t\n"))
        return text[:end], text[m.end() :]
    return None


def bottom_line(b: Briefing) -> tuple[str, str]:
    """(the bottom line, the context below it) of a briefing.

    The ``bottom_line`` when it has one, with the whole ``summary`` as context.
    A format-1 briefing has none: its summary's first paragraph is its bottom
    line and the other paragraphs the context; a first paragraph longer than a
    ``bottom_line`` may be is cut at the end of its first sentence. Text is
    never rewritten, only cut between paragraphs or sentences (a summary within
    the cap is shown whole, word for word).
    """
    if b.bottom_line:
        return b.bottom_line, b.summary
    paragraphs = [p for p in b.summary.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        return "", ""
    first, rest = collapse_space(paragraphs[0]), paragraphs[1:]
    if len(first) > BOTTOM_LINE_MAX:
        cut = first_sentence(first)
        if cut:
            first = cut[0]
            rest = [cut[1], *rest]
    return first, "\n\n".join(rest)
