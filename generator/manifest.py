"""What the docs were last generated from, so that an unchanged project regenerates in milliseconds.

The manifest holds a fingerprint of every input (content, seeds, templates,
mkdocs.yml and the generator's own code) and the name and size of every file
written. When both still hold, generation is skipped: the docs are exactly what
a full run would write, and a full run checked the same inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .project import Project
from .write import MANIFEST, existing_files

_PACKAGE = Path(__file__).resolve().parent


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        found += [Path(dirpath) / n for n in sorted(filenames)]
    return found


def fingerprint(project: Project, directory_urls: bool) -> str:
    digest = hashlib.sha256(f"directory_urls={directory_urls}\n".encode())
    roots = [project.content, project.seeds, project.templates, _PACKAGE]
    for root in roots:
        for path in _files(root):
            if path.suffix == ".pyc":
                continue
            data = path.read_bytes()
            digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    digest.update((project.root / "mkdocs.yml").read_bytes())
    return digest.hexdigest()


def read_manifest(docs: Path) -> dict | None:
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def outputs_intact(docs: Path, manifest: dict) -> bool:
    """Every written file is still there with its size, and nothing else is."""
    expected = manifest.get("outputs") or {}
    found = existing_files(docs)
    found.pop(MANIFEST, None)
    if set(found) != set(expected):
        return False
    return all(found[rel].stat().st_size == size for rel, size in expected.items())


def write_manifest(docs: Path, inputs: str, pages: int, epoch: int) -> None:
    outputs = {rel: p.stat().st_size for rel, p in existing_files(docs).items() if rel != MANIFEST}
    data = {"inputs": inputs, "pages": pages, "epoch": epoch, "outputs": dict(sorted(outputs.items()))}
    try:
        (docs / MANIFEST).write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    except OSError:
        pass  # only a cache: the next run regenerates in full
