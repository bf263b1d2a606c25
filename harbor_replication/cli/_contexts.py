"""Named contexts: several Harbors in one config file, each with where its secret comes from.

The file is YAML, in the user's config directory (platformdirs) unless ``--config`` or
``HARBOR_REPLICATION_CONFIG`` says otherwise. It never holds a secret: a context names an
environment variable, a command that prints the secret, or the system keyring. Like ssh, a
file that group or others may read is refused.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from harbor_replication.cli._session import Session, pass_session, usage_error

KEYRING_SERVICE = "harbor-replication"
CONFIG_ENV = "HARBOR_REPLICATION_CONFIG"


@dataclass(frozen=True, slots=True)
class Context:
    """One Harbor: where it is, who signs in, and where the secret comes from."""

    name: str
    url: str
    username: str | None = None
    ca_cert: str | None = None
    insecure: bool = False
    secret_env: str | None = None
    secret_command: str | None = None
    keyring: bool = False

    def secret_source(self) -> str:
        if self.secret_env:
            return f"${self.secret_env}"
        if self.secret_command:
            return f"command: {self.secret_command}"
        return "keyring" if self.keyring else "-"

    def secret(self) -> str | None:
        """The secret from its source; None when the context names none."""
        if self.secret_env:
            value = os.environ.get(self.secret_env)
            if not value:
                raise usage_error(
                    f"context {self.name!r}: environment variable {self.secret_env} is not set"
                )
            return value
        if self.secret_command:
            return _run_secret_command(self.name, self.secret_command)
        if self.keyring:
            import keyring

            value = keyring.get_password(KEYRING_SERVICE, self.name)
            if value is None:
                raise usage_error(
                    f"context {self.name!r}: no secret in the keyring (service "
                    f"{KEYRING_SERVICE!r}); run context add {self.name} again with --keyring"
                )
            return value
        return None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"url": self.url}
        for key in ("username", "ca_cert", "secret_env", "secret_command"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.insecure:
            data["insecure"] = True
        if self.keyring:
            data["keyring"] = True
        return data


def _run_secret_command(name: str, command: str) -> str:
    try:
        result = subprocess.run(
            shlex.split(command), capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise usage_error(f"context {name!r}: secret_command failed: {exc}") from exc
    if result.returncode != 0:
        raise usage_error(
            f"context {name!r}: secret_command exited with status {result.returncode}"
        )
    secret = result.stdout.rstrip("\r\n")
    if not secret:
        raise usage_error(f"context {name!r}: secret_command printed nothing")
    return secret


@dataclass
class Config:
    """The config file's content: the contexts and the one ``context use`` chose."""

    path: Path
    contexts: dict[str, Context] = field(default_factory=dict)
    current: str | None = None

    def get(self, name: str) -> Context:
        try:
            return self.contexts[name]
        except KeyError:
            known = ", ".join(sorted(self.contexts)) or "none"
            raise usage_error(f"no context {name!r} in {self.path} (known: {known})") from None

    def save(self) -> None:
        """Write the file readable by its owner only, replacing it at once."""
        import yaml

        data: dict[str, Any] = {}
        if self.current:
            data["current"] = self.current
        data["contexts"] = {name: c.to_data() for name, c in sorted(self.contexts.items())}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(self.path.name + ".new")
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            yaml.safe_dump(data, file, sort_keys=False)
        os.chmod(staging, 0o600)
        os.replace(staging, self.path)


def config_path(explicit: str | None) -> Path:
    """``--config``, else ``HARBOR_REPLICATION_CONFIG``, else the user's config directory."""
    if explicit:
        return Path(explicit)
    import platformdirs

    return platformdirs.user_config_path("harbor-replication") / "config.yaml"


_CONTEXT_KEYS = frozenset(
    {"url", "username", "ca_cert", "insecure", "secret_env", "secret_command", "keyring"}
)


