"""`ptl up` watches its children: a crashed service, SMTP sink or nats-server is restarted, with backoff.

nats-server comes back on the same port and data folder, so the services (which reconnect forever) carry on
where they were; a service comes back on its port and catches up from its checkpoint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from services.ptl.embedded import EmbeddedSystem


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 30.0
    stable: float = 60.0  # up this long: the next crash starts the backoff again

    def delay(self, restarts: int) -> float:
        return float(min(self.cap, self.base * 2**restarts))


@dataclass
class ChildState:
    restarts: int = 0  # in a row, without a stable run in between
    restart_at: float | None = None  # a restart is scheduled
    started_at: float = 0.0


class Supervisor:
    def __init__(self, system: EmbeddedSystem, say: Callable[[str], None], backoff: Backoff | None = None) -> None:
        self.system = system
        self.say = say
        self.backoff = backoff or Backoff()
        self.children: dict[str, ChildState] = {}

    def exit_code(self, name: str) -> int | None:
        """None while the child runs (or is not ours to watch)."""
        if name == "nats":
            process = self.system.nats.process if self.system.nats else None
        else:
            process = self.system.processes.get(name)
        return None if process is None else process.poll()

    def names(self) -> list[str]:
        return (["nats"] if self.system.nats else []) + list(self.system.processes)

    def check(self, now: float | None = None) -> None:
        """One round: schedule a restart for each child that exited, and do the restarts that are due."""
        now = time.monotonic() if now is None else now
        for name in self.names():
            state = self.children.setdefault(name, ChildState(started_at=now))
            code = self.exit_code(name)
            if code is None:
                if state.restarts and now - state.started_at >= self.backoff.stable:
                    state.restarts = 0
                continue
            if state.restart_at is None:
                delay = self.backoff.delay(state.restarts)
                state.restart_at = now + delay
                self.say(f"{name} exited with code {code}; restarting it in {delay:.0f}s")
            if now >= state.restart_at:
                self.restart(name, state, now)

    def restart(self, name: str, state: ChildState, now: float) -> None:
        state.restart_at, state.started_at = None, now
        state.restarts += 1
        try:
            if name == "nats":
                assert self.system.nats
                self.system.nats.start()  # same port, same store folder
                self.system.record_instance()
            else:
                self.system.respawn(name)
        except Exception as exc:  # e.g. the port is still taken: try again after the next pause
            self.say(f"{name} did not start again: {exc}")
            return
        self.say(f"{name} restarted (restart {state.restarts} in a row)")
