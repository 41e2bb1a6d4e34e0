"""What the monthly reports screens read from the assignment service, joined by id so that
they show names: the month's expected reports with the members' names and the duties'
names, the branch's open problems, and the units above the branch a problem may go to."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from .adapters.api import Api
from .branch_data import Branch, branch_members, optional, today
from .formats import ERASED_VI, nfc
from .report_sheet import HOUSEHOLDS, Row, build_rows
from .session import SignedIn

Pair = tuple[str, str]
ABOVE: Pair = ("Cấp trên", "A unit above")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def first_day(month: str) -> dt.date | None:
    found = MONTH.match(month)
    return dt.date(int(found[1]), int(found[2]), 1) if found else None


def month_key(date: dt.date) -> str:
    return f"{date.year:04}-{date.month:02}"


def last_day(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def months_before(first: dt.date, count: int) -> list[str]:
    months, current = [], first
    for _ in range(count):
        current = (current - dt.timedelta(days=1)).replace(day=1)
        months.append(month_key(current))
    return months


@dataclass
class Month:
    branch: Branch
    key: str  # "2026-11"
    first: dt.date
    today: dt.date
    view: dict[str, Any]
    rows: list[Row]
    names: dict[str, str]  # member id -> name, for the service's refusals

    @property
    def open(self) -> bool:
        """Reports are entered from the month's first day on."""
        return self.first <= self.today

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if not r.reported)

    @property
    def to_review(self) -> list[Row]:
        return [r for r in self.rows if r.reported and not r.evaluation]


def month_or_404(month: str) -> dt.date:
    first = first_day(month)
    if first is None:
        raise HTTPException(status_code=404)
    return first


async def load_month(api: Api, user: SignedIn, branch_id: str, month: str) -> Month:
    first, now = month_or_404(month), today()
    # The list as it stood at the month's end, or today while the month runs.
    on = min(last_day(first), now)
    branch, view = await asyncio.gather(
        branch_members(api, user, branch_id, on),
        api.get("assignment", f"/branches/{branch_id}/reports/{month}", user.token),
    )
    names: dict[str, str] = {
        m["member_id"]: nfc(m.get("full_name") or ERASED_VI) for m in branch.members
    }
    duties: dict[str, str] = {}
    reports = view.get("reports", [])
    if any(r["assignment"] != HOUSEHOLDS or r["member_id"] not in names for r in reports):
        # Duty names, and the names of holders no longer on the list, are in the plan.
        plan = await optional(
            api.get("assignment", f"/branches/{branch_id}/plans/{first.year}", user.token)
        )
        for held in (plan or {}).get("assignments", []):
            names.setdefault(held["member_id"], nfc(held.get("full_name") or ERASED_VI))
            for kind in ("group", "route", "task"):
                for duty in held.get(f"{kind}s", []):
                    duties[f"{kind}:{duty.get(f'{kind}_id')}"] = str(duty.get("name") or "")
    rows = build_rows(reports, names, duties)
    return Month(branch, month, first, now, view, rows, names)


@dataclass(frozen=True)
class Unit:
    unit_id: str
    label: Pair


async def units_above(api: Api, user: SignedIn, branch_id: str) -> list[Unit]:
    """The units a branch's problem may go up to, by name, nearest first: those of the org
    tree above the branch inside the caller's subtree, then those the tree names `above`
    it (a branch secretary's tree holds their branch alone)."""
    tree = await api.get("assignment", "/org-tree", user.token)
    path = _path_to(tree.get("roots", []), branch_id) or []
    units = [*tree.get("above", []), *path[:-1]]
    return [Unit(u["unit_id"], (nfc(u["name"]), nfc(u["name"]))) for u in reversed(units)]


def _path_to(units: list[dict[str, Any]], unit_id: str) -> list[dict[str, Any]] | None:
    for unit in units:
        if unit.get("unit_id") == unit_id:
            return [unit]
        below = _path_to(unit.get("children", []), unit_id)
        if below:
            return [unit, *below]
    return None


@dataclass(frozen=True)
class OpenProblem:
    problem_id: str
    raised_by: str
    month: str
    description: str
    status: str  # open or escalated
    raised_on: str
    escalated_to: Pair | None


async def load_problems(
    api: Api, user: SignedIn, branch_id: str
) -> tuple[Branch, list[OpenProblem], list[Unit]]:
    """The branch's problems not yet resolved, oldest first; any month's view lists them."""
    now = today()
    month = f"{now.year:04}-{now.month:02}"
    branch, view, above = await asyncio.gather(
        branch_members(api, user, branch_id, now),
        api.get("assignment", f"/branches/{branch_id}/reports/{month}", user.token),
        units_above(api, user, branch_id),
    )
    named = {u.unit_id: u.label for u in above}
    problems = [
        OpenProblem(
            p["problem_id"],
            branch.name_of(p["member_id"]),
            p["month"],
            nfc(p.get("description") or ERASED_VI),
            p["status"],
            p["raised_on"],
            named.get(p["escalated_to"], ABOVE) if p.get("escalated_to") else None,
        )
        for p in view.get("open_problems", [])
    ]
    return branch, problems, above


def with_names(text: str, names: Mapping[str, str], lang: str) -> str:
    """A service's refusal as people read it: members by name, never by id; months as
    mm/yyyy; "households", the assignment's code, in Vietnamese words."""
    for member_id, name in names.items():
        if member_id and member_id in text:
            text = text.replace(member_id, name)
    if lang != "en":
        text = text.replace(" households", " các hộ được phân công")
    return MONTH_IN_TEXT.sub(lambda m: f"{m[2]}/{m[1]}", text)


MONTH_IN_TEXT = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])\b(?!-)")
