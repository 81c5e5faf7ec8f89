"""Render the checked archive into Markdown pages with the Jinja2 templates of site_templates/.

One environment, one base context; templates hold the page shapes. Text from
content is HTML-escaped by autoescaping and written inside raw HTML blocks, so
Markdown never interprets it (RELIABILITY.md, principle 2).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import schema
from .check import quotes_of
from .model import Archive, Briefing, Call, Claim, OpenIssue, Quote, RecordBase, Thread

RESERVED = {"index"}
"""Names a hand-written page may not take (pages live under pages/<name>/)."""


@dataclass
class SitePage:
    """One generated page: its folder URL, template and context."""

    url: str
    """Folder URL relative to the site root, '' for home or e.g. 'briefings/x/'."""
    template: str
    title: str
    context: dict = field(default_factory=dict)
    edit: str | None = None
    """Project-relative path of the file this page comes from (for the edit link)."""
    tags: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def file(self) -> str:
        return f"{self.url}index.md"


class Links:
    """Relative URLs from one page to others, valid with and without directory URLs."""

    def __init__(self, here: str, directory_urls: bool = True):
        self.here = here
        self.up = "../" * here.count("/")
        self.suffix = "" if directory_urls else "index.html"

    def __call__(self, target: str, anchor: str = "") -> str:
        if target == self.here and anchor:
            return f"#{anchor}"
        url = self.up + target + self.suffix
        if not url:
            url = "./"
        return f"{url}#{anchor}" if anchor else url


def briefing_url(b: Briefing) -> str:
    return f"briefings/{b.id}/"


def thread_url(t: Thread) -> tuple[str, str]:
    return briefing_url(t.briefing), t.anchor


def paragraphs(text: str | None) -> Markup:
    """Plain text with blank-line paragraphs as escaped ``<p>`` elements."""
    if not text:
        return Markup("")
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(" ".join(p.split())) for p in parts)


def headline(text: str, limit: int = 110) -> str:
    """A one-line heading from a statement: its first sentence, cut at a word."""
    flat = " ".join(text.split())
    for end in (". ", "; "):
        cut = flat.find(end)
        if 0 < cut < limit:
            return flat[: cut + (1 if end == ". " else 0)].rstrip(";")
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def front_matter(page: SitePage) -> str:
    """YAML front matter; JSON strings are valid YAML and cannot be misread."""
    lines = ["---", f"title: {json.dumps(str(escape(page.title)), ensure_ascii=False)}"]
    if page.description:
        lines.append(f"description: {json.dumps(str(escape(page.description)), ensure_ascii=False)}")
    if page.edit:
        lines.append(f"edit_source: {json.dumps(page.edit)}")
    if page.tags:
        lines.append("tags:")
        lines.extend(f"  - {json.dumps(t)}" for t in page.tags)
    lines.append("---")
    return "\n".join(lines) + "\n\n"


class Renderer:
    def __init__(self, archive: Archive, templates: Path, directory_urls: bool = True):
        self.archive = archive
        self.directory_urls = directory_urls
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates / "pages")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.do"],
        )
        self.env.filters["paragraphs"] = paragraphs
        self.env.filters["headline"] = headline
        self.env.globals.update(self._globals())

    def _globals(self) -> dict:
        a = self.archive
        return {
            "archive": a,
            "actors": a.actors,
            "sources": a.sources,
            "schema": schema,
            "briefing_url": briefing_url,
            "thread_url": thread_url,
            "evidence_statuses": schema.EVIDENCE_STATUSES,
            "issue_statuses": schema.ISSUE_STATUSES,
            "marked": marked_source,
            "thread_label": lambda t: thread_label(a, t),
        }

    def render(self, page: SitePage) -> str:
        template = self.env.get_template(page.template)
        link = Links(page.url, self.directory_urls)
        body = template.render(page=page, link=link, **page.context)
        return front_matter(page) + body


def thread_label(archive: Archive, t: Thread) -> str:
    """The heading of a call, claim or open issue, as plain text."""
    if isinstance(t, Claim):
        return t.title or headline(t.statement)
    if isinstance(t, OpenIssue):
        return t.title
    names = " – ".join(actor_name(archive, p) for p in t.participants)
    return f"{t.kind.replace('-', ' ').capitalize()}: {names}, {t.date.display()}"


def actor_name(archive: Archive, actor_id: str | None) -> str:
    actor = archive.actors.get(actor_id or "")
    return actor.name if actor else (actor_id or "")


def source_spans(archive: Archive) -> dict[str, list[tuple[Quote, RecordBase]]]:
    """Source id → its verified quotes with the record quoting each, by position."""
    out: dict[str, list] = defaultdict(list)
    for b in archive.briefings:
        for t in b.threads():
            for q in quotes_of(t):
                if q.verified:
                    out[q.source].append((q, t))
    for spans in out.values():
        spans.sort(key=lambda qt: (qt[0].span, qt[1].briefing.id, qt[1].anchor))
    return out


def marked_source(text: str, spans: list[tuple[Quote, Thread]], link: Links) -> Markup:
    """The source text as escaped paragraphs, every quoted span in ``<mark>`` with an anchor."""
    cuts = {0, len(text)}
    for q, _ in spans:
        cuts.update(q.span)
    starts: dict[int, list[str]] = defaultdict(list)
    ends: dict[int, list[tuple[Quote, Thread]]] = defaultdict(list)
    for q, t in spans:
        if q.anchor not in starts[q.span[0]]:
            starts[q.span[0]].append(q.anchor)
        ends[q.span[1]].append((q, t))
    points = sorted(cuts)
    out = [Markup('<div class="source-text"><p>')]
    for a, b in zip(points, points[1:]):
        piece = text[a:b]
        covered = any(q.span[0] <= a and b <= q.span[1] for q, _ in spans)
        ids = starts.get(a, [])
        for extra in ids[1:]:
            out.append(Markup('<span id="{}" class="quote-anchor"></span>').format(extra))
        chunks = piece.split("\n\n")
        body = Markup("</p><p>").join(escape(c) for c in chunks)
        if covered:
            attr = Markup(' id="{}"').format(ids[0]) if ids else Markup("")
            out.append(Markup("<mark{}>{}</mark>").format(attr, body))
        else:
            out.append(body)
        seen = set()
        for q, t in ends.get(b, []):
            key = (t.briefing.id, t.anchor)
            if key in seen:
                continue
            seen.add(key)
            where, anchor = thread_url(t)
            out.append(Markup('<a class="quote-back" href="{}" aria-label="Quoted in {}">↩</a>').format(
                link(where, anchor), t.briefing.title))
    out.append(Markup("</p></div>"))
    return Markup("").join(out)
