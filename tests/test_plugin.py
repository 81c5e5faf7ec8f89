"""The ``briefings`` MkDocs plugin: settings as MkDocs loads them, packaged templates, and a desk's own folder.

The slow test at the end does what a desk does: install this project from a
wheel into a fresh virtual environment, then build a folder holding only its
own mkdocs.yml, content and seeds with plain ``mkdocs build``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, site_project

from generator.output.generate import DOCS_GITIGNORE

SEED = "2025-12-29-trump-putin-second-call"
DESK_BASE = """\
site_name: Desk Briefings
theme:
  name: material
extra:
  publisher:
    name: Inherited Desk
    url: https://desk.example/
"""
DESK = """\
INHERIT: base.yml
site_url: !ENV [BRIEFING_TEST_SITE_URL, "https://fallback.example/"]
plugins:
  - search
  - briefings
"""
ENV_URL = "https://env.example/briefings/"
PACKAGE_FOLDER = "import generator, pathlib; print(pathlib.Path(generator.__file__).parent)"


def desk(root: Path, config: str = DESK) -> Path:
    """A desk's folder: its mkdocs.yml inheriting base.yml, the shipped content and seeds, and the docs/.gitignore
    a desk commits (MkDocs refuses a missing docs_dir before it loads any plugin)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "base.yml").write_text(DESK_BASE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("schemas"))
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / ".gitignore").write_text(DOCS_GITIGNORE, encoding="utf-8")
    return root


def assert_desk_feed(feed: str) -> None:
    """The feed is addressed from the URL of the environment and authored by the publisher of the base file."""
    assert f"<id>{ENV_URL}</id>" in feed
    assert f'<link rel="self" type="application/atom+xml" href="{ENV_URL}feed.xml" />' in feed
    assert (
        "<author>\n    <name>Inherited Desk</name>\n    <uri>https://desk.example/</uri>\n  </author>"
        in feed
    )


def mkdocs_build(root: Path, *args: str) -> None:
    """Plain ``mkdocs build`` in this process."""
    from mkdocs.__main__ import cli as mkdocs_cli

    mkdocs_cli.main(["build", "-f", str(root / "mkdocs.yml"), *args], standalone_mode=False)


# --- settings as MkDocs loads them --------------------------------------------------------------


def test_generate_reads_inherited_and_environment_settings(tmp_path, cli, monkeypatch):
    """INHERIT and !ENV were read by hand and came out empty: relative feed URLs and no publisher."""
    monkeypatch.setenv("BRIEFING_TEST_SITE_URL", ENV_URL)
    root = desk(tmp_path / "desk")
    assert cli(root, "generate").code == 0
    assert_desk_feed((root / "docs" / "feed.xml").read_text(encoding="utf-8"))


def test_an_unset_environment_variable_gives_the_default_of_env(tmp_path, cli, monkeypatch):
    monkeypatch.delenv("BRIEFING_TEST_SITE_URL", raising=False)
    root = desk(tmp_path / "desk")
    assert cli(root, "generate").code == 0
    assert "<id>https://fallback.example/</id>" in (root / "docs" / "feed.xml").read_text(
        encoding="utf-8"
    )


def test_mkdocs_build_f_reads_the_named_file(tmp_path, monkeypatch):
    """The plugin takes its settings from the config MkDocs hands it, here another file than mkdocs.yml."""
    monkeypatch.setenv("BRIEFING_TEST_SITE_URL", ENV_URL)
    root = desk(
        tmp_path / "desk",
        DESK.replace(
            '!ENV [BRIEFING_TEST_SITE_URL, "https://fallback.example/"]',
            "https://mkdocs-yml.example/",
        ),
    )
    (root / "other.yml").write_text(DESK, encoding="utf-8")
    from mkdocs.__main__ import cli as mkdocs_cli

    mkdocs_cli.main(["build", "-f", str(root / "other.yml")], standalone_mode=False)
    assert_desk_feed((root / "site" / "feed.xml").read_text(encoding="utf-8"))


def test_a_setting_mkdocs_refuses_is_a_usage_error(project, cli):
    root = project({"mkdocs.yml": "site_name: Test\nsite_url: example.org\n"})
    run = cli(root, "check")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "briefing: mkdocs.yml: site_url: The URL isn't valid, it should include the http:// "
        "(scheme)\n"
    )


