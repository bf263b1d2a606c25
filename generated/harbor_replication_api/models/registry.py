from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.registry_credential import RegistryCredential


T = TypeVar("T", bound="Registry")


@_attrs_define
class Registry:
    """
    Attributes:
        ca_certificate (None | str | Unset): The PEM-encoded CA certificate for this registry endpoint. If provided,
            this CA will be used to verify the registry's certificate instead of the system CA pool.
        creation_time (datetime.datetime | None | Unset): The create time of the policy.
        credential (RegistryCredential | Unset):
        description (str | Unset): Description of the registry.
        id (int | Unset): The registry ID.
        insecure (bool | Unset): Whether or not the certificate will be verified when Harbor tries to access the server.
        name (str | Unset): The registry name.
        status (str | Unset): Health status of the registry.
        type_ (str | Unset): Adapter name of the registry, e.g. harbor, docker-hub, aws-ecr (see /replication/adapters).
        update_time (datetime.datetime | None | Unset): The update time of the policy.
        url (str | Unset): The registry URL string.
    """

    ca_certificate: None | str | Unset = UNSET
    creation_time: datetime.datetime | None | Unset = UNSET
    credential: RegistryCredential | Unset = UNSET
    description: str | Unset = UNSET
    id: int | Unset = UNSET
    insecure: bool | Unset = UNSET
    name: str | Unset = UNSET
    status: str | Unset = UNSET
    type_: str | Unset = UNSET
    update_time: datetime.datetime | None | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ca_certificate: None | str | Unset
        if isinstance(self.ca_certificate, Unset):
            ca_certificate = UNSET
        else:
            ca_certificate = self.ca_certificate

        creation_time: None | str | Unset
        if isinstance(self.creation_time, Unset):
            creation_time = UNSET
        elif isinstance(self.creation_time, datetime.datetime):
            creation_time = self.creation_time.isoformat()
        else:
            creation_time = self.creation_time

        credential: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credential, Unset):
            credential = self.credential.to_dict()

        description = self.description

        id = self.id

        insecure = self.insecure

        name = self.name

        status = self.status

        type_ = self.type_

        update_time: None | str | Unset
        if isinstance(self.update_time, Unset):
            update_time = UNSET
        elif isinstance(self.update_time, datetime.datetime):
            update_time = self.update_time.isoformat()
        else:
            update_time = self.update_time

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if ca_certificate is not UNSET:
            field_dict["ca_certificate"] = ca_certificate
        if creation_time is not UNSET:
            field_dict["creation_time"] = creation_time
        if credential is not UNSET:
            field_dict["credential"] = credential
        if description is not UNSET:
            field_dict["description"] = description
        if id is not UNSET:
            field_dict["id"] = id
        if insecure is not UNSET:
            field_dict["insecure"] = insecure
        if name is not UNSET:
            field_dict["name"] = name
        if status is not UNSET:
            field_dict["status"] = status
        if type_ is not UNSET:
            field_dict["type"] = type_
        if update_time is not UNSET:
            field_dict["update_time"] = update_time
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registry_credential import RegistryCredential  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_ca_certificate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ca_certificate = _parse_ca_certificate(d.pop("ca_certificate", UNSET))

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

        _credential = d.pop("credential", UNSET)
        credential: RegistryCredential | Unset
        if isinstance(_credential, Unset):
            credential = UNSET
        else:
            credential = RegistryCredential.from_dict(_credential)

        description = d.pop("description", UNSET)

        id = d.pop("id", UNSET)

        insecure = d.pop("insecure", UNSET)

        name = d.pop("name", UNSET)

        status = d.pop("status", UNSET)

        type_ = d.pop("type", UNSET)

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

        url = d.pop("url", UNSET)

        registry = cls(
            ca_certificate=ca_certificate,
            creation_time=creation_time,
            credential=credential,
            description=description,
            id=id,
            insecure=insecure,
            name=name,
            status=status,
            type_=type_,
            update_time=update_time,
            url=url,
        )

        registry.additional_properties = d
        return registry

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
