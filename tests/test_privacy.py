"""Readers are not tracked (B7): a page of the published site asks no host but the site's own for anything.

The seed site is built and served over loopback under the path of its
site_url, as a static host would serve it, and every page kind is read in
Chromium (see browser_support.py) while every request it sends is recorded.
Requests for any other origin are aborted, so nothing leaves the machine, and
the test fails naming them: the repository widget's calls to the GitHub API,
the theme's mermaid from a CDN, a tracking image. Without a browser the
browser tests are skipped with one line saying why, and fail with it in CI;
the checks of the built files run either way.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import (
    DESKTOP,
    browser_problem,
    in_ci,
    serve,
    start_browser,
    unavailable_message,
)
from conftest import ROOT, site_project

from generator.config import read_site_config
from generator.output.build import build_site
from generator.project import find_project

BRIEFING = "briefings/2025-12-29-trump-putin-second-call/"

PAGE_KINDS = {
    "home": "",
    "briefing": BRIEFING,
    "briefings index": "briefings/",
    "story": "stories/russia-ukraine-peace-talks/",
    "issue tracker": "issues/",
    "issue page": "issues/territory/",
    "source page": "sources/article-2025-12-29-second-call/",
    "actor page": "actors/putin/",
    "claims index": "claims/",
    "timeline": "timeline/",
    "tags": "tags/",
    "hand-written page": "pages/about/",
    "404": "no-such-page/",
}

SEARCH_QUERY = "91 drones"

POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

EDIT_LINK = (
    '<a href="https://github.com/example/briefings/edit/main/content/briefings/'
    '2025-12-29-trump-putin-second-call.yaml" title="Edit this page" class="md-content__button md-icon" '
    'rel="edit">'
)

WIDGET = 'data-md-component="source"'
"""The mark of Material's repository widget: its script asks the repository's host for the facts."""

EMPTY_WIDGET_BOX = (
    "document.querySelector('.md-header__source')?.getBoundingClientRect().width ?? 0"
)
"""Material's header keeps a box for the widget whether or not the widget is in it (none without repo_url)."""

LOCAL_SCHEMES = ("data:", "blob:", "about:")
"""URLs that name no host: inline images, worker blobs, blank frames."""

VIOLATIONS = """document.addEventListener("securitypolicyviolation",
  e => (window.__violations = window.__violations || []).push(e.effectiveDirective + " " + e.blockedURI));"""

THIRD_PARTY = """
<pre class="mermaid"><code>graph LR; A --> B</code></pre>
<p><img src="https://tracker.example/pixel.gif" alt=""></p>
<link rel="stylesheet" href="https://cdn.example/style.css">
<script src="https://cdn.example/script.js"></script>
<iframe src="https://video.example/embed" title="embed"></iframe>
<script>fetch("https://collect.example/hit", {mode: "no-cors"}).catch(() => {})</script>
"""
"""What a page could add that calls another host: the theme's mermaid (loaded from a CDN for
``pre.mermaid``), a tracking image, a stylesheet, a script, a frame and a beacon."""


# --- the sites -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed(seed_site) -> Path:
    """The seed site as shipped, built (once for the run, read only); returns the project root."""
    return seed_site


def widget_site(dest: Path, repo_url: str) -> Path:
    """The seed site built with `extra: repository_widget: true` and the given repo_url."""
    root = site_project(dest, ROOT)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("\nextra:\n", "\nextra:\n  repository_widget: true\n", 1)
    text += f"repo_url: {repo_url}\nedit_uri: edit/main/\n"  # the shipped mkdocs.yml names no repository
    assert "repository_widget: true" in text and f"repo_url: {repo_url}" in text
    config.write_text(text, encoding="utf-8")
    build_site(find_project(root))
    return root


@pytest.fixture(scope="module")
def with_widget(tmp_path_factory) -> Path:
    return widget_site(tmp_path_factory.mktemp("widget"), "https://github.com/example/briefings")


def pages(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root / "site")): p.read_text(encoding="utf-8")
        for p in sorted((root / "site").rglob("*.html"))
    }


