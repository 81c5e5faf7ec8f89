"""An optional title on a call (format 1.1): its heading wherever the call is named; kind, people and date otherwise."""

from __future__ import annotations

from conftest import BRIEFING

from generator.config import read_site_config
from generator.output.generate import render_docs
from generator.project import find_project

CALL = """\
calls:
  - id: first-call
    title: Alice and Bob's first call since the summit
    date: 2025-12-28
    kind: phone-call
    participants: [alice, bob]
    summary: They spoke.
"""


def pages(project, calls: str) -> dict[str, str]:
    root = project({"content/briefings/b1.yaml": BRIEFING + calls})
    return {
        rel: data.decode()
        for rel, data in render_docs(find_project(root), read_site_config(root))[1].items()
    }


def test_a_titled_call_is_named_by_its_title(project):
    docs = pages(project, CALL)
    assert (
        '<h3 id="call-first-call">Alice and Bob&#39;s first call since the summit</h3>'
        in docs["briefings/b1.md"]
    )
    assert ">Alice and Bob&#39;s first call since the summit</a>" in docs["actors/bob.md"]
    assert "Phone call: Alice Example – Bob Example" not in docs["briefings/b1.md"]


def test_without_a_title_a_call_is_named_by_kind_people_and_date(project):
    docs = pages(
        project, CALL.replace("    title: Alice and Bob's first call since the summit\n", "")
    )
    assert (
        '<h3 id="call-first-call">Phone call: Alice Example – Bob Example, 28 Dec 2025</h3>'
        in docs["briefings/b1.md"]
    )


def test_a_call_title_is_one_line(cli, project):
    text = CALL.replace(
        "title: Alice and Bob's first call since the summit",
        'title: "First call\\nsince the summit"',
    )
    run = cli(project({"content/briefings/b1.yaml": BRIEFING + text}), "check")
    assert run.code == 1
    assert (
        run.lines[0]
        == "content/briefings/b1.yaml:17:12: calls[0].title: must be one line; remove the line break"
    )
