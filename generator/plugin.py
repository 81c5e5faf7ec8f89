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
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority

from generator.config import NEEDED_EXTENSIONS, edit_url, project_of
from generator.errors import BriefingError, ContentError
from generator.output.searchindex import ENGINE_KEY
from generator.project import Project

if TYPE_CHECKING:  # imported by the events that need it, so loading mkdocs.yml stays light
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from generator.output.build import SiteAside
    from generator.output.incremental import Incremental
    from generator.preview import PreviewSession
    from generator.progress import Progress
    from generator.serve import Watch

# The generator itself is imported where an event needs it: loading mkdocs.yml (``briefing check`` does)
# creates this plugin and should not import all of it.

log = logging.getLogger("mkdocs.briefing")

PREVIEW_ERRORS = "briefing_errors"
"""Key in ``config.extra`` holding the current content errors while serving; the theme shows them in a banner."""
STYLESHEET = "assets/stylesheets/briefing.css"
"""The stylesheet of the packaged overrides; added to extra_css unless mkdocs.yml lists it."""
MATERIAL_DEFAULT_FONT = {"text": "Roboto", "code": "Roboto Mono"}
"""Material's font when mkdocs.yml names none; the plugin sets ``font: false`` instead (system fonts)."""


class BriefingsConfig(base.Config):
    content_dir = c.Dir(default="content")
    """The YAML content; ``--content`` of a ``briefing`` command overrides it."""
    templates_dir = c.Dir(default="site_templates")
    """The project's own templates, if any: a file in its ``pages/`` or ``overrides/`` replaces the packaged one."""
    allowed_hosts = c.ListOfItems(c.Type(str), default=[])
    """Hosts besides the site's that the desk's theme overrides may load scripts, styles, images or fonts from;
    the scan lets them through and the Content-Security-Policy names them. Empty: readers' browsers ask no one
    else."""
    generate = c.Type(bool, default=True)
    """False builds docs_dir as it is, without regenerating it (``briefing build`` has generated it already)."""
    search = c.Choice(("pagefind", "lunr"), default="pagefind")
    """The search of the published site: Pagefind's index, fetched by the fragments a query needs
    (output/searchindex.py), or Material's single index ("lunr"). The preview and the offline copy always
    use Material's, which works without a server and is rebuilt page by page."""
    search_indexes = c.Choice(("site", "story"), default="site")
    """Pagefind's indexes: one for the whole site ("site"), or one a story and the site's own for the rest
    ("story"), which the search merges at each query. With one a story, a build after an edit indexes only
    the stories it touched (at 1,000 briefings in ten stories, 1 s instead of 9), and a reader's first query
    fetches an index chunk from each (4.4 s to a first result instead of 2.9 on a phone link): see the
    README."""


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.aside_wanted = False
        """``mkdocs build`` or ``gh-deploy`` without --dirty: build beside site_dir and swap in (see SiteAside)."""
        self.scan_in_place = False
        """``mkdocs build --dirty`` (or ``gh-deploy --dirty``): the site is scanned where it was built."""
        self.aside: SiteAside | None = None
        """The :class:`~generator.output.build.SiteAside` of the build under way, if any."""
        self.project: Project
        """The project of the config, found by ``on_config``, which MkDocs calls before every other build event."""
        self.preview_wanted = False
        self.watch: Watch | None = None
        """While serving: the watch of the folders an editor saves into (serve.py)."""
        self.session: PreviewSession | None = None
        """While ``briefing serve`` (a dirty ``mkdocs serve``) runs: its state (preview.py)."""
        self.incremental: Incremental | None = None
        """Set by ``briefing build`` for an incremental build: which docs changed (output/incremental.py)."""
        self.index_search = True
        """Whether this plugin builds the Pagefind index after MkDocs has written the site; ``briefing build``
        turns it off and builds it itself, once the unchanged pages are linked in."""
        self.progress: Progress | None = None
        """The :class:`~generator.progress.Progress` of ``briefing build`` (or of the first build while serving),
        told of each page MkDocs converts and writes; None otherwise."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.aside_wanted = command in ("build", "gh-deploy") and not dirty
        self.scan_in_place = command in ("build", "gh-deploy") and dirty
        self.session = None
        self.preview_wanted = self.serving and dirty
        if self.serving:  # the first build of a large archive takes a while: show its stages
            from generator.progress import Progress

            self.progress = Progress.for_command().start()

    def on_shutdown(self) -> None:
        watch, self.watch = self.watch, None
        if watch is not None:
            watch.stop()
        if self.session is not None:
            self.session.shutdown()
        self.serving = self.aside_wanted = False
        self.on_build_error(error=None)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Find the project, add the packaged overrides to the theme and, for ``mkdocs build``, build aside."""
        try:
            self.project = project_of(config, outputs=("docs_dir",) if self.config.generate else ())
        except BriefingError as exc:
            raise Abort(str(exc)) from None
        add_theme_files(config, self.project)
        config.extra[ALLOWED_HOSTS] = " ".join(
            f"https://{h}" for h in _hosts(self.config.allowed_hosts)
        )
        self._choose_search(config)
        if self.preview_wanted:
            from generator.preview import PreviewSession

            self.session = self.session or PreviewSession(self.project)
            self.session.configure(self.project, config)
        if self.aside_wanted and self.aside is None:
            from generator.output.build import SiteAside

            try:
                self.aside = SiteAside(config)
            except BriefingError as exc:
                raise Abort(str(exc)) from None
        return config

    def _choose_search(self, config) -> None:
        """Pagefind for the published site; Material's own search (its plugin, listed in mkdocs.yml) for the
        preview, the offline copy, or when the plugin's ``search: lunr`` asks for it. With Pagefind, Material's
        plugin is switched off: it would write a 20 MB index (at 1,000 briefings) that no page loads."""
        offline = any(
            name in ("offline", "material/offline") and getattr(p.config, "enabled", True)
            for name, p in config.plugins.items()
        )
        material = config.plugins.get("material/search") or config.plugins.get("search")
        if material is None or not material.config.enabled:
            config.extra[ENGINE_KEY] = ""
            return
        pagefind = self.config.search == "pagefind" and not (self.serving or offline)
        config.extra[ENGINE_KEY] = "pagefind" if pagefind else "lunr"
        if pagefind:
            material.config.enabled = False

    @event_priority(-100)  # after every plugin has written its files (search index, sitemap)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.serving and self.progress is not None:
            self.progress.finish()
            self._stop_progress()
        if self.session is not None:
            self.session.after_build(config, errors_shown=bool(config.extra.get(PREVIEW_ERRORS)))
        if self.incremental is not None:
            self.incremental.merge_search(Path(config.site_dir))
        aside, self.aside = self.aside, None
        try:
            if self.index_search and config.extra.get(ENGINE_KEY) == "pagefind":
                from generator.output.searchindex import index_site

                index_site(
                    Path(config.site_dir),
                    Path(config.docs_dir),
                    per_story=self.config.search_indexes == "story",
                )
            if aside is not None:
                aside.finish()  # scans the site built aside, then swaps it in
            elif self.scan_in_place:
                from generator.output.build import scan_in_place

                scan_in_place(config)  # and forgets the record of briefing build's own site
        except BriefingError as exc:
            raise Abort(str(exc)) from None

    def on_build_error(self, *, error: Exception | None) -> None:
        if self.session is not None:
            self.session.key = ""  # a failed build's site is not kept
        if self.serving:
            self._stop_progress()
        aside, self.aside = self.aside, None
        if aside is not None:
            aside.drop()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.generate:
            return
        from generator.collector import collector_paused
        from generator.output.generate import generate

        try:
            if self.session is not None:
                self.session.before_build(config)
                return
            # a preview shows drafts, marked as such; the generation alone with the collector paused
            with collector_paused():
                result = generate(self.project, drafts=self.serving, progress=self.progress)
        except ContentError as exc:
            for d in exc.diagnostics:
                log.error(d.format())
            message = f"{len(exc.diagnostics)} content error(s); the docs were not regenerated"
            self._failed(
                config,
                message,
                f"{message} (showing the last good version)",
                [d.format() for d in exc.diagnostics],
            )
            return
        except BriefingError as exc:
            self._failed(config, str(exc), str(exc), [str(exc)])
            return
        if result.report.changed:
            log.info(
                f"briefing: {len(result.report.written)} page(s) written, {len(result.report.removed)} removed"
            )

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
        if self.session is not None:
            self.session.failed(config)

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        from generator.serve import Watch, guard_preview

        project = self.project
        folders = [f for f in (project.content, project.seeds, project.templates) if f.is_dir()]
        self.watch = Watch(server)
        if not self.watch.start(folders):  # a server this project does not know: MkDocs' own watch
            for folder in folders:
                server.watch(str(folder))
        # docs/ is output of this plugin: watching it would rebuild a second time after every change
        try:
            server.unwatch(config.docs_dir)
        except KeyError:  # not watched: serving without live reload
            pass
        if self.session is not None:
            self.session.server = server
        # loopback names only; a bounded number of held live-reload polls
        return guard_preview(server)

    @event_priority(-100)  # after every plugin has added its files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> None:
        if self.session is not None and (kept := self.session.kept_index()) is not None:
            # a dirty build of the preview: its search index is the one kept, put in place as it is
            self.session.unindexed = _leave_unindexed(config, kept)
        if self.incremental is not None:
            self.incremental.mark(files)
        if self.progress is not None:
            pages = self.incremental.pages if self.incremental is not None else None
            total = (
                sum(rendered for _, rendered in pages)
                if pages is not None
                else len(files.documentation_pages())
            )
            self.progress.stage("mkdocs", total=total, unit="pages converted")

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """A section the pages declare (``SitePage.section``) and mkdocs.yml's ``nav`` does not list: added at the
        navigation's end, so a new family of pages is reached from every page."""
        from generator.pages.render import declared_section

        listed = {p.file.src_uri for p in nav.pages}
        for file in files.documentation_pages():
            uri = file.src_uri
            if uri.count("/") == 1 and uri.endswith("/index.md") and uri not in listed:
                if file.page is not None and declared_section(file.content_string):
                    nav.items.append(file.page)
                    nav.pages.append(file.page)
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """While previewing, the theme's templates are compiled once, not at every build (MkDocs makes a new
        environment each time); a template whose source changed is compiled again (Jinja checks)."""
        if self.session is not None:
            env.bytecode_cache = self.session.preview.templates
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        if self.progress is not None:
            self.progress.advance(unit="pages converted")

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> None:
        if self.progress is not None:
            self.progress.advance(unit="pages written")

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Point the edit link at the YAML (or hand-written page) the page came from."""
        source = page.meta.get("edit_source") or self._hand_written(page.file.src_uri)
        page.edit_url = (
            edit_url(config.repo_url, config.edit_uri, config.edit_uri_template, source)
            if source and config.repo_url
            else None
        )
        return context

    def _hand_written(self, src_uri: str) -> str | None:
        """The project-relative path of the Markdown file behind a page under pages/, if there is one."""
        from generator.pages import urls

        name = src_uri.removeprefix(urls.PAGES).removesuffix("/index.md")
        hand = self.project.content / "pages" / f"{name}.md"
        return (
            self.project.rel(hand)
            if src_uri.startswith(urls.PAGES) and "/" not in name and hand.is_file()
            else None
        )


ALLOWED_HOSTS = "briefing_allowed_hosts"
"""Key in ``config.extra`` holding the allowed hosts as the Content-Security-Policy names them (main.html)."""
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def _hosts(hosts: list[str]) -> list[str]:
    """The plugin's ``allowed_hosts``, each a plain host name (no scheme, path or wildcard), or an Abort."""
    out = []
    for host in hosts:
        name = host.strip().lower().rstrip(".")
        if not _HOST.fullmatch(name):
            raise Abort(
                f"plugins: briefings: allowed_hosts: '{host}' is not a host name; write it as cdn.example.org, "
                "without scheme, path or wildcard"
            )
        out.append(name)
    return out


