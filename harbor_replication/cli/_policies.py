"""``harbor-replication policies ...``: list, show, create, update and delete policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, TypeVar

import click

from harbor_replication._constants import TRIGGER_TYPES
from harbor_replication.cli._input import confirm_deletion, read_mapping, without_read_only
from harbor_replication.cli._listing import paging_options, query_options, with_options
from harbor_replication.cli._output import (
    Column,
    Record,
    changed_fields,
    details,
    emit,
    emit_list,
    report,
    table,
)
from harbor_replication.cli._session import (
    CommandError,
    ExitStatus,
    Session,
    api_error_line,
    pass_session,
    usage_error,
)

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
# Set by Harbor; `policies show -o yaml` writes them, create and update leave them out.
READ_ONLY_FIELDS = ("id", "creation_time", "update_time")


def _side(registry: Record | None) -> str:
    if not registry or not registry.get("id"):
        return "this Harbor"
    return f"{registry.get('name') or '?'} (#{registry['id']})"


def _trigger(record: Record) -> str:
    trigger = record.get("trigger") or {}
    cron = (trigger.get("trigger_settings") or {}).get("cron")
    return f"{trigger.get('type', '-')} {cron}" if cron else str(trigger.get("type", "-"))


def _filters(record: Record) -> str:
    parts = []
    for flt in record.get("filters") or []:
        value = flt.get("value")
        shown = ",".join(value) if isinstance(value, list) else value
        sep = "!=" if flt.get("decoration") == "excludes" else "="
        parts.append(f"{flt.get('type')}{sep}{shown}")
    return " ".join(parts)


COLUMNS: list[Column] = [
    ("ID", lambda r: r.get("id")),
    ("NAME", lambda r: r.get("name")),
    ("ENABLED", lambda r: r.get("enabled")),
    ("SOURCE", lambda r: _side(r.get("src_registry"))),
    ("DESTINATION", lambda r: _side(r.get("dest_registry"))),
    ("DEST NAMESPACE", lambda r: r.get("dest_namespace")),
    ("TRIGGER", _trigger),
    ("FILTERS", _filters),
]


@click.group()
def policies() -> None:
    """Replication policies: what to copy, where, when."""


@policies.command("list")
@query_options
@paging_options
@pass_session
def list_policies(
    session: Session,
    q: str | None,
    sort: str | None,
    limit: int | None,
    page_size: int,
) -> None:
    """List policies, newest first unless --sort says otherwise.

    Keys that filter: name, description, creator, enabled, override, trigger,
    dest_namespace, src_registry_id, dest_registry_id, creation_time, update_time.
    Harbor ignores unknown keys (and then returns everything).
    """
    found = session.client().get_replication_policies(
        q, sort=sort, page_size=page_size, limit=limit
    )
    emit_list(session, found, lambda: table(COLUMNS, (p.to_dict() for p in found)), "policies")


@policies.command("show")
@click.argument("policy_id", type=click.IntRange(min=1))
@pass_session
def show_policy(session: Session, policy_id: int) -> None:
    """Show every field of one policy."""
    policy = session.client().get_replication_policy(policy_id)
    emit(session, policy, lambda: details(policy.to_dict()))


def _parse_filter(given: str) -> dict[str, Any]:
    kind, sep, value = given.partition("=")
    decoration = "matches"
    if kind.endswith("!"):
        kind, decoration = kind[:-1], "excludes"
    if not sep or not kind or not value:
        raise click.BadParameter(f"expected TYPE=VALUE or TYPE!=VALUE, got {given!r}")
    flt: dict[str, Any] = {"type": kind, "value": value}
    if kind == "label":
        flt["value"] = value.split(",")
    if kind in ("tag", "label"):
        flt["decoration"] = decoration
    elif decoration == "excludes":
        raise click.BadParameter(f"only tag and label filters can exclude, got {given!r}")
    return flt


def policy_options(function: F) -> F:
    """The flags for the common policy fields, shared by create and update."""
    return with_options(
        function,
        click.option(
            "-f",
            "--file",
            type=click.File("r"),
            help="a YAML or JSON policy (- for stdin); the flags below override it",
        ),
        click.option("--name"),
        click.option("--description"),
        click.option(
            "--src-registry", type=click.IntRange(min=0), metavar="ID", help="pull from it"
        ),
        click.option(
            "--dest-registry", type=click.IntRange(min=0), metavar="ID", help="push to it"
        ),
        click.option("--dest-namespace", metavar="NAME"),
        click.option(
            "--dest-namespace-replace-count",
            type=click.IntRange(min=-1),
            metavar="N",
            help="leading path components to replace (-1: legacy, the default)",
        ),
        click.option(
            "--filter",
            "filters",
            multiple=True,
            metavar="TYPE=VALUE",
            help="name=library/**, tag=v*, tag!=*-rc*, label=a,b, resource=image (repeatable; "
            "replaces the filters)",
        ),
        click.option("--clear-filters", is_flag=True, help="remove all filters"),
        click.option("--trigger", type=click.Choice(TRIGGER_TYPES)),
        click.option("--cron", help="six fields, seconds first, e.g. '0 0 2 * * *' (scheduled)"),
        click.option("--enabled/--disabled", default=None),
        click.option("--override/--no-override", default=None, help="overwrite existing tags"),
        click.option("--replicate-deletion/--no-replicate-deletion", default=None),
        click.option("--speed", type=click.IntRange(min=-1), help="KB/s, -1 for unlimited"),
        click.option("--single-active/--no-single-active", default=None),
        click.option("--copy-by-chunk/--no-copy-by-chunk", default=None),
    )


def _fields(file: IO[str] | None, flags: dict[str, Any]) -> dict[str, Any]:
    """The policy fields the user gave: the file's, overridden by the flags."""
    fields = without_read_only(read_mapping(file), READ_ONLY_FIELDS)
    for key in ("name", "description", "dest_namespace", "dest_namespace_replace_count"):
        if flags[key] is not None:
            fields[key] = flags[key]
    for flag, key in (
        ("enabled", "enabled"),
        ("override", "override"),
        ("speed", "speed"),
        ("single_active", "single_active_replication"),
        ("copy_by_chunk", "copy_by_chunk"),
    ):
        if flags[flag] is not None:
            fields[key] = flags[flag]
    if flags["src_registry"] is not None:
        fields["src_registry"] = {"id": flags["src_registry"]}
    if flags["dest_registry"] is not None:
        fields["dest_registry"] = {"id": flags["dest_registry"]}
    if flags["clear_filters"]:
        fields["filters"] = []
    if flags["filters"]:
        fields["filters"] = [_parse_filter(given) for given in flags["filters"]]
    trigger, cron = flags["trigger"], flags["cron"]
    if cron is not None and trigger not in (None, "scheduled"):
        raise click.BadParameter("--cron needs the scheduled trigger", param_hint="--cron")
    if cron is not None:
        fields["trigger"] = {"type": "scheduled", "trigger_settings": {"cron": cron}}
    elif trigger is not None:
        fields["trigger"] = {"type": trigger}
    # Harbor reads only the deprecated `deletion` on writes (SEMANTICS 11): one given sets
    # both, as an update merges it over a policy holding both. Two that disagree are sent
    # as they are, for the library to refuse.
    if flags["replicate_deletion"] is not None:
        fields["replicate_deletion"] = fields["deletion"] = flags["replicate_deletion"]
    elif ("deletion" in fields) != ("replicate_deletion" in fields):
        value = fields.get("replicate_deletion", fields.get("deletion"))
        fields["replicate_deletion"] = fields["deletion"] = value
    return fields


