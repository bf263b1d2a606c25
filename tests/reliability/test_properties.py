"""The q builder against the simulator's q parser, for arbitrary unicode.

See docs/harbor-behaviour.md §24 and §25.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from hypothesis import assume, given, settings, strategies as st

from harbor_replication.query import AnyOf, Fuzzy, QueryError, Range, build_query, encode_query
from harbor_replication.simulator import _query as server

keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.]{0,8}", fullmatch=True)
texts = st.text(min_size=1, max_size=12)
times = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2999, 1, 1)).map(
    lambda t: t.replace(microsecond=0)
)
items = st.integers(-(2**62), 2**62) | texts | times
values = st.one_of(
    texts,
    st.integers(-(2**62), 2**62),
    st.booleans(),
    texts.map(Fuzzy),
    st.tuples(items | st.none(), items | st.none())
    .filter(lambda b: b != (None, None))
    .map(lambda b: Range(*b)),
    st.lists(items, min_size=1, max_size=4).map(lambda v: AnyOf(*v)),
)


def _item(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC)
    return value


def _expected(value: Any) -> server.Condition:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fuzzy):
        return server.Fuzzy(value.value)
    if isinstance(value, Range):
        return server.Range(
            None if value.min is None else _item(value.min),
            None if value.max is None else _item(value.max),
        )
    if isinstance(value, AnyOf):
        return server.AnyOf(tuple(_item(v) for v in value.values))
    return str(value)


@settings(max_examples=300, deadline=None)
@given(conditions=st.dictionaries(keys, values, min_size=1, max_size=4))
def test_what_is_built_is_what_harbor_parses(conditions: dict[str, Any]) -> None:
    try:
        q = encode_query(build_query(conditions))
    except QueryError:
        assume(False)
        return
    # Through a real URL, as the client sends it and Harbor reads it.
    url = httpx.URL("https://harbor.example.com/api/v2.0/replication/policies", params={"q": q})
    received = server.go_parse_query(url.query.decode("ascii"))["q"][0]
    assert server.parse_q(received) == {key: _expected(v) for key, v in conditions.items()}
