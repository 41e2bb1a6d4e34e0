"""Entering a planned district's year through the three services' HTTP APIs, phase by
phase, waiting where events must flow through NATS first. Shared by the generated
districts: `enter_year` runs every phase; a district adds its own before the year's months."""

from __future__ import annotations

import json
import random
import time
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from chibo_kernel.clock import VIETNAM

from .api import Api, GeneratorError, Phases, each, scorecards_show, until
from .district import (
    NOTES,
    SICK,
    SITUATIONS,
    BranchPlan,
    DistrictPlan,
    MeetingPlan,
    MemberPlan,
    OrganisationPlan,
    UnitPlan,
    member_file,
)
from .rules import YearRules

Phase = tuple[str, Callable[[], Awaitable[str]]]


@dataclass
class Run:
    api: Api
    plan: DistrictPlan
    rules: YearRules
    concurrency: int = 8  # branches (or organisations) entered at once
    wait_seconds: float = 600.0  # the longest wait for events to flow before giving up

    @property
    def year(self) -> int:
        return self.plan.year


async def enter_year(
    run: Run, progress: Callable[[str], None], before_year: Sequence[Phase] = ()
) -> dict[str, Any]:
    """Build the district, enter its year, record what people judged, decide as proposed;
    the roll-up and the timings."""
    began = time.perf_counter()
    api, plan = run.api, run.plan
    phases = Phases(api, progress)
    progress(f"plan (seed {plan.seed}): {json.dumps(plan.summary(), ensure_ascii=False)}")
    await phases.run("units", units(run))
    await phases.run("members", import_members(run))
    await phases.run("rosters", rosters(run))
    await phases.run("plans", plans(run))
    for name, work in before_year:
        await phases.run(name, work())
    await phases.run("year", the_year(run))
    await phases.run("organisation_appraisals", organisation_appraisals(run))
    await phases.run("rating_catch_up", caught_up(run))
    await phases.run("member_decisions", decide_members(run))
    await phases.run("branch_decisions", decide_branches(run))
    await phases.run("organisation_decisions", decide_organisations(run))
    rollup: dict[str, Any] = {}

    async def read_rollup() -> str:
        url = f"/v1/units/{plan.district_id}/rollup/{run.year}"
        rollup.update(await api.call(api.rating, "GET", url))
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
    }


# --- the units, the members, their plans ------------------------------------------------------


async def units(run: Run) -> str:
    api, plan = run.api, run.plan
    valid = f"{run.year - 1}-01-01"

    async def create(unit_id: str, kind: str, name: str, parent: str | None) -> None:
        body = {"unit_id": unit_id, "kind": kind, "name": name, "parent_id": parent}
        await api.call(api.assignment, "POST", "/v1/units", json={**body, "valid_from": valid})

    try:
        await create(plan.province_id, "province", plan.province_name, None)
    except GeneratorError as refused:
        if "unit_exists" not in str(refused):
            raise  # an existing province is fine: the district is what must be new
    await create(plan.district_id, "district", plan.district_name, plan.province_id)

    async def organisation(org: OrganisationPlan) -> None:
        await create(org.unit_id, "grassroots", org.name, plan.district_id)

    async def branch(pair: tuple[str, BranchPlan]) -> None:
        await create(pair[1].unit_id, "branch", pair[1].name, pair[0])

    await each(plan.organisations, organisation, run.concurrency)
    pairs = [(o.unit_id, b) for o in plan.organisations for b in o.branches]
    await each(pairs, branch, run.concurrency)
    return f"{2 + len(plan.organisations) + len(pairs)} units"


async def import_members(run: Run) -> str:
    api, plan = run.api, run.plan
    content = member_file(plan)
    place = plan.district_name.split(" ", 2)[-1].lower().replace(" ", "-")
    job = await api.call(
        api.assignment,
        "POST",
        "/v1/imports/members",
        params={"filename": f"dang-vien-{place}-{run.year}.csv"},
        content=content,
        headers={"content-type": "text/csv"},
    )
    status: dict[str, Any] = job

    async def finished() -> str | None:
        nonlocal status
        status = await api.call(api.assignment, "GET", f"/v1/imports/{job['job_id']}")
        return None if status["status"] != "running" else f"{status['processed']} written"

    await until(finished, what="the member import", within=run.wait_seconds)
    expected = len(plan.members)
    if status["status"] != "done" or status["imported"] != expected:
        raise GeneratorError(f"the member import ended as {json.dumps(status)[:1500]}")
    return f"{status['imported']} members from a {len(content) // 1024} KiB file"


