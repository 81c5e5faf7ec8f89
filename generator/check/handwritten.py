"""Hand-written pages (``content/pages/*.md``), checked before MkDocs sees them.

A page is published as it is: MkDocs renders its Markdown, and Python-Markdown
passes raw HTML through untouched, its ``attr_list`` extension puts any
attribute on an element, and the theme prints front-matter values as markup.
So a page may hold Markdown and a few inline tags, and nothing else that a
browser would read as markup. What is refused is reported at its line and
column, rather than silently removed: the page is published as written or not
at all, and the editor learns why. The scan of the built HTML (``scan.py``)
stays behind this as a second line.

Python-Markdown and MkDocs also slow down more than linearly on some inputs
(many ``[``, many headings) and recurse once per nesting level, so a page has
caps on its size, its ``[``, its headings and its nesting, each reported at the
place that passes it.
"""

from __future__ import annotations

import bisect
import datetime
import html
import itertools
import re
from collections.abc import Callable, Iterator

import markdown
import yaml
from markdown.extensions.toc import slugify

from generator.config import DEFAULT_MARKDOWN, Extensions
from generator.errors import Collector
from generator.format.fieldtypes import _CONTROL_RE
from generator.format.loader import (
    _REFUSED,
    MAX_REPORTED,
    LoadFailed,
    Mapping,
    Node,
    Scalar,
    load_bytes_partial,
)
from generator.format.text import one_line
from generator.suggest import did_you_mean

MAX_PAGE_BYTES = 100 * 1024
"""Largest page accepted; the About page is 1.3 KB. The slowest pages of this size that pass the other caps
(headings, block quotes, backslashes) add a few seconds to a build."""
MAX_BRACKETS = 500
"""Most ``[`` in a page (each link or image takes one): Python-Markdown's time grows with their square."""
MAX_HEADINGS = 500
"""Most headings in a page: MkDocs' table of contents and search index take a time that grows with their
square (16,000 headings took 40 s, 20,000 took over a minute)."""
MAX_NESTING = 16
"""Deepest nesting of lists, block quotes and indentation on a line; Python-Markdown recurses per level."""
MAX_HTML_DEPTH = 16
"""Deepest nesting of the allowed tags."""
MAX_BACKTICK_RUNS = 2000
"""Most runs of '`' in a page (a code span takes two): Python-Markdown's time grows with their square within a
paragraph (2,000 runs take 0.2 s; the 48,000 of a 96 KB page took 114 s)."""


FRONT_MATTER_FIELDS = ("title", "description")
"""What a page's front matter may set: the title in the browser tab and header, the description for search engines."""
MARKUP_CHARACTERS = {"<": "&lt;", ">": "&gt;", '"': "&quot;"}
"""Characters the theme would print as markup in a front-matter value, with what to write instead."""

ALLOWED_TAGS = frozenset(
    {
        "abbr",
        "b",
        "cite",
        "code",
        "dd",
        "del",
        "details",
        "dfn",
        "dl",
        "dt",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "strong",
        "sub",
        "summary",
        "sup",
        "u",
        "var",
    }
)
"""Tags a page may write, without attributes (``<abbr>`` may have a ``title``), besides ``<br>`` and ``<wbr>``."""
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# MkDocs' own two ways of reading metadata (mkdocs/utils/meta.py): YAML between '---' lines at the very
# start, or else MultiMarkdown's 'key: value' lines up to the first blank line.
_YAML_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_META_LINE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:")

