"""Hostile input: bad arguments fail before any I/O, malformed answers as HarborResponseError."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from harbor_replication import (
    AsyncReplicationClient,
    HarborAPIError,
    HarborResponseError,
    ReplicationClient,
)

URL = "https://harbor.example.com"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
EXECUTION_FIELDS = ["id", "policy_id", "status", "trigger", "start_time", "end_time", "total"]
# Objects that look like executions, with any JSON at each field.
execution_like = st.fixed_dictionaries({}, optional=dict.fromkeys(EXECUTION_FIELDS, json_values))
bodies = st.one_of(
    st.binary(max_size=64),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.lists(execution_like, max_size=3).map(lambda items: json.dumps(items).encode()),
    execution_like.map(lambda item: json.dumps(item).encode()),
    st.just(b'{"id": 1, "status": "Succ'),
)
statuses = st.sampled_from([200, 200, 200, 201, 400, 404, 500, 502])
headers = st.fixed_dictionaries(
    {},
    optional={
        "X-Total-Count": st.sampled_from(["2", "-1", "many", ""]),
        "Location": st.sampled_from(
            ["", "/api/v2.0/replication/executions/x", "/a/7", "http://h/0"]
        ),
        "Retry-After": st.sampled_from(["1", "soon"]),
    },
)


def _serving(status: int, body: bytes, extra: dict[str, str]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, content=body, headers=extra))


CALLS: list[tuple[str, tuple[Any, ...]]] = [
    ("get_replication", (1,)),
    ("get_replications", ()),
    ("start_replication", (1,)),
    ("get_replication_policy", (1,)),
    ("get_replication_policies", ()),
    ("get_registry", (1,)),
    ("get_replication_tasks", (1,)),
    ("get_replication_task_log", (1, 2)),
    ("create_registry", ({"name": "r", "url": "https://r.example.com", "type": "harbor"},)),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=statuses, body=bodies, extra=headers, call=st.sampled_from(CALLS))
def test_any_answer_is_a_result_or_a_harbor_error(
    status: int, body: bytes, extra: dict[str, str], call: tuple[str, tuple[Any, ...]]
) -> None:
    name, args = call
    client = ReplicationClient(URL, transport=_serving(status, body, extra), max_retries=0)
    with contextlib.suppress(HarborResponseError, HarborAPIError):
        getattr(client, name)(*args)


@settings(max_examples=60, deadline=None)
@given(status=statuses, body=bodies, extra=headers)
async def test_any_answer_is_a_result_or_a_harbor_error_async(
    status: int, body: bytes, extra: dict[str, str]
) -> None:
    transport = _serving(status, body, extra)
    async with AsyncReplicationClient(URL, transport=transport, max_retries=0) as client:
        for name, args in CALLS:
            with contextlib.suppress(HarborResponseError, HarborAPIError):
                await getattr(client, name)(*args)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id": "1"}, "id"),
        ({"id": True}, "id"),
        ({"id": 1.0}, "id"),
        ({"id": 1, "status": 3}, "status"),
        ({"id": 1, "start_time": "yesterday"}, "start_time"),
        ({"id": 1, "start_time": 5}, "start_time"),
        ({"id": 1, "total": None}, "total"),
    ],
)
def test_wrong_types_are_response_errors(body: dict[str, Any], field: str) -> None:
    client = ReplicationClient(URL, transport=_serving(200, json.dumps(body).encode(), {}))
    with pytest.raises(HarborResponseError, match=f"{field} is"):
        client.get_replication(1)


@pytest.mark.parametrize(
    "body",
    [
        {"id": 1, "src_registry": {"id": "one"}},
        {"id": 1, "filters": [{"type": "name", "value": 5}]},
        {"id": 1, "filters": "all"},
        {"id": 1, "trigger": {"type": "manual", "trigger_settings": {"cron": 0}}},
    ],
)
def test_nested_wrong_types_are_response_errors(body: dict[str, Any]) -> None:
    client = ReplicationClient(URL, transport=_serving(200, json.dumps(body).encode(), {}))
    with pytest.raises(HarborResponseError):
        client.get_replication_policy(1)


def test_harbors_own_shapes_pass() -> None:
    body = {
        "id": 1,
        "name": "p",
        "filters": [{"type": "name", "value": "a/**"}, {"type": "label", "value": ["x"]}],
        "src_registry": {"id": 2, "name": "r", "creation_time": "0001-01-01T00:00:00.000Z"},
        "dest_namespace_replace_count": None,
        "speed": 0,
        "creation_time": "2026-01-01T00:00:00.000Z",
        "extra_field": {"anything": 1},
    }
    client = ReplicationClient(URL, transport=_serving(200, json.dumps(body).encode(), {}))
    policy = client.get_replication_policy(1)
    assert policy.src_registry.creation_time is None  # type: ignore[union-attr]


def test_zero_times_are_none_even_when_escaped() -> None:
    # The first page spells Go's zero time with a JSON escape, the second plainly.
    escaped = b'[{"id": 2, "start_time": "0001-01-01\\u005400:00:00Z"}]'
    plain = b'[{"id": 1, "start_time": "0001-01-01T00:00:00Z"}]'
    pages = {"1": escaped, "2": plain}
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=pages[request.url.params["page"]], headers={"X-Total-Count": "2"}
        )
    )
    client = ReplicationClient(URL, transport=transport)
    executions = client.get_replications(page_size=1)
    assert [(e.id, e.start_time) for e in executions] == [(2, None), (1, None)]


def test_deeply_nested_json_is_a_response_error() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    client = ReplicationClient(URL, transport=_serving(200, body, {}))
    with pytest.raises(HarborResponseError):
        client.get_replications()


def test_a_create_without_location_is_a_response_error() -> None:
    client = ReplicationClient(URL, transport=_serving(201, b"", {}))
    with pytest.raises(HarborResponseError, match="Location"):
        client.start_replication(1)


def _no_io(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a request was sent: {request.method} {request.url}")


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [
        ("get_replication", (0,), {}),
        ("get_replication", ("1",), {}),
        ("start_replication", (True,), {}),
        ("stop_replication", (-3,), {}),
        ("get_replications", (), {"page_size": 101}),
        ("get_replications", (), {"page": 0}),
        ("get_replications", (), {"limit": "10"}),
        ("get_replications", (), {"status": ""}),
        ("get_replication_tasks", (None,), {}),
        ("get_replication_task_log", (1, 0), {}),
        ("wait_for_replication", (1,), {"timeout": -1}),
        ("wait_for_replication", (1,), {"timeout": "5"}),
        ("wait_for_replication", (1,), {"poll_interval": 0}),
        ("wait_for_replication", (1,), {"poll_interval": float("nan")}),
        ("wait_for_replication", (1,), {"on_progress": "print"}),
        ("wait_for_replication", (1,), {"settle": -1}),
        ("wait_for_replication", (1,), {"settle": float("inf")}),
        ("wait_for_replication", (1,), {"settle": "130"}),
        ("get_replication_policies", (), {"query": 5}),
        ("get_replication_policies", (), {"query": {"name": "a,b"}}),
        ("create_replication_policy", ("policy",), {}),
        ("update_replication_policy", (1, {"name": 5, "filters": 3}), {}),
        ("delete_replication_policy", (1.0,), {}),
        ("get_registries", (), {"sort": 3}),
        ("create_registry", (["r"],), {}),
        ("update_registry", (0, {}), {}),
        ("ping_registry", (None,), {}),
        ("ping_registry", ("https://r.example.com",), {}),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    sync_client = ReplicationClient(URL, transport=httpx.MockTransport(_no_io))
    # A message that says what is wrong, not an empty one.
    with pytest.raises(ValueError, match=r"\w{4}"):
        getattr(sync_client, method)(*args, **kwargs)
    async with AsyncReplicationClient(URL, transport=httpx.MockTransport(_no_io)) as client:
        with pytest.raises(ValueError, match=r"\w{4}"):
            await getattr(client, method)(*args, **kwargs)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": 5}, "URL must be a str"),
        ({"url": "ftp://harbor"}, "http"),
        ({"url": "https://admin:pw@harbor"}, "credentials"),
        ({"username": "admin", "secret": 5}, "secret must be a str"),
        ({"verify": "/no/such/ca.pem"}, "CA bundle"),
        ({"verify": 3}, "verify"),
        ({"page_concurrency": 0}, "page_concurrency"),
    ],
)
def test_bad_constructor_arguments(options: dict[str, Any], message: str) -> None:
    arguments = {"url": URL, **options}
    for cls in (ReplicationClient, AsyncReplicationClient):
        with pytest.raises(ValueError, match=message):
            cls(**arguments)


def test_a_response_error_names_the_operation_path_status_and_request_id() -> None:
    transport = _serving(200, b"<html>maintenance</html>", {"X-Request-Id": "req-42"})
    client = ReplicationClient(URL, transport=transport)
    with pytest.raises(HarborResponseError) as caught:
        client.get_replication(7)
    error = caught.value
    assert (error.operation, error.status_code, error.request_id) == (
        "get_replication",
        200,
        "req-42",
    )
    text = str(error)
    for part in ("get_replication", "GET /api/v2.0/replication/executions/7", "HTTP 200", "req-42"):
        assert part in text
