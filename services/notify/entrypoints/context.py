"""What every route needs: the wired service, and its repository in a thread."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from services.common.auth import Credentials, presented_key, unauthorized
from services.notify.adapters.repository import Repository, in_thread
from services.notify.domain.model import Subscription

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

T = TypeVar("T")


def notify_of(request: Request) -> Notify:
    notify: Notify = request.app.state.notify
    return notify


async def transact(request: Request, work: Callable[[Repository], T]) -> T:
    """One transaction off the event loop."""
    return await in_thread(notify_of(request).transactions, work)


async def read_json(request: Request, work: Callable[[Repository], Any]) -> JSONResponse:
    """One transaction and the rendering of its JSON answer off the event loop (long lists take a while)."""
    return await transact(request, lambda repo: JSONResponse(work(repo)))


def existing_subscription(repo: Repository, sub_id: str) -> Subscription:
    sub = repo.subscription(sub_id)
    if sub is None:
        raise HTTPException(404, f"subscription_id: no subscription {sub_id!r}")
    return sub


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 in the documented error schema, for a check made after the body parsed."""
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def token_hash(token: str) -> str:
    """Manage tokens are 256 random bits: a plain SHA-256 at rest is enough (no guessing to slow down)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def owned_subscription(sub_id: str, request: Request, credentials: Credentials) -> Subscription:
    """The subscription, for its manage token's holder or an admin key (401 without a credential; 404 for a
    subscription the credential does not open, so ids cannot be probed)."""
    if credentials is None:
        raise unauthorized("a manage token or an admin key is required (Authorization: Bearer <token>)")
    key = presented_key(request, credentials)
    sub = await transact(request, lambda repo: repo.subscription(sub_id))
    admin = key is not None and key.allows("admin")
    owner = (
        sub is not None
        and sub.manage_token_hash is not None
        and hmac.compare_digest(token_hash(credentials.credentials), sub.manage_token_hash)
    )
    if sub is None or not (admin or owner):
        raise HTTPException(404, f"subscription_id: no subscription {sub_id!r}")
    return sub
