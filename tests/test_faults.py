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
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import mkdocs.utils
import pytest
from conftest import hidden_entries

import generator.output.write
from generator.output.build import build_site
from generator.output.write import existing_files, outputs_locked
from generator.project import find_project

pytestmark = pytest.mark.slow  # every test builds a site and breaks it

SEED_BRIEFING = "2025-12-29-trump-putin-second-call"


@pytest.fixture(scope="session")
def seed_built(seed_site) -> Path:
    """The seed site built once for the run (conftest); copy it before changing anything."""
    return seed_site


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
    return {
        name: {rel: p.read_bytes() for rel, p in existing_files(root / name).items()}
        for name in ("docs", "site")
    }


def leftovers(root: Path) -> list[str]:
    """Hidden folders in the project: every temporary folder of a build is one."""
    return [name for name in hidden_entries(root) if (root / name).is_dir()]


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
    assert (
        run.err
        == "briefing: could not write docs/: Input/output error; the previous docs/ is unchanged\n"
    )


def test_writer_stops_on_an_unexpected_error_half_way(cli, built, monkeypatch):
    fault = after_calls(
        10, RuntimeError("simulated crash")
    )  # strikes on every call after the tenth
    real = generator.output.write.link_or_copy

    def link_or_copy(src, dest):
        fault()
        return real(src, dest)

    monkeypatch.setattr(generator.output.write, "link_or_copy", link_or_copy)
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
    assert (
        run.err
        == "briefing: could not write docs/: No space left on device; the previous docs/ is unchanged\n"
    )


def refuse_folders(monkeypatch, prefix: str, code: int) -> None:
    """Folders whose name starts with ``prefix`` cannot be made."""
    real = os.mkdir

    def mkdir(path, *args, **kwargs):
        if Path(path).name.startswith(prefix):
            raise OSError(code, os.strerror(code))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)


def test_docs_folder_cannot_hold_a_temporary_folder(cli, built, monkeypatch):
    refuse_folders(monkeypatch, ".docs.new-", errno.EACCES)
    run = fails(cli, built)
    assert (
        run.err
        == "briefing: could not write docs/: Permission denied; the previous docs/ is unchanged\n"
    )


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
        assert (
            run.err
            == "briefing: could not write docs/: Read-only file system; the previous docs/ is unchanged\n"
        )


def test_renames_fail_in_the_output_folder(cli, built, monkeypatch):
    real, real_exchange = os.rename, generator.output.write._exchange

    def refuse(src, dst) -> None:
        if Path(src).parent == built or Path(dst).parent == built:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    def rename(src, dst, *args, **kwargs):
        refuse(src, dst)
        return real(src, dst, *args, **kwargs)

    def exchange(a, b):
        refuse(a, b)
        return real_exchange(a, b)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(generator.output.write, "_exchange", exchange)
    run = fails(cli, built)
    assert (
        run.err
        == "briefing: could not replace site/: Permission denied; the previous site/ is unchanged\n"
    )
    run = fails(cli, built, "generate")
    assert (
        run.err
        == "briefing: could not replace docs/: Permission denied; the previous docs/ is unchanged\n"
    )


def test_swap_fails_after_the_old_folder_moved_aside(cli, built, monkeypatch):
    """Without a one-step exchange, the first rename (old folder aside) works and the second (new folder in)
    fails: the old one comes back."""
    real = os.rename

    def rename(src, dst, *args, **kwargs):
        if ".site.new-" in Path(src).name:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(generator.output.write, "_exchange", lambda a, b: False)
    run = fails(cli, built)
    assert (
        run.err
        == "briefing: could not replace site/: Invalid cross-device link; the previous site/ is unchanged\n"
    )


# --- the MkDocs build ---------------------------------------------------------------------------


