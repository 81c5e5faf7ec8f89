"""Load YAML into position-carrying nodes where every scalar is text.

The event stream of the parser is walked here instead of PyYAML's composer and
constructors, so that (RELIABILITY.md, principle 1):

* every scalar stays a ``str`` (``no`` is "no", ``2025-12-29`` is text);
* anchors, aliases, explicit tags and second documents are refused;
* duplicate keys are reported with both places;
* the nesting depth is checked while the events arrive, before any deep
  structure exists (the C composer recurses and can crash on extreme nesting).

libyaml's parser is used when present. When it reports a syntax error the
file is parsed again by the pure-Python parser, whose message and position are
reported, so the messages are the same on both paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import events as ev

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest content file accepted; a briefing of a busy day is well under 100 KB."""
MAX_DEPTH = 24
"""Deepest nesting of mappings and sequences; the format needs 7 levels."""

_FastParser = getattr(yaml, "CBaseLoader", None)
"""libyaml's loader (only its parser is used), when PyYAML was built with it."""


@dataclass(eq=False)
class Node:
    path: str
    line: int
    col: int


@dataclass(eq=False)
class Scalar(Node):
    value: str = ""
    kind = "text"


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)
    kind = "list"


@dataclass(eq=False)
class Mapping(Node):
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    """Key text → (key node, value node), in file order."""
    kind = "mapping"

    def get(self, key: str) -> Node | None:
        pair = self.items.get(key)
        return pair[1] if pair else None


class LoadFailed(Exception):
    """The file cannot be turned into nodes; ``problems`` holds (line, col, message) triples."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.problems: list[tuple[int, int, str]] = [(line, col, message)]

    @classmethod
    def many(cls, problems: list[tuple[int, int, str]]) -> LoadFailed:
        exc = cls(*problems[0])
        exc.problems = list(problems)
        return exc


def parser_names() -> list[str]:
    """The parser paths available here, fastest first."""
    return (["c"] if _FastParser is not None else []) + ["python"]


def load_file(path: Path, rel: str, parser: str | None = None) -> tuple[Mapping, list[tuple[int, int, str]]]:
    """Read ``path``; return its top-level mapping and the problems that still let it be read.

    Duplicate keys, tags, anchors and aliases are such problems: the rest of the
    file is still checked, so every error is reported in one run. Problems that
    leave nothing to check raise :class:`LoadFailed`.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadFailed(1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadFailed(1, 1, f"cannot read file: {exc.strerror}") from None
    return load_bytes_partial(data, rel, parser)


def load_bytes(data: bytes, rel: str, parser: str | None = None) -> Mapping:
    """Like :func:`load_bytes_partial`, but every problem raises :class:`LoadFailed`."""
    root, problems = load_bytes_partial(data, rel, parser)
    if problems:
        raise LoadFailed.many(problems)
    return root


def load_bytes_partial(data: bytes, rel: str, parser: str | None = None) -> tuple[Mapping, list[tuple[int, int, str]]]:
    if len(data) > MAX_FILE_BYTES:
        raise LoadFailed(1, 1, f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES} bytes")
    text = _decode(data)
    if not text.strip():
        raise LoadFailed(1, 1, "file is empty; expected a mapping of fields")
    use_c = (parser or parser_names()[0]) == "c" and _FastParser is not None
    try:
        root, problems = _build(yaml.parse(text, Loader=_loader(use_c)), rel)
    except yaml.MarkedYAMLError as exc:
        if use_c:  # same message on both paths: ask the pure-Python parser
            try:
                _build(yaml.parse(text, Loader=_loader(False)), rel)
            except yaml.MarkedYAMLError as exc2:
                raise _syntax(exc2) from None
            except LoadFailed:
                raise
        raise _syntax(exc) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        raise _reader(exc) from None
    if root is None:
        raise LoadFailed(1, 1, "file is empty; expected a mapping of fields")
    if not isinstance(root, Mapping):
        raise LoadFailed(root.line, root.col, f"expected a mapping of fields at the top, found a {root.kind}")
    return root, problems


def _loader(use_c: bool):
    return _FastParser if use_c else yaml.BaseLoader


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise LoadFailed(line, col, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def _syntax(exc: yaml.MarkedYAMLError) -> LoadFailed:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "syntax error"
    context = f" ({exc.context})" if exc.context else ""
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return LoadFailed(line, col, f"YAML syntax error: {problem}{context}")


def _reader(exc: yaml.YAMLError) -> LoadFailed:
    position = getattr(exc, "position", None)
    name = getattr(exc, "character", None)
    if position is None:
        return LoadFailed(1, 1, f"YAML error: {exc}")
    return LoadFailed(1, 1, f"YAML error: unacceptable character {name!r} at offset {position}")


def _build(stream, rel: str) -> tuple[Node | None, list[tuple[int, int, str]]]:
    """Turn parser events into nodes, iteratively, checking every rule as events arrive."""
    stack: list[list] = []  # frames: [node, pending_key or None]
    root: Node | None = None
    documents = 0
    problems: list[tuple[int, int, str]] = []
    for event in stream:
        if isinstance(event, ev.DocumentStartEvent):
            documents += 1
            if documents > 1:
                m = event.start_mark
                raise LoadFailed(m.line + 1, m.column + 1, "a second YAML document ('---') is not allowed; use one document per file")
            continue
        if isinstance(event, ev.AliasEvent):
            m = event.start_mark
            problems.append((m.line + 1, m.column + 1, f"aliases (*{event.anchor}) are not allowed; write the value out"))
            event = ev.ScalarEvent(None, None, (True, False), "", event.start_mark, event.end_mark)
        if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
            m = event.start_mark
            line, col = m.line + 1, m.column + 1
            if event.anchor is not None:
                problems.append((line, col, f"anchors (&{event.anchor}) are not allowed; write the value out"))
            if event.tag is not None:
                problems.append((line, col, f"explicit tags ({event.tag}) are not allowed; every value is read as text"))
            if isinstance(event, ev.ScalarEvent):
                node: Node = Scalar(rel, line, col, event.value)
            elif isinstance(event, ev.MappingStartEvent):
                node = Mapping(rel, line, col)
            else:
                node = Sequence(rel, line, col)
            if len(stack) >= MAX_DEPTH and not isinstance(node, Scalar):
                raise LoadFailed(line, col, f"nesting is deeper than {MAX_DEPTH} levels")
            _attach(stack, node, problems)
            if root is None:
                root = node
            if not isinstance(node, Scalar):
                stack.append([node, None])
            continue
        if isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
            stack.pop()
    return root, problems


def _attach(stack: list[list], node: Node, problems: list) -> None:
    if not stack:
        return
    frame = stack[-1]
    parent = frame[0]
    if isinstance(parent, Sequence):
        parent.items.append(node)
        return
    key = frame[1]
    if key is None:
        if not isinstance(node, Scalar):
            problems.append((node.line, node.col, f"a {node.kind} cannot be a key; keys are field names"))
            node = Scalar(node.path, node.line, node.col, f"<{node.kind}>")
        frame[1] = node
        return
    frame[1] = None
    if key.value in parent.items:
        first = parent.items[key.value][0]
        problems.append((key.line, key.col, f"duplicate key '{key.value}' (first at line {first.line}); keep one"))
        return
    parent.items[key.value] = (key, node)
