"""What a build may reuse of the site it replaces, so that its cost follows what changed.

A site built by ``briefing build`` holds a record of what it was built from
(:data:`RECORD`): a key of everything that shapes every page besides its own
Markdown (mkdocs.yml and the settings MkDocs loaded, the theme overrides, the
generator's code, the versions of MkDocs, Material and the other libraries),
the digest of every docs file, and the size of every file of the site. The
next build compares: with the same key and the site as recorded, MkDocs renders
only the pages whose docs changed (a dirty build into an empty folder, told
exactly which files to write), the search index is the old one with the
entries of those pages replaced, and every other file of the old site is
hard-linked into the new one, which is then swapped in whole. Anything the
record cannot vouch for falls back to a cold build, and the build says why.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.output.manifest import _digest_entry, _entries, library_versions
from generator.output.write import MANIFEST, existing_files, file_identity, link_or_copy

DOCS_DIGESTS = ".briefing-cache/docs-digests.json"
"""In the project: the digest of each docs file by its identity, kept by one ``briefing build`` for the next."""
RECORD = ".briefing-build.json"
"""In site/: what the site was built from (see the module's docstring)."""
SEARCH_INDEX = "search/search_index.json"
_PACKAGE = Path(__file__).resolve().parent.parent
SETTINGS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "repo_url",
    "repo_name",
    "edit_uri",
    "use_directory_urls",
    "theme",
    "extra",
    "extra_css",
    "extra_javascript",
    "extra_templates",
    "markdown_extensions",
    "mdx_configs",
    "nav",
    "not_in_nav",
    "exclude_docs",
    "draft_docs",
    "validation",
    "watch",
    "hooks",
    "strict",
)
"""The settings of a loaded config that may change a page whose Markdown did not change."""


def site_key(cfg, root: Path, template_dirs: Iterable[Path]) -> str:
    """The digest of what every page depends on besides its own docs file; a different key builds cold.

    The theme's folders inside the project count by their path in it, so that a project built in another
    folder (a CI runner's cache restored elsewhere) keeps its key; their files count by their bytes."""
    digest = hashlib.sha256(library_versions().encode())
    settings = {name: cfg.get(name) for name in SETTINGS}
    settings["theme"] = _plain(cfg.theme, root)
    settings["plugins"] = {
        name: (_version_of(plugin), dict(plugin.config)) for name, plugin in cfg.plugins.items()
    }
    # the date itself is only the sitemap's
    settings["epoch_set"] = "SOURCE_DATE_EPOCH" in os.environ
    said = json.dumps(settings, sort_keys=True, default=_plain)
    digest.update(said.replace(json.dumps(str(root))[1:-1], "<project>").encode())
    # the theme overrides (the page templates shape the docs, whose digests say what changed) and the
    # plugin and generator code
    for folder in [*(t / "overrides" for t in template_dirs), _PACKAGE]:
        for rel, path in _entries(folder):
            if path.suffix != ".pyc" and "site_templates/pages/" not in f"/{rel}":
                _digest_entry(digest, f"{folder.name}/{rel}", path)
    return digest.hexdigest()


def _plain(value: Any, root: Path = Path("/")) -> Any:
    """A setting JSON cannot hold, as something that is the same in every process: a function by its name,
    a set sorted, the theme by its folders and variables."""
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    if isinstance(value, functools.partial):
        return [_plain(value.func), [repr(a) for a in value.args], sorted(value.keywords.items())]
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    if hasattr(value, "static_templates") and hasattr(value, "dirs"):  # MkDocs' Theme
        dirs = [Path(d) for d in value.dirs]
        return {
            "dirs": [
                d.relative_to(root).as_posix() if d.is_relative_to(root) else str(d) for d in dirs
            ],
            "vars": getattr(value, "_vars", {}),
        }
    return repr(value)


@functools.cache
def _plugin_distributions() -> dict[str, str]:
    """Each MkDocs plugin class (``module:Class``, as its entry point names it) → ``distribution=version``; read
    from the ``mkdocs.plugins`` entry points (walking every installed package's files took up to 2 s)."""
    found: dict[str, str] = {}
    for ep in metadata.entry_points(group="mkdocs.plugins"):
        dist = ep.dist
        if dist is not None:
            found.setdefault(ep.value, f"{dist.name}={dist.version}")
    return found


def _version_of(plugin) -> str:
    """The distribution and version of a plugin; its module's name when no entry point names it (a hook)."""
    cls = type(plugin)
    return _plugin_distributions().get(f"{cls.__module__}:{cls.__qualname__}", cls.__module__)


def docs_digests(docs: Path, kept: Path | None = None) -> dict[str, str]:
    """Each docs file (the manifest aside) and the digest of its bytes.

    With ``kept`` (a file of the project's cache), a file that is the very one a
    digest was kept for (the same device, inode, size and time of change: a
    generation writes a changed file anew and hard-links the others) takes that
    digest, unread; the digests of this call are kept there for the next, as git's
    index keeps what it read. Nothing else is trusted of it: a file not ours names
    no inode of this file system's files but by chance, and then only costs a read.
    """
    known: dict = {}
    if kept is not None:
        try:
            known = json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    out, said = {}, {}
    for rel, path in existing_files(docs).items():
        if rel == MANIFEST:
            continue
        identity = _identity(path)
        entry = known.get(rel) if isinstance(known, dict) else None
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == identity:
            out[rel] = str(entry[1])
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        said[rel] = [identity, out[rel]]
    if kept is not None and said != known:
        _write_kept(kept, said)
    return out


def _identity(path: Path) -> list[int]:
    return list(file_identity(path))  # as JSON reads it back


