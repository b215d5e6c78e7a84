"""What every route needs: the wired service, and its repository in a thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from services.notify.adapters.repository import Repository, in_thread
from services.notify.domain.model import Subscription

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

T = TypeVar("T")


def notify_of(request: Request) -> Notify:
    return request.app.state.notify  # type: ignore[no-any-return]


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
