"""Load YAML into position-carrying nodes where every scalar is text.

The event stream of the parser is walked here instead of PyYAML's composer and
constructors, so that nothing in a file is read as anything but what it says:

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

import os
import re
from pathlib import Path

import yaml
from yaml import events as ev

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest content file accepted; a briefing of a busy day is well under 100 KB."""
MAX_DEPTH = 24
"""Deepest nesting of mappings and sequences; the format needs 7 levels."""
MAX_NODES = 20_000
"""Most keys, values and list items in one briefing; a busy day's briefing (100 KB) holds about 4,000."""
REGISTRY_MAX_NODES = 250_000
"""The same for actors.yaml and sources.yaml, which grow with the archive (a source a day is 10 nodes a
day); the 2 MB size cap binds first."""
REPARSE_LIMIT = 256 * 1024
"""Largest file that the pure-Python parser reads again for its error message: it reads about 1 MB a
second, so a bigger file keeps libyaml's message rather than take seconds."""
MAX_REPORTED = 20
"""Characters YAML refuses (see below) reported one by one before the rest are counted."""

_REFUSED = re.compile(
    "[^\\x09\\x0a\\x0d\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]"
)
"""What YAML does not accept in a file (its reader's printable set), plus NEL, LS and PS, which
YAML reads as line breaks that no editor shows: every later line and column would be off."""
_SURROGATE = re.compile("[\\ud800-\\udfff]")

_FastParser = getattr(yaml, "CBaseLoader", None)
"""libyaml's loader (only its parser is used), when PyYAML was built with it."""


class Node:
    """A loaded value with its place: ``path`` (project-relative), 1-based ``line`` and ``col``."""

    __slots__ = ("path", "line", "col")
    kind = "value"

    def __init__(self, path: str, line: int, col: int):
        self.path, self.line, self.col = path, line, col


# The constructors below set every slot themselves rather than call Node's: a briefing file makes a
# thousand nodes, and a second call for each costs a tenth of the loading time.


class Scalar(Node):
    __slots__ = ("value",)
    kind = "text"

    def __init__(self, path: str, line: int, col: int, value: str = ""):
        self.path, self.line, self.col, self.value = path, line, col, value

    # Pickled as their constructor's arguments (check/stored.py keeps a million nodes at 1,000 briefings): a
    # fifth smaller and nearly twice as fast to write as the slots' state, a quarter faster to read.
    def __reduce__(self):
        return (Scalar, (self.path, self.line, self.col, self.value))


class Sequence(Node):
    __slots__ = ("items",)
    kind = "list"

    def __init__(self, path: str, line: int, col: int):
        self.path, self.line, self.col = path, line, col
        self.items: list[Node] = []

    def __reduce__(self):
        return (Sequence, (self.path, self.line, self.col), self.items)

    def __setstate__(self, items: list[Node]) -> None:
        self.items = items


class Mapping(Node):
    __slots__ = ("items",)
    kind = "mapping"

    def __init__(self, path: str, line: int, col: int):
        self.path, self.line, self.col = path, line, col
        self.items: dict[str, tuple[Scalar, Node]] = {}
        """Key text → (key node, value node), in file order."""

    def __reduce__(self):
        return (Mapping, (self.path, self.line, self.col), self.items)

    def __setstate__(self, items: dict[str, tuple[Scalar, Node]]) -> None:
        self.items = items

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


