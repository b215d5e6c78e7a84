"""/subscriptions: create (with backfill from `since`), list, read and delete subscriptions; /confirm and
/unsubscribe, the signed links in mails.

Who may do what: anyone may subscribe (within the per-client and per-address limits); an email subscription
gets nothing until the address's owner follows the confirmation link; the manage token returned once at
creation reads and deletes that one subscription; an admin key reads and deletes any, and lists them all.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Annotated, Any

import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from schemas.codec import day_start
from schemas.events import EVENT_TYPES
from schemas.ids import subscription_id
from services.common.auth import ApiKey, Credentials, presented_key, require
from services.notify.adapters.links import CONFIRM, UNSUBSCRIBE, BadLink
from services.notify.adapters.notifications import CHANNELS
from services.notify.adapters.repository import Repository, in_thread
from services.notify.domain.matching import aware
from services.notify.domain.model import Channel, Subscription
from services.notify.entrypoints.context import (
    existing_subscription,
    invalid,
    notify_of,
    owned_subscription,
    read_json,
    token_hash,
    transact,
)

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify
from services.notify.handlers import APPLYING, backfill
from services.notify.signing import new_secret

log = structlog.get_logger("notify")
router = APIRouter()


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    target: str
    motion_id: str | None = None
    forum_id: str | None = None
    commitment_id: str | None = None
    event_types: list[str] | None = None
    since: datetime | date | None = None

    @field_validator("target")
    @classmethod
    def _target(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        channel = info.data.get("channel")
        return CHANNELS[channel].check_target(value) if channel in CHANNELS else value

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = sorted(set(value) - set(EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event types {unknown}; expected some of {sorted(EVENT_TYPES)}")
        if not value:
            raise ValueError("empty list: leave it out for the default types")
        return sorted(set(value))

    def since_moment(self) -> datetime:
        if self.since is None:
            return datetime.now(UTC)
        if isinstance(self.since, datetime):
            return aware(self.since)
        return day_start(self.since)

    def subscription(self, manage_token: str, client: str | None) -> Subscription:
        created = datetime.now(UTC)
        return Subscription(
            id=subscription_id(self.channel.value, self.target, created.isoformat(), secrets.token_hex(8)),
            channel=self.channel.value,
            target=self.target,
            motion_id=self.motion_id,
            forum_id=self.forum_id,
            commitment_id=self.commitment_id,
            event_types=self.event_types,
            since=self.since_moment(),
            secret=new_secret() if CHANNELS[self.channel].signed else None,
            active=True,
            created_at=created,
            confirmed=not CHANNELS[self.channel].confirmed_by_owner,
            manage_token_hash=token_hash(manage_token),
            client=client,
        )


def subscription_view(sub: Subscription, secret: bool = False) -> dict[str, Any]:
    view = {
        "id": sub.id,
        "channel": sub.channel,
        "target": sub.target,
        "motion_id": sub.motion_id,
        "forum_id": sub.forum_id,
        "commitment_id": sub.commitment_id,
        "event_types": sub.event_types,
        "since": sub.since.isoformat(),
        "active": sub.active,
        "confirmed": sub.confirmed,
        "created_at": sub.created_at.isoformat(),
        "deleted_at": sub.deleted_at.isoformat() if sub.deleted_at else None,
    }
    if secret and sub.secret:
        view["secret"] = sub.secret  # shown once, at creation
    return view


def within_limits(repo: Repository, notify: Notify, sub: Subscription) -> None:
    """Per client (subscriptions made in the last hour) and per address (confirmation mails in the last day)."""
    now, settings = sub.created_at, notify.settings
    if repo.count_subscriptions(now - timedelta(hours=1), client=sub.client) >= settings.max_per_client_per_hour:
        raise HTTPException(429, "too many subscriptions from this client; try again later")
    if not sub.confirmed and (
        repo.count_subscriptions(now - timedelta(days=1), target=sub.target) >= settings.max_per_address_per_day
    ):
        raise HTTPException(429, "too many confirmation mails to this address today; try again tomorrow")


@router.post("/subscriptions", status_code=201)
async def create_subscription(body: SubscriptionIn, request: Request, credentials: Credentials) -> dict[str, Any]:
    notify = notify_of(request)
    key = presented_key(request, credentials)
    try:
        await CHANNELS[body.channel].vet(body.target, notify.settings)
    except ValueError as exc:
        raise invalid("target", str(exc)) from exc
    manage_token = secrets.token_urlsafe(32)
    new = body.subscription(manage_token, request.client.host if request.client else None)

    def create(repo: Repository) -> tuple[Subscription, int]:
        if not (key and key.allows("admin")):
            within_limits(repo, notify, new)
        repo.add_subscription(new)
        stored = repo.subscription(new.id)
        assert stored is not None
        return stored, backfill(repo, stored)

    sub, queued = await in_thread(notify.transactions, create, guard=APPLYING)
    answer = {**subscription_view(sub, secret=True), "manage_token": manage_token, "backfilled": queued}
    if not sub.confirmed:
        sent = await notify.mailer.send_confirmation(sub)
        answer["confirmation"] = "mailed" if sent.ok else "not mailed (mail server unavailable); subscribe again later"
    notify.worker.wake()
    log.info("subscription.created", subscription_id=sub.id, channel=sub.channel, backfilled=queued)
    return answer


@router.get("/subscriptions", response_model=list[dict[str, Any]], dependencies=[Depends(require("admin"))])
async def list_subscriptions(request: Request, include_deleted: bool = False) -> Response:
    return await read_json(request, lambda repo: [subscription_view(s) for s in repo.subscriptions(include_deleted)])


Owned = Annotated[Subscription, Depends(owned_subscription)]


@router.get("/subscriptions/{sub_id}")
async def read_subscription(sub: Owned) -> dict[str, Any]:
    return subscription_view(sub)


@router.delete("/subscriptions/{sub_id}", status_code=204)
async def delete_subscription(sub: Owned, request: Request) -> Response:
    await transact(request, lambda repo: repo.delete_subscription(sub.id, datetime.now(UTC)))
    log.info("subscription.deleted", subscription_id=sub.id)
    return Response(status_code=204)


async def confirm(request: Request, sub_id: str) -> dict[str, Any]:
    """Confirm and backfill, once; a second confirmation (or of a deleted one) changes nothing."""
    notify = notify_of(request)

    def run(repo: Repository) -> int:
        existing_subscription(repo, sub_id)
        if not repo.confirm_subscription(sub_id):
            return 0
        sub = repo.subscription(sub_id)
        assert sub is not None
        return backfill(repo, sub)

    queued = await in_thread(notify.transactions, run, guard=APPLYING)
    notify.worker.wake()
    log.info("subscription.confirmed", subscription_id=sub_id, backfilled=queued)
    return {"subscription_id": sub_id, "confirmed": True, "backfilled": queued}


@router.post("/subscriptions/{sub_id}/confirm")
async def confirm_as_admin(sub_id: str, request: Request, _: Annotated[ApiKey, Depends(require("admin"))]) -> Any:
    """An operator confirms on the subscriber's behalf (e.g. a mailbox the operator runs)."""
    return await confirm(request, sub_id)


