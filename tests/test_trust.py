"""Format 1.1: the site says exactly what the desk knows (reported vs reviewed, quoted vs inferred, provenance).

A small story that uses every addition is built once; the rules are checked on small trees;
the shipped seed briefing is held to the fact-check review it was revised against.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import extruct
import lxml.html
import pytest
import yaml
from conftest import ROOT, built_site

from generator.format.fieldtypes import Date
from generator.format.loader import Scalar
from generator.format.model import Archive
from generator.pages.fragments import Fragments
from generator.pages.links import Links
from generator.pages.site import build_index

SITE_URL = "https://example.org/briefings/"

ACTORS = """\
actors:
  - id: alice
    name: Alice Example
    kind: person
    wikidata: Q42
  - id: bob
    name: Bob Example
    kind: person
"""

SOURCES = """\
sources:
  - id: wire
    title: Wire report on the talks
    headline: Talks end without a deal
    publisher: Wire Agency
    author: Jo Writer
    url: https://example.org/wire/talks
    published: 2025-12-29
    text: seeds/wire.txt
  - id: memo
    title: Untitled memo dated 29 Dec 2025
    published: 2025-12-29
    text: seeds/memo.txt
"""

WIRE = (
    "Alice said the talks lasted more than 7 hours. Officials put the delegations at 6 to 8 people. "
    "Alice said the dam was closed on 2 May. The Wire's own view: peace is far away. "
    "Alice had called Bob earlier this month.\n"
)
MEMO = "The dam was open on 2 May, according to gauge readings.\n"

BRIEFING = """\
id: b1
title: Talks end without a deal
date: 2025-12-29
story: talks
bottom_line: Alice and Bob talked for hours without a deal, and Alice's dam claim does not hold.
summary: >
  Context: the talks went on; the memo contradicts the dam claim.
key_points:
  - Alice said the dam was closed; the gauge memo says it was open.
sources: [wire, memo]
calls:
  - id: first-call
    date: 2025-12
    kind: phone-call
    participants: [alice, bob]
    initiator: alice
    summary: An earlier call.
    quotes:
      - source: wire
        exact: "Alice had called Bob earlier this month"
    related: [dam-closed]
    inferred:
      call: "implied by 'had called'"
      date: from the article's 'earlier this month'
      initiator: from the word 'called'
      related: the desk's reading; the wire does not link them
claims:
  - id: dam-closed
    claimant: alice
    kind: fact
    date: 2025-12-29
    statement: The dam was closed on 2 May <script>alert(1)</script>.
    status: disputed
    quotes:
      - source: wire
        exact: "Alice said the dam was closed on 2 May"
    review:
      verdict: "false"
      date: 2025-12-29
      reviewer: The desk
      rationale: >
        The desk compared the claim with the gauge memo, which reads open on 2 May.
      evidence:
        - source: memo
          exact: "The dam was open on 2 May"
      sources: [memo]
  - id: peace-far
    claimant: wire
    kind: opinion
    date: 2025-12-29
    statement: Peace is far away.
    status: unverified
    quotes:
      - source: wire
        exact: "peace is far away"
  - id: talks-long
    claimant: alice
    kind: fact
    date: 2025-12-29
    statement: The talks lasted more than seven hours.
    status: unverified
    likelihood: likely
    confidence: moderate
    figures:
      - value: 7
        qualifier: more-than
        unit: hours
        by: alice
        quote:
          source: wire
          exact: "lasted more than 7 hours"
      - value: 6
        value_max: 8
        unit: delegates
        by: bob
open_issues:
  - id: dam
    title: The dam
    status: open
    summary: Who controls the dam.
    positions:
      - actor: bob
        position: Wants it open.
        date: 2025-12-29
        inferred:
          date: from the dateline
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("story-src")
    for rel, text in {
        "content/actors.yaml": ACTORS,
        "content/sources.yaml": SOURCES,
        "content/briefings/b1.yaml": BRIEFING,
        "seeds/wire.txt": WIRE,
        "seeds/memo.txt": MEMO,
    }.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    root = built_site(tmp_path_factory.mktemp("story"), src)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def page(root: Path, rel: str) -> str:
    return (root / "site" / rel / "index.html").read_text(encoding="utf-8")


def tree(root: Path, rel: str):
    return lxml.html.fromstring(page(root, rel))


def text(el) -> str:
    return " ".join(el.text_content().split())


