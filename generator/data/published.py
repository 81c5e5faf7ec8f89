"""Where the site is published, from mkdocs.yml: the absolute URLs of the data files, feeds and JSON-LD."""

from __future__ import annotations

from dataclasses import dataclass

from generator.config import SiteConfig
from generator.format.model import Thread
from generator.pages.links import thread_url


@dataclass(frozen=True)
class Published:
    """The published site's name, address and publisher."""

    site_name: str
    base: str
    """``site_url`` ending in '/'; empty when mkdocs.yml sets none, and URLs are then relative to the site root."""
    directory_urls: bool = True
    description: str = ""
    publisher_name: str = ""
    """``extra.publisher.name`` in mkdocs.yml, else the site name."""
    publisher_url: str = ""
    """``extra.publisher.url`` in mkdocs.yml, else ``site_url``."""

    @classmethod
    def from_config(cls, config: SiteConfig) -> Published:
        base = config.site_url.strip()
        if base and not base.endswith("/"):
            base += "/"
        name = config.site_name or "Briefings"
        return cls(
            name,
            base,
            config.directory_urls,
            config.site_description,
            config.publisher_name or name,
            config.publisher_url or base,
        )

    def __call__(self, target: str, anchor: str = "") -> str:
        """The URL of ``target`` (a page folder from ``urls``, or a file), with ``anchor``.

        The signature of ``links.Links``, so templates and fragments can make absolute links with it.
        """
        page = (
            "index.html" if not self.directory_urls and (not target or target.endswith("/")) else ""
        )
        url = self.base + target + page
        return f"{url}#{anchor}" if anchor else url

    def thread(self, t: Thread) -> str:
        """The anchor of a call, claim or open issue on its briefing's page."""
        return self(*thread_url(t))
