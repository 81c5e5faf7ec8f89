"""Field types: each turns a loaded node into a typed value and describes itself as JSON Schema.

Every scalar arrives as text (see loader.py); a type converts it on purpose and
reports what is wrong at the node's position.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from generator.format.loader import Mapping, Node, Scalar, Sequence
from generator.suggest import did_you_mean

if TYPE_CHECKING:  # schema.py imports this module
    from generator.format.schema import Record

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX = 64
LABEL_MAX = 300
"""Most characters in a name, title or label (see schema.py for the longer kinds of text)."""
WINDOWS_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
"""Names that no file or folder can have on Windows; an id names a folder of the site, and a briefing's file."""
RESERVED_IDS = {
    "index": "'index' is the name of a section's own page (the list of actors, stories, tags, sources, "
    "issues or briefings), which a record of that id would replace; choose another id"
}
"""Ids that would name a page the site already has, with why; refused wherever an id is read."""
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_NUMBER_RE = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d{1,6})?$", re.ASCII)
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
INVISIBLE_MARKS = {
    "\u200b": "zero width space",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u061c": "Arabic letter mark",
    "\u2060": "word joiner",
    "\ufeff": "zero width no-break space",
}
"""Marks a one-line text (a title, a name) may not hold; paragraphs keep them, where a language may need them."""
_INVISIBLE_MARK = re.compile("[" + "".join(INVISIBLE_MARKS) + "]")
_DIRECTION_MARKS = "\u200e\u200f\u061c"
_UNSPACED_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]"
)
"""Thai, Lao, Tibetan, Myanmar, Khmer, Japanese kana and CJK ideographs: written without spaces, where a zero
width space or word joiner marks where a line may break."""


def _needless_mark(value: str) -> re.Match | None:
    """The first invisible mark of ``value`` that its own letters do not call for: a direction mark in text with
    no right-to-left letter, a zero width space or joiner in text with no script written without spaces."""
    # a right-to-left mark is itself of class R
    rtl = any(
        unicodedata.bidirectional(c) in ("R", "AL") for c in value if c not in _DIRECTION_MARKS
    )
    unspaced = _UNSPACED_SCRIPTS.search(value) is not None
    for mark in _INVISIBLE_MARK.finditer(value):
        if not (rtl if mark[0] in _DIRECTION_MARKS else unspaced):
            return mark
    return None


UNKNOWN_DATE = "unknown"
"""What a date field may say where the source gives no date (a call, claim, position or figure)."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Invalid(Exception):
    """A value does not fit its type; the message says why and what to write instead."""


@dataclass(frozen=True, order=True)
class DateValue:
    """A date at day, month or year precision, or a range of two such dates."""

    start: date
    end: date
    text: str

    @property
    def unknown(self) -> bool:
        """The source gives no date (``date: unknown``): shown as such, sorted with its briefing."""
        return self.text == UNKNOWN_DATE

    @property
    def sort_text(self) -> str:
        """The date as text for grouping by month: an unknown date is its briefing's."""
        return self.start.isoformat() if self.unknown else self.text

    def display(self) -> str:
        if self.unknown:
            return "date unknown"
        parts = self.text.split("/")
        return " – ".join(_display_one(p) for p in parts)

    def __str__(self) -> str:
        return self.text


