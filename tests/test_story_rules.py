"""Rules across a story and across stories (check/stories.py), on a two-story content tree: each mistake an
editor made in the trial that passed silently now draws its error or warning, at its place."""

from __future__ import annotations

import pytest
from conftest import BRIEFING, SOURCES

TALKS = BRIEFING.replace(
    "summary: Talks go on.\n", "story: talks\nstory_title: The talks\nsummary: Talks go on.\n"
)
DAM = """\
id: d1
title: The dam
date: 2025-12-29
story: dam
story_title: The dam
summary: The dam is closed.
sources: [wire]
claims:
  - id: dam-closed
    claimant: bob
    date: 2025-12-29
    statement: The dam is closed.
    status: unverified
"""
NEWER = (
    SOURCES
    + """\
  - id: wire-2
    title: Wire story, later
    published: 2025-12-30
"""
)


def lines(cli, root, code: int = 0) -> list[str]:
    run = cli(root, "check")
    assert run.code == code, run.err
    return [line for line in run.lines if "neither publisher nor url" not in line]


def test_two_clean_stories_draw_no_story_warning(cli, project):
    root = project({"content/briefings/b1.yaml": TALKS, "content/briefings/d1.yaml": DAM})
    assert lines(cli, root) == []


@pytest.mark.parametrize("name", ["disputes", "supports", "supersedes"])
def test_a_claim_linked_to_a_claim_of_another_story_is_an_error(cli, project, name):
    root = project(
        {
            "content/briefings/b1.yaml": TALKS + f"    {name}: [dam-closed]\n",
            "content/briefings/d1.yaml": DAM,
        }
    )
    assert lines(cli, root, 1)[0] == (
        f"content/briefings/b1.yaml:17:{len(name) + 8}: claims[0].{name}[0]: 'dam-closed' is a claim of the story "
        f"'dam', and this briefing is of the story 'talks': a claim {name.removesuffix('s')}s only claims of its "
        "own story; remove the link, or set the story of one of the briefings"
    )


def test_a_related_link_across_stories_is_a_warning(cli, project):
    root = project(
        {
            "content/briefings/b1.yaml": TALKS + "    related: [dam-closed]\n",
            "content/briefings/d1.yaml": DAM,
        }
    )
    assert lines(cli, root) == [
        "content/briefings/b1.yaml:17:15: warning: claims[0].related[0]: 'dam-closed' belongs to the story 'dam', "
        "not to this briefing's story 'talks'; keep the link only if the two stories are really connected"
    ]


def test_a_story_id_one_letter_off_and_a_story_without_a_title_are_warned(cli, project):
    typo = TALKS.replace("id: b1", "id: b2").replace(
        "story: talks\nstory_title: The talks\n", "story: tallks\n"
    )
    typo = typo.replace("date: 2025-12-29\nstory", "date: 2025-12-30\nstory")
    root = project({"content/briefings/b1.yaml": TALKS, "content/briefings/b2.yaml": typo})
    assert sorted(lines(cli, root)) == [
        "content/briefings/b2.yaml:4:8: warning: story: the story 'tallks' has no story_title in any briefing, so "
        "its pages would be headed by its id; add story_title: with its name",
        "content/briefings/b2.yaml:4:8: warning: story: the story 'tallks' starts here, and 'talks' already exists "
        "(content/briefings/b1.yaml); did you mean 'talks'? A new id starts a second story",
    ]


def test_a_briefing_carried_forward_unchanged_is_warned(cli, project):
    later = TALKS.replace("id: b1", "id: b2").replace(
        "title: First briefing", "title: Second briefing"
    )
    later = later.replace("date: 2025-12-29\nstory", "date: 2025-12-30\nstory")
    root = project({"content/briefings/b1.yaml": TALKS, "content/briefings/b2.yaml": later})
    assert lines(cli, root) == [
        "content/briefings/b2.yaml:6:10: warning: summary: the same summary as the previous briefing of the story, "
        "'b1' (content/briefings/b1.yaml); write what is new as of 2025-12-30",
        "content/briefings/b2.yaml:7:10: warning: sources: no source here is newer than those of the previous "
        "briefing of the story, 'b1'; add the source this update rests on",
    ]
    fixed = later.replace("summary: Talks go on.", "summary: Talks resumed.").replace(
        "sources: [wire]", "sources: [wire, wire-2]"
    )
    root = project(
        {
            "content/briefings/b1.yaml": TALKS,
            "content/briefings/b2.yaml": fixed,
            "content/sources.yaml": NEWER,
        }
    )
    assert lines(cli, root) == []  # the fix each message suggests


