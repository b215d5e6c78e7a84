"""Operator API keys: argon2-hashed at rest in one JSON file, created and revoked with `ptl keys`.

A key reads `ptl_<id>_<secret>`; only the argon2 hash of the secret is stored, so the file (shared by the
three services, e.g. on a volume) gives nobody a working key. Services re-read the file when it changes, so a
revocation takes effect on the next request. A request presents a key as `Authorization: Bearer <key>`.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

SCOPES = ("ingest", "admin")  # admin may do everything ingest may
PREFIX = "ptl_"
_hasher = PasswordHasher()


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scopes: list[str]
    hash: str
    created_at: str
    revoked_at: str | None = None

    def allows(self, scope: str) -> bool:
        return self.revoked_at is None and (scope in self.scopes or "admin" in self.scopes)


@dataclass
class KeyStore:
    path: Path
    _loaded: tuple[float, int] | None = None
    _keys: dict[str, ApiKey] = field(default_factory=dict)
    _verified: dict[str, str] = field(default_factory=dict)  # sha256(token) -> key id, argon2 is slow on purpose
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def keys(self) -> dict[str, ApiKey]:
        with self._lock:
            try:
                stat = self.path.stat()
                mark: tuple[float, int] | None = (stat.st_mtime, stat.st_size)
            except FileNotFoundError:
                mark = None
            if mark != self._loaded:
                raw = json.loads(self.path.read_text()) if mark else []
                self._keys = {k["id"]: ApiKey(**k) for k in raw}
                self._verified.clear()
                self._loaded = mark
            return self._keys

    def _write(self, keys: Iterable[ApiKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump([asdict(k) for k in keys], out, indent=1)
        tmp.replace(self.path)

    def create(self, scopes: list[str], name: str = "") -> tuple[ApiKey, str]:
        """A new key; the token is returned once and never stored."""
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown or not scopes:
            raise ValueError(f"scopes must be some of {list(SCOPES)}, got {scopes}")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        key = ApiKey(key_id, name, sorted(set(scopes)), _hasher.hash(secret), datetime.now(UTC).isoformat())
        self._write([*self.keys().values(), key])
        return key, f"{PREFIX}{key_id}_{secret}"

    def revoke(self, key_id: str) -> bool:
        keys = self.keys()
        if key_id not in keys or keys[key_id].revoked_at:
            return False
        now = datetime.now(UTC).isoformat()
        self._write([ApiKey(**{**asdict(k), "revoked_at": now}) if k.id == key_id else k for k in keys.values()])
        return True

    def verify(self, token: str) -> ApiKey | None:
        keys = self.keys()
        fingerprint = hashlib.sha256(token.encode()).hexdigest()
        known = self._verified.get(fingerprint)
        if known is not None:
            return keys.get(known)
        key_id, sep, secret = token.removeprefix(PREFIX).partition("_")
        key = keys.get(key_id)
        if not token.startswith(PREFIX) or not sep or key is None:
            return None
        try:
            _hasher.verify(key.hash, secret)
        except (VerificationError, InvalidHashError):
            return None
        self._verified[fingerprint] = key.id
        return key


bearer = HTTPBearer(auto_error=False, description="an operator API key (`ptl keys create`) or a manage token")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def key_store(request: Request) -> KeyStore:
    store: KeyStore = request.app.state.api_keys
    return store


def presented_key(request: Request, credentials: HTTPAuthorizationCredentials | None) -> ApiKey | None:
    return key_store(request).verify(credentials.credentials) if credentials else None


def unauthorized(detail: str = "an API key is required (Authorization: Bearer <key>)") -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def allowed_key(key: ApiKey | None, scope: str) -> ApiKey:
    """The key, if it is live and allows `scope`: else 401 (no key) or 403 (too weak)."""
    if key is None or key.revoked_at:
        raise unauthorized()
    if not key.allows(scope):
        raise HTTPException(403, f"this key lacks the {scope!r} scope")
    return key


def require(scope: str) -> Callable[[Request, HTTPAuthorizationCredentials | None], ApiKey]:
    """A FastAPI dependency: the request carries a live key allowing `scope` (401 without one, 403 if too weak)."""

    def dependency(request: Request, credentials: Credentials) -> ApiKey:
        return allowed_key(presented_key(request, credentials), scope)

    return dependency


def require_before_body(app: FastAPI, scope: str, paths: frozenset[str]) -> None:
    """FastAPI reads a form body before it runs dependencies: uploads to `paths` are refused before that."""

    @app.middleware("http")
    async def authenticate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.method == "POST" and request.url.path in paths:
            credentials = await bearer(request)
            try:
                allowed_key(presented_key(request, credentials), scope)
            except HTTPException as exc:
                return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        return await call_next(request)
