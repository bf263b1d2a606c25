from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.registry import Registry
    from ..models.replication_filter import ReplicationFilter
    from ..models.replication_trigger import ReplicationTrigger


T = TypeVar("T", bound="ReplicationPolicy")


@_attrs_define
class ReplicationPolicy:
    """
    Attributes:
        copy_by_chunk (bool | None | Unset): Whether to enable copy by chunk.
        creation_time (datetime.datetime | None | Unset): The create time of the policy.
        deletion (bool | Unset): Deprecated, use "replicate_deletion" instead. Whether to replicate the deletion
            operation.
        description (str | Unset): The description of the policy.
        dest_namespace (str | Unset): The destination namespace.
        dest_namespace_replace_count (int | None | Unset): Specify how many path components will be replaced by the
            provided destination namespace.
            The default value is -1 in which case the legacy mode will be applied.
        dest_registry (Registry | Unset):
        enabled (bool | Unset): Whether the policy is enabled or not.
        filters (list[ReplicationFilter] | Unset): The replication policy filter array.
        id (int | Unset): The policy ID.
        name (str | Unset): The policy name.
        override (bool | Unset): Whether to override the resources on the destination registry.
        replicate_deletion (bool | Unset): Whether to replicate the deletion operation.
        single_active_replication (bool | None | Unset): Whether to skip execution until the previous active execution
            finishes,
            avoiding the execution of the same replication rules multiple times in parallel.
        speed (int | None | Unset): speed limit for each task
        src_registry (Registry | Unset):
        trigger (ReplicationTrigger | Unset):
        update_time (datetime.datetime | None | Unset): The update time of the policy.
    """

    copy_by_chunk: bool | None | Unset = UNSET
    creation_time: datetime.datetime | None | Unset = UNSET
    deletion: bool | Unset = UNSET
    description: str | Unset = UNSET
    dest_namespace: str | Unset = UNSET
    dest_namespace_replace_count: int | None | Unset = UNSET
    dest_registry: Registry | Unset = UNSET
    enabled: bool | Unset = UNSET
    filters: list[ReplicationFilter] | Unset = UNSET
    id: int | Unset = UNSET
    name: str | Unset = UNSET
    override: bool | Unset = UNSET
    replicate_deletion: bool | Unset = UNSET
    single_active_replication: bool | None | Unset = UNSET
    speed: int | None | Unset = UNSET
    src_registry: Registry | Unset = UNSET
    trigger: ReplicationTrigger | Unset = UNSET
    update_time: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        copy_by_chunk: bool | None | Unset
        if isinstance(self.copy_by_chunk, Unset):
            copy_by_chunk = UNSET
        else:
            copy_by_chunk = self.copy_by_chunk

        creation_time: None | str | Unset
        if isinstance(self.creation_time, Unset):
            creation_time = UNSET
        elif isinstance(self.creation_time, datetime.datetime):
            creation_time = self.creation_time.isoformat()
        else:
            creation_time = self.creation_time

        deletion = self.deletion

        description = self.description

        dest_namespace = self.dest_namespace

        dest_namespace_replace_count: int | None | Unset
        if isinstance(self.dest_namespace_replace_count, Unset):
            dest_namespace_replace_count = UNSET
        else:
            dest_namespace_replace_count = self.dest_namespace_replace_count

        dest_registry: dict[str, Any] | Unset = UNSET
        if not isinstance(self.dest_registry, Unset):
            dest_registry = self.dest_registry.to_dict()

        enabled = self.enabled

        filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = []
            for filters_item_data in self.filters:
                filters_item = filters_item_data.to_dict()
                filters.append(filters_item)

        id = self.id

        name = self.name

        override = self.override

        replicate_deletion = self.replicate_deletion

        single_active_replication: bool | None | Unset
        if isinstance(self.single_active_replication, Unset):
            single_active_replication = UNSET
        else:
            single_active_replication = self.single_active_replication

        speed: int | None | Unset
        if isinstance(self.speed, Unset):
            speed = UNSET
        else:
            speed = self.speed

        src_registry: dict[str, Any] | Unset = UNSET
        if not isinstance(self.src_registry, Unset):
            src_registry = self.src_registry.to_dict()

        trigger: dict[str, Any] | Unset = UNSET
        if not isinstance(self.trigger, Unset):
            trigger = self.trigger.to_dict()

        update_time: None | str | Unset
        if isinstance(self.update_time, Unset):
            update_time = UNSET
        elif isinstance(self.update_time, datetime.datetime):
            update_time = self.update_time.isoformat()
        else:
            update_time = self.update_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if copy_by_chunk is not UNSET:
            field_dict["copy_by_chunk"] = copy_by_chunk
        if creation_time is not UNSET:
            field_dict["creation_time"] = creation_time
        if deletion is not UNSET:
            field_dict["deletion"] = deletion
        if description is not UNSET:
            field_dict["description"] = description
        if dest_namespace is not UNSET:
            field_dict["dest_namespace"] = dest_namespace
        if dest_namespace_replace_count is not UNSET:
            field_dict["dest_namespace_replace_count"] = dest_namespace_replace_count
        if dest_registry is not UNSET:
            field_dict["dest_registry"] = dest_registry
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if filters is not UNSET:
            field_dict["filters"] = filters
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if override is not UNSET:
            field_dict["override"] = override
        if replicate_deletion is not UNSET:
            field_dict["replicate_deletion"] = replicate_deletion
        if single_active_replication is not UNSET:
            field_dict["single_active_replication"] = single_active_replication
        if speed is not UNSET:
            field_dict["speed"] = speed
        if src_registry is not UNSET:
            field_dict["src_registry"] = src_registry
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
        if update_time is not UNSET:
            field_dict["update_time"] = update_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registry import Registry  # noqa: PLC0415
        from ..models.replication_filter import ReplicationFilter  # noqa: PLC0415
        from ..models.replication_trigger import ReplicationTrigger  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_copy_by_chunk(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        copy_by_chunk = _parse_copy_by_chunk(d.pop("copy_by_chunk", UNSET))

        def _parse_creation_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                creation_time_type_0 = datetime.datetime.fromisoformat(data)

                return creation_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        creation_time = _parse_creation_time(d.pop("creation_time", UNSET))

        deletion = d.pop("deletion", UNSET)

        description = d.pop("description", UNSET)

        dest_namespace = d.pop("dest_namespace", UNSET)

        def _parse_dest_namespace_replace_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        dest_namespace_replace_count = _parse_dest_namespace_replace_count(
            d.pop("dest_namespace_replace_count", UNSET)
        )

        _dest_registry = d.pop("dest_registry", UNSET)
        dest_registry: Registry | Unset
        if isinstance(_dest_registry, Unset):
            dest_registry = UNSET
        else:
            dest_registry = Registry.from_dict(_dest_registry)

        enabled = d.pop("enabled", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: list[ReplicationFilter] | Unset = UNSET
        if _filters is not UNSET:
            filters = []
            for filters_item_data in _filters:
                filters_item = ReplicationFilter.from_dict(filters_item_data)

                filters.append(filters_item)

        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        override = d.pop("override", UNSET)

        replicate_deletion = d.pop("replicate_deletion", UNSET)

        def _parse_single_active_replication(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        single_active_replication = _parse_single_active_replication(
            d.pop("single_active_replication", UNSET)
        )

        def _parse_speed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        speed = _parse_speed(d.pop("speed", UNSET))

        _src_registry = d.pop("src_registry", UNSET)
        src_registry: Registry | Unset
        if isinstance(_src_registry, Unset):
            src_registry = UNSET
        else:
            src_registry = Registry.from_dict(_src_registry)

        _trigger = d.pop("trigger", UNSET)
        trigger: ReplicationTrigger | Unset
        if isinstance(_trigger, Unset):
            trigger = UNSET
        else:
            trigger = ReplicationTrigger.from_dict(_trigger)

        def _parse_update_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                update_time_type_0 = datetime.datetime.fromisoformat(data)

                return update_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        update_time = _parse_update_time(d.pop("update_time", UNSET))

        replication_policy = cls(
            copy_by_chunk=copy_by_chunk,
            creation_time=creation_time,
            deletion=deletion,
            description=description,
            dest_namespace=dest_namespace,
            dest_namespace_replace_count=dest_namespace_replace_count,
            dest_registry=dest_registry,
            enabled=enabled,
            filters=filters,
            id=id,
            name=name,
            override=override,
            replicate_deletion=replicate_deletion,
            single_active_replication=single_active_replication,
            speed=speed,
            src_registry=src_registry,
            trigger=trigger,
            update_time=update_time,
        )

        replication_policy.additional_properties = d
        return replication_policy

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