def load_config(path: Path) -> Config:
    """The config at ``path`` (empty when there is none); refused when others may read it."""
    if not path.exists():
        return Config(path)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise usage_error(
                f"permissions {mode:04o} for {path} are too open: it must not be readable "
                f"by group or others (chmod 600 {path})"
            )
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise usage_error(f"{path}: cannot read the config: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("contexts", {}), dict):
        raise usage_error(f"{path}: expected a mapping with contexts:")
    contexts: dict[str, Context] = {}
    for name, body in data.get("contexts", {}).items():
        if not isinstance(body, dict) or not isinstance(body.get("url"), str):
            raise usage_error(f"{path}: contexts.{name}: expected a mapping with url:")
        unknown = sorted(set(body) - _CONTEXT_KEYS)
        if unknown:
            raise usage_error(f"{path}: contexts.{name}: unknown field(s) {', '.join(unknown)}")
        contexts[str(name)] = Context(name=str(name), **body)
    current = data.get("current")
    return Config(path, contexts, current if isinstance(current, str) else None)


def session_config(session: Session) -> Config:
    return load_config(config_path(session.config))


def _secret_to_keep(owner: str) -> str:
    """Asked for on a terminal; else the first line of stdin (``pass show x | ... --keyring``)."""
    import sys

    from harbor_replication.cli._input import prompt_secret

    if sys.stdin.isatty():
        return prompt_secret(owner, None, "")
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise usage_error(f"no secret for {owner!r} on stdin to keep in the keyring")
    return secret


@click.group()
def context() -> None:
    """Named Harbors (url, user, where the secret comes from) in the config file."""


@context.command("add")
@click.argument("name")
@click.option("--url", required=True, help="Harbor's address")
@click.option("--username", help="user or robot name")
@click.option("--secret-env", metavar="VAR", help="read the secret from this environment variable")
@click.option("--secret-command", metavar="CMD", help="run CMD; its output is the secret")
@click.option(
    "--keyring",
    "use_keyring",
    is_flag=True,
    help="keep the secret in the system keyring (asked for now, or read from stdin)",
)
@click.option("--ca-cert", type=click.Path(exists=True, dir_okay=False), help="CA bundle")
@click.option("--insecure", is_flag=True, help="do not verify Harbor's TLS certificate")
@click.option("--use", "make_current", is_flag=True, help="make it the current context")
@pass_session
def add_context(
    session: Session,
    name: str,
    url: str,
    username: str | None,
    secret_env: str | None,
    secret_command: str | None,
    use_keyring: bool,
    ca_cert: str | None,
    insecure: bool,
    make_current: bool,
) -> None:
    """Add (or replace) the context NAME; the secret itself is never written to the file."""
    sources = [s for s in (secret_env, secret_command, use_keyring) if s]
    if len(sources) > 1:
        raise usage_error("give one of --secret-env, --secret-command and --keyring")
    if sources and not username:
        raise usage_error("a secret needs --username")
    config = session_config(session)
    if use_keyring:
        import keyring

        keyring.set_password(KEYRING_SERVICE, name, _secret_to_keep(username or name))
    config.contexts[name] = Context(
        name,
        url,
        username,
        str(Path(ca_cert).resolve()) if ca_cert else None,
        insecure,
        secret_env,
        secret_command,
        use_keyring,
    )
    if make_current or config.current is None:
        config.current = name
    config.save()
    click.echo(f"context {name!r} saved in {config.path}", err=True)


@context.command("list")
@pass_session
def list_contexts(session: Session) -> None:
    """The contexts; the current one is marked with *."""
    from rich.table import Table

    from harbor_replication.cli._output import emit_data, show

    config = session_config(session)
    if session.machine_output:
        emit_data(
            session,
            {
                "current": config.current,
                "contexts": {name: c.to_data() for name, c in sorted(config.contexts.items())},
            },
        )
        return
    table = Table("", "NAME", "URL", "USERNAME", "SECRET FROM", box=None)
    for name, item in sorted(config.contexts.items()):
        mark = "*" if name == config.current else ""
        table.add_row(mark, name, item.url, item.username or "-", item.secret_source())
    show(table)


@context.command("use")
@click.argument("name")
@pass_session
def use_context(session: Session, name: str) -> None:
    """Make NAME the context used when --context is not given."""
    config = session_config(session)
    config.get(name)
    config.current = name
    config.save()
    click.echo(f"using context {name!r}", err=True)


@context.command("remove")
@click.argument("name")
@pass_session
def remove_context(session: Session, name: str) -> None:
    """Remove the context NAME (and its keyring secret)."""
    config = session_config(session)
    removed = config.get(name)
    del config.contexts[name]
    if config.current == name:
        config.current = None
    if removed.keyring:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # already gone
            keyring.delete_password(KEYRING_SERVICE, name)
    config.save()
    click.echo(f"context {name!r} removed", err=True)
