"""API keys: who may change the corpus (and, when configured, who may read it).

Keys come from `RAG_API_KEYS`: comma-separated, or the path of a file with one key per line.
Write routes depend on `require_writer`; with `RAG_REQUIRE_KEY_FOR_READ=true` every route but
the health check and the page also depends on `require_reader`. A missing key is a 401, a
wrong one a 403. Keys are compared in constant time and never logged or echoed. With no key
configured, writes are accepted from loopback clients only (`rag serve` then also refuses to
listen anywhere but on loopback).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from rag.errors import ConfigError
from rag.settings import Settings

log = logging.getLogger(__name__)

# Open even when reads need a key: liveness probes and the page itself (its calls are not).
OPEN_PATHS = frozenset({"/healthz", "/"})

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="`Authorization: Bearer <key>` with a key from RAG_API_KEYS",
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class ApiKeys:
    """The configured keys; `match` compares a candidate against each in constant time."""

    def __init__(self, keys: Iterable[str], required_for_read: bool = False):
        self._keys = tuple(k.encode() for k in keys if k)
        self.required_for_read = required_for_read and bool(self._keys)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:  # never the keys themselves
        return f"ApiKeys({len(self._keys)} configured)"

    def match(self, candidate: str) -> int | None:
        """The index of the key `candidate` equals, or None; every key is compared."""
        given = candidate.encode()
        found = None
        for index, key in enumerate(self._keys):
            if hmac.compare_digest(key, given) and found is None:
                found = index
        return found

    @classmethod
    def from_settings(cls, settings: Settings) -> ApiKeys:
        return cls(parse_api_keys(settings.api_keys), settings.require_key_for_read)


def parse_api_keys(value: SecretStr | None) -> list[str]:
    """Keys from `RAG_API_KEYS`: a file path (one key per line, `#` comments) or a comma list.

    A value that looks like a path but names no file is a `ConfigError`, never a key.
    """
    raw = value.get_secret_value().strip() if value else ""
    if not raw:
        return []
    if "," not in raw:
        path = Path(raw).expanduser()
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return [k for k in (line.strip() for line in lines) if k and not k.startswith("#")]
        if raw.startswith(("/", "./", "../", "~")):
            raise ConfigError(f"RAG_API_KEYS names a key file that does not exist: {raw}")
    return [k.strip() for k in raw.split(",") if k.strip()]


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an address or "localhost") is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def install_security(app: FastAPI, settings: Settings) -> ApiKeys:
    """Load the keys onto `app.state`; when reads need a key, guard every route added later."""
    keys = ApiKeys.from_settings(settings)
    app.state.api_keys = keys
    if keys.required_for_read:
        app.router.dependencies.append(Depends(require_reader))
    return keys


def _keys(request: Request) -> ApiKeys:
    return getattr(request.app.state, "api_keys", None) or ApiKeys(())


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _reject(request: Request, status: int, detail: str) -> HTTPException:
    log.warning(
        "rejected %s %s from %s: %s", request.method, request.url.path, _client(request), detail
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return HTTPException(status_code=status, detail=detail, headers=headers)


def _check_key(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    if credentials is None:
        raise _reject(request, 401, "missing API key: send Authorization: Bearer <key>")
    if _keys(request).match(credentials.credentials) is None:
        raise _reject(request, 403, "the API key is not valid")


def require_writer(request: Request, credentials: BearerCredentials) -> None:
    """Write routes: a valid key; without configured keys, a loopback client."""
    if _keys(request):
        _check_key(request, credentials)
    elif not is_loopback(_client(request)):
        raise _reject(
            request,
            403,
            "no API keys are configured (RAG_API_KEYS), so only loopback clients may write",
        )


def require_reader(request: Request, credentials: BearerCredentials) -> None:
    """Read routes when `RAG_REQUIRE_KEY_FOR_READ=true`: a valid key."""
    if request.url.path in OPEN_PATHS or not _keys(request).required_for_read:
        return
    _check_key(request, credentials)


def serving_notice(host: str, keys: ApiKeys) -> str:
    """What `rag serve` says at start about access; a `ConfigError` for an open public bind."""
    if not keys:
        if not is_loopback(host):
            raise ConfigError(
                f"refusing to listen on {host} without API keys: anyone who can reach it could "
                "rewrite the corpus; set RAG_API_KEYS (comma-separated keys, or a key file) "
                "or listen on 127.0.0.1"
            )
        return (
            f"no API keys configured (RAG_API_KEYS): listening on loopback only ({host}); "
            "writes are accepted from this machine without a key"
        )
    reads = "reads and writes" if keys.required_for_read else "writes"
    return f"{len(keys)} API key(s) configured: {reads} need Authorization: Bearer <key>"
