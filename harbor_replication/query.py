"""Build Harbor ``q`` query strings that mean exactly what they say.

Harbor's ``q`` parameter is a comma-separated list of ``key=value`` conditions::

    >>> from harbor_replication.query import AnyOf, Fuzzy, Range, build_query
    >>> build_query({"name": Fuzzy("mirror"), "enabled": True, "dest_registry_id": AnyOf(1, 2)})
    'name=~mirror,enabled=true,dest_registry_id={1 2}'

Plain values match exactly, :class:`Fuzzy` is a case-insensitive substring match,
:class:`Range` an inclusive range (one bound may be ``None``), :class:`AnyOf` a union and
:class:`AllOf` an intersection. Values are ints, bools, strings or datetimes.

Harbor's grammar cannot express some values (a comma anywhere, a space inside a list item,
an empty value); those raise :class:`QueryError` here rather than silently match something
else on the server. Harbor also percent-decodes ``q`` a second time, so :func:`encode_query`
escapes ``%`` and ``+`` for that; the clients apply it to every ``query`` they send.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TypeAlias

from harbor_replication._errors import QueryError

__all__ = [
    "AllOf",
    "AnyOf",
    "Fuzzy",
    "QueryError",
    "QueryValue",
    "Range",
    "Scalar",
    "build_query",
    "encode_query",
]

Scalar: TypeAlias = int | bool | str | dt.datetime
"""A single value: Harbor compares it exactly, or reads it as a list or range item."""

# Harbor reads list and range items as a time in this layout when they parse as one.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
# The characters Harbor's parser gives a meaning to at the start of a value.
_PATTERN_STARTS = ("~", "[", "{", "(", "\\")


class Fuzzy:
    """A case-insensitive substring match: ``key=~value``."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Fuzzy({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fuzzy) and other.value == self.value

    def __hash__(self) -> int:
        return hash((Fuzzy, self.value))


class Range:
    """An inclusive range ``key=[min~max]``; one of the bounds may be ``None``."""

    __slots__ = ("max", "min")

    def __init__(self, min: Scalar | None = None, max: Scalar | None = None) -> None:
        if min is None and max is None:
            raise QueryError("a Range needs at least one bound")
        self.min = min
        self.max = max

    def __repr__(self) -> str:
        return f"Range({self.min!r}, {self.max!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Range) and (other.min, other.max) == (self.min, self.max)

    def __hash__(self) -> int:
        return hash((Range, self.min, self.max))


class _ValueList:
    __slots__ = ("values",)
    _open = ""
    _close = ""

    def __init__(self, *values: Scalar) -> None:
        if not values:
            raise QueryError(f"{type(self).__name__} needs at least one value")
        self.values = values

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self.values))})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.values == self.values

    def __hash__(self) -> int:
        return hash((type(self), self.values))


class AnyOf(_ValueList):
    """Matches any of the values: ``key={v1 v2 v3}``."""

    __slots__ = ()
    _open, _close = "{", "}"


class AllOf(_ValueList):
    """Matches all of the values: ``key=(v1 v2 v3)``.

    Harbor ignores intersections on the replication and registry lists; it is here for
    completeness of the grammar.
    """

    __slots__ = ()
    _open, _close = "(", ")"


QueryValue: TypeAlias = Scalar | Fuzzy | Range | AnyOf | AllOf
"""What a key of a query mapping may hold: one condition on that key."""


def _scalar_text(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime(_TIME_FORMAT)
    if isinstance(value, str):
        return value
    raise QueryError(f"unsupported query value type {type(value).__name__}: {value!r}")


def _check_text(key: str, text: str) -> str:
    if not text:
        raise QueryError(f"empty value for {key!r}: Harbor rejects empty query values")
    if "," in text:
        raise QueryError(f"{key!r}: Harbor's q cannot hold a comma inside a value: {text!r}")
    return text


def _item_text(key: str, value: Scalar) -> str:
    """One range bound or list item, which Harbor trims and reads as time, int or string."""
    text = _check_text(key, _scalar_text(value))
    if isinstance(value, str):
        if text != text.strip() or text.strip("\"'") != text:
            raise QueryError(
                f"{key!r}: Harbor strips surrounding spaces and quotes from list and range "
                f"items, so {text!r} cannot be matched"
            )
        # Quoted, a string stays a string even when it looks like a number or a time.
        return f'"{text}"'
    return text


def _condition(key: str, value: QueryValue) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise QueryError(f"malformed query key: {key!r}")
    if isinstance(value, Fuzzy):
        return f"{key}=~{_check_text(key, _scalar_text(value.value))}"
    if isinstance(value, Range):
        bounds = [
            "" if bound is None else _item_text(key, bound) for bound in (value.min, value.max)
        ]
        if any("~" in bound for bound in bounds):
            raise QueryError(f"{key!r}: a range bound cannot contain '~': {value!r}")
        return f"{key}=[{bounds[0]}~{bounds[1]}]"
    if isinstance(value, _ValueList):
        items = [_item_text(key, item) for item in value.values]
        for item in items:
            if " " in item:
                raise QueryError(f"{key!r}: Harbor splits list items on spaces: {item!r}")
        return f"{key}={value._open}{' '.join(items)}{value._close}"
    text = _check_text(key, _scalar_text(value))
    if text.startswith(_PATTERN_STARTS):
        # Harbor drops one leading backslash from an exact value, and only that.
        text = "\\" + text
    return f"{key}={text}"


def build_query(conditions: Mapping[str, QueryValue]) -> str:
    """Return Harbor's ``q`` text for ``conditions`` (before :func:`encode_query`).

    Raises :class:`QueryError` for anything Harbor's grammar cannot express.
    """
    if not conditions:
        raise QueryError("an empty query: pass None to list without conditions")
    return ",".join(_condition(key, value) for key, value in conditions.items())


def encode_query(query: str | Mapping[str, QueryValue]) -> str:
    """Return the ``q`` parameter to send for ``query``, a ``q`` string or a mapping.

    Harbor percent-decodes ``q`` once more after normal URL decoding (``+`` becomes a
    space, ``%XX`` a byte), so literal ``%`` and ``+`` are escaped here first.
    """
    text = query if isinstance(query, str) else build_query(query)
    if not text:
        raise QueryError("an empty query: pass None to list without conditions")
    return text.replace("%", "%25").replace("+", "%2B")
