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
from concurrent.futures import ThreadPoolExecutor
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
    written = tuple(sorted(rel for rel, data in files.items() if rel not in old or _differs(old[rel], data)))
    removed = tuple(sorted(set(old) - set(files)))
    if not written and not removed:
        return WriteReport((), ())
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    except OSError as exc:
        raise BuildError(f"could not write {target.name}/: {exc.strerror or exc}; the previous {target.name}/ is unchanged") from None
    unchanged = set(old) - set(written)

    def put(rel: str) -> None:
        dest = staging / rel
        if rel in unchanged:
            _link_or_copy(old[rel], dest)
        else:
            dest.write_bytes(files[rel])

    try:
        for folder in sorted({str(Path(rel).parent) for rel in files} - {"."}):
            (staging / folder).mkdir(parents=True, exist_ok=True)
        # File-system calls wait on the disk, not the interpreter: a few threads overlap them.
        with ThreadPoolExecutor(max_workers=WRITER_THREADS) as pool:
            for _ in pool.map(put, sorted(files)):
                pass
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"could not write {target.name}/: {exc.strerror or exc}; the previous {target.name}/ is unchanged") from None
    except BaseException:  # interrupted, or a bug: still no half-built tree left behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)
    return WriteReport(written, removed)


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


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)
