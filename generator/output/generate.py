"""load → check → render → write: the Markdown docs of the site, from the content folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from generator.check.checker import check_project, quote_counts
from generator.check.content import Reuse, content_files
from generator.check.drafts import published_only
from generator.config import SiteConfig
from generator.data.export import briefing_fragments, data_files
from generator.data.feeds import feed_files
from generator.data.jsonld import add_claim_reviews
from generator.data.published import Published
from generator.errors import BuildError
from generator.format.model import Archive, Briefing
from generator.output.keptdata import KeptData
from generator.output.manifest import (
    combined,
    fingerprint,
    fingerprint_parts,
    outputs_intact,
    read_manifest,
    write_manifest,
)
from generator.output.write import (
    DOCS_MARKER,
    TreeWriter,
    WriteReport,
    check_replaceable,
    outputs_locked,
)
from generator.pages import urls
from generator.pages.render import Renderer, search_groups_json
from generator.pages.shown import (
    Shown,
    changed_briefings,
    records_digest,
    shown,
    story_marks,
    to_render,
)
from generator.pages.site import build_index, plan_pages
from generator.progress import Progress
from generator.project import Project

DOCS_GITIGNORE = (
    "# Generated from content/ by `briefing generate`; never edit by hand.\n*\n!.gitignore\n"
)
"""Kept in git so that the docs folder exists in a fresh clone (MkDocs checks it before any hook runs)."""


@dataclass(frozen=True)
class Generated:
    archive: Archive | None
    """The checked archive; None when the inputs were unchanged and nothing was redone."""
    report: WriteReport
    pages: int
    epoch: int = 0
    """Midnight UTC of the newest briefing, in seconds (used when ``archive`` is None)."""
    warnings: tuple = ()
    """The check's warnings, kept when the archive is let go: a build lists the warnings it counts."""
    shows: dict | None = None
    """What each planned page shows (docs file → (briefing ids, frame)), and each story's marks: what the
    generation worked out to choose its pages, which a preview keeps rather than work out again."""
    marks: dict | None = None

    def without_archive(self) -> Generated:
        """The same figures, letting the checked archive go (millions of objects at 1,000 briefings)."""
        warnings = tuple(self.archive.warnings) if self.archive is not None else self.warnings
        return replace(self, archive=None, warnings=warnings, shows=None, marks=None)


def render_docs(
    project: Project,
    config: SiteConfig,
    directory_urls: bool | None = None,
    progress: Progress | None = None,
) -> tuple[Archive, dict[str, bytes]]:
    """Check the content and render every page in memory; nothing is written."""
    return _render_docs(project, config, directory_urls, _keep, progress or Progress())


def _keep(rel: str, data: bytes) -> bytes:
    return data


def _render_docs(
    project: Project,
    config: SiteConfig,
    directory_urls: bool | None,
    put,
    progress: Progress,
    drafts: bool = False,
    reuse: Reuse | None = None,
    since: Since | None = None,
    fresh: bool = False,
    kept: KeptData | None = None,
) -> tuple[Archive, dict]:
    """Check, then hand every rendered file to ``put(rel, data)``; returns what ``put`` returned, by file.
    Drafts are left out unless ``drafts`` is set (a preview), as if they were not there (drafts.py).
    ``since``: the last generation's memory, when only briefing files changed since: the pages that show no
    changed briefing are kept as they are (``since.keep``), not rendered; ``since.memory`` is set to this
    generation's, for the manifest. ``fresh``: every file is read, none handed back by ``check.stored``."""
    files = content_files(project)
    progress.stage("check", f"{files} content files")
    progress.files(files)
    known = since.briefings if since is not None else None
    checked = check_project(project, reuse=reuse, kept=True, fresh=fresh, known=known)
    archive = checked if drafts else published_only(checked)
    progress.count(
        quotes_verified=quote_counts(archive)[0],
        warnings=len(archive.warnings),
        drafts_left_out=len(checked.briefings) - len(archive.briefings),
    )
    progress.stage("data files", "feeds, records.json, timeline.json")
    dir_urls = config.directory_urls if directory_urls is None else directory_urls
    renderer = Renderer(archive, project.template_dirs, dir_urls)
    index = build_index(archive)
    published = Published.from_config(config)
    try:
        machine_readable = _put_data(archive, index, published, renderer, put, kept)
        pages = plan_pages(archive, index)
        chosen = pages if since is None else since.choose(archive, index, pages, dir_urls)
        progress.stage("generate", total=len(chosen), unit="pages")
        results = render_pages(
            renderer,
            chosen,
            _counted(put, progress),
            lambda page: add_claim_reviews(page, archive, published),
        )
        if since is not None:
            progress.count(pages_kept=len(pages) - len(chosen))
            for planned in pages:
                rel = planned.file(dir_urls)
                if rel not in results:
                    results[rel] = since.keep(rel)
        results.update(machine_readable)
        results[urls.SEARCH_GROUPS] = put(urls.SEARCH_GROUPS, search_groups_json(pages))
    except jinja2.TemplateError as exc:
        raise template_failure(exc) from None
    for page in archive.pages:
        rel = urls.docs_file(urls.page(page.name), directory_urls=False)
        results[rel] = put(rel, page.text.encode("utf-8"))
    results[".gitignore"] = put(".gitignore", DOCS_GITIGNORE.encode())
    return archive, results


