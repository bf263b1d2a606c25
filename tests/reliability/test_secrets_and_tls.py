"""The password never shows; TLS verifies by default, with a custom CA as a path or context."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

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
from harbor_replication.simulator import Fault, HarborSimulator, SimulatorConfig

SECRET = "Zq9-unmistakable-s3cr3t-§"


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

    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--url", harbor.url, "--username", "admin", "--secret", SECRET, "--debug", "policies"],
    )
    assert result.exit_code != 0
    shown += [result.output, repr(result.exception)]
    shown += [record.getMessage() for record in caplog.records]
    shown += [repr(record.args) for record in caplog.records]

    assert any("'authorization': '[redacted]'" in line for line in shown)  # requests logged
    for text in shown:
        assert SECRET not in text


def test_credentials_over_plain_http_to_another_host_warn() -> None:
    with pytest.warns(CleartextCredentialsWarning, match="plain http"):
        ReplicationClient("http://harbor.example.com", username="admin", secret=SECRET)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ReplicationClient("http://127.0.0.1:8080", username="admin", secret=SECRET)
        ReplicationClient("https://harbor.example.com", username="admin", secret=SECRET)
        ReplicationClient("http://harbor.example.com")


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
