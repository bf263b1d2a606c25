"""``harbor-replication registries ...``: the registry endpoints policies copy from or to."""

from __future__ import annotations

from typing import IO, Any

import click

from harbor_replication._constants import SECRET_MASK
from harbor_replication.cli._input import (
    confirm_deletion,
    prompt_secret,
    read_mapping,
    without_read_only,
)
from harbor_replication.cli._listing import paging_options, query_options
from harbor_replication.cli._output import (
    Column,
    Record,
    changed_fields,
    details,
    emit,
    emit_data,
    emit_list,
    report,
    say,
    show,
    table,
)
from harbor_replication.cli._session import Session, pass_session, usage_error

COLUMNS: list[Column] = [
    ("ID", lambda r: r.get("id")),
    ("NAME", lambda r: r.get("name")),
    ("TYPE", lambda r: r.get("type")),
    ("URL", lambda r: r.get("url")),
    ("STATUS", lambda r: r.get("status")),
    ("DESCRIPTION", lambda r: r.get("description")),
]

registry_id_argument = click.argument("registry_id", type=click.IntRange(min=1))
# Set by Harbor; `registries show -o yaml` writes them, create and update leave them out.
READ_ONLY_FIELDS = ("id", "creation_time", "update_time", "status")
# The nested credential `show` writes, and the flat keys of an update, for the same fields.
FLAT_CREDENTIAL_KEYS = {
    "access_key": "access_key",
    "access_secret": "access_secret",
    "type": "credential_type",
}


@click.group()
def registries() -> None:
    """Registry endpoints that policies copy from or to."""


@registries.command("list")
@query_options
@paging_options
@pass_session
def list_registries(
    session: Session,
    q: str | None,
    sort: str | None,
    limit: int | None,
    page_size: int,
) -> None:
    """List registry endpoints (keys that filter: name, type, url, description, ...)."""
    found = session.client().get_registries(q, sort=sort, page_size=page_size, limit=limit)
    emit_list(session, found, lambda: table(COLUMNS, (r.to_dict() for r in found)), "registries")


@registries.command("show")
@registry_id_argument
@pass_session
def show_registry(session: Session, registry_id: int) -> None:
    """Show one registry endpoint (Harbor masks its secret)."""
    registry = session.client().get_registry(registry_id)
    emit(session, registry, lambda: details(registry.to_dict()))


def _flat_credential(fields: dict[str, Any], flags: dict[str, str | None]) -> dict[str, Any]:
    """Take the credential out of ``fields``, nested as ``show`` writes it or flat, as
    access_key, access_secret and credential_type; the flags given override the file."""
    nested = fields.pop("credential", None) or {}
    if not isinstance(nested, dict):
        raise usage_error(f"credential must be a mapping, got {nested!r}")
    unknown = sorted(set(nested) - set(FLAT_CREDENTIAL_KEYS))
    if unknown:
        raise usage_error(f"unknown credential field(s): {', '.join(unknown)}")
    credential: dict[str, Any] = {}
    for key, flat in FLAT_CREDENTIAL_KEYS.items():
        if flat in fields and key in nested and fields[flat] != nested[key]:
            raise usage_error(f"credential.{key} and {flat} disagree: give one of them")
        if flat in fields:
            credential[flat] = fields.pop(flat)
        elif key in nested:
            credential[flat] = nested[key]
    credential.update({key: value for key, value in flags.items() if value is not None})
    if credential.get("access_secret") == SECRET_MASK:
        raise usage_error(
            f"access_secret is {SECRET_MASK!r}, Harbor's mask in an exported file, not a secret: "
            "give the real one (--access-secret or access_secret in the file)"
        )
    return credential


access_key_option = click.option("--access-key", help="the user name or key Harbor signs in with")
# An access key is useless without its secret, except in an update, where Harbor keeps the
# stored secret.
NEEDED_SECRET = "--access-secret is needed with --access-key"
access_secret_option = click.option(
    "--access-secret",
    help="its secret; asked for on a terminal when --access-key comes without it, "
    "refused without a terminal (exit 4)",
)
credential_type_option = click.option(
    "--credential-type", metavar="TYPE", help="basic, oauth or secret (create: basic if not given)"
)
type_option = click.option("--type", "kind", metavar="TYPE", help="see `registries adapters`")
skip_tls_verify_option = click.option(
    "--skip-tls-verify", is_flag=True, help="Harbor does not check its certificate"
)


