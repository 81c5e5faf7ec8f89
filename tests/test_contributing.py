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


def _block(guide: str, after: str, lang: str) -> str:
    """The first ```lang block after the heading or text ``after``, dedented as a list item's block is."""
    import textwrap

    rest = guide[guide.index(after) :]
    m = re.search(r"^( *)```" + lang + r"\n(.*?)^\1```", rest, re.S | re.M)
    assert m, (after, lang)
    return textwrap.dedent(m.group(2))


def test_a_new_desk_and_its_first_story_follow_the_first_steps(tmp_path, cli):
    """On a fresh copy of the project: the guide's commands empty the desk, its source and actor entries go in,
    and `briefing new --story` (the guide's own command line) writes a skeleton that passes the check unchanged."""
    import os
    import shlex
    import subprocess
    import sys

    guide = guide_text()
    (tmp_path / "site").mkdir()
    root = site_project(tmp_path / "site", ROOT)
    commands = [
        line[2:]
        for line in _block(guide, "### A desk of your own", "console").splitlines()
        if line.startswith("$ ")
    ]
    assert commands[-1] == "briefing check"
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    for command in commands[:-1]:
        subprocess.run(["bash", "-c", command], cwd=root, env=env, check=True)
    run = cli(root, "check")
    expected = _block(guide, "### A desk of your own", "console").splitlines()[-1]
    assert (run.code, run.out.strip()) == (0, expected), run.err
    assert not list((root / "content" / "briefings").glob("*.yaml"))

    # steps 1 to 3: the saved text under the name the guide gives, its entry, the actors it names
    source = _block(guide, "2. **Or by hand**", "yaml")
    seed = re.search(r"text: (seeds/\S+)", source)[1]  # type: ignore[index]
    assert re.fullmatch(r"seeds/[a-z0-9-]+-\d{4}-\d\d-\d\d-[a-z0-9-]+\.txt", seed), seed
    (root / seed).write_text(
        "Ceasefire holds along the border\n\nThe ceasefire held overnight, both governments said.\n",
        encoding="utf-8",
    )
    for name, block in (
        ("sources", source),
        ("actors", _block(guide, "3. **Add the people", "yaml")),
    ):
        path = root / "content" / f"{name}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(f"{name}: []\n", f"{name}:\n") + block,
            encoding="utf-8",
        )
    assert cli(root, "check").code == 0

    # step 4: the guide's command line, as typed
    line = _block(guide, "4. **Start the briefing**", "console").strip().removeprefix("$ ")
    args = shlex.split(line)
    assert args[:2] == ["briefing", "new"] and "--story" in args
    run = cli(root, *args[1:])
    assert run.code == 0, run.err
    (written,) = (root / "content" / "briefings").glob("*.yaml")
    text = written.read_text(encoding="utf-8")
    for part in (
        "story_title:",
        "bottom_line:",
        "key_points:",
        "calls:",
        "claims:",
        "open_issues:",
    ):
        assert f"\n{part}" in text, part
    assert "positions:" in text and "exact: Ceasefire holds along the border" in text
    run = cli(root, "check")
    assert run.code == 0, run.err
    assert "draft: this briefing is a draft" in run.err and "still the placeholder text" in run.err
