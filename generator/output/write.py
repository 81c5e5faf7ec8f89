"""Write a rendered tree to disk: only what changed, all or nothing.

The new tree is assembled beside the old one (unchanged files hard-linked, so
they keep their bytes and times), then swapped in: in one step where the system
can exchange two folders (Linux ``renameat2``), else with two renames. When
nothing changed, nothing is touched at all, so a watcher has nothing to react
to. Any failure removes the half-built tree and leaves the old one as it was.

One build at a time writes a project's outputs (:func:`outputs_locked`); the
first to hold the lock clears what a killed build left beside them: a half-built
``.site.new-*`` is removed, and a site moved aside as ``.site.old-*`` whose
replacement never arrived is put back.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError, UsageError

try:
    import fcntl
except ImportError:  # Windows: no flock; builds run unlocked there (see _take)
    fcntl = None  # type: ignore[assignment]

WRITER_THREADS = 4
MANIFEST = ".briefing-manifest.json"
"""Cache of what the docs were generated from (see manifest.py); not part of the tree itself."""
DOCS_MARKER = (
    ".gitignore",
    "docs",
    "generated docs",
    b"# Generated from content/ by `briefing generate`",
)
"""How a docs folder made by the generator is known (the start of ``generate.DOCS_GITIGNORE``, which every
generated docs folder holds and git keeps): ``check_replaceable``'s arguments for it."""


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    """Files created or changed, relative to the output folder."""
    removed: tuple[str, ...]
    """Stale files removed."""

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def existing_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            out[path.relative_to(folder).as_posix()] = path
    return out


def safe_relpath(rel: str) -> str:
    """Refuse output paths that could leave the output folder."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        raise BuildError(f"refusing to write outside the output folder: {rel!r}")
    return rel


def write_tree(target: Path, files: dict[str, bytes]) -> WriteReport:
    """Make ``target`` hold exactly ``files`` (relative path → bytes)."""
    for rel in files:
        safe_relpath(rel)
    old = existing_files(target)
    old.pop(MANIFEST, None)
    written = sorted(
        rel for rel, data in files.items() if rel not in old or _differs(old[rel], data)
    )
    if not written and set(old) == set(files):
        return WriteReport((), ())
    tree = TreeWriter(target, old)
    changed = set(written)
    with tree.dropped_on_failure():
        tree.make_folders(files)
        # File-system calls wait on the disk, not the interpreter: a few threads overlap them.
        with ThreadPoolExecutor(max_workers=WRITER_THREADS) as pool:
            for _ in pool.map(lambda rel: tree.put(rel, files[rel], rel in changed), sorted(files)):
                pass
    return tree.finish(files, written)


class TreeWriter:
    """A new tree assembled beside ``target`` file by file, then swapped in whole (or dropped).

    :meth:`put` touches its own file only, so threads may call it together
    (``write_tree`` does). Unchanged files are hard-linked from the old tree, so
    they keep their bytes and times.
    """

    def __init__(self, target: Path, old: dict[str, Path] | None = None):
        self.target = target
        if old is None:
            old = existing_files(target)
            old.pop(MANIFEST, None)
        self.old = old
        """The files of the current tree, relative path → path."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.staging = make_staging(target)
        except OSError as exc:
            raise BuildError(self.failed(exc)) from None

    def failed(self, exc: OSError) -> str:
        name = self.target.name
        return f"could not write {name}/: {exc.strerror or exc}; the previous {name}/ is unchanged"

    @contextmanager
    def dropped_on_failure(self) -> Iterator[None]:
        """Drop the new tree if the block fails: a file-system error becomes a clean BuildError, anything
        else (content errors, interruptions, bugs) goes on as it is, and no half-built tree is left behind."""
        try:
            yield
        except OSError as exc:
            self.abort()
            raise BuildError(self.failed(exc)) from None
        except BaseException:
            self.abort()
            raise

    def make_folders(self, rels) -> None:
        """Create the folders of ``rels`` at once (``put`` also creates a missing one)."""
        for folder in sorted({rel.rpartition("/")[0] for rel in rels} - {""}):
            (self.staging / folder).mkdir(parents=True, exist_ok=True)

    def put(self, rel: str, data: bytes, changed: bool | None = None) -> bool:
        """Place one file in the new tree; True when it is new or differs from the old one (``changed``,
        when the caller compared already)."""
        safe_relpath(rel)
        dest = self.staging / rel
        old = self.old.get(rel)
        if changed is None:
            changed = old is None or _differs(old, data)
        unchanged = None if changed else old
        try:
            _place(dest, data, unchanged)
        except FileNotFoundError:  # its folder is not made yet
            dest.parent.mkdir(parents=True, exist_ok=True)
            _place(dest, data, unchanged)
        return changed

    def keep(self, rel: str) -> bool:
        """Place the old tree's file in the new one as it is (a page nothing changed); False, it is unchanged."""
        safe_relpath(rel)
        dest = self.staging / rel
        try:
            _place(dest, b"", self.old[rel])
        except FileNotFoundError:  # its folder is not made yet
            dest.parent.mkdir(parents=True, exist_ok=True)
            _place(dest, b"", self.old[rel])
        return False

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def finish(self, rels, written) -> WriteReport:
        """Swap the new tree in, given every file put and those that changed; untouched when none did."""
        report = WriteReport(tuple(sorted(written)), tuple(sorted(set(self.old) - set(rels))))
        if not report.changed:
            self.abort()
        else:
            swap_in(self.staging, self.target)
        return report


