"""`briefing quote`: the words found in the source texts, printed as a quote that passes the check as pasted."""

from __future__ import annotations

from conftest import BRIEFING

TWICE = "The deal is close, Alice said.\n\nBob said the deal is off, and the deal is a lie.\n"


def test_words_found_once_print_a_ready_quote(cli, project):
    run = cli(project(), "quote", "talks were 'fruitful'")
    assert run.code == 0, run.err
    assert run.out == (
        "# in wire\n"
        "- source: wire\n"
        "  exact: talks were \u2018fruitful\u2019\n"  # as the source has them
    )


def test_words_found_several_times_each_get_what_picks_them(cli, project):
    root = project({"seeds/wire.txt": TWICE})
    run = cli(root, "quote", "the deal is")
    assert run.code == 0, run.err
    assert run.out == (
        "# in wire (place 1 of 2)\n- source: wire\n  exact: the deal is\n  prefix: said\n"
        "# in wire (place 2 of 2)\n- source: wire\n  exact: the deal is\n  prefix: and\n"
    )  # matched as the check matches: "The deal is" is other words
    # each block, pasted under quotes:, passes the check
    for block in run.out.split("# in wire")[1:]:
        quote = "\n".join("      " + line for line in block.splitlines()[1:])
        text = BRIEFING.replace(
            '      - source: wire\n        exact: "a deal is close"\n', quote + "\n"
        )
        root = project({"seeds/wire.txt": TWICE, "content/briefings/b1.yaml": text})
        check = cli(root, "check")
        assert check.code == 0, (block, check.err)


def test_words_in_no_source(cli, project):
    run = cli(project(), "quote", "a deal was signed")
    assert run.code == 1
    assert (
        run.err
        == "briefing: the words are in no source text; closest passages: 'wire': \"a deal is close. Bob\"\n"
    )


def test_usage_errors(cli, project):
    root = project()
    assert (
        cli(root, "quote", "deal", "--source", "wrie").err
        == "briefing: --source: no source 'wrie' in content/sources.yaml\n"
    )
    assert (
        cli(root, "quote", " ").err
        == "briefing: WORDS is empty; give the words to look for, in quotes\n"
    )
    assert cli(root, "quote", " ").code == 2


def test_a_place_with_no_words_before_it_is_picked_by_the_words_after(cli, project):
    root = project({"seeds/wire.txt": "the deal is close.\n\nBob: the deal is off.\n"})
    run = cli(root, "quote", "the deal is")
    assert run.out == (
        "# in wire (place 1 of 2)\n- source: wire\n  exact: the deal is\n  suffix: close.\n"
        '# in wire (place 2 of 2)\n- source: wire\n  exact: the deal is\n  prefix: "Bob:"\n'
    )
