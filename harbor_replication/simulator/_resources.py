"""One declaration per resource the simulated Harbor stores: each field's name (the JSON
name, the model attribute and the database column at once), its type in a request body,
how a body's value becomes the stored one, whether ``q`` filters and ``sort`` orders by it,
whether go-swagger writes it even when zero, and whether only a v2.15 Harbor knows it.

The listing columns, the request-body types (_body.py), the values a policy body sets and
the JSON the API shows all derive from these tables, so a plain new field is one line here
and one attribute on its model (_model.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._query import Columns, ColumnType, go_field_name
from ._times import format_time

Schema = Mapping[str, Any]

STRING: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
INT64: Schema = {"type": "int64"}


def _text(value: Any) -> str:
    return value or ""


def _flag(value: Any) -> bool:
    return bool(value)


@dataclass(frozen=True)
class Field:
    """One field of a resource."""

    name: str
    # The database column's type, for q and sort; None: neither knows the field
    column: ColumnType | None = None
    # The names q and sort know the column by, when not its own name and its Go name
    column_names: tuple[str, ...] = ()
    # The field's type in a request body; None: a body does not carry it
    body: Schema | None = None
    # The stored value from a body's value (None when absent); None: the resource's own
    # code reads it
    read: Callable[[Any], Any] | None = None
    # In the JSON the API shows
    shown: bool = True
    # Shown even when zero: ``x-omitempty: false`` or a pointer in Harbor's model
    kept: bool = False
    # Known only to Harbor v2.15 and later: an older one neither reads nor shows it
    since_v2_15: bool = False


def omit_empty(shown: dict[str, Any], keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A model as go-swagger serializes it: optional fields holding their zero value
    (``""``, ``false``, ``0``, no list, nil) are left out, unless Harbor's description
    marks them ``x-omitempty: false`` or makes them pointers (``keep``)."""
    return {
        key: value
        for key, value in shown.items()
        if key in keep or value not in ("", False, 0, None, [])
    }


class Resource:
    """A resource's declaration and what derives from it."""

    def __init__(self, model: str, *fields: Field) -> None:
        self.model = model  # go-swagger's model name, as its body errors spell it
        self.fields = fields
        self.kept = frozenset(f.name for f in fields if f.kept)
        aliases: dict[str, tuple[str, ColumnType]] = {}
        for f in fields:
            if f.column is not None:
                for name in f.column_names or (f.name, go_field_name(f.name)):
                    aliases[name] = (f.name, f.column)
        self.columns = Columns(aliases)
        self._shown = {
            v2_15: tuple(f for f in fields if f.shown and (v2_15 or not f.since_v2_15))
            for v2_15 in (False, True)
        }

    def __repr__(self) -> str:
        return self.model

    def body_schema(self) -> Schema:
        """The type of a request body carrying this resource."""
        return {
            "type": "object",
            "name": self.model,
            "properties": {f.name: f.body for f in self.fields if f.body is not None},
        }

    def read(self, body: Mapping[str, Any], v2_15: bool) -> dict[str, Any]:
        """The values of the fields read the plain way from ``body``: an absent field, or
        one the Harbor version does not know, is its zero value."""
        return {
            f.name: f.read(body.get(f.name) if v2_15 or not f.since_v2_15 else None)
            for f in self.fields
            if f.read is not None
        }

    def record(self, model: object, **values: Any) -> dict[str, Any]:
        """The model's database row, as q and sort see it; ``values`` for the columns that
        are not attributes of the model."""
        return {
            f.name: values[f.name] if f.name in values else getattr(model, f.name)
            for f in self.fields
            if f.column is not None
        }

    def render(
        self, model: object, values: Mapping[str, Any], v2_15: bool = True
    ) -> dict[str, Any]:
        """The JSON the API shows; ``values`` for the fields not shown as the model holds them."""
        shown: dict[str, Any] = {}
        for f in self._shown[v2_15]:
            if f.name in values:
                shown[f.name] = values[f.name]
            elif f.column == "time":
                shown[f.name] = format_time(getattr(model, f.name))
            else:
                shown[f.name] = getattr(model, f.name)
        return omit_empty(shown, self.kept)


