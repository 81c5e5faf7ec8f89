"""The pages Pagefind reads (output/searchpages.py): cut to what it indexes, and kept for the next build."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from pagefind_index import pages as fragments

from generator.output import searchindex, searchpages
from generator.output.searchpages import cut, pages_of


def _index(site: Path, files: list[str], whole: bool) -> dict[str, dict]:
    """Pagefind's fragments of ``files`` of ``site``: read from the pages as they are, or as cut."""
    out = Path(tempfile.mkdtemp()) / "site"
    out.mkdir()
    if whole:
        with tempfile.TemporaryDirectory() as folder:
            for rel in files:
                (Path(folder) / rel).parent.mkdir(parents=True, exist_ok=True)
                os.link(site / rel, Path(folder) / rel)
            searchindex._run(Path(folder), out / searchindex.FOLDER)
    else:
        with pages_of(site, files, None) as folder:
            searchindex._run(folder, out / searchindex.FOLDER)
    return {p["url"]: p for p in fragments(out)}


def test_the_cut_pages_give_pagefind_the_same_words_anchors_and_titles(archive_site):
    """Every page's words, in the same places, its anchors (ids inside the parts left out included), title and
    filters, as Pagefind reads them from the whole page. The one difference: a block whose text ends with a
    quotation mark the page writes ``&#34;`` (a title the templates escape) is followed by a full stop, as
    one that ends with ``"`` always was; the cut page is written out again, with ``"``."""
    site = archive_site / "site"
    files = searchindex.search_groups(site, archive_site / "docs", False)[searchindex.MAIN]
    whole, cut_ = _index(site, files, True), _index(site, files, False)
    assert len(whole) > 20 and whole.keys() == cut_.keys()
    for url, page in whole.items():
        mine = cut_[url]
        assert {k: v for k, v in mine.items() if k != "content"} == {
            k: v for k, v in page.items() if k != "content"
        }, url
        assert re.sub(r'"\.', '"', mine["content"]) == re.sub(r'"\.', '"', page["content"]), url


PAGE = """<!doctype html><html lang="uk"><head><title>A &amp; B</title><script>x()</script></head><body>
<nav>Navigation</nav>
<div data-pagefind-body><h1 id="top">Title<a class="headerlink" href="#top">¶</a></h1>
<p class="meta record-line" data-search-exclude>Claim by X · disputed</p>
<div class="what-changed" data-search-exclude>Changed: <table><tr id="row-1"><td>a</td></tr></table>
<h3 id="c-1">gone</h3><div data-search-exclude><p id="inner">deeper</p></div></div>
<p>Body text.</p></div>
<footer>Footer</footer></body></html>"""


def test_a_page_is_cut_to_its_indexed_element_with_the_ids_of_the_parts_left_out():
    got = cut(PAGE.encode()).decode()
    assert got == (
        '<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>A &amp; B</title></head><body>'
        '<div data-pagefind-body=""><h1 id="top">Title</h1>\n'
        '<p class="meta record-line" data-search-exclude="">Claim by X · disputed</p>\n'
        '<div class="what-changed" data-search-exclude=""><tr id="row-1"></tr><h3 id="c-1"></h3>'
        '<p id="inner"></p></div>\n'
        "<p>Body text.</p></div></body></html>"
    )


@pytest.mark.parametrize(
    "page",
    [
        "<body><p>No element marked: Pagefind reads every page whole then</p></body>",
        "<body><div data-pagefind-body>one</div><div data-pagefind-body>two</div></body>",
        '<head><meta data-pagefind-meta="image[content]" content="/a.png"></head>'
        "<body><div data-pagefind-body>text</div></body>",
        '<body><span data-pagefind-filter="desk">Kyiv</span><div data-pagefind-body>text</div></body>',
    ],
)
def test_a_page_whose_cut_cannot_be_vouched_for_is_read_whole(page):
    assert cut(page.encode()) is None


