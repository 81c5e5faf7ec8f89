"""Hostile text on a built site: every text field shows exactly what was typed (RELIABILITY.md, principle 2).

One real build of a small archive whose every text field holds HTML, Markdown,
Jinja, link schemes, entities and invisible or right-to-left characters. A
build that succeeds has already passed the post-build scan (no script, handler,
frame or non-http(s) link that no template put there); the tests below pin
where each typed string appears, in the page, its title and the search index.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pagefind_index
import pytest
from conftest import SEED, site_project, write_project

from generator.output.build import build_site
from generator.project import find_project


def hostile(tag: str) -> str:
    """One line of everything that must stay text; ``tag`` tells the fields apart."""
    return (
        f'<i class="pwn">{tag}</i> *{tag}* __{tag}__ `{tag}` [{tag}](javascript:alert(1)) '
        f"<script>alert('{tag}')</script> <img src=x onerror=alert(1)> &amp; &lt;b&gt; &#106;s "
        f"{{{{ {tag} }}}} {{% if x %}} | {tag} | <!-- {tag} --> ]]> \\ # {tag} --- <{tag}@example.org>"
    )


ONE_LINE = {
    "briefing.title": hostile("btitle"),
    "key_point": hostile("kpoint"),
    "call.location": hostile("location"),
    "readout.text": hostile("readout"),
    "claim.title": hostile("ctitle"),
    "figure.unit": hostile("unit"),
    "claim.history.note": hostile("cnote"),
    "issue.title": hostile("ititle"),
    "position": hostile("position"),
    "issue.history.note": hostile("inote"),
    "change.note": hostile("change"),
    "quote.exact": hostile("exact"),
    "actor.name": hostile("aname"),
    "actor.role": hostile("role"),
    "actor.country": hostile("country"),
    "actor.alias": hostile("alias"),
    "source.title": hostile("stitle"),
    "source.publisher": hostile("publisher"),
}
PARAGRAPHS = {
    "briefing.summary": hostile("bsummary")
    + "\n\n# heading\n\n- list item\n\n    indented code\n\n> quote",
    "call.summary": hostile("csummary") + "\n<div>\n\n</div>",
    "claim.statement": hostile("statement") + "\n\n```\nfence\n```",
    "issue.summary": hostile("isummary") + "\n\n| a | b |\n|---|---|\n| c | d |",
}
AS_TYPED = {
    "yaml.no": "no",
    "yaml.octal": "0755",
    "yaml.date": "2025-12-29",
    "yaml.null": "~",
    "nbsp": "5\u00a0000\u202fdrones, M.\u00a0Example",
    "zero-width": "zero\u200bwidth\u200cjoin\u200dhere\u2060and\ufeffbom",
    "emoji": "family \U0001f469\u200d\U0001f469\u200d\U0001f467 flag \U0001f1fa\U0001f1e6",
    "rtl": "\u0627\u0644\u0633\u0644\u0627\u0645 \u05e9\u05dc\u05d5\u05dd with \u200fmarks\u200e",
    "combining": "e\u0301 vs \u00e9, A\u030a vs \u00c5",
    "lookalike": "\u0430lice \uff41lice \u0391",
}
URL = "https://example.org/a?b=1&c=<2>#\"x'y"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def block(text: str, indent: str) -> str:
    return "|\n" + "".join(f"{indent}{line}\n" if line else "\n" for line in text.split("\n"))


def archive_files() -> dict[str, str]:
    o, p, t = ONE_LINE, PARAGRAPHS, AS_TYPED
    actors = f"""actors:
  - id: alice
    name: {q(o["actor.name"])}
    kind: person
    role: {q(o["actor.role"])}
    country: {q(o["actor.country"])}
    aliases: [{q(o["actor.alias"])}, {q(t["lookalike"])}]
  - id: bob
    name: {q(t["rtl"])}
    kind: person
"""
    sources = f"""sources:
  - id: wire
    title: {q(o["source.title"])}
    publisher: {q(o["source.publisher"])}
    published: 2025-12-29
    url: {q(URL)}
    text: seeds/wire.txt
"""
    briefing = f"""id: b1
