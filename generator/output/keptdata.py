"""Each briefing's part of records.json (``export.Fragments``), kept from one generation to the next.

A briefing's part is made from its file, the source texts its quotes were placed
in and the site's settings (0.6 s for 1,000 briefings, of the 0.9 s records.json
takes), so it is the same while they are: a generation hands a part back while
the briefing file's digest and the digest of every other input (the fingerprint's
rest: settings, registries, source texts, templates, code) are those it was made
with, and makes it again otherwise. The parts are kept in one file of the project
(:data:`FILE`, another for a preview, which shows drafts), written only by a
generation whose inputs did not change while it ran. What is in it is published
as it is, so the file is trusted only when it is ours: it is signed as
check/stored.py signs its entries (HMAC-SHA256, with the key kept outside the
project), holds text only and is read by an unpickler that builds no class;
anything else is passed over, and any failure to read or write it only costs
the time it would have saved.
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

FILE = ".briefing-cache/records-json"
"""The kept parts of ``briefing build`` and ``generate``, in the project; a preview's end in ``-drafts``."""
VERSION = 2
MAX_BYTES = 1 << 30
_MAC_BYTES = 32


class _TextOnly(pickle.Unpickler):
    """Builds tuples, lists, dicts and text, and no class at all."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


class KeptData:
    """The parts kept by the last generation, for this one: :meth:`fragments` hands back or makes a briefing's,
    :meth:`save` keeps this generation's."""

    def __init__(
        self, project: Project, rest: str, digests: dict[str, str], drafts: bool, fresh: bool
    ):
        self.project, self.rest, self.digests = project, rest, digests
        self.path = project.root / (FILE + ("-drafts" if drafts else ""))
        self.key = signing_key()
        self.old: dict[str, tuple[str, str, tuple, tuple]] = {} if fresh else self._load()
        self.now: dict[str, tuple[str, str, tuple, tuple]] = {}
        self.made = 0

    def _load(self) -> dict:
        if self.key is None:
            return {}
        try:
            data = self.project.read(self.path, MAX_BYTES)
        except (InputRefused, OSError):
            return {}
        mac, body = data[:_MAC_BYTES], data[_MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.new(self.key, body, hashlib.sha256).digest()):
            return {}
        try:
            version, rest, parts = _TextOnly(io.BytesIO(body)).load()
        except Exception:  # noqa: BLE001 - a signed file of another shape is passed over all the same
            return {}
        return parts if version == VERSION and rest == self.rest and isinstance(parts, dict) else {}

    def fragments(self, make: Callable[[Briefing], Fragments]) -> Callable[[Briefing], Fragments]:
        """``make`` for the briefings whose part is not kept (and what it makes kept); the kept part for the
        others."""

        def of(b: Briefing) -> Fragments:
            digest = self.digests.get(b.path)
            kept = self.old.get(b.path)
            if digest is not None and kept is not None and kept[0] == digest:
                self.now[b.path] = kept
                return kept[1], kept[2], kept[3]
            entry, records, events = make(b)
            self.made += 1
            if digest is not None:
                self.now[b.path] = (digest, entry, records, events)
            return entry, records, events

        return of

    def save(self) -> None:
        """Keep this generation's parts, when any differs from those kept (atomic; never through a link)."""
        if self.key is None or (not self.made and self.now.keys() == self.old.keys()):
            return
        body = pickle.dumps((VERSION, self.rest, self.now), protocol=5)
        tmp = None
        try:
            self.project.unlinked(self.path.parent, "folder")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.project.unlinked(self.path.parent, "folder")
            prefix = f".{self.path.name}-"
            for stale in self.path.parent.glob(prefix + "*"):  # left by a write that was killed
                stale.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=prefix, dir=self.path.parent)
            with open(fd, "wb") as f:
                f.write(hmac.new(self.key, body, hashlib.sha256).digest() + body)
            os.replace(tmp, self.path)
        except (InputRefused, OSError):
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
