"""The few settings of mkdocs.yml the generator needs, read without running MkDocs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import UsageError


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


def read_site_config(root: Path) -> SiteConfig:
    path = root / "mkdocs.yml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path.name} must be a mapping")
    docs = (root / str(data.get("docs_dir", "docs"))).resolve()
    site = (root / str(data.get("site_dir", "site"))).resolve()
    for name, folder in (("docs_dir", docs), ("site_dir", site)):
        if folder == root.resolve() or not folder.is_relative_to(root.resolve()):
            raise UsageError(f"{path.name}: {name} must be a folder inside the project, not {folder}")
    if docs.name == "content" or docs == (root / "content").resolve():
        raise UsageError(f"{path.name}: docs_dir is generated and emptied; it cannot be the content folder")
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
