"""`briefing source add`: a saved web page, a PDF or a text file becomes a verified, quotable source."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ACTORS, BRIEFING, SEED, SOURCES, write_project

NEWS = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ceasefire holds along the border | Harbour Post</title>
<meta property="og:title" content="Ceasefire holds along the border">
<meta property="og:site_name" content="Harbour Post">
<meta property="og:url" content="https://harbourpost.example/2025/07/28/ceasefire-holds">
<link rel="canonical" href="https://harbourpost.example/2025/07/28/ceasefire-holds">
<meta name="author" content="Mira Tan">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Ceasefire holds along the border","datePublished":"2025-07-28T09:30:00+07:00",
"author":{"@type":"Person","name":"Mira Tan"},"publisher":{"@type":"Organization","name":"Harbour Post"}}</script>
<script>alert(document.cookie)</script>
</head><body onload="alert(1)">
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><article>
<h1>Ceasefire holds along the border</h1>
<p>The ceasefire between the Harbour Republic and the Ridge State held overnight, both governments said on
Monday, after a week of shelling that displaced thousands of villagers.</p>
<p>"Not a single shot was fired after midnight," a spokesman for the Harbour Republic's defence ministry told
reporters in the capital.</p>
<p>The Ridge State's foreign ministry said its troops would stay in their positions until observers arrived,
and accused its neighbour of moving artillery closer to the line.</p>
<aside class="newsletter">Sign up for our newsletter! Get the best stories every morning.</aside>
<p>Talks between the two sides are due to resume in Kuala Lumpur on Thursday.</p>
</article></main>
<section class="related"><h2>Related</h2><ul><li><a href="/a">Border clashes kill 12</a></li>
<li><a href="/b">Who is the Ridge State's new leader?</a></li></ul></section>
<footer>&copy; 2025 Harbour Post. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>
"""
DATELINE = """\
<html><head><title>Talks stall as both sides trade accusations</title></head>
<body><div>
<p>KUALA LUMPUR, 31 July 2025 - Talks between the Harbour Republic and the Ridge State stalled on Thursday as
each side accused the other of breaking the ceasefire.</p>
<p>Officials from both delegations left the venue without a joint statement, and no date was set for a new
round.</p>
<p>Observers from the regional bloc are expected at the border next week.</p>
</div></body></html>
"""


