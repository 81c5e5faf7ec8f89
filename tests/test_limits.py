"""Length caps on text fields (B9): declared once in schema.py, enforced by `check`, carried to editors."""

from __future__ import annotations

import json

import pytest
from conftest import BRIEFING, ROOT

from generator.format import model, schema
from generator.format.fieldtypes import LABEL_MAX, ListOf, Text
from generator.format.loader import MAX_FILE_BYTES

B1 = "content/briefings/b1.yaml"


def errors(cli, root) -> list[str]:
    run = cli(root, "check")
    assert run.code == 1, run.out
    assert "Traceback" not in run.err
    return run.lines[:-1]


def test_the_three_kinds_of_text():
    assert (schema.LABEL.max_length, schema.LINE.max_length, schema.PARAGRAPHS.max_length) == (
        300,
        2_000,
        5_000,
    )
    assert (
        LABEL_MAX == schema.LABEL.max_length == Text().max_length
    )  # a Text declared without a cap is a label
    assert not schema.LINE.paragraphs and schema.PARAGRAPHS.paragraphs


def _text_fields():
    """(record, field, its Text type) for every text field of the format."""
    seen: set[int] = set()

    def walk(record):
        if id(record) in seen:
            return
        seen.add(id(record))
        for f in record.fields:
            t = f.type.item if isinstance(f.type, ListOf) else f.type
            if isinstance(t, schema.Record):
                yield from walk(t)
            elif isinstance(t, Text):
                yield record, f, t

    for top in (model.Briefing.record, model.ActorsFile.record, model.SourcesFile.record):
        yield from walk(top)


def test_every_text_field_is_one_of_the_three_kinds():
    kinds = {id(schema.LABEL), id(schema.LINE), id(schema.PARAGRAPHS)}
    fields = list(_text_fields())
    # the two history records share their note; a call has a title; format 1.2 adds a review's claim_reviewed,
    # a source's via and inferred publication date, and a quote's translation
    assert len(fields) == 43
    assert [f"{r.name}.{f.name}" for r, f, t in fields if id(t) not in kinds] == []
    assert all(t.paragraphs == (t is schema.PARAGRAPHS) for _, _, t in fields)


DOCUMENTS = {
    "briefing": model.Briefing.record,
    "actors": model.ActorsFile.record,
    "sources": model.SourcesFile.record,
}


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_editor_schemas_carry_each_cap(document):
    """Every text property of the committed JSON Schemas has the maxLength of its field."""
    committed = json.loads(
        (ROOT / "content" / "schemas" / f"{document}.schema.json").read_text(encoding="utf-8")
    )
    for r, f, t in _text_fields():
        record = (
            committed if r is DOCUMENTS[document] else committed["$defs"][r.name.replace(" ", "_")]
        )
        prop = record["properties"][f.name]
        assert prop.get("items", prop)["maxLength"] == t.max_length, f"{r.name}.{f.name}"


def test_format_reference_names_each_cap():
    reference = (ROOT / "FORMAT-REFERENCE.md").read_text(encoding="utf-8")
    assert (
        "| `title` | text (one line, at most 300 characters) | yes | Headline of the briefing. |"
        in reference
    )
    assert "| `key_points` | list of text (one line, at most 2,000 characters) |" in reference
    assert (
        "| `summary` | text, paragraphs allowed (at most 5,000 characters) | yes | Bottom line up front"
        in reference
    )


# (what, where the value goes in the small briefing of conftest, field path, line, column, cap)
PLACES = [
    ("title", "title: First briefing", "title: {}", "title", 2, 8, 300),
    (
        "key point",
        "summary: Talks go on.",
        "summary: Talks go on.\nkey_points:\n  - {}",
        "key_points[0]",
        6,
        5,
        2_000,
    ),
    ("quote", 'exact: "a deal is close"', "exact: {}", "claims[0].quotes[0].exact", 14, 16, 2_000),
    ("summary", "summary: Talks go on.", "summary: {}", "summary", 4, 10, 5_000),
]


@pytest.mark.parametrize("what, old, new, path, line, col, cap", PLACES, ids=[p[0] for p in PLACES])
def test_a_text_over_its_cap_is_refused_at_its_place(
    cli, project, what, old, new, path, line, col, cap
):
    """Up to the cap is accepted; one character more is an error at the field."""
    assert old in BRIEFING
    root = project({B1: BRIEFING.replace(old, new.format("x" * cap), 1)})
    run = cli(root, "check")
    if what == "quote":  # accepted, so looked for in the source text (which does not have it)
        assert run.code == 1 and run.lines[0].startswith(
            f"{B1}:{line}:{col}: {path}: quote not found in source 'wire' (seeds/wire.txt);"
        )
    else:
        assert run.code == 0, run.err
    root = project({B1: BRIEFING.replace(old, new.format("x" * (cap + 1)), 1)})
    assert errors(cli, root) == [
        f"{B1}:{line}:{col}: {path}: must be at most {cap} characters, not {cap + 1}; shorten it"
    ]


def test_a_registry_label_over_its_cap_is_refused(cli, project):
    from conftest import ACTORS

    root = project(
        {"content/actors.yaml": ACTORS.replace("name: Bob Example", "name: " + "B" * 301)}
    )
    assert errors(cli, root) == [
        "content/actors.yaml:6:11: actors[1].name: must be at most 300 characters, not 301; shorten it"
    ]


def test_a_megabyte_title_is_refused(cli, project):
    """The red team's 1.7 MB title built for 206 s into a 284 MB site; under the file cap, it is now one error."""
    title = "<b>x</b>&" * 170_000
    text = BRIEFING.replace("title: First briefing", f'title: "{title}"', 1)
    assert 1_500_000 < len(text.encode()) < MAX_FILE_BYTES
    root = project({B1: text})
    assert errors(cli, root) == [
        f"{B1}:2:8: title: must be at most 300 characters, not {len(title)}; shorten it"
    ]


def test_a_long_title_is_refused_by_the_editor_schema():
    from jsonschema import Draft202012Validator

    committed = json.loads(
        (ROOT / "content" / "schemas" / "briefing.schema.json").read_text(encoding="utf-8")
    )
    data = {
        "id": "b1",
        "title": "x" * 300,
        "date": "2025-12-29",
        "summary": "s",
        "sources": ["wire"],
    }
    assert list(Draft202012Validator(committed).iter_errors(data)) == []
    data["title"] += "x"
    assert [e.json_path for e in Draft202012Validator(committed).iter_errors(data)] == ["$.title"]
