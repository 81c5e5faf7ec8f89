"""Fault injection: whatever fails, the last good docs/ and site/ stay byte for byte (RELIABILITY.md, principle 5).

Each test starts from a built copy of the seed project, changes the content so
that both docs/ and site/ would change, injects one fault, and checks that
``briefing build`` (or ``generate``) exits non-zero with a clear message, that
docs/ and site/ are exactly as before, and that no hidden ``.docs.new-*``,
``.site.new-*`` or ``.*.old-*`` folder is left in the project.

Tests run as root, for whom permission bits stop nothing: a read-only folder
is simulated by making the file-system calls themselves fail.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
from pathlib import Path

import mkdocs.utils
import pytest
from conftest import ROOT, site_project

import generator.write
from generator.build import build_site
from generator.project import find_project
from generator.write import existing_files

SEED_BRIEFING = "2025-12-29-trump-putin-second-call"


@pytest.fixture(scope="module")
def seed_built(tmp_path_factory) -> Path:
    root = site_project(tmp_path_factory.mktemp("seed"), ROOT)
    build_site(find_project(root))
    return root


@pytest.fixture
def built(seed_built, tmp_path) -> Path:
    """A built project whose content has just changed, so the next build would rewrite docs/ and site/."""
    root = tmp_path / "project"
    shutil.copytree(seed_built, root, symlinks=True)
    briefing = root / "content" / "briefings" / f"{SEED_BRIEFING}.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "status: developing" in text
    briefing.write_text(text.replace("status: developing", "status: stable", 1), encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, dict[str, bytes]]:
    return {name: {rel: p.read_bytes() for rel, p in existing_files(root / name).items()} for name in ("docs", "site")}


def leftovers(root: Path) -> list[str]:
    """Hidden folders in the project: every temporary folder of a build is one."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".") and p.is_dir())


def fails(cli, root: Path, command: str = "build"):
    """Run the command with a fault in place; check nothing changed and nothing stayed behind."""
    before = snapshot(root)
    run = cli(root, command)
    assert run.code != 0, run.out
    assert "Traceback" not in run.err
    after = snapshot(root)
    assert after["docs"] == before["docs"], "docs/ changed"
    assert after["site"] == before["site"], "site/ changed"
    assert leftovers(root) == []
    return run


def after_calls(n: int, error: BaseException):
    """A fault that strikes on the (n+1)-th call, from any thread: the writer fails half-way."""
    lock, count = threading.Lock(), [0]

    def maybe_fail() -> None:
        with lock:
            count[0] += 1
            strike = count[0] > n
        if strike:
            raise error

    return maybe_fail


# --- the docs writer -------------------------------------------------------------------------

def test_writer_fails_half_way(cli, built, monkeypatch):
    fault = after_calls(2, OSError(errno.EIO, os.strerror(errno.EIO)))
    real = Path.write_bytes

    def write_bytes(self, data):
        if ".docs.new-" in str(self):
            fault()
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    run = fails(cli, built)
    assert run.err == "briefing: could not write docs/: Input/output error; the previous docs/ is unchanged\n"


def test_writer_stops_on_an_unexpected_error_half_way(cli, built, monkeypatch):
    fault = after_calls(10, RuntimeError("simulated crash"))  # strikes on every call after the tenth
    real = generator.write._link_or_copy

    def link_or_copy(src, dest):
        fault()
        return real(src, dest)

    monkeypatch.setattr(generator.write, "_link_or_copy", link_or_copy)
    for command in ("generate", "build"):
        run = fails(cli, built, command)
        assert run.code == 3
        assert run.err.startswith("briefing: internal error: RuntimeError: simulated crash; ")


def test_disk_full_while_writing_docs(cli, built, monkeypatch):
    real = Path.write_bytes

    def write_bytes(self, data):
        if ".docs.new-" in str(self) and self.parent.name == "briefings":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    run = fails(cli, built, "generate")
    assert run.err == "briefing: could not write docs/: No space left on device; the previous docs/ is unchanged\n"


def test_disk_full_in_a_render_worker(cli, built, monkeypatch):
    """On several cores each worker writes the pages it rendered: its failure still leaves docs/ as it was."""
    import generator.generate

    monkeypatch.setattr(generator.generate, "PARALLEL_MIN_PAGES", 1)
    real = Path.write_bytes

    def write_bytes(self, data):
        if ".docs.new-" in str(self) and "briefings" in self.parts and os.getpid() != parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    parent = os.getpid()
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    run = fails(cli, built, "generate")
    assert run.err == "briefing: could not write docs/: No space left on device; the previous docs/ is unchanged\n"


