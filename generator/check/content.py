"""Read the content folder: every file loaded and validated, every problem collected.

Reading makes the records whole: each source carries its local text, and each
quote of every briefing is placed in that text with its character offsets
(``place_quotes``). The cross-file rules (checker.py) then only read them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from generator.check.handwritten import check_page
from generator.check.stored import Stored
from generator.errors import Collector
from generator.format import model, schema
from generator.format.fieldtypes import _CONTROL_RE, ID_RE
from generator.format.loader import (
    MAX_FILE_BYTES,
    MAX_NODES,
    REGISTRY_MAX_NODES,
    LoadFailed,
    Mapping,
    load_bytes_partial,
)
from generator.format.model import Actor, Archive, Briefing, Page, Quote, Source, quotes_of
from generator.format.quotes import NormalText, find_quote, normalise
from generator.format.validate import to_record
from generator.project import InputRefused, Project

RESERVED_PAGE_NAMES = {"index"}
"""Names a hand-written page may not take (pages live under pages/<name>/, beside pages/index.md)."""
MAX_PAGE_BYTES = MAX_FILE_BYTES
"""Largest hand-written page read, as for a content file."""
MAX_SOURCE_TEXT_BYTES = 8 * 1024 * 1024
"""Largest source text under seeds/ read: a long report; each is shown whole on its source page."""


class Reuse(Protocol):
    """What a live preview keeps between saves (``preview.Kept``): what it read from files unchanged since."""

    def briefing(
        self, path: Path, out: Collector, read: Callable[[Path], Briefing | None]
    ) -> Briefing | None:
        """The briefing of ``path``, read with ``read(path)`` only when the file changed since it was last read."""

    def source_text(
        self, source: Source, project: Project, seeds: Path, out: Collector
    ) -> NormalText | None:
        """The source's text, loaded again only when its file changed."""

    def placed(self, b: Briefing) -> bool:
        """Whether ``b``'s quotes were placed before, in the same texts."""


def read_content(
    project: Project,
    out: Collector,
    parser: str | None = None,
    reuse: Reuse | None = None,
    store: Stored | None = None,
) -> Archive:
    """Load and validate every content file, keeping every loaded node, and place every quote in its source's
    text; cross-file rules are in checker.py.

    ``reuse`` (the live preview's ``Kept``) hands back the briefings and source texts of
    files unchanged since it last read them, and the quote places of briefings placed in the same texts.
    ``store`` (``stored.Stored``) does the same across runs, from what an earlier run kept on disk, for the
    briefing files ``reuse`` does not hand back; what it did not hand back is kept for the next run."""
    archive = Archive()
    content = project.content

    actors_file = _load(project, content / "actors.yaml", out, parser, required=True)
    if actors_file is not None:
        rec = to_record(actors_file, model.ActorsFile.record, "", out)
        actors: list[Actor] = [
            a for a in _list(actors_file, "actors", rec, "actors", model.Actor.record, out)
        ]
        _unique(actors, "actor", out, archive.actors)

    sources_file = _load(project, content / "sources.yaml", out, parser, required=True)
    if sources_file is not None:
        rec = to_record(sources_file, model.SourcesFile.record, "", out)
        sources: list[Source] = [
            s for s in _list(sources_file, "sources", rec, "sources", model.Source.record, out)
        ]
        _unique(sources, "source", out, archive.sources)

    paths = _briefing_paths(project, out)
    archive.files += len(paths)
    archive.briefings = _read_briefings(project, paths, out, parser, reuse, store)
    archive.briefings.sort(key=lambda b: b.sort_key)
    archive.files += (actors_file is not None) + (sources_file is not None)
    archive.pages = _read_pages(project, out)

    seeds = project.seeds.resolve()
    load = reuse.source_text if reuse is not None else _load_source_text
    archive.texts = {
        sid: load(source, project, seeds, out) for sid, source in archive.sources.items()
    }
    if store is not None:
        for sid, source in archive.sources.items():
            store.text(sid, source.body if archive.texts[sid] is not None else None)
    place_quotes(
        archive,
        [
            b
            for b in archive.briefings
            if not (reuse is not None and reuse.placed(b) or store is not None and store.placed(b))
        ],
        out,
    )
    if store is not None:
        store.save(archive, out)
    return archive


def _briefing_paths(project: Project, out: Collector) -> list[Path]:
    """The briefing files, each a .yaml file of content/briefings/; a .yml file is an error, hidden files and
    folders are passed over."""
    folder = project.content / "briefings"
    paths = []
    for name in _names(project, folder, out):
        path = folder / name
        if name.startswith(".") or path.is_dir() and not path.is_symlink():
            continue
        if not name.endswith(".yaml"):
            if name.endswith(".yml"):
                out.add(
                    project.rel(path),
                    1,
                    1,
                    "",
                    "briefing files end in .yaml; rename it so it is read",
                )
            continue
        paths.append(path)
    return paths


