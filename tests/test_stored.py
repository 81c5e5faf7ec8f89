"""Briefings kept on disk between runs (check/stored.py): the same docs as a fresh read, a changed file or
source text read again, and an entry that is not ours never trusted."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, site_project

from generator.check import content, stored
from generator.check.checker import check_project
from generator.config import read_site_config
from generator.errors import ContentError
from generator.output.generate import render_docs
from generator.project import Project, find_project


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    """A key of this test's own (the user's cache folder is left alone)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))


@pytest.fixture
def archive(tmp_path) -> Path:
    dest = tmp_path / "p"
    dest.mkdir()
    return site_project(dest, ROOT / "tests" / "cases" / "archive")


def records_read(monkeypatch) -> list[str]:
    """The files whose records are made from their YAML in the runs that follow (not handed back)."""
    made: list[str] = []
    real = content.to_record

    def counted(node, record, where, out):
        made.append(node.path)
        return real(node, record, where, out)

    monkeypatch.setattr(content, "to_record", counted)
    return made


def briefings_read(made: list[str]) -> list[str]:
    return sorted(p for p in made if "/briefings/" in p)


def docs(root: Path) -> dict[str, bytes]:
    project = find_project(root)
    return render_docs(project, read_site_config(root))[1]


def test_records_kept_on_disk_give_the_same_docs_as_a_fresh_read(archive, monkeypatch):
    made = records_read(monkeypatch)
    fresh = docs(archive)
    files = sorted((archive / "content" / "briefings").glob("*.yaml"))
    assert len(briefings_read(made)) == len(files) > 3
    entries = sorted((archive / stored.FOLDER).iterdir())
    assert len(entries) == len(files)
    made.clear()
    again = docs(archive)
    assert briefings_read(made) == []  # every briefing handed back
    assert again == fresh
    assert sorted((archive / stored.FOLDER).iterdir()) == entries


def test_a_kept_record_comes_with_its_references_and_placeholders(archive, monkeypatch):
    """What the check's rules find in each briefing (its references, its placeholders) is kept with it: a
    record handed back is not walked again for them, and the check says the same."""
    from generator.check import drafts
    from generator.format import model

    fresh = docs(archive)
    project = find_project(archive)
    first = check_project(project, kept=True)
    walked: list[str] = []
    for module, name in ((model, "_references"), (drafts, "_placeholders")):
        real = getattr(module, name)

        def counted(rec, real=real, name=name):
            walked.append(name)
            return real(rec)

        monkeypatch.setattr(module, name, counted)
    monkeypatch.setattr(model._REFERENCES, "find", model._references)
    monkeypatch.setattr(drafts._FOUND, "find", drafts._placeholders)
    again = check_project(project, kept=True)
    assert walked == []
    assert [str(d) for d in again.warnings] == [str(d) for d in first.warnings]
    assert docs(archive) == fresh


def test_an_edited_briefing_is_read_again_and_only_it(archive, monkeypatch):
    made = records_read(monkeypatch)
    docs(archive)
    path = sorted((archive / "content" / "briefings").glob("*.yaml"))[-1]
    path.write_text(path.read_text().replace("summary: ", "summary: Edited. ", 1))
    made.clear()
    edited = docs(archive)
    assert briefings_read(made) == [f"content/briefings/{path.name}"]
    shutil.rmtree(archive / stored.FOLDER)
    assert docs(archive) == edited


def test_a_changed_source_text_places_every_quote_again(archive, monkeypatch):
    project = find_project(archive)
    before = {q.span for b in check_project(project, kept=True).briefings for q in _quotes(b)}
    seeds = sorted(p for p in (archive / "seeds").rglob("*.txt") if p.stat().st_size)
    for seed in seeds:  # every quote moves by the line put in front
        seed.write_text("A line put in front.\n\n" + seed.read_text())
    made = records_read(monkeypatch)
    entries = {p: p.read_bytes() for p in (archive / stored.FOLDER).iterdir()}
    moved = check_project(project, kept=True)
    assert briefings_read(made) == []  # read as they were kept, placed again
    # and kept again with their new places
    assert all(p.read_bytes() != was for p, was in entries.items() if p.exists())
    spans = {q.span for b in moved.briefings for q in _quotes(b)}
    assert spans != before
    shutil.rmtree(archive / stored.FOLDER)
    assert {
        q.span for b in check_project(project, kept=True).briefings for q in _quotes(b)
    } == spans


