"""The MkDocs settings the generator needs, from MkDocs' own loaded configuration.

MkDocs reads ``mkdocs.yml`` (``INHERIT:``, ``!ENV``, ``-f``, its defaults and
every plugin's options); the plugin hands its config to :func:`site_config`, and
the ``briefing`` commands load the file the same way (:func:`load_mkdocs_config`).
Only the rules MkDocs does not know are added here: the generated folders lie
inside the project, apart from its inputs and from each other.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from generator.errors import UsageError
from generator.project import InputRefused, Project, unlinked

Extensions = tuple[tuple[str, ...], tuple[tuple[str, Mapping[str, Any]], ...]]
"""Markdown extensions as MkDocs passes them: their names, and the settings of some by name."""
NEEDED_EXTENSIONS = ("attr_list",)
"""Markdown extensions the generated pages use (headings with ids in the glossary): the plugin adds them to
every site's, and the page check renders with them."""
DEFAULT_MARKDOWN: Extensions = (("toc", "tables", "fenced_code", *NEEDED_EXTENSIONS), ())
"""MkDocs' own three extensions, and what the plugin adds: what pages render with when mkdocs.yml names none."""


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
    plugin: bool = False
    """Whether mkdocs.yml lists the ``briefings`` plugin (``briefing build`` builds with it)."""
    markdown: Extensions = DEFAULT_MARKDOWN
    """The Markdown extensions MkDocs renders pages with (``attr_list`` added, as the plugin adds it), and the
    settings of some by name: the page check renders hand-written pages with the same."""


MODELLED_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "fenced_code",
        "footnotes",
        "legacy_em",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
        "pymdownx.betterem",
        "pymdownx.caret",
        "pymdownx.details",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.keys",
        "pymdownx.mark",
        "pymdownx.smartsymbols",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tilde",
    }
)
"""Markdown extensions a site may enable: each only shapes the text of a page, which the page check renders with
them. Others bring in what the check never read (``pymdownx.snippets`` includes files, ``md_in_html`` renders
Markdown inside raw HTML, ``pymdownx.emoji`` loads images from another host) and are refused."""

PLUGIN = "briefings"
"""The plugin's name under ``plugins:`` in mkdocs.yml (its ``mkdocs.plugins`` entry point)."""

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
        relation = (
            "is an input folder"
            if folder == source
            else f"lies inside {shown}/"
            if folder.is_relative_to(source)
            else f"holds {shown}/"
            if source.is_relative_to(folder)
            else None
        )
        if relation:
            raise UsageError(
                f"{what} '{Path(os.path.relpath(folder, root)).as_posix()}' {relation}; a build replaces "
                "it whole, so it must lie apart from content/, seeds/, site_templates/, generator/ and .git/"
            )


@functools.cache
def _config_class():
    """MkDocs' own configuration, except that docs_dir need not exist yet (generation makes it) and that the two
    folders are checked by :func:`site_config`, whose messages name the rule broken."""
    from mkdocs.config import config_options as c
    from mkdocs.config.defaults import MkDocsConfig

    class GeneratorConfig(MkDocsConfig):
        docs_dir = c.Dir(default="docs")
        site_dir = c.Dir(default="site")

    return GeneratorConfig


def load_mkdocs_config(config_file: Path):
    """``config_file`` loaded and validated as ``mkdocs build`` loads it (plugins included), for the ``briefing``
    commands; a setting MkDocs refuses is a usage error."""
    from mkdocs.exceptions import MkDocsException

    config = _config_class()(config_file_path=str(config_file))
    try:
        with open(config_file, "rb") as f:
            config.load_file(f)
    except OSError as exc:
        raise UsageError(f"cannot read {config_file.name}: {exc.strerror or exc}") from None
    except MkDocsException as exc:
        raise UsageError(f"cannot read {config_file.name}: {exc}") from None
    errors, _ = config.validate()  # warnings are MkDocs' to report when it builds
    if errors:
        raise UsageError(
            "\n  ".join(f"{config_file.name}: {key}: {error}" for key, error in errors)
        )
    return config


def read_site_config(root: Path) -> SiteConfig:
    """The settings of ``root``'s mkdocs.yml, loaded as MkDocs loads it."""
    return site_config(load_mkdocs_config(root.resolve() / "mkdocs.yml"))


def _folder(root: Path, config_dir: str, value: str) -> Path:
    """A folder MkDocs made absolute from the config file's folder, as a path below the resolved ``root``."""
    return Path(os.path.abspath(root / os.path.relpath(value, config_dir)))


OUTPUTS = ("docs_dir", "site_dir")


