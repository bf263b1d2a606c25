"""Harbor's list machinery: the ``q`` grammar, ``sort``, paging and the ``Link`` header.

Everything here follows Harbor's Go code (``lib/q``, ``lib/orm``, the v2.0 handler base),
including its quirks, because clients meet exactly those quirks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

_HEX = "0123456789abcdefABCDEF"
_QUERY_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


class QueryError(ValueError):
    """A ``q`` string Harbor answers with 400 BAD_REQUEST."""


def go_query_unescape(text: str) -> str:
    """Go's ``url.QueryUnescape``: ``+`` is a space, ``%XX`` a byte; a bad escape raises."""
    if "%" not in text and "+" not in text:
        return text
    out = bytearray()
    raw = text.encode()
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte == 0x25:  # %
            pair = raw[i + 1 : i + 3].decode("latin-1")
            if len(pair) != 2 or pair[0] not in _HEX or pair[1] not in _HEX:
                raise ValueError(f"invalid URL escape {raw[i : i + 3]!r}")
            out.append(int(pair, 16))
            i += 3
            continue
        out.append(0x20 if byte == 0x2B else byte)
        i += 1
    return out.decode("utf-8", errors="surrogateescape")


def go_query_escape(text: str) -> str:
    """Go's ``url.QueryEscape``: a space becomes ``+``, other unsafe bytes ``%XX``."""
    out = []
    for byte in text.encode("utf-8", errors="surrogateescape"):
        char = chr(byte)
        if char in _QUERY_SAFE:
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def go_parse_query(raw_query: str) -> dict[str, list[str]]:
    """Go's ``url.ParseQuery`` as ``URL.Query()`` uses it: pairs it cannot read are dropped."""
    values: dict[str, list[str]] = {}
    for pair in raw_query.split("&"):
        if not pair or ";" in pair:
            continue
        key, _, value = pair.partition("=")
        try:
            key, value = go_query_unescape(key), go_query_unescape(value)
        except ValueError:
            continue
        values.setdefault(key, []).append(value)
    return values


def go_encode_query(values: Mapping[str, Sequence[str]]) -> str:
    """Go's ``url.Values.Encode``: keys sorted, every value escaped."""
    return "&".join(
        f"{go_query_escape(key)}={go_query_escape(value)}"
        for key in sorted(values)
        for value in values[key]
    )


# --- the q grammar -------------------------------------------------------------------------

QueryValue = str | int | dt.datetime


@dataclass(frozen=True)
class Fuzzy:
    value: str


@dataclass(frozen=True)
class Range:
    min: QueryValue | None
    max: QueryValue | None


@dataclass(frozen=True)
class AnyOf:
    values: tuple[QueryValue, ...]


@dataclass(frozen=True)
class AllOf:
    """An intersection list: parsed, then ignored by the replication and registry lists."""

    values: tuple[QueryValue, ...]


Condition = str | Fuzzy | Range | AnyOf | AllOf


def parse_q(q: str) -> dict[str, Condition]:
    """Parse a ``q`` value as Harbor does, including its second percent-decoding."""
    keywords: dict[str, Condition] = {}
    if not q:
        return keywords
    with contextlib.suppress(ValueError):  # Harbor logs it and keeps q as it is
        q = go_query_unescape(q)
    for param in q.split(","):
        key, sep, value = param.partition("=")
        if not sep or not key or not value:
            raise QueryError('the query string must contain "=" and the key/value cannot be empty')
        try:
            keywords[key] = _parse_pattern(value)
        except ValueError as exc:
            raise QueryError(f"invalid query string value: {value}") from exc
    return keywords


