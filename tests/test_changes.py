"""What changed between briefings of a story: computed from thread ids, ordered statuses with trends."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.check.checker import check_project
from generator.format import schema
from generator.pages import changes
from generator.pages.changes import EVIDENCE_ORDER, ISSUE_ORDER, compare, story_changes, trend
from generator.pages.site import build_index
from generator.project import find_project

CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="module")
def archive_changes():
    archive = check_project(find_project(CASES / "archive"))
    return build_index(archive).changes


def statuses(ch) -> list[tuple[str, str, str, str]]:
    return [(s.thread.id, s.before, s.after, s.trend) for s in ch.statuses]


def figures(ch) -> list[tuple[str, object, object]]:
    return [(f.claim.id, f.before.value if f.before else None, f.after.value) for f in ch.figures]


# --- the order of statuses -------------------------------------------------------------------


def test_every_status_has_a_rank():
    assert set(EVIDENCE_ORDER) == set(schema.EVIDENCE_STATUSES)
    assert set(ISSUE_ORDER) == set(schema.ISSUE_STATUSES)


@pytest.mark.parametrize(
    ("kind", "before", "after", "expected"),
    [
        ("claim", "unverified", "disputed", "down"),
        ("claim", "disputed", "corroborated", "up"),
        ("claim", "unverified", "corroborated", "up"),
        ("claim", "corroborated", "refuted", "down"),
        ("claim", "disputed", "retracted", "down"),
        ("claim", "refuted", "retracted", "level"),
        ("issue", "open", "under-discussion", "up"),
        ("issue", "agreed-in-principle", "agreed", "up"),
        ("issue", "agreed", "implemented", "up"),
        ("issue", "open", "stalled", "down"),
        ("issue", "agreed", "at-risk", "down"),
        ("issue", "stalled", "at-risk", "level"),
        ("issue", "at-risk", "open", "up"),
    ],
)
def test_trend_follows_the_documented_order(kind, before, after, expected):
    assert trend(kind, before, after) == expected


# --- the archive fixture ------------------------------------------------------------------------


def test_first_briefing_of_a_story_has_nothing_to_compare(archive_changes):
    for first in ("port-strike-2031-05-10", "dam-dispute-2031-04-01"):
        ch = archive_changes[first]
        assert ch.previous is None and ch.empty


def test_second_day_of_the_strike(archive_changes):
    ch = archive_changes["port-strike-2031-05-11"]
    assert ch.previous.id == "port-strike-2031-05-10"
    assert statuses(ch) == [
        ("union-turnout", "unverified", "disputed", "down"),
        ("operations-normal", "disputed", "retracted", "down"),
        ("pay-offer", "open", "under-discussion", "up"),
    ]
    assert figures(ch) == [("union-turnout", 120, 240), ("police-turnout", 80, 150)]
    assert [c.id for c in ch.added_claims] == ["website-tampering"]
    assert ch.dropped_claims == [] and ch.added_issues == [] and ch.dropped_issues == []
    assert [
        (p.issue.id, p.position.actor, p.before, p.position.position) for p in ch.positions
    ] == [
        (
            "pay-offer",
            "halvik-port-authority",
            "Offers a 3 percent pay rise.",
            "Still offers 3 percent.",
        ),
        (
            "pay-offer",
            "halvik-dockers-union",
            "Asks for 9 percent and will not return to work until the offer is fair.",
            "Still asks for 9 percent.",
        ),
    ]


def test_third_day_of_the_strike(archive_changes):
    ch = archive_changes["port-strike-2031-05-12"]
    assert statuses(ch) == [("pay-offer", "under-discussion", "agreed-in-principle", "up")]
    assert figures(ch) == [("union-turnout", 240, 312), ("police-turnout", 150, 210)]
    assert [c.id for c in ch.dropped_claims] == ["operations-normal", "website-tampering"]
    assert all(
        c.briefing.id == "port-strike-2031-05-11" for c in ch.dropped_claims
    )  # linked where they were
    assert [i.id for i in ch.added_issues] == ["striker-discipline"]
    assert ch.added_claims == []


def test_dam_dispute_refuted_and_corroborated(archive_changes):
    ch = archive_changes["dam-dispute-2031-04-03"]
    assert ("flow-cut", "disputed", "refuted", "down") in statuses(ch)
    assert ("flow-cut", 35, 21) in figures(ch)
    # treaty-minimum was not carried into 04-02: against that briefing it is new again
    assert "treaty-minimum" in [c.id for c in ch.added_claims]
    assert "treaty-minimum" in [
        c.id for c in archive_changes["dam-dispute-2031-04-02"].dropped_claims
    ]


def test_each_pair_is_compared_once(monkeypatch):
    archive = check_project(find_project(CASES / "archive"))
    calls = []
    real = changes.compare
    monkeypatch.setattr(changes, "compare", lambda prev, b: calls.append(b.id) or real(prev, b))
    index = build_index(archive)
    assert sorted(calls) == sorted(b.id for b in archive.briefings)
    assert set(index.changes) == {b.id for b in archive.briefings}


# --- small trees ---------------------------------------------------------------------------------

SECOND = """\
id: b2
title: Second briefing
date: 2025-12-30
story: talks
summary: Talks go on.
sources: [wire]
claims:
  - id: deal-close
    claimant: alice
    date: 2025-12-29
    statement: A deal is close.
    status: corroborated
    figures:
      - value: 3
        unit: days