def _site(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    for rel, text in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def _counted(monkeypatch) -> list[int]:
    calls = [0]
    real = searchpages.cut

    def counting(page: bytes):
        calls[0] += 1
        return real(page)

    monkeypatch.setattr(searchpages, "cut", counting)
    return calls


def test_a_kept_page_is_cut_again_only_when_its_site_file_is_another(tmp_path, monkeypatch):
    """Kept under the identity of the site file it came from: an incremental build hard-links the pages it did
    not render from the old site (the same file), and writes new files for those it rendered."""
    page = '<html lang="en"><body><div data-pagefind-body>{}</div></body></html>'
    site = _site(tmp_path, {f"p{i}/index.html": page.format(f"page {i}") for i in range(4)})
    files = sorted(f"p{i}/index.html" for i in range(4))
    kept, calls = tmp_path / "kept", _counted(monkeypatch)
    with pages_of(site, files, kept) as folder:
        assert folder == kept and calls == [4]
    assert b"page 2" in (kept / "p2/index.html").read_bytes()
    # the next build: one page rendered again (a new file), one linked from the old site, one gone
    new = tmp_path / "new"
    for rel in files[:3]:
        (new / rel).parent.mkdir(parents=True)
        os.link(site / rel, new / rel)
    (new / files[1]).unlink()
    (new / files[1]).write_text(page.format("page 1, edited"), encoding="utf-8")
    (kept / "stray.html").write_text("left by a killed build", encoding="utf-8")
    with pages_of(new, files[:3], kept) as folder:
        assert calls == [5]
    assert b"page 1, edited" in (kept / "p1/index.html").read_bytes()
    assert (
        sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*") if p.is_file()) == files[:3]
    )


def test_a_kept_page_of_another_mark_or_a_link_in_the_folder_is_never_trusted(
    tmp_path, monkeypatch
):
    page = '<html lang="en"><body><div data-pagefind-body>{}</div></body></html>'
    site = _site(tmp_path, {"a/index.html": page.format("real"), "b/index.html": page.format("b")})
    kept, calls = tmp_path / "kept", _counted(monkeypatch)
    (kept / "a").mkdir(parents=True)
    (kept / "a/index.html").write_bytes(
        b"<!--briefing-search v1 1 2 3 4-->\n" + page.format("planted").encode()
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (kept / "b").symlink_to(outside, target_is_directory=True)
    with pages_of(site, ["a/index.html", "b/index.html"], kept):
        assert calls == [2]
    assert b"planted" not in (kept / "a/index.html").read_bytes()
    assert not (kept / "b").is_symlink() and list(outside.iterdir()) == []


def test_a_site_restored_elsewhere_is_read_not_cut_again(tmp_path, monkeypatch):
    """A cache restored on another runner brings the same bytes in files of another identity: each kept page
    whose mark holds the digest of its site file's bytes is marked anew, not cut; one whose bytes differ is cut."""
    import shutil

    page = '<html lang="en"><body><div data-pagefind-body>{}</div></body></html>'
    site = _site(tmp_path, {f"p{i}/index.html": page.format(f"page {i}") for i in range(3)})
    files = sorted(f"p{i}/index.html" for i in range(3))
    kept, calls = tmp_path / "kept", _counted(monkeypatch)
    with pages_of(site, files, kept):
        assert calls == [3]
    restored = tmp_path / "restored"
    shutil.copytree(site, restored)  # new inodes, the same bytes
    (restored / files[2]).write_text(page.format("page 2, edited"), encoding="utf-8")
    before = (kept / files[0]).read_bytes()
    with pages_of(restored, files, kept):
        assert calls == [4]  # only the edited page
    after = (kept / files[0]).read_bytes()
    assert after != before and after.split(b"\n", 1)[1] == before.split(b"\n", 1)[1]
    with pages_of(restored, files, kept):
        assert calls == [4]  # now the very files: not even read
    assert b"page 2, edited" in (kept / files[2]).read_bytes()
