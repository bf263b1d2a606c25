"""``python -m harbor_replication.cli``: the same as the ``harbor-replication`` command."""

from harbor_replication.cli import main

main()
