"""The simulated Harbor's registries: their checks, changes, listing and JSON."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ._adapters import ADAPTERS
from ._errors import ErrorReply
from ._filters import Artifact
from ._model import LOCAL_REGISTRY_ID, MASKED_SECRET, Registry
from ._query import Condition, Sort, select
from ._resources import REGISTRIES
from ._store import Store
from ._times import ZERO_TIME, format_time
from ._validation import normalize_url, unhealthy

_BY_ID = (Sort("id", False),)


def _content_key(url: str) -> str:
    return re.sub(r"^https?://", "", url).lower()


class Registries(Store):
    """Registries, and the content each holds."""

    def _content_of(self, registry_id: int) -> dict[tuple[str, str], Artifact] | None:
        if registry_id == LOCAL_REGISTRY_ID:
            return self.contents["local"]
        registry = self.registries.get(registry_id)
        if registry is None:
            return None
        return self.contents.setdefault(_content_key(registry.url), {})

    def _registry(self, registry_id: int) -> Registry:
        registry = self.registries.get(registry_id)
        if registry is None:
            raise ErrorReply(404, f"registry {registry_id} not found")
        return registry

    def _check_registry(self, name: str, url: str, kind: str, exclude_id: int | None) -> str:
        if not name:
            raise ErrorReply(400, "name cannot be empty")
        if len(name) > 64:
            raise ErrorReply(400, "the max length of name is 64")
        url = normalize_url(url)
        _check_reachable(kind, url)
        for other in self.registries.values():
            if other.name == name and other.id != exclude_id:
                raise ErrorReply(409, f"registry {name} already exists")
        return url

    def create_registry(self, body: Mapping[str, Any]) -> int:
        with self.lock:
            credential = body.get("credential") or {}
            name = body.get("name") or ""
            kind = body.get("type") or ""
            url = self._check_registry(name, body.get("url") or "", kind, None)
            now = self.clock()
            registry = Registry(
                id=next(self._registry_ids),
                name=name,
                url=url,
                type=kind,
                credential_type=credential.get("type") or "basic",
                access_key=credential.get("access_key") or "",
                access_secret=credential.get("access_secret") or "",
                creation_time=now,
                update_time=now,
                **REGISTRIES.read(body, self.config.has_v2_15_fields),
            )
            self.registries[registry.id] = registry
            self._changed()
            return registry.id

    def update_registry(self, registry_id: int, body: Mapping[str, Any]) -> None:
        with self.lock:
            registry = self._registry(registry_id)
            name = body.get("name")
            url = body.get("url")
            new_name = registry.name if name is None else name
            new_url = registry.url if url is None else url
            registry.url = self._check_registry(new_name, new_url, registry.type, registry.id)
            registry.name = new_name
            for key in (
                "description",
                "credential_type",
                "access_key",
                "access_secret",
                "insecure",
            ):
                if body.get(key) is not None:
                    setattr(registry, key, body[key])
            ca_certificate = self._ca_certificate(body)
            if ca_certificate is not None:
                registry.ca_certificate = ca_certificate
            registry.update_time = self.clock()
            self._changed()

    def _ca_certificate(self, body: Mapping[str, Any]) -> str | None:
        """The body's ``ca_certificate``; a Harbor before v2.15 does not read it."""
        return body.get("ca_certificate") if self.config.has_v2_15_fields else None

    def delete_registry(self, registry_id: int) -> None:
        with self.lock:
            self._registry(registry_id)
            if any(
                registry_id in (p.src_registry_id, p.dest_registry_id)
                for p in self.policies.values()
            ):
                raise ErrorReply(
                    412,
                    f"the registry {registry_id} is referenced by replication policies, "
                    "cannot delete it",
                )
            del self.registries[registry_id]
            self._changed()

    def registry_json(self, registry_id: int) -> dict[str, Any]:
        """A registry as Harbor shows it; 0 is this Harbor (docs/harbor-behaviour.md §29)."""
        with self.lock:
            side = self._registry_side(registry_id)
            if side is None:
                raise ErrorReply(404, f"registry {registry_id} not found")
            return side

    def list_registries(
        self, keywords: Mapping[str, Condition], sorts: Sequence[Sort]
    ) -> list[dict[str, Any]]:
        with self.lock:
            records = [r.record() for r in self.registries.values()]
            chosen = select(records, REGISTRIES.columns, keywords, sorts, _BY_ID)
            with_ca = self.config.has_v2_15_fields
            return [self.registries[record["id"]].to_json(with_ca) for record in chosen]

    def ping_registry(self, body: Mapping[str, Any]) -> None:
        """Harbor's ping: the stored registry (``id``) overlaid with the given fields."""
        with self.lock:
            url, kind = "", ""
            if body.get("id") is not None:  # 0 is this Harbor (§29)
                stored = self.registry_json(int(body["id"]))
                url, kind = stored["url"], stored["type"]
            if body.get("type") is not None:
                kind = body["type"]
            if body.get("url") is not None:
                url = normalize_url(body["url"])
            if not kind or not url:
                raise ErrorReply(400, "type or url cannot be empty")
            _check_reachable(kind, url)

    def registry_info(self, registry_id: int) -> dict[str, Any]:
        with self.lock:
            kind = (
                "harbor" if registry_id == LOCAL_REGISTRY_ID else self._registry(registry_id).type
            )
            filters: list[dict[str, Any]] = [
                {"type": "name", "style": "input"},
                {"type": "tag", "style": "input"},
            ]
            if kind == "harbor":
                filters.append({"type": "label", "style": "list"})
            filters.append({"type": "resource", "style": "radio", "values": ["image", "artifact"]})
            triggers = ["manual", "scheduled"]
            if registry_id == LOCAL_REGISTRY_ID:
                triggers.append("event_based")
            info: dict[str, Any] = {
                "type": kind,
                "description": f"The {kind} registry adapter",
                "supported_resource_filters": filters,
                "supported_triggers": triggers,
            }
            if kind == "harbor":  # Harbor sets the pointer only when chunks are supported
                info["supported_copy_by_chunk"] = True
            return info

    def _registry_side(self, registry_id: int) -> dict[str, Any] | None:
        if registry_id == LOCAL_REGISTRY_ID:
            return {
                "id": LOCAL_REGISTRY_ID,
                "name": "Local",
                "url": "http://core:8080",
                "type": "harbor",
                "description": "",
                "insecure": True,
                "credential": {"type": "secret", "access_secret": MASKED_SECRET},
                "status": "healthy",
                "creation_time": format_time(ZERO_TIME),
                "update_time": format_time(ZERO_TIME),
            }
        registry = self.registries.get(registry_id)
        return None if registry is None else registry.to_json(self.config.has_v2_15_fields)

    def _describe(self, registry_id: int) -> str:
        side = self._registry_side(registry_id)
        if side is None:
            return "unknown"
        return (
            f"type: {side['type']}, URL: {side['url']}, "
            f"insecure: {str(side.get('insecure', False)).lower()}"
        )


def _check_reachable(kind: str, url: str) -> None:
    """Harbor's checks before it stores or pings a registry: a known adapter, a healthy URL."""
    if kind not in ADAPTERS:  # a plain Go error: 500 (docs/harbor-behaviour.md §12)
        raise ErrorReply(500, f"adapter factory for {kind} not found")
    if unhealthy(url):
        raise ErrorReply(400, "the registry is unhealthy")
