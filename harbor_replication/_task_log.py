"""Reading Harbor's replication task logs: which artifacts failed, and why.

Pure functions over the text ``GET .../tasks/{id}/log`` returns, shared by ``retry-failed``
and the failure report. The shapes parsed here are the ones Harbor's job writes
(docs/operations.md, "How a task log is read", cites each line's source):

- every line is ``<RFC 3339 time> [<LEVEL>] [<file:line>]: <message>``;
- a copy task covers one repository and logs
  ``copying <repo>:[<ref>,<ref>](source registry) to <dest>:[...](destination registry)...``,
  then for each reference ``copying <repo>:<ref>(source registry) to ...`` followed by
  ``copy <repo>:<ref>(source registry) to ... completed``, an ``already exists ... skip``
  line, or an error;
- a retried job writes its log again from the start (the file logger opens the file without
  ``O_APPEND``, the database logger replaces the row), so the newest attempt comes first
  and what follows a step back in time is left over from an older one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

_LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) "
    r"\[(?P<level>[A-Z]+)\] (?:\[(?P<where>[^\]]*)\]:? ?)?(?P<message>.*)$"
)
_REPOSITORY_COPY = re.compile(
    r"^copying (?P<repository>[^:\s]+):\[(?P<references>[^\]]*)\]\(source registry\) to "
)
_ARTIFACT_COPY = re.compile(
    r"^copying (?P<repository>[^:\s]+):(?P<reference>[^\[(\s]+)\(source registry\) to "
)
_ARTIFACT_DONE = re.compile(
    r"^copy (?P<repository>[^:\s]+):(?P<reference>[^\[(\s]+)\(source registry\) to .* completed$"
)
# Both "skip" outcomes of Harbor's copyArtifact end the artifact without an error.
_ARTIFACT_SKIPPED = re.compile(r"exists on the destination registry.*skip$")
# Harbor's closing line for a task with any failed artifact: says nothing about the cause.
_SUMMARY_ERROR = "got error during the whole transfer period, mark the job failure"
_RESOURCE = re.compile(r"^(?P<repository>.+?) \[(?P<count>\d+) item\(s\) in total\]$")


@dataclass(frozen=True)
class LogLine:
    """One line of a task log; ``time`` is None for a continuation of the line before."""

    time: datetime.datetime | None
    level: str
    message: str
    text: str


def _parse_time(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_lines(log: str) -> Iterator[LogLine]:
    """The lines of ``log``, with time, level and message split out where they have them."""
    for text in log.splitlines():
        match = _LINE.match(text)
        if match is None:
            yield LogLine(None, "", text, text)
            continue
        try:
            time = _parse_time(match["time"])
        except ValueError:
            yield LogLine(None, "", text, text)
            continue
        yield LogLine(time, match["level"], match["message"], text)


def latest_attempt(lines: Iterable[LogLine]) -> Iterator[LogLine]:
    """The lines of the newest run of the job: up to the first step back in time."""
    last: datetime.datetime | None = None
    for line in lines:
        if line.time is not None:
            if last is not None and line.time < last:
                return
            last = line.time
        yield line


def resource_repository(resource: object) -> str:
    """The repository of a task's ``src_resource``: ``library/nginx [4 item(s) in total]``
    in Harbor, ``library/nginx:1.27`` for a task of one artifact (a repository name holds
    no colon)."""
    text = resource.strip() if isinstance(resource, str) else ""
    match = _RESOURCE.match(text)
    return match["repository"] if match else text.rsplit(":", 1)[0]


@dataclass(frozen=True)
class FailedArtifacts:
    """What one failed copy task did not copy: a repository and its references."""

    repository: str
    references: tuple[str, ...]


class UnreadableLog(ValueError):
    """The log does not say which artifacts the task failed to copy."""


def failed_artifacts(log: str) -> FailedArtifacts:
    """The references of the newest attempt that neither completed nor were skipped.

    Raises :class:`UnreadableLog` when the log names no artifact (the job failed before it
    listed them, or its log is gone).
    """
    repository: str | None = None
    listed: list[str] = []
    started: list[str] = []
    ended: set[str] = set()
    current: str | None = None
    for line in latest_attempt(parse_lines(log)):
        message = line.message
        if (match := _REPOSITORY_COPY.match(message)) is not None:
            repository = match["repository"]
            listed = [ref for ref in match["references"].split(",") if ref]
        elif (match := _ARTIFACT_COPY.match(message)) is not None:
            repository = repository or match["repository"]
            current = match["reference"]
            if current not in started:
                started.append(current)
        elif (match := _ARTIFACT_DONE.match(message)) is not None:
            ended.add(match["reference"])
            current = None
        elif current is not None and _ARTIFACT_SKIPPED.search(message):
            ended.add(current)
            current = None
    if repository is None:
        raise UnreadableLog("the log names no artifact")
    # Listed but never started: the job ended (crashed, was killed) before reaching them.
    references = [ref for ref in [*listed, *started] if ref not in ended]
    unique = tuple(dict.fromkeys(references))
    if not unique:
        raise UnreadableLog(f"the log of {repository} shows no artifact that failed")
    return FailedArtifacts(repository, unique)


class Cause(StrEnum):
    """Why a task failed, as read from its log."""

    AUTHENTICATION = "authentication"
    PERMISSION = "permission"
    QUOTA_OR_SIZE = "quota or size"
    NOT_FOUND = "not found"
    NETWORK_OR_TLS = "network or TLS"
    TIMEOUT = "timeout"
    REGISTRY_5XX = "registry 5xx"
    RATE_LIMIT = "rate limit"
    UNKNOWN = "unknown"


# First match wins, so the specific comes before the general: Harbor reports an exceeded
# quota as a 403 DENIED, and nginx's "504 Gateway Timeout" is the registry's 5xx, not ours.
_CAUSE_PATTERNS: list[tuple[Cause, re.Pattern[str]]] = [
    (
        Cause.RATE_LIMIT,
        re.compile(
            r"status code:? 429|\b429 Too Many|toomanyrequests|TOO_MANY_REQUEST|rate limit", re.I
        ),
    ),
    (
        Cause.QUOTA_OR_SIZE,
        re.compile(
            r"quota|status code:? 413|\b413 Request Entity|REQUEST_ENTITY_TOO_LARGE|too large"
            r"|exceed the configured upper limit|no space left",
            re.I,
        ),
    ),
    (
        Cause.AUTHENTICATION,
        re.compile(
            r"status code:? 401|\b401 Unauthorized|UNAUTHORIZED|authentication required"
            r"|invalid username|incorrect username",
            re.I,
        ),
    ),
    (
        Cause.PERMISSION,
        re.compile(
            r"status code:? 403|\b403 Forbidden|FORBIDDEN|\bDENIED\b|requested access to the "
            r"resource is denied|insufficient_scope|permission",
            re.I,
        ),
    ),
    (
        Cause.NOT_FOUND,
        re.compile(
            r"status code:? 404|\b404 Not Found|MANIFEST_UNKNOWN|NAME_UNKNOWN|BLOB_UNKNOWN"
            r"|manifest unknown|not found",
            re.I,
        ),
    ),
    (
        Cause.REGISTRY_5XX,
        re.compile(
            r"status code:? 5\d\d|\b5\d\d (?:Internal Server Error|Bad Gateway|Service "
            r"Unavailable|Gateway Time-?out)",
            re.I,
        ),
    ),
    (
        Cause.TIMEOUT,
        re.compile(r"timeout|timed out|deadline exceeded|Client\.Timeout", re.I),
    ),
    (
        Cause.NETWORK_OR_TLS,
        re.compile(
            r"x509:|tls:|certificate|connection refused|connection reset|no such host"
            r"|network is unreachable|no route to host|dial tcp|unexpected EOF|broken pipe",
            re.I,
        ),
    ),
]


def classify_message(message: str) -> Cause:
    """The cause an error message names (:data:`Cause.UNKNOWN` when none)."""
    for cause, pattern in _CAUSE_PATTERNS:
        if pattern.search(message):
            return cause
    return Cause.UNKNOWN


@dataclass(frozen=True)
class Diagnosis:
    """The cause of a failed task, the log line it was read from and that line's message."""

    cause: Cause
    line: str
    message: str


def diagnose(log: str) -> Diagnosis:
    """Why the newest attempt of a task failed: its first error line that names a cause.

    Harbor's closing summary line is skipped (it names none); a log without an error line
    is :data:`Cause.UNKNOWN` with its last line as the example.
    """
    first_error: LogLine | None = None
    last = LogLine(None, "", "", "")
    for line in latest_attempt(parse_lines(log)):
        if line.text.strip():
            last = line
        if line.level not in ("ERROR", "FATAL") or line.message == _SUMMARY_ERROR:
            continue
        cause = classify_message(line.message)
        if cause is not Cause.UNKNOWN:
            return Diagnosis(cause, line.text, line.message)
        first_error = first_error or line
    shown = first_error or last
    return Diagnosis(Cause.UNKNOWN, shown.text, shown.message)