def reviews(root: Path) -> list[dict]:
    found = extruct.extract(
        page(root, "briefings/b1"),
        base_url=f"{SITE_URL}briefings/b1/",
        syntaxes=["json-ld"],
        uniform=False,
    )["json-ld"]
    return [d for d in found if d.get("@type") == "ClaimReview"]


# --- ClaimReview only for what the desk reviewed ------------------------------------------------------


@pytest.mark.slow
def test_only_a_reviewed_checkable_claim_is_published_as_claim_review(story):
    (review,) = reviews(story)
    assert review["url"] == f"{SITE_URL}briefings/b1/#claim-dam-closed"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "false",
        "ratingValue": 1,
        "worstRating": 1,
        "bestRating": 5,
    }
    assert (
        review["reviewBody"]
        == "The desk compared the claim with the gauge memo, which reads open on 2 May."
    )
    assert review["datePublished"] == "2025-12-29"  # when the desk reviewed it
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Alice Example",
        "sameAs": "https://www.wikidata.org/wiki/Q42",
    }
    assert review["itemReviewed"]["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://example.org/wire/talks",
            "headline": "Talks end without a deal",
            "datePublished": "2025-12-29",
            "publisher": {"@type": "Organization", "name": "Wire Agency"},
        }
    ]


def test_markup_in_a_reviewed_claim_stays_text_in_the_json_ld(story):
    (review,) = reviews(story)
    assert "<script>alert(1)</script>" in review["claimReviewed"]
    scripts = tree(story, "briefings/b1").xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1 and not re.search(r"[<>&\u2028\u2029]", scripts[0].text)


def test_the_review_is_shown_with_its_rationale_and_evidence(story):
    (card,) = tree(story, "briefings/b1").xpath(
        '//article[contains(@class, "record")][.//*[@id="claim-dam-closed"]]'
    )
    (box,) = card.xpath('.//div[@class="review"]')
    assert text(box).startswith(
        "Desk review · false · reviewed 29 Dec 2025 by The desk The desk compared the claim"
    )
    assert box.xpath('.//a[@class="badge badge-false"]/@href') == ["../../glossary/#verdict-false"]
    assert "The dam was open on 2 May" in text(box)


def test_an_opinion_is_shown_as_such_and_never_rated(story):
    (card,) = tree(story, "briefings/b1").xpath(
        '//article[contains(@class, "record")][.//*[@id="claim-peace-far"]]'
    )
    meta = text(card.xpath('.//p[contains(@class, "claim-line")]')[0])
    assert meta.startswith(
        "Opinion by Wire Agency (analysis)"
    )  # the kind in words (reader review 2)
    assert (
        "unverified" not in meta and "In the sources" not in meta
    )  # an opinion is not checked either way
    assert card.xpath(
        './/p[contains(@class, "claim-line")]/a[text()="Wire Agency (analysis)"]/@href'
    ) == ["../../sources/wire/"]


# --- inferred is shown as inferred --------------------------------------------------------------------


def test_inferred_parts_of_a_call_say_so(story):
    (card,) = tree(story, "briefings/b1").xpath(
        '//article[contains(@class, "record")][.//*[@id="call-first-call"]]'
    )
    assert "inferred-record" in card.get("class")
    marks = [text(m) for m in card.xpath('.//span[@class="inferred"]')]
    assert marks == [
        "Call inferred: implied by 'had called'",
        "Dec 2025 (date inferred: from the article's 'earlier this month')",
        "Initiator inferred: from the word 'called'",
        "Links inferred: the desk's reading; the wire does not link them",
    ]


def test_an_inferred_position_date_says_so(story):
    (card,) = tree(story, "briefings/b1").xpath(
        '//article[contains(@class, "record")][.//*[@id="issue-dam"]]'
    )
    assert [text(m) for m in card.xpath('.//span[@class="inferred"]')] == [
        "29 Dec 2025 (date inferred: from the dateline)"
    ]


# --- dates as precise as written ----------------------------------------------------------------------


def test_a_month_is_a_month_in_html_json_and_timeline(story):
    html = page(story, "briefings/b1")
    assert '<time datetime="2025-12">Dec 2025</time>' in html
    for path in (story / "site").rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            assert "2025-12-01" not in path.read_text(encoding="utf-8"), path
    events = {
        e["unique_id"]: e
        for e in json.loads((story / "site/data/timeline.json").read_text())["events"]
    }
    assert events["call-first-call"]["start_date"] == {"year": 2025, "month": 12}
    records = json.loads((story / "site/data/records.json").read_text())
    assert '"date": "2025-12"' in json.dumps(records)


