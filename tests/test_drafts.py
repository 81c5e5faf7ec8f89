"""Drafts (issue 15, part 2): `briefing new` writes a draft; check warns, build leaves it out, a preview shows it."""

from __future__ import annotations

import re

import pagefind_index
import pytest
from conftest import BRIEFING, ROOT, SOURCES, site_project, write_project

from generator.config import read_site_config
from generator.format import model
from generator.output.generate import generate, render_docs
from generator.project import find_project

SECOND = """\
id: b2
title: Second briefing in the works
date: 2025-12-30
story: talks
draft: true
summary: Bob now calls it a lie.
sources: [wire]
claims:
  - id: deal-close
    claimant: alice
    date: 2025-12-29
    statement: A deal is close.
    status: disputed
  - id: lie
    claimant: bob
    date: 2025-12-29
    statement: It is a lie.
    status: unverified
    disputes: [deal-close]
"""
THIRD = """\
id: b3
title: Third briefing
date: 2025-12-31
story: talks
summary: Talks stall.
sources: [wire]
claims:
  - id: deal-close
    claimant: alice
    date: 2025-12-29
    statement: A deal is close.
    status: refuted
"""
FIRST = BRIEFING.replace("summary: Talks go on.\n", "story: talks\nsummary: Talks go on.\n")
PUBLISHED_SOURCES = SOURCES.replace(
    "    title: Wire story\n", "    title: Wire story\n    publisher: Wire\n"
)


def three(project, second: str = SECOND, third: str = THIRD):
    return project(
        {
            "content/briefings/b1.yaml": FIRST,
            "content/briefings/b2.yaml": second,
            "content/briefings/b3.yaml": third,
            "content/sources.yaml": PUBLISHED_SOURCES,
        }
    )


STORY_RULES = ("has no story_title", "no source here is newer")
"""Warnings of the story rules (test_story_rules.py), which these tests are not about."""


def lines_but_story_rules(run) -> list[str]:
    return [line for line in run.lines if not any(w in line for w in STORY_RULES)]


def test_check_warns_about_a_draft_and_passes(cli, project):
    run = cli(three(project), "check")
    assert run.code == 0, run.err
    assert lines_but_story_rules(run) == [
        "content/actors.yaml:5:9: warning: id: actor 'bob' is named only by draft briefings (first 'b2', "
        "content/briefings/b2.yaml): the site leaves it out, its page and every mention, until one of them is "
        "published",
        "content/briefings/b2.yaml:5:8: warning: draft: this briefing is a draft: briefing build leaves it out of the "
        "site; delete this line to publish it",
    ]


def test_draft_false_is_published_without_a_warning(cli, project):
    root = three(
        project,
        second=SECOND.replace("draft: true", "draft: false")
        .replace("    disputes: [deal-close]\n", "")
        .replace("    status: disputed\n", "    status: unverified\n"),
        third=THIRD.replace("    status: refuted\n", "    status: unverified\n"),
    )
    run = cli(root, "check")
    assert run.code == 0 and lines_but_story_rules(run) == []
    assert "briefings/b2.md" in render_docs(find_project(root), read_site_config(root))[1]


def test_draft_takes_only_true_or_false(cli, project):
    run = cli(three(project, second=SECOND.replace("draft: true", "draft: yes")), "check")
    assert run.code == 1
    assert run.lines[0] == "content/briefings/b2.yaml:5:8: draft: 'yes' is not one of: true, false"


def test_a_new_briefing_left_unfilled_warns_at_each_placeholder(tmp_path, cli):
    root = site_project(tmp_path, ROOT)
    run = cli(
        root,
        "new",
        "Talks resume",
        "--from",
        "2025-12-29-trump-putin-second-call",
        "--date",
        "2025-12-30",
    )
    assert run.code == 0, run.err
    check = cli(root, "check")
    assert check.code == 0
    assert [line for line in check.lines if "talks-resume" in line] == [
        "content/briefings/2025-12-30-talks-resume.yaml:8:8: warning: draft: this briefing is a draft: briefing build "
        "leaves it out of the site; delete this line to publish it",
        "content/briefings/2025-12-30-talks-resume.yaml:343:11: warning: changes[0].note: still the placeholder text "
        "written by briefing new; replace it before publishing",
    ]


def test_a_placeholder_outside_a_draft_is_an_error(tmp_path, cli):
    """Deleting the draft line before filling in the placeholders: the build refuses rather than publish them."""
    root = site_project(tmp_path, ROOT)
    assert cli(root, "new", "Talks resume", "--date", "2025-12-30").code == 0
    path = root / "content" / "briefings" / "2025-12-30-talks-resume.yaml"
    path.write_text(
        "".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("draft:")
        ),
        encoding="utf-8",
    )
    for command in ("check", "build"):
        run = cli(root, command)
        assert run.code == 1, command
        assert (
            "content/briefings/2025-12-30-talks-resume.yaml:7:10: summary: still the placeholder text written by "
            "briefing new, in a briefing that would be published; replace it, or add 'draft: true' until the "
            "briefing is ready" in run.lines
        ), run.err
    assert not (root / "site").exists()


