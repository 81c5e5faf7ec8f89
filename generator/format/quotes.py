"""Find quoted words in a source text (W3C TextQuoteSelector: exact, prefix, suffix).

Both sides are normalised before matching, so that words copied from a
source match however the source or the editor's keyboard typed them:

* runs of white space (line breaks, tabs, no-break and thin spaces) become one space;
* typographic quotes and apostrophes (‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ « » ‹ › ´ `) become straight ones;
* dashes and hyphens (‐ ‑ ‒ – — ― −) become the hyphen-minus ``-``;
* three full stops ``...`` become the ellipsis ``…``.

Offsets refer to the original source text, so the site can highlight the exact span.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "'",
        "\u203a": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
ELLIPSIS = "\u2026"
_COLLAPSED = re.compile(r"(?! (?!\s))\s+|\.\.\.")
"""What normalising shortens: runs of white space (all but a lone space, which stays in place), and
three full stops, which become one ellipsis."""


@dataclass(frozen=True)
class NormalText:
    """A text in normal form, with a map back to offsets in the original."""

    text: str
    """Normalised text."""
    breaks: tuple[tuple[int, int], ...]
    """(normalised offset, original offset) where a run of white space was collapsed; offsets
    between two breaks move together, since folding quotes keeps every other character in place."""

    def origin(self, i: int) -> int:
        k = bisect_right(self.breaks, (i, 1 << 62)) - 1
        if k < 0:
            return i
        n, o = self.breaks[k]
        return o + (i - n)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of normalised ``[start, end)``; the end is where the next character begins, so an
        ellipsis that stands for three full stops ends after the third."""
        return self.origin(start), self.origin(end)


def normalise(text: str) -> NormalText:
    folded = text.translate(_FOLD)
    out: list[str] = []
    breaks: list[tuple[int, int]] = []
    i = n = 0
    for m in _COLLAPSED.finditer(folded):
        out.append(folded[i : m.start()])
        n += m.start() - i
        out.append(ELLIPSIS if m[0] == "..." else " ")
        breaks.append((n, m.start()))  # the single character stands for the run
        n += 1
        i = m.end()
        breaks.append((n, i))  # text after the run
    out.append(folded[i:])
    return NormalText("".join(out), tuple(breaks))


def normalise_words(text: str) -> str:
    """The words of a quote (``exact``, ``prefix``, ``suffix``, or what ``briefing quote`` looks for) in the
    normal form of :func:`normalise`, trimmed: one rule for the source and the words looked for in it."""
    return normalise(text).text.strip()


@dataclass(frozen=True)
class Match:
    span: tuple[int, int] | None
    """Original offsets of the quoted words, when found once."""
    problem: str = ""
    """Why the quote could not be placed, with a suggestion."""


def find_quote(source: NormalText, exact: str, prefix: str = "", suffix: str = "") -> Match:
    """Place ``exact`` in ``source``; ``prefix``/``suffix`` pick among several matches."""
    words = normalise_words(exact)
    before, after = normalise_words(prefix), normalise_words(suffix)
    hay = source.text
    starts = occurrences(hay, words)
    if not starts:
        cut = occurrences(hay, words, whole_words=False)
        if cut:
            s = cut[0]
            return Match(
                None,
                f'the quote starts or ends inside a word of the source ("{_cut_words(hay, s, s + len(words))}"); '
                "quote whole words",
            )
        if ELLIPSIS in words or re.search(r"\[[^\]]*\]", words):  # a newsroom's cut or insertion
            return Match(
                None,
                "quote not found in the source: a quote holds the source's words exactly, so it cannot skip "
                "words with '…' or add them in [brackets]; make one quote of each stretch of words (briefing "
                f'quote "…" finds each); {near(hay, words)}',
            )
        return Match(None, f"quote not found in the source; {near(hay, words)}")
    picked = [s for s in starts if _fits(hay, s, s + len(words), before, after)]
    if not picked:
        which = (
            "prefix"
            if before and not any(_fits(hay, s, s + len(words), before, "") for s in starts)
            else "suffix"
        )
        return Match(
            None, f"the quote is in the source but not with this {which}; check the {which}"
        )
    if len(picked) > 1:
        return Match(
            None,
            f"the quote occurs {len(picked)} times in the source; add a prefix or suffix to pick one",
        )
    s = picked[0]
    return Match(source.span(s, s + len(words)))


def occurrences(hay: str, words: str, whole_words: bool = True) -> list[int]:
    """Where ``words`` start in ``hay`` (both normalised), overlapping matches included; only where they start
    and end on word boundaries, unless ``whole_words`` is false ("resolved" is not quoted from "unresolved")."""
    out: list[int] = []
    if not words:
        return out
    at = hay.find(words)
    while at != -1:
        if not whole_words or _whole(hay, at, at + len(words)):
            out.append(at)
        at = hay.find(words, at + 1)
    return out


