"""Each record kind is declared once, by its class in model.py, and its records are whole as read."""

from __future__ import annotations

import typing

import pytest
from conftest import BRIEFING, SEED

from generator.format import model, schema
from generator.format.fieldtypes import ListOf

CLASSES = sorted(set(model.CLASSES.values()), key=lambda c: c.__name__)
DEFAULTED = {(model.Briefing, "status")}
"""Optional fields that a record fills in when absent (a briefing's status is 'developing')."""


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_each_field_is_declared_once_with_a_type_that_fits_it(cls):
    """A field is one line of its class: its attribute's type says what the declaration says (a list, a nested
    record, optional or not), so the two cannot drift apart."""
    hints = typing.get_type_hints(cls, vars(model))
    for f in cls.record.fields:
        hint = hints[f.name]
        args = typing.get_args(hint)
        if isinstance(f.type, ListOf):
            assert typing.get_origin(hint) is list, f.name
            item = f.type.item
            if isinstance(item, schema.Record):
                assert args == (model.CLASSES[item],), f.name
            continue
        optional = type(None) in args
        assert optional == (not f.required and (cls, f.name) not in DEFAULTED), f.name
        if isinstance(f.type, schema.Record):
            assert model.CLASSES[f.type] in (args or (hint,)), f.name


def test_every_record_kind_is_declared_by_a_class():
    assert {r.name for r in model.CLASSES} >= {
        "briefing",
        "claim",
        "call",
        "open issue",
        "actor",
        "source",
    }
    assert [f.name for f in model.Quote.record.fields] == [
        "source",
        "exact",
        "prefix",
        "suffix",
        "by",
        "translation",
    ]  # in the order written: the order of the format reference and of the YAML briefing new writes


def records(archive: model.Archive) -> list[model.RecordBase]:
    """Every record of the archive, nested ones included, each once."""
    found: dict[int, model.RecordBase] = {}
    todo: list = [*archive.actors.values(), *archive.sources.values(), *archive.briefings]
    while todo:
        r = todo.pop()
        if id(r) in found:
            continue
        found[id(r)] = r
        for value in vars(r).values():
            todo += [
                v
                for v in (value if isinstance(value, list) else [value])
                if isinstance(v, model.RecordBase)
            ]
    return list(found.values())


def state(archive: model.Archive) -> dict[int, dict]:
    """Each record's attributes as they stand (lists copied, so a change inside one shows)."""
    return {
        id(r): {k: list(v) if isinstance(v, list) else v for k, v in vars(r).items()}
        for r in records(archive)
    }


def test_records_are_whole_as_read_and_the_check_changes_none(project):
    """The status default, the back-links from threads, source texts and placed quotes are there as the content is
    read; the cross-file rules only read the records (review §2.3: the checker filled them in)."""
    from generator.check.checker import check_archive
    from generator.check.content import read_content
    from generator.errors import Collector
    from generator.project import find_project

    root = project(
        {
            "content/briefings/b2.yaml": BRIEFING.replace("b1", "b2").replace(
                "date: 2025-12-29\nsummary", "date: 2025-12-30\nstatus: stable\nsummary"
            )
        }
    )
    found, out = find_project(root), Collector()
    archive = read_content(found, out)
    assert not out and [(b.id, b.status) for b in archive.briefings] == [
        ("b1", "developing"),
        ("b2", "stable"),
    ]
    assert all(t.briefing is b for b in archive.briefings for t in b.threads())
    assert [q.span for b in archive.briefings for q in model.quotes_of(b)] == [(46, 61), (46, 61)]
    assert archive.sources["wire"].body == SEED
    before = state(archive)
    check_archive(archive, found, out)
    assert not out and state(archive) == before
