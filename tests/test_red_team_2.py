"""The second red team's reproductions (red-team-2.md), one test each, on a copy of the shipped content.

Each reproduction passed `briefing check` (and `briefing build`) before; each is
refused or warned about now, with the message an editor reads. The pages'
payloads in a browser are in ``test_scan_browser.py``; the folders a build may
replace in ``test_outputs.py``; drafts in ``test_drafts.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, site_project

SEED = "content/briefings/2025-12-29-trump-putin-second-call.yaml"
PAGE = "content/pages/evil.md"


@pytest.fixture
def seed(tmp_path) -> Path:
    return site_project(tmp_path, ROOT)


def edit_claim(root: Path, claim_id: str, old: str, new: str) -> None:
    """Replace the first ``old`` after the line that opens claim ``claim_id`` in the seed briefing."""
    path = root / SEED
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {claim_id}\n")
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def errors(run) -> list[str]:
    return [line for line in run.lines if ": warning: " not in line and not line.startswith("ok")]


def warnings(run) -> list[str]:
    return [line for line in run.lines if ": warning: " in line]


def line_of(root: Path, rel: str, text: str, after: int = 0) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and text in line)


# --- C. trust: the site says something false and the check passed -------------------------------


def test_25_a_quote_cut_mid_word_is_refused(cli, seed):
    edit(
        seed,
        SEED,
        'exact: "recognizing the still unresolved issues',
        'exact: "resolved issues',
    )
    run = cli(seed, "check")
    assert run.code == 1
    line = line_of(seed, SEED, 'exact: "resolved issues')
    assert errors(run)[0] == (
        f"{SEED}:{line}:16: calls[2].quotes[2].exact: the quote starts or ends inside a word of the source "
        '("un|resolved issues of territorial disputes and the presence of Russian troops"); quote whole words'
    )


VALUE_910 = 'value: "910"'


def test_26_a_figure_its_quote_does_not_write_is_refused(cli, seed):
    edit(seed, SEED, 'value: "91"', 'value: "910"')
    run = cli(seed, "check")
    assert run.code == 1
    assert errors(run)[0] == (
        f"{SEED}:{line_of(seed, SEED, VALUE_910)}:16: claims[1].figures[0].value: 910 is not a number its "
        'quote writes ("asserting the involvement of 91 long range drones" has 91); a figure shows what '
        "its words say"
    )


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("asserting the involvement of 91 long range drones", {91}),
        ("some 1,200 people and 2.5 million more", {1200, 2.5, 2_500_000}),
        ("ninety-one drones, two thousand troops, a dozen", {91, 2, 2000, 12}),
        ("3.0 of 1960s and 4", {3.0, 1960, 4}),
    ],
)
def test_numbers_a_quote_writes(text, numbers):
    from generator.check.provenance import numbers_in

    assert numbers_in(text) == numbers


def test_27_a_status_with_nothing_behind_it_is_warned(cli, seed):
    # Moscow's claim corroborated by its own words; Zelenskyy's disputed with nothing disputing it
    edit_claim(
        seed,
        "russia-novgorod-residence-drone-attack",
        "    status: disputed",
        "    status: corroborated",
    )
    edit(seed, SEED, "    disputes:\n      - russia-novgorod-residence-drone-attack\n", "")
    run = cli(seed, "check")
    assert run.code == 0, run.err
    moscow = line_of(seed, SEED, "status: corroborated")
    zelenskyy = line_of(seed, SEED, "status: disputed", after=moscow)
    assert warnings(run)[:2] == [
        f"{SEED}:{moscow}:13: warning: claims[1].status: corroborated, but nothing here corroborates it: its "
        "quotes come from one source and no claim of another party supports it (supports: "
        "[russia-novgorod-residence-drone-attack]); add what corroborates it, or set the status the evidence "
        "shows",
        f"{SEED}:{zelenskyy}:13: warning: claims[3].status: disputed, but no claim of another party disputes "
        "it (disputes: [zelenskyy-drone-claim-lie]); add what disputes it, or set the status the evidence shows",
    ]


def test_27_refuted_with_nothing_refuting_it_is_warned(cli, seed):
    edit(seed, SEED, "    status: unverified", "    status: refuted")
    run = cli(seed, "check")
    assert run.code == 0
    assert (
        "status: refuted, but no claim of another party disputes it (disputes: [trump-talks-final-stages]) and "
        "no desk review finds it false; add what disputes it, or set the status the evidence shows"
    ) in "\n".join(warnings(run))


def test_28_a_claimant_that_is_a_source_the_briefing_does_not_cite_is_refused(cli, seed):
    with open(seed / "content" / "sources.yaml", "a", encoding="utf-8") as f:
        f.write(
            "  - id: reuters-analysis\n    title: Reuters analysis\n    publisher: Reuters\n"
            "    url: https://www.reuters.com/\n    published: 2025-12-29\n"
        )
    edit(
        seed,
        SEED,
        "    claimant: trump\n    kind: characterisation",
        "    claimant: reuters-analysis\n    kind: characterisation",
    )
    run = cli(seed, "check")
    assert run.code == 1
    assert errors(run)[0] == (
        f"{SEED}:{line_of(seed, SEED, 'claimant: reuters-analysis')}:15: claims[0].claimant: claimant "
        "'reuters-analysis' is a source that this briefing does not cite: a claim is credited to a source only "
        "when the briefing draws on it; add it to sources, or name the actor who makes the claim"
    )


def test_29_a_verdict_against_the_status_and_a_review_after_its_briefing_are_warned(cli, seed):
    moscow = "russia-novgorod-residence-drone-attack"
    edit_claim(seed, moscow, "verdict: unproven", "verdict: accurate")
    edit_claim(seed, moscow, "      date: 2025-12-29", "      date: 2031-01-01")
    edit_claim(seed, moscow, "    status: disputed", "    status: refuted")
    run = cli(seed, "check")
    assert run.code == 0
    verdict = line_of(seed, SEED, "verdict: accurate")
    assert [w for w in warnings(run) if "review" in w] == [
        f"{SEED}:{verdict}:16: warning: claims[1].review.verdict: the desk's verdict 'accurate' says the "
        "opposite of the claim's status 'refuted'; one of them is wrong",
        f"{SEED}:{verdict + 2}:13: warning: claims[1].review.date: the review is dated 2031-01-01, after this "
        "briefing (2025-12-29); a briefing publishes only what the desk had found by its date",
    ]


# --- B. ids that name a section's own page ------------------------------------------------------

INDEX = (
    "'index' is the name of a section's own page (the list of actors, stories, tags, sources, issues or "
    "briefings), which a record of that id would replace; choose another id"
)


def test_20_an_actor_id_index_is_refused(cli, seed):
    edit(seed, "content/actors.yaml", "  - id: russia\n", "  - id: index\n")
    run = cli(seed, "check")
    assert run.code == 1
    assert (
        errors(run)[0]
        == f"content/actors.yaml:{line_of(seed, 'content/actors.yaml', 'id: index')}:9: actors[4].id: {INDEX}"
    )


def test_21_a_story_or_tag_index_is_refused_and_new_will_not_write_one(cli, seed):
    edit(seed, SEED, "story: russia-ukraine-peace-talks", "story: index")
    edit(seed, SEED, "tags:\n", "tags:\n  - index\n")
    run = cli(seed, "check")
    assert run.code == 1
    assert errors(run)[:2] == [
        f"{SEED}:5:8: story: {INDEX}",
        f"{SEED}:{line_of(seed, SEED, 'tags:') + 1}:5: tags[0]: {INDEX}",
    ]
    new = cli(seed, "new", "T", "--story", "index")
    assert (new.code, new.err) == (2, f"briefing: --story: {INDEX}\n")


def test_22_a_source_id_index_is_refused(cli, seed):
    edit(seed, "content/sources.yaml", "  - id: article-2025-12-29-second-call", "  - id: index")
    run = cli(seed, "check")
    assert run.code == 1
    assert f"content/sources.yaml:3:9: sources[0].id: {INDEX}" in errors(run)


def test_two_pages_at_one_url_are_refused_whatever_makes_them():
    from generator.errors import BuildError
    from generator.pages.render import SitePage
    from generator.pages.site import _one_page_a_url

    with pytest.raises(
        BuildError, match="two pages would be written at actors/: 'Actors' and 'Government'"
    ):
        _one_page_a_url(
            [SitePage("actors/", "a", "Actors"), SitePage("actors/", "b", "Government")]
        )


# --- A. hand-written pages: read as MkDocs reads them ------------------------------------------

FM_REDIRECT = (
    "---\ntitle: Evil\ndescription: {value}\n"
    '# </article><script>window.location.replace(["javascript:alert(document.domain)//",'
    'window.location.search,window.location.hash].join(""))</script>\n---\n\n# Evil\n'
)


@pytest.mark.parametrize(
    "value, problem",
    [
        ("2025-02-30", "day is out of range for month"),  # 1, 2
        ("=", "could not determine a constructor for the tag 'tag:yaml.org,2002:value'"),  # 4
        ("2025-13-01", "month must be in 1..12"),
    ],
)
def test_1_to_4_front_matter_mkdocs_cannot_read_is_refused(cli, seed, value, problem):
    (seed / PAGE).write_text(FM_REDIRECT.format(value=value), encoding="utf-8")
    run = cli(seed, "check")
    assert run.code == 1
    assert errors(run) == [
        f"{PAGE}:3:14: description: MkDocs cannot read this value as YAML ({problem}) and would publish the "
        "whole front matter as text; put the value in quotes",
        "1 error in 1 file",
    ]


def test_15_front_matter_yaml_1_1_reads_as_another_type_is_refused(cli, seed):
    (seed / PAGE).write_text("---\ntitle: 12:30\ndescription: yes\n---\n\n# x\n", encoding="utf-8")
    run = cli(seed, "check")
    assert errors(run)[:2] == [
        f"{PAGE}:2:8: title: MkDocs reads '12:30' as a number (750), not as text; put it in quotes: "
        'title: "12:30"',
        f"{PAGE}:3:14: description: MkDocs reads 'yes' as a truth value (True), not as text; put it in "
        'quotes: description: "yes"',
    ]


JS = "link to a javascript: URL; a page links only to http(s) and mailto URLs and to pages of the site"


@pytest.mark.parametrize(
    "body, place",
    [
        ("[click\nhere](javascript:alert(document.domain))\n", "4:7"),  # 6
        ("[a [b] c](javascript:alert(document.domain))\n", "3:11"),  # 7
        ("> [x]: javascript:alert(document.domain)\n\n[go][x]\n", "3:8"),  # 8
        ("- item\n\n    [x]: javascript:alert(document.domain)\n\n[go][x]\n", "5:10"),  # 9
    ],
)
def test_6_to_9_link_forms_the_patterns_missed_are_refused(cli, seed, body, place):
    (seed / PAGE).write_text("# Evil\n\n" + body, encoding="utf-8")
    run = cli(seed, "check")
    assert errors(run) == [f"{PAGE}:{place}: {JS}", "1 error in 1 file"]


def test_16_a_page_of_backticks_is_refused_before_it_is_rendered(cli, seed):
    (seed / PAGE).write_text("# Notes\n\n" + "``a`" * 24000 + "\n", encoding="utf-8")
    run = cli(seed, "check")
    assert errors(run)[0] == (
        f"{PAGE}:3:8000: page has 24001 runs of '`'; the limit is 2000 (each code span takes two)"
    )


def test_17_an_extension_the_check_does_not_model_is_refused(cli, seed):
    edit(seed, "mkdocs.yml", "  - attr_list\n", "  - attr_list\n  - pymdownx.snippets\n")
    (seed / ".env").write_text("DEPLOY_TOKEN=ghp_s3cr3t_from_dotenv\n", encoding="utf-8")
    (seed / PAGE).write_text('# Notes\n\n--8<-- ".env"\n', encoding="utf-8")
    for command in ("check", "build"):
        run = cli(seed, command)
        assert run.code == 2
        assert run.err.startswith(
            "briefing: mkdocs.yml: markdown_extensions: 'pymdownx.snippets' is not one the page check knows: "
            "it could put into a page what the check never read (snippets include files, md_in_html renders "
            "raw HTML); remove it. Known: abbr, admonition, attr_list,"
        ), run.err
    assert not (seed / "site").exists()


# --- D. the fingerprint covers what the build used ----------------------------------------------


def test_33_34_a_publisher_from_inherit_and_env_regenerates_the_feed(cli, seed, monkeypatch):
    text = (seed / "mkdocs.yml").read_text(encoding="utf-8")
    block = (
        "extra:\n  publisher:\n    name: Example Briefings Desk\n    url: https://example.org/\n"
    )
    assert block in text
    (seed / "mkdocs.yml").write_text(
        "INHERIT: base.yml\n" + text.replace(block, ""), encoding="utf-8"
    )
    base = seed / "base.yml"
    base.write_text(block.replace("Example Briefings Desk", "Desk One"), encoding="utf-8")
    assert cli(seed, "build").code == 0
    base.write_text(block.replace("Example Briefings Desk", "Desk TWO"), encoding="utf-8")
    assert cli(seed, "build").code == 0
    assert "<name>Desk TWO</name>" in (seed / "site" / "feed.xml").read_text(encoding="utf-8")
    base.write_text(
        block.replace("Example Briefings Desk", '!ENV [PUB, "Default Desk"]'), encoding="utf-8"
    )
    for name in ("EnvDeskA", "EnvDeskB"):
        monkeypatch.setenv("PUB", name)
        assert cli(seed, "build").code == 0
        assert f"<name>{name}</name>" in (seed / "site" / "feed.xml").read_text(encoding="utf-8")


def test_54_inputs_that_change_while_read_leave_no_stamp(seed, monkeypatch):
    """The fingerprint taken before the check and the one taken after it differ: the docs may have been made
    from either version, so the manifest vouches for neither, and the next run reads everything again."""
    from generator.output import generate as generate_module
    from generator.output.manifest import read_manifest
    from generator.project import find_project

    stamps = iter(["before", "after"])
    monkeypatch.setattr(generate_module, "fingerprint", lambda project, urls: next(stamps))
    generate_module.generate(find_project(seed))
    manifest = read_manifest(seed / "docs")
    assert manifest is not None and manifest["inputs"] == ""


def test_records_json_is_unchanged_by_the_new_rules(seed_site):
    """The shipped content passes the new rules as it is: its records are what they were."""
    data = json.loads((seed_site / "site" / "data" / "records.json").read_text(encoding="utf-8"))
    assert any(c["id"] == "russia-novgorod-residence-drone-attack" for c in data["claims"])


# --- text hygiene -----------------------------------------------------------------------------------


def test_14_a_heading_with_the_theme_s_own_id_is_refused(cli, seed):
    (seed / PAGE).write_text("# Notes\n\n## __config\n", encoding="utf-8")
    run = cli(seed, "check")
    assert errors(run)[0] == (
        f"{PAGE}:3:4: heading gets the id '__config', and ids that start with '__' are the theme's own (its "
        "scripts look them up); reword the heading"
    )


def test_23_look_alike_actors_are_warned_and_invisible_marks_refused_in_titles(cli, seed):
    with open(seed / "content" / "actors.yaml", "a", encoding="utf-8") as f:
        f.write("  - id: trump-2\n    name: Donald Trum\u0440\n    kind: person\n")
    run = cli(seed, "check")
    line = line_of(seed, "content/actors.yaml", "Donald Trum\u0440")
    assert (
        f"content/actors.yaml:{line}:11: warning: actors[6].name: 'Donald Trum\u0440' reads the same as "
        "'Donald Trump' (actor 'trump'), spelt with other characters (U+0440 CYRILLIC SMALL LETTER ER); "
        "readers cannot tell the two apart: rename one, or keep one actor"
    ) in warnings(run)
    edit(seed, SEED, "title: ", 'title: "Trump\\u200f speaks to Putin again"\nx-old-title: ')
    run = cli(seed, "check")
    assert errors(run)[0] == (
        f"{SEED}:3:8: title: contains the invisible mark U+200F (right-to-left mark); remove it: no reader "
        "sees it, and it makes two names that look the same differ"
    )


def test_41_a_nul_in_a_preview_path_is_a_400():
    from test_serve import call, ok_app

    from generator.serve import PreviewGuard

    assert call(PreviewGuard(ok_app), "/briefings/index.html\x00.txt", "localhost") == (
        "400 Bad Request",
        b"A path cannot hold a NUL byte.\n",
    )


def test_51_a_seed_with_cr_line_ends_keeps_its_paragraphs(cli, seed):
    path = seed / "seeds" / "000_df2e1741c8bfd2fe.txt"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(("\ufeff" + text).replace("\n", "\r").encode("utf-8"))
    assert cli(seed, "build").code == 0
    page = (seed / "site" / "sources" / "article-2025-12-29-second-call" / "index.html").read_text(
        encoding="utf-8"
    )
    assert page.count("<p>") >= text.strip().count("\n\n") + 1


def test_52_control_and_bidi_characters_in_a_seed_are_refused(cli, seed):
    path = seed / "seeds" / "000_df2e1741c8bfd2fe.txt"
    path.write_text(
        "Intro \u202eevil\u202c text.\x07\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    run = cli(seed, "check")
    assert run.code == 1
    assert errors(run)[0] == (
        "content/sources.yaml:6:11: sources[0].text: 'seeds/000_df2e1741c8bfd2fe.txt' contains the invisible "
        "control character U+202E at line 1, column 7 (and 2 more); remove it: its page would show the text "
        "otherwise than the quotes were checked against"
    )
