"""The shipped alert rules and Grafana dashboard parse, and every query in them uses only
metrics a live scrape of the exporter shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from harbor_replication.cli import cli
from harbor_replication.exporter import alert_rules, dashboard
from tests.exporter.conftest import BROKEN, OK, Live

# PromQL words that are neither metrics nor functions.
_KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left"}
_KEYWORDS |= {"group_right", "bool", "offset", "inf", "nan"}
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def metric_names(expression: str) -> set[str]:
    """The metric names a PromQL expression (or Grafana's label_values()) reads."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)  # strings: label values
    text = re.sub(r"label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)[^)]*\)", r"\1", text)
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range and subquery durations
    text = _GROUPING.sub("", text)  # label lists
    text = re.sub(r"(?<![A-Za-z0-9_:])\d[\w.]*", "", text)  # numbers and durations (5m)
    names = set()
    for match in _IDENTIFIER.finditer(text):
        word = match.group()
        if word.lower() in _KEYWORDS or text[match.end() :].lstrip().startswith("("):
            continue  # a keyword or a function
        names.add(word)
    return names


def test_the_tokenizer_finds_metrics_only() -> None:
    expression = (
        'sum by (reason) (rate(a_total{reason="x", b=~"$c"}[5m])) / on (policy_id) '
        "group_left (policy_name) b_seconds > bool 3 unless time() - c offset 5m"
    )
    assert metric_names(expression) == {"a_total", "b_seconds", "c"}
    assert metric_names("label_values(d_info, policy_name)") == {"d_info"}


def rules(text: str) -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(text)["groups"] for rule in group["rules"]]


def rule_queries(text: str) -> Iterator[str]:
    for rule in rules(text):
        yield rule["expr"]
        for annotation in rule["annotations"].values():
            yield from re.findall(r'query "([^"]*)"', annotation)


def dashboard_queries(text: str) -> Iterator[str]:
    document = json.loads(text)
    for panel in document["panels"]:
        for target in panel["targets"]:
            yield target["expr"]
    for variable in document["templating"]["list"]:
        yield variable["query"]["query"]


async def test_every_query_uses_metrics_the_exporter_shows(live: Live) -> None:
    await live.client.start_replication(OK)
    await live.client.start_replication(BROKEN)
    live.clock.advance(30)
    shown = (await live.refresh_and_scrape()).names

    queries = [*rule_queries(alert_rules()), *dashboard_queries(dashboard())]
    used = set().union(*(metric_names(query) for query in queries))

    assert used - shown == set()
    # Every family of the issue is in the dashboard or the rules.
    for name in [
        "harbor_replication_up",
        "harbor_replication_last_execution_status",
        "harbor_replication_last_success_timestamp_seconds",
        "harbor_replication_last_execution_duration_seconds",
        "harbor_replication_last_execution_tasks",
        "harbor_replication_policy_enabled",
        "harbor_replication_snapshot_age_seconds",
    ]:
        assert name in used


def test_the_rules_alert_on_failure_staleness_and_an_unreachable_harbor() -> None:
    by_name = {rule["alert"]: rule for rule in rules(alert_rules())}

    assert sorted(by_name) == [
        "HarborReplicationExporterCannotReachHarbor",
        "HarborReplicationFailed",
        "HarborReplicationNoRecentSuccess",
    ]
    assert "> 86400)" in by_name["HarborReplicationNoRecentSuccess"]["expr"]
    assert 'status="Failed"' in by_name["HarborReplicationFailed"]["expr"]


@pytest.mark.parametrize(("given", "seconds"), [("6h", 21600), ("90m", 5400), ("3600", 3600)])
def test_the_no_success_threshold_is_configurable(given: str, seconds: int) -> None:
    printed = CliRunner().invoke(cli, ["exporter", "rules", "--no-success-for", given])

    assert printed.exit_code == 0, printed.output
    assert printed.output == alert_rules(seconds)
    rule = {r["alert"]: r for r in rules(printed.output)}["HarborReplicationNoRecentSuccess"]
    assert f"> {seconds})" in rule["expr"]
    assert "86400" not in printed.output


def test_a_threshold_that_is_no_duration_is_refused() -> None:
    printed = CliRunner().invoke(cli, ["exporter", "rules", "--no-success-for", "soon"])

    assert printed.exit_code == 4
    assert "'soon' is not a duration like 90, 90s, 15m, 6h or 1d" in printed.output


def test_the_dashboard_is_printed_as_shipped() -> None:
    printed = CliRunner().invoke(cli, ["exporter", "dashboard"])

    assert printed.exit_code == 0
    assert json.loads(printed.output) == json.loads(dashboard())
    assert printed.output == dashboard()
