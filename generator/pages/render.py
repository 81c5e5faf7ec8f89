"""Render the checked archive into Markdown pages with the Jinja2 templates of site_templates/.

One environment, one base context; templates hold the page shapes. Text from
content is HTML-escaped by autoescaping and written inside raw HTML blocks, so
Markdown never interprets it: a text from the content is shown as typed, never as markup.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.format import schema
from generator.format.fieldtypes import MONTHS
from generator.format.model import Archive, Quote, Thread, changed_positions, quotes_of
from generator.format.quotes import paragraph_break
from generator.format.reading import bottom_line
from generator.format.text import collapse_space
from generator.pages import urls
from generator.pages.fragments import Fragments, escaped, html
from generator.pages.links import (
    Links,
    briefing_url,
    call_kind,
    contested,
    headline,
    shown_date,
    story_key,
    thread_label,
    thread_url,
)


@dataclass
class SitePage:
    """One generated page: its folder URL, template and context."""

    url: str
    """Folder URL relative to the site root, as ``urls`` makes it ('' for home)."""
    template: str
    title: str
    context: dict = field(default_factory=dict)
    edit: str | None = None
    """Project-relative path of the file this page comes from (for the edit link)."""
    tags: list[str] = field(default_factory=list)
    description: str = ""
    searchable: bool = True
    """False for pages that only list what other pages say (indexes, timeline): keeps the search index lean."""
    meta: dict[str, str] = field(default_factory=dict)
    """More front matter for the theme, e.g. ``claim_reviews`` (JSON-LD, already safe inside a script element)."""
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    """The pages above this one, (label, URL from the site root, '#anchor' allowed), home first: the breadcrumb
    (site_templates/overrides/main.html). A page of the navigation's first level has none."""
    kind: str = ""
    """What kind of page it is ('briefing', 'story', 'claims', …), declared by its family (``site.py``); the
    template's name without ``.md.j2`` when none is given. Code asks the kind, never the template's name."""
    summary: bool = False
    """It lists the whole archive in brief (the home page, a section's index): a preview renders it again at
    every save, before MkDocs builds."""
    subject: str | None = None
    """What the page is the page of (``subject('briefing', id)``, a story's or a tag's first page): a preview
    renders it at once when a save changes that briefing, or a briefing of that story or tag."""
    about: frozenset[str] | None = None
    """The subjects whose records the page can show (``subject('actor', id)``, …); None, the default: any
    record of the archive. After a save, a preview looks again at what the page shows when the save touched
    one of them (at every save, for None), and renders it when that changed."""
    story: str | None = None
    """The story the page belongs to (a briefing's, an open issue's, a source's first citing briefing's): its
    words go into that story's search index, which an edit elsewhere leaves as it is (``search_groups_json``).
    None: the site's own index."""
    section: str | None = None
    """The label of a top-level page in the site's navigation. A section mkdocs.yml's ``nav`` does not list is
    added at its end (the front matter's ``nav_section``, read by the plugin's ``on_nav``)."""

    def __post_init__(self) -> None:
        if not self.kind:
            self.kind = self.template.removesuffix(".md.j2")

    def file(self, directory_urls: bool = True) -> str:
        """Its Markdown file in the docs folder (``urls.docs_file``)."""
        return urls.docs_file(self.url, directory_urls)


def search_groups_json(pages: list[SitePage]) -> bytes:
    """The JSON of ``urls.SEARCH_GROUPS``, read by ``output/searchindex.search_groups``: ``stories``,
    {story: [URL of each searchable page of the story]}, and ``left_out``, the URLs of the pages that are not
    searched; every other page goes into the site's own index."""
    stories: dict[str, list[str]] = {}
    left_out = []
    for page in pages:
        if not page.searchable:
            left_out.append(page.url)
        elif page.story is not None:
            stories.setdefault(page.story, []).append(page.url)
    said = {
        "stories": {story: sorted(found) for story, found in sorted(stories.items())},
        "left_out": sorted(left_out),
    }
    return (json.dumps(said, indent=0, ensure_ascii=False) + "\n").encode("utf-8")


