"""Pagefind's service, asked for the kept pages while a build checks and generates (searchfeed.py), writes the
very index its command line writes of the same folder; whatever it cannot vouch for is left to the command
line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.output import searchfeed
from generator.output.searchfeed import Feed, Service, Unfit, walk_order
from generator.output.searchindex import LEFT_OUT, _run, early_feed, executable


def page(title: str, words: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
        f'<nav data-search-exclude="">menu</nav><main data-pagefind-body="">'
        f'<h1 id="top">{title}</h1><p>{words}</p><h2 id="more">More</h2><p>{title} {words}</p>'
        "</main></body></html>"
    )


def site_of_pages(folder: Path) -> Path:
    """Pages at every depth, a folder holding pages beside folders (the walk's order counts there), and a
    page Pagefind leaves out (no data-pagefind-body)."""
    folder.mkdir(parents=True)
    (folder / "404.html").write_text("<!doctype html><html><body>Not found</body></html>")
    words = "ceasefire drones corridor grain talks envoy summit border".split()
    for i in range(24):
        rel = ("a" if i % 3 else "zeta") + f"/{i:02d}/index.html"
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(page(f"Page {i}", " ".join(words[i % 8 :] + words[: i % 8])))
    (folder / "a" / "index.html").write_text(page("Section", "a list of pages"))
    (folder / "top.html").write_text(page("Top", "a page at the top"))
    return folder


def index_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def command_line_index(folder: Path, out: Path) -> dict[str, bytes]:
    _run(folder, out)
    return index_files(out)


def rewrite(path: Path, text: str) -> None:
    """As searchpages.py rewrites a kept page: a new file in its place."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


@pytest.fixture
def feed_of(request):
    feeds: list[Feed] = []

    def start(folder: Path) -> Feed:
        feeds.append(Feed(folder, executable(), LEFT_OUT))
        return feeds[-1]

    yield start
    for feed in feeds:
        feed.close()


@pytest.mark.parametrize("chunk", [1, 5, searchfeed.CHUNK])
def test_the_service_writes_the_command_lines_index_byte_for_byte(
    tmp_path, feed_of, monkeypatch, chunk
):
    """One page a request, a few (the requests' bounds across folders), or all of them in one."""
    monkeypatch.setattr(searchfeed, "CHUNK", chunk)
    pages = site_of_pages(tmp_path / "pages")
    feed = feed_of(pages)
    assert feed.finish(tmp_path / "service")
    served = index_files(tmp_path / "service")
    assert any(rel.startswith("fragment/") for rel in served)
    assert served == command_line_index(pages, tmp_path / "cli")


def test_pagefind_settings_in_the_environment_are_not_passed_on(tmp_path, feed_of, monkeypatch):
    """PAGEFIND_ variables could send Pagefind to other files or put its index elsewhere: neither the command
    line nor the service is given them."""
    monkeypatch.setenv("PAGEFIND_GLOB", "zeta/*.{html}")
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "elsewhere")
    pages = site_of_pages(tmp_path / "pages")
    assert not any(k.startswith("PAGEFIND_") for k in searchfeed.pagefind_environment())
    feed = feed_of(pages)
    assert feed.finish(tmp_path / "service")
    cli = command_line_index(pages, tmp_path / "cli")
    assert "pagefind.js" in cli and index_files(tmp_path / "service") == cli
    assert not (tmp_path / "cli" / "elsewhere").exists()


def test_the_service_reads_at_a_low_priority(tmp_path, feed_of):
    """The build's own thread keeps its core while the service reads the kept pages."""
    feed = feed_of(site_of_pages(tmp_path / "pages"))
    feed.fed()  # answered: Pagefind itself runs in the process now, not `nice` before it
    assert os.getpriority(os.PRIO_PROCESS, feed._service._proc.pid) == searchfeed.NICE


def test_the_order_of_the_pages_is_the_walk_of_the_command_line(tmp_path):
    """Pagefind numbers the pages in the order it reads them: given in another order, the index differs (so
    the test above holds only with the command line's order)."""
    pages = site_of_pages(tmp_path / "pages")
    order = walk_order(pages)
    assert set(order) == {p.relative_to(pages).as_posix() for p in pages.rglob("*.html")}
    # a folder's pages come before the next entry of the folder above it
    firsts = [rel.split("/")[0] for rel in order]
    assert [name for i, name in enumerate(firsts) if i == 0 or firsts[i - 1] != name] == [
        e.name for e in os.scandir(pages)
    ]
    service = Service(executable(), LEFT_OUT)
    try:
        for rel in sorted(order, reverse=True):
            service.read(pages, [rel])
        assert service.write(tmp_path / "reversed")
    finally:
        service.close()
    assert index_files(tmp_path / "reversed") != command_line_index(pages, tmp_path / "cli")


def test_a_page_changed_after_it_was_read_is_read_again_in_its_place(tmp_path, feed_of):
    pages = site_of_pages(tmp_path / "pages")
    before = command_line_index(pages, tmp_path / "before")
    feed = feed_of(pages)
    feed.fed()
    rewrite(pages / "a" / "04" / "index.html", page("Page 4", "an armistice is signed"))
    assert feed.finish(tmp_path / "service")
    after = command_line_index(pages, tmp_path / "cli")
    assert after != before
    assert index_files(tmp_path / "service") == after


