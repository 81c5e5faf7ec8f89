"""Write a rendered tree to disk: only what changed, all or nothing.

The new tree is assembled beside the old one (unchanged files hard-linked, so
they keep their bytes and times), then swapped in with two renames. When
nothing changed, nothing is touched at all, so a watcher has nothing to react
to. Any failure removes the half-built tree and leaves the old one as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

WRITER_THREADS = 4
MANIFEST = ".briefing-manifest.json"
"""Cache of what the docs were generated from (see manifest.py); not part of the tree itself."""


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
    written = sorted(rel for rel, data in files.items() if rel not in old or _differs(old[rel], data))
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

    :meth:`put` may be called from threads or from forked processes: each call
    touches its own file only, so pages can be written by whoever rendered them.
    Unchanged files are hard-linked from the old tree, so they keep their bytes
    and times.
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
            self.staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
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
        except FileNotFoundError:  # its folder is not made yet, here or by another worker at this moment
            dest.parent.mkdir(parents=True, exist_ok=True)
            _place(dest, data, unchanged)
        return changed

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


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by the finished folder ``staging``; on failure keep ``target`` and drop ``staging``."""
    trash = None
    try:
        if target.exists():
            trash = target.parent / f".{target.name}.old-{os.getpid()}-{staging.name.rsplit('-', 1)[-1]}"
            os.rename(target, trash)
        try:
            os.rename(staging, target)
        except OSError:
            if trash is not None:
                os.rename(trash, target)
                trash = None
            raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"could not replace {target.name}/: {exc.strerror or exc}; the previous {target.name}/ is unchanged") from None
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


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
        _link_or_copy(unchanged, dest)


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)
