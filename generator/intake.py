"""``briefing source add``: a saved web page, a PDF or a text file becomes a source of the project.

The article's text is extracted (a web page's main text by trafilatura, without
navigation, cookie banners, related links, newsletter boxes or footers; a PDF's
text by pypdf), laid out as the format asks (paragraphs separated by one blank
line, the headline first), and written under ``seeds/`` with a name made of the
publisher, the date and the headline's first words; its entry, with what the
page states about itself (headline, publisher, author, publication date,
canonical address: JSON-LD, Open Graph and meta tags), is appended to
``content/sources.yaml``, keeping the file's comments and layout. The options
override what the page says; what it does not say stays out of the entry, and
the command says so. The same text or the same address twice is refused,
naming the source that has it. The project is checked with the new source
before the command ends; any failure puts ``sources.yaml`` and ``seeds/`` back
as they were.

The saved file is read as data, within a size cap: nothing of it but the
extracted text and the few fields above reaches the project, and the text then
goes through every check a source text goes through.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from generator.errors import BuildError, ContentError, UsageError
from generator.format.text import one_line
from generator.format.yamltext import source_entry_yaml
from generator.project import Project

MAX_INPUT = 32 * 2**20
"""Bytes read of the saved file; a larger file is refused (a saved news page is rarely over 5 MB)."""
MAX_TREE = 200_000
"""Elements of a web page's markup that the extractor looks at; a page with more is refused."""
WEB = (".html", ".htm", ".xhtml")
PDF = (".pdf",)
TEXT = (".txt", ".text", ".md")
NAME_WORDS = 6
"""Words of the headline in a saved text's file name."""
NAME_LENGTH = 60
"""Characters of a saved text's file name (without .txt), which is also the source's id (ids stop at 64)."""
SENTENCE = 8
"""Words of the longest paragraph, at least, for a page to hold an article (a menu or a list of links has none)."""


@dataclass
class Extracted:
    """What a saved file gives: its text, laid out, and what it states about itself."""

    text: str
    headline: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    inferred_date: bool = False
    """The date was read in the text (a dateline), not in the page's metadata."""


@dataclass
class Added:
    id: str
    seed: Path
    entry: str
    """The entry as appended to sources.yaml."""
    missing: list[str] = field(default_factory=list)
    """Fields the file does not state and no option gave."""
    notes: list[str] = field(default_factory=list)
    try_quote: str = ""


def extract(path: Path) -> Extracted:
    """The text and the stated metadata of a saved page, PDF or text file."""
    suffix = path.suffix.lower()
    if suffix not in WEB + PDF + TEXT:
        raise UsageError(
            f"{path.name}: a source comes from a saved web page (.html, .htm), a PDF (.pdf) or a text file "
            "(.txt)"
        )
    data = _read(path)
    if suffix in WEB:
        return _from_web_page(data, path)
    if suffix in PDF:
        return _from_pdf(data, path)
    return _from_text(data, path)


def _read(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        with open(path, "rb") as f:
            data = f.read(MAX_INPUT + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT:
        raise UsageError(
            f"{path.name} is over {MAX_INPUT // 2**20} MB; save the article's page alone"
        )
    return data


def _from_web_page(data: bytes, path: Path) -> Extracted:
    import trafilatura
    from trafilatura.settings import use_config

    settings = use_config()
    settings.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE))

    def extracted(extensive: bool):
        return trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            config=settings,
            date_extraction_params={"extensive_search": extensive, "original_date": True},
        )

    try:
        doc = extracted(False)
    except Exception as exc:  # noqa: BLE001 - whatever a hostile page makes the parser raise
        raise BuildError(
            f"{path.name}: no article could be read from it ({type(exc).__name__})"
        ) from None
    if doc is None or not any(len(p.split()) >= SENTENCE for p in (doc.text or "").split("\n")):
        raise BuildError(
            f"{path.name}: no article text found in it (too much markup, or no paragraphs); save the article's "
            "page again, or copy its text into a .txt file"
        )
    out = Extracted(
        _laid_out(doc.text.split("\n"), doc.title),
        headline=_line(doc.title),
        publisher=_line(doc.sitename) if doc.sitename and doc.sitename != doc.hostname else None,
        author=_line(doc.author),
        published=doc.date,
        url=doc.url if _http(doc.url) else None,
    )
    if out.published is None:  # none in the markup: a dateline in the text, marked as inferred
        try:
            later = extracted(True)
        except Exception:  # noqa: BLE001 - the first pass read it; the date stays absent
            later = None
        if later is not None and later.date:
            out.published, out.inferred_date = later.date, True
    return out


