from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FilterStyle")


@_attrs_define
class FilterStyle:
    """The style of the resource filter

    Attributes:
        style (str | Unset): The filter style
        type_ (str | Unset): The filter type
        values (list[str] | Unset): The filter values
    """

    style: str | Unset = UNSET
    type_: str | Unset = UNSET
    values: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        style = self.style

        type_ = self.type_

        values: list[str] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = self.values

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if style is not UNSET:
            field_dict["style"] = style
        if type_ is not UNSET:
            field_dict["type"] = type_
        if values is not UNSET:
            field_dict["values"] = values

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        style = d.pop("style", UNSET)

        type_ = d.pop("type", UNSET)

        values = cast(list[str], d.pop("values", UNSET))

        filter_style = cls(
            style=style,
            type_=type_,
            values=values,
        )

        filter_style.additional_properties = d
        return filter_style

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
