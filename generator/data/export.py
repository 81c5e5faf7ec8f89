"""Every record of the archive as JSON: ``data/records.json``, and its JSON Schema ``data/records.schema.json``.

Both are written into the docs folder beside the pages, so MkDocs copies them
into the site as they are. Their bytes depend only on the content and
mkdocs.yml: records are sorted, and no clock or hash order is involved. The
schema is derived from the format's record declarations (model.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from generator.data.published import Published
from generator.data.reference import def_name, record_schema
from generator.data.timelinejs import TIMELINE, compact, event_head, timeline_json
from generator.format import model, schema
from generator.format.fieldtypes import DateValue, OneOrMore, Speakers
from generator.format.model import Archive, Briefing, Quote, RecordBase
from generator.pages import urls
from generator.pages.changes import BriefingChanges
from generator.pages.links import briefing_url

RECORDS = urls.RECORDS_JSON
RECORDS_SCHEMA = urls.RECORDS_SCHEMA

THREAD_FAMILIES = (
    ("calls", "call", model.Call.record),
    ("claims", "claim", model.Claim.record),
    ("open_issues", "issue", model.OpenIssue.record),
)
"""(key in records.json, thread kind, record declaration)."""


def _value(v, site: Published):
    t = type(v)  # exact types first: this runs for every value of the archive
    if t is str:
        return v
    if t is list:
        return [_value(x, site) for x in v]
    if t is DateValue:
        return v.text
    if t is Quote:
        return _quote(v, site)
    if isinstance(v, RecordBase):
        return _fields(v, site)
    return v


@cache
def _names(record: schema.Record) -> tuple[str, ...]:
    return tuple(f.name for f in record.fields)


def _fields(r: RecordBase, site: Published, skip: tuple[str, ...] = ()) -> dict:
    """The record's fields as in the format, in schema order; absent ones left out."""
    out: dict[str, Any] = {}
    for name in _names(r.record):
        v = getattr(r, name)
        if v is None or v == [] or name in skip:
            continue
        if type(v) is Speakers:  # the first id, for readers of format 1, then every one
            out[name] = str(v)
            field_type = r.record.by_name[name].type
            assert isinstance(field_type, OneOrMore)
            out[field_type.all_key] = list(v.all)
            continue
        out[name] = _value(v, site)
    return out


def _quote(q: Quote, site: Published) -> dict:
    out = _fields(q, site)
    out["verified"] = q.verified
    out["permalink"] = site(urls.source(q.source), q.anchor if q.verified else "")
    return out


def _what_changed(ch: BriefingChanges) -> dict:
    return {
        "previous": ch.previous.id if ch.previous else None,
        "claims_added": [c.id for c in ch.added_claims],
        "claims_dropped": [c.id for c in ch.dropped_claims],
        "issues_added": [i.id for i in ch.added_issues],
        "issues_dropped": [i.id for i in ch.dropped_issues],
        "statuses": [
            {
                "kind": s.thread.thread_kind,
                "id": s.thread.id,
                "before": s.before,
                "after": s.after,
                "trend": s.trend,
            }
            for s in ch.statuses
        ],
        "figures": [
            {
                "claim": f.claim.id,
                "before": {"value": f.before.value, "unit": f.before.unit} if f.before else None,
                "after": {"value": f.after.value, "unit": f.after.unit},
            }
            for f in ch.figures
        ],
        "positions": [
            {
                "issue": p.issue.id,
                "actor": p.position.actor,
                "before": p.before,
                "after": p.position.position,
            }
            for p in ch.positions
        ],
    }


Fragments = tuple[str, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]
"""A briefing's part of the data files, as JSON text: its entry in records.json up to what changed (which other
briefings shape); the JSON of each of its records, by family (:data:`THREAD_FAMILIES`), in its order; and the
head of each record's timeline event (``timelinejs.event_head``; none for an open issue), the same way. It
depends only on the briefing's file, the source texts its quotes were placed in, the actors and the site's
settings, so a generation may keep it for the next (output/keptdata.py)."""


def briefing_fragments(b: Briefing, archive: Archive, site: Published) -> Fragments:
    """The briefing's :data:`Fragments`."""
    entry = {
        "id": b.id,
        "permalink": site(briefing_url(b)),
        **_fields(b, site, ("id", "calls", "claims", "open_issues", "changes")),
    }
    for key, _, _ in THREAD_FAMILIES:
        entry[key] = [t.id for t in getattr(b, key)]
    if b.changes:
        entry["changes"] = _value(b.changes, site)
    records = tuple(
        tuple(
            compact({"briefing": b.id, "permalink": site.thread(t), **_fields(t, site)})
            for t in getattr(b, key)
        )
        for key, _, _ in THREAD_FAMILIES
    )
    events = tuple(
        tuple(event_head(archive, t, site) for t in getattr(b, key)) if key != "open_issues" else ()
        for key, _, _ in THREAD_FAMILIES
    )
    return compact(entry)[:-1], records, events


