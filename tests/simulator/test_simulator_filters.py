"""Unit tests of Harbor's pattern matching, the policy filters and destination naming."""

from __future__ import annotations

import pytest

from harbor_replication.simulator import Artifact
from harbor_replication.simulator._filters import (
    apply_filters,
    destination_repository,
    harbor_match,
)


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("", "anything/at/all", True),
        ("library/*", "library/nginx", True),
        ("library/*", "library/a/b", False),
        ("library/**", "library/a/b", True),
        ("**", "a/b/c", True),
        ("**/nginx", "nginx", True),
        ("**/nginx", "x/y/nginx", True),
        ("library/{nginx,alpine}", "library/alpine", True),
        ("library/{nginx,alpine}", "library/redis", False),
        ("v?.*", "v1.25", True),
        ("1.[0-9]*", "1.25", True),
        ("[!a]*", "abc", False),
        (r"\*", "*", True),
        ("regex:^v[0-9]+$", "v12", True),
        ("regex:rc", "2.5.0-rc1", True),
        ("latest", "latest-1", False),
    ],
)
def test_harbor_match(pattern: str, value: str, expected: bool) -> None:
    assert harbor_match(pattern, value) is expected


ARTIFACTS = [
    Artifact("library/nginx", "1.25", "sha256:1"),
    Artifact("library/nginx", "latest", "sha256:2", labels=("stable",)),
    Artifact("library/alpine", "3.20", "sha256:3", labels=("stable", "small")),
    Artifact("charts/podinfo", "6.5.0", "sha256:4", type="chart"),
]


def refs(filters: list[dict[str, object]]) -> list[str]:
    return [a.reference for a in apply_filters(filters, ARTIFACTS)]


def test_name_and_tag_filters_with_decorations() -> None:
    assert refs([{"type": "name", "value": "library/**"}]) == [
        "library/alpine:3.20",
        "library/nginx:1.25",
        "library/nginx:latest",
    ]
    assert refs([{"type": "name", "value": "library/nginx"}, {"type": "tag", "value": "1.*"}]) == [
        "library/nginx:1.25"
    ]
    assert refs([{"type": "tag", "value": "latest", "decoration": "excludes"}]) == [
        "charts/podinfo:6.5.0",
        "library/alpine:3.20",
        "library/nginx:1.25",
    ]


def test_label_filter_needs_all_labels() -> None:
    assert refs([{"type": "label", "value": ["stable", "small"]}]) == ["library/alpine:3.20"]
    assert refs([{"type": "label", "value": ["small"], "decoration": "excludes"}]) == [
        "charts/podinfo:6.5.0",
        "library/nginx:1.25",
        "library/nginx:latest",
    ]


def test_resource_filter() -> None:
    assert refs([{"type": "resource", "value": "chart"}]) == ["charts/podinfo:6.5.0"]
    assert "charts/podinfo:6.5.0" not in refs([{"type": "resource", "value": "image"}])


def test_destination_repository() -> None:
    assert destination_repository("library/nginx", "", -1) == "library/nginx"
    assert destination_repository("a/b/nginx", "mirror", -1) == "mirror/nginx"
    assert destination_repository("a/b/nginx", "mirror", 0) == "mirror/a/b/nginx"
    assert destination_repository("a/b/nginx", "mirror", 1) == "mirror/b/nginx"
    assert destination_repository("a/b/nginx", "mirror", 3) == "mirror"
    with pytest.raises(ValueError, match="cut count"):
        destination_repository("a/nginx", "mirror", 3)
