"""White space of a text made plain, one way for each purpose, so no two copies of a rule can drift apart.

``one_line``: every run of white space (Unicode's, the no-break space among
it) as one space, trimmed: a text on one line for data files, feeds, messages
and comparisons. ``collapse_space``: only what HTML itself collapses, so a
no-break space typed on purpose stays: for text shown on a page. The quote
matcher's normal form (quote marks, dashes and ``...`` folded too, with a map
back to the source's offsets) is ``quotes.normalise``; the words of a quote are
put in the same form by ``quotes.normalise_words``, which is derived from it.
"""

from __future__ import annotations

import re

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def one_line(text: str) -> str:
    """Every run of white space as one space, trimmed at both ends."""
    return " ".join(text.split())


def collapse_space(text: str) -> str:
    """Runs of HTML's white space as one space, trimmed; a no-break space stays as typed."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:
        # most hold none: skip the regex
        text = _HTML_SPACE.sub(" ", text)
    return text.strip(" ")
