"""The sans-I/O planner: what Harbor has, what a document wants, and the steps between.

Pure: the async and the blocking shells read Harbor, hand what they read here, and send
the requests built here. Objects are matched by name. Every field is compared (filters
in any order); secrets cannot be, since Harbor masks them, so they are sent only on
create or when forced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from harbor_replication._errors import (
    HarborAPIError,
    HarborConnectionError,
    HarborError,
    HarborResponseError,
    HarborTimeoutError,
)
from harbor_replication.ascode._document import (
    EVERY_NAME,
    LOCAL,
    Credential,
    Document,
    DocumentError,
    FilterSpec,
    PolicySpec,
    RegistrySpec,
    Selector,
    check_target,
    filter_order,
    registry_data,
    secret_reference_for,
)
from harbor_replication_api.models import Registry, ReplicationPolicy
from harbor_replication_api.types import Unset

Action = Literal["create", "update", "delete", "unchanged"]
Kind = Literal["registry", "policy"]

# Harbor's page size limit: the fewest requests for a whole listing.
LISTING_PAGE_SIZE = 100
HIDDEN_SECRET = "(hidden by Harbor)"


@dataclass(frozen=True, slots=True)
class HarborState:
    """What one Harbor holds, by name, as specs; ``ids`` are Harbor's ids by name."""

    harbor_version: str
    registries: dict[str, RegistrySpec]
    policies: dict[str, PolicySpec]
    registry_ids: dict[str, int]
    policy_ids: dict[str, int]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _flag(value: object) -> bool:
    return value is True


def _number(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def registry_spec(registry: Registry) -> RegistrySpec:
    """A Harbor registry as a spec; its masked secret becomes an export's ``${...}``."""
    name = _text(registry.name)
    credential = None
    given = registry.credential
    if not isinstance(given, Unset) and _text(given.access_key):
        credential = Credential(
            access_key=_text(given.access_key),
            access_secret=secret_reference_for(name) if _text(given.access_secret) else "",
            type=_text(given.type_) or "basic",
        )
    return RegistrySpec(
        name=name,
        type=_text(registry.type_),
        url=_text(registry.url),
        description=_text(registry.description),
        insecure=_flag(registry.insecure),
        ca_certificate=_text(registry.ca_certificate),
        credential=credential,
    )


def _registry_name(registry: Registry | Unset, names: Mapping[int, str]) -> str:
    if isinstance(registry, Unset) or not isinstance(registry.id, int) or registry.id == 0:
        return LOCAL
    return names.get(registry.id, f"#{registry.id}")


def policy_spec(policy: ReplicationPolicy, registry_names: Mapping[int, str]) -> PolicySpec:
    """A Harbor policy as a spec, its registries named through ``registry_names`` (id -> name)."""
    filters: list[FilterSpec] = []
    for item in [] if isinstance(policy.filters, Unset) else policy.filters:
        value = item.value
        decoration = _text(item.decoration)
        filters.append(
            FilterSpec(
                _text(item.type_),
                tuple(sorted(value)) if isinstance(value, list) else _text(value),
                "" if decoration == "matches" else decoration,
            )
        )
    trigger, cron = "manual", ""
    if not isinstance(policy.trigger, Unset):
        trigger = _text(policy.trigger.type_) or "manual"
        settings = policy.trigger.trigger_settings
        if trigger == "scheduled" and not isinstance(settings, Unset):
            cron = _text(settings.cron)
    return PolicySpec(
        name=_text(policy.name),
        src_registry=_registry_name(policy.src_registry, registry_names),
        dest_registry=_registry_name(policy.dest_registry, registry_names),
        description=_text(policy.description),
        dest_namespace=_text(policy.dest_namespace),
        dest_namespace_replace_count=_number(policy.dest_namespace_replace_count, -1),
        filters=tuple(sorted(filters, key=filter_order)),
        trigger=trigger,
        cron=cron,
        override=_flag(policy.override),
        replicate_deletion=_flag(policy.replicate_deletion),
        speed=max(0, _number(policy.speed, 0)),
        copy_by_chunk=_flag(policy.copy_by_chunk),
        single_active_replication=_flag(policy.single_active_replication),
        enabled=_flag(policy.enabled),
    )


def harbor_state(
    harbor_version: str, registries: Iterable[Registry], policies: Iterable[ReplicationPolicy]
) -> HarborState:
    """The state read from one Harbor: its version and every registry and policy."""
    registry_list = list(registries)
    names = {r.id: _text(r.name) for r in registry_list if isinstance(r.id, int)}
    registry_specs: dict[str, RegistrySpec] = {}
    registry_ids: dict[str, int] = {}
    for registry in registry_list:
        spec = registry_spec(registry)
        registry_specs[spec.name] = spec
        if isinstance(registry.id, int):
            registry_ids[spec.name] = registry.id
    policy_specs: dict[str, PolicySpec] = {}
    policy_ids: dict[str, int] = {}
    for policy in policies:
        policy_wanted = policy_spec(policy, names)
        policy_specs[policy_wanted.name] = policy_wanted
        if isinstance(policy.id, int):
            policy_ids[policy_wanted.name] = policy.id
    return HarborState(harbor_version, registry_specs, policy_specs, registry_ids, policy_ids)


def export_document(state: HarborState, source: str = "<export>") -> Document:
    """Everything one Harbor holds as a document (secrets as ``${...}`` references)."""
    return Document(dict(state.registries), dict(state.policies), source=source)


# --- plans -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One field's value in Harbor now (``before``) and as the document wants it."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Step:
    """One object's step: create, update (with its changes), delete, or unchanged."""

    action: Action
    kind: Kind
    name: str
    id: int | None = None
    spec: RegistrySpec | PolicySpec | None = None
    changes: tuple[Change, ...] = ()
    send_secret: bool = False

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "kind": self.kind, "name": self.name}
        if self.id is not None:
            data["id"] = self.id
        if self.changes:
            data["changes"] = [
                {"field": c.field, "before": c.before, "after": c.after} for c in self.changes
            ]
        return data


