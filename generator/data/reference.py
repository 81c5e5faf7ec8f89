"""Documents derived from the schema declaration: the format reference (Markdown) and JSON Schema."""

from __future__ import annotations

import json
from typing import Any

from generator.check import handwritten
from generator.format import model, schema
from generator.format.fieldtypes import (
    Date,
    Enum,
    FieldType,
    Id,
    ListOf,
    Number,
    OneOrMore,
    Pattern,
    Ref,
    SeedPath,
    Text,
    Url,
)

DOCUMENTS = {
    "briefing": model.Briefing.record,
    "actors": model.ActorsFile.record,
    "sources": model.SourcesFile.record,
}
"""Top-level documents: name → record (content/briefings/*.yaml, content/actors.yaml, content/sources.yaml)."""


def _type_words(t) -> str:
    if isinstance(t, schema.Record):
        return f"{t.name} (see below)"
    if isinstance(t, ListOf):
        least = f", at least {t.min_items}" if t.min_items else ""
        return f"list of {_type_words(t.item)}{least}"
    if isinstance(t, OneOrMore):
        return f"{_type_words(t.item)}, or a list of two or more"
    if isinstance(t, Ref):
        return {"thread": "call, claim or open-issue id"}.get(t.target, f"{t.target} id")
    if isinstance(t, Id):
        return "id"
    if isinstance(t, Enum):
        return " \\| ".join(f"`{v}`" for v in t.values)
    if isinstance(t, Date):
        return "date (a day)" if t.day_only else "date, or `unknown`" if t.unknown else "date"
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
        for _, _, t in schema.walk(r):
            if isinstance(t, schema.Record):
                visit(t)

    for r in DOCUMENTS.values():
        visit(r)
    return seen


def format_reference() -> str:
    """The format reference in Markdown, generated from the record declarations (`briefing schema --markdown`)."""
    out = [
        f"# Briefing format, version {schema.FORMAT_VERSION}: field reference",
        "",
        "Generated from `generator/format/model.py` by `briefing schema --markdown`; do not edit by hand.",
        "Every value is read as text and converted per field; unknown fields are errors.",
        "",
    ]
    for r in _records():
        out += [
            f"## {r.name}",
            "",
            r.doc,
            "",
            "| field | type | required | meaning |",
            "| --- | --- | --- | --- |",
        ]
        for f in r.fields:
            out.append(
                f"| `{f.name}` | {_type_words(f.type)} | {'yes' if f.required else ''} | {f.doc} |"
            )
        out.append("")
    out += RULES
    out += handwritten.reference()
    return "\n".join(out)


RULES = [
    "## rules across fields",
    "",
    "What `briefing check` holds beyond each field's type (errors fail the check; warnings are printed and "
    "pass, since each may be deliberate):",
    "",
    "| rule | kind |",
    "| --- | --- |",
    "| an id is never `index`, which names a section's own page | error |",
    "| a quote, its `prefix` and its `suffix` are found in the source's text as whole words ('resolved' is "
    "not quoted from 'unresolved') | error |",
    "| a figure that rests on a quote shows a number its words write (91, 1,200, 2.5 million, ninety-one) | "
    "error |",
    "| a claimant that is a source is one of the briefing's `sources` | error |",
    "| a source text (`seeds/`) holds no control or bidi character; a byte order mark is dropped and a lone "
    "CR is a line break | error |",
    "| a name or title holds no invisible mark (U+200B, U+200E, U+200F, U+061C, U+2060, U+FEFF) that its "
    "letters do not need | error |",
    "| `corroborated` rests on quotes from two sources or a claim of another party that `supports` it | "
    "warning |",
    "| `disputed` has a claim of another party that `disputes` it, or disputes one itself; `refuted` has a "
    "disputing claim or a review of `false` or `misleading` | warning |",
    "| a review's verdict does not say the opposite of the status (accurate against refuted or retracted, "
    "false against corroborated), and is not dated after its briefing | warning |",
    "| two actors' names do not read the same (case, look-alike letters of other scripts, invisible "
    "characters folded) | warning |",
    "| an actor or source that only drafts name is left out of the site | warning |",
    "| a claim `disputes`, `supports` or `supersedes` only claims of its own story | error |",
    "| a `related` link to another story's thread; a story id one letter off an existing one; a story with no "
    "`story_title`; a briefing that repeats its predecessor's bottom line, summary or key points, or cites no "
    "source newer than its predecessor's; a source no briefing cites; two briefings of one story on one date | "
    "warning |",
    "",
]


def def_name(r: schema.Record) -> str:
    """The key of a record's schema under ``$defs``."""
    return r.name.replace(" ", "_")


def value_schema(t: FieldType | schema.Record | ListOf, exported: bool = False) -> dict[str, Any]:
    """JSON Schema of a field's value as written in a content file or, ``exported``, as records.json holds it
    (numbers as numbers; a list as it is, since an empty one is left out)."""
    if isinstance(t, schema.Record):
        return {"$ref": f"#/$defs/{def_name(t)}"}
    if isinstance(t, ListOf):
        s: dict[str, Any] = {"type": "array", "items": value_schema(t.item, exported)}
        if t.min_items and not exported:
            s["minItems"] = t.min_items
        return s
    if exported and isinstance(t, Number):
        return {"type": "number"}
    return t.json_schema()


def record_schema(
    r: schema.Record,
    exported: bool = False,
    extra: dict[str, Any] | None = None,
    required: tuple[str, ...] = (),
) -> dict[str, Any]:
    """JSON Schema of a record (see :func:`value_schema` for ``exported``), with ``extra`` properties first.

    Exported, a field of one or more ids (a claimant) is its first id, and a list of them all follows it."""
    properties: dict[str, Any] = dict(extra or {})
    needed = [*required, *(f.name for f in r.fields if f.required)]
    for f in r.fields:
        if exported and isinstance(f.type, OneOrMore):
            one = f.type.item.json_schema()
            properties[f.name] = {**one, "description": f"The first of {f.type.all_key}. {f.doc}"}
            properties[f.type.all_key] = {
                "type": "array",
                "items": one,
                "minItems": 1,
                "description": f"Every one of them, one or more: {f.doc}",
            }
            if f.required:
                needed.append(f.type.all_key)
            continue
        properties[f.name] = {**value_schema(f.type, exported), "description": f.doc}
    return {
        "type": "object",
        "description": r.doc,
        "additionalProperties": False,
        "required": needed,
        "properties": properties,
    }


def json_schema(document: str) -> dict:
    """JSON Schema (draft 2020-12) of one top-level document, for editors' completion."""
    root = DOCUMENTS[document]
    defs = {def_name(r): record_schema(r) for r in _records() if r is not root}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{document}.schema.json",
        "title": f"Briefing format v{schema.FORMAT_VERSION}: {root.name}",
        **record_schema(root),
        "$defs": defs,
    }


def json_schema_text(document: str) -> str:
    return json.dumps(json_schema(document), indent=2, ensure_ascii=False) + "\n"
