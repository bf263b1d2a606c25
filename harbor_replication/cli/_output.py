"""Printing results: rich tables for people, whole models as JSON or YAML for programs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import click

from harbor_replication.cli._session import Session

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

Record = dict[str, Any]
Column = tuple[str, Callable[[Record], object]]


class Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    terminal = Console(stderr=stderr)
    if terminal.is_terminal:
        return terminal
    # Piped or redirected: no colours, and wide enough that rows stay whole for grep.
    return Console(stderr=stderr, width=max(terminal.width, 200), no_color=True)


def show(renderable: RenderableType, *, stderr: bool = False) -> None:
    """Print a table; piped, without the spaces rich pads its lines with."""
    target = console(stderr=stderr)
    if target.is_terminal:
        target.print(renderable)
        return
    with target.capture() as captured:
        target.print(renderable)
    lines = captured.get().splitlines()
    click.echo("".join(f"{line.rstrip()}\n" for line in lines), nl=False, err=stderr)


def emit(
    session: Session, data: Model | Sequence[Model], table: Callable[[], RenderableType]
) -> None:
    """Print ``data``: with ``table()`` for ``--output table``, else the whole models."""
    if not session.machine_output:
        show(table())
        return
    if isinstance(data, Sequence):
        emit_data(session, [item.to_dict() for item in data])
    else:
        emit_data(session, data.to_dict())


def emit_list(
    session: Session, items: Sequence[Model], table: Callable[[], RenderableType], noun: str
) -> None:
    """Print a listing; an empty one says ``no <noun>`` on stderr (and prints no table)."""
    if not items:
        click.echo(f"no {noun}", err=True)
        if not session.machine_output:
            return
    emit(session, items, table)


def emit_data(session: Session, payload: Any) -> None:
    """Print plain data as JSON or YAML (the machine-readable formats)."""
    if session.output == "json":
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        import yaml

        click.echo(yaml.safe_dump(payload, sort_keys=False, allow_unicode=True), nl=False)


def report(session: Session, result: Callable[[], Model], *message: str) -> None:
    """After a change: the model it left (``result()``) for programs, sentences for people."""
    if session.machine_output:
        emit_data(session, result().to_dict())
    else:
        for line in message:
            say(session, line)


def changed_fields(before: Record, after: Record) -> list[str]:
    """The top-level fields an update changed (``update_time`` always changes)."""
    keys = (before.keys() | after.keys()) - {"update_time"}
    return sorted(key for key in keys if before.get(key) != after.get(key))


def say(session: Session, message: str) -> None:
    """A sentence for people: on stdout with tables, on stderr when stdout carries data."""
    click.echo(message, err=session.machine_output)


def text(value: object) -> str:
    """A table cell: ``-`` for nothing, yes/no for booleans, times to the second."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T" and value[:4].isdigit():
        return value[:19].replace("T", " ")
    return str(value)


def table(columns: Sequence[Column], records: Iterable[Record], title: str | None = None) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, title_justify="left", header_style="bold")
    for header, _ in columns:
        grid.add_column(header, overflow="fold")
    for record in records:
        grid.add_row(*(Text(text(cell(record))) for _, cell in columns))
    return grid


def details(record: Record) -> Table:
    """Every field of one model, nested ones as ``parent.child``."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in _flatten(record, ""):
        grid.add_row(key, Text(text(value)))
    return grid


def _flatten(value: Any, prefix: str) -> Iterable[tuple[str, Any]]:
    if isinstance(value, dict) and (value or not prefix):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}[{index}]")
    elif isinstance(value, list):
        yield prefix, ", ".join(map(str, value))
    else:
        yield prefix, value
