"""A story written for the tests from texts of our own (tests/cases/realstory): what real news articles say
fits format 1.2 without bending a fact, and every page and data file shows it as the sources have it.

The case holds a wire story republished by another site (``via``), a copy the desk holds only in part
(``partial``), an outlet's figures ("as reported by"), a vague quantity ("dozens"), figures of two units on one
claim over two briefings (never compared with each other), a quote translated by its publisher, a publication
date the desk inferred, and inferred dates on a call and a claim.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, built_site

CASE = ROOT / "tests" / "cases" / "realstory"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory.mktemp("realstory"), CASE) / "site"


def pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_an_outlet_reports_its_figures(site):
    page = text(
        (site / "briefings" / "2031-03-05-truce-deaths" / "index.html").read_text(encoding="utf-8")
    )
    assert "as reported by AFP via Harbour Post" in page
    assert "as reported by River Monitor" in page
    assert "(analysis)" not in page  # a fact and figures reported by outlets: nobody's analysis
    assert "about 1,200 people displaced" in page  # thousands separated
    assert "14 civilians killed" in page


def test_a_vague_quantity_stands_without_a_number(site):
    page = text(
        (site / "briefings" / "2031-03-01-truce" / "index.html").read_text(encoding="utf-8")
    )
    assert "dozens houses damaged" in page


def test_figures_of_another_unit_are_never_compared(site):
    """The second briefing's latest figure counts the killed; the first briefing's, houses damaged: "What
    changed" shows the killed as a new figure, never as a change from another unit's."""
    page = (site / "briefings" / "2031-03-05-truce-deaths" / "index.html").read_text(
        encoding="utf-8"
    )
    (change,) = re.findall(r'<li class="change-figure">.*?</li>', page, re.S)
    assert "→" not in change and text(change).endswith(": 14 civilians killed")


def test_what_changed_shows_no_status_on_a_new_characterisation(site):
    page = (site / "briefings" / "2031-03-05-truce-deaths" / "index.html").read_text(
        encoding="utf-8"
    )
    (added,) = re.findall(r'<li class="change-added">.*?</li>', page, re.S)
    assert "characterisation" in text(added) and "unverified" not in text(added)


def test_the_source_says_what_the_desk_holds(site):
    wire = text(
        (site / "sources" / "harbour-post-truce" / "index.html").read_text(encoding="utf-8")
    )
    assert "AFP via Harbour Post" in wire
    assert "The desk holds only part of this text" in wire
    monitor = text(
        (site / "sources" / "river-monitor-update" / "index.html").read_text(encoding="utf-8")
    )
    assert "Published 5 Mar 2031 (date inferred: the text's own heading" in monitor


def test_a_translated_quote_says_so(site):
    page = text(
        (site / "briefings" / "2031-03-05-truce-deaths" / "index.html").read_text(encoding="utf-8")
    )
    assert "translated: from Arlenian, by River Monitor" in page


def test_no_inferred_date_goes_unmarked_and_no_status_on_a_characterisation(site):
    for name, page in pages(site).items():
        shown = text(page)
        for m in re.finditer(
            r"Talks: Government of Arlen – Government of Bosk, 28 Feb 2031", shown
        ):
            assert shown[m.end() :].startswith(" (date inferred)"), name
    events = json.loads((site / "data" / "timeline.json").read_text(encoding="utf-8"))["events"]
    dates = {e["text"]["headline"]: e["display_date"] for e in events}
    assert all(
        d.endswith("(date inferred)")
        for h, d in dates.items()
        if "28 Feb" in d or "first step" in h
    )
    texts = [e["text"]["text"] for e in events]
    assert any("Mara Vell · characterisation" in t for t in texts)
    assert not any("Mara Vell · unverified" in t for t in texts)
    records = json.loads((site / "data" / "records.json").read_text(encoding="utf-8"))
    (source,) = [s for s in records["sources"] if s["id"] == "harbour-post-truce"]
    assert (source["via"], source["partial"]) == ("AFP", True)


