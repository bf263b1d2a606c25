"""What every command shares: the global options, the client, and how failures end."""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from enum import IntEnum
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from harbor_replication import (
        AsyncReplicationClient,
        FieldTypeError,
        HarborAPIError,
        ReplicationClient,
    )

ClientT = TypeVar("ClientT", "ReplicationClient", "AsyncReplicationClient")


class ExitStatus(IntEnum):
    """The exit statuses of ``harbor-replication``.

    The waiting commands end with ``SUCCEEDED``, ``FAILED``, ``STOPPED``, ``TIMED_OUT`` or
    ``SKIPPED`` (a single-active policy's run that Harbor skipped because another was
    running; ``log --follow`` with the task's outcome); every command ends with
    ``INTERRUPTED`` (the shell's 128 + SIGINT) on Ctrl-C. ``plan`` and ``diff`` end with
    ``CHANGES`` when a Harbor does not match (the same number as ``STOPPED``: each command
    documents its own).
    """

    SUCCEEDED = 0
    FAILED = 1
    STOPPED = 2
    CHANGES = 2
    TIMED_OUT = 3
    USAGE = 4
    API = 5
    SKIPPED = 6
    INTERRUPTED = 130


def _set_exit_code(exc: click.ClickException, status: int) -> None:
    # Click declares exit_code a class variable; here it varies per failure.
    setattr(exc, "exit_code", status)  # noqa: B010


class CommandError(click.ClickException):
    """A failure reported on one line of stderr, ending the command with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = ExitStatus.API) -> None:
        super().__init__(message)
        _set_exit_code(self, exit_code)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"harbor-replication: error: {self.format_message()}", err=True)


def usage_error(message: str) -> CommandError:
    """Input refused before anything is sent (exit 4), once the options have been parsed."""
    return CommandError(message, ExitStatus.USAGE)


@dataclass(frozen=True)
class Target:
    """One Harbor to talk to: from the global options, a context, or both (options win)."""

    name: str
    url: str
    username: str | None
    secret: str | None = field(repr=False)
    verify: bool | str


@dataclass
class Session:
    """The global options of one invocation; the client is made on first use."""

    url: str | None
    username: str | None
    secret: str | None = field(repr=False)
    verify: bool | str
    output: str
    debug: bool
    # Seconds for each HTTP answer, and retries after a transient failure; None: the library's.
    timeout: float | None = None
    retries: int | None = None
    # --context (or HARBOR_CONTEXT) names, --config, and the connection options given on the
    # command line (those may not be spread over several contexts).
    contexts: tuple[str, ...] = ()
    config: str | None = None
    given_on_command_line: frozenset[str] = frozenset()
    _client: ReplicationClient | None = field(init=False, default=None, repr=False)

    @property
    def machine_output(self) -> bool:
        """True for ``--output json|yaml``: stdout holds nothing but the data."""
        return self.output != "table"

    def targets(self) -> list[Target]:
        """The Harbors this invocation names: one per ``--context``, else one from the
        options (filled in from the current context, if any). Options and ``HARBOR_*``
        variables win over a single context; with several, each uses its own."""
        from harbor_replication.cli._contexts import config_path, load_config
        from harbor_replication.cli._input import prompt_secret

        names = self.contexts
        if not names and not self.url:
            current = load_config(config_path(self.config)).current
            names = (current,) if current else ()
        if not names:
            if not self.url:
                raise usage_error(
                    "no Harbor URL: pass --url, set HARBOR_URL, or use --context NAME"
                )
            secret = self.secret
            if self.username:
                secret = prompt_secret(self.username, secret, "pass --secret or set HARBOR_SECRET")
            return [Target(self.url, self.url, self.username, secret, self.verify)]
        several = len(names) > 1
        if several and self.given_on_command_line:
            options = ", ".join(f"--{name}" for name in sorted(self.given_on_command_line))
            raise usage_error(f"{options} cannot apply to several contexts at once")
        config = load_config(config_path(self.config))
        targets = []
        for name in dict.fromkeys(names):
            context = config.get(name)
            url = context.url if several else self.url or context.url
            username = context.username if several else self.username or context.username
            secret = None if several else self.secret
            if secret is None and username:
                secret = context.secret()
            if username:
                how = f"set the secret source of context {name!r}"
                secret = prompt_secret(username, secret, how)
            verify: bool | str = context.ca_cert or not context.insecure
            if not several and self.verify is not True:
                verify = self.verify
            targets.append(Target(name, url, username, secret, verify))
        return targets

    def client_options(self) -> dict[str, Any]:
        """The keywords ``--timeout`` and ``--retries`` give every client."""
        options: dict[str, Any] = {}
        if self.timeout is not None:
            options["timeout"] = self.timeout
        if self.retries is not None:
            options["max_retries"] = self.retries
        return options

    def client(self) -> ReplicationClient:
        if self._client is None:
            from harbor_replication import ReplicationClient

            client = self._connect(ReplicationClient)
            click.get_current_context().call_on_close(client.close)
            self._client = client
        return self._client

    def async_client(self) -> AsyncReplicationClient:
        """A new asyncio client on the same options; the caller closes it."""
        from harbor_replication import AsyncReplicationClient

        return self._connect(AsyncReplicationClient)

    def _connect(self, cls: type[ClientT]) -> ClientT:
        from harbor_replication import CleartextCredentialsWarning

        targets = self.targets()
        if len(targets) > 1:
            raise usage_error("this command works on one Harbor: give one --context")
        target = targets[0]
        self.url = target.url  # a context's: what a connection error names
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CleartextCredentialsWarning)
            try:
                client = cls(
                    target.url,
                    username=target.username,
                    secret=target.secret,
                    verify=target.verify,
                    **self.client_options(),
                )
            except ValueError as exc:
                raise usage_error(option_words(str(exc))) from exc
        for warning in caught:
            click.echo(f"harbor-replication: warning: {warning.message}", err=True)
        return client


pass_session = click.make_pass_decorator(Session)

# The library's messages name its keyword arguments; the command's user knows the options.
_KEYWORD = re.compile(r"\b(url|username|secret)=")


def option_words(message: str) -> str:
    """A library message with ``username=`` and the like spelled as the options."""
    return _KEYWORD.sub(lambda match: f"--{match[1]}", message)


def api_error_line(exc: HarborAPIError) -> str:
    """What failed, Harbor's answer and its request id, for a refused request."""
    action = exc.operation.replace("_", " ")
    return f"cannot {action} ({exc.method} {exc.path}): {exc.outcome}"


