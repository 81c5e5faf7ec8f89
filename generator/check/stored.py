"""Briefings as an earlier run read them, kept on disk: a check reads again only the files that changed.

Reading a briefing file (YAML parsed into nodes, validated into a record, every
quote placed in its source's text) depends on the file's bytes and path, on the
source texts its quotes are placed in, and on the code and libraries that read
it; nothing else. A run that read a file without an error keeps the record,
quotes placed, and the file's warnings in ``.briefing-cache/records/`` of the
project, one entry a file, under a stamp of the code, the libraries and the
parser (:func:`stamp`). The next run hands the record back while the file's
bytes are the same, and keeps its quotes' places while every source text is the
same; the rules across files always run in full.

An entry is data a pull request could put into the project, so it is trusted
only when it is ours: each is signed (HMAC-SHA256) with a key kept outside the
project, in the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``,
``briefing-site/records.key``, made once, readable by its owner only), and is
unpickled by :class:`_Restricted`, which builds the record classes of
``generator.format`` and plain values, nothing else. An entry that fails either
test, is of another stamp or another file's bytes is passed over and read again.
Writing is atomic (a temporary file renamed over), and any failure to read or
write the cache only costs the time it would have saved.
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

from generator.check import drafts
from generator.errors import Collector, Diagnostic
from generator.format import fieldtypes, loader, model
from generator.format.loader import MAX_FILE_BYTES
from generator.format.model import Archive, Briefing
from generator.project import InputRefused, Project

FOLDER = ".briefing-cache/records"
"""The entries' folder, in the project."""
KEY_FILE = "briefing-site/records.key"
"""The signing key, in the user's cache folder."""
MAX_ENTRY_BYTES = 32 * MAX_FILE_BYTES
"""Largest entry read: a briefing file's record with its nodes is some four times its YAML."""
_KEY_BYTES = 32
_DIGEST = hashlib.sha256
_MAC_BYTES = 32
_PACKAGE = Path(__file__).resolve().parent.parent
_ALLOWED_MODULES = {m.__name__: m for m in (model, loader, fieldtypes)}
_ALLOWED_PLAIN = {
    ("datetime", "date"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("generator.errors", "Diagnostic"),
}


class _Restricted(pickle.Unpickler):
    """Builds only the classes the record modules define (records, nodes, field values) and plain values: never
    a function, nor a class they import from elsewhere."""

    def find_class(self, module: str, name: str):
        owner = _ALLOWED_MODULES.get(module)
        if owner is not None and not name.startswith("_"):
            found = getattr(owner, name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        if (module, name) in _ALLOWED_PLAIN:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a record class")


def stamp(parser: str | None) -> str:
    """What an entry's reading depended on besides its file and the source texts: the package's code, Python's
    and PyYAML's versions, the parser."""
    import platform

    import yaml

    digest = _DIGEST(
        f"{platform.python_version()}\0{yaml.__version__}\0{parser or loader.parser_names()[0]}\0".encode()
    )
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_digest(rel: str, data: bytes) -> str:
    """The digest of a content file's bytes (``rel``: its path in the content folder), as the fingerprint takes
    it (output/manifest.py), so that a run hands it over instead of the file being read twice."""
    digest = hashlib.sha256(f"{rel}\0file\0".encode("utf-8", "surrogateescape"))
    digest.update(data)
    digest.update(f"\0{len(data)}\0".encode())
    return digest.hexdigest()


def signing_key() -> bytes | None:
    """The signing key, made when there is none; None when the cache folder cannot hold one."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (RuntimeError, KeyError):  # no home to find
        return None
    path = base / KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) == _KEY_BYTES:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".key-", dir=path.parent)
        with open(fd, "wb") as f:
            f.write(os.urandom(_KEY_BYTES))
        try:
            os.link(tmp, path)  # never over a key another run made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == _KEY_BYTES else None


class SignedEntries:
    """A folder of the project's cache whose entries are read back as data (``.briefing-cache/records/``, and
    the data files' parts of output/keptdata.py): one entry a content file, named by the digest of its path,
    each signed (HMAC-SHA256) with the key kept outside the project. An entry is read as content is read
    (inside the project, through no link, a regular file, within a limit) and handed over only when its
    signature holds; written atomically, never through a link; and any failure only costs what it saved."""

    def __init__(self, project: Project, folder: Path, key: bytes):
        self.project, self.folder, self.key = project, folder, key

    def path(self, rel: str) -> Path:
        """The entry of the file ``rel`` (project-relative)."""
        return self.folder / (
            hashlib.sha256(rel.encode("utf-8", "surrogateescape")).hexdigest() + ".pickle"
        )

    def read(self, rel: str, limit: int) -> bytes | None:
        """The entry's body, when it is there and signed with the key; None otherwise."""
        try:
            blob = self.project.read(self.path(rel), limit)
        except (InputRefused, OSError):
            return None
        mac, body = blob[:_MAC_BYTES], blob[_MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.new(self.key, body, _DIGEST).digest()):
            return None
        return body

    def made(self) -> bool:
        """Whether the folder is there to write into (``Project.made_folder``)."""
        return self.project.made_folder(self.folder)

    def write(self, rel: str, body: bytes) -> None:
        """The entry of ``rel``, signed, through a temporary file renamed over (the folder :meth:`made`)."""
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".entry-", dir=self.folder)
            with open(fd, "wb") as f:
                f.write(hmac.new(self.key, body, _DIGEST).digest() + body)
            os.replace(tmp, self.path(rel))
        except OSError:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def keep_only(self, live: set[str]) -> None:
        """Drop every entry but those of ``live``, and what a killed write left."""
        keep = {self.path(rel).name for rel in live}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name not in keep:
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass


class Stored:
    """The records kept on disk, for ``read_content(store=...)``: :meth:`briefing` for each briefing file read,
    :meth:`text` for each source text loaded, :meth:`placed` for each record's quotes, :meth:`save` after."""

    def __init__(
        self,
        project: Project,
        key: bytes,
        stamp: str,
        trusted: bool = True,
        known: dict[str, str] | None = None,
    ):
        self.project = project
        self.trusted = trusted
        """False: no entry is handed back (``briefing build --clean``); this run's are kept all the same."""
        self.known = known or {}
        """Project-relative path → the :func:`content_digest` the fingerprint just took of its bytes: an entry
        of that digest is handed back without reading the file again."""
        self.key = key
        self.entries = SignedEntries(project, project.root / FOLDER, key)
        self.stamp = stamp
        self.read: dict[str, tuple[str, Briefing, list[Diagnostic], str | None]] = {}
        """Each briefing file of this run (project-relative) → the digest of its bytes, its record, its warnings
        and the digest of the texts its quotes were placed in as kept (None: read this run, not placed yet)."""
        self.texts = _DIGEST()

    @classmethod
    def of(
        cls,
        project: Project,
        parser: str | None = None,
        trusted: bool = True,
        known: dict[str, str] | None = None,
    ) -> Stored | None:
        """The project's store; None when no key can be kept."""
        key = signing_key()
        return None if key is None else cls(project, key, stamp(parser), trusted, known)

    def _entry(self, rel: str) -> Path:
        return self.entries.path(rel)

    def briefing(
        self, path: Path, out: Collector, read: Callable[[Path, bytes | None], Briefing | None]
    ) -> Briefing | None:
        """The record of ``path``: handed back when an entry holds it for these bytes, else ``read(path, data)``."""
        rel = self.project.rel(path)
        known = self.known.get(rel)
        if self.trusted and known is not None:
            kept = self._load(rel, known)
            if kept is not None:  # the very bytes the fingerprint just read: not read again
                return self._handed_back(rel, known, kept, out)
        try:
            data = self.project.read(path, MAX_FILE_BYTES)
        except (InputRefused, OSError):
            return read(path, None)  # it reports why
        inside = Path(os.path.relpath(os.path.abspath(path), self.project.content)).as_posix()
        digest = content_digest(inside, data)
        kept = self._load(rel, digest) if self.trusted and digest != known else None
        if kept is not None:
            return self._handed_back(rel, digest, kept, out)
        errors, warnings_before = len(out.diagnostics), len(out.warnings)
        fresh = read(path, data)
        if fresh is not None and len(out.diagnostics) == errors:
            self.read[rel] = (digest, fresh, out.warnings[warnings_before:], None)
        return fresh

    def _handed_back(
        self, rel: str, digest: str, kept: tuple[str, Briefing, list[Diagnostic]], out: Collector
    ) -> Briefing:
        texts, record, warnings = kept
        out.warnings.extend(warnings)
        self.read[rel] = (digest, record, warnings, texts)
        return record

    def _load(self, rel: str, digest: str) -> tuple[str, Briefing, list[Diagnostic]] | None:
        body = self.entries.read(rel, MAX_ENTRY_BYTES)
        if body is None:
            return None
        try:
            said = _Restricted(io.BytesIO(body)).load()
        except Exception:  # noqa: BLE001 - any entry that does not load is read again
            return None
        if not (isinstance(said, tuple) and len(said) == 8):
            return None
        stamp_, rel_, digest_, texts, record, warnings, refs, placeholders = said
        if (stamp_, rel_, digest_) != (self.stamp, rel, digest) or not isinstance(record, Briefing):
            return None
        if not (isinstance(refs, list) and isinstance(placeholders, list)):
            return None
        # what the check's rules find in every record, found when it was kept (the objects are the record's own)
        model.keep_references(record, refs)
        drafts.keep_placeholders(record, placeholders)
        return texts, record, warnings

    def text(self, source_id: str, body: str | None) -> None:
        """A source's text as loaded this run (None: it has none): part of what the quotes were placed in."""
        self.texts.update(f"{source_id}\0{body is None}\0".encode("utf-8", "surrogateescape"))
        if body is not None:
            self.texts.update(hashlib.sha256(body.encode("utf-8", "surrogateescape")).digest())

    def placed(self, b: Briefing) -> bool:
        """Whether ``b`` was handed back with its quotes placed in the texts loaded this run."""
        kept = self.read.get(b.path)
        return kept is not None and kept[1] is b and kept[3] == self.texts.hexdigest()

    def save(self, archive: Archive, out: Collector) -> None:
        """Keep the records read or placed again this run, of files with no error; drop the entries of files gone."""
        texts = self.texts.hexdigest()
        failed = {d.path for d in out.diagnostics}
        if not self.entries.made():
            return
        for b in archive.briefings:
            kept = self.read.get(b.path)
            if kept is not None and kept[1] is b and kept[3] != texts and b.path not in failed:
                self._write(b.path, kept[0], texts, b, kept[2])
        self.entries.keep_only({b.path for b in archive.briefings})

    def _write(self, rel: str, digest: str, texts: str, b: Briefing, warnings: list) -> None:
        found = list(model.references(b)), drafts.placeholders_of(b)
        body = pickle.dumps((self.stamp, rel, digest, texts, b, warnings, *found), protocol=5)
        self.entries.write(rel, body)
