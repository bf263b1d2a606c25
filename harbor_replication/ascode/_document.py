"""The replication document: registries and policies as code, read, checked and written.

Pure: no I/O. A document is YAML (JSON is read as YAML) with ``registries:`` and
``policies:``, each keyed by name; a policy names its registries by name, and this Harbor
itself by the reserved name ``local``. Secrets appear only as ``${ENV_VAR}`` references.
Every mistake is found before anything is sent and named by file, object and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harbor_replication._constants import TRIGGER_TYPES

LOCAL = "local"
"""The reserved registry name of the Harbor a policy is applied to (Harbor's registry id 0)."""

FILTER_TYPES = ("name", "tag", "label", "resource")
_RESOURCE_VALUES = ("image", "artifact")
_DECORATED_FILTERS = ("tag", "label")
_SECRET_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_VERSION = re.compile(r"v?(\d+)\.(\d+)")

# The first Harbor release that stores each field (its swagger at that tag has it).
SINGLE_ACTIVE_SINCE = (2, 14)
CA_CERTIFICATE_SINCE = (2, 15)


class DocumentError(ValueError):
    """A document that cannot be applied; ``problems`` are its lines, one per mistake."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Credential:
    """A registry's credential; ``access_secret`` is a ``${ENV_VAR}`` reference or empty."""

    access_key: str
    access_secret: str = ""
    type: str = "basic"


@dataclass(frozen=True, slots=True)
class RegistrySpec:
    """A registry endpoint as the document wants it."""

    name: str
    type: str
    url: str
    description: str = ""
    insecure: bool = False
    ca_certificate: str = ""
    credential: Credential | None = None

    def fields(self) -> dict[str, Any]:
        """The fields compared with Harbor's: everything but the secret, which Harbor masks."""
        credential = self.credential
        return {
            "type": self.type,
            "url": self.url,
            "description": self.description,
            "insecure": self.insecure,
            "ca_certificate": self.ca_certificate,
            "credential": None
            if credential is None
            else {"type": credential.type, "access_key": credential.access_key},
        }


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """One policy filter; ``decoration`` is ``excludes`` or empty (Harbor's ``matches``)."""

    type: str
    value: str | tuple[str, ...]
    decoration: str = ""

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
        }
        if self.decoration:
            data["decoration"] = self.decoration
        return data


@dataclass(frozen=True, slots=True)
class PolicySpec:
    """A replication policy as the document wants it; filters are kept sorted, so two
    policies whose filters differ only in order are equal."""

    name: str
    src_registry: str
    dest_registry: str
    description: str = ""
    dest_namespace: str = ""
    dest_namespace_replace_count: int = -1
    filters: tuple[FilterSpec, ...] = ()
    trigger: str = "manual"
    cron: str = ""
    override: bool = False
    replicate_deletion: bool = False
    speed: int = 0
    copy_by_chunk: bool = False
    single_active_replication: bool = False
    enabled: bool = True

    def fields(self) -> dict[str, Any]:
        """The fields compared with Harbor's, in the order plans show them."""
        trigger: dict[str, str] = {"type": self.trigger}
        if self.trigger == "scheduled":
            trigger["cron"] = self.cron
        return {
            "src_registry": self.src_registry,
            "dest_registry": self.dest_registry,
            "description": self.description,
            "dest_namespace": self.dest_namespace,
            "dest_namespace_replace_count": self.dest_namespace_replace_count,
            "filters": [item.to_data() for item in self.filters],
            "trigger": trigger,
            "override": self.override,
            "replicate_deletion": self.replicate_deletion,
            "speed": self.speed,
            "copy_by_chunk": self.copy_by_chunk,
            "single_active_replication": self.single_active_replication,
            "enabled": self.enabled,
        }


@dataclass(frozen=True, slots=True)
class Selector:
    """The names a document owns of one kind: those starting with ``prefix``, and ``names``.

    Only owned objects that the document leaves out are deleted (with ``prune``).
    """

    prefix: str = ""
    names: frozenset[str] = frozenset()
    every_name: bool = False  # never read from a document: what ``diff`` compares with

    def owns(self, name: str) -> bool:
        if self.every_name:
            return True
        return (bool(self.prefix) and name.startswith(self.prefix)) or name in self.names

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.prefix:
            data["prefix"] = self.prefix
        if self.names:
            data["names"] = sorted(self.names)
        return data


