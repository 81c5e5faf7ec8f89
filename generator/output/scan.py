"""Scan a built site for markup that no template put there: what the checks did not stop is stopped here.

Content reaches the HTML only as escaped text, so a script, an event-handler
attribute, an embedded frame or a ``javascript:`` link in the output means that
escaping failed somewhere. The pages are parsed as a browser parses them
(Lexbor, an HTML5-conformant parser, with scripting on), so a comment, CDATA
section, ``<noscript>`` or ``<math><style>`` cannot hide an element that a
browser would build. What the theme templates write is allowed, and "a template
put it there" is decided concretely:

* an inline script whose code is that of a ``<script>`` in one of the theme's
  template folders (Material's, and the overrides in ``site_templates/``), where
  each ``{{ … }}`` stands for a path of the site or a plain name (never a scheme
  or another host); ``redirect.html`` only where a redirects plugin is configured;
* a script loaded from the site's own ``assets/javascripts/`` folder, listed in
  ``mkdocs.yml`` (``extra_javascript``, ``extra.polyfills``), or written literally in a template;
* Material's ``__config`` JSON, and JSON-LD (``application/ld+json``) in ``<head>``,
  when each holds valid JSON;
* a non-http(s) URL written literally in a template (such as ``javascript:void(0)``);
* a form outside the page content (Material's search form).

Beyond scripts, nothing may make a reader's browser go elsewhere or fetch from
another host while it shows a page: no ``<meta http-equiv="refresh">``, no
image, media, stylesheet, ``@import`` or CSS ``url()`` from another host (the
host of ``site_url`` is the site's own), no form sent to another host, no
``srcdoc``, and no ``class="mermaid"``, for which Material loads mermaid from a
CDN at run time.

Inside the page content (``<div class="md-content">``, which holds the article of
the Markdown generated from content files), no script and no form is ever allowed.
The search index and ``tags.json`` hold HTML that Material's JavaScript inserts
into the page, so their titles and texts are scanned as page content too.
"""

from __future__ import annotations

import bisect
import json
import os
import posixpath
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes allowed anywhere; relative URLs and #anchors have none."""
REFUSED_ELEMENTS = frozenset(
    {
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "portal",
        "fencedframe",
        "base",
        "noscript",
    }
)
"""Elements that pull in other documents, change where links lead, or (``noscript``) parse one way in a
browser that runs scripts and another in one that does not; no template writes them."""
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "data",
        "background",
        "cite",
        "ping",
        "srcset",
        "imagesrcset",
        "manifest",
        "lowsrc",
        "dynsrc",
    }
)
FETCHING_ATTRIBUTES = frozenset(
    {
        "src",
        "srcset",
        "imagesrcset",
        "poster",
        "data",
        "background",
        "ping",
        "manifest",
        "lowsrc",
        "dynsrc",
    }
)
"""URL attributes whose target the browser requests while it shows the page (``ping``: on a click)."""
SUBMIT_ATTRIBUTES = frozenset({"action", "formaction"})
"""Where a form sends what a reader typed into it."""
LINK_ELEMENTS = frozenset({"a", "area"})
"""Their ``href`` is followed only when the reader clicks it: any host may be linked."""
QUIET_RELS = frozenset(
    {
        "alternate",
        "canonical",
        "prev",
        "next",
        "author",
        "license",
        "help",
        "me",
        "bookmark",
        "search",
        "external",
        "nofollow",
        "noopener",
        "noreferrer",
        "tag",
    }
)
"""``<link rel>`` values that fetch nothing; every other (stylesheet, icon, preload, preconnect, …) does."""
HOST_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
"""Schemes whose URLs name a host to connect to (WHATWG URL's special schemes, but file)."""
EXECUTABLE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|(.))", re.S)
_CSS_URL = re.compile(
    r"(?i)(?:(?<![a-z0-9+.\-])(?:https?|wss?|ftp):|(?<![a-z0-9+.\-:/\\])[/\\]{2})[^\s\"'()<>]*"
)
"""Where CSS names a host: a URL with a host-naming scheme, or one that starts with two slashes."""
_TEMPLATE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TEMPLATE_URL = re.compile(r"""\b(?:href|src|action|formaction)\s*=\s*["']([^"'{}]*)["']""", re.I)
_TEMPLATE_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"'{}]+)["']""", re.I)
_TEMPLATE_TYPE = re.compile(r"""\btype\s*=\s*["']([^"']*)["']""", re.I)
_JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.S)
_JINJA_OTHER = re.compile(r"\{[%#]")
_VALUE_IN_STRING = r"""(?:[A-Za-z0-9_.~-]|/(?![/\\]))*"""
"""What a ``{{ … }}`` in template code may have printed: a path of the site, or a plain name (``..``,
``/briefings/``, ``G-XXXX``). No colon, so no scheme (``javascript:``), no two slashes, so no other host, and
nothing that could leave its string: a script is allowed by its exact code, with only such values in its slots."""
OPTIONAL_TEMPLATES = {"redirect.html": "redirects"}
"""Templates whose scripts are allowed only when the plugin that renders them is configured."""