def add_theme_files(config, project: Project) -> None:
    """The overrides in front of Material's templates (the project's own first), the stylesheet and the Markdown
    extensions the generated pages need; what mkdocs.yml already lists stays as it is."""
    if config.theme.name != "material":
        raise Abort(
            f"the briefings plugin builds with the Material theme; set theme: name: material in "
            f"{Path(config.config_file_path).name}, not {config.theme.name!r}"
        )
    if config.theme.get("font") == MATERIAL_DEFAULT_FONT:
        # Material's default loads Roboto from Google's servers on every page: the site asks no other host
        config.theme["font"] = False
    # below the project's custom_dir, as custom_dir is above the theme
    at = 1 if config.theme.custom_dir else 0
    for folder in reversed([t / "overrides" for t in project.template_dirs]):
        if folder.is_dir() and str(folder) not in config.theme.dirs:
            config.theme.dirs.insert(at, str(folder))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    for name in NEEDED_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)


def _leave_unindexed(config: MkDocsConfig, index: bytes) -> bool:
    """Have Material's search plugin index nothing in this build and write ``index`` as its index: a dirty
    build of the preview renders a few pages, the plugin would parse each and then write the previous build's
    whole index again with them merged in (about 0.15 s a save at 1,000 briefings), and the preview puts the
    index it kept in place of it all the same. False, leaving the plugin as it is, for a Material whose search
    plugin is not the one this was written for."""
    try:
        from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]
    except ImportError:
        return False
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None or type(getattr(plugin, "search_index", None)) is not SearchIndex:
        return False

    class KeptIndex(SearchIndex):
        def add_entry_from_context(self, page) -> None:
            pass

        def generate_search_index(self, prev) -> str:
            return index.decode("utf-8")

    plugin.search_index = KeptIndex(**plugin.config)
    return True