def policy_of(html: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert len(found) == 1, f"{len(found)} policies"
    return found[0]


# --- the built files ------------------------------------------------------------------


def test_every_page_carries_the_policy_before_anything_it_governs(seed):
    built = pages(seed)
    assert len(built) >= 30
    for rel, html in built.items():
        assert policy_of(html) == POLICY, rel
        head = html[: html.index("</head>")]
        first = min(
            head.index(tag)
            for tag in ("<link", "<script", "<style", "<meta charset")
            if tag in head
        )
        assert head.index("Content-Security-Policy") < first, (
            f"{rel}: the policy comes after {head[first : first + 40]}"
        )


def test_without_asking_there_is_no_repository_widget_and_without_a_repository_no_edit_link(seed):
    """Reader review 2: pencils to a placeholder repository mean nothing to a reader; the shipped site has none."""
    built = pages(seed)
    assert [rel for rel, html in built.items() if WIDGET in html or "md-source" in html] == []
    assert [rel for rel, html in built.items() if 'rel="edit"' in html] == []


@pytest.mark.slow
def test_a_site_that_asks_for_the_widget_gets_it_and_its_api_is_allowed(with_widget):
    built = pages(with_widget)
    assert [rel for rel, html in built.items() if WIDGET not in html] == []
    assert EDIT_LINK in built[BRIEFING + "index.html"]
    assert policy_of(built["index.html"]) == POLICY.replace(
        "connect-src 'self';", "connect-src 'self' https://api.github.com;"
    )


@pytest.mark.slow
def test_a_gitlab_widget_allows_its_own_host(tmp_path):
    root = widget_site(tmp_path, "https://gitlab.example.org/desk/briefings")
    assert "connect-src 'self' https://gitlab.example.org;" in policy_of(pages(root)["index.html"])


# --- in the browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Chromium; without one, a skip in one line saying why (a failure with that line in CI)."""
    problem = browser_problem()
    if problem:
        if in_ci():
            pytest.fail(unavailable_message(problem, ci=True), pytrace=False)
        pytest.skip(unavailable_message(problem, ci=False))
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = start_browser(playwright, in_ci())
    except BaseException:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


def served(root: Path):
    """Serve the built site from 127.0.0.1 under the path of its site_url; yields the base URL."""
    prefix = urlsplit(read_site_config(root).site_url).path or "/"
    with serve(root / "site", prefix) as base:
        yield base


@pytest.fixture(scope="module")
def site(seed, browser):
    yield from served(seed)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Reader:
    """A fresh browser context on the site that records every request sent and answers only the site's own.

    Every request the browser sends to the network, from the page, its frames and its
    workers, passes ``_answer``; one for any other origin is recorded there and aborted,
    so the test never reaches the network. A request the page's content security policy
    refuses never gets that far (the browser reports it as a violation, collected too).
    """

    def __init__(self, browser, base: str):
        self.base, self.home = base, origin(base)
        self.sent: list[str] = []
        self.context = browser.new_context(viewport=DESKTOP)
        self.context.set_default_timeout(10_000)
        self.context.add_init_script(VIOLATIONS)
        self.context.route("**/*", self._answer)
        self.tab = self.context.new_page()
        self.errors: list[str] = []
        self.tab.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _answer(self, route):
        self.sent.append(route.request.url)
        if origin(route.request.url) == self.home:
            route.continue_()
        else:
            route.abort()

    def read(self, path: str) -> None:
        """Open the page and wait until its scripts have made their requests."""
        response = self.tab.goto(self.base + path)
        assert response is not None and response.status == (
            404 if path == PAGE_KINDS["404"] else 200
        ), path
        self.tab.wait_for_load_state("networkidle")

    def search(self, query: str) -> None:
        """Type a query as a reader does, and wait for a section result holding every word of it."""
        box = self.tab.locator(".md-search__input")
        box.click()
        box.press_sequentially(query)
        self.tab.wait_for_function(
            "(words) => { const r = document.querySelector(\".md-search-result__link[href*='#']\");"
            " return r !== null && words.every(w => r.textContent.includes(w)); }",
            arg=query.split(),
        )
        self.tab.wait_for_load_state("networkidle")

    def elsewhere(self) -> list[str]:
        """Every URL sent to another origin, in order, once each."""
        urls = [u for u in self.sent if not u.startswith(LOCAL_SCHEMES) and origin(u) != self.home]
        return list(dict.fromkeys(urls))

    def violations(self) -> list[str]:
        return self.tab.evaluate("window.__violations || []")

    def close(self) -> None:
        self.context.close()


def reading(browser, base: str):
    reader = Reader(browser, base)
    yield reader
    reader.close()
    assert not reader.errors, f"script errors on the page: {reader.errors}"


@pytest.fixture
def reader(browser, site):
    yield from reading(browser, site)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_every_page_kind_asks_only_the_site(reader, kind):
    reader.read(PAGE_KINDS[kind])
    assert reader.tab.locator("h1").first.is_visible()
    assert reader.tab.evaluate(EMPTY_WIDGET_BOX) == 0, (
        "the header keeps room for a widget it does not show"
    )
    assert reader.elsewhere() == [], (
        f"{kind} ({PAGE_KINDS[kind]}) requested another host: {reader.elsewhere()}"
    )
    assert reader.violations() == [], (
        f"{kind}: the page breaks its own content security policy: {reader.violations()}"
    )


def test_search_asks_only_the_site(reader):
    reader.read("")
    reader.search(SEARCH_QUERY)
    assert reader.elsewhere() == [], f"search requested another host: {reader.elsewhere()}"
    assert any("/pagefind/" in u and "/fragment/" in u for u in reader.sent), (
        "the index came from the site"
    )
    assert not any(u.endswith("search/search_index.json") for u in reader.sent)
    assert reader.violations() == [], (
        f"search breaks the content security policy: {reader.violations()}"
    )


def test_the_page_policy_refuses_what_a_page_adds_from_another_host(reader):
    """Content the generator's scan cannot see (the theme fetches mermaid at run time) still loads nothing."""

    def with_third_party(route):
        html = route.fetch().text()
        route.fulfill(
            body=html.replace("</article>", THIRD_PARTY + "</article>", 1),
            content_type="text/html; charset=utf-8",
        )

    reader.tab.route(re.compile(re.escape(reader.base + BRIEFING) + "$"), with_third_party)
    reader.read(BRIEFING)
    assert "graph LR; A --&gt; B" in reader.tab.content(), "the added content is on the page"
    # the theme reports the mermaid it could not load as a script error; nothing else may fail
    errors, reader.errors = reader.errors, []
    assert set(errors) <= {"Invalid script: https://unpkg.com/mermaid@11/dist/mermaid.min.js"}, (
        errors
    )
    assert reader.elsewhere() == [], f"requested another host: {reader.elsewhere()}"
    refused = {(v.split(" ", 1)[0], origin(v.split(" ", 1)[1])) for v in reader.violations()}
    assert refused >= {
        ("script-src-elem", "https://unpkg.com"),
        ("img-src", "https://tracker.example"),
        ("style-src-elem", "https://cdn.example"),
        ("script-src-elem", "https://cdn.example"),
        ("frame-src", "https://video.example"),
        ("connect-src", "https://collect.example"),
    }, refused


@pytest.fixture(scope="module")
def widget_base(with_widget, browser):
    yield from served(with_widget)


@pytest.fixture
def widget_reader(browser, widget_base):
    yield from reading(browser, widget_base)


def test_the_widget_when_asked_for_reads_the_repository_facts_from_its_api_only(widget_reader):
    """The opt-in works as Material's widget does: the reader's browser asks api.github.com, and nothing else."""
    widget_reader.read("")
    assert widget_reader.tab.locator(f".md-header__source [{WIDGET}]").is_visible()
    assert sorted(widget_reader.elsewhere()) == [
        "https://api.github.com/repos/example/briefings",
        "https://api.github.com/repos/example/briefings/releases/latest",
    ]
    assert widget_reader.violations() == []
