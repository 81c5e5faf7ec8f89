"""`briefing check`: messages pinned, every rule, exit codes, the shipped content."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

CASES = Path(__file__).parent / "cases"


def test_shipped_content_passes(cli):
    run = cli(ROOT, "check")
    assert run.code == 0, run.err
    assert run.out.startswith("ok: 3 files, ")
    assert " quotes verified, 0 not verifiable" in run.out


def test_broken_tree_golden_errors(cli, golden):
    run = cli(CASES / "broken", "check")
    assert run.code == 1
    assert run.out == ""
    golden(CASES / "broken" / "expected-errors.txt", run.err)


def test_errors_are_sorted_and_one_based(cli):
    run = cli(CASES / "broken", "check")
    lines = run.lines[:-1]
    keys = []
    for line in lines:
        path, ln, col, _ = line.split(":", 3)
        assert int(ln) >= 1 and int(col) >= 1, line
        keys.append((path, int(ln), int(col)))
    assert keys == sorted(keys)


def test_works_from_a_subfolder(cli):
    run = cli(ROOT / "content" / "briefings", "check")
    assert run.code == 0, run.err


def test_content_option(cli, project, tmp_path):
    root = project()
    (root / "content").rename(root / "elsewhere")
    run = cli(root, "check", "--content", "elsewhere")
    assert run.code == 0, run.err
    assert (
        run.out == "ok: 3 files, 5 records, 1 quotes verified, 0 not verifiable (no local text)\n"
    )


def test_no_project_is_a_usage_error(cli, tmp_path):
    run = cli(tmp_path, "check")
    assert run.code == 2
    assert (
        run.err
        == f"briefing: no mkdocs.yml in {tmp_path.resolve()} or any folder above it; run this inside a briefing project\n"
    )


def test_unknown_command_is_a_usage_error(cli, tmp_path):
    run = cli(tmp_path, "frobnicate")
    assert run.code == 2
    assert "invalid choice: 'frobnicate'" in run.err


def test_missing_content_folder_is_a_usage_error(cli, project):
    root = project()
    run = cli(root, "check", "--content", "nope")
    assert run.code == 2
    assert run.err.startswith("briefing: content folder not found: ")


def errors(cli, root) -> list[str]:
    run = cli(root, "check")
    assert run.code == 1, run.out
    assert "Traceback" not in run.err
    return run.lines[:-1]


def test_claim_thread_keeps_its_claimant(cli, project):
    root = project(
        {
            "content/briefings/b2.yaml": (
                "id: b2\ntitle: Later\ndate: 2025-12-30\nsummary: x\nsources: [wire]\n"
                "claims:\n  - id: deal-close\n    claimant: bob\n    date: 2025-12-30\n"
                "    statement: s\n    status: disputed\n"
            ),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b2.yaml:8:15: claims[0].claimant: claim thread 'deal-close' has claimant 'alice' "
        "in content/briefings/b1.yaml:8; a claim keeps its claimant (start a new claim id instead)"
    ]


def test_same_id_cannot_change_kind(cli, project):
    root = project(
        {
            "content/briefings/b2.yaml": (
                "id: b2\ntitle: Later\ndate: 2025-12-30\nsummary: x\nsources: [wire]\n"
                "open_issues:\n  - id: deal-close\n    title: t\n    status: open\n    summary: s\n"
            ),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b2.yaml:7:9: open_issues[0].id: id 'deal-close' names a claim in "
        "content/briefings/b1.yaml:7; the same id is the same thread, so use another id"
    ]


def test_an_issue_id_reused_for_a_claim_says_an_open_issue(cli, project):
    root = project(
        {
            "content/briefings/b0.yaml": (
                "id: b0\ntitle: Earlier\ndate: 2025-12-28\nsummary: x\nsources: [wire]\n"
                "open_issues:\n  - id: deal-close\n    title: t\n    status: open\n    summary: s\n"
            ),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:7:9: claims[0].id: id 'deal-close' names an open issue in "
        "content/briefings/b0.yaml:7; the same id is the same thread, so use another id"
    ]


def test_quote_source_must_be_listed_by_the_briefing(cli, project):
    root = project(
        {
            "content/sources.yaml": (
                "sources:\n  - id: wire\n    title: W\n    published: 2025\n    text: seeds/wire.txt\n"
                "  - id: other\n    title: O\n    published: 2025\n"
            ),
            "content/briefings/b1.yaml": (
                "id: b1\ntitle: T\ndate: 2025-12-29\nsummary: x\nsources: [wire]\n"
                "claims:\n  - id: c\n    claimant: alice\n    date: 2025\n    statement: s\n    status: unverified\n"
                "    quotes:\n      - source: other\n        exact: anything\n"
            ),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:13:17: claims[0].quotes[0].source: source 'other' is not in this briefing's sources list; add it there"
    ]


def test_quote_without_local_text_is_counted_unverified(cli, project):
    root = project(
        {
            "content/sources.yaml": "sources:\n  - id: wire\n    title: W\n    published: 2025\n    url: https://example.org/a\n",
        }
    )
    run = cli(root, "check")
    assert run.code == 0, run.err
    assert run.out.endswith("0 quotes verified, 1 not verifiable (no local text)\n")


@pytest.mark.parametrize(
    "text, message",
    [
        ("seeds/missing.txt", "sources[0].text: file 'seeds/missing.txt' does not exist"),
        (
            "seeds/../content/actors.yaml",
            "sources[0].text: 'seeds/../content/actors.yaml' must be a relative path under seeds/, such as seeds/article.txt",
        ),
        (
            "/etc/passwd",
            "sources[0].text: '/etc/passwd' must be a relative path under seeds/, such as seeds/article.txt",
        ),
        ("seeds/link.txt", "sources[0].text: 'seeds/link.txt' leads outside seeds/"),
    ],
)
def test_source_text_stays_under_seeds(cli, project, text, message):
    root = project(
        {
            "content/sources.yaml": f"sources:\n  - id: wire\n    title: W\n    published: 2025\n    text: {text}\n",
        }
    )
    (root / "seeds" / "link.txt").symlink_to(root / "content" / "actors.yaml")
    assert errors(cli, root) == [f"content/sources.yaml:5:11: {message}"]


def test_a_self_dispute_is_reported(cli, project):
    root = project(
        {
            "content/briefings/b1.yaml": (
                "id: b1\ntitle: T\ndate: 2025-12-29\nsummary: x\nsources: [wire]\n"
                "claims:\n  - id: c\n    claimant: alice\n    date: 2025\n    statement: s\n    status: unverified\n"
                "    disputes: [c]\n"
            ),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:12:16: claims[0].disputes[0]: a claim cannot dispute itself"
    ]


def test_one_line_fields_reject_line_breaks(cli, project):
    root = project(
        {
            "content/briefings/b1.yaml": "id: b1\ntitle: |\n  two\n  lines\ndate: 2025-12-29\nsummary: x\nsources: [wire]\n",
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:2:8: title: must be one line; remove the line break"
    ]


def test_new_user_tree_following_format_only_passes(cli):
    run = cli(CASES / "newuser", "check")
    assert run.code == 0, run.err
    assert (
        run.out == "ok: 4 files, 15 records, 6 quotes verified, 1 not verifiable (no local text)\n"
    )


def test_hand_written_page_cannot_be_named_index(cli, project):
    root = project({"content/pages/index.md": "# Index\n", "content/pages/about.md": "# About\n"})
    assert errors(cli, root) == [
        "content/pages/index.md:1:1: page name 'index' is taken by the list of pages; rename the file"
    ]


QUOTED = '      - source: wire\n        exact: "a deal is close"\n'


@pytest.mark.parametrize(
    "quote, expected",
    [
        (
            "      - source: wire\n",
            [
                "content/briefings/b1.yaml:13:9: claims[0].quotes[0].exact: required field is missing; "
                "add it (The quoted words, as in the source.)",
            ],
        ),
        (
            '      - source: wire\n        exact: ""\n',
            [
                "content/briefings/b1.yaml:14:16: claims[0].quotes[0].exact: must not be empty",
            ],
        ),
        (
            '      - source: wire\n        exakt: "a deal is close"\n',
            [
                "content/briefings/b1.yaml:13:9: claims[0].quotes[0].exact: required field is missing; "
                "add it (The quoted words, as in the source.)",
                "content/briefings/b1.yaml:14:9: claims[0].quotes[0].exakt: unknown field 'exakt' in a quote; "
                "did you mean 'exact'?",
            ],
        ),
    ],
    ids=["missing", "empty", "misspelt"],
)
def test_a_quote_without_exact_words_is_a_content_error(cli, project, quote, expected):
    """A quote with no usable ``exact`` is reported where it was read, not looked for in the source."""
    from conftest import BRIEFING

    assert QUOTED in BRIEFING
    root = project({"content/briefings/b1.yaml": BRIEFING.replace(QUOTED, quote)})
    assert errors(cli, root) == expected


def test_a_refused_prefix_is_not_dropped_to_look_for_the_words(cli, project):
    """Without its (empty, so refused) prefix the words occur twice; only the prefix is reported."""
    from conftest import BRIEFING, SEED

    root = project(
        {
            "seeds/wire.txt": SEED + "Alice repeated that a deal is close.\n",
            "content/briefings/b1.yaml": BRIEFING.replace(QUOTED, QUOTED + '        prefix: ""\n'),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:15:17: claims[0].quotes[0].prefix: must not be empty"
    ]


# --- messages in an editor's words (issue 15) ------------------------------------------


@pytest.mark.parametrize(
    "typed, message",
    [
        ("26/04/2025", "'26/04/2025' is not a date; write 2025-04-26 (YYYY-MM-DD)"),
        (
            "3/5/2025",
            "'3/5/2025' is not a date; write 2025-05-03 (YYYY-MM-DD) if it means 3 May 2025, "
            "or 2025-03-05 if it means 5 March 2025",
        ),
        ("12/25/2025", "'12/25/2025' is not a date; write 2025-12-25 (YYYY-MM-DD)"),
        ("4.4.2025", "'4.4.2025' is not a date; write 2025-04-04 (YYYY-MM-DD)"),
        ("2025/04/26", "'2025/04/26' is not a date; write 2025-04-26 (YYYY-MM-DD)"),
        ("04/2025", "'04/2025' is not a date; write 2025-04 (YYYY-MM)"),
        (
            "31/02/2025",
            "'31/02/2025' is not a real date; write the day as YYYY-MM-DD",
        ),  # neither reading is a day
    ],
)
def test_a_date_written_by_hand_is_answered_with_the_form_to_write(cli, project, typed, message):
    from conftest import BRIEFING

    root = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "    date: 2025-12-29\n", f"    date: {typed}\n"
            )
        }
    )
    assert errors(cli, root) == [f"content/briefings/b1.yaml:9:11: claims[0].date: {message}"]


def test_a_briefing_date_written_by_hand_names_the_one_form_it_takes(cli, project):
    from conftest import BRIEFING

    root = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "date: 2025-12-29\nsummary", "date: 04/2025\nsummary"
            )
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:3:7: date: '04/2025' is not a date; write YYYY-MM-DD"
    ]


def test_text_that_became_a_mapping_says_which_colon_did_it(cli, project):
    from conftest import BRIEFING

    root = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "summary: Talks go on.\n",
                "summary:\n  Iran said: no talks\nkey_points:\n  - The talks: over\n",
            )
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:5:3: summary: expected text, found a mapping; the ': ' after 'Iran said' makes YAML "
        'read a field name, so put the whole text in quotes: "Iran said: no talks"',
        "content/briefings/b1.yaml:7:5: key_points[0]: expected text, found a mapping; the ': ' after 'The talks' makes "
        'YAML read a field name, so put the whole text in quotes: "The talks: over"',
    ]


ALIASED_ACTORS = """\
actors:
  - id: alice
    name: Alice Example
    kind: person
  - id: bob
    name: Bob Example
    kind: person
  - id: esmaeil-baghaei
    name: Esmaeil Baghaei
    kind: person
    aliases: [Baghaei]
  - id: volodymyr-zelenskyy
    name: Volodymyr Zelenskyy
    kind: person
    aliases: [Zelensky, Zelenskiy]