def test_a_plugin_that_is_not_installed_is_a_usage_error(project, cli):
    run = cli(project({"mkdocs.yml": "site_name: Test\nplugins:\n  - no-such-plugin\n"}), "check")
    assert (run.code, run.err) == (
        2,
        'briefing: mkdocs.yml: plugins: The "no-such-plugin" plugin is not installed\n',
    )


def test_a_missing_inherited_file_is_a_usage_error(project, cli):
    run = cli(project({"mkdocs.yml": "INHERIT: base.yml\nsite_name: Test\n"}), "check")
    assert run.code == 2
    assert run.err.startswith(
        "briefing: cannot read mkdocs.yml: Inherited config file 'base.yml' does not exist at "
    )


# --- plugin options -----------------------------------------------------------------------------

PLUGIN_OPTIONS = """\
site_name: Test
theme:
  name: material
  features: [content.action.edit]
repo_url: https://example.org/desk/
edit_uri: edit/main/
plugins:
  - briefings:
      content_dir: editorial
      templates_dir: looks
"""


@pytest.fixture
def optioned(project) -> Path:
    """A project whose content lies in editorial/ and whose own templates lie in looks/."""
    from conftest import ACTORS, BRIEFING, SOURCES

    return project(
        {
            "mkdocs.yml": PLUGIN_OPTIONS,
            "content/actors.yaml": None,
            "content/sources.yaml": None,
            "content/briefings/b1.yaml": None,
            "editorial/actors.yaml": ACTORS,
            "editorial/sources.yaml": SOURCES,
            "editorial/briefings/b1.yaml": BRIEFING,
            "editorial/pages/about.md": "# About\n\nWho we are.\n",
            "looks/pages/home.md.j2": "# Our own home page\n",
            "looks/overrides/partials/copyright.html": "<p>Own footer</p>\n",
            "docs/.gitignore": DOCS_GITIGNORE,
        }
    )


def test_briefing_commands_read_the_content_folder_of_the_plugin(optioned, cli):
    run = cli(optioned, "check")
    assert (run.code, run.out) == (
        0,
        "ok: 3 files, 5 records, 1 quotes verified, 0 not verifiable (no local text)\n",
    )


def test_the_content_option_of_a_command_wins_over_the_plugins(optioned, cli):
    run = cli(optioned, "check", "--content", "nothing")
    assert (run.code, run.err) == (
        2,
        f"briefing: content folder not found: {optioned.resolve() / 'nothing'}\n",
    )


