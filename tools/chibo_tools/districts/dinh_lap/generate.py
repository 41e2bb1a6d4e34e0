"""Đình Lập 2020 end to end: read the year's rule set, plan, enter (the following before the
meetings its guests attend), decide, roll up, read the following."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import httpx

from chibo_tools.districts.van_ban.api import Api
from chibo_tools.districts.van_ban.enter import Run, enter_year
from chibo_tools.districts.van_ban.plan import RULE_SET
from chibo_tools.districts.van_ban.rules import read_rules

from .follow import following_counted, quotas_and_followers
from .plan import DEFAULTS, DinhLapParameters, plan_dinh_lap


async def generate(
    assignment: httpx.AsyncClient,
    attendance: httpx.AsyncClient,
    rating: httpx.AsyncClient,
    params: DinhLapParameters = DEFAULTS,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    api = Api(assignment, attendance, rating)
    rules = await read_rules(api, params.year, RULE_SET)
    plan = plan_dinh_lap(rules, params)
    run = Run(api, plan.district, rules, params.concurrency, params.wait_seconds)

    async def following() -> str:
        return await quotas_and_followers(run, plan, params)

    result = await enter_year(run, progress, before_year=[("following", following)])
    lines = await following_counted(run, plan)
    progress(
        f"following: {plan.visits('district')} visits of district committee members, "
        f"{plan.visits('commune')} of commune committee members"
    )
    return {**result, "following": lines, "rules": asdict(rules), "params": asdict(params)}
