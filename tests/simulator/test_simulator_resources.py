"""Unit tests of the resource declarations: what one field's line derives."""

from __future__ import annotations

from dataclasses import dataclass

from harbor_replication.simulator._query import parse_q, parse_sort, select
from harbor_replication.simulator._resources import BOOL, INT64, STRING, Field, Resource

WIDGETS = Resource(
    "Widget",
    Field("id", "int", body=INT64, kept=True),
    Field("name", "str", body=STRING, read=lambda value: value or ""),
    Field("size_kb", "int", ("size", "Size"), read=lambda value: int(value or 0)),
    Field("secret", "str", shown=False),
    Field("fast", "bool", body=BOOL, read=bool, kept=True, since_v2_15=True),
    Field("creation_time", "time"),
)


@dataclass
class Widget:
    id: int
    name: str
    size_kb: int
    secret: str
    fast: bool
    creation_time: float


def test_a_declaration_gives_the_body_type_and_the_values_a_body_sets() -> None:
    assert WIDGETS.body_schema() == {
        "type": "object",
        "name": "Widget",
        "properties": {"id": INT64, "name": STRING, "fast": BOOL},
    }
    body = {"name": "w", "size_kb": "7", "fast": 1, "secret": "s"}
    assert WIDGETS.read(body, v2_15=True) == {"name": "w", "size_kb": 7, "fast": True}
    # a field an older Harbor does not know keeps its zero value
    assert WIDGETS.read(body, v2_15=False) == {"name": "w", "size_kb": 7, "fast": False}


def test_a_declaration_gives_the_json_shown() -> None:
    widget = Widget(0, "", 3, "s", False, 0.0)
    assert WIDGETS.render(widget, {}) == {
        "id": 0,
        "size_kb": 3,
        "fast": False,
        "creation_time": "1970-01-01T00:00:00.000Z",
    }
    assert WIDGETS.render(widget, {"name": "shown"}, v2_15=False) == {
        "id": 0,
        "name": "shown",
        "size_kb": 3,
        "creation_time": "1970-01-01T00:00:00.000Z",
    }


def test_a_declaration_gives_the_columns_q_and_sort_know() -> None:
    widgets = [Widget(n, f"w{n}", n * 10, f"s{n}", n % 2 == 1, float(n)) for n in (1, 2, 3)]
    records = [WIDGETS.record(widget, name=widget.name.upper()) for widget in widgets]
    assert records[0] == {
        "id": 1,
        "name": "W1",
        "size_kb": 10,
        "secret": "s1",
        "fast": True,
        "creation_time": 1.0,
    }

    def ids(q: str, sort: str) -> list[int]:
        chosen = select(records, WIDGETS.columns, parse_q(q), parse_sort(sort), [])
        return [record["id"] for record in chosen]

    assert ids("Size=[15~]", "-CreationTime") == [3, 2]
    assert ids("fast=true,Secret=~s", "-size") == [3, 1]
    # the column is known by its declared names only
    assert ids("size_kb=10", "") == [1, 2, 3]
    assert ids("Name=W2", "") == [2]
