"""/subscriptions: create (with backfill from `since`), list, read and delete subscriptions."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from schemas.codec import day_start
from schemas.events import EVENT_TYPES
from schemas.ids import subscription_id
from services.notify.adapters.notifications import CHANNELS
from services.notify.adapters.repository import Repository, in_thread
from services.notify.domain.matching import aware
from services.notify.domain.model import Channel, Subscription
from services.notify.entrypoints.context import existing_subscription, notify_of, read_json, transact
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

    def subscription(self) -> Subscription:
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
        "created_at": sub.created_at.isoformat(),
        "deleted_at": sub.deleted_at.isoformat() if sub.deleted_at else None,
    }
    if secret and sub.secret:
        view["secret"] = sub.secret  # shown once, at creation
    return view


@router.post("/subscriptions", status_code=201)
async def create_subscription(body: SubscriptionIn, request: Request) -> dict[str, Any]:
    new, notify = body.subscription(), notify_of(request)

    def create(repo: Repository) -> tuple[Subscription, int]:
        repo.add_subscription(new)
        stored = repo.subscription(new.id)
        assert stored is not None
        return stored, backfill(repo, stored)

    sub, queued = await in_thread(notify.transactions, create, guard=APPLYING)
    notify.worker.wake()
    log.info("subscription.created", subscription_id=sub.id, channel=sub.channel, backfilled=queued)
    return {**subscription_view(sub, secret=True), "backfilled": queued}


@router.get("/subscriptions", response_model=list[dict[str, Any]])
async def list_subscriptions(request: Request, include_deleted: bool = False) -> Response:
    return await read_json(request, lambda repo: [subscription_view(s) for s in repo.subscriptions(include_deleted)])


@router.get("/subscriptions/{sub_id}")
async def read_subscription(sub_id: str, request: Request) -> dict[str, Any]:
    return await transact(request, lambda repo: subscription_view(existing_subscription(repo, sub_id)))


@router.delete("/subscriptions/{sub_id}", status_code=204)
async def delete_subscription(sub_id: str, request: Request) -> Response:
    def delete(repo: Repository) -> None:
        existing_subscription(repo, sub_id)
        repo.delete_subscription(sub_id, datetime.now(UTC))

    await transact(request, delete)
    log.info("subscription.deleted", subscription_id=sub_id)
    return Response(status_code=204)
