"""The delivery retry schedule, as data: how often, and how long to wait between attempts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["delivered", "retry", "failed"]


@dataclass(frozen=True)
class RetrySchedule:
    max_attempts: int
    base: float  # seconds after the first failed attempt
    cap: float  # the longest pause

    def pause(self, attempts: int) -> float:
        """Pause after the `attempts`-th failed attempt: base, 2*base, 4*base, ... at most cap."""
        return min(self.cap, self.base * 2 ** max(attempts - 1, 0))

    def outcome(self, ok: bool, permanent: bool, attempts: int) -> Outcome:
        if ok:
            return "delivered"
        return "failed" if permanent or attempts >= self.max_attempts else "retry"

    def pauses(self) -> list[float]:
        """Every pause a delivery that keeps failing goes through."""
        return [self.pause(n) for n in range(1, self.max_attempts)]
