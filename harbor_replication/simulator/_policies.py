"""The simulated Harbor's replication policies: reading a body, Harbor's checks, changes,
listing and JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._errors import ErrorReply
from ._executions import Executions
from ._model import Policy
from ._query import Condition, Sort, select
from ._resources import POLICIES, omit_empty
from ._validation import REPOSITORY_NAME, validate_cron, validate_filter

_NEWEST_FIRST = (Sort("creation_time", True),)


class Policies(Executions):
    """Replication policies."""

    def _policy_from_body(self, body: Mapping[str, Any], policy_id: int, creator: str) -> Policy:
        """Read a policy body as Harbor does: every absent field is its zero value."""
        trigger = body.get("trigger") or {}
        settings = trigger.get("trigger_settings") or {}
        now = self.clock()
        policy = Policy(
            id=policy_id,
            creator=creator,
            src_registry_id=int((body.get("src_registry") or {}).get("id") or 0),
            dest_registry_id=int((body.get("dest_registry") or {}).get("id") or 0),
            trigger_type=trigger.get("type") or "",
            cron=settings.get("cron") or "",
            filters=[_filter(f) for f in body.get("filters") or []],
            replicate_deletion=bool(body.get("deletion")),  # replicate_deletion is ignored
            creation_time=now,
            update_time=now,
            has_trigger=body.get("trigger") is not None,
            has_trigger_settings=trigger.get("trigger_settings") is not None,
            **POLICIES.read(body, self.config.has_v2_15_fields),
        )
        self._validate_policy(policy)
        return policy

    def _validate_policy(self, policy: Policy) -> None:
        """Harbor's checks, in its order: the handler's, the policy's own, then the registries."""
        if policy.single_active_replication and policy.trigger_type == "event_based":
            # a plain Go error in the handler: 500 (docs/harbor-behaviour.md §12)
            raise ErrorReply(
                500, "single active replication is not allowed for event_based triggers"
            )
        if not policy.name:
            raise ErrorReply(400, "empty name")
        src, dest = policy.src_registry_id, policy.dest_registry_id
        if (src != 0) == (dest != 0):
            raise ErrorReply(
                400,
                "either src_registry or dest_registry should be empty and "
                "the other one shouldn't be empty",
            )
        for flt in policy.filters:
            validate_filter(flt)
        if policy.dest_namespace and not REPOSITORY_NAME.fullmatch(policy.dest_namespace):
            raise ErrorReply(400, f"invalid destination namespace: {policy.dest_namespace}")
        if policy.has_trigger:
            if policy.trigger_type == "scheduled":
                validate_cron(policy.cron)
            elif policy.trigger_type not in ("manual", "event_based"):
                raise ErrorReply(400, "invalid trigger type")
        for registry_id in (src, dest):
            if registry_id and registry_id not in self.registries:
                raise ErrorReply(404, f"registry {registry_id} not found")
        for other in self.policies.values():
            if other.name == policy.name and other.id != policy.id:
                raise ErrorReply(409, f"policy {policy.name} already exists")

    def create_policy(self, body: Mapping[str, Any], creator: str) -> int:
        with self.lock:
            policy = self._policy_from_body(body, 0, creator)
            policy.id = next(self._policy_ids)
            self.policies[policy.id] = policy
            self._changed()
            return policy.id

    def update_policy(self, policy_id: int, body: Mapping[str, Any]) -> None:
        with self.lock:
            # the body is validated before the policy is looked up, and the handler sets no
            # creator, which the ORM's update of every column clears (§12)
            policy = self._policy_from_body(body, policy_id, creator="")
            policy.creation_time = self._policy(policy_id).creation_time
            self.policies[policy_id] = policy
            self._changed()

    def delete_policy(self, policy_id: int) -> None:
        with self.lock:
            self.settle()
            self._policy(policy_id)
            if any(e.policy_id == policy_id for e in self._active.values()):
                raise ErrorReply(
                    412,
                    "contains executions that aren't in final status, stop the execution first",
                )
            for execution_id in [
                e.id for e in self.executions.values() if e.policy_id == policy_id
            ]:
                self._drop_execution(execution_id)
            del self.policies[policy_id]
            self._changed()

    def policy_json(self, policy_id: int) -> dict[str, Any]:
        with self.lock:
            return self._policy_json(self._policy(policy_id))

    def _policy_json(self, policy: Policy) -> dict[str, Any]:
        trigger: dict[str, Any] | None = None
        if policy.has_trigger:
            trigger = omit_empty({"type": policy.trigger_type})
            if policy.has_trigger_settings:
                trigger["trigger_settings"] = omit_empty({"cron": policy.cron})
        return POLICIES.render(
            policy,
            {
                "src_registry": self._registry_side(policy.src_registry_id),
                "dest_registry": self._registry_side(policy.dest_registry_id),
                "trigger": trigger,
                "filters": [_shown_filter(f) for f in policy.filters],
                "deletion": policy.replicate_deletion,
            },
            self.config.has_v2_15_fields,
        )

    def list_policies(
        self, keywords: Mapping[str, Condition], sorts: Sequence[Sort]
    ) -> list[dict[str, Any]]:
        with self.lock:
            records = [p.record() for p in self.policies.values()]
            chosen = select(records, POLICIES.columns, keywords, sorts, _NEWEST_FIRST)
            return [self._policy_json(self.policies[record["id"]]) for record in chosen]


def _shown_filter(flt: Mapping[str, Any]) -> dict[str, Any]:
    """A stored filter as Harbor shows it: its three fields, empty ones left out."""
    shown = {
        "type": flt.get("type"),
        "value": flt.get("value"),
        "decoration": flt.get("decoration"),
    }
    return {key: value for key, value in shown.items() if value is not None and value != ""}


def _filter(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):  # a null item; Harbor would dereference it and crash
        raise ErrorReply(400, "invalid filter type")
    return dict(item)
