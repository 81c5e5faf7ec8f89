"""`briefing new`: the file it writes, what it carries forward, and the YAML it writes text as."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, site_project

from generator import scaffold
from generator.errors import Collector
from generator.format import model, yamltext
from generator.format.fieldtypes import DateValue, Invalid, Text
from generator.format.loader import Scalar, load_bytes, load_file
from generator.format.model import RecordBase
from generator.format.validate import to_record

CASES = Path(__file__).parent / "cases"
SEED = "2025-12-29-trump-putin-second-call"


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    return site_project(tmp_path, ROOT)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(scaffold, "today", lambda: date(2026, 1, 5))


def read_briefing(path: Path, rel: str = "new.yaml"):
    node, problems = load_file(path, rel)
    assert problems == []
    out = Collector()
    briefing = to_record(node, model.Briefing.record, "", out)
    assert out.diagnostics == []
    return briefing


def plain(value):
    """A record tree as plain data, to compare records read from two files."""
    if isinstance(value, RecordBase):
        return {f.name: plain(getattr(value, f.name)) for f in value.record.fields}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, DateValue):
        return value.text
    return value


# --- carrying a briefing forward -------------------------------------------------------


def test_from_carries_claims_and_issues_forward(seed_copy, cli):
    run = cli(seed_copy, "new", "Talks resume in Geneva", "--from", SEED, "--date", "2025-12-30")
    assert run.code == 0, run.err
    assert run.out == (
        "ok: wrote content/briefings/2025-12-30-talks-resume-in-geneva.yaml "
        f"(carried forward 7 claims and 5 open issues from {SEED})\n"
    )
    path = seed_copy / "content" / "briefings" / "2025-12-30-talks-resume-in-geneva.yaml"
    new, old = (
        read_briefing(path),
        read_briefing(seed_copy / "content" / "briefings" / f"{SEED}.yaml"),
    )
    assert (new.id, new.title, str(new.date), new.status) == (
        "2025-12-30-talks-resume-in-geneva",
        "Talks resume in Geneva",
        "2025-12-30",
        "developing",
    )
    assert new.story == old.story == "russia-ukraine-peace-talks"
    assert (
        new.story_title == old.story_title == "Russia–Ukraine peace talks"
    )  # --from carries the story's name
    assert new.sources == old.sources and new.tags == old.tags and new.key_points == old.key_points
    assert new.summary == old.summary and new.bottom_line == old.bottom_line
    assert new.calls == []  # calls happened; they stay in the briefing that reported them
    assert plain(new.claims) == plain(old.claims)  # same ids, status, figures, quotes, links
    assert plain(new.open_issues) == plain(old.open_issues)  # same ids, status, positions
    assert plain(new.changes) == [
        {"date": "2025-12-30", "note": f"Update of {SEED}: replace this note with what changed."}
    ]

    check = cli(seed_copy, "check")
    assert check.code == 0, check.err
    assert check.out.startswith("ok: 4 files, ")


def test_new_file_is_block_yaml_with_the_schema_line(seed_copy, cli):
    cli(seed_copy, "new", "Talks resume in Geneva", "--from", SEED, "--date", "2025-12-30")
    text = (
        seed_copy / "content" / "briefings" / "2025-12-30-talks-resume-in-geneva.yaml"
    ).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/briefing.schema.json"
    assert (seed_copy / "content" / "briefings" / lines[0].split("=", 1)[1]).resolve().is_file()
    assert "summary: |\n  The article, dated 29 December 2025, reports" in text
    assert (
        "\nclaims:\n  - id: trump-talks-final-stages\n    title: 'Trump: talks with both sides fruitful"
        in text
    )
    assert "      - value: 91\n        unit: long-range drones\n" in text
    assert "{" not in text and "[" not in text  # block style throughout, no flow collections
    assert (
        max(
            len(line)
            for line in lines
            if line.lstrip().startswith(("statement:", "summary:", "  "))
        )
        < 200
    )
    # what a YAML tool other than the loader reads: text stays text, the number is a number
    data = yaml.safe_load(text)
    assert data["claims"][1]["figures"][0]["value"] == 91
    assert data["changes"][0]["note"].startswith("Update of ")


def test_newuser_fixture_round_trips_paragraphs_and_numbers(tmp_path, cli):
    root = site_project(tmp_path, CASES / "newuser")
    run = cli(
        root,
        "new",
        "Kessel Dam: talks in Vell",
        "--from",
        "kessel-dam-2031-03-19",
        "--date",
        "2031-03-20",
    )
    assert run.code == 0, run.err
    path = root / "content" / "briefings" / "2031-03-20-kessel-dam-talks-in-vell.yaml"
    new = read_briefing(path)
    old = read_briefing(root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml")
    assert (
        "\n\n" in old.summary and new.summary == old.summary
    )  # paragraphs kept, as a literal block
    assert "summary: |\n" in path.read_text(encoding="utf-8")
    assert plain(new.claims) == plain(old.claims) and plain(new.open_issues) == plain(
        old.open_issues
    )
    assert new.story == "kessel-dam"
    assert cli(root, "check").code == 0


def test_story_option_overrides_the_story_of_the_previous_briefing(seed_copy, cli):
    run = cli(
        seed_copy, "new", "Next", "--from", SEED, "--story", "geneva-round", "--date", "2025-12-31"
    )
    assert run.code == 0, run.err
    assert (
        read_briefing(seed_copy / "content" / "briefings" / "2025-12-31-next.yaml").story
        == "geneva-round"
    )


# --- a first briefing --------------------------------------------------------------------


def test_a_new_story_starts_from_a_skeleton_that_passes_the_check_as_a_draft(seed_copy, cli, clock):
    """A first-time editor fills in a new story without opening another briefing: every part is there, each
    with text that says what to write, the parties from the registry and a quote of the newest source."""
    run = cli(seed_copy, "new", "Ceasefire: a first look", "--story", "ceasefire")
    assert run.code == 0, run.err
    assert run.out == "ok: wrote content/briefings/2026-01-05-ceasefire-a-first-look.yaml\n"
    text = (
        seed_copy / "content" / "briefings" / "2026-01-05-ceasefire-a-first-look.yaml"
    ).read_text(encoding="utf-8")
    assert text == SKELETON
    check = cli(seed_copy, "check")
    assert check.code == 0
    found = [line for line in check.lines if "2026-01-05" in line]
    assert found[1] == (
        "content/briefings/2026-01-05-ceasefire-a-first-look.yaml:8:8: warning: draft: this briefing is a draft: "
        "briefing build leaves it out of the site; delete this line to publish it"
    )
    placeholders = [
        line.split(": warning: ")[1].split(":")[0] for line in found if "placeholder" in line
    ]
    assert placeholders == [
        "story_title",
        "bottom_line",
        "summary",
        "key_points[0]",
        "calls[0].summary",
        "claims[0].statement",
        "open_issues[0].title",
        "open_issues[0].summary",
        "open_issues[0].positions[0].position",
    ]
    published = seed_copy / "content" / "briefings" / "2026-01-05-ceasefire-a-first-look.yaml"
    published.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    assert cli(seed_copy, "check").code == 1  # published with its placeholders: an error at each


SKELETON = """\
# yaml-language-server: $schema=../schemas/briefing.schema.json
id: 2026-01-05-ceasefire-a-first-look
title: "Ceasefire: a first look"
date: 2026-01-05
story: ceasefire
story_title: "Replace this: the story's name, shown on its pages"
status: developing
draft: true  # checked and previewed, never published: delete this line to publish

