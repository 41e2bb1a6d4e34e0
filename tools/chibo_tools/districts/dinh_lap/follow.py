"""Entering the following: the province's visit quotas, each follower's units, and the wait
until the attendance service knows them (it marks each guest visit as within the follower's
assignment or not when the meeting is recorded)."""

from __future__ import annotations

from typing import Any

from chibo_tools.districts.van_ban.api import each, until
from chibo_tools.districts.van_ban.enter import Run

from .plan import DinhLapParameters, DinhLapPlan, FollowerPlan


async def quotas_and_followers(run: Run, plan: DinhLapPlan, p: DinhLapParameters) -> str:
    api, year = run.api, run.year
    for level, count in (("district", p.district_quota), ("commune", p.commune_quota)):
        body = {"level": level, "meetings_per_year": count, "valid_from": f"{year}-01-01"}
        await api.call(api.assignment, "POST", f"/v1/units/{p.province_id}/visit-quotas", json=body)

    async def follow(f: FollowerPlan) -> None:
        body = {"level": f.level, "unit_ids": [f.unit.unit_id]}
        url = f"/v1/followers/{f.member.member_id}/years/{year}"
        await api.call(api.assignment, "POST", url, json=body)

    await each(plan.followers, follow, run.concurrency)

    async def known(f: FollowerPlan) -> None:
        async def check() -> str | None:
            url = f"/v1/followers/{f.member.member_id}/visits/{year}"
            found: dict[str, Any] = await api.call(api.attendance, "GET", url)
            units = found["followed_units"]
            return None if units == [f.unit.unit_id] else f"following {units}"

        await until(check, what=f"{f.member.member_id}'s following", within=run.wait_seconds)

    await each(plan.followers, known, run.concurrency)
    return f"2 quotas, {len(plan.followers)} followers known to attendance"


async def following_counted(run: Run, plan: DinhLapPlan) -> list[dict[str, Any]]:
    """The district's following as rating counts it, once every planned visit is in."""
    api = run.api
    url = f"/v1/units/{plan.district.district_id}/following/{run.year}"
    wanted = {f.member.member_id: len(f.visits) for f in plan.followers}
    lines: list[dict[str, Any]] = []

    async def check() -> str | None:
        nonlocal lines
        lines = await api.call(api.rating, "GET", url)
        found = {x["follower_id"]: x["visits"] for x in lines}
        return None if found == wanted else f"{len(found)} followers, visits differ"

    await until(check, what="the following in rating", within=run.wait_seconds)
    return lines
