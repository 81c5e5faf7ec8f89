"""The few settings of mkdocs.yml the generator needs, read without running MkDocs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import UsageError
from .project import InputRefused, unlinked


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !!python/name:...; they are irrelevant here."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteConfig:
    docs_dir: Path
    site_dir: Path
    directory_urls: bool
    site_url: str
    repo_url: str
    edit_uri: str
    site_name: str = ""
    site_description: str = ""
    publisher_name: str = ""
    """``extra: publisher: name:`` in mkdocs.yml: who publishes the briefings (feeds, ClaimReview); else site_name."""
    publisher_url: str = ""
    """``extra: publisher: url:``; else site_url."""


INPUT_FOLDERS = ("content", "seeds", "site_templates", "generator", ".git")
"""Folders of the project that a generated folder may never be, hold or lie in: generated folders are replaced whole."""


def apart_from_inputs(root: Path, what: str, folder: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse a generated folder (replaced whole on every build) that is, holds or lies in an input of the project,
    or that is reached through a link (a committed ``site -> content`` would replace content/)."""
    if folder.is_relative_to(root) and folder != root:
        try:
            unlinked(root, folder, "folder")
        except InputRefused as exc:
            raise UsageError(f"{what} {exc}") from None
    for source in (*(root / name for name in INPUT_FOLDERS), *inputs):
        shown = Path(os.path.relpath(source, root)).as_posix()
        relation = ("is an input folder" if folder == source else f"lies inside {shown}/"
                    if folder.is_relative_to(source) else f"holds {shown}/" if source.is_relative_to(folder) else None)
        if relation:
            raise UsageError(f"{what} '{Path(os.path.relpath(folder, root)).as_posix()}' {relation}; a build replaces "
                             "it whole, so it must lie apart from content/, seeds/, site_templates/, generator/ and .git/")


def read_site_config(root: Path) -> SiteConfig:
    path = root / "mkdocs.yml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path.name} must be a mapping")
    root = root.resolve()
    docs = Path(os.path.abspath(root / str(data.get("docs_dir", "docs"))))
    site = Path(os.path.abspath(root / str(data.get("site_dir", "site"))))
    for name, folder in (("docs_dir", docs), ("site_dir", site)):
        if folder == root or not folder.is_relative_to(root):
            raise UsageError(f"{path.name}: {name} must be a folder inside the project, not {folder}")
        apart_from_inputs(root, f"{path.name}: {name}", folder)
    if docs == site or docs.is_relative_to(site) or site.is_relative_to(docs):
        raise UsageError(f"{path.name}: docs_dir '{docs.relative_to(root).as_posix()}' and site_dir "
                         f"'{site.relative_to(root).as_posix()}' overlap; each is replaced whole, so they must be "
                         "two separate folders")
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    publisher = extra.get("publisher") or {}
    if not isinstance(publisher, dict) or not set(publisher) <= {"name", "url"} \
            or not all(isinstance(v, str) for v in publisher.values()):
        raise UsageError(f"{path.name}: extra.publisher must be a mapping of a name and a url")
    if publisher.get("url") and not publisher["url"].startswith(("https://", "http://")):
        raise UsageError(f"{path.name}: extra.publisher.url must be an http(s) URL, not {publisher['url']!r}")
    return SiteConfig(
        docs_dir=docs,
        site_dir=site,
        directory_urls=bool(data.get("use_directory_urls", True)),
        site_url=str(data.get("site_url") or ""),
        repo_url=str(data.get("repo_url") or ""),
        edit_uri=str(data.get("edit_uri") or ""),
        site_name=str(data.get("site_name") or ""),
        site_description=str(data.get("site_description") or ""),
        publisher_name=publisher.get("name", ""),
        publisher_url=publisher.get("url", ""),
    )
