"""The generated site: golden Markdown, real MkDocs builds, search entries, writes, failures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pagefind_index
import pytest
from conftest import ROOT, built_site, hidden_entries, site_project

from generator.output.generate import generate
from generator.output.write import MANIFEST, existing_files
from generator.project import find_project

CASES = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden"
SEED_BRIEFING = "2025-12-29-trump-putin-second-call"


def html(root: Path, page: str) -> str:
    return (root / "site" / page / "index.html").read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for rel, p in existing_files(folder).items()}


# --- golden Markdown ---------------------------------------------------------------


def test_seed_docs_match_golden(seed_site, golden):
    docs = seed_site / "docs"
    files = sorted(rel for rel in existing_files(docs) if rel != MANIFEST)
    golden(GOLDEN / "seed" / "FILES.txt", "\n".join(files) + "\n")
    for rel in (
        f"briefings/{SEED_BRIEFING}.md",
        "index.md",
        "issues/security-guarantees.md",
        "sources/article-2025-12-29-second-call.md",
        "actors/zelenskyy.md",
    ):
        golden(GOLDEN / "seed" / rel, (docs / rel).read_text(encoding="utf-8"))


# --- the seed site ------------------------------------------------------------------


def test_every_page_kind_is_built(seed_site):
    for page in (
        "",
        "briefings",
        f"briefings/{SEED_BRIEFING}",
        "actors",
        "actors/putin",
        "issues",
        "issues/territory",
        "claims",
        "timeline",
        "sources",
        "sources/article-2025-12-29-second-call",
        "tags",
        "pages",
        "pages/about",
        "stories/russia-ukraine-peace-talks",
    ):
        assert (seed_site / "site" / page / "index.html").is_file(), page


def test_briefing_page_has_anchored_records_and_badges(seed_site):
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    for anchor in (
        "claim-russia-novgorod-residence-drone-attack",
        "call-trump-putin-call-2",
        "issue-territory",
    ):
        assert f'id="{anchor}"' in page
    assert (
        '<a class="badge badge-disputed" data-kind="evidence" href="../../glossary/#evidence-disputed" '
        'title="Another party contests it (see &#34;Disputed by&#34; on the claim).">disputed</a>'
        in page
    )
    assert (
        '<a class="badge badge-under-discussion" data-kind="issue" href="../../glossary/#issue-under-discussion" '
        'title="Reported as being negotiated.">under discussion</a>' in page
    )
    # every badge carries its glossary meaning as a tooltip (reader review 2)
    from generator.format.schema import GLOSSARY

    meanings = {
        (kind, word): text for kind, _, _, words in GLOSSARY for word, text in words.items()
    }
    for kind, word, title in re.findall(
        r'<a class="badge badge-[^"]+" data-kind="([^"]+)" href="[^"]+#[a-z]+-([a-z-]+)" title="([^"]*)">',
        page,
    ):
        assert unescape(title) == meanings[kind, word], (kind, word)
    glossary_badges = re.findall(
        r'class="badge [^"]+" data-kind="[^"]+" href="[^"]+"( title="[^"]+")?>', page
    )
    assert glossary_badges and all(glossary_badges), "a glossary badge without its meaning"


def test_dispute_is_linked_both_ways(seed_site):
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    moscow = page[page.index('id="claim-russia-novgorod-residence-drone-attack"') :]
    moscow = moscow[: moscow.index("</article>")]
    assert "Disputed by" in moscow and 'href="#claim-zelenskyy-drone-claim-lie"' in moscow
    zel = page[page.index('id="claim-zelenskyy-drone-claim-lie"') :]
    zel = zel[: zel.index("</article>")]
    assert "Disputes" in zel and 'href="#claim-russia-novgorod-residence-drone-attack"' in zel


def test_every_quote_links_to_a_highlighted_span(seed_site):
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    source = html(seed_site, "sources/article-2025-12-29-second-call")
    links = re.findall(
        r'href="\.\./\.\./sources/article-2025-12-29-second-call/#(q-\d+-\d+)"', page
    )
    assert len(links) >= 25
    seed = (ROOT / "seeds" / "000_df2e1741c8bfd2fe.txt").read_text(encoding="utf-8")
    for anchor in set(links):
        assert f'id="{anchor}"' in source, anchor
        start, end = map(int, anchor.split("-")[1:])
        mark = re.search(rf'<mark id="{anchor}">(.*?)</mark>', source)
        if mark:  # the first segment of the span carries the id
            assert seed[start:end].startswith(
                mark.group(1).replace("&#39;", "'")[:10].replace("&amp;", "&")
            )


@pytest.fixture(scope="module")
def with_repository(tmp_path_factory):
    """The seed site of a desk that names its repository in mkdocs.yml (the shipped one names none)."""
    root = site_project(tmp_path_factory.mktemp("repo"), ROOT)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "repo_url: https://github.com/example/briefings\nedit_uri: edit/main/\n",
        encoding="utf-8",
    )
    from generator.output.build import build_site
    from generator.project import find_project

    build_site(find_project(root))
    return root


def test_edit_links_point_at_the_yaml(with_repository):
    seed_site = with_repository
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    assert (
        f'href="https://github.com/example/briefings/edit/main/content/briefings/{SEED_BRIEFING}.yaml"'
        in page
    )
    assert "edit/main/content/actors.yaml" in html(seed_site, "actors/putin")
    assert "edit/main/content/pages/about.md" in html(seed_site, "pages/about")
    assert "edit/main/" not in html(seed_site, "")  # home is computed, not edited


def test_navigation_never_lists_briefings(seed_site):
    for page in ("", f"briefings/{SEED_BRIEFING}", "actors/putin"):
        nav = (
            html(seed_site, page)
            .split('<nav class="md-nav md-nav--primary"', 1)[1]
            .split("</nav>", 1)[0]
        )
        assert SEED_BRIEFING not in nav


def test_each_record_is_its_own_search_entry(seed_site):
    """Each record's heading carries its id: Pagefind makes it a result of its own that lands on the record, and
    the line under it (kind, claimant, status, verdict) is indexed and carries the id the result reads it by."""
    briefing = pagefind_index.page(seed_site / "site", f"/briefings/{SEED_BRIEFING}/")
    anchors = {a["id"]: a for a in briefing["anchors"]}
    for anchor in (
        "claim-russia-novgorod-residence-drone-attack",
        "claim-lavrov-state-terrorism",
        "call-trump-zelenskyy-florida-meeting",
        "issue-russian-troops",
    ):
        assert anchors[anchor]["element"] == "h3"
        assert f"{anchor}.line" in anchors
    line = anchors["claim-russia-novgorod-residence-drone-attack.line"]["text"]
    assert line.startswith(
        "Factual claim by Government of Russia · In the sources: disputed · Desk review: unproven · 29 Dec 2025"
    ), line
    assert "Desk review: unproven" in briefing["content"]


def test_search_leaves_out_what_material_s_search_leaves_out_but_keeps_source_texts(seed_site):
    """Links to other records ("Related: …"), the changes and the page's own contents list are not searched;
    the source's text is (a phrase from the article finds it)."""
    briefing = pagefind_index.page(seed_site / "site", f"/briefings/{SEED_BRIEFING}/")
    assert "Related:" not in briefing["content"]
    assert "On this page" not in briefing["content"]
    source = pagefind_index.page(seed_site / "site", "/sources/article-2025-12-29-second-call/")
    assert "trying to turn back the clock on his meeting with Trump" in source["content"]
    urls = {p["url"] for p in pagefind_index.pages(seed_site / "site")}
    assert (
        "/" not in urls and "/claims/" not in urls
    )  # pages whose front matter leaves them out of search


