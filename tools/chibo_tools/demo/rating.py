"""The rating demo: chi bộ thị tứ Võ Lao's years rated as people would (self-assessments,
the committee's appraisals, the decisions as proposed) once the other services' demo data
has been projected, and each year's roll-up. It signs in as one who may self-assess,
appraise and decide in the demo branch (the stack hands it a province administrator's)."""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from rating.entrypoints.operator import (
    POLL_SECONDS,
    OperatorRefused,
    bearer,
    checked_json,
    wait_caught_up,
)

# Chi bộ thị tứ Võ Lao's three years, as the other services' demos entered them.
DEMO_BRANCH = "VL-TT"
DEMO_NAME = "Võ Lao"
DEMO_YEARS = (2023, 2024, 2025)
_ASSESSED = "self_assessment_exists"
# The committee's appraisal of each level.
NOTES = {
    "excellent": "Chi ủy thống nhất: hoàn thành xuất sắc, nhiều việc vượt mức, gương mẫu",
    "good": "Chi ủy thống nhất với mức tự đánh giá",
}


@dataclass(frozen=True)
class DemoYear:
    year: int
    rule_set: str
    members: str  # the roll-up's figure: decided good or better of decided, "40/40 (100.0%)"
    excellent: int
    entered: bool  # False: the year was already decided, nothing was entered

    @property
    def line(self) -> str:
        return f"{self.year} {self.rule_set} members {self.members} good or better"


async def run_demo(
    base_url: str,
    branch: str = DEMO_BRANCH,
    years: Sequence[int] = DEMO_YEARS,
    token: str | None = None,
) -> str:
    """The demo branch's years rated once the other services' demo data has arrived: each
    member's self-assessment, the committee's appraisal, the decisions as proposed; then
    each year's roll-up. Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what
    `./chibo up` hands the `demo` command: a province administrator's token)."""
    token = token if token is not None else os.environ.get("CHIBO_DEMO_TOKEN")
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=bearer(token)) as client:
        await wait_caught_up(client)
        rated = await rate_demo_years(client, branch, years)
    return f"{DEMO_NAME} " + "; ".join(y.line for y in rated)


async def rate_demo_years(
    client: httpx.AsyncClient,
    branch: str = DEMO_BRANCH,
    years: Sequence[int] = DEMO_YEARS,
    wait_seconds: float = 120,
) -> list[DemoYear]:
    """For each year (oldest first, as people rate them): wait until the year's reports,
    reviews and meetings are in rating's facts, enter what people enter, read the roll-up."""
    found = []
    for year in years:
        rules = checked_json(await client.get(f"/v1/rule-sets/{year}"))
        cards, unit = await _year_in(client, branch, year, rules, wait_seconds)
        rated = [c for c in cards if not c["excluded"]]
        entered = not all(c["decided_level"] for c in rated)
        if entered:
            await _rate_members(client, branch, year, rules, rated)
        organisation = unit["path"][-2]  # the grassroots organisation: the quota's cohort
        rollup = checked_json(await client.get(f"/v1/units/{organisation}/rollup/{year}"))
        cards = checked_json(await client.get(f"/v1/units/{branch}/members/{year}"))
        excellent = sum(1 for c in cards if c["decided_level"] == "excellent")
        found.append(
            DemoYear(year, rollup["rule_set"], rollup["members"]["text"], excellent, entered)
        )
    return found


