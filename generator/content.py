"""Read the content folder: every file loaded and validated, every problem collected."""

from __future__ import annotations

from pathlib import Path

from . import schema
from .errors import Collector
from .fieldtypes import ID_RE
from .loader import MAX_FILE_BYTES, MAX_NODES, REGISTRY_MAX_NODES, LoadFailed, Mapping, load_bytes_partial
from .model import Actor, Archive, Briefing, Page, Source
from .pages import check_page
from .project import InputRefused, Project
from .validate import to_record

RESERVED_PAGE_NAMES = {"index"}
"""Names a hand-written page may not take (pages live under pages/<name>/, beside pages/index.md)."""
MAX_PAGE_BYTES = MAX_FILE_BYTES
"""Largest hand-written page read, as for a content file."""
MAX_SOURCE_TEXT_BYTES = 8 * 1024 * 1024
"""Largest source text under seeds/ read: a long report; each is shown whole on its source page."""


def read_content(project: Project, out: Collector, parser: str | None = None) -> Archive:
    """Load and validate every content file, keeping every loaded node; cross-file rules are in check.py."""
    archive = Archive()
    content = project.content

    actors_file = _load(project, content / "actors.yaml", out, parser, required=True)
    if actors_file is not None:
        rec = to_record(actors_file, schema.ACTORS_FILE, "", out)
        actors: list[Actor] = [a for a in _list(actors_file, "actors", rec, "actors", schema.ACTOR, out)]
        _unique(actors, "actor", out, archive.actors)

    sources_file = _load(project, content / "sources.yaml", out, parser, required=True)
    if sources_file is not None:
        rec = to_record(sources_file, schema.SOURCES_FILE, "", out)
        sources: list[Source] = [s for s in _list(sources_file, "sources", rec, "sources", schema.SOURCE, out)]
        _unique(sources, "source", out, archive.sources)

    folder = content / "briefings"
    paths = []
    for name in _names(project, folder, out):
        path = folder / name
        if name.startswith(".") or path.is_dir() and not path.is_symlink():
            continue
        if not name.endswith(".yaml"):
            if name.endswith(".yml"):
                out.add(project.rel(path), 1, 1, "", "briefing files end in .yaml; rename it so it is read")
            continue
        paths.append(path)
    archive.files += len(paths)
    archive.briefings = _read_briefings(project, paths, out, parser)
    archive.briefings.sort(key=lambda b: (str(b.date or ""), b.id or ""))
    archive.files += (actors_file is not None) + (sources_file is not None)

    pages = content / "pages"
    for path in [pages / name for name in _names(project, pages, out) if name.endswith(".md")]:
        rel = project.rel(path)
        if not ID_RE.fullmatch(path.stem):
            out.add(rel, 1, 1, "", f"page file name '{path.stem}' must be an id (lower-case letters, digits, hyphens)")
            continue
        if path.stem in RESERVED_PAGE_NAMES:
            out.add(rel, 1, 1, "", f"page name '{path.stem}' is taken by the list of pages; rename the file")
            continue
        try:
            text = project.read(path, MAX_PAGE_BYTES).decode("utf-8")
        except InputRefused as exc:
            out.add(rel, 1, 1, "", exc.message())
            continue
        except (OSError, UnicodeDecodeError) as exc:
            out.add(rel, 1, 1, "", f"cannot read page: {exc}")
            continue
        check_page(rel, text, out)
        archive.pages.append(Page(path.stem, rel, text))
    return archive


def content_files(project: Project) -> int:
    """How many content files a check reads (the two registries and the briefings): for its progress line."""
    return 2 + sum(1 for _ in (project.content / "briefings").glob("*.yaml"))


def _read_briefings(project: Project, paths: list[Path], out: Collector, parser) -> list[Briefing]:
    records = []
    for path in paths:
        node = _load(project, path, out, parser)
        if node is not None:
            briefing = to_record(node, schema.BRIEFING, "", out)
            if briefing is not None:
                records.append(briefing)
    return records


def _names(project: Project, folder: Path, out: Collector) -> list[str]:
    """The sorted names in a folder of the content; none when it is missing or a link (reported)."""
    try:
        project.unlinked(folder, "folder")
    except InputRefused as exc:
        out.add(project.rel(folder), 1, 1, "", exc.message())
        return []
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def read_source_text(project: Project, path: Path) -> str:
    """The text of a source under seeds/ (raises InputRefused, OSError or UnicodeDecodeError)."""
    return project.read(path, MAX_SOURCE_TEXT_BYTES).decode("utf-8")


def _load(project: Project, path: Path, out: Collector, parser, required: bool = False) -> Mapping | None:
    rel = project.rel(path)
    try:
        data = project.read(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        if required:
            out.add(rel, 1, 1, "", "file is missing; every project needs it")
        return None
    except InputRefused as exc:
        out.add(rel, 1, 1, "", exc.message())
        return None
    except OSError as exc:
        out.add(rel, 1, 1, "", f"cannot read file: {exc.strerror}")
        return None
    try:
        root, problems = load_bytes_partial(data, rel, parser, REGISTRY_MAX_NODES if required else MAX_NODES)
    except LoadFailed as exc:
        root, problems = None, exc.problems
    for line, col, message in problems:
        out.add(rel, line, col, "", message)
    return root


def _list(node: Mapping, key: str, rec, where: str, record: schema.Record, out: Collector):
    """The records of a registry file; re-validated item by item when the file as a whole failed."""
    if rec is not None:
        return getattr(rec, key)
    seq = node.get(key)
    items = getattr(seq, "items", None)
    if not isinstance(items, list):
        return []
    # the file-level record failed: keep the good items so later checks still run
    quiet = Collector()
    return [r for i, item in enumerate(items) if (r := to_record(item, record, f"{where}[{i}]", quiet))]


def _unique(records, what: str, out: Collector, into: dict) -> None:
    for r in records:
        if r.id is None:
            continue
        first = into.get(r.id)
        if first is not None:
            out.at(r.at("id"), r.field_path("id"), f"duplicate {what} id '{r.id}' (first at {first.path}:{first.at('id').line})")
            continue
        into[r.id] = r
