from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplicationExecution")


@_attrs_define
class ReplicationExecution:
    """The replication execution

    Attributes:
        end_time (datetime.datetime | None | Unset): The end time
        failed (int | Unset): The count of failed executions
        id (int | Unset): The ID of the execution
        in_progress (int | Unset): The count of in_progress executions
        policy_id (int | Unset): The ID if the policy that the execution belongs to
        start_time (datetime.datetime | None | Unset): The start time
        status (str | Unset): The status of the execution
        status_text (str | Unset): The status text
        stopped (int | Unset): The count of stopped executions
        succeed (int | Unset): The count of succeed executions
        total (int | Unset): The total count of all executions
        trigger (str | Unset): The trigger mode
    """

    end_time: datetime.datetime | None | Unset = UNSET
    failed: int | Unset = UNSET
    id: int | Unset = UNSET
    in_progress: int | Unset = UNSET
    policy_id: int | Unset = UNSET
    start_time: datetime.datetime | None | Unset = UNSET
    status: str | Unset = UNSET
    status_text: str | Unset = UNSET
    stopped: int | Unset = UNSET
    succeed: int | Unset = UNSET
    total: int | Unset = UNSET
    trigger: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        end_time: None | str | Unset
        if isinstance(self.end_time, Unset):
            end_time = UNSET
        elif isinstance(self.end_time, datetime.datetime):
            end_time = self.end_time.isoformat()
        else:
            end_time = self.end_time

        failed = self.failed

        id = self.id

        in_progress = self.in_progress

        policy_id = self.policy_id

        start_time: None | str | Unset
        if isinstance(self.start_time, Unset):
            start_time = UNSET
        elif isinstance(self.start_time, datetime.datetime):
            start_time = self.start_time.isoformat()
        else:
            start_time = self.start_time

        status = self.status

        status_text = self.status_text

        stopped = self.stopped

        succeed = self.succeed

        total = self.total

        trigger = self.trigger

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if failed is not UNSET:
            field_dict["failed"] = failed
        if id is not UNSET:
            field_dict["id"] = id
        if in_progress is not UNSET:
            field_dict["in_progress"] = in_progress
        if policy_id is not UNSET:
            field_dict["policy_id"] = policy_id
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if status is not UNSET:
            field_dict["status"] = status
        if status_text is not UNSET:
            field_dict["status_text"] = status_text
        if stopped is not UNSET:
            field_dict["stopped"] = stopped
        if succeed is not UNSET:
            field_dict["succeed"] = succeed
        if total is not UNSET:
            field_dict["total"] = total
        if trigger is not UNSET:
            field_dict["trigger"] = trigger

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        failed = d.pop("failed", UNSET)

        id = d.pop("id", UNSET)

        in_progress = d.pop("in_progress", UNSET)

        policy_id = d.pop("policy_id", UNSET)

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

        status_text = d.pop("status_text", UNSET)

        stopped = d.pop("stopped", UNSET)

        succeed = d.pop("succeed", UNSET)

        total = d.pop("total", UNSET)

        trigger = d.pop("trigger", UNSET)

        replication_execution = cls(
            end_time=end_time,
            failed=failed,
            id=id,
            in_progress=in_progress,
            policy_id=policy_id,
            start_time=start_time,
            status=status,
            status_text=status_text,
            stopped=stopped,
            succeed=succeed,
            total=total,
            trigger=trigger,
        )

        replication_execution.additional_properties = d
        return replication_execution

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
