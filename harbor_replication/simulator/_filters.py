"""Policy filters applied to a registry's artifacts, as Harbor's ``pkg/reg/filter`` does."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Artifact:
    """One tagged artifact in a repository of a (simulated) registry."""

    repository: str
    tag: str
    digest: str
    type: str = "image"
    labels: tuple[str, ...] = field(default=())
    # How many times copying it fails before it succeeds (3 or more: every run fails)
    failures: int = 0

    @property
    def reference(self) -> str:
        return f"{self.repository}:{self.tag}"


@functools.lru_cache(maxsize=512)
def _doublestar_regex(pattern: str) -> re.Pattern[str]:
    """Translate a doublestar pattern (``*``, ``**``, ``?``, ``[..]``, ``{a,b}``, ``\\``)."""
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if char == "*":
            if pattern.startswith("**", i):
                if pattern.startswith("**/", i):
                    out.append("(?:.*/)?")
                    i += 3
                else:
                    out.append(".*")
                    i += 2
                continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                raise ValueError(f"syntax error in pattern {pattern!r}")
            body = pattern[i + 1 : end]
            negate = body[:1] in ("^", "!")
            body = body[1:] if negate else body
            escaped = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append(f"[^/{escaped}]" if negate else f"[{escaped}]")
            i = end
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(char))
        i += 1
    if depth:
        raise ValueError(f"syntax error in pattern {pattern!r}")
    return re.compile("".join(out), re.DOTALL)


def harbor_match(pattern: str, value: str) -> bool:
    """Harbor's ``util.Match``: empty matches all, ``regex:`` searches, else doublestar."""
    if not pattern:
        return True
    if pattern.startswith("regex:"):
        return re.search(pattern.removeprefix("regex:"), value) is not None
    return _doublestar_regex(pattern).fullmatch(value) is not None


def _resource_kind_matches(kind: str, artifact: Artifact) -> bool:
    if kind == "artifact":
        return artifact.type != "chart"
    return artifact.type == kind


def _passes(flt: Mapping[str, Any], artifact: Artifact) -> bool:
    kind = flt.get("type")
    value = flt.get("value")
    if kind == "name":
        matched = harbor_match(str(value or ""), artifact.repository)
    elif kind == "tag":
        matched = harbor_match(str(value or ""), artifact.tag)
    elif kind == "label":
        wanted = value if isinstance(value, list) else []
        matched = all(label in artifact.labels for label in wanted)
    elif kind == "resource":
        matched = not value or _resource_kind_matches(str(value), artifact)
    else:
        return True
    return not matched if flt.get("decoration") == "excludes" else matched


def apply_filters(
    filters: Sequence[Mapping[str, Any]], artifacts: Iterable[Artifact]
) -> list[Artifact]:
    """The artifacts a policy with these filters copies, in repository and tag order."""
    chosen = [a for a in artifacts if all(_passes(flt, a) for flt in filters)]
    return sorted(chosen, key=lambda a: (a.repository, a.tag))


def destination_repository(repository: str, namespace: str, replace_count: int) -> str:
    """Harbor's destination name rule; -1 is the legacy mode (keep the last component)."""
    if not namespace:
        return repository
    if replace_count < 0:
        return f"{namespace}/{repository.rsplit('/', 1)[-1]}"
    parts = repository.split("/")
    if replace_count > len(parts):
        raise ValueError(
            f"the repository {repository} contains only {len(parts)} substrings, "
            f"but the destination namespace cut count is {replace_count}"
        )
    if replace_count == len(parts):
        return namespace
    return "/".join([namespace, *parts[replace_count:]])