async def rosters(run: Run) -> str:
    """Each branch's roster at attendance, as the members arrive through NATS: it gives the
    member ids the import chose, and the meetings need it."""
    api = run.api
    day = f"{run.year}-01-01"

    async def learn(branch: BranchPlan) -> None:
        found: list[dict[str, Any]] = []

        async def complete() -> str | None:
            nonlocal found
            roster = await api.roster(branch.unit_id, day)
            if roster is None:
                return "the branch has not reached attendance yet"
            found = roster
            wanted = len(branch.members)
            return None if len(found) >= wanted else f"{len(found)} of {wanted} members"

        await until(complete, what=f"the roster of {branch.unit_id}", within=run.wait_seconds)
        ids = {unicodedata.normalize("NFC", r["full_name"]): r["member_id"] for r in found}
        for member in branch.members:
            if member.name not in ids or len(ids) != len(branch.members):
                raise GeneratorError(f"{branch.unit_id}'s roster does not match: {found}")
            member.member_id = ids[member.name]

    await each(run.plan.branches, learn, run.concurrency)
    return f"{len(run.plan.branches)} rosters complete"


async def plans(run: Run) -> str:
    api, year = run.api, run.year

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

    await each(run.plan.branches, enter, run.concurrency)
    return f"{len(run.plan.branches)} secretaries, areas, plans and assignments"


# --- the year, branch by branch: reports, meetings, then what the committees judged ----------


async def the_year(run: Run) -> str:
    """Each branch's year as its people enter it: month by month the members' reports, then
    the regular meeting with its attendance sheet (and any guests); at the year's end the
    branch committee's inputs about its members (sick leave on record, its appraisal of each,
    one after another: they share the branch's rating book), then the organisation's
    committee's appraisal of the branch. Branches run concurrently."""
    await _rating_knows_members(run)

    async def enter(branch: BranchPlan) -> None:
        rng = random.Random(f"{run.plan.seed}/{branch.unit_id}/reports")
        meetings = {m.month: m for m in branch.meetings}
        for month in range(1, 13):
            await _reports(run, branch, month, rng)
            if month in meetings:
                await _meeting(run, branch, meetings[month])
        for member in branch.members:
            await _member_inputs(run, member)
        await _appraise(run, branch)

    await each(run.plan.branches, enter, run.concurrency)
    plan, year = run.plan, run.year
    reports = sum(_reported(m, year) for m in plan.members)
    meetings = sum(len(b.meetings) for b in plan.branches)
    guests = sum(len(m.guests) for b in plan.branches for m in b.meetings)
    leaves = sum(1 for m in plan.members if m.sick_leave)
    return (
        f"{reports} reports on time, {meetings} meetings held with their sheets and "
        f"{guests} guests, {leaves} sick leaves, {len(plan.members)} members and "
        f"{len(plan.branches)} branches appraised"
    )


async def _rating_knows_members(run: Run) -> None:
    """The rating service places a member by the membership it has projected: wait for all."""
    api, plan = run.api, run.plan
    url = f"/v1/units/{plan.district_id}/members/{run.year}"

    async def known() -> str | None:
        count = len(await api.every_page(api.rating, url))
        return None if count == len(plan.members) else f"{count} members known"

    await until(known, what="the members in rating", within=run.wait_seconds)


async def _reports(run: Run, branch: BranchPlan, month: int, rng: random.Random) -> None:
    """The month's reports, on time, of every member not away on sick leave."""
    year = run.year
    sent = [
        {
            "member_id": m.member_id,
            "situation": rng.choice(SITUATIONS),
            "submitted_on": f"{year}-{month:02}-{rng.randint(20, 28):02}",
        }
        for m in branch.members
        if m.reports(year, month)
    ]
    if sent:
        url = f"/v1/branches/{branch.unit_id}/reports/{year}-{month:02}"
        await run.api.call(run.api.assignment, "POST", url, json={"reports": sent})


def _reported(member: MemberPlan, year: int) -> int:
    return sum(1 for month in range(1, 13) if member.reports(year, month))


def _mark(member: MemberPlan, day: date) -> dict[str, str]:
    if member.away(day):
        return {"member_id": member.member_id, "status": "absent_excused", "reason": SICK}
    if day.month in member.absent:
        reason = member.absent[day.month]
        return {"member_id": member.member_id, "status": "absent_excused", "reason": reason}
    return {"member_id": member.member_id, "status": "present"}


async def _meeting(run: Run, branch: BranchPlan, meeting: MeetingPlan) -> None:
    api, year = run.api, run.year
    start = datetime(year, meeting.month, meeting.day, *meeting.start, tzinfo=VIETNAM)
    body = {
        "kind": "regular",
        "scheduled_for": start.isoformat(),
        "place": branch.place,
        "meeting_id": f"{branch.unit_id}-M{year}{meeting.month:02}",
    }
    url = f"/v1/branches/{branch.unit_id}/meetings"
    meeting_id = (await api.call(api.attendance, "POST", url, json=body))["meeting_id"]
    held = {
        "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=meeting.minutes)).isoformat(),
        "place": branch.place,
        "chair_id": branch.secretary.member_id,
        "minutes_recorded": True,
        "prepared_by_committee": True,
        "attendance": [_mark(m, start.date()) for m in branch.members],
        "guests": [{"member_id": g.member_id, "level": lv} for g, lv in meeting.guests],
    }
    await api.call(api.attendance, "POST", f"/v1/meetings/{meeting_id}/held", json=held)


