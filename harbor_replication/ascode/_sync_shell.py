"""Replication as code with the blocking client.

Generated from ``_async_shell.py`` by ``python -m openapi.unasync``: do not edit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from harbor_replication._bounded import map_bounded
from harbor_replication._errors import HarborError, NotFoundError
from harbor_replication._responses import location_id
from harbor_replication._sync_client import ReplicationClient
from harbor_replication.ascode._document import (
    Document,
    PolicySpec,
    RegistrySpec,
    resolve_secrets,
)
from harbor_replication.ascode._plan import (
    CREATE_ATTEMPTS,
    LISTING_PAGE_SIZE,
    HarborState,
    Plan,
    Step,
    create_may_have_happened,
    export_document,
    harbor_state,
    id_named,
    make_plan,
    policy_create_body,
    policy_update_body,
    registry_create_body,
    registry_update_body,
)

DEFAULT_CONCURRENCY = 8
StepHook = Callable[[Step], object]


def read_state(harbor: ReplicationClient) -> HarborState:
    """Harbor's version and every registry and policy: one listing pass, pages of 100."""
    version = harbor.get_harbor_version()
    registries = harbor.get_registries(page_size=LISTING_PAGE_SIZE)
    policies = harbor.get_replication_policies(page_size=LISTING_PAGE_SIZE)
    return harbor_state(version, registries, policies)


def export(harbor: ReplicationClient) -> Document:
    """Every registry and policy of ``harbor`` as a document."""
    return export_document(read_state(harbor), source=harbor.url)


def plan(
    harbor: ReplicationClient,
    document: Document,
    *,
    prune: bool = False,
    force_secrets: bool = False,
    target: str | None = None,
) -> Plan:
    """The steps that make ``harbor`` match ``document`` (nothing is changed).

    Deletes are planned only for what ``document`` owns, and only with ``prune``;
    ``force_secrets`` sends every registry secret again, since a changed one cannot be seen.
    """
    state = read_state(harbor)
    name = target or harbor.url
    return make_plan(document, state, prune=prune, force_secrets=force_secrets, target=name)


def apply(
    harbor: ReplicationClient,
    document: Document,
    steps: Plan,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    environ: Mapping[str, str] | None = None,
    on_step: StepHook | None = None,
) -> None:
    """Carry out ``steps`` (planned from ``document``) in their order, ``on_step`` after each.

    Steps of one phase run ``concurrency`` at a time. A create whose answer was lost is
    looked up by name before it is sent again, so it never makes a duplicate; an update
    reads the policy and writes it back whole with the document's fields. The secrets the
    steps send are read from ``environ`` (default ``os.environ``) before anything is sent.
    """
    environ = os.environ if environ is None else environ
    secrets = resolve_secrets(document, environ, steps.secrets_needed())
    registry_ids = dict(steps.registry_ids)

    def run(step: Step) -> None:
        _apply_step(harbor, step, secrets, registry_ids)
        if on_step is not None:
            on_step(step)

    for phase_steps in steps.phases():
        # Drained for its effect: a failure cancels the phase's other steps and is raised.
        for _ in map_bounded(run, phase_steps, concurrency):
            pass


def _apply_step(
    harbor: ReplicationClient,
    step: Step,
    secrets: Mapping[str, str],
    registry_ids: dict[str, int],
) -> None:
    spec = step.spec
    if step.action == "delete":
        assert step.id is not None
        try:
            if step.kind == "policy":
                harbor.delete_replication_policy(step.id)
            else:
                harbor.delete_registry(step.id)
        except NotFoundError:
            pass  # gone already: an earlier, interrupted run deleted it
    elif isinstance(spec, RegistrySpec):
        secret = secrets.get(step.name)
        if step.action == "create":
            body = registry_create_body(spec, secret)
            registry_ids[step.name] = _create(
                lambda: harbor.create_registry(body), lambda: _find_registry(harbor, step.name)
            )
        else:
            assert step.id is not None
            harbor.update_registry(step.id, registry_update_body(step, secret))
    elif isinstance(spec, PolicySpec):
        if step.action == "create":
            policy = policy_create_body(spec, registry_ids)
            _create(
                lambda: harbor.create_replication_policy(policy),
                lambda: _find_policy(harbor, step.name),
            )
        else:
            assert step.id is not None
            current = harbor.get_replication_policy(step.id)
            harbor.update_replication_policy(
                step.id, policy_update_body(current, spec, registry_ids)
            )


def _create(send: Callable[[], str], find: Callable[[], int | None]) -> int:
    """Send a create; after a failure that may hide a success, look for the name first."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return location_id(send())
        except HarborError as error:
            if not create_may_have_happened(error):
                raise
            found = find()
            if found is not None:
                return found
            if attempt == CREATE_ATTEMPTS:
                raise
    raise AssertionError("the loop returns or raises")


def _find_registry(harbor: ReplicationClient, name: str) -> int | None:
    return id_named(harbor.get_registries(query={"name": name}), name)


def _find_policy(harbor: ReplicationClient, name: str) -> int | None:
    return id_named(harbor.get_replication_policies(query={"name": name}), name)