def test_actor_aliases_are_searchable(seed_site):
    """An actor's other names are on its page, and hidden beside each claim it makes, for search alone."""
    actor = pagefind_index.page(seed_site / "site", "/actors/zelenskyy/")
    assert "Zelensky," in actor["content"]
    briefing = pagefind_index.page(seed_site / "site", f"/briefings/{SEED_BRIEFING}/")
    assert "Also known as: Russia, Moscow, Kremlin" in briefing["content"]
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    assert (
        '<p class="search-terms" aria-hidden="true">Also known as: Russia, Moscow, Kremlin</p>'
        in page
    )


# --- text is text (archive fixture with pasted markup) -------------------------------


def test_markup_in_content_is_shown_as_typed(archive_site):
    page = html(archive_site, "briefings/port-strike-2031-05-11")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert (
        "<title>Halvik strike, day 2: *stars* of the picket line [a link](javascript:alert(1)) - Briefings</title>"
        in page
    )
    assert "<em>stars</em>" not in page
    for path in (archive_site / "site").rglob("*.html"):
        assert 'href="javascript:' not in path.read_text(encoding="utf-8"), path


def test_search_index_holds_the_typed_text(archive_site):
    """Pagefind's index holds the words as typed, markup included, as text: the search script puts them on the
    page as text (test_search_browser.py runs the payload through the search box)."""
    texts = " ".join(p["content"] for p in pagefind_index.pages(archive_site / "site"))
    assert "<script>alert(1)</script>" in texts or "&lt;script&gt;alert(1)&lt;/script&gt;" in texts