def _parse_pattern(value: str) -> Condition:
    first = value[0]
    if first == "~":
        if len(value) < 2:
            raise ValueError("fuzzy match value must contain at least 1 other character")
        return Fuzzy(value[1:])
    if first == "[":
        if value[-1] != "]" or value.count("~") != 1:
            raise ValueError('range must end with "]" and contain only one "~"')
        low, high = (part.strip() for part in value[1:-1].split("~", 1))
        if not low and not high:
            raise ValueError("min and max at least one should be set in range")
        return Range(_parse_value(low) if low else None, _parse_value(high) if high else None)
    if first in "{(":
        closing = "}" if first == "{" else ")"
        if value[-1] != closing:
            raise ValueError(f"list must end with {closing!r}")
        items = tuple(item for item in map(_parse_value, value[1:-1].split(" ")) if item != "")
        return AnyOf(items) if first == "{" else AllOf(items)
    return value[1:] if first == "\\" else value


def _parse_value(text: str) -> QueryValue:
    text = text.strip()
    # Go's time.Parse takes fractional seconds after the seconds even when its layout has
    # none (src/lib/q/builder.go:194; docs/harbor-behaviour.md §24)
    timestamp = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?", text)
    if timestamp:
        try:
            moment = dt.datetime.strptime(timestamp[1], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            pass
        else:
            micros = int((timestamp[2] or "0").ljust(9, "0")[:6])
            return moment.replace(microsecond=micros, tzinfo=dt.UTC)
    if re.fullmatch(r"[+-]?\d+", text):
        number = int(text)
        if -(2**63) <= number < 2**63:
            return number
    return text.strip("\"'")


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool


def parse_sort(sort: str) -> list[Sort]:
    if not sort:
        return []
    return [
        Sort(item[1:], True) if item.startswith("-") else Sort(item, False)
        for item in sort.split(",")
    ]


# --- filtering and ordering records ---------------------------------------------------------

ColumnType = Literal["int", "str", "bool", "time"]
Record = Mapping[str, Any]


@dataclass(frozen=True)
class Columns:
    """The queryable and sortable columns of a model.

    Harbor accepts a column under its database name (``creation_time``) and its Go field
    name (``CreationTime``); ``aliases`` maps both to the record key and its type.
    """

    aliases: Mapping[str, tuple[str, ColumnType]]

    @classmethod
    def of(cls, **types: ColumnType) -> Columns:
        aliases: dict[str, tuple[str, ColumnType]] = {}
        for name, kind in types.items():
            aliases[name] = aliases[go_field_name(name)] = (name, kind)
        return cls(aliases)


def go_field_name(column: str) -> str:
    """The Go field name of a database column: ``src_registry_id`` is ``SrcRegistryID``."""
    return "".join("ID" if part == "id" else part.capitalize() for part in column.split("_"))


_BOOL_WORDS = {
    "t": True, "true": True, "y": True, "yes": True, "on": True, "1": True,
    "f": False, "false": False, "n": False, "no": False, "off": False, "0": False,
}  # fmt: skip


def _coerce(value: object, kind: ColumnType) -> object | None:
    """Convert a query value to a column's type the way PostgreSQL would, or None."""
    if kind == "str":
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return str(value)
    if kind == "int":
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            return int(value)
        return None
    if kind == "bool":
        if isinstance(value, int):
            return bool(value)
        return _BOOL_WORDS.get(str(value).strip().lower()) if isinstance(value, str) else None
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, str):
        for pattern in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                return (
                    dt.datetime.strptime(value.strip(), pattern).replace(tzinfo=dt.UTC).timestamp()
                )
            except ValueError:
                continue
    return None


def _matcher(condition: Condition, kind: ColumnType) -> Callable[[Any], bool] | None:
    if isinstance(condition, AllOf):
        return None
    if isinstance(condition, Fuzzy):
        needle = condition.value.lower()
        return lambda value: needle in _as_text(value, kind).lower()
    if isinstance(condition, Range):
        low = None if condition.min is None else _coerce(condition.min, kind)
        high = None if condition.max is None else _coerce(condition.max, kind)
        if (condition.min is not None and low is None) or (
            condition.max is not None and high is None
        ):
            return lambda value: False
        return lambda value: (low is None or value >= low) and (high is None or value <= high)
    if isinstance(condition, AnyOf):
        if not condition.values:  # the ORM's "IN" of nothing (docs/harbor-behaviour.md §24)
            return lambda value: False
        wanted = {_coerce(item, kind) for item in condition.values} - {None}
        return lambda value: value in wanted
    target = _coerce(condition, kind)
    return lambda value: value == target