def _write_kept(path: Path, data: dict) -> None:
    """``data`` into ``path``, atomically; a failure only costs the reads it would have saved."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)  # never written through a link left there
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Plan:
    """What an incremental build renders, or why the build is cold."""

    cold: str
    """Why the whole site is built again; empty when the build is incremental."""
    changed: frozenset[str] = frozenset()
    """Docs files (relative paths) that are new or whose bytes changed since the site was built."""
    removed: frozenset[str] = frozenset()
    """Docs files the site was built from that are gone."""

    @property
    def nothing(self) -> bool:
        return not self.cold and not self.changed and not self.removed


def plan(site: Path, key: str, docs: dict[str, str], clean: bool = False) -> Plan:
    """Compare the site's record with the key and docs of this build."""
    if clean:
        return Plan("--clean was given")
    try:
        record = json.loads((site / RECORD).read_text(encoding="utf-8"))
        recorded_docs, recorded_site = dict(record["docs"]), dict(record["site"])
        recorded_key = record["key"]
    except FileNotFoundError:
        return Plan(f"{site.name}/ holds no record of its build")
    except (OSError, ValueError, KeyError, TypeError):
        return Plan(f"the record of {site.name}/'s build cannot be read")
    if recorded_key != key:
        return Plan(
            "mkdocs.yml, a template, the generator or a library changed since the last build"
        )
    found = {rel: p for rel, p in existing_files(site).items() if rel != RECORD}
    if set(found) != set(recorded_site) or any(
        found[rel].stat().st_size != size for rel, size in recorded_site.items()
    ):
        return Plan(f"{site.name}/ was changed since it was built")
    changed = {rel for rel, digest in docs.items() if recorded_docs.get(rel) != digest}
    return Plan("", frozenset(changed), frozenset(set(recorded_docs) - set(docs)))


def write_record(site: Path, key: str, docs: dict[str, str]) -> None:
    """The record of the finished site (before it is swapped in)."""
    files = {rel: p.stat().st_size for rel, p in existing_files(site).items() if rel != RECORD}
    data = {"key": key, "docs": dict(sorted(docs.items())), "site": dict(sorted(files.items()))}
    (site / RECORD).write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def merge_search_index(new: Path, old: Path, pages: list[tuple[str, bool]]) -> None:
    """The search index of every page: the entries of the pages rendered now (in ``new``, which a dirty build
    wrote with those only) and the old index's entries of the others, in the order of ``pages`` ((url,
    rendered now) of each page, in build order), written as Material's search plugin writes it."""
    fresh = json.loads(new.read_text(encoding="utf-8"))
    before = json.loads(old.read_text(encoding="utf-8"))
    mine = _by_page(fresh["docs"])
    theirs = _by_page(before["docs"])
    docs = []
    for url, rendered in pages:
        docs += (mine if rendered else theirs).get(url, [])
    data = {"config": fresh["config"], "docs": docs}
    new.write_bytes(json.dumps(data, separators=(",", ":"), default=str).encode("utf-8"))


TAGS_EXPORT = "tags.json"
"""Material's tags plugin's export (``export_file``): the tags of the pages it saw, which in a dirty build are
the pages rendered."""


def merge_tags_export(new: Path, old: Path, pages: list[tuple[str, bool]]) -> None:
    """The tags export of every page: the mappings of the pages rendered now and the old export's of the others,
    in the order of ``pages``, written as the tags plugin writes it (``json.dump`` with its defaults)."""
    fresh = json.loads(new.read_text(encoding="utf-8")).get("mappings", [])
    before = json.loads(old.read_text(encoding="utf-8")).get("mappings", [])
    mine = {m["item"]["url"]: m for m in fresh}
    theirs = {m["item"]["url"]: m for m in before}
    mappings = [
        found for url, rendered in pages if (found := (mine if rendered else theirs).get(url))
    ]
    new.write_text(json.dumps({"mappings": mappings}), encoding="utf-8")


def _by_page(entries: list[dict]) -> dict[str, list[dict]]:
    """Search entries by the page they belong to (a location without its #anchor)."""
    out: dict[str, list[dict]] = {}
    for entry in entries:
        out.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    return out


def link_unchanged(old: Path, new: Path, keep: Iterable[str]) -> None:
    """Hard-link into ``new`` each file of ``old`` named in ``keep`` that the build did not write."""
    for rel in keep:
        dest = new / rel
        if dest.exists() or not (old / rel).is_file():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(old / rel, dest)


@dataclass
class Incremental:
    """What the plugin needs for a dirty build that is the build's own: which docs files to render (or copy),
    and, filled in as MkDocs builds, the pages in build order and the outputs to keep from the old site."""

    changed: frozenset[str]
    old_site: Path
    pages: list[tuple[str, bool]] | None = None
    keep: list[str] | None = None

    def mark(self, files) -> None:
        """Tell MkDocs which files to write: those whose docs changed, and any a plugin generates."""
        self.keep = []
        for f in files:
            write = f.src_uri in self.changed or f.generated_by is not None
            f.is_modified = lambda w=write: w  # noqa: E731 - MkDocs asks each file
            if not write:
                self.keep.append(f.dest_uri)
        self.pages = [(f.url, f.src_uri in self.changed) for f in files.documentation_pages()]

    def merge_search(self, site_dir: Path) -> None:
        """The files a plugin writes from the pages a build rendered, made whole again: Material's search
        index (when it is the site's search) and its tags plugin's export of every page's tags."""
        if self.pages is None:
            return
        for name, merge in ((SEARCH_INDEX, merge_search_index), (TAGS_EXPORT, merge_tags_export)):
            new, old = site_dir / name, self.old_site / name
            if new.is_file() and old.is_file():
                merge(new, old, self.pages)