async def _year_in(
    client: httpx.AsyncClient, branch: str, year: int, rules: dict[str, Any], wait_seconds: float
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The branch's member scorecards and its own card once every rated member's year is in
    the facts: a report on each assignment every month, each reviewed, and a mark at every
    regular meeting the Charter asks. Rating having nothing pending is not enough: events
    may still wait in the other services' outboxes."""
    meetings = int(rules["charter"]["regular_meetings_per_year"]["value"])
    deadline = time.monotonic() + wait_seconds
    while True:
        cards = checked_json(await client.get(f"/v1/units/{branch}/members/{year}"))
        units = checked_json(await client.get(f"/v1/units/{branch}/branches/{year}"))
        unit = next(u for u in units if u["unit_id"] == branch)
        missing = _missing(cards, unit, meetings)
        if missing is None:
            return cards, unit
        if time.monotonic() > deadline:
            raise OperatorRefused(
                f"{branch} {year} is not complete in rating's facts after {wait_seconds:.0f} s "
                f"({missing}): are the assignment and attendance demos in?"
            )
        await asyncio.sleep(POLL_SECONDS)  # polling the projection of remote services' events


def _missing(cards: list[dict[str, Any]], unit: dict[str, Any], meetings: int) -> str | None:
    rated = [c for c in cards if not c["excluded"]]
    if not rated:
        return "no member to rate"
    held = int(unit["metrics"].get("regular_meetings_held", 0))
    if held < meetings:
        return f"{held}/{meetings} regular meetings"
    for c in rated:
        reviewed = c["reviews_good"] + c["reviews_fair"] + c["reviews_weak"]
        if (
            c["assigned_months"] != list(range(1, 13))
            or c["reports_submitted"] != c["reports_expected"]
            or reviewed != c["reports_submitted"]
            or c["meetings_expected"] < meetings
        ):
            return (  # the member by id: this ends up in the launcher's log
                f"member {c['member_id']}: months {c['assigned_months']}, reports "
                f"{c['reports_submitted']}/{c['reports_expected']} ({reviewed} reviewed), "
                f"meetings {c['meetings_expected']}"
            )
    return None


async def _rate_members(
    client: httpx.AsyncClient,
    branch: str,
    year: int,
    rules: dict[str, Any],
    rated: list[dict[str, Any]],
) -> None:
    """Self-assessment, appraisal, then the decisions, each as the year's rule set reads
    (its thresholds and quota come from the service, never from here). Who decided is the
    service's to record, from the token the demo signs in with."""
    intended = _levels(year, rated, rules)
    for index, card in enumerate(rated):
        level = intended[card["member_id"]]
        body = _self_assessment(card, level, rules, index)
        url = f"/v1/members/{card['member_id']}/ratings/{year}"
        answer = await client.post(f"{url}/self-assessment", json=body)
        if not (answer.status_code == 422 and answer.json().get("code") == _ASSESSED):
            checked_json(answer)  # an earlier run that stopped half-way entered it already
        note = NOTES[level]
        checked_json(await client.post(f"{url}/appraisal", json={"level": level, "note": note}))
    proposals = checked_json(await client.get(f"/v1/units/{branch}/proposals/{year}"))["proposals"]
    differ = [  # by id and level: a log names no one and repeats no rating's reasons
        f"{p['subject_id']}: proposed {p['level']}, entered {intended[p['subject_id']]}"
        for p in proposals
        if p["subject_id"] in intended and p["level"] != intended[p["subject_id"]]
    ]
    if differ:
        raise OperatorRefused(f"{branch} {year}: proposed other than entered: {differ[:3]}")
    decisions = [
        {"subject_id": p["subject_id"], "level": p["level"]}
        for p in proposals
        if p["subject_id"] in intended
    ]
    body = {"decisions": decisions, "decided_on": f"{year}-12-20"}
    checked_json(await client.post(f"/v1/units/{branch}/ratings/{year}/decisions", json=body))


def _levels(year: int, rated: list[dict[str, Any]], rules: dict[str, Any]) -> dict[str, str]:
    """Who is excellent: those leading overall (holding a named task), and two more that
    change every year; as many as the quota allows, everyone else good."""
    leads = [c["member_id"] for c in rated if any(a.startswith("task:") for a in c["assignments"])]
    others = [c["member_id"] for c in rated if c["member_id"] not in leads]
    wanted = (
        leads + [others[(year * 7 + k * 11) % len(others)] for k in range(2)] if others else leads
    )
    quota = rules["quota"]
    share = float(quota["excellent_of_good"]["value"])
    in_base = bool(quota["excellent_in_base"]["value"])
    while wanted:
        good = len(rated) - len(wanted)
        base = good + len(wanted) if in_base else good
        if len(wanted) <= int(base * share + 1e-9):
            break
        wanted.pop()
    return {c["member_id"]: "excellent" if c["member_id"] in wanted else "good" for c in rated}


def _self_assessment(
    card: dict[str, Any], level: str, rules: dict[str, Any], index: int
) -> dict[str, Any]:
    """The member's own account: the tasks as the records count them (a monthly report on
    each assignment), the share exceeded that the level asks, and, where the year's rules
    score, points inside the level's band (the rules of 2023-2024 judge in words: none)."""
    member = rules["member"]
    total, on_time = card["reports_expected"], card["reports_on_time"]
    exceeded_bar = (member["excellent"].get("tasks_exceeded") or {}).get("value", 0)
    needed = math.ceil(float(exceeded_bar) * total)
    exceeded = needed if level == "excellent" else min(index % 3, max(needed - 1, 0))
    general = tasks = 0.0
    scoring = member.get("scoring")
    if scoring is not None:
        general_max = float(scoring["general_max"]["value"])
        tasks_max = float(scoring["tasks_max"]["value"])
        top = general_max + tasks_max
        low = float(member[level]["min_score"]["value"])
        high = float(member["excellent"]["min_score"]["value"]) if level == "good" else top
        score = round(2 * (low + (high - low) * (0.25 + 0.05 * (index % 11)))) / 2
        general = round(2 * score * general_max / top) / 2
        tasks = score - general
    return {
        "general_points": general,
        "task_points": tasks,
        "tasks_total": total,
        "tasks_on_time": on_time,
        "tasks_exceeded": exceeded,
        "shortcomings_fixed": True,
        "level": level,
    }
