"""A module imported on first use, for the clients' import time.

The sans-I/O core pulls in the generated models, attrs and dateutil (about a third of what
``from harbor_replication import ReplicationClient`` would cost on top of httpx): the
clients reach it through :class:`LazyModule`, so that cost is paid by the first request
instead of by every program that merely imports the library.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any


class LazyModule:
    """Stands for the module ``name``, importing it when an attribute is first read."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        # After the first import this is a dictionary lookup; import_module holds the import
        # lock, so threads racing for the first use all get the module whole.
        module = sys.modules.get(self._name) or import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