@pytest.mark.parametrize("change", ["added", "removed"])
def test_pages_added_or_removed_leave_the_index_to_the_command_line(tmp_path, feed_of, change):
    pages = site_of_pages(tmp_path / "pages")
    feed = feed_of(pages)
    feed.fed()
    if change == "added":
        (pages / "a" / "99").mkdir()
        (pages / "a" / "99" / "index.html").write_text(page("New", "a new page"))
    else:
        (pages / "zeta" / "00" / "index.html").unlink()
    assert not feed.finish(tmp_path / "service")
    assert not (tmp_path / "service").exists()


def test_a_service_that_stops_leaves_the_index_to_the_command_line(tmp_path, feed_of):
    pages = site_of_pages(tmp_path / "pages")
    feed = feed_of(pages)
    feed._service._proc.kill()
    assert not feed.finish(tmp_path / "service")
    assert feed._service.failed == "Pagefind's service stopped"


def test_a_page_the_service_cannot_read_as_asked_leaves_the_index_to_the_command_line(
    tmp_path, feed_of
):
    pages = site_of_pages(tmp_path / "pages")
    feed = feed_of(pages)
    feed.fed()
    feed._service.read(pages, ["a/none/index.html"])  # matches no file: no page read
    assert not feed.finish(tmp_path / "service")
    assert feed._service.failed == "0 pages read of 1"


def test_a_page_gone_before_the_service_read_it_leaves_the_index_to_the_command_line(
    tmp_path, feed_of, monkeypatch
):
    monkeypatch.setattr(searchfeed, "CHUNK", 5)
    pages = site_of_pages(tmp_path / "pages")
    feed = feed_of(pages)
    feed.fed()
    feed._service.read(pages, [feed.order[0], "a/none/index.html", feed.order[-1]])
    assert not feed.finish(tmp_path / "service")
    assert feed._service.failed == "2 pages read of 3"


@pytest.mark.parametrize(
    "planted",
    ["link to a folder", "link to a page", "pattern", "folder named like a page"],
)
def test_nothing_in_the_kept_folder_is_read_but_its_own_pages(tmp_path, planted):
    """A link could lead the service out of the project, and a path a pattern reads otherwise to other
    files: then nothing is handed to it (the command line reads the folder once searchpages.py has removed
    the links)."""
    kept = tmp_path / "kept"
    pages = site_of_pages(kept / "main")
    outside = site_of_pages(tmp_path / "outside")
    if planted == "link to a folder":
        (pages / "b").symlink_to(outside / "a")
    elif planted == "link to a page":
        (pages / "a" / "01" / "other.html").symlink_to(outside / "top.html")
    elif planted == "pattern":
        (pages / "a" / "[0-9]*").mkdir()
        (pages / "a" / "[0-9]*" / "index.html").write_text(page("Odd", "odd name"))
    else:
        (pages / "a" / "x.html").mkdir()
    with pytest.raises(Unfit):
        Feed(pages, executable(), LEFT_OUT).close()
    assert early_feed(kept) is None


def test_a_site_with_an_index_a_story_is_not_fed_early(tmp_path):
    kept = tmp_path / "kept"
    site_of_pages(kept / "main")
    site_of_pages(kept / "story")
    assert early_feed(kept) is None
    assert early_feed(tmp_path / "none") is None


def test_the_plain_pattern_is_the_path_alone():
    assert searchfeed.PLAIN.fullmatch("briefings/2025-12-29-call/index.html")
    for rel in (
        "a/*/index.html",
        "a/{b,c}.html",
        "a/[b].html",
        "a/b?.html",
        "../x.html",
        ".x/a.html",
    ):
        assert not searchfeed.PLAIN.fullmatch(rel), rel


def marked(text: str, digest: str, identity: str = "1 2 3 4") -> str:
    """A kept page's first line (searchpages.MARK): the site file it was cut from, and its bytes' digest."""
    return f"<!--briefing-search v2 {identity} {digest * 64}-->\n{text}"


def test_a_page_only_marked_anew_is_not_read_again(tmp_path, feed_of, monkeypatch):
    """In a site restored elsewhere (a CI cache) every kept page is marked anew for its new site file, the
    same cut of the same bytes: the service's reading of it stands (Pagefind reads no comment), and the index
    is still the command line's."""
    pages = site_of_pages(tmp_path / "pages")
    for path in pages.rglob("*.html"):
        path.write_text(marked(path.read_text(), "a"))
    feed = feed_of(pages)
    feed.fed()
    replaced: list[str] = []
    real = feed._service.replace

    def spied(folder, rel):
        replaced.append(rel)
        real(folder, rel)

    monkeypatch.setattr(feed._service, "replace", spied)
    for path in pages.rglob("*.html"):
        text = path.read_text().split("\n", 1)[1]
        rewrite(path, marked(text, "a", identity="5 6 7 8"))
    edited = pages / "a" / "04" / "index.html"
    rewrite(edited, marked(page("Page 4", "an armistice is signed"), "b", identity="5 6 7 9"))
    assert feed.finish(tmp_path / "service") is True
    assert replaced == ["a/04/index.html"]
    assert index_files(tmp_path / "service") == command_line_index(pages, tmp_path / "cli")


def test_when_most_pages_changed_the_command_line_is_sooner_done(tmp_path, feed_of):
    pages = site_of_pages(tmp_path / "pages")
    feed = feed_of(pages)
    feed.fed()
    order = walk_order(pages)
    for rel in order[: int(len(order) * searchfeed.MOST) + 1]:
        rewrite(pages / rel, (pages / rel).read_text() + "\n")
    assert not feed.finish(tmp_path / "service")
