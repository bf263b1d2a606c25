"""``harbor-replication exporter``: serve replication health to Prometheus; print the
shipped alert rules and Grafana dashboard."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
from typing import TYPE_CHECKING

import click

from harbor_replication.cli._session import ExitStatus, Session, usage_error

if TYPE_CHECKING:
    from harbor_replication import AsyncReplicationClient

_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class Duration(click.ParamType[float]):
    """Seconds, or a number with ``s``, ``m``, ``h`` or ``d``: ``90``, ``15m``, ``6h``."""

    name = "DURATION"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        match = _DURATION.fullmatch(str(value).strip())
        if match is None or float(match[1]) <= 0:
            self.fail(f"{value!r} is not a duration like 90, 90s, 15m, 6h or 1d", param, ctx)
        return float(match[1]) * _UNIT_SECONDS[match[2]]


def parse_listen(text: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:9468`` for IPv6) as a host and a port."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise usage_error(f"--listen wants host:port, got {text!r}")
    return host.strip("[]") or "0.0.0.0", int(port)


@click.group(invoke_without_command=True)
@click.option(
    "--listen",
    default="127.0.0.1:9468",
    show_default=True,
    help="host:port to serve /metrics on (port 0: any free port, printed at start)",
)
@click.option(
    "--interval",
    type=Duration(),
    default="60s",
    show_default=True,
    help="time between refreshes from Harbor",
)
@click.option(
    "--refresh-timeout",
    type=Duration(),
    default=None,
    help="give a refresh up after this long  [default: the interval]",
)
@click.option(
    "--settle",
    type=click.FloatRange(min=0),
    default=None,
    # The number is harbor_replication._settle.DEFAULT_SETTLE, not imported here so that
    # --help stays light (a test keeps the two equal).
    help="seconds a Failed execution reads Retrying, as Harbor may still retry it  [default: 130]",
)
@click.pass_context
def exporter(
    ctx: click.Context,
    listen: str,
    interval: float,
    refresh_timeout: float | None,
    settle: float | None,
) -> None:
    """Serve replication health as Prometheus metrics on /metrics.

    Harbor is read every --interval in the background; a scrape is answered from the
    last reading, so it never waits on Harbor. Runs until Ctrl-C or SIGTERM. The
    subcommands print the alert rules and the Grafana dashboard to go with it
    (docs/monitoring.md).
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        raise usage_error(
            "the exporter needs prometheus-client: pip install 'harbor-replication[exporter]'"
        ) from None
    from harbor_replication._settle import DEFAULT_SETTLE

    host, port = parse_listen(listen)
    session = ctx.find_object(Session)
    assert session is not None
    client = session.async_client()
    _configure_logging(session.debug)
    try:
        settle = DEFAULT_SETTLE if settle is None else settle
        asyncio.run(_serve(client, host, port, interval, refresh_timeout, settle))
    except asyncio.CancelledError:  # SIGTERM: the way a service is told to stop
        click.echo("harbor-replication: exporter stopped", err=True)
    except KeyboardInterrupt:
        click.echo("harbor-replication: exporter stopped (interrupted)", err=True)
        ctx.exit(ExitStatus.INTERRUPTED)
    except OSError as exc:
        raise usage_error(f"cannot listen on {listen}: {exc.strerror or exc}") from exc


async def _serve(
    client: AsyncReplicationClient,
    host: str,
    port: int,
    interval: float,
    refresh_timeout: float | None,
    settle: float,
) -> None:
    from harbor_replication.exporter import ReplicationExporter

    async with client:
        exporter = ReplicationExporter(
            client, interval=interval, refresh_timeout=refresh_timeout, settle=settle
        )
        running = asyncio.current_task()
        assert running is not None
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, running.cancel)
        try:
            async with exporter.serve_http(host, port) as address:
                click.echo(
                    f"harbor-replication: serving {address}/metrics for {client.url}, "
                    f"refreshed every {interval:g} s",
                    err=True,
                )
                await exporter.run()
        finally:
            loop.remove_signal_handler(signal.SIGTERM)


def _configure_logging(debug: bool) -> None:
    # Refresh failures and recoveries go to stderr, one line each.
    logger = logging.getLogger("harbor_replication.exporter")
    if not debug:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("harbor-replication: %(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.INFO)


@exporter.command()
@click.option(
    "--no-success-for",
    type=Duration(),
    default="24h",
    show_default=True,
    help="alert when an enabled policy has not succeeded for this long",
)
def rules(no_success_for: float) -> None:
    """Print the Prometheus alert rules (a rules file for prometheus.yml's rule_files)."""
    from harbor_replication.exporter import alert_rules

    click.echo(alert_rules(no_success_for), nl=False)


@exporter.command()
def dashboard() -> None:
    """Print the Grafana dashboard (JSON to import; it asks for a Prometheus data source)."""
    from harbor_replication.exporter import dashboard as dashboard_json

    click.echo(dashboard_json(), nl=False)
