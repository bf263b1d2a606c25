"""location_id reads Harbor's Location header in both forms it comes in."""

import pytest

from harbor_replication import location_id


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/api/v2.0/replication/executions/42", 42),
        ("/api/v2.0/replication/policies/7/", 7),
        ("https://harbor.example.com/api/v2.0/replication/policies/7", 7),
        ("http://127.0.0.1:8080/api/v2.0/registries/1?x=y", 1),
    ],
)
def test_location_id_reads_paths_and_urls(location: str, expected: int) -> None:
    assert location_id(location) == expected


@pytest.mark.parametrize("location", ["", "/api/v2.0/replication/executions", "/x/0", "/x/-1"])
def test_location_id_refuses_what_has_no_id(location: str) -> None:
    with pytest.raises(ValueError, match="no resource id"):
        location_id(location)
