"""The blocking twins are generated from their asyncio sources and must not drift from them."""

from pathlib import Path

import pytest

from openapi.unasync import PAIRS, expected


@pytest.mark.parametrize(("source", "target", "title"), PAIRS, ids=[p[1].name for p in PAIRS])
def test_sync_twin_is_generated_from_its_async_source(
    source: Path, target: Path, title: str
) -> None:
    assert target.read_text(encoding="utf-8") == expected(source, title), (
        f"{target.name} is stale: run `make generate` or `python -m openapi.unasync`"
    )
