"""Entering the planned Mèo Vạc year through the three services' HTTP APIs, phase by phase,
waiting where events must flow through NATS first."""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from chibo_kernel.clock import VIETNAM

from ..van_ban.api import Api, GeneratorError, Phases, PlanError, each, scorecards_show, until
from .plan import (
    DEFAULTS,
    SITUATIONS,
    CellPlan,
    DistrictPlan,
    MeoVacParameters,
    Thresholds,
    criteria,
    member_file,
    member_level,
    plan_district,
)


async def generate(
    assignment: httpx.AsyncClient,
    attendance: httpx.AsyncClient,
    rating: httpx.AsyncClient,
    params: MeoVacParameters = DEFAULTS,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Build the district, enter its year and the committees' appraisals; the roll-up, the
    branch-level cards and the timings."""
    api = Api(assignment, attendance, rating)
    phases = Phases(api, progress)
    plan: DistrictPlan | None = None

    async def rules_and_plan() -> str:
        nonlocal plan
        found = await api.call(rating, "GET", f"/v1/rule-sets/{params.year}")
        good = found["member"]["good"].get("judged_at_least") or {}
        if not good.get("value"):
            raise PlanError(
                f"{params.year} is rated by {found['id']}, whose member levels are not judged "
                "by the committee's appraisal: the generator enters appraisals"
            )
        plan = plan_district(params, Thresholds.from_rule_set(found))
        return f"{found['id']}: {json.dumps(plan.summary(), ensure_ascii=False)}"

    await phases.run("rule_set_and_plan", rules_and_plan())
    assert plan is not None
    await phases.run("units", _units(api, plan))
    await phases.run("members", _import_members(api, plan))
    await phases.run("rosters", _rosters(api, plan))
    await phases.run("plans", _plans(api, plan))
    await phases.run("reports", _reports(api, plan))
    await phases.run("meetings", _held_meetings(api, plan))
    await phases.run("rating_catch_up", _caught_up(api, plan))
    await phases.run("appraisals", _appraisals(api, plan))
    cells: dict[str, dict[str, int]] = {}

    async def read_cards() -> str:
        for card in await _checked_cards(api, plan):
            tally = cells.setdefault(card["kind"], {"cells": 0, "bon_tot": 0})
            tally["cells"] += 1
            tally["bon_tot"] += card["bon_tot_title"] is True
        return f"every cell's four criteria as planned: {json.dumps(cells)}"

    await phases.run("cards", read_cards())
    rollup: dict[str, Any] = {}

    async def read_rollup() -> str:
        url = f"/v1/units/{params.district_id}/rollup/{params.year}"
        rollup.update(await api.call(rating, "GET", url))
        return f"bốn tốt {rollup['bon_tot_branches']['text']}"

    await phases.run("rollup", read_rollup())
    total = round(sum(phases.timings.values()), 2)
    progress(f"total: {total:.1f} s, {api.requests} requests, {api.conflicts} conflicts retried")
    return {
        "rollup": rollup,
        "cells": cells,
        "timings": phases.timings,
        "requests": phases.requests,
        "process_cpu_seconds": phases.cpu,
        "total_seconds": total,
        "conflicts_retried": api.conflicts,
        "plan": plan.summary(),
        "params": asdict(params),
    }


async def _units(api: Api, plan: DistrictPlan) -> str:
    p = plan.params
    valid = f"{p.year - 1}-01-01"

    async def create(unit_id: str, kind: str, name: str, parent: str | None) -> None:
        body = {"unit_id": unit_id, "kind": kind, "name": name, "parent_id": parent}
        await api.call(api.assignment, "POST", "/v1/units", json={**body, "valid_from": valid})

    try:
        await create(p.province_id, "province", "Đảng bộ tỉnh Hà Giang", None)
    except GeneratorError as refused:
        if "unit_exists" not in str(refused):
            raise  # an existing province is fine: the district is what must be new
    await create(p.district_id, "district", "Đảng bộ huyện Mèo Vạc", p.province_id)
    grassroots = [(c.unit_id, c.name) for c in plan.committees]
    grassroots += [(c.unit_id, c.name) for c in plan.cells]

    async def organisation(pair: tuple[str, str]) -> None:
        await create(pair[0], "grassroots", pair[1], p.district_id)

    async def branch(cell: CellPlan) -> None:
        await create(cell.unit_id, "branch", cell.name, cell.parent_id)

    await each(grassroots, organisation, p.concurrency)
    await each(plan.branches, branch, p.concurrency)
    return (
        f"{2 + len(grassroots) + len(plan.branches)} units: {len(plan.committees)} đảng bộ cơ "
        f"sở, {len(plan.cells)} chi bộ cơ sở, {len(plan.branches)} branches"
    )


async def _import_members(api: Api, plan: DistrictPlan) -> str:
    content = member_file(plan)
    job = await api.call(
        api.assignment,
        "POST",
        "/v1/imports/members",
        params={"filename": f"dang-vien-meo-vac-{plan.params.year}.csv"},
        content=content,
        headers={"content-type": "text/csv"},
    )
    status: dict[str, Any] = job

    async def finished() -> str | None:
        nonlocal status
        status = await api.call(api.assignment, "GET", f"/v1/imports/{job['job_id']}")
        return None if status["status"] != "running" else f"{status['processed']} written"

    await until(finished, what="the member import", within=plan.params.wait_seconds)
    if status["status"] != "done" or status["imported"] != len(plan.members):
        raise GeneratorError(f"the member import ended as {json.dumps(status)[:1500]}")
    return f"{status['imported']} members from a {len(content) // 1024} KiB file"


async def _rosters(api: Api, plan: DistrictPlan) -> str:
    """Each cell's roster at attendance, as the members arrive through NATS: it gives the
    member ids the import chose, and the meetings need it."""
    day = f"{plan.params.year}-01-01"

    async def learn(cell: CellPlan) -> None:
        found: list[dict[str, Any]] = []

        async def complete() -> str | None:
            nonlocal found
            roster = await api.roster(cell.unit_id, day)
            if roster is None:
                return "the unit has not reached attendance yet"
            found = roster
            wanted = len(cell.members)
            return None if len(found) >= wanted else f"{len(found)} of {wanted} members"

        await until(complete, what=f"the roster of {cell.unit_id}", within=plan.params.wait_seconds)
        ids = {unicodedata.normalize("NFC", r["full_name"]): r["member_id"] for r in found}
        for member in cell.members:
            if member.name not in ids or len(ids) != len(cell.members):
                raise GeneratorError(f"{cell.unit_id}'s roster does not match: {found}")
            member.member_id = ids[member.name]

    await each(plan.all_cells, learn, plan.params.concurrency)
    return f"{len(plan.all_cells)} rosters complete"


async def _plans(api: Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def enter(cell: CellPlan) -> None:
        c = cell.unit_id
        role = {"role": "secretary", "since": f"{year - 1}-05-20"}
        await api.call(
            api.assignment, "POST", f"/v1/members/{cell.secretary.member_id}/roles", json=role
        )
        ranges: list[tuple[int, int]] = []
        for member in cell.members:
            first = ranges[-1][1] if ranges else 0
            ranges.append((first, first + member.households))
        households = [
            {"household_id": f"{c}-H{i + 1:03}", "label": f"Hộ số {i + 1}"}
            for i in range(ranges[-1][1])
        ]
        await api.call(
            api.assignment, "POST", f"/v1/branches/{c}/households", json={"households": households}
        )
        await api.call(api.assignment, "POST", f"/v1/branches/{c}/plans/{year}", json={})
        assignments = [
            {
                "member_id": m.member_id,
                "household_ids": [h["household_id"] for h in households[low:high]],
            }
            for m, (low, high) in zip(cell.members, ranges, strict=True)
            if m.assigned
        ]
        url = f"/v1/branches/{c}/plans/{year}/assignments"
        await api.call(api.assignment, "POST", url, json={"assignments": assignments})

    await each(plan.all_cells, enter, plan.params.concurrency)
    left_out = sum(1 for m in plan.members if not m.assigned)
    return (
        f"{len(plan.all_cells)} secretaries, areas, plans and assignments "
        f"({left_out} members left out of their plan)"
    )


async def _reports(api: Api, plan: DistrictPlan) -> str:
    year = plan.params.year
    months = plan.thresholds.months_a_year

    async def enter(cell: CellPlan) -> None:
        rng = random.Random(f"{plan.params.seed}/{cell.unit_id}/reports")
        for month in range(1, months + 1):
            reports = [
                {
                    "member_id": m.member_id,
                    "situation": rng.choice(SITUATIONS),
                    "submitted_on": _submitted(rng, year, month, month in m.late_reports),
                }
                for m in cell.members
                if m.assigned and month not in m.missing_reports
            ]
            if reports:
                url = f"/v1/branches/{cell.unit_id}/reports/{year}-{month:02}"
                await api.call(api.assignment, "POST", url, json={"reports": reports})

    await each(plan.all_cells, enter, plan.params.concurrency)
    sent = sum(months - len(m.missing_reports) for m in plan.members if m.assigned)
    missing = sum(len(m.missing_reports) for m in plan.members if m.assigned)
    late = sum(len(m.late_reports) for m in plan.members if m.assigned)
    return f"{sent} reports ({late} late), {missing} never handed in"


def _submitted(rng: random.Random, year: int, month: int, late: bool) -> str:
    if not late:
        return f"{year}-{month:02}-{rng.randint(20, 28):02}"
    following = date(year + month // 12, month % 12 + 1, rng.randint(8, 20))
    return following.isoformat()


async def _held_meetings(api: Api, plan: DistrictPlan) -> str:
    year = plan.params.year

    async def enter(cell: CellPlan) -> None:
        for meeting in sorted(cell.meetings, key=lambda m: m.month):
            start = datetime(year, meeting.month, meeting.day, *meeting.start, tzinfo=VIETNAM)
            body = {
                "kind": "regular",
                "scheduled_for": start.isoformat(),
                "place": cell.place,
                "meeting_id": f"{cell.unit_id}-M{year}{meeting.month:02}",
            }
            url = f"/v1/branches/{cell.unit_id}/meetings"
            meeting_id = (await api.call(api.attendance, "POST", url, json=body))["meeting_id"]
            sheet: list[dict[str, Any]] = []
            for m in cell.members:
                mark = m.absent.get(meeting.month)
                if mark is None:
                    sheet.append({"member_id": m.member_id, "status": "present"})
                else:
                    sheet.append({"member_id": m.member_id, "status": mark[0], "reason": mark[1]})
            held = {
                "started_at": start.isoformat(),
                "ended_at": (start + timedelta(minutes=meeting.minutes)).isoformat(),
                "place": cell.place,
                "chair_id": cell.secretary.member_id,
                "minutes_recorded": meeting.recorded,
                "prepared_by_committee": meeting.prepared,
                "attendance": sheet,
            }
            await api.call(api.attendance, "POST", f"/v1/meetings/{meeting_id}/held", json=held)

    await each(plan.all_cells, enter, plan.params.concurrency)
    count = sum(len(c.meetings) for c in plan.all_cells)
    return f"{count} meetings held with their sheets"


async def _caught_up(api: Api, plan: DistrictPlan) -> str:
    """Rating has nothing pending, and its facts show every report and mark entered."""
    p, months = plan.params, plan.thresholds.months_a_year
    expected: dict[str, dict[str, int]] = {}
    for cell in plan.all_cells:
        for m in cell.members:
            marks = [s for s, _ in m.absent.values()]
            expected[m.member_id] = {
                "reports_expected": months if m.assigned else 0,
                "reports_submitted": months - len(m.missing_reports) if m.assigned else 0,
                "meetings_expected": len(cell.meetings),
                "meetings_present": len(cell.meetings) - len(marks),
                "meetings_excused": marks.count("absent_excused"),
                "meetings_unexcused": marks.count("absent_unexcused"),
            }
    url = f"/v1/units/{p.district_id}/members/{p.year}"
    return await scorecards_show(api, url, expected, within=p.wait_seconds)


async def _appraisals(api: Api, plan: DistrictPlan) -> str:
    """Each cell's committee appraises its members one by one (one cohort book per cell, so
    one at a time within it); the reprimands the competent level decided in the year."""
    p, t = plan.params, plan.thresholds

    async def enter(cell: CellPlan) -> None:
        rng = random.Random(f"{p.seed}/{cell.unit_id}/appraisals")
        for m in cell.members:
            if m.disciplined:
                body = {
                    "measure": t.discipline_from,
                    "decided_on": date(p.year, rng.randint(3, 10), rng.randint(1, 28)).isoformat(),
                    "reason": "Vi phạm quy định về những điều đảng viên không được làm",
                }
                url = f"/v1/members/{m.member_id}/ratings/{p.year}/discipline"
                await api.call(api.rating, "POST", url, json=body)
            url = f"/v1/members/{m.member_id}/ratings/{p.year}/appraisal"
            body = {"level": m.appraisal, "note": m.note}
            await api.call(api.rating, "POST", url, json=body)

    await each(plan.all_cells, enter, p.concurrency)
    levels: dict[str, int] = {}
    for m in plan.members:
        levels[m.appraisal] = levels.get(m.appraisal, 0) + 1
    disciplined = sum(1 for m in plan.members if m.disciplined)
    return (
        f"{len(plan.members)} appraisals {dict(sorted(levels.items()))}, {disciplined} reprimands"
    )


async def _checked_cards(api: Api, plan: DistrictPlan) -> list[dict[str, Any]]:
    """The rating service's card of every branch-level cell, checked against the plan: its
    kind, its four criteria, its title and its members' proposed levels."""
    p, t = plan.params, plan.thresholds
    url = f"/v1/units/{p.district_id}/branches/{p.year}"
    cards: list[dict[str, Any]] = await api.call(api.rating, "GET", url)
    by_id = {c["unit_id"]: c for c in cards}
    differ = []
    for cell in plan.all_cells:
        card = by_id.get(cell.unit_id)
        if card is None:
            differ.append(f"{cell.unit_id}: no card")
            continue
        wanted = criteria(cell, t)
        levels: dict[str, int] = {}
        for m in cell.members:
            level = member_level(m, t)
            levels[level] = levels.get(level, 0) + 1
        found = (card["kind"], card["bon_tot"], card["bon_tot_title"], card["member_levels"])
        if found != (cell.kind, wanted, cell.title, levels):
            differ.append(
                f"{cell.unit_id} ({', '.join(cell.causes) or 'bốn tốt'}): planned "
                f"{(cell.kind, wanted, cell.title, levels)}, found {found}; "
                f"reasons {card['reasons'][:6]}"
            )
    if differ:
        raise GeneratorError(
            f"{len(differ)} cells are not rated as planned: " + " | ".join(differ[:5])
        )
    return [by_id[c.unit_id] for c in plan.all_cells]