Token = Annotated[str, Query(max_length=512, description="from the link in the mail")]


def linked_subscription(request: Request, purpose: str, token: str) -> str:
    try:
        return notify_of(request).links.subscription_id(purpose, token)
    except BadLink as exc:
        raise HTTPException(400, str(exc)) from exc


PAGES = {
    CONFIRM: ("Confirm subscription", "Send policy-timeline alerts to this address."),
    UNSUBSCRIBE: ("Unsubscribe", "Stop policy-timeline alerts to this address."),
}


def button_page(request: Request, purpose: str, token: str) -> HTMLResponse:
    """GET only shows a button: link scanners that open every link in a mail must not (un)subscribe anyone."""
    linked_subscription(request, purpose, token)
    title, text = (escape(t) for t in PAGES[purpose])
    return HTMLResponse(
        f"<!doctype html><meta charset=utf-8><title>{title}</title><h1>{title}</h1><p>{text}</p>"
        f"<form method=post action='{escape(str(request.url))}'><button>{title}</button></form>"
    )


@router.get("/confirm", response_class=HTMLResponse)
async def confirm_page(request: Request, token: Token) -> HTMLResponse:
    return button_page(request, CONFIRM, token)


@router.post("/confirm")
async def confirm_by_link(request: Request, token: Token) -> dict[str, Any]:
    return await confirm(request, linked_subscription(request, CONFIRM, token))


@router.get("/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_page(request: Request, token: Token) -> HTMLResponse:
    return button_page(request, UNSUBSCRIBE, token)


@router.post("/unsubscribe")
async def unsubscribe(request: Request, token: Token) -> dict[str, Any]:
    """RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` here, without a login."""
    sub_id = linked_subscription(request, UNSUBSCRIBE, token)

    def delete(repo: Repository) -> None:
        existing_subscription(repo, sub_id)
        repo.delete_subscription(sub_id, datetime.now(UTC))

    await transact(request, delete)
    log.info("subscription.unsubscribed", subscription_id=sub_id)
    return {"subscription_id": sub_id, "active": False}


def expire(repo: Repository, confirm_hours: float) -> int:
    now = datetime.now(UTC)
    return repo.expire_unconfirmed(now - timedelta(hours=confirm_hours), now)


async def expire_unconfirmed(notify: Notify) -> None:
    """Periodically end email subscriptions whose owner never confirmed them."""
    while True:
        try:
            expired = await in_thread(notify.transactions, lambda repo: expire(repo, notify.settings.confirm_hours))
            if expired:
                log.info("subscriptions.expired", count=expired)
        except Exception:
            log.exception("subscriptions.expiry_failed")
        await asyncio.sleep(notify.settings.deadline_sweep_seconds)
