"""Pagefind's index of the pages kept from the last build, begun while the build checks and generates.

An edit's build changes a few of the 2,000 pages Pagefind reads, yet Pagefind's command line reads them all
again once MkDocs is done: 3.5 s on both cores, of an edit's 14 s. Pagefind's service (``pagefind
--service``) takes the pages one request at a time and keeps each by its URL, a page read again taking the
place of the one before. So, as soon as a build knows its inputs changed, the service is asked to read each
page kept from the last build (searchpages.py), a few hundred pages a request (which it reads on both cores),
at a low priority (``nice``), so that it takes the core the build (one Python thread) leaves idle and the
build's own thread keeps its; once MkDocs has written and the kept pages are brought up to date, only the
pages whose kept file changed since are given again (their text, which takes the place of the page read
before at that URL), and the index is written.

The index is the command line's, byte for byte (``tests/test_search_feed.py``): Pagefind numbers the pages
in the order it reads them, and its command line reads them in the order it walks the folder (each folder's
entries as the file system lists them, a folder's own entries read before the next one); the service is
asked for them in that order, :data:`CHUNK` at a time (the folder and, as the pattern of the files to read in
it, the pages' paths as alternatives, ``{a/index.html,b/index.html}``: it walks the folder as its command
line does and reads those it meets, in that order, and the service reads the files itself). When the folder
no longer lists the same pages in the same order (a page added or removed), or the service answers anything
but as many pages read as each request names, the command line is run instead, as without this.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from generator.output.searchpages import MARK
from generator.output.write import file_identity

_GLOB_SUFFIX = ".html"
"""Pagefind's command line reads the files its glob ``**/*.{html}`` matches."""
PLAIN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")
"""A page's path that, as a pattern, matches that path alone: no character a glob reads otherwise."""


CHUNK = 200
"""Pages a request asks the service to read. Its pages are read on both cores (one page a request: on one):
at 1,000 briefings the 2,152 kept pages took 4.0 s a request of 200 against 7.9 s one page a request, the
same 7.5 s of processor time; each request walks the folder once more (a request of them all took 3.6 s)."""
NICE = 15
"""The service's priority (``nice``): the build's own thread, which checks and generates meanwhile, keeps
its core, and the service takes what the build leaves idle."""