def _counted(put, progress: Progress):
    """``put``, advancing the progress by a page each time."""

    def counted(rel: str, data: bytes):
        progress.advance()
        return put(rel, data)

    return counted


def _put_data(
    archive: Archive,
    index,
    published: Published,
    renderer: Renderer,
    put,
    kept: KeptData | None = None,
) -> dict[str, object]:
    """The feeds and data files, each handed to ``put`` (about 100 MB at 1,000 briefings, let go here);
    records.json with the briefings' parts ``kept`` by the last generation."""
    files = feed_files(archive, index, published, renderer)
    made = (
        None
        if kept is None
        else kept.fragments(lambda b: briefing_fragments(b, archive, published))
    )
    files.update(data_files(archive, index, published, made))
    return {rel: put(rel, data) for rel, data in sorted(files.items())}


def template_failure(exc: jinja2.TemplateError) -> BuildError:
    """A clean message naming the template and line, also for errors raised while rendering."""
    name = getattr(exc, "name", None) or Path(getattr(exc, "filename", None) or "?").name
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:  # Jinja puts the template's own frames into the traceback
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            name, line = Path(tb.tb_frame.f_code.co_filename).name, tb.tb_lineno
        tb = tb.tb_next
    where = f"{name}:{line}" if line else name
    return BuildError(f"template error in site_templates/pages/{where}: {exc}")


def _render_one(renderer: Renderer, page, put, prepare) -> tuple[str, object]:
    """The page's file and what ``put`` returned for it."""
    if prepare is not None:
        prepare(page)
    rel = page.file(renderer.directory_urls)
    return rel, put(rel, renderer.render(page).encode("utf-8"))


def render_pages(renderer: Renderer, pages: list, put=_keep, prepare=None) -> dict[str, object]:
    """Render every page, after ``prepare(page)`` when given (work that only that page needs, such as its
    JSON-LD); each goes to ``put(rel, data)``, and what it returns is returned by file."""
    return dict(_render_one(renderer, p, put, prepare) for p in pages)


def generate(
    project: Project,
    directory_urls: bool | None = None,
    docs_dir: Path | None = None,
    drafts: bool = False,
    reuse: Reuse | None = None,
    progress: Progress | None = None,
    fresh: bool = False,
    changing: Callable[[], object] | None = None,
) -> Generated:
    """Write the docs (into ``docs_dir`` instead of the configured folder, when given: ``briefing build``
    generates into a copy aside); when nothing that shapes them changed since the last run, do nothing at all.
    ``drafts`` includes the draft briefings, marked as such: only a preview sets it. ``reuse``: the live
    preview's records of unchanged files (see ``check_project``). ``fresh`` (``briefing build --clean``) trusts
    nothing an earlier run kept: every file is read and every page rendered. Its stages (fingerprint, check,
    data files, generate) are reported to ``progress``. ``changing()`` is called once the fingerprint finds
    that only briefing files changed since the last generation, before anything is read (a build, which will
    then most likely reuse its site, begins its search index: searchfeed.py)."""
    config = project.site
    with outputs_locked(project.root, (config.docs_dir, config.site_dir)):
        check_replaceable(docs_dir or config.docs_dir, *DOCS_MARKER)
        return _generate(
            project,
            directory_urls,
            docs_dir,
            progress or Progress(),
            drafts,
            reuse,
            fresh,
            changing,
        )


