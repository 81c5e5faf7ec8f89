"""Property tests (RELIABILITY.md, principles 2 and 6).

* Any string in any text field is either refused at its place, or shown exactly
  as typed: the rendered page has the same elements as with a plain word there,
  and its text is the typed string (white space as HTML shows it). Most examples
  render the generated Markdown with Python-Markdown and the extensions of
  mkdocs.yml, as MkDocs does; a few run real MkDocs builds, which also check the
  page title, the search index and the post-build scan.
* Any valid archive renders to the same bytes twice, and whatever order the
  file system lists its files in.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import random
import re
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pagefind_index
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator.config import read_site_config
from generator.errors import ContentError
from generator.format import model
from generator.format.fieldtypes import Invalid, Text
from generator.format.loader import Scalar
from generator.format.schema import LABEL
from generator.output.build import build_site
from generator.output.generate import render_docs
from generator.project import find_project

PROPERTY = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PLACEHOLDER = "Plchldr"

# field → (file, field path, paragraphs allowed)
FIELDS = {
    "briefing.title": ("content/briefings/b1.yaml", "title", False),
    "briefing.summary": ("content/briefings/b1.yaml", "summary", True),
    "briefing.key_point": ("content/briefings/b1.yaml", "key_points[0]", False),
    "call.location": ("content/briefings/b1.yaml", "calls[0].location", False),
    "call.summary": ("content/briefings/b1.yaml", "calls[0].summary", True),
    "readout.text": ("content/briefings/b1.yaml", "calls[0].readouts[0].text", False),
    "claim.title": ("content/briefings/b1.yaml", "claims[0].title", False),
    "claim.statement": ("content/briefings/b1.yaml", "claims[0].statement", True),
    "figure.unit": ("content/briefings/b1.yaml", "claims[0].figures[0].unit", False),
    "claim.history.note": ("content/briefings/b1.yaml", "claims[0].history[0].note", False),
    "quote.exact": ("content/briefings/b1.yaml", "claims[0].quotes[0].exact", False),
    "issue.title": ("content/briefings/b1.yaml", "open_issues[0].title", False),
    "issue.summary": ("content/briefings/b1.yaml", "open_issues[0].summary", True),
    "position.position": (
        "content/briefings/b1.yaml",
        "open_issues[0].positions[0].position",
        False,
    ),
    "issue.history.note": ("content/briefings/b1.yaml", "open_issues[0].history[0].note", False),
    "change.note": ("content/briefings/b1.yaml", "changes[0].note", False),
    "actor.name": ("content/actors.yaml", "actors[0].name", False),
    "actor.role": ("content/actors.yaml", "actors[0].role", False),
    "actor.country": ("content/actors.yaml", "actors[0].country", False),
    "actor.alias": ("content/actors.yaml", "actors[0].aliases[0]", False),
    "source.title": ("content/sources.yaml", "sources[0].title", False),
    "source.publisher": ("content/sources.yaml", "sources[0].publisher", False),
}
TITLE_OF = {  # fields that are the title of a page
    "briefing.title": "briefings/b1.md",
    "issue.title": "issues/i1.md",
    "actor.name": "actors/alice.md",
    "source.title": "sources/wire.md",
}
DEFAULTS = {name: "W" + re.sub(r"[^a-z]", "", name) for name in FIELDS}


# --- writing content with any characters ------------------------------------------------------


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar of exactly ``text``: every character outside printable ASCII escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out) + '"'


def to_yaml(value) -> str:
    """Flow-style YAML with every string quoted: any value survives exactly."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_quote(k)}: {to_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_yaml(v) for v in value) + "]"
    return yaml_quote(str(value))


