"""Long commands say what they are doing and where the time went: stage lines, the summary, the JSON figures.

Times are never asserted (they belong to the benchmark): the lines are pinned with every number of seconds
replaced by ``X``, and the timing rules (quiet at first, a line at least every few seconds in a log) are
driven by a clock the test moves.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from conftest import ROOT, site_project

from generator import progress as progress_module
from generator.progress import HEARTBEAT, LARGE, NORMAL, QUIET, QUIET_FOR, VERBOSE, Progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def timeless(text: str) -> str:
    """Every number of seconds as X: the tests pin the wording, not the timings."""
    return re.sub(r" *\d+\.\d s", " X s", text)


def made(level=NORMAL, terminal=False, summary=True):
    clock, stream = Clock(), io.StringIO()
    return Progress(stream, level, terminal=terminal, summary=summary, clock=clock), clock, stream


def test_a_run_shorter_than_the_quiet_time_prints_only_the_summary():
    p, clock, out = made()
    p.stage("check", "3 content files")
    clock.now += QUIET_FOR / 2
    p.tick()
    p.stage("generate", total=31, unit="pages")
    p.advance(31)
    p.count(pages=38, written=37, removed=0, quotes_verified=27, warnings=1)
    p.finish()
    assert timeless(out.getvalue()) == (
        "done in X s: 38 pages (37 written, 0 removed), 27 quotes verified, 1 warning; check X s, generate X s\n"
    )


def test_in_a_log_each_stage_is_a_line_and_the_count_shows_at_least_every_heartbeat():
    p, clock, out = made()
    p.stage("check", "1002 content files")
    clock.now += QUIET_FOR
    p.tick()  # the stage under way is shown once the quiet time is over
    p.tick()
    p.stage("generate", total=2855, unit="pages")
    p.advance(1200)
    clock.now += HEARTBEAT - 0.5
    p.tick()  # not yet: a line was shown less than a heartbeat ago
    clock.now += 0.5
    p.tick()
    p.stage("mkdocs", "loading mkdocs.yml")
    p.stage(
        "mkdocs", total=2850, unit="pages converted"
    )  # MkDocs listed its pages: the same stage goes on
    p.advance(2850, unit="pages converted")
    p.advance(7, unit="pages written")
    clock.now += HEARTBEAT
    p.tick()
    p.finish()
    assert timeless(out.getvalue()).splitlines() == [
        "[ X s] check: 1002 content files",
        "[ X s] generate: 0/2855 pages",
        "[ X s] generate: 1200/2855 pages",
        "[ X s] mkdocs: loading mkdocs.yml",
        "[ X s] mkdocs: 7/2850 pages written",
        "done in X s: check X s, generate X s, mkdocs X s",
    ]


def test_a_large_archive_is_shown_from_its_first_stage():
    """1,000 briefings take a minute: the first line comes at once, not after the quiet time."""
    small, _, small_out = made()
    small.stage("check", f"{LARGE - 1} content files")
    small.files(LARGE - 1)
    small.tick()
    large, _, large_out = made()
    large.stage("check", f"{LARGE} content files")
    large.files(LARGE)
    large.stage("data files", "feeds, records.json, timeline.json")
    assert small_out.getvalue() == ""
    assert timeless(large_out.getvalue()).splitlines() == [
        "[ X s] check: 50 content files",
        "[ X s] data files: feeds, records.json, timeline.json",
    ]


def test_a_stage_already_shown_is_not_shown_again_when_the_archive_turns_out_large():
    p, clock, out = made(VERBOSE)
    p.stage("setup", "mkdocs.yml")
    p.stage("setup", f"mkdocs.yml, {LARGE} content files")
    p.files(LARGE)
    assert timeless(out.getvalue()) == "[ X s] setup: mkdocs.yml\n"


def test_at_a_terminal_one_line_is_redrawn_and_cleared_before_the_summary():
    p, clock, out = made(terminal=True)
    p.stage("scan", "the HTML of 32 pages")
    clock.now += QUIET_FOR
    p.tick()
    clock.now += 0.2
    p.tick()
    p.finish()
    assert timeless(out.getvalue()) == (
        "\r\x1b[K[ X s] scan: the HTML of 32 pages"
        "\r\x1b[K[ X s] scan: the HTML of 32 pages"
        "\r\x1b[K"
        "done in X s: scan X s\n"
    )


def test_verbose_shows_every_stage_at_once_with_its_time_when_it_ends():
    p, clock, out = made(VERBOSE)
    p.stage("check", "3 content files")
    p.stage("generate", total=31, unit="pages")
    p.advance(31)
    p.finish()
    assert timeless(out.getvalue()).splitlines() == [
        "[ X s] check: 3 content files",
        "[ X s] check: done in X s",
        "[ X s] generate: 0/31 pages",
        "[ X s] generate: done in X s (31 pages)",
        "done in X s: check X s, generate X s",
    ]


def test_quiet_shows_nothing_but_still_times_every_stage():
    p, clock, out = made(QUIET)
    p.stage("check")
    clock.now += 30
    p.tick()
    p.stage("mkdocs")
    clock.now += 1
    p.finish()
    assert out.getvalue() == ""
    assert p.as_json() == {"seconds": 31.0, "stages": {"check": 30.0, "mkdocs": 1.0}}


def test_an_unchanged_project_says_it_was_not_checked_again():
    p, clock, out = made()
    p.stage("fingerprint")
    p.count(unchanged=1, pages=38, written=0, removed=0)
    p.finish()
    assert timeless(out.getvalue()) == (
        "done in X s: 38 pages (0 written, 0 removed), content unchanged, not checked again; fingerprint X s\n"
    )


def test_a_closed_stream_does_not_fail_the_work():
    p, clock, out = made(VERBOSE)
    out.close()
    p.stage("check")
    p.finish()
    assert p.stages == {"check": 0.0}


def test_the_thread_shows_a_slow_stage_on_its_own(monkeypatch):
    """Nothing reports during a long step (the scan): the thread beside the work shows it anyway."""
    monkeypatch.setattr(progress_module, "QUIET_FOR", 0.0)
    monkeypatch.setattr(progress_module, "REDRAW", 0.01)
    out = io.StringIO()
    with Progress(out, NORMAL, terminal=False) as p:
        p.stage("scan", "the HTML of 32 pages")
        for _ in range(500):
            if out.getvalue():
                break
            p.stopping.wait(0.01)
    assert timeless(out.getvalue()) == "[ X s] scan: the HTML of 32 pages\n"


# --- the commands ------------------------------------------------------------------------------------------

BUILD_STAGES = [
    "setup",
    "fingerprint",
    "check",
    "data files",
    "generate",
    "mkdocs",
    "scan",
    "search",
    "swap",
]


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory):
    return site_project(tmp_path_factory.mktemp("progress"), ROOT)


def test_briefing_build_writes_its_stages_and_figures_as_json(seed_project, cli, tmp_path):
    run = cli(seed_project, "build", "-v", "--timings-json", str(tmp_path / "t.json"))
    assert run.code == 0, run.err
    figures = json.loads((tmp_path / "t.json").read_text())
    assert list(figures["stages"]) == BUILD_STAGES
    assert {k: v for k, v in figures.items() if k not in ("seconds", "stages")} == {
        "files": 3,
        "quotes_verified": 32,
        "warnings": 1,
        "drafts_left_out": 0,
        "site_pages": 34,
        "pages": 41,
        "written": 40,
        "removed": 0,
        "pages_kept": 0,  # no memory of an earlier generation: every page rendered
        "search_indexes_built": 1,  # the site's own (search_indexes: site, the default)
    }
    assert figures["seconds"] >= sum(figures["stages"].values()) * 0.99
    assert run.out == (
        "ok: 41 pages (40 regenerated, every page rendered: site/ holds no record of its build), site built in "
        "site/\n"
    )
    assert timeless(run.err).splitlines() == [
        "[ X s] setup: mkdocs.yml",
        "[ X s] setup: done in X s",
        "[ X s] fingerprint: the inputs, against the last build",
        "[ X s] fingerprint: done in X s",
        "[ X s] check: 3 content files",
        "[ X s] check: done in X s",
        "[ X s] data files: feeds, records.json, timeline.json",
        "[ X s] data files: done in X s",
        "[ X s] generate: 0/33 pages",
        "[ X s] generate: done in X s (33 pages)",
        "[ X s] mkdocs: loading mkdocs.yml",
        "[ X s] mkdocs: done in X s (34 pages written)",  # counted by the plugin, page by page
        "[ X s] scan: every HTML file MkDocs wrote",
        "[ X s] scan: done in X s (35 files scanned)",  # the 34 pages and 404.html
        # Pagefind runs while the scan does: what is left of it when the scan is done
        "[ X s] search: Pagefind's index of the pages written, begun with the scan",
        "[ X s] search: done in X s",
        "[ X s] swap: site/ and docs/",
        "[ X s] swap: done in X s",
        "done in X s: 41 pages (40 written, 0 removed), 32 quotes verified, 1 warning; setup X s, fingerprint X s, "
        "check X s, data files X s, generate X s, mkdocs X s, scan X s, search X s, swap X s",
        # every warning the build counts, listed as check lists it
        "content/sources.yaml:3:5: warning: sources[0]: source 'article-2025-12-29-second-call' has neither "
        "publisher nor url; pages will say 'publisher not recorded'. Add whichever is known",
    ]


def test_the_seed_site_prints_one_summary_line_more_than_before(seed_project, cli):
    """A fast build: its ok: line on stdout as before, and on stderr only the summary (or nothing with -q)."""
    assert (
        cli(seed_project, "build").code == 0
    )  # built once, whichever test of the module ran first
    run = cli(seed_project, "build")
    assert run.code == 0, run.err
    assert run.out == "ok: 41 pages; nothing changed since site/ was built, so it stays as it is\n"
    assert re.fullmatch(
        r"done in X s: 41 pages \(0 written, 0 removed\), content unchanged, not checked again; "
        r"setup X s, fingerprint X s, mkdocs X s, swap X s\n",  # nothing rendered: nothing to scan
        timeless(run.err),
    ), run.err
    quiet = cli(seed_project, "build", "-q")
    assert (quiet.code, quiet.out, quiet.err) == (0, run.out, "")


def test_briefing_generate_and_check(seed_project, cli, tmp_path):
    assert (
        cli(seed_project, "generate").code == 0
    )  # generated once, whichever test of the module ran first
    briefing = seed_project / "content" / "briefings" / "2025-12-29-trump-putin-second-call.yaml"
    briefing.write_text(briefing.read_text() + "# read again, the pages stay the same\n")
    gen = cli(seed_project, "generate", "--timings-json", str(tmp_path / "g.json"))
    assert gen.code == 0 and gen.out == "ok: 41 pages, 0 written, 0 removed\n"
    assert timeless(gen.err) == (
        "done in X s: 41 pages (0 written, 0 removed), 32 quotes verified, 1 warning; "
        "setup X s, fingerprint X s, check X s, data files X s, generate X s\n"
        "content/sources.yaml:3:5: warning: sources[0]: source 'article-2025-12-29-second-call' has neither "
        "publisher nor url; pages will say 'publisher not recorded'. Add whichever is known\n"
    )
    assert list(json.loads((tmp_path / "g.json").read_text())["stages"]) == BUILD_STAGES[:5]
    check = cli(seed_project, "check")  # its ok: line is its summary; the warning as before
    assert (
        check.out
        == "ok: 3 files, 23 records, 32 quotes verified, 0 not verifiable (no local text)\n"
    )
    assert check.err.startswith("content/sources.yaml:3:5: warning: ") and len(check.lines) == 1


def test_errors_keep_their_form_and_no_summary_follows(project, cli):
    root = project({"content/actors.yaml": "actors: []\n"})
    run = cli(root, "generate", "-v")
    assert run.code == 1
    lines = timeless(run.err).splitlines()
    assert lines[:5] == [
        "[ X s] setup: mkdocs.yml",
        "[ X s] setup: done in X s",
        "[ X s] fingerprint: the inputs, against the last run",
        "[ X s] fingerprint: done in X s",
        "[ X s] check: 3 content files",
    ]
    assert re.fullmatch(r"content/briefings/b1\.yaml:\d+:\d+: .+", lines[5]), lines
    assert lines[-1].endswith(" file") and not any(line.startswith("done in") for line in lines)


def test_quiet_and_verbose_exclude_each_other(seed_project, cli):
    run = cli(seed_project, "build", "-q", "-v")
    assert run.code == 2 and "-v/--verbose: not allowed with argument -q/--quiet" in run.err
