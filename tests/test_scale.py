"""The synthetic archive of the benchmark stays valid and buildable; growing lists are split."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ROOT

from generator.check.checker import check_project, quote_counts
from generator.output.build import build_site
from generator.pages import site
from generator.project import find_project

sys.path.insert(0, str(ROOT / "benchmarks"))
from run import project_for  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return project_for(50, tmp_path_factory.mktemp("bench") / "n50")


@pytest.mark.slow
def test_synthetic_archive_checks_generates_and_builds(synthetic):
    built = build_site(find_project(synthetic))
    assert built.generated.archive is None  # MkDocs ran without it in memory
    archive = check_project(find_project(synthetic))
    assert archive.files == 52
    assert quote_counts(archive) == (50 * (5 + 20), 0)
    assert (
        len(archive.threads("claim")) == 50 * 20 - 49 * 10
    )  # threads run over two briefings of a story
    site_dir = synthetic / "site"
    briefings = sorted((site_dir / "briefings").glob("*/index.html"))
    assert len(briefings) == 50
    largest = max(p.stat().st_size for p in site_dir.rglob("*.html"))
    assert largest < 500 * 1024


def rows(n: int, start=date(2025, 1, 1)) -> list[tuple[str, int]]:
    return [((start + timedelta(days=i // 10)).isoformat(), i) for i in reversed(range(n))]


def test_small_list_is_one_page():
    pages = site.monthly("claims/", "t", "Claims", {}, rows(30))
    assert [p.url for p in pages] == ["claims/"]
    assert pages[0].context["items"] == list(reversed(range(30)))


def test_months_each_get_a_page_and_the_landing_shows_the_newest(monkeypatch):
    monkeypatch.setattr(site, "PAGE_ITEMS", 400)
    pages = site.monthly("claims/", "t", "Claims", {}, rows(400))  # 40 days: Jan and Feb
    assert [p.url for p in pages] == ["claims/", "claims/2025-02/", "claims/2025-01/"]
    assert (
        pages[0].context["shown"] == "2025-02"
        and pages[0].context["items"] == pages[1].context["items"]
    )
    assert pages[2].title == "Claims: Jan 2025"


def test_busy_month_is_split_by_week_and_busy_week_by_day(monkeypatch):
    monkeypatch.setattr(site, "PAGE_ITEMS", 60)
    pages = {
        p.url: p for p in site.monthly("timeline/", "t", "Timeline", {}, rows(310))
    }  # 31 days of January
    month = pages["timeline/2025-01/"]
    assert month.context["items"] == []
    assert [k for k, _ in month.context["children"]] == [f"2025-01-w{w}" for w in (5, 4, 3, 2, 1)]
    week = pages["timeline/2025-01-w1/"]  # 70 rows > 60: split into days
    assert [k for k, _ in week.context["children"]][:2] == ["2025-01-07", "2025-01-06"]
    assert len(pages["timeline/2025-01-07/"].context["items"]) == 10
    assert len(pages["timeline/2025-01-w5/"].context["items"]) == 30  # days 29-31: small enough
    assert pages["timeline/"].context["shown"] == "2025-01-w5"
    assert all(len(p.context["items"]) <= 60 for p in pages.values())


def _render(root: Path) -> dict[str, bytes]:
    from generator.config import read_site_config
    from generator.output.generate import render_docs

    project = find_project(root)
    return render_docs(project, read_site_config(project.root))[1]


@pytest.mark.parametrize("template", ["actor.md.j2", "_feed_entry.html.j2"])  # a page; the feeds
def test_a_template_error_is_reported_at_its_template_and_line(tmp_path, template):
    from conftest import site_project

    from generator.errors import BuildError

    root = site_project(tmp_path, ROOT / "tests" / "cases" / "archive")
    (root / "site_templates" / "pages" / template).write_text("{{ nothing.here }}\n")
    with pytest.raises(BuildError) as info:
        _render(root)
    assert (
        str(info.value)
        == f"template error in site_templates/pages/{template}:1: 'nothing' is undefined"
    )


def test_period_pages_can_live_apart_from_id_named_pages():
    pages = site.monthly("sources/", "t", "Sources", {}, rows(400), periods_url="sources/_months/")
    assert [p.url for p in pages] == [
        "sources/",
        "sources/_months/2025-02/",
        "sources/_months/2025-01/",
    ]
    assert pages[0].context["section"] == "sources/_months/"
