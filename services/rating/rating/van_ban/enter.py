"""Entering the planned district's year through the three services' HTTP APIs, phase by
phase, waiting where events must flow through NATS first."""

from __future__ import annotations

import asyncio
import json
import random
import time
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from chibo_kernel.clock import VIETNAM

from .plan import (
    CONFLICT_RETRIES,
    DEFAULTS,
    POLL_SECONDS,
    QUALITY_ATTENDANCE,
    QUALITY_MINUTES,
    QUOTA,
    RULE_SET,
    SITUATIONS,
    BranchPlan,
    DistrictPlan,
    GeneratorError,
    OrganisationPlan,
    T,
    VanBanParameters,
    member_file,
    plan_district,
)

# --- talking to the services -----------------------------------------------------------------


@dataclass
class _Api:
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


@dataclass
class _Phases:
    """Each phase's wall time and requests, and the CPU this process spent meanwhile: with the
    services in-process (the test), a phase whose CPU is close to its wall time is bound by
    the one Python thread they all share."""

    api: _Api
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


async def _each(items: Sequence[T], work: Callable[[T], Awaitable[None]], limit: int) -> None:
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


async def _until(check: Callable[[], Awaitable[str | None]], *, what: str, within: float) -> None:
    """Poll `check` (None: done; else what is still missing) until it holds or time is up."""
    deadline = time.monotonic() + within
    while (missing := await check()) is not None:
        if time.monotonic() > deadline:
            raise GeneratorError(f"timed out after {within:.0f} s waiting for {what}: {missing}")
        await asyncio.sleep(POLL_SECONDS)  # polling another service's progress


# --- the year, phase by phase ----------------------------------------------------------------


