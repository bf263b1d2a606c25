from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replication_trigger_settings import ReplicationTriggerSettings


T = TypeVar("T", bound="ReplicationTrigger")


@_attrs_define
class ReplicationTrigger:
    """
    Attributes:
        trigger_settings (ReplicationTriggerSettings | Unset):
        type_ (str | Unset): The replication policy trigger type. The valid values are manual, event_based and
            scheduled.
    """

    trigger_settings: ReplicationTriggerSettings | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        trigger_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.trigger_settings, Unset):
            trigger_settings = self.trigger_settings.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if trigger_settings is not UNSET:
            field_dict["trigger_settings"] = trigger_settings
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.replication_trigger_settings import ReplicationTriggerSettings  # noqa: PLC0415

        d = dict(src_dict)
        _trigger_settings = d.pop("trigger_settings", UNSET)
        trigger_settings: ReplicationTriggerSettings | Unset
        if isinstance(_trigger_settings, Unset):
            trigger_settings = UNSET
        else:
            trigger_settings = ReplicationTriggerSettings.from_dict(_trigger_settings)

        type_ = d.pop("type", UNSET)

        replication_trigger = cls(
            trigger_settings=trigger_settings,
            type_=type_,
        )

        replication_trigger.additional_properties = d
        return replication_trigger

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
