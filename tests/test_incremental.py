"""An incremental `briefing build` renders only what changed, and its site is byte for byte the site a cold build
of the same inputs makes in another folder."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, add_new_story, with_story_indexes

from generator.output.build import build_site
from generator.output.incremental import RECORD
from generator.project import find_project

sys.path.insert(0, str(ROOT / "benchmarks"))
from run import project_for  # noqa: E402

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(a: Path, b: Path) -> list[str]:
    one, two = tree(a), tree(b)
    return sorted(rel for rel in one.keys() | two.keys() if one.get(rel) != two.get(rel))


def inputs_copy(src: Path, dest: Path) -> Path:
    """The inputs of ``src`` (no docs/, no site/) in ``dest``, as a fresh clone has them."""
    dest.mkdir()
    for name in ("mkdocs.yml", "content", "seeds", "site_templates"):
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name)
        else:
            shutil.copy(src / name, dest / name)
    (dest / "docs").mkdir()
    return dest


def briefing_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "briefings").glob("*.yaml"))


def edit(root: Path) -> None:
    """The edits of a desk's day: the oldest and the newest briefing, a new one, a deleted one, an actor,
    a page template and a theme override."""
    files = briefing_files(root)
    oldest, newest, gone = files[0], files[-1], files[len(files) // 2]
    for path, words in ((oldest, "oldest"), (newest, "newest")):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("\n  Summary ", f"\n  Edited ({words}). ", 1), encoding="utf-8"
        )
    text = newest.read_text(encoding="utf-8")
    date = re.search(r"^date: (\S+)$", text, re.M)[1]  # type: ignore[index]
    new = newest.with_name("9999-new.yaml")
    new.write_text(
        text.replace(f"id: {newest.stem}", "id: 9999-new", 1).replace(
            f"date: {date}", f"date: {date}\norder: 2", 1
        ),
        encoding="utf-8",
    )
    gone.unlink()
    actors = root / "content" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace(" Example", " Example Jr", 1), encoding="utf-8")
    template = root / "site_templates" / "pages" / "source.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_an_incremental_build_is_the_cold_build_of_the_same_inputs(tmp_path):
    root = project_for(12, tmp_path / "desk")
    first = build_site(find_project(root))
    assert first.rendered is None and "no record" in first.cold
    again = build_site(find_project(root))
    assert again.rendered == 0  # nothing changed: MkDocs not run, site/ as it was
    before = tree(root / "site")

    edit(root)
    built = build_site(find_project(root))
    assert built.cold == ""
    pages = sum(1 for p in (root / "site").rglob("index.html"))
    changed = [rel for rel in built.generated.report.written if rel.endswith(".md")]
    assert built.rendered == len(changed) < pages, (
        built.rendered,
        pages,
    )  # the pages whose docs changed
    assert tree(root / "site") != before

    cold = inputs_copy(root, tmp_path / "cold")
    build_site(find_project(cold))
    assert differences(root / "site", cold / "site") == []


def test_a_changed_theme_override_or_setting_builds_cold_and_says_why(tmp_path):
    root = project_for(3, tmp_path / "desk")
    build_site(find_project(root))
    override = root / "site_templates" / "overrides" / "main.html"
    override.write_text(
        override.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8"
    )
    built = build_site(find_project(root))
    assert built.rendered is None
    assert (
        built.cold
        == "mkdocs.yml, a template, the generator or a library changed since the last build"
    )
    assert build_site(find_project(root)).rendered == 0

    (root / "site" / "404.html").write_text("changed by hand", encoding="utf-8")
    assert build_site(find_project(root)).cold == "site/ was changed since it was built"
    (root / "site" / RECORD).unlink()
    assert build_site(find_project(root)).cold == "site/ holds no record of its build"
    assert build_site(find_project(root), clean=True).cold == "--clean was given"


def test_the_cli_says_what_it_rendered(tmp_path, cli):
    root = project_for(3, tmp_path / "desk")
    run = cli(root, "build")
    assert run.code == 0, run.err
    assert (
        "pages (88 regenerated, every page rendered: site/ holds no record of its build)" in run.out
    )
    run = cli(root, "build")
    assert (
        run.out.startswith("ok: ")
        and "nothing changed since site/ was built, so it stays as it is" in run.out
    )
    (newest,) = briefing_files(root)[-1:]
    newest.write_text(newest.read_text(encoding="utf-8").replace("summary: ", "summary: Now. ", 1))
    run = cli(root, "build", "-v")
    assert re.search(
        r"\(\d+ regenerated, \d+ rendered, the others kept from the last build\)", run.out
    ), run.out
    # Pagefind's service read the kept pages while the build checked and generated (searchfeed.py)
    assert "] search: Pagefind's index, begun with the check\n" in run.err, run.err


def test_files_of_the_old_site_are_never_written_through_their_links(tmp_path):
    """The new site shares the old one's unchanged files (hard links); the build never writes into them."""
    root = project_for(3, tmp_path / "desk")
    build_site(find_project(root))
    kept = tmp_path / "kept"
    shutil.copytree(root / "site", kept)
    old = root / "site"
    moved = tmp_path / "old-site"
    shutil.copytree(old, moved, copy_function=lambda a, b: Path(b).hardlink_to(a))
    (newest,) = briefing_files(root)[-1:]
    newest.write_text(newest.read_text(encoding="utf-8").replace("summary: ", "summary: Now. ", 1))
    build_site(find_project(root))
    match, mismatch, errors = filecmp.cmpfiles(kept, moved, list(tree(kept)), shallow=False)
    assert mismatch == [] and errors == []


