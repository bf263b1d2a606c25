from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplicationTask")


@_attrs_define
class ReplicationTask:
    """The replication task

    Attributes:
        dst_resource (str | Unset): The destination resource that the task operates
        end_time (datetime.datetime | None | Unset): The end time of the task
        execution_id (int | Unset): The ID of the execution that the task belongs to
        id (int | Unset): The ID of the task
        job_id (str | Unset): The ID of the underlying job that the task related to
        operation (str | Unset): The operation of the task
        resource_type (str | Unset): The type of the resource that the task operates
        src_resource (str | Unset): The source resource that the task operates
        start_time (datetime.datetime | None | Unset): The start time of the task
        status (str | Unset): The status of the task
    """

    dst_resource: str | Unset = UNSET
    end_time: datetime.datetime | None | Unset = UNSET
    execution_id: int | Unset = UNSET
    id: int | Unset = UNSET
    job_id: str | Unset = UNSET
    operation: str | Unset = UNSET
    resource_type: str | Unset = UNSET
    src_resource: str | Unset = UNSET
    start_time: datetime.datetime | None | Unset = UNSET
    status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dst_resource = self.dst_resource

        end_time: None | str | Unset
        if isinstance(self.end_time, Unset):
            end_time = UNSET
        elif isinstance(self.end_time, datetime.datetime):
            end_time = self.end_time.isoformat()
        else:
            end_time = self.end_time

        execution_id = self.execution_id

        id = self.id

        job_id = self.job_id

        operation = self.operation

        resource_type = self.resource_type

        src_resource = self.src_resource

        start_time: None | str | Unset
        if isinstance(self.start_time, Unset):
            start_time = UNSET
        elif isinstance(self.start_time, datetime.datetime):
            start_time = self.start_time.isoformat()
        else:
            start_time = self.start_time

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if dst_resource is not UNSET:
            field_dict["dst_resource"] = dst_resource
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if execution_id is not UNSET:
            field_dict["execution_id"] = execution_id
        if id is not UNSET:
            field_dict["id"] = id
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if operation is not UNSET:
            field_dict["operation"] = operation
        if resource_type is not UNSET:
            field_dict["resource_type"] = resource_type
        if src_resource is not UNSET:
            field_dict["src_resource"] = src_resource
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dst_resource = d.pop("dst_resource", UNSET)

        def _parse_end_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_time_type_0 = datetime.datetime.fromisoformat(data)

                return end_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end_time = _parse_end_time(d.pop("end_time", UNSET))

        execution_id = d.pop("execution_id", UNSET)

        id = d.pop("id", UNSET)

        job_id = d.pop("job_id", UNSET)

        operation = d.pop("operation", UNSET)

        resource_type = d.pop("resource_type", UNSET)

        src_resource = d.pop("src_resource", UNSET)

        def _parse_start_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_time_type_0 = datetime.datetime.fromisoformat(data)

                return start_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_time = _parse_start_time(d.pop("start_time", UNSET))

        status = d.pop("status", UNSET)

        replication_task = cls(
            dst_resource=dst_resource,
            end_time=end_time,
            execution_id=execution_id,
            id=id,
            job_id=job_id,
            operation=operation,
            resource_type=resource_type,
            src_resource=src_resource,
            start_time=start_time,
            status=status,
        )

        replication_task.additional_properties = d
        return replication_task

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
