"""The site's search index: Pagefind, run over the built HTML before the scan and the swap.

Pagefind splits the index into fragments by word, so a reader's browser fetches only those a query needs: the
cost of a search follows the query, not the archive (Material's own index is one file every reader downloads
whole, 20 MB at 1,000 briefings). A page is indexed when its template marks its content
``data-pagefind-body`` (every page whose front matter does not exclude it from search); each record's heading
is a result of its own, landing on the record. The copy read from the file system (``build --offline``) and
the preview keep Material's index, which works without a server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError
from generator.output.searchfeed import Feed, Unfit, pagefind_environment
from generator.output.searchpages import pages_of
from generator.output.write import link_or_copy
from generator.pages.urls import SEARCH_GROUPS

UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's own interfaces, which the site does not load: its search box is the theme's."""
LEFT_OUT = "[data-search-exclude]:not(.record-line):not(.source-text), .headerlink"
"""What neither search indexes: the parts of a page Material's search leaves out (navigation, links to other
records, the changes), except the line under each record's title, whose kind, claimant, status and verdict
Pagefind finds ("disputed", "unproven") and a result shows, and a source's text, which Material's single index
could not afford and Pagefind, fetched by the words a query needs, can: a phrase from the article finds it.
The pilcrow of each heading's permalink is left out too: it would end every title and excerpt ("Context¶")."""
FOLDER = "pagefind"
"""Where the index goes inside the site; the search script (assets/javascripts/search.js) loads it from there."""
ENGINE_KEY = "briefing_search"
"""Key in ``config.extra`` naming the search the pages carry: "pagefind", or "lunr" (Material's own)."""


def executable() -> Path:
    """Pagefind's binary, from the pagefind-bin wheel (a declared dependency)."""
    try:
        import pagefind_bin  # type: ignore[import-untyped]  # the wheel ships no type information
    except ImportError:
        raise BuildError(
            "Pagefind, which builds the site's search index, is not installed; run make setup "
            "(pip install pagefind-bin)"
        ) from None
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError) as exc:
        raise BuildError(
            f"Pagefind's binary cannot be found: {exc}; run make setup again"
        ) from None


MAIN = "main/"
"""The site's own index inside :data:`FOLDER`: every searchable page no story's index holds."""
STORY = "story/"
"""Each story's index, ``story/<story>/`` inside :data:`FOLDER`."""
BUNDLES = "bundles.json"
"""Which indexes there are (``{"main": "main/", "merge": ["story/x/", …]}``): the search script loads the main
one and merges the others into it (Pagefind's ``mergeIndex``), so a query searches them all as one."""
_STORY_KEY = re.compile(r"[a-z0-9_][a-z0-9_-]*")


@dataclass(frozen=True)
class Previous:
    """The site an incremental build started from: an index whose pages are the same files, none of them
    written again, is linked from it instead of being built again."""

    site: Path
    docs: Path
    written: frozenset[str]
    """The files (site-relative) MkDocs wrote in this build."""
    linked: frozenset[str] = frozenset()
    """The files of the old site the new one takes as they are: read from the old site, so that the index
    need not wait for them to be linked in."""

    def html(self) -> set[str]:
        """The new site's HTML files, Pagefind's own aside."""
        return {
            rel
            for rel in self.written | self.linked
            if rel.endswith(".html") and not rel.startswith(f"{FOLDER}/")
        }

    def source(self, new_site: Path) -> Callable[[str], Path]:
        """Where a page of the new site is read from: the new site for a page written now, else the old."""
        return lambda rel: new_site / rel if rel in self.written else self.site / rel

    def holds(self, folder: str, files: list[str], before: dict[str, list[str]]) -> bool:
        """Whether the old site has the index ``folder`` of these very pages (``before``: its groups), none of
        them written again."""
        return (
            before.get(folder) == files
            and self.written.isdisjoint(files)
            and (self.site / FOLDER / folder / "pagefind-entry.json").is_file()
        )


