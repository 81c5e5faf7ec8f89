"""Generated folders never destroy inputs, come out readable, and any valid date builds (B3, B4, B5).

``docs_dir``, ``site_dir`` and the offline copy are replaced whole on every
build, so each must lie apart from what the generator reads, must not be a
link, and may only replace a folder an earlier build made.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

import pytest
from conftest import ROOT, site_project

from generator.output.build import MAX_EPOCH, build_offline, build_site
from generator.output.generate import DOCS_GITIGNORE
from generator.output.write import DOCS_MARKER, SITE_MARKER, existing_files
from generator.project import find_project

SEED_BRIEFING = "content/briefings/2025-12-29-trump-putin-second-call.yaml"
APART = "a build replaces it whole, so it must lie apart from content/, seeds/, site_templates/, generator/ and .git/"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for rel, p in existing_files(folder).items()}


@pytest.fixture
def seed(tmp_path) -> Path:
    """The seed project, not built; a fake .git beside it, as in a clone."""
    root = site_project(tmp_path, ROOT)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


def configure(root: Path, line: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def inputs(root: Path) -> dict[str, dict[str, bytes]]:
    return {
        name: snapshot(root / name)
        for name in ("content", "seeds", "site_templates", "generator", ".git")
    }


# --- B5: outputs apart from inputs -----------------------------------------------------------


@pytest.mark.parametrize(
    "setting, message",
    [
        ("site_dir: content", "site_dir 'content' is an input folder"),
        ("site_dir: .git", "site_dir '.git' is an input folder"),
        ("site_dir: seeds", "site_dir 'seeds' is an input folder"),
        ("site_dir: content/site", "site_dir 'content/site' lies inside content/"),
        ("docs_dir: seeds", "docs_dir 'seeds' is an input folder"),
        ("docs_dir: site_templates", "docs_dir 'site_templates' is an input folder"),
        ("docs_dir: generator", "docs_dir 'generator' is an input folder"),
        ("docs_dir: .git", "docs_dir '.git' is an input folder"),
        ("docs_dir: generator/docs", "docs_dir 'generator/docs' lies inside generator/"),
    ],
)
@pytest.mark.parametrize("command", ["build", "generate"])
def test_a_generated_folder_cannot_be_an_input(cli, seed, setting, message, command):
    configure(seed, setting)
    before = inputs(seed)
    run = cli(seed, command)
    assert (run.code, run.out, run.err) == (2, "", f"briefing: mkdocs.yml: {message}; {APART}\n")
    assert inputs(seed) == before


def test_site_dir_content_leaves_content_intact(cli, seed):
    """The report's case: `site_dir: content` made `briefing build` exit 0 with every YAML file gone."""
    configure(seed, "site_dir: content")
    before = snapshot(seed / "content")
    assert cli(seed, "build").code == 2
    assert snapshot(seed / "content") == before
    assert (seed / "content" / "actors.yaml").is_file()


def test_docs_and_site_cannot_overlap(cli, seed):
    configure(seed, "site_dir: docs/site")
    run = cli(seed, "build")
    assert (run.code, run.err) == (
        2,
        "briefing: mkdocs.yml: docs_dir 'docs' and site_dir 'docs/site' overlap; "
        "each is replaced whole, so they must be two separate folders\n",
    )


def test_a_committed_site_link_to_content_is_refused(cli, seed):
    """`/site/` in .gitignore does not match a link, so git accepts `ln -s content site`."""
    (seed / "site").symlink_to("content")
    before = inputs(seed)
    run = cli(seed, "build")
    assert (run.code, run.err) == (
        2,
        "briefing: mkdocs.yml: site_dir 'site' is a symbolic link; links are not "
        "followed: put the folder itself there\n",
    )
    assert inputs(seed) == before and (seed / "site").is_symlink()


def test_a_linked_offline_folder_is_refused(cli, seed):
    (seed / "site-offline").symlink_to("seeds")
    before = inputs(seed)
    run = cli(seed, "build", "--offline")
    assert (run.code, run.err) == (
        2,
        f"briefing: the site folder is a symbolic link: {seed / 'site-offline'}; links are not followed\n",
    )
    assert inputs(seed) == before


def test_only_a_folder_a_build_made_is_replaced(cli, seed):
    """A setting pointing at someone's folder (notes, hand-written docs) is refused, not emptied."""
    (seed / "notes").mkdir()
    (seed / "notes" / "todo.txt").write_text("keep me\n", encoding="utf-8")
    configure(seed, "site_dir: notes")
    run = cli(seed, "build")
    assert (run.code, run.err) == (
        2,
        f"briefing: refusing to replace {seed / 'notes'}: it is not empty and holds "
        "no built site (no .briefing-site written by the generator)\n",
    )
    assert (seed / "notes" / "todo.txt").read_text(encoding="utf-8") == "keep me\n"


