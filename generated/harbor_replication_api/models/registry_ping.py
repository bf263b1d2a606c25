from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RegistryPing")


@_attrs_define
class RegistryPing:
    """
    Attributes:
        access_key (None | str | Unset): The registry access key.
        access_secret (None | str | Unset): The registry access secret.
        ca_certificate (None | str | Unset): The PEM-encoded CA certificate for this registry endpoint.
        credential_type (None | str | Unset): Credential type of the registry, e.g. 'basic'.
        id (int | None | Unset): The registry ID.
        insecure (bool | None | Unset): Whether or not the certificate will be verified when Harbor tries to access the
            server.
        type_ (None | str | Unset): Type of the registry, e.g. 'harbor'.
        url (None | str | Unset): The registry URL.
    """

    access_key: None | str | Unset = UNSET
    access_secret: None | str | Unset = UNSET
    ca_certificate: None | str | Unset = UNSET
    credential_type: None | str | Unset = UNSET
    id: int | None | Unset = UNSET
    insecure: bool | None | Unset = UNSET
    type_: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key: None | str | Unset
        if isinstance(self.access_key, Unset):
            access_key = UNSET
        else:
            access_key = self.access_key

        access_secret: None | str | Unset
        if isinstance(self.access_secret, Unset):
            access_secret = UNSET
        else:
            access_secret = self.access_secret

        ca_certificate: None | str | Unset
        if isinstance(self.ca_certificate, Unset):
            ca_certificate = UNSET
        else:
            ca_certificate = self.ca_certificate

        credential_type: None | str | Unset
        if isinstance(self.credential_type, Unset):
            credential_type = UNSET
        else:
            credential_type = self.credential_type

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        insecure: bool | None | Unset
        if isinstance(self.insecure, Unset):
            insecure = UNSET
        else:
            insecure = self.insecure

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if access_key is not UNSET:
            field_dict["access_key"] = access_key
        if access_secret is not UNSET:
            field_dict["access_secret"] = access_secret
        if ca_certificate is not UNSET:
            field_dict["ca_certificate"] = ca_certificate
        if credential_type is not UNSET:
            field_dict["credential_type"] = credential_type
        if id is not UNSET:
            field_dict["id"] = id
        if insecure is not UNSET:
            field_dict["insecure"] = insecure
        if type_ is not UNSET:
            field_dict["type"] = type_
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_access_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        access_key = _parse_access_key(d.pop("access_key", UNSET))

        def _parse_access_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        access_secret = _parse_access_secret(d.pop("access_secret", UNSET))

        def _parse_ca_certificate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ca_certificate = _parse_ca_certificate(d.pop("ca_certificate", UNSET))

        def _parse_credential_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credential_type = _parse_credential_type(d.pop("credential_type", UNSET))

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_insecure(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        insecure = _parse_insecure(d.pop("insecure", UNSET))

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        registry_ping = cls(
            access_key=access_key,
            access_secret=access_secret,
            ca_certificate=ca_certificate,
            credential_type=credential_type,
            id=id,
            insecure=insecure,
            type_=type_,
            url=url,
        )

        registry_ping.additional_properties = d
        return registry_ping

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
