"""Retries stay quiet in a script that configured no logging, and visible in one that did."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import logging, sys
from harbor_replication import HarborConnectionError, ReplicationClient
if sys.argv[1] == "configured":
    logging.basicConfig(level=logging.INFO, format="%(name)s %(message)s")
client = ReplicationClient("http://127.0.0.1:9", max_retries=2, backoff_initial=0,
                           backoff_jitter=0)
try:
    client.get_replication(1)
except HarborConnectionError:
    print("raised")
"""


def run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=60
    )


def test_a_script_without_logging_gets_no_stray_retry_lines() -> None:
    result = run("bare")
    assert result.stdout.strip() == "raised"
    assert result.stderr == ""


def test_a_script_with_logging_sees_the_retries() -> None:
    result = run("configured")
    assert result.stdout.strip() == "raised"
    assert result.stderr.count("retry_scheduled") == 2  # max_retries
