"""check → generate → ``mkdocs build --strict`` into a folder aside → swap into site/.

MkDocs runs in this process (the same code path as ``mkdocs build``), so its
warnings are counted here and a strict failure cannot be masked by CLI flags.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .config import read_site_config
from .errors import BuildError
from .generate import Generated, generate
from .project import Project
from .write import swap_in

PREGENERATED = "BRIEFING_PREGENERATED"
"""Set while ``briefing build`` runs MkDocs, so the hook does not generate a second time."""


@dataclass(frozen=True)
class Built:
    generated: Generated
    site_dir: Path
    warnings: tuple[str, ...]


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextmanager
def _environment(archive_epoch: int) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (PREGENERATED, "SOURCE_DATE_EPOCH")}
    os.environ[PREGENERATED] = "1"
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(archive_epoch))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def content_epoch(generated: Generated) -> int:
    """Seconds at midnight UTC of the newest briefing: the build date when none is given."""
    if not generated.archive.briefings:
        return 0
    newest = max(b.date.start for b in generated.archive.briefings)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())


def build_site(project: Project, site_dir: Path | None = None) -> Built:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config = read_site_config(project.root)
    generated = generate(project)
    target = (site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    counter = _Counter()
    log = logging.getLogger("mkdocs")
    log.addHandler(counter)
    try:
        with _environment(content_epoch(generated)):
            cfg = load_config(config_file=str(project.root / "mkdocs.yml"), site_dir=str(staging), strict=True)
            mkdocs_build(cfg)
        if counter.messages:
            raise BuildError("MkDocs reported warnings (strict mode):\n  " + "\n  ".join(counter.messages))
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "\n  ".join(counter.messages) or str(exc)
        raise BuildError(f"MkDocs build failed; the previous site is unchanged:\n  {detail}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        log.removeHandler(counter)
    swap_in(staging, target)
    return Built(generated, target, tuple(counter.messages))
