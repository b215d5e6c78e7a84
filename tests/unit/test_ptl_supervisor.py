"""The supervisor's decisions, on a clock it is given: when to restart a child, and how long to wait first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.ptl.supervisor import Backoff, Supervisor


@dataclass
class FakeProcess:
    code: int | None = None

    def poll(self) -> int | None:
        return self.code


@dataclass
class FakeSystem:
    processes: dict[str, Any] = field(default_factory=lambda: {"timeline": FakeProcess()})
    nats: Any = None
    fail_next: int = 0
    respawned: list[str] = field(default_factory=list)

    def respawn(self, name: str) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("port taken")
        self.respawned.append(name)
        self.processes[name] = FakeProcess()

    def crash(self, name: str, code: int = -9) -> None:
        self.processes[name].code = code


def supervisor(system: FakeSystem, said: list[str]) -> Supervisor:
    return Supervisor(system, said.append, Backoff(base=1, cap=8, stable=60))  # type: ignore[arg-type]


def test_a_crashed_child_comes_back_after_a_growing_pause_that_resets_once_it_runs_stably() -> None:
    system, said = FakeSystem(), []
    watch = supervisor(system, said)
    watch.check(now=0)
    system.crash("timeline")
    watch.check(now=10)
    assert said == ["timeline exited with code -9; restarting it in 1s"] and system.respawned == []
    watch.check(now=10.5)
    assert system.respawned == []
    watch.check(now=11)
    assert system.respawned == ["timeline"] and said[-1] == "timeline restarted (restart 1 in a row)"

    system.crash("timeline", 1)  # crashes again at once: wait longer
    watch.check(now=12)
    assert said[-1] == "timeline exited with code 1; restarting it in 2s"
    watch.check(now=14)
    assert system.respawned == ["timeline"] * 2

    watch.check(now=80)  # up for over a minute: the next crash starts from the shortest pause again
    system.crash("timeline")
    watch.check(now=81)
    assert said[-1] == "timeline exited with code -9; restarting it in 1s"


def test_a_restart_that_fails_is_tried_again_later() -> None:
    system, said = FakeSystem(fail_next=1), []
    watch = supervisor(system, said)
    system.crash("timeline")
    watch.check(now=0)
    watch.check(now=1)
    assert said[-1] == "timeline did not start again: port taken" and system.respawned == []
    watch.check(now=1.5)
    assert said[-1] == "timeline exited with code -9; restarting it in 2s"
    watch.check(now=3.5)
    assert system.respawned == ["timeline"]


def test_the_pause_is_capped() -> None:
    assert [Backoff(base=1, cap=8).delay(n) for n in range(6)] == [1, 2, 4, 8, 8, 8]