@dataclass(frozen=True, order=True)
class Finding:
    """Something in the built site that no template put there."""

    path: str
    """File path relative to the site folder, with forward slashes."""
    line: int
    """1-based line in that file: where the source has the start tag of the element the finding is about."""
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
    site_host: str = ""
    """Host of ``site_url`` (lower case): the one host pages may load from or send forms to."""
    allowed_hosts: frozenset[str] = frozenset()
    """Other hosts the desk allows its theme overrides to load from (the plugin's ``allowed_hosts``, which the
    Content-Security-Policy opens too)."""

    @classmethod
    def from_templates(
        cls,
        dirs: Iterable[str | Path],
        script_srcs: Iterable[str] = (),
        site_url: str = "",
        plugins: Iterable[str] = (),
        allowed_hosts: Iterable[str] = (),
    ) -> ThemeMarkup:
        """Read every ``*.html`` template under ``dirs`` (the theme's template folders, in MkDocs' order); those
        of :data:`OPTIONAL_TEMPLATES` only when their plugin is among ``plugins``."""
        patterns: dict[str, re.Pattern] = {}
        urls: set[str] = set()
        srcs = set(script_srcs)
        configured = set(plugins)
        for folder in dirs:
            for path in _templates(Path(folder)):
                wanted = OPTIONAL_TEMPLATES.get(path.relative_to(folder).as_posix())
                if wanted is not None and wanted not in configured:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                for attrs, body in _TEMPLATE_SCRIPT.findall(text):
                    code = body.strip()
                    src = _TEMPLATE_SRC.search(attrs)
                    if src:
                        srcs.add(src[1].strip())
                    kind = _TEMPLATE_TYPE.search(attrs)
                    if (
                        src
                        or (kind and kind[1].strip().lower() not in EXECUTABLE_TYPES)
                        or _JINJA_OTHER.search(code)
                    ):
                        continue
                    if len(_JINJA_VALUE.sub("", code).strip()) < 10:
                        # all placeholder: it would match any code
                        continue
                    parts = _JINJA_VALUE.split(code)
                    patterns.setdefault(
                        code, re.compile(_VALUE_IN_STRING.join(re.escape(p) for p in parts), re.S)
                    )
                urls.update(
                    u.strip()
                    for u in _TEMPLATE_URL.findall(text)
                    if _scheme(u) not in (None, *SAFE_SCHEMES)
                )
        base = urlsplit(site_url).path or "/"
        return cls(
            tuple(patterns.values()),
            frozenset(urls),
            frozenset(srcs),
            base if base.endswith("/") else base + "/",
            url_host(site_url) or "",
            frozenset(h.lower().rstrip(".") for h in allowed_hosts),
        )

    def off_site(self, url: str) -> bool:
        """``url`` makes the browser contact a host other than the site's."""
        host = url_host(url)
        return host is not None and host != self.site_host and host not in self.allowed_hosts

    def allows_code(self, code: str) -> bool:
        code = code.strip()
        return any(p.fullmatch(code) for p in self.inline_scripts)

    def allows_src(self, src: str, page: str, site: Path) -> bool:
        """``src`` (as written in ``page``) is a configured script or a file of the site's assets/javascripts/."""
        src = src.strip()
        if src in self.script_srcs:
            # configured or written in a template: from the site or an allowed host
            return not self.off_site(src)
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return False
        if parts.path.startswith("/"):
            if not parts.path.startswith(self.base_path):
                return False
            target = parts.path[len(self.base_path) :]
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        return (
            target.startswith("assets/javascripts/")
            and ".." not in target.split("/")
            and (site / target).is_file()
        )