def project_files(values: dict[str, str]) -> dict[str, str]:
    v = {**DEFAULTS, **values}
    actors = {
        "actors": [
            {
                "id": "alice",
                "name": v["actor.name"],
                "kind": "person",
                "role": v["actor.role"],
                "country": v["actor.country"],
                "aliases": [v["actor.alias"]],
            },
            {"id": "bob", "name": "Bob", "kind": "person"},
        ]
    }
    sources = {
        "sources": [
            {
                "id": "wire",
                "title": v["source.title"],
                "publisher": v["source.publisher"],
                "published": "2025-12-29",
                "url": "https://example.org/wire",
            }
        ]
    }
    briefing = {
        "id": "b1",
        "title": v["briefing.title"],
        "date": "2025-12-29",
        "summary": v["briefing.summary"],
        "sources": ["wire"],
        "key_points": [v["briefing.key_point"]],
        "calls": [
            {
                "id": "c1",
                "date": "2025-12-29",
                "kind": "talks",
                "participants": ["alice", "bob"],
                "location": v["call.location"],
                "summary": v["call.summary"],
                "readouts": [{"by": "alice", "text": v["readout.text"]}],
            }
        ],
        "claims": [
            {
                "id": "k1",
                "title": v["claim.title"],
                "claimant": "alice",
                "date": "2025-12-29",
                "statement": v["claim.statement"],
                "status": "disputed",
                "quotes": [{"source": "wire", "exact": v["quote.exact"]}],
                "figures": [{"value": "5", "unit": v["figure.unit"]}],
                "history": [
                    {"date": "2025-12-28", "status": "unverified", "note": v["claim.history.note"]}
                ],
            }
        ],
        "open_issues": [
            {
                "id": "i1",
                "title": v["issue.title"],
                "status": "open",
                "summary": v["issue.summary"],
                "positions": [{"actor": "alice", "position": v["position.position"]}],
                "history": [
                    {"date": "2025-12-28", "status": "stalled", "note": v["issue.history.note"]}
                ],
            }
        ],
        "changes": [{"date": "2025-12-29", "note": v["change.note"]}],
    }
    return {
        "content/actors.yaml": to_yaml(actors) + "\n",
        "content/sources.yaml": to_yaml(sources) + "\n",
        "content/briefings/b1.yaml": to_yaml(briefing) + "\n",
    }


@contextmanager
def temporary_project(files: dict[str, str]):
    """A project with the real mkdocs.yml and templates (linked, not copied) and the given content."""
    root = Path(tempfile.mkdtemp(prefix="prop-"))
    try:
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        (root / "site_templates").symlink_to(ROOT / "site_templates")
        (root / "seeds").mkdir()
        (root / "docs").mkdir()
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def render(files: dict[str, str]) -> dict[str, bytes]:
    with temporary_project(files) as root:
        project = find_project(root)
        return render_docs(project, read_site_config(root))[1]


# --- what a reader sees -----------------------------------------------------------------------

_MKDOCS = load_config(str(ROOT / "mkdocs.yml"))


def to_html(page_markdown: str) -> tuple[str, dict]:
    """The page as MkDocs renders it: front matter apart, then Python-Markdown with mkdocs.yml's extensions."""
    body, meta = get_data(page_markdown)
    return markdown.markdown(
        body, extensions=_MKDOCS.markdown_extensions, extension_configs=_MKDOCS.mdx_configs
    ), meta


class Seen(HTMLParser):
    """The elements (with attribute names), attribute values and text of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: Counter = Counter()
        self.values: list[tuple[str, str, str]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements[(tag, tuple(sorted(name for name, _ in attrs)))] += 1
        self.values += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.texts.append(data)


def flat(text: str) -> str:
    """White space as HTML shows it: runs of ASCII white space are one space; no other character changes."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip(" ")


def same_page_but_the_text(typed: Seen, control: Seen, shown: str) -> None:
    """``typed`` is ``control`` with the placeholder replaced by the shown text, and no element more or less."""
    assert typed.elements == control.elements
    expect = sorted(filter(None, (flat(t.replace(PLACEHOLDER, shown)) for t in control.texts)))
    assert sorted(filter(None, (flat(t) for t in typed.texts))) == expect
    expect_values = sorted(
        (tag, name, flat(v.replace(PLACEHOLDER, shown))) for tag, name, v in control.values
    )
    assert sorted((tag, name, flat(v)) for tag, name, v in typed.values) == expect_values


_CONTROLS: dict[str, dict[str, bytes]] = {}


def control_docs(field: str) -> dict[str, bytes]:
    if field not in _CONTROLS:
        _CONTROLS[field] = render(project_files({field: PLACEHOLDER}))
    return _CONTROLS[field]