def _read_pages(project: Project, out: Collector) -> list[Page]:
    """The hand-written pages of content/pages/, each named by an id and checked (handwritten.py)."""
    pages = project.content / "pages"
    found: list[Page] = []
    for path in [pages / name for name in _names(project, pages, out) if name.endswith(".md")]:
        rel = project.rel(path)
        if not ID_RE.fullmatch(path.stem):
            out.add(
                rel,
                1,
                1,
                "",
                f"page file name '{path.stem}' must be an id (lower-case letters, digits, hyphens)",
            )
            continue
        if path.stem in RESERVED_PAGE_NAMES:
            out.add(
                rel,
                1,
                1,
                "",
                f"page name '{path.stem}' is taken by the list of pages; rename the file",
            )
            continue
        try:
            text = project.read(path, MAX_PAGE_BYTES).decode("utf-8")
        except InputRefused as exc:
            out.add(rel, 1, 1, "", exc.message())
            continue
        except (OSError, UnicodeDecodeError) as exc:
            out.add(rel, 1, 1, "", f"cannot read page: {exc}")
            continue
        check_page(rel, text, out, project.site.markdown)
        found.append(Page(path.stem, rel, text))
    return found


def content_files(project: Project) -> int:
    """How many content files a check reads (the two registries and the briefings): for its progress line."""
    return 2 + sum(1 for _ in (project.content / "briefings").glob("*.yaml"))


def _read_briefings(
    project: Project,
    paths: list[Path],
    out: Collector,
    parser,
    reuse: Reuse | None,
    store: Stored | None,
) -> list[Briefing]:
    def read(path: Path, data: bytes | None = None) -> Briefing | None:
        node = _load(project, path, out, parser, data=data)
        return None if node is None else to_record(node, model.Briefing.record, "", out)

    def read_through(path: Path) -> Briefing | None:
        return store.briefing(path, out, read) if store is not None else read(path)

    records = []
    for path in paths:
        briefing = (
            reuse.briefing(path, out, read_through) if reuse is not None else read_through(path)
        )
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


def place_quotes(archive: Archive, briefings: list[Briefing], out: Collector) -> None:
    """Place every quote of ``briefings`` in its source's text (``archive.texts``), with its character offsets;
    every source text is loaded once, whether quoted or not, since the source pages show them all."""
    for b in briefings:
        for q in quotes_of(b):
            if not _placeable(q):
                continue
            text = archive.texts.get(q.source)
            if text is None:
                continue
            match = find_quote(text, q.exact, q.prefix or "", q.suffix or "")
            if match.span is None:
                out.at(q.at("exact"), q.field_path("exact"), match.problem)
                continue
            q.span = match.span


def _placeable(q: Quote) -> bool:
    """Whether the quote's words can be looked for: ``exact`` is there, and no ``prefix`` or ``suffix`` was refused.

    A missing or refused field is already reported where the quote was read; looking for
    the words without it would only add a second, misleading error (or fail on None).
    """
    if not q.has("exact"):
        return False
    return not any(name in q.nodes and getattr(q, name) is None for name in ("prefix", "suffix"))


def _load_source_text(
    source: Source, project: Project, seeds: Path, out: Collector
) -> NormalText | None:
    """The source's text under seeds/ in normal form, kept as read in ``source.body``; None when it has none."""
    if not source.text:
        return None
    path = project.root / source.text
    if not path.resolve().is_relative_to(seeds):
        out.at(
            source.at("text"), source.field_path("text"), f"'{source.text}' leads outside seeds/"
        )
        return None
    try:
        source.body = read_source_text(project, path)
    except InputRefused as exc:
        out.at(source.at("text"), source.field_path("text"), str(exc))
        return None
    except FileNotFoundError:
        out.at(source.at("text"), source.field_path("text"), f"file '{source.text}' does not exist")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        out.at(
            source.at("text"),
            source.field_path("text"),
            f"cannot read '{source.text}' as UTF-8 text: {exc}",
        )
        return None
    bad = _CONTROL_RE.search(source.body)
    if bad:
        line = source.body.count("\n", 0, bad.start()) + 1
        col = bad.start() - (source.body.rfind("\n", 0, bad.start()) + 1) + 1
        more = len(_CONTROL_RE.findall(source.body)) - 1
        out.at(
            source.at("text"),
            source.field_path("text"),
            f"'{source.text}' contains the invisible control character U+{ord(bad[0]):04X} at line {line}, "
            f"column {col}{f' (and {more} more)' if more else ''}; remove it: its page would show the text "
            "otherwise than the quotes were checked against",
        )
        return None
    return normalise(source.body)


def read_source_text(project: Project, path: Path) -> str:
    """The text of a source under seeds/, without a byte order mark, every line break a line feed (a lone CR,
    as old Mac files end lines, too); raises InputRefused, OSError or UnicodeDecodeError."""
    text = project.read(path, MAX_SOURCE_TEXT_BYTES).decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _load(
    project: Project,
    path: Path,
    out: Collector,
    parser,
    required: bool = False,
    data: bytes | None = None,
) -> Mapping | None:
    """The file's top node, its problems reported; ``data``, when given, is its bytes as read already."""
    rel = project.rel(path)
    try:
        if data is None:
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
        root, problems = load_bytes_partial(
            data, rel, parser, REGISTRY_MAX_NODES if required else MAX_NODES
        )
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
    return [
        r for i, item in enumerate(items) if (r := to_record(item, record, f"{where}[{i}]", quiet))
    ]


def _unique(records, what: str, out: Collector, into: dict) -> None:
    for r in records:
        if r.id is None:
            continue
        first = into.get(r.id)
        if first is not None:
            out.at(
                r.at("id"),
                r.field_path("id"),
                f"duplicate {what} id '{r.id}' (first at {first.path}:{first.at('id').line})",
            )
            continue
        into[r.id] = r
