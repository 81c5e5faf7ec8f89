"""CONTRIBUTING followed step by step: an update's status change shows once in "Status over time" (issue 15)."""

from __future__ import annotations

import re

from conftest import ACTORS, BRIEFING, ROOT, SEED, SOURCES, site_project, write_project

from generator.check.drafts import UPDATE_NOTE
from generator.config import read_site_config
from generator.output.generate import render_docs
from generator.project import find_project
from generator.scaffold import DRAFT_LINE

FIRST = (
    BRIEFING.replace("summary: Talks go on.\n", "story: talks\nsummary: Talks go on.\n")
    + """\
open_issues:
  - id: troops
    title: Foreign troops
    status: open
    summary: Who would send troops.
"""
)
OLD_INSTRUCTION = "set the new `status`\n   and add the old one to its `history`"
INSTRUCTION = "do not copy the old status into `history`"
PUBLISH = "**Publish**: delete the `draft: true` line"


def guide_text() -> str:
    return (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def status_rows(tmp_path, cli, history: str) -> list[str]:
    """The tree CONTRIBUTING describes: a briefing, the next made by `briefing new --from`, its issue's status changed."""
    src = write_project(
        tmp_path / "src",
        {
            "content/actors.yaml": ACTORS,
            "content/sources.yaml": SOURCES,
            "seeds/wire.txt": SEED,
            "content/briefings/b1.yaml": FIRST,
        },
    )
    (tmp_path / "site").mkdir()
    root = site_project(tmp_path / "site", src)
    run = cli(root, "new", "Troops at risk", "--from", "b1", "--date", "2025-12-30")
    assert run.code == 0, run.err
    path = root / "content" / "briefings" / "2025-12-30-troops-at-risk.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    status: open\n") == 1
    assert text.count(DRAFT_LINE + "\n") == 1 and PUBLISH in guide_text()
    text = text.replace(DRAFT_LINE + "\n", "").replace(
        UPDATE_NOTE.format(previous="b1"), "Troops now at risk."
    )
    path.write_text(
        text.replace("    status: open\n", "    status: at-risk\n" + history), encoding="utf-8"
    )
    assert cli(root, "check").code == 0
    page = render_docs(find_project(root), read_site_config(root))[1]["issues/troops.md"].decode()
    rows = re.split(r'<[ou]l class="status-line"', page, maxsplit=1)[1]
    rows = re.split(r"</[ou]l>", rows, maxsplit=1)[0]
    found = [re.sub(r"<[^>]+>", "", row).strip() for row in re.findall(r"<li>(.*?)</li>", rows)]
    return sorted(found)  # the page lists them newest first; each row starts with its date


def test_following_contributing_shows_each_status_once(tmp_path, cli):
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert OLD_INSTRUCTION not in guide and INSTRUCTION in guide
    rows = status_rows(tmp_path, cli, history="")
    assert len(rows) == len(set(rows)) == 2, rows
    assert (
        [r.split("\n")[0] for r in rows] == rows
        and "open" in rows[0]
        and "at risk" in rows[1].lower()
    ), rows


def test_what_the_old_instruction_did(tmp_path, cli):
    """Why the guide changed: the old status copied into history showed twice."""
    rows = status_rows(
        tmp_path, cli, history="    history:\n      - date: 2025-12-29\n        status: open\n"
    )
    assert len(rows) == 3 and len(set(r.split(" in ")[0] for r in rows)) == 2, rows
