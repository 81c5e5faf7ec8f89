"""The site's search box in a real browser: Pagefind's index on a served two-story site, Material's on the
offline copy.

What journalists type (reader review 2): a figure and a noun ("91 drones"), another name of who speaks
("Kremlin"), a phrase in quotes, as phones type them (“turn back the clock”), a status word ("disputed"). Each
lands on the record, and the record's result says what it is. Index text is put on the page as text only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from browser_support import DESKTOP, PHONE, serve
from conftest import ROOT, built_site, site_project, with_story_indexes
from test_scan_browser import browser  # noqa: F401 - the shared browser fixture

from generator.output.build import build_offline, build_site
from generator.project import find_project

pytestmark = pytest.mark.browser

BRIEFING = "briefings/2025-12-29-trump-putin-second-call/"
DRONE_CLAIM = "claim-russia-novgorod-residence-drone-attack"
CLOCK_CLAIM = "claim-zelenskyy-turn-back-the-clock"


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    """A two-story site: the seed's story and a second one (tests/cases/twostory)."""
    return (
        built_site(tmp_path_factory.mktemp("search-two"), ROOT / "tests" / "cases" / "twostory")
        / "site"
    )


@pytest.fixture(scope="module")
def served(seed):
    with serve(seed, "/briefings/") as base:  # under a path, as a site is published
        yield base


@pytest.fixture
def tab(browser, served):  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(served + BRIEFING)
    yield page
    context.close()
    assert not errors, errors


def results(page, query: str) -> list[dict]:
    """Open search with its key, type ``query`` and return the results once they are shown for it."""
    page.keyboard.press("/")
    page.locator(".md-search__input").press_sequentially(query, delay=20)
    page.wait_for_function(
        "() => /matching page/.test(document.getElementById('site-search-status').textContent)"
    )
    return page.eval_on_selector_all(
        "#site-search-results a",
        """links => links.map(a => ({
            href: a.getAttribute('href'),
            title: a.querySelector('h1, h2').textContent,
            line: (a.querySelector('.site-search-meta') || {}).textContent || '',
            mark: [...a.querySelectorAll('mark')].map(m => m.textContent).join(' '),
            record: a.querySelector('h2') !== null,
        }))""",
    )


def records(found: list[dict]) -> list[dict]:
    return [r for r in found if r["record"]]


def test_a_figure_and_a_noun_land_on_the_claim_whose_result_says_what_it_is(tab, served):
    found = records(results(tab, "91 drones"))
    first = found[0]
    assert first["href"] == f"/briefings/{BRIEFING}#{DRONE_CLAIM}"
    assert first["line"] == (
        "Factual claim by Government of Russia · In the sources: disputed · Desk review: unproven · "
        "29 Dec 2025 (date inferred)"
    )
    tab.locator(f"#site-search-results a[href$='#{DRONE_CLAIM}']").click()
    tab.wait_for_url(re.compile(f"#{DRONE_CLAIM}$"))
    assert tab.evaluate("document.getElementById('__search').checked") is False


def test_another_name_of_the_claimant_finds_its_claims(tab):
    found = records(results(tab, "Kremlin"))
    assert [r["href"].split("#")[1] for r in found][:1] == [DRONE_CLAIM]


def test_a_phrase_in_curly_quotes_matches_as_a_phrase_and_lands_on_its_record(tab):
    found = results(tab, "“turn back the clock”")
    marked = [r for r in records(found) if r["mark"].strip('"').lower() == "turn back the clock"]
    assert marked and all(r["href"].startswith(f"/briefings/{BRIEFING}#") for r in marked), found
    assert any(r["href"] == "/briefings/sources/article-2025-12-29-second-call/" for r in found)
    # the words apart do not make the phrase: "the clock" and "turn back" elsewhere are no match
    tab.locator(".md-search__input").fill("")
    tab.locator(".md-search__input").press_sequentially('"back turn the clock"', delay=20)
    tab.wait_for_function(
        "() => document.getElementById('site-search-status').textContent === 'No matching pages'"
    )


def test_a_status_word_finds_the_claims_that_carry_it_first(tab):
    found = records(results(tab, "disputed"))
    carry = ["disputed" in r["line"].split() for r in found]
    assert carry and carry[0] and carry == sorted(carry, reverse=True), found
    assert f"/briefings/{BRIEFING}#{DRONE_CLAIM}" in [
        r["href"] for r in found if "disputed" in r["line"]
    ]