def _quotes(b):
    from generator.format.model import quotes_of

    return [q for q in quotes_of(b) if q.span is not None]


def test_a_briefing_with_an_error_is_not_kept(archive):
    project = find_project(archive)
    path = sorted((archive / "content" / "briefings").glob("*.yaml"))[0]
    path.write_text(path.read_text().replace("summary: ", "summary:\n  - not text\nx: ", 1))
    with pytest.raises(ContentError):
        check_project(project, kept=True)
    folder = archive / stored.FOLDER
    store = stored.Stored.of(project)
    assert store is not None
    assert not store._entry(f"content/briefings/{path.name}").exists()
    assert len(list(folder.iterdir())) == len(list(path.parent.glob("*.yaml"))) - 1


def test_an_entry_altered_or_signed_with_another_key_is_read_again(archive, monkeypatch, tmp_path):
    made = records_read(monkeypatch)
    fresh = docs(archive)
    entries = sorted((archive / stored.FOLDER).iterdir())
    altered = entries[0].read_bytes()
    i = altered.index(b"Summary") if b"Summary" in altered else len(altered) // 2
    entries[0].write_bytes(altered[:i] + bytes([altered[i] ^ 1]) + altered[i + 1 :])
    made.clear()
    assert docs(archive) == fresh
    assert len(briefings_read(made)) == 1  # the altered one
    monkeypatch.setenv(
        "XDG_CACHE_HOME", str(tmp_path / "another-home")
    )  # another key: no entry is ours
    made.clear()
    assert docs(archive) == fresh
    assert len(briefings_read(made)) == len(entries)


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_a_signed_entry_that_names_anything_but_a_record_class_runs_nothing(archive, monkeypatch):
    """Were the key to leak, an entry could still build only records: the unpickler refuses other callables."""
    made = records_read(monkeypatch)
    fresh = docs(archive)
    project = find_project(archive)
    store = stored.Stored.of(project)
    assert store is not None
    path = sorted((archive / "content" / "briefings").glob("*.yaml"))[0]
    rel = f"content/briefings/{path.name}"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    body = pickle.dumps((store.stamp, rel, digest, "", _Boom(), []), protocol=5)
    store._entry(rel).write_bytes(hmac.new(store.key, body, hashlib.sha256).digest() + body)
    monkeypatch.chdir(archive)
    made.clear()
    assert docs(archive) == fresh
    assert briefings_read(made) == [rel]
    assert not (archive / "pwned").exists()
    with pytest.raises(pickle.UnpicklingError, match="posix.system is not a record class"):
        stored._Restricted(io.BytesIO(body)).load()


@pytest.mark.parametrize(
    "module, name",
    [
        ("generator.format.loader", "Path"),  # a class the module imports, not one it defines
        ("generator.format.loader", "yaml"),
        ("generator.format.model", "quotes_of"),  # a function
        ("builtins", "eval"),
        ("subprocess", "Popen"),
    ],
)
def test_the_unpickler_refuses_all_but_the_record_classes(module, name):
    with pytest.raises(pickle.UnpicklingError, match=f"{module}.{name} is not a record class"):
        stored._Restricted(io.BytesIO(b"")).find_class(module, name)


def test_the_unpickler_builds_the_record_classes():
    from generator.format import loader, model

    assert (
        stored._Restricted(io.BytesIO(b"")).find_class("generator.format.model", "Briefing")
        is model.Briefing
    )
    assert (
        stored._Restricted(io.BytesIO(b"")).find_class("generator.format.loader", "Scalar")
        is loader.Scalar
    )


def test_the_key_is_kept_outside_the_project_for_its_owner_only(archive, tmp_path):
    docs(archive)
    key = tmp_path / "cache-home" / stored.KEY_FILE
    assert key.stat().st_size == 32
    assert key.stat().st_mode & 0o077 == 0
    assert not key.is_relative_to(archive)


