"""Write the synchronous modules from their asyncio sources, so the twins cannot drift.

``harbor_replication/_async_client.py``, ``harbor_replication/ascode/_async_shell.py`` and
``harbor_replication/async_operations.py`` are sources; this rewrites their async constructs
into blocking twins (the approach of httpcore's unasync script) and formats the result.
``python -m openapi.unasync`` writes ``_sync_client.py``, ``ascode/_sync_shell.py`` and
``operations.py`` (:data:`PAIRS`); ``--check`` exits 1 when one is stale.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "harbor_replication" / "_async_client.py"
TARGET = ROOT / "harbor_replication" / "_sync_client.py"
ASCODE_SOURCE = ROOT / "harbor_replication" / "ascode" / "_async_shell.py"
ASCODE_TARGET = ROOT / "harbor_replication" / "ascode" / "_sync_shell.py"
OPERATIONS_SOURCE = ROOT / "harbor_replication" / "async_operations.py"
OPERATIONS_TARGET = ROOT / "harbor_replication" / "operations.py"
# Source, target, and the first line of the target's docstring.
PAIRS: list[tuple[Path, Path, str]] = [
    (SOURCE, TARGET, "The blocking client."),
    (ASCODE_SOURCE, ASCODE_TARGET, "Replication as code with the blocking client."),
    (
        OPERATIONS_SOURCE,
        OPERATIONS_TARGET,
        "Blocking operations: retry what failed, a failure digest, bulk changes.",
    ),
]

# Applied in order, on whole words.
REWRITES: list[tuple[str, str]] = [
    # Blocks that only an asyncio client needs (its event loop), between these markers.
    (r"(?s)^[ \t]*# async-only\{\n.*?^[ \t]*# \}async-only\n", ""),
    (r"^import asyncio\n", ""),
    (r"\basyncio\.sleep\b", "time.sleep"),
    (r"\bAsyncReplicationClient\b", "ReplicationClient"),
    (r"\bhttpx\.AsyncClient\b", "httpx.Client"),
    (r"\bhttpx\.AsyncBaseTransport\b", "httpx.BaseTransport"),
    (r"\bAsyncGenerator\[(\w+), None\]", r"Generator[\1, None, None]"),
    (r"\bAsyncGenerator\b", "Generator"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\baclose\b", "close"),
    (r"\basync (def|for|with)\b", r"\1"),
    (r"\bawait ", ""),
    (r"\bAn asyncio client\b", "A blocking client"),
    (r"\b_async_pages\b", "_sync_pages"),
    (r"\b_async_client\b", "_sync_client"),
    (r"\bAwaitable\[([\w |]+)\]", r"\1"),
    (r"\bamap_bounded\b", "map_bounded"),
    (r"\bAsyncIterator\b", "Iterator"),
]


def _docstring_end(text: str) -> int:
    start = text.index('"""')
    return text.index('"""', start + 3) + 3


def unasync(source: str, name: str = SOURCE.name, title: str = PAIRS[0][2]) -> str:
    """The synchronous module for the asyncio module ``source`` (file ``name``), unformatted."""
    body = source[_docstring_end(source) :].lstrip("\n")
    for pattern, replacement in REWRITES:
        body = re.sub(pattern, replacement, body, flags=re.MULTILINE)
    note = f"Generated from ``{name}`` by ``python -m openapi.unasync``: do not edit."
    header = f'"""{title}\n\n{note}\n"""\n'
    return f"{header}\n{body}"


def _ruff(arguments: list[str], code: str) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    command = [str(ruff), *arguments, "--quiet", "--stdin-filename", str(TARGET), "-"]
    result = subprocess.run(command, input=code, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"ruff {arguments[0]} failed: {result.stderr or result.stdout}")
    return result.stdout


def formatted(code: str) -> str:
    """``code`` with its imports sorted (unused ones dropped) and formatted as ruff does."""
    return _ruff(["format"], _ruff(["check", "--fix-only", "--select", "I,F401"], code))


def expected(source: Path, title: str) -> str:
    """The generated twin of ``source``, formatted."""
    return formatted(unasync(source.read_text(encoding="utf-8"), source.name, title))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the sync client is stale")
    args = parser.parse_args()
    stale = 0
    for source, target, title in PAIRS:
        text = expected(source, title)
        if not args.check:
            target.write_text(text, encoding="utf-8")
        elif (target.read_text(encoding="utf-8") if target.exists() else "") != text:
            print(f"{target.relative_to(ROOT)} is stale: run python -m openapi.unasync")
            stale = 1
    return stale


if __name__ == "__main__":
    sys.exit(main())