def test_nothing_loads_until_search_is_opened_and_then_only_from_the_site(browser, served):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(served + BRIEFING)
    page.wait_for_load_state("networkidle")
    assert not [u for u in asked if "pagefind" in u or "search_index" in u]
    results(page, "91 drones")
    assert any("/briefings/pagefind/bundles.json" in u for u in asked)
    assert any("/briefings/pagefind/main/fragment/" in u for u in asked)
    assert [u for u in asked if not u.startswith(served)] == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_panel_has_no_serious_accessibility_violation(browser, served, scheme):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = context.new_page()
    page.goto(served + BRIEFING)
    results(page, "91 drones")
    report = Axe().run(page, context=".md-search", options={"resultTypes": ["violations"]})
    serious = [
        f"{v['id']}: {v['help']}: " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in report.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert serious == []


def test_markup_in_the_index_comes_out_as_text(browser, archive_site):  # noqa: F811
    """The archive's briefing title holds <script>alert(1)</script>; its result shows the words, runs nothing."""
    archive = archive_site
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(archive / "site") as base:
        page.goto(base)
        found = results(page, "picket line alert")
        assert any("<script>alert(1)</script>" in r["title"] for r in found), found
        assert page.locator("#site-search-results script, #site-search-results img").count() == 0
    context.close()
    assert dialogs == []


# --- the offline copy: Material's index, from the disk ------------------------------------------


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Path:
    root = site_project(tmp_path_factory.mktemp("search-offline"), ROOT)
    return build_offline(find_project(root)).site_dir


@pytest.mark.parametrize(
    "query, anchor",
    [("91 drones", DRONE_CLAIM), ("Kremlin", DRONE_CLAIM), ('"turn back" clock', CLOCK_CLAIM)],
)
def test_the_offline_copy_finds_what_the_site_finds(browser, offline, query, anchor):  # noqa: F811
    """Material's index: words in quotes are all required there, not kept together, and a phrase that holds a
    stop word ("the") finds nothing, since its index leaves those out (README, "Search")."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto((offline / "index.html").as_uri())
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(query, delay=20)
    page.wait_for_function(
        "(a) => [...document.querySelectorAll('.md-search-result__link')].some(l => l.href.endsWith('#' + a))",
        arg=anchor,
    )
    context.close()


# --- what a query costs on a phone link, at a size CI can afford ----------------------------------


@pytest.mark.slow
def test_a_query_on_a_phone_link_shows_a_result_within_3_s_and_fetches_under_1_mb(
    browser,  # noqa: F811
    tmp_path_factory,
):
    """100 briefings (make bench measures 1,000), served gzipped over 1.6 Mbps / 150 ms: what a query fetches
    does not grow with the archive; Material's single index, at this size, is several megabytes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import project_for
    from search import PHONE_LINK, Link, briefing_path, index_sizes, measure_query, serve_gzipped

    root = project_for(100, tmp_path_factory.mktemp("search-scale") / "n100")
    build_site(find_project(root))
    site = root / "site"
    assert index_sizes(site)["pagefind_files"] > 20
    with serve_gzipped(site, Link(*PHONE_LINK)) as base:
        for query in ("drones", "ceasefire talks"):
            m = measure_query(browser, base, briefing_path(site), query)
            assert m["first_result_s"] <= 3.0, m
            assert m["received_kb"] <= 1024, m


def test_with_an_index_a_story_one_query_searches_them_all(browser, tmp_path):  # noqa: F811
    """``search_indexes: story``: each story's index is merged into the site's, so a query finds a claim of
    either story and an actor's page (the site's own index) alike."""
    root = site_project(tmp_path, ROOT / "tests" / "cases" / "twostory")
    with_story_indexes(root)
    build_site(find_project(root))
    bundles = (root / "site" / "pagefind" / "bundles.json").read_text()
    assert '"story/kessel-dam/"' in bundles
    with serve(root / "site", "/briefings/") as base:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url))
        page.goto(base + BRIEFING)
        first = records(results(page, "91 drones"))[0]
        assert first["href"].endswith(f"#{DRONE_CLAIM}")
        page.keyboard.press("Escape")
        page.goto(base + BRIEFING)
        found = results(page, "gauge")
        assert any("kessel-dam" in r["href"] for r in found), found
        assert any("/pagefind/story/kessel-dam/" in u for u in asked)
        context.close()
