"""Where things are: the project root (the folder holding mkdocs.yml) and its folders.

Everything the generator reads as content (the content folder, hand-written
pages, ``seeds/`` and each source text) is read through :meth:`Project.read`:
inside the project, never through a symbolic link, only regular files, and
never more than a given number of bytes. Git stores links, so a pull request
could otherwise point a page at ``/proc/self/environ`` and publish the build
machine's secrets.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import UsageError

if TYPE_CHECKING:
    from generator.config import SiteConfig


def _packaged_templates() -> Path:
    try:
        return Path(str(files("generator.site_templates"))).resolve()
    except ModuleNotFoundError:
        # a checkout run without installing: the folder the package is built from
        return Path(__file__).resolve().parent.parent / "site_templates"


PACKAGED_TEMPLATES = _packaged_templates()
"""The default templates inside the package (built from site_templates/): ``pages/`` and ``overrides/``."""


class InputRefused(Exception):
    """An input the generator will not read: a link, a device, a file over its size limit, or outside the project."""

    def __init__(self, culprit: str, reason: str, kind: str = "file", itself: bool = True):
        super().__init__(f"'{culprit}' {reason}")
        self.culprit = culprit
        """The path at fault, relative to the project root: the file, or a folder on the way to it."""
        self.reason = reason
        """What is wrong, starting with a verb: ``is a symbolic link; …``."""
        self.kind = kind
        """``file`` or ``folder``: what the culprit is."""
        self.itself = itself
        """True when the culprit is the path that was asked for, not a folder on the way to it."""

    def message(self) -> str:
        """As a problem of the file itself (``file is …``), or naming the folder on the way that is at fault."""
        return f"{self.kind} {self.reason}" if self.itself else str(self)


def _link_reason(kind: str) -> str:
    return f"is a symbolic link; links are not followed: put the {kind} itself there"


NOT_REGULAR = "is not a regular file; only plain files are read"


@dataclass(frozen=True)
class Project:
    root: Path
    """Folder holding mkdocs.yml (resolved: no link in it)."""
    content: Path
    """Folder of YAML content (``content/`` unless --content or the plugin's ``content_dir`` says otherwise);
    inside ``root``, no link on the way."""
    templates: Path
    """The project's own templates (``site_templates/`` unless the plugin's ``templates_dir`` says otherwise):
    a file in its ``pages/`` or ``overrides/`` replaces the packaged file of that name. It need not exist."""
    site: SiteConfig
    """The settings of mkdocs.yml the generator needs, as MkDocs loaded them."""

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def preview_dir(self) -> Path:
        """What a preview keeps for the next one (``site/`` and its ``key``, preview.py) and the docs
        ``briefing serve`` generates (``docs/``, serve.py), apart from the build's."""
        return self.root / ".briefing-preview"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: the project's own folder, then the packaged one."""
        own = (
            (self.templates,)
            if self.templates.is_dir() and self.templates != PACKAGED_TEMPLATES
            else ()
        )
        return (*own, PACKAGED_TEMPLATES)

    def rel(self, path: Path) -> str:
        """Path as shown in messages: relative to the project root, forward slashes.

        Worked out from the path as written, without following links, so that a
        link is named by its own place and never by what it points at.
        """
        return Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()

    def unlinked(self, path: Path, kind: str = "file") -> None:
        """Refuse ``path`` when it lies outside the project or it, or a folder on the way to it, is a link."""
        unlinked(self.root, path, kind)

    def made_folder(self, path: Path) -> bool:
        """Whether ``path``, a folder of the project a command writes into (its cache), is there (made when
        missing) and reached through no link: one a pull request could put there would lead outside."""
        try:
            self.unlinked(path, "folder")
            path.mkdir(parents=True, exist_ok=True)
            self.unlinked(path, "folder")
        except (InputRefused, OSError):
            return False
        return True

    def read(self, path: Path, limit: int) -> bytes:
        """The bytes of the regular file ``path`` inside the project, refused when it holds more than ``limit``.

        Raises :class:`InputRefused` for a link, a device, a pipe or a file over
        the limit, ``FileNotFoundError`` when it is missing and ``OSError`` when
        it cannot be read. At most ``limit + 1`` bytes are ever read, whatever
        the file system says of its size (a device reports 0).
        """
        self.unlinked(path)
        rel = self.rel(path)
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a pipe would block the open below
            raise InputRefused(rel, NOT_REGULAR)
        fd = os.open(
            path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        )
        with open(fd, "rb") as f:
            size = os.fstat(fd).st_size
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the look above
                raise InputRefused(rel, NOT_REGULAR)
            data = f.read(limit + 1)
        if len(data) > limit:
            shown = f"{size}" if size > limit else f"more than {limit}"
            raise InputRefused(rel, f"is {shown} bytes; the limit is {limit} bytes")
        return data


def unlinked(root: Path, path: Path, kind: str = "file") -> None:
    """Refuse ``path`` when it lies outside ``root`` or it, or a folder on the way to it from ``root``, is a link.

    A missing part ends the walk quietly: reading the path then reports it missing.
    """
    path = Path(os.path.abspath(path))
    rel = Path(os.path.relpath(path, root)).as_posix()
    if not path.is_relative_to(root) or path == root:
        raise InputRefused(rel, "lies outside the project", kind)
    here = root
    parts = path.relative_to(root).parts
    for i, part in enumerate(parts):
        here = here / part
        last = i == len(parts) - 1
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISLNK(mode):
            what = kind if last else "folder"
            raise InputRefused(here.relative_to(root).as_posix(), _link_reason(what), what, last)


def find_project(start: Path | None = None, content: str | None = None) -> Project:
    """Find the project from ``start`` (default: the current folder) upwards, like mkdocs does, and read its
    mkdocs.yml as MkDocs reads it."""
    from generator.config import (  # config reads paths through this module
        load_mkdocs_config,
        project_of,
    )

    return project_of(load_mkdocs_config(find_config_file(start)), content)


def find_config_file(start: Path | None = None) -> Path:
    """The mkdocs.yml in ``start`` (default: the current folder) or the nearest folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    raise UsageError(
        f"no mkdocs.yml in {here} or any folder above it; run this inside a briefing project"
    )