async def _member_inputs(run: Run, member: MemberPlan) -> None:
    api = run.api
    base = f"/v1/members/{member.member_id}/ratings/{run.year}"
    if member.sick_leave is not None:
        start, end = member.sick_leave
        leave = {"kind": "sick", "from_date": str(start), "to_date": str(end)}
        await api.call(api.rating, "POST", f"{base}/leave", json=leave)
    note = SICK if member.sick_leave and member.level != member.appraisal else ""
    body = {"level": member.appraisal, "note": note or NOTES[member.appraisal]}
    await api.call(api.rating, "POST", f"{base}/appraisal", json=body)


async def _appraise(run: Run, unit: UnitPlan) -> None:
    """The level above appraises a branch or an organisation: criteria in words (no points:
    the generator refuses a rule set that scores collectives), its targets of the year. Who
    appraised, here as in the decisions, the service records from the generator's token."""
    if run.rules.scored:
        raise GeneratorError(f"{run.rules.id} scores collectives: the generator gives no points")
    total, done, exceeded = unit.targets
    body = {
        "level": unit.appraisal,
        "note": NOTES[unit.appraisal],
        "points": None,
        "targets_total": total,
        "targets_done": done,
        "targets_exceeded": exceeded,
        "disciplined": False,
    }
    url = f"/v1/units/{unit.unit_id}/ratings/{run.year}/appraisal"
    await run.api.call(run.api.rating, "POST", url, json=body)


async def organisation_appraisals(run: Run) -> str:
    """Each organisation appraised by the district's standing committee."""

    async def appraise(org: OrganisationPlan) -> None:
        await _appraise(run, org)

    await each(run.plan.organisations, appraise, run.concurrency)
    return f"{len(run.plan.organisations)} organisations appraised by the district"


async def caught_up(run: Run) -> str:
    """Rating has nothing pending, and its facts show every report and mark entered."""
    api, plan = run.api, run.plan
    expected: dict[str, dict[str, int]] = {}
    for branch in plan.branches:
        for m in branch.members:
            days = [date(run.year, x.month, x.day) for x in branch.meetings]
            marks = [_mark(m, day)["status"] for day in days]
            expected[m.member_id] = {
                "reports_submitted": _reported(m, run.year),
                "reports_on_time": _reported(m, run.year),
                "meetings_expected": len(days),
                "meetings_present": marks.count("present"),
                "meetings_excused": marks.count("absent_excused"),
            }

    url = f"/v1/units/{plan.district_id}/members/{run.year}"
    return await scorecards_show(api, url, expected, within=run.wait_seconds)


# --- the decisions ----------------------------------------------------------------------------


async def _decide(
    run: Run,
    unit_id: str,
    planned: dict[str, str],
    decided_on: date,
) -> None:
    """Decide every subject of `unit_id` as the service proposes, after checking that it
    proposes what the plan expects."""
    api, year = run.api, run.year
    found = await api.call(api.rating, "GET", f"/v1/units/{unit_id}/proposals/{year}")
    if found["rule_set"] != run.rules.id:
        raise GeneratorError(f"{unit_id} {year} is rated by {found['rule_set']}")
    got = {p["subject_id"]: p for p in found["proposals"] if p["level"] is not None}
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
        "decided_on": decided_on.isoformat(),
    }
    await api.call(api.rating, "POST", f"/v1/units/{unit_id}/ratings/{year}/decisions", json=body)


async def decide_members(run: Run) -> str:
    """Each branch decides its members; the branches of one organisation one after another,
    since their decisions count in the organisation's one book (the quota's cohort)."""
    year = run.year

    async def decide(org: OrganisationPlan) -> None:
        for branch in org.branches:
            rng = random.Random(f"{run.plan.seed}/{branch.unit_id}/decision")
            planned = {m.member_id: m.level for m in branch.members}
            on = date(year, 12, rng.randint(10, 28))
            await _decide(run, branch.unit_id, planned, on)

    await each(run.plan.organisations, decide, run.concurrency)
    return f"{len(run.plan.members)} members decided by their branches"


async def decide_branches(run: Run) -> str:
    year = run.year

    async def decide(org: OrganisationPlan) -> None:
        rng = random.Random(f"{run.plan.seed}/{org.unit_id}/decision")
        planned = {b.unit_id: b.level for b in org.branches}
        on = date(year + 1, 1, rng.randint(5, 15))
        await _decide(run, org.unit_id, planned, on)

    await each(run.plan.organisations, decide, run.concurrency)
    return f"{len(run.plan.branches)} branches decided by their organisations"


async def decide_organisations(run: Run) -> str:
    plan = run.plan
    planned = {o.unit_id: o.level for o in plan.organisations}
    await _decide(run, plan.district_id, planned, date(run.year + 1, 1, 25))
    return f"{len(plan.organisations)} organisations decided by the district"
