"""The MkDocs plugin ``briefings``: plain ``mkdocs build`` and ``mkdocs serve`` build a briefing site.

A thin door: it wires MkDocs events to the same core as ``briefing generate``.
Before every build it regenerates the docs; it adds the packaged theme overrides
(and a project's own, file by file over them) to the theme, so a project's
mkdocs.yml needs no ``custom_dir``; it sets edit links to the YAML file behind
each page. ``mkdocs build`` builds beside site_dir and swaps the result in only
when the build succeeded, so a failed or killed build leaves the previous site.
While serving, content errors keep the last good docs and show in a banner.

Listed under ``plugins:`` in mkdocs.yml, found through the ``mkdocs.plugins``
entry point; every setting is read from the config MkDocs hands it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority

from .config import project_of
from .errors import BriefingError, ContentError
from .project import Project

# The generator itself is imported where an event needs it: loading mkdocs.yml (``briefing check`` does)
# creates this plugin and should not import all of it.

log = logging.getLogger("mkdocs.briefing")

PREVIEW_ERRORS = "briefing_errors"
"""Key in ``config.extra`` holding the current content errors while serving; the theme shows them in a banner."""
STYLESHEET = "assets/stylesheets/briefing.css"
"""The stylesheet of the packaged overrides; added to extra_css unless mkdocs.yml lists it."""
NEEDED_EXTENSIONS = ("attr_list",)
"""Markdown extensions the generated pages use (headings with ids in the glossary)."""


class BriefingsConfig(base.Config):
    content_dir = c.Dir(default="content")
    """The YAML content; ``--content`` of a ``briefing`` command overrides it."""
    templates_dir = c.Dir(default="site_templates")
    """The project's own templates, if any: a file in its ``pages/`` or ``overrides/`` replaces the packaged one."""
    generate = c.Type(bool, default=True)
    """False builds docs_dir as it is, without regenerating it (``briefing build`` has generated it already)."""


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.aside_wanted = False
        """``mkdocs build`` or ``gh-deploy`` without --dirty: build beside site_dir and swap in (see SiteAside)."""
        self.aside = None
        """The :class:`~generator.build.SiteAside` of the build under way, if any."""
        self.project: Project | None = None
        self.progress = None
        """The :class:`~generator.progress.Progress` of ``briefing build`` (or of the first build while serving),
        told of each page MkDocs converts and writes; None otherwise."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.aside_wanted = command in ("build", "gh-deploy") and not dirty
        if self.serving:  # the first build of a large archive takes a while: show its stages
            from .progress import Progress

            self.progress = Progress.for_command().start()

    def on_shutdown(self) -> None:
        self.serving = self.aside_wanted = False
        self.on_build_error(error=None)

    def on_config(self, config):
        """Find the project, add the packaged overrides to the theme and, for ``mkdocs build``, build aside."""
        try:
            self.project = project_of(config, outputs=("docs_dir",) if self.config.generate else ())
        except BriefingError as exc:
            raise Abort(str(exc)) from None
        add_theme_files(config, self.project)
        if self.aside_wanted and self.aside is None:
            from .build import SiteAside

            try:
                self.aside = SiteAside(config)
            except BriefingError as exc:
                raise Abort(str(exc)) from None
        return config

    @event_priority(-100)  # after every plugin has written its files (search index, sitemap)
    def on_post_build(self, *, config) -> None:
        if self.serving and self.progress is not None:
            self.progress.finish()
            self._stop_progress()
        aside, self.aside = self.aside, None
        if aside is not None:
            try:
                aside.finish()
            except BriefingError as exc:
                raise Abort(str(exc)) from None

    def on_build_error(self, *, error) -> None:
        if self.serving:
            self._stop_progress()
        aside, self.aside = self.aside, None
        if aside is not None:
            aside.drop()

    def on_pre_build(self, *, config) -> None:
        if not self.config.generate:
            return
        from .generate import generate

        try:
            result = generate(self.project, progress=self.progress)
        except ContentError as exc:
            for d in exc.diagnostics:
                log.error(d.format())
            message = f"{len(exc.diagnostics)} content error(s); the docs were not regenerated"
            self._failed(config, message, f"{message} (showing the last good version)",
                         [d.format() for d in exc.diagnostics])
            return
        except BriefingError as exc:
            self._failed(config, str(exc), str(exc), [str(exc)])
            return
        if result.report.changed:
            log.info(f"briefing: {len(result.report.written)} page(s) written, {len(result.report.removed)} removed")

    def _stop_progress(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.stop()

    def _failed(self, config, message: str, serving_message: str, shown: list[str]) -> None:
        """While serving, keep the last good docs and show the errors in a banner; otherwise stop the build."""
        if not self.serving:
            raise Abort(message)
        log.error(serving_message)
        config.extra[PREVIEW_ERRORS] = shown

    def on_serve(self, server, *, config, builder):
        from .serve import guard_preview

        project = self.project
        for folder in (project.content, project.seeds, project.templates):
            if folder.is_dir():
                server.watch(str(folder))
        # docs/ is output of this plugin: watching it would rebuild a second time after every change
        try:
            server.unwatch(config.docs_dir)
        except KeyError:  # not watched: serving without live reload
            pass
        return guard_preview(server)  # loopback names only; a bounded number of held live-reload polls

    def on_files(self, files, *, config):
        if self.progress is not None:
            self.progress.stage("mkdocs", total=len(files.documentation_pages()), unit="pages converted")

    def on_page_content(self, html, *, page, config, files):
        if self.progress is not None:
            self.progress.advance(unit="pages converted")

    def on_post_page(self, output, *, page, config):
        if self.progress is not None:
            self.progress.advance(unit="pages written")

    def on_page_context(self, context, *, page, config, nav):
        """Point the edit link at the YAML (or hand-written page) the page came from."""
        source = page.meta.get("edit_source") or self._hand_written(page.file.src_uri)
        if source and config.repo_url:
            edit_uri = (config.edit_uri or "edit/main/").strip("/")
            page.edit_url = f"{config.repo_url.rstrip('/')}/{edit_uri}/{source}"
        else:
            page.edit_url = None
        return context

    def _hand_written(self, src_uri: str) -> str | None:
        """The project-relative path of the Markdown file behind a page under pages/, if there is one."""
        name = src_uri.removeprefix("pages/").removesuffix("/index.md")
        hand = self.project.content / "pages" / f"{name}.md"
        return self.project.rel(hand) if src_uri.startswith("pages/") and "/" not in name and hand.is_file() else None


def add_theme_files(config, project: Project) -> None:
    """The overrides in front of Material's templates (the project's own first), the stylesheet and the Markdown
    extensions the generated pages need; what mkdocs.yml already lists stays as it is."""
    if config.theme.name != "material":
        raise Abort(f"the briefings plugin builds with the Material theme; set theme: name: material in "
                    f"{Path(config.config_file_path).name}, not {config.theme.name!r}")
    at = 1 if config.theme.custom_dir else 0  # below the project's custom_dir, as custom_dir is above the theme
    for folder in reversed([t / "overrides" for t in project.template_dirs]):
        if folder.is_dir() and str(folder) not in config.theme.dirs:
            config.theme.dirs.insert(at, str(folder))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    for name in NEEDED_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
