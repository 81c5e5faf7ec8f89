"""Where things are: the project root (the folder holding mkdocs.yml) and its folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError


@dataclass(frozen=True)
class Project:
    root: Path
    """Folder holding mkdocs.yml."""
    content: Path
    """Folder of YAML content (``content/`` unless --content says otherwise)."""

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def templates(self) -> Path:
        return self.root / "site_templates"

    def rel(self, path: Path) -> str:
        """Path as shown in messages: relative to the project root, forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(os.path.relpath(path.resolve(), self.root.resolve())).as_posix()


def find_project(start: Path | None = None, content: str | None = None) -> Project:
    """Find the project from ``start`` (default: the current folder) upwards, like mkdocs does."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            root = folder
            break
    else:
        raise UsageError(f"no mkdocs.yml in {here} or any folder above it; run this inside a briefing project")
    content_dir = Path(content).resolve() if content else root / "content"
    if not content_dir.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    return Project(root, content_dir)