# The ORM operators a q key may carry, as in ``name__icontains`` (src/lib/orm/query.go:176-193)
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": lambda value, target: value == target,
    "in": lambda value, target: value == target,
    "gte": lambda value, target: value >= target,
    "lte": lambda value, target: value <= target,
    "gt": lambda value, target: value > target,
    "lt": lambda value, target: value < target,
}


def _operator(
    operator: str, condition: Condition, kind: ColumnType
) -> Callable[[Any], bool] | None:
    """A key with an ORM operator suffix applied to an exact value (§26); another suffix,
    or one on a fuzzy, range or list value, is skipped."""
    if not isinstance(condition, str | int | dt.datetime):
        return None
    if operator == "icontains":
        needle = str(condition).lower()
        return lambda value: needle in _as_text(value, kind).lower()
    compare = _OPERATORS.get(operator)
    target = _coerce(condition, kind)
    if compare is None or target is None:
        return None if compare is None else (lambda value: False)
    return lambda value: compare(value, target)


def _as_text(value: object, kind: ColumnType) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if kind == "time" and isinstance(value, float):
        return dt.datetime.fromtimestamp(value, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def select(
    records: Iterable[Record],
    columns: Columns,
    keywords: Mapping[str, Condition],
    sorts: Sequence[Sort],
    default_sorts: Sequence[Sort],
) -> list[Record]:
    """Filter by the known keywords and order by the known sort keys; unknown keys are ignored."""
    checks: list[tuple[str, Callable[[Any], bool]]] = []
    for key, condition in keywords.items():
        column, _, operator = key.partition("__")
        if column not in columns.aliases:
            continue
        name, kind = columns.aliases[column]
        check = _matcher(condition, kind) if not operator else _operator(operator, condition, kind)
        if check is not None:
            checks.append((name, check))
    result = [record for record in records if all(check(record[name]) for name, check in checks)]
    known = [
        Sort(columns.aliases[sort.key][0], sort.descending)
        for sort in sorts
        if sort.key in columns.aliases
    ]
    for sort in reversed(known or list(default_sorts)):
        result.sort(key=lambda record, key=sort.key: record[key], reverse=sort.descending)  # type: ignore[misc]
    return result


# --- pages and links ------------------------------------------------------------------------


def page_slice(count: int, page: int, page_size: int) -> slice:
    """The items of one page; a page size of 0 or less means everything, as in Harbor."""
    if page_size <= 0:
        return slice(0, count)
    start = page_size * (page - 1) if page > 0 else 0
    return slice(start, start + page_size)


def build_links(path: str, raw_query: str, total: int, page: int, page_size: int) -> str:
    """The ``Link`` header exactly as Harbor writes it (``lib.Links`` joined by " , ").

    Harbor re-encodes the request query with the new page, then percent-DECODES the result
    into the link; the "next" link is built from the already decoded "prev" query.
    """
    if page_size == 0:
        return ""
    links = []
    current_query = raw_query

    def relink(new_page: int) -> str:
        nonlocal current_query
        values = go_parse_query(current_query)
        values["page"] = [str(new_page)]
        values["page_size"] = [str(page_size)]
        encoded = go_encode_query(values)
        try:
            current_query = go_query_unescape(encoded)
        except ValueError:
            current_query = encoded
        return f"{path}?{current_query}" if current_query else path

    if page > 1 and (page - 1) * page_size < total:
        links.append(f'<{relink(page - 1)}>; rel="prev"')
    if page_size * page < total:
        links.append(f'<{relink(page + 1)}>; rel="next"')
    return " , ".join(links)
