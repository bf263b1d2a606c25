"""Completing a parsed model with what Harbor left out, and checking its field types.

Harbor's go-swagger models drop an optional field whose value is Go's zero value: a false
``enabled``, an empty ``description``, no filters, a pending execution's empty ``status``.
Read back, those fields are given that zero value again (``None`` for nullable ones), so a
disabled policy says ``enabled=False`` rather than ``UNSET``; nested objects Harbor left
out stay ``UNSET``. The generated ``from_dict`` also passes JSON values through unchecked
(a string where an int belongs, a date it cannot parse kept as a string). Both are derived
once per model class from its attrs fields and their annotations, then cost a set lookup
per field. A time Harbor has not set yet comes as Go's zero time (year 1, SEMANTICS 5) and
becomes ``None`` here, by field type, so no string that merely looks like one is touched.
"""

from __future__ import annotations

import datetime
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import attrs

import harbor_replication_api.models as generated_models
from harbor_replication_api.types import Unset


@dataclass(frozen=True, slots=True)
class _Check:
    """What one value may be: these exact types, a list of ``items``, or a checked model.

    ``zero`` makes the value Harbor means when it leaves the field out; None when an
    absent field stays ``UNSET`` (a nested object).
    """

    exact: frozenset[type]
    models: frozenset[type]
    items: _Check | None
    zero: Callable[[], Any] | None
    is_time: bool


def _none() -> None:
    return None


def _zero_for(exact: set[type], items: _Check | None) -> Callable[[], Any] | None:
    # A nullable field is a Go pointer: left out when nil. Others are values: left out when
    # zero. bool comes before int because the order of a union is not to be relied on.
    if type(None) in exact:
        return _none
    for kind in (bool, int, str):
        if kind in exact:
            return kind
    return list if items is not None else None


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
    return _Check(
        frozenset(exact),
        frozenset(models),
        items,
        _zero_for(exact, items),
        datetime.datetime in exact and type(None) in exact,
    )


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


@dataclass(frozen=True, slots=True)
class Misfit:
    """A value of the wrong type: where (``src_registry.id``, ``filters[1].value``, with
    Harbor's key names), what it is, and the type names that would fit there."""

    path: str
    value: Any
    expected: tuple[str, ...]


def _expected(check: _Check) -> tuple[str, ...]:
    names = [kind.__name__ for kind in check.exact if kind not in (type(None), Unset)]
    names += [model.__name__ for model in check.models]
    if check.items is not None:
        names.append("list")
    return tuple(sorted(names))


def _misfit(check: _Check, value: Any, complete: bool) -> Misfit | None:
    kind = type(value)
    if kind in check.exact:
        return None
    if kind is list and check.items is not None:
        for index, item in enumerate(value):
            inner = _misfit(check.items, item, complete)
            if inner is not None:
                return Misfit(f"[{index}]{inner.path}", inner.value, inner.expected)
        return None
    if kind in check.models:
        inner = _walk(value, complete)
        if inner is None:
            return None
        return Misfit(f".{inner.path}", inner.value, inner.expected)
    return Misfit("", value, _expected(check))


def _walk(instance: Any, complete: bool) -> Misfit | None:
    for name, check in _fields(type(instance)):
        value = getattr(instance, name)
        kind = type(value)
        if kind is Unset:
            if complete and check.zero is not None:
                setattr(instance, name, check.zero())
        elif kind is datetime.datetime and check.is_time:
            if complete and value.year == 1:
                setattr(instance, name, None)
        elif kind not in check.exact:
            misfit = _misfit(check, value, complete)
            if misfit is not None:
                key = name.rstrip("_")
                return Misfit(key + misfit.path, misfit.value, misfit.expected)
    return None


def complete_and_check(instance: Any) -> Misfit | None:
    """Give the fields Harbor left out their zero value; return the first wrong value or None."""
    return _walk(instance, complete=True)


def wrong_field(instance: Any) -> Misfit | None:
    """The first value in a model (and the models in it) of the wrong type, or None."""
    return _walk(instance, complete=False)


def unknown_keys(instance: Any, prefix: str = "") -> list[str]:
    """The keys ``from_dict`` did not know, in this model and the models in it, dotted."""
    found = [prefix + key for key in instance.additional_properties]
    for name, _ in _fields(type(instance)):
        value = getattr(instance, name)
        nested = value if type(value) is list else [value]
        for item in nested:
            if attrs.has(type(item)):
                found += unknown_keys(item, f"{prefix}{name.rstrip('_')}.")
    return found
