"""When a failed request is sent again, and after how long. Pure: the clients run the loop.

The loop itself is :func:`stamina.retry_context` in each client; it asks
:meth:`RetryPolicy.decide` about every failure, which answers False (give up), True (wait
the exponential backoff with jitter) or a number of seconds (what ``Retry-After`` said).
"""

from __future__ import annotations

import email.utils
import logging
import math
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import httpx

from harbor_replication._errors import HarborAPIError, HarborConnectionError

# Logging is the application's to configure. stamina logs the retries this library schedules
# (and we log debug lines), so a script that configured nothing would get bare
# "stamina.retry_scheduled" lines on stderr from Python's last-resort handler. A NullHandler
# only stops that fallback: records still propagate to the root logger's handlers, so an
# application that configured logging sees them as before.
for _name in ("stamina", "harbor_replication"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# What proxies and Harbor answer when trying again later may work (docs/harbor-behaviour.md §6, §7).
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Failures that prove the request never left this machine, so even a POST may go again:
# no connection could be made, or none was free in the pool.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _number(name: str, value: object, *, minimum: float, allow_zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < minimum or (not allow_zero and value == 0):
        raise ValueError(f"{name} must be {'>=' if allow_zero else '>'} {minimum}, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a client retries; the clients' keywords of the same names.

    The wait before retry ``n`` (1-based) is ``backoff_initial * 2 ** (n - 1)`` plus a
    random jitter of up to ``backoff_jitter`` seconds, at most ``backoff_max``. A
    ``Retry-After`` from the server replaces that wait; one longer than ``backoff_max``
    is not waited out: the error surfaces at once.
    """

    max_retries: int = 3
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    backoff_jitter: float = 1.0

    def __post_init__(self) -> None:
        retries = self.max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {retries!r}")
        _number("backoff_initial", self.backoff_initial, minimum=0)
        _number("backoff_max", self.backoff_max, minimum=0)
        _number("backoff_jitter", self.backoff_jitter, minimum=0)

    def options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`stamina.retry_context`, after ``on``."""
        return {
            "attempts": self.max_retries + 1,
            "timeout": None,
            "wait_initial": self.backoff_initial,
            "wait_max": self.backoff_max,
            "wait_jitter": self.backoff_jitter,
        }

    def hook(self, replayable: bool) -> partial[bool | float]:
        """The ``on`` predicate for one request: :meth:`decide` with ``replayable`` bound."""
        return partial(self.decide, replayable)

    def decide(self, replayable: bool, error: Exception) -> bool | float:
        """Whether to send the request again: False, True (usual backoff) or the seconds to wait.

        ``replayable`` requests (GET, PUT, DELETE and the registry ping, a POST with no side
        effect) are retried on connection failures, timeouts and :data:`RETRY_STATUSES`; the
        others (the POSTs that create something) only when the request provably never left
        this machine, so a retry cannot start anything twice.
        A failed TLS handshake (a certificate that does not verify) is never retried.
        """
        if isinstance(error, HarborConnectionError):
            cause = error.__cause__
            if _caused_by_tls(cause):
                return False
            return replayable or isinstance(cause, _NEVER_SENT)
        if replayable and isinstance(error, HarborAPIError):
            if error.status_code not in RETRY_STATUSES:
                return False
            if error.retry_after is None:
                return True
            return error.retry_after if error.retry_after <= self.backoff_max else False
        return False


def _caused_by_tls(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, ssl.SSLError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay seconds or an HTTP date).

    None when there is no usable value; a date in the past means 0.

    >>> parse_retry_after("120")
    120.0
    >>> now = datetime(2015, 10, 21, 7, 27, tzinfo=UTC)
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now)
    60.0
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds)
