"""Unit tests of the q parser, Go's decoding rules, the list selection and the link builder."""

from __future__ import annotations

import datetime as dt

import pytest

from harbor_replication.simulator._query import (
    AllOf,
    AnyOf,
    Columns,
    Fuzzy,
    QueryError,
    Range,
    Sort,
    build_links,
    go_parse_query,
    go_query_unescape,
    parse_q,
    parse_sort,
    select,
)


def test_go_query_unescape_plus_and_escapes() -> None:
    assert go_query_unescape("a+b%2Bc%25") == "a b+c%"


def test_go_query_unescape_rejects_bad_escape() -> None:
    with pytest.raises(ValueError, match="invalid URL escape"):
        go_query_unescape("100%")


def test_parse_q_all_forms() -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert parse_q("name=a,description=~B,id=[1~5],creation_time=[2026-01-02T03:04:05~]") == {
        "name": "a",
        "description": Fuzzy("B"),
        "id": Range(1, 5),
        "creation_time": Range(when, None),
    }
    assert parse_q("k={a 7 'x'}") == {"k": AnyOf(("a", 7, "x"))}
    assert parse_q("k=(a b)") == {"k": AllOf(("a", "b"))}


def test_parse_q_backslash_escapes_a_leading_operator() -> None:
    assert parse_q(r"name=\~tilde") == {"name": "~tilde"}


def test_parse_q_list_items_split_on_single_spaces() -> None:
    # the quotes come off each half: no quoting keeps a space inside an item
    assert parse_q('k={"a b" c}') == {"k": AnyOf(("a", "b", "c"))}
    assert parse_q("k={a  b}") == {"k": AnyOf(("a", "b"))}


@pytest.mark.parametrize("q", ["name", "=v", "k=", "k=[1~2~3]", "k=[~]", "k={a", "k=~"])
def test_parse_q_errors(q: str) -> None:
    with pytest.raises(QueryError):
        parse_q(q)


def test_parse_q_second_decoding() -> None:
    assert parse_q("name=a%2Bb") == {"name": "a+b"}
    assert parse_q("name=a+b") == {"name": "a b"}
    # an invalid escape keeps the whole q as it is
    assert parse_q("name=a+b,description=100%") == {"name": "a+b", "description": "100%"}


def test_parse_sort() -> None:
    assert parse_sort("name,-creation_time") == [
        Sort("name", False),
        Sort("creation_time", True),
    ]


def test_select_filters_sorts_and_ignores_unknown_keys() -> None:
    columns = Columns.of(id="int", name="str", enabled="bool")
    records = [
        {"id": 1, "name": "alpha", "enabled": True},
        {"id": 2, "name": "beta", "enabled": False},
        {"id": 3, "name": "Alphabet", "enabled": True},
    ]
    picked = select(records, columns, parse_q("name=~ALPHA,nmae=zzz"), [Sort("id", True)], [])
    assert [r["id"] for r in picked] == [3, 1]
    picked = select(records, columns, parse_q("enabled=false"), parse_sort("-Name"), [])
    assert [r["id"] for r in picked] == [2]
    picked = select(records, columns, parse_q("id={1 3},name=(x y)"), [], [Sort("id", False)])
    assert [r["id"] for r in picked] == [1, 3]
    picked = select(records, columns, parse_q("ID=[2~]"), parse_sort("bogus"), [Sort("id", True)])
    assert [r["id"] for r in picked] == [3, 2]


def test_go_parse_query_drops_unreadable_pairs() -> None:
    assert go_parse_query("a=1&b=%zz&c;d=2&a=3") == {"a": ["1", "3"]}


def test_links_separator_and_pages() -> None:
    link = build_links("/api/v2.0/registries", "page=2&page_size=1", 3, 2, 1)
    assert link == (
        '</api/v2.0/registries?page=1&page_size=1>; rel="prev" , '
        '</api/v2.0/registries?page=3&page_size=1>; rel="next"'
    )
    assert build_links("/p", "", 5, 1, 10) == ""
    assert build_links("/p", "", 11, 1, 10) == '</p?page=2&page_size=10>; rel="next"'


def test_links_carry_the_percent_decoded_query() -> None:
    link = build_links("/p", "q=name%3D~a%252Bb%2Cx%3D1&page_size=1", 5, 1, 1)
    # re-encoded then decoded: the link holds raw '=', ',' and a once-decoded '%2B'
    assert link == '</p?page=2&page_size=1&q=name=~a%2Bb,x=1>; rel="next"'


def test_links_next_is_built_from_the_decoded_prev_query() -> None:
    link = build_links("/p", "q=name%3Da%252Bb&page=2&page_size=1", 5, 2, 1)
    prev, following = link.split(" , ")
    assert prev == '</p?page=1&page_size=1&q=name=a%2Bb>; rel="prev"'
    # the next link re-parses the decoded query: '%2B' is decoded once more, to '+'
    assert following == '</p?page=3&page_size=1&q=name=a+b>; rel="next"'
