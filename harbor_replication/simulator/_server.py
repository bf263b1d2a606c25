"""Running the simulator: in a background thread for tests, or in the foreground for the CLI."""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType
from typing import TextIO

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from ._app import API_PREFIX, create_app
from ._config import SimulatorConfig
from ._faults import FaultConfig, FaultInjector, parse_faults, tracking_protocol
from ._state import SimulatorState

# SIGINT and SIGTERM end the foreground simulator
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it every response waits for the client's delayed ACK (about 40 ms)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _base_url(sock: socket.socket, config: SimulatorConfig) -> str:
    host, port = sock.getsockname()[:2]
    scheme = "http" if config.tls_certfile is None else "https"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def _uvicorn_config(app: Starlette, config: SimulatorConfig) -> uvicorn.Config:
    """How uvicorn serves ``app``: quietly, over TLS if configured, resets possible."""
    faults: FaultInjector = app.state.faults
    return uvicorn.Config(
        app,
        # uvicorn's default protocol ("auto") filing each connection's transport for resets;
        # subclassing it ties the simulator to uvicorn's versions pinned in pyproject.toml
        http=tracking_protocol(AutoHTTPProtocol, faults),
        lifespan="off",
        log_level="warning",
        access_log=False,
        # The client address must stay the peer's: resets look the connection up by it.
        proxy_headers=False,
        ssl_certfile=config.tls_certfile,
        ssl_keyfile=config.tls_keyfile,
    )


def _serve_in_thread(server: uvicorn.Server, sock: socket.socket) -> threading.Thread:
    """Run ``server`` on ``sock`` in a daemon thread; return once it serves."""
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="harbor-simulator", daemon=True
    )
    thread.start()
    # uvicorn offers no event to wait on, only its public ``started`` flag
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the simulator failed to start")
        time.sleep(0.005)
    return thread


class HarborSimulator:
    """A simulated Harbor on a loopback port, served from a background thread.

    >>> with HarborSimulator(SimulatorConfig(task_duration=0.05)) as harbor:
    ...     harbor.url, harbor.api_url, harbor.state, harbor.faults
    """

    def __init__(
        self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config or SimulatorConfig()
        self.state = SimulatorState(self.config)
        self.app = create_app(self.config, self.state)
        self._host = host
        self._port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (https with TLS), what a user types (no ``/api/v2.0``)."""
        if self._socket is None:
            raise RuntimeError("the simulator is not running")
        return _base_url(self._socket, self.config)

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    @property
    def faults(self) -> FaultInjector:
        """The faults injected from now on: ``faults.set(rate=0.2, seed=1)``, ``clear()``."""
        injector: FaultInjector = self.app.state.faults
        return injector

    def start(self) -> None:
        self._socket = _listen(self._host, self._port)
        self._server = uvicorn.Server(_uvicorn_config(self.app, self.config))
        self._thread = _serve_in_thread(self._server, self._socket)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = None

    def __enter__(self) -> HarborSimulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's command-line options (shared by ``harbor-replication simulate``)."""
    defaults = SimulatorConfig()
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument(
        "--task-duration",
        type=float,
        default=defaults.task_duration,
        metavar="SECONDS",
        help="how long each replication task runs (default %(default)s)",
    )
    parser.add_argument(
        "--task-concurrency",
        type=int,
        default=defaults.task_concurrency,
        help="tasks of one execution that run at once (default %(default)s)",
    )
    parser.add_argument(
        "--executions-retained",
        type=int,
        default=defaults.executions_retained_per_policy,
        help="executions kept per policy, as Harbor's sweeper (default %(default)s)",
    )
    parser.add_argument(
        "--retry-backoff-scale",
        type=float,
        default=defaults.retry_backoff_scale,
        metavar="FACTOR",
        help="multiplies Harbor's backoff before it retries a failed copy, 16 s to two "
        "minutes (default %(default)s: real time)",
    )
    parser.add_argument(
        "--retry-seed",
        type=int,
        default=defaults.retry_seed,
        help="repeatable random part of the retry backoff",
    )
    parser.add_argument("--seed", type=Path, default=defaults.seed, help="JSON or YAML seed file")
    parser.add_argument(
        "--harbor-version",
        default=defaults.harbor_version,
        metavar="VERSION",
        help="Harbor version to behave as, v2.11.x to v2.15.x (default %(default)s)",
    )
    parser.add_argument("--admin-username", default=defaults.admin_username)
    parser.add_argument("--admin-password", default=defaults.admin_password)
    faults = parser.add_argument_group("fault injection")
    faults.add_argument(
        "--latency-ms",
        type=float,
        default=defaults.faults.latency * 1000,
        help="added to every request (default %(default)s)",
    )
    faults.add_argument(
        "--fault-rate",
        type=float,
        default=defaults.faults.rate,
        metavar="P",
        help="probability from 0 to 1 that a request gets a fault (default %(default)s)",
    )
    faults.add_argument(
        "--faults",
        default=",".join(defaults.faults.kinds),
        metavar="KINDS",
        help="comma-separated faults to draw from: 503, 502, 504, 429, 413, reset-before, "
        "reset-after, truncated, stall; or all (default: all but 413)",
    )
    faults.add_argument(
        "--fault-seed", type=int, default=defaults.faults.seed, help="repeatable fault draws"
    )
    faults.add_argument(
        "--retry-after",
        default=defaults.faults.retry_after,
        metavar="VALUE",
        help="Retry-After of 503 and 429 answers (default %(default)s)",
    )
    faults.add_argument(
        "--stall-seconds",
        type=float,
        default=defaults.faults.stall,
        help="how long a stalled answer is held back if the client waits (default %(default)s)",
    )
    tls = parser.add_argument_group("HTTPS")
    tls.add_argument(
        "--tls-cert", type=Path, default=defaults.tls_certfile, help="PEM certificate (chain)"
    )
    tls.add_argument("--tls-key", type=Path, default=defaults.tls_keyfile, help="PEM private key")


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    return SimulatorConfig(
        admin_username=args.admin_username,
        admin_password=args.admin_password,
        task_duration=args.task_duration,
        task_concurrency=args.task_concurrency,
        executions_retained_per_policy=args.executions_retained,
        seed=args.seed,
        retry_backoff_scale=args.retry_backoff_scale,
        retry_seed=args.retry_seed,
        harbor_version=args.harbor_version,
        faults=FaultConfig(
            latency=args.latency_ms / 1000,
            rate=args.fault_rate,
            kinds=parse_faults(args.faults),
            seed=args.fault_seed,
            retry_after=args.retry_after,
            stall=args.stall_seconds,
        ),
        tls_certfile=args.tls_cert,
        tls_keyfile=args.tls_key,
    )


def serve(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0, out: TextIO | None = None
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM; announce the URL on one line first.

    The process then ends quietly, with status 0: a command-line tool that was asked to stop
    has done nothing wrong. uvicorn's own handlers would re-raise the signal after the
    shutdown; it installs them only in the main thread, so it serves from another one here.
    """
    server = uvicorn.Server(_uvicorn_config(create_app(config), config))

    def stop(signum: int, frame: FrameType | None) -> None:
        server.force_exit = server.should_exit  # a second signal cuts open connections off
        server.should_exit = True

    sock = _listen(host, port)
    previous = {sig: signal.signal(sig, stop) for sig in _STOP_SIGNALS}
    try:
        thread = _serve_in_thread(server, sock)
        url = _base_url(sock, config)
        print(f"Harbor simulator listening on {url}", file=out or sys.stdout, flush=True)
        thread.join()
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
