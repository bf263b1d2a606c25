"""Harbor's checks on registry URLs, policy filters and schedules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._errors import ErrorReply

# The distribution reference grammar's repository name, which Harbor's lib.RepositoryNameRe
# anchors: lowercase path components joined by "/", separators inside components.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
REPOSITORY_NAME = re.compile(
    rf"(?:{_DOMAIN}(?:\.{_DOMAIN})*(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
)


def normalize_url(url: str) -> str:
    """Harbor's ``lib.ValidateHTTPURL``: default to http, only http(s), no trailing slash."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    match = re.fullmatch(r"(https?)://([^/?#\s]+)([^?#\s]*)", url)
    if not match:
        raise ErrorReply(400, f"invalid HTTP URL: {url}")
    return url.rstrip("/")


def unhealthy(url: str) -> bool:
    """Hosts under the reserved ``.invalid`` top-level domain never answer."""
    host = re.sub(r"^https?://", "", url).split("/", 1)[0].split(":", 1)[0]
    return host.endswith(".invalid") or not host


def validate_filter(flt: Mapping[str, Any]) -> None:
    """Harbor's filter checks, in its order and words (src/pkg/reg/model/policy.go:43-88;
    docs/harbor-behaviour.md §12)."""
    kind = flt.get("type")
    value = flt.get("value")
    decoration = flt.get("decoration") or ""
    if kind in ("name", "tag", "resource"):
        if not isinstance(value, str):
            raise ErrorReply(400, "the type of filter value isn't string")
        if kind == "resource" and value not in ("image", "artifact"):
            raise ErrorReply(400, f"invalid resource filter: {value}")
        if kind in ("name", "resource") and decoration:
            raise ErrorReply(400, "only tag and label filter support decoration")
    elif kind == "label":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ErrorReply(400, "the type of label filter value isn't string slice")
    else:
        raise ErrorReply(400, "invalid filter type")
    if decoration not in ("", "matches", "excludes"):
        raise ErrorReply(400, f"invalid filter decoration, :{decoration}")


def validate_cron(cron: str) -> None:
    if not cron:
        raise ErrorReply(400, "the cron string cannot be empty when the trigger type is scheduled")
    fields = cron.split(" ")
    if len(fields) != 6 or not all(re.fullmatch(r"[0-9*/,\-?A-Za-z]+", f) for f in fields):
        raise ErrorReply(400, f"invalid cron string for scheduled trigger: {cron}")
    if fields[0] != "0":
        raise ErrorReply(
            400, "the 1st field (indicating Seconds of time) of the cron setting must be 0"
        )
    if fields[1] == "*":
        raise ErrorReply(
            400, "* is not allowed for the Minutes field of the cron setting of replication policy"
        )