def test_date_fragment_keeps_the_precision_written():
    def date(text):
        return Date().convert(Scalar("content/briefings/x.yaml", 1, 1, text))

    h = Fragments(Archive(), Links("x/"), {}, index=build_index(Archive()))
    assert str(h.date(date("2025-12"))) == '<time datetime="2025-12">Dec 2025</time>'
    assert str(h.date(date("2025"))) == '<time datetime="2025">2025</time>'
    assert str(h.date(date("2025-12-29"))) == '<time datetime="2025-12-29">29 Dec 2025</time>'


# --- figures, labels, provenance, bottom line --------------------------------------------------------


def test_figures_carry_their_qualifier_and_who_put_them(story):
    (card,) = tree(story, "briefings/b1").xpath(
        '//article[contains(@class, "record")][.//*[@id="claim-talks-long"]]'
    )
    items = [text(li) for li in card.xpath('.//ul[@class="figures-list"]/li')]
    assert items == [
        "more than 7 hours — Alice Example, \u201clasted more than 7 hours\u201d",
        "6–8 delegates — Bob Example",
    ]


def test_a_quote_match_is_never_called_verified(story):
    for path in (story / "site").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r">\s*(✓\s*)?verified\s*<", html), path
    html = page(story, "briefings/b1")
    # said once, in the page's legend, not under each of its 4 matched quotes (reader review 2: calm repetition)
    assert html.count('<span class="found"') == 1
    assert html.count(": exact words in source; the passage, highlighted") == 4
    legend = re.search(r'<p class="quote-legend"[^>]*>(.*?)</p>', html, re.S)
    assert legend and "every quote on this page was found word for word" in legend.group(1)


def test_every_badge_links_to_the_glossary_entry_it_names(story):
    glossary = tree(story, "glossary")
    ids = set(glossary.xpath("//dt/@id"))
    badges = tree(story, "briefings/b1").xpath('//a[contains(@class, "badge")]')
    assert len(badges) >= 6
    for badge in badges:
        target = badge.get("href").rsplit("#", 1)[1]
        assert target in ids, target
        assert target.endswith(badge.text_content().replace(" ", "-"))


def test_likelihood_and_confidence_link_to_what_they_mean(story):
    (card,) = tree(story, "briefings/b1").xpath(
        '//article[contains(@class, "record")][.//*[@id="claim-talks-long"]]'
    )
    links = {text(a): a.get("href") for a in card.xpath('.//span[@class="judgement"]/a')}
    assert links == {
        "likely": "../../glossary/#likelihood-likely",
        "moderate": "../../glossary/#confidence-moderate",
    }
    ids = set(tree(story, "glossary").xpath("//dt/@id"))
    assert {"likelihood-likely", "confidence-moderate"} <= ids


def test_source_provenance_is_shown_as_recorded(story):
    wire = text(tree(story, "sources/wire").xpath('//p[@class="meta"]')[0])
    assert wire == "Wire Agency · Jo Writer · Published 29 Dec 2025 · Original"
    memo = tree(story, "sources/memo")
    assert text(memo.xpath('//p[@class="meta"]')[0]).startswith(
        "Publisher not recorded · Published 29 Dec 2025"
    )
    assert "no published headline is recorded" in text(memo.xpath('//p[@class="meta"]')[1])
    listed = [text(li) for li in tree(story, "briefings/b1").xpath('//ul[@class="sources"]/li')]
    assert listed[0].startswith(
        "Talks end without a deal · Wire Agency · Jo Writer · 29 Dec 2025 · original"
    )
    assert listed[1].startswith(
        "Untitled memo dated 29 Dec 2025 (title given by the desk) · publisher not recorded"
    )


def test_the_bottom_line_comes_first_in_bold(story):
    bluf = tree(story, "briefings/b1").xpath('//div[@class="bluf"]')[0]
    first = bluf.xpath("./p")[0]
    assert first.get("class") == "bottom-line" and first.xpath("./strong")
    assert (
        text(first)
        == "Alice and Bob talked for hours without a deal, and Alice's dam claim does not hold."
    )
    assert "Context: the talks went on" not in text(bluf)  # the summary is the context, below
    home = tree(story, "")
    assert "Alice and Bob talked for hours" in text(home.xpath('//div[@class="bluf"]')[0])


