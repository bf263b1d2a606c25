"""What the simulated Harbor stores: registries, policies, executions and their tasks.

A task's status is not stored: it follows from its planned start and end, the clock and
a stop request, so nothing has to run in the background.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from ._filters import Artifact
from ._query import Record, Sort
from ._resources import EXECUTIONS, POLICIES, REGISTRIES, TASKS, omit_empty
from ._times import ZERO_TIME, format_log_time, format_time

LOCAL_REGISTRY_ID = 0
MASKED_SECRET = "*****"
SKIPPED_MESSAGE = "Execution skipped: active replication still in progress."
NOTHING_TO_COPY_MESSAGE = "no resources need to be replicated"

SHOWN_EXECUTION_STATUS = {
    "Running": "InProgress",
    "Success": "Succeed",
    "Error": "Failed",
    "Stopped": "Stopped",
}
STORED_EXECUTION_STATUS = {
    "InProgress": "Running",
    "Succeed": "Success",
    "Failed": "Error",
    "Stopped": "Stopped",
}
SHOWN_TASK_STATUS = {"Running": "InProgress", "Success": "Succeed", "Error": "Failed"}
STORED_TASK_STATUSES = {
    "InProgress": ("Scheduled", "Running"),
    "Succeed": ("Success",),
    "Failed": ("Error",),
}
SHOWN_TRIGGER = {"MANUAL": "manual", "SCHEDULE": "scheduled", "EVENT": "event_based"}
STORED_TRIGGER = {shown: stored for stored, shown in SHOWN_TRIGGER.items()}


def go_json(value: Any) -> str:
    """``json.Marshal``'s text: compact, with <, > and & escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _stored_filter(flt: dict[str, Any]) -> dict[str, Any]:
    """A filter as Harbor stores it (pkg/reg/model/policy.go:37-41: decoration omitempty)."""
    stored = {"type": flt.get("type") or "", "value": flt.get("value")}
    if flt.get("decoration"):
        stored["decoration"] = flt["decoration"]
    return stored


def artifact_digest(repository: str, tag: str) -> str:
    return "sha256:" + hashlib.sha256(f"{repository}:{tag}".encode()).hexdigest()


@dataclass
class Registry:
    id: int
    name: str
    url: str
    type: str
    description: str
    insecure: bool
    ca_certificate: str
    credential_type: str
    access_key: str
    access_secret: str
    creation_time: float
    update_time: float
    status: str = "healthy"

    def to_json(self, with_ca_certificate: bool = True) -> dict[str, Any]:
        """As Harbor shows it; ``ca_certificate`` only when set and known to the version."""
        # without an access key Harbor keeps an empty credential (docs/harbor-behaviour.md §12)
        credential = {}
        if self.access_key:
            credential = {
                "type": self.credential_type or "basic",
                "access_key": self.access_key,
                "access_secret": MASKED_SECRET if self.access_secret else "",
            }
        return REGISTRIES.render(self, {"credential": omit_empty(credential)}, with_ca_certificate)

    def record(self) -> dict[str, Any]:
        return REGISTRIES.record(self)


@dataclass
class Policy:
    id: int
    name: str
    description: str
    creator: str
    src_registry_id: int
    dest_registry_id: int
    dest_namespace: str
    dest_namespace_replace_count: int
    trigger_type: str
    cron: str
    filters: list[dict[str, Any]]
    replicate_deletion: bool
    override: bool
    enabled: bool
    speed: int
    copy_by_chunk: bool
    single_active_replication: bool
    creation_time: float
    update_time: float
    # Harbor keeps a trigger absent when none was given, and so its settings
    has_trigger: bool = True
    has_trigger_settings: bool = True

    def trigger_column(self) -> str:
        """The trigger as Harbor's database holds it: JSON, so an exact ``trigger=manual``
        matches nothing (docs/harbor-behaviour.md §26)."""
        if not self.has_trigger:
            return ""
        settings = {"cron": self.cron} if self.has_trigger_settings else None
        return go_json({"type": self.trigger_type, "trigger_settings": settings})

    def record(self) -> dict[str, Any]:
        return POLICIES.record(
            self,
            trigger=self.trigger_column(),
            filters=go_json([_stored_filter(f) for f in self.filters]) if self.filters else "",
        )