def test_the_pages_workflow_restores_the_last_build_of_main_and_only_main_saves_it():
    import yaml

    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    )
    steps = workflow["jobs"]["build"]["steps"]
    names = [s.get("name", "") for s in steps]
    restore = steps[names.index("Restore the last build")]
    build = names.index("Build the site")
    save = steps[names.index("Keep this build for the next push")]
    assert (
        names.index("Restore the last build")
        < build
        < names.index("Keep this build for the next push")
    )
    assert steps[build]["run"] == "make site"
    for step in (restore, save):
        assert step["with"]["path"].split() == ["docs", "site", ".briefing-cache"]
        key = step["with"]["key"]
        assert "hashFiles('constraints.txt', 'pyproject.toml', 'mkdocs.yml')" in key
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith(
        "actions/cache/save@"
    )
    assert restore["if"] == "${{ !inputs.clean }}"  # a run by hand with clean builds from nothing
    assert "refs/heads/main" in save["if"] and "pull_request" in save["if"]
    assert workflow[True]["workflow_dispatch"]["inputs"]["clean"]["type"] == "boolean"
    # the key that signs the kept briefings: main's runs only, never a pull request's
    key_restore = steps[names.index("Restore the key of the kept briefings")]
    key_save = steps[names.index("Keep the key of the kept briefings")]
    assert names.index("Restore the key of the kept briefings") < build
    for step in (key_restore, key_save):
        assert step["with"]["path"] == "~/.cache/briefing-site"
        assert "github.event_name != 'pull_request'" in step["if"]
        assert "github.ref == 'refs/heads/main'" in step["if"]


def test_an_edit_rebuilds_the_search_index_of_its_story_only(tmp_path):
    """With ``search_indexes: story`` each story has its own search index: an edit to one story's briefing
    builds that story's index again (and the site's own, when a page of it was written), and links the other
    stories' indexes unchanged."""
    from conftest import site_project

    (tmp_path / "desk").mkdir()
    root = site_project(tmp_path / "desk", ROOT / "tests" / "cases" / "twostory")
    with_story_indexes(root)
    build_site(find_project(root))
    indexes = root / "site" / "pagefind"
    bundles = json.loads((indexes / "bundles.json").read_text())
    assert bundles["main"] == "main/"
    assert sorted(bundles["merge"]) == ["story/kessel-dam/", "story/russia-ukraine-peace-talks/"]

    def inodes(folder: str) -> dict[str, int]:
        return {
            p.relative_to(indexes).as_posix(): p.stat().st_ino
            for p in (indexes / folder).rglob("*")
            if p.is_file()
        }

    other = inodes("story/russia-ukraine-peace-talks")
    edited = inodes("story/kessel-dam")
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace("Talks on the filling", "Talks on the new filling", 1))
    built = build_site(find_project(root))
    assert built.cold == ""
    cold = inputs_copy(root, tmp_path / "cold")
    build_site(find_project(cold))
    assert differences(root / "site", cold / "site") == []
    assert inodes("story/russia-ukraine-peace-talks") == other  # linked from the last build
    assert not set(inodes("story/kessel-dam").values()) & set(edited.values())


def _kessel_edit(root: Path) -> None:
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace("Talks on the filling", "Talks on the new filling", 1))


def _claim_edited(root: Path) -> None:
    """A record's own words: the pages that show the claim (its claimant's, the claims' lists) change."""
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "has cut the Vell River's flow" in text
    briefing.write_text(
        text.replace("has cut the Vell River's flow", "has cut the river's flow", 1)
    )