def make_staging(target: Path) -> Path:
    """A new empty folder ``.<name>.new-<random>`` beside ``target``, with the permissions of any new folder.

    Made with ``mkdir`` rather than ``mkdtemp``: mkdtemp's folders are private
    (0700), and once swapped in, a web server running as another user could not
    read the site. ``mkdir`` leaves the bits to the umask, as for any folder.
    """
    while True:
        staging = target.parent / f".{target.name}.new-{secrets.token_hex(4)}"
        try:
            os.mkdir(staging, 0o777)
            return staging
        except FileExistsError:
            continue


SITE_MARKER = (".briefing-site", "site", "built site", b"Built by briefing-site.")
"""How a site folder made by a build is known: ``check_replaceable``'s arguments for it. Each build writes the
file (:func:`mark_site`); an ``index.html`` alone proves nothing (a web server's default page, a home page)."""
LEGACY_SITE = ("index.html", "assets/stylesheets/briefing.css")
"""Files that together mark a site built before the marker file existed: the project's own stylesheet is there."""


def mark_site(folder: Path) -> None:
    """Write the marker of a built site into ``folder`` (the finished site, before it is swapped in)."""
    name, _, _, starts = SITE_MARKER
    (folder / name).write_bytes(
        starts + b" A build replaces this folder whole: keep nothing else in it.\n"
    )


def check_replaceable(
    target: Path,
    marker: str,
    label: str,
    holds: str,
    starts: bytes = b"",
    legacy: tuple[str, ...] = (),
) -> None:
    """``target`` is swapped out whole: it must be new, empty, or made by an earlier run.

    An earlier run left ``marker`` in it (a file whose bytes begin with
    ``starts``, when given), or, before the marker, every file of ``legacy``.
    Anything else is someone's folder, which a setting pointed here by mistake.
    """
    if not os.path.lexists(target):
        return
    if target.is_symlink():
        raise UsageError(f"the {label} folder is a symbolic link: {target}; links are not followed")
    if not target.is_dir():
        raise UsageError(f"the {label} folder is a file: {target}")
    if (
        os.listdir(target)
        and not _marked(target / marker, starts)
        and not (legacy and all(_marked(target / rel, b"") for rel in legacy))
    ):
        mark = f"no {marker}" if not starts else f"no {marker} written by the generator"
        raise UsageError(
            f"refusing to replace {target}: it is not empty and holds no {holds} ({mark})"
        )


def _marked(path: Path, starts: bytes) -> bool:
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with open(path, "rb") as f:
            return f.read(len(starts)) == starts
    except OSError:
        return False


class SwapFailed(BuildError):
    """The new tree could not be put in place; the old one is where it was."""

    def __init__(self, target: Path, exc: OSError):
        self.reason = exc.strerror or str(exc)
        """Why, as the system said it."""
        super().__init__(
            f"could not replace {target.name}/: {self.reason}; the previous {target.name}/ is unchanged"
        )


@dataclass
class Swapped:
    """A new tree put in place, with the tree it replaced kept aside until :meth:`done` (or put back by :meth:`undo`)."""

    target: Path
    old: Path | None
    """Where the replaced tree is now; None when there was none."""
    exchanged: bool
    """Whether the two trees traded places in one step (then ``undo`` is one step too)."""

    def done(self) -> None:
        """Drop the replaced tree."""
        if self.old is not None:
            shutil.rmtree(self.old, ignore_errors=True)

    def undo(self) -> None:
        """Put the replaced tree back and drop the new one; raises OSError when that fails."""
        if self.old is None:
            aside = self.target.parent / f".{self.target.name}.new-{secrets.token_hex(4)}"
            os.rename(self.target, aside)
        elif self.exchanged:
            _exchange(self.old, self.target)
            aside = self.old
        else:
            aside = self.target.parent / f".{self.target.name}.new-{secrets.token_hex(4)}"
            os.rename(self.target, aside)
            os.rename(self.old, self.target)
        shutil.rmtree(aside, ignore_errors=True)