def _from_pdf(data: bytes, path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BuildError(f"{path.name}: its text could not be read ({exc})") from None
    title = _line(meta.title) if meta is not None and meta.title else None
    author = _line(meta.author) if meta is not None and meta.author else None
    published = None
    if meta is not None:
        try:
            created = meta.creation_date
        except (ValueError, TypeError):
            created = None
        if created is not None:
            published = created.date().isoformat()
    paragraphs = _pdf_paragraphs("\n".join(pages))
    if not paragraphs:
        raise BuildError(
            f"{path.name}: the PDF holds no text (a scan without a text layer?); copy its text into a .txt file"
        )
    return Extracted(
        _laid_out(paragraphs, title), headline=title, author=author, published=published
    )


def _pdf_paragraphs(text: str) -> list[str]:
    """A PDF's lines joined into paragraphs: a paragraph ends at a blank line, or at a line that ends a sentence
    and stops well short of the longest lines (the last line of a paragraph)."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    width = max((len(line) for line in lines), default=0)
    paragraphs, current = [], ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line  # a word broken at the line's end
        else:
            current = f"{current} {line}" if current else line
        if line[-1:] in '.!?:"\u201d' and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _from_text(data: bytes, path: Path) -> Extracted:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", text)
    if len(blocks) == 1:  # no blank line: each line is a paragraph, as the page showed it
        blocks = text.split("\n")
    paragraphs = [one_line(b) for b in blocks if b.strip()]
    if not paragraphs:
        raise UsageError(f"{path.name} holds no text")
    return Extracted("\n\n".join(paragraphs) + "\n")


def _laid_out(paragraphs: list[str], headline: str | None) -> str:
    """One paragraph per block, separated by blank lines, the headline first (once)."""
    kept = [one_line(p) for p in paragraphs if p and p.strip()]
    title = _line(headline)
    if title and (not kept or kept[0] != title):
        kept.insert(0, title)
    return "\n\n".join(kept) + "\n"


def _line(text: str | None) -> str | None:
    if not text:
        return None
    one = one_line(text)
    return one[:300] or None


def _http(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).netloc)


def same_url(url: str) -> str:
    """An address as compared for duplicates: scheme and host in lower case, no fragment, no trailing slash,
    no tracking parameters."""
    parts = urlsplit(url.strip())
    query = "&".join(
        q
        for q in parts.query.split("&")
        if q and not q.lower().startswith(("utm_", "fbclid", "gclid"))
    )
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), query, "")
    )


def text_digest(text: str) -> str:
    """The same text whatever its white space or Unicode composition."""
    return hashlib.sha256(one_line(unicodedata.normalize("NFC", text)).encode()).hexdigest()


def slug(text: str, words: int = NAME_WORDS) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain)[:words])


def add_source(
    project: Project,
    path: Path,
    *,
    source_id: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
) -> Added:
    """Extract ``path``, write its text under seeds/ and its entry into sources.yaml, check the project."""
    from generator.check.content import read_content
    from generator.errors import Collector

    _valid_options(url, published)
    got = extract(path)
    url = url or got.url
    publisher = publisher or got.publisher
    inferred_date = got.inferred_date and published is None
    published = published or got.published
    if published is None:
        raise UsageError(
            f"{path.name} states no publication date; give it with --published YYYY-MM-DD (the date the "
            "article gives, or the best one you know, noted under inferred: published: in its entry)"
        )
    archive = read_content(project, Collector())
    _refuse_known(archive, url, got.text)
    seed = _seed_name(project.seeds, publisher, published, got.headline)
    sid = source_id or seed.stem
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid):
        raise UsageError(f"--id: '{sid}' is not an id (lower-case letters, digits and hyphens)")
    if sid in archive.sources:
        raise UsageError(f"--id: source '{sid}' exists already; choose another id")
    values: dict = {
        "id": sid,
        "title": got.headline
        or (f"Untitled text of {published}" + (f" from {publisher}" if publisher else "")),
        "headline": got.headline,
        "publisher": publisher,
        "author": got.author,
        "published": published,
        "url": url,
        "text": project.rel(seed),
    }
    notes = []
    if inferred_date:
        values["inferred"] = {
            "published": "read in the text's dateline; the page's metadata gives no date"
        }
        notes.append(
            f"the date {published} was read in the text (a dateline), and is marked as inferred"
        )
    missing = [name for name in ("headline", "publisher", "author", "url") if not values.get(name)]
    entry = source_entry_yaml({k: v for k, v in values.items() if v})
    _write_checked(project, seed, got.text, entry)
    words = got.text.split("\n\n")
    body = words[1] if len(words) > 1 else words[0]
    return Added(sid, seed, entry, missing, notes, " ".join(body.split()[:6]))


def _valid_options(url: str | None, published: str | None) -> None:
    if url is not None and not _http(url):
        raise UsageError(f"--url: '{url}' is not an http(s) address")
    if published is not None:
        try:
            date.fromisoformat(published)
        except ValueError:
            raise UsageError(f"--published: '{published}' is not a date YYYY-MM-DD") from None


def _refuse_known(archive, url: str | None, text: str) -> None:
    """The same address, or the same text, is a source the desk has already."""
    digest = text_digest(text)
    for source in archive.sources.values():
        if url and source.url and same_url(source.url) == same_url(url):
            raise BuildError(
                f"source '{source.id}' already has this address ({source.url}); nothing was changed"
            )
        if source.body is not None and text_digest(source.body) == digest:
            raise BuildError(
                f"source '{source.id}' already has this text ({source.text}); nothing was changed"
            )


def _seed_name(seeds: Path, publisher: str | None, published: str, headline: str | None) -> Path:
    """seeds/<publisher>-<date>-<headline words>.txt, at most NAME_LENGTH characters, never an existing file."""
    stem = "-".join(p for p in (slug(publisher or "", 3), published, slug(headline or "")) if p)
    while len(stem) > NAME_LENGTH and "-" in stem:
        stem = stem.rsplit("-", 1)[0]
    return _free_name(seeds, stem or f"source-{published}")


def _write_checked(project: Project, seed: Path, text: str, entry: str) -> None:
    """Write the text and append the entry, then check the project; on any failure put both back as they were."""
    from generator.check.checker import check_project

    sources_file = project.content / "sources.yaml"
    try:
        before = sources_file.read_bytes()
    except FileNotFoundError:
        before = None
    listed = (before or b"sources:\n").decode("utf-8")
    listed = re.sub(r"^sources:[ \t]*\[\][ \t]*$", "sources:", listed, count=1, flags=re.M)
    if not listed.endswith("\n"):
        listed += "\n"
    try:
        project.seeds.mkdir(exist_ok=True)
        with open(seed, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        _replace(sources_file, (listed + entry).encode("utf-8"))
        try:
            check_project(project)
        except ContentError as exc:
            mine = [
                d
                for d in exc.diagnostics
                if d.path in (project.rel(sources_file), project.rel(seed))
            ]
            if mine:
                raise BuildError(
                    "the new source would not pass the check, so nothing was changed:\n  "
                    + "\n  ".join(d.format() for d in mine)
                ) from None
    except BaseException:
        if before is None:
            sources_file.unlink(missing_ok=True)
        else:
            _replace(sources_file, before)
        seed.unlink(missing_ok=True)
        raise


def _free_name(seeds: Path, stem: str) -> Path:
    """``seeds/<stem>.txt``, or with -2, -3… when taken: never an existing file."""
    candidate = seeds / f"{stem}.txt"
    n = 2
    while candidate.exists():
        candidate = seeds / f"{stem}-{n}.txt"
        n += 1
    return candidate


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_bytes(data)
    os.replace(tmp, path)
