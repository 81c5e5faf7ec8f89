"""Data out of a real build, read with the libraries that consume it: records.json (jsonschema),
ClaimReview JSON-LD (extruct), Atom and JSON feeds (feedparser), TimelineJS JSON, and what changed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import extruct
import feedparser
import jsonschema
import lxml.html
import pytest
import yaml
from conftest import ROOT, site_project

from generator.check.checker import check_project
from generator.config import read_site_config
from generator.data import feeds
from generator.data.jsonld import script_safe_json
from generator.output.generate import render_docs
from generator.project import find_project

CASES = Path(__file__).parent / "cases"
SEED_BRIEFING = "2025-12-29-trump-putin-second-call"
MOSCOW = "russia-novgorod-residence-drone-attack"
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]
PUBLISHER = CONFIG["extra"]["publisher"]


@pytest.fixture(scope="module")
def archive(archive_site):
    return check_project(find_project(archive_site))


def load_json(root: Path, rel: str):
    return json.loads((root / "site" / rel).read_text(encoding="utf-8"))


def page_tree(root: Path, page: str):
    return lxml.html.fromstring((root / "site" / page / "index.html").read_bytes())


def text(el) -> str:
    return " ".join(el.text_content().split())


def html_text(fragment: str) -> str:
    return text(lxml.html.fragment_fromstring(fragment, create_parent="div"))


def has_element(fragment: str, tag: str) -> bool:
    return bool(lxml.html.fragment_fromstring(fragment, create_parent="div").findall(f".//{tag}"))


# --- records.json ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seed_site", "archive_site"])
def test_records_validate_against_the_schema_beside_them(which, request):
    root = request.getfixturevalue(which)
    schema = load_json(root, "data/records.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    records = load_json(root, "data/records.json")
    jsonschema.Draft202012Validator(schema).validate(records)
    assert records["$schema"] == schema["$id"] == SITE_URL + "data/records.schema.json"


def test_records_hold_every_record_in_a_stable_order(archive_site, archive):
    data = load_json(archive_site, "data/records.json")
    assert [a["id"] for a in data["actors"]] == sorted(archive.actors)
    assert [s["id"] for s in data["sources"]] == sorted(archive.sources)
    assert [b["id"] for b in data["briefings"]] == [
        b.id for b in archive.briefings
    ]  # by date, then id
    for key, kind in (("calls", "call"), ("claims", "claim"), ("open_issues", "issue")):
        assert [t["id"] for t in data[key]] == sorted(archive.threads(kind))


def test_records_say_what_the_content_says(archive_site):
    data = load_json(archive_site, "data/records.json")
    union = next(t for t in data["claims"] if t["id"] == "union-turnout")
    assert union["briefings"] == [
        "port-strike-2031-05-10",
        "port-strike-2031-05-11",
        "port-strike-2031-05-12",
    ]
    assert [r["status"] for r in union["records"]] == ["unverified", "disputed", "disputed"]
    assert [f["value"] for f in union["records"][-1]["figures"]] == [120, 240, 312]
    assert union["permalink"] == SITE_URL + "briefings/port-strike-2031-05-12/#claim-union-turnout"
    assert union["story"] == "port-strike"
    day3 = next(b for b in data["briefings"] if b["id"] == "port-strike-2031-05-12")
    assert day3["claims"] == ["union-turnout", "police-turnout"]
    changed = day3["what_changed"]
    assert changed["previous"] == "port-strike-2031-05-11"
    assert {
        "claim": "union-turnout",
        "before": {"value": 240, "unit": "protesters"},
        "after": {"value": 312, "unit": "protesters"},
    } in changed["figures"]
    assert changed["statuses"] == [
        {
            "kind": "issue",
            "id": "pay-offer",
            "before": "under-discussion",
            "after": "agreed-in-principle",
            "trend": "up",
        }
    ]
    assert changed["claims_dropped"] == ["operations-normal", "website-tampering"]
    tampering = next(t for t in data["claims"] if t["id"] == "website-tampering")
    assert "<script>alert(1)</script>" in tampering["records"][0]["statement"]  # text, as typed


def _permalinks(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "permalink":
                yield v
            else:
                yield from _permalinks(v)
    elif isinstance(value, list):
        for v in value:
            yield from _permalinks(v)


def test_every_permalink_is_a_page_or_anchor_of_the_site(archive_site):
    ids: dict[str, set[str]] = {}
    links = set(_permalinks(load_json(archive_site, "data/records.json")))
    assert len(links) > 50
    for url in links:
        assert url.startswith(SITE_URL), url
        parts = urlsplit(url[len(SITE_URL) :])
        if parts.path not in ids:
            ids[parts.path] = {
                el.get("id") for el in page_tree(archive_site, parts.path).iter() if el.get("id")
            }
        assert not parts.fragment or parts.fragment in ids[parts.path], url


def test_data_files_are_deterministic_and_copied_as_they_are(archive_site):
    project = find_project(archive_site)
    config = read_site_config(archive_site)
    first, second = render_docs(project, config)[1], render_docs(project, config)[1]
    for rel in (
        "data/records.json",
        "data/records.schema.json",
        "data/timeline.json",
        "feed.xml",
        "feed.json",
    ):
        assert first[rel] == second[rel], rel
        assert (archive_site / "site" / rel).read_bytes() == first[rel], rel


# --- ClaimReview JSON-LD ------------------------------------------------------------------------------


def claim_reviews(root: Path, briefing: str) -> list[dict]:
    page = root / "site" / "briefings" / briefing / "index.html"
    found = extruct.extract(
        page.read_text(encoding="utf-8"),
        base_url=f"{SITE_URL}briefings/{briefing}/",
        syntaxes=["json-ld"],
        uniform=False,
    )["json-ld"]
    return [d for d in found if d.get("@type") == "ClaimReview"]


def test_only_the_reviewed_claim_carries_a_claim_review(seed_site):
    """The desk reviewed one checkable claim of the seed briefing; opinions and unreviewed claims publish none."""
    reviews = {r["url"]: r for r in claim_reviews(seed_site, SEED_BRIEFING)}
    archive = check_project(find_project(seed_site))
    (briefing,) = archive.briefings
    reviewed = [c for c in briefing.claims if c.review is not None]
    assert [c.id for c in reviewed] == [MOSCOW]
    assert set(reviews) == {f"{SITE_URL}briefings/{SEED_BRIEFING}/#claim-{MOSCOW}"}
    moscow = reviews[f"{SITE_URL}briefings/{SEED_BRIEFING}/#claim-{MOSCOW}"]
    claim = reviewed[0]
    assert moscow["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "unproven",
    }  # no place on the scale
    assert moscow["reviewBody"] == " ".join(claim.review.rationale.split())
    assert (
        moscow["claimReviewed"] == claim.review.claim_reviewed
    )  # the assertion rated, not who said it
    assert "91" in moscow["claimReviewed"]
    assert moscow["datePublished"] == "2025-12-29"  # the date of the review
    assert moscow["author"] == {"@type": "Organization", **PUBLISHER}
    assert moscow["itemReviewed"]["@type"] == "Claim"
    assert moscow["itemReviewed"]["author"]["name"] == archive.actors[claim.claimant].name
    assert moscow["itemReviewed"]["author"]["@type"] == "Organization"  # a government
    assert moscow["itemReviewed"]["datePublished"] == "2025-12-29"
    assert "appearance" not in moscow["itemReviewed"]  # the seed source has no URL


def test_a_format_1_story_publishes_no_claim_review(archive_site):
    """Evidence statuses are not verdicts: a story without reviews carries no ClaimReview on any page."""
    pages = sorted((archive_site / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert "ClaimReview" not in page.read_text(encoding="utf-8"), page


def test_json_for_a_script_element_escapes_what_could_end_it():
    value = {"s": "</script><!-- & \u2028\u2029 é"}
    out = script_safe_json(value)
    assert json.loads(out) == value
    assert not re.search(r"[<>&\u2028\u2029]", out) and out.isascii()
    assert "\\u003c/script\\u003e" in out and "\\u2028" in out


def test_pages_without_claims_carry_no_claim_review(seed_site):
    found = extruct.extract(
        (seed_site / "site" / "index.html").read_text(encoding="utf-8"), syntaxes=["json-ld"]
    )
    assert found["json-ld"] == []


# --- feeds ---------------------------------------------------------------------------------------

NEWEST_FIRST = [
    "port-strike-2031-05-12",
    "port-strike-2031-05-11",
    "port-strike-2031-05-10",
    "dam-dispute-2031-04-03",
    "dam-dispute-2031-04-02",
    "dam-dispute-2031-04-01",
]


JSON_FEED_SCHEMA = json.loads(
    (Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)


def feed_entries(data: bytes, name: str) -> tuple[dict, list[dict]]:
    """(feed, entries) of a feed, each entry with link, title, summary, date, content (HTML) and tags.

    feedparser reads the Atom feed. feedparser 6.0 does not read JSON Feed, so that one is checked
    against a JSON Schema of JSON Feed 1.1 written from its specification, then read as JSON.
    """
    if name.endswith(".xml"):
        feed = feedparser.parse(data)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == "atom10"
        head = {
            "title": feed.feed.title,
            "author": feed.feed.author_detail.name,
            "self": feed.feed.links[0].href,
        }
        return head, [
            {
                "link": e.link,
                "id": e.id,
                "title": e.title,
                "summary": e.summary,
                "date": "{:04d}-{:02d}-{:02d}".format(*e.published_parsed[:3]),
                "content": e.content[0].value,
                "tags": [t.term for t in e.get("tags", [])],
            }
            for e in feed.entries
        ]
    feed = json.loads(data)
    jsonschema.Draft202012Validator(JSON_FEED_SCHEMA).validate(feed)
    head = {"title": feed["title"], "author": feed["authors"][0]["name"], "self": feed["feed_url"]}
    return head, [
        {
            "link": i["url"],
            "id": i["id"],
            "title": i["title"],
            "summary": i["summary"],
            "date": i["date_published"][:10],
            "content": i["content_html"],
            "tags": i.get("tags", []),
        }
        for i in feed["items"]
    ]


@pytest.mark.parametrize("name", ["feed.xml", "feed.json"])
def test_feeds_list_briefings_newest_first_with_what_changed(archive_site, archive, name):
    head, entries = feed_entries((archive_site / "site" / name).read_bytes(), name)
    assert head == {
        "title": CONFIG["site_name"],
        "author": PUBLISHER["name"],
        "self": SITE_URL + name,
    }
    assert [e["link"] for e in entries] == [f"{SITE_URL}briefings/{b}/" for b in NEWEST_FIRST]
    assert [e["id"] for e in entries] == [e["link"] for e in entries]
    by_id = {b.id: b for b in archive.briefings}
    for entry, bid in zip(entries, NEWEST_FIRST, strict=True):
        assert entry["title"] == by_id[bid].title
        assert " ".join(entry["summary"].split()) == " ".join(by_id[bid].summary.split())
        assert entry["date"] == by_id[bid].date.text
        assert entry["tags"] == by_id[bid].tags
    content = {bid: html_text(e["content"]) for e, bid in zip(entries, NEWEST_FIRST, strict=True)}
    assert "What changed" in content["port-strike-2031-05-12"]
    assert (
        "The picket at the port of Halvik is growing: 240 → 312 protesters"
        in content["port-strike-2031-05-12"]
    )
    assert (
        "The picket at the port of Halvik is growing: unverified → disputed ↓"
        in content["port-strike-2031-05-11"]
    )
    assert (
        "Pay rise for Halvik dockworkers: open → under discussion ↑"
        in content["port-strike-2031-05-11"]
    )
    assert "No earlier briefing of this story to compare with." in content["port-strike-2031-05-10"]
    assert (
        entries[1]["title"]
        == "Halvik strike, day 2: *stars* of the picket line [a link](javascript:alert(1))"
    )


def test_feed_content_is_text_with_absolute_links(archive_site):
    data = load_json(archive_site, "feed.json")
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == SITE_URL + "feed.json" and data["home_page_url"] == SITE_URL
    day2 = next(i for i in data["items"] if i["id"].endswith("/port-strike-2031-05-11/"))
    tree = lxml.html.fragment_fromstring(day2["content_html"], create_parent="div")
    assert tree.findall(".//script") == []
    assert "<script>alert(1)</script>" in text(tree)
    assert "<b>difficult</b>" in text(tree)  # a key point, as typed
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert hrefs and all(h.startswith(SITE_URL) for h in hrefs)
    assert f"{SITE_URL}briefings/port-strike-2031-05-11/#claim-website-tampering" in hrefs
    atom = (archive_site / "site" / "feed.xml").read_bytes()
    assert b"<script>" not in atom


def test_feeds_hold_only_the_newest_briefings(tmp_path, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    root = site_project(tmp_path, CASES / "archive")
    files = render_docs(find_project(root), read_site_config(root))[1]
    for name in ("feed.xml", "feed.json"):
        _, entries = feed_entries(files[name], name)
        assert [e["link"] for e in entries] == [
            f"{SITE_URL}briefings/{b}/" for b in NEWEST_FIRST[:2]
        ]


def test_every_page_links_both_feeds(seed_site):
    site = seed_site / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        rel = page.relative_to(site).as_posix()
        tree = lxml.html.fromstring(page.read_bytes())
        links = {
            el.get("type"): el.get("href") for el in tree.xpath('//head/link[@rel="alternate"]')
        }
        for kind, name in (
            ("application/atom+xml", "feed.xml"),
            ("application/feed+json", "feed.json"),
        ):
            assert kind in links, rel
            if rel != "404.html":  # the 404 page is served at any depth: its links are absolute
                assert urljoin("https://h/" + rel, links[kind]) == "https://h/" + name, rel
    assert (
        feedparser.parse((site / "feed.xml").read_bytes()).entries[0].link
        == f"{SITE_URL}briefings/{SEED_BRIEFING}/"
    )


# --- timeline.json (TimelineJS3) ---------------------------------------------------------------------


def test_timeline_has_each_call_and_claim_once_grouped_by_story(archive_site, archive):
    data = load_json(archive_site, "data/timeline.json")
    events = {e["unique_id"]: e for e in data["events"]}
    assert len(events) == len(data["events"])
    expected = {f"call-{i}" for i in archive.threads("call")} | {
        f"claim-{i}" for i in archive.threads("claim")
    }
    assert set(events) == expected
    union = events["claim-union-turnout"]
    assert union["start_date"] == {"year": 2031, "month": 5, "day": 10}
    assert union["group"] == "Port strike"  # the story's name: no story_title, so its id's words
    assert events["claim-flow-cut"]["group"] == "Dam dispute"
    assert "312 marchers" in html_text(union["text"]["text"])  # as in its latest briefing
    tampering = events["claim-website-tampering"]
    for part in (tampering["text"]["headline"], tampering["text"]["text"]):
        assert not has_element(part, "script")
    assert "<script>alert(1)</script>" in html_text(tampering["text"]["text"])


def test_timeline_dates_keep_their_precision(seed_site):
    data = load_json(seed_site, "data/timeline.json")
    events = {e["unique_id"]: e for e in data["events"]}
    assert events["call-trump-putin-call-2"]["start_date"] == {"year": 2025, "month": 12, "day": 29}
    assert {e["group"] for e in data["events"]} == {
        "Russia–Ukraine peace talks"
    }  # the story_title of its briefings


# --- what changed on the site --------------------------------------------------------------------------


def what_changed(root: Path, briefing: str) -> list[str]:
    tree = page_tree(root, f"briefings/{briefing}")
    (heading,) = tree.xpath('//h2[@id="what-changed"]')
    section = heading.getnext()
    assert "what-changed" in section.get("class")
    return [text(li) for li in section.iter("li")] or [text(section)]


def test_briefing_shows_what_changed_since_the_previous_one(archive_site):
    day2 = what_changed(archive_site, "port-strike-2031-05-11")
    assert (
        "The picket at the port of Halvik is growing: unverified → disputed ↓ weaker evidence"
        in day2
    )
    assert (
        "Operations at all terminals of the port are normal and no ships are being diverted.: "
        "disputed → retracted ↓ weaker evidence"
    ) in day2
    assert (
        "Pay rise for Halvik dockworkers: open → under discussion ↑ moved toward agreement" in day2
    )
    assert "The picket at the port of Halvik is growing: 120 → 240 protesters" in day2
    assert any(
        line.startswith("Claim unverified The union says its picket-times page") for line in day2
    )
    day3 = what_changed(archive_site, "port-strike-2031-05-12")
    assert "The picket at the port of Halvik is growing: 240 → 312 protesters" in day3
    assert "About 210 people took part in the march on the third day.: 150 → 210 people" in day3
    assert "Issue open No disciplinary action against strikers" in day3
    assert (
        "Changed Halvik Port Authority on Pay rise for Halvik dockworkers: Offers 6 percent. "
        "(was: Still offers 3 percent.)"
    ) in day3
    trends = page_tree(archive_site, "briefings/port-strike-2031-05-12").xpath(
        '//span[contains(@class, "trend")]'
    )
    assert [t.get("aria-label") for t in trends] == ["up"]


def test_first_briefing_says_there_is_nothing_to_compare(seed_site):
    assert what_changed(seed_site, SEED_BRIEFING) == [
        "No earlier briefing of this story to compare with."
    ]


def test_story_has_a_page_of_all_changes(archive_site):
    story = page_tree(archive_site, "stories/port-strike")
    hrefs = {urljoin(SITE_URL + "stories/port-strike/", a.get("href")) for a in story.iter("a")}
    assert SITE_URL + "stories/port-strike/changes/" in hrefs
    page = page_tree(archive_site, "stories/port-strike/changes")
    headings = [h.get("id") for h in page.xpath("//article//h2[@id]")]
    assert headings == [
        "port-strike-2031-05-12",
        "port-strike-2031-05-11",
        "port-strike-2031-05-10",
    ]
    items = [text(li) for li in page.xpath('//div[contains(@class, "what-changed")]//li')]
    assert (
        "The picket at the port of Halvik is growing: unverified → disputed ↓ weaker evidence"
        in items
    )
    assert "The picket at the port of Halvik is growing: 240 → 312 protesters" in items


# --- configuration ------------------------------------------------------------------------------------


def test_without_site_url_addresses_are_relative_to_the_site_root(project):
    root = project()  # mkdocs.yml with neither site_url nor a publisher
    shutil.copytree(ROOT / "site_templates", root / "site_templates")
    files = render_docs(find_project(root), read_site_config(root))[1]
    records = json.loads(files["data/records.json"])
    jsonschema.Draft202012Validator(json.loads(files["data/records.schema.json"])).validate(records)
    assert records["$schema"] == "records.schema.json"
    assert records["claims"][0]["permalink"] == "briefings/b1/#claim-deal-close"
    head, entries = feed_entries(files["feed.xml"], "feed.xml")
    assert head["author"] == "Test" and [e["link"] for e in entries] == ["briefings/b1/"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "extra:\n  publisher: Desk\n",
            "mkdocs.yml: extra.publisher must be a mapping of a name and a url",
        ),
        (
            "extra:\n  publisher:\n    name: Desk\n    url: ftp://desk\n",
            "mkdocs.yml: extra.publisher.url must be an http(s) URL, not 'ftp://desk'",
        ),
    ],
)
def test_a_bad_publisher_is_a_usage_error(project, cli, extra, message):
    root = project({"mkdocs.yml": "site_name: Test\ndocs_dir: docs\n" + extra})
    run = cli(root, "generate")
    assert run.code == 2
    assert run.err.strip() == f"briefing: {message}"
