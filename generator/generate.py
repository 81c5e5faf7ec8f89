"""load → check → render → write: the Markdown docs of the site, from the content folder."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from .check import check_project
from .config import SiteConfig, read_site_config
from .errors import BuildError, Collector
from .model import Archive
from .project import Project
from .render import RESERVED, Renderer
from .site import plan_pages
from .write import WriteReport, write_tree


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
        if page.name in RESERVED or page.name == "index":
            out.add(page.path, 1, 1, "", f"page name '{page.name}' is taken by a generated section; rename the file")
    out.raise_if_any()
    urls = config.directory_urls if directory_urls is None else directory_urls
    renderer = Renderer(archive, project.templates, urls)
    files: dict[str, bytes] = {}
    try:
        for page in plan_pages(archive):
            files[page.file] = renderer.render(page).encode("utf-8")
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or getattr(exc, 'name', '')}:{getattr(exc, 'lineno', '')}"
        raise BuildError(f"template error in site_templates/pages/{where.lstrip('/')}: {exc}") from None
    for page in archive.pages:
        files[f"{page.name}/index.md"] = page.text.encode("utf-8")
    return archive, files


def generate(project: Project, directory_urls: bool | None = None) -> Generated:
    config = read_site_config(project.root)
    archive, files = render_docs(project, config, directory_urls)
    report = write_tree(config.docs_dir, files)
    return Generated(archive, report, len(files))