def pdf(lines: list[str], info: dict[str, str]) -> bytes:
    """A one-page PDF with a text layer (one line per ``lines``; an empty one leaves a gap) and an Info dict."""

    def escaped(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        ops.append(f"({escaped(line)}) Tj T*" if line else "T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ("<< " + " ".join(f"/{k} ({escaped(v)})" for k, v in info.items()) + " >>").encode(
            "latin-1"
        ),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


REPORT = pdf(
    [
        "The monitoring mission counted 14 violations of the ceasefire in the first week,",
        "most of them small-arms fire near the river crossing.",
        "",
        "Both governments have agreed to let the observers visit the front line.",
    ],
    {
        "Title": "First weekly report of the monitoring mission",
        "Author": "Regional Monitoring Mission",
        "CreationDate": "D:20250804120000Z",
    },
)


@pytest.fixture
def desk(tmp_path) -> Path:
    return write_project(
        tmp_path / "desk",
        {
            "content/actors.yaml": ACTORS,
            "content/sources.yaml": "# Every text the briefings draw on.\n" + SOURCES,
            "seeds/wire.txt": SEED,
            "content/briefings/b1.yaml": BRIEFING,
        },
    )


def saved(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_a_saved_news_page_gives_its_article_and_what_it_states(desk, tmp_path, cli):
    page = saved(tmp_path, "Ceasefire holds.html", NEWS)
    before = (desk / "content" / "sources.yaml").read_text(encoding="utf-8")
    run = cli(desk, "source", "add", str(page))
    assert run.code == 0, run.err
    seed = desk / "seeds" / "harbour-post-2025-07-28-ceasefire-holds-along-the-border.txt"
    assert seed.read_text(encoding="utf-8") == (
        "Ceasefire holds along the border\n\n"
        "The ceasefire between the Harbour Republic and the Ridge State held overnight, both governments said on "
        "Monday, after a week of shelling that displaced thousands of villagers.\n\n"
        '"Not a single shot was fired after midnight," a spokesman for the Harbour Republic\'s defence ministry '
        "told reporters in the capital.\n\n"
        "The Ridge State's foreign ministry said its troops would stay in their positions until observers "
        "arrived, and accused its neighbour of moving artillery closer to the line.\n\n"
        "Talks between the two sides are due to resume in Kuala Lumpur on Thursday.\n"
    )
    after = (desk / "content" / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # the file's comments and layout kept, the entry appended
    assert after[len(before) :] == (
        "  - id: harbour-post-2025-07-28-ceasefire-holds-along-the-border\n"
        "    title: Ceasefire holds along the border\n"
        "    headline: Ceasefire holds along the border\n"
        "    publisher: Harbour Post\n"
        "    author: Mira Tan\n"
        "    published: 2025-07-28\n"
        "    url: https://harbourpost.example/2025/07/28/ceasefire-holds\n"
        "    text: seeds/harbour-post-2025-07-28-ceasefire-holds-along-the-border.txt\n"
    )
    assert "ok: added source 'harbour-post-2025-07-28-ceasefire-holds-along-the-border'" in run.out
    assert 'briefing quote "The ceasefire between the Harbour Republic"' in run.out
    quote = cli(desk, "quote", "Not a single shot was fired after midnight")
    assert quote.code == 0 and "harbour-post-2025-07-28" in quote.out
    assert "cookies" not in seed.read_text() and "newsletter" not in seed.read_text()
    assert "alert" not in after + seed.read_text() and "Related" not in seed.read_text()
    assert cli(desk, "check").code == 0


def test_a_page_with_only_a_title_and_a_dateline_marks_the_date_inferred_and_says_what_is_missing(
    desk, tmp_path, cli
):
    page = saved(tmp_path, "talks.htm", DATELINE)
    run = cli(desk, "source", "add", str(page))
    assert run.code == 0, run.err
    entry = (desk / "content" / "sources.yaml").read_text(encoding="utf-8").split("  - id: ")[-1]
    assert entry == (
        "2025-07-31-talks-stall-as-both-sides-trade\n"
        "    title: Talks stall as both sides trade accusations\n"
        "    headline: Talks stall as both sides trade accusations\n"
        "    published: 2025-07-31\n"
        "    text: seeds/2025-07-31-talks-stall-as-both-sides-trade.txt\n"
        "    inferred:\n"
        "      published: read in the text's dateline; the page's metadata gives no date\n"
    )
    assert (
        "the page does not state its publisher, author or url: give --publisher and --url where you know them"
        in run.out
    )
    assert (
        "the date 2025-07-31 was read in the text (a dateline), and is marked as inferred"
        in run.out
    )
    check = cli(desk, "check")
    assert check.code == 0
    assert "has neither publisher nor url" in check.err  # the existing provenance warning follows
    quote = cli(desk, "quote", "no date was set for a new round")
    assert quote.code == 0, quote.err


def test_a_pdf_gives_its_text_in_paragraphs_and_its_metadata(desk, tmp_path, cli):
    report = saved(tmp_path, "report.pdf", REPORT)
    run = cli(desk, "source", "add", str(report), "--publisher", "Regional Monitoring Mission")
    assert run.code == 0, run.err
    name = (
        "regional-monitoring-mission-2025-08-04-first-weekly-report"  # at most 60 characters: an id
    )
    seed = desk / "seeds" / f"{name}.txt"
    assert seed.read_text(encoding="utf-8") == (
        "First weekly report of the monitoring mission\n\n"
        "The monitoring mission counted 14 violations of the ceasefire in the first week, most of them "
        "small-arms fire near the river crossing.\n\n"
        "Both governments have agreed to let the observers visit the front line.\n"
    )
    entry = (desk / "content" / "sources.yaml").read_text(encoding="utf-8")
    assert "    author: Regional Monitoring Mission\n    published: 2025-08-04\n" in entry
    assert cli(desk, "quote", "most of them small-arms fire near the river crossing").code == 0


def test_a_text_file_with_options(desk, tmp_path, cli):
    text = saved(
        tmp_path,
        "statement.txt",
        "\ufeffStatement of the Ridge State\r\n\r\nThe Ridge State will not withdraw\r\nits troops.\r\n",
    )
    run = cli(
        desk,
        "source",
        "add",
        str(text),
        "--id",
        "ridge-statement",
        "--url",
        "https://ridge.example/statement",
        "--publisher",
        "Ridge State foreign ministry",
        "--published",
        "2025-08-01",
    )
    assert run.code == 0, run.err
    seed = desk / "seeds" / "ridge-state-foreign-2025-08-01.txt"
    assert seed.read_text(encoding="utf-8") == (
        "Statement of the Ridge State\n\nThe Ridge State will not withdraw its troops.\n"
    )
    entry = (desk / "content" / "sources.yaml").read_text(encoding="utf-8").split("  - id: ")[-1]
    assert entry.startswith(
        "ridge-statement\n    title: Untitled text of 2025-08-01 from Ridge State foreign ministry\n"
    )
    assert cli(desk, "quote", "will not withdraw its troops").code == 0


def test_the_same_page_twice_changes_nothing_and_names_the_first(desk, tmp_path, cli):
    page = saved(tmp_path, "a.html", NEWS)
    assert cli(desk, "source", "add", str(page)).code == 0
    files = {p: p.read_bytes() for p in (desk / "content").rglob("*") if p.is_file()}
    seeds = sorted((desk / "seeds").iterdir())
    again = cli(desk, "source", "add", str(page))
    assert again.code == 1
    assert again.err == (
        "briefing: source 'harbour-post-2025-07-28-ceasefire-holds-along-the-border' already has this address "
        "(https://harbourpost.example/2025/07/28/ceasefire-holds); nothing was changed\n"
    )
    copy = saved(
        tmp_path,
        "b.html",
        NEWS.replace("og:url", "og:nothing").replace('rel="canonical"', 'rel="x"'),
    )
    same_text = cli(desk, "source", "add", str(copy))
    assert same_text.code == 1
    assert (
        "already has this text (seeds/harbour-post-2025-07-28-ceasefire-holds-along-the-border.txt)"
        in (same_text.err)
    )
    assert {p: p.read_bytes() for p in (desk / "content").rglob("*") if p.is_file()} == files
    assert sorted((desk / "seeds").iterdir()) == seeds


def test_a_failure_leaves_sources_and_seeds_as_they_were(desk, tmp_path, cli, monkeypatch):
    from generator import intake

    page = saved(tmp_path, "a.html", NEWS)
    before = (desk / "content" / "sources.yaml").read_bytes()
    seeds = sorted((desk / "seeds").iterdir())

    def broken(project):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("generator.check.checker.check_project", broken)
    with pytest.raises(OSError):
        intake.add_source(__import__("generator.project", fromlist=["x"]).find_project(desk), page)
    assert (desk / "content" / "sources.yaml").read_bytes() == before
    assert sorted((desk / "seeds").iterdir()) == seeds


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "a.docx",
            b"PK",
            "a.docx: a source comes from a saved web page (.html, .htm), a PDF (.pdf) or a text file (.txt)",
        ),
        (
            "empty.html",
            "<html><body><nav>Home</nav></body></html>",
            "empty.html: no article text found in it",
        ),
        ("deep.html", "<div>" * 100_000 + "text" + "</div>" * 100_000, "deep.html: no article"),
        ("bad.pdf", b"%PDF-1.4 not really", "bad.pdf: its text could not be read"),
        (
            "latin.txt",
            "caf\xe9".encode("latin-1"),
            "latin.txt is not UTF-8 text (byte 3); save it as UTF-8",
        ),
    ],
)
def test_what_cannot_be_a_source_is_refused_and_changes_nothing(
    desk, tmp_path, cli, name, data, message
):
    path = saved(tmp_path, name, data)
    before = (desk / "content" / "sources.yaml").read_bytes()
    run = cli(desk, "source", "add", str(path), "--published", "2025-08-01")
    assert run.code in (1, 2)
    assert run.err.startswith(f"briefing: {message}"), run.err
    assert (desk / "content" / "sources.yaml").read_bytes() == before
    assert sorted(p.name for p in (desk / "seeds").iterdir()) == ["wire.txt"]