def test_a_folder_with_an_index_html_is_not_taken_for_a_built_site(cli, seed):
    """Red team 2, #36: a hand-made landing page is someone's folder, not a site a build made."""
    (seed / "handmade").mkdir()
    (seed / "handmade" / "index.html").write_text("<h1>my landing page</h1>\n", encoding="utf-8")
    (seed / "handmade" / "important.txt").write_text("irreplaceable notes\n", encoding="utf-8")
    configure(seed, "site_dir: handmade")
    run = cli(seed, "build")
    assert (run.code, run.err) == (
        2,
        f"briefing: refusing to replace {seed / 'handmade'}: it is not empty and holds "
        "no built site (no .briefing-site written by the generator)\n",
    )
    assert (seed / "handmade" / "important.txt").read_text(
        encoding="utf-8"
    ) == "irreplaceable notes\n"


def test_an_offline_build_outside_the_project_spares_a_home_like_folder(cli, seed, tmp_path):
    """Red team 2, #37: `--offline --site-dir` at a folder with an index.html and a .ssh/ refuses it."""
    home = tmp_path / "outside" / "home-sim"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "authorized_keys").write_text("ssh-ed25519 AAAA\n", encoding="utf-8")
    (home / "index.html").write_text("<h1>home</h1>\n", encoding="utf-8")
    run = cli(seed, "build", "--offline", "--site-dir", str(home))
    assert (run.code, run.err) == (
        2,
        f"briefing: refusing to replace {home}: it is not empty and holds "
        "no built site (no .briefing-site written by the generator)\n",
    )
    assert (home / ".ssh" / "authorized_keys").read_text(encoding="utf-8") == "ssh-ed25519 AAAA\n"


def test_a_built_site_is_marked_and_replaced_and_so_is_one_built_before_the_marker(cli, seed):
    assert cli(seed, "build").code == 0
    name, _, _, starts = SITE_MARKER
    assert (seed / "site" / name).read_bytes().startswith(starts)
    (
        seed / "site" / name
    ).unlink()  # a site built before the marker: index.html and the project's stylesheet
    (seed / "site" / "stale.txt").write_text("old\n", encoding="utf-8")
    assert cli(seed, "build").code == 0
    assert not (seed / "site" / "stale.txt").exists() and (seed / "site" / name).is_file()


@pytest.mark.parametrize("command", ["build", "generate"])
def test_only_a_docs_folder_the_generator_made_is_replaced(cli, seed, command):
    (seed / "manual").mkdir()
    (seed / "manual" / "index.md").write_text("# My own docs\n", encoding="utf-8")
    configure(seed, "docs_dir: manual")
    run = cli(seed, command)
    assert (run.code, run.err) == (
        2,
        f"briefing: refusing to replace {seed / 'manual'}: it is not empty and holds "
        "no generated docs (no .gitignore written by the generator)\n",
    )
    assert snapshot(seed / "manual") == {"index.md": b"# My own docs\n"}


def test_the_docs_marker_is_what_generation_writes():
    name, _, _, starts = DOCS_MARKER
    assert name == ".gitignore" and DOCS_GITIGNORE.encode().startswith(starts)
    assert (
        (ROOT / "docs" / ".gitignore").read_bytes().startswith(starts)
    )  # a fresh clone's docs/ is replaceable


# --- B4: permissions ---------------------------------------------------------------------------


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.slow
def test_output_folders_are_readable_by_everyone_under_umask_022(seed, umask_022):
    """A web server running as another user must be able to read the site (mkdtemp made them 0700)."""
    build_site(find_project(seed))
    build_offline(find_project(seed))
    for name in ("site", "docs", "site-offline", "site/briefings", "site-offline/briefings"):
        assert stat.S_IMODE((seed / name).stat().st_mode) == 0o755, name
    assert stat.S_IMODE((seed / "site" / "index.html").stat().st_mode) == 0o644


# --- B3: dates from year 1 to 9999 --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "date, stamp",
    [("1969-12-31", 0), ("9999-12-31", MAX_EPOCH - MAX_EPOCH % 86400), ("0001-01-01", 0)],
)
def test_any_valid_date_builds(cli, seed, monkeypatch, date, stamp):
    """The build date comes from the newest briefing: it is kept within what MkDocs can stamp."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    briefing = seed / SEED_BRIEFING
    text = briefing.read_text(encoding="utf-8")
    assert "\ndate: 2025-12-29\n" in text
    briefing.write_text(
        text.replace("\ndate: 2025-12-29\n", f"\ndate: {date}\n", 1), encoding="utf-8"
    )
    run = cli(seed, "build")
    assert run.code == 0, run.err
    gz = (seed / "site" / "sitemap.xml.gz").read_bytes()
    assert (
        struct.unpack("<I", gz[4:8])[0] == stamp
    )  # the gzip header's time: MkDocs keeps the day of the stamp


@pytest.mark.parametrize("value", ["-1", "4294967296", "soon", ""])
def test_an_unusable_source_date_epoch_is_a_usage_error(cli, seed, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = cli(seed, "build")
    assert (run.code, run.err) == (
        2,
        f"briefing: SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to 4294967295, not {value!r}\n",
    )


def test_without_fcntl_the_package_imports_and_builds_unlocked(cli, seed, monkeypatch):
    """Windows has no fcntl: `mkdocs build` there must not die with an ImportError."""
    import subprocess
    import sys

    from generator.output import write

    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['fcntl'] = None\n"
            "import generator.output.write as w, generator.plugin\n"
            "assert w.fcntl is None",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    monkeypatch.setattr(write, "fcntl", None)
    assert cli(seed, "build").code == 0
