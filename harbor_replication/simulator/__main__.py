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
    try:
        serve(config_from_args(args), args.host, args.port)
    except (ValueError, OSError) as exc:  # an option's value, the seed file, a busy port
        parser.exit(2, f"{parser.prog}: error: {exc}\n")


if __name__ == "__main__":
    main()
