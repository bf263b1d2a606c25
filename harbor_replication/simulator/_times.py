"""Harbor's time format: RFC 3339, UTC, milliseconds; Go's zero time for "not set"."""

from __future__ import annotations

import datetime as dt

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Go's time.Time{} as seconds since the epoch; sorts before every real time.
ZERO_TIME = (dt.datetime(1, 1, 1, tzinfo=dt.UTC) - _EPOCH).total_seconds()


def format_time(seconds: float) -> str:
    """``2026-01-01T00:00:00.000Z``; the zero time is ``0001-01-01T00:00:00.000Z``."""
    m = _EPOCH + dt.timedelta(seconds=seconds)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}."
        f"{m.microsecond // 1000:03d}Z"
    )


def format_log_time(seconds: float) -> str:
    """The timestamp at the start of a job log line: ``2026-01-01T00:00:00Z``."""
    return format_time(seconds)[:19] + "Z"