EVERY_NAME = Selector(every_name=True)


@dataclass(frozen=True, slots=True)
class Document:
    """Registries and policies by name, and what of each kind the document owns (prunes)."""

    registries: dict[str, RegistrySpec] = field(default_factory=dict)
    policies: dict[str, PolicySpec] = field(default_factory=dict)
    owned_registries: Selector | None = None
    owned_policies: Selector | None = None
    source: str = "<document>"

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML or JSON, every field spelt out; loads back equal."""
        data: dict[str, Any] = {}
        owns = {
            kind: selector.to_data()
            for kind, selector in (
                ("registries", self.owned_registries),
                ("policies", self.owned_policies),
            )
            if selector is not None
        }
        if owns:
            data["owns"] = owns
        data["registries"] = {
            name: registry_data(spec) for name, spec in sorted(self.registries.items())
        }
        data["policies"] = {
            name: _policy_data(spec) for name, spec in sorted(self.policies.items())
        }
        return data


def registry_data(spec: RegistrySpec, access_secret: str | None = None) -> dict[str, Any]:
    """A registry as plain data: its secret as written (a reference), or ``access_secret``."""
    data: dict[str, Any] = {
        "type": spec.type,
        "url": spec.url,
        "description": spec.description,
        "insecure": spec.insecure,
    }
    if spec.ca_certificate:
        data["ca_certificate"] = spec.ca_certificate
    if spec.credential is not None:
        data["credential"] = {
            "type": spec.credential.type,
            "access_key": spec.credential.access_key,
            "access_secret": spec.credential.access_secret
            if access_secret is None
            else access_secret,
        }
    return data


def _policy_data(spec: PolicySpec) -> dict[str, Any]:
    data = spec.fields()
    data["filters"] = [item.to_data() for item in spec.filters]
    return data


def secret_reference_for(registry_name: str) -> str:
    """The ``${HARBOR_REGISTRY_<NAME>_SECRET}`` an export writes for a registry's secret."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", registry_name).strip("_").upper() or "REGISTRY"
    return f"${{HARBOR_REGISTRY_{stem}_SECRET}}"


def secret_variable(reference: str) -> str:
    """The environment variable a ``${VAR}`` reference names."""
    match = _SECRET_REFERENCE.fullmatch(reference)
    if match is None:
        raise ValueError(f"not a ${{VAR}} reference: {reference!r}")
    return match.group(1)


def resolve_secrets(
    document: Document, environ: Mapping[str, str], registries: Iterable[str] | None = None
) -> dict[str, str]:
    """Registry name -> its secret read from ``environ``, for ``registries`` (default: all
    the document names); every missing variable is named."""
    secrets: dict[str, str] = {}
    problems: list[str] = []
    wanted = None if registries is None else set(registries)
    for name, spec in sorted(document.registries.items()):
        if spec.credential is None or not spec.credential.access_secret:
            continue
        if wanted is not None and name not in wanted:
            continue
        variable = secret_variable(spec.credential.access_secret)
        value = environ.get(variable)
        if not value:
            problems.append(
                f"{document.source}: registries.{name}.credential.access_secret: "
                f"environment variable {variable} is not set"
            )
        else:
            secrets[name] = value
    if problems:
        raise DocumentError(problems)
    return secrets


def parse_version(harbor_version: str) -> tuple[int, int] | None:
    """``v2.15.2`` -> (2, 15); None for a version that does not say (a dev build)."""
    match = _VERSION.match(harbor_version.strip())
    return None if match is None else (int(match.group(1)), int(match.group(2)))


