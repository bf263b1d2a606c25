"""Request bodies: what a caller gives (a model or a mapping) checked and shaped into the
model Harbor reads, before any I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from harbor_replication._errors import FieldTypeError
from harbor_replication._shapes import unknown_keys, wrong_field

# From the public models module, which also gives every model a readable repr.
from harbor_replication.models import (
    Registry,
    RegistryPing,
    RegistryUpdate,
    ReplicationPolicy,
    Unset,
)

PolicyInput: TypeAlias = ReplicationPolicy | Mapping[str, Any]
RegistryInput: TypeAlias = Registry | Mapping[str, Any]
RegistryUpdateInput: TypeAlias = RegistryUpdate | Mapping[str, Any]
RegistryPingInput: TypeAlias = RegistryPing | Mapping[str, Any]


def policy_body(policy: PolicyInput) -> ReplicationPolicy:
    """The policy to send, with ``replicate_deletion`` mirrored into ``deletion``.

    Harbor reads only the deprecated ``deletion`` on create and update (SEMANTICS 11), so
    the one given is copied into the other. On a model (say one read, changed and sent
    back) ``replicate_deletion`` wins when the two differ; a mapping that spells out two
    different values is an error, since which one was meant cannot be known.
    """
    given = model_input(ReplicationPolicy, policy, "replication policy")
    # A copy, so the caller's object is left as it was.
    model = ReplicationPolicy.from_dict(given.to_dict())
    deletion, replicate_deletion = model.deletion, model.replicate_deletion
    if isinstance(replicate_deletion, Unset):
        model.replicate_deletion = deletion
        return model
    if (
        isinstance(policy, Mapping)
        and not isinstance(deletion, Unset)
        and deletion != replicate_deletion
    ):
        raise ValueError(
            f"not a valid replication policy: deletion={deletion} and "
            f"replicate_deletion={replicate_deletion} disagree; give one, or both alike"
        )
    model.deletion = replicate_deletion
    return model


def model_input(model: type[Any], value: Any, what: str) -> Any:
    """``value`` (a model or a mapping) as a ``model`` whose fields hold the right types.

    A mapping must use the model's keys only: Harbor ignores unknown keys, so a typo
    would silently leave a setting out.
    """
    if isinstance(value, model):
        instance = value
    elif isinstance(value, Mapping):
        instance = _from_mapping(model, value, what)
        unknown = unknown_keys(instance)
        if unknown:
            raise ValueError(f"not a valid {what}: unknown field(s) {', '.join(unknown)}")
    else:
        raise ValueError(f"{what} must be a {model.__name__} or a mapping, got {value!r}")
    misfit = wrong_field(instance)
    if misfit is not None:
        raise FieldTypeError(what, misfit.path, misfit.value, misfit.expected)
    return instance


def _from_mapping(model: type[Any], value: Mapping[Any, Any], what: str) -> Any:
    try:
        return model.from_dict(dict(value))
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    # Find the field the generated parser choked on, to name it.
    for key, item in value.items():
        try:
            model.from_dict({key: item})
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(
                f"not a valid {what}: {key} cannot be {item!r} (a list or an object "
                "is expected there)"
            ) from None
    raise ValueError(f"not a valid {what}: {dict(value)!r}")
