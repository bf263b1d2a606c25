"""Replication as code on the command line: export, plan, apply and diff, over one or
several Harbors (contexts) at once.

Each Harbor gets its own asyncio client and the Harbors are worked on concurrently; what
is decided comes from :mod:`harbor_replication.ascode`'s pure planner.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

import click

from harbor_replication.cli._session import (
    CommandError,
    ExitStatus,
    Session,
    Target,
    command_error,
    pass_session,
    usage_error,
)

if TYPE_CHECKING:
    from rich.text import Text

    from harbor_replication import AsyncReplicationClient
    from harbor_replication.ascode import Document, Plan, Step

T = TypeVar("T")

_SIGNS = {"create": ("+", "green"), "update": ("~", "yellow"), "delete": ("-", "red")}
_DONE = {"create": "created", "update": "updated", "delete": "deleted"}


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one Harbor's work gave: a result or the exception that ended it."""

    target: Target
    result: T | None = None
    error: Exception | None = None


def _for_each(
    session: Session,
    targets: Sequence[Target],
    work: Callable[[AsyncReplicationClient, Target], Awaitable[T]],
) -> list[Outcome[T]]:
    """Run ``work`` against every target at once, each with its own asyncio client."""
    from harbor_replication import AsyncReplicationClient

    options = session.client_options()

    async def one(target: Target) -> Outcome[T]:
        try:
            async with AsyncReplicationClient(
                target.url,
                username=target.username,
                secret=target.secret,
                verify=target.verify,
                **options,
            ) as harbor:
                return Outcome(target, await work(harbor, target))
        except Exception as error:
            return Outcome(target, error=error)

    async def every() -> list[Outcome[T]]:
        return list(await asyncio.gather(*(one(target) for target in targets)))

    return asyncio.run(every())


def _results(session: Session, outcomes: Sequence[Outcome[T]]) -> list[tuple[Target, T]]:
    """The results; a failure alone ends the command as usual, one of several is a line
    naming its Harbor, and the command then ends with the worst status."""
    failures = [outcome for outcome in outcomes if outcome.error is not None]
    worst = 0
    for outcome in failures:
        assert outcome.error is not None
        # Named with its own URL: a context's is not the session's.
        error = command_error(outcome.error, replace(session, url=outcome.target.url))
        if error is None:
            raise outcome.error
        if len(outcomes) == 1:
            raise error from outcome.error
        worst = max(worst, error.exit_code)
        click.echo(f"harbor-replication: error: {outcome.target.name}: {error.message}", err=True)
    if failures:
        raise click.exceptions.Exit(worst)
    return [(outcome.target, outcome.result) for outcome in outcomes]  # type: ignore[misc]


def _read_document(file: IO[str]) -> Document:
    from harbor_replication.ascode import load_document

    return load_document(file.read(), file.name)


# --- showing plans -------------------------------------------------------------------------


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_plan(plan: Plan, title: str, compared: tuple[str, str] | None = None) -> Text:
    """A plan for people: one line per step, + create, ~ update (with each field's values),
    - delete; with ``compared`` (``diff``), values are labelled with the two Harbors."""
    from rich.text import Text

    counts = plan.counts()
    out = Text()
    out.append(title, style="bold")
    out.append(
        f": {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete, {counts['unchanged']} unchanged\n"
    )
    for step in plan.steps:
        sign, colour = _SIGNS[step.action]
        out.append(f"  {sign} {step.kind} {step.name}\n", style=colour)
        for change in step.changes:
            out.append(f"      {change.field}: ")
            if compared is None:
                out.append(_value(change.before), style="red")
                out.append(" -> ")
                out.append(_value(change.after), style="green")
            else:
                out.append(f"{compared[0]} ", style="dim")
                out.append(_value(change.after), style="green")
                out.append(f", {compared[1]} ", style="dim")
                out.append(_value(change.before), style="red")
            out.append("\n")
    for step in plan.not_pruned:
        out.append(f"  (not deleted without --prune: {step.kind} {step.name})\n", style="dim")
    for note in plan.notes:
        out.append(f"  note: {note}\n", style="dim")
    if plan.in_sync:
        out.append("  in sync\n", style="green")
    out.rstrip()  # the console ends the line
    return out


def _show_plans(session: Session, plans: Sequence[tuple[Target, Plan]]) -> None:
    from harbor_replication.cli._output import emit_data, show

    if session.machine_output:
        data = [_plan_data(target, plan) for target, plan in plans]
        emit_data(session, data[0] if len(data) == 1 else data)
        return
    for target, plan in plans:
        show(render_plan(plan, f"{target.name} (Harbor {plan.harbor_version or 'unknown'})"))


def _plan_data(target: Target, plan: Plan) -> dict[str, Any]:
    return {"context": target.name, **plan.to_data()}


# --- commands ------------------------------------------------------------------------------

_file_option = click.option(
    "-f",
    "--file",
    "file",
    type=click.File("r"),
    required=True,
    help="the document (YAML or JSON; - for stdin)",
)
_prune_option = click.option(
    "--prune",
    is_flag=True,
    help="delete what the document owns (its owns: selector) but leaves out",
)
_force_secrets_option = click.option(
    "--force-secrets",
    is_flag=True,
    help="send every registry secret again (Harbor masks them, so a change cannot be seen)",
)