def load_file(
    path: Path, rel: str, parser: str | None = None, max_nodes: int = MAX_NODES
) -> tuple[Mapping, list[tuple[int, int, str]]]:
    """Read ``path``; return its top-level mapping and the problems that still let it be read.

    Duplicate keys, tags, anchors and aliases are such problems: the rest of the
    file is still checked, so every error is reported in one run. Problems that
    leave nothing to check raise :class:`LoadFailed`.
    """
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            data = f.read(MAX_FILE_BYTES + 1)  # never more: a device reports size 0 and never ends
    except OSError as exc:
        raise LoadFailed(1, 1, f"cannot read file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        shown = size if size > MAX_FILE_BYTES else f"more than {MAX_FILE_BYTES}"
        raise LoadFailed(1, 1, f"file is {shown} bytes; the limit is {MAX_FILE_BYTES} bytes")
    return load_bytes_partial(data, rel, parser, max_nodes)


def load_bytes(data: bytes, rel: str, parser: str | None = None) -> Mapping:
    """Like :func:`load_bytes_partial`, but every problem raises :class:`LoadFailed`."""
    root, problems = load_bytes_partial(data, rel, parser)
    if problems:
        raise LoadFailed.many(problems)
    return root


def load_bytes_partial(
    data: bytes, rel: str, parser: str | None = None, max_nodes: int = MAX_NODES
) -> tuple[Mapping, list[tuple[int, int, str]]]:
    if len(data) > MAX_FILE_BYTES:
        raise LoadFailed(1, 1, f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES} bytes")
    text = _decode(data)
    if not text.strip():
        raise LoadFailed(1, 1, "file is empty; expected a mapping of fields")
    _refuse_characters(text)
    use_c = (parser or parser_names()[0]) == "c" and _FastParser is not None
    try:
        root, problems = _parse(_loader(use_c)(text), rel, max_nodes)
    except yaml.MarkedYAMLError as exc:
        if use_c and len(text) <= REPARSE_LIMIT:
            # same message on both paths: ask the pure-Python parser
            try:
                _parse(_loader(False)(text), rel, max_nodes)
            except yaml.MarkedYAMLError as exc2:
                raise _syntax(exc2, text) from None
            except LoadFailed:
                raise
        raise _syntax(exc, text) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        raise _reader(exc) from None
    if root is None:
        raise LoadFailed(1, 1, "file is empty; expected a mapping of fields")
    if not isinstance(root, Mapping):
        raise LoadFailed(
            root.line, root.col, f"expected a mapping of fields at the top, found a {root.kind}"
        )
    return root, problems


def _loader(use_c: bool):
    return _FastParser if use_c else yaml.BaseLoader


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(data) > 1 and (data[0] == 0) != (data[1] == 0)
    ):
        raise LoadFailed(1, 1, "file is UTF-16 or UTF-32, not UTF-8; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        # characters, as editors count
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        raise LoadFailed(
            line, col, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from None


def _syntax(exc: yaml.MarkedYAMLError, text: str = "") -> LoadFailed:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "syntax error"
    context = f" ({exc.context})" if exc.context else ""
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    said = _in_editors_words(
        problem, text.split("\n")[line - 1] if text.count("\n") >= line - 1 else "", col
    )
    return LoadFailed(line, col, f"YAML syntax error: {said or problem + context}")


_FIELD_LINE = re.compile(
    r"(?P<lead>\s*(?:- )?)(?P<key>[A-Za-z_][\w-]*): (?P<value>[^\"'#|>].*?)\s*"
)
"""A line ``key: value`` (perhaps a list item) whose value is plain text, to show it quoted."""


def _in_editors_words(problem: str, line: str, col: int) -> str | None:
    """The parser's words for the two mistakes editors make most, said as what to do; None for the rest.

    A tab is no indentation in YAML, and ``: `` inside text that is not in quotes starts a field:
    the parser's own words ("found character '\\t' that cannot start any token", "mapping values
    are not allowed here") name neither the cause nor the fix.
    """
    if "'\\t'" in problem:
        if not line[: col - 1].strip():
            return "a tab in the indentation; indent with spaces only (YAML does not read tabs as indentation)"
        return (
            "a tab that YAML cannot read here; replace it with a space, or put the text in quotes"
        )
    if problem == "mapping values are not allowed here":
        m = _FIELD_LINE.fullmatch(line)
        if m and col == len(m["lead"]) + len(m["key"]) + 1:
            # the line's own field, not text: indented too deep
            return (
                f"'{m['key']}:' is indented deeper than the fields around it, so YAML reads it as more of the "
                "text above; line it up with them, or put the text in quotes if it is text"
            )
        fix = "put the whole text in quotes"
        if m and '"' not in m["value"] and "\\" not in m["value"]:
            fix += f', as in {m["key"]}: "{m["value"]}"'
        return f"': ' inside text that is not in quotes starts a new field; {fix}"
    return None


def _reader(exc: yaml.YAMLError) -> LoadFailed:
    position = getattr(exc, "position", None)
    name = getattr(exc, "character", None)
    if position is None:
        return LoadFailed(1, 1, f"YAML error: {exc}")
    return LoadFailed(1, 1, f"YAML error: unacceptable character {name!r} at offset {position}")


def _refuse_characters(text: str) -> None:
    """Control characters and invisible line breaks, each at its line and column (YAML's own error has neither)."""
    found = _REFUSED.search(text)
    if found is None:
        return
    problems: list[tuple[int, int, str]] = []
    for m in _REFUSED.finditer(text, found.start()):
        line, col = text.count("\n", 0, m.start()) + 1, m.start() - text.rfind("\n", 0, m.start())
        if len(problems) == MAX_REPORTED:
            rest = len(_REFUSED.findall(text, m.start()))
            problems.append(
                (
                    line,
                    col,
                    f"file contains {rest} more such characters from here on; remove them too",
                )
            )
            break
        code = ord(m[0])
        what = "line separator" if code in (0x85, 0x2028, 0x2029) else "control character"
        problems.append((line, col, f"file contains the invisible {what} U+{code:04X}; remove it"))
    raise LoadFailed.many(problems)


def _parse(loader, rel: str, max_nodes: int) -> tuple[Node | None, list[tuple[int, int, str]]]:
    """Nodes from the parser's events, read straight from ``get_event`` (no generator layers of ``yaml.parse``)."""
    try:
        return _build(loader.get_event, rel, max_nodes)
    except (
        ValueError,
        OverflowError,
    ):
        # Python's parser on an escape that is no character, e.g. "\UFFFFFFFF"
        mark = loader.get_mark()
        raise LoadFailed(mark.line + 1, mark.column + 1, _BAD_ESCAPE) from None
    finally:
        loader.dispose()


_BAD_ESCAPE = (
    "YAML syntax error: found invalid Unicode character escape code (while parsing a quoted scalar)"
)
"""libyaml's words, so that both parsers report a bad escape alike."""


def _build(
    get_event, rel: str, max_nodes: int = MAX_NODES
) -> tuple[Node | None, list[tuple[int, int, str]]]:
    """Turn parser events into nodes, iteratively, checking every rule as events arrive."""
    stack: list[list] = []  # frames: [node, pending key node or None]
    root: Node | None = None
    documents = 0
    problems: list[tuple[int, int, str]] = []
    nodes = 0
    scalar_event, mapping_start, sequence_start = (
        ev.ScalarEvent,
        ev.MappingStartEvent,
        ev.SequenceStartEvent,
    )
    stream_end = ev.StreamEndEvent
    while True:
        event = get_event()
        cls = type(event)
        if event is None or cls is stream_end:
            break
        if cls is ev.AliasEvent:
            m = event.start_mark
            problems.append(
                (
                    m.line + 1,
                    m.column + 1,
                    f"aliases (*{event.anchor}) are not allowed; write the value out",
                )
            )
            event = scalar_event(None, None, (True, False), "", event.start_mark, event.end_mark)
            cls = scalar_event
        if cls is scalar_event or cls is mapping_start or cls is sequence_start:
            nodes += 1
            if nodes > max_nodes:
                m = event.start_mark
                raise LoadFailed(
                    m.line + 1,
                    m.column + 1,
                    f"file holds more than {max_nodes} keys, values and list items; split it",
                )
            node = _node(event, cls, rel, stack, problems)
            if not stack:
                root = node
            if cls is not scalar_event:
                stack.append([node, None])
        elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
            stack.pop()
        elif cls is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                m = event.start_mark
                raise LoadFailed(
                    m.line + 1,
                    m.column + 1,
                    "a second YAML document ('---') is not allowed; use one document per file",
                )
    return root, problems


def _node(event, cls, rel: str, stack: list[list], problems: list[tuple[int, int, str]]) -> Node:
    """The node of a scalar, mapping or sequence event, put into its parent (the frame atop ``stack``); an
    anchor or a tag on it is a problem."""
    m = event.start_mark
    line, col = m.line + 1, m.column + 1
    if event.anchor is not None or event.tag is not None:
        _marked(event, line, col, problems)
    node: Node
    if cls is ev.ScalarEvent:
        if event.style == '"' and _SURROGATE.search(event.value):  # "\ud800": libyaml refuses it
            raise LoadFailed(line, col, _BAD_ESCAPE)
        node = Scalar(rel, line, col, event.value)
    elif len(stack) >= MAX_DEPTH:
        raise LoadFailed(line, col, f"nesting is deeper than {MAX_DEPTH} levels")
    else:
        node = Mapping(rel, line, col) if cls is ev.MappingStartEvent else Sequence(rel, line, col)
    if stack:
        _attach(stack[-1], node, rel, problems)
    return node


def _marked(event, line: int, col: int, problems: list[tuple[int, int, str]]) -> None:
    if event.anchor is not None:
        problems.append(
            (line, col, f"anchors (&{event.anchor}) are not allowed; write the value out")
        )
    if event.tag is not None:
        problems.append(
            (line, col, f"explicit tags ({event.tag}) are not allowed; every value is read as text")
        )


def _attach(frame: list, node: Node, rel: str, problems: list[tuple[int, int, str]]) -> None:
    """``node`` into its parent: an item of a sequence, or a mapping's key, or the value of the key before it
    (a key that is not text, or is there already, is a problem)."""
    parent = frame[0]
    if type(parent) is Sequence:
        parent.items.append(node)
    elif frame[1] is None:
        if type(node) is not Scalar:
            problems.append(
                (node.line, node.col, f"a {node.kind} cannot be a key; keys are field names")
            )
            frame[1] = Scalar(rel, node.line, node.col, f"<{node.kind}>")
        else:
            frame[1] = node
    else:
        key = frame[1]
        frame[1] = None
        first = parent.items.get(key.value)
        if first is not None:
            problems.append(
                (
                    key.line,
                    key.col,
                    f"duplicate key '{key.value}' (first at line {first[0].line}); keep one",
                )
            )
        else:
            parent.items[key.value] = (key, node)