def _title_edited(root: Path) -> None:
    """The briefing's title, which every page that shows one of its records links with."""
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(
        text.replace("title: Kessel Dam dispute after", "title: Kessel Dam row after", 1)
    )


def _tag_dropped(root: Path) -> None:
    """The tag page of "water" stays (the other Kessel Dam briefing has it) and no longer shows this one."""
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "\n  - water\n" in text
    briefing.write_text(text.replace("\n  - water\n", "\n", 1))


def _made_draft(root: Path) -> None:
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    briefing.write_text("draft: true\n" + briefing.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "kept", "early"),
    [
        (_kessel_edit, True, [True]),
        (_claim_edited, True, [True]),
        (_title_edited, True, [True]),
        (add_new_story, True, [False]),
        (_tag_dropped, True, [True]),
        (_made_draft, False, [False]),
    ],
    ids=["edit", "claim-edited", "title-edited", "new-story", "tag-dropped", "made-draft"],
)
def test_briefing_edits_render_only_the_pages_that_show_them(
    tmp_path, monkeypatch, change, kept, early
):
    """After an edit of briefings only, the generation renders the pages that show a changed briefing (and
    those that list the archive in brief) and keeps the others' docs as they were; the docs and the site
    are those a cold build of the same inputs makes. A briefing that leaves the site renders every page.
    The search index is written by Pagefind's service from the pages it read while the build generated
    (searchfeed.py) when the site's searchable pages are the same ones (``early``: what ``Feed.finish``
    returned: a new story's pages, or the pages of a briefing that leaves the site, leave it to the command
    line)."""
    from conftest import site_project

    from generator.output.searchfeed import Feed
    from generator.progress import Progress

    (tmp_path / "desk").mkdir()
    root = site_project(tmp_path / "desk", ROOT / "tests" / "cases" / "twostory")
    build_site(find_project(root))
    change(root)
    progress = Progress()
    finished: list[bool] = []
    real = Feed.finish

    def spied(self, out):
        finished.append(real(self, out))
        return finished[-1]

    monkeypatch.setattr(Feed, "finish", spied)
    build_site(find_project(root), progress=progress)
    monkeypatch.undo()
    assert (progress.figures.get("pages_kept", 0) > 0) is kept, progress.figures
    assert finished == early
    cold = inputs_copy(root, tmp_path / "cold")
    build_site(find_project(cold))
    assert differences(root / "docs", cold / "docs") == []  # the manifest and its memory too
    assert differences(root / "site", cold / "site") == []


@pytest.mark.parametrize(
    ("change", "renders_records"),
    [(_kessel_edit, False), (_claim_edited, True), (_title_edited, True)],
    ids=["summary", "claim", "title"],
)
def test_an_edit_of_a_briefings_own_text_leaves_the_pages_of_its_records(
    tmp_path, monkeypatch, change, renders_records
):
    """The summary, bottom line and key points show only where the briefing is shown whole: an edit of them
    leaves the pages that show only its records (its claimant's page) as they are, not rendered again; an
    edit of a record or of the briefing's title renders them."""
    from conftest import site_project

    from generator.output import generate as generation

    (tmp_path / "desk").mkdir()
    root = site_project(tmp_path / "desk", ROOT / "tests" / "cases" / "twostory")
    build_site(find_project(root))
    change(root)
    rendered: list[str] = []
    real = generation.render_pages

    def spied(renderer, pages, *args, **kwargs):
        rendered.extend(p.file(renderer.directory_urls) for p in pages)
        return real(renderer, pages, *args, **kwargs)

    monkeypatch.setattr(generation, "render_pages", spied)
    build_site(find_project(root))
    assert "briefings/kessel-dam-2031-03-19.md" in rendered, rendered
    assert ("actors/oskar-drev.md" in rendered) is renders_records, rendered


def test_another_version_of_a_plugin_changes_the_key_of_every_page(tmp_path, monkeypatch):
    """A plugin is known by the distribution its entry point comes from, at its version: another version of
    Material (whose search and tags plugins a site lists) builds cold."""
    from conftest import site_project
    from mkdocs.config import load_config

    from generator.output import incremental

    (tmp_path / "p").mkdir()
    root = site_project(tmp_path / "p", ROOT)
    cfg = load_config(str(root / "mkdocs.yml"))
    plugin = cfg.plugins["material/tags"] if "material/tags" in cfg.plugins else cfg.plugins["tags"]
    from importlib import metadata

    assert (
        incremental._version_of(plugin) == f"mkdocs-material={metadata.version('mkdocs-material')}"
    )
    key = incremental.site_key(cfg, root, [root / "site_templates"])
    assert incremental.site_key(cfg, root, [root / "site_templates"]) == key
    known = dict(incremental._plugin_distributions())
    monkeypatch.setattr(
        incremental,
        "_plugin_distributions",
        lambda: {k: v.replace("mkdocs-material=", "mkdocs-material=0.") for k, v in known.items()},
    )
    assert incremental.site_key(cfg, root, [root / "site_templates"]) != key


