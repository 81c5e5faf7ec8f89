"""Scan a built site for markup that no template put there (RELIABILITY.md, principle 7).

Content reaches the HTML only as escaped text, so a script, an event-handler
attribute, an embedded frame or a ``javascript:`` link in the output means that
escaping failed somewhere. What the theme templates write is allowed, and
"a template put it there" is decided concretely:

* an inline script whose code is that of a ``<script>`` in one of the theme's
  template folders (Material's, and the overrides in ``site_templates/``), where
  each ``{{ … }}`` stands for a value that cannot leave its string;
* a script loaded from the site's own ``assets/javascripts/`` folder, listed in
  ``mkdocs.yml`` (``extra_javascript``, ``extra.polyfills``), or written literally in a template;
* Material's ``__config`` JSON, and JSON-LD (``application/ld+json``) in ``<head>``,
  when each holds valid JSON;
* a non-http(s) URL written literally in a template (such as ``javascript:void(0)``).

Inside the page content (``<article class="md-content__inner">``), which is the
Markdown generated from content files, no script is ever allowed. The search
index and ``tags.json`` hold HTML that Material's JavaScript inserts into the
page, so their titles and texts are scanned as page content too.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from . import forking

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes allowed anywhere; relative URLs and #anchors have none."""
FRAMES = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
"""Elements that pull in other documents or change where links lead; no template writes them."""
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite", "ping",
    "srcset", "imagesrc", "imagesrcset",
})
EXECUTABLE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_TEMPLATE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TEMPLATE_URL = re.compile(r"""\b(?:href|src|action|formaction)\s*=\s*["']([^"'{}]*)["']""", re.I)
_TEMPLATE_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"'{}]+)["']""", re.I)
_TEMPLATE_TYPE = re.compile(r"""\btype\s*=\s*["']([^"']*)["']""", re.I)
_JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.S)
_JINJA_OTHER = re.compile(r"\{[%#]")
_VALUE_IN_STRING = r"""[^"'`<>\\;]*"""
"""What a ``{{ … }}`` in template code may have printed: a value that stays inside its string."""


@dataclass(frozen=True, order=True)
class Finding:
    """Something in the built site that no template put there."""

    path: str
    """File path relative to the site folder, with forward slashes."""
    line: int
    """1-based line in that file."""
    what: str
    """What was found, with the start of the offending text."""

    def format(self, folder: str = "site") -> str:
        return f"{folder}/{self.path}: {self.what} (line {self.line})"


@dataclass(frozen=True)
class ThemeMarkup:
    """What the theme's templates and the site configuration may put into a page."""

    inline_scripts: tuple[re.Pattern, ...] = ()
    """Code of the templates' inline scripts, with ``{{ … }}`` as a placeholder."""
    literal_urls: frozenset[str] = frozenset()
    """Non-http(s) URLs written literally in a template attribute, e.g. ``javascript:void(0)``."""
    script_srcs: frozenset[str] = frozenset()
    """Script URLs listed in the configuration (``extra_javascript``, ``extra.polyfills``) or a template."""
    base_path: str = "/"
    """Path of ``site_url``: where absolute URLs of the site start."""

    @classmethod
    def from_templates(cls, dirs: Iterable[str | Path], script_srcs: Iterable[str] = (), site_url: str = "") -> ThemeMarkup:
        """Read every ``*.html`` template under ``dirs`` (the theme's template folders, in MkDocs' order)."""
        patterns: dict[str, re.Pattern] = {}
        urls: set[str] = set()
        srcs = set(script_srcs)
        for folder in dirs:
            for path in _templates(Path(folder)):
                text = path.read_text(encoding="utf-8", errors="replace")
                for attrs, body in _TEMPLATE_SCRIPT.findall(text):
                    code = body.strip()
                    src = _TEMPLATE_SRC.search(attrs)
                    if src:
                        srcs.add(src[1].strip())
                    kind = _TEMPLATE_TYPE.search(attrs)
                    if src or (kind and kind[1].strip().lower() not in EXECUTABLE_TYPES) or _JINJA_OTHER.search(code):
                        continue
                    if len(_JINJA_VALUE.sub("", code).strip()) < 10:  # all placeholder: it would match any code
                        continue
                    parts = _JINJA_VALUE.split(code)
                    patterns.setdefault(code, re.compile(_VALUE_IN_STRING.join(re.escape(p) for p in parts), re.S))
                urls.update(u.strip() for u in _TEMPLATE_URL.findall(text) if _scheme(u) not in (None, *SAFE_SCHEMES))
        base = urlsplit(site_url).path or "/"
        return cls(tuple(patterns.values()), frozenset(urls), frozenset(srcs), base if base.endswith("/") else base + "/")

    def allows_code(self, code: str) -> bool:
        code = code.strip()
        return any(p.fullmatch(code) for p in self.inline_scripts)

    def allows_src(self, src: str, page: str, site: Path) -> bool:
        """``src`` (as written in ``page``) is a configured script or a file of the site's assets/javascripts/."""
        src = src.strip()
        if src in self.script_srcs:
            return True
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return False
        if parts.path.startswith("/"):
            if not parts.path.startswith(self.base_path):
                return False
            target = parts.path[len(self.base_path):]
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        return target.startswith("assets/javascripts/") and ".." not in target.split("/") and (site / target).is_file()


def _templates(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "assets")
        for name in sorted(filenames):
            if name.endswith(".html"):
                yield Path(dirpath) / name