# --- the rules ------------------------------------------------------------------------------------------


def test_a_source_without_publisher_or_url_draws_a_warning_and_exit_0(project, cli):
    root = project()
    run = cli(root, "check")
    assert run.code == 0
    assert run.err == (
        "content/sources.yaml:2:5: warning: sources[0]: source 'wire' has neither publisher nor url; "
        "pages will say 'publisher not recorded'. Add whichever is known\n"
    )
    assert run.out.startswith("ok: ")
    root = project({"content/sources.yaml": SOURCES_WITH_PUBLISHER})
    assert cli(root, "check").err == ""


SOURCES_WITH_PUBLISHER = """\
sources:
  - id: wire
    title: Wire story
    publisher: Wire Agency
    published: 2025-12-29
    text: seeds/wire.txt
"""

CLAIM = """\
id: b1
title: First briefing
date: 2025-12-29
summary: Talks go on.
sources: [wire]
claims:
  - id: deal-close
    claimant: alice
    date: 2025-12-29
    statement: A deal is close.
    status: unverified
{extra}"""

REVIEW = """\
    review:
      verdict: accurate
      claim_reviewed: A deal is close.
      date: 2025-12-29
      rationale: Checked.
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "    kind: opinion\n" + REVIEW,
            "content/briefings/b1.yaml:14:7: claims[0].review: only a checkable claim can carry "
            "the desk's review, and this claim is marked as opinion; set kind: fact or remove the review",
        ),
        (
            REVIEW,
            "content/briefings/b1.yaml:13:7: claims[0].review: only a checkable claim can carry the desk's review, "
            "and this claim does not say kind: fact; set kind: fact or remove the review",
        ),
    ],
)
def test_only_a_fact_can_be_reviewed(project, cli, extra, message):
    run = cli(
        project(
            {
                "content/briefings/b1.yaml": CLAIM.format(extra=extra),
                "content/sources.yaml": SOURCES_WITH_PUBLISHER,
            }
        ),
        "check",
    )
    assert run.code == 1
    assert run.lines == [message, "1 error in 1 file"]


def test_a_review_without_claim_reviewed_is_warned(project, cli):
    run = cli(
        project(
            {
                "content/briefings/b1.yaml": CLAIM.format(
                    extra="    kind: fact\n"
                    + REVIEW.replace("      claim_reviewed: A deal is close.\n", "")
                ),
                "content/sources.yaml": SOURCES_WITH_PUBLISHER,
            }
        ),
        "check",
    )
    assert (run.code, run.err) == (
        0,
        "content/briefings/b1.yaml:14:7: warning: claims[0].review: the review gives no claim_reviewed, so the "
        "ClaimReview rates the claim's statement, which reports who said what; write the assertion the desk "
        "rated (claim_reviewed: …)\n",
    )


def test_a_reviewed_fact_passes(project, cli):
    run = cli(
        project(
            {
                "content/briefings/b1.yaml": CLAIM.format(extra="    kind: fact\n" + REVIEW),
                "content/sources.yaml": SOURCES_WITH_PUBLISHER,
            }
        ),
        "check",
    )
    assert (run.code, run.err) == (0, "")


CALL = """\
id: b1
title: First briefing
date: 2025-12-29
summary: Talks go on.
sources: [wire]
calls:
  - id: c1
    date: 2025-12
    kind: phone-call
    participants: [alice, bob]
    summary: A call.
    inferred:
      initiator: from the word 'to'
      related: the desk's reading