def test_an_unused_source_and_two_briefings_on_one_day_are_warned(cli, project):
    same_day = TALKS.replace("id: b1", "id: b0").replace(
        "summary: Talks go on.", "summary: Early news."
    )
    root = project(
        {
            "content/briefings/b1.yaml": TALKS,
            "content/briefings/b0.yaml": same_day,
            "content/sources.yaml": NEWER,
        }
    )
    found = lines(cli, root)
    assert (
        "content/briefings/b1.yaml:3:7: warning: date: 'b0' of the same story has the same date, so the site "
        "would put them in the order of their ids; if both report that day, give each an order: line (order: 1 "
        "for the earlier, order: 2 for the later)"
    ) in found
    assert (
        "content/sources.yaml:6:9: warning: id: source 'wire-2' is in no briefing's sources; cite it where it is "
        "used, or remove it"
    ) in found


def test_an_order_line_decides_which_briefing_of_a_day_comes_first(cli, project):
    """The fix the same-day warning suggests: with order: lines the warning goes, and the order is the site's."""
    from generator.check.checker import check_project
    from generator.project import find_project

    same_day = TALKS.replace("id: b1", "id: b0").replace(
        "summary: Talks go on.", "summary: Later news."
    )
    root = project(
        {
            "content/briefings/b1.yaml": TALKS.replace(
                "story: talks\n", "story: talks\norder: 1\n"
            ),
            "content/briefings/b0.yaml": same_day.replace(
                "story: talks\n", "story: talks\norder: 2\n"
            ),
        }
    )
    assert not [line for line in lines(cli, root) if "same date" in line]
    archive = check_project(find_project(root))
    assert [b.id for b in archive.briefings] == ["b1", "b0"]  # by order, not by id
    root = project(
        {
            "content/briefings/b1.yaml": TALKS.replace(
                "story: talks\n", "story: talks\norder: 1\n"
            ),
            "content/briefings/b0.yaml": same_day.replace(
                "story: talks\n", "story: talks\norder: 1\n"
            ),
        }
    )
    found = lines(cli, root)
    assert any(
        "b1.yaml:5:8: warning: order: 'b0' of the same story has the same date" in x for x in found
    ), found


def test_superseded_and_disputed_by_are_shown_once_on_the_older_claim(project):
    """The older claim says what superseded it; a thread disputing it in two briefings is listed once."""
    from generator.config import read_site_config
    from generator.output.generate import render_docs
    from generator.project import find_project

    newer = """\
  - id: deal-off
    claimant: bob
    date: 2025-12-30
    statement: There is no deal.
    status: unverified
    disputes: [deal-close]
    supersedes: [deal-close]
"""
    second = (
        TALKS.replace("id: b1", "id: b2")
        .replace("date: 2025-12-29\nstory", "date: 2025-12-30\nstory")
        .replace("summary: Talks go on.", "summary: Bob says there is no deal.")
        + newer
    )
    third = (
        second.replace("id: b2", "id: b3")
        .replace("date: 2025-12-30\nstory", "date: 2025-12-31\nstory")
        .replace("summary: Bob says there is no deal.", "summary: Still no deal.")
    )
    root = project(
        {
            "content/briefings/b1.yaml": TALKS,
            "content/briefings/b2.yaml": second,
            "content/briefings/b3.yaml": third,
        }
    )
    _, files = render_docs(find_project(root), read_site_config(root))
    for name in ("b2", "b3"):
        page = files[f"briefings/{name}.md"].decode("utf-8")
        card = page[page.index('id="claim-deal-close"') : page.index('id="claim-deal-off"')]
        assert card.count('<p class="label">Disputed by</p>') == 1, name
        assert "Superseded by: " in card and "its status above is as it stood before" in card, name


def test_a_quote_with_an_ellipsis_says_quotes_are_verbatim_and_the_split_passes(cli, project):
    cut = BRIEFING.replace(
        'exact: "a deal is close"', 'exact: "Alice said the talks … a deal is close"'
    )
    root = project({"content/briefings/b1.yaml": cut})
    run = cli(root, "check")
    assert run.code == 1
    assert run.lines[0] == (
        "content/briefings/b1.yaml:14:16: claims[0].quotes[0].exact: quote not found in source 'wire' "
        "(seeds/wire.txt): a quote holds the source's words exactly, so it cannot skip words with '…' or add them "
        'in [brackets]; make one quote of each stretch of words (briefing quote "…" finds each); closest '
        'passage: "Alice said the talks were \'fruitful\' and"; it differs at "a deal is", where the source has '
        "\"were 'fruitful' and\""
    )
    split = BRIEFING.replace(
        '        exact: "a deal is close"\n',
        '        exact: "Alice said the talks"\n      - source: wire\n        exact: "a deal is close"\n',
    )
    assert cli(project({"content/briefings/b1.yaml": split}), "check").code == 0


