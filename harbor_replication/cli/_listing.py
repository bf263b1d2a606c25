"""Options shared by commands: Harbor's ``q`` conditions, sorting and paging of the lists."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from harbor_replication._constants import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from harbor_replication.query import QueryValue, Scalar

F = TypeVar("F", bound=Callable[..., Any])


def with_options(function: F, *options: Callable[[F], F]) -> F:
    """``function`` decorated with ``options``, which ``--help`` lists in the order given."""
    for option in reversed(options):
        function = option(function)
    return function


def paging_options(function: F) -> F:
    """``--sort``, ``--limit`` and ``--page-size``."""
    return with_options(
        function,
        click.option(
            "--sort",
            metavar="KEYS",
            help="fields to sort by, comma-separated; a leading - descends",
        ),
        click.option(
            "--limit", type=click.IntRange(min=1), help="print at most this many (default: all)"
        ),
        click.option(
            "--page-size",
            type=click.IntRange(1, MAX_PAGE_SIZE),
            default=MAX_PAGE_SIZE,
            show_default=True,
            help="items per request",
        ),
    )


def query_options(function: F) -> F:
    """``--query``, ``--match``, ``--fuzzy`` and ``--range``, handed on as one ``q`` argument."""

    @functools.wraps(function)
    def with_q(
        *args: Any,
        query: str | None,
        match: tuple[str, ...],
        fuzzy: tuple[str, ...],
        ranges: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        return function(*args, q=build_q(query, match, fuzzy, ranges), **kwargs)

    return with_options(
        cast(F, with_q),
        click.option(
            "-q",
            "--query",
            metavar="Q",
            help="a raw Harbor q, sent unchecked (one Harbor refuses exits 5): 'name=~prod'",
        ),
        click.option("--match", multiple=True, metavar="K=V", help="K equals V (repeatable)"),
        click.option(
            "--fuzzy", multiple=True, metavar="K=V", help="K contains V, any case (repeatable)"
        ),
        click.option(
            "--range",
            "ranges",
            multiple=True,
            metavar="K=MIN~MAX",
            help="MIN <= K <= MAX, one bound may be empty; times as 2026-01-31T00:00:00",
        ),
    )


def _split(option: str, given: str) -> tuple[str, str]:
    key, sep, value = given.partition("=")
    if not sep or not key or not value:
        raise click.BadParameter(f"expected KEY=VALUE, got {given!r}", param_hint=option)
    return key, value


def _bound(text: str) -> Scalar | None:
    """A range bound as Harbor reads it: a time, else an integer, else a string."""
    if not text:
        return None
    for layout in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, layout)
        except ValueError:
            pass
    try:
        return int(text)
    except ValueError:
        return text


def build_q(
    query: str | None, match: tuple[str, ...], fuzzy: tuple[str, ...], ranges: tuple[str, ...]
) -> str | None:
    """The ``q`` text for the query options, or None when none was given."""
    from harbor_replication.query import Fuzzy, Range, build_query

    conditions: dict[str, QueryValue] = {}

    def add(option: str, key: str, value: QueryValue) -> None:
        if key in conditions:
            raise click.BadParameter(f"{key!r} is given twice", param_hint=option)
        conditions[key] = value

    for given in match:
        add("--match", *_split("--match", given))
    for given in fuzzy:
        key, value = _split("--fuzzy", given)
        add("--fuzzy", key, Fuzzy(value))
    for given in ranges:
        key, value = _split("--range", given)
        low, sep, high = value.partition("~")
        if not sep or "~" in high:
            raise click.BadParameter(f"expected KEY=MIN~MAX, got {given!r}", param_hint="--range")
        if not low and not high:
            raise click.BadParameter(f"{given!r} has no bound", param_hint="--range")
        add("--range", key, Range(_bound(low), _bound(high)))
    parts = [build_query(conditions)] if conditions else []
    if query:
        parts.append(query)
    return ",".join(parts) or None
