"""What a reader reads first fits a phone's first screen (check/reading.py): a headline of at most 90
characters, a bottom line of at most 30 words, key points of at most 25 words; past them the check warns at
the field. The page folds key points past the fourth."""

from __future__ import annotations

from conftest import BRIEFING, ROOT

from generator.check.reading import BOTTOM_LINE_WORDS, HEADLINE_MAX, KEY_POINT_WORDS

LONG_TITLE = "A" * (HEADLINE_MAX - 4) + " end!"  # 91 characters
LONG_LINE = " ".join(["word"] * (BOTTOM_LINE_WORDS + 1)) + "."
LONG_POINT = " ".join(["point"] * (KEY_POINT_WORDS + 1))


def lines(cli, root) -> list[str]:
    run = cli(root, "check")
    assert run.code == 0, run.err
    return [line for line in run.lines if "neither publisher nor url" not in line]


def test_a_briefing_within_the_limits_draws_no_warning(cli, project):
    root = project({"content/briefings/b1.yaml": BRIEFING})
    assert lines(cli, root) == []


def test_a_long_headline_is_a_warning_at_the_title(cli, project):
    root = project({"content/briefings/b1.yaml": BRIEFING.replace("First briefing", LONG_TITLE)})
    assert lines(cli, root) == [
        "content/briefings/b1.yaml:2:8: warning: title: the headline is 91 characters; at most 90 fit two lines "
        "on a phone: keep the news in the title and let the bottom line say the rest"
    ]


def test_a_long_bottom_line_is_a_warning_where_it_is_written(cli, project):
    in_summary = project({"content/briefings/b1.yaml": BRIEFING.replace("Talks go on.", LONG_LINE)})
    assert lines(cli, in_summary) == [
        "content/briefings/b1.yaml:4:10: warning: summary: the bottom line (the summary's first paragraph) is 31 "
        "words; at most 30 read in one screen: say the news in one shorter sentence and let the context follow"
    ]
    own = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "summary: Talks go on.\n", f"bottom_line: {LONG_LINE}\nsummary: Talks go on.\n"
            )
        }
    )
    assert lines(cli, own) == [
        "content/briefings/b1.yaml:4:14: warning: bottom_line: the bottom line is 31 words; at most 30 read in "
        "one screen: say the news in one shorter sentence and let the context follow"
    ]


def test_a_long_key_point_is_a_warning_at_it_and_more_than_four_are_none(cli, project):
    points = (
        "key_points:\n" + "".join(f"  - Point {i}.\n" for i in range(1, 6)) + f"  - {LONG_POINT}\n"
    )
    root = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "sources: [wire]\n", points + "sources: [wire]\n"
            )
        }
    )
    assert lines(cli, root) == [
        "content/briefings/b1.yaml:11:5: warning: key_points[5]: this key point is 26 words; at most 25 each: "
        "one fact a point",
    ]


def test_the_seed_is_within_the_limits(cli, tmp_path):
    run = cli(ROOT, "check")
    assert [line for line in run.lines if "warning" in line and "publisher" not in line] == []


def test_the_page_folds_key_points_past_the_fourth(cli, project):
    points = "key_points:\n" + "".join(f"  - Point {i}.\n" for i in range(1, 7))
    root = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "sources: [wire]\n", points + "sources: [wire]\n"
            )
        }
    )
    assert cli(root, "generate").code == 0
    page = (root / "docs" / "briefings" / "b1.md").read_text(encoding="utf-8")
    shown, folded = page.split('<details class="more-points">', 1)
    assert "Point 4." in shown and "Point 5." not in shown
    assert folded.startswith("<summary>More key points (2)</summary>")
    assert "Point 5." in folded and "Point 6." in folded
