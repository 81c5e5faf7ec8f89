"""Shared helpers: small content trees built from dicts and strings, and the CLI run in-process."""

from __future__ import annotations

import gc
import math
import textwrap
from pathlib import Path

import pytest

from generator import progress
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent

ACTORS = """\
actors:
  - id: alice
    name: Alice Example
    kind: person
  - id: bob
    name: Bob Example
    kind: person
"""

SOURCES = """\
sources:
  - id: wire
    title: Wire story
    published: 2025-12-29
    text: seeds/wire.txt
"""

SEED = "Alice said the talks were \u2018fruitful\u2019 and that a deal is close.\nBob called it a lie.\n"

BRIEFING = """\
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
    quotes:
      - source: wire
        exact: "a deal is close"
"""


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write a project: mkdocs.yml plus the given files (path → text); returns root."""
    defaults = {
        "mkdocs.yml": "site_name: Test\ndocs_dir: docs\n",
        "content/actors.yaml": ACTORS,
        "content/sources.yaml": SOURCES,
        "seeds/wire.txt": SEED,
    }
    for rel, text in {**defaults, **files}.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(
                textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8"
            )
    return root


class Run:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``briefing ARGS`` in a folder; returns exit code and output."""

    def run(cwd: Path, *args: str) -> Run:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(
            progress, "QUIET_FOR", math.inf
        )  # no stage lines in a slow test run: stderr is pinned
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True)
def collector_whole():
    """What a command set aside for its process's end (collector.py) is given back to the collector after
    each test: the tests run many commands in one process."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture(scope="session", autouse=True)
def cache_home(tmp_path_factory):
    """The user's cache folder (where check/stored.py keeps its key) of the run's own, for every build the
    tests run, in-process or not."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))


@pytest.fixture
def project(tmp_path):
    """A factory for small projects in a temporary folder."""

    def make(files: dict[str, str] | None = None) -> Path:
        return write_project(tmp_path, {"content/briefings/b1.yaml": BRIEFING, **(files or {})})

    return make


def pytest_collection_modifyitems(items):
    """A test that needs the ``browser`` fixture, itself or through another fixture, is a browser test.

    test_browser.py runs last: its session-wide browser keeps Playwright's event loop running in this
    process, and a module that starts a Playwright of its own (test_privacy, test_scan_browser) cannot
    start one inside it."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.path.name == "test_browser.py")


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite golden files from current output"
    )


@pytest.fixture
def golden(request):
    """Compare text with a stored golden file; ``--update-goldens`` rewrites it instead."""

    def check(path: Path, actual: str) -> None:
        if request.config.getoption("--update-goldens"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing; run `make golden` and review the diff"
        assert actual == path.read_text(encoding="utf-8"), (
            f"{path} differs; run `make golden` and review the diff"
        )

    return check


def hidden_entries(root: Path) -> list[str]:
    """The hidden entries of a project folder, but the briefings a check keeps for the next run
    (check/stored.py): where a build's temporary folders would be left behind."""
    from generator.check import stored

    kept = stored.FOLDER.split("/")[0]
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".") and p.name != kept)


def site_project(dest: Path, content_from: Path) -> Path:
    """A buildable project in ``dest``: the real mkdocs.yml (with the installed briefings plugin) and a copy of the
    templates, which tests may change, as the project's own, with another content tree."""
    import shutil

    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(
        ROOT / "site_templates", dest / "site_templates", ignore=shutil.ignore_patterns("__*__*")
    )
    shutil.copytree(content_from / "content", dest / "content")
    shutil.copytree(content_from / "seeds", dest / "seeds")
    (dest / "docs").mkdir()
    shutil.copy(ROOT / "docs" / ".gitignore", dest / "docs" / ".gitignore")  # as in a fresh clone
    return dest


def built_site(dest: Path, content_from: Path) -> Path:
    """``site_project`` in ``dest``, built with ``briefing build``; returns the project root."""
    from generator.output.build import build_site
    from generator.project import find_project

    root = site_project(dest, content_from)
    build_site(find_project(root))
    return root


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The shipped content, built once for the whole run; the tests that use it only read it (or leave it as
    they found it: a no-op regeneration)."""
    return built_site(tmp_path_factory.mktemp("seed"), ROOT)


@pytest.fixture(scope="session")
def archive_site(tmp_path_factory) -> Path:
    """The multi-story case archive (tests/cases/archive), built once for the whole run; read only."""
    return built_site(tmp_path_factory.mktemp("archive"), ROOT / "tests" / "cases" / "archive")


NEW_STORY_BRIEFING = """\
id: gauge-watch-2031-03-21
title: The Commission's gauge readings
date: 2031-03-21
story: gauge-watch
status: developing
summary: The Vell River Commission's readings are discussed.
sources:
  - northwire-kessel-dam
claims:
  - id: flow-cut-40
    claimant: oskar-drev
    date: 2031-03-03
    statement: Filling of the reservoir cut the river's flow at the border by 40 percent.
    status: unverified
    quotes:
      - source: northwire-kessel-dam
        exact: the reservoir had already reduced the river's flow at the border by 40 percent
"""


def add_new_story(root: Path) -> None:
    """A briefing of a new story (gauge-watch) in the project at ``root``, quoting the two-story case's
    Kessel Dam source (tests/cases/twostory)."""
    (root / "content" / "briefings" / "gauge-watch-2031-03-21.yaml").write_text(NEW_STORY_BRIEFING)


def with_story_indexes(root: Path) -> None:
    """The project's mkdocs.yml (as ``site_project`` copies it) with the plugin's ``search_indexes: story``."""
    settings = root / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    assert "\n  - briefings\n" in text
    settings.write_text(
        text.replace("\n  - briefings\n", "\n  - briefings:\n      search_indexes: story\n"),
        encoding="utf-8",
    )