def _templates(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "assets")
        for name in sorted(filenames):
            if name.endswith(".html"):
                yield Path(dirpath) / name


def _scheme(url: str) -> str | None:
    """The scheme a browser would see: surrounding spaces and controls, and inner tabs and newlines, ignored."""
    m = _SCHEME.match(_TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE)))
    return m[1].lower() if m else None


def url_host(url: str) -> str | None:
    """The host a browser would contact for ``url`` (lower case), or None when the URL names none.

    Read as the WHATWG URL parser reads it: backslashes count as slashes, any
    number of them may follow the scheme, ``https:host`` names a host too (it
    does whenever the page's own scheme differs), and the host is percent-decoded.
    """
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE))
    m = _SCHEME.match(cleaned)
    if m:
        if m[1].lower() not in HOST_SCHEMES:
            return None
        rest = cleaned[m.end() :]
    elif cleaned[:2] in ("//", "\\\\", "/\\", "\\/"):
        rest = cleaned
    else:
        return None
    authority = re.split(r"[/\\?#]", rest.lstrip("/\\"), maxsplit=1)[0]
    host = authority.rpartition("@")[2]
    host = host[: host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
    return unquote(host).lower().rstrip(".")


def css_urls(css: str) -> list[str]:
    """Every URL in ``css`` that names a host, after CSS escapes are undone (``\\2f\\2f`` is ``//``).

    Comments are not skipped, so a URL in a comment counts too: skipping them
    would need a CSS tokenizer, and ``"/*"`` inside a string is no comment.
    """
    if "\\" in css:
        css = _CSS_ESCAPE.sub(_css_unescaped, css)
    return _CSS_URL.findall(_TAB_OR_NEWLINE.sub("", css.replace("\f", "")))


def _css_unescaped(m: re.Match) -> str:
    if m[1]:
        code = int(m[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if m[2] else m[3]


def _snippet(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    flat = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in flat)
    return flat if len(flat) <= limit else flat[:limit] + "…"


class _PageScan:
    """The findings of one document: its elements walked in document order, template contents included."""

    def __init__(
        self, text: str, rel: str, site: Path, theme: ThemeMarkup, content_only: bool = False
    ):
        self.text, self.rel, self.site, self.theme, self.content_only = (
            text,
            rel,
            site,
            theme,
            content_only,
        )
        self.found: list[tuple[str, int, str]] = []
        """(tag, how many elements of that tag came before it, what was found)."""
        self.counts: dict[str, int] = {}
        self.at = ("", 0)

    def run(self) -> list[Finding]:
        root = LexborHTMLParser(self.text, scripting=True).root
        if root is not None:  # an HTML5 parser always makes <html>, even of nothing
            self._walk(root, self.content_only, False)
        if not self.found:
            return []
        if self.content_only:
            return [Finding(self.rel, 1, what) for _, _, what in self.found]
        tags = _StartTags(self.text)
        return [
            Finding(self.rel, tags.line(tag, ordinal), what) for tag, ordinal, what in self.found
        ]

    def add(self, what: str) -> None:
        self.found.append((*self.at, what))

    def _walk(self, root: LexborNode, in_content: bool, in_head: bool) -> None:
        counts = self.counts
        for node in root.traverse(include_text=False):
            tag = node.tag
            if not tag or tag[0] == "-":  # comments, the doctype
                continue
            key = tag.lower()
            ordinal = counts.get(key, 0)
            counts[key] = ordinal + 1
            self.at = (key, ordinal)
            self._element(node, key, in_content, in_head)
            if key == "template":
                # its content is no part of the tree, but a script may put it there
                context = _context(node, in_content, in_head)
                for fragment in node.template_fragments():
                    self._walk(fragment, *context)

    def _element(self, node: LexborNode, tag: str, in_content: bool, in_head: bool) -> None:
        attrs = node.attributes
        if tag in REFUSED_ELEMENTS:
            self.add(f"<{tag}> element that no template put there")
        for name, value in attrs.items():  # the commonest names first; each name takes one branch
            value = value or ""
            if name == "class":
                if "mermaid" in value.lower().split():
                    self.add(
                        f'class="mermaid" on <{tag}>: the theme would load mermaid from another host'
                    )
            elif name in URL_ATTRIBUTES:
                self._check_urls(tag, name, value, attrs)
            elif name.startswith("on"):
                self.add(f'event-handler attribute {name}="{_snippet(value)}" on <{tag}>')
            elif name == "srcdoc":
                self.add(f'srcdoc="{_snippet(value)}" on <{tag}>')
            elif name == "style":
                for url in css_urls(value):
                    if self.theme.off_site(url):
                        self.add(
                            f'off-site URL "{_snippet(url)}" in the style attribute of <{tag}>'
                        )
        if tag in _CHECKED_TAGS or "formaction" in attrs:
            self._checked_tag(node, tag, attrs, in_content, in_head)

    def _checked_tag(
        self, node: LexborNode, tag: str, attrs: dict, in_content: bool, in_head: bool
    ) -> None:
        if tag == "meta" and (attrs.get("http-equiv") or "").strip().lower() == "refresh":
            self.add(
                f'<meta http-equiv="refresh"> that no template put there: {_snippet(attrs.get("content") or "")}'
            )
        elif tag == "style":
            for url in css_urls(node.text()):
                if self.theme.off_site(url):
                    self.add(f'off-site URL "{_snippet(url)}" in <style>')
        elif tag in ("animate", "set") and _animated(attrs) in ("href", "xlink:href"):
            self.add(f"<{tag}> that changes {_animated(attrs)}")
        if tag == "script" or tag == "form" or "formaction" in attrs:
            in_content, in_head = _context(node, in_content, in_head)
            if tag == "script":
                self._check_script(attrs, node.text(), in_head, in_content)
            elif in_content:
                self.add(
                    f"<{tag}> element inside the page content"
                    if tag == "form"
                    else f"formaction attribute on <{tag}> inside the page content"
                )

    def _check_urls(self, tag: str, name: str, value: str, attrs: dict) -> None:
        if tag in REFUSED_ELEMENTS:  # found already, whatever it points at
            return
        urls = (
            [(u.split() or [""])[0] for u in value.split(",")]
            if name.endswith("srcset")
            else [value]
        )
        for url in urls:
            scheme = _scheme(url) if ":" in url else None  # no colon, no scheme
            if (
                scheme is not None
                and scheme not in SAFE_SCHEMES
                and url.strip() not in self.theme.literal_urls
            ):
                self.add(f'{scheme}: URL in {name}="{_snippet(url)}" on <{tag}>')
            elif _requested(tag, name, attrs) and self.theme.off_site(url):
                self.add(f'off-site URL in {name}="{_snippet(url)}" on <{tag}>')

    def _check_script(self, attrs: dict, code: str, in_head: bool, in_content: bool) -> None:
        kind = (attrs.get("type") or "").strip().lower()
        # SVG's script: href
        src = next((attrs[a] or "" for a in ("src", "href", "xlink:href") if a in attrs), None)
        if in_content:
            shown = f'src="{_snippet(src)}"' if src is not None else _snippet(code)
            self.add(f"<script> inside the page content: {shown}")
        elif src is not None:
            if src.strip() in self.theme.script_srcs and self.theme.off_site(src):
                self.add(
                    f'<script src="{_snippet(src)}"> loads from {url_host(src)}, another host, which every '
                    "reader's browser would be asked for (and the page's Content-Security-Policy blocks); serve "
                    f"the file from the site, or allow the host: plugins: - briefings: allowed_hosts: [{url_host(src)}]"
                )
            elif not self.theme.allows_src(src, self.rel, self.site):
                self.add(f'<script src="{_snippet(src)}"> that no template put there')
        elif (kind == "application/json" and attrs.get("id") == "__config") or (
            kind == "application/ld+json" and in_head
        ):
            try:
                json.loads(code)
            except ValueError:
                self.add(f'<script type="{kind}"> that holds no valid JSON: {_snippet(code)}')
            else:  # a raw < could close the element or open a comment in it; JSON for HTML writes \u003c
                if "<" in code:
                    self.add(
                        f"<script type=\"{kind}\"> with a raw '<' in its JSON: {_snippet(code)}"
                    )
        elif kind not in EXECUTABLE_TYPES or not self.theme.allows_code(code):
            self.add(f"<script> that no template put there: {_snippet(code)}")


_CHECKED_TAGS = frozenset({"meta", "style", "animate", "set", "script", "form"})
"""Elements looked at beyond their attributes (as is any element with a ``formaction``)."""


def _context(node: LexborNode, in_content: bool, in_head: bool) -> tuple[bool, bool]:
    """Whether ``node`` lies inside the page content, and inside ``<head>`` (or its template does)."""
    parent = node.parent
    while parent is not None and not (in_content and in_head):
        tag = parent.tag
        if tag == "head":
            in_head = True
        elif (tag == "article" and "md-content__inner" in _classes(parent)) or (
            tag == "div" and "md-content" in _classes(parent)
        ):
            # a raw </article> in a page would close the article, never Material's <div class="md-content">
            in_content = True
        parent = parent.parent
    return in_content, in_head


def _classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _requested(tag: str, name: str, attrs: dict) -> bool:
    """The browser requests this URL attribute's target while showing the page, or sends a form there."""
    if tag == "script":  # where a script comes from is checked with the script
        return False
    if name in FETCHING_ATTRIBUTES or name in SUBMIT_ATTRIBUTES:
        return True
    if name == "cite" or tag in LINK_ELEMENTS:
        return False
    if tag == "link":
        return not set((attrs.get("rel") or "").lower().split()) <= QUIET_RELS
    return True  # href on SVG's <image>, <use>, <feImage>, <script>


def _animated(attrs: dict) -> str:
    return (attrs.get("attributeName") or attrs.get("attributename") or "").strip().lower()


class _StartTags:
    """Lines of start tags in the source text, by tag name.

    The parsed tree carries no positions, so the n-th element of a tag is placed
    at the n-th ``<tag`` in the source: exact for what templates write; off when
    the parser made an element that the source does not spell out (an implied
    ``<tbody>``, a re-opened ``<b>``) or the source hides a tag in a comment.
    """

    def __init__(self, text: str):
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.starts: dict[str, list[int]] = {}

    def line(self, tag: str, ordinal: int) -> int:
        starts = self.starts.get(tag)
        if starts is None:
            pattern = re.compile(f"<{re.escape(tag)}(?=[\\s/>])", re.I)
            starts = self.starts[tag] = [m.start() for m in pattern.finditer(self.text)]
        if not starts:
            return 1
        return bisect.bisect_right(self.newlines, starts[min(ordinal, len(starts) - 1)]) + 1


def scan_html(
    text: str, rel: str, site: Path, theme: ThemeMarkup, content_only: bool = False
) -> list[Finding]:
    """Findings in one HTML document (or, with ``content_only``, a fragment of page content)."""
    return _PageScan(text, rel, site, theme, content_only).run()


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


def scan_site(
    site: Path,
    theme: ThemeMarkup,
    scanned: Callable[[], object] = lambda: None,
    only: Collection[str] | None = None,
) -> list[Finding]:
    """Every finding in the built site at ``site``, sorted; an empty list means nothing was found.
    ``scanned()`` is called after each page, for the build's progress line. ``only`` (paths relative to
    ``site``) limits the scan to the files an incremental build wrote; the others were scanned when built."""
    files: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(site).as_posix()
            if only is not None and rel not in only:
                continue
            if name.endswith(".html") or rel in ("search/search_index.json", "tags.json"):
                files.append((path, rel))
    return sorted(_scan_files(files, site, theme, scanned))


def _scan_files(
    files: list[tuple[Path, str]],
    site: Path,
    theme: ThemeMarkup,
    scanned: Callable[[], object] = lambda: None,
) -> list[Finding]:
    findings: list[Finding] = []
    for path, rel in files:
        if rel.endswith(".html"):
            findings += scan_html(
                path.read_text(encoding="utf-8", errors="replace"), rel, site, theme
            )
            scanned()
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            findings.append(Finding(rel, 1, "not valid JSON"))
            continue
        for text in _json_strings(data, frozenset({"title", "text"})):
            if "<" not in text:  # no tag, no element: nothing to find (every title, most texts)
                continue
            findings += [
                Finding(rel, 1, f.what.replace("inside the page content", "in an entry"))
                for f in scan_html(text, rel, site, theme, content_only=True)
            ]
    return findings