@dataclass(frozen=True, slots=True)
class Plan:
    """The ordered steps that make one Harbor match a document.

    ``steps`` run in order: registry creates and updates, policy deletes, policy creates
    and updates, registry deletes (a registry is deleted only once no policy uses it).
    ``unchanged`` lists what already matches; ``not_pruned`` the deletes ``prune`` would
    add; ``notes`` what a plan cannot see (changed secrets).
    """

    target: str
    harbor_version: str
    steps: tuple[Step, ...]
    unchanged: tuple[Step, ...] = ()
    not_pruned: tuple[Step, ...] = ()
    notes: tuple[str, ...] = ()
    registry_ids: dict[str, int] = field(default_factory=dict)

    @property
    def in_sync(self) -> bool:
        return not self.steps

    def secrets_needed(self) -> set[str]:
        """The registries whose secret the steps send: those created, and those updated
        with ``send_secret``."""
        return {
            step.name
            for step in self.steps
            if step.kind == "registry" and (step.action == "create" or step.send_secret)
        }

    def phases(self) -> list[list[Step]]:
        """The steps in runs whose members may go at once: same kind, all deletes or none."""
        phases: list[list[Step]] = []
        for step in self.steps:
            if not phases or _phase(phases[-1][0]) != _phase(step):
                phases.append([])
            phases[-1].append(step)
        return phases

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "delete": 0}
        for step in self.steps:
            counts[step.action] += 1
        counts["unchanged"] = len(self.unchanged)
        return counts

    def to_data(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "harbor_version": self.harbor_version,
            "in_sync": self.in_sync,
            "counts": self.counts(),
            "steps": [step.to_data() for step in self.steps],
            "unchanged": [step.to_data() for step in self.unchanged],
            "not_pruned": [step.to_data() for step in self.not_pruned],
            "notes": list(self.notes),
        }


def _phase(step: Step) -> tuple[Kind, bool]:
    return step.kind, step.action == "delete"


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Change, ...]:
    return tuple(Change(key, before[key], after[key]) for key in after if before[key] != after[key])