bottom_line: "Replace this: the bottom line in one sentence."

summary: >
  Bottom line up front: replace this with what a reader must know first.

# The points a reader must not miss, one line each; they do not repeat the bottom line.
key_points:
  - "Replace this: the first point a reader must not miss."

sources:
  # the newest source in content/sources.yaml; list the ones this briefing draws on
  - article-2025-12-29-second-call

# Each contact between the parties (kind: phone-call, video-call, meeting, visit, talks, message). Copy the block for another; delete it if there is none.
calls:
  - id: first-call
    date: 2026-01-05
    kind: phone-call
    participants:
      - lavrov
      - putin
    summary: "Replace this: what happened, as the source reports it."
    quotes:
      - source: article-2025-12-29-second-call
        exact: date 2025-12-29 President Donald Trump had a second phone call

# Who asserts what: claimant is an actor id of content/actors.yaml; kind is fact, opinion, characterisation or forecast; every quote is the source's exact words (briefing quote "words" finds them).
claims:
  - id: first-claim
    claimant: lavrov
    kind: fact
    date: 2026-01-05
    statement: "Replace this: what the claimant asserts, neutrally stated."
    status: unverified
    quotes:
      - source: article-2025-12-29-second-call
        exact: date 2025-12-29 President Donald Trump had a second phone call