@dataclass(frozen=True)
class Copy:
    """One artifact a task copies: whether the destination has it already, and in how many
    runs of the task copying it fails (with which message)."""

    artifact: Artifact
    skip_existing: bool = False
    failures: int = 0
    failure: str = ""


_TRANSFER = "/controller/replication/transfer/image/transfer.go"


class Task:
    """The copy of one source repository's selected artifacts (docs/harbor-behaviour.md
    §15); its status follows from its planned runs and the clock.

    ``runs`` are the planned (start, end) of the job's first run and of each retry; a run
    fails when copying one of its artifacts fails, and the first ``fails`` runs do (§30).
    """

    __slots__ = (
        "_json",
        "copies",
        "destination",
        "execution_id",
        "fails",
        "id",
        "job_id",
        "repository",
        "resource_type",
        "runs",
    )

    def __init__(
        self,
        task_id: int,
        execution_id: int,
        repository: str,
        destination: str,
        copies: list[Copy],
        runs: list[tuple[float, float]],
    ) -> None:
        self.id = task_id
        self.execution_id = execution_id
        self.repository = repository
        self.destination = destination
        self.copies = copies
        self.runs = runs
        self.fails = min(max((copy.failures for copy in copies), default=0), len(runs))
        kind = copies[0].artifact.type if copies else "image"
        self.resource_type = kind if kind in ("image", "chart") else "artifact"
        self.job_id = uuid.uuid4().hex[:24]
        self._json: dict[str, Any] | None = None

    @staticmethod
    def _stopped_in(number: int, start: float, end: float, stop: float | None) -> bool:
        """Whether the stop ends run ``number``: the first run before or while it runs, a
        retry only while it runs (a job waiting for its retry ignores a stop, §30)."""
        return stop is not None and stop < end and (number == 0 or stop >= start)

    def stopped_in_run(self, number: int, stop: float | None) -> bool:
        return self._stopped_in(number, *self.runs[number], stop)

    def copying_run(self, copy: Copy) -> int | None:
        """The run that copies ``copy``: the first in which it does not fail, if any."""
        return copy.failures if copy.failures < len(self.runs) else None

    def ends_at(self, stop_at: float | None) -> float:
        """When the task's status stops changing."""
        for number in range(len(self.runs)):
            if self.stopped_in_run(number, stop_at):
                assert stop_at is not None
                return stop_at
        return self.runs[-1][1]

    def stored_status(self, now: float, stop_at: float | None) -> tuple[str, float, float]:
        """(status as stored, start time, end time) at ``now``."""
        stop = stop_at if stop_at is not None and stop_at <= now else None
        shown = ("Pending", ZERO_TIME, ZERO_TIME)
        for number, (start, end) in enumerate(self.runs):
            if self._stopped_in(number, start, end, stop):
                assert stop is not None
                return "Stopped", (start if start <= stop else ZERO_TIME), stop
            if now < start:
                return shown  # before a retry, the failure before it stays visible
            if now < end:
                return "Running", start, ZERO_TIME
            if number >= self.fails:
                return "Success", start, end
            shown = ("Error", start, end)
        return shown

    def _resource(self, repository: str) -> str:
        """Harbor's resource name: the repository and how many tags it copies (§15)."""
        return f"{repository} [{len(self.copies)} item(s) in total]"

    def to_json(self, now: float, stop_at: float | None, final: bool) -> dict[str, Any]:
        if final and self._json is not None:
            return self._json
        status, start, end = self.stored_status(now, stop_at)
        shown = TASKS.render(
            self,
            {
                "status": SHOWN_TASK_STATUS.get(status, status),
                "operation": "copy",
                "src_resource": self._resource(self.repository),
                "dst_resource": self._resource(self.destination),
                "start_time": format_time(start),
                "end_time": format_time(end),
            },
        )
        if final:
            self._json = shown
        return shown

    def log(self, now: float, stop_at: float | None, source: str, target: str) -> str:
        """The job log written so far: lines appear as the copy progresses.

        A task stopped before it started has an empty log for good: Harbor's job runner
        returns before it opens the job's log when it finds the job already stopped. A
        retry writes over the log of the failed run from its first byte (§30).
        """
        stop = stop_at if stop_at is not None and stop_at <= now else None
        written = ""
        for number, (start, end) in enumerate(self.runs):
            stopped = self._stopped_in(number, start, end, stop)
            horizon = min(now, stop) if stopped and stop is not None else now
            if horizon < start:
                break
            run = self._run_log(number, start, end, horizon, source, target)
            if stopped:
                run += f"{format_log_time(horizon)} [INFO] [{_TRANSFER}:175]: the job is stopped\n"
            written = run + written[len(run) :]
            if stopped or horizon < end:
                break
        return written

    def _run_log(
        self, number: int, start: float, end: float, horizon: float, source: str, target: str
    ) -> str:
        """What run ``number`` of the job writes into its log up to ``horizon``: the
        transfer's lines for the repository and for each artifact (transfer.go:140-254)."""
        src, dst = self.repository, self.destination
        tags = ",".join(copy.artifact.tag for copy in self.copies)
        every = f"{src}:[{tags}](source registry) to {dst}:[{tags}](destination registry)"
        plan = [
            (0.0, "INFO", 140, f"client for source registry [{source}] created"),
            (0.0, "INFO", 150, f"client for destination registry [{target}] created"),
            (
                0.02,
                "INFO",
                183,
                f"copying {every}...",
            ),
        ]
        failed = False
        share = 0.9 / max(len(self.copies), 1)
        for index, copy in enumerate(self.copies):
            at = 0.05 + index * share
            tag, digest = copy.artifact.tag, copy.artifact.digest
            one = f"{src}:{tag}(source registry) to {dst}:{tag}(destination registry)"
            plan += [
                (
                    at,
                    "INFO",
                    211,
                    f"copying {one}...",
                ),
                (
                    at + 0.1 * share,
                    "INFO",
                    465,
                    f"pulling the manifest of artifact {src}:{tag} ...",
                ),
                (at + 0.3 * share, "INFO", 471, f"the manifest of artifact {src}:{tag} pulled"),
            ]
            if copy.skip_existing:
                exists = f"the artifact {dst}:{tag} already exists on the destination registry"
                plan.append((at + 0.5 * share, "INFO", 227, exists + ", skip"))
                continue
            plan.append(
                (at + 0.5 * share, "INFO", 290, f"copying the blob {digest}(the 1th running)...")
            )
            if number < copy.failures:
                failed = True
                plan.append((at + share, "ERROR", 195, copy.failure))
                continue
            plan += [
                (at + 0.8 * share, "INFO", 292, f"copy the blob {digest} completed"),
                (
                    at + 0.85 * share,
                    "INFO",
                    494,
                    f"pushing the manifest of artifact {dst}:{tag} ...",
                ),
                (
                    at + share,
                    "INFO",
                    254,
                    f"copy {one} completed",
                ),
            ]
        if failed:
            ending = (
                1.0,
                "ERROR",
                201,
                "got error during the whole transfer period, mark the job failure",
            )
        else:
            ending = (
                1.0,
                "INFO",
                205,
                f"copy {every} completed",
            )
        plan.append(ending)
        duration = end - start
        return "".join(
            f"{format_log_time(start + at * duration)} [{level}] [{_TRANSFER}:{line}]: {text}\n"
            for at, level, line, text in plan
            if start + at * duration <= horizon and (at < 1.0 or end <= horizon)
        )


