"""Documents derived from the schema declaration: the format reference (Markdown) and JSON Schema."""

from __future__ import annotations

import json
from typing import Any

from . import pages, schema
from .fieldtypes import Date, Enum, FieldType, Id, ListOf, Number, Pattern, Ref, SeedPath, Text, Url

DOCUMENTS = {
    "briefing": schema.BRIEFING,
    "actors": schema.ACTORS_FILE,
    "sources": schema.SOURCES_FILE,
}
"""Top-level documents: name → record (content/briefings/*.yaml, content/actors.yaml, content/sources.yaml)."""


def _type_words(t) -> str:
    if isinstance(t, schema.Record):
        return f"{t.name} (see below)"
    if isinstance(t, ListOf):
        least = f", at least {t.min_items}" if t.min_items else ""
        return f"list of {_type_words(t.item)}{least}"
    if isinstance(t, Ref):
        return {"thread": "call, claim or open-issue id"}.get(t.target, f"{t.target} id")
    if isinstance(t, Id):
        return "id"
    if isinstance(t, Enum):
        return " \\| ".join(f"`{v}`" for v in t.values)
    if isinstance(t, Date):
        return "date (a day)" if t.day_only else "date"
    if isinstance(t, Text):
        most = f"at most {t.max_length:,} characters"
        return f"text, paragraphs allowed ({most})" if t.paragraphs else f"text (one line, {most})"
    words = {Url: "http(s) URL", SeedPath: "path under `seeds/`", Number: "number", Pattern: "text"}
    return words.get(type(t), type(t).__name__)


def _records() -> list[schema.Record]:
    seen: list[schema.Record] = []

    def visit(r: schema.Record) -> None:
        if r in seen:
            return
        seen.append(r)
        for f in r.fields:
            t = f.type.item if isinstance(f.type, ListOf) else f.type
            if isinstance(t, schema.Record):
                visit(t)

    for r in DOCUMENTS.values():
        visit(r)
    return seen


def format_reference() -> str:
    """The format reference in Markdown, generated from schema.py (`make format-doc`)."""
    out = [
        f"# Briefing format, version {schema.FORMAT_VERSION}: field reference",
        "",
        "Generated from `generator/schema.py` by `briefing schema --markdown`; do not edit by hand.",
        "Every value is read as text and converted per field; unknown fields are errors.",
        "",
    ]
    for r in _records():
        out += [f"## {r.name}", "", r.doc, "", "| field | type | required | meaning |", "| --- | --- | --- | --- |"]
        for f in r.fields:
            out.append(f"| `{f.name}` | {_type_words(f.type)} | {'yes' if f.required else ''} | {f.doc} |")
        out.append("")
    out += pages.reference()
    return "\n".join(out)


def _json(t) -> dict:
    if isinstance(t, schema.Record):
        return {"$ref": f"#/$defs/{t.name.replace(' ', '_')}"}
    if isinstance(t, ListOf):
        s: dict[str, Any] = {"type": "array", "items": _json(t.item)}
        if t.min_items:
            s["minItems"] = t.min_items
        return s
    assert isinstance(t, FieldType)
    return t.json_schema()


def _object(r: schema.Record) -> dict:
    return {
        "type": "object",
        "description": r.doc,
        "additionalProperties": False,
        "required": [f.name for f in r.fields if f.required],
        "properties": {f.name: {**_json(f.type), "description": f.doc} for f in r.fields},
    }


def json_schema(document: str) -> dict:
    """JSON Schema (draft 2020-12) of one top-level document, for editors' completion."""
    root = DOCUMENTS[document]
    defs = {r.name.replace(" ", "_"): _object(r) for r in _records() if r is not root}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{document}.schema.json",
        "title": f"Briefing format v{schema.FORMAT_VERSION}: {root.name}",
        **_object(root),
        "$defs": defs,
    }


def json_schema_text(document: str) -> str:
    return json.dumps(json_schema(document), indent=2, ensure_ascii=False) + "\n"
