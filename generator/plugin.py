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
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority

from generator.config import NEEDED_EXTENSIONS, project_of
from generator.errors import BriefingError, ContentError
from generator.output.searchindex import ENGINE_KEY
from generator.project import Project

if TYPE_CHECKING:  # imported by the events that need it, so loading mkdocs.yml stays light
    from generator.output.build import SiteAside
    from generator.output.incremental import Incremental
    from generator.preview import Preview
    from generator.progress import Progress

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
        self.preview: Preview | None = None
        """While ``briefing serve`` (a dirty ``mkdocs serve``) runs: the :class:`~generator.preview.Preview`."""
        self.server = None
        self.site_dir: Path | None = None
        """Where a dirty ``serve`` builds (MkDocs' temporary folder)."""
        self.saving = False
        """Whether the build under way is a save of briefing files only."""
        self.whole = False
        """Whether the build under way renders every page (see ``_preview_docs``)."""
        self.warm: bool | None = None
        """Whether this preview started from the site an earlier one kept (None before its first build)."""
        self.key = ""
        """The key (output/incremental.py) of the last build of this preview that succeeded; empty after one that
        failed or showed errors, whose site is not kept."""
        self.search_index: bytes | None = None
        """The search index of the last build that rendered every page (a dirty build writes only its own pages')."""
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
        self.preview = None
        self.preview_wanted = self.serving and dirty
        self.warm, self.key = None, ""
        if self.serving:  # the first build of a large archive takes a while: show its stages
            from generator.progress import Progress

            self.progress = Progress.for_command().start()

    def on_shutdown(self) -> None:
        if self.preview is not None and self.key and self.site_dir is not None:
            from generator.preview import keep_site

            if keep_site(self.project, self.site_dir, self.key):
                log.info("briefing: the preview's pages are kept for the next one to start from")
        self.serving = self.aside_wanted = False
        self.on_build_error(error=None)

    def on_config(self, config):
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
            from generator.preview import Preview

            if self.preview is None:
                self.preview = Preview(self.project)
            self.preview.project = self.project  # mkdocs.yml is read again at every build
            self.site_dir = Path(config.site_dir)
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
    def on_post_build(self, *, config) -> None:
        if self.serving and self.progress is not None:
            self.progress.finish()
            self._stop_progress()
        if self.preview is not None:
            self._after_preview_build(config, self.preview)
            from generator.output.incremental import site_key

            shown = config.extra.get(PREVIEW_ERRORS)
            self.key = (
                "" if shown else site_key(config, self.project.root, self.project.template_dirs)
            )
        if self.incremental is not None:
            self.incremental.merge_search(Path(config.site_dir))
        aside, self.aside = self.aside, None
        try:
            if self.index_search and config.extra.get(ENGINE_KEY) == "pagefind":
                from generator.output.searchindex import index_site

                index_site(Path(config.site_dir))
            if aside is not None:
                aside.finish()  # scans the site built aside, then swaps it in
            elif self.scan_in_place:
                from generator.output.build import scan_in_place

                scan_in_place(config)  # and forgets the record of briefing build's own site
        except BriefingError as exc:
            raise Abort(str(exc)) from None

    def on_build_error(self, *, error) -> None:
        self.key = ""
        if self.serving:
            self._stop_progress()
        aside, self.aside = self.aside, None
        if aside is not None:
            aside.drop()

    def on_pre_build(self, *, config) -> None:
        if not self.config.generate:
            return
        from generator.output.generate import generate

        try:
            if self.preview is not None:
                self._preview_docs(config, self.preview)
                return
            result = generate(
                self.project, drafts=self.serving, progress=self.progress
            )  # a preview shows drafts, marked as such
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

    def _preview_docs(self, config, preview: Preview) -> None:
        """A save of briefing files rewrites the pages that show them (preview.py), and MkDocs' dirty build
        renders only those; anything else regenerates in full, and MkDocs renders every page again."""
        from generator.preview import SEARCH_NOTE

        now, only_briefings = preview.only_briefings_changed()
        site = Path(config.site_dir)
        warm_start = self.warm is None and self._take_kept(config, site)
        self.whole = not (site / "index.html").exists()
        self.saving = only_briefings
        if only_briefings:
            if preview.inputs is not None and now.briefings == preview.inputs.briefings:
                return  # a follow-up's rebuild: its pages are written already
            saved = preview.save(now)
            preview.touch(preview.bannered)  # rendered again, without the banner
            preview.bannered = set()
            log.info(
                f"briefing: {len(saved.written)} page(s) written; the other pages that show the edit follow"
            )
            if self.search_index is not None and not preview.noted:
                preview.noted = True
                log.info(SEARCH_NOTE)
            return
        result = preview.generate_all(now)
        if result.report.changed:
            log.info(
                f"briefing: {len(result.report.written)} page(s) written, {len(result.report.removed)} removed"
            )
        if (
            warm_start
        ):  # the kept pages stand; MkDocs' dirty build renders those whose docs are newer
            log.info(
                "briefing: started from the pages the last preview kept; only those whose docs changed are "
                "rendered"
            )
        elif not self.whole:  # templates, registries or settings: every page may look different
            from mkdocs.utils import clean_directory

            clean_directory(str(site))
            self.whole = True
        if result.archive is None:  # docs/ was up to date: read the archive while MkDocs builds
            threading.Thread(target=preview.prime, name="briefing-prime", daemon=True).start()

    def _take_kept(self, config, site: Path) -> bool:
        """The first build of a preview: start from the site the last one kept, when it fits (preview.py)."""
        from generator.output.incremental import site_key
        from generator.preview import take_kept_site

        key = site_key(config, self.project.root, self.project.template_dirs)
        index = take_kept_site(self.project, site, key)
        self.warm = index is not None
        if index is not None:
            self.search_index = index
        return self.warm

    def _after_preview_build(self, config, preview: Preview) -> None:
        """Keep the whole search index of a full build; put it back after a dirty one (which indexes only the pages
        it rendered); then rewrite, aside, the other pages that show the last edit."""
        index = Path(config.site_dir) / "search" / "search_index.json"
        try:
            if self.whole:
                self.search_index = index.read_bytes()
            elif self.search_index is not None:
                index.write_bytes(self.search_index)
        except OSError:
            pass
        if preview.job is not None:
            threading.Thread(
                target=self._follow_up, args=(preview,), name="briefing-follow-up", daemon=True
            ).start()

    def _follow_up(self, preview: Preview) -> None:
        from generator.serve import request_rebuild

        try:
            saved = preview.follow_up()
        except Exception as exc:  # noqa: BLE001 - the next save redoes it; the server must go on
            log.warning(
                f"briefing: the pages that show the edit were not all rewritten ({exc}); save again"
            )
            return
        if saved is not None and (saved.written or saved.removed):
            log.info(
                f"briefing: {len(saved.written)} more page(s) written, {len(saved.removed)} removed"
            )
            request_rebuild(self.server)

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
        if (
            self.preview is not None
        ):  # a dirty build renders only what changed: show the banner where it matters
            if self.saving:
                self.preview.bannered |= self.preview.touch(self.preview.edited_pages())
            elif not self.whole:
                from mkdocs.utils import clean_directory

                clean_directory(config.site_dir)
                self.whole = True

    def on_serve(self, server, *, config, builder):
        from generator.serve import guard_preview

        project = self.project
        for folder in (project.content, project.seeds, project.templates):
            if folder.is_dir():
                server.watch(str(folder))
        # docs/ is output of this plugin: watching it would rebuild a second time after every change
        try:
            server.unwatch(config.docs_dir)
        except KeyError:  # not watched: serving without live reload
            pass
        self.server = server
        return guard_preview(
            server
        )  # loopback names only; a bounded number of held live-reload polls

    @event_priority(-100)  # after every plugin has added its files
    def on_files(self, files, *, config):
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

    def on_nav(self, nav, *, config, files):
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
    at = (
        1 if config.theme.custom_dir else 0
    )  # below the project's custom_dir, as custom_dir is above the theme
    for folder in reversed([t / "overrides" for t in project.template_dirs]):
        if folder.is_dir() and str(folder) not in config.theme.dirs:
            config.theme.dirs.insert(at, str(folder))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    for name in NEEDED_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
