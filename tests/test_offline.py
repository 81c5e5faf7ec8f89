"""``briefing build --offline``: a copy of the site to read from file://, built beside docs/ and site/.

What a reader sees in it (search, links) is tested in a browser in test_browser.py.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, hidden_entries, site_project

from generator.output.build import build_site
from generator.output.write import existing_files
from generator.project import find_project

pytestmark = pytest.mark.slow  # every test builds the offline copy

BRIEFING = "briefings/2025-12-29-trump-putin-second-call"
OK = re.compile(
    r"ok: \d+ pages, offline site built in site-offline/; open site-offline/index\.html in a browser\n"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for rel, p in existing_files(folder).items()}


@pytest.fixture
def seed_project(tmp_path, monkeypatch) -> Path:
    """The seed content in a project of its own, with docs/ and site/ built; temporary files go to tmp/."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    build_site(find_project(root))
    return root


def leftovers(root: Path) -> list[str]:
    """Hidden entries of the project, and the temporary folder's."""
    return hidden_entries(root) + sorted(p.name for p in Path(tempfile.gettempdir()).iterdir())


def test_offline_copy_reads_from_file_urls_and_leaves_docs_and_site_alone(seed_project, cli):
    root = seed_project
    docs, site = snapshot(root / "docs"), snapshot(root / "site")
    run = cli(root, "build", "--offline")
    assert run.code == 0, run.err
    assert OK.fullmatch(run.out), run.out
    assert snapshot(root / "docs") == docs and snapshot(root / "site") == site
    assert leftovers(root) == []

    offline = root / "site-offline"
    assert (
        (offline / "search" / "search_index.js")
        .read_text(encoding="utf-8")
        .startswith("var __index = ")
    )
    shim = (offline / "assets" / "javascripts" / "iframe-worker-shim.js").read_text(
        encoding="utf-8"
    )
    assert "Permission is hereby granted" in shim and "window.IFrameWorker" in shim
    pages = {
        rel: p.read_text(encoding="utf-8")
        for rel, p in existing_files(offline).items()
        if rel.endswith(".html")
    }
    assert len(pages) > 20
    for rel, html in pages.items():
        assert "unpkg.com" not in html and "fonts.googleapis.com" not in html, rel
        assert "iframe-worker-shim.js" in html, rel
        assert 'data-md-component="source"' not in html, f"{rel} would fetch the repository's facts"
    briefing = pages[f"{BRIEFING}/index.html"]
    links = re.findall(r'href="(\.\./[^"#]*)', briefing)
    assert links and [link for link in links if not re.search(r"\.[a-z0-9]+$", link)] == [], (
        "folder links"
    )
    assert '<a href="../../actors/putin/index.html">' in briefing


def test_offline_copy_takes_another_folder_and_replaces_only_a_built_site(
    seed_project, cli, tmp_path
):
    root = seed_project
    target = tmp_path / "usb" / "briefings"
    assert cli(root, "build", "--offline", "--site-dir", str(target)).code == 0
    assert (target / "index.html").is_file() and not (root / "site-offline").exists()
    assert (
        cli(root, "build", "--offline", "--site-dir", str(target)).code == 0
    )  # an earlier build is replaced

    content = snapshot(root / "content")
    run = cli(root, "build", "--offline", "--site-dir", "content")
    assert (run.code, run.err) == (
        2,
        f"briefing: refusing to replace {root / 'content'}: it is not empty "
        "and holds no built site (no .briefing-site written by the generator)\n",
    )
    assert snapshot(root / "content") == content
    run = cli(root, "build", "--offline", "--site-dir", ".")
    assert (run.code, run.err) == (
        2,
        f"briefing: the site folder cannot be the project or hold it: {root}\n",
    )
    run = cli(root, "build", "--site-dir", str(target))
    assert (run.code, run.err) == (
        2,
        "briefing: --site-dir goes with --offline; the site's own folder is site_dir in mkdocs.yml\n",
    )


def test_failed_offline_build_keeps_the_last_copy_and_leaves_nothing_behind(seed_project, cli):
    root = seed_project
    assert cli(root, "build", "--offline").code == 0
    before = snapshot(root / "site-offline")
    (root / "content" / "pages" / "broken.md").write_text(
        "# Broken\n\nSee [nowhere](missing.md).\n", encoding="utf-8"
    )
    run = cli(root, "build", "--offline")
    assert run.code != 0 and "missing.md" in run.err, run.err
    assert snapshot(root / "site-offline") == before
    assert leftovers(root) == []
