"""The root command: global options, and the subcommands hung under it."""

from __future__ import annotations

import click

from harbor_replication import __version__
from harbor_replication.cli._ascode import apply, diff, export, plan
from harbor_replication.cli._contexts import context
from harbor_replication.cli._executions import executions, log, start, stop, tasks
from harbor_replication.cli._exporter import exporter
from harbor_replication.cli._operations import (
    disable_policies,
    enable_policies,
    report,
    retry_failed,
)
from harbor_replication.cli._policies import policies
from harbor_replication.cli._registries import registries
from harbor_replication.cli._session import ExitStatus, RootGroup, Session, usage_error
from harbor_replication.cli._simulate import simulate

__all__ = ["ExitStatus", "cli", "main"]

OUTPUT_FORMAT = click.Choice(["table", "json", "yaml"], case_sensitive=False)

EPILOG = """\b
Exit status:
    0  succeeded (or, after --wait, the execution succeeded)
    1  the execution failed (log --follow: the task failed)
    2  the execution was stopped (log --follow: the task was stopped); plan: changes
       pending; diff: the Harbors differ
    3  timed out waiting (start/stop --timeout); the execution goes on
    4  usage or input error, found before sending (bad option, unreadable or invalid
       file, missing secret without a terminal, declined confirmation)
    5  API or connection error, Harbor's own 400 included (Harbor's message and
       request id on stderr)
    6  the execution was skipped: its policy allows one active run and another
       was running (Harbor records it as failed; nothing was replicated)
  130  interrupted (Ctrl-C); an execution started or being stopped goes on

\b
A Failed execution is reported only once it has stayed failed for --settle seconds
(default 130): Harbor's job service retries a failed task up to twice, after up to 74 s
and then up to 118 s, and such an execution can still end Succeed. A real failure is
therefore reported up to 130 s later; --settle 0 reports the first Failed read.

\b
Example:
  export HARBOR_URL=https://harbor.example.com HARBOR_USERNAME=admin HARBOR_SECRET=...
  harbor-replication policies list --fuzzy name=prod
  harbor-replication start 3 --wait
"""


@click.group(
    cls=RootGroup,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option("--url", envvar="HARBOR_URL", show_envvar=True, help="Harbor's address")
@click.option("--username", envvar="HARBOR_USERNAME", show_envvar=True, help="user or robot name")
@click.option(
    "--secret",
    envvar="HARBOR_SECRET",
    show_envvar=True,
    help="password or robot secret; asked for on a terminal when left out, never printed",
)
@click.option(
    "--ca-cert",
    type=click.Path(exists=True, dir_okay=False),
    help="CA bundle to verify Harbor's certificate with",
)
@click.option("--insecure", is_flag=True, help="do not verify Harbor's TLS certificate")
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FORMAT,
    default="table",
    show_default=True,
    help="json and yaml print whole models and nothing else on stdout (also accepted after "
    "the command)",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    envvar="HARBOR_TIMEOUT",
    show_envvar=True,
    metavar="SECONDS",
    help="how long to wait for each HTTP answer (default: 10 to connect, 30 to read); "
    "start/stop --timeout is the overall wait",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    envvar="HARBOR_RETRIES",
    show_envvar=True,
    metavar="N",
    help="retries after a connection failure, timeout, 429, 502, 503 or 504 (default 3; "
    "a start is retried only if it never left this machine)",
)
@click.option(
    "--context",
    "contexts",
    multiple=True,
    envvar="HARBOR_CONTEXT",
    show_envvar=True,
    metavar="NAME",
    help="the Harbor of this config context (export, plan, apply, diff take several)",
)
@click.option(
    "--config",
    envvar="HARBOR_REPLICATION_CONFIG",
    show_envvar=True,
    type=click.Path(dir_okay=False),
    help="the contexts file (default: config.yaml in the user's config directory)",
)
@click.option("--debug", is_flag=True, help="log HTTP requests; tracebacks on errors")
@click.version_option(__version__, "-V", "--version", prog_name="harbor-replication")
@click.pass_context
def cli(
    ctx: click.Context,
    url: str | None,
    username: str | None,
    secret: str | None,
    ca_cert: str | None,
    insecure: bool,
    output: str,
    timeout: float | None,
    retries: int | None,
    contexts: tuple[str, ...],
    config: str | None,
    debug: bool,
) -> None:
    """Harbor replication from a terminal: policies, executions, tasks, logs, registries."""
    if ca_cert and insecure:
        raise usage_error("--ca-cert and --insecure contradict each other")
    if debug:
        import logging

        logging.basicConfig(format="%(name)s: %(message)s")
        # The library logs each request (credentials redacted) and its answer's request id.
        logging.getLogger("harbor_replication").setLevel(logging.DEBUG)
    verify: bool | str = ca_cert or not insecure
    given = frozenset(
        name
        for name in ("url", "username", "secret")
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    )
    ctx.obj = Session(
        url,
        username or None,
        secret,
        verify,
        output,
        debug,
        timeout,
        retries,
        contexts=contexts,
        config=config,
        given_on_command_line=given,
    )


def _output_after_the_command(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> None:
    if value is not None:
        ctx.find_object(Session).output = value  # type: ignore[union-attr]


def accept_output_option(command: click.Command) -> None:
    """Lets ``-o/--output`` follow ``command`` (and the commands under it) too."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            accept_output_option(subcommand)
        return
    command.params.append(
        click.Option(
            ["-o", "--output"],
            type=OUTPUT_FORMAT,
            expose_value=False,
            callback=_output_after_the_command,
            help="as the global -o/--output",
        )
    )


for command in (policies, executions, start, stop, tasks, log, registries, simulate, exporter):
    cli.add_command(command)
    if command is not simulate:  # it hands its options on to the simulator's own parser
        accept_output_option(command)
# Replication as code and contexts; export's -o is its output file, as the issue asks.
for command in (export, plan, apply, diff, context):
    cli.add_command(command)
    if command is not export:
        accept_output_option(command)
# Operations (docs/operations.md): retry-failed, report, policies enable/disable; stop --all.
# report has an -o of its own (markdown too).
cli.add_command(report)
for command in (retry_failed, enable_policies, disable_policies):
    (policies if command is not retry_failed else cli).add_command(command)
    accept_output_option(command)


def main() -> None:
    """The console script ``harbor-replication``."""
    cli.main(prog_name="harbor-replication")
