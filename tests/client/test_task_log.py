"""Reading task logs as Harbor writes them: failed artifacts for retry-failed, causes for report.

The logs below follow Harbor v2.15.2's replication job line for line
(src/controller/replication/transfer/image/transfer.go, the job logger's text format in
src/lib/log/textformatter.go); the error texts are the registry client's
(src/pkg/registry/client.go: ``http status code: N, body: ...``) and those of real reports.
"""

from __future__ import annotations

import pytest

from harbor_replication._task_log import (
    Cause,
    FailedArtifacts,
    UnreadableLog,
    classify_message,
    diagnose,
    failed_artifacts,
    resource_repository,
)

WHERE = "[/controller/replication/transfer/image/transfer.go:{}]:"


def line(time: str, level: str, number: int, message: str) -> str:
    return f"2026-11-29T10:{time}Z [{level}] {WHERE.format(number)} {message}"


def attempt(minute: str, outcomes: dict[str, str]) -> str:
    """One run of a copy job for library/nginx: each tag copied, skipped or failed."""
    tags = ",".join(outcomes)
    lines = [
        line(
            f"{minute}:00",
            "INFO",
            140,
            "client for source registry [type: docker-hub, "
            "URL: https://hub.docker.com, insecure: false] created",
        ),
        line(
            f"{minute}:00",
            "INFO",
            150,
            "client for destination registry [type: harbor, "
            "URL: http://core:8080, insecure: true] created",
        ),
        line(
            f"{minute}:01",
            "INFO",
            183,
            f"copying library/nginx:[{tags}](source registry) to "
            f"mirror/nginx:[{tags}](destination registry)...",
        ),
    ]
    failed = False
    for index, (tag, outcome) in enumerate(outcomes.items()):
        second = 10 + 2 * index
        lines.append(
            line(
                f"{minute}:{second}",
                "INFO",
                211,
                f"copying library/nginx:{tag}(source "
                f"registry) to mirror/nginx:{tag}(destination registry)...",
            )
        )
        if outcome == "ok":
            lines.append(
                line(
                    f"{minute}:{second + 1}",
                    "INFO",
                    254,
                    f"copy library/nginx:{tag}(source "
                    f"registry) to mirror/nginx:{tag}(destination registry) completed",
                )
            )
        elif outcome == "skip":
            lines.append(
                line(
                    f"{minute}:{second + 1}",
                    "INFO",
                    227,
                    f"the artifact mirror/nginx:{tag} "
                    "already exists on the destination registry, skip",
                )
            )
        else:
            failed = True
            error = f"failed to pull the manifest of artifact library/nginx:{tag}: {outcome}"
            lines.append(line(f"{minute}:{second + 1}", "ERROR", 468, error))
            lines.append(line(f"{minute}:{second + 1}", "ERROR", 195, error))
    if failed:
        lines.append(
            line(
                f"{minute}:04",
                "ERROR",
                201,
                "got error during the whole transfer period, mark the job failure",
            )
        )
    return "\n".join(lines) + "\n"


def test_failed_artifacts_are_the_references_neither_copied_nor_skipped() -> None:
    log = attempt(
        "00",
        {
            "1.25": "ok",
            "1.26": "http status code: 500, body: oops",
            "1.27": "skip",
            "latest": "http status code: 404, body: x",
        },
    )
    assert failed_artifacts(log) == FailedArtifacts("library/nginx", ("1.26", "latest"))


def test_a_retried_job_rewrites_its_log_from_the_start_and_the_newest_attempt_counts() -> None:
    # The file logger opens the log without O_APPEND: the second run overwrites the first
    # from byte 0, leaving the tail of the longer first run behind it.
    first = attempt(
        "00",
        {
            "1.25": "x509: certificate signed by unknown authority",
            "1.26": "x509: certificate signed by unknown authority",
        },
    )
    second = attempt("05", {"1.25": "ok", "1.26": "http status code: 429, body: slow down"})
    log = second + first[len(second) :]
    assert failed_artifacts(log) == FailedArtifacts("library/nginx", ("1.26",))
    assert diagnose(log).cause is Cause.RATE_LIMIT


