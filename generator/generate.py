"""load → check → render → write: the Markdown docs of the site, from the content folder."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from .check import check_project
from .config import SiteConfig, read_site_config
from .errors import BuildError
from .model import Archive
from .project import Project
from .render import Renderer
from .site import build_index, plan_pages
from .export import data_files
from .published import Published
from .feeds import feed_files
from .jsonld import add_claim_reviews
from .manifest import fingerprint, outputs_intact, read_manifest, write_manifest
from .write import WriteReport, write_tree


DOCS_GITIGNORE = "# Generated from content/ by `briefing generate`; never edit by hand.\n*\n!.gitignore\n"
"""Kept in git so that the docs folder exists in a fresh clone (MkDocs checks it before any hook runs)."""


@dataclass(frozen=True)
class Generated:
    archive: Archive | None
    """The checked archive; None when the inputs were unchanged and nothing was redone."""
    report: WriteReport
    pages: int
    epoch: int = 0
    """Midnight UTC of the newest briefing, in seconds (used when ``archive`` is None)."""


@contextmanager
def no_gc_pauses():
    """Generation allocates many small objects and frees none: the cyclic collector only costs time here."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_docs(project: Project, config: SiteConfig, directory_urls: bool | None = None) -> tuple[Archive, dict[str, bytes]]:
    """Check the content and render every page in memory; nothing is written."""
    with no_gc_pauses():
        return _render_docs(project, config, directory_urls)


def _render_docs(project: Project, config: SiteConfig, directory_urls: bool | None) -> tuple[Archive, dict[str, bytes]]:
    archive = check_project(project)
    urls = config.directory_urls if directory_urls is None else directory_urls
    renderer = Renderer(archive, project.templates, urls)
    files: dict[str, bytes] = {}
    index = build_index(archive)
    published = Published.from_config(config)
    try:
        pages = plan_pages(archive, index)
        add_claim_reviews(pages, archive, published)
        files.update(render_pages(renderer, pages))
        files.update(feed_files(archive, index, published, renderer))
    except jinja2.TemplateError as exc:
        name = getattr(exc, "name", None) or Path(getattr(exc, "filename", None) or "?").name
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise BuildError(f"template error in site_templates/pages/{where}: {exc}") from None
    for page in archive.pages:
        files[f"pages/{page.name}/index.md"] = page.text.encode("utf-8")
    files.update(data_files(archive, index, published))
    files[".gitignore"] = DOCS_GITIGNORE.encode()
    return archive, files


PARALLEL_MIN_PAGES = 400
"""Below this many pages, starting worker processes costs more than it saves."""
_job: tuple | None = None


def _render_share(k: int) -> list[tuple[str, bytes]]:
    renderer, pages, n = _job
    return [(p.file, renderer.render(p).encode("utf-8")) for p in pages[k::n]]


def render_pages(renderer: Renderer, pages: list) -> dict[str, bytes]:
    """Render every page; on several cores, share the pages out to forked workers.

    Workers are forked after the archive is checked, so they read it without
    copying; they return the bytes of their pages and write nothing.
    """
    global _job
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(pages) < PARALLEL_MIN_PAGES or "fork" not in mp.get_all_start_methods() \
            or threading.active_count() > 1:  # never fork a threaded process (mkdocs serve)
        return {p.file: renderer.render(p).encode("utf-8") for p in pages}
    _job = (renderer, pages, workers)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            shares = pool.map(_render_share, range(workers))
    finally:
        _job = None
    return dict(sorted(item for share in shares for item in share))


def generate(project: Project, directory_urls: bool | None = None, docs_dir: Path | None = None) -> Generated:
    """Write the docs (into ``docs_dir`` instead of the configured folder, when given: ``briefing build``
    generates into a copy aside); when nothing that shapes them changed since the last run, do nothing at all."""
    config = read_site_config(project.root)
    docs = docs_dir or config.docs_dir
    urls = config.directory_urls if directory_urls is None else directory_urls
    stamp = fingerprint(project, urls)
    previous = read_manifest(docs)
    if previous and previous.get("inputs") == stamp and outputs_intact(docs, previous):
        return Generated(None, WriteReport((), ()), previous["pages"], previous["epoch"])
    archive, files = render_docs(project, config, directory_urls)
    report = write_tree(docs, files)
    epoch = newest_epoch(archive)
    write_manifest(docs, stamp, len(files), epoch)
    return Generated(archive, report, len(files), epoch)


def newest_epoch(archive: Archive) -> int:
    if not archive.briefings:
        return 0
    newest = max(b.date.start for b in archive.briefings)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())