def pagefind_environment() -> dict[str, str]:
    """The environment Pagefind runs in: this process's, less its PAGEFIND_ settings, which could redirect
    what it reads and writes."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


class Unfit(Exception):
    """The folder cannot be handed over as the command line would read it: the command line is run instead."""


def walk_order(folder: Path) -> list[str]:
    """The folder's pages (relative paths) in the order Pagefind's command line reads them: depth first, each
    folder's entries in the order the file system lists them, a folder read before the entry after it.
    Raises :class:`Unfit` for what that walk could read otherwise (a link, a folder named like a page)."""
    found: list[str] = []

    def visit(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise Unfit(f"a link: {prefix}{entry.name}")
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.endswith(_GLOB_SUFFIX):
                        raise Unfit(f"a folder named like a page: {prefix}{entry.name}")
                    visit(entry.path, f"{prefix}{entry.name}/")
                elif entry.name.endswith(_GLOB_SUFFIX):
                    found.append(prefix + entry.name)

    visit(str(folder), "")
    return found


class Service:
    """One ``pagefind --service`` process and one index in it. Requests are sent without waiting; a thread
    reads the answers, and :meth:`settled` waits for all of them. ``failed`` holds the first thing that went
    wrong (an error answered, the process gone)."""

    def __init__(self, executable: Path, exclude: str) -> None:
        self._cwd = tempfile.TemporaryDirectory(prefix="briefing-pagefind-")
        nice = shutil.which("nice")
        self._proc = subprocess.Popen(
            ([nice, "-n", str(NICE)] if nice else []) + [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self._cwd.name,
            env=pagefind_environment(),
        )
        self._sent = 0
        self._answered = 0
        self._files: list | None = None
        self._expected: dict[int, int] = {}
        """Each request to read pages (by its message id) → the number of pages it names."""
        self._done = threading.Condition()
        self.failed = ""
        self._reader = threading.Thread(target=self._read_answers, daemon=True)
        self._reader.start()
        self._send({"type": "NewIndex", "config": {"exclude_selectors": [exclude]}})

    def read(self, folder: Path, rels: list[str]) -> None:
        """Have the pages at ``rels`` in ``folder`` (in the order the folder's walk meets them) read, after those
        asked for before (each page's URL is the command line's for its path)."""
        for rel in rels:
            if not PLAIN.fullmatch(rel):
                raise Unfit(f"a path a pattern would read otherwise: {rel}")
        self._expected[self._sent + 1] = len(rels)
        glob = rels[0] if len(rels) == 1 else "{" + ",".join(rels) + "}"
        self._send({"type": "AddDir", "index_id": 0, "path": str(folder), "glob": glob})

    def replace(self, folder: Path, rel: str) -> None:
        """Have the page at ``rel`` in ``folder`` read again, in the place of the one read before at that URL
        (a folder's pages read again would be added after the others)."""
        fd = os.open(folder / rel, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise Unfit(f"not UTF-8: {rel}") from None
        self._send({"type": "AddFile", "index_id": 0, "file_path": rel, "file_contents": text})

    def write(self, out: Path) -> bool:
        """Write the index into ``out`` (a new folder); whether every request succeeded. The service's own
        writing answers before its last writes are done (they finish in the background), so its files are
        asked for and written here."""
        self._send({"type": "GetFiles", "index_id": 0})
        if not self.settled():
            return False
        files = self._files or []
        for file in files:
            rel = file.get("path") if isinstance(file, dict) else None
            if not isinstance(rel, str) or not PLAIN.fullmatch(rel):
                self._fail(f"Pagefind's service named a file outside its folder: {rel!r}")
                return False
        for file in files:
            path = out / file["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(file["content"]))
        return bool(files)

    def flush(self) -> None:
        """Hand over the requests written so far."""
        if self._proc.stdin is not None and not self.failed:
            try:
                self._proc.stdin.flush()
            except OSError as exc:
                self._fail(f"Pagefind's service stopped reading: {exc}")

    def settled(self) -> bool:
        """Wait for the answer to every request sent; whether all succeeded."""
        self.flush()
        with self._done:
            self._done.wait_for(lambda: self._answered >= self._sent or bool(self.failed))
        return not self.failed

    def close(self) -> None:
        """Stop the process (whatever it was doing) and remove its folder."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._reader.join(timeout=5)
        self._cwd.cleanup()

    def _send(self, payload: dict) -> None:
        if self.failed:
            return
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8")
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(base64.b64encode(message) + b",")
        except OSError as exc:
            self._fail(f"Pagefind's service stopped reading: {exc}")

    def _fail(self, why: str) -> None:
        with self._done:
            self.failed = self.failed or why
            self._done.notify_all()

    def _read_answers(self) -> None:
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        # the pieces of an answer not yet whole (the index's files: 30 MB), joined once it is
        pending: list[bytes] = []
        try:
            while chunk := os.read(fd, 1 << 20):
                if b"," not in chunk:
                    pending.append(chunk)
                    continue
                *answers, rest = b"".join([*pending, chunk]).split(b",")
                pending = [rest]
                for raw in answers:
                    answer = json.loads(base64.b64decode(raw))
                    payload = answer.get("payload") or {}
                    with self._done:
                        if payload.get("type") == "Error":
                            self.failed = self.failed or str(payload.get("message", "an error"))
                        elif payload.get("type") == "IndexedDir":
                            asked = self._expected.get(answer.get("message_id"), 1)
                            if payload.get("page_count") != asked:
                                read = payload.get("page_count")
                                self.failed = self.failed or f"{read} pages read of {asked}"
                        elif payload.get("type") == "GetFiles":
                            self._files = payload.get("files")
                        if answer.get("message_id") is not None:
                            self._answered += 1
                        self._done.notify_all()
        except (OSError, ValueError) as exc:
            self._fail(f"Pagefind's service answered what cannot be read: {exc}")
            return
        self._fail("Pagefind's service stopped")


class Feed:
    """The kept pages of one index (``folder``), asked of Pagefind's service from the moment it begins;
    :meth:`finish` writes the index once the folder is up to date, or says it cannot."""

    def __init__(self, folder: Path, executable: Path, exclude: str) -> None:
        self.folder = folder.resolve()
        self.order = walk_order(self.folder)
        self.given: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}
        """Each page read, by the identity of the kept file it was read from and the first line of that file
        (its mark, searchpages.MARK)."""
        self._service = Service(executable, exclude)
        try:
            for start in range(0, len(self.order), CHUNK):
                self._service.read(self.folder, self.order[start : start + CHUNK])
            self._service.flush()
        except Unfit:
            self._service.close()
            raise

    def fed(self) -> None:
        """Wait until the service has read every kept page (before the folder changes), and note the files
        it read."""
        if self.given or not self._service.settled():
            return
        try:
            self.given = {rel: _noted(self.folder / rel) for rel in self.order}
        except OSError:
            self.given = {}

    def finish(self, out: Path) -> bool:
        """Write the index of the folder as it is now into ``out``: the pages whose kept file is not the one
        read are read again, but for a page only marked anew (the same cut of the same bytes, in a site
        restored elsewhere: Pagefind reads no comment). False, with nothing written, when the folder's pages
        are not those read in that order, when so many changed that the command line is sooner done
        (:data:`MOST`), or when the service failed: the command line is to be run instead."""
        self.fed()
        if not self.given or self._service.failed:
            return False
        try:
            if walk_order(self.folder) != self.order:
                return False
            changed = [rel for rel in self.order if _changed(self.folder / rel, *self.given[rel])]
            if len(changed) > MOST * len(self.order):
                return False
            for rel in changed:
                self._service.replace(self.folder, rel)
        except (OSError, Unfit):
            return False
        return self._service.write(out)

    def close(self) -> None:
        self._service.close()


MOST = 0.25
"""The share of the pages read again above which the command line is run instead: the service reads a page
again in about 3 ms on one core, and the command line reads 2,000 pages in about 3.5 s on two (at 1,000
briefings: 2,152 pages, 6.0 s for the command line's index against 3.8 s for the service's writing alone)."""


def _noted(path: Path) -> tuple[tuple[int, int, int, int], bytes]:
    """The kept page's identity and first line (nothing writes the folder while they are noted)."""
    with path.open("rb") as f:
        return file_identity(path), f.readline()


def _changed(path: Path, identity: tuple[int, int, int, int], mark: bytes) -> bool:
    """Whether the kept page at ``path`` is not the one read (``identity``, first line ``mark``): another
    file, unless it is the same cut marked anew (the same digest of the same site file's bytes)."""
    if file_identity(path) == identity:
        return False
    with path.open("rb") as f:
        now = f.readline()
    said, before = MARK.fullmatch(now), MARK.fullmatch(mark)
    return said is None or before is None or said[2] != before[2]
