"""The password never shows; TLS verifies by default, with a custom CA as a path or context."""

from __future__ import annotations

import logging
import socket
import ssl
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import trustme
from click.testing import CliRunner

from harbor_replication import (
    AsyncReplicationClient,
    CleartextCredentialsWarning,
    HarborConnectionError,
    HarborError,
    ReplicationClient,
)
from harbor_replication.cli import cli
from harbor_replication.cli._session import Session
from harbor_replication.simulator import Fault, HarborSimulator, SimulatorConfig

SECRET = "Zq9-unmistakable-s3cr3t-§"
ACCESS_SECRET = "Kx4-registry-access-s3cr3t-¶"


def test_the_password_never_shows(
    harbor_with_faults: HarborSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    harbor = harbor_with_faults
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []
    client = ReplicationClient(harbor.url, username="admin", secret=SECRET, max_retries=1)
    shown += [repr(client), str(client)]
    for call in (lambda: client.get_replication(1), lambda: client.start_replication(1)):
        with pytest.raises(HarborError) as caught:
            call()  # 401: the secret is wrong
        shown += [str(caught.value), repr(caught.value), repr(caught.value.__cause__)]
    harbor.faults.set(schedule=[Fault.RESET_BEFORE, Fault.RESET_BEFORE])
    with pytest.raises(HarborConnectionError) as reset:
        client.get_registries()
    shown += [str(reset.value), repr(reset.value.__cause__)]
    client.close()

    shown += _failing_cli_runs(harbor, caplog)
    shown += [record.getMessage() for record in caplog.records]
    shown += [repr(record.args) for record in caplog.records]

    assert any("'authorization': '[redacted]'" in line for line in shown)  # requests logged
    for text in shown:
        assert SECRET not in text
        assert ACCESS_SECRET not in text


def _failing_cli_runs(harbor: HarborSimulator, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Commands with --debug that send secrets and fail (exit 5); everything they printed."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        refusing = f"http://127.0.0.1:{unused.getsockname()[1]}"
    registry = ["--type", "docker-hub", "--access-key", "robot", "--access-secret", ACCESS_SECRET]
    runs = {
        # Harbor turns the password down (401).
        "/replication/policies": [harbor.url, SECRET, "policies", "list"],
        # Harbor takes the registry's secret but cannot reach the registry (400).
        "/registries/ping": [
            *(harbor.url, "Harbor12345", "registries", "ping"),
            *("--url", "https://registry.invalid", *registry),
        ],
        # Nothing listens: the connection is refused, each retry too.
        "/registries": [
            *(refusing, SECRET, "registries", "create", "--name", "mirror"),
            *("--url", "https://hub.docker.com", *registry),
        ],
    }
    printed = []
    for path, (url, secret, *command) in runs.items():
        first_record = len(caplog.records)
        result = CliRunner().invoke(
            cli, ["--url", url, "--username", "admin", "--secret", secret, "--debug", *command]
        )
        assert result.exit_code == 5, result.output
        sent = [r.getMessage() for r in caplog.records[first_record:] if "headers=" in r.msg]
        assert f"/api/v2.0{path}" in [urlsplit(line.split()[1]).path for line in sent], sent
        printed += [result.stdout, result.stderr, repr(result.exception)]
    return printed


def test_the_cli_session_does_not_show_the_secret() -> None:
    session = Session("http://127.0.0.1:1", "admin", SECRET, True, "table", False)
    assert "admin" in repr(session)
    assert SECRET not in repr(session)
    assert SECRET not in str(session)


def test_credentials_over_plain_http_to_another_host_warn() -> None:
    with (
        pytest.warns(CleartextCredentialsWarning, match="plain http") as caught,
        ReplicationClient("http://harbor.example.com", username="admin", secret=SECRET),
    ):
        pass
    assert all(SECRET not in str(warning.message) for warning in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for url, username, secret in [
            ("http://127.0.0.1:8080", "admin", SECRET),
            ("https://harbor.example.com", "admin", SECRET),
            ("http://harbor.example.com", None, None),
        ]:
            ReplicationClient(url, username=username, secret=secret).close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def https_harbor(
    ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HarborSimulator]:
    folder = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.cert_chain_pems[0].write_to_path(folder / "cert.pem")
    for pem in cert.cert_chain_pems[1:]:
        pem.write_to_path(folder / "cert.pem", append=True)
    cert.private_key_pem.write_to_path(folder / "key.pem")
    config = SimulatorConfig(tls_certfile=folder / "cert.pem", tls_keyfile=folder / "key.pem")
    with HarborSimulator(config) as harbor:
        yield harbor


def _ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(path)
    return str(path)


def _ca_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_https_verifies_by_default(https_harbor: HarborSimulator) -> None:
    assert https_harbor.url.startswith("https://")
    client = ReplicationClient(https_harbor.url, username="admin", secret="Harbor12345")
    with client, pytest.raises(HarborConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get_registries()


async def test_https_verifies_by_default_async(https_harbor: HarborSimulator) -> None:
    async with AsyncReplicationClient(
        https_harbor.url, username="admin", secret="Harbor12345"
    ) as client:
        with pytest.raises(HarborConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get_registries()


@pytest.mark.parametrize("how", ["path", "context"])
async def test_a_custom_ca_is_trusted(
    https_harbor: HarborSimulator, ca: trustme.CA, tmp_path: Path, how: str
) -> None:
    verify = _ca_file(ca, tmp_path) if how == "path" else _ca_context(ca)
    options = {"username": "admin", "secret": "Harbor12345", "verify": verify}
    with ReplicationClient(https_harbor.url, **options) as client:  # type: ignore[arg-type]
        assert isinstance(client.get_registries(), list)
    async with AsyncReplicationClient(https_harbor.url, **options) as aclient:  # type: ignore[arg-type]
        assert isinstance(await aclient.get_registries(), list)


@pytest.mark.parametrize(
    ("options", "exit_status"),
    [
        ((), 5),
        (("--ca-cert", "CA"), 0),
        (("--insecure",), 0),
        (("--ca-cert", "CA", "--insecure"), 4),
    ],
    ids=["default", "ca-cert", "insecure", "both"],
)
def test_the_cli_verifies_harbor_with_its_ca_or_not_at_all(
    https_harbor: HarborSimulator,
    ca: trustme.CA,
    tmp_path: Path,
    options: tuple[str, ...],
    exit_status: int,
) -> None:
    ca_file = _ca_file(ca, tmp_path)
    runner = CliRunner(
        env={
            "HARBOR_URL": https_harbor.url,
            "HARBOR_USERNAME": "admin",
            "HARBOR_SECRET": "Harbor12345",
        }
    )
    arguments = [ca_file if option == "CA" else option for option in options]
    result = runner.invoke(cli, [*arguments, "-o", "json", "registries", "list"])
    assert result.exit_code == exit_status, result.output
    if exit_status == 0:
        assert "docker-hub" in result.stdout
    elif exit_status == 5:
        [line] = result.stderr.splitlines()
        assert line.startswith(
            f"harbor-replication: error: cannot reach Harbor at {https_harbor.url}"
        )
        assert "CERTIFICATE_VERIFY_FAILED" in line
    else:
        assert "--ca-cert and --insecure contradict each other" in result.stderr