def make_plan(
    document: Document,
    state: HarborState,
    *,
    prune: bool = False,
    force_secrets: bool = False,
    target: str = "the target",
) -> Plan:
    """The steps that bring ``state`` to ``document``; raises :class:`DocumentError` for
    what cannot be applied (a field the version lacks, an unknown registry, a registry
    type change, a prune that would orphan a policy)."""
    check_target(document, state.harbor_version, target)
    problems: list[str] = []
    source = document.source

    registry_steps: list[Step] = []
    unchanged: list[Step] = []
    notes: list[str] = []
    for name, wanted in sorted(document.registries.items()):
        current = state.registries.get(name)
        registry_id = state.registry_ids.get(name)
        if current is None:
            registry_steps.append(Step("create", "registry", name, None, wanted))
            continue
        if current.type != wanted.type:
            problems.append(
                f"{source}: registries.{name}.type: Harbor cannot change a registry's type "
                f"({current.type} -> {wanted.type}); delete it or give the new one another name"
            )
            continue
        changes = _changes(current.fields(), wanted.fields())
        has_secret = wanted.credential is not None and bool(wanted.credential.access_secret)
        credential_changed = any(change.field == "credential" for change in changes)
        send_secret = has_secret and (force_secrets or credential_changed)
        if has_secret and force_secrets:
            changes += (Change("credential.access_secret", HIDDEN_SECRET, "(sent)"),)
        elif has_secret and not send_secret:
            notes.append(
                f"registries.{name}: a changed secret cannot be seen (Harbor masks it); "
                f"--force-secrets sends it anyway"
            )
        step = Step(
            "update" if changes else "unchanged", "registry", name, registry_id, wanted, changes
        )
        step = replace(step, send_secret=send_secret)
        (registry_steps if changes else unchanged).append(step)

    owned_registries = document.owned_registries
    owned_policies = document.owned_policies
    policy_deletes = _deletes(
        "policy", state.policies, document.policies, owned_policies, state.policy_ids
    )
    registry_deletes = _deletes(
        "registry", state.registries, document.registries, owned_registries, state.registry_ids
    )
    not_pruned: list[Step] = []
    if not prune:  # shown, not done
        not_pruned = policy_deletes + registry_deletes
        policy_deletes, registry_deletes = [], []

    deleted_registries = {step.name for step in registry_deletes}
    known_registries = (set(state.registries) | set(document.registries)) - deleted_registries
    policy_steps: list[Step] = []
    for name, policy in sorted(document.policies.items()):
        for side in ("src_registry", "dest_registry"):
            registry = getattr(policy, side)
            if registry != LOCAL and registry not in known_registries:
                problems.append(
                    f"{source}: policies.{name}.{side}: no registry named {registry!r} in the "
                    f"document or on {target}"
                    + (" (the plan deletes it)" if registry in deleted_registries else "")
                )
        policy_now = state.policies.get(name)
        if policy_now is None:
            policy_steps.append(Step("create", "policy", name, None, policy))
            continue
        changes = _changes(policy_now.fields(), policy.fields())
        step = Step(
            "update" if changes else "unchanged",
            "policy",
            name,
            state.policy_ids.get(name),
            policy,
            changes,
        )
        (policy_steps if changes else unchanged).append(step)

    # A registry still used after the apply cannot be deleted: Harbor would refuse.
    deleted_policies = {step.name for step in policy_deletes}
    remaining = {
        name: spec
        for name, spec in state.policies.items()
        if name not in deleted_policies and name not in document.policies
    } | document.policies
    for step in registry_deletes:
        users = sorted(
            name
            for name, spec in remaining.items()
            if step.name in (spec.src_registry, spec.dest_registry)
        )
        if users:
            problems.append(
                f"{source}: registries.{step.name}: pruning it is refused, policies still use "
                f"it: {', '.join(users)}"
            )
    if problems:
        raise DocumentError(problems)
    steps = (
        [s for s in registry_steps if s.action == "create"]
        + [s for s in registry_steps if s.action == "update"]
        + policy_deletes
        + policy_steps
        + registry_deletes
    )
    return Plan(
        target,
        state.harbor_version,
        tuple(steps),
        tuple(unchanged),
        tuple(not_pruned),
        tuple(notes),
        dict(state.registry_ids),
    )


def _deletes(
    kind: Kind,
    current: Mapping[str, RegistrySpec | PolicySpec],
    wanted: Mapping[str, object],
    owned: Selector | None,
    ids: Mapping[str, int],
) -> list[Step]:
    """Deletes of owned objects the document leaves out; nothing without a selector."""
    if owned is None:
        return []
    return [
        Step("delete", kind, name, ids.get(name), spec)
        for name, spec in sorted(current.items())
        if name not in wanted and owned.owns(name)
    ]


