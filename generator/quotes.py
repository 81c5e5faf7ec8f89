"""Find quoted words in a source text (W3C TextQuoteSelector: exact, prefix, suffix).

Both sides are normalised before matching: runs of white space become one
space, typographic quotes and apostrophes become straight ones. Offsets refer
to the original source text, so the site can highlight the exact span.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NormalText:
    """A text in normal form, with a map back to offsets in the original."""

    text: str
    """Normalised text."""
    origin: tuple[int, ...]
    """origin[i] is the offset in the original of normalised character i; one extra entry at the end."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of normalised ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> NormalText:
    out: list[str] = []
    origin: list[int] = []
    folded = text.translate(_FOLD)
    i = 0
    for m in _SPACE.finditer(folded):
        out.append(folded[i : m.start()])
        origin.extend(range(i, m.start()))
        out.append(" ")
        origin.append(m.start())
        i = m.end()
    out.append(folded[i:])
    origin.extend(range(i, len(folded)))
    origin.append(len(folded))
    return NormalText("".join(out), tuple(origin))


def normal(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


@dataclass(frozen=True)
class Match:
    span: tuple[int, int] | None
    """Original offsets of the quoted words, when found once."""
    problem: str = ""
    """Why the quote could not be placed, with a suggestion."""


def find_quote(source: NormalText, exact: str, prefix: str = "", suffix: str = "") -> Match:
    """Place ``exact`` in ``source``; ``prefix``/``suffix`` pick among several matches."""
    words = normal(exact)
    before, after = normal(prefix), normal(suffix)
    hay = source.text
    starts = [m.start() for m in re.finditer(re.escape(words), hay)] if words else []
    if not starts:
        return Match(None, f"quote not found in the source; closest passage: \"{closest(hay, words)}\"")
    picked = [s for s in starts if _fits(hay, s, s + len(words), before, after)]
    if not picked:
        which = "prefix" if before and not any(_fits(hay, s, s + len(words), before, "") for s in starts) else "suffix"
        return Match(None, f"the quote is in the source but not with this {which}; check the {which}")
    if len(picked) > 1:
        return Match(None, f"the quote occurs {len(picked)} times in the source; add a prefix or suffix to pick one")
    s = picked[0]
    return Match(source.span(s, s + len(words)))


def _fits(hay: str, start: int, end: int, before: str, after: str) -> bool:
    if before and not hay[:start].rstrip().endswith(before):
        return False
    if after and not hay[end:].lstrip().startswith(after):
        return False
    return True


def closest(hay: str, words: str, width: int = 0) -> str:
    """The passage of ``hay`` most like ``words``, cut at word boundaries."""
    width = width or max(len(words), 20)
    if not hay:
        return ""
    matcher = difflib.SequenceMatcher(None, hay, words, autojunk=False)
    block = matcher.find_longest_match(0, len(hay), 0, len(words))
    start = max(0, block.a - block.b)
    end = min(len(hay), start + width)
    while start > 0 and hay[start - 1] != " ":
        start -= 1
    while end < len(hay) and hay[end] != " ":
        end += 1
    passage = hay[start:end].strip()
    return passage if len(passage) <= 200 else passage[:200] + "…"