def put_in(staging: Path, target: Path) -> Swapped:
    """Put the finished folder ``staging`` in place of ``target``, keeping the old tree aside.

    Where the system can exchange two folders in one step, ``target`` always
    holds one whole tree, the old or the new, whenever the process is killed.
    Elsewhere the old tree is renamed aside first; a kill between the two
    renames leaves it as ``.<name>.old-*``, which the next run puts back.
    On failure ``target`` is as it was, ``staging`` is removed, and
    :class:`SwapFailed` says why.
    """
    try:
        if not os.path.lexists(target):
            os.rename(staging, target)
            return Swapped(target, None, False)
        if _exchange(staging, target):
            return Swapped(target, staging, True)
        trash = target.parent / f".{target.name}.old-{secrets.token_hex(4)}"
        os.rename(target, trash)
        try:
            os.rename(staging, target)
        except OSError as exc:
            try:
                os.rename(trash, target)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
                raise BuildError(
                    f"could not replace {target.name}/: {exc.strerror or exc}; the previous "
                    f"{target.name}/ is now {trash.name}, which the next run puts back"
                ) from None
            raise
        return Swapped(target, trash, False)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SwapFailed(target, exc) from None


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by the finished folder ``staging``; on failure keep ``target`` and drop ``staging``."""
    put_in(staging, target).done()


RENAME_EXCHANGE = 2
"""``renameat2`` flag: swap two existing paths in one step (Linux 3.15, glibc 2.28)."""
_AT_FDCWD = -100
_NOT_HERE = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}
"""What ``renameat2`` says where the kernel or the file system cannot exchange."""


def _renameat2():
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # TypeError: Windows' CDLL takes no None
        return None


_RENAMEAT2 = _renameat2()


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one step; False where the system cannot (nothing moved then)."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NOT_HERE:
        return False
    raise OSError(err, os.strerror(err), str(b))


# --- one build at a time, and what a killed build left behind ---------------------------------

_lock = threading.RLock()
_held: dict = {"fd": None, "depth": 0, "tidied": set()}


@contextmanager
def outputs_locked(root: Path, targets: Iterable[Path]) -> Iterator[None]:
    """Hold the project's lock while writing ``targets``; the first time each is met in a hold, tidy beside it.

    The lock is ``flock`` on the project folder itself (no lock file to leave
    behind), taken once per process and held until the outermost block ends;
    threads of this process wait on each other, and other processes (a second
    ``briefing build``, ``mkdocs serve``) wait for it. Holding it, no other
    build is writing, so every staging folder beside a target is a leftover.
    """
    with _lock:
        if _held["depth"] == 0:
            _held["fd"] = _take(root)
            _held["tidied"] = set()
        _held["depth"] += 1
        try:
            for target in targets:
                key = os.path.realpath(target)
                if key not in _held["tidied"]:
                    # once: later in the hold, a staging folder beside it is this run's
                    _held["tidied"].add(key)
                    if _held["fd"] is not None:
                        tidy(target)
            yield
        finally:
            _held["depth"] -= 1
            if _held["depth"] == 0 and _held["fd"] is not None:
                os.close(_held["fd"])  # releases the flock
                _held["fd"] = None


def _take(root: Path) -> int | None:
    """An open descriptor of ``root`` holding an exclusive flock; None where the file system has no locks."""
    if fcntl is None or not hasattr(os, "O_DIRECTORY"):
        # not POSIX: one build at a time is the user's care
        return None
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        # no locks here (some network file systems): build unlocked, and leave leftovers alone
        os.close(fd)
        return None
    return fd


def leftovers(target: Path) -> list[Path]:
    """The staging folders of ``target`` that a build made beside it: ``.<name>.new-*`` and ``.<name>.old-*``."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    prefixes = (f".{target.name}.new-", f".{target.name}.old-")
    return sorted(target.parent / n for n in names if n.startswith(prefixes))


def tidy(target: Path) -> None:
    """Put back a tree a killed build moved aside (when ``target`` is missing), then remove every leftover."""
    found = leftovers(target)
    aside = [p for p in found if p.name.startswith(f".{target.name}.old-")]
    try:
        if aside and not os.path.lexists(target):
            back = max(aside, key=lambda p: p.stat().st_mtime)
            os.rename(back, target)
            found.remove(back)
    except OSError:
        pass
    for path in found:
        if path.is_symlink() or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)


def _differs(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return True
        return path.read_bytes() != data
    except OSError:
        return True


def _place(dest: Path, data: bytes, unchanged: Path | None) -> None:
    """``data`` at ``dest``, or a link to the old file ``unchanged`` that holds the same bytes."""
    if unchanged is None:
        dest.write_bytes(data)
    else:
        link_or_copy(unchanged, dest)


def saved_state(path: Path) -> tuple | None:
    """What changes when a file is saved (in place or by a rename over it): its inode, size, and times of
    modification and of change (the file itself, not a link's target); None when it cannot be read."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def file_identity(path: Path) -> tuple[int, int, int, int]:
    """Device, inode, size and time of change (ns): while these are the same, so are the file's bytes (a
    build writes a changed file anew and hard-links the others), as git's index trusts them."""
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def link_or_copy(src: Path, dest: Path) -> None:
    """``dest`` a hard link to ``src``; a copy where the file system has no links."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)