def _display_one(text: str) -> str:
    y, _, rest = text.partition("-")
    if not rest:
        return y
    m, _, d = rest.partition("-")
    month = MONTHS[int(m) - 1]
    return f"{int(d)} {month} {y}" if d else f"{month} {y}"


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_YEAR_MONTH_DAY = re.compile(
    r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?", re.ASCII
)
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{4})", re.ASCII)


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def date_form_hint(text: str, day_only: bool = False) -> str | None:
    """What to write for a date typed the way people write dates by hand (26/04/2025, 3/5/2025, 04/2025).

    A day and a month that could be either way round (3/5/2025) name both readings: guessing one
    would put a wrong date in the record without a word.
    """
    text = unicodedata.normalize("NFKC", text)  # full-width digits read as digits
    if m := _YEAR_MONTH_DAY.fullmatch(text):
        day = _day(int(m[1]), int(m[2]), int(m[3]))
        return f"'{{}}' is not a date; write {day.isoformat()} (YYYY-MM-DD)" if day else None
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        readings = [d for d in dict.fromkeys([_day(y, b, a), _day(y, a, b)]) if d is not None]
        if len(readings) == 1:
            return f"'{{}}' is not a date; write {readings[0].isoformat()} (YYYY-MM-DD)"
        if len(readings) == 2:
            first, second = readings
            return (
                f"'{{}}' is not a date; write {first.isoformat()} (YYYY-MM-DD) if it means {_spelt(first)}, "
                f"or {second.isoformat()} if it means {_spelt(second)}"
            )
        return "'{}' is not a real date; write the day as YYYY-MM-DD"
    if not day_only and (m := _MONTH_YEAR.fullmatch(text)):
        month, y = int(m[1]), int(m[2])
        return (
            f"'{{}}' is not a date; write {y:04d}-{month:02d} (YYYY-MM)"
            if 1 <= month <= 12
            else None
        )
    return None