def command_error(exc: Exception, session: Session | None) -> CommandError | None:
    """The one-line error for an exception a command let through; None for a bug."""
    from harbor_replication import (
        FieldTypeError,
        HarborAPIError,
        HarborConnectionError,
        HarborError,
        QueryError,
        UnauthorizedError,
        WaitTimeoutError,
    )

    url = session.url if session else None
    if isinstance(exc, UnauthorizedError) and session and not session.username:
        # Without a username requests go out anonymously, so the 401 is no wrong password.
        return CommandError(
            f"{api_error_line(exc)}; no username given: pass --username or set HARBOR_USERNAME",
            ExitStatus.API,
        )
    if isinstance(exc, UnauthorizedError):
        return CommandError(
            f"{api_error_line(exc)}; check the credentials: --username and --secret "
            "(or HARBOR_USERNAME and HARBOR_SECRET)",
            ExitStatus.API,
        )

    if isinstance(exc, WaitTimeoutError):
        return CommandError(str(exc), ExitStatus.TIMED_OUT)
    if isinstance(exc, QueryError):
        return CommandError(f"invalid query: {exc}", ExitStatus.USAGE)
    if isinstance(exc, HarborAPIError):
        return CommandError(api_error_line(exc), ExitStatus.API)
    if isinstance(exc, HarborConnectionError):
        return CommandError(f"cannot reach Harbor at {url}: {exc}", ExitStatus.API)
    if isinstance(exc, HarborError):
        return CommandError(str(exc), ExitStatus.API)
    if isinstance(exc, FieldTypeError):
        return CommandError(f"{exc}{_yaml_hint(exc)}", ExitStatus.USAGE)
    if isinstance(exc, ValueError):
        return CommandError(option_words(str(exc)), ExitStatus.USAGE)
    return None


def _yaml_hint(exc: FieldTypeError) -> str:
    """What to change in a YAML file whose value YAML read as another type."""
    if "str" in exc.expected and isinstance(exc.value, bool | int | float | dt.date):
        return "; YAML reads yes/no/on/off, numbers and dates as such: quote the value"
    if isinstance(exc.value, str) and {"bool", "int"} & set(exc.expected):
        return "; write the value without quotes"
    return ""


def interrupted(message: str = "interrupted") -> click.exceptions.Exit:
    """Ends the command after Ctrl-C: one line on stderr, exit status 130."""
    click.echo(f"\nharbor-replication: {message}", err=True)
    return click.exceptions.Exit(ExitStatus.INTERRUPTED)


def by_ctrl_c(abort: click.Abort) -> bool:
    """Whether a prompt ended by Ctrl-C (Click turns it into Abort, keeping the context)."""
    return isinstance(abort.__context__, KeyboardInterrupt)


class RootGroup(click.Group):
    """Turns failures into one line and the documented exit statuses."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _set_exit_code(exc, ExitStatus.USAGE)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _set_exit_code(exc, ExitStatus.USAGE)
            raise
        except KeyboardInterrupt:
            raise interrupted() from None
        except click.Abort as exc:
            if by_ctrl_c(exc):
                raise interrupted() from None
            raise
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:
            session = ctx.find_object(Session)
            error = command_error(exc, session)
            if error is None:
                raise
            if session is not None and session.debug:
                traceback.print_exception(exc, file=sys.stderr)
            raise error from exc