_CREDENTIAL: Schema = {
    "type": "object",
    "name": "RegistryCredential",
    "properties": {"type": STRING, "access_key": STRING, "access_secret": STRING},
}

REGISTRIES = Resource(
    "Registry",
    Field("id", "int", body=INT64, kept=True),
    Field("name", "str", body=STRING),
    Field("url", "str", body=STRING),
    Field("type", "str", body=STRING),
    Field("description", "str", body=STRING, read=_text),
    Field("insecure", "bool", body=BOOL, read=_flag),
    Field("ca_certificate", body=STRING, read=_text, since_v2_15=True),
    Field("credential", body=_CREDENTIAL),
    Field("credential_type", "str", shown=False),
    Field("access_key", "str", shown=False),
    Field("access_secret", shown=False),
    Field("status", "str", ("health", "Status"), body=STRING),
    Field("creation_time", "time", body=STRING),
    Field("update_time", "time", body=STRING),
)

_TRIGGER: Schema = {
    "type": "object",
    "name": "ReplicationTrigger",
    "properties": {
        "type": STRING,
        "trigger_settings": {
            "type": "object",
            "name": "ReplicationTriggerSettings",
            "properties": {"cron": STRING},
        },
    },
}
_FILTERS: Schema = {
    "type": "array",
    "items": {
        "type": "object",
        "name": "ReplicationFilter",
        "properties": {"type": STRING, "value": {"type": "any"}, "decoration": STRING},
    },
}

POLICIES = Resource(
    "ReplicationPolicy",
    Field("id", "int", body=INT64),
    Field("name", "str", body=STRING, read=_text),
    Field("description", "str", body=STRING, read=_text),
    Field("creator", "str", shown=False),
    Field("src_registry_id", "int", shown=False),
    Field("dest_registry_id", "int", shown=False),
    Field("src_registry", body=REGISTRIES.body_schema()),
    Field("dest_registry", body=REGISTRIES.body_schema()),
    Field("dest_namespace", "str", body=STRING, read=_text),
    Field(
        "dest_namespace_replace_count",
        "int",
        body={"type": "int8"},
        read=lambda value: -1 if value is None else int(value),
        kept=True,
    ),
    # the column holds the trigger as JSON (docs/harbor-behaviour.md §26)
    Field("trigger", "str", body=_TRIGGER),
    Field("filters", "str", body=_FILTERS),
    # the column and field names only: q does not know the API's "deletion" (§26)
    Field("replicate_deletion", "bool", body=BOOL),
    Field("deletion", body=BOOL),
    Field("override", "bool", body=BOOL, read=_flag),
    Field("enabled", "bool", body=BOOL, read=_flag),
    Field("creation_time", "time", body=STRING),
    Field("update_time", "time", body=STRING),
    Field(
        "speed",
        "int",
        ("speed_kb", "Speed"),
        body={"type": "int32"},
        read=lambda value: max(int(value or 0), 0),
        kept=True,
    ),
    Field("copy_by_chunk", "bool", body=BOOL, read=_flag, kept=True),
    Field("single_active_replication", "bool", body=BOOL, read=_flag, kept=True, since_v2_15=True),
)

# Executions and tasks take no q: their columns are the sortable ones. Times sort as their
# RFC 3339 strings, which order like the times themselves.
EXECUTIONS = Resource(
    "ReplicationExecution",
    Field("id", "int"),
    Field("policy_id", "int", ("vendor_id", "VendorID")),
    Field("status", "str"),
    Field("trigger", "str"),
    Field("start_time", "str"),
    Field("end_time", "str"),
    Field("status_text", "str", ("status_message", "StatusMessage"), kept=True),
    Field("total", kept=True),
    Field("succeed", kept=True),
    Field("failed", kept=True),
    Field("in_progress", kept=True),
    Field("stopped", kept=True),
)

TASKS = Resource(
    "ReplicationTask",
    Field("id", "int"),
    Field("execution_id", "int"),
    Field("status", "str"),
    Field("job_id", "str"),
    Field("operation"),
    Field("resource_type"),
    Field("src_resource"),
    Field("dst_resource"),
    Field("start_time", "str"),
    Field("end_time", "str"),
)