def test_a_docs_file_whose_digest_was_kept_is_not_read_again(tmp_path, monkeypatch):
    """The digest of a docs file that is the very file a digest was kept for (the same inode, size and time of
    change: generation hard-links what it did not change) is taken from the cache; a file written anew, or
    changed in place, is read."""
    import os
    import time

    from generator.output import incremental

    docs, kept = tmp_path / "docs", tmp_path / "digests.json"
    for i in range(5):
        (docs / f"p{i}").mkdir(parents=True)
        (docs / f"p{i}" / "index.md").write_text(f"page {i}\n", encoding="utf-8")
    incremental.docs_digests(docs, kept)
    staged = tmp_path / "staged"
    shutil.copytree(docs, staged, copy_function=os.link)
    (staged / "p1" / "index.md").unlink()
    (staged / "p1" / "index.md").write_text("page 1, edited\n", encoding="utf-8")
    time.sleep(0.01)
    with (staged / "p3" / "index.md").open("r+", encoding="utf-8") as f:  # same size, in place
        f.write("PAGE")
    read: list[str] = []
    real = Path.read_bytes

    def counted(path: Path) -> bytes:
        read.append(path.relative_to(staged).as_posix())
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    got = incremental.docs_digests(staged, kept)
    assert sorted(read) == ["p1/index.md", "p3/index.md"]
    monkeypatch.setattr(Path, "read_bytes", real)
    assert got == incremental.docs_digests(staged)


def test_the_search_index_is_begun_early_only_when_only_briefings_changed(tmp_path, monkeypatch):
    """Pagefind's service reads the kept pages while the build generates only when the last generation's
    memory fits (only briefing files changed), the build most likely reusing its site: another input's
    change (an actor, a template, the generator) most often renders every page, which cuts every page
    again, and the service would only take a core from the generation."""
    from conftest import site_project

    from generator.output import searchfeed

    (tmp_path / "desk").mkdir()
    root = site_project(tmp_path / "desk", ROOT / "tests" / "cases" / "twostory")
    build_site(find_project(root))
    begun: list[Path] = []
    real = searchfeed.Feed.__init__

    def spied(self, folder, *args):
        begun.append(folder)
        real(self, folder, *args)

    monkeypatch.setattr(searchfeed.Feed, "__init__", spied)
    actors = root / "content" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_site(find_project(root))
    assert begun == []
    _kessel_edit(root)
    build_site(find_project(root))
    assert begun == [root / ".briefing-cache" / "search" / "main"]


def test_a_project_restored_elsewhere_reads_only_the_edited_pages_again_for_search(
    tmp_path, monkeypatch
):
    """A CI runner restores docs/, site/ and .briefing-cache/ from the Actions cache: the same bytes in files
    of another identity. The kept pages Pagefind's service read early are marked anew, not read again; only
    the pages of the edit are, and the site is the cold build's."""
    from conftest import site_project

    from generator.output.searchfeed import Feed, Service

    (tmp_path / "desk").mkdir()
    root = site_project(tmp_path / "desk", ROOT / "tests" / "cases" / "twostory")
    build_site(find_project(root))
    restored = tmp_path / "runner"
    shutil.copytree(root, restored, symlinks=True)  # new inodes, the same bytes and times
    _kessel_edit(restored)
    finished: list[bool] = []
    replaced: list[str] = []
    real_finish, real_replace = Feed.finish, Service.replace

    def finish(self, out):
        finished.append(real_finish(self, out))
        return finished[-1]

    def replace(self, folder, rel):
        replaced.append(rel)
        real_replace(self, folder, rel)

    monkeypatch.setattr(Feed, "finish", finish)
    monkeypatch.setattr(Service, "replace", replace)
    build_site(find_project(restored))
    monkeypatch.undo()
    assert finished == [True]
    assert "briefings/kessel-dam-2031-03-19/index.html" in replaced
    searchable = len(list((restored / ".briefing-cache" / "search" / "main").rglob("*.html")))
    assert 0 < len(replaced) < searchable / 4, (replaced, searchable)
    cold = inputs_copy(restored, tmp_path / "cold")
    build_site(find_project(cold))
    assert differences(restored / "site", cold / "site") == []