def _registry_id(side: Any) -> Any:
    return side.get("id") if isinstance(side, dict) else None


def _one_side_hint(policy: Record, flags: dict[str, Any]) -> str:
    """Why Harbor refuses a policy with a registry on both sides, and what to pass instead."""
    if not (_registry_id(policy.get("src_registry")) and _registry_id(policy.get("dest_registry"))):
        return ""
    if flags["dest_registry"] and flags["src_registry"] is None:
        return "; a policy pulls or pushes, not both: add --src-registry 0 to make it push"
    if flags["src_registry"] and flags["dest_registry"] is None:
        return "; a policy pulls or pushes, not both: add --dest-registry 0 to make it pull"
    return "; a policy pulls or pushes, not both: set src_registry or dest_registry to 0"


def _write(policy: Record, flags: dict[str, Any], send: Callable[[], T]) -> T:
    """``send()``, with a hint added to Harbor's refusal of a two-sided policy."""
    from harbor_replication import BadRequestError

    try:
        return send()
    except BadRequestError as exc:
        hint = _one_side_hint(policy, flags)
        if not hint:
            raise
        raise CommandError(api_error_line(exc) + hint, ExitStatus.API) from exc


@policies.command("create")
@policy_options
@pass_session
def create_policy(session: Session, /, file: IO[str] | None, **flags: Any) -> None:
    """Create a policy from a file (-f) and/or flags; exactly one side is a registry.

    The policy is enabled unless the file or --disabled says otherwise (Harbor's API
    would otherwise create it disabled).
    """
    from harbor_replication import location_id

    fields = {"enabled": True, **_fields(file, flags)}
    if not fields.get("name"):
        raise usage_error("a policy needs a name: --name or name: in the file")
    client = session.client()
    location = _write(fields, flags, lambda: client.create_replication_policy(fields))
    policy_id = location_id(location)
    report(
        session,
        lambda: client.get_replication_policy(policy_id),
        f"Created policy {policy_id} ({fields['name']}).",
    )


@policies.command("update")
@click.argument("policy_id", type=click.IntRange(min=1))
@policy_options
@pass_session
def update_policy(session: Session, /, policy_id: int, file: IO[str] | None, **flags: Any) -> None:
    """Change the given fields of a policy and keep the rest.

    Harbor replaces a policy whole on update, so this reads it, changes what is given
    and writes it all back.
    """
    changes = _fields(file, flags)
    if not changes and file is None:
        raise usage_error("nothing to change: give -f or at least one field flag")
    client = session.client()
    before = client.get_replication_policy(policy_id).to_dict()
    if changes:
        policy = {**before, **changes}
        _write(policy, flags, lambda: client.update_replication_policy(policy_id, policy))
    after = client.get_replication_policy(policy_id)
    changed = changed_fields(before, after.to_dict())
    message = (
        f"Updated policy {policy_id}: {', '.join(changed)}."
        if changed
        else f"Policy {policy_id}: nothing to change."
    )
    report(session, lambda: after, message)


@policies.command("delete")
@click.argument("policy_id", type=click.IntRange(min=1))
@click.option("-y", "--yes", is_flag=True, help="do not ask for confirmation")
@pass_session
def delete_policy(session: Session, policy_id: int, yes: bool) -> None:
    """Delete a policy and its executions (Harbor refuses while one is running)."""
    client = session.client()
    policy = client.get_replication_policy(policy_id)
    what = f"policy {policy_id} ({policy.name}) and its executions"
    confirm_deletion(what, yes)
    client.delete_replication_policy(policy_id)
    report(session, lambda: policy, f"Deleted policy {policy_id} ({policy.name}).")
