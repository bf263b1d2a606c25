"""The root command: global options, and the subcommands hung under it."""

from __future__ import annotations

import click

from harbor_replication import __version__
from harbor_replication.cli._executions import executions, log, start, stop, tasks
from harbor_replication.cli._exporter import exporter
from harbor_replication.cli._policies import policies
from harbor_replication.cli._registries import registries
from harbor_replication.cli._session import ExitStatus, RootGroup, Session, usage_error
from harbor_replication.cli._simulate import simulate

__all__ = ["ExitStatus", "cli", "main"]

EPILOG = """\b
Exit status:
    0  succeeded (or, after --wait, the execution succeeded)
    1  the execution failed
    2  the execution was stopped
    3  timed out waiting (--timeout); the execution goes on
    4  usage or input error, found before sending (bad option, unreadable or invalid
       file, missing secret without a terminal, declined confirmation)
    5  API or connection error, Harbor's own 400 included (Harbor's message and
       request id on stderr)
  130  interrupted (Ctrl-C) while waiting; the execution goes on

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
    type=click.Choice(["table", "json", "yaml"]),
    default="table",
    show_default=True,
    help="json and yaml print whole models and nothing else on stdout",
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
    ctx.obj = Session(url, username or None, secret, verify, output, debug)


for command in (policies, executions, start, stop, tasks, log, registries, simulate, exporter):
    cli.add_command(command)


def main() -> None:
    """The console script ``harbor-replication``."""
    cli.main(prog_name="harbor-replication")
