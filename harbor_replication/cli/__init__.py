"""The ``harbor-replication`` command: Harbor replication from a terminal.

Needs the ``cli`` extra: ``pip install harbor-replication[cli]``. Only Click is imported
up front; the client, rich and YAML are imported by the commands that use them, so
``harbor-replication --help`` answers at once.
"""

from harbor_replication.cli._app import ExitStatus, cli, main

__all__ = ["ExitStatus", "cli", "main"]