async def generate(
    assignment: httpx.AsyncClient,
    attendance: httpx.AsyncClient,
    rating: httpx.AsyncClient,
    params: VanBanParameters = DEFAULTS,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Build the district, enter its year, decide as proposed; the roll-up and the timings."""
    began = time.perf_counter()
    api = _Api(assignment, attendance, rating)
    phases = _Phases(api, progress)
    plan = plan_district(params)
    progress(f"plan (seed {params.seed}): {json.dumps(plan.summary(), ensure_ascii=False)}")
    await _check_rule_set(api, params.year)
    p, year = params, params.year

    await phases.run("units", _units(api, plan))
    await phases.run("members", _import_members(api, plan))
    await phases.run("rosters", _rosters(api, plan))
    await phases.run("plans", _plans(api, plan))
    await phases.run("reports", _reports(api, plan))
    await phases.run("meetings", _held_meetings(api, plan))
    await phases.run("rating_catch_up", _caught_up(api, plan))
    await phases.run("member_decisions", _decide_members(api, plan))
    await phases.run("branch_decisions", _decide_branches(api, plan))
    await phases.run("organisation_decisions", _decide_organisations(api, plan))
    rollup: dict[str, Any] = {}

    async def read_rollup() -> str:
        rollup.update(await api.call(rating, "GET", f"/v1/units/{p.district_id}/rollup/{year}"))
        return f"members {rollup['members']['text']}"

    await phases.run("rollup", read_rollup())
    total = round(time.perf_counter() - began, 2)
    progress(f"total: {total:.1f} s, {api.requests} requests, {api.conflicts} conflicts retried")
    return {
        "rollup": rollup,
        "timings": phases.timings,
        "requests": phases.requests,
        "process_cpu_seconds": phases.cpu,
        "total_seconds": total,
        "conflicts_retried": api.conflicts,
        "plan": plan.summary(),
        "params": asdict(params),
    }


async def _check_rule_set(api: _Api, year: int) -> None:
    found = await api.call(api.rating, "GET", f"/v1/rule-sets/{year}")
    quality = found["meeting_quality"]
    if (
        found["id"] != RULE_SET
        or abs(float(found["quota"]["excellent_of_good"]) - QUOTA) > 1e-9
        or int(quality["min_minutes"]) != QUALITY_MINUTES
        or float(quality["attendance_above"]) != QUALITY_ATTENDANCE
    ):
        raise GeneratorError(
            f"the generator is written for {RULE_SET}; {year} is rated by {found['id']} "
            f"(quota {found['quota']}, meeting quality {quality})"
        )


async def _units(api: _Api, plan: DistrictPlan) -> str:
    p = plan.params
    valid = f"{p.year - 1}-01-01"

    async def create(unit_id: str, kind: str, name: str, parent: str | None) -> None:
        body = {"unit_id": unit_id, "kind": kind, "name": name, "parent_id": parent}
        await api.call(api.assignment, "POST", "/v1/units", json={**body, "valid_from": valid})

    try:
        await create(p.province_id, "province", "Đảng bộ tỉnh Lào Cai", None)
    except GeneratorError as refused:
        if "unit_exists" not in str(refused):
            raise  # an existing province is fine: the district is what must be new
    await create(p.district_id, "district", "Đảng bộ huyện Văn Bàn", p.province_id)

    async def organisation(org: OrganisationPlan) -> None:
        await create(org.unit_id, "grassroots", org.name, p.district_id)

    async def branch(pair: tuple[str, BranchPlan]) -> None:
        await create(pair[1].unit_id, "branch", pair[1].name, pair[0])

    await _each(plan.organisations, organisation, p.concurrency)
    pairs = [(o.unit_id, b) for o in plan.organisations for b in o.branches]
    await _each(pairs, branch, p.concurrency)
    return f"{2 + len(plan.organisations) + len(pairs)} units"


async def _import_members(api: _Api, plan: DistrictPlan) -> str:
    content = member_file(plan)
    job = await api.call(
        api.assignment,
        "POST",
        "/v1/imports/members",
        params={"filename": f"dang-vien-van-ban-{plan.params.year}.csv"},
        content=content,
        headers={"content-type": "text/csv"},
    )
    status: dict[str, Any] = job

    async def finished() -> str | None:
        nonlocal status
        status = await api.call(api.assignment, "GET", f"/v1/imports/{job['job_id']}")
        return None if status["status"] != "running" else f"{status['processed']} written"

    await _until(finished, what="the member import", within=plan.params.wait_seconds)
    expected = len([m for b in plan.branches for m in b.members])
    if status["status"] != "done" or status["imported"] != expected:
        raise GeneratorError(f"the member import ended as {json.dumps(status)[:1500]}")
    return f"{status['imported']} members from a {len(content) // 1024} KiB file"


async def _rosters(api: _Api, plan: DistrictPlan) -> str:
    """Each branch's roster at attendance, as the members arrive through NATS: it gives the
    member ids the import chose, and the meetings need it."""
    day = f"{plan.params.year}-01-01"

    async def learn(branch: BranchPlan) -> None:
        found: list[dict[str, Any]] = []

        async def complete() -> str | None:
            nonlocal found
            url = f"/v1/branches/{branch.unit_id}/roster"
            found = (await api.call(api.attendance, "GET", url, params={"on": day}))["members"]
            wanted = len(branch.members)
            return None if len(found) >= wanted else f"{len(found)} of {wanted} members"

        await _until(
            complete, what=f"the roster of {branch.unit_id}", within=plan.params.wait_seconds
        )
        ids = {unicodedata.normalize("NFC", r["full_name"]): r["member_id"] for r in found}
        for member in branch.members:
            if member.name not in ids or len(ids) != len(branch.members):
                raise GeneratorError(f"{branch.unit_id}'s roster does not match: {found}")
            member.member_id = ids[member.name]

    await _each(plan.branches, learn, plan.params.concurrency)
    return f"{len(plan.branches)} rosters complete"


async def _plans(api: _Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def enter(branch: BranchPlan) -> None:
        b = branch.unit_id
        role = {"role": "secretary", "since": f"{year - 1}-05-20"}
        await api.call(
            api.assignment, "POST", f"/v1/members/{branch.secretary.member_id}/roles", json=role
        )
        households = [
            {"household_id": f"{b}-H{i + 1:03}", "label": f"Hộ số {i + 1}"}
            for i in range(5 * len(branch.members))
        ]
        body = {"households": households}
        await api.call(api.assignment, "POST", f"/v1/branches/{b}/households", json=body)
        await api.call(api.assignment, "POST", f"/v1/branches/{b}/plans/{year}", json={})
        assignments = [
            {
                "member_id": m.member_id,
                "household_ids": [h["household_id"] for h in households[5 * i : 5 * i + 5]],
            }
            for i, m in enumerate(branch.members)
        ]
        url = f"/v1/branches/{b}/plans/{year}/assignments"
        await api.call(api.assignment, "POST", url, json={"assignments": assignments})

    await _each(plan.branches, enter, plan.params.concurrency)
    return f"{len(plan.branches)} secretaries, areas, plans and assignments"


async def _reports(api: _Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def enter(branch: BranchPlan) -> None:
        rng = random.Random(f"{plan.params.seed}/{branch.unit_id}/reports")
        for month in range(1, 13):
            reports = [
                {
                    "member_id": m.member_id,
                    "situation": rng.choice(SITUATIONS),
                    "submitted_on": f"{year}-{month:02}-{rng.randint(20, 28):02}",
                }
                for m in branch.members
            ]
            url = f"/v1/branches/{branch.unit_id}/reports/{year}-{month:02}"
            await api.call(api.assignment, "POST", url, json={"reports": reports})

    await _each(plan.branches, enter, plan.params.concurrency)
    count = sum(12 * len(b.members) for b in plan.branches)
    return f"{count} reports, all on time"


async def _held_meetings(api: _Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def enter(branch: BranchPlan) -> None:
        for meeting in branch.meetings:
            start = datetime(year, meeting.month, meeting.day, *meeting.start, tzinfo=VIETNAM)
            body = {
                "kind": "regular",
                "scheduled_for": start.isoformat(),
                "place": branch.place,
                "meeting_id": f"{branch.unit_id}-M{year}{meeting.month:02}",
            }
            url = f"/v1/branches/{branch.unit_id}/meetings"
            meeting_id = (await api.call(api.attendance, "POST", url, json=body))["meeting_id"]
            sheet = [
                {"member_id": m.member_id, "status": "present"}
                if meeting.month not in m.absent
                else {
                    "member_id": m.member_id,
                    "status": "absent_excused",
                    "reason": m.absent[meeting.month],
                }
                for m in branch.members
            ]
            held = {
                "started_at": start.isoformat(),
                "ended_at": (start + timedelta(minutes=meeting.minutes)).isoformat(),
                "place": branch.place,
                "chair_id": branch.secretary.member_id,
                "minutes_recorded": True,
                "prepared_by_committee": True,
                "attendance": sheet,
            }
            await api.call(api.attendance, "POST", f"/v1/meetings/{meeting_id}/held", json=held)

    await _each(plan.branches, enter, plan.params.concurrency)
    count = sum(len(b.meetings) for b in plan.branches)
    return f"{count} meetings held with their sheets"


async def _caught_up(api: _Api, plan: DistrictPlan) -> str:
    """Rating has nothing pending, and its facts show every report and mark entered.

    Nothing pending alone is not enough: it says nothing of events still in the other
    services' outboxes, so the scorecards are compared with what was entered."""
    p = plan.params
    early = 0  # times rating had nothing pending while its facts still lacked something

    async def idle() -> str | None:
        status = await api.call(api.rating, "GET", "/v1/admin/read-models")
        parked = {k: v for k, v in status.get("parked", {}).items() if v}
        if parked:
            raise GeneratorError(f"the rating service parked events: {parked}")
        pending = status["pending"]
        done = bool(pending) and all(n == 0 for n in pending.values())
        return None if done else f"pending {pending}"

    expected = {
        m.member_id: {
            "reports_expected": 12,
            "reports_submitted": 12,
            "reports_on_time": 12,
            "meetings_expected": len(b.meetings),
            "meetings_present": len(b.meetings) - len(m.absent),
            "meetings_excused": len(m.absent),
        }
        for b in plan.branches
        for m in b.members
    }

    async def facts() -> str | None:
        missing = await idle()
        if missing is not None:
            return missing
        cards = await api.call(api.rating, "GET", f"/v1/units/{p.district_id}/members/{p.year}")
        found = {c["member_id"]: {k: c[k] for k in next(iter(expected.values()))} for c in cards}
        wrong = [k for k, v in expected.items() if found.get(k) != v]
        if not wrong and len(found) == len(expected):
            return None
        nonlocal early
        early += 1
        example = wrong[0] if wrong else None
        return (
            f"{len(wrong)} of {len(expected)} members' facts incomplete "
            f"(e.g. {example}: {found.get(example or '')} for {expected.get(example or '')}); "
            f"{len(found)} scorecards"
        )

    await _until(facts, what="the rating service's facts", within=p.wait_seconds)
    return (
        f"{len(expected)} members' reports and marks all in rating's facts "
        f"({early} times idle before they were)"
    )


async def _proposals(api: _Api, unit_id: str, year: int) -> list[dict[str, Any]]:
    found = await api.call(api.rating, "GET", f"/v1/units/{unit_id}/proposals/{year}")
    if found["rule_set"] != RULE_SET:
        raise GeneratorError(f"{unit_id} {year} is rated by {found['rule_set']}, not {RULE_SET}")
    proposals: list[dict[str, Any]] = found["proposals"]
    return proposals


async def _decide(
    api: _Api,
    unit_id: str,
    year: int,
    planned: dict[str, str],
    decided_by: str,
    decided_on: date,
) -> None:
    """Decide every subject of `unit_id`'s cohort as the service proposes, after checking
    that it proposes what the plan expects."""
    proposals = await _proposals(api, unit_id, year)
    got = {p["subject_id"]: p for p in proposals if p["level"] is not None}
    differ = [
        f"{subject}: planned {level}, proposed {got[subject]['level'] if subject in got else None}"
        f" ({'; '.join(got[subject]['reasons']) if subject in got else 'not proposed'})"
        for subject, level in planned.items()
        if subject not in got or got[subject]["level"] != level
    ]
    if differ or len(got) != len(planned):
        raise GeneratorError(
            f"{unit_id}: the proposals are not what the plan expects: {differ[:5]} "
            f"({len(got)} proposed, {len(planned)} planned)"
        )
    body = {
        "decisions": [{"subject_id": s, "level": p["level"]} for s, p in got.items()],
        "decided_by": decided_by,
        "decided_on": decided_on.isoformat(),
    }
    await api.call(api.rating, "POST", f"/v1/units/{unit_id}/ratings/{year}/decisions", json=body)


async def _decide_members(api: _Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def decide(branch: BranchPlan) -> None:
        rng = random.Random(f"{plan.params.seed}/{branch.unit_id}/decision")
        planned = {m.member_id: m.level for m in branch.members}
        on = date(year, 12, rng.randint(10, 28))
        await _decide(api, branch.unit_id, year, planned, branch.name, on)

    await _each(plan.branches, decide, plan.params.concurrency)
    return f"{sum(len(b.members) for b in plan.branches)} members decided by their branches"


async def _decide_branches(api: _Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def decide(org: OrganisationPlan) -> None:
        rng = random.Random(f"{plan.params.seed}/{org.unit_id}/decision")
        planned = {b.unit_id: b.level for b in org.branches}
        on = date(year + 1, 1, rng.randint(5, 15))
        await _decide(api, org.unit_id, year, planned, f"Ban Chấp hành {org.name}", on)

    await _each(plan.organisations, decide, plan.params.concurrency)
    return f"{len(plan.branches)} branches decided by their organisations"


async def _decide_organisations(api: _Api, plan: DistrictPlan) -> str:
    p = plan.params
    planned = {o.unit_id: o.level for o in plan.organisations}
    decided_by = "Ban Thường vụ Huyện ủy Văn Bàn"
    await _decide(api, p.district_id, p.year, planned, decided_by, date(p.year + 1, 1, 25))
    return f"{len(plan.organisations)} organisations decided by the district"
