"""``briefing quote``: find words in the source texts and write the quote an editor pastes into a briefing.

The words are looked for as ``briefing check`` looks for a quote (quotes.py:
white space, quote marks, dashes and ``...`` normalised), in every source with
a local text. Each place they occur becomes one ready quote, with the words
exactly as the source has them and, where they occur more than once in that
source, the fewest words before (``prefix``) or after (``suffix``) that pick
this place, checked with the same ``find_quote`` the check uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.check.content import read_content
from generator.errors import BriefingError, Collector, ContentError, UsageError
from generator.format.quotes import NormalText, closest, find_quote, normalise_words, occurrences
from generator.format.text import one_line
from generator.format.yamltext import inline
from generator.project import Project

MAX_CONTEXT_WORDS = 12
"""Most words of prefix or suffix tried before an occurrence is given up as not to be picked."""


@dataclass(frozen=True)
class Found:
    source: str
    """Id of the source the words are in."""
    exact: str
    """The words as the source has them, on one line."""
    prefix: str = ""
    suffix: str = ""
    occurrence: int = 1
    of: int = 1

    def block(self) -> str:
        """The quote as YAML, a list item for ``quotes:`` (drop the ``- `` under a ``quote:``)."""
        lines = [f"- source: {self.source}", f"  exact: {inline(self.exact)}"]
        if self.prefix:
            lines.append(f"  prefix: {inline(self.prefix)}")
        if self.suffix:
            lines.append(f"  suffix: {inline(self.suffix)}")
        return "\n".join(lines)


def find_words(project: Project, words: str, source: str | None = None) -> list[Found]:
    """Every place of ``words`` in the source texts (of ``source`` only, when given), sources by id."""
    if not normalise_words(words):
        raise UsageError("WORDS is empty; give the words to look for, in quotes")
    out = Collector()
    archive = read_content(project, out)
    if source is not None and source not in archive.sources:
        raise UsageError(
            f"--source: no source '{source}' in {project.rel(project.content / 'sources.yaml')}"
        )
    texts = archive.texts
    wanted = [source] if source else sorted(archive.sources)
    searched: dict[str, NormalText] = {
        sid: text for sid in wanted if (text := texts.get(sid)) is not None
    }
    if not searched:
        if out.diagnostics:
            raise ContentError(out.diagnostics)
        raise UsageError("no source has a local text under seeds/ to look in")
    found = [
        f
        for sid, text in searched.items()
        for f in _places(sid, archive.sources[sid].body or "", text, words)
    ]
    if not found:
        near = " ".join(
            f"'{sid}': \"{closest(text.text, normalise_words(words))}\";"
            for sid, text in searched.items()
        )
        raise NotFound(f"the words are in no source text; closest passages: {near.rstrip(';')}")
    return found


class NotFound(BriefingError):
    """The words are in no source text: exit 1, as for a quote the check cannot find."""


def _places(sid: str, body: str, text: NormalText, words: str) -> list[Found]:
    wanted = normalise_words(words)
    starts = occurrences(text.text, wanted)
    out = []
    for n, start in enumerate(starts, 1):
        a, b = text.span(start, start + len(wanted))
        exact = one_line(body[a:b])
        prefix, suffix = ("", "") if len(starts) == 1 else _context(text, body, exact, (a, b))
        out.append(Found(sid, exact, prefix, suffix, n, len(starts)))
    return out


def _context(text: NormalText, body: str, exact: str, span: tuple[int, int]) -> tuple[str, str]:
    """The fewest words before, else after, else both, with which ``find_quote`` picks ``span``."""
    before, after = body[: span[0]].split(), body[span[1] :].split()
    for k in range(1, MAX_CONTEXT_WORDS + 1):
        for prefix, suffix in ((" ".join(before[-k:]), ""), ("", " ".join(after[:k]))):
            if (prefix or suffix) and find_quote(text, exact, prefix, suffix).span == span:
                return prefix, suffix
    for k in range(1, MAX_CONTEXT_WORDS + 1):
        prefix, suffix = " ".join(before[-k:]), " ".join(after[:k])
        if find_quote(text, exact, prefix, suffix).span == span:
            return prefix, suffix
    return "", ""
