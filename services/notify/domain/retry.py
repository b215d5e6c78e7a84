"""The delivery retry schedule, as data: how often, and how long to wait between attempts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["delivered", "retry", "failed"]

# Standard Webhooks (https://www.standardwebhooks.com/): attempts immediately, then after 5 s, 5 min, 30 min,
# 2 h, 5 h, 10 h and 10 h: the pauses after each failed attempt, eight attempts over about 27.6 hours.
STANDARD_WEBHOOKS: tuple[float, ...] = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)


@dataclass(frozen=True)
class RetrySchedule:
    max_attempts: int
    base: float  # seconds after the first failed attempt
    cap: float  # the longest pause
    waits: tuple[float, ...] = ()  # a fixed schedule instead: the pause after each failed attempt

    @classmethod
    def fixed(cls, waits: Sequence[float]) -> RetrySchedule:
        """One attempt more than there are pauses."""
        return cls(len(waits) + 1, 0.0, 0.0, tuple(waits))

    def pause(self, attempts: int) -> float:
        """Pause after the `attempts`-th failed attempt: the fixed schedule's, else base, 2*base, 4*base, ...
        at most cap."""
        if self.waits:
            return self.waits[min(max(attempts, 1), len(self.waits)) - 1]
        return float(min(self.cap, self.base * 2 ** max(attempts - 1, 0)))

    def outcome(self, ok: bool, permanent: bool, attempts: int) -> Outcome:
        if ok:
            return "delivered"
        return "failed" if permanent or attempts >= self.max_attempts else "retry"

    def pauses(self) -> list[float]:
        """Every pause a delivery that keeps failing goes through."""
        return [self.pause(n) for n in range(1, self.max_attempts)]
