"""MkDocs hook: plain ``mkdocs build`` and ``mkdocs serve`` regenerate the docs first.

``mkdocs build`` also builds beside site_dir and swaps the result in only when
the build succeeded, so a failed or killed build leaves the previous site.

A thin door: it wires MkDocs events to the same core as ``briefing generate``.
Listed under ``hooks:`` in mkdocs.yml.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from generator.build import PREGENERATED, SiteAside
from generator.errors import BriefingError, ContentError
from generator.generate import generate
from generator.project import find_project
from generator.serve import guard_preview

log = logging.getLogger("mkdocs.briefing")
_serving = False
_aside_wanted = False
"""``mkdocs build`` or ``gh-deploy`` without --dirty: build beside site_dir and swap in (see SiteAside)."""
_aside: SiteAside | None = None

PREVIEW_ERRORS = "briefing_errors"
"""Key in ``config.extra`` holding the current content errors while serving; the theme shows them in a banner."""


def on_startup(command: str, dirty: bool) -> None:
    global _serving, _aside_wanted
    _serving = command == "serve"
    _aside_wanted = command in ("build", "gh-deploy") and not dirty


def on_shutdown() -> None:
    global _serving, _aside_wanted
    _serving = _aside_wanted = False
    on_build_error(None)


def on_config(config):
    """``briefing build`` builds aside itself (and sets PREGENERATED); plain ``mkdocs build`` does it here."""
    global _aside
    if _aside_wanted and _aside is None and os.environ.get(PREGENERATED) != "1":
        try:
            _aside = SiteAside(config)
        except BriefingError as exc:
            raise Abort(str(exc)) from None
    return config


@event_priority(-100)  # after every plugin has written its files (search index, sitemap)
def on_post_build(config) -> None:
    global _aside
    aside, _aside = _aside, None
    if aside is not None:
        try:
            aside.finish()
        except BriefingError as exc:
            raise Abort(str(exc)) from None


def on_build_error(error) -> None:
    global _aside
    aside, _aside = _aside, None
    if aside is not None:
        aside.drop()


def on_pre_build(config) -> None:
    if os.environ.get(PREGENERATED) == "1":
        return
    project = find_project(Path(config.config_file_path).parent)
    try:
        result = generate(project)
    except ContentError as exc:
        for d in exc.diagnostics:
            log.error(d.format())
        message = f"{len(exc.diagnostics)} content error(s); the docs were not regenerated"
        if _serving:
            log.error(message + " (showing the last good version)")
            config.extra[PREVIEW_ERRORS] = [d.format() for d in exc.diagnostics]
            return
        raise Abort(message) from None
    except BriefingError as exc:
        if _serving:
            log.error(str(exc))
            config.extra[PREVIEW_ERRORS] = [str(exc)]
            return
        raise Abort(str(exc)) from None
    if result.report.changed:
        log.info(f"briefing: {len(result.report.written)} page(s) written, {len(result.report.removed)} removed")


def on_serve(server, config, builder):
    root = Path(config.config_file_path).parent
    for name in ("content", "seeds", "site_templates"):
        if (root / name).is_dir():
            server.watch(str(root / name))
    # docs/ is output of this hook: watching it would rebuild a second time after every change
    try:
        server.unwatch(config.docs_dir)
    except KeyError:  # not watched: serving without live reload
        pass
    return guard_preview(server)  # loopback names only; a bounded number of held live-reload polls


def on_page_context(context, page, config, nav):
    """Point the edit link at the YAML (or hand-written page) the page came from."""
    source = page.meta.get("edit_source")
    if not source:
        name = page.file.src_uri.removeprefix("pages/").removesuffix("/index.md")
        hand = Path(config.config_file_path).parent / "content" / "pages" / f"{name}.md"
        source = f"content/pages/{name}.md" if page.file.src_uri.startswith("pages/") and "/" not in name and hand.is_file() else None
    if source and config.repo_url:
        page.edit_url = config.repo_url.rstrip("/") + "/" + (config.edit_uri or "edit/main/").strip("/") + "/" + source
    else:
        page.edit_url = None
    return context
