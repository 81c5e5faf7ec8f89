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

import io
import pickle
from collections.abc import Callable

from generator.check.stored import SignedEntries, signing_key
from generator.data.export import Fragments
from generator.format.model import Briefing
from generator.project import Project

FOLDER = ".briefing-cache/records-json"
"""The kept parts of ``briefing build`` and ``generate``, in the project, one entry a briefing file; a
preview's folder ends in ``-drafts``."""
VERSION = 2
MAX_BYTES = 64 << 20
"""Largest entry read: a briefing file's part is about its YAML's size."""


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
        self.rest, self.digests, self.fresh = rest, digests, fresh
        key = signing_key()
        folder = project.root / (FOLDER + ("-drafts" if drafts else ""))
        self.entries = None if key is None else SignedEntries(project, folder, key)
        self.made: dict[str, tuple] = {}
        """Briefing file → the part made this run, with its file's digest, to be kept."""
        self.seen: set[str] = set()

    def _load(self, rel: str, digest: str) -> Fragments | None:
        if self.entries is None or self.fresh:
            return None
        body = self.entries.read(rel, MAX_BYTES)
        if body is None:
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
        """Keep the parts made this run, and drop the entries of briefing files this run did not see."""
        if self.entries is None or not self.entries.made():
            return
        for rel, (digest, entry, records, events) in self.made.items():
            body = pickle.dumps(
                (VERSION, self.rest, rel, digest, entry, records, events), protocol=5
            )
            self.entries.write(rel, body)
        self.entries.keep_only(self.seen)
