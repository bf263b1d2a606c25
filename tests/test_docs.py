"""The documentation site: every Python example runs as written, every public name is rendered.

Each page's ```python blocks run in order in one namespace, against a simulator in its seed
state named by HARBOR_URL, HARBOR_USERNAME and HARBOR_SECRET (as the pages tell readers to
set). A block right after a ``<!-- not run: reason -->`` line is skipped.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import harbor_replication
from harbor_replication import (
    ascode,
    async_operations,
    exporter,
    models,
    operations,
    query,
    simulator,
)
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.support import TASK_DURATION

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^(<!-- not run: [^\n]*-->\n)?```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _examples(page: Path) -> list[str]:
    return [code for skipped, code in _BLOCK.findall(page.read_text()) if not skipped]


PAGES = sorted(page for page in DOCS.rglob("*.md") if _examples(page))


@pytest.fixture(scope="module")
def docs_harbor() -> Iterator[HarborSimulator]:
    # Harbor's own retries at once, as in the other test simulators (the pages wait with
    # settle=0 where they replicate something that fails).
    config = SimulatorConfig(task_duration=TASK_DURATION, retry_backoff_scale=0)
    with HarborSimulator(config) as harbor:
        yield harbor


def test_pages_have_examples() -> None:
    assert len(PAGES) >= 10, [page.name for page in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS)))
def test_examples_run_as_written(
    page: Path, docs_harbor: HarborSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs_harbor.state.reset()
    monkeypatch.setenv("HARBOR_URL", docs_harbor.url)
    monkeypatch.setenv("HARBOR_USERNAME", docs_harbor.config.admin_username)
    monkeypatch.setenv("HARBOR_SECRET", docs_harbor.config.admin_password)
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    for number, code in enumerate(_examples(page), 1):
        compiled = compile(code, f"{page.relative_to(DOCS)} (example {number})", "exec")
        exec(compiled, namespace)


PUBLIC_MODULES = (
    harbor_replication,
    models,
    query,
    ascode,
    exporter,
    operations,
    async_operations,
    simulator,
)


def _public_names() -> list[str]:
    return [f"{module.__name__}.{name}" for module in PUBLIC_MODULES for name in module.__all__]


def test_every_public_name_has_a_reference_entry(tmp_path: Path) -> None:
    # Built here too, so that `pytest` alone checks it; `make docs` builds the same, strict.
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=DOCS.parent,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )
    rendered = set(re.findall(r'id="(harbor_replication[\w.]*)"', _all_html(site)))
    assert [name for name in _public_names() if name not in rendered] == []


def _all_html(site: Path) -> str:
    return "\n".join(page.read_text() for page in site.rglob("*.html"))