# What is still unresolved, and where each party stands on it.
open_issues:
  - id: first-issue
    title: "Replace this: the issue's name"
    status: open
    summary: "Replace this: what is at stake."
    positions:
      - actor: lavrov
        position: "Replace this: their stance, neutrally stated."

changes:
  - date: 2026-01-05
    note: New briefing.
"""


def test_ids_are_made_from_the_title(clock):
    assert scaffold.slug("Trump–Putin call: “final stages”?", 53) == "trump-putin-call-final-stages"
    assert scaffold.slug("Zelenskyy in Kraków", 53) == "zelenskyy-in-krakow"
    assert scaffold.slug("Переговоры", 53) == "briefing"
    assert scaffold.slug("one two three four", 13) == "one-two-three"
    assert scaffold.slug("Supercalifragilistic", 5) == "super"


@pytest.mark.parametrize(
    "title, limit, expected",
    [
        (
            "Iran says missiles not discussed in talks with the United States, officials insist",
            53,
            "iran-says-missiles-not-discussed-talks-united-states",
        ),
        (
            "Iran says the missiles of the navy were not discussed",
            30,
            "iran-says-missiles-navy-not",
        ),
        (
            "Kremlin says it isn't ready for talks on the Zaporizhzhia plant",
            25,
            "kremlin-says-it-not-ready",
        ),
        ("Moscow won't sign the deal before the summit in Geneva", 20, "moscow-will-not-sign"),
        ("No ceasefire agreed", 53, "no-ceasefire-agreed"),
        (
            "Talks in Geneva end without any deal at all on territory",
            25,
            "talks-geneva-end-without",
        ),
    ],
)
def test_a_shortened_id_keeps_its_negation(title, limit, expected):
    """Issue 15: "...missiles not discussed" once shortened to "...-iran-says-missiles", saying the opposite."""
    assert scaffold.slug(title, limit) == expected
    assert len(expected) <= limit


def test_long_titles_make_ids_within_the_limit(seed_copy, cli, clock):
    run = cli(seed_copy, "new", "A very long headline " * 6)
    assert run.code == 0, run.err
    name = run.out.split("content/briefings/", 1)[1].strip()
    assert len(name.removesuffix(".yaml")) <= 64 and not name.removesuffix(".yaml").endswith("-")
    assert cli(seed_copy, "check").code == 0


# --- refusals --------------------------------------------------------------------------


def test_refuses_to_overwrite(seed_copy, cli):
    first = cli(seed_copy, "new", "Talks", "--date", "2025-12-30")
    assert first.code == 0
    path = seed_copy / "content" / "briefings" / "2025-12-30-talks.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    before = path.read_bytes()
    again = cli(seed_copy, "new", "Talks", "--date", "2025-12-30")
    assert again.code == 2
    assert again.err == (
        "briefing: content/briefings/2025-12-30-talks.yaml already exists; "
        "edit it, or choose another title or --date\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["x", "--from", "2025-12-29-trump-putin-second-cal"],
            "briefing: --from: no briefing '2025-12-29-trump-putin-second-cal' in content/briefings/; "
            "did you mean '2025-12-29-trump-putin-second-call'?\n",
        ),
        (
            ["x", "--date", "2025-02-30"],
            "briefing: --date: '2025-02-30' is not a real date: Feb 2025 has 28 days\n",
        ),
        (
            ["x", "--date", "2025-02"],
            "briefing: --date: '2025-02' must be a single day, written YYYY-MM-DD\n",
        ),
        (
            ["x", "--date", "26/04/2025"],
            "briefing: --date: '26/04/2025' is not a date; write 2025-04-26 (YYYY-MM-DD)\n",
        ),
        (
            ["x", "--date", "3/5/2025"],
            "briefing: --date: '3/5/2025' is not a date; write 2025-05-03 (YYYY-MM-DD) if it means 3 May 2025, "
            "or 2025-03-05 if it means 5 March 2025\n",
        ),
        (
            ["x", "--date", "04/2025"],
            "briefing: --date: '04/2025' is not a date; write YYYY-MM-DD\n",
        ),  # never a form it refuses
        (
            ["x", "--date", "tomorrow"],
            "briefing: --date: 'tomorrow' is not a date; write YYYY-MM-DD\n",
        ),
        (
            ["x", "--story", "Peace Talks"],
            "briefing: --story: 'Peace Talks' is not a valid id (lower-case letters, digits and single hyphens); try 'peace-talks'\n",
        ),
        (["  "], "briefing: TITLE must not be empty\n"),
    ],
)
def test_usage_errors(seed_copy, cli, args, message):
    run = cli(seed_copy, "new", *args)
    assert (run.code, run.err) == (2, message)
    assert sorted(p.name for p in (seed_copy / "content" / "briefings").iterdir()) == [
        f"{SEED}.yaml"
    ]


def test_broken_content_is_reported_and_nothing_written(seed_copy, cli):
    actors = seed_copy / "content" / "actors.yaml"
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("kind: person", "kind: persn", 1),
        encoding="utf-8",
    )
    run = cli(seed_copy, "new", "Talks", "--from", SEED, "--date", "2025-12-30")
    assert run.code == 1
    assert run.lines[-1] == "1 error in 1 file"
    assert sorted(p.name for p in (seed_copy / "content" / "briefings").iterdir()) == [
        f"{SEED}.yaml"
    ]


def test_no_source_to_draw_on(project, cli, clock):
    root = project({"content/sources.yaml": "sources: []\n", "content/briefings/b1.yaml": None})
    run = cli(root, "new", "Talks")
    assert (run.code, run.err) == (
        2,
        "briefing: content/sources.yaml lists no source yet; add the source this briefing draws on first\n",
    )


# --- text as YAML ------------------------------------------------------------------------

TRICKY = [
    "a: b",
    "# not a comment",
    "x #y",
    "x#y",
    "'single'",
    '"double"',
    "it's",
    'say "hi"',
    "both ' and \"",
    "yes",
    "no",
    "No",
    "on",
    "null",
    "~",
    "true",
    "1.5",
    "12",
    "0x1F",
    "1_000",
    ".inf",
    ".nan",
    "=",
    "<<",
    "- dash",
    "? question",
    ": colon",
    "key:",
    "[x]",
    "{y}",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`tick",
    "|pipe",
    ">fold",
    "---",
    "...",
    "<script>alert(1)</script>",
    "2025-12-29",
    "12:30",
    "ünïcödé – “curly” ‘quotes’",
    "emoji 🙂",
    "back\\slash",
    "tab\there",
    "line\u2028separator",
    "next\x85line",
    "bom\ufeffinside",
    "a, b",
    "50% of it",
]


@pytest.mark.parametrize("text", TRICKY)
def test_inline_scalars_read_back_as_the_same_text(text):
    written = yamltext.inline(text)
    node = load_bytes(f"key: {written}\n".encode(), "t.yaml")
    assert node.get("key").value == text, written
    # and a YAML 1.1 reader (an editor's tooling) sees text too
    assert yaml.safe_load(f"key: {written}\n")["key"] in (text, date(2025, 12, 29))


PARAGRAPHS = [
    "First paragraph.\n\nSecond paragraph.",
    "A line\n  indented under it\nand back",
    "trailing blank \nbefore the break",
    "tab\tinside\nlines",
    "one long line " * 12 + "end",
    "words  with  double spaces " * 5,
    "“quoted” text: with colons, # hashes and 'quotes' that runs on for a good long while past the width",
]


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_paragraph_text_reads_back_as_the_same_text(text):
    text = text.strip()
    lines = yamltext._scalar("    summary: ", text, Text(paragraphs=True), 6)
    node = load_bytes(("root:\n" + "\n".join(lines) + "\n").encode(), "t.yaml")
    assert Text(paragraphs=True).convert(node.get("root").get("summary")) == text, "\n".join(lines)


def valid_text(text: str) -> bool:
    try:
        Text().convert(Scalar("t.yaml", 1, 1, text))
    except Invalid:
        return False
    return True


def test_whole_briefing_with_tricky_text_round_trips():
    tricky = [
        t for t in TRICKY if valid_text(t)
    ]  # line separators and the like are refused as text
    assert len(tricky) > 40
    values = {
        "id": "b2",
        "title": "yes: no # maybe",
        "date": "2025-12-30",
        "summary": "p1 — x\n\np2: y",
        "key_points": tricky,
        "sources": ["wire"],
        "claims": [
            {
                "id": "c1",
                "title": "'a' \"b\"",
                "claimant": "alice",
                "date": "2025-12",
                "statement": "s " * 60 + "t",
                "status": "unverified",
                "quotes": [{"source": "wire", "exact": "a deal is close", "prefix": "- that"}],
                "figures": [{"value": "12.000001", "unit": "%", "date": "2025/2026"}],
            }
        ],
        "changes": [{"date": "2025-12-30", "note": "@first"}],
    }
    text = yamltext.briefing_yaml(values)
    node = load_bytes(text.encode(), "b2.yaml")
    out = Collector()
    briefing = to_record(node, model.Briefing.record, "", out)
    assert out.diagnostics == []
    assert briefing.title == values["title"] and briefing.summary == values["summary"]
    assert briefing.key_points == tricky
    claim = briefing.claims[0]
    assert (claim.title, claim.statement, claim.quotes[0].prefix) == (
        "'a' \"b\"",
        "s " * 60 + "t",
        "- that",
    )
    assert claim.figures[0].value == 12.000001 and claim.figures[0].unit == "%"
    assert str(claim.figures[0].date) == "2025/2026" and briefing.changes[0].note == "@first"


def test_carrying_forward_keeps_a_number_as_typed(tmp_path, cli):
    """A figure typed 240.50 is carried forward as 240.50, read from its loaded node, not as 240.5."""
    root = site_project(tmp_path, CASES / "archive")
    source = root / "content" / "briefings" / "port-strike-2031-05-12.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("value: 240\n", "value: 240.50\n"),
        encoding="utf-8",
    )
    run = cli(
        root,
        "new",
        "Port strike: day four",
        "--from",
        "port-strike-2031-05-12",
        "--date",
        "2031-05-13",
    )
    assert run.code == 0, run.err
    text = (root / "content" / "briefings" / "2031-05-13-port-strike-day-four.yaml").read_text(
        encoding="utf-8"
    )
    assert "value: 240.50\n" in text
