"""``python -m harbor_replication.simulator``: serve a simulated Harbor."""

from __future__ import annotations

import argparse

from ._server import add_arguments, config_from_args, serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m harbor_replication.simulator",
        description="Serve a simulated Harbor replication API on a loopback port.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    serve(config_from_args(args), args.host, args.port)


if __name__ == "__main__":
    main()