@registries.command("create")
@click.option("-f", "--file", type=click.File("r"), help="a YAML or JSON registry (- for stdin)")
@click.option("--name")
@type_option
@click.option("--url")
@click.option("--description")
@access_key_option
@access_secret_option
@credential_type_option
@skip_tls_verify_option
@pass_session
def create_registry(
    session: Session,
    file: IO[str] | None,
    name: str | None,
    kind: str | None,
    url: str | None,
    description: str | None,
    access_key: str | None,
    access_secret: str | None,
    credential_type: str | None,
    skip_tls_verify: bool,
) -> None:
    """Create a registry endpoint from a file (-f) and/or flags."""
    from harbor_replication import location_id

    fields = without_read_only(read_mapping(file), READ_ONLY_FIELDS)
    for key, value in (("name", name), ("type", kind), ("url", url), ("description", description)):
        if value is not None:
            fields[key] = value
    if skip_tls_verify:
        fields["insecure"] = True
    flags = {
        "access_key": access_key,
        "access_secret": access_secret,
        "credential_type": credential_type,
    }
    credential = _flat_credential(fields, flags)
    if credential.get("access_key"):
        credential["access_secret"] = prompt_secret(
            credential["access_key"],
            credential.get("access_secret") or None,
            f"{NEEDED_SECRET} (or access_secret in the file)",
        )
    if credential:
        fields["credential"] = {
            "type": credential.pop("credential_type", None) or "basic",
            **credential,
        }
    missing = [key for key in ("name", "type", "url") if not fields.get(key)]
    if missing:
        raise usage_error(f"a registry needs {', '.join(missing)} (flags or file)")
    client = session.client()
    registry_id = location_id(client.create_registry(fields))
    report(
        session,
        lambda: client.get_registry(registry_id),
        f"Created registry {registry_id} ({fields['name']}).",
    )


@registries.command("update")
@registry_id_argument
@click.option(
    "-f",
    "--file",
    type=click.File("r"),
    help="YAML or JSON with the fields to change (name, url, description, credential, "
    "insecure, ca_certificate), as `registries show -o yaml` writes them or with flat "
    "access_key, access_secret, credential_type; flags override it",
)
@click.option("--name")
@click.option("--url")
@click.option("--description")
@access_key_option
@click.option(
    "--access-secret",
    help="its new secret; left out, Harbor keeps the stored one (never asked for)",
)
@credential_type_option
@click.option(
    "--skip-tls-verify/--verify-tls",
    default=None,
    help="whether Harbor checks the registry's certificate",
)
@pass_session
def update_registry(
    session: Session,
    registry_id: int,
    file: IO[str] | None,
    name: str | None,
    url: str | None,
    description: str | None,
    access_key: str | None,
    access_secret: str | None,
    credential_type: str | None,
    skip_tls_verify: bool | None,
) -> None:
    """Change the given fields of a registry endpoint and keep the rest.

    Its type cannot change: Harbor keeps the type a registry was created with.
    """
    changes = without_read_only(read_mapping(file), READ_ONLY_FIELDS)
    kind = changes.pop("type", None)
    credential = _flat_credential(
        changes,
        {
            "access_key": access_key,
            "access_secret": access_secret,
            "credential_type": credential_type,
        },
    )
    flags = {"name": name, "url": url, "description": description, "insecure": skip_tls_verify}
    changes.update({key: value for key, value in flags.items() if value is not None})
    changes.update(credential)
    if not changes and kind is None and file is None:
        raise usage_error("nothing to change: give -f or at least one field flag")
    client = session.client()
    before = client.get_registry(registry_id).to_dict()
    if kind is not None and kind != before.get("type"):
        raise usage_error(
            f"the type of registry {registry_id} is {before.get('type')}, the file says "
            f"{kind}: Harbor keeps the type a registry was created with"
        )
    if changes:
        client.update_registry(registry_id, changes)
    after = client.get_registry(registry_id)
    changed = changed_fields(before, after.to_dict())
    if "access_secret" in changes and "credential" not in changed:
        changed.append("credential")  # Harbor shows its mask for the old and new secret alike
    message = (
        f"Updated registry {registry_id}: {', '.join(sorted(changed))}."
        if changed
        else f"Registry {registry_id}: nothing to change."
    )
    report(session, lambda: after, message)


