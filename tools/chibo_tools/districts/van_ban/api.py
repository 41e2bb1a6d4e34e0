"""Talking to the three services: one call that retries write conflicts, phases with their
timings, bounded concurrency, and polling until events have flowed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

T = TypeVar("T")

CONFLICT_RETRIES = 3
POLL_SECONDS = 0.5


class GeneratorError(RuntimeError):
    """A service refused a step, or did not get where the next step needs it in time."""


class PlanError(GeneratorError):
    """The parameters cannot give the figures under the rule set in force."""


@dataclass
class Api:
    assignment: httpx.AsyncClient
    attendance: httpx.AsyncClient
    rating: httpx.AsyncClient
    requests: int = 0
    conflicts: int = 0

    async def call(self, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> Any:
        """The answer's JSON; a refusal raises, a write conflict (nothing written) is retried."""
        for attempt in range(CONFLICT_RETRIES + 1):
            self.requests += 1
            response = await client.request(method, url, **kwargs)
            if response.status_code == 409 and attempt < CONFLICT_RETRIES:
                self.conflicts += 1
                continue
            if response.status_code >= 300:
                raise GeneratorError(
                    f"{method} {client.base_url}{url.lstrip('/')}: "
                    f"{response.status_code} {response.text[:800]}"
                )
            return response.json()
        raise AssertionError("unreachable")

    async def roster(self, unit_id: str, day: str) -> list[dict[str, Any]] | None:
        """A unit's roster at attendance on `day`; None while the unit has not yet arrived
        there through NATS (attendance answers 404 for a unit it does not know)."""
        url = f"/v1/branches/{unit_id}/roster"
        self.requests += 1
        response = await self.attendance.get(url, params={"on": day})
        if response.status_code == 404:
            return None
        if response.status_code >= 300:
            raise GeneratorError(f"GET {url}: {response.status_code} {response.text[:800]}")
        members: list[dict[str, Any]] = response.json()["members"]
        return members

    async def every_page(self, client: httpx.AsyncClient, url: str, page: int = 1000) -> Any:
        """A paged list whole: the member lists answer `page` members at a time."""
        found: list[Any] = []
        while True:
            params = {"limit": page, "offset": len(found)}
            chunk = await self.call(client, "GET", url, params=params)
            found += chunk
            if len(chunk) < page:
                return found


@dataclass
class Phases:
    """Each phase's wall time and requests, and the CPU this process spent meanwhile: with the
    services in-process (the tests), a phase whose CPU is close to its wall time is bound by
    the one Python thread they all share."""

    api: Api
    progress: Callable[[str], None]
    timings: dict[str, float] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    async def run(self, name: str, work: Awaitable[str]) -> None:
        started, cpu, before = time.perf_counter(), time.process_time(), self.api.requests
        note = await work
        seconds = time.perf_counter() - started
        count = self.api.requests - before
        self.timings[name] = round(seconds, 2)
        self.requests[name] = count
        self.cpu[name] = round(time.process_time() - cpu, 2)
        each = f", {1000 * seconds / count:.1f} ms a request" if count else ""
        self.progress(
            f"{name}: {seconds:.1f} s ({self.cpu[name]:.1f} s CPU here), "
            f"{count} requests{each}; {note}"
        )


async def each(items: Sequence[T], work: Callable[[T], Awaitable[None]], limit: int) -> None:
    """`work` on every item, at most `limit` at once; the first failure stops the rest."""
    queue = iter(items)

    async def worker() -> None:
        for item in queue:
            await work(item)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, min(limit, len(items)))):
                group.create_task(worker())
    except ExceptionGroup as failed:
        first: BaseException = failed
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        raise first from None


async def until(check: Callable[[], Awaitable[str | None]], *, what: str, within: float) -> None:
    """Poll `check` (None: done; else what is still missing) until it holds or time is up."""
    deadline = time.monotonic() + within
    while (missing := await check()) is not None:
        if time.monotonic() > deadline:
            raise GeneratorError(f"timed out after {within:.0f} s waiting for {what}: {missing}")
        await asyncio.sleep(POLL_SECONDS)  # polling another service's progress


async def scorecards_show(
    api: Api, url: str, expected: dict[str, dict[str, int]], *, within: float
) -> str:
    """Wait until the rating service has nothing pending and the member scorecards at `url`
    show what was entered (`expected`: member → the scorecard fields and their values).

    Nothing pending alone is not enough: it says nothing of events still in the other
    services' outboxes, so the scorecards are compared with what was entered."""
    early = 0  # times rating had nothing pending while its facts still lacked something
    keys = list(next(iter(expected.values())))

    async def idle() -> str | None:
        status = await api.call(api.rating, "GET", "/v1/admin/read-models")
        parked = {k: v for k, v in status.get("parked", {}).items() if v}
        if parked:
            raise GeneratorError(f"the rating service parked events: {parked}")
        pending = status["pending"]
        done = bool(pending) and all(n == 0 for n in pending.values())
        return None if done else f"pending {pending}"

    async def facts() -> str | None:
        nonlocal early
        missing = await idle()
        if missing is not None:
            return missing
        cards = await api.every_page(api.rating, url)
        found = {c["member_id"]: {k: c[k] for k in keys} for c in cards}
        wrong = [k for k, v in expected.items() if found.get(k) != v]
        if not wrong and len(found) == len(expected):
            return None
        early += 1
        example = wrong[0] if wrong else None
        return (
            f"{len(wrong)} of {len(expected)} members' facts incomplete "
            f"(e.g. {example}: {found.get(example or '')} for {expected.get(example or '')}); "
            f"{len(found)} scorecards"
        )

    await until(facts, what="the rating service's facts", within=within)
    return (
        f"{len(expected)} members' reports and marks all in rating's facts "
        f"({early} times idle before they were)"
    )