def _whole(hay: str, start: int, end: int) -> bool:
    """``hay[start:end]`` neither starts nor ends inside a word."""
    return not (0 < start and hay[start - 1].isalnum() and hay[start].isalnum()) and not (
        start < end < len(hay) and hay[end - 1].isalnum() and hay[end].isalnum()
    )


def _cut_words(hay: str, start: int, end: int) -> str:
    """The quoted passage with the words it cuts shown whole, the cut marked by '|' ("un|resolved")."""
    left = start
    while left > 0 and hay[left - 1].isalnum():
        left -= 1
    right = end
    while right < len(hay) and hay[right].isalnum():
        right += 1
    shown = hay[left:start] + ("|" if left < start else "") + hay[start:end]
    shown += ("|" if end < right else "") + hay[end:right]
    return shown if len(shown) <= 120 else shown[:60] + "…" + shown[-60:]


def _fits(hay: str, start: int, end: int, before: str, after: str) -> bool:
    """The prefix ends where the quote starts (white space between) and the suffix starts where it ends, each
    of whole words."""
    if before:
        head = hay[:start].rstrip()
        if not head.endswith(before) or not _whole(hay, len(head) - len(before), len(head)):
            return False
    if after:
        gap = len(hay[end:]) - len(hay[end:].lstrip())
        if not hay[end + gap :].startswith(after) or not _whole(
            hay, end + gap, end + gap + len(after)
        ):
            return False
    return True


_MARKS = "\"'"
_PUNCTUATION = ".,;:!?)" + ELLIPSIS


def closest(hay: str, words: str, width: int = 0) -> str:
    """The passage of ``hay`` most like ``words``, cut at word boundaries.

    It never begins or ends with a quote mark (it takes one more word instead), so the message's
    own quote marks around it are never doubled, and a quotation in it is shown whole.
    """
    words = words[
        :200
    ]  # at most 200 characters are shown; a longer quote would only cost time (quadratic)
    width = width or max(len(words), 20)
    if not hay:
        return ""
    matcher = difflib.SequenceMatcher(None, hay, words, autojunk=False)
    block = matcher.find_longest_match(0, len(hay), 0, len(words))
    start = _word_start(hay, max(0, block.a - block.b))
    end = _word_end(hay, min(len(hay), start + width))
    while start > 0 and hay[start] in _MARKS:
        start = _word_start(hay, start - 1)
    while end < len(hay) and hay[start:end].rstrip(_PUNCTUATION)[-1:] in tuple(_MARKS):
        end = _word_end(hay, end + 1)  # ends on a quote mark: the next word too
    passage = hay[start:end].strip()
    return passage if len(passage) <= 200 else passage[:200] + "…"


def near(hay: str, words: str) -> str:
    """The closest passage, and where it first parts from the quote, for a quote not found."""
    passage = closest(hay, words)
    said = f'closest passage: "{passage}"'
    return said + (f"; {apart}" if (apart := first_difference(passage, words)) else "")


def first_difference(passage: str, words: str) -> str:
    """Where ``passage`` and the quote's ``words`` first part, word by word: what each has there.

    The passage is cut at word boundaries around the best match, so words it has before the quote's first
    or after its last, or a quote's last words it was cut before, are no difference; a passage with no word
    of the quote has none to point at."""
    have, want = passage.split(), words[:200].split()

    def fold(ws: list[str]) -> list[str]:
        return [w.strip(_PUNCTUATION + _MARKS) for w in ws]  # a quote's case is the source's

    def shown(ws: list[str]) -> str:
        return " ".join(ws[:4]).strip(_PUNCTUATION + _MARKS + " ")

    ops = difflib.SequenceMatcher(None, fold(have), fold(want), autojunk=False).get_opcodes()
    if not any(op == "equal" for op, *_ in ops):
        return ""  # nothing in common: the passage is only the least unlike
    for op, i1, i2, j1, j2 in ops:
        if op == "equal" or (op == "delete" and (i1 == 0 or i2 == len(have))):
            continue
        if op == "insert" and i1 == len(have):
            continue
        mine = shown(want[j1:j2])
        if op == "replace":
            return (
                f'it differs at "{mine}", where the source has "{shown(have[i1 : i1 + j2 - j1])}"'
            )
        if op == "insert":
            return f'the source has no "{mine}" there'
        return f'the quote leaves out "{shown(have[i1:i2])}" there'
    return ""


def _word_start(hay: str, i: int) -> int:
    while i > 0 and hay[i - 1] != " ":
        i -= 1
    return i


def _word_end(hay: str, i: int) -> int:
    while i < len(hay) and hay[i] != " ":
        i += 1
    return i


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def paragraph_break(text: str) -> str:
    """What separates the paragraphs of a source text: a blank line, as the format asks, or, in a text
    that has none but three lines or more (pasted from a page that breaks paragraphs with single line
    breaks), the line break, so that its paragraphs are not run together into one block. Two lines
    may be one paragraph wrapped once, and stay one."""
    return "\n" if _BLANK_LINE.search(text) is None and text.strip().count("\n") >= 2 else "\n\n"