title: {q(o["briefing.title"])}
date: 2025-12-29
summary: {block(p["briefing.summary"], "  ")}sources: [wire]
key_points:
  - {q(o["key_point"])}
  - {t["yaml.no"]}
  - {t["yaml.octal"]}
  - {t["yaml.date"]}
  - {t["yaml.null"]}
  - {q(t["nbsp"])}
  - {q(t["zero-width"])}
  - {q(t["emoji"])}
  - {q(t["combining"])}
calls:
  - id: c1
    date: 2025-12-29
    kind: talks
    participants: [alice, bob]
    location: {q(o["call.location"])}
    summary: {block(p["call.summary"], "      ")}    readouts:
      - by: alice
        text: {q(o["readout.text"])}
claims:
  - id: k1
    title: {q(o["claim.title"])}
    claimant: alice
    date: 2025-12-29
    statement: {block(p["claim.statement"], "      ")}    status: disputed
    quotes:
      - source: wire
        exact: {q(o["quote.exact"])}
    figures:
      - value: 1_000
        unit: {q(o["figure.unit"])}
    history:
      - date: 2025-12-28
        status: unverified
        note: {q(o["claim.history.note"])}
open_issues:
  - id: i1
    title: {q(o["issue.title"])}
    status: open
    summary: {block(p["issue.summary"], "      ")}    positions:
      - actor: alice
        position: {q(o["position"])}
    history:
      - date: 2025-12-28
        status: stalled
        note: {q(o["issue.history.note"])}
changes:
  - date: 2025-12-29
    note: {q(o["change.note"])}
"""
    return {
        "content/actors.yaml": actors,
        "content/sources.yaml": sources,
        "content/briefings/b1.yaml": briefing,
        "seeds/wire.txt": SEED + "\n" + o["quote.exact"] + "\n",
    }


class Text(HTMLParser):
    """What a reader sees of a page: its text (entities decoded) and every element with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)

    @classmethod
    def of(cls, html: str) -> Text:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    @property
    def text(self) -> str:
        return flat("".join(self.chunks))


def flat(text: str) -> str:
    """White space as HTML shows it: runs of ASCII white space are one space; nothing else changes."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip(" ")


def shown(value: str) -> list[str]:
    """What a text field shows: each blank-line paragraph, flattened (a one-line field is one paragraph)."""
    return [flat(p) for p in value.split("\n\n") if flat(p)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    src = write_project(tmp_path_factory.mktemp("src"), archive_files())
    root = site_project(tmp_path_factory.mktemp("hostile"), src)
    build_site(find_project(root))  # the post-build scan runs here: it found nothing to object to
    return root / "site"


def page(site: Path, url: str) -> tuple[str, Text]:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return html, Text.of(html)


def article(html: str) -> Text:
    """The page content: from Material's content article to the first script after it."""
    start = html.index('<article class="md-content__inner')
    return Text.of(html[start : html.index("<script", start)])


PAGES = {
    "briefing.title": ["briefings/b1", "", "briefings"],
    "key_point": ["briefings/b1"],
    "call.location": ["briefings/b1"],
    "readout.text": ["briefings/b1", "actors/alice"],
    "claim.title": ["briefings/b1", "claims", "actors/alice"],
    "figure.unit": ["briefings/b1"],
    "claim.history.note": ["briefings/b1"],
    "issue.title": ["briefings/b1", "issues/i1", "issues"],
    "position": ["briefings/b1", "issues/i1", "actors/alice"],
    "issue.history.note": ["briefings/b1", "issues/i1"],
    "change.note": ["briefings/b1"],
    "quote.exact": ["briefings/b1", "sources/wire"],
    "actor.name": ["actors/alice", "briefings/b1", "actors"],
    "actor.role": ["actors/alice"],
    "actor.country": ["actors/alice"],
    "actor.alias": ["actors/alice", "actors"],
    "source.title": ["sources/wire", "briefings/b1", "sources"],
    "source.publisher": ["sources/wire", "briefings/b1"],
    "briefing.summary": ["briefings/b1"],
    "call.summary": ["briefings/b1"],
    "claim.statement": ["briefings/b1"],
    "issue.summary": ["briefings/b1", "issues/i1"],
}