def records_json(
    archive: Archive,
    index,
    site: Published,
    fragments: Callable[[Briefing], Fragments],
) -> bytes:
    """records.json: every actor, source, briefing and thread (call, claim, open issue) with its records,
    sorted by id; briefings in date order (then id), the records of a thread in the order of their briefings.
    Compact JSON (keys in the order built), UTF-8, with a final newline, put together from each briefing's
    :data:`Fragments` (``fragments(b)``) as :func:`dumps` would write the whole."""
    schema_url = site(RECORDS_SCHEMA) if site.base else "records.schema.json"  # beside records.json
    actors = [
        {"id": a.id, "permalink": site(urls.actor(a.id)), **_fields(a, site, ("id",))}
        for a in sorted(archive.actors.values(), key=lambda a: a.id)
    ]
    sources = [
        {"id": s.id, "permalink": site(urls.source(s.id)), **_fields(s, site, ("id",))}
        for s in sorted(archive.sources.values(), key=lambda s: s.id)
    ]
    head = {
        "$schema": schema_url,
        "format_version": schema.FORMAT_VERSION,
        "site_url": site.base,
        "actors": actors,
        "sources": sources,
    }
    out = [compact(head)[:-1], ',"briefings":[']
    of_record: dict[int, str] = {}
    for i, b in enumerate(archive.briefings):
        entry, records, _ = fragments(b)
        for (key, _, _), texts in zip(THREAD_FAMILIES, records, strict=True):
            of_record.update(zip(map(id, getattr(b, key)), texts, strict=True))
        out += [
            "," if i else "",
            entry,
            ',"what_changed":',
            compact(_what_changed(index.changes[b.id])),
            "}",
        ]
    out.append("]")
    families = {"call": index.calls, "claim": index.claims, "issue": index.issues}
    for key, kind, _ in THREAD_FAMILIES:
        threads = []
        for thread_id, chain in sorted(families[kind].items()):
            latest = chain[-1]
            said = compact(
                {
                    "id": thread_id,
                    "permalink": site.thread(latest),
                    "story": latest.briefing.story,
                    "briefings": [t.briefing.id for t in chain],
                }
            )
            joined = ",".join(of_record[id(t)] for t in chain)
            threads.append(f'{said[:-1]},"records":[{joined}]}}')
        out.append(f",{compact(key)}:[{','.join(threads)}]")
    out.append("}\n")
    return "".join(out).encode("utf-8")


def _object(r: schema.Record, extra: dict | None = None, required: tuple[str, ...] = ()) -> dict:
    """A record's fields as exported, with ``extra`` properties first."""
    return record_schema(r, exported=True, extra=extra, required=required)


_PERMALINK = {
    "type": "string",
    "description": "Address of the record on the site (absolute when site_url is set).",
}
_IDS = {"type": "array", "items": {"type": "string"}}


def _briefing_schema() -> dict:
    """A briefing of records.json: its fields, its address, the ids of its threads and what changed."""
    briefing = _object(
        model.Briefing.record, {"permalink": _PERMALINK}, required=("permalink", "what_changed")
    )
    for key, kind, _ in THREAD_FAMILIES:
        briefing["properties"][key] = {
            **_IDS,
            "description": f"Ids of its {kind} threads (records under '{key}').",
        }
    briefing["properties"]["what_changed"] = {"$ref": "#/$defs/what_changed"}
    return briefing


_STATUS_NOTE = (
    " It means something on a fact (or a claim of no stated kind) only: on an opinion, characterisation or "
    "forecast the pages show none, and a reader of this file should show none either."
)
"""Added to the description of a claim record's status in records.schema.json."""


def _thread_schema(kind: str, record: schema.Record) -> dict:
    """A thread of records.json: its id, address, story, briefings and its record in each."""
    return {
        "type": "object",
        "description": f"A {record.name} thread: the same id across briefings, with its record in each.",
        "additionalProperties": False,
        "required": ["id", "permalink", "story", "briefings", "records"],
        "properties": {
            "id": {"type": "string"},
            "permalink": {**_PERMALINK, "description": "Address of the latest record."},
            "story": {
                "type": ["string", "null"],
                "description": "Story of the thread's latest briefing.",
            },
            "briefings": {
                **_IDS,
                "description": "Ids of the briefings holding the thread, oldest first.",
            },
            "records": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": f"#/$defs/{kind}_record"},
            },
        },
    }


