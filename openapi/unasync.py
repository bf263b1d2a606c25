"""Write the synchronous client from the asyncio one, so the two cannot drift.

``harbor_replication/_async_client.py`` is the source; this rewrites its async
constructs into their blocking twins (the approach of httpcore's unasync script) and
formats the result. ``python -m openapi.unasync`` writes ``_sync_client.py``;
``--check`` exits 1 when the committed file is stale.
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

HEADER = '''"""The blocking client.

Generated from ``_async_client.py`` by ``python -m openapi.unasync``: do not edit.
"""
'''

# Applied in order, on whole words.
REWRITES: list[tuple[str, str]] = [
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
]


def _docstring_end(text: str) -> int:
    start = text.index('"""')
    return text.index('"""', start + 3) + 3


def unasync(source: str) -> str:
    """The synchronous module for the asyncio module ``source``, unformatted."""
    body = source[_docstring_end(source) :].lstrip("\n")
    for pattern, replacement in REWRITES:
        body = re.sub(pattern, replacement, body, flags=re.MULTILINE)
    return f"{HEADER}\n{body}"


def _ruff(arguments: list[str], code: str) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    command = [str(ruff), *arguments, "--quiet", "--stdin-filename", str(TARGET), "-"]
    result = subprocess.run(command, input=code, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"ruff {arguments[0]} failed: {result.stderr or result.stdout}")
    return result.stdout


def formatted(code: str) -> str:
    """``code`` with its imports sorted and formatted as ruff does in this project."""
    return _ruff(["format"], _ruff(["check", "--fix-only", "--select", "I"], code))


def expected_sync_client() -> str:
    return formatted(unasync(SOURCE.read_text(encoding="utf-8")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the sync client is stale")
    args = parser.parse_args()
    expected = expected_sync_client()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != expected:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python -m openapi.unasync")
            return 1
        return 0
    TARGET.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