def everything_owned(document: Document) -> Document:
    """The document owning every name: what ``diff`` compares a second Harbor with."""
    return replace(document, owned_registries=EVERY_NAME, owned_policies=EVERY_NAME)


# --- request bodies ----------------------------------------------------------------------------


def registry_create_body(spec: RegistrySpec, secret: str | None) -> dict[str, Any]:
    """The body of the registry's POST; ``secret`` is the resolved ``${...}``."""
    return {"name": spec.name, **registry_data(spec, secret or "")}


def registry_update_body(step: Step, secret: str | None) -> dict[str, Any]:
    """The registry PUT: Harbor changes only the fields sent, so the changed ones are sent."""
    spec = step.spec
    assert isinstance(spec, RegistrySpec)
    changed = {change.field for change in step.changes}
    body: dict[str, Any] = {
        key: getattr(spec, key)
        for key in ("url", "description", "insecure", "ca_certificate")
        if key in changed
    }
    if "credential" in changed or step.send_secret:
        credential = spec.credential
        body["credential_type"] = credential.type if credential else "basic"
        body["access_key"] = credential.access_key if credential else ""
        body["access_secret"] = secret or "" if credential else ""
    return body


def _registry_ref(name: str, registry_ids: Mapping[str, int]) -> dict[str, int] | None:
    return None if name == LOCAL else {"id": registry_ids[name]}


def policy_fields(spec: PolicySpec, registry_ids: Mapping[str, int]) -> dict[str, Any]:
    """Every field of a policy as Harbor takes it (``deletion`` is the one it reads:
    docs/harbor-behaviour.md §11); this Harbor's side is ``None``, left out (§12)."""
    trigger: dict[str, Any] = {"type": spec.trigger}
    if spec.trigger == "scheduled":
        trigger["trigger_settings"] = {"cron": spec.cron}
    return {
        "name": spec.name,
        "description": spec.description,
        "src_registry": _registry_ref(spec.src_registry, registry_ids),
        "dest_registry": _registry_ref(spec.dest_registry, registry_ids),
        "dest_namespace": spec.dest_namespace,
        "dest_namespace_replace_count": spec.dest_namespace_replace_count,
        "filters": [item.to_data() for item in spec.filters],
        "trigger": trigger,
        "override": spec.override,
        "replicate_deletion": spec.replicate_deletion,
        "deletion": spec.replicate_deletion,
        "speed": spec.speed,
        "copy_by_chunk": spec.copy_by_chunk,
        "single_active_replication": spec.single_active_replication,
        "enabled": spec.enabled,
    }


def policy_create_body(spec: PolicySpec, registry_ids: Mapping[str, int]) -> dict[str, Any]:
    """The body of the policy's POST; this Harbor's side is left out, as Harbor expects."""
    fields = policy_fields(spec, registry_ids)
    return {key: value for key, value in fields.items() if value is not None}


def policy_update_body(
    current: ReplicationPolicy, spec: PolicySpec, registry_ids: Mapping[str, int]
) -> dict[str, Any]:
    """The whole policy for its PUT: the one just read with the document's fields set, so
    nothing Harbor holds and the document does not name is reset (Harbor's PUT replaces the
    policy whole: docs/harbor-behaviour.md §10)."""
    body = current.to_dict()
    for key in ("creation_time", "update_time", "id"):
        body.pop(key, None)
    for key, value in policy_fields(spec, registry_ids).items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


# --- creates whose outcome is unknown -----------------------------------------------------------

CREATE_ATTEMPTS = 4


def create_may_have_happened(error: HarborError) -> bool:
    """Whether a failed POST may still have created the object, so it is looked up by name
    before being sent again: no answer, a garbled one, a 409 (the name is taken, maybe by
    the first attempt), or a proxy's or Harbor's 5xx/429."""
    if isinstance(error, HarborConnectionError | HarborTimeoutError | HarborResponseError):
        return True
    if isinstance(error, HarborAPIError):
        return error.status_code in (409, 429) or error.status_code >= 500
    return False


def id_named(found: Iterable[Registry | ReplicationPolicy], name: str) -> int | None:
    """The id of the object called exactly ``name`` in a listing (its ``q`` may match more)."""
    for item in found:
        if item.name == name and isinstance(item.id, int):
            return item.id
    return None