def test_a_link_farm_gives_no_article(desk, tmp_path, cli):
    farm = (
        "<html><body>"
        + "".join(f'<p><a href="/x{i}">link {i}</a></p>' for i in range(5000))
        + "</body></html>"
    )
    run = cli(
        desk, "source", "add", str(saved(tmp_path, "farm.html", farm)), "--published", "2025-08-01"
    )
    assert run.code == 1 and "no article text found" in run.err


def test_the_guides_first_step_adds_the_saved_page_as_the_guide_says(desk, tmp_path, cli):
    """CONTRIBUTING's first step, its command line as typed, on a saved page: the text's name is the one it shows."""
    import re
    import shlex

    from conftest import ROOT

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    step = guide[guide.index("1. **Add the source.**") : guide.index("2. **Or by hand**")]
    line = re.search(r"\$ (briefing source add .*)", step)[1]  # type: ignore[index]
    args = shlex.split(line)
    assert args[:3] == ["briefing", "source", "add"]
    page = saved(tmp_path, Path(args[3]).name, NEWS)
    run = cli(desk, *args[1:3], str(page))
    assert run.code == 0, run.err
    shown = re.search(r"`(seeds/harbour-post[^`]+)`", step)[1]  # type: ignore[index]
    assert (desk / shown).is_file()


def test_a_page_in_another_encoding_is_read_as_its_charset_says(desk, tmp_path, cli):
    page = (
        '<html><head><meta charset="windows-1251"><title>Переговоры продолжаются</title></head><body><article>'
        "<p>Переговоры между делегациями продолжились в понедельник в столице, сообщили обе стороны.</p>"
        "<p>Следующий раунд назначен на четверг, добавили представители министерства.</p>"
        "</article></body></html>"
    ).encode("cp1251")
    run = cli(
        desk, "source", "add", str(saved(tmp_path, "ru.html", page)), "--published", "2025-08-02"
    )
    assert run.code == 0, run.err
    (seed,) = [p for p in (desk / "seeds").iterdir() if p.name != "wire.txt"]
    assert seed.name == "2025-08-02.txt"  # no latin letters to name it by: the date
    assert "Следующий раунд назначен на четверг" in seed.read_text(encoding="utf-8")
    assert cli(desk, "quote", "Следующий раунд назначен на четверг").code == 0
