"""Briefings without a story, beside a story whose id is ``unsorted`` (B10): never one chain."""

from __future__ import annotations

import shutil

import pytest
from conftest import BRIEFING, ROOT

from generator.check.checker import check_project
from generator.output.generate import generate
from generator.pages.site import NO_STORY, build_index, plan_pages
from generator.project import find_project

STORYLESS = BRIEFING
"""b1, 2025-12-29, no story; its claim deal-close is dropped by b2."""
UNSORTED = (
    "id: b2\ntitle: A story named unsorted\ndate: 2025-12-30\nstory: unsorted\nsummary: Other talks.\n"
    "sources: [wire]\n"
)


@pytest.fixture
def both(project):
    root = project({"content/briefings/b1.yaml": STORYLESS, "content/briefings/b2.yaml": UNSORTED})
    archive = check_project(find_project(root))
    return root, archive


def test_a_story_named_unsorted_is_not_the_briefings_without_a_story(both):
    _, archive = both
    index = build_index(archive)
    assert {key: [b.id for b in chain] for key, chain in index.stories.items()} == {
        NO_STORY: ["b1"],
        "unsorted": ["b2"],
    }
    assert index.previous == {} and index.next == {}
    assert index.changes["b2"].previous is None and index.changes["b2"].empty
    assert index.story_title("unsorted") == "Unsorted"
    assert index.story_title(None) == index.story_title(NO_STORY) == "Briefings without a story"


def test_each_has_its_own_story_pages(both):
    _, archive = both
    stories = {
        p.url: [b.id for b in p.context["chain"]]
        for p in plan_pages(archive)
        if p.template == "story.md.j2"
    }
    assert stories == {f"stories/{NO_STORY}/": ["b1"], "stories/unsorted/": ["b2"]}


def test_the_page_of_the_unsorted_story_compares_and_links_nothing(both):
    root, _ = both
    shutil.copytree(ROOT / "site_templates", root / "site_templates")
    generate(find_project(root))
    page = (root / "docs" / "briefings" / "b2.md").read_text(encoding="utf-8")
    assert "No earlier briefing of this story to compare with." in page
    assert "First briefing" not in page and 'rel="prev"' not in page
    assert 'rel="next"' not in (root / "docs" / "briefings" / "b1.md").read_text(encoding="utf-8")
