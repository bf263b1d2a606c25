from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_style import FilterStyle


T = TypeVar("T", bound="RegistryInfo")


@_attrs_define
class RegistryInfo:
    """The registry info contains the base info and capability declarations of the registry

    Attributes:
        description (str | Unset): The description
        supported_copy_by_chunk (bool | None | Unset): The registry whether support copy by chunk.
        supported_resource_filters (list[FilterStyle] | Unset): The filters that the registry supports
        supported_triggers (list[str] | Unset): The triggers that the registry supports
        type_ (str | Unset): The registry type
    """

    description: str | Unset = UNSET
    supported_copy_by_chunk: bool | None | Unset = UNSET
    supported_resource_filters: list[FilterStyle] | Unset = UNSET
    supported_triggers: list[str] | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        supported_copy_by_chunk: bool | None | Unset
        if isinstance(self.supported_copy_by_chunk, Unset):
            supported_copy_by_chunk = UNSET
        else:
            supported_copy_by_chunk = self.supported_copy_by_chunk

        supported_resource_filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.supported_resource_filters, Unset):
            supported_resource_filters = []
            for supported_resource_filters_item_data in self.supported_resource_filters:
                supported_resource_filters_item = supported_resource_filters_item_data.to_dict()
                supported_resource_filters.append(supported_resource_filters_item)

        supported_triggers: list[str] | Unset = UNSET
        if not isinstance(self.supported_triggers, Unset):
            supported_triggers = self.supported_triggers

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if supported_copy_by_chunk is not UNSET:
            field_dict["supported_copy_by_chunk"] = supported_copy_by_chunk
        if supported_resource_filters is not UNSET:
            field_dict["supported_resource_filters"] = supported_resource_filters
        if supported_triggers is not UNSET:
            field_dict["supported_triggers"] = supported_triggers
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.filter_style import FilterStyle  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description", UNSET)

        def _parse_supported_copy_by_chunk(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        supported_copy_by_chunk = _parse_supported_copy_by_chunk(
            d.pop("supported_copy_by_chunk", UNSET)
        )

        _supported_resource_filters = d.pop("supported_resource_filters", UNSET)
        supported_resource_filters: list[FilterStyle] | Unset = UNSET
        if _supported_resource_filters is not UNSET:
            supported_resource_filters = []
            for supported_resource_filters_item_data in _supported_resource_filters:
                supported_resource_filters_item = FilterStyle.from_dict(
                    supported_resource_filters_item_data
                )

                supported_resource_filters.append(supported_resource_filters_item)

        supported_triggers = cast(list[str], d.pop("supported_triggers", UNSET))

        type_ = d.pop("type", UNSET)

        registry_info = cls(
            description=description,
            supported_copy_by_chunk=supported_copy_by_chunk,
            supported_resource_filters=supported_resource_filters,
            supported_triggers=supported_triggers,
            type_=type_,
        )

        registry_info.additional_properties = d
        return registry_info

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
