"""The manifest: an unchanged project skips generation; a new library version does not count as unchanged."""

from __future__ import annotations

import pytest
from conftest import ROOT, site_project

from generator.output import manifest
from generator.output.generate import generate
from generator.project import find_project


def with_version(monkeypatch, library: str, version: str) -> None:
    """``importlib.metadata`` reports ``version`` for ``library`` (as after an upgrade), the truth for the rest."""
    real = manifest.metadata.version
    monkeypatch.setattr(
        manifest.metadata, "version", lambda name: version if name == library else real(name)
    )


def test_a_new_version_of_a_library_regenerates_the_docs(tmp_path, monkeypatch):
    project = find_project(site_project(tmp_path, ROOT))
    generate(project)
    assert generate(project).archive is None  # nothing changed: the shortcut, no check, no render
    with_version(monkeypatch, "jinja2", "3.1.99")
    assert generate(project).archive is not None  # a full run
    assert generate(project).archive is None  # and its manifest holds the new version


@pytest.mark.parametrize("library", manifest.LIBRARIES)
def test_each_library_s_version_is_fingerprinted(tmp_path, monkeypatch, library):
    project = find_project(site_project(tmp_path, ROOT))
    before = manifest.fingerprint(project, True)
    with_version(monkeypatch, library, "99.0")
    assert manifest.fingerprint(project, True) != before


def test_the_versions_fingerprinted_are_those_installed():
    from importlib.metadata import version

    lines = manifest.library_versions().splitlines()
    assert lines[:3] == [
        f"briefing-site={version('briefing-site')}",
        f"mkdocs={version('mkdocs')}",
        f"mkdocs-material={version('mkdocs-material')}",
    ]
    assert [line.split("=")[0] for line in lines] == [*manifest.LIBRARIES, "python"]


def test_a_library_that_is_not_installed_is_fingerprinted_as_absent(monkeypatch):
    def version(name):
        if name == "selectolax":
            raise manifest.metadata.PackageNotFoundError(name)
        return "1.0"

    monkeypatch.setattr(manifest.metadata, "version", version)
    assert "selectolax=absent\n" in manifest.library_versions()