def test_a_quote_not_found_in_a_partial_copy_says_the_copy_is_partial(cli, tmp_path):
    import shutil

    root = tmp_path / "story"
    shutil.copytree(CASE, root)
    path = root / "content" / "briefings" / "2031-03-01-truce.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'exact: "Some 1,200 people have been displaced from border villages"',
            'exact: "the shelling resumed on Sunday"',
        ),
        encoding="utf-8",
    )
    run = cli(root, "check")
    assert run.code == 1
    assert run.lines[0].endswith(
        "; the desk holds only part of 'harbour-post-truce' (partial: true), so the words may be in the part it "
        "lacks: add that part to its text"
    ), run.lines[0]


def test_a_planned_meeting_is_shown_as_planned_and_never_as_a_contact_that_took_place(site):
    import json as _json

    briefing = text(
        (site / "briefings" / "2031-03-01-truce" / "index.html").read_text(encoding="utf-8")
    )
    assert "Planned meeting: Mara Vell – Tomas Brin, 2 Apr 2031" in briefing
    for timeline in (
        site / "timeline" / "index.html",
        site / "stories" / "lissa-border" / "timeline" / "index.html",
    ):
        assert "Mara Vell – Tomas Brin" not in text(timeline.read_text(encoding="utf-8"))
    events = _json.loads((site / "data" / "timeline.json").read_text(encoding="utf-8"))["events"]
    assert not [e for e in events if "Mara Vell" in e["text"]["headline"]]
    actor = text((site / "actors" / "arlen-fm" / "index.html").read_text(encoding="utf-8"))
    assert "Planned meeting" in actor


def test_an_undated_contact_says_its_date_is_unknown(site):
    page = (site / "briefings" / "2031-03-01-truce" / "index.html").read_text(encoding="utf-8")
    assert "Talks: Government of Arlen – Government of Bosk, date unknown" in text(page)
    assert 'datetime="unknown"' not in page


def test_a_joint_statement_names_every_speaker_everywhere(site):
    """One claim made by two governments: both named on its card, listed on both actor pages, and in the
    data: claimant (the first, for format-1 readers) beside claimants (every one)."""
    page = text(
        (site / "briefings" / "2031-03-01-truce" / "index.html").read_text(encoding="utf-8")
    )
    assert (
        "Factual claim by Government of Arlen and Government of Bosk · In the sources: unverified · 1 Mar 2031"
        in page
    )
    assert "Joint readout of Government of Arlen and Government of Bosk" in page
    for actor in ("arlen", "bosk"):
        shown = text((site / "actors" / actor / "index.html").read_text(encoding="utf-8"))
        assert "Each side accuses the other of breaking the truce overnight" in shown, actor
    records = json.loads((site / "data" / "records.json").read_text(encoding="utf-8"))
    (thread,) = [t for t in records["claims"] if t["id"] == "each-accuses-the-other"]
    record = thread["records"][0]
    assert (record["claimant"], record["claimants"]) == ("arlen", ["arlen", "bosk"])
    single = [t for t in records["claims"] if t["id"] == "displaced"][0]["records"][0]
    assert single["claimants"] == [single["claimant"]]


def test_a_joint_claim_keeps_its_speakers_and_new_from_writes_them_as_a_list(cli, tmp_path):
    import shutil

    root = tmp_path / "story"
    shutil.copytree(CASE, root)
    run = cli(root, "new", "Truce update", "--from", "2031-03-01-truce", "--date", "2031-03-02")
    assert run.code == 0, run.err
    written = (root / "content" / "briefings" / "2031-03-02-truce-update.yaml").read_text(
        encoding="utf-8"
    )
    assert "    claimant:\n      - arlen\n      - bosk\n" in written
    path = root / "content" / "briefings" / "2031-03-02-truce-update.yaml"
    path.write_text(
        written.replace("      - arlen\n      - bosk\n", "      - arlen\n      - arlen-fm\n"),
        encoding="utf-8",
    )
    run = cli(root, "check")
    assert any(
        "claim thread 'each-accuses-the-other' has claimant 'arlen, bosk' in" in line
        and "a claim keeps its claimant" in line
        for line in run.lines
    ), run.lines