def _filter_styles(record: Record) -> str:
    shown = []
    for style in record.get("supported_resource_filters") or []:
        values = style.get("values")
        choices = f": {', '.join(values)}" if values else ""
        shown.append(f"{style.get('type')} ({style.get('style')}{choices})")
    return "; ".join(shown)


@registries.command("info")
@registry_id_argument
@pass_session
def registry_info(session: Session, registry_id: int) -> None:
    """Show what a registry supports: the filters and triggers its policies may use."""
    info = session.client().get_registry_info(registry_id)
    record = info.to_dict()
    summary = {
        "type": record.get("type"),
        "description": record.get("description"),
        "filters": _filter_styles(record),
        "triggers": ", ".join(record.get("supported_triggers") or []),
        "copy by chunk": record.get("supported_copy_by_chunk"),
    }
    emit(session, info, lambda: details(summary))


def _endpoints(record: Record) -> str:
    pattern = record.get("endpoint_pattern") or {}
    return ", ".join(str(e.get("value")) for e in pattern.get("endpoints") or [])


def _credential(record: Record) -> str:
    pattern = record.get("credential_pattern") or {}
    kinds = (pattern.get("access_key_type"), pattern.get("access_secret_type"))
    return " / ".join(kind for kind in kinds if kind)


ADAPTER_COLUMNS: list[Column] = [
    ("TYPE", lambda r: r["type"]),
    ("ENDPOINTS", _endpoints),
    ("CREDENTIAL", _credential),
]


@registries.command("adapters")
@pass_session
def registry_adapters(session: Session) -> None:
    """List the registry types this Harbor can replicate with (for --type).

    json and yaml map each type to its endpoint and credential patterns ({} when it has none).
    """
    client = session.client()
    infos = client.get_registry_adapter_infos()
    patterns = {
        name: infos[name].to_dict() if name in infos else {}
        for name in client.get_registry_adapters()
    }
    if session.machine_output:
        emit_data(session, patterns)
    else:
        rows = ({"type": name, **pattern} for name, pattern in patterns.items())
        show(table(ADAPTER_COLUMNS, rows))


@registries.command("delete")
@registry_id_argument
@click.option("-y", "--yes", is_flag=True, help="do not ask for confirmation")
@pass_session
def delete_registry(session: Session, registry_id: int, yes: bool) -> None:
    """Delete a registry endpoint (Harbor refuses while a policy uses it)."""
    client = session.client()
    registry = client.get_registry(registry_id)
    confirm_deletion(f"registry {registry_id} ({registry.name})", yes)
    client.delete_registry(registry_id)
    report(session, lambda: registry, f"Deleted registry {registry_id} ({registry.name}).")


@registries.command("ping")
@click.argument("registry_id", type=click.IntRange(min=1), required=False)
@click.option("--url", help="try this endpoint instead of a saved one")
@type_option
@access_key_option
@access_secret_option
@skip_tls_verify_option
@pass_session
def ping_registry(
    session: Session,
    registry_id: int | None,
    url: str | None,
    kind: str | None,
    access_key: str | None,
    access_secret: str | None,
    skip_tls_verify: bool,
) -> None:
    """Check that Harbor reaches a registry: a saved one (REGISTRY_ID) or a new --url."""
    if (registry_id is None) == (url is None):
        raise usage_error("give either REGISTRY_ID or --url")
    target = {
        "id": registry_id,
        "url": url,
        "type": kind,
        "access_key": access_key,
        "access_secret": (
            prompt_secret(access_key, access_secret, NEEDED_SECRET) if access_key else access_secret
        ),
        "insecure": skip_tls_verify or None,
    }
    body = {key: value for key, value in target.items() if value is not None}
    session.client().ping_registry(body)
    shown = f"registry {registry_id}" if registry_id is not None else str(url)
    if session.machine_output:
        emit_data(session, {**{k: body[k] for k in ("id", "url") if k in body}, "reachable": True})
    else:
        say(session, f"Harbor reaches {shown}.")