def test_listed_references_never_started_count_as_failed() -> None:
    log = attempt("00", {"1.25": "ok"}).replace("[1.25]", "[1.25,1.26]")
    assert failed_artifacts(log) == FailedArtifacts("library/nginx", ("1.26",))


def test_a_log_that_names_no_artifact_is_unreadable() -> None:
    log = (
        line(
            "00:00",
            "ERROR",
            136,
            "failed to create client for source registry: adapter factory for docker-hub not found",
        )
        + "\n"
    )
    with pytest.raises(UnreadableLog):
        failed_artifacts(log)
    with pytest.raises(UnreadableLog):
        failed_artifacts("")


def test_resource_names_give_the_repository() -> None:
    assert resource_repository("library/nginx [4 item(s) in total]") == "library/nginx"
    assert resource_repository("library/nginx:1.27") == "library/nginx"
    assert resource_repository(None) == ""


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        (
            'http status code: 401, body: {"errors":[{"code":"UNAUTHORIZED","message":'
            '"unauthorized to access repository: library/nginx"}]}',
            Cause.AUTHENTICATION,
        ),
        ("unauthorized: authentication required", Cause.AUTHENTICATION),
        (
            'http status code: 403, body: {"errors":[{"code":"FORBIDDEN","message":"forbidden"}]}',
            Cause.PERMISSION,
        ),
        ("denied: requested access to the resource is denied", Cause.PERMISSION),
        (
            'http status code: 403, body: {"errors":[{"code":"DENIED","message":"Quota exceeded '
            "when processing the request of adding 52.4 MiB of storage resource, which when "
            "updated to current usage of 1.0 GiB will exceed the configured upper limit of "
            '1.0 GiB."}]}',
            Cause.QUOTA_OR_SIZE,
        ),
        (
            "http status code: 413, body: <html>413 Request Entity Too Large</html>",
            Cause.QUOTA_OR_SIZE,
        ),
        ('http status code: 404, body: {"errors":[{"code":"MANIFEST_UNKNOWN"}]}', Cause.NOT_FOUND),
        ("manifest unknown: manifest unknown", Cause.NOT_FOUND),
        (
            'Get "https://registry-1.docker.io/v2/": dial tcp 54.1.2.3:443: connect: '
            "connection refused",
            Cause.NETWORK_OR_TLS,
        ),
        (
            'Get "https://harbor-dr/v2/": x509: certificate signed by unknown authority',
            Cause.NETWORK_OR_TLS,
        ),
        ('Get "https://harbor-dr/v2/": net/http: TLS handshake timeout', Cause.TIMEOUT),
        (
            'Get "https://harbor-dr/v2/": context deadline exceeded (Client.Timeout exceeded '
            "while awaiting headers)",
            Cause.TIMEOUT,
        ),
        ("http status code: 502, body: <html>502 Bad Gateway</html>", Cause.REGISTRY_5XX),
        ("http status code: 504, body: <html>504 Gateway Time-out</html>", Cause.REGISTRY_5XX),
        ("unexpected status code 500 while pushing the blob", Cause.REGISTRY_5XX),
        (
            "http status code: 429, body: toomanyrequests: You have reached your pull rate limit",
            Cause.RATE_LIMIT,
        ),
        ('the adapter doesn\'t implement the "ArtifactRegistry" interface', Cause.UNKNOWN),
    ],
)
def test_causes_are_classified_from_the_error_text(message: str, cause: Cause) -> None:
    assert classify_message(message) is cause


def test_the_summary_line_is_not_the_cause_and_a_log_without_errors_is_unknown() -> None:
    log = attempt("00", {"1.25": "http status code: 401, body: x"})
    assert diagnose(log).cause is Cause.AUTHENTICATION
    assert diagnose(log).line.endswith("library/nginx:1.25: http status code: 401, body: x")
    quiet = attempt("00", {"1.25": "ok"})
    assert diagnose(quiet).cause is Cause.UNKNOWN
    assert diagnose(quiet).line == quiet.splitlines()[-1]
