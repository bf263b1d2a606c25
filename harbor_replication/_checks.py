"""Checks of the arguments the public methods take, all made before any I/O."""

from __future__ import annotations

from harbor_replication._constants import MAX_PAGE_SIZE
from harbor_replication_api.types import UNSET, Unset


def check_id(name: str, value: object) -> int:
    """Return ``value`` if it is a positive int, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


def check_page(page: object, page_size: object) -> tuple[int, int]:
    check_id("page", page)
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise ValueError(f"page_size must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, got {page_size}")
    return page, page_size  # type: ignore[return-value]


def check_limit(limit: object) -> int | None:
    """``None`` or a value <= 0 means no limit."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise ValueError(f"limit must be an int or None, got {limit!r}")
    return limit if limit > 0 else None


def check_wait(timeout: object, poll_interval: object, on_progress: object) -> None:
    """The arguments of ``wait_for_replication`` besides the id."""
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0
    ):
        raise ValueError(f"timeout must be seconds >= 0 or None, got {timeout!r}")
    if (
        isinstance(poll_interval, bool)
        or not isinstance(poll_interval, int | float)
        or not 0 < poll_interval < float("inf")
    ):
        raise ValueError(f"poll_interval must be seconds > 0, got {poll_interval!r}")
    if on_progress is not None and not callable(on_progress):
        raise ValueError(f"on_progress must be callable or None, got {on_progress!r}")


def optional_text(name: str, value: object) -> str | Unset:
    if value is None:
        return UNSET
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str or None, got {value!r}")
    return value