def test_disk_full_while_mkdocs_writes_the_site(cli, built, monkeypatch):
    fault = after_calls(10, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    real = mkdocs.utils.write_file

    def write_file(content, output_path):
        fault()
        return real(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    run = fails(cli, built)
    assert (
        run.err
        == "briefing: could not write site/: No space left on device; the previous site/ is unchanged\n"
    )


def test_site_folder_cannot_hold_a_temporary_folder(cli, built, monkeypatch):
    refuse_folders(monkeypatch, ".site.new-", errno.EROFS)
    run = fails(cli, built)
    assert (
        run.err
        == "briefing: could not write site/: Read-only file system; the previous site/ is unchanged\n"
    )


def test_mkdocs_fails_under_strict(cli, built):
    """A hand-written page links to a page that does not exist: a warning, so strict mode fails."""
    about = built / "content" / "pages" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n",
        encoding="utf-8",
    )
    run = fails(cli, built)
    assert run.err.startswith(
        "briefing: MkDocs build failed; the previous site is unchanged:\n  WARNING: "
    )
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
        patch.setattr(
            mkdocs.utils,
            "write_file",
            after_calls(0, OSError(errno.ENOSPC, "No space left on device")),
        )
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
        if (
            not self.parent.exists()
        ):  # missing now; made by "another worker" before this one looks again
            self.parent.mkdir(parents=True)
            raced.append(self.name)
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    tree = generator.output.write.TreeWriter(tmp_path / "docs")
    assert tree.put("briefings/a.md", b"a") and tree.put("briefings/b.md", b"b")
    tree.finish(["briefings/a.md", "briefings/b.md"], ["briefings/a.md", "briefings/b.md"])
    assert raced == ["a.md"]
    assert existing_files(tmp_path / "docs").keys() == {"briefings/a.md", "briefings/b.md"}
    assert (tmp_path / "docs" / "briefings" / "a.md").read_bytes() == b"a"


# --- the swap: recoverable, truthful, tidy (B8) --------------------------------------------------


def refuse_to_move(monkeypatch, target: Path, code: int, undo_too: bool = False) -> None:
    """``target`` cannot be renamed or exchanged (as ``chattr +i``); with ``undo_too``, once one folder was
    swapped, nothing more can be moved at all."""
    real_rename, real_exchange = os.rename, getattr(generator.output.write, "_exchange", None)
    struck = []

    def refuse(*paths) -> None:
        if any(Path(p) == target for p in paths) or (undo_too and struck):
            struck.append(True)
            raise OSError(code, os.strerror(code))

    def rename(src, dst, *args, **kwargs):
        refuse(src, dst)
        return real_rename(src, dst, *args, **kwargs)

    def exchange(a, b):
        refuse(a, b)
        return real_exchange(a, b)

    monkeypatch.setattr(os, "rename", rename)
    if real_exchange is not None:
        monkeypatch.setattr(generator.output.write, "_exchange", exchange)


def test_docs_swap_fails_after_the_site_swap_and_the_site_goes_back(cli, built, monkeypatch):
    """B8.2: the message said "the previous docs/ is unchanged" while site/ was already the new build."""
    refuse_to_move(monkeypatch, built / "docs", errno.EPERM)
    run = fails(cli, built)
    assert (
        run.err
        == "briefing: could not replace docs/: Operation not permitted; the previous docs/ and site/ "
        "are unchanged\n"
    )


def test_when_the_site_cannot_go_back_the_message_says_so(cli, built, monkeypatch):
    refuse_to_move(monkeypatch, built / "docs", errno.EPERM, undo_too=True)
    before = snapshot(built)
    run = cli(built, "build")
    assert (run.code, run.err) == (
        1,
        "briefing: could not replace docs/: Operation not permitted; site/ was updated "
        "but docs/ was not; build again once docs/ can be replaced\n",
    )
    after = snapshot(built)
    assert after["docs"] == before["docs"]
    assert "badge-stable" in after["site"][f"briefings/{SEED_BRIEFING}/index.html"].decode()
    assert leftovers(built) == []


def test_what_killed_builds_left_behind_is_removed_at_the_next_start(cli, built):
    """B8.1: each killed build left a whole copy of the site as .site.new-*; nothing removed them."""
    for name in (
        ".site.new-dead0001",
        ".site.old-dead0002",
        ".docs.new-dead0003",
        ".site-offline.new-dead0004",
    ):
        (built / name / "docs").mkdir(parents=True)
        (built / name / "docs" / "index.md").write_text("half\n", encoding="utf-8")
    (built / ".site.new-a-file").write_text("not a folder a build made\n", encoding="utf-8")
    assert cli(built, "build").code == 0
    assert leftovers(built) == [
        ".site-offline.new-dead0004"
    ]  # the offline copy's, removed by an offline build
    assert cli(built, "build", "--offline").code == 0
    assert leftovers(built) == []
    assert (built / ".site.new-a-file").is_file()


def test_a_site_moved_aside_by_a_killed_build_is_put_back(cli, built):
    """Without a one-step exchange, a kill between the two renames leaves no site/: the next start puts the
    old one back before anything else, so a build that then fails still leaves a site."""
    site = snapshot(built)["site"]
    os.rename(built / "site", built / ".site.old-dead0001")
    (built / ".site.new-dead0002").mkdir()  # the new site, half built
    (built / "content" / "actors.yaml").write_text(
        "actors: [\n", encoding="utf-8"
    )  # and this build fails
    run = cli(built, "build")
    assert run.code == 1
    assert snapshot(built)["site"] == site
    assert leftovers(built) == []


def test_when_the_old_site_cannot_come_back_the_message_says_where_it_is(cli, built, monkeypatch):
    """Two renames, the old site/ moved aside, and then nothing moves any more: the message names the folder
    it is in, and the next run puts it back."""
    site = snapshot(built)["site"]
    real, moved = os.rename, []

    def rename(src, dst, *args, **kwargs):
        if Path(src) == built / "site" and not moved:
            moved.append(Path(dst).name)
            return real(src, dst, *args, **kwargs)
        if Path(src).parent == built:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(src, dst, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", rename)
        patch.setattr(generator.output.write, "_exchange", lambda a, b: False)
        run = cli(built, "build")
    assert (run.code, run.err) == (
        1,
        f"briefing: could not replace site/: Input/output error; the previous site/ "
        f"is now {moved[0]}, which the next run puts back\n",
    )
    assert leftovers(built) == [moved[0]]
    assert cli(built, "generate").code == 0
    assert snapshot(built)["site"] == site and leftovers(built) == []


KILLED_BUILD = """
import os, signal, sys
import generator.output.write as w
mode, n, count = sys.argv[1], int(sys.argv[2]), [0]
real_rename, real_exchange = os.rename, getattr(w, "_exchange", None)

def strike():
    count[0] += 1
    if count[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)

def rename(a, b, *args, **kwargs):
    strike()
    return real_rename(a, b, *args, **kwargs)

def exchange(a, b):
    strike()
    return real_exchange(a, b)

os.rename = rename
if real_exchange is not None:
    w._exchange = exchange if mode == "exchange" else (lambda a, b: False)
from generator.cli import main
sys.exit(main(["build"]))
"""


@pytest.fixture(scope="module")
def rebuilt(seed_built, tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """docs/ and site/ as a finished build of the changed content makes them."""
    root = tmp_path_factory.mktemp("rebuilt") / "project"
    shutil.copytree(seed_built, root, symlinks=True)
    briefing = root / "content" / "briefings" / f"{SEED_BRIEFING}.yaml"
    briefing.write_text(
        briefing.read_text(encoding="utf-8").replace("status: developing", "status: stable", 1),
        encoding="utf-8",
    )
    build_site(find_project(root))
    return snapshot(root)


@pytest.mark.parametrize(
    "mode, step", [("exchange", n) for n in (1, 2, 3)] + [("renames", n) for n in range(1, 7)]
)
def test_a_build_killed_at_any_step_of_the_swap_leaves_whole_folders(built, rebuilt, mode, step):
    """B8.1: killed (SIGKILL) at the n-th folder move. Where folders are exchanged in one step, docs/ and site/
    each hold a whole tree, old or new, at every moment; with two renames, the next start puts a tree moved
    aside back. Either way nothing is left behind once the next run starts."""
    old = snapshot(built)
    run = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, mode, str(step)],
        cwd=built,
        capture_output=True,
        text=True,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    now = snapshot(built)
    if mode == "exchange":
        for name in ("docs", "site"):
            assert now[name] in (old[name], rebuilt[name]), name
    with outputs_locked(built, (built / "docs", built / "site")):  # what every run does first
        pass
    now = snapshot(built)
    for name in ("docs", "site"):
        assert now[name] in (old[name], rebuilt[name]), name
    assert leftovers(built) == []


def test_one_build_at_a_time(built):
    """Two builds at once: the second waits for the first's lock (a flock on the project folder)."""
    other = os.open(built, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with outputs_locked(built, (built / "site",)):
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            staging = generator.output.write.make_staging(built / "site")
            with outputs_locked(
                built, (built / "site", built / "docs")
            ):  # nested: this run's staging stays
                assert staging.is_dir()
            shutil.rmtree(staging)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(other)


# --- plain `mkdocs build` (through the hook) -------------------------------------------------------


def mkdocs_build(root: Path, *args: str) -> None:
    from mkdocs.__main__ import cli as mkdocs_cli

    mkdocs_cli.main(["build", "-f", str(root / "mkdocs.yml"), *args], standalone_mode=False)


def test_plain_mkdocs_build_failing_half_way_leaves_the_site(built, monkeypatch):
    """B8.3: `mkdocs build` emptied site/ first and wrote page by page."""
    before = snapshot(built)["site"]
    fault, real = (
        after_calls(10, OSError(errno.ENOSPC, "No space left on device")),
        mkdocs.utils.write_file,
    )

    def write_file(content, output_path):
        fault()
        return real(content, output_path)

    with monkeypatch.context() as patch:
        patch.setattr(mkdocs.utils, "write_file", write_file)
        with pytest.raises(OSError):
            mkdocs_build(built)
    assert snapshot(built)["site"] == before
    assert leftovers(built) == []
    mkdocs_build(built)
    assert "badge-stable" in (
        built / "site" / "briefings" / SEED_BRIEFING / "index.html"
    ).read_text(encoding="utf-8")
    assert leftovers(built) == []


def test_plain_mkdocs_build_with_warnings_in_strict_mode_leaves_the_site(built):
    before = snapshot(built)["site"]
    about = built / "content" / "pages" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n",
        encoding="utf-8",
    )
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        mkdocs_build(built, "--strict")
    assert snapshot(built)["site"] == before
    assert leftovers(built) == []


def test_plain_mkdocs_build_killed_leaves_the_site(built):
    before = snapshot(built)["site"]
    script = (
        "import os, signal, sys, mkdocs.utils as u\n"
        "real, count = u.write_file, [0]\n"
        "def write_file(*a):\n"
        "    count[0] += 1\n"
        "    if count[0] == 20: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(*a)\n"
        "u.write_file = write_file\n"
        "from mkdocs.__main__ import cli\n"
        "cli.main(['build', '-q'])\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=built, capture_output=True, text=True)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert snapshot(built)["site"] == before