def test_a_clean_build_reads_every_file_and_renders_every_page(archive, monkeypatch):
    from generator.output.generate import generate

    project = find_project(archive)
    made = records_read(monkeypatch)
    generate(project)
    made.clear()
    assert generate(project).report.written == ()  # nothing changed: nothing read
    assert made == []
    files = list((archive / "content" / "briefings").glob("*.yaml"))
    clean = generate(project, fresh=True)
    assert len(briefings_read(made)) == len(files)
    assert clean.pages > len(files)


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(archive, tmp_path, monkeypatch):
    """A pull request could commit .briefing-cache as a link to a folder outside the project."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (archive / ".briefing-cache").symlink_to(outside, target_is_directory=True)
    made = records_read(monkeypatch)
    fresh = docs(archive)
    assert list(outside.rglob("*")) == []
    made.clear()
    assert docs(archive) == fresh
    assert len(briefings_read(made)) == len(
        list((archive / "content" / "briefings").glob("*.yaml"))
    )


def test_an_entry_that_is_a_link_is_not_read(archive, tmp_path, monkeypatch):
    made = records_read(monkeypatch)
    docs(archive)
    entry = sorted((archive / stored.FOLDER).iterdir())[0]
    aside = tmp_path / "aside.pickle"
    entry.rename(aside)
    entry.symlink_to(aside)
    made.clear()
    docs(archive)
    assert len(briefings_read(made)) == 1
    assert not entry.is_symlink()  # written over with the file's own entry


def test_without_a_place_for_the_key_every_file_is_read_and_nothing_kept(
    archive, tmp_path, monkeypatch
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    made = records_read(monkeypatch)
    first = docs(archive)
    made.clear()
    assert docs(archive) == first
    assert len(briefings_read(made)) == len(
        list((archive / "content" / "briefings").glob("*.yaml"))
    )
    assert not (archive / ".briefing-cache").exists()


def test_nodes_come_back_whole_from_an_entry():
    """Nodes pickle as their constructor's arguments (loader.py): every place, text and item comes back."""
    from generator.format.loader import Mapping, Scalar, Sequence, load_bytes_partial

    root, _ = load_bytes_partial(b"a: x\nb:\n  - 1\n  - c: 'y'\n", "f.yaml")

    def shape(node):
        said = (type(node).__name__, node.path, node.line, node.col)
        if isinstance(node, Scalar):
            return (*said, node.value)
        if isinstance(node, Sequence):
            return (*said, [shape(n) for n in node.items])
        assert isinstance(node, Mapping)
        return (*said, {k: (shape(kn), shape(vn)) for k, (kn, vn) in node.items.items()})

    again = stored._Restricted(io.BytesIO(pickle.dumps(root, protocol=5))).load()
    assert shape(again) == shape(root)
    assert shape(root)[-1]["b"][1][-1][1][-1]["c"][1][-1] == "y"


def test_a_generation_hands_back_a_kept_record_without_reading_its_file_again(archive, monkeypatch):
    """The fingerprint has just read every briefing file: its digest of each (``content_digest``) finds the
    kept entry, and the file is not read a second time; a file edited since is read."""
    from generator.output import manifest
    from generator.output.generate import generate

    project = find_project(archive)
    rest, digests = manifest.fingerprint_parts(project, True)
    for path, digest in digests.items():
        data = (archive / path).read_bytes()
        assert digest == stored.content_digest(path.removeprefix("content/"), data)
    generate(project)
    read: list[str] = []
    real = Project.read

    def counted(self, path, limit):
        read.append(self.rel(path))
        return real(self, path, limit)

    monkeypatch.setattr(Project, "read", counted)
    path = sorted((archive / "content" / "briefings").glob("*.yaml"))[-1]
    path.write_text(path.read_text().replace("summary: ", "summary: Edited. ", 1))
    generate(project)
    briefings = sorted(p for p in read if p.startswith("content/briefings/"))
    assert briefings == [f"content/briefings/{path.name}"]
