"""The q builder: Harbor's grammar, its escapes, and what it cannot express."""

import datetime as dt

import pytest

from harbor_replication import QueryError
from harbor_replication.query import AllOf, AnyOf, Fuzzy, Range, build_query, encode_query


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"name": "nginx"}, "name=nginx"),
        ({"name": Fuzzy("mirror")}, "name=~mirror"),
        ({"enabled": True, "override": False}, "enabled=true,override=false"),
        ({"dest_registry_id": 3}, "dest_registry_id=3"),
        ({"id": Range(1, 10)}, "id=[1~10]"),
        ({"id": Range(None, 10)}, "id=[~10]"),
        ({"id": Range(min=5)}, "id=[5~]"),
        ({"id": AnyOf(1, 2, 3)}, "id={1 2 3}"),
        ({"id": AllOf(1, 2)}, "id=(1 2)"),
        ({"name": AnyOf("a", "b")}, 'name={"a" "b"}'),
        # A string that looks like a number stays a string once quoted.
        ({"name": AnyOf("123")}, 'name={"123"}'),
        (
            {"creation_time": Range(dt.datetime(2026, 1, 2, 3, 4, 5), None)},
            "creation_time=[2026-01-02T03:04:05~]",
        ),
        (
            {
                "creation_time": Range(
                    None,
                    dt.datetime(2026, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
                )
            },
            "creation_time=[~2026-01-02T03:04:05]",
        ),
    ],
)
def test_build_query_writes_harbor_grammar(conditions: dict[str, object], expected: str) -> None:
    assert build_query(conditions) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["~tilde", "[bracket", "{brace", "(paren", "\\backslash"])
def test_exact_values_that_look_like_patterns_get_harbors_backslash(value: str) -> None:
    assert build_query({"name": value}) == f"name=\\{value}"


@pytest.mark.parametrize(
    "conditions",
    [
        {"name": "a,b"},
        {"name": Fuzzy("a,b")},
        {"name": ""},
        {"name": Fuzzy("")},
        {"name": AnyOf("two words")},
        {"name": AnyOf('"quoted"')},
        {"name": Range("a~b", None)},
        {"name": Range(" padded", None)},
        {"": "x"},
        {"na=me": "x"},
        {"na,me": "x"},
        {"name ": "x"},
        {},
    ],
)
def test_what_harbor_cannot_express_raises_query_error(conditions: dict[str, object]) -> None:
    with pytest.raises(QueryError):
        build_query(conditions)  # type: ignore[arg-type]


def test_empty_lists_and_ranges_are_refused() -> None:
    with pytest.raises(QueryError):
        AnyOf()
    with pytest.raises(QueryError):
        Range()


def test_query_error_is_a_value_error() -> None:
    assert issubclass(QueryError, ValueError)


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        ("name=~a+b", "name=~a%2Bb"),
        ("name=~100%", "name=~100%25"),
        ({"name": Fuzzy("50%+off")}, "name=~50%25%2Boff"),
        ({"name": Fuzzy("a&b#c=d")}, "name=~a&b#c=d"),
    ],
)
def test_encode_query_escapes_for_harbors_second_decoding(
    query: str | dict[str, Fuzzy], sent: str
) -> None:
    assert encode_query(query) == sent
