"""Turn loaded nodes into model records by the schema, reporting every mismatch."""

from __future__ import annotations

from . import model, schema
from .errors import Collector
from .fieldtypes import FieldType, Invalid, ListOf, expect_list, expect_mapping
from .loader import Node
from .suggest import did_you_mean


def to_record(node: Node, record: schema.Record, where: str, out: Collector):
    """Validate ``node`` as a ``record``; return the model object, or None when it is no mapping.

    A record with problems is still returned (missing or bad fields are None),
    so that the cross-file checks run and every error is reported in one run;
    nothing is rendered while any problem stands.
    """
    try:
        mapping = expect_mapping(node)
    except Invalid as exc:
        out.at(node, where, str(exc))
        return None
    names = [f.name for f in record.fields]
    values: dict = {}
    nodes: dict[str, Node] = {}
    for key, (key_node, value_node) in mapping.items.items():
        f = record.field(key)
        path = f"{where}.{key}" if where else key
        if f is None:
            out.at(key_node, path, f"unknown field '{key}' in {_article(record.name)} {record.name}{did_you_mean(key, names)}")
            continue
        nodes[key] = value_node
        value = convert(value_node, f.type, path, out)
        if value is not _BAD:
            values[key] = value
    for f in record.fields:
        if f.required and f.name not in mapping.items:
            path = f"{where}.{f.name}" if where else f.name
            out.at(mapping, path, f"required field is missing; add it ({f.doc})")
    return model.CLASSES[record](values, nodes, mapping, where)


_BAD = object()


def convert(node: Node, type_, path: str, out: Collector):
    if isinstance(type_, schema.Record):
        rec = to_record(node, type_, path, out)
        return _BAD if rec is None else rec
    if isinstance(type_, ListOf):
        try:
            seq = expect_list(node)
        except Invalid as exc:
            out.at(node, path, str(exc))
            return _BAD
        if len(seq.items) < type_.min_items:
            out.at(node, path, f"needs at least {type_.min_items} item(s), found {len(seq.items)}")
        items = []
        for i, item in enumerate(seq.items):
            value = convert(item, type_.item, f"{path}[{i}]", out)
            if value is not _BAD:
                items.append(value)
        return items
    assert isinstance(type_, FieldType)
    try:
        return type_.convert(node)
    except Invalid as exc:
        out.at(node, path, str(exc))
        return _BAD


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"
