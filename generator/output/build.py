"""check → generate → ``mkdocs build --strict`` into a folder aside → swap into site/.

MkDocs runs in this process (the same code path as ``mkdocs build``), so its
warnings are counted here and a strict failure cannot be masked by CLI flags.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.collector import let_go
from generator.config import PLUGIN, apart_from_inputs
from generator.errors import BuildError, UsageError
from generator.output.generate import Generated, generate, newest_epoch, render_docs
from generator.output.incremental import (
    DOCS_DIGESTS,
    RECORD,
    Incremental,
    Plan,
    docs_digests,
    link_unchanged,
    site_key,
    write_record,
)
from generator.output.incremental import plan as plan_build
from generator.output.scan import ThemeMarkup, scan_site
from generator.output.searchfeed import Feed
from generator.output.searchindex import ENGINE_KEY, Previous, early_feed, index_site
from generator.output.searchpages import FOLDER as SEARCH_PAGES
from generator.output.write import (
    DOCS_MARKER,
    LEGACY_SITE,
    MANIFEST,
    SITE_MARKER,
    SwapFailed,
    check_replaceable,
    existing_files,
    link_or_copy,
    make_staging,
    mark_site,
    outputs_locked,
    put_in,
    swap_in,
    write_tree,
)
from generator.progress import Progress
from generator.project import Project

OFFLINE_SITE_DIR = "site-offline"
"""Where ``briefing build --offline`` puts the file:// copy of the site, beside site/."""


@dataclass(frozen=True)
class Built:
    generated: Generated
    site_dir: Path
    warnings: tuple[str, ...]
    rendered: int | None = None
    """How many pages MkDocs rendered; None for a cold build (every page)."""
    cold: str = ""
    """Why the build rendered every page, when ``briefing build`` could have reused the site."""


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


MAX_EPOCH = 2**32 - 1
"""Latest build date MkDocs can stamp: the gzip header of sitemap.xml.gz holds an unsigned 32-bit time."""


