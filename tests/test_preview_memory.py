"""A preview remembers, once a save's pages are all written, what each page shows: the next preview of the same
docs renders only what changed since, and its docs are those a full generation makes."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, site_project

from generator.output.generate import generate
from generator.output.manifest import read_manifest
from generator.pages import render
from generator.preview import Inputs, Preview
from generator.project import find_project

TWOSTORY = ROOT / "tests" / "cases" / "twostory"


def _edit(root: Path, old: str, new: str) -> None:
    briefing = root / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert old in text
    briefing.write_text(text.replace(old, new, 1), encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".briefing-manifest.json"
    }


def test_the_next_preview_renders_only_what_changed_since_the_last_one(tmp_path, monkeypatch):
    (tmp_path / "desk").mkdir()
    root = site_project(tmp_path / "desk", TWOSTORY)
    project = find_project(root)
    first = Preview(project)
    first.generate_all()
    docs = project.site.docs_dir
    assert "memory" in read_manifest(docs)  # a full generation remembers too
    _edit(root, "Talks on the filling", "Talks on the new filling")
    first.save(Inputs.of(project))
    first.follow_up()
    assert first.pending == set()
    remembered = read_manifest(docs)
    assert remembered["inputs"] == "" and "memory" in remembered

    _edit(root, "no agreement is in sight", "no agreement is yet in sight")  # while no preview runs
    rendered: list[str] = []
    real = render.Renderer.render
    monkeypatch.setattr(
        render.Renderer, "render", lambda self, page: rendered.append(page.url) or real(self, page)
    )
    second = Preview(find_project(root))
    second.generate_all()
    planned = len(second.shows)
    assert 0 < len(rendered) < planned / 2, (len(rendered), planned)
    assert "briefings/kessel-dam-2031-03-19/" in rendered
    assert "briefings/2025-12-29-trump-putin-second-call/" not in rendered

    full = tmp_path / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("docs", "site", ".briefing-preview"))
    (full / "docs").mkdir()
    shutil.copy(ROOT / "docs" / ".gitignore", full / "docs" / ".gitignore")
    generate(find_project(full), drafts=True)
    assert _files(docs) == _files(full / "docs")