def _scheme(url: str) -> str | None:
    """The scheme a browser would see: surrounding spaces and controls, and inner tabs and newlines, ignored."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                                                "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    m = _SCHEME.match(cleaned)
    return m[1].lower() if m else None


def _snippet(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    flat = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in flat)
    return flat if len(flat) <= limit else flat[:limit] + "…"


class _PageScanner(HTMLParser):
    def __init__(self, rel: str, site: Path, theme: ThemeMarkup, content_only: bool = False):
        super().__init__(convert_charrefs=True)
        self.rel, self.site, self.theme = rel, site, theme
        self.findings: list[Finding] = []
        self.content_depth = 1 if content_only else 0
        self.in_head = False
        self.script: tuple[dict, int, bool, bool] | None = None
        self.script_text: list[str] = []

    def found(self, what: str, line: int | None = None) -> None:
        self.findings.append(Finding(self.rel, line or self.getpos()[0], what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "article" and (self.content_depth or "md-content__inner" in values.get("class", "").split()):
            self.content_depth += 1
        if tag in FRAMES:
            self.found(f"<{tag}> element that no template put there")
        for name, value in values.items():
            if name.startswith("on"):
                self.found(f'event-handler attribute {name}="{_snippet(value)}" on <{tag}>')
            elif name in URL_ATTRIBUTES:
                urls = [u.strip().split(" ")[0] for u in value.split(",")] if name.endswith("srcset") else [value]
                for url in urls:
                    self._check_url(tag, name, url)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = re.sub(r"^\s*\d*\s*[;,]?\s*(url\s*=\s*)?", "", values.get("content", ""), flags=re.I)
            self._check_url(tag, "content", target.strip("'\" "))
        if tag == "script":
            self.script = (values, self.getpos()[0], self.in_head, bool(self.content_depth))
            self.script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        elif tag == "article" and self.content_depth:
            self.content_depth -= 1
        elif tag == "script" and self.script is not None:
            values, line, in_head, in_content = self.script
            self.script = None
            self._check_script(values, "".join(self.script_text), line, in_head, in_content)

    def close(self) -> None:
        super().close()
        if self.script is not None:  # an unclosed <script> runs to the end of the file
            values, line, in_head, in_content = self.script
            self.script = None
            self._check_script(values, "".join(self.script_text), line, in_head, in_content)

    def _check_url(self, tag: str, name: str, url: str) -> None:
        scheme = _scheme(url)
        if scheme is None or scheme in SAFE_SCHEMES or url.strip() in self.theme.literal_urls:
            return
        self.found(f'{scheme}: URL in {name}="{_snippet(url)}" on <{tag}>')

    def _check_script(self, attrs: dict, code: str, line: int, in_head: bool, in_content: bool) -> None:
        kind = attrs.get("type", "").strip().lower()
        src = attrs.get("src")
        if in_content:
            shown = f'src="{_snippet(src)}"' if src is not None else _snippet(code)
            self.found(f"<script> inside the page content: {shown}", line)
        elif src is not None:
            if not self.theme.allows_src(src, self.rel, self.site):
                self.found(f'<script src="{_snippet(src)}"> that no template put there', line)
        elif (kind == "application/json" and attrs.get("id") == "__config") or (kind == "application/ld+json" and in_head):
            try:
                json.loads(code)
            except ValueError:
                self.found(f"<script type=\"{kind}\"> that holds no valid JSON: {_snippet(code)}", line)
            else:  # a raw < could close the element or open a comment in it; JSON for HTML writes \u003c
                if "<" in code:
                    self.found(f"<script type=\"{kind}\"> with a raw '<' in its JSON: {_snippet(code)}", line)
        elif kind not in EXECUTABLE_TYPES or not self.theme.allows_code(code):
            self.found(f"<script> that no template put there: {_snippet(code)}", line)


def scan_html(text: str, rel: str, site: Path, theme: ThemeMarkup, content_only: bool = False) -> list[Finding]:
    """Findings in one HTML document (or, with ``content_only``, a fragment of page content)."""
    scanner = _PageScanner(rel, site, theme, content_only)
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def _json_strings(value, keys: frozenset[str]) -> Iterable[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in keys and isinstance(v, str):
                yield v
            else:
                yield from _json_strings(v, keys)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v, keys)


SCAN_PARALLEL_MIN = 200
"""From this many files on, a forked child scans every other file while this process scans the rest."""


def scan_site(site: Path, theme: ThemeMarkup) -> list[Finding]:
    """Every finding in the built site at ``site``, sorted; an empty list means nothing was found."""
    files: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(site).as_posix()
            if name.endswith(".html") or rel in ("search/search_index.json", "tags.json"):
                files.append((path, rel))
    if not forking.workers(len(files), SCAN_PARALLEL_MIN):
        return sorted(_scan_files(files, site, theme))
    ours, theirs = forking.beside(lambda: _scan_files(files[0::2], site, theme),
                                  lambda: _scan_files(files[1::2], site, theme))
    return sorted(ours + theirs)


def _scan_files(files: list[tuple[Path, str]], site: Path, theme: ThemeMarkup) -> list[Finding]:
    findings: list[Finding] = []
    for path, rel in files:
        if rel.endswith(".html"):
            findings += scan_html(path.read_text(encoding="utf-8", errors="replace"), rel, site, theme)
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            findings.append(Finding(rel, 1, "not valid JSON"))
            continue
        for text in _json_strings(data, frozenset({"title", "text"})):
            findings += [Finding(rel, 1, f.what.replace("inside the page content", "in an entry"))
                         for f in scan_html(text, rel, site, theme, content_only=True)]
    return findings
