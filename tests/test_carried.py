"""A record carried forward word for word is folded to one line on a later briefing (reader review 2: calm
repetition); a changed, new or contested one is shown whole, and a link, a search result or printing opens it."""

from __future__ import annotations

import re

import pytest
from conftest import ACTORS, BRIEFING, SEED, SOURCES, built_site, write_project
from test_scan_browser import browser  # noqa: F401 - a fixture

TWO_CLAIMS = (
    BRIEFING.replace(
        "summary: Talks go on.\n", "story: talks\nstory_title: The talks\nsummary: Talks go on.\n"
    )
    + """\
  - id: talks-resume
    claimant: bob
    date: 2025-12-29
    statement: Talks resume on Monday.
    status: unverified
open_issues:
  - id: troops
    title: Foreign troops
    status: open
    summary: Who would send troops.
"""
)
LATER = (
    TWO_CLAIMS.replace("id: b1", "id: b2")
    .replace("date: 2025-12-29\nstory", "date: 2025-12-30\nstory")
    .replace("summary: Talks go on.", "summary: Talks resumed.")
    .replace(
        "    statement: Talks resume on Monday.\n    status: unverified",
        "    statement: Talks resume on Monday.\n    status: corroborated",
    )
)


@pytest.fixture(scope="module")
def carried(tmp_path_factory):
    src = write_project(
        tmp_path_factory.mktemp("src"),
        {
            "content/actors.yaml": ACTORS,
            "content/sources.yaml": SOURCES,
            "seeds/wire.txt": SEED,
            "content/briefings/b1.yaml": TWO_CLAIMS,
            "content/briefings/b2.yaml": LATER,
        },
    )
    return built_site(tmp_path_factory.mktemp("site"), src)


def page(root, path: str) -> str:
    return (root / "site" / path / "index.html").read_text(encoding="utf-8")


def test_an_unchanged_record_is_folded_and_a_changed_one_is_whole(carried):
    later = page(carried, "briefings/b2")
    folded = re.findall(
        r'<details class="carried" id="carried-([a-z-]+)">\s*<summary>(.*?)</summary>', later, re.S
    )
    assert [anchor for anchor, _ in folded] == ["claim-deal-close", "issue-troops"]
    summary = re.sub(r"<[^>]+>", "", folded[0][1])
    assert "A deal is close." in summary and "unchanged since 29 Dec 2025" in summary
    whole = later[
        later.index('id="claim-talks-resume"') - 200 : later.index('id="claim-talks-resume"')
    ]
    assert "<details" not in whole  # the claim whose status changed is shown whole
    assert (
        'id="claim-deal-close"' in later
    )  # the card is there, folded: links and search still land on it
    assert "<details" not in page(carried, "briefings/b1")  # a story's first briefing folds nothing


def test_a_contested_record_is_never_folded(tmp_path):
    disputed = LATER.replace(
        "    statement: A deal is close.\n    status: unverified",
        "    statement: A deal is close.\n    status: disputed",
    )
    first = TWO_CLAIMS.replace(
        "    statement: A deal is close.\n    status: unverified",
        "    statement: A deal is close.\n    status: disputed",
    )
    src = write_project(
        tmp_path / "src",
        {
            "content/actors.yaml": ACTORS,
            "content/sources.yaml": SOURCES,
            "seeds/wire.txt": SEED,
            "content/briefings/b1.yaml": first,
            "content/briefings/b2.yaml": disputed,
        },
    )
    (tmp_path / "site").mkdir()
    root = built_site(tmp_path / "site", src)
    later = page(root, "briefings/b2")
    assert 'id="carried-claim-deal-close"' not in later and 'id="carried-issue-troops"' in later


def test_a_link_to_a_folded_record_and_printing_open_it(carried, browser):  # noqa: F811
    from browser_support import DESKTOP, serve

    with serve(carried / "site", "/briefings/") as base:
        context = browser.new_context(viewport=DESKTOP)
        tab = context.new_page()
        try:
            tab.goto(base + "briefings/b2/")
            assert tab.evaluate("document.getElementById('carried-claim-deal-close').open") is False
            tab.goto(base + "briefings/b2/#claim-deal-close")
            tab.wait_for_function(
                "document.getElementById('carried-claim-deal-close').open === true"
            )
            tab.goto(base + "briefings/b2/")
            tab.emulate_media(media="print")
            tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            assert tab.evaluate(
                "[...document.querySelectorAll('details.carried')].every(d => d.open)"
            )
        finally:
            context.close()
