"""Replication as code with the asyncio client: read a Harbor, export, plan and apply.

This file is the source: ``_sync_shell.py`` is generated from it by
``python -m openapi.unasync``. Everything it decides comes from the pure planner in
``_plan.py``; this only moves requests.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping

from harbor_replication._async_client import AsyncReplicationClient
from harbor_replication._bounded import amap_bounded
from harbor_replication._errors import HarborError, NotFoundError
from harbor_replication._responses import location_id
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


async def read_state(harbor: AsyncReplicationClient) -> HarborState:
    """Harbor's version and every registry and policy: one listing pass, pages of 100."""
    version = await harbor.get_harbor_version()
    registries = await harbor.get_registries(page_size=LISTING_PAGE_SIZE)
    policies = await harbor.get_replication_policies(page_size=LISTING_PAGE_SIZE)
    return harbor_state(version, registries, policies)


async def export(harbor: AsyncReplicationClient) -> Document:
    """Every registry and policy of ``harbor`` as a document."""
    return export_document(await read_state(harbor), source=harbor.url)


async def plan(
    harbor: AsyncReplicationClient,
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
    state = await read_state(harbor)
    name = target or harbor.url
    return make_plan(document, state, prune=prune, force_secrets=force_secrets, target=name)


async def apply(
    harbor: AsyncReplicationClient,
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

    async def run(step: Step) -> None:
        await _apply_step(harbor, step, secrets, registry_ids)
        if on_step is not None:
            on_step(step)

    for phase_steps in steps.phases():
        # Drained for its effect: a failure cancels the phase's other steps and is raised.
        async for _ in amap_bounded(run, phase_steps, concurrency):
            pass


async def _apply_step(
    harbor: AsyncReplicationClient,
    step: Step,
    secrets: Mapping[str, str],
    registry_ids: dict[str, int],
) -> None:
    spec = step.spec
    if step.action == "delete":
        assert step.id is not None
        try:
            if step.kind == "policy":
                await harbor.delete_replication_policy(step.id)
            else:
                await harbor.delete_registry(step.id)
        except NotFoundError:
            pass  # gone already: an earlier, interrupted run deleted it
    elif isinstance(spec, RegistrySpec):
        secret = secrets.get(step.name)
        if step.action == "create":
            body = registry_create_body(spec, secret)
            registry_ids[step.name] = await _create(
                lambda: harbor.create_registry(body), lambda: _find_registry(harbor, step.name)
            )
        else:
            assert step.id is not None
            await harbor.update_registry(step.id, registry_update_body(step, secret))
    elif isinstance(spec, PolicySpec):
        if step.action == "create":
            policy = policy_create_body(spec, registry_ids)
            await _create(
                lambda: harbor.create_replication_policy(policy),
                lambda: _find_policy(harbor, step.name),
            )
        else:
            assert step.id is not None
            current = await harbor.get_replication_policy(step.id)
            await harbor.update_replication_policy(
                step.id, policy_update_body(current, spec, registry_ids)
            )


async def _create(
    send: Callable[[], Awaitable[str]], find: Callable[[], Awaitable[int | None]]
) -> int:
    """Send a create; after a failure that may hide a success, look for the name first."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return location_id(await send())
        except HarborError as error:
            if not create_may_have_happened(error):
                raise
            found = await find()
            if found is not None:
                return found
            if attempt == CREATE_ATTEMPTS:
                raise
    raise AssertionError("the loop returns or raises")


async def _find_registry(harbor: AsyncReplicationClient, name: str) -> int | None:
    return id_named(await harbor.get_registries(query={"name": name}), name)


async def _find_policy(harbor: AsyncReplicationClient, name: str) -> int | None:
    return id_named(await harbor.get_replication_policies(query={"name": name}), name)