def accepted(value: str, paragraphs: bool, field: str | None = None) -> bool:
    """Whether ``value`` passes the type of ``field`` (a key of FIELDS), else of a text with or without
    paragraphs."""
    kind = field_type(*FIELDS[field][:2]) if field else Text(paragraphs=paragraphs)
    try:
        kind.convert(Scalar("x", 1, 1, value))
    except Invalid:
        return False
    return True


def field_type(path: str, field_path: str):
    """The field type that ``field_path`` (``calls[0].location``) of the file ``path`` has in the schema."""
    from generator.format.fieldtypes import ListOf

    t = {
        "content/actors.yaml": model.ActorsFile.record,
        "content/sources.yaml": model.SourcesFile.record,
    }.get(path, model.Briefing.record)
    for part in re.sub(r"\[\d+\]", "", field_path).split("."):
        f = next(f for f in t.fields if f.name == part)
        t = f.type.item if isinstance(f.type, ListOf) else f.type
    return t


# --- strategies -------------------------------------------------------------------------------

MARKUP = [
    "<",
    ">",
    "&",
    '"',
    "'",
    "`",
    "*",
    "_",
    "[",
    "](",
    ")",
    "!",
    "#",
    "|",
    "\\",
    "~",
    "=",
    "-",
    "+",
    ":",
    "{",
    "}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:",
    "data:",
    "&amp;",
    "&lt;",
    "&#106;",
    "&#x3c;",
    "<!--",
    "-->",
    "]]>",
    "<![CDATA[",
    "{{ x }}",
    "{% raw %}",
    "**",
    "__",
    "[a](b)",
    "![a](b)",
    "<a@b.c>",
    "<http://x.y>",
    "---",
    "    ",
    "\t",
    "\n",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0301",
    "\u05d0",
    "\U0001f469",
    "{: .x }",
    "{#id}",
    "[TOC]",
    "\x02",
    "\x03",
    "wzxhzdk:0",
    "klzzwxh:0",
]
ANY = st.characters(blacklist_categories=("Cs",))
"""Every code point a str can hold in a file (no lone surrogates)."""
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
text_values = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.text(PRINTABLE, max_size=6), st.text(ANY, max_size=2)),
    min_size=1,
    max_size=10,
).map("".join)
one_paragraph = st.lists(
    st.one_of(
        st.sampled_from([m for m in MARKUP if "\n" not in m]), st.text(PRINTABLE, max_size=6)
    ),
    min_size=1,
    max_size=6,
).map("".join)


# --- any string in any text field ---------------------------------------------------------------


@pytest.mark.slow
@settings(PROPERTY, max_examples=100)
@given(field=st.sampled_from(sorted(FIELDS)), value=text_values)
def test_any_string_is_refused_at_its_place_or_shown_exactly(field, value):
    path, field_path, paragraphs = FIELDS[field]
    files = project_files({field: value})
    if not accepted(value, paragraphs, field) or (paragraphs and "\n\n" in value.strip()):
        if accepted(value, paragraphs, field):
            event("several paragraphs")
            return  # shown as several: see test_paragraphs_are_kept_apart
        event("refused")
        with temporary_project(files) as root:
            with pytest.raises(ContentError) as info:
                render_docs(find_project(root), read_site_config(root))
        assert [d.field for d in info.value.diagnostics] == [field_path]
        assert info.value.diagnostics[0].path == path
        return
    event("shown")
    shown = flat(value.strip())
    typed_docs, control = render(files), control_docs(field)
    assert sorted(typed_docs) == sorted(control)
    seen_somewhere = False
    for name in sorted(typed_docs):
        if not name.endswith(".md"):
            continue
        typed_html, typed_meta = to_html(typed_docs[name].decode("utf-8"))
        control_html, control_meta = to_html(control[name].decode("utf-8"))
        same_page_but_the_text(Seen(typed_html), Seen(control_html), shown)
        seen_somewhere |= shown in flat("".join(Seen(typed_html).texts))
        title = typed_meta.get("title", "")
        assert "<" not in title and ">" not in title, name
        if TITLE_OF.get(field) == name:
            assert htmllib.unescape(title) == value.strip()
        if "claim_reviews" in typed_meta:  # JSON-LD for a script element: valid JSON, no raw '<'
            json.loads(typed_meta["claim_reviews"])
            assert "<" not in typed_meta["claim_reviews"]
    assert seen_somewhere, f"{field} is shown on no page"


@pytest.mark.slow
@settings(PROPERTY, max_examples=15)
@given(
    field=st.sampled_from([f for f, (_, _, p) in FIELDS.items() if p]),
    paragraphs=st.lists(one_paragraph, min_size=2, max_size=4),
)
def test_paragraphs_are_kept_apart(field, paragraphs):
    parts = [p.replace("\n", " ") for p in paragraphs]
    value = "\n\n".join(parts)
    assume(accepted(value, True) and all(flat(p.strip()) for p in parts))
    docs = render(project_files({field: value}))
    page, _ = to_html(docs["briefings/b1.md"].decode("utf-8"))
    text = "\x00".join(Seen(page).texts)
    for part in parts:
        assert flat(part.strip()) in flat(text)


# --- a few real builds ------------------------------------------------------------------------------

_BUILT: dict[str, Path] = {}


def site_text(site: Path, page: str) -> tuple[str, Seen]:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    start = html.index('<article class="md-content__inner')
    return html, Seen(html[start : html.index("<script", start)])


@pytest.fixture(scope="module")
def build_dir():
    folder = Path(tempfile.mkdtemp(prefix="prop-builds-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def build(files: dict[str, str], dest: Path) -> Path:
    with temporary_project(files) as root:
        build_site(find_project(root))
        shutil.copytree(root / "site", dest)
    return dest


@pytest.mark.slow
@pytest.mark.parametrize(
    "field", ["briefing.title", "claim.statement", "actor.name", "quote.exact"]
)
def test_real_builds_show_exactly_what_was_typed(field, build_dir):
    """A few examples through MkDocs and Material: page, title, search index, and the post-build scan."""
    control = _BUILT.get("control") or build(project_files({}), build_dir / "control")
    _BUILT["control"] = control

    @settings(PROPERTY, max_examples=2)
    @given(value=text_values)
    def check(value):
        assume(accepted(value, FIELDS[field][2], field) and "\n\n" not in value.strip())
        shown = flat(value.strip())
        dest = build_dir / f"{field}-{len(list(build_dir.iterdir()))}"
        site = build(project_files({field: value}), dest)  # the scan passed, or build_site raised
        page = {"actor.name": "actors/alice"}.get(field, "briefings/b1")
        html, typed = site_text(site, page)
        _, plain = site_text(control, page)
        assert typed.elements == plain.elements
        assert shown in flat("".join(typed.texts))
        if field in TITLE_OF:
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
            assert "<" not in title
            assert flat(htmllib.unescape(title)) == shown + " - Briefings"
        found = [
            flat(d[k] if k == "content" else d["meta"]["title"])
            for d in pagefind_index.pages(site)
            for k in ("title", "content")
        ]
        assert any(shown in f for f in found), "not in the search index"

    check()


# --- any valid archive, twice and in any file order -----------------------------------------------------


def _label_accepted(value: str) -> bool:
    """Generated archives put these texts into names and titles too."""
    try:
        LABEL.convert(Scalar("x", 1, 1, value))
    except Invalid:
        return False
    return True


safe_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
).filter(_label_accepted)
days = st.dates(min_value=date(2001, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def archives(draw) -> dict[str, str]:
    n_actors = draw(st.integers(2, 4))
    actors = [
        {
            "id": f"actor-{i}",
            "name": draw(safe_text),
            "kind": draw(st.sampled_from(["person", "government"])),
        }
        for i in range(n_actors)
    ]
    sources = [{"id": "src-0", "title": draw(safe_text), "published": draw(days).isoformat()}]
    files = {}
    for b in range(draw(st.integers(1, 3))):
        claims = []
        for k in draw(st.lists(st.integers(0, 4), unique=True, max_size=3)):
            claims.append(
                {
                    "id": f"claim-{k}",
                    "claimant": f"actor-{k % n_actors}",
                    "date": draw(days).isoformat(),
                    "statement": draw(safe_text),
                    "title": draw(safe_text),
                    "status": draw(st.sampled_from(["unverified", "disputed", "refuted"])),
                    "figures": [{"value": str(draw(st.integers(0, 999))), "unit": "drones"}],
                    "quotes": [{"source": "src-0", "exact": draw(safe_text)}],
                }
            )
        for c in claims[1:]:
            c["disputes"] = [claims[0]["id"]]
        calls = [
            {
                "id": f"call-{k}",
                "date": draw(days).isoformat(),
                "kind": "talks",
                "summary": draw(safe_text),
                "participants": ["actor-0", "actor-1"],
            }
            for k in draw(st.lists(st.integers(0, 2), unique=True, max_size=2))
        ]
        issues = [
            {
                "id": f"issue-{k}",
                "title": draw(safe_text),
                "status": draw(st.sampled_from(["open", "stalled"])),
                "summary": draw(safe_text),
                "positions": [{"actor": "actor-1", "position": draw(safe_text)}],
            }
            for k in draw(st.lists(st.integers(0, 2), unique=True, max_size=2))
        ]
        briefing = {
            "id": f"b-{b}",
            "title": draw(safe_text),
            "date": draw(days).isoformat(),
            "summary": draw(safe_text),
            "story": draw(st.sampled_from(["story-a", "story-b"])),
            "sources": ["src-0"],
            "tags": draw(st.lists(st.sampled_from(["t-a", "t-b", "t-c"]), unique=True, max_size=2)),
            "key_points": draw(st.lists(safe_text, max_size=2)),
            "calls": calls,
            "claims": claims,
            "open_issues": issues,
            "changes": [{"date": draw(days).isoformat(), "note": draw(safe_text)}],
        }
        files[f"content/briefings/b-{b}.yaml"] = to_yaml(briefing) + "\n"
    files["content/actors.yaml"] = to_yaml({"actors": actors}) + "\n"
    files["content/sources.yaml"] = to_yaml({"sources": sources}) + "\n"
    files["content/pages/about.md"] = "# About\n\nHand-written.\n"
    return files


@contextmanager
def listed_in_order(rng: random.Random):
    """Every directory listing comes back in a shuffled order, as another file system might give it."""
    real_scandir, real_listdir, real_iterdir = os.scandir, os.listdir, Path.iterdir

    def shuffled(items):
        items = list(items)
        rng.shuffle(items)
        return items

    class Scandir:
        def __init__(self, *args):
            self._it = real_scandir(*args)
            self._items = shuffled(self._it)

        def __iter__(self):
            return iter(self._items)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._it.close()

        def close(self):
            self._it.close()

    patches = [
        (os, "scandir", lambda *a: Scandir(*a)),
        (os, "listdir", lambda *a: shuffled(real_listdir(*a))),
        (Path, "iterdir", lambda self: iter(shuffled(real_iterdir(self)))),
    ]
    for owner, name, new in patches:
        setattr(owner, name, new)
    try:
        yield
    finally:
        os.scandir, os.listdir, Path.iterdir = real_scandir, real_listdir, real_iterdir


def check_archive_is_valid(files: dict[str, str]) -> dict[str, bytes]:
    try:
        return render(files)
    except ContentError as exc:  # the strategy only makes valid archives
        raise AssertionError("\n".join(d.format() for d in exc.diagnostics)) from None


@pytest.mark.slow
@settings(PROPERTY, max_examples=15)
@given(files=archives(), seed=st.integers(0, 2**32 - 1))
def test_any_archive_renders_to_the_same_bytes_twice_and_in_any_file_order(files, seed):
    first = check_archive_is_valid(files)
    assert render(files) == first
    rng = random.Random(seed)
    reordered = dict(
        sorted(files.items(), key=lambda _: rng.random())
    )  # files created in another order
    with listed_in_order(rng):
        assert render(reordered) == first


def test_rendered_templates_escape_text_and_keep_markup(tmp_path):
    from markupsafe import Markup

    from generator.format.model import Archive
    from generator.pages.render import Renderer

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "t.md.j2").write_text("{{ text }}|{{ safe }}|{{ n }}", encoding="utf-8")
    env = Renderer(Archive(), (tmp_path,)).env
    template = env.get_template("t.md.j2")
    assert (
        template.render(text="<a href='x'>&", safe=Markup("<b>"), n=3)
        == "&lt;a href=&#39;x&#39;&gt;&amp;|<b>|3"
    )
