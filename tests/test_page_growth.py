"""Actor and source pages that do not grow as a story carries its threads on (issue 15, part 6).

A call or claim carried from briefing to briefing is one entry on an actor page, and a
passage its quotes point at is one back-link on the source page, however many briefings
carry it.
"""

from __future__ import annotations

import re

import pytest
from conftest import SOURCES

from generator.config import read_site_config
from generator.output.generate import render_docs
from generator.project import find_project

SOURCE_TEXT = "Alice said the talks were \u2018fruitful\u2019 and that a deal is close.\nBob called it a lie.\n"


def briefing(n: int) -> str:
    """Briefing ``b<n>``: the same call (Alice's readout quoting the wire) and claim, carried on."""
    return f"""\
id: b{n}
title: Briefing {n}
date: 2025-12-{10 + n:02d}
story: talks
summary: Talks go on.
sources: [wire]
calls:
  - id: first-call
    date: 2025-12-10
    kind: phone-call
    participants: [alice, bob]
    summary: They spoke.
    readouts:
      - by: alice
        text: Fruitful.
        quote:
          source: wire
          exact: fruitful
      - by: bob
        text: A lie.
claims:
  - id: deal-close
    claimant: alice
    date: 2025-12-10
    statement: A deal is close.
    status: unverified
    quotes:
      - source: wire
        exact: a deal is close
"""


def docs(project, briefings: int) -> dict[str, str]:
    root = project(
        {
            "content/briefings/b1.yaml": None,
            "content/sources.yaml": SOURCES.replace(
                "    title: Wire story\n", "    title: Wire story\n    publisher: Wire\n"
            ),
            "seeds/wire.txt": SOURCE_TEXT,
            **{f"content/briefings/b{n}.yaml": briefing(n) for n in range(1, briefings + 1)},
        }
    )
    return {
        rel: data.decode()
        for rel, data in render_docs(find_project(root), read_site_config(root))[1].items()
        if rel.endswith(".md")
    }


def rows(page: str) -> list[str]:
    """The Activity table's rows, as text."""
    table = page.split("## Activity", 1)[1]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr><td>.*?</tr>", table)
    ]


def test_a_carried_call_is_one_entry_on_the_actor_page(project):
    """Alice took part and gave a readout, in three briefings: one row, not one per side and briefing."""
    alice = rows(docs(project, 3)["actors/alice.md"])
    assert alice == [
        "10 Dec 2025 Phone call Phone call: Alice Example – Bob Example, 10 Dec 2025 (3 briefings) Readout: Fruitful.",
        "10 Dec 2025 Claim unverified A deal is close. (3 briefings)",
    ]
    assert rows(docs(project, 3)["actors/bob.md"]) == [
        "10 Dec 2025 Phone call Phone call: Alice Example – Bob Example, 10 Dec 2025 (3 briefings) Readout: A lie.",
    ]


def test_the_call_links_to_its_latest_briefing(project):
    page = docs(project, 3)["actors/alice.md"]
    assert 'href="../../briefings/b3/#call-first-call"' in page and "briefings/b1/" not in page


def test_a_readout_without_taking_part_is_one_entry(project):
    text = briefing(1).replace(
        "      - by: bob\n        text: A lie.\n", "      - by: carol\n        text: Noted.\n"
    )
    root = project(
        {
            "content/actors.yaml": "actors:\n  - {id: alice, name: Alice Example, kind: person}\n"
            "  - {id: bob, name: Bob Example, kind: person}\n"
            "  - {id: carol, name: Carol Example, kind: government}\n",
            "content/briefings/b1.yaml": text,
        }
    )
    page = render_docs(find_project(root), read_site_config(root))[1]["actors/carol.md"].decode()
    assert rows(page) == [
        "10 Dec 2025 Readout of a phone call Phone call: Alice Example – Bob Example, 10 Dec 2025 Readout: Noted.",
    ]


def back_links(page: str) -> list[str]:
    return re.findall(r'<a class="quote-back" href="([^"]*)" title="([^"]*)"', page)


def test_a_passage_quoted_by_a_carried_thread_has_one_back_link(project):
    page = docs(project, 3)["sources/wire.md"]
    assert back_links(page) == [
        (
            "../../briefings/b3/#call-first-call",
            "Quoted in call: Phone call: Alice Example – Bob Example, 10 Dec 2025 (13 Dec 2025), in 3 briefings",
        ),
        (
            "../../briefings/b3/#claim-deal-close",
            "Quoted in claim: A deal is close. (13 Dec 2025), in 3 briefings",
        ),
    ]
    assert "<p>2 quoted passages highlighted;" in page


@pytest.mark.parametrize("briefings", [1, 2, 8])
def test_a_source_page_does_not_grow_with_the_briefings_that_quote_it(project, briefings):
    page = docs(project, briefings)["sources/wire.md"]
    assert len(back_links(page)) == 2
    assert page.count("<mark") == 2