"""


def test_an_inference_must_name_something_that_is_there(project, cli):
    run = cli(
        project(
            {"content/briefings/b1.yaml": CALL, "content/sources.yaml": SOURCES_WITH_PUBLISHER}
        ),
        "check",
    )
    assert run.lines == [
        "content/briefings/b1.yaml:13:18: calls[0].inferred.initiator: the call has no initiator to infer; remove this note or add initiator",
        "content/briefings/b1.yaml:14:16: calls[0].inferred.related: the call has no related links to infer; remove this note or add related",
        "2 errors in 1 file",
    ]


def test_the_bottom_line_is_one_short_sentence(project, cli):
    long = "word " * 70
    briefing = CLAIM.format(extra="").replace(
        "summary: Talks go on.", f"bottom_line: {long.strip()}.\nsummary: Talks go on."
    )
    run = cli(
        project(
            {"content/briefings/b1.yaml": briefing, "content/sources.yaml": SOURCES_WITH_PUBLISHER}
        ),
        "check",
    )
    assert run.lines == [
        "content/briefings/b1.yaml:4:14: bottom_line: the bottom line is 350 characters; keep it to one sentence of at most "
        "300 and put the detail in summary or key_points",
        "1 error in 1 file",
    ]


def test_a_key_point_that_repeats_the_bottom_line_draws_a_warning(project, cli):
    briefing = CLAIM.format(extra="").replace(
        "summary: Talks go on.",
        "bottom_line: A deal is close.\nsummary: Talks go on.\nkey_points:\n  - a deal is close\n",
    )
    run = cli(
        project(
            {"content/briefings/b1.yaml": briefing, "content/sources.yaml": SOURCES_WITH_PUBLISHER}
        ),
        "check",
    )
    assert run.code == 0
    assert run.lines == [
        "content/briefings/b1.yaml:7:5: warning: key_points[0]: this key point repeats the bottom line; "
        "key points add what the bottom line leaves out"
    ]


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (
            "value: 8\n        value_max: 6",
            "claims[0].figures[0].value_max: value_max (6) must be greater than value (8) in a range",
        ),
        (
            "value: 6\n        value_max: 8\n        qualifier: more-than",
            "claims[0].figures[0].qualifier: a range (value to value_max) cannot also be 'more-than'; use about or no qualifier",
        ),
    ],
)
def test_a_range_is_a_range(project, cli, figure, message):
    extra = f"    figures:\n      - {figure}\n        unit: hours\n"
    run = cli(
        project(
            {
                "content/briefings/b1.yaml": CLAIM.format(extra=extra),
                "content/sources.yaml": SOURCES_WITH_PUBLISHER,
            }
        ),
        "check",
    )
    assert run.code == 1 and message in run.err


# --- the seed briefing, revised against the fact-check review -------------------------------------------


@pytest.fixture(scope="module")
def seed() -> dict:
    return yaml.safe_load(
        (ROOT / "content/briefings/2025-12-29-trump-putin-second-call.yaml").read_text(
            encoding="utf-8"
        )
    )


def by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def test_seed_makes_no_link_or_fact_the_article_does_not(seed):
    calls = by_id(seed["calls"])
    # F3, second fact-check 6: the first call is only implied: recorded undated, and marked as inferred
    first = calls["trump-putin-call-1"]
    assert first["date"] == "unknown" and "a second phone call" in first["inferred"]["call"]
    assert not first.get("readouts") and not first.get("related")
    call = calls["trump-putin-call-2"]
    assert "initiator" not in call  # F4: inferred from one preposition
    assert not {"russia-novgorod-residence-drone-attack", "russia-negotiating-position"} & set(
        call.get("related", [])
    )  # F1
    assert "trump-putin-call-2" not in by_id(seed["open_issues"])[
        "russia-negotiating-position"
    ].get("related", [])
    for c in seed["calls"]:  # F9: the dates are the desk's inference from the dateline
        assert c["date"] == "unknown" or "date" in c.get("inferred", {}), c["id"]
    # second fact-check, 2 and 3: neither party gave a readout of either contact; the remarks are claims
    assert [r for c in seed["calls"] for r in c.get("readouts", [])] == []
    meeting = calls["trump-zelenskyy-florida-meeting"]
    assert "Trump-Zelensky Meet" in meeting["inferred"]["related"]  # second fact-check, 4


def test_seed_claims_are_attributed_and_worded_as_the_article_has_them(seed):
    claims = by_id(seed["claims"])
    guarantees = claims["security-guarantees-many-years"]
    assert "Trump and Zelenskyy" in guarantees["title"] and "possible" in guarantees["title"]  # F5
    # second fact-check, 1: the joint remark is one claim of both leaders, a characterisation
    assert guarantees["claimant"] == ["trump", "zelenskyy"]
    assert guarantees["kind"] == "characterisation"
    # F6 and second fact-check 10, 11: the source's "refuted" only in its own quotation marks, the status
    # explained; the denial (a fact) apart from the characterisation
    denial = claims["zelenskyy-drone-claim-lie"]
    assert '"refuted"' not in denial["statement"] and "refuted Moscow" in denial["statement"]
    assert 'The status is "disputed"' in denial["statement"] and denial["kind"] == "fact"
    assert claims["zelenskyy-turn-back-the-clock"]["kind"] == "characterisation"
    review = claims["russia-novgorod-residence-drone-attack"]["review"]
    assert review["claim_reviewed"].startswith("Ukraine attacked")  # second fact-check, 9
    assert "limited to the only source" in review["rationale"] and "Kyiv" not in review["rationale"]
    assert "supports" not in claims["lavrov-state-terrorism"]  # F8: the same government
    assert not claims["lavrov-state-terrorism"]["title"].startswith("Lavrov: the alleged")  # F18
    kinds = {cid: c.get("kind") for cid, c in claims.items()}
    assert (
        kinds["trump-talks-final-stages"] == kinds["lavrov-state-terrorism"] == "characterisation"
    )  # F7
    assert kinds["article-peace-far-away"] == "opinion"
    for cid, c in claims.items():
        if "review" in c:
            assert c["kind"] == "fact" and len(c["review"]["rationale"]) > 100, cid


def test_seed_has_no_unattributed_verdict_and_no_context_as_issue(seed):
    issues = by_id(seed["open_issues"])
    # F2, second fact-check 8: "at risk" only where the briefing names who says so
    for i in issues.values():
        if i["status"] == "at-risk":
            assert "Lavrov said" in i["summary"] and "Zelenskyy" in i["summary"], i["id"]
    # second fact-check 7: the article's "main issues", each as the article's characterisation
    settlement = issues["overall-settlement"]
    assert [p["actor"] for p in settlement["positions"]] == ["russia", "ukraine"]
    assert all("in the article's words" in p["position"] for p in settlement["positions"])
    assert (
        issues["russia-negotiating-position"]["title"]
        == "Effect of the residence-attack claim on the talks"
    )
    assert "mutual-trust" not in issues  # F11: context, now a key point
    for iid in ("territory", "russian-troops"):
        assert not issues[iid].get("positions"), iid  # F19: recognitions, not stances


def test_seed_bottom_line_is_one_sentence_and_the_key_points_carry_the_rest(seed):
    line = seed["bottom_line"]
    assert len(line) <= 300 and line.count(". ") == 0 and line.endswith(".")
    assert "only from Moscow" in line and "lie" in line  # F15, F13
    points = " ".join(seed["key_points"])
    for words in (
        "turn back the clock",
        "reason to continue assaults",
        "diplomatic channels are still open",
        "maximalist demands",
        "insistence on sovereignty",
        "encouraging the two leaders",
    ):
        assert words in points, words  # F13, F14, F20
    assert (
        "drone" in seed["title"] and "calls it a lie" in seed["title"]
    )  # F17, second fact-check 11
    assert "undo the progress" not in points  # second fact-check 5
    assert (
        "no exact date for the first" not in seed["summary"]
    )  # F16: no editor's note in the bottom line


def test_seed_source_and_registry_say_nothing_they_do_not_know():
    sources = yaml.safe_load((ROOT / "content/sources.yaml").read_text(encoding="utf-8"))["sources"]
    (source,) = sources
    assert "headline" not in source and source["title"].startswith(
        "Untitled article dated 29 Dec 2025"
    )  # F10
    actors = yaml.safe_load((ROOT / "content/actors.yaml").read_text(encoding="utf-8"))["actors"]
    ids = {a["id"] for a in actors}
    assert not {"source-article", "russian-foreign-ministry", "united-states"} & ids  # F21
    # second fact-check 7: Ukraine is an actor for the article's characterisation of its stance
    assert "ukraine" in ids
    wikidata = {a["id"]: a.get("wikidata") for a in actors}
    assert (wikidata["zelenskyy"], wikidata["lavrov"]) == (
        "Q3874799",
        "Q58217",
    )  # second fact-check
    content = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "content").rglob("*.yaml"))
    assert "seed" not in content.lower().replace("seeds/", "")


def test_a_warning_is_an_annotation_in_github_format(project, cli):
    run = cli(project(), "check", "--format", "github")
    assert run.code == 0
    assert run.out.splitlines()[1] == (
        "::warning file=content/sources.yaml,line=2,col=5,title=briefing check::sources[0]: source 'wire' has "
        "neither publisher nor url; pages will say 'publisher not recorded'. Add whichever is known"
    )


@pytest.mark.parametrize(
    "verdict, rating",
    [
        ("false", 1),
        ("misleading", 2),
        ("mixed", 3),
        ("mostly-accurate", 4),
        ("accurate", 5),
        ("unproven", None),
    ],
)
def test_each_verdict_has_its_rating(project, verdict, rating):
    """Every verdict of the format pinned to its ClaimReview rating; unproven carries its word alone."""
    from generator.check.checker import check_project
    from generator.data.jsonld import claim_review
    from generator.data.published import Published
    from generator.format.schema import REVIEW_VERDICTS
    from generator.project import find_project

    assert verdict in REVIEW_VERDICTS
    root = project(
        {
            "content/briefings/b1.yaml": CLAIM.format(
                extra="    kind: fact\n"
                + REVIEW.replace("verdict: accurate", f"verdict: {verdict}")
            ),
            "content/sources.yaml": SOURCES_WITH_PUBLISHER,
        }
    )
    archive = check_project(find_project(root))
    claim = archive.briefings[0].claims[0]
    expected: dict = {"@type": "Rating", "alternateName": verdict.replace("-", " ")}
    if rating is not None:
        expected.update(ratingValue=rating, worstRating=1, bestRating=5)
    assert claim_review(archive, claim, Published("Test", ""))["reviewRating"] == expected


def test_every_verdict_is_pinned_above():
    from generator.format.schema import REVIEW_VERDICTS

    assert len(REVIEW_VERDICTS) == 6


# --- marks that travel with their facts (format 1.2) ----------------------------------------------------


def test_an_inferred_date_is_marked_wherever_it_is_plain_text(seed_site):
    """Call titles (reused in Related links, issue and actor pages) and timeline.json carry the mark."""
    import json

    trump = (seed_site / "site" / "actors" / "trump" / "index.html").read_text(encoding="utf-8")
    assert "Phone call: Donald Trump – Vladimir Putin, 29 Dec 2025 (date inferred)" in trump
    assert "Vladimir Putin, 29 Dec 2025<" not in trump
    events = json.loads(
        (seed_site / "site" / "data" / "timeline.json").read_text(encoding="utf-8")
    )["events"]
    inferred = [e for e in events if "28 Dec 2025" in e["display_date"]]
    assert inferred and all(e["display_date"].endswith("(date inferred)") for e in inferred)


def test_a_claim_other_than_a_fact_shows_no_evidence_status(seed_site):
    """The actor page and timeline.json say what the claim is, never 'unverified' on a characterisation."""
    import json

    lavrov = (seed_site / "site" / "actors" / "lavrov" / "index.html").read_text(encoding="utf-8")
    row = lavrov[lavrov.index("Claim ") : lavrov.index("</tr>", lavrov.index("Claim "))]
    assert "characterisation" in row and "unverified" not in row
    events = json.loads(
        (seed_site / "site" / "data" / "timeline.json").read_text(encoding="utf-8")
    )["events"]
    texts = [e["text"]["text"] for e in events]
    assert any("Sergey Lavrov · characterisation" in t for t in texts)
    assert not any("Sergey Lavrov · unverified" in t for t in texts)
    assert any("Government of Russia · disputed · desk review: unproven" in t for t in texts)


def test_the_about_page_uses_only_the_words_the_site_shows(seed_site):
    """Every term the About page explains in italics is a glossary word or a mark the pages print, and every
    evidence status and claim kind is explained: the two cannot disagree (second fact-check, 15)."""
    from generator.format.schema import GLOSSARY

    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    terms = set(re.findall(r"(?<!\*)\*([^*\n]+)\*(?!\*)", about))
    words = {value.replace("-", " ") for _, _, _, values in GLOSSARY for value in values}
    briefing = (
        seed_site / "site" / "briefings" / "2025-12-29-trump-putin-second-call" / "index.html"
    ).read_text(encoding="utf-8")
    source = (
        seed_site / "site" / "sources" / "article-2025-12-29-second-call" / "index.html"
    ).read_text(encoding="utf-8")
    marks = {
        "exact words in source",
        "words not checked",
        "date inferred",
        "publisher not recorded",
    }
    assert terms - words <= marks, terms - words - marks
    from generator.pages import fragments

    printed = briefing + source.lower() + fragments._UNCHECKED
    assert all(m in printed for m in marks), [m for m in marks if m not in printed]
    glossary = dict((key, values) for key, _, _, values in GLOSSARY)
    for key in ("evidence", "kind"):
        assert set(glossary[key]) <= terms, key