def test_plain_mkdocs_build_uses_the_options(optioned):
    """Content from content_dir, a page template and a theme partial from templates_dir over the packaged ones,
    edit links to the files in content_dir."""
    mkdocs_build(optioned)
    site = optioned / "site"
    assert (site / "briefings" / "b1" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Our own home page" in home and "<p>Own footer</p>" in home
    assert "briefing.css" in home  # the packaged overrides and stylesheet still apply
    briefing = (site / "briefings" / "b1" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/desk/edit/main/editorial/briefings/b1.yaml"' in briefing
    about = (site / "pages" / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/desk/edit/main/editorial/pages/about.md"' in about


def test_a_project_without_templates_of_its_own_uses_the_packaged_ones(project, cli):
    root = project()
    assert not (root / "site_templates").exists()
    assert cli(root, "generate").code == 0
    assert (root / "docs" / "briefings" / "b1.md").is_file()


def test_briefing_build_needs_the_plugin_in_mkdocs_yml(project, cli):
    run = cli(project(), "build")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "briefing: mkdocs.yml: plugins: 'briefings' is not listed; the site is built with it "
        "(plugins: [search, briefings])\n"
    )


def test_briefing_build_generates_once(tmp_path, cli, monkeypatch):
    """briefing build generates the docs aside itself and tells the plugin to build them as they are."""
    import generator.output.generate

    def refused(project):
        raise AssertionError("the plugin generated the docs a second time")

    monkeypatch.setattr(generator.output.generate, "generate", refused)
    root = site_project(tmp_path, ROOT)
    assert cli(root, "build").code == 0
    assert cli(root, "build", "--offline").code == 0


def test_the_plugin_builds_with_material_only(project):
    from mkdocs.exceptions import Abort

    root = project(
        {
            "mkdocs.yml": "site_name: Test\nplugins:\n  - briefings\n",
            "docs/.gitignore": DOCS_GITIGNORE,
        }
    )
    with pytest.raises(Abort) as info:
        mkdocs_build(root)
    assert str(info.value) == (
        "the briefings plugin builds with the Material theme; set theme: name: material in "
        "mkdocs.yml, not 'mkdocs'"
    )


def test_the_plugin_refuses_a_docs_dir_among_the_inputs(tmp_path):
    from mkdocs.exceptions import Abort

    root = site_project(tmp_path, ROOT)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: seeds"),
        encoding="utf-8",
    )
    with pytest.raises(Abort) as info:
        mkdocs_build(root)
    assert str(info.value) == (
        "mkdocs.yml: docs_dir 'seeds' is an input folder; a build replaces it whole, so it must "
        "lie apart from content/, seeds/, site_templates/, generator/ and .git/"
    )


def test_a_dirty_preview_build_leaves_material_search_the_kept_index(tmp_path):
    """A dirty build of the preview renders a few pages; Material's search plugin would parse each and write
    the last whole index again with them merged in. It indexes nothing then, and writes the index kept."""
    from mkdocs.config import load_config

    from generator.plugin import _leave_unindexed

    root = site_project(tmp_path, ROOT)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    search = config.plugins["material/search"]
    search.on_config(config)
    kept = b'{"config": {"lang": ["en"]}, "docs": [{"location": "kept/"}]}'
    assert _leave_unindexed(config, kept) is True
    search.search_index.add_entry_from_context(None)  # a rendered page: not parsed
    assert search.search_index.entries == []
    search.on_post_build(config=config)
    assert (tmp_path / "site" / "search" / "search_index.json").read_bytes() == kept

    class Other(type(search.search_index)):  # a search plugin this was not written for
        pass

    search.search_index = Other(**search.config)
    assert _leave_unindexed(config, kept) is False
    assert type(search.search_index) is Other


def test_a_preview_compiles_the_themes_templates_once(tmp_path):
    """MkDocs makes the theme's environment anew at every build; while previewing its templates are compiled
    at the first build only, and one whose source changed is compiled again."""
    import jinja2

    from generator.plugin import BriefingsPlugin
    from generator.preview import PreviewSession
    from generator.project import find_project

    (tmp_path / "theme").mkdir()
    page = tmp_path / "theme" / "main.html"
    page.write_text("{{ 1 + 1 }}", encoding="utf-8")
    plugin = BriefingsPlugin()
    assert plugin.on_env(jinja2.Environment(), config=None, files=None).bytecode_cache is None
    (tmp_path / "p").mkdir()
    plugin.session = PreviewSession(find_project(site_project(tmp_path / "p", ROOT)))
    compiled = []

    def build() -> str:
        env = plugin.on_env(
            jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "theme")),
            config=None,
            files=None,
        )
        compile_ = env.compile
        env.compile = lambda *a, **k: compiled.append(1) or compile_(*a, **k)
        return env.get_template("main.html").render()

    assert [build(), build()] == ["2", "2"] and len(compiled) == 1
    page.write_text("{{ 2 + 2 }}", encoding="utf-8")
    assert build() == "4" and len(compiled) == 2


