"""Python's cycle collector: paused by the CLI while it checks and generates, never while MkDocs runs."""

from __future__ import annotations

import gc

import mkdocs.commands.build
from conftest import ROOT, site_project

from generator.check import checker as check
from generator.output import build, generate


def watch(monkeypatch) -> dict[str, list[bool]]:
    """Whether the collector was on, each time the docs were generated and each time MkDocs built."""
    seen: dict[str, list[bool]] = {"generate": [], "mkdocs": []}

    def watched(name, fn):
        def run(*args, **kwargs):
            seen[name].append(gc.isenabled())
            return fn(*args, **kwargs)

        return run

    monkeypatch.setattr(build, "generate", watched("generate", build.generate))
    monkeypatch.setattr(generate, "check_project", watched("generate", generate.check_project))
    monkeypatch.setattr(
        check, "check_project", watched("generate", check.check_project)
    )  # briefing check
    monkeypatch.setattr(
        mkdocs.commands.build, "build", watched("mkdocs", mkdocs.commands.build.build)
    )
    return seen


def test_briefing_build_pauses_the_collector_for_the_generation_only(tmp_path, cli, monkeypatch):
    seen = watch(monkeypatch)
    root = site_project(tmp_path, ROOT)
    assert gc.isenabled()
    run = cli(root, "build")
    assert run.code == 0, run.err
    assert seen == {"generate": [False, False], "mkdocs": [True]}
    assert gc.isenabled()


def test_briefing_generate_and_check_pause_it_and_turn_it_back_on(tmp_path, cli, monkeypatch):
    seen = watch(monkeypatch)
    root = site_project(tmp_path, ROOT)
    assert cli(root, "generate").code == 0 and cli(root, "check").code == 0
    assert seen["generate"] == [False, False] and gc.isenabled()


def test_a_failed_generation_turns_it_back_on(project, cli):
    root = project({"content/actors.yaml": "actors: []\n"})
    run = cli(root, "generate")
    assert run.code == 1
    assert gc.isenabled()


def test_the_build_keeps_no_archive_once_the_docs_are_written(tmp_path, monkeypatch):
    """MkDocs runs without the checked archive in memory (about 350 MB at 1,000 briefings), and nothing keeps a
    record of it alive after: a cache of a record's references that held its nested records strongly (each links
    back to its briefing) kept every record ever read, 2.7 million objects at 1,000 briefings, which the collector
    then walked again and again during MkDocs' build."""
    import weakref

    from generator.format.model import quotes_of
    from generator.project import find_project

    read: list = []

    def checked(*args, **kwargs):
        archive = check.check_project(*args, **kwargs)
        for b in archive.briefings:
            read.append(weakref.ref(b))
            read.extend(weakref.ref(t) for t in b.threads())
            read.extend(weakref.ref(q) for q in quotes_of(b))
        return archive

    monkeypatch.setattr(generate, "check_project", checked)
    built = build.build_site(find_project(site_project(tmp_path, ROOT)))
    assert built.generated.archive is None and built.generated.pages > 30
    gc.collect()
    assert len(read) > 30
    assert [r() for r in read if r() is not None] == []


def test_a_preview_and_plain_mkdocs_pause_it_for_the_generation(tmp_path, monkeypatch):
    """A preview's full generation (its first above all, which reads every record a file keeps on disk, millions of
    objects: with the collector on, unpickling them took ten times as long) and the plugin's own generation for
    plain ``mkdocs build``."""
    from generator.preview import Preview
    from generator.project import find_project

    seen = watch(monkeypatch)
    project = find_project(site_project(tmp_path, ROOT))
    Preview(project).generate_all()
    assert seen["generate"] == [False] and gc.isenabled()
    from mkdocs.config import load_config

    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["briefings"]
    plugin.on_config(config)
    plugin.on_pre_build(config=config)
    assert seen["generate"] == [False, False] and gc.isenabled()


def test_a_build_sets_the_archive_aside_unless_it_renders_every_page(tmp_path, cli, monkeypatch):
    """The checked archive is one web of references, freed only by a pass of the collector over it (1.1 s at
    1,000 briefings). ``briefing build`` sets it aside (``gc.freeze``) for the process's end, where it is
    dropped whole, when MkDocs renders a few pages; a build that renders every page lets it go first."""
    import weakref

    from generator.format.model import quotes_of

    read: list = []

    def checked(*args, **kwargs):
        archive = check.check_project(*args, **kwargs)
        read[:] = [weakref.ref(b) for b in archive.briefings]
        read.extend(weakref.ref(q) for b in archive.briefings for q in quotes_of(b))
        return archive

    at_mkdocs: list[tuple[int, int]] = []

    def mkdocs_build(*args, **kwargs):
        at_mkdocs.append((gc.get_freeze_count(), sum(r() is not None for r in read)))
        return real_build(*args, **kwargs)

    real_build = mkdocs.commands.build.build
    monkeypatch.setattr(generate, "check_project", checked)
    monkeypatch.setattr(mkdocs.commands.build, "build", mkdocs_build)
    root = site_project(tmp_path, ROOT)
    assert cli(root, "build").code == 0  # cold: no site yet
    frozen, alive = at_mkdocs[-1]
    assert len(read) > 30 and (frozen, alive) == (0, 0)
    path = sorted((root / "content" / "briefings").glob("*.yaml"))[-1]
    path.write_text(
        path.read_text(encoding="utf-8").replace("summary: >\n  ", "summary: >\n  Edited. ", 1),
        encoding="utf-8",
    )
    run = cli(root, "build")
    assert run.code == 0, run.err
    frozen, alive = at_mkdocs[-1]
    assert frozen > 0 and alive == len(read)
    gc.collect()
    assert sum(r() is not None for r in read) == len(read)  # no pass looks at it
    gc.unfreeze()
    gc.collect()
    assert [r for r in read if r() is not None] == []  # the archive was garbage, set aside
