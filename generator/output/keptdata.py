"""Each briefing's part of the data files (``export.Fragments``), kept from one generation to the next.

A briefing's part of records.json and timeline.json is made from its file, the
source texts its quotes were placed in, the actors and the site's settings (1.2 s
for 1,000 briefings, of the 1.4 s the two files took), so it is the same while
they are: a generation hands a part back while the briefing file's digest and the
digest of every other input (the fingerprint's rest: settings, registries, source
texts, templates, code) are those it was made with, and makes it again otherwise.
The parts are kept in the project, one entry a briefing file (:data:`FOLDER`,
another for a preview, which shows drafts), written only by a generation whose
inputs did not change while it ran, and only for the parts it made. What is in
an entry is published as it is, so it is trusted only when it is ours: each is
signed as check/stored.py signs its entries (HMAC-SHA256, with the key kept
outside the project), holds text only and is read by an unpickler that builds no
class; anything else is passed over, and any failure to read or write one only
costs the time it would have saved.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.check.stored import signing_key
from generator.data.export import Fragments
from generator.format.model import Briefing
from generator.project import InputRefused, Project

FOLDER = ".briefing-cache/records-json"
"""The kept parts of ``briefing build`` and ``generate``, in the project, one entry a briefing file; a
preview's folder ends in ``-drafts``."""
VERSION = 2
MAX_BYTES = 64 << 20
"""Largest entry read: a briefing file's part is about its YAML's size."""
_MAC_BYTES = 32


class _TextOnly(pickle.Unpickler):
    """Builds tuples, lists, dicts and text, and no class at all."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


class KeptData:
    """The parts kept by the last generation, for this one: :meth:`fragments` hands back or makes a briefing's,
    :meth:`save` keeps what this generation made and drops the entries of files gone."""

    def __init__(
        self, project: Project, rest: str, digests: dict[str, str], drafts: bool, fresh: bool
    ):
        self.project, self.rest, self.digests = project, rest, digests
        self.folder = project.root / (FOLDER + ("-drafts" if drafts else ""))
        self.key = signing_key()
        self.fresh = fresh
        self.made: dict[str, tuple] = {}
        """Briefing file → the part made this run, with its file's digest, to be kept."""
        self.seen: set[str] = set()

    def _entry(self, rel: str) -> Path:
        name = hashlib.sha256(rel.encode("utf-8", "surrogateescape")).hexdigest()
        return self.folder / f"{name}.pickle"

    def _load(self, rel: str, digest: str) -> Fragments | None:
        if self.key is None or self.fresh:
            return None
        try:
            data = self.project.read(self._entry(rel), MAX_BYTES)
        except (InputRefused, OSError):
            return None
        mac, body = data[:_MAC_BYTES], data[_MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.new(self.key, body, hashlib.sha256).digest()):
            return None
        try:
            said = _TextOnly(io.BytesIO(body)).load()
        except Exception:  # noqa: BLE001 - a signed entry of another shape is passed over all the same
            return None
        if not (isinstance(said, tuple) and len(said) == 7):
            return None
        version, rest, rel_, digest_, entry, records, events = said
        if (version, rest, rel_, digest_) != (VERSION, self.rest, rel, digest):
            return None
        return entry, records, events

    def fragments(self, make: Callable[[Briefing], Fragments]) -> Callable[[Briefing], Fragments]:
        """``make`` for the briefings whose part is not kept (and what it makes kept); the kept part for the
        others."""

        def of(b: Briefing) -> Fragments:
            self.seen.add(b.path)
            digest = self.digests.get(b.path)
            kept = self._load(b.path, digest) if digest is not None else None
            if kept is not None:
                return kept
            made = make(b)
            if digest is not None:
                self.made[b.path] = (digest, *made)
            return made

        return of

    def save(self) -> None:
        """Keep the parts made this run (each entry written atomically, never through a link), and drop the
        entries of briefing files this run did not see."""
        if self.key is None:
            return
        try:
            self.project.unlinked(self.folder, "folder")
            self.folder.mkdir(parents=True, exist_ok=True)
            self.project.unlinked(self.folder, "folder")
        except (InputRefused, OSError):
            return
        for rel, (digest, entry, records, events) in self.made.items():
            body = pickle.dumps(
                (VERSION, self.rest, rel, digest, entry, records, events), protocol=5
            )
            tmp = None
            try:
                fd, tmp = tempfile.mkstemp(prefix=".entry-", dir=self.folder)
                with open(fd, "wb") as f:
                    f.write(hmac.new(self.key, body, hashlib.sha256).digest() + body)
                os.replace(tmp, self._entry(rel))
            except OSError:
                if tmp is not None:
                    Path(tmp).unlink(missing_ok=True)
        keep = {self._entry(rel).name for rel in self.seen}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:  # entries of files gone, and what a killed write left
            if name not in keep:
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass
