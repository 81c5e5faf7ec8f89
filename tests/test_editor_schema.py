"""The committed JSON Schemas, as an editor's YAML language server applies them.

Content files are read by the project's loader (every scalar is text) and
validated with the ``jsonschema`` library against content/schemas/.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import ROOT, site_project
from jsonschema import Draft202012Validator

from generator.format.loader import Mapping, Node, Scalar, Sequence, load_file

CASES = Path(__file__).parent / "cases"
SCHEMAS = ROOT / "content" / "schemas"


def as_json(node: Node):
    """Loaded nodes as JSON data: mappings, lists and text, as the loader reads every scalar."""
    if isinstance(node, Mapping):
        return {key: as_json(value) for key, (_, value) in node.items.items()}
    if isinstance(node, Sequence):
        return [as_json(item) for item in node.items]
    assert isinstance(node, Scalar)
    return node.value


def read(path: Path):
    node, problems = load_file(path, path.name)
    assert problems == []
    return as_json(node)


def validator(document: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{document}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def content_files(content: Path) -> list[tuple[str, Path]]:
    return [
        ("actors", content / "actors.yaml"),
        ("sources", content / "sources.yaml"),
        *(("briefing", p) for p in sorted((content / "briefings").glob("*.yaml"))),
    ]


FILES = [
    pytest.param(document, path, id=str(path.relative_to(ROOT)))
    for content in (ROOT / "content", CASES / "newuser" / "content", CASES / "archive" / "content")
    for document, path in content_files(content)
]


@pytest.mark.parametrize("document, path", FILES)
def test_content_files_are_valid_against_the_committed_schemas(document, path):
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(document).iter_errors(read(path))
    ]
    assert errors == []


def test_a_new_briefing_is_valid_against_the_schema(tmp_path, cli):
    root = site_project(tmp_path, ROOT)
    run = cli(
        root,
        "new",
        "Talks resume",
        "--from",
        "2025-12-29-trump-putin-second-call",
        "--date",
        "2025-12-30",
    )
    assert run.code == 0, run.err
    data = read(root / "content" / "briefings" / "2025-12-30-talks-resume.yaml")
    assert list(validator("briefing").iter_errors(data)) == []


NEWUSER = CASES / "newuser" / "content" / "briefings" / "kessel-dam-2031-03-19.yaml"


def _set(data, path: tuple, value):
    for key in path[:-1]:
        data = data[key]
    if value is _DELETE:
        del data[path[-1]]
    else:
        data[path[-1]] = value


_DELETE = object()

WRONG = [
    # (what is wrong, change to the new-user briefing, where the schema reports it)
    ("unknown field", ("summry",), "x", ""),
    ("required field missing", ("sources",), _DELETE, ""),
    ("status not in the list", ("status",), "developin", "status"),
    ("id not an id", ("id",), "Kessel Dam", "id"),
    ("date not a day", ("date",), "2031-03", "date"),
    ("title of two lines", ("title",), "Kessel Dam\nsecond line", "title"),
    ("empty summary", ("summary",), "", "summary"),
    ("claim status misspelt", ("claims", 0, "status"), "disputd", "claims/0/status"),
    (
        "figure value not a number",
        ("claims", 0, "figures", 0, "value"),
        "forty",
        "claims/0/figures/0/value",
    ),
    (
        "quote without source",
        ("claims", 0, "figures", 2, "quote", "source"),
        _DELETE,
        "claims/0/figures/2/quote",
    ),
    ("sources not a list", ("sources",), "northwire-kessel-dam", "sources"),
    ("no sources at all", ("sources",), [], "sources"),
]


@pytest.mark.parametrize("what, path, value, where", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_briefings_are_rejected_by_the_schema(what, path, value, where):
    data = read(NEWUSER)
    assert list(validator("briefing").iter_errors(data)) == []
    wrong = copy.deepcopy(data)
    _set(wrong, path, value)
    errors = list(validator("briefing").iter_errors(wrong))
    assert errors, what
    assert where in {"/".join(map(str, e.absolute_path)) for e in errors}


@pytest.mark.parametrize(
    "document, text, where",
    [
        ("actors", "actors:\n  - id: x\n    name: X\n    kind: persn\n", "actors/0/kind"),
        (
            "actors",
            "actors:\n  - id: x\n    name: X\n    kind: person\n    wikidata: 7747\n",
            "actors/0/wikidata",
        ),
        (
            "sources",
            "sources:\n  - id: s\n    title: S\n    published: 2025-12-29\n    url: javascript:alert(1)\n",
            "sources/0/url",
        ),
        (
            "sources",
            "sources:\n  - id: s\n    title: S\n    published: 2025-12-29\n    text: ../etc/passwd\n",
            "sources/0/text",
        ),
    ],
    ids=["actor-kind", "wikidata", "javascript-url", "text-outside-seeds"],
)
def test_wrong_registries_are_rejected_by_the_schema(tmp_path, document, text, where):
    path = tmp_path / f"{document}.yaml"
    path.write_text(text, encoding="utf-8")
    errors = list(validator(document).iter_errors(read(path)))
    assert where in {"/".join(map(str, e.absolute_path)) for e in errors}