def test_a_placeholder_is_found_when_text_was_written_around_it(cli, project):
    text = FIRST.replace(
        "summary: Talks go on.",
        "summary: 'Talks go on. Bottom line up front: replace this with what a reader must know first.'",
    )
    run = cli(project({"content/briefings/b1.yaml": text}), "check")
    assert run.code == 1
    assert run.lines[0].startswith(
        "content/briefings/b1.yaml:5:10: summary: still the placeholder text"
    )


def test_build_leaves_a_draft_out_of_every_page_and_data_file(tmp_path, project):
    """No page, and no mention in indexes, feeds, records.json, timeline, search, what-changed or actor pages."""
    src = three(project)
    (tmp_path / "site").mkdir()
    root = site_project(tmp_path / "site", src)
    from generator.output.build import build_site

    build_site(find_project(root))
    site = root / "site"
    assert not (site / "briefings" / "b2").exists()
    mentions = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".json", ".xml", ".md", ".txt")
        and any(
            w in p.read_text(encoding="utf-8", errors="replace")
            for w in ("Second briefing in the works", "briefings/b2", '"b2"', "It is a lie")
        )
    )
    assert mentions == []
    indexed = pagefind_index.pages(site)
    assert indexed and not any("b2" in doc["url"] for doc in indexed)
    assert not any("It is a lie" in doc["content"] for doc in indexed)
    assert (site / "briefings" / "b3" / "index.html").exists()


def test_what_changed_skips_a_draft(project):
    """b3 is compared with b1, the previous published briefing: the draft's status in between is not there."""
    root = three(project)
    docs = render_docs(find_project(root), read_site_config(root))[1]
    page = re.sub(
        r'(<a class="badge [^>]*?) title="[^"]*"', r"\1", docs["briefings/b3.md"].decode()
    )
    assert (
        '<p class="meta">Since <a href="../../briefings/b1/">First briefing</a>' in page
        and "b2" not in page
    )
    assert (
        'evidence-unverified">unverified</a> → <a class="badge badge-refuted" data-kind="evidence" '
        'href="../../glossary/#evidence-refuted">refuted</a>'
    ) in page  # not the draft's "disputed"
    changes = docs["stories/talks/changes.md"].decode()
    assert "Second briefing in the works" not in changes and "Third briefing" in changes


def test_a_published_briefing_cannot_link_into_a_draft(cli, project):
    third = THIRD + "    related: [lie]\n"
    run = cli(three(project, third=third), "check")
    assert run.code == 1
    assert run.lines[0] == (
        "content/briefings/b3.yaml:13:15: claims[0].related[0]: 'lie' is only in the draft briefing 'b2' "
        "(content/briefings/b2.yaml), so this published briefing would link to nothing; publish 'b2' (delete its "
        "draft line) or remove the link"
    )
    root = three(project, third=third)  # the fix the message suggests first: publish the draft
    draft = root / "content" / "briefings" / "b2.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "draft: true\n" in text
    draft.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    assert cli(root, "check").code == 0


def test_a_draft_may_continue_and_link_published_threads(cli, project):
    """The other way round is fine: a draft carries deal-close forward, and its claim disputes it."""
    assert cli(three(project), "check").code == 0


def test_a_preview_shows_drafts_marked_and_the_build_does_not(tmp_path, project):
    root = three(project)
    p = find_project(root)
    generate(p, drafts=True)
    page = (p.site.docs_dir / "briefings" / "b2.md").read_text(encoding="utf-8")
    assert 'title: "Draft: Second briefing in the works"' in page
    assert (
        '<p class="newer-banner draft-banner" role="note" data-search-exclude><span class="label">Draft</span> '
        "A preview only: this briefing is not published. Delete the line <code>draft: true</code> in "
        "content/briefings/b2.yaml to publish it.</p>"
    ) in page
    generate(p)  # the preview's docs never pass for the published ones
    assert not (p.site.docs_dir / "briefings" / "b2.md").exists()
    assert (p.site.docs_dir / "briefings" / "b3.md").exists()


def test_only_drafts_make_an_empty_site(tmp_path, project):
    root = project(
        {
            "content/briefings/b1.yaml": FIRST.replace(
                "story: talks\n", "story: talks\ndraft: true\n"
            )
        }
    )
    docs = render_docs(find_project(root), read_site_config(root))[1]
    assert not any("b1" in rel for rel in docs)