open_issues:
  - id: deal
    title: The deal
    status: stalled
    summary: Stalled.
    positions:
      - actor: alice
        position: Wants it.
      - actor: bob
        position: Does not want it.
"""

FIRST = """\
id: b1
title: First briefing
date: 2025-12-29
story: talks
summary: Talks go on.
sources: [wire]
claims:
  - id: deal-close
    claimant: alice
    date: 2025-12-29
    statement: A deal is close.
    status: unverified
open_issues:
  - id: deal
    title: The deal
    status: open
    summary: Open.
    positions:
      - actor: alice
        position: Wants it.
"""


def test_new_figure_new_party_and_setback(project):
    root = project({"content/briefings/b1.yaml": FIRST, "content/briefings/b2.yaml": SECOND})
    archive = check_project(find_project(root))
    ch = build_index(archive).changes["b2"]
    assert statuses(ch) == [
        ("deal-close", "unverified", "corroborated", "up"),
        ("deal", "open", "stalled", "down"),
    ]
    assert figures(ch) == [("deal-close", None, 3)]
    assert [(p.position.actor, p.before) for p in ch.positions] == [
        ("bob", None)
    ]  # alice's stance is unchanged


def test_briefings_without_a_story_are_compared_with_nothing(project):
    root = project(
        {
            "content/briefings/b1.yaml": FIRST.replace("story: talks\n", ""),
            "content/briefings/b2.yaml": SECOND.replace("story: talks\n", ""),
        }
    )
    archive = check_project(find_project(root))
    found = build_index(archive).changes
    assert found["b2"].previous is None and found["b2"].empty


def test_compare_is_symmetric_in_what_it_finds(project):
    root = project({"content/briefings/b1.yaml": FIRST, "content/briefings/b2.yaml": SECOND})
    b1, b2 = check_project(find_project(root)).briefings
    back = compare(b2, b1)
    assert statuses(back) == [
        ("deal-close", "corroborated", "unverified", "down"),
        ("deal", "stalled", "open", "up"),
    ]
    assert back.figures == []  # a figure that disappears is not a change of value
    assert story_changes({"talks": [b1, b2]})["b2"].count == 4


THIRD = (
    SECOND.replace("id: b2", "id: b3")
    .replace("date: 2025-12-30", "date: 2025-12-31")
    .replace("      - value: 3\n        unit: days\n", "      - value: 4.5\n        unit: weeks\n")
    .split("open_issues:")[0]
)


def test_each_kind_of_change_is_one_list_item(project):
    """The exact markup of every kind of entry (fragments.Fragments.change), links relative to the newer briefing."""
    from generator.pages.fragments import Fragments
    from generator.pages.links import Links

    root = project(
        {
            "content/briefings/b1.yaml": FIRST,
            "content/briefings/b2.yaml": SECOND,
            "content/briefings/b3.yaml": THIRD,
        }
    )
    archive = check_project(find_project(root))
    index = build_index(archive)

    def entries(briefing_id: str) -> str:
        h = Fragments(archive, Links(f"briefings/{briefing_id}/"), {}, index=index)
        html = "".join(h.change(kind, x) for kind, x in index.changes[briefing_id].entries())
        return re.sub(r'(<a class="badge [^>]*?) title="[^"]*"', r"\1", html)  # tooltips: test_site

    assert entries("b2") == (
        '<li class="change-status"><a href="#claim-deal-close">A deal is close.</a>: '
        '<a class="badge badge-unverified" data-kind="evidence" href="../../glossary/#evidence-unverified">unverified</a> → '
        '<a class="badge badge-corroborated" data-kind="evidence" href="../../glossary/#evidence-corroborated">corroborated</a> '
        '<span class="trend trend-up" role="img" aria-label="up" title="up">↑</span> '
        '<span class="movement">stronger evidence</span></li>\n'
        '<li class="change-status"><a href="#issue-deal">The deal</a>: '
        '<a class="badge badge-open" data-kind="issue" href="../../glossary/#issue-open">open</a> → '
        '<a class="badge badge-stalled" data-kind="issue" href="../../glossary/#issue-stalled">stalled</a> '
        '<span class="trend trend-down" role="img" aria-label="down" title="down">↓</span> '
        '<span class="movement">moved away from agreement</span></li>\n'
        '<li class="change-figure"><a href="#claim-deal-close">A deal is close.</a>: '
        "<strong>3</strong> days</li>\n"
        '<li class="change-position"><span class="change-kind">New</span> <a href="../../actors/bob/">Bob Example</a> '
        'on <a href="#issue-deal">The deal</a>: Does not want it.</li>\n'
    )
    assert (
        entries("b3")
        == (
            '<li class="change-figure"><a href="#claim-deal-close">A deal is close.</a>: '
            "<strong>4.5</strong> weeks</li>\n"  # another unit: a new figure, never compared with the days
            '<li class="change-dropped"><span class="change-kind">Issue</span> '
            '<a href="../../briefings/b2/#issue-deal">The deal</a></li>\n'
        )
    )


def test_what_changed_is_grouped_under_counted_headings(project):
    """Status changes first, then figures, new, dropped and positions, each group headed with its count."""
    from generator.pages.fragments import Fragments
    from generator.pages.links import Links

    root = project(
        {
            "content/briefings/b1.yaml": FIRST,
            "content/briefings/b2.yaml": SECOND,
            "content/briefings/b3.yaml": THIRD,
        }
    )
    archive = check_project(find_project(root))
    index = build_index(archive)
    h = Fragments(archive, Links("briefings/b2/"), {}, index=index)
    html = str(h.changes(index.changes["b2"], anchors=True))
    headings = re.findall(
        r'<h3 class="change-group" id="changed-(\w+)">([^<]+) <span class="count">\((\d+)\)</span></h3>',
        html,
    )
    assert headings == [
        ("status", "Status changes", "2"),
        ("figure", "Figures", "1"),
        ("position", "Positions", "1"),
    ]
    assert html.count('<ul class="change-list">') == 3 and html.count("<li") == 4
    assert 'id="changed-' not in str(
        h.changes(index.changes["b2"])
    )  # the story's page of changes shows many lists


def test_counts_of_new_changed_and_dropped_records(project):
    """A record counts once however much of it changed; new, changed and dropped are told apart."""
    root = project(
        {
            "content/briefings/b1.yaml": FIRST,
            "content/briefings/b2.yaml": SECOND,
            "content/briefings/b3.yaml": THIRD,
        }
    )
    changes = build_index(check_project(find_project(root))).changes
    b2, b3 = changes["b2"], changes["b3"]
    assert (b2.added, b2.changed, b2.dropped) == (
        0,
        2,
        0,
    )  # deal-close: status and figure; deal: status and a position
    assert (b3.added, b3.changed, b3.dropped) == (0, 1, 1)
    assert [s.thread.id for s in b2.issue_moves] == ["deal"]
    claim, issue = b2.briefing.claims[0], b2.briefing.open_issues[0]
    assert (b2.mark(claim), b2.mark(issue)) == ("changed", "changed")
    assert (
        changes["b1"].mark(changes["b1"].briefing.claims[0]) is None
    )  # the first briefing: nothing is new


@pytest.mark.parametrize(
    ("kind", "direction", "words"),
    [
        ("claim", "up", "stronger evidence"),
        ("claim", "down", "weaker evidence"),
        ("claim", "level", "no stronger or weaker"),
        ("issue", "up", "moved toward agreement"),
        ("issue", "down", "moved away from agreement"),
        ("issue", "level", "no closer to agreement"),
    ],
)
def test_every_arrow_says_what_it_means(kind, direction, words):
    from generator.format.model import Archive
    from generator.pages.fragments import Fragments
    from generator.pages.links import Links

    html = str(
        Fragments(Archive(), Links("x/"), {}, index=build_index(Archive())).trend(kind, direction)
    )
    assert html.endswith(f'</span> <span class="movement">{words}</span>')
