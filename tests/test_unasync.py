"""The blocking client is generated from the asyncio one and must not drift from it."""

from openapi.unasync import (
    OPERATIONS_TARGET,
    TARGET,
    expected_operations,
    expected_sync_client,
)


def test_sync_client_is_generated_from_the_async_client() -> None:
    assert TARGET.read_text(encoding="utf-8") == expected_sync_client(), (
        "harbor_replication/_sync_client.py is stale: run `make generate` "
        "or `python -m openapi.unasync`"
    )


def test_blocking_operations_are_generated_from_the_async_ones() -> None:
    assert OPERATIONS_TARGET.read_text(encoding="utf-8") == expected_operations(), (
        "harbor_replication/operations.py is stale: run `python -m openapi.unasync`"
    )
