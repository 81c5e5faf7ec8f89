"""Records as YAML text an editor is happy to edit: block style, fields in schema order.

Every scalar is read back as text by the loader, yet quoting still matters:
``a: b``, ``# x`` or a leading quote would change the document, and text that
other YAML tools read as a number, boolean or null is quoted so that an
editor's schema check sees text where the format expects text. Long text of
paragraph fields is folded; text with line breaks is a literal block.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import yaml

from generator.format import model, schema
from generator.format.fieldtypes import DateValue, Flag, ListOf, Number, OneOrMore, Text
from generator.format.model import RecordBase

SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/briefing.schema.json"
"""First line of every briefing file: editors with a YAML language server get completion from it."""

WIDTH = 78
"""Folded text is wrapped to this many columns."""

_HEAD = ("id", "title", "date", "story", "story_title", "status", "draft")
"""Top-level fields written together at the top; every other field gets a blank line before it."""

_THREADS = (model.Call.record, model.Claim.record, model.OpenIssue.record)
"""Records separated by blank lines in their lists, as editors write them."""


def briefing_yaml(values: dict, source_note: str | None = None) -> str:
    """A briefing as block-style YAML, fields in schema order; ``values`` maps field names to values.

    Values are text, lists, ``{field: value}`` dicts or model records (whose
    fields are walked in the order of their schema declaration).
    """
    lines = [SCHEMA_LINE]
    for f in model.Briefing.record.fields:
        value = values.get(f.name)
        if value is None or value == []:
            continue
        if f.name not in _HEAD:
            lines.append("")
        field_lines = _field(f, value, 0)
        if f.name == "sources" and source_note:
            field_lines.insert(1, f"  # {source_note}")
        lines += field_lines
    return "\n".join(lines) + "\n"


def source_entry_yaml(values: dict) -> str:
    """One entry of sources.yaml (an item of its ``sources:`` list), fields in schema order."""
    lines = _mapping(model.Source.record, values, 4)
    lines[0] = "  - " + lines[0].lstrip()
    return "\n".join(lines) + "\n"


def _values_of(item) -> Callable[[str], object]:
    if isinstance(item, RecordBase):
        return lambda name: getattr(item, name)
    return item.get


def _mapping(record: schema.Record, item, indent: int) -> list[str]:
    value_of = _values_of(item)
    lines: list[str] = []
    for f in record.fields:
        value = value_of(f.name)
        if value is None or value == []:
            continue
        if isinstance(f.type, Number) and isinstance(item, RecordBase):
            value = _number_text(item, f.name, value)
        lines += _field(f, value, indent)
    return lines


def _field(f: schema.Field, value, indent: int) -> list[str]:
    pad = " " * indent
    t = f.type
    if isinstance(t, schema.Record):
        return [f"{pad}{f.name}:", *_mapping(t, value, indent + 2)]
    if isinstance(t, ListOf):
        lines = [f"{pad}{f.name}:"]
        spaced = indent == 0 and t.item in _THREADS
        for i, item in enumerate(value):
            if spaced and i:
                lines.append("")
            if isinstance(t.item, schema.Record):
                sub = _mapping(t.item, item, indent + 4)
                sub[0] = f"{pad}  - {sub[0].lstrip()}"
                lines += sub
            else:
                lines += _scalar(f"{pad}  - ", _text(item), t.item, indent + 4)
        return lines
    if isinstance(t, OneOrMore) and len(getattr(value, "all", ())) > 1:  # said together: the list
        return [
            f"{pad}{f.name}:",
            *(line for v in value.all for line in _scalar(f"{pad}  - ", v, t.item, indent + 4)),
        ]
    return _scalar(f"{pad}{f.name}: ", _text(value), t, indent + 2)


def _text(value) -> str:
    if isinstance(value, DateValue):
        return value.text
    if isinstance(value, bool):  # a Flag (draft): written as YAML's own word, never Python's True
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _number_text(rec: RecordBase, name: str, value) -> str:
    """A number as the editor typed it (the converted float may print differently)."""
    node = rec.nodes.get(name)
    raw = getattr(node, "value", None)
    return raw.strip().replace("_", "") if isinstance(raw, str) else _text(value)


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_resolver = yaml.resolver.Resolver()


def _analysis(text: str):
    return yaml.emitter.Emitter(io.StringIO(), allow_unicode=True).analyze_scalar(text)


def _scalar(prefix: str, text: str, type_, indent: int) -> list[str]:
    """``prefix`` followed by ``text`` as a YAML scalar; block scalars continue at ``indent``."""
    if isinstance(type_, (Number, Flag)):
        # digits as typed, true or false: YAML tools read what they are
        return [prefix + text]
    paragraphs = isinstance(type_, Text) and type_.paragraphs
    if paragraphs and ("\n" in text or "\r" in text):
        if _literal_ok(text):
            return [
                f"{prefix}|",
                *(f"{' ' * indent}{line}" if line else "" for line in text.split("\n")),
            ]
        return [prefix + _double_quoted(text)]
    if paragraphs and len(prefix) + len(text) > WIDTH and _fold_ok(text):
        return [f"{prefix}>", *_wrap(text, indent)]
    return [prefix + inline(text)]


def inline(text: str) -> str:
    """``text`` as a one-line YAML scalar: plain where that reads back the same, quoted otherwise.

    Every scalar is read as text by the loader, but text that other YAML tools
    read as a number, boolean or null (``yes``, ``1.5``, ``~``) is quoted too, so an
    editor's schema check sees text where the format expects text.
    """
    a = _analysis(text)
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if a.allow_block_plain and not a.multiline and not a.empty and tag in (_STR, _TIMESTAMP):
        return text
    if a.allow_single_quoted and not a.multiline and "'" not in text and '"' in text:
        return f"'{text}'"
    return _double_quoted(text)


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o <= 0x7E
        or (0xA0 <= o <= 0xD7FF and ch not in "\u2028\u2029")
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or o >= 0x10000
    )


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02X}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def _literal_ok(text: str) -> bool:
    """A literal block keeps these lines exactly: no carriage returns, trailing blanks or special characters."""
    if "\r" in text or not _analysis(text).allow_block:
        return False
    return all(line == line.rstrip(" \t") for line in text.split("\n")) and not text[:1].isspace()


def _fold_ok(text: str) -> bool:
    """Folding joins lines with one space: safe for one line of text without runs of blanks or tabs."""
    return (
        "  " not in text
        and "\t" not in text
        and text == text.strip()
        and _analysis(text).allow_single_quoted
    )


def _wrap(text: str, indent: int) -> list[str]:
    pad = " " * indent
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(pad) + len(line) + 1 + len(word) > WIDTH:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(pad + line)
    return lines