def test_an_unknown_actor_with_no_near_name_points_to_the_registry_and_adding_it_passes(
    cli, project
):
    from conftest import ACTORS

    root = project(
        {"content/briefings/b1.yaml": BRIEFING.replace("claimant: alice", "claimant: zed")}
    )
    run = cli(root, "check")
    assert run.lines[0] == (
        "content/briefings/b1.yaml:8:15: claims[0].claimant: unknown actor 'zed'; add it to content/actors.yaml "
        "(id: zed, name:, kind: person, government or organization)"
    )
    actors = ACTORS + "  - id: zed\n    name: Zed Example\n    kind: person\n"
    fixed = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace("claimant: alice", "claimant: zed"),
            "content/actors.yaml": actors,
        }
    )
    assert cli(fixed, "check").code == 0


def test_a_copied_claim_whose_id_was_not_changed_gives_one_error(cli, project):
    """The trial's copy: the second claim kept the first's id and supports it; one error, not two."""
    copy = """\
  - id: deal-close
    claimant: bob
    date: 2025-12-29
    statement: Bob agrees a deal is close.
    status: unverified
    supports: [deal-close]
"""
    root = project({"content/briefings/b1.yaml": BRIEFING + copy})
    assert lines(cli, root, 1) == [
        "content/briefings/b1.yaml:15:9: claims[1].id: id 'deal-close' is used twice in this briefing (first at "
        "line 7); ids of calls, claims and open issues are unique in a briefing",
        "1 error in 1 file",
    ]


def test_a_later_briefing_of_the_same_day_says_since_the_earlier_briefing(project):
    """Two briefings of one day: the later one's "since" strip does not print its own date as if it were earlier."""
    from generator.config import read_site_config
    from generator.output.generate import render_docs
    from generator.project import find_project

    later = (
        TALKS.replace("id: b1", "id: b2")
        .replace("story: talks\n", "story: talks\norder: 2\n")
        .replace("summary: Talks go on.", "summary: Talks stop.")
    )
    root = project({"content/briefings/b1.yaml": TALKS, "content/briefings/b2.yaml": later})
    _, files = render_docs(find_project(root), read_site_config(root))
    page = files["briefings/b2.md"].decode("utf-8")
    assert '<span class="label">Since the earlier briefing of <time datetime="2025-12-29">' in page
    story = files["stories/talks.md"].decode("utf-8")
    assert '<span class="label">Since the earlier briefing of <time' in story


def test_a_copied_claim_whose_new_id_others_link_to_gives_one_error_naming_that_id(cli, project):
    """The trial's copy: the new claim kept the old id, and another claim disputes the id it was meant to have;
    one error, which names that id, and renaming the copy fixes both."""
    copy = """\
  - id: deal-close
    claimant: bob
    date: 2025-12-29
    statement: There is no deal.
    status: unverified
  - id: deal-doubted
    claimant: bob
    date: 2025-12-29
    statement: Bob doubts the deal.
    status: unverified
    supports: [deal-off]
"""
    root = project({"content/briefings/b1.yaml": BRIEFING + copy})
    assert lines(cli, root, 1) == [
        "content/briefings/b1.yaml:15:9: claims[1].id: id 'deal-close' is used twice in this briefing (first at "
        "line 7); ids of calls, claims and open issues are unique in a briefing; was it meant to be 'deal-off', "
        "which line 25 names and no record has?",
        "1 error in 1 file",
    ]
    fixed = BRIEFING + copy.replace("id: deal-close", "id: deal-off")
    assert cli(project({"content/briefings/b1.yaml": fixed}), "check").code == 0


def test_a_repeated_call_id_does_not_hide_an_unknown_claim_a_claim_disputes(cli, project):
    """Only a repeated claim id names the claim links nobody has: with a repeated call id, a claim's dispute
    of a claim that does not exist still draws its own error."""
    calls = """\
calls:
  - id: first-call
    date: 2025-12-29
    kind: phone-call
    participants: [alice, bob]
  - id: first-call
    date: 2025-12-29
    kind: meeting
    participants: [alice, bob]
"""
    briefing = (
        BRIEFING.replace("claims:\n", calls + "claims:\n") + "    disputes: [zzz-nothing-like-it]\n"
    )
    found = lines(cli, project({"content/briefings/b1.yaml": briefing}), 1)
    assert any("calls[1].id: id 'first-call' is used twice in this briefing" in x for x in found), (
        found
    )
    assert any("disputes[0]: unknown claim 'zzz-nothing-like-it'" in x for x in found), found