def check_target(document: Document, harbor_version: str, target: str = "the target") -> None:
    """Refuse values the target Harbor cannot store, rather than see them dropped silently.

    A field at its default is what an older Harbor behaves as, so only values it would
    lose are refused (an export of a v2.15 Harbor applies to a v2.13 one).
    """
    version = parse_version(harbor_version)
    if version is None:
        return
    shown = f"{target} runs Harbor {harbor_version}"
    lacking: list[tuple[tuple[int, int], str, str, Mapping[str, object]]] = [
        (SINGLE_ACTIVE_SINCE, "policies", "single_active_replication", document.policies),
        (CA_CERTIFICATE_SINCE, "registries", "ca_certificate", document.registries),
    ]
    problems = [
        f"{document.source}: {kind}.{name}.{field_name}: {shown}, which has no such field "
        f"(Harbor {since[0]}.{since[1]} added it)"
        for since, kind, field_name, specs in lacking
        if version < since
        for name, spec in sorted(specs.items())
        if getattr(spec, field_name)
    ]
    if problems:
        raise DocumentError(problems)


# --- reading ---------------------------------------------------------------------------------


def load_document(text: str, source: str = "<document>") -> Document:
    """Parse and check a YAML or JSON document; raises :class:`DocumentError`."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DocumentError([f"{source}: not YAML or JSON: {exc}"]) from exc
    return parse_document(data, source)


def parse_document(data: object, source: str = "<document>") -> Document:
    """Check plain data (as YAML gives it) and build the document; every mistake is listed."""
    reader = _Reader(source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError([f"{source}: expected a mapping with registries: and policies:"])
    reader.unknown("", data, ("owns", "registries", "policies"))
    registries = {
        name: registry
        for name, body in reader.named(data, "registries")
        if (registry := reader.registry(name, body)) is not None
    }
    policies = {
        name: policy
        for name, body in reader.named(data, "policies")
        if (policy := reader.policy(name, body)) is not None
    }
    owned_registries, owned_policies = reader.owns(data.get("owns"))
    if reader.problems:
        raise DocumentError(reader.problems)
    return Document(registries, policies, owned_registries, owned_policies, source)


_REGISTRY_KEYS = ("type", "url", "description", "insecure", "ca_certificate", "credential")
_POLICY_KEYS = (
    "src_registry",
    "dest_registry",
    "description",
    "dest_namespace",
    "dest_namespace_replace_count",
    "filters",
    "trigger",
    "override",
    "replicate_deletion",
    "speed",
    "copy_by_chunk",
    "single_active_replication",
    "enabled",
)


class _Reader:
    """Collects every problem of one document, each prefixed with file, object and field."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}: {where}: {message}")

    def unknown(self, where: str, data: Mapping[str, Any], known: Iterable[str]) -> None:
        extra = sorted(str(key) for key in data if key not in known)
        if extra:
            place = where or "top level"
            self.problem(place, f"unknown field(s) {', '.join(extra)} (known: {', '.join(known)})")

    def named(self, data: Mapping[str, Any], kind: str) -> list[tuple[str, dict[str, Any]]]:
        section = data.get(kind)
        if section is None:
            return []
        if not isinstance(section, dict):
            self.problem(kind, "expected a mapping of names to objects")
            return []
        items: list[tuple[str, dict[str, Any]]] = []
        for name, body in section.items():
            if not isinstance(name, str) or not name.strip():
                self.problem(f"{kind}.{name!r}", "a name must be a non-empty string")
            elif not isinstance(body, dict):
                self.problem(f"{kind}.{name}", "expected a mapping of fields")
            else:
                items.append((name, body))
        return items

    def get(
        self,
        where: str,
        body: Mapping[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        default: Any,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        value = body.get(key, default)
        types = kind if isinstance(kind, tuple) else (kind,)
        wrong_bool = isinstance(value, bool) and bool not in types
        if wrong_bool or not isinstance(value, types):
            names = " or ".join(t.__name__ for t in types)
            self.problem(f"{where}.{key}", f"expected {names}, got {value!r}")
            return default
        message = check(value) if check else None
        if message:
            self.problem(f"{where}.{key}", message)
            return default
        return value

    def registry(self, name: str, body: dict[str, Any]) -> RegistrySpec | None:
        where = f"registries.{name}"
        count = len(self.problems)
        if name == LOCAL:
            self.problem(where, f"{LOCAL!r} is reserved for the Harbor a policy is applied to")
        self.unknown(where, body, _REGISTRY_KEYS)
        for required in ("type", "url"):
            if required not in body:
                self.problem(f"{where}.{required}", "missing (required)")
        spec = RegistrySpec(
            name=name,
            type=self.get(where, body, "type", str, "", _non_empty),
            # Harbor drops a trailing slash: kept, it would read as drift on every plan.
            url=self.get(where, body, "url", str, "", _url).strip().rstrip("/"),
            description=self.get(where, body, "description", str, ""),
            insecure=self.get(where, body, "insecure", bool, False),
            ca_certificate=self.get(where, body, "ca_certificate", str, ""),
            credential=self.credential(f"{where}.credential", body.get("credential")),
        )
        return spec if len(self.problems) == count else None

    def credential(self, where: str, body: object) -> Credential | None:
        if body is None:
            return None
        if not isinstance(body, dict):
            self.problem(where, "expected a mapping with type, access_key, access_secret")
            return None
        self.unknown(where, body, ("type", "access_key", "access_secret"))
        return Credential(
            access_key=self.get(where, body, "access_key", str, "", _non_empty),
            access_secret=self.get(where, body, "access_secret", str, "", _secret_reference),
            type=self.get(where, body, "type", str, "basic", _non_empty),
        )

    def policy(self, name: str, body: dict[str, Any]) -> PolicySpec | None:
        where = f"policies.{name}"
        count = len(self.problems)
        self.unknown(where, body, _POLICY_KEYS)
        for required in ("src_registry", "dest_registry"):
            if required not in body:
                self.problem(f"{where}.{required}", f"missing (a registry name, or {LOCAL!r})")
        source = self.get(where, body, "src_registry", str, LOCAL, _non_empty)
        destination = self.get(where, body, "dest_registry", str, LOCAL, _non_empty)
        if (source == LOCAL) == (destination == LOCAL) and len(self.problems) == count:
            self.problem(
                where,
                f"exactly one of src_registry and dest_registry must be {LOCAL!r} "
                f"(got {source!r} and {destination!r})",
            )
        trigger, cron = self.trigger(f"{where}.trigger", body.get("trigger", {"type": "manual"}))
        single_active = self.get(where, body, "single_active_replication", bool, False)
        if single_active and trigger == "event_based":
            self.problem(
                f"{where}.single_active_replication",
                "Harbor refuses it with an event_based trigger",
            )
        spec = PolicySpec(
            name=name,
            src_registry=source,
            dest_registry=destination,
            description=self.get(where, body, "description", str, ""),
            dest_namespace=self.get(where, body, "dest_namespace", str, ""),
            dest_namespace_replace_count=self.get(
                where, body, "dest_namespace_replace_count", int, -1, _at_least(-1)
            ),
            filters=self.filters(f"{where}.filters", body.get("filters", [])),
            trigger=trigger,
            cron=cron,
            override=self.get(where, body, "override", bool, False),
            replicate_deletion=self.get(where, body, "replicate_deletion", bool, False),
            speed=self.get(where, body, "speed", int, 0, _at_least(0)),
            copy_by_chunk=self.get(where, body, "copy_by_chunk", bool, False),
            single_active_replication=single_active,
            enabled=self.get(where, body, "enabled", bool, True),
        )
        return spec if len(self.problems) == count else None

    def trigger(self, where: str, body: object) -> tuple[str, str]:
        if not isinstance(body, dict):
            self.problem(where, "expected a mapping like {type: scheduled, cron: '0 0 2 * * *'}")
            return "manual", ""
        self.unknown(where, body, ("type", "cron"))
        kind = body.get("type")
        if kind not in TRIGGER_TYPES:
            self.problem(f"{where}.type", f"expected one of {', '.join(TRIGGER_TYPES)}")
            return "manual", ""
        cron = body.get("cron", "")
        if kind != "scheduled":
            if cron:
                self.problem(f"{where}.cron", f"only a scheduled trigger has one, not {kind}")
            return kind, ""
        message = _cron(cron)
        if message:
            self.problem(f"{where}.cron", message)
        return kind, str(cron)

    def filters(self, where: str, body: object) -> tuple[FilterSpec, ...]:
        if not isinstance(body, list):
            self.problem(where, "expected a list of {type, value, decoration}")
            return ()
        filters: list[FilterSpec] = []
        for index, item in enumerate(body):
            place = f"{where}[{index}]"
            if not isinstance(item, dict):
                self.problem(place, "expected a mapping with type and value")
                continue
            self.unknown(place, item, ("type", "value", "decoration"))
            kind = item.get("type")
            if kind not in FILTER_TYPES:
                self.problem(f"{place}.type", f"expected one of {', '.join(FILTER_TYPES)}")
                continue
            value = self.filter_value(f"{place}.value", kind, item.get("value"))
            decoration = item.get("decoration", "")
            if decoration == "matches":
                decoration = ""  # what Harbor does without one
            if decoration not in ("", "excludes"):
                self.problem(f"{place}.decoration", "expected matches or excludes")
            elif decoration and kind not in _DECORATED_FILTERS:
                self.problem(f"{place}.decoration", "only tag and label filters take one")
            if value is not None:
                filters.append(FilterSpec(kind, value, decoration))
        return tuple(sorted(filters, key=filter_order))

    def filter_value(self, where: str, kind: str, value: object) -> str | tuple[str, ...] | None:
        if kind == "label":
            if isinstance(value, str):
                value = [value]
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(label, str) and label for label in value)
            ):
                self.problem(where, "a label filter takes a list of label names")
                return None
            return tuple(sorted(value))
        if not isinstance(value, str) or not value:
            self.problem(where, f"a {kind} filter takes a non-empty string")
            return None
        if kind == "resource" and value not in _RESOURCE_VALUES:
            self.problem(where, f"expected one of {', '.join(_RESOURCE_VALUES)}")
            return None
        return value

    def owns(self, body: object) -> tuple[Selector | None, Selector | None]:
        if body is None:
            return None, None
        if not isinstance(body, dict):
            self.problem("owns", "expected a mapping with registries: and/or policies:")
            return None, None
        self.unknown("owns", body, ("registries", "policies"))
        return self.selector("owns.registries", body.get("registries")), self.selector(
            "owns.policies", body.get("policies")
        )

    def selector(self, where: str, body: object) -> Selector | None:
        if body is None:
            return None
        if not isinstance(body, dict):
            self.problem(where, "expected a mapping with prefix: and/or names:")
            return None
        self.unknown(where, body, ("prefix", "names"))
        prefix = self.get(where, body, "prefix", str, "")
        names = self.get(where, body, "names", list, [])
        if not all(isinstance(name, str) and name for name in names):
            self.problem(f"{where}.names", "expected a list of names")
            names = []
        if not prefix and not names:
            self.problem(where, "owns nothing: give a non-empty prefix or names")
            return None
        return Selector(prefix, frozenset(names))


def filter_order(item: FilterSpec) -> tuple[str, tuple[str, ...], str]:
    value = item.value if isinstance(item.value, tuple) else (item.value,)
    return item.type, value, item.decoration


def _non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _url(value: str) -> str | None:
    return None if re.match(r"https?://\S+$", value) else "expected an http:// or https:// URL"


def _secret_reference(value: str) -> str | None:
    if not value or _SECRET_REFERENCE.fullmatch(value):
        return None
    return "a secret is written as a reference to an environment variable, like ${HUB_SECRET}"


def _at_least(minimum: int) -> Callable[[int], str | None]:
    def check(value: int) -> str | None:
        return None if value >= minimum else f"must be {minimum} or more, got {value}"

    return check


def _cron(cron: object) -> str | None:
    # Harbor's rule (docs/harbor-behaviour.md §12): six fields, seconds "0", minutes not "*".
    if not isinstance(cron, str) or len(cron.split()) != 6:
        return "a scheduled trigger needs a six-field cron, like '0 0 2 * * *'"
    seconds, minutes = cron.split()[:2]
    if seconds != "0":
        return "the first (seconds) field must be 0"
    if minutes == "*":
        return "the minutes field must not be *"
    return None