def records_schema(site: Published) -> dict:
    """JSON Schema (draft 2020-12) of records.json, derived from the format's record declarations (model.py)."""
    defs: dict[str, dict] = {}

    def visit_parts(r: schema.Record) -> None:
        """Defs of the records nested in ``r`` (quotes, figures, positions, …)."""
        for _, _, t in schema.walk(r):
            if isinstance(t, schema.Record) and t not in tops and def_name(t) not in defs:
                defs[def_name(t)] = _object(t)
                visit_parts(t)

    tops = (
        model.Actor.record,
        model.Source.record,
        model.Briefing.record,
        model.Call.record,
        model.Claim.record,
        model.OpenIssue.record,
    )
    for r in tops:
        visit_parts(r)
    defs["quote"] = _object(
        model.Quote.record,
        {
            "verified": {
                "type": "boolean",
                "description": "Found word for word in the source's local text.",
            },
            "permalink": {
                **_PERMALINK,
                "description": "The highlighted words on the source's page (the page when not verified).",
            },
        },
        required=("verified", "permalink"),
    )
    for r in (model.Actor.record, model.Source.record):
        defs[def_name(r)] = _object(r, {"permalink": _PERMALINK}, required=("permalink",))
    defs["briefing"] = _briefing_schema()
    defs["what_changed"] = _what_changed_schema()
    for _, kind, record in THREAD_FAMILIES:
        holder = {"type": "string", "description": "Id of the briefing holding this record."}
        defs[f"{kind}_record"] = _object(
            record,
            {"briefing": holder, "permalink": _PERMALINK},
            required=("briefing", "permalink"),
        )
        defs[f"{kind}_thread"] = _thread_schema(kind, record)
    defs["claim_record"]["properties"]["status"]["description"] += _STATUS_NOTE
    top = {
        "$schema": {"type": "string"},
        "format_version": {"const": schema.FORMAT_VERSION},
        "site_url": {"type": "string"},
        "actors": {"type": "array", "items": {"$ref": "#/$defs/actor"}},
        "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        "briefings": {"type": "array", "items": {"$ref": "#/$defs/briefing"}},
        **{
            key: {"type": "array", "items": {"$ref": f"#/$defs/{kind}_thread"}}
            for key, kind, _ in THREAD_FAMILIES
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": site(RECORDS_SCHEMA) if site.base else "records.schema.json",
        "title": f"Briefing records (format v{schema.FORMAT_VERSION})",
        "description": "Every actor, source, briefing, call, claim and open issue, with its address on the site.",
        "type": "object",
        "additionalProperties": False,
        "required": list(top),
        "properties": top,
        "$defs": dict(sorted(defs.items())),
    }


def _what_changed_schema() -> dict:
    def obj(props: dict) -> dict:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(props),
            "properties": props,
        }

    s, ids = {"type": "string"}, _IDS
    figure = {"anyOf": [{"type": "null"}, obj({"value": {"type": "number"}, "unit": s})]}
    return {
        **obj(
            {
                "previous": {"type": ["string", "null"]},
                "claims_added": ids,
                "claims_dropped": ids,
                "issues_added": ids,
                "issues_dropped": ids,
                "statuses": {
                    "type": "array",
                    "items": obj(
                        {
                            "kind": {"enum": ["claim", "issue"]},
                            "id": s,
                            "before": s,
                            "after": s,
                            "trend": {"enum": ["up", "down", "level"]},
                        }
                    ),
                },
                "figures": {
                    "type": "array",
                    "items": obj({"claim": s, "before": figure, "after": figure["anyOf"][1]}),
                },
                "positions": {
                    "type": "array",
                    "items": obj(
                        {"issue": s, "actor": s, "before": {"type": ["string", "null"]}, "after": s}
                    ),
                },
            }
        ),
        "description": "What changed since the previous briefing of the story (null previous: nothing to compare).",
    }


def dumps(value) -> bytes:
    """Compact, deterministic JSON (keys in the order built), UTF-8, with a final newline."""
    return (compact(value) + "\n").encode("utf-8")


def data_files(
    archive: Archive,
    index,
    site: Published,
    fragments: Callable[[Briefing], Fragments] | None = None,
) -> dict[str, bytes]:
    """The data files of the site: docs path → bytes; ``fragments(b)``: each briefing's :data:`Fragments` (by
    default made here), asked for once a briefing."""
    make = fragments or (lambda b: briefing_fragments(b, archive, site))
    parts = {id(b): make(b) for b in archive.briefings}
    heads: dict[int, str] = {}
    for b in archive.briefings:
        for (key, _, _), said in zip(THREAD_FAMILIES, parts[id(b)][2], strict=True):
            heads.update(zip(map(id, getattr(b, key)), said, strict=False))
    return {
        RECORDS: records_json(archive, index, site, lambda b: parts[id(b)]),
        RECORDS_SCHEMA: (
            json.dumps(records_schema(site), ensure_ascii=False, indent=1) + "\n"
        ).encode("utf-8"),
        TIMELINE: timeline_json(index, site, lambda t: heads[id(t)]),
    }