def test_docs_folder_cannot_hold_a_temporary_folder(cli, built, monkeypatch):
    def mkdtemp(*args, **kwargs):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    run = fails(cli, built)
    assert run.err == "briefing: could not write docs/: Permission denied; the previous docs/ is unchanged\n"


def test_read_only_output_folder(cli, built, monkeypatch):
    """Nothing can be created, renamed or removed in the project folder."""
    real_mkdir, real_rename = os.mkdir, os.rename

    def refuse(path) -> None:
        if Path(path).parent == built:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    def mkdir(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)

    def rename(src, dst, *args, **kwargs):
        refuse(src)
        refuse(dst)
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "rename", rename)
    for command in ("build", "generate"):
        run = fails(cli, built, command)
        assert run.err == "briefing: could not write docs/: Read-only file system; the previous docs/ is unchanged\n"


def test_renames_fail_in_the_output_folder(cli, built, monkeypatch):
    real = os.rename

    def rename(src, dst, *args, **kwargs):
        if Path(src).parent == built or Path(dst).parent == built:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    run = fails(cli, built)
    assert run.err == "briefing: could not replace site/: Permission denied; the previous site/ is unchanged\n"
    run = fails(cli, built, "generate")
    assert run.err == "briefing: could not replace docs/: Permission denied; the previous docs/ is unchanged\n"


def test_swap_fails_after_the_old_folder_moved_aside(cli, built, monkeypatch):
    """The first rename (old folder aside) works, the second (new folder in) fails: the old one comes back."""
    real = os.rename

    def rename(src, dst, *args, **kwargs):
        if ".site.new-" in Path(src).name:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    run = fails(cli, built)
    assert run.err == "briefing: could not replace site/: Invalid cross-device link; the previous site/ is unchanged\n"


# --- the MkDocs build ---------------------------------------------------------------------------

def test_disk_full_while_mkdocs_writes_the_site(cli, built, monkeypatch):
    fault = after_calls(10, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    real = mkdocs.utils.write_file

    def write_file(content, output_path):
        fault()
        return real(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    run = fails(cli, built)
    assert run.err == "briefing: could not write site/: No space left on device; the previous site/ is unchanged\n"


def test_site_folder_cannot_hold_a_temporary_folder(cli, built, monkeypatch):
    real = tempfile.mkdtemp

    def mkdtemp(*args, prefix=None, **kwargs):
        if prefix and prefix.startswith(".site.new-"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(*args, prefix=prefix, **kwargs)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    run = fails(cli, built)
    assert run.err == "briefing: could not write site/: Read-only file system; the previous site/ is unchanged\n"


def test_mkdocs_fails_under_strict(cli, built):
    """A hand-written page links to a page that does not exist: a warning, so strict mode fails."""
    about = built / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n", encoding="utf-8")
    run = fails(cli, built)
    assert run.err.startswith("briefing: MkDocs build failed; the previous site is unchanged:\n  WARNING: ")
    assert "missing.md" in run.err


def test_mkdocs_is_interrupted(cli, built, monkeypatch):
    fault = after_calls(3, KeyboardInterrupt())
    real = mkdocs.utils.write_file

    def write_file(content, output_path):
        fault()
        return real(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    run = fails(cli, built)
    assert run.code == 130


def test_a_build_after_a_fault_succeeds(cli, built, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(mkdocs.utils, "write_file", after_calls(0, OSError(errno.ENOSPC, "No space left on device")))
        fails(cli, built)
    run = cli(built, "build")
    assert run.code == 0, run.err
    page = (built / "site" / "briefings" / SEED_BRIEFING / "index.html").read_text(encoding="utf-8")
    assert "badge-stable" in page
    assert leftovers(built) == []


def test_a_folder_made_by_another_worker_meanwhile_is_used(tmp_path, monkeypatch):
    """Workers share folders: one may find a folder missing and, a moment later, made by another."""
    real = Path.write_bytes
    raced = []

    def write_bytes(self, data):
        if not self.parent.exists():  # missing now; made by "another worker" before this one looks again
            self.parent.mkdir(parents=True)
            raced.append(self.name)
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    tree = generator.write.TreeWriter(tmp_path / "docs")
    assert tree.put("briefings/a.md", b"a") and tree.put("briefings/b.md", b"b")
    tree.finish(["briefings/a.md", "briefings/b.md"], ["briefings/a.md", "briefings/b.md"])
    assert raced == ["a.md"]
    assert existing_files(tmp_path / "docs").keys() == {"briefings/a.md", "briefings/b.md"}
    assert (tmp_path / "docs" / "briefings" / "a.md").read_bytes() == b"a"
