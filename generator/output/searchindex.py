"""The site's search index: Pagefind, run over the built HTML before the scan and the swap.

Pagefind splits the index into fragments by word, so a reader's browser fetches only those a query needs: the
cost of a search follows the query, not the archive (Material's own index is one file every reader downloads
whole, 20 MB at 1,000 briefings). A page is indexed when its template marks its content
``data-pagefind-body`` (every page whose front matter does not exclude it from search); each record's heading
is a result of its own, landing on the record. The copy read from the file system (``build --offline``) and
the preview keep Material's index, which works without a server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import BuildError

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


def index_site(site: Path) -> None:
    """Write the search index of every page of ``site`` into ``site/pagefind/``, replacing any there.

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
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="briefing-pagefind-") as cwd:
        try:
            run = subprocess.run(
                [
                    str(executable()),
                    "--site",
                    str(site.resolve()),
                    "--output-subdir",
                    FOLDER,
                    "--exclude-selectors",
                    LEFT_OUT,
                    "--silent",
                ],
                cwd=cwd,
                env=env,
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
    if not (out / "pagefind.js").is_file():
        raise BuildError("Pagefind wrote no search index (no page is marked data-pagefind-body)")
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
