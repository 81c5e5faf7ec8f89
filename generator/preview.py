"""The live preview at the scale of an archive: a saved briefing re-reads one file and rewrites the pages it shows on.

A full generation of 1,000 briefings reads and checks every file and renders
about 3,000 pages: many seconds, and MkDocs then rebuilds every page. While
serving, the plugin keeps a :class:`Preview` instead. After one full
generation, a save that touches only briefing files

* re-reads only the files whose ``stat`` changed; every other briefing is the
  record read before, its quotes already placed (:class:`Kept`, handed to
  ``check_project``); the rules across files still run over the whole archive,
  so the errors are those ``briefing check`` reports;
* plans every page, and renders at once (:meth:`Preview.save`) the pages of the
  edited briefings and their neighbours, the first page of their story and
  tags, and the pages that list the whole archive; MkDocs builds, the browser
  reloads;
* then (:meth:`Preview.follow_up`, in a thread) renders every other page that
  shows a changed briefing: a page shows a briefing when its context holds the
  briefing or one of its records, or a record of a thread whose latest two
  records are in it (a claim's status on an actor page is its thread's
  latest), and one that shows only records of a briefing whose edit changed
  only its own text (summary, bottom line, key points) is left as it is; or
  whose title, breadcrumb or list of periods changed. A change in
  which briefing is the latest of its story, or in a story's title, counts
  every briefing of the story as changed. The server is asked for one more
  build; the next save stops a follow-up still running and takes over its pages;
* writes only the files whose bytes differ, each replaced in one rename, so
  MkDocs' dirty build (``briefing serve`` runs one) renders only their pages.

The feeds and ``data/`` files are not rewritten by a save (they are by any
other change, and by ``briefing build``, which never uses this path). Any
change but briefing files (registries, hand-written pages, seeds, templates,
mkdocs.yml) regenerates in full, as ``briefing generate`` does.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.collector import collector_paused
from generator.errors import Collector
from generator.format.model import Archive, Briefing
from generator.output.write import saved_state
from generator.pages.shown import (
    Changed,
    Shown,
    changed_briefings,
    frame,
    records_digest,
    shown,
    story_marks,
    touched,
)
from generator.pages.site import Index, build_index, plan_pages, subject, subjects_named
from generator.project import Project

log = logging.getLogger("mkdocs.briefing")

SEARCH_NOTE = (
    "briefing: while previewing, search finds pages as they were when the preview started, and the feeds "
    "and data/ files stay as they were; `briefing build` makes all of them whole"
)
"""Said once, at the first save of a preview."""


class Kept:
    """What earlier runs read and placed, for ``check_project(reuse=...)``; one per preview.

    A briefing is handed back while its file's ``stat`` is unchanged and its
    reading reported no error (its warnings are reported again); its quotes
    keep their places while every source text and the source of every id are
    what they were in the last run that passed the check (:meth:`commit`).
    """

    def __init__(self) -> None:
        self.briefings: dict[Path, tuple[tuple, Briefing, list]] = {}
        self.texts: dict[Path, tuple[tuple, str, object, list]] = {}
        self.placed_records: dict[int, Briefing] = {}
        self.placed_texts: dict[str, str] = {}
        """Source id → its text file, in the run that placed ``placed_records``."""
        self.run_texts: dict[str, str] = {}
        self.texts_reread = False

    def begin(self) -> None:
        """Before each run of the check."""
        self.run_texts = {}
        self.texts_reread = False

    def briefing(self, path: Path, out: Collector, read) -> Briefing | None:
        key = saved_state(path)
        kept = self.briefings.get(path)
        if kept is not None and key is not None and kept[0] == key:
            out.warnings.extend(kept[2])
            return kept[1]
        errors, warnings = len(out.diagnostics), len(out.warnings)
        record = read(path)
        if record is not None and key is not None and len(out.diagnostics) == errors:
            self.briefings[path] = (key, record, out.warnings[warnings:])
        else:
            self.briefings.pop(path, None)
        return record

    def source_text(self, source, project: Project, seeds: Path, out: Collector):
        from generator.check.content import _load_source_text

        if source.text:
            self.run_texts[source.id] = source.text
        path = project.root / source.text if source.text else None
        key = saved_state(path) if path is not None else None
        kept = self.texts.get(path) if path is not None else None
        if kept is not None and key is not None and kept[0] == key:
            source.body = kept[1]
            out.warnings.extend(kept[3])
            return kept[2]
        self.texts_reread = True
        errors, warnings = len(out.diagnostics), len(out.warnings)
        text = _load_source_text(source, project, seeds, out)
        if (
            path is not None
            and key is not None
            and text is not None
            and len(out.diagnostics) == errors
        ):
            self.texts[path] = (key, source.body, text, out.warnings[warnings:])
        return text

    def placed(self, b: Briefing) -> bool:
        """Whether ``b`` is a record whose quotes were placed, in the same texts, by a run that passed."""
        return (
            self.placed_records.get(id(b)) is b
            and not self.texts_reread
            and self.run_texts == self.placed_texts
        )

    def commit(self, archive: Archive) -> None:
        """After a run that passed the check: its briefings' quotes are placed."""
        self.placed_records = {id(b): b for b in archive.briefings}
        self.placed_texts = dict(self.run_texts)
        live = {b.path for b in archive.briefings}
        for path in [p for p in self.briefings if self.briefings[p][1].path not in live]:
            del self.briefings[path]