def declared_section(markdown: str) -> str | None:
    """The ``nav_section`` a generated page's front matter declares (``front_matter``), or None."""
    head, sep, _ = markdown.partition("\n---\n")
    if not markdown.startswith("---\n") or not sep:
        return None
    for line in head.splitlines():
        if line.startswith("nav_section: "):
            try:
                value = json.loads(line.removeprefix("nav_section: "))
            except ValueError:
                return None
            return value if isinstance(value, str) else None
    return None


def paragraphs(text: str | None) -> Markup:
    """Plain text with blank-line paragraphs as escaped ``<p>`` elements."""
    if not text:
        return Markup("")
    # Only what HTML itself collapses is white space here: a no-break space stays as typed.
    parts = [collapse_space(p) for p in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("").join(html("<p>{}</p>", p) for p in parts if p)


def period_label(period: str) -> str:
    """'2025-12' → 'Dec 2025', '2025-12-w2' → 'Dec 2025, week 2', '2025-12-29' → '29 Dec 2025'."""
    if "-w" in period:
        return f"{period_label(period[:7])}, week {period[9:]}"
    if len(period) >= 10:
        return f"{int(period[8:10])} {MONTHS[int(period[5:7]) - 1]} {period[:4]}"
    return f"{MONTHS[int(period[5:7]) - 1]} {period[:4]}" if len(period) >= 7 else period


def front_matter(page: SitePage, link: Links | None = None) -> str:
    """YAML front matter; JSON strings are valid YAML and cannot be misread.

    The breadcrumb's labels are plain text (the theme escapes them) and its URLs relative to the page.
    """
    lines = ["---", f"title: {json.dumps(str(escaped(page.title)), ensure_ascii=False)}"]
    if len(page.crumbs) > 1:
        link = link or Links(page.url)
        trail = [[label, link(*target.split("#", 1))] for label, target in page.crumbs]
        lines.append(f"crumbs: {json.dumps(trail, ensure_ascii=False)}")
    if page.description:
        lines.append(
            f"description: {json.dumps(str(escaped(page.description)), ensure_ascii=False)}"
        )
    if page.edit:
        lines.append(f"edit_source: {json.dumps(page.edit)}")
    if not page.searchable:
        lines += ["search:", "  exclude: true"]
    if page.tags:
        # for search; the page shows its tags once, as links near its end, not as chips at the top
        lines.append("tags:")
        lines.extend(f"  - {json.dumps(t)}" for t in page.tags)
        lines += ["hide:", "  - tags"]
    if page.section:
        lines.append(f"nav_section: {json.dumps(page.section, ensure_ascii=False)}")
    lines.extend(f"{key}: {json.dumps(value)}" for key, value in sorted(page.meta.items()))
    lines.append("---")
    return "\n".join(lines) + "\n\n"


class Renderer:
    def __init__(self, archive: Archive, templates: tuple[Path, ...], directory_urls: bool = True):
        self.archive = archive
        self.directory_urls = directory_urls
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(t / "pages") for t in templates]),
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
        self._caches: dict[int, dict] = {}
        self._labels: dict = {}

    def _globals(self) -> dict:
        a = self.archive
        return {
            "archive": a,
            "actors": a.actors,
            "sources": a.sources,
            "schema": schema,
            "briefing_url": briefing_url,
            "shown_date": shown_date,
            "call_kind": call_kind,
            "thread_url": thread_url,
            "evidence_statuses": schema.EVIDENCE_STATUSES,
            "issue_statuses": schema.ISSUE_STATUSES,
            "marked": marked_source,
            "period_label": period_label,
            "changed_positions": changed_positions,
            "thread_label": lambda t: thread_label(a, t),
            "bottom_line": bottom_line,
            "contested": contested,
            "story_key": story_key,
            "u": urls,
        }

    def render(self, page: SitePage) -> str:
        template = self.env.get_template(page.template)
        link = Links(page.url, self.directory_urls)
        h = Fragments(
            self.archive,
            link,
            self._caches.setdefault(page.url.count("/"), {}),
            self._labels,
            index=page.context["index"],
        )
        body = template.render(page=page, link=link, h=h, **page.context)
        return front_matter(page, link) + body


