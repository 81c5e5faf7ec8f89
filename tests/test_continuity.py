"""Warnings across a story (issue 15, part 3): dates a briefing cannot know yet, and a thread renamed."""

from __future__ import annotations

import pytest
from conftest import BRIEFING, SOURCES


def warnings(cli, root) -> list[str]:
    run = cli(root, "check")
    assert run.code == 0, run.err
    # the story rules (test_story_rules.py) are not what these tests are about
    unrelated = (
        "neither publisher nor url",
        "has no story_title",
        "no source here is newer",
        "the same summary",
    )
    return [line for line in run.lines if not any(u in line for u in unrelated)]


def test_a_record_dated_after_its_briefing_is_a_warning(cli, project):
    text = BRIEFING.replace("    date: 2025-12-29\n", "    date: 2025-12-30\n") + (
        "    figures:\n      - value: 3\n        unit: rounds\n        date: 2026-01\n"
        "    history:\n      - date: 2025-12-28\n        status: disputed\n"
        "calls:\n  - id: call\n    date: 2025-12-29/2025-12-31\n    kind: talks\n    participants: [alice, bob]\n    summary: s\n"
    )
    root = project({"content/briefings/b1.yaml": text})
    assert warnings(cli, root) == [
        "content/briefings/b1.yaml:9:11: warning: claims[0].date: the claim is dated 2025-12-30, after this briefing "
        "(2025-12-29), which cannot report it yet; check this date or the briefing's",
        "content/briefings/b1.yaml:18:15: warning: claims[0].figures[0].date: the figure is dated 2026-01, after this "
        "briefing (2025-12-29), which cannot report it yet; check this date or the briefing's",
    ]  # a call that began by the briefing's date is no warning, nor an earlier status


def test_a_source_published_after_the_briefing_is_a_warning(cli, project):
    root = project(
        {"content/sources.yaml": SOURCES.replace("published: 2025-12-29", "published: 2026-12-29")}
    )
    assert warnings(cli, root) == [
        "content/briefings/b1.yaml:5:11: warning: sources[0]: source 'wire' was published 2026-12-29, after this "
        "briefing (2025-12-29); check its published date in content/sources.yaml:4 or the briefing's date",
    ]


LATER = """\
id: b2
title: Second briefing
date: 2025-12-30
story: talks
summary: Talks go on.
sources: [wire]
claims:
  - id: deal-near
    claimant: alice
    date: 2025-12-29
    statement: A deal is close.
    status: unverified
open_issues:
  - id: troops-abroad
    title: Foreign troops
    status: open
    summary: s
"""


@pytest.mark.parametrize(
    "story, expected",
    [
        (
            "talks",
            [
                "content/briefings/b2.yaml:8:9: warning: claims[0].id: claim 'deal-near' is new here, and 'deal-close' with "
                "the same title in b1 is not carried on; if it is the same claim, keep the id 'deal-close' so that its "
                "history stays one",
                "content/briefings/b2.yaml:14:9: warning: open_issues[0].id: open issue 'troops-abroad' is new here, and "
                "'troops' with the same title in b1 is not carried on; if it is the same open issue, keep the id 'troops' "
                "so that its history stays one",
            ],
        ),
        ("other-story", []),  # another story's threads are not this one's
    ],
)
def test_a_thread_renamed_in_the_next_briefing_of_its_story_is_named(cli, project, story, expected):
    first = BRIEFING.replace(
        "summary: Talks go on.\n", f"story: {story}\nsummary: Talks go on.\n"
    ) + (
        "open_issues:\n  - id: troops\n    title: Foreign  troops\n    status: open\n    summary: s\n"
    )
    root = project({"content/briefings/b1.yaml": first, "content/briefings/b2.yaml": LATER})
    assert warnings(cli, root) == expected


def test_a_kept_id_is_no_warning(cli, project):
    first = BRIEFING.replace("summary: Talks go on.\n", "story: talks\nsummary: Talks go on.\n")
    root = project(
        {
            "content/briefings/b1.yaml": first,
            "content/briefings/b2.yaml": LATER.replace("deal-near", "deal-close").split(
                "open_issues:"
            )[0],
        }
    )
    assert warnings(cli, root) == []