@dataclass(frozen=True)
class Inputs:
    """``stat`` of every input: each briefing file apart, everything else together."""

    briefings: dict[str, tuple | None]
    others: tuple

    @classmethod
    def of(cls, project: Project) -> Inputs:
        folder = project.content / "briefings"
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        briefings = {
            project.rel(folder / n): saved_state(folder / n) for n in names if n.endswith(".yaml")
        }
        others: list[tuple] = []
        roots = [
            project.content,
            project.seeds,
            *project.template_dirs,
            Path(__file__).resolve().parent,
        ]
        for root in roots:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                if Path(dirpath) == folder:
                    others.append(
                        (dirpath, tuple(n for n in sorted(filenames) if not n.endswith(".yaml")))
                    )
                    continue
                others += [
                    (dirpath, n, saved_state(Path(dirpath) / n))
                    for n in sorted(filenames)
                    if not n.endswith(".pyc")
                ]
        others.append(("mkdocs.yml", saved_state(project.root / "mkdocs.yml")))
        return cls(briefings, tuple(others))


@dataclass(frozen=True)
class FollowUp:
    """What a save leaves to :meth:`Preview.follow_up`."""

    archive: Archive
    index: Index
    changed: Changed
    near: set[str]
    """The subjects the save touched (``site.subjects_named``): a page ``about`` none of them shows what it
    showed before."""
    done: set[str]
    """Pages the save rendered already."""


@dataclass(frozen=True)
class Saved:
    """What a save rewrote (``written`` and ``removed`` relative to docs/)."""

    written: tuple[str, ...]
    removed: tuple[str, ...]


