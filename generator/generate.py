"""load → check → render → write: the Markdown docs of the site, from the content folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .check import check_project
from .config import SiteConfig, read_site_config
from .errors import BuildError, Collector
from .model import Archive
from .project import Project
from .render import RESERVED, Renderer
from .site import plan_pages
from .write import WriteReport, write_tree


DOCS_GITIGNORE = "# Generated from content/ by `briefing generate`; never edit by hand.\n*\n!.gitignore\n"
"""Kept in git so that the docs folder exists in a fresh clone (MkDocs checks it before any hook runs)."""


@dataclass(frozen=True)
class Generated:
    archive: Archive
    report: WriteReport
    pages: int


def render_docs(project: Project, config: SiteConfig, directory_urls: bool | None = None) -> tuple[Archive, dict[str, bytes]]:
    """Check the content and render every page in memory; nothing is written."""
    archive = check_project(project)
    out = Collector()
    for page in archive.pages:
        if page.name in RESERVED:
            out.add(page.path, 1, 1, "", f"page name '{page.name}' is taken by the list of pages; rename the file")
    out.raise_if_any()
    urls = config.directory_urls if directory_urls is None else directory_urls
    renderer = Renderer(archive, project.templates, urls)
    files: dict[str, bytes] = {}
    try:
        for page in plan_pages(archive):
            files[page.file] = renderer.render(page).encode("utf-8")
    except jinja2.TemplateError as exc:
        name = getattr(exc, "name", None) or Path(getattr(exc, "filename", None) or "?").name
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise BuildError(f"template error in site_templates/pages/{where}: {exc}") from None
    for page in archive.pages:
        files[f"pages/{page.name}/index.md"] = page.text.encode("utf-8")
    files[".gitignore"] = DOCS_GITIGNORE.encode()
    return archive, files


def generate(project: Project, directory_urls: bool | None = None) -> Generated:
    config = read_site_config(project.root)
    archive, files = render_docs(project, config, directory_urls)
    report = write_tree(config.docs_dir, files)
    return Generated(archive, report, len(files))