def _generate(
    project: Project,
    directory_urls: bool | None,
    docs_dir: Path | None,
    progress: Progress,
    drafts: bool = False,
    reuse: Reuse | None = None,
    fresh: bool = False,
    changing: Callable[[], object] | None = None,
) -> Generated:
    config = project.site
    docs = docs_dir or config.docs_dir
    urls = config.directory_urls if directory_urls is None else directory_urls
    progress.stage("fingerprint", "the inputs, against the last run")
    mark = "+drafts" if drafts else ""  # a preview's docs never pass for the site's
    rest, briefings = fingerprint_parts(project, urls)
    stamp = combined(rest, briefings) + mark
    previous = read_manifest(docs)
    intact = not fresh and previous is not None and outputs_intact(docs, previous)
    if previous and intact and previous.get("inputs") == stamp:
        progress.count(unchanged=1)
        return Generated(None, WriteReport((), ()), previous["pages"], previous["epoch"])
    tree = TreeWriter(docs)
    since = Since(rest + mark, briefings, previous.get("memory") if previous and intact else None)
    if changing is not None and since.before is not None:
        changing()
    since.keep = tree.keep
    kept = KeptData(project, rest + mark, briefings, drafts, fresh)
    with tree.dropped_on_failure():
        archive, changed = _render_docs(
            project, config, directory_urls, tree.put, progress, drafts, reuse, since, fresh, kept
        )
    report = tree.finish(changed, [rel for rel, c in changed.items() if c])
    epoch = newest_epoch(archive)
    # An input that changed while it was read (an editor's save, a checkout) may have given the check one
    # version and the fingerprint another: then no stamp (and no memory of the pages) is kept, and the next
    # run reads and renders everything again.
    if fingerprint(project, urls) + mark == stamp:
        write_manifest(docs, stamp, len(changed), epoch, since.memory)
        kept.save()
    else:
        write_manifest(docs, "", len(changed), epoch)
    return Generated(archive, report, len(changed), epoch, shows=since.shows, marks=since.marks)


def newest_epoch(archive: Archive) -> int:
    if not archive.briefings:
        return 0
    newest = max(b.date.start for b in archive.briefings)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


class Since:
    """What the last generation rendered, as its manifest remembers it (``memory``): the digest of every input
    but the briefing files, each briefing file's digest and record id, each story's marks (``story_marks``),
    and what each page showed (``pages.shown``). With the same other inputs, a generation renders only the
    pages that show a changed briefing, before or after, whose frame changed, or that list the archive in
    brief; a briefing file removed, or one that was published and is not now, renders every page."""

    def __init__(self, rest: str, briefings: dict[str, str], memory: dict | None):
        self.rest, self.briefings = rest, briefings
        self.before = memory if isinstance(memory, dict) and memory.get("rest") == rest else None
        self.memory: dict | None = None
        """This generation's, set by :meth:`choose`, with what each page shows and the stories' marks."""
        self.shows: dict | None = None
        self.marks: dict | None = None
        self.keep = lambda rel: False
        """Keeps a page's old file as it is (``TreeWriter.keep``)."""

    def choose(self, archive: Archive, index, pages: list, directory_urls: bool) -> list:
        """The pages to render (all of them, without a memory that fits); remembers what each page shows."""
        shows = {p.file(directory_urls): shown(p, index) for p in pages}
        records = {b.path: b for b in archive.briefings}
        marks = story_marks(index)
        self.shows, self.marks = shows, marks
        before = self.before
        remembered = _remembered_digests(before)
        digests = {}  # worked out for the files that changed since, carried for the others
        for path, b in records.items():
            digest, said = remembered.get(path, (None, ""))
            digests[path] = said if digest == self.briefings.get(path) else records_digest(b)
        ids_of = {path: b.id for path, b in records.items()}
        self.memory = _memory(self.rest, self.briefings, ids_of, marks, shows, digests)
        if before is None:
            return pages
        try:
            edited = _edited(before["briefings"], self.briefings, records)
            if edited is None:
                return pages
            text_only = frozenset(
                b.id for b in edited if remembered.get(b.path, (None, ""))[1] == digests[b.path]
            )
            ids = before["ids"]
            shown_before = {
                rel: Shown(frozenset(ids[i] for i in whole), frozenset(ids[i] for i in held), said)
                for rel, (said, whole, held) in before["pages"].items()
            }
            changed = changed_briefings(edited, index, marks, before["marks"], text_only)
        except (KeyError, IndexError, TypeError, ValueError):
            return pages  # a memory of another shape: render all
        return to_render(pages, shows, shown_before, changed, directory_urls)


