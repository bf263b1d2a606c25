from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.registry_provider_credential_pattern import RegistryProviderCredentialPattern
    from ..models.registry_provider_endpoint_pattern import RegistryProviderEndpointPattern


T = TypeVar("T", bound="RegistryProviderInfo")


@_attrs_define
class RegistryProviderInfo:
    """The registry provider info contains the base info and capability declarations of the registry provider

    Attributes:
        credential_pattern (RegistryProviderCredentialPattern | Unset): The registry credential pattern
        endpoint_pattern (RegistryProviderEndpointPattern | Unset): The registry endpoint pattern
    """

    credential_pattern: RegistryProviderCredentialPattern | Unset = UNSET
    endpoint_pattern: RegistryProviderEndpointPattern | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credential_pattern: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credential_pattern, Unset):
            credential_pattern = self.credential_pattern.to_dict()

        endpoint_pattern: dict[str, Any] | Unset = UNSET
        if not isinstance(self.endpoint_pattern, Unset):
            endpoint_pattern = self.endpoint_pattern.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if credential_pattern is not UNSET:
            field_dict["credential_pattern"] = credential_pattern
        if endpoint_pattern is not UNSET:
            field_dict["endpoint_pattern"] = endpoint_pattern

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registry_provider_credential_pattern import RegistryProviderCredentialPattern  # noqa: PLC0415
        from ..models.registry_provider_endpoint_pattern import RegistryProviderEndpointPattern  # noqa: PLC0415

        d = dict(src_dict)
        _credential_pattern = d.pop("credential_pattern", UNSET)
        credential_pattern: RegistryProviderCredentialPattern | Unset
        if isinstance(_credential_pattern, Unset):
            credential_pattern = UNSET
        else:
            credential_pattern = RegistryProviderCredentialPattern.from_dict(_credential_pattern)

        _endpoint_pattern = d.pop("endpoint_pattern", UNSET)
        endpoint_pattern: RegistryProviderEndpointPattern | Unset
        if isinstance(_endpoint_pattern, Unset):
            endpoint_pattern = UNSET
        else:
            endpoint_pattern = RegistryProviderEndpointPattern.from_dict(_endpoint_pattern)

        registry_provider_info = cls(
            credential_pattern=credential_pattern,
            endpoint_pattern=endpoint_pattern,
        )

        registry_provider_info.additional_properties = d
        return registry_provider_info

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
