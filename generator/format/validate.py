"""Turn loaded nodes into model records by the schema, reporting every mismatch."""

from __future__ import annotations

from functools import cache

from generator.errors import Collector
from generator.format import model, schema
from generator.format.fieldtypes import FieldType, Invalid, ListOf, expect_list, expect_mapping
from generator.format.loader import Node
from generator.suggest import did_you_mean


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
    values: dict = {}
    nodes: dict[str, Node] = {}
    fields = _fields(record)
    for key, (key_node, value_node) in mapping.items.items():
        f, plain = fields.get(key, _UNKNOWN)
        if plain:  # no field path is made unless the value is wrong
            nodes[key] = value_node
            try:
                values[key] = f.type.convert(value_node)
            except Invalid as exc:
                out.at(value_node, f"{where}.{key}" if where else key, str(exc))
            continue
        path = f"{where}.{key}" if where else key
        if f is None:
            names = [f.name for f in record.fields]
            out.at(
                key_node,
                path,
                f"unknown field '{key}' in {_article(record.name)} {record.name}{did_you_mean(key, names)}",
            )
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


_UNKNOWN = (None, False)


def _plain(type_) -> bool:
    """A value type (text, id, date…), neither a list nor a record."""
    return isinstance(type_, FieldType) and not isinstance(type_, ListOf)


@cache
def _plain_item(type_: ListOf) -> bool:
    return _plain(type_.item)


@cache
def _fields(record: schema.Record) -> dict[str, tuple]:
    """Field name → (field, whether it holds a plain value), computed once per record kind."""
    return {f.name: (f, _plain(f.type)) for f in record.fields}


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
        plain = type_.item if _plain_item(type_) and isinstance(type_.item, FieldType) else None
        for i, item in enumerate(seq.items):
            if plain is not None:  # ids, text: no path made unless the item is wrong
                try:
                    items.append(plain.convert(item))
                except Invalid as exc:
                    out.at(item, f"{path}[{i}]", str(exc))
                continue
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
