"""Configuration of the simulator."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from starlette.middleware import Middleware

from ._faults import FaultConfig

# Harbor v2.15 added a policy's single_active_replication and a registry's ca_certificate.
_FIRST_WITH_NEW_FIELDS = (2, 15)

# Harbor keeps the latest 50 replication executions per policy
# (task.SetExecutionSweeperCount(job.Replication, 50) in its replication controller).
HARBOR_EXECUTIONS_RETAINED_PER_POLICY = 50


@dataclass
class SimulatorConfig:
    """How the simulated Harbor behaves.

    ``users`` are valid accounts WITHOUT system permission (403 on replication endpoints);
    ``robots`` are robot accounts WITH system permission, like an administrator.
    ``middleware`` wraps the application outermost; inside it, ``faults`` are injected
    (see :class:`FaultConfig`; a running simulator changes them with ``.faults.set()``).
    With ``tls_certfile`` and ``tls_keyfile`` (PEM) the simulator serves HTTPS.
    ``harbor_version`` (``v2.11.2`` ... ``v2.15.2``) is what ``/systeminfo`` reports; before
    v2.15 policies have no ``single_active_replication`` and registries no ``ca_certificate``
    (both are ignored on input), as in that Harbor.
    A failed copy is retried as Harbor's job service does (docs/harbor-behaviour.md §30),
    after Harbor's backoff times ``retry_backoff_scale`` (1: real time, 16 s to two
    minutes); ``retry_seed`` makes the backoff's random part repeatable.
    """

    admin_username: str = "admin"
    admin_password: str = "Harbor12345"
    users: dict[str, str] = field(default_factory=lambda: {"developer": "Developer12345"})
    robots: dict[str, str] = field(default_factory=lambda: {"robot$replicator": "Replicator12345"})
    task_duration: float = 0.5
    task_concurrency: int = 4
    executions_retained_per_policy: int = HARBOR_EXECUTIONS_RETAINED_PER_POLICY
    seed: Path | None = None
    harbor_version: str = "v2.15.2"
    middleware: Sequence[Middleware] = ()
    faults: FaultConfig = field(default_factory=FaultConfig)
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    retry_backoff_scale: float = 1.0
    retry_seed: int | None = None

    def __post_init__(self) -> None:
        if self.task_duration < 0:
            raise ValueError("task_duration must not be negative")
        if self.retry_backoff_scale < 0:
            raise ValueError("retry_backoff_scale must not be negative")
        if self.task_concurrency < 1:
            raise ValueError("task_concurrency must be at least 1")
        if self.seed is not None:
            self.seed = Path(self.seed)
        if not re.fullmatch(r"v2\.\d+\.\d+", self.harbor_version):
            raise ValueError(f"harbor_version must look like v2.15.2: {self.harbor_version!r}")
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            raise ValueError("HTTPS needs both tls_certfile and tls_keyfile")

    @property
    def has_v2_15_fields(self) -> bool:
        """Whether this Harbor knows ``single_active_replication`` and ``ca_certificate``."""
        major, minor = (int(part) for part in self.harbor_version[1:].split(".")[:2])
        return (major, minor) >= _FIRST_WITH_NEW_FIELDS
