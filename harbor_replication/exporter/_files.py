"""The alert rules and Grafana dashboard shipped with the exporter, as files and as text."""

from __future__ import annotations

from importlib import resources

ALERT_RULES_FILE = "alerts.yaml"
DASHBOARD_FILE = "dashboard.json"
DEFAULT_NO_SUCCESS_FOR = 86400
"""Seconds without a success before ``HarborReplicationNoRecentSuccess`` fires, in the file."""


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def alert_rules(no_success_for: float = DEFAULT_NO_SUCCESS_FOR) -> str:
    """The Prometheus rules file, alerting when an enabled policy's last success is older
    than ``no_success_for`` seconds."""
    seconds = int(no_success_for)
    if seconds < 1:
        raise ValueError(f"no_success_for must be 1 second or more, got {no_success_for!r}")
    text = _read(ALERT_RULES_FILE)
    # The default threshold appears in that rule's expression and summary, nowhere else.
    return text.replace(str(DEFAULT_NO_SUCCESS_FOR), str(seconds))


def dashboard() -> str:
    """The Grafana dashboard, JSON to import (it asks for a Prometheus data source)."""
    return _read(DASHBOARD_FILE)