@dataclass
class Execution:
    id: int
    policy_id: int
    trigger: str  # stored form: MANUAL, SCHEDULE, EVENT
    start_time: float
    setup_until: float
    tasks: list[Task] = field(default_factory=list)
    stop_at: float | None = None
    skipped: bool = False
    final: bool = False
    end_time: float = ZERO_TIME
    # Artifacts a run has yet to put into the destination
    uncopied: list[tuple[Task, Copy]] = field(default_factory=list)
    _json: dict[str, Any] | None = None
    # Task lists of a finished execution, by query; kept for the next page of the same query.
    task_lists: dict[tuple[str | None, str | None, tuple[Sort, ...]], list[Record]] = field(
        default_factory=dict
    )

    @property
    def stopped_in_setup(self) -> bool:
        """Stopped before its tasks were created: Harbor then creates none and ends it
        Stopped (its flow checks for a stop before creating tasks)."""
        return self.stop_at is not None and self.stop_at < self.setup_until

    @property
    def finishes_at(self) -> float:
        """When every task is final (stop and retries included)."""
        if self.skipped:
            return self.start_time
        if self.stop_at is not None and self.stopped_in_setup:
            return self.stop_at
        return max((task.ends_at(self.stop_at) for task in self.tasks), default=self.setup_until)

    def stored_status(self, now: float) -> str:
        """Harbor's order (docs/harbor-behaviour.md §16, §30): Running while a task is
        pending or running, else Error, Stopped, Success; a failure may still be retried."""
        if self._json is not None:
            return STORED_EXECUTION_STATUS[self._json["status"]]
        if self.skipped:
            return "Error"
        if self.stopped_in_setup and self.stop_at is not None and now >= self.stop_at:
            return "Stopped"
        if now < self.setup_until:
            return "Running"  # created Running: there is no pending execution (§16)
        counts = self.counts(now)
        if counts["in_progress"]:
            return "Running"
        if counts["failed"]:
            return "Error"
        return "Stopped" if counts["stopped"] else "Success"

    def shown_end_time(self, now: float, status: str) -> float:
        """The latest task end while no task runs, else unset (§30: cleared by a retry)."""
        if self.final:
            return self.end_time
        if status == "Running":
            return ZERO_TIME
        ends = (task.stored_status(now, self.stop_at)[2] for task in self.tasks)
        return max(ends, default=self.finishes_at)

    def counts(self, now: float) -> dict[str, int]:
        counts = {"total": 0, "succeed": 0, "failed": 0, "in_progress": 0, "stopped": 0}
        created = now >= self.setup_until and not self.stopped_in_setup
        if self.skipped or not created:
            return counts
        counts["total"] = len(self.tasks)
        key = {"Success": "succeed", "Error": "failed", "Stopped": "stopped"}
        for task in self.tasks:
            status = task.stored_status(now, self.stop_at)[0]
            counts[key.get(status, "in_progress")] += 1
        return counts

    def status_text(self, now: float) -> str:
        if self.skipped:
            return SKIPPED_MESSAGE
        if not self.tasks and now >= self.setup_until and not self.stopped_in_setup:
            return NOTHING_TO_COPY_MESSAGE
        return ""

    def to_json(self, now: float) -> dict[str, Any]:
        if self._json is not None:
            return self._json
        status = self.stored_status(now)
        shown = EXECUTIONS.render(
            self,
            {
                "status": SHOWN_EXECUTION_STATUS[status],
                "trigger": SHOWN_TRIGGER.get(self.trigger, self.trigger),
                "start_time": format_time(self.start_time),
                "end_time": format_time(self.shown_end_time(now, status)),
                "status_text": self.status_text(now),
                **self.counts(now),
            },
        )
        if self.final:
            self._json = shown
        return shown