def _spelt(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def parse_date_part(text: str, day_only: bool = False) -> tuple[date, date]:
    m = _DATE_RE.fullmatch(text)
    if not m:
        hint = date_form_hint(text, day_only)
        if hint is not None:
            raise Invalid(hint.format(text))
        forms = "YYYY-MM-DD" if day_only else "YYYY-MM-DD, YYYY-MM or YYYY"
        raise Invalid(f"'{text}' is not a date; write {forms}")
    y, mo, d = int(m[1]), m[2], m[3]
    if y == 0:
        raise Invalid(f"'{text}' is not a real date: there is no year 0")
    if mo is None:
        return date(y, 1, 1), date(y, 12, 31)
    if not 1 <= int(mo) <= 12:
        raise Invalid(f"'{text}' has no month {mo}; months run 01 to 12")
    last = calendar.monthrange(y, int(mo))[1]
    if d is None:
        return date(y, int(mo), 1), date(y, int(mo), last)
    if not 1 <= int(d) <= last:
        raise Invalid(f"'{text}' is not a real date: {MONTHS[int(mo) - 1]} {y} has {last} days")
    day = date(y, int(mo), int(d))
    return day, day


class FieldType:
    """Base of field types."""

    description = ""

    def convert(self, node: Node):
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


def _scalar(node: Node, what: str) -> str:
    if not isinstance(node, Scalar):
        raise Invalid(f"expected {what}, found a {node.kind}{_colon_hint(node)}")
    return node.value


def _colon_hint(node: Node) -> str:
    """Why text became a mapping: a ': ' in it (``- The talks: over``) made YAML read a field name."""
    if not isinstance(node, Mapping) or len(node.items) != 1:
        return ""
    ((key, (_, value)),) = node.items.items()
    if not isinstance(value, Scalar):
        return ""
    shown = f"{key}: {value.value}".replace("\\", "\\\\").replace('"', '\\"')
    return (
        f"; the ': ' after '{key}' makes YAML read a field name, so put the whole text in quotes: "
        f'"{shown}"'
    )


@dataclass(frozen=True)
class Text(FieldType):
    paragraphs: bool = False
    """Whether blank-line separated paragraphs (and line breaks) are allowed."""
    max_length: int = LABEL_MAX
    """Most characters, surrounding white space aside: far above any real value, and far below
    what would make pages of megabytes (a title is repeated on every page that links its record)."""
    invisible: bool = True
    """Whether invisible marks are allowed where the text needs none (see ``INVISIBLE_MARKS``): a name or
    title that holds one reads the same as another that does not."""

    def convert(self, node: Node) -> str:
        value = _scalar(node, "text").strip()
        if not value:
            raise Invalid("must not be empty")
        if len(value) > self.max_length:
            raise Invalid(
                f"must be at most {self.max_length} characters, not {len(value)}; shorten it"
            )
        bad = _CONTROL_RE.search(value)
        if bad:
            raise Invalid(
                f"contains the invisible control character U+{ord(bad[0]):04X}; remove it"
            )
        if not self.paragraphs and ("\n" in value or "\r" in value):
            raise Invalid("must be one line; remove the line break")
        if not self.invisible and (mark := _needless_mark(value)):
            raise Invalid(
                f"contains the invisible mark U+{ord(mark[0]):04X} ({INVISIBLE_MARKS[mark[0]]}); remove it: "
                "no reader sees it, and it makes two names that look the same differ"
            )
        return value

    def json_schema(self) -> dict:
        s = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if not self.paragraphs:
            s["pattern"] = r"^[^\n\r]*$"
        return s


@dataclass(frozen=True)
class Id(FieldType):
    def convert(self, node: Node) -> str:
        value = _scalar(node, "an id")
        if len(value) > ID_MAX:
            raise Invalid(f"id is {len(value)} characters; the limit is {ID_MAX}")
        if not ID_RE.fullmatch(value):
            # match() would let "id\n" through: $ matches before a final newline
            plain = "".join(
                c
                for c in unicodedata.normalize("NFKD", value)
                if unicodedata.category(c) not in ("Mn", "Cf")
            )
            hint = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"
            raise Invalid(
                f"'{value}' is not a valid id (lower-case letters, digits and single hyphens); try '{hint[:ID_MAX]}'"
            )
        if value in WINDOWS_NAMES:
            raise Invalid(f"'{value}' is a reserved file name on Windows; choose another id")
        if value in RESERVED_IDS:
            raise Invalid(RESERVED_IDS[value])
        return value

    def json_schema(self) -> dict:
        return {
            "type": "string",
            "pattern": ID_RE.pattern,
            "maxLength": ID_MAX,
            "not": {"enum": sorted(RESERVED_IDS)},
        }


@dataclass(frozen=True)
class Ref(Id):
    """An id that must name an existing record of ``target`` (checked across files)."""

    target: str = "actor"


@dataclass(frozen=True)
class Date(FieldType):
    day_only: bool = False
    """A single day is required (no month, year or range)."""
    unknown: bool = False
    """``unknown`` is accepted, for a record the source gives no date; its briefing dates it for sorting."""

    def convert(self, node: Node) -> DateValue:
        value = _scalar(node, "a date").strip()
        if self.unknown and value == UNKNOWN_DATE:
            return DateValue(date.min, date.max, UNKNOWN_DATE)
        if self.day_only:
            start, end = parse_date_part(value, day_only=True)
            if start != end:
                raise Invalid(f"'{value}' must be a single day, written YYYY-MM-DD")
            return DateValue(start, end, value)
        try:
            return self._parse_range(value)
        except Invalid:
            # 26/04/2025 is a day written by hand, not a range of three parts
            hint = date_form_hint(value)
            if hint is None:
                raise
            raise Invalid(hint.format(value)) from None

    def _parse_range(self, value: str) -> DateValue:
        parts = value.split("/")
        if len(parts) > 2:
            raise Invalid(f"'{value}' is not a date range; write START/END")
        start, end = parse_date_part(parts[0])
        if len(parts) == 2:
            s2, end = parse_date_part(parts[1])
            if s2 < start:
                raise Invalid(f"range '{value}' ends before it starts")
        return DateValue(start, end, value)

    def json_schema(self) -> dict:
        one = r"\d{4}(-\d{2}(-\d{2})?)?"
        if self.day_only:
            return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
        if self.unknown:
            return {"type": "string", "pattern": rf"^({UNKNOWN_DATE}|{one}(/{one})?)$"}
        return {"type": "string", "pattern": rf"^{one}(/{one})?$"}


@dataclass(frozen=True)
class Enum(FieldType):
    values: tuple[str, ...] = ()

    def convert(self, node: Node) -> str:
        value = _scalar(node, "one of " + ", ".join(self.values))
        if value not in self.values:
            raise Invalid(
                f"'{value}' is not one of: {', '.join(self.values)}{did_you_mean(value, self.values)}"
            )
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "enum": list(self.values)}


