"""Request parameters and bodies, checked the way Harbor's go-swagger layer checks them.

A query or path parameter of the wrong type, a missing body and a body that does not
decode into the Go model (bad JSON, wrong JSON type, number out of range) are all the
framework's 422 ``validation failure list:`` (go-swagger's generated binder gathers them
into a composite error; docs/harbor-behaviour.md §6).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._negotiation import validation_failure
from ._resources import BOOL, INT64, POLICIES, REGISTRIES, STRING, Schema

_INT_RANGES = {
    "int8": (-(2**7), 2**7 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}

REGISTRY = REGISTRIES.body_schema()
POLICY = POLICIES.body_schema()
REGISTRY_UPDATE: Schema = {
    "type": "object",
    "name": "RegistryUpdate",
    "properties": {
        key: BOOL if key == "insecure" else STRING
        for key in (
            "name",
            "description",
            "url",
            "credential_type",
            "access_key",
            "access_secret",
            "insecure",
            "ca_certificate",
        )
    },
}
REGISTRY_PING: Schema = {
    "type": "object",
    "name": "RegistryPing",
    "properties": {**REGISTRY_UPDATE["properties"], "id": INT64, "type": STRING},
}
START_EXECUTION: Schema = {
    "type": "object",
    "name": "StartReplicationExecution",
    "properties": {"policy_id": INT64},
}


def parse_int(raw: str, name: str, where: str) -> int:
    """An int64 path or query parameter; anything else is Harbor's 422."""
    if re.fullmatch(r"[+-]?\d+", raw):
        number = int(raw)
        low, high = _INT_RANGES["int64"]
        if low <= number <= high:
            return number
    raise validation_failure(f'{name} in {where} must be of type int64: "{raw}"')


def parse_body(raw: bytes, name: str, schema: Schema) -> dict[str, Any]:
    """Decode a required JSON body and check it against the Go model's field types."""
    if not raw.strip():
        raise validation_failure(f"{name} in body is required")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise validation_failure(f'parsing {name} body from "" failed, because {exc}') from exc
    if data is None:
        raise validation_failure(f"{name} in body is required")
    problem = _type_problem(data, schema, schema.get("name", name))
    if problem:
        raise validation_failure(f'parsing {name} body from "" failed, because {problem}')
    assert isinstance(data, dict)
    return data


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_problem(value: object, schema: Schema, where: str) -> str | None:
    """Why ``encoding/json`` would refuse ``value`` for this model field, or None."""
    kind = schema["type"]
    if value is None or kind == "any":
        return None
    expected = {"string": "string", "boolean": "bool", "object": "object", "array": "array"}
    go_type = {"string": "string", "boolean": "bool", "object": "object", "array": "slice"}
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            shown = _json_kind(value) if not isinstance(value, int | float) else f"number {value}"
            return f"json: cannot unmarshal {shown} into Go struct field {where} of type {kind}"
        return None
    if _json_kind(value) != expected[kind]:
        return (
            f"json: cannot unmarshal {_json_kind(value)} into Go struct field {where} "
            f"of type {go_type[kind]}"
        )
    if kind == "object":
        assert isinstance(value, dict)
        for key, field_schema in schema["properties"].items():
            if key in value:
                problem = _type_problem(value[key], field_schema, f"{schema['name']}.{key}")
                if problem:
                    return problem
    if kind == "array":
        assert isinstance(value, list)
        for item in value:
            problem = _type_problem(item, schema["items"], where)
            if problem:
                return problem
    return None