__all__ = ["write_project"]


def test_the_build_summary_says_how_many_drafts_it_left_out(cli, project):
    """An editor whose briefing is missing from the site reads why in the build's last line."""
    run = cli(three(project), "generate")
    assert run.code == 0, run.err
    summary = next(line for line in run.err.splitlines() if line.startswith("done in"))
    assert ", 1 draft left out (not published);" in summary, summary
    published = THIRD.replace("id: b3\n", "id: b3\ndraft: false\n")
    run = cli(
        three(project, second=SECOND.replace("draft: true", "draft: false"), third=published),
        "generate",
    )
    assert run.code == 0, run.err
    assert "left out" not in run.err


EMBARGOED_SOURCE = """\
  - id: embargoed-report
    title: Do not publish before 2026-01-15
    publisher: Wire
    published: 2025-12-30
    text: seeds/embargoed.txt
"""
SECRET_ACTOR = """\
  - id: secret-negotiator
    name: Secret Negotiator
    kind: person
"""
EMBARGOED_DRAFT = """\
id: 2025-12-30-embargoed
title: Embargoed
date: 2025-12-30
story: russia-ukraine-peace-talks
draft: true
summary: Signing set.
sources: [embargoed-report]
claims:
  - id: signing-in-geneva
    claimant: secret-negotiator
    date: 2025-12-30
    statement: The agreement will be signed in Geneva.
    status: unverified
    quotes:
      - source: embargoed-report
        exact: "will be signed on 15 January in Geneva"
"""


def test_what_only_a_draft_names_is_not_published(tmp_path, cli):
    """Red team 2, #32: a source and an actor that only a draft names stay out of every page, data file,
    sitemap and search, and the check says so at each entry."""
    root = site_project(tmp_path, ROOT)
    content = root / "content"
    with open(content / "sources.yaml", "a", encoding="utf-8") as f:
        f.write(EMBARGOED_SOURCE)
    with open(content / "actors.yaml", "a", encoding="utf-8") as f:
        f.write(SECRET_ACTOR)
    (root / "seeds" / "embargoed.txt").write_text(
        "EMBARGOED: The ceasefire agreement will be signed on 15 January in Geneva.\n",
        encoding="utf-8",
    )
    (content / "briefings" / "2025-12-30-embargoed.yaml").write_text(
        EMBARGOED_DRAFT, encoding="utf-8"
    )
    run = cli(root, "build")
    assert run.code == 0, run.err
    check = cli(root, "check")
    assert [line for line in check.lines if "named only by draft" in line] == [
        f"content/actors.yaml:{_line_of(content / 'actors.yaml', 'secret-negotiator')}:9: warning: id: actor "
        "'secret-negotiator' is named only by draft briefings (first '2025-12-30-embargoed', "
        "content/briefings/2025-12-30-embargoed.yaml): the site leaves it out, its page and every mention, "
        "until one of them is published",
        f"content/sources.yaml:{_line_of(content / 'sources.yaml', 'embargoed-report')}:9: warning: id: source "
        "'embargoed-report' is named only by draft briefings (first '2025-12-30-embargoed', "
        "content/briefings/2025-12-30-embargoed.yaml): the site leaves it out, its page and every mention, "
        "until one of them is published",
    ]
    leaks = [
        p.relative_to(root / "site").as_posix()
        for p in (root / "site").rglob("*")
        if p.is_file()
        and any(
            word in p.read_bytes()
            for word in (
                b"EMBARGOED",
                b"embargoed-report",
                b"secret-negotiator",
                b"Secret Negotiator",
            )
        )
    ]
    assert leaks == []


def _line_of(path, text: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line
    )


@pytest.mark.parametrize("name", ["related", "disputes", "supports", "supersedes"])
def test_every_link_field_of_a_published_claim_into_a_draft_is_refused(cli, project, name):
    """Each field that names another thread, as the schema declares them (a hand-kept table once missed one)."""
    third = THIRD + f"    {name}: [lie]\n"
    run = cli(three(project, third=third), "check")
    assert run.code == 1
    assert run.lines[0] == (
        f"content/briefings/b3.yaml:13:{len(name) + 8}: claims[0].{name}[0]: 'lie' is only in the draft briefing "
        "'b2' (content/briefings/b2.yaml), so this published briefing would link to nothing; publish 'b2' (delete "
        "its draft line) or remove the link"
    )


def test_the_link_fields_come_from_the_schema():
    from generator.format import schema

    assert schema.thread_links(model.Claim.record) == (
        "disputes",
        "supports",
        "supersedes",
        "related",
    )
    assert schema.thread_links(model.Call.record) == ("related",)
    assert schema.thread_links(model.OpenIssue.record) == ("related",)
