from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplicationFilter")


@_attrs_define
class ReplicationFilter:
    """
    Attributes:
        decoration (str | Unset): matches or excludes the result
        type_ (str | Unset): The replication policy filter type.
        value (list[str] | str | Unset): A string for name, tag and resource filters; a list of strings for label
            filters.
    """

    decoration: str | Unset = UNSET
    type_: str | Unset = UNSET
    value: list[str] | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decoration = self.decoration

        type_ = self.type_

        value: list[str] | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        elif isinstance(self.value, list):
            value = self.value

        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if decoration is not UNSET:
            field_dict["decoration"] = decoration
        if type_ is not UNSET:
            field_dict["type"] = type_
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decoration = d.pop("decoration", UNSET)

        type_ = d.pop("type", UNSET)

        def _parse_value(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_1 = cast(list[str], data)

                return value_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        replication_filter = cls(
            decoration=decoration,
            type_=type_,
            value=value,
        )

        replication_filter.additional_properties = d
        return replication_filter

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