def _remembered_digests(before: dict | None) -> dict[str, tuple[str, str]]:
    """Each briefing file's digest and :func:`records_digest` as the last generation remembered them."""
    found = {}
    for path, remembered in (before or {}).get("briefings", {}).items():
        if isinstance(remembered, list) and len(remembered) == 3:
            digest, _, said = remembered
            if isinstance(digest, str) and isinstance(said, str):
                found[path] = (digest, said)
    return found


def _edited(before: dict, now: dict[str, str], records: dict) -> list | None:
    """The records of the briefing files whose digest changed (new ones among them); None when a file that
    gave a record is gone or gives none now (removed, or made a draft): then every page is rendered."""
    edited = []
    for path, (_, record_id, *_) in before.items():
        if record_id is not None and (path not in now or path not in records):
            return None
    for path, digest in now.items():
        if before.get(path, (None, None))[0] != digest and path in records:
            edited.append(records[path])
    return edited


def remember(
    project: Project,
    records: dict[str, Briefing] | None,
    marks: dict,
    shows: dict[str, Shown],
    drafts: bool,
) -> None:
    """Write the docs' manifest with an empty stamp (the next generation redoes the data files) and the memory
    of what each page shows (``records``: each briefing file's record; None forgets the memory): the live
    preview's docs, once a save's pages are all written, are what a generation of these inputs makes."""
    docs = project.site.docs_dir
    with outputs_locked(project.root, (docs,)):
        previous = read_manifest(docs) or {}
        memory = None
        if records is not None:
            rest, briefings = fingerprint_parts(project, project.site.directory_urls)
            mark = "+drafts" if drafts else ""
            ids = {path: b.id for path, b in records.items()}
            digests = {path: records_digest(b) for path, b in records.items()}
            memory = _memory(rest + mark, briefings, ids, marks, shows, digests)
        write_manifest(docs, "", previous.get("pages", 0), previous.get("epoch", 0), memory)


def _memory(
    rest: str,
    briefings: dict[str, str],
    ids_of: dict,
    marks: dict,
    shows: dict[str, Shown],
    digests: dict[str, str],
) -> dict:
    """The manifest's ``memory`` (see :class:`Since`); ``ids_of``: each briefing file's record id;
    ``digests``: each one's :func:`records_digest`."""
    ids = sorted(ids_of.values())
    number = {bid: i for i, bid in enumerate(ids)}

    def numbers(shown_ids: frozenset[str]) -> list[int]:
        return sorted(number[i] for i in shown_ids if i in number)

    return {
        "rest": rest,
        "briefings": {
            path: [digest, ids_of.get(path)] + ([digests[path]] if path in digests else [])
            for path, digest in sorted(briefings.items())
        },
        "marks": marks,
        "ids": ids,
        "pages": {
            rel: [s.frame, numbers(s.whole), numbers(s.records)] for rel, s in sorted(shows.items())
        },
    }