_TAG_NAMES = "|".join(sorted(ALLOWED_TAGS))
_MARKUP = re.compile(
    rf"(?P<open><(?P<name>{_TAG_NAMES})>|<abbr title=\"[^\"<>\n]*\">)"
    rf"|(?P<close></(?P<closed>{_TAG_NAMES})>)"
    r"|<(?:br|wbr) ?/?>"
    r"|<https?://[^\s<>\"'`]+>"  # autolinks: Markdown makes them links
    r"|<[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+>"  # e-mail autolinks
    r"|<!--(?!-?>)(?:[^<-]|-(?!-))*-->"  # a comment that ends where browsers end it, with no tag inside
    r"|(?P<raw><[A-Za-z/!?])",
    re.I,
)
"""Everything that starts with '<' and a letter, '/', '!' or '?': what is allowed, and (``raw``) what is not."""
_REFUSED_CHARACTER = re.compile(f"{_REFUSED.pattern}|{_CONTROL_RE.pattern}")
"""What YAML refuses in a content file, and the bidi controls that text fields refuse."""
_BACKTICK_RUN = re.compile(r"`+")
_ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_RENDERED_URL = re.compile(r'<(?P<tag>[A-Za-z][A-Za-z0-9]*)\b[^>]*?\s(?:href|src)="(?P<url>[^"]*)"')
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_HEADING = re.compile(r"^[ \t>*+\-0-9.)]*#|^[ \t>]*(?:=+|-+)[ \t]*$", re.M)
"""A line that may be a heading: a '#' after list or quote markers, or a setext underline (or a rule)."""
_CONTAINER = re.compile(r"[ \t]*(>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
"""A block quote or list marker: each one nests what follows it one level deeper."""


def check_page(
    rel: str, text: str, out: Collector, extensions: Extensions = DEFAULT_MARKDOWN
) -> None:
    """Report every problem of the page ``rel`` into ``out``; MkDocs reads it as :func:`as_mkdocs_reads`, and
    renders it with ``extensions`` (names, and their settings by name)."""
    text = as_mkdocs_reads(text)
    size = len(text.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        out.add(rel, 1, 1, "", f"page is {size} bytes; the limit is {MAX_PAGE_BYTES} bytes")
        return
    page = _Page(rel, text, out)
    page.characters()
    body = page.front_matter()
    within_caps = page.nesting(body) & page.headings(body)
    page.markup(body)
    page.attribute_lists(body)
    page.theme_ids(body)
    # Python-Markdown takes a time that grows with the square of the '[' and of the runs of '`', and recurses
    # once per level of nesting: the page is rendered to find its links only within every cap
    if page.brackets(body) & page.backticks(body) & within_caps:
        page.links(body, extensions)


def as_mkdocs_reads(text: str) -> str:
    """The page as MkDocs reads it: without a byte order mark, every line break a line feed."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class _Page:
    """One page's text, and its problems reported at their line and column."""

    def __init__(self, rel: str, text: str, out: Collector):
        self.rel, self.text, self.out = rel, text, out
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def at(self, pos: int, message: str, field: str = "") -> None:
        line = bisect.bisect_left(self.newlines, pos)
        col = pos - (self.newlines[line - 1] + 1 if line else 0) + 1
        self.out.add(self.rel, line + 1, col, field, message)

    def each(
        self, places: Iterator[int], message: Callable[[int], str], more: Callable[[int], str]
    ) -> None:
        """``message(pos)`` at each of ``places``, the first MAX_REPORTED of them, then how many more."""
        for n, pos in enumerate(places):
            if n == MAX_REPORTED:
                self.at(pos, more(1 + sum(1 for _ in places)))
                return
            self.at(pos, message(pos))

    def characters(self) -> None:
        def message(pos: int) -> str:
            code = ord(self.text[pos])
            what = "line separator" if code in (0x85, 0x2028, 0x2029) else "control character"
            return f"file contains the invisible {what} U+{code:04X}; remove it"

        self.each(
            (m.start() for m in _REFUSED_CHARACTER.finditer(self.text)),
            message,
            lambda n: f"file contains {n} more such characters from here on; remove them too",
        )

    def front_matter(self) -> int:
        """Check the metadata MkDocs would read; returns where the Markdown starts."""
        m = _YAML_FRONT_MATTER.match(self.text)
        if m is None:
            first = self.text.split("\n", 1)[0]
            if _META_LINE.match(first):
                self.at(
                    0,
                    f"the first line '{_short(first)}' would be read as page metadata (key: value); start "
                    "the page with a '# ' heading, or put title and description between '---' lines",
                )
            return 0
        try:
            root, problems = load_bytes_partial(m[1].encode("utf-8"), self.rel)
        except LoadFailed as exc:
            root, problems = None, exc.problems
        for line, col, message in problems:  # the front matter starts on line 2
            self.out.add(self.rel, line + 1, col, "", message)
        if isinstance(root, Mapping):
            reported = {(line, col) for line, col, _ in problems}
            for key, (key_node, value) in root.items.items():
                if (value.line, value.col) not in reported:  # an alias, say: said once is enough
                    self._field(key, key_node, value)
            if not problems:
                self._as_mkdocs_reads(m[1], root)
        return m.end()

    def _as_mkdocs_reads(self, block: str, root: Mapping) -> None:
        """MkDocs reads the block with PyYAML (YAML 1.1): where that fails, it publishes the whole block as
        Markdown, which nothing else here looked at; where it reads a value as a number, a truth value or a
        date, the page head shows that instead of the text. Either is an error at the value."""
        data, failed = _pyyaml_read(block)
        items = list(root.items.items())
        if failed is not None:
            lines = block.split("\n")
            for n, (key, (key_node, value)) in enumerate(items):
                end = items[n + 1][1][0].line - 1 if n + 1 < len(items) else len(lines)
                _, problem = _pyyaml_read("\n".join(lines[key_node.line - 1 : end]) + "\n")
                if problem is not None:
                    self.out.add(
                        self.rel,
                        value.line + 1,
                        value.col,
                        key,
                        f"MkDocs cannot read this value as YAML ({problem}) and would publish the whole "
                        "front matter as text; put the value in quotes",
                    )
                    return
            self.out.add(
                self.rel,
                2,
                1,
                "",
                f"MkDocs cannot read this front matter as YAML ({failed}) and would publish it as text; "
                "put each value in quotes",
            )
            return
        for key, (_key_node, value) in items:
            read = data.get(key) if isinstance(data, dict) else None
            if isinstance(value, Scalar) and value.value.strip() and not isinstance(read, str):
                kind = (
                    "a truth value"
                    if isinstance(read, bool)
                    else "a number"
                    if isinstance(read, (int, float))
                    else "a date"
                    if isinstance(read, (datetime.date, datetime.datetime))
                    else "something other than text"
                )
                self.out.add(
                    self.rel,
                    value.line + 1,
                    value.col,
                    key,
                    f"MkDocs reads '{_short(value.value)}' as {kind} ({read}), not as text; put it in "
                    f'quotes: {key}: "{_short(value.value)}"',
                )

    def _field(self, key: str, key_node: Node, value: Node) -> None:
        def at(node: Node, message: str) -> None:
            self.out.add(self.rel, node.line + 1, node.col, key, message)

        if key not in FRONT_MATTER_FIELDS:
            at(
                key_node,
                f"a page's front matter holds only {' and '.join(FRONT_MATTER_FIELDS)}"
                f"{did_you_mean(key, FRONT_MATTER_FIELDS)}",
            )
        elif not isinstance(value, Scalar):
            at(value, f"must be text, not a {value.kind}")
        elif not value.value.strip():
            at(value, "must not be empty")
        elif "\n" in value.value.strip():
            at(value, "must be one line; remove the line break")
        elif found := [c for c in MARKUP_CHARACTERS if c in value.value]:
            at(
                value,
                f"contains {_listed(found)}, which the page head would take as markup; write "
                f"{_listed([MARKUP_CHARACTERS[c] for c in found], quote='')} instead",
            )

    def brackets(self, start: int) -> bool:
        """False, after reporting it, when the Markdown has more '[' than MAX_BRACKETS."""
        total = self.text.count("[", start)
        if total <= MAX_BRACKETS:
            return True
        pos = start - 1
        for _ in range(MAX_BRACKETS + 1):
            pos = self.text.index("[", pos + 1)
        self.at(
            pos, f"page has {total} '['; the limit is {MAX_BRACKETS} (each link or image takes one)"
        )
        return False

    def headings(self, start: int) -> bool:
        """False, after reporting it, when the page has more than MAX_HEADINGS headings."""
        places = _HEADING.finditer(self.text, start)
        for n, m in enumerate(places):
            if n == MAX_HEADINGS:
                total = MAX_HEADINGS + 1 + sum(1 for _ in places)
                self.at(m.start(), f"page has {total} headings; the limit is {MAX_HEADINGS}")
                return False
        return True

    def theme_ids(self, start: int) -> None:
        """A heading whose id the theme's own scripts look up (``__config``: Material's settings) would stop them."""
        for m in _ATX_HEADING.finditer(self.text, start):
            slug = slugify(m[1], "-")
            if slug.startswith("__"):
                self.at(
                    m.start(1),
                    f"heading gets the id '{slug}', and ids that start with '__' are the theme's own (its "
                    "scripts look them up); reword the heading",
                )

    def nesting(self, start: int) -> bool:
        """False, after reporting each place, when lines are nested more than MAX_NESTING deep."""
        before = len(self.out.diagnostics)

        def places() -> Iterator[int]:
            for m in re.finditer(r"^.*$", self.text[start:], re.M):
                line = m[0]
                lead = len(line) - len(line.lstrip(" \t"))
                depth, pos, where = _indent(line[:lead]) // 4, lead, lead
                while depth <= MAX_NESTING and (c := _CONTAINER.match(line, pos)):
                    depth, pos, where = depth + 1, c.end(), c.start(1)
                if depth > MAX_NESTING:
                    yield start + m.start() + where

        self.each(
            places(),
            lambda pos: (
                f"nested more than {MAX_NESTING} levels deep (lists, block quotes, "
                f"indentation); the limit is {MAX_NESTING}"
            ),
            lambda n: f"{n} more lines nested too deep from here on",
        )
        return len(self.out.diagnostics) == before

    def markup(self, start: int) -> None:
        open_tags: list[str] = []
        raw: list[int] = []
        for m in _MARKUP.finditer(self.text, start):
            if m["raw"]:
                raw.append(m.start())
            elif m["open"]:
                open_tags.append((m["name"] or "abbr").lower())
                if len(open_tags) == MAX_HTML_DEPTH + 1:  # reported once, where it first happens
                    self.at(
                        m.start(),
                        f"tags nested more than {MAX_HTML_DEPTH} deep; the limit is {MAX_HTML_DEPTH}",
                    )
            elif m["close"] and m["closed"].lower() in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(m["closed"].lower()) :]
        self.each(
            iter(raw),
            lambda pos: (
                f"raw HTML '{_short(self.text[pos:], '>')}' is not allowed in a page; write "
                "&lt; for a literal '<' (FORMAT-REFERENCE.md lists the tags a page may use)"
            ),
            lambda n: f"{n} more raw HTML tags from here on",
        )

    def attribute_lists(self, start: int) -> None:
        def places() -> Iterator[int]:
            for line in re.finditer(r"^.*$", self.text[start:], re.M):
                last = line[0].rfind("}")
                for m in re.finditer(r"\\.|\{", line[0][: max(last, 0)]):
                    if m[0] == "{":
                        yield start + line.start() + m.start()

        self.each(
            places(),
            lambda pos: (
                f"attribute list '{_short(self.text[pos:], '}')}' is not allowed in a page; "
                "write \\{ for a literal brace"
            ),
            lambda n: f"{n} more attribute lists from here on",
        )

    def backticks(self, start: int) -> bool:
        """False, after reporting it, when the Markdown has more runs of '`' than MAX_BACKTICK_RUNS."""
        runs = list(
            itertools.islice(_BACKTICK_RUN.finditer(self.text, start), MAX_BACKTICK_RUNS + 1)
        )
        if len(runs) <= MAX_BACKTICK_RUNS:
            return True
        total = (
            MAX_BACKTICK_RUNS
            + 1
            + sum(1 for _ in _BACKTICK_RUN.finditer(self.text, runs[-1].end()))
        )
        self.at(
            runs[-1].start(),
            f"page has {total} runs of '`'; the limit is {MAX_BACKTICK_RUNS} (each code span takes two)",
        )
        return False

    def links(self, start: int, extensions: Extensions) -> None:
        """Every link and image as Python-Markdown makes them, with the extensions MkDocs uses; each refused one
        reported where its URL stands (raw HTML is refused by :meth:`markup`, and left out here)."""
        names, configs = extensions
        md = markdown.Markdown(extensions=list(names), extension_configs=dict(configs))
        # raw HTML stays a placeholder: it is reported as markup
        md.postprocessors.deregister("raw_html")
        rendered = md.convert(self.text[start:])
        searched_from: dict[str, int] = {}
        # Python-Markdown writes every attribute in double quotes
        for m in _RENDERED_URL.finditer(rendered):
            tag, written = m["tag"].lower(), m["url"]
            url = html.unescape(written)  # as a browser reads the attribute
            plain = _TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE))
            scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", plain)
            if scheme and scheme[1].lower() not in LINK_SCHEMES:
                message = (
                    f"link to a {scheme[1].lower()}: URL; a page links only to http(s) and mailto "
                    "URLs and to pages of the site"
                )
            elif tag == "img" and (scheme or re.match(r"[/\\]{2}", plain)):
                message = (
                    f"image '{_short(url)}' is on another host: a page shows only images of "
                    "the site, by a relative path, so that readers' browsers ask no one else"
                )
            else:
                continue
            needles = (url, written.replace("&amp;", "&"), written.split(":", 1)[0] + ":")
            self.at(self._place(needles, start, searched_from), message)

    def _place(self, needles: tuple[str, ...], start: int, searched_from: dict[str, int]) -> int:
        """Where a URL stands in the page: the next place of the first of ``needles`` found (as a browser reads
        it, as written, the start of its scheme), after its last place found; else the start of the Markdown."""
        for needle in needles:
            # a destination follows '(', '<' or white space ('[ref]: url'), never the middle of another URL
            m = re.compile(r"(?:(?<=\()|(?<=<)|(?<=\s))" + re.escape(needle)).search(
                self.text, searched_from.get(needle, start)
            )
            if m is not None:
                searched_from[needle] = m.start() + 1
                return m.start()
        return start


_PyYAMLLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The loader MkDocs reads front matter with (mkdocs/utils/meta.py): libyaml's, when PyYAML was built with it."""


def _pyyaml_read(block: str) -> tuple[object, str | None]:
    """What MkDocs reads of ``block``, and why that fails (it then keeps the block as Markdown) or None."""
    try:
        return yaml.load(block, Loader=_PyYAMLLoader), None  # noqa: S506 - a safe loader, as MkDocs' own
    except yaml.MarkedYAMLError as exc:
        return None, one_line(str(exc.problem or exc))
    except Exception as exc:  # noqa: BLE001 - MkDocs catches every exception here, and so must we
        return None, one_line(str(exc)) or type(exc).__name__


def _listed(items: list[str], quote: str = "'") -> str:
    quoted = [f"{quote}{i}{quote}" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _indent(space: str) -> int:
    """Width of the white space in ``space`` (ignoring anything else), tabs to the next multiple of 4."""
    width = 0
    for c in space:
        if c == "\t":
            width += 4 - width % 4
        elif c == " ":
            width += 1
    return width


def _short(text: str, end: str = "", limit: int = 40) -> str:
    """The start of ``text``, on one line: up to and including ``end`` when it comes soon enough."""
    cut = text.find(end) + 1 if end and 0 <= text.find(end) < limit else limit
    flat = text[:cut].split("\n", 1)[0]
    return flat if len(flat) == len(text) or flat.endswith(end or "\x00") else flat + "…"


def reference() -> list[str]:
    """The rules of a hand-written page, as a section of FORMAT-REFERENCE.md."""
    tags = ", ".join(f"`<{t}>`" for t in sorted(ALLOWED_TAGS - {"abbr"}))
    fields = " and ".join(f"`{f}`" for f in FRONT_MATTER_FIELDS)
    return [
        "## hand-written page",
        "",
        "A Markdown file `content/pages/<name>.md` (the name an id), published as written at `pages/<name>/`. "
        "What a browser would take as markup, or as a reason to ask another host for something, is an error "
        "of `briefing check` at its line and column; nothing is removed silently.",
        "",
        "| what | rule |",
        "| --- | --- |",
        f"| front matter | optional, between `---` lines at the very top: {fields}, "
        'each one line of text without `<`, `>` or `"` (write `&lt;`, `&gt;`, `&quot;`); no other field. It must '
        "read as text the way MkDocs reads it (PyYAML, YAML 1.1): a value such as `2025-02-30`, `=`, `12:30` or "
        "`yes` goes in quotes, or MkDocs would publish the block as text or show another value. Without "
        "front matter the first line must not look like `key: value`, which MkDocs would read as metadata. |",
        f'| tags | `<abbr title="…">`, {tags}, `<br>` and `<wbr>`, with no other attribute; comments `<!-- … -->`; '
        "autolinks `<https://…>` and `<name@example.org>`. Any other `<` before a letter, `/`, `!` or `?` is an "
        "error, in code too: write `&lt;`. |",
        "| attribute lists | `{: … }` (and any `{…}` on one line) is an error; write `\\{` for a literal brace. |",
        "| links and images | links to http(s) and mailto URLs and to pages of the site; images only from the site, "
        "by a relative path. The check renders the page with Python-Markdown and the extensions of `mkdocs.yml`, "
        "so every form of link counts (text over two lines, nested brackets, references defined in a quote or "
        "list). |",
        "| headings | no heading whose id starts with `__` (`## __config`): those ids are the theme's own. |",
        "| characters | as in the YAML files: no control characters, no invisible line separators (NEL, U+2028, "
        "U+2029), no bidi controls (U+202A to U+202E, U+2066 to U+2069). |",
        f"| size | at most {MAX_PAGE_BYTES} bytes, {MAX_BRACKETS} `[`, {MAX_BACKTICK_RUNS} runs of `` ` `` and "
        f"{MAX_HEADINGS} headings; lists, block "
        f"quotes and indentation nested at most {MAX_NESTING} deep on a line, tags at most {MAX_HTML_DEPTH} deep. |",
        "",
    ]
