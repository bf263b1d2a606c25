"""``harbor-replication simulate``: the embedded simulator, with its own options."""

from __future__ import annotations

import argparse
import errno
from typing import NoReturn

import click

from harbor_replication.cli._session import usage_error


class _ArgumentParser(argparse.ArgumentParser):
    """Reports bad options as a usage error, so they end with the documented status."""

    def error(self, message: str) -> NoReturn:
        raise click.UsageError(message)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.pass_context
def simulate(ctx: click.Context) -> None:
    """Serve a simulated Harbor (see: simulate --help).

    Takes the options of `python -m harbor_replication.simulator`; needs the
    `simulator` extra.
    """
    try:
        from harbor_replication.simulator import add_arguments, config_from_args, serve
    except ImportError as exc:
        raise click.UsageError(
            f"the simulator needs the simulator extra "
            f"(pip install 'harbor-replication[simulator]'): {exc}"
        ) from exc
    parser = _ArgumentParser(
        prog=ctx.command_path, description="Serve a simulated Harbor on a loopback port."
    )
    add_arguments(parser)
    args = parser.parse_args(ctx.args)
    try:
        config = config_from_args(args)
        serve(config, args.host, args.port)
    except ValueError as exc:  # an option's value or the seed file
        raise usage_error(str(exc)) from exc
    except OSError as exc:
        hint = "; pick another --port (0: a free one)" if exc.errno == errno.EADDRINUSE else ""
        raise usage_error(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}{hint}"
        ) from exc
