"""Misuse and odd failures surface as HarborError (or ValueError) saying what to do."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from harbor_replication import (
    AsyncReplicationClient,
    ClientClosedError,
    HarborConnectionError,
    HarborError,
    HarborTimeoutError,
    ReplicationClient,
    WrongEventLoopError,
    location_id,
    models,
)
from harbor_replication.simulator import HarborSimulator
from tests.support import ADMIN, Harbor


def _not_pem_files(folder: Path) -> dict[str, Path]:
    ca = trustme.CA()
    der = folder / "ca.der"
    der.write_bytes(ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode()))
    key = folder / "key.pem"
    ca.private_key_pem.write_to_path(key)
    text = folder / "hostname"
    text.write_text("harbor.example.com\n")
    return {"der": der, "key": key, "text": text}


@pytest.mark.parametrize("kind", ["der", "key", "text"])
@pytest.mark.parametrize("client_class", [ReplicationClient, AsyncReplicationClient])
def test_a_ca_bundle_that_is_not_pem_is_a_value_error(
    tmp_path: Path, kind: str, client_class: type[ReplicationClient | AsyncReplicationClient]
) -> None:
    path = _not_pem_files(tmp_path)[kind]
    with pytest.raises(ValueError, match="no PEM CA certificate") as raised:
        client_class("https://harbor.example.com", verify=str(path))
    assert str(raised.value) == (
        f"{path}: no PEM CA certificate in it (NO_CERTIFICATE_OR_CRL_FOUND); give a file of "
        f"-----BEGIN CERTIFICATE----- blocks (from DER: openssl x509 -inform der -in {path} "
        "-out ca.pem)"
    )
    assert not isinstance(raised.value, ssl.SSLError)


def test_a_call_after_close_is_a_harbor_error(simulator: HarborSimulator) -> None:
    client = ReplicationClient(simulator.url, username=ADMIN[0], secret=ADMIN[1])
    with client:
        assert client.get_registry_adapters()
    with pytest.raises(ClientClosedError) as raised:
        client.get_registries()
    assert str(raised.value) == (
        "get_registries: this ReplicationClient is closed; create a new one (or keep using "
        "this one inside its with block)"
    )
    assert isinstance(raised.value, HarborError)
    with pytest.raises(ClientClosedError):
        list(client.iter_replications())


async def test_an_async_call_after_aclose_is_a_harbor_error(simulator: HarborSimulator) -> None:
    async with AsyncReplicationClient(simulator.url, username=ADMIN[0], secret=ADMIN[1]) as client:
        assert await client.get_registry_adapters()
    with pytest.raises(ClientClosedError, match="this AsyncReplicationClient is closed"):
        await client.get_registries()


def test_an_async_client_reused_by_another_asyncio_run_is_a_harbor_error(
    simulator: HarborSimulator,
) -> None:
    client = AsyncReplicationClient(simulator.url, username=ADMIN[0], secret=ADMIN[1])

    async def adapters() -> list[str]:
        return await client.get_registry_adapters()

    assert asyncio.run(adapters())
    with pytest.raises(WrongEventLoopError) as raised:
        asyncio.run(adapters())
    assert str(raised.value) == (
        "get_registry_adapters: this AsyncReplicationClient first ran in another event loop, "
        "which owns its connections; create the client inside the coroutine that uses it "
        "(one per asyncio.run())"
    )
    assert isinstance(raised.value, HarborError)


async def test_a_refused_connection_over_aiohttp_is_no_timeout() -> None:
    httpx_aiohttp = pytest.importorskip("httpx_aiohttp")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AsyncReplicationClient(
        f"http://127.0.0.1:{port}", transport=httpx_aiohttp.AiohttpTransport(), max_retries=0
    ) as client:
        with pytest.raises(HarborConnectionError) as raised:
            await client.get_registries()
    assert not isinstance(raised.value, HarborTimeoutError)
    assert str(raised.value).startswith("get_registries: ClientConnectorError: Cannot connect")


async def test_a_models_repr_shows_only_what_is_set(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    name = unique("repr")
    policy_id = location_id(
        await harbor.create_replication_policy(
            {"name": name, "src_registry": {"id": 1}, "trigger": {"type": "manual"}}
        )
    )
    policy = await harbor.get_replication_policy(policy_id)
    shown = repr(policy)
    assert "Unset" not in shown
    assert shown.startswith("ReplicationPolicy(copy_by_chunk=False, creation_time=datetime.")
    assert f", id={policy_id}, name='{name}', " in shown
    # Harbor sent no trigger settings: left out, not shown as a placeholder.
    assert "trigger=ReplicationTrigger(type_='manual'), " in shown
    assert repr(models.UNSET) == "UNSET"
