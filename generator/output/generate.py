"""load → check → render → write: the Markdown docs of the site, from the content folder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from generator.check.checker import check_project, quote_counts
from generator.check.content import Reuse, content_files
from generator.check.drafts import published_only
from generator.config import SiteConfig
from generator.data.export import data_files
from generator.data.feeds import feed_files
from generator.data.jsonld import add_claim_reviews
from generator.data.published import Published
from generator.errors import BuildError
from generator.format.model import Archive
from generator.output.manifest import fingerprint, outputs_intact, read_manifest, write_manifest
from generator.output.write import (
    DOCS_MARKER,
    TreeWriter,
    WriteReport,
    check_replaceable,
    outputs_locked,
)
from generator.pages import urls
from generator.pages.render import SEARCH_GROUPS, Renderer, search_groups
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

    def without_archive(self) -> Generated:
        """The same figures, letting the checked archive go (millions of objects at 1,000 briefings)."""
        warnings = tuple(self.archive.warnings) if self.archive is not None else self.warnings
        return replace(self, archive=None, warnings=warnings)


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
) -> tuple[Archive, dict]:
    """Check, then hand every rendered file to ``put(rel, data)``; returns what ``put`` returned, by file.
    Drafts are left out unless ``drafts`` is set (a preview), as if they were not there (drafts.py)."""
    files = content_files(project)
    progress.stage("check", f"{files} content files")
    progress.files(files)
    checked = check_project(project, reuse=reuse)
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
        machine_readable = _put_data(archive, index, published, renderer, put)
        pages = plan_pages(archive, index)
        progress.stage("generate", total=len(pages), unit="pages")
        results = render_pages(
            renderer,
            pages,
            _counted(put, progress),
            lambda page: add_claim_reviews(page, archive, published),
        )
        results.update(machine_readable)
        results[SEARCH_GROUPS] = put(SEARCH_GROUPS, search_groups(pages))
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
    archive: Archive, index, published: Published, renderer: Renderer, put
) -> dict[str, object]:
    """The feeds and data files, each handed to ``put`` (about 100 MB at 1,000 briefings, let go here)."""
    files = feed_files(archive, index, published, renderer)
    files.update(data_files(archive, index, published))
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
) -> Generated:
    """Write the docs (into ``docs_dir`` instead of the configured folder, when given: ``briefing build``
    generates into a copy aside); when nothing that shapes them changed since the last run, do nothing at all.
    ``drafts`` includes the draft briefings, marked as such: only a preview sets it. ``reuse``: the live
    preview's records of unchanged files (see ``check_project``). Its stages (fingerprint, check, data files,
    generate) are reported to ``progress``."""
    config = project.site
    with outputs_locked(project.root, (config.docs_dir, config.site_dir)):
        check_replaceable(docs_dir or config.docs_dir, *DOCS_MARKER)
        return _generate(project, directory_urls, docs_dir, progress or Progress(), drafts, reuse)


def _generate(
    project: Project,
    directory_urls: bool | None,
    docs_dir: Path | None,
    progress: Progress,
    drafts: bool = False,
    reuse: Reuse | None = None,
) -> Generated:
    config = project.site
    docs = docs_dir or config.docs_dir
    urls = config.directory_urls if directory_urls is None else directory_urls
    progress.stage("fingerprint", "the inputs, against the last run")
    stamp = fingerprint(project, urls) + (
        "+drafts" if drafts else ""
    )  # a preview's docs never pass for the site's
    previous = read_manifest(docs)
    if previous and previous.get("inputs") == stamp and outputs_intact(docs, previous):
        progress.count(unchanged=1)
        return Generated(None, WriteReport((), ()), previous["pages"], previous["epoch"])
    tree = TreeWriter(docs)
    with tree.dropped_on_failure():
        archive, changed = _render_docs(
            project, config, directory_urls, tree.put, progress, drafts, reuse
        )
    report = tree.finish(changed, [rel for rel, c in changed.items() if c])
    epoch = newest_epoch(archive)
    # An input that changed while it was read (an editor's save, a checkout) may have given the check one
    # version and the fingerprint another: then no stamp is kept, and the next run reads everything again.
    if fingerprint(project, urls) + ("+drafts" if drafts else "") == stamp:
        write_manifest(docs, stamp, len(changed), epoch)
    else:
        write_manifest(docs, "", len(changed), epoch)
    return Generated(archive, report, len(changed), epoch)


def newest_epoch(archive: Archive) -> int:
    if not archive.briefings:
        return 0
    newest = max(b.date.start for b in archive.briefings)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())
