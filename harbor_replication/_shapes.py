"""Checking that a parsed model holds the types its fields declare.

The generated ``from_dict`` passes JSON values through unchecked (a string where an int
belongs, a date it cannot parse kept as a string). The checks are derived once per model
class from its attrs fields and their annotations, then cost a set lookup per field.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

import attrs

import harbor_replication_api.models as generated_models


@dataclass(frozen=True, slots=True)
class _Check:
    """What one value may be: these exact types, a list of ``items``, or a checked model."""

    exact: frozenset[type]
    models: frozenset[type]
    items: _Check | None


_FIELDS: dict[type, tuple[tuple[str, _Check], ...]] = {}


def _check_for(hint: Any) -> _Check:
    is_union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    options = typing.get_args(hint) if is_union else (hint,)
    exact: set[type] = set()
    models: set[type] = set()
    items: _Check | None = None
    for option in options:
        if typing.get_origin(option) is list:
            (item,) = typing.get_args(option)
            items = _check_for(item)
        elif option is Any:
            raise TypeError("an Any field cannot be checked")
        elif attrs.has(option):
            models.add(option)
        else:
            # Exact types: a JSON true is not an int, 1.0 is not an int.
            exact.add(type(None) if option is None else option)
    return _Check(frozenset(exact), frozenset(models), items)


def _fields(model: type) -> tuple[tuple[str, _Check], ...]:
    checks = _FIELDS.get(model)
    if checks is None:
        hints = typing.get_type_hints(model, localns=vars(generated_models))
        checks = tuple(
            (field.name, _check_for(hints[field.name]))
            for field in attrs.fields(model)
            if field.name != "additional_properties"
        )
        _FIELDS[model] = checks
    return checks


def _fits(check: _Check, value: Any) -> bool:
    kind = type(value)
    if kind in check.exact:
        return True
    if kind is list and check.items is not None:
        items = check.items
        return all(_fits(items, item) for item in value)
    return kind in check.models and wrong_field(value) is None


def wrong_field(instance: Any) -> str | None:
    """The first field of a generated model whose value has the wrong type, or None."""
    for name, check in _fields(type(instance)):
        value = getattr(instance, name)
        if type(value) not in check.exact and not _fits(check, value):
            return name
    return None