def test_threads_show_their_history(archive_site):
    tracker = html(archive_site, "issues/site-inspection")
    assert tracker.count("dam-dispute-2031-04-0") >= 3  # one row per briefing of the thread
    union = html(archive_site, "actors/halvik-dockers-union")
    row = next(r for r in union.split("<tr>") if "claim-union-turnout" in r)
    assert re.findall(
        r'data-kind="evidence" href="[^"]+"(?: title="[^"]*")?>([a-z ]+)</a>', row
    ) == [
        "unverified",
        "disputed",
    ]  # the status path
    assert "(3 briefings)" in row


def test_figures_show_the_number_changing(archive_site):
    page = html(archive_site, "briefings/port-strike-2031-05-12")
    figures = re.search(r'<div class="figures">(.*?)</div>', page, re.S).group(1)
    numbers = re.findall(r"<strong>(\d+)</strong>", figures)
    assert numbers[:3] == ["120", "240", "312"]


# --- writing ----------------------------------------------------------------------------


def test_noop_regeneration_writes_nothing(seed_site):
    project = find_project(seed_site)

    def state():
        files = {
            rel: (p.stat().st_ino, p.stat().st_mtime_ns)
            for rel, p in existing_files(seed_site / "docs").items()
        }
        return files, (seed_site / "docs").stat().st_ino

    before = state()
    result = generate(project)
    assert result.report.written == () and result.report.removed == ()
    assert state() == before  # not a file rewritten, not even the folder swapped


def test_noop_without_manifest_compares_bytes_and_writes_nothing(seed_site):
    (seed_site / "docs" / MANIFEST).unlink()
    before = {rel: p.stat().st_ino for rel, p in existing_files(seed_site / "docs").items()}
    result = generate(find_project(seed_site))
    assert result.archive is not None  # a full run, not the shortcut
    assert result.report.written == () and result.report.removed == ()
    after = {
        rel: p.stat().st_ino
        for rel, p in existing_files(seed_site / "docs").items()
        if rel != MANIFEST
    }
    assert before == after


def test_tampered_docs_are_regenerated(tmp_path):
    root = site_project(tmp_path, ROOT)
    project = find_project(root)
    generate(project)
    (root / "docs" / "timeline" / "index.md").unlink()
    report = generate(project).report
    assert report.written == ("timeline/index.md",)


def test_changed_and_stale_files(tmp_path):
    root = site_project(tmp_path, ROOT)
    project = find_project(root)
    generate(project)
    putin = root / "docs" / "actors" / "putin.md"
    kept = (putin.stat().st_ino, putin.stat().st_mtime_ns)
    (root / "docs" / "stale.md").write_text("x")
    briefing = root / "content" / "briefings" / f"{SEED_BRIEFING}.yaml"
    briefing.write_text(briefing.read_text().replace("status: developing", "status: stable", 1))
    report = generate(project).report
    assert "stale.md" in report.removed
    assert f"briefings/{SEED_BRIEFING}.md" in report.written
    assert "actors/putin.md" not in report.written
    assert (
        putin.stat().st_ino,
        putin.stat().st_mtime_ns,
    ) == kept  # unchanged files are not rewritten


