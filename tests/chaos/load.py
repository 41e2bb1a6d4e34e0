"""A bounded load of real commands, sent by a few concurrent clients in a thread of their
own while a fault happens, each with an Idempotency-Key of its own.

A client retries what may not have been done, with the same key: a 503 (after its
Retry-After, capped), any other 5xx, a refused or broken connection, a timeout, and a 409
concurrency conflict (another client's command on the same aggregate came first). A command
counts as acknowledged only on a 2xx answer; the answer's event ids are what the event
store must then hold.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from signin import ADMIN

CLIENTS = 4
ANSWER_TIMEOUT = 10.0  # seconds a client waits for an answer before it retries
GIVE_UP_AFTER = 90.0  # seconds a command is retried at most
_RETRY_AFTER_CAP = 1.0

_cards = itertools.count(7_000_000)


@dataclass(frozen=True)
class Command:
    service: str
    kind: str
    path: str
    body: dict[str, Any]
    marker: str  # a value only this command's events carry: its effect, counted in the store
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    raw: bytes | None = None  # sent as the body instead of `body` as JSON
    method: str = "POST"


@dataclass
class Outcome:
    command: Command
    status: int | None = None  # the last answer's; None when no answer ever came
    answer: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def event_ids(self) -> list[str]:
        return [str(e) for e in self.answer.get("event_ids", [])]

    @property
    def refusal(self) -> str:
        return f"{self.status} {self.answer.get('code', '')}".strip()


def registration(branch: str, tag: str) -> Command:
    card = next(_cards)
    body = {
        "full_name": f"Thử nghiệm {tag} {card}",
        "branch_id": branch,
        "admission_date": "2010-05-19",
        "card_number": str(card),
        "birth_date": "1970-01-01",
    }
    return Command("assignment", "register member", "/v1/members", body, body["full_name"])


def meeting(branch: str, day: int, tag: str) -> Command:
    month, dom = 1 + day // 28 % 12, 1 + day % 28
    body = {
        "kind": "thematic",
        "scheduled_for": f"2025-{month:02}-{dom:02}T19:30:00+07:00",
        "place": "Nhà văn hóa",
        "topic": f"Chuyên đề {tag} {day}",
    }
    path = f"/v1/branches/{branch}/meetings"
    return Command("attendance", "schedule meeting", path, body, body["topic"])


def households(branch: str, batch: int) -> Command:
    body = {
        "households": [
            {"household_id": f"ch-{branch}-{batch}-{i}", "label": f"Hộ {batch}.{i}"}
            for i in range(3)
        ]
    }
    path = f"/v1/branches/{branch}/households"
    return Command("assignment", "register households", path, body, f"ch-{branch}-{batch}-0")


def mixed_load(branch: str, tag: str, count: int) -> list[Command]:
    """Mostly registrations (they travel to both read models), with meetings scheduled
    (attendance's own, projected by rating) and households registered (assignment's,
    read by rating's consumer)."""
    commands: list[Command] = []
    for n in range(count):
        if n % 5 == 3:
            commands.append(meeting(branch, n, tag))
        elif n % 10 == 9:
            commands.append(households(branch, n))
        else:
            commands.append(registration(branch, tag))
    return commands


class Load:
    """Sends `commands` with CLIENTS concurrent clients in a thread; start(), then wait()."""

    def __init__(self, base_urls: dict[str, str], commands: Sequence[Command]) -> None:
        self.base_urls = base_urls
        self.outcomes = [Outcome(c) for c in commands]
        self.retries: Counter[str] = Counter()  # why a command was sent again
        self.server_errors: list[str] = []  # 5xx answers that were not an outage's 503
        self._next = 0
        self._done = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    @property
    def done(self) -> int:
        with self._lock:
            return self._done

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"the load did not finish within {timeout}s"

    async def _run(self) -> None:
        limits = httpx.Limits(max_keepalive_connections=CLIENTS)
        timeout = httpx.Timeout(ANSWER_TIMEOUT, connect=2.0)
        async with httpx.AsyncClient(timeout=timeout, limits=limits, trust_env=False) as http:
            await asyncio.gather(*(self._client(http) for _ in range(CLIENTS)))

    async def _client(self, http: httpx.AsyncClient) -> None:
        while True:
            with self._lock:
                if self._next >= len(self.outcomes):
                    return
                outcome = self.outcomes[self._next]
                self._next += 1
            await self._send(http, outcome)
            with self._lock:
                self._done += 1

    async def _send(self, http: httpx.AsyncClient, outcome: Outcome) -> None:
        command = outcome.command
        url = self.base_urls[command.service] + command.path
        headers = {**ADMIN, "Idempotency-Key": f'"{command.key}"'}
        deadline = time.monotonic() + GIVE_UP_AFTER
        while time.monotonic() < deadline:
            outcome.attempts += 1
            try:
                response = await http.post(url, json=command.body, headers=headers)
            except httpx.TimeoutException:
                self.retries["timeout"] += 1
                continue
            except httpx.TransportError:
                self.retries["connection"] += 1
                await asyncio.sleep(0.2)  # the service is restarting: no point hammering it
                continue
            outcome.status = response.status_code
            outcome.answer = _body(response)
            code = str(outcome.answer.get("code", ""))
            if response.status_code == 409 and code == "concurrency_conflict":
                # Another client's command on the same aggregate won the race; a refusal
                # is not kept under the key, so the same key runs the command again.
                self.retries["409 concurrency_conflict"] += 1
                await asyncio.sleep(0.05)
                continue
            if response.status_code < 500:
                return
            self.retries[str(response.status_code)] += 1
            if response.status_code != 503:  # an outage must be a 503: anything else is a defect
                self.server_errors.append(
                    f"{command.kind}: {response.status_code} {code} "
                    f"(correlation {response.headers.get('x-correlation-id', '?')})"
                )
            elif "Retry-After" not in response.headers:
                self.server_errors.append(f"{command.kind}: 503 without Retry-After")
            await asyncio.sleep(_pause(response))


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"code": response.text[:80]}
    return body if isinstance(body, dict) else {}


def _pause(response: httpx.Response) -> float:
    try:
        asked = float(response.headers.get("Retry-After", "0.2"))
    except ValueError:
        asked = 0.2
    return min(max(asked, 0.05), _RETRY_AFTER_CAP)
