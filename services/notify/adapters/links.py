"""Signed links in mails (itsdangerous): confirming a subscription (expires) and unsubscribing (does not).

Anyone holding the link may use it, and nobody can make one for another subscription without the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from itsdangerous import BadData, URLSafeTimedSerializer

from services.notify.settings import NotifySettings

CONFIRM, UNSUBSCRIBE = "confirm", "unsubscribe"


class BadLink(ValueError):
    """A link that was tampered with, made for something else, or expired."""


@dataclass(frozen=True)
class Links:
    key: str
    base_url: str
    confirm_seconds: float

    @classmethod
    def of(cls, settings: NotifySettings) -> Links:
        return cls(settings.signing_key(), settings.public_url.rstrip("/"), settings.confirm_hours * 3600)

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.key, salt=f"policy-timeline-{purpose}")

    def token(self, purpose: str, subscription_id: str) -> str:
        return self._serializer(purpose).dumps(subscription_id)

    def url(self, purpose: str, subscription_id: str) -> str:
        return f"{self.base_url}/{purpose}?{urlencode({'token': self.token(purpose, subscription_id)})}"

    def subscription_id(self, purpose: str, token: str) -> str:
        max_age = round(self.confirm_seconds) if purpose == CONFIRM else None
        try:
            value = self._serializer(purpose).loads(token, max_age=max_age)
        except BadData as exc:
            raise BadLink(f"this {purpose} link is invalid or expired") from exc
        if not isinstance(value, str):
            raise BadLink(f"this {purpose} link is invalid")
        return value