@click.command()
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False),
    help="write the document here instead of stdout; with several contexts, a name holding "
    "{context}",
)
@pass_session
def export(session: Session, output_file: str | None) -> None:
    """Write every registry and policy of a Harbor as a document (YAML; JSON with -o json
    before the command). Secrets are written as ${HARBOR_REGISTRY_<NAME>_SECRET}."""
    from harbor_replication.ascode import async_export

    targets = session.targets()
    if output_file and len(targets) > 1 and "{context}" not in output_file:
        raise usage_error("with several contexts, --output-file must hold {context}")

    async def work(harbor: AsyncReplicationClient, target: Target) -> Document:
        return await async_export(harbor)

    for target, document in _results(session, _for_each(session, targets, work)):
        text = _dump(session, document.to_data())
        if output_file:
            path = output_file.replace("{context}", target.name)
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            click.echo(f"{target.name}: wrote {path}", err=True)
        else:
            if len(targets) > 1:
                click.echo(f"# context: {target.name}")
            click.echo(text, nl=False)


def _dump(session: Session, data: dict[str, Any]) -> str:
    if session.output == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _plan_all(
    session: Session, document: Document, prune: bool, force_secrets: bool
) -> list[tuple[Target, Plan]]:
    from harbor_replication.ascode import async_plan

    async def work(harbor: AsyncReplicationClient, target: Target) -> Plan:
        return await async_plan(
            harbor, document, prune=prune, force_secrets=force_secrets, target=target.name
        )

    return _results(session, _for_each(session, session.targets(), work))


@click.command()
@_file_option
@_prune_option
@_force_secrets_option
@pass_session
def plan(session: Session, file: IO[str], prune: bool, force_secrets: bool) -> None:
    """Show what apply would change: + create, ~ update (each field, before -> after),
    - delete. Changes nothing. Exit 0 in sync, 2 changes pending, 4 input error, 5 API error.
    """
    document = _read_document(file)
    plans = _plan_all(session, document, prune, force_secrets)
    _show_plans(session, plans)
    if not all(p.in_sync for _, p in plans):
        raise click.exceptions.Exit(ExitStatus.CHANGES)


@click.command()
@_file_option
@_prune_option
@_force_secrets_option
@click.option("--yes", is_flag=True, help="apply without asking")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="requests of one kind sent at once to each Harbor",
)
@pass_session
def apply(
    session: Session,
    file: IO[str],
    prune: bool,
    force_secrets: bool,
    yes: bool,
    concurrency: int,
) -> None:
    """Make the Harbor(s) match the document: shows the plan, asks (unless --yes), then
    prints each step as it is done. Run it again after a failure: it picks up from there."""
    from harbor_replication.ascode import async_apply, resolve_secrets

    document = _read_document(file)
    plans = _plan_all(session, document, prune, force_secrets)
    _show_plans(session, plans)
    pending = [(target, p) for target, p in plans if not p.in_sync]
    if not pending:
        click.echo("nothing to apply", err=True)
        return
    # A missing variable ends it here, before any change.
    resolve_secrets(document, os.environ, set().union(*(p.secrets_needed() for _, p in pending)))
    if not yes:
        from harbor_replication.cli._input import confirm

        names = ", ".join(target.name for target, _ in pending)
        confirm(f"Apply these changes to {names}?", "nothing was changed")
    steps = {target.name: p for target, p in pending}
    several = len(pending) > 1

    def done(target: Target) -> Callable[[Step], None]:
        prefix = f"{target.name}: " if several else ""

        def say_done(step: Step) -> None:
            click.echo(f"{prefix}{_DONE[step.action]} {step.kind} {step.name}", err=True)

        return say_done

    async def work(harbor: AsyncReplicationClient, target: Target) -> int:
        await async_apply(
            harbor, document, steps[target.name], concurrency=concurrency, on_step=done(target)
        )
        return len(steps[target.name].steps)

    for target, count in _results(session, _for_each(session, [t for t, _ in pending], work)):
        click.echo(f"{target.name}: {count} change(s) applied", err=True)


@click.command()
@_force_secrets_option
@pass_session
def diff(session: Session, force_secrets: bool) -> None:
    """Compare the replication of two Harbors by name: --context A --context B.

    Lists what B lacks (+), holds differently (~, each field's value in A and in B) and has
    besides (-). Secrets are not compared (Harbor masks them). Exit 0 same, 2 different."""
    from harbor_replication.ascode import (
        async_read_state,
        everything_owned,
        export_document,
        make_plan,
    )

    targets = session.targets()
    if len(targets) != 2:
        raise usage_error("diff compares two Harbors: give --context A --context B")

    async def work(harbor: AsyncReplicationClient, target: Target) -> Any:
        return await async_read_state(harbor)

    (first, state_a), (second, state_b) = _results(session, _for_each(session, targets, work))
    wanted = everything_owned(export_document(state_a, source=first.name))
    try:
        changes = make_plan(wanted, state_b, prune=True, target=second.name)
    except ValueError as exc:
        raise CommandError(str(exc), ExitStatus.CHANGES) from exc
    changes = replace(changes, notes=("secrets are not compared (Harbor masks them)",))
    if session.machine_output:
        from harbor_replication.cli._output import emit_data

        emit_data(session, {"a": first.name, "b": second.name, **changes.to_data()})
    else:
        from harbor_replication.cli._output import show

        show(render_plan(changes, f"{first.name} -> {second.name}", (first.name, second.name)))
    if not changes.in_sync:
        raise click.exceptions.Exit(ExitStatus.CHANGES)
