"""Documents derived from the schema stay in sync with it."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from generator.data.reference import DOCUMENTS, format_reference, json_schema, json_schema_text
from generator.format import model, schema


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_committed_json_schemas_are_current(name):
    committed = (ROOT / "content" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(name), (
        "run `briefing schema --write` and commit the result"
    )


def test_committed_format_reference_is_current():
    assert (ROOT / "FORMAT-REFERENCE.md").read_text(encoding="utf-8") == format_reference()


def test_every_field_is_described_in_both():
    reference = format_reference()
    briefing = json.dumps(json_schema("briefing"))
    for record in (
        model.Briefing.record,
        model.Claim.record,
        model.Call.record,
        model.OpenIssue.record,
        model.Quote.record,
    ):
        for f in record.fields:
            assert f"| `{f.name}` |" in reference
            assert f'"{f.name}"' in briefing
            assert f.doc in reference


def test_json_schema_refuses_unknown_fields_and_requires_fields():
    s = json_schema("briefing")
    assert s["additionalProperties"] is False
    assert s["required"] == ["id", "title", "date", "summary", "sources"]
    claim = s["$defs"]["claim"]
    assert claim["properties"]["status"]["enum"] == list(schema.EVIDENCE_STATUSES)


def test_schema_lines_in_shipped_content_point_at_existing_files():
    for path in [
        ROOT / "content" / "actors.yaml",
        ROOT / "content" / "sources.yaml",
        *sorted((ROOT / "content" / "briefings").glob("*.yaml")),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target}"
