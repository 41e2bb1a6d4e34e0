"""Văn Bàn 2021 end to end: read the year's rule set, plan, enter, decide, roll up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import httpx

from .api import Api
from .enter import Run, enter_year
from .plan import DEFAULTS, RULE_SET, VanBanParameters, plan_district
from .rules import read_rules


async def generate(
    assignment: httpx.AsyncClient,
    attendance: httpx.AsyncClient,
    rating: httpx.AsyncClient,
    params: VanBanParameters = DEFAULTS,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Build the district, enter its year, decide as proposed; the roll-up and the timings."""
    api = Api(assignment, attendance, rating)
    rules = await read_rules(api, params.year, RULE_SET)
    plan = plan_district(rules, params)
    run = Run(api, plan, rules, params.concurrency, params.wait_seconds)
    result = await enter_year(run, progress)
    return {**result, "rules": asdict(rules), "params": asdict(params)}