@pytest.mark.parametrize("field", sorted(PAGES))
def test_every_text_field_shows_exactly_what_was_typed(site, field):
    value = ONE_LINE.get(field) or PARAGRAPHS[field]
    for url in PAGES[field]:
        html, text = page(site, url)
        for paragraph in shown(value):
            assert paragraph in text.text, f"{field} on {url or 'home'}: {paragraph!r}"


@pytest.mark.parametrize(
    "url",
    [
        "briefings/b1",
        "",
        "briefings",
        "actors/alice",
        "actors",
        "sources/wire",
        "sources",
        "issues/i1",
        "issues",
        "claims",
        "timeline",
    ],
)
def test_no_markup_from_content_becomes_an_element(site, url):
    html, text = page(site, url)
    assert not [
        e
        for e in text.elements
        if e[1].get("class") == "pwn"
        or e[0] in ("img", "script")
        and "src" in e[1]
        and "assets/javascripts/" not in e[1]["src"]
    ]
    made = [
        e
        for e in article(html).elements
        if e[0] in ("em", "code", "pre", "hr", "blockquote", "h1") and not e[1]
    ]
    assert made == [("h1", {})], (
        url
    )  # only the page title that Material adds; nothing made by Markdown
    urls = [attrs[k] for _, attrs in text.elements for k in ("href", "src", "action") if k in attrs]
    assert not [
        u for u in urls if re.match(r"\s*[a-z]+:", u, re.I) and not re.match(r"(https?|mailto):", u)
    ], url


@pytest.mark.parametrize("name", sorted(AS_TYPED))
def test_odd_characters_are_kept(site, name):
    html, text = page(
        site, {"rtl": "actors/bob", "lookalike": "actors/alice"}.get(name, "briefings/b1")
    )
    assert flat(AS_TYPED[name]) in text.text
    if name == "nbsp":  # a no-break space is not white space to collapse
        assert "5\u00a0000\u202fdrones" in html


def test_titles_show_the_typed_text(site):
    cases = {
        "briefings/b1": ONE_LINE["briefing.title"],
        "actors/alice": ONE_LINE["actor.name"],
        "issues/i1": ONE_LINE["issue.title"],
        "sources/wire": ONE_LINE["source.title"],
        "actors/bob": AS_TYPED["rtl"],
    }
    for url, value in cases.items():
        html, _ = page(site, url)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title, url  # the title element holds text only
        assert Text.of(f"<p>{title}</p>").text == flat(value) + " - Briefings", url
        header = re.search(
            r'<div class="md-header__topic" data-md-component="header-topic">(.*?)</div>',
            html,
            re.S,
        )
        assert flat(value) in Text.of(header.group(1)).text, url


def test_search_index_holds_the_typed_text(site):
    """Pagefind's index holds every text as typed, markup as text; titles are the pages' and the records'
    headings. The search script puts index text on the page as text only (test_search_browser.py)."""
    indexed = pagefind_index.pages(site)
    texts = [" ".join(d["content"].split()) for d in indexed]
    for field in (
        "briefing.summary",
        "key_point",
        "claim.statement",
        "readout.text",
        "position",
        "issue.summary",
        "quote.exact",
        "actor.role",
    ):
        value = ONE_LINE.get(field) or PARAGRAPHS[field]
        for paragraph in shown(value):
            assert any(" ".join(paragraph.split()) in t for t in texts), (field, paragraph)
    titles = {d["meta"]["title"] for d in indexed}
    for field in ("briefing.title", "actor.name", "source.title"):
        assert flat(ONE_LINE[field]) in titles, field
    for field in ("claim.title", "issue.title"):  # a record's heading: its own result's title
        assert any(flat(ONE_LINE[field]) in t for t in texts), field


def test_links_come_only_from_http_urls(site):
    html, text = page(site, "briefings/b1")
    originals = [
        attrs["href"]
        for tag, attrs in text.elements
        if tag == "a" and attrs.get("rel") == "noopener nofollow"
    ]
    assert originals == [URL]  # quotes, brackets and ampersands kept inside the one attribute
    assert (
        '<a href="https://example.org/a?b=1&amp;c=&lt;2&gt;#&#34;x&#39;y" rel="noopener nofollow">'
        in html
    )


def test_figures_read_underscores_as_digit_groups(site):
    html, _ = page(site, "briefings/b1")
    assert re.search(
        r"<strong>1,000</strong>", html
    )  # thousands separated, as newsrooms write them