@dataclass(frozen=True)
class Flag(Enum):
    """``true`` or ``false``, read as text like every value and converted here; a boolean to editors' tools."""

    values: tuple[str, ...] = ("true", "false")

    def convert(self, node: Node) -> bool:  # type: ignore[override]
        return super().convert(node) == "true"

    def json_schema(
        self,
    ) -> dict:  # a YAML language server reads true as a boolean; the loader reads text
        return {"enum": [True, False, "true", "false"]}


@dataclass(frozen=True)
class Url(FieldType):
    def convert(self, node: Node) -> str:
        value = _scalar(node, "a URL").strip()
        if not _URL_RE.match(value) or _CONTROL_RE.search(value):
            raise Invalid(
                f"'{value}' is not an http(s) URL; only http:// and https:// links are allowed"
            )
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": "^[hH][tT][tT][pP][sS]?://\\S+$"}


@dataclass(frozen=True)
class SeedPath(FieldType):
    """A path relative to the project root, inside ``seeds/``."""

    def convert(self, node: Node) -> str:
        value = _scalar(node, "a path")
        parts = value.split("/")
        if (
            len(parts) < 2
            or parts[0] != "seeds"
            or any(p in ("", ".", "..") for p in parts)
            or "\\" in value
            or ":" in value
            or _CONTROL_RE.search(value)
        ):
            raise Invalid(
                f"'{value}' must be a relative path under seeds/, such as seeds/article.txt"
            )
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": r"^seeds/[^\\:]+$"}


@dataclass(frozen=True)
class Number(FieldType):
    def convert(self, node: Node) -> int | float:
        value = _scalar(node, "a number").strip().replace("_", "")
        if not _NUMBER_RE.match(value):
            raise Invalid(f"'{value}' is not a number; write digits such as 91 or 12.5")
        return float(value) if "." in value else int(value)

    def json_schema(self) -> dict:
        return {"type": ["string", "number"], "pattern": _NUMBER_RE.pattern}


@dataclass(frozen=True)
class Pattern(FieldType):
    regex: str = ""
    example: str = ""

    def convert(self, node: Node) -> str:
        value = _scalar(node, "text")
        if not re.fullmatch(self.regex, value, re.ASCII):
            raise Invalid(f"'{value}' does not look like {self.example}")
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": f"^{self.regex}$"}


class Speakers(str):
    """Who says something: one id, or several who said it together. It is the first id (so code that names
    one speaker keeps working, and ``records.json``'s ``claimant`` stays one id), and ``all`` holds every one."""

    all: tuple[str, ...]

    def __new__(cls, ids: list[str]) -> Speakers:
        value = super().__new__(cls, ids[0])
        value.all = tuple(ids)
        return value

    def __reduce__(self):
        """Made again from every id (a string's own would hand ``__new__`` the first id's text)."""
        return (Speakers, (list(self.all),))


@dataclass(frozen=True)
class OneOrMore(FieldType):
    """An id, or a list of two or more ids (``claimant: [trump, zelenskyy]``), read as :class:`Speakers`."""

    item: Ref
    all_key: str = ""
    """The key under which ``records.json`` lists every id (always a list), beside the field's first id."""

    def convert(self, node: Node) -> Speakers:
        if not isinstance(node, Sequence):
            return Speakers([self.item.convert(node)])
        if len(node.items) < 2:
            raise Invalid("a list here names two or more; write one id without a list")
        ids = []
        for i, item in enumerate(node.items):
            try:
                ids.append(self.item.convert(item))
            except Invalid as exc:
                raise Invalid(f"item {i + 1}: {exc}") from None
        if len(set(ids)) != len(ids):
            raise Invalid("an id is listed twice")
        return Speakers(ids)

    def json_schema(self) -> dict:
        one = self.item.json_schema()
        return {"oneOf": [one, {"type": "array", "items": one, "minItems": 2, "uniqueItems": True}]}


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType | Record
    """What each item is (see schema.py)."""
    min_items: int = 0


def expect_list(node: Node) -> Sequence:
    if not isinstance(node, Sequence):
        raise Invalid(f"expected a list (lines starting with '- '), found a {node.kind}")
    return node


def expect_mapping(node: Node) -> Mapping:
    if not isinstance(node, Mapping):
        raise Invalid(f"expected a mapping of fields, found a {node.kind}")
    return node
