"""The pages Pagefind reads: each searchable page cut to what it indexes, kept from one build to the next.

Pagefind parses every page whole, though it indexes only the ``data-pagefind-body``
element less the parts :data:`~generator.output.searchindex.LEFT_OUT` names: at
1,000 briefings it read 165 MB of HTML, five of its nine seconds, to index what
75 MB of it hold. Handed instead the page cut to that element (the page's
``lang`` and ``<title>`` kept, each left-out part emptied but for an empty copy of
every element in it with an ``id``, which Pagefind keeps as an anchor), it reads
the same words in the same places, with the same anchors, filters and metadata.

Cutting a page costs a parse of it (1.9 s for every page at 1,000 briefings), so
the cut pages are kept in the project (:data:`FOLDER`, one folder an index), each
under the identity of the site file it was cut from (device, inode, size, time
of its last change) and the digest of its bytes: an incremental build hard-links
the pages it did not render from the old site, so only the pages MkDocs wrote
are cut again, and a site restored elsewhere (a CI cache: new inodes) costs a
read of each page, not a cut. A kept page whose mark names neither the very file
nor its bytes is cut again; nothing in the folder is trusted otherwise. A page
this cannot vouch for as cut right (more than one ``data-pagefind-body``, or
Pagefind's metadata or filters outside it) is given as it is.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.output.write import file_identity

FOLDER = ".briefing-cache/search"
"""The cut pages of ``briefing build``, in the project: one folder an index (``main/``, ``story/<id>/``)."""
MARK = re.compile(rb"<!--briefing-search v2 (\d+ \d+ \d+ \d+) ([0-9a-f]{64})-->\n")
"""The first line of a cut page: the identity (device, inode, size, modification time in ns) of the site file
it was cut from, and the SHA-256 of that file's bytes; a new version of the cutting changes ``v2``."""
EXCLUDED = "[data-search-exclude]:not(.record-line):not(.source-text)"
"""The parts of a page neither search indexes, but for the permalinks (LEFT_OUT, in searchindex.py)."""
PERMALINK = ".headerlink"
OUTSIDE = ",".join(
    f"[data-pagefind-{what}]"
    for what in ("meta", "filter", "sort", "default-meta", "index-attrs", "weight")
)
"""Pagefind's attributes that count outside the indexed element too: a page that has one there is given whole."""


def cut(page: bytes) -> bytes | None:
    """The page as Pagefind needs it; None when it is to be read as it is."""
    tree = LexborHTMLParser(page)
    bodies = tree.css("[data-pagefind-body]")
    if len(bodies) != 1:
        return None
    body = bodies[0]
    if any(not _inside(node, body) for node in tree.css(OUTSIDE)):
        return None
    for node in body.css(PERMALINK):
        node.decompose()
    parts = body.css(EXCLUDED)
    marked = {node.mem_id for node in parts}
    outermost = [node for node in parts if not _within(node, marked, body.mem_id)]
    for node in outermost:
        kept = [n.clone() for n in node.css("[id]") if n.mem_id != node.mem_id]
        for child in list(node.iter(include_text=True)):
            child.decompose()
        for stub in kept:
            for child in list(stub.iter(include_text=True)):
                child.decompose()
            node.insert_child(stub)
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html is not None else None) or ""
    title = tree.css_first("title")
    head = '<meta charset="utf-8">' + (title.html or "" if title is not None else "")
    doc = f'<!doctype html><html lang="{_attr(lang)}"><head>{head}</head><body>{body.html}</body></html>'
    return doc.encode("utf-8")


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    return _within(node, {ancestor.mem_id})


def _within(node: LexborNode, ancestors: set[int], stop: int = 0) -> bool:
    """Whether one of ``ancestors`` (by ``mem_id``) holds ``node``; the walk up ends at ``stop``."""
    parent = node.parent
    while parent is not None and parent.mem_id != stop:
        if parent.mem_id in ancestors:
            return True
        parent = parent.parent
    return False


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")


def _identity(path: Path) -> bytes:
    return " ".join(map(str, file_identity(path))).encode()


def _mark(identity: bytes, data: bytes) -> bytes:
    return b"<!--briefing-search v2 " + identity + b" " + _sha(data) + b"-->\n"


@contextmanager
def pages_of(
    site: Path,
    files: list[str],
    kept: Path | None,
    source: Callable[[str], Path] | None = None,
) -> Iterator[Path]:
    """A folder holding ``files`` of ``site`` (site-relative, so the same URLs) as Pagefind is to read them:
    the folder ``kept`` brought up to date (each page cut again when its site file is not the one it was cut
    from, the files no longer among ``files`` removed), or without it a temporary one. ``source(rel)``: where
    a page is read from, when not from ``site`` (an incremental build's unchanged pages, from the old site,
    whose files the new one links)."""
    where = source or (lambda rel: site / rel)
    if kept is None:
        with tempfile.TemporaryDirectory(prefix=".briefing-pagefind-", dir=site.parent) as temp:
            _update(where, files, Path(temp))
            yield Path(temp)
        return
    try:
        kept.mkdir(parents=True, exist_ok=True)
        _update(where, files, kept)
    except OSError:  # the kept pages cannot be written: cut them aside, for this build only
        shutil.rmtree(kept, ignore_errors=True)
        with pages_of(site, files, None, source) as temp:
            yield temp
        return
    yield kept


def _update(where: Callable[[str], Path], files: list[str], folder: Path) -> None:
    wanted = set(files)
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        rel = Path(dirpath).relative_to(folder).as_posix()
        prefix = "" if rel == "." else rel + "/"
        # a link is never written through (os.walk lists one to a folder among the folders)
        for name in dirnames:
            if (Path(dirpath) / name).is_symlink():
                (Path(dirpath) / name).unlink()
        for name in filenames:
            if prefix + name not in wanted or (Path(dirpath) / name).is_symlink():
                (Path(dirpath) / name).unlink()
        if prefix and not os.listdir(dirpath):
            os.rmdir(dirpath)
    for rel in files:
        source, dest = where(rel), folder / rel
        identity = _identity(source)
        try:
            with dest.open("rb") as f:
                said = MARK.fullmatch(f.readline())
                if said is not None and said[1] == identity:
                    continue  # the very file it was cut from
                data = source.read_bytes()
                # another file of the same bytes (a cache restored elsewhere): the cut page, marked anew
                page = f.read() if said is not None and said[2] == _sha(data) else None
        except FileNotFoundError:
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            page = None
        if page is None:
            page = cut(data)
            page = page if page is not None else data
        tmp = dest.with_name(f".{dest.name}.tmp")
        tmp.write_bytes(_mark(identity, data) + page)
        os.replace(tmp, dest)


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).hexdigest().encode()