def test_the_repository_site_is_built_without_custom_dir():
    """mkdocs.yml lists the plugin and leaves the overrides and the stylesheet to it."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "custom_dir" not in text and "hooks:" not in text and "  - briefings\n" in text
    assert not (ROOT / "generator" / "mkdocs_hook.py").exists()


# --- a desk's own folder, with this project installed from a wheel --------------------------------


def run(args: list, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with this project installed from its source files, not editable; its bin/.

    pip builds the wheel from a copy of what the package is made of, so nothing is written into the
    repository, and installs it with the versions of constraints.txt, as ``make setup`` does.
    """
    base = tmp_path_factory.mktemp("installed")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("generator", "site_templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    venv = base / "venv"
    made = run([sys.executable, "-m", "venv", venv], base)
    assert made.returncode == 0, made.stderr
    pip = [
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        ROOT / "constraints.txt",
    ]
    for args in (["--upgrade", "pip"], ["--build-constraint", ROOT / "constraints.txt", source]):
        done = run([*pip, *args], base)
        assert done.returncode == 0, done.stderr
    return venv / "bin"


@pytest.mark.slow
def test_the_wheel_holds_every_template(installed):
    where = run([installed / "python", "-c", PACKAGE_FOLDER], installed)
    package = Path(where.stdout.strip())
    assert package.is_relative_to(installed.parent), (
        package
    )  # the installed copy, not this repository
    shipped = {
        p.relative_to(package / "site_templates").as_posix()
        for p in (package / "site_templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    source = {
        p.relative_to(ROOT / "site_templates").as_posix()
        for p in (ROOT / "site_templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped == source


@pytest.mark.slow
def test_a_desks_own_folder_builds_with_plain_mkdocs_build(installed, tmp_path):
    """The issue's "Done when": only mkdocs.yml (INHERIT of a base file with the publisher, site_url from the
    environment, plugins: [search, briefings]), content/ and seeds/; plain `mkdocs build` builds the briefings."""
    root = desk(tmp_path / "desk")
    built = run([installed / "mkdocs", "build"], root, BRIEFING_TEST_SITE_URL=ENV_URL)
    assert built.returncode == 0, built.stderr
    assert re.search(
        r"INFO    -  briefing: [1-9][0-9]* page\(s\) written, 0 removed\n", built.stderr
    )  # all but docs/.gitignore
    assert (root / "site" / "briefings" / SEED / "index.html").is_file()
    assert_desk_feed((root / "site" / "feed.xml").read_text(encoding="utf-8"))
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert (
        "Content-Security-Policy" in home and "assets/stylesheets/briefing.css" in home
    )  # overrides from the wheel
    assert (root / "site" / "assets" / "javascripts" / "iframe-worker-shim.js").is_file()
    checked = run([installed / "briefing", "check"], root)
    assert (checked.returncode, checked.stdout) == (
        0,
        "ok: 3 files, 23 records, 32 quotes verified, 0 not verifiable (no local text)\n",
    )


@pytest.mark.slow
def test_a_desk_without_docs_folder_is_refused_by_mkdocs_before_any_plugin(installed, tmp_path):
    """Why a desk commits docs/.gitignore: MkDocs checks that docs_dir exists before it loads a plugin."""
    root = desk(tmp_path / "desk")
    shutil.rmtree(root / "docs")
    built = run([installed / "mkdocs", "build"], root)
    assert built.returncode == 1
    assert (
        f"Config value 'docs_dir': The path '{root / 'docs'}' isn't an existing directory."
        in built.stderr
    )
    checked = run(
        [installed / "briefing", "check"], root
    )  # the briefing commands need no docs folder
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "template", "link"),
    [
        (
            "https://github.com/o/r",
            "edit/main/",
            None,
            "https://github.com/o/r/edit/main/content/b/x.yaml",
        ),
        (
            "https://github.com/o/r/",
            None,
            None,
            "https://github.com/o/r/edit/main/content/b/x.yaml",
        ),
        (
            "https://github.com/o/r",
            "blob/dev",
            None,
            "https://github.com/o/r/blob/dev/content/b/x.yaml",
        ),
        (
            "https://gitlab.com/o/r",
            None,
            "-/edit/main/{path}",
            "https://gitlab.com/o/r/-/edit/main/content/b/x.yaml",
        ),
        (
            "https://wiki.example/r",
            None,
            "?page={path_noext}",
            "https://wiki.example/r?page=content/b/x",
        ),
        ("https://host.example/r", "#edit=", None, "https://host.example/r#edit=content/b/x.yaml"),
    ],
)
def test_edit_links_follow_edit_uri_and_its_template_as_mkdocs_does(
    repo_url, edit_uri, template, link
):
    from generator.config import edit_url

    assert edit_url(repo_url, edit_uri, template, "content/b/x.yaml") == link