"""


@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "Baghaei",
            "'Baghaei' is not an actor id; did you mean 'esmaeil-baghaei' (its alias 'Baghaei')?",
        ),
        (
            "Zelensky",
            "'Zelensky' is not an actor id; did you mean 'volodymyr-zelenskyy' (its alias 'Zelensky')?",
        ),
        (
            "zelenskiy",
            "unknown actor 'zelenskiy'; did you mean 'volodymyr-zelenskyy' (its alias 'Zelenskiy')?",
        ),
        (
            "Esmaeil Baghaei",
            "'Esmaeil Baghaei' is not an actor id; did you mean 'esmaeil-baghaei' (its name 'Esmaeil Baghaei')?",
        ),
        (
            "Nobody",
            "'Nobody' is not a valid id (lower-case letters, digits and single hyphens); try 'nobody'",
        ),
    ],
)
def test_an_alias_used_as_an_actor_id_names_the_actor(cli, project, typed, message):
    """Issue 15: 'Baghaei' drew "try 'baghaei'", which is no actor either."""
    from conftest import BRIEFING

    root = project(
        {
            "content/actors.yaml": ALIASED_ACTORS,
            "content/briefings/b1.yaml": BRIEFING.replace("claimant: alice", f"claimant: {typed}"),
        }
    )
    assert errors(cli, root) == [f"content/briefings/b1.yaml:8:15: claims[0].claimant: {message}"]


def test_an_alias_among_participants_names_the_actor(cli, project):
    from conftest import BRIEFING

    root = project(
        {
            "content/actors.yaml": ALIASED_ACTORS,
            "content/briefings/b1.yaml": BRIEFING
            + (
                "calls:\n  - id: call\n    date: 2025-12-29\n    kind: phone-call\n"
                "    participants: [alice, Zelensky]\n    summary: s\n"
            ),
        }
    )
    assert errors(cli, root) == [
        "content/briefings/b1.yaml:19:27: calls[0].participants[1]: 'Zelensky' is not an actor id; "
        "did you mean 'volodymyr-zelenskyy' (its alias 'Zelensky')?"
    ]


TWO_SOURCES = """\
sources:
  - id: wire
    title: Wire story
    published: 2025-12-29
    text: seeds/wire.txt
  - id: other
    title: Other story
    published: 2025-12-29
    text: seeds/other.txt
"""


@pytest.mark.parametrize(
    "listed, message",
    [
        (
            "[wire, other]",
            "quote not found in source 'wire' (seeds/wire.txt); the words are in 'other' (seeds/other.txt), "
            "which this briefing lists: write source: other",
        ),
        (
            "[wire]",
            "quote not found in source 'wire' (seeds/wire.txt); closest passage: \"the talks were 'fruitful' and\"",
        ),
    ],
)
def test_a_quote_checked_against_the_wrong_source_names_both(cli, project, listed, message):
    """Issue 15: "not found" named neither the source searched nor the listed source holding the words."""
    from conftest import BRIEFING

    root = project(
        {
            "content/sources.yaml": TWO_SOURCES,
            "seeds/other.txt": "Carol said they would not sign before spring.\n",
            "content/briefings/b1.yaml": BRIEFING.replace(
                "sources: [wire]", f"sources: {listed}"
            ).replace('exact: "a deal is close"', "exact: they would not sign"),
        }
    )
    assert errors(cli, root) == [
        f"content/briefings/b1.yaml:14:16: claims[0].quotes[0].exact: {message}"
    ]
