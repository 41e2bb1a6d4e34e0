"""One fault's run: a bounded load starts, the fault strikes a third of the way in, a probe
command measures how long until a command sent after it is acknowledged and in both read
models, the load finishes, the system settles, and the acknowledged commands are
reconciled."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from signin import ADMIN

from .load import GIVE_UP_AFTER, Command, Load, Outcome, mixed_load, registration
from .observed import durables, facts_schema
from .reconcile import Row, reconcile
from .stack import ChaosSystem, chaos_system

COMMANDS_PER_FAULT = 150
SETTLE_SECONDS = 90.0
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
]


@dataclass
class Chaos:
    system: ChaosSystem
    branches: int = 0

    def new_branch(self) -> str:
        """A branch of its own for a fault, known to both consuming services."""
        self.branches += 1
        branch = f"CH-{self.branches:02}"
        self.create_unit(branch, "branch", f"Chi bộ thử nghiệm {self.branches}", "VL")
        self.system.eventually(
            lambda: bool(
                self.system.fetchval(
                    "attendance", "SELECT count(*) FROM org_units WHERE unit_id = $1", branch
                )
            ),
            timeout=60,
            what=f"attendance to know branch {branch}",
        )
        return branch

    def create_unit(self, unit: str, kind: str, name: str, parent: str | None) -> None:
        body = {
            "unit_id": unit,
            "kind": kind,
            "name": name,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        self.system.ok("assignment", "POST", "/v1/units", json=body)

    def run(self, fault: str, strike: Callable[[Chaos], list[str]]) -> tuple[Row, list[Outcome]]:
        """`strike` does the fault (and brings back what it killed) and returns notes."""
        system, row = self.system, Row(fault)
        # An earlier fault may have left a service down: it fails here, at once, saying why.
        system.revive_dead_services()
        self.logged_errors()  # read past what earlier runs logged
        branch = self.new_branch()
        urls = {name: s.base_url for name, s in system.services.items()}
        load = Load(urls, mixed_load(branch, fault.split()[-1], COMMANDS_PER_FAULT))
        load.start()
        system.eventually(
            lambda: load.done >= COMMANDS_PER_FAULT // 3, timeout=120, what="a third of the load"
        )
        struck = time.monotonic()
        row.notes.extend(strike(self))
        probe = self.probe(branch)
        row.recovery = time.monotonic() - struck
        load.wait(GIVE_UP_AFTER * 2)
        revived = system.revive_dead_services()
        if revived:
            row.problems.append(f"died without being killed: {', '.join(revived)}")
        self.settle()
        outcomes = [*load.outcomes, probe]
        reconcile(system, row, outcomes)
        refused = [o for o in load.outcomes if not o.acknowledged]
        if refused:
            statuses = sorted({o.refusal for o in refused})
            row.notes.append(f"not acknowledged: {len(refused)} ({', '.join(statuses)})")
        row.problems.extend(f"not an outage's 503: {e}" for e in load.server_errors[:5])
        if load.server_errors:
            row.problems.extend(self.logged_errors()[:3])
        if load.retries:
            row.notes.append("retried: " + ", ".join(f"{k}×{n}" for k, n in load.retries.items()))
        return row, outcomes

    def logged_errors(self) -> list[str]:
        return [
            f"{name} logged: {error}"
            for name, service in self.system.services.items()
            for error in service.new_errors()
        ]

    def probe(self, branch: str) -> Outcome:
        """A registration sent after the fault, retried with its key until acknowledged,
        then awaited in attendance's roster and rating's facts."""
        system = self.system
        outcome = Outcome(registration(branch, "probe"))
        deadline = time.monotonic() + GIVE_UP_AFTER
        while not outcome.acknowledged and time.monotonic() < deadline:
            outcome.attempts += 1
            send(system, outcome)
        assert outcome.acknowledged, f"the probe was never acknowledged: {outcome.status}"
        member = outcome.answer["member_id"]
        system.eventually(
            lambda: in_read_models(system, member),
            timeout=GIVE_UP_AFTER,
            what=f"the probe member {member} in both read models",
        )
        return outcome

    def settle(self) -> None:
        """Until every stored public event is on its stream and every consumer has nothing
        pending, or SETTLE_SECONDS: reconciliation then names what is missing."""
        system = self.system
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            try:
                if all(published(system, s) for s in ("assignment", "attendance")) and all(
                    system.consumer_idle(d.stream, d.name) for d in system.run(durables(system))
                ):
                    return
            except Exception:  # a server still coming back: ask again
                pass
            time.sleep(0.2)


def send(system: ChaosSystem, outcome: Outcome) -> None:
    command: Command = outcome.command
    url = system.services[command.service].base_url + command.path
    headers = {**ADMIN, "Idempotency-Key": f'"{command.key}"'}
    try:
        response = system.http.post(url, json=command.body, headers=headers, timeout=10)
    except httpx.TransportError:
        time.sleep(0.2)
        return
    outcome.status = response.status_code
    if response.status_code < 300:
        outcome.answer = response.json()
    elif response.status_code == 409 and response.json().get("code") == "concurrency_conflict":
        return  # the load's command on the same aggregate came first: run it again
    elif response.status_code < 500:
        raise AssertionError(f"{command.kind} refused: {response.status_code} {response.text}")
    else:
        time.sleep(0.2)


def in_read_models(system: ChaosSystem, member: str) -> bool:
    try:
        roster = system.fetchval(
            "attendance", "SELECT count(*) FROM roster_members WHERE member_id = $1", member
        )
        facts = facts_schema(system)
        rated = system.fetchval(
            "rating", f"SELECT count(*) FROM {facts}.members WHERE member_id = $1", member
        )
    except Exception:  # the test's own connection went with the server
        system.reconnect()
        return False
    return bool(roster and rated)


def published(system: ChaosSystem, service: str) -> bool:
    """Every stored public event is on the stream (the count may exceed it by the stray
    messages put there on purpose)."""
    assert system.nc is not None
    stored = system.fetchval(
        service, "SELECT count(*) FROM events WHERE NOT (metadata ? 'private')"
    )
    info = system.run(system.nc.jetstream().stream_info(f"CHIBO_{service.upper()}"))
    return bool(info.state.messages >= stored)


@contextmanager
def start_chaos(root: Path) -> Iterator[Chaos]:
    with chaos_system(root) as system:
        chaos = Chaos(system)
        for unit in UNITS:
            chaos.create_unit(*unit)
        yield chaos