@pytest.mark.slow
def test_generation_is_independent_of_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        root = (
            site_project(tmp_path / seed, CASES / "archive")
            if (tmp_path / seed).mkdir() is None
            else None
        )
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "TZ": "Asia/Tokyo" if seed == "1" else "America/Lima",
        }
        subprocess.run(
            [sys.executable, "-m", "generator", "generate"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(snapshot(root / "docs"))
    assert outputs[0] == outputs[1]


# --- failures leave the last good output -----------------------------------------------


@pytest.mark.slow
def test_content_error_leaves_docs_and_site_untouched(tmp_path, cli):
    root = built_site(tmp_path, ROOT)
    docs, site = snapshot(root / "docs"), snapshot(root / "site")
    actors = root / "content" / "actors.yaml"
    actors.write_text(actors.read_text().replace("kind: person", "kind: persn", 1))
    run = cli(root, "build")
    assert run.code == 1
    assert run.lines[-1] == "1 error in 1 file"
    assert snapshot(root / "docs") == docs and snapshot(root / "site") == site
    assert hidden_entries(root) == []


@pytest.mark.slow
def test_mkdocs_failure_leaves_site_untouched(tmp_path, cli):
    root = built_site(tmp_path, ROOT)
    site = snapshot(root / "site")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - Tags: tags/index.md\n", "  - Tags: tags/missing.md\n")
    )
    run = cli(root, "build")
    assert run.code == 1
    assert run.err.startswith(
        "briefing: MkDocs build failed; the previous site is unchanged:\n  WARNING: "
    )
    assert "tags/missing.md" in run.err
    assert snapshot(root / "site") == site
    assert hidden_entries(root) == []


@pytest.mark.slow
def test_plain_mkdocs_build_regenerates_through_the_hook(tmp_path):
    root = site_project(tmp_path, ROOT)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    run = subprocess.run(
        [str(mkdocs), "build", "--strict"], cwd=root, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert (root / "site" / "briefings" / SEED_BRIEFING / "index.html").is_file()


def test_build_date_comes_from_content(seed_site):
    sitemap = (seed_site / "site" / "sitemap.xml").read_text()
    assert "<lastmod>2025-12-29</lastmod>" in sitemap


def test_template_error_is_reported_cleanly(tmp_path, cli):
    root = site_project(tmp_path, ROOT)
    (root / "site_templates" / "pages" / "timeline.md.j2").write_text("{% for x in %}\n")
    run = cli(root, "generate")
    assert run.code == 1
    assert run.err.startswith("briefing: template error in site_templates/pages/timeline.md.j2:1: ")
    assert sorted(existing_files(root / "docs")) == [".gitignore"]  # nothing written


def test_tags_have_pages_of_their_own(seed_site):
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    assert '<a class="tag" href="../../tags/drone-attack/">#drone-attack</a>' in page
    tag = html(seed_site, "tags/drone-attack")
    assert f'href="../../briefings/{SEED_BRIEFING}/"' in tag
    assert 'href="../tags/drone-attack/">#drone-attack</a>' in html(seed_site, "tags")


def test_story_title_names_the_story(seed_site):
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    assert (
        'Story: <a href="../../stories/russia-ukraine-peace-talks/">Russia–Ukraine peace talks</a>'
        in page
    )
    assert "<title>Story: Russia–Ukraine peace talks - Briefings</title>" in html(
        seed_site, "stories/russia-ukraine-peace-talks"
    )


def test_a_denial_says_what_it_disputes_instead_of_disputed(seed_site):
    """Reader review 2: "disputed" on Zelenskyy's denial read as if the denial were in doubt. Nobody disputes
    it: its card says "Disputes → <Moscow's claim>", and every list shows "disputes", linked to that claim."""
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    card = page.split('id="claim-zelenskyy-drone-claim-lie"', 1)[1].split("</article>", 1)[0]
    line = card.split('class="meta claim-line record-line"', 1)[1].split("</p>", 1)[0]
    assert (
        'Disputes → <a href="#claim-russia-novgorod-residence-drone-attack">Moscow: Ukraine attacked a '
        "presidential residence in Novgorod region with 91 drones</a>"
    ) in line
    assert "badge-disputed" not in line
    moscow = page.split('id="claim-russia-novgorod-residence-drone-attack"', 1)[1].split("</p>", 1)[
        0
    ]
    assert "badge-disputed" in moscow  # the claim Zelenskyy disputes is disputed, as before
    claims = html(seed_site, "claims")
    row = next(r for r in claims.split("<tr>") if "claim-zelenskyy-drone-claim-lie" in r)
    assert 'class="badge badge-disputes"' in row and "badge-disputed" not in row
    assert 'title="A counter-claim: it disputes Moscow: Ukraine attacked' in row


def test_every_tracker_row_says_how_its_status_moved(project):
    """Reader review 2 (as CrisisWatch does): a row whose status stayed says "→ no change", a row reported once
    says "first reported"; a moved one keeps its arrow and words (test_two_stories)."""
    from test_changes import FIRST

    second = FIRST.replace("id: b1\n", "id: b2\n").replace("2025-12-29", "2025-12-30")
    once = FIRST.replace("id: b1\n", "id: c1\n").replace("story: talks", "story: other")
    once = once.replace("id: deal\n", "id: other-deal\n").replace(
        "id: deal-close", "id: other-close"
    )
    root = project(
        {
            "content/briefings/b1.yaml": FIRST,
            "content/briefings/b2.yaml": second,
            "content/briefings/c1.yaml": once,
        }
    )
    generate(find_project(root))
    tracker = (root / "docs" / "issues" / "index.md").read_text(encoding="utf-8")
    rows = {r.split('"', 2)[1]: r for r in tracker.split("<tr><td><a href=")[1:]}
    assert (
        '<span class="trend trend-same" role="img" aria-label="no change" title="no change">→</span> '
        '<span class="movement">no change</span>'
    ) in rows["../issues/deal/"]
    assert '<span class="movement">first reported</span>' in rows["../issues/other-deal/"]


def test_the_claims_index_has_a_kind_a_status_and_a_review_column_to_filter_by(seed_site):
    page = html(seed_site, "claims")
    assert '<table data-filters data-what="claims">' in page
    head = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.findall(r"<th[^>]*>([^<]+)</th>", head) == [
        "Claim",
        "Kind",
        "Status",
        "Desk review",
        "First asserted",
        "Story",
    ]
    assert re.findall(r"<th[^>]*data-filter>", head) != []
    row = next(
        r
        for r in page.split("<tr>")
        if '#claim-russia-novgorod-residence-drone-attack">Moscow' in r
    )
    assert '<td data-value="Factual claim">' in row and '<td data-value="disputed">' in row
    assert '<td data-value="unproven">' in row
    assert (
        '<span class="approx" aria-hidden="true">≈</span><span class="sr-only"> (date inferred)</span>'
        in row
    )


def test_a_reviewed_claim_keeps_its_own_quotes_apart_from_the_desk_s_evidence(seed_site):
    """Reader review 2: the review's quotes and the claim's own followed each other in one style."""
    page = html(seed_site, f"briefings/{SEED_BRIEFING}")
    card = page.split('id="claim-russia-novgorod-residence-drone-attack"', 1)[1].split(
        "</article>", 1
    )[0]
    review, rest = card.split('<p class="label">What the desk checked</p>', 1)
    assert '<div class="review"' in review
    evidence, own = rest.split(
        '<p class="label claim-quotes-label">The claim, as the source has it</p>', 1
    )
    assert "</div>" in evidence  # the desk's evidence closes its box before the claim's own quotes
    assert "Moscow accused Ukraine of a massive drone assault on an official" in own
