"""What registries and registry types support: the calls a policy author checks first."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harbor_replication import HarborResponseError, NotFoundError, location_id
from harbor_replication.models import (
    UNSET,
    FilterStyle,
    RegistryInfo,
    RegistryProviderInfo,
)
from tests.support import Harbor, open_client

DOCKER_HUB = 1  # the first registry of the simulator's built-in seed
LOCAL = 0  # Harbor's own registry, which a policy names with id 0 or no registry

pytestmark = pytest.mark.filterwarnings("error")


async def test_registry_info_lists_filters_and_triggers(harbor: Harbor) -> None:
    info = await harbor.get_registry_info(DOCKER_HUB)
    assert isinstance(info, RegistryInfo)
    assert info.type_ == "docker-hub"
    assert isinstance(info.supported_triggers, list)
    assert "manual" in info.supported_triggers
    assert isinstance(info.supported_resource_filters, list)
    assert all(isinstance(style, FilterStyle) for style in info.supported_resource_filters)
    assert {"name", "tag"} <= {style.type_ for style in info.supported_resource_filters}


async def test_registry_info_of_a_new_registry_and_a_missing_one(
    harbor: Harbor, unique: Any
) -> None:
    location = await harbor.create_registry(
        {"name": unique("info"), "type": "harbor", "url": "https://harbor-c.example.com"}
    )
    registry_id = location_id(location)
    try:
        info = await harbor.get_registry_info(registry_id)
        assert info.type_ == "harbor"
    finally:
        await harbor.delete_registry(registry_id)
    with pytest.raises(NotFoundError) as caught:
        await harbor.get_registry_info(registry_id)
    assert caught.value.operation == "get_registry_info"


async def test_registry_adapters_are_type_names(harbor: Harbor) -> None:
    adapters = await harbor.get_registry_adapters()
    assert isinstance(adapters, list)
    assert {"harbor", "docker-hub"} <= set(adapters)
    assert all(isinstance(name, str) for name in adapters)


async def test_registry_adapter_infos_map_types_to_patterns(harbor: Harbor) -> None:
    infos = await harbor.get_registry_adapter_infos()
    assert isinstance(infos, dict)
    assert set(infos) <= set(await harbor.get_registry_adapters())
    assert all(isinstance(info, RegistryProviderInfo) for info in infos.values())
    hub = infos["docker-hub"]
    assert hub.endpoint_pattern is not UNSET
    endpoints = hub.to_dict()["endpoint_pattern"]["endpoints"]
    assert {"key": "hub.docker.com", "value": "https://hub.docker.com"} in endpoints


async def test_registry_info_id_is_checked_before_sending(kind: str) -> None:
    async with open_client(kind, "http://127.0.0.1:9") as harbor:
        with pytest.raises(ValueError, match="registry_id"):
            await harbor.get_registry_info(0)


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("get_registry_adapters", b'["harbor", 3]'),
        ("get_registry_adapters", b'{"harbor": {}}'),
        ("get_registry_adapter_infos", b'["harbor"]'),
        ("get_registry_adapter_infos", b'{"harbor": {"endpoint_pattern": "x"}}'),
        ("get_registry_info", b'{"supported_triggers": "manual"}'),
    ],
)
async def test_malformed_answers_raise_response_errors(kind: str, method: str, body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with open_client(kind, "http://127.0.0.1:9", transport=transport) as harbor:
        args = (DOCKER_HUB,) if method == "get_registry_info" else ()
        with pytest.raises(HarborResponseError):
            await getattr(harbor, method)(*args)