def index_site(
    site: Path,
    docs: Path | None = None,
    previous: Previous | None = None,
    per_story: bool = False,
    kept: Path | None = None,
    feed: Feed | None = None,
) -> list[str]:
    """Write the search indexes of ``site`` into ``site/pagefind/``, replacing any there: the site's own, of
    every page the docs' :data:`SEARCH_GROUPS` (in ``docs``) do not leave out, and with ``per_story`` one a
    story instead for each story's pages (its briefings, open issues and the sources it cites first).
    Returns the indexes built (the others were linked from ``previous``). ``feed``: the kept pages of the
    site's own index, handed to Pagefind's service since the build began (:func:`early_feed`), which writes
    that index when they are still its pages.

    The old index is removed first, never rewritten: in an incremental build the site's unchanged files are
    hard links into the published site, which a file written in place would change under readers. Pagefind
    runs in an empty folder of its own, so no configuration file (pagefind.yml) beside the site or in it can
    redirect its output, and with the environment's PAGEFIND_ settings removed for the same reason.
    """
    out = site / FOLDER
    if out.is_symlink() or out.is_file():
        out.unlink()
    elif out.exists():
        shutil.rmtree(out)
    ahead = previous if previous is not None and previous.linked else None
    groups = search_groups(site, docs, per_story, ahead.html() if ahead is not None else None)
    before = search_groups(previous.site, previous.docs, per_story) if previous is not None else {}
    source = ahead.source(site) if ahead is not None else None
    built, indexed = [], []
    for folder, files in groups.items():
        if previous is not None and previous.holds(folder, files, before):
            _link_tree(previous.site / FOLDER / folder, out / folder)
            indexed.append(folder)
        elif _pagefind(
            site,
            files,
            out / folder,
            kept / folder if kept is not None else None,
            source,
            feed if folder == MAIN else None,
        ):
            built.append(folder)
            indexed.append(folder)
    if MAIN not in indexed:
        # the search script loads main/ first (the glossary alone is always there)
        raise BuildError("Pagefind wrote no search index (no page is marked data-pagefind-body)")
    (out / BUNDLES).write_text(
        json.dumps({"main": MAIN, "merge": indexed[1:]}, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    return built


def early_feed(kept: Path | None) -> Feed | None:
    """The kept pages of the site's own index (in ``kept``, the folder of :func:`index_site`), handed to
    Pagefind's service from now on (searchfeed.py); None when there are none, or when the site has an index a
    story (each is built apart, when its pages change)."""
    if kept is None:
        return None
    folder = kept / MAIN
    if folder.is_symlink() or not folder.is_dir() or (kept / STORY).exists():
        return None
    try:
        return Feed(folder, executable(), LEFT_OUT)
    except (OSError, BuildError, Unfit):
        return None


def search_groups(
    site: Path, docs: Path | None, per_story: bool, html: set[str] | None = None
) -> dict[str, list[str]]:
    """{index folder: the HTML files (site-relative, sorted) it indexes}: the site's own first, then, with
    ``per_story``, each story's; the pages the docs say are not searched are in none. ``html``: the site's
    HTML files, when they are known without looking."""
    said: dict = {}
    if docs is not None:
        try:
            said = json.loads((docs / SEARCH_GROUPS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            said = {}
    stories = said.get("stories") if isinstance(said, dict) else None
    left_out = said.get("left_out") if isinstance(said, dict) else None
    html = set(_html_files(site)) if html is None else html
    skipped = {f"{url}index.html" for url in left_out or () if isinstance(url, str)}
    groups: dict[str, list[str]] = {}
    for story, urls in (stories or {}).items() if per_story else ():
        if isinstance(story, str) and _STORY_KEY.fullmatch(story) and isinstance(urls, list):
            files = sorted(f"{u}index.html" for u in urls if f"{u}index.html" in html)
            if files:
                groups[f"{STORY}{story}/"] = files
    taken = skipped.union(*groups.values())
    main = sorted(html - taken)
    return {MAIN: main, **groups} if main else groups


def _html_files(site: Path) -> list[str]:
    """Every HTML file of ``site`` but Pagefind's own folder, site-relative."""
    found = []
    for dirpath, dirnames, filenames in os.walk(site):
        rel = Path(dirpath).relative_to(site).as_posix()
        if rel == ".":
            dirnames[:] = [d for d in dirnames if d != FOLDER]
            rel = ""
        else:
            rel += "/"
        found += [rel + n for n in filenames if n.endswith(".html")]
    return found


def _link_tree(old: Path, new: Path) -> None:
    """``new`` made of hard links to the files of ``old`` (a copy where the file system has none)."""
    for dirpath, _, filenames in os.walk(old):
        dest = new / Path(dirpath).relative_to(old)
        dest.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            link_or_copy(Path(dirpath) / name, dest / name)


def _pagefind(
    site: Path,
    files: list[str],
    out: Path,
    kept: Path | None,
    source: Callable[[str], Path] | None = None,
    feed: Feed | None = None,
) -> bool:
    """Pagefind's index of ``files`` of ``site`` in ``out``, read from the pages cut to what it indexes
    (searchpages.py), in ``kept`` when given (the folder kept for the next build), else in a temporary one:
    written by ``feed`` when it holds that folder's pages, else by Pagefind's command line. False, and no
    folder, when none of them is marked ``data-pagefind-body``."""
    if feed is not None:
        feed.fed()  # every kept page handed over before the folder changes
    with pages_of(site, files, kept, source) as pages:
        if feed is None or pages != feed.folder or not feed.finish(out):
            shutil.rmtree(out, ignore_errors=True)
            _run(pages, out)
    if not (out / "pagefind.js").is_file():
        shutil.rmtree(out, ignore_errors=True)
        return False
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
    return True


def _run(pages: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="briefing-pagefind-") as cwd:
        try:
            run = subprocess.run(
                [
                    str(executable()),
                    "--site",
                    str(pages.resolve()),
                    "--output-path",
                    str(out.resolve()),
                    "--exclude-selectors",
                    LEFT_OUT,
                    "--silent",
                ],
                cwd=cwd,
                env=pagefind_environment(),
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise BuildError(f"Pagefind could not run: {exc}") from None
    if run.returncode != 0:
        said = (run.stderr or run.stdout).strip().splitlines()
        raise BuildError(
            "Pagefind could not build the search index"
            + (": " + " / ".join(said[-5:]) if said else f" (exit status {run.returncode})")
        )
