from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.registry_endpoint import RegistryEndpoint


T = TypeVar("T", bound="RegistryProviderEndpointPattern")


@_attrs_define
class RegistryProviderEndpointPattern:
    """The registry endpoint pattern

    Attributes:
        endpoint_type (str | Unset): The endpoint type
        endpoints (list[RegistryEndpoint] | Unset): The endpoint list
    """

    endpoint_type: str | Unset = UNSET
    endpoints: list[RegistryEndpoint] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint_type = self.endpoint_type

        endpoints: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.endpoints, Unset):
            endpoints = []
            for endpoints_item_data in self.endpoints:
                endpoints_item = endpoints_item_data.to_dict()
                endpoints.append(endpoints_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if endpoint_type is not UNSET:
            field_dict["endpoint_type"] = endpoint_type
        if endpoints is not UNSET:
            field_dict["endpoints"] = endpoints

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registry_endpoint import RegistryEndpoint  # noqa: PLC0415

        d = dict(src_dict)
        endpoint_type = d.pop("endpoint_type", UNSET)

        _endpoints = d.pop("endpoints", UNSET)
        endpoints: list[RegistryEndpoint] | Unset = UNSET
        if _endpoints is not UNSET:
            endpoints = []
            for endpoints_item_data in _endpoints:
                endpoints_item = RegistryEndpoint.from_dict(endpoints_item_data)

                endpoints.append(endpoints_item)

        registry_provider_endpoint_pattern = cls(
            endpoint_type=endpoint_type,
            endpoints=endpoints,
        )

        registry_provider_endpoint_pattern.additional_properties = d
        return registry_provider_endpoint_pattern

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
