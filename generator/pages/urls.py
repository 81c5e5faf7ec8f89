"""Where every page and data file of the site lives: each URL, from the site root, made here and nowhere else.

The families of pages (``site.py``), the fragments and templates (as ``u``), the feeds and data files, the
JSON-LD and the preview all ask this module; a section moved is one line here. A folder URL ends in ``/``
('' is the home page); ``docs_file`` says which Markdown file of the docs folder gives it.
"""

from __future__ import annotations

HOME = ""
STORIES = "stories/"
BRIEFINGS = "briefings/"
ISSUES = "issues/"
CLAIMS = "claims/"
TIMELINE = "timeline/"
ACTORS = "actors/"
SOURCES = "sources/"
SOURCE_PERIODS = "sources/_months/"
"""The sources list's period pages: ``_`` is never in an id, so no source's page can take their place."""
TAGS = "tags/"
PAGES = "pages/"
"""The desk's hand-written pages (``content/pages/``), each at ``pages/<name>/``."""
GLOSSARY = "glossary/"

RECORDS_JSON = "data/records.json"
RECORDS_SCHEMA = "data/records.schema.json"
TIMELINE_JSON = "data/timeline.json"
SEARCH_GROUPS = ".search-groups.json"
"""The docs file that says which pages go into which story's search index and which are not searched (a dot
file: MkDocs leaves it out of the site); written by ``generate``, read by ``output/searchindex.py``."""
ATOM_FEED = "feed.xml"
JSON_FEED = "feed.json"
"""The feeds (the theme's ``main.html`` and ``partials/subscribe.html`` link them by these names)."""


def briefing(briefing_id: str) -> str:
    return f"{BRIEFINGS}{briefing_id}/"


def story(key: str) -> str:
    """A story's page, from its key (``links.story_key``)."""
    return f"{STORIES}{key}/"


def story_part(key: str, part: str) -> str:
    """A story's list of one kind: ``changes``, ``claims`` or ``timeline``."""
    return f"{story(key)}{part}/"


def story_issues(key: str) -> tuple[str, str]:
    """A story's group on the open issues page: (URL, anchor)."""
    return ISSUES, f"story-{key}"


def issue(issue_id: str) -> str:
    return f"{ISSUES}{issue_id}/"


def actor(actor_id: str) -> str:
    return f"{ACTORS}{actor_id}/"


def source(source_id: str) -> str:
    return f"{SOURCES}{source_id}/"


def tag(name: str) -> str:
    return f"{TAGS}{name}/"


def page(name: str) -> str:
    """A hand-written page of ``content/pages/``."""
    return f"{PAGES}{name}/"


def glossary(anchor: str = "") -> tuple[str, str]:
    """The glossary, at a term's anchor: (URL, anchor)."""
    return GLOSSARY, anchor


def period(section: str, key: str) -> str:
    """A period's page of a list split by month (``site.monthly``): '2025-12', '2025-12-w2' or '2025-12-29'."""
    return f"{section}{key}/"


def docs_file(url: str, directory_urls: bool = True) -> str:
    """The Markdown file of the docs folder that MkDocs makes the page at ``url`` from.

    With directory URLs a page below a section is ``<folder>/<name>.md``:
    MkDocs gives it the URL of ``<folder>/<name>/index.md``, and the generator
    makes one folder fewer per page (a folder costs as much to make as the file
    in it). A section's own page, and every page of the offline build (whose
    URLs end in ``/index.html``), is ``index.md`` in its folder.
    """
    if directory_urls and url.count("/") > 1:
        return url[:-1] + ".md"
    return f"{url}index.md"
