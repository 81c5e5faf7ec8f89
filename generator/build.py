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
from pathlib import Path

from .config import read_site_config
from .errors import BuildError, UsageError
from .generate import Generated, generate, newest_epoch, render_docs
from .project import Project
from .scan import ThemeMarkup, scan_site
from .write import MANIFEST, _link_or_copy, swap_in, write_tree

PREGENERATED = "BRIEFING_PREGENERATED"
"""Set while ``briefing build`` runs MkDocs, so the hook does not generate a second time."""

OFFLINE_SITE_DIR = "site-offline"
"""Where ``briefing build --offline`` puts the file:// copy of the site, beside site/."""


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
    return generated.epoch if generated.archive is None else newest_epoch(generated.archive)


def build_site(project: Project, site_dir: Path | None = None) -> Built:
    """Generate into a copy of docs/ aside, build the site from it, and only then swap both in.

    A failure at any step (content, writing, MkDocs, the scan, a full disk) leaves
    docs/ and site/ as they were; the site is swapped in first, so the docs never
    run ahead of the site they were built into.
    """
    config = read_site_config(project.root)
    docs = config.docs_dir
    try:
        staged = Path(tempfile.mkdtemp(prefix=f".{docs.name}.new-", dir=docs.parent))
    except OSError as exc:
        raise BuildError(_unwritable(docs, exc)) from None
    try:
        if docs.is_dir():  # the current docs, hard-linked: generation rewrites only what changed
            shutil.copytree(docs, staged / docs.name, copy_function=lambda a, b: _link_or_copy(Path(a), Path(b)))
        generated = generate(project, docs_dir=staged / docs.name)
        built = _build_aside(project, generated, (site_dir or config.site_dir).resolve(), docs_dir=str(staged / docs.name))
        if generated.report.changed:
            swap_in(staged / docs.name, docs)
        else:
            _keep_manifest(staged / docs.name, docs)
    except OSError as exc:
        raise BuildError(_unwritable(docs, exc)) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return built


def _keep_manifest(staged: Path, docs: Path) -> None:
    """Nothing to swap in, but the manifest may be newer (the generator changed): it is only a cache."""
    new, old = staged / MANIFEST, docs / MANIFEST
    try:
        if new.is_file() and docs.is_dir() and (not old.is_file() or old.read_bytes() != new.read_bytes()):
            shutil.copyfile(new, old)
    except OSError:
        pass


def build_offline(project: Project, site_dir: Path | None = None) -> Built:
    """The site for reading from the file system (``file://``, no server, no network).

    Material's offline plugin turns the search index into a script; links end in
    ``index.html``; the worker shim comes from the theme overrides, not a CDN. The
    docs are rendered into a temporary folder, so docs/ and site/ stay as they are.
    """
    config = read_site_config(project.root)
    target = (site_dir or project.root / OFFLINE_SITE_DIR).resolve()
    _check_replaceable(project, target)
    archive, files = render_docs(project, config, directory_urls=False)
    with tempfile.TemporaryDirectory(prefix="briefing-offline-docs-") as tmp:
        docs = Path(tmp) / "docs"
        generated = Generated(archive, write_tree(docs, files), len(files))
        # No repo_url: the header would fetch the repository's facts from its host, and an
        # offline copy has nothing to edit.
        return _build_aside(project, generated, target, docs_dir=str(docs), use_directory_urls=False,
                            repo_url="", edit_uri="", plugins=_with_offline_plugin(project.root / "mkdocs.yml"))


def _with_offline_plugin(config_file: Path) -> list:
    """The plugins of mkdocs.yml, with Material's offline plugin enabled."""
    from mkdocs.utils import yaml_load

    with open(config_file, encoding="utf-8") as f:
        plugins = (yaml_load(f) or {}).get("plugins", ["search"])
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    kept = [p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) not in ("offline", "material/offline")]
    return [*kept, {"offline": {"enabled": True}}]


def _check_replaceable(project: Project, target: Path) -> None:
    """The folder is swapped out whole: it must be new, empty, or an earlier build."""
    if target == project.root or target in project.root.parents:
        raise UsageError(f"the site folder cannot be the project or hold it: {target}")
    if target.exists() and not target.is_dir():
        raise UsageError(f"the site folder is a file: {target}")
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        raise UsageError(f"refusing to replace {target}: it is not empty and holds no built site (no index.html)")


def _build_aside(project: Project, generated: Generated, target: Path, **overrides) -> Built:
    """``mkdocs build --strict`` into a folder beside ``target``, then swapped in; nothing left behind on failure."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    except OSError as exc:
        raise BuildError(_unwritable(target, exc)) from None
    counter = _Counter()
    log = logging.getLogger("mkdocs")
    log.addHandler(counter)
    try:
        with _environment(content_epoch(generated)):
            cfg = load_config(config_file=str(project.root / "mkdocs.yml"), site_dir=str(staging), strict=True, **overrides)
            mkdocs_build(cfg)
        if counter.messages:
            raise BuildError("MkDocs reported warnings (strict mode):\n  " + "\n  ".join(counter.messages))
        _scan(cfg, staging, target)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "\n  ".join(counter.messages) or str(exc)
        raise BuildError(f"MkDocs build failed; the previous site is unchanged:\n  {detail}") from None
    except OSError as exc:  # disk full, folder not writable: MkDocs lets these through
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(_unwritable(target, exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        log.removeHandler(counter)
    swap_in(staging, target)
    return Built(generated, target, tuple(counter.messages))


def _unwritable(target: Path, exc: OSError) -> str:
    return f"could not write {target.name}/: {exc.strerror or exc}; the previous {target.name}/ is unchanged"


SCAN_SHOWN = 50
"""How many scan findings a failed build lists."""


def _scan(cfg, staging: Path, target: Path) -> None:
    """Fail when the built HTML holds a script, handler, frame or link that no template put there."""
    scripts = [str(getattr(s, "path", s)) for s in cfg.extra_javascript]
    scripts += [s for s in (cfg.extra.get("polyfills") or []) if isinstance(s, str)]
    findings = scan_site(staging, ThemeMarkup.from_templates(cfg.theme.dirs, scripts, cfg.site_url or ""))
    if findings:
        shown = [f.format(target.name) for f in findings[:SCAN_SHOWN]]
        if len(findings) > SCAN_SHOWN:
            shown.append(f"… and {len(findings) - SCAN_SHOWN} more")
        raise BuildError(f"the built site holds markup that no template put there; the previous {target.name}/ "
                         "is unchanged:\n  " + "\n  ".join(shown))