class Preview:
    """The state a preview keeps between saves: what it read, and what each page shows."""

    def __init__(self, project: Project):
        self.project = project
        self.kept = Kept()
        self.templates = TemplateCache()
        self.inputs: Inputs | None = None
        self.shows: dict[str, Shown] = {}
        """Each planned page's docs file → what it shows (the briefings whole, those of its records, its
        frame's digest)."""
        self.records: dict[str, Briefing] = {}
        """Each briefing file (project-relative) → its record in the last run that passed."""
        self.marks: dict[str, str] = {}
        """Each story → its latest briefing and its title (see :func:`story_marks`)."""
        self.job: FollowUp | None = None
        self.pending: set[str] = set()
        """Pages a follow-up chose and had not rendered when the next save stopped it."""
        self.lock = threading.Lock()
        self.cancel = threading.Event()
        self.bannered: set[str] = set()
        """Pages rendered with the errors' banner, rendered again once the errors are gone."""
        self.generations = 0
        """Full generations so far: a later one makes what an earlier one would know in a thread stale."""
        self.noted = False
        """Whether :data:`SEARCH_NOTE` was said."""

    def only_briefings_changed(self) -> tuple[Inputs, bool]:
        """The inputs now, and whether the last generation is known and only briefing files changed since."""
        now = Inputs.of(self.project)
        return now, self.inputs is not None and now.others == self.inputs.others

    def generate_all(self, now: Inputs | None = None, later: bool = False):
        """A full generation (``generate``), reading through :class:`Kept`; then know the pages it planned:
        at once, or with ``later`` in a thread of its own, so that MkDocs builds meanwhile (until it knows, a
        build regenerates, which renders only what changed since)."""
        from generator.output.generate import generate

        with self.lock:
            now = now or Inputs.of(self.project)
            self.inputs = None
            self.generations += 1
            mine = self.generations
            gc.unfreeze()  # what the last full generation read may go now
            self.kept.begin()
            with collector_paused():
                result = generate(self.project, drafts=True, reuse=self.kept)
            if result.archive is not None:
                self.kept.commit(result.archive)
                if not later:
                    self._know(result.archive, now, result)
        if later and result.archive is not None:
            threading.Thread(
                target=self._know_later,
                args=(result.archive, now, mine, result),
                name="briefing-know",
                daemon=True,
            ).start()
        return result

    def _know_later(self, archive: Archive, now: Inputs, generation: int, result) -> None:
        with self.lock, collector_paused():
            if self.generations == generation:  # no other generation came since
                self._know(archive, now, result)

    def prime(self) -> None:
        """Read and plan what an unchanged docs folder was generated from (nothing is written)."""
        from generator.check.checker import check_project

        with self.lock:
            if self.inputs is not None:
                return
            now = Inputs.of(self.project)
            self.kept.begin()
            try:
                with collector_paused():
                    archive = check_project(self.project, reuse=self.kept)
            except Exception:  # noqa: BLE001 - the next save regenerates in full and reports what is wrong
                return
            self.kept.commit(archive)
            self._know(archive, now)

    def _know(self, archive: Archive, now: Inputs, generated=None) -> None:
        """Remember what each page shows (as the generation that read ``archive`` worked it out, when it did),
        compile the templates, and set what was read aside from the collector."""
        from generator.pages.render import Renderer

        urls = self.project.site.directory_urls
        if generated is not None and generated.shows is not None and generated.marks is not None:
            self.shows, self.marks = generated.shows, generated.marks
        else:
            index = build_index(archive)
            self.shows = {p.file(urls): shown(p, index) for p in plan_pages(archive, index)}
            self.marks = story_marks(index)
        self.records = {b.path: b for b in archive.briefings}
        self.inputs = now
        env = Renderer(archive, self.project.template_dirs, urls).env
        env.bytecode_cache = self.templates
        for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
            env.get_template(name)
        # Millions of records live as long as the preview: frozen, the collector's passes (during MkDocs'
        # builds too) no longer walk them. A full regeneration lets them go again (:meth:`generate_all`).
        gc.collect()
        gc.freeze()

    def save(self, now: Inputs) -> Saved:
        """Check the archive (re-reading changed files only) and rewrite at once the pages of the edited briefings:
        their own, their neighbours', their story's and tags' first pages and the pages that list the whole
        archive. What else shows them is left to :meth:`follow_up`, run after MkDocs has built these."""
        from generator.check.checker import check_project

        self.cancel.set()  # a follow-up still rendering stops, and leaves its pages to this save's
        with self.lock, collector_paused():
            self.cancel.clear()
            self.kept.begin()
            archive = check_project(self.project, reuse=self.kept)
            self.kept.commit(archive)
            index = build_index(archive)
            records = {b.path: b for b in archive.briefings}
            marks = story_marks(index)
            assert self.inputs is not None  # set by the first build, before any save
            edited_files = [
                path
                for path in self.inputs.briefings.keys() | now.briefings.keys()
                if self.inputs.briefings.get(path) != now.briefings.get(path)
            ]
            edited = [self.records[p] for p in edited_files if p in self.records]
            edited += [records[p] for p in edited_files if p in records]
            text_only = frozenset(
                records[p].id
                for p in edited_files
                if p in records
                and p in self.records
                and records_digest(records[p]) == records_digest(self.records[p])
            )
            changed = changed_briefings(edited, index, marks, self.marks, text_only)
            urls = self.project.site.directory_urls
            # only the pages rendered at once are planned now; the follow-up plans them all
            first = plan_pages(archive, index, only=first_subjects(edited, changed))
            chosen = [(p.file(urls), p) for p in first]
            written = self._write(archive, chosen, [])
            self.job = FollowUp(
                archive,
                index,
                changed,
                subjects_named(edited, archive),
                {r for r, _ in chosen},
            )
            self.records, self.marks, self.inputs = records, marks, now
            return Saved(tuple(written), ())

    def edited_pages(self) -> set[str]:
        """The docs files of the briefings whose files changed since the last save that passed, and the home page."""
        now = Inputs.of(self.project)
        from generator.pages import urls

        directory_urls = self.project.site.directory_urls
        rels = {urls.docs_file(urls.HOME)}
        for path, key in self.inputs.briefings.items() if self.inputs else ():
            if now.briefings.get(path) != key and path in self.records:
                url = urls.briefing(self.records[path].id)
                rels.add(urls.docs_file(url, directory_urls))
        return rels

    def touch(self, rels) -> set[str]:
        """Make these docs files newer than their HTML, so that the next dirty build renders them."""
        docs = self.project.site.docs_dir
        touched = set()
        for rel in rels:
            try:
                os.utime(docs / rel)
                touched.add(rel)
            except OSError:
                pass
        return touched

    def follow_up(self) -> Saved | None:
        """The rest of a save: every other page that shows an edited briefing, a record of it or the latest
        record of a thread it names, or whose title, breadcrumb or list of periods changed; pages no longer
        planned are removed. Stops early when the next save begins (its follow-up does what is left)."""
        with self.lock, collector_paused():
            job, self.job = self.job, None
            if job is None:
                return None
            urls = self.project.site.directory_urls
            shows, chosen = {}, []
            for page in plan_pages(job.archive, job.index):
                rel = page.file(urls)
                old = self.shows.get(rel)
                if old is not None and page.about is not None and not page.about & job.near:
                    # shows no edited briefing, before or after
                    shows[rel] = old._replace(frame=frame(page))
                else:
                    shows[rel] = shown(page, job.index)
                if rel in job.done:
                    continue
                if old is None or rel in self.pending or touched(shows[rel], old, job.changed):
                    chosen.append((rel, page))
            removed = sorted(set(self.shows) - set(shows))
            self.shows = shows
            self.pending = {rel for rel, _ in chosen}
            written = self._write(job.archive, chosen, removed, self.cancel)
            if not self.pending:
                self._remember()
            return Saved(tuple(written), tuple(removed))

    def _remember(self) -> None:
        """Once a save's pages are all written: the docs' manifest remembers what each page shows now, so the
        next preview's first generation of these docs renders only the pages an edit made since changes
        (``generate.Since``). Its stamp stays empty: the feeds and data files, which saves do not rewrite,
        are rewritten then. Nothing is remembered when a briefing file changed meanwhile."""
        from generator.output.generate import remember

        if self.inputs is None or Inputs.of(self.project).briefings != self.inputs.briefings:
            return
        remember(self.project, self.records, self.marks, self.shows, drafts=True)
        if Inputs.of(self.project).briefings != self.inputs.briefings:  # an edit while it was read
            remember(self.project, None, {}, {}, drafts=True)

    def _write(self, archive: Archive, chosen: list, removed: list[str], cancel=None) -> list[str]:
        """Render the chosen pages and replace the files whose bytes differ; remove the pages no longer planned.
        With ``cancel`` set, stop before the next page; what was not rendered stays in ``pending``."""
        from generator.data.jsonld import add_claim_reviews
        from generator.data.published import Published
        from generator.output.write import outputs_locked
        from generator.pages.render import Renderer

        project, config = self.project, self.project.site
        renderer = Renderer(archive, project.template_dirs, config.directory_urls)
        renderer.env.bytecode_cache = self.templates  # compiled once per preview, not once per save
        published = Published.from_config(config)
        docs, written = config.docs_dir, []
        with outputs_locked(project.root, (docs,)):
            for rel, page in chosen:
                if cancel is not None and cancel.is_set():
                    break
                add_claim_reviews(page, archive, published)
                if _replace(docs / rel, renderer.render(page).encode("utf-8")):
                    written.append(rel)
                self.pending.discard(rel)
            for rel in removed:
                try:
                    (docs / rel).unlink()
                except FileNotFoundError:
                    pass
        return written


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between saves (a template file's change is a full regeneration)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def first_subjects(edited: list[Briefing], changed: Changed) -> set[str]:
    """What a save renders before MkDocs builds, as the pages' ``subject`` names it: the changed briefings'
    pages, and the first page of the edited briefings' stories and tags."""
    from generator.pages.links import story_key

    found = {subject("briefing", bid) for bid in changed.whole}
    for b in edited:
        found.add(subject("story", story_key(b)))
        found |= {subject("tag", t) for t in b.tags}
    return found


def _replace(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` in one rename, unless it holds those bytes already; True when written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(f".{path.name}.new")
    new.write_bytes(data)
    os.replace(new, path)
    return True


def keep_site(project: Project, site_dir: Path, key: str) -> bool:
    """At the end of a preview, its rendered site moved aside into the project (a rename on one file system),
    with the key it was built with, for the next preview to start from; MkDocs' folder is left empty."""
    folder = project.preview_dir
    target = folder / "site"
    try:
        folder.mkdir(exist_ok=True)
        (folder / "key").unlink(missing_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(site_dir), str(target))
        site_dir.mkdir()  # MkDocs removes its temporary folder itself
        (folder / "key").write_text(key + "\n", encoding="utf-8")
    except OSError:
        return False
    return True


def take_kept_site(project: Project, site_dir: Path, key: str) -> bytes | None:
    """At the start of a preview: the site an earlier preview kept, moved into MkDocs' empty folder when it
    was built with the same key (the same settings, overrides, code and versions); its search index, which a
    dirty build would replace by its own pages' only. None when there is none to take; one that does not fit
    is removed."""
    folder = project.preview_dir
    kept = folder / "site"
    try:
        fits = (folder / "key").read_text(encoding="utf-8").strip() == key
    except OSError:
        fits = False
    try:
        if not fits or not kept.is_dir() or any(site_dir.iterdir()):
            shutil.rmtree(kept, ignore_errors=True)
            return None
        (folder / "key").unlink()  # taken: a killed preview leaves nothing that looks kept
        site_dir.rmdir()
        shutil.move(str(kept), str(site_dir))
        return (site_dir / "search" / "search_index.json").read_bytes()
    except OSError:
        return None


class PreviewSession:
    """What a running preview (``briefing serve``, a dirty ``mkdocs serve``) keeps across MkDocs' builds: the
    :class:`Preview`, where MkDocs builds, the search index of the last build of every page, and what the
    build under way is. The plugin's events hand it MkDocs' config and call one method each."""

    def __init__(self, project: Project):
        self.preview = Preview(project)
        self.server: object | None = None
        """MkDocs' live-reload server (``on_serve``), asked for one more build after a follow-up."""
        self.site_dir: Path | None = None
        """Where MkDocs builds (its temporary folder)."""
        self.saving = False
        """Whether the build under way is a save of briefing files only."""
        self.whole = False
        """Whether the build under way renders every page."""
        self.warm: bool | None = None
        """Whether this preview started from the site an earlier one kept (None before its first build)."""
        self.key = ""
        """The key (output/incremental.py) of the last build that succeeded; empty after one that failed or
        showed errors, whose site is not kept."""
        self.search_index: bytes | None = None
        """The search index of the last build that rendered every page (a dirty build writes only its own)."""
        self.unindexed = False
        """Whether Material's search plugin writes :attr:`search_index` itself in the build under way."""

    def configure(self, project: Project, config) -> None:
        """At each build's ``on_config`` (mkdocs.yml is read again at every build)."""
        self.preview.project = project
        self.site_dir = Path(config.site_dir)

    def before_build(self, config) -> None:
        """A save of briefing files rewrites the pages that show them, and MkDocs' dirty build renders only
        those; anything else regenerates in full, and MkDocs renders every page again. Raises what
        ``generate`` raises (the plugin shows it)."""
        preview = self.preview
        now, only_briefings = preview.only_briefings_changed()
        site = Path(config.site_dir)
        warm_start = self.warm is None and self._take_kept(config, site)
        self.whole = not (site / "index.html").exists()
        self.saving = only_briefings
        self.unindexed = False
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
        result = preview.generate_all(now, later=True)
        if result.report.changed:
            log.info(
                f"briefing: {len(result.report.written)} page(s) written, {len(result.report.removed)} removed"
            )
        if warm_start:
            # the kept pages stand; MkDocs' dirty build renders those whose docs are newer
            log.info(
                "briefing: started from the pages the last preview kept; only those whose docs changed are "
                "rendered"
            )
        elif not self.whole:  # templates, registries or settings: every page may look different
            _empty(site)
            self.whole = True
        if result.archive is None:  # docs/ was up to date: read the archive while MkDocs builds
            threading.Thread(target=preview.prime, name="briefing-prime", daemon=True).start()

    def _take_kept(self, config, site: Path) -> bool:
        """The first build of a preview: start from the site the last one kept, when it fits."""
        from generator.output.incremental import site_key

        project = self.preview.project
        index = take_kept_site(project, site, site_key(config, project.root, project.template_dirs))
        self.warm = index is not None
        if index is not None:
            self.search_index = index
        return self.warm

    def failed(self, config) -> None:
        """A build that shows errors: a dirty build renders only what changed, so the banner is put where it
        matters (the edited pages), or every page is rendered again."""
        self.key = ""
        if self.saving:
            self.preview.bannered |= self.preview.touch(self.preview.edited_pages())
        elif not self.whole:
            _empty(Path(config.site_dir))
            self.whole = True

    def kept_index(self) -> bytes | None:
        """The search index this build's site is to have in place of its own: the one kept, for a build that
        does not render every page; None for one that does."""
        return None if self.whole else self.search_index

    def after_build(self, config, errors_shown: bool) -> None:
        """Keep the whole search index of a full build; put it back after a dirty one (which indexes only the
        pages it rendered); remember the key the site was built with; then rewrite, aside, the other pages
        that show the last edit."""
        from generator.output.incremental import site_key

        index = Path(config.site_dir) / "search" / "search_index.json"
        try:
            if self.whole:
                self.search_index = index.read_bytes()
            elif self.search_index is not None and not self.unindexed:
                index.write_bytes(self.search_index)
        except OSError:
            pass
        project = self.preview.project
        self.key = "" if errors_shown else site_key(config, project.root, project.template_dirs)
        if self.preview.job is not None:
            threading.Thread(target=self.follow_up, name="briefing-follow-up", daemon=True).start()

    def follow_up(self) -> None:
        """The rest of a save (:meth:`Preview.follow_up`), then one more build of the server."""
        from generator.serve import request_rebuild

        try:
            saved = self.preview.follow_up()
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

    def shutdown(self) -> None:
        """At the end of the preview: its pages kept for the next one, when its last build succeeded."""
        if self.key and self.site_dir is not None:
            if keep_site(self.preview.project, self.site_dir, self.key):
                log.info("briefing: the preview's pages are kept for the next one to start from")


def _empty(folder: Path) -> None:
    """Remove what ``folder`` holds but hidden entries (MkDocs then renders every page into it), as MkDocs'
    own ``clean_directory`` does."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
