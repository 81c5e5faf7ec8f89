"""What the docs were last generated from, so that an unchanged project regenerates in milliseconds.

The manifest holds a fingerprint of every input (content, seeds, templates,
mkdocs.yml, the generator's own code, and the versions of Python, of this
package and of the libraries that shape what is built) and the name and size of
every file written. When both still hold, generation is skipped: the docs are
exactly what a full run would write, and a full run checked the same inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
from importlib import metadata
from pathlib import Path

from generator.output.write import MANIFEST, existing_files
from generator.project import Project

_PACKAGE = Path(__file__).resolve().parent.parent
CHUNK = 1 << 20
"""Bytes hashed at a time: a large file costs time, never memory."""
LIBRARIES = (
    "briefing-site",
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "jinja2",
    "markupsafe",
    "pyyaml",
    "selectolax",
    "pagefind-bin",
)
"""Distributions whose version is part of the fingerprint: this package and what reads, renders, escapes or
builds its output. An upgrade of any of them may change what is built, so it regenerates the docs."""


def _entries(folder: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of every entry under ``folder``, sorted, without following links.

    A link is an entry of its own (its target's name is fingerprinted, never
    what it points at), so the walk stays inside the project whatever a link
    in a pull request points at; the content check then refuses the link.
    """
    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            return [("", folder)]
    except FileNotFoundError:
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        here = Path(dirpath)
        found += [
            (p.relative_to(folder).as_posix(), p) for p in (here / n for n in sorted(filenames))
        ]
        found += [
            (p.relative_to(folder).as_posix(), p)
            for p in (here / n for n in dirnames)
            if p.is_symlink()
        ]
    return found


def _digest_entry(digest, rel: str, path: Path) -> None:
    """Feed one entry to ``digest``: a file's bytes, a link's target, or the kind of anything else."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            digest.update(f"{rel}\0link\0{os.readlink(path)}\0".encode("utf-8", "surrogateescape"))
        elif stat.S_ISREG(mode):
            digest.update(f"{rel}\0file\0".encode("utf-8", "surrogateescape"))
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with open(fd, "rb") as f:
                size = 0
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
            digest.update(f"\0{size}\0".encode())
        else:
            digest.update(f"{rel}\0mode {stat.S_IFMT(mode)}\0".encode("utf-8", "surrogateescape"))
    except OSError as exc:  # unreadable: the check reports it; the fingerprint only has to differ
        digest.update(f"{rel}\0error {exc.errno}\0".encode("utf-8", "surrogateescape"))


def library_versions() -> str:
    """``name=version`` of each of :data:`LIBRARIES` and of Python, one a line (``absent`` when not installed)."""
    lines = []
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        lines.append(f"{name}={version}")
    lines.append(f"python={platform.python_implementation()} {platform.python_version()}")
    return "\n".join(lines) + "\n"


def fingerprint(project: Project, directory_urls: bool) -> str:
    """One digest of every input of the docs (see :func:`fingerprint_parts`)."""
    rest, briefings = fingerprint_parts(project, directory_urls)
    return combined(rest, briefings)


def combined(rest: str, briefings: dict[str, str]) -> str:
    """The one digest of the inputs, from :func:`fingerprint_parts`' two parts."""
    digest = hashlib.sha256(rest.encode())
    for path, said in sorted(briefings.items()):
        digest.update(f"{path}\0{said}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def fingerprint_parts(project: Project, directory_urls: bool) -> tuple[str, dict[str, str]]:
    """The digest of every input but the briefing files (settings, library versions, registries, pages, seeds,
    templates, code, mkdocs.yml), and each briefing file's own digest by its project-relative path: an edit
    of briefings only is known as such (``generate`` then renders the pages that show them)."""
    digest = hashlib.sha256(f"directory_urls={directory_urls}\n".encode())
    # the absolute URLs of the feeds and JSON-LD: a preview generates with its own address, never to be published
    digest.update(f"site_url={project.site.site_url}\n".encode("utf-8", "surrogateescape"))
    # the settings as MkDocs loaded them (INHERIT, !ENV): the feeds and the JSON-LD print some of them
    site = project.site
    settings = (
        site.site_name,
        site.site_description,
        site.publisher_name,
        site.publisher_url,
        site.repo_url,
        site.edit_uri,
        site.directory_urls,
        site.markdown,
    )
    digest.update(repr(settings).encode("utf-8", "surrogateescape"))
    digest.update(library_versions().encode())
    briefings: dict[str, str] = {}
    roots = [project.content, project.seeds, *project.template_dirs, _PACKAGE]
    for root in roots:
        for rel, path in _entries(root):
            if path.suffix == ".pyc":
                continue
            if root == project.content and _is_briefing(rel):
                own = hashlib.sha256()
                _digest_entry(own, rel, path)
                briefings[project.rel(path)] = own.hexdigest()
                continue
            _digest_entry(digest, rel, path)
    _digest_entry(digest, "mkdocs.yml", project.root / "mkdocs.yml")
    return digest.hexdigest(), briefings


def _is_briefing(rel: str) -> bool:
    """A briefing file, as the check reads them: ``briefings/<name>.yaml`` in the content folder."""
    folder, _, name = rel.rpartition("/")
    return folder == "briefings" and name.endswith(".yaml")


def read_manifest(docs: Path) -> dict | None:
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def outputs_intact(docs: Path, manifest: dict) -> bool:
    """Every written file is still there with its size, and nothing else is."""
    expected = manifest.get("outputs") or {}
    found = existing_files(docs)
    found.pop(MANIFEST, None)
    if set(found) != set(expected):
        return False
    return all(found[rel].stat().st_size == size for rel, size in expected.items())


def write_manifest(
    docs: Path, inputs: str, pages: int, epoch: int, memory: dict | None = None
) -> None:
    """The manifest of a generation; ``memory``: what each page showed, for the next one (``generate``)."""
    outputs = {rel: p.stat().st_size for rel, p in existing_files(docs).items() if rel != MANIFEST}
    data = {
        "inputs": inputs,
        "pages": pages,
        "epoch": epoch,
        "outputs": dict(sorted(outputs.items())),
    }
    if memory is not None:
        data["memory"] = memory
    try:
        (docs / MANIFEST).write_text(
            json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8"
        )
    except OSError:
        pass  # only a cache: the next run regenerates in full