def source_spans(archive: Archive) -> dict[str, list[tuple[Quote, Thread, int]]]:
    """Source id → its quoted passages, by position: (quote, record, briefings) once per passage and thread.

    A thread carried from briefing to briefing quotes the same words each time; its
    passage is listed once, with the thread's latest record and the number of briefings
    that carry it, so a source page does not grow with the archive.
    """
    found: dict[str, dict[tuple, list]] = defaultdict(dict)
    for b in archive.briefings:  # oldest first: the last record seen is the latest
        for t in b.threads():
            for q in quotes_of(t):
                if q.verified:
                    entry = found[q.source].setdefault((q.span, t.thread_kind, t.id), [q, t, set()])
                    entry[0], entry[1] = q, t
                    entry[2].add(b.id)
    return {
        source: sorted(
            ((q, t, len(ids)) for q, t, ids in passages.values()),
            key=lambda qtn: (qtn[0].span, qtn[1].thread_kind, qtn[1].id),
        )
        for source, passages in found.items()
    }


def marked_source(
    text: str, spans: list[tuple[Quote, Thread, int]], link: Links, label=None
) -> Markup:
    """The source text as escaped paragraphs, every quoted span in ``<mark>`` with an anchor.

    Spans may overlap or cross paragraphs: the text is cut at every span edge,
    and each piece inside at least one span is marked; the first piece of each
    span carries its anchor, and a back-link follows its last piece, one per thread
    that quotes it (``source_spans``). A back-link names the record that quotes the
    span (``label`` gives its heading), its latest briefing's date and how many
    briefings carry it, in its tooltip and to a screen reader.
    """
    cuts = {0, len(text)}
    starts: dict[int, list[str]] = defaultdict(list)
    ends: dict[int, list[Thread]] = defaultdict(list)
    delta: dict[int, int] = defaultdict(int)
    carried: dict[int, int] = {}
    for q, t, briefings in spans:
        carried[id(t)] = briefings
        assert q.span is not None, q  # source_spans keeps the verified quotes only
        a, b = q.span
        cuts.update((a, b))
        delta[a] += 1
        delta[b] -= 1
        if q.anchor not in starts[a]:
            starts[a].append(q.anchor)
        ends[b].append(t)
    points = sorted(cuts)
    paragraphs = paragraph_break(text)
    out = [Markup('<div class="source-text"><p>')]
    active = 0
    for a, b in pairwise(points):
        active += delta.get(a, 0)
        ids = starts.get(a, ())
        for extra in ids[1:]:
            out.append(html('<span id="{}" class="quote-anchor"></span>', extra))
        chunks = text[a:b].split(paragraphs)
        if active:
            attr = html(' id="{}"', ids[0]) if ids else Markup("")
            out.append(html("<mark{}>{}</mark>", attr, Markup("</mark></p><p><mark>").join(chunks)))
        else:
            out.append(Markup("</p><p>").join(chunks))
        seen = set()
        for t in ends.get(b, ()):
            key = (t.briefing.id, t.anchor)
            if key not in seen:
                seen.add(key)
                where, anchor = thread_url(t)
                said = (
                    f"Quoted in {t.thread_kind}: {label(t)} ({t.briefing.date.display()})"
                    if label
                    else f"Quoted in {t.briefing.title}"
                )
                if carried[id(t)] > 1:
                    said += f", in {carried[id(t)]} briefings"
                out.append(
                    html(
                        '<a class="quote-back" href="{0}" title="{1}" aria-label="{1}">↩</a>',
                        link(where, anchor),
                        said,
                    )
                )
    out.append(Markup("</p></div>"))
    return Markup("").join(out)