def site_config(config, outputs: tuple[str, ...] = OUTPUTS) -> SiteConfig:
    """What the generator needs of a loaded MkDocs config, once its own rules hold for the folders in ``outputs``.

    The ``briefing`` commands check both folders as mkdocs.yml sets them. Within
    MkDocs the plugin checks docs_dir, which it generates, and only when it does:
    site_dir is MkDocs' (``-d``, a temporary folder while serving, a folder aside
    for ``briefing build``), and where ``mkdocs build`` replaces it, SiteAside checks it.
    """
    path = Path(config.config_file_path)
    name, config_dir, root = path.name, str(path.parent), path.parent.resolve()
    docs = _folder(root, config_dir, config.docs_dir)
    site = _folder(root, config_dir, config.site_dir)
    _outputs_apart(
        name,
        root,
        {key: folder for key, folder in (("docs_dir", docs), ("site_dir", site)) if key in outputs},
    )
    extra = config.extra if isinstance(config.extra, Mapping) else {}
    publisher = extra.get("publisher") or {}
    if (
        not isinstance(publisher, Mapping)
        or not set(publisher) <= {"name", "url"}
        or not all(isinstance(v, str) for v in publisher.values())
    ):
        raise UsageError(f"{name}: extra.publisher must be a mapping of a name and a url")
    if publisher.get("url") and not publisher["url"].startswith(("https://", "http://")):
        raise UsageError(
            f"{name}: extra.publisher.url must be an http(s) URL, not {publisher['url']!r}"
        )
    return SiteConfig(
        markdown=_markdown_extensions(name, config),
        docs_dir=docs,
        site_dir=site,
        directory_urls=bool(config.use_directory_urls),
        site_url=str(config.site_url or ""),
        repo_url=str(config.repo_url or ""),
        edit_uri=str(config.edit_uri or ""),
        site_name=str(config.site_name or ""),
        site_description=str(config.site_description or ""),
        publisher_name=publisher.get("name", ""),
        publisher_url=publisher.get("url", ""),
        plugin=PLUGIN in config.plugins,
    )


def _markdown_extensions(name: str, config) -> Extensions:
    """The extensions of a loaded config, each one the page check models (or a usage error naming it)."""
    names = [str(e) for e in (config.markdown_extensions or [])]
    for extension in names:
        if extension.removeprefix("markdown.extensions.") not in MODELLED_EXTENSIONS:
            raise UsageError(
                f"{name}: markdown_extensions: '{extension}' is not one the page check knows: it could put into "
                "a page what the check never read (snippets include files, md_in_html renders raw HTML); "
                "remove it. Known: " + ", ".join(sorted(MODELLED_EXTENSIONS))
            )
    names += [e for e in NEEDED_EXTENSIONS if e not in names]
    configs = config.mdx_configs if isinstance(config.mdx_configs, Mapping) else {}
    settings: list[tuple[str, Mapping[str, Any]]] = [
        (str(k), v) for k, v in configs.items() if k in names and isinstance(v, Mapping)
    ]
    return tuple(names), tuple(settings)


def _outputs_apart(name: str, root: Path, folders: dict[str, Path]) -> None:
    """docs_dir and site_dir, each replaced whole by a build, lie inside the project, apart from its inputs and
    from each other."""
    for key, folder in folders.items():
        if folder == root or not folder.is_relative_to(root):
            raise UsageError(f"{name}: {key} must be a folder inside the project, not {folder}")
        apart_from_inputs(root, f"{name}: {key}", folder)
    if len(folders) < 2:
        return
    docs, site = folders["docs_dir"], folders["site_dir"]
    if docs == site or docs.is_relative_to(site) or site.is_relative_to(docs):
        raise UsageError(
            f"{name}: docs_dir '{docs.relative_to(root).as_posix()}' and site_dir "
            f"'{site.relative_to(root).as_posix()}' overlap; each is replaced whole, so they must be "
            "two separate folders"
        )


def project_of(config, content: str | None = None, outputs: tuple[str, ...] = OUTPUTS) -> Project:
    """The project a loaded MkDocs config describes: its folder, content folder (``--content``, else the plugin's
    ``content_dir``, else content/), template folder and settings (see :func:`site_config` for ``outputs``)."""
    path = Path(config.config_file_path)
    config_dir, root = str(path.parent), path.parent.resolve()
    plugin = config.plugins.get(PLUGIN)
    options = plugin.config if plugin is not None else {}
    own = {
        key: _folder(root, config_dir, options[key]) if options.get(key) else root / default
        for key, default in (("content_dir", "content"), ("templates_dir", "site_templates"))
    }
    content_dir = Path(os.path.abspath(content)) if content else own["content_dir"]
    project = Project(root, content_dir, own["templates_dir"], site_config(config, outputs))
    try:
        project.unlinked(content_dir, "folder")
    except InputRefused as exc:
        raise UsageError(f"the content folder {exc}") from None
    if not content_dir.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    return project


def edit_url(repo_url: str, edit_uri: str | None, edit_uri_template: str | None, path: str) -> str:
    """The edit link of the project file ``path`` (a briefing's YAML, not the generated Markdown), made as
    MkDocs makes a page's: ``edit_uri_template`` with ``{path}`` and ``{path_noext}``, else ``edit_uri``
    (``edit/main/`` when mkdocs.yml gives none) followed by the path; either may start with ``?`` or ``#``
    (a query or fragment of ``repo_url``), else it is a path below ``repo_url``."""
    if edit_uri_template:
        rel = edit_uri_template.format(path=path, path_noext=posixpath.splitext(path)[0])
    else:
        base = edit_uri or "edit/main/"
        rel = base + ("" if base.endswith(("/", "=", "#", "?")) else "/") + path
    if not rel.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    return urljoin(repo_url, rel)
