"""Client settings: where Harbor is, who we are, how to talk to it. Pure, no I/O."""

from __future__ import annotations

import base64
import ipaddress
import os
import ssl
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from typing import Any, TypeAlias

import httpx

from harbor_replication._constants import API_PREFIX
from harbor_replication._version import __version__

# Names this client in Harbor's and its proxies' access logs.
USER_AGENT = f"harbor-replication/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0, pool=10.0)

VerifyTypes: TypeAlias = bool | str | ssl.SSLContext
TimeoutTypes: TypeAlias = float | httpx.Timeout | None
# Headers whose values are credentials: never logged, never shown.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-harbor-csrf-token"}
)


class CleartextCredentialsWarning(UserWarning):
    """Credentials are about to travel unencrypted to a host that is not this machine."""


class DiscardingCookieJar(CookieJar):
    """A jar that never keeps a cookie.

    Harbor sets a ``sid`` cookie on every answer; sent back on a write, it makes Harbor
    demand a CSRF token and answer 403 (SEMANTICS 3). API clients must not keep it.
    """

    def set_cookie(self, cookie: Any) -> None:
        return None

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved constructor arguments of a client."""

    api_url: str
    username: str | None
    # Holds the Authorization header: kept out of repr.
    headers: Mapping[str, str] = field(repr=False)

    def httpx_options(self, verify: VerifyTypes, timeout: TimeoutTypes) -> dict[str, Any]:
        """Keyword arguments for ``httpx.Client`` / ``httpx.AsyncClient``."""
        return {
            "base_url": self.api_url,
            "headers": dict(self.headers),
            "verify": check_verify(verify),
            "timeout": check_timeout(timeout),
            "cookies": DiscardingCookieJar(),
            "follow_redirects": False,
        }


def check_verify(verify: object) -> VerifyTypes:
    """``verify`` if it is True, False, an existing CA bundle path or an SSLContext."""
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    if isinstance(verify, str) and verify:
        if not os.path.exists(verify):
            raise ValueError(f"verify: no CA bundle at {verify!r}")
        # httpx deprecates a path; a context built from it is what it asks for instead.
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        try:
            return ssl.create_default_context(cafile=verify)
        except ssl.SSLError as exc:
            raise ValueError(
                f"{verify}: no PEM CA certificate in it ({exc.reason or exc}); give a file of "
                "-----BEGIN CERTIFICATE----- blocks (from DER: openssl x509 -inform der "
                f"-in {verify} -out ca.pem)"
            ) from None
        except OSError as exc:
            raise ValueError(f"{verify}: cannot read the CA bundle: {exc.strerror}") from None
    raise ValueError(f"verify must be a bool, a CA bundle path or an SSLContext, got {verify!r}")


def check_timeout(timeout: object) -> TimeoutTypes:
    """``timeout`` if it is None, seconds >= 0 or an httpx.Timeout with such parts."""
    if isinstance(timeout, httpx.Timeout):
        parts = timeout.as_dict().items()
    else:
        parts = (("timeout", timeout),)  # type: ignore[assignment]
    for name, value in parts:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise ValueError(f"{name} must be seconds >= 0 or None, got {value!r}")
    return timeout  # type: ignore[return-value]


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` for a log line, credentials replaced."""
    return {
        name: "[redacted]" if name.lower() in SECRET_HEADERS else value
        for name, value in headers.items()
    }


def api_url(url: str) -> str:
    """``url`` with ``/api/v2.0`` once at the end, whether or not the user typed it."""
    if not isinstance(url, str):
        raise ValueError(f"the Harbor URL must be a str, got {type(url).__name__}")
    text = url.strip().rstrip("/")
    try:
        parsed = httpx.URL(text)
    except httpx.InvalidURL:
        raise ValueError("the Harbor URL is not a valid URL") from None
    if parsed.userinfo:
        # Not echoed: it would show the password.
        raise ValueError("the Harbor URL must not hold credentials: pass username= and secret=")
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"the Harbor URL must be http:// or https:// with a host, got {url!r}")
    if parsed.query or parsed.fragment:
        raise ValueError(f"the Harbor URL must not have a query or fragment, got {url!r}")
    if text.endswith(API_PREFIX):
        return text
    return text + API_PREFIX


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve(url: str | None, username: str | None, secret: str | None) -> Settings:
    """Settings from the arguments, falling back on HARBOR_URL / _USERNAME / _SECRET."""
    url = url if url is not None else os.environ.get("HARBOR_URL")
    if not url:
        raise ValueError("no Harbor URL: pass url= or set HARBOR_URL")
    username = username if username is not None else os.environ.get("HARBOR_USERNAME")
    secret = secret if secret is not None else os.environ.get("HARBOR_SECRET")
    if username is not None and not isinstance(username, str):
        raise ValueError(f"username must be a str, got {type(username).__name__}")
    if secret is not None and not isinstance(secret, str):
        raise ValueError(f"secret must be a str, got {type(secret).__name__}")
    if secret and not username:
        raise ValueError("a secret without a username: pass username= or set HARBOR_USERNAME")
    base = api_url(url)
    # Accept (and Content-Type) are set per request by the generated request builders.
    headers = {"User-Agent": USER_AGENT}
    if username:
        if secret is None:
            raise ValueError(
                f"a secret is needed for user {username!r}: pass secret= or set HARBOR_SECRET"
            )
        token = base64.b64encode(f"{username}:{secret}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
        parsed = httpx.URL(base)
        if parsed.scheme == "http" and not _is_loopback(parsed.host):
            warnings.warn(
                f"sending Harbor credentials for {username!r} over plain http to {parsed.host}",
                CleartextCredentialsWarning,
                stacklevel=3,
            )
    return Settings(base, username or None, headers)