def _checked_source_date_epoch() -> None:
    """A SOURCE_DATE_EPOCH that MkDocs cannot use fails here, as a usage error, not deep inside MkDocs."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not (value.strip().isdigit() and int(value) <= MAX_EPOCH):
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to {MAX_EPOCH}, not {value!r}"
        )


@contextmanager
def _build_date(archive_epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH, which MkDocs reads, set to the content's date unless the caller set it."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(archive_epoch))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def content_epoch(generated: Generated) -> int:
    """Seconds at midnight UTC of the newest briefing: the build date when none is given.

    Kept within 1970-01-01 and 2106-02-07, the dates MkDocs can stamp: before
    1970 the gzip header of sitemap.xml.gz cannot hold the time, after 2106 it
    overflows, and a year below 1000 MkDocs writes as ``1-01-01``, which its
    own ``datetime.fromisoformat`` then refuses. Any date a briefing may carry
    (years 1 to 9999) still builds; only the site's build stamp is clamped.
    """
    epoch = generated.epoch if generated.archive is None else newest_epoch(generated.archive)
    return min(max(epoch, 0), MAX_EPOCH)


def build_site(
    project: Project,
    while_generating: Callable[[], AbstractContextManager] = nullcontext,
    progress: Progress | None = None,
    clean: bool = False,
) -> Built:
    """Generate into a copy of docs/ aside, build the site from it, and only then swap both in.

    A failure at any step (content, writing, MkDocs, the scan, a full disk) leaves
    docs/ and site/ as they were; the site is swapped in first, so the docs never
    run ahead of the site they were built into, and when the docs then cannot be
    swapped in, the site is swapped back. ``while_generating()`` is entered around
    the generation (the CLI pauses the cycle collector there, and sets what it made aside: collector.py);
    only its figures are kept, and a build that renders every page lets the archive go first, so MkDocs
    renders them without it in memory. Each stage is reported to ``progress``.

    The build is incremental (output/incremental.py): MkDocs renders only the pages whose docs changed since
    the site was built, and the other files of the site are hard-linked from it; with nothing changed, the
    site stays as it is. ``clean``, or anything the site's record cannot vouch for, builds every page.
    """
    progress = progress or Progress()
    _checked_source_date_epoch()
    _with_plugin(project)
    docs, site = project.site.docs_dir, project.site.site_dir
    for name, folder in (("docs_dir", docs), ("site_dir", site)):
        apart_from_inputs(
            project.root, f"mkdocs.yml: {name}", folder, (project.content, project.templates)
        )
    with outputs_locked(project.root, (docs, site)):
        check_replaceable(docs, *DOCS_MARKER)
        check_replaceable(site, *SITE_MARKER, legacy=LEGACY_SITE)
        try:
            staged = make_staging(docs)
        except OSError as exc:
            raise BuildError(_unwritable(docs, exc)) from None
        early = _EarlySearch(None if clean else _search_pages(project))
        try:
            progress.stage("fingerprint", "the inputs, against the last build")
            _copy_docs(docs, staged / docs.name)
            with while_generating():
                generated = generate(
                    project,
                    docs_dir=staged / docs.name,
                    progress=progress,
                    fresh=clean,
                    changing=early.begin,
                ).without_archive()
            built = _build_aside(
                project,
                generated,
                site,
                progress,
                incremental=(docs_digests(staged / docs.name, _kept_digests(project)), clean),
                early=early,
                docs_dir=str(staged / docs.name),
            )
            progress.stage(
                "swap",
                (f"{site.name}/" if built.staging else "")
                + (" and " if built.staging and generated.report.changed else "")
                + (f"{docs.name}/" if generated.report.changed else ""),
            )
            if built.staging is not None:
                _swap_both(
                    built.staging,
                    site,
                    staged / docs.name if generated.report.changed else None,
                    docs,
                )
            elif generated.report.changed:  # the site was built from these docs: only docs/ differs
                put_in(staged / docs.name, docs).done()
            if not generated.report.changed:
                _keep_manifest(staged / docs.name, docs)
        except OSError as exc:
            raise BuildError(_unwritable(docs, exc)) from None
        finally:
            early.stop()
            shutil.rmtree(staged, ignore_errors=True)
    return Built(built.generated, site, built.warnings, built.rendered, built.cold)


def _copy_docs(docs: Path, dest: Path) -> None:
    """The current docs, hard-linked: generation rewrites only what changed."""
    if docs.is_dir():
        shutil.copytree(docs, dest, copy_function=lambda a, b: link_or_copy(Path(a), Path(b)))


class _EarlySearch:
    """The site's search index, begun as soon as the generation finds an input changed: the pages kept from
    the last build handed to Pagefind's service meanwhile (searchindex.early_feed); stopped when the build
    renders every page (the kept pages are then all cut again) or has nothing to render."""

    def __init__(self, kept: Path | None) -> None:
        self.kept = kept
        self.feed: Feed | None = None

    def begin(self) -> None:
        if self.feed is None:
            self.feed = early_feed(self.kept)

    def stop(self) -> None:
        if self.feed is not None:
            self.feed.close()
            self.feed = None


def _swap_both(site_staging: Path, site: Path, docs_staging: Path | None, docs: Path) -> None:
    """Site first, then docs (when they changed); when the docs cannot follow, the site goes back."""
    site_swap = put_in(site_staging, site)
    if docs_staging is not None:
        try:
            docs_swap = put_in(docs_staging, docs)
        except SwapFailed as exc:
            try:
                site_swap.undo()
            except OSError:
                site_swap.done()
                raise BuildError(
                    f"could not replace {docs.name}/: {exc.reason}; {site.name}/ was updated but "
                    f"{docs.name}/ was not; build again once {docs.name}/ can be replaced"
                ) from None
            raise BuildError(
                f"could not replace {docs.name}/: {exc.reason}; the previous {docs.name}/ and "
                f"{site.name}/ are unchanged"
            ) from None
        docs_swap.done()
    site_swap.done()


def _keep_manifest(staged: Path, docs: Path) -> None:
    """Nothing to swap in, but the manifest may be newer (the generator changed): it is only a cache."""
    new, old = staged / MANIFEST, docs / MANIFEST
    try:
        if (
            new.is_file()
            and docs.is_dir()
            and (not old.is_file() or old.read_bytes() != new.read_bytes())
        ):
            shutil.copyfile(new, old)
    except OSError:
        pass


def build_offline(
    project: Project, site_dir: Path | None = None, progress: Progress | None = None
) -> Built:
    """The site for reading from the file system (``file://``, no server, no network).

    Material's offline plugin turns the search index into a script; links end in
    ``index.html``; the worker shim comes from the theme overrides, not a CDN. The
    docs are rendered into a temporary folder, so docs/ and site/ stay as they are.
    """
    progress = progress or Progress()
    _checked_source_date_epoch()
    _with_plugin(project)
    target = _offline_target(project, site_dir)
    with outputs_locked(project.root, (target,)):
        check_replaceable(target, *SITE_MARKER, legacy=LEGACY_SITE)
        archive, files = render_docs(project, project.site, directory_urls=False, progress=progress)
        with tempfile.TemporaryDirectory(prefix="briefing-offline-docs-") as tmp:
            docs = Path(tmp) / "docs"
            generated = Generated(archive, write_tree(docs, files), len(files))
            # No repo_url: the header would fetch the repository's facts from its host, and an
            # offline copy has nothing to edit.
            built = _build_aside(
                project,
                generated,
                target,
                progress,
                docs_dir=str(docs),
                use_directory_urls=False,
                repo_url="",
                edit_uri="",
                plugins=_with_offline_plugin(project.root / "mkdocs.yml"),
            )
        progress.stage("swap", f"{target.name}/")
        assert built.staging is not None  # a cold build always makes a site
        swap_in(built.staging, target)
    return Built(generated, target, built.warnings)


def _offline_target(project: Project, site_dir: Path | None) -> Path:
    """The folder of the offline copy: inside the project, apart from its inputs and not a link; elsewhere, any
    folder the user names (a USB stick), except one holding the project."""
    target = Path(os.path.abspath(site_dir or project.root / OFFLINE_SITE_DIR))
    if not target.is_relative_to(project.root):
        target = target.resolve()
    if target == project.root or target in project.root.parents:
        raise UsageError(f"the site folder cannot be the project or hold it: {target}")
    check_replaceable(target, *SITE_MARKER, legacy=LEGACY_SITE)
    if target.is_relative_to(project.root):
        apart_from_inputs(project.root, "--site-dir", target, (project.content, project.templates))
    return target


def _with_plugin(project: Project) -> None:
    """The site is built with the briefings plugin (theme overrides, stylesheet, edit links), so mkdocs.yml lists it."""
    if not project.site.plugin:
        raise UsageError(
            f"mkdocs.yml: plugins: '{PLUGIN}' is not listed; the site is built with it "
            f"(plugins: [search, {PLUGIN}])"
        )


def _with_offline_plugin(config_file: Path) -> list:
    """The plugins of mkdocs.yml, with Material's offline plugin enabled."""
    from mkdocs.utils import yaml_load

    with open(config_file, encoding="utf-8") as f:
        plugins = (yaml_load(f) or {}).get("plugins", ["search"])
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    kept = [
        p
        for p in plugins
        if (next(iter(p)) if isinstance(p, dict) else p) not in ("offline", "material/offline")
    ]
    return [*kept, {"offline": {"enabled": True}}]


@dataclass(frozen=True)
class _BuiltAside:
    generated: Generated
    staging: Path | None
    """The finished site, beside the folder it is to replace; None when the site is up to date."""
    warnings: tuple[str, ...]
    rendered: int | None = None
    cold: str = ""


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation stale; the build's own incremental path renders
    every page whose docs changed, and the site's record vouches for the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _build_aside(
    project: Project,
    generated: Generated,
    target: Path,
    progress: Progress,
    incremental: tuple[dict[str, str], bool] | None = None,
    early: _EarlySearch | None = None,
    **overrides,
) -> _BuiltAside:
    """``mkdocs build --strict`` into a folder beside ``target``, to be swapped in; nothing left behind on failure.

    With ``incremental`` (the docs' digests, and whether a clean build is asked for), only the pages whose
    docs changed since ``target`` was built are rendered, and the rest of ``target`` is linked in; the
    staging is None when nothing changed. The plugin counts the pages MkDocs converts and writes into
    ``progress``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = make_staging(target)
    except OSError as exc:
        raise BuildError(_unwritable(target, exc)) from None
    early = early or _EarlySearch(None)
    counter = _Counter()
    log = logging.getLogger("mkdocs")
    log.addHandler(counter)
    quiet = _NoDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    plan: Plan | None = None
    try:
        with _build_date(content_epoch(generated)):
            cfg, plugin = _configured(project, staging, progress, overrides)
            if incremental is not None:
                key = site_key(cfg, project.root, project.template_dirs)
                plan = plan_build(target, key, incremental[0], clean=incremental[1])
                if plan.nothing:
                    shutil.rmtree(staging, ignore_errors=True)
                    return _BuiltAside(generated, None, (), 0)
                if not plan.cold:
                    plugin.incremental = Incremental(plan.changed, target)
            if plugin.incremental is None:
                early.stop()  # every page is rendered: each is cut again
                let_go()  # every page is rendered: not beside what the generation set aside
            try:
                mkdocs_build(cfg, dirty=plugin.incremental is not None)
                steps = plugin.incremental
            finally:
                plugin.progress = None
                plugin.incremental = None
        if counter.messages:
            raise BuildError(
                "MkDocs reported warnings (strict mode):\n  " + "\n  ".join(counter.messages)
            )
        progress.count(site_pages=progress.done)
        _complete(cfg, staging, target, steps, progress, project.site.docs_dir, project, early.feed)
        if incremental is not None:
            write_record(staging, key, incremental[0])
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "\n  ".join(counter.messages) or str(exc)
        raise BuildError(
            f"MkDocs build failed; the previous site is unchanged:\n  {detail}"
        ) from None
    except OSError as exc:  # disk full, folder not writable: MkDocs lets these through
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(_unwritable(target, exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        log.removeHandler(counter)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    rendered = None if plan is None or plan.cold else sum(r for _, r in steps.pages or [])
    return _BuiltAside(
        generated, staging, tuple(counter.messages), rendered, plan.cold if plan else ""
    )


def _configured(
    project: Project, staging: Path, progress: Progress, overrides: dict
) -> tuple[Any, Any]:
    """mkdocs.yml loaded to build into ``staging``, and the briefings plugin of it (a door: not imported
    here), told the progress, not to generate (the docs are generated already) and not to index (``_complete``
    does, once the unchanged pages are linked in)."""
    from mkdocs.config import load_config

    progress.stage("mkdocs", "loading mkdocs.yml")
    cfg = load_config(
        config_file=str(project.root / "mkdocs.yml"),
        site_dir=str(staging),
        strict=True,
        **overrides,
    )
    plugin: Any = cfg.plugins[PLUGIN]
    plugin.config.generate = False
    plugin.index_search = False
    plugin.progress = progress
    return cfg, plugin


def _complete(
    cfg,
    staging: Path,
    target: Path,
    steps: Incremental | None,
    progress: Progress,
    old_docs: Path,
    project: Project | None = None,
    feed: Feed | None = None,
) -> None:
    """What MkDocs wrote becomes a whole site: the unchanged files of ``target`` linked in (incremental), the
    scan of what was written and, meanwhile, the search indexes (in an incremental build, only those of the
    stories whose pages were written; the site's own with ``feed``, when it fits), the site's marker."""
    written = linked = None
    if steps is not None and steps.keep is not None:
        written = set(existing_files(staging))
        linked = [rel for rel in steps.keep if rel not in written and (target / rel).is_file()]
    else:
        feed = None  # every page written: none of the pages it read is kept
    # Pagefind reads the pages (an unchanged one from the old site, so it need not wait for the links) and
    # writes only its own folder, which neither the links nor the scan touch: it runs meanwhile (one of its
    # two phases uses one core); the pool is left only when the index is done, whatever the scan found
    with ThreadPoolExecutor(1) as pool:
        indexing = None
        if cfg.extra.get(ENGINE_KEY) == "pagefind":
            previous = (
                None
                if written is None or linked is None
                else Previous(target, old_docs, frozenset(written), frozenset(linked))
            )
            per_story = cfg.plugins[PLUGIN].config.search_indexes == "story"
            kept = _search_pages(project) if project is not None else None
            indexing = pool.submit(
                index_site,
                staging,
                Path(cfg.docs_dir),
                previous,
                per_story=per_story,
                kept=kept,
                feed=feed,
            )
        # the old site's other files: the scripts the pages load are there for the scan
        if linked is not None:
            link_unchanged(target, staging, linked)
        progress.stage("scan", "every HTML file MkDocs wrote", unit="files scanned")
        _scan(cfg, staging, target, progress.advance, only=written)
        if indexing is not None:
            progress.stage(
                "search",
                "Pagefind's index, begun with the check"
                if feed is not None
                else "Pagefind's index of the pages written, begun with the scan",
            )
            progress.count(search_indexes_built=len(indexing.result()))
    mark_site(staging)


def _kept_digests(project: Project) -> Path | None:
    """The file of the docs' digests kept from the last build (incremental.docs_digests); None where its folder
    cannot be made or is reached through a link."""
    path = project.root / DOCS_DIGESTS
    return path if project.made_folder(path.parent) else None


def _search_pages(project: Project) -> Path | None:
    """The folder of the pages Pagefind read at the last build (searchpages.py); None where it cannot be made
    or is reached through a link."""
    folder = project.root / SEARCH_PAGES
    return folder if project.made_folder(folder) else None


class SiteAside:
    """Plain ``mkdocs build`` (through the plugin): MkDocs builds beside site_dir, swapped in only when it succeeded.

    Without it MkDocs empties site_dir first and writes page by page, so a
    failed or killed build would leave a partial site. Holds the project's lock
    from ``on_config`` to the end of the build; ``config.site_dir`` points at
    the folder aside meanwhile and is set back afterwards (``gh-deploy`` reads it).
    """

    def __init__(self, config):
        root = Path(config.config_file_path).parent.resolve()
        self.config, self.site = config, Path(os.path.abspath(config.site_dir))
        if self.site.is_relative_to(root):
            apart_from_inputs(root, "site_dir", self.site)
        self.lock = ExitStack()
        self.lock.enter_context(outputs_locked(root, (self.site,)))
        try:
            check_replaceable(self.site, *SITE_MARKER, legacy=LEGACY_SITE)
            self.site.parent.mkdir(parents=True, exist_ok=True)
            self.staging = make_staging(self.site)
        except OSError as exc:
            self.lock.close()
            raise BuildError(_unwritable(self.site, exc)) from None
        except BaseException:
            self.lock.close()
            raise
        self.counter = _Counter()
        logging.getLogger("mkdocs").addHandler(self.counter)
        config.site_dir = str(self.staging)

    def finish(self) -> None:
        """Scan the finished site and swap it in, unless strict mode is about to fail the build for its
        warnings; a finding leaves site_dir as it was and fails the build, as for ``briefing build``."""
        try:
            if self.config.strict and self.counter.messages:
                shutil.rmtree(self.staging, ignore_errors=True)
            else:
                try:
                    _scan(self.config, self.staging, self.site)
                except BaseException:
                    shutil.rmtree(self.staging, ignore_errors=True)
                    raise
                mark_site(self.staging)
                swap_in(self.staging, self.site)
        finally:
            self._close()

    def drop(self) -> None:
        """The build failed: site_dir stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self._close()

    def _close(self) -> None:
        self.config.site_dir = str(self.site)
        logging.getLogger("mkdocs").removeHandler(self.counter)
        self.lock.close()


def _unwritable(target: Path, exc: OSError) -> str:
    return f"could not write {target.name}/: {exc.strerror or exc}; the previous {target.name}/ is unchanged"


SCAN_SHOWN = 50
"""How many scan findings a failed build lists."""


def scan_in_place(cfg) -> None:
    """``mkdocs build --dirty`` builds into site_dir itself: scan it there, and fail the build (and so a
    ``gh-deploy``) on a finding, which stays in site_dir until a clean build replaces it."""
    site = Path(cfg.site_dir)
    # changed in place: the next briefing build renders every page
    (site / RECORD).unlink(missing_ok=True)
    _scan(
        cfg,
        site,
        site,
        where="was built in place (--dirty) and holds it; build again without --dirty",
    )


def _scan(
    cfg,
    staging: Path,
    target: Path,
    scanned: Callable[[], object] = lambda: None,
    where: str = "",
    only: set[str] | None = None,
) -> None:
    """Fail when the built HTML holds a script, handler, frame or link that no template put there."""
    scripts = [str(getattr(s, "path", s)) for s in cfg.extra_javascript]
    scripts += [s for s in (cfg.extra.get("polyfills") or []) if isinstance(s, str)]
    plugin = cfg.plugins.get(PLUGIN)
    theme = ThemeMarkup.from_templates(
        cfg.theme.dirs,
        scripts,
        cfg.site_url or "",
        plugins=list(cfg.plugins),
        allowed_hosts=plugin.config.allowed_hosts if plugin is not None else (),
    )
    findings = scan_site(staging, theme, scanned, only)
    if findings:
        shown = [f.format(target.name) for f in findings[:SCAN_SHOWN]]
        if len(findings) > SCAN_SHOWN:
            shown.append(f"… and {len(findings) - SCAN_SHOWN} more")
        raise BuildError(
            "the built site holds markup that no template put there; "
            + (f"{target.name}/ {where}" if where else f"the previous {target.name}/ is unchanged")
            + ":\n  "
            + "\n  ".join(shown)
        )
