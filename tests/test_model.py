"""The typed attributes of each model class are exactly the fields its schema record declares."""

from __future__ import annotations

import typing

import pytest

from generator import model


def declared(cls: type) -> set[str]:
    """Attributes a record class declares for its fields (not the bookkeeping of RecordBase and Thread)."""
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass in (model.RecordBase, object):
            continue
        names |= set(getattr(klass, "__annotations__", {}))
    return names - {"record", "briefing", "span", "body", "thread_kind"}


@pytest.mark.parametrize("cls", sorted(set(model.CLASSES.values()), key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_attributes_match_the_schema(cls):
    assert declared(cls) == {f.name for f in cls.record.fields}


@pytest.mark.parametrize("cls", sorted(set(model.CLASSES.values()), key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_attribute_types_resolve(cls):
    hints = typing.get_type_hints(cls, vars(model))
    assert {f.name for f in cls.record.fields} <= set(hints)
