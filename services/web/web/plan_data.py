"""A branch's plan for a year as its screens show it: what each member holds, coverage with
who and what is left uncovered, and the households to choose from. The services know people
and households by id; everything here is joined to names and labels, since nobody reads ids."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from .adapters.api import Api
from .branch_data import Branch, branch_members, optional, today
from .formats import ERASED_VI, vietnamese_order
from .session import SignedIn

RELEASE_REASONS = {
    "transferred": ("chuyển sinh hoạt", "transferred"),
    "left": ("ra khỏi chi bộ", "left the branch"),
    "exempted": ("miễn sinh hoạt", "exempted"),
    "suspended": ("đình chỉ sinh hoạt", "suspended"),
    "reassigned": ("giao cho người khác", "reassigned"),
}
STANDING_FREE = "active"
# A duty's kind as the duties command says it → (its list in the area and plan, its id field).
DUTY_KINDS = {
    "group": ("groups", "group_id"),
    "route": ("routes", "route_id"),
    "task": ("tasks", "task_id"),
}
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class PlanScreen:
    branch: Branch
    year: int
    plan: dict[str, Any]
    coverage: dict[str, Any] | None
    area: dict[str, Any] | None  # households, groups, routes, tasks with their holders

    @property
    def drafted(self) -> bool:
        return bool(self.plan.get("status", "none") != "none")

    @property
    def assignments(self) -> list[dict[str, Any]]:
        return list(self.plan.get("assignments", []))

    @property
    def households(self) -> list[dict[str, Any]]:
        return list((self.area or {}).get("households", []))

    @property
    def labels(self) -> dict[str, str]:
        """household id → how the branch calls it."""
        return {h["household_id"]: h.get("label") or h["household_id"] for h in self.households}

    @property
    def names(self) -> dict[str, str]:
        found = {m["member_id"]: m.get("full_name") or ERASED_VI for m in self.branch.members}
        for held in self.assignments:
            found.setdefault(held["member_id"], held.get("full_name") or ERASED_VI)
        return found

    @property
    def duty_labels(self) -> dict[str, str]:
        """household, group, route and task ids → their names, for the service's refusals."""
        found = dict(self.labels)
        for plural, id_key in DUTY_KINDS.values():
            for duty in (self.area or {}).get(plural, []):
                found[duty[id_key]] = duty.get("name") or duty[id_key]
        return found

    def held_duties(self, held: dict[str, Any]) -> set[str]:
        """The member's groups, routes and tasks as the form's values ("kind:id")."""
        return {
            f"{kind}:{duty[id_key]}"
            for kind, (plural, id_key) in DUTY_KINDS.items()
            for duty in held.get(plural, [])
        }

    def duty_choices(self, member_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Groups, routes and tasks this member may be given, and the groups and routes another
        member holds (shown apart: their holder must let them go first). A task may be shared,
        so one held by others stays with the first, naming who shares it."""
        free: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        for kind, (plural, id_key) in DUTY_KINDS.items():
            for duty in (self.area or {}).get(plural, []):
                holders = duty.get("holders") or ([duty["holder"]] if duty.get("holder") else [])
                elsewhere = [h.get("full_name") for h in holders if h["member_id"] != member_id]
                choice = {
                    "value": f"{kind}:{duty[id_key]}",
                    "kind": kind,
                    "name": duty.get("name") or duty[id_key],
                    "holders": elsewhere,
                }
                (others if elsewhere and kind != "task" else free).append(choice)
        return free, others

    def member(self, member_id: str) -> dict[str, Any] | None:
        for held in self.assignments:
            if held["member_id"] == member_id:
                return held
        return None

    def uncovered_members(self) -> list[str]:
        names = self.names
        ids = (self.coverage or {}).get("members_without_households", [])
        return sorted((names.get(member_id, ERASED_VI) for member_id in ids), key=vietnamese_order)

    def uncovered_households(self) -> list[str]:
        """In the area's order, as the branch lists its households."""
        ids = set((self.coverage or {}).get("households_without_member", []))
        if not self.households:  # the area could not be read: ids are better than nothing
            return sorted(ids)
        return [
            h.get("label") or h["household_id"] for h in self.households if h["household_id"] in ids
        ]

    def standing_of(self, member_id: str) -> str | None:
        """A standing that keeps the member from households (exempt…); None when serving."""
        for member in self.branch.members:
            if member["member_id"] == member_id:
                standing = member.get("standing")
                return None if standing == STANDING_FREE else str(standing)
        return None

    def released(self, lang: str) -> list[dict[str, str]]:
        """Households a member let go (a transfer, an exemption…): to give to someone again."""
        labels, names = self.labels, self.names
        return [
            {
                "household": labels.get(r["household_id"], r["household_id"]),
                "former": names.get(r.get("member_id", ""), ""),
                "reason": _pair(RELEASE_REASONS, r.get("reason", ""), lang),
            }
            for r in (self.coverage or {}).get("released", [])
            if r["household_id"] in (self.coverage or {}).get("households_without_member", [])
        ]

    def duties_text(self, held: dict[str, Any]) -> str:
        names = [d.get("name") or "" for kind in ("groups", "routes", "tasks") for d in held[kind]]
        return ", ".join(n for n in names if n)

    def out_of_range(self, held: dict[str, Any]) -> bool:
        bounds = self.plan.get("household_range")
        count = len(held["households"])
        return bool(bounds and count and not bounds["min"] <= count <= bounds["max"])

    def choices_for(self, member_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Households this member may be given (theirs and nobody's), and those another
        member holds: shown apart, as giving one needs its holder to let it go first."""
        free, others = [], []
        for household in self.households:
            holder = household.get("holder")
            if holder is None or holder["member_id"] == member_id:
                free.append(household)
            else:
                others.append(household)
        return free, others

    def free_for_duties(self) -> list[dict[str, Any]]:
        """Members the year's sheet may give duties to: serving now, not exempt, suspended or
        attending elsewhere in the plan's year (the service refuses their rows by name)."""
        serving = []
        for member in self.branch.members:
            away = member.get("temporary_attendance")
            overlaps = away and str(away["from"])[:4] <= str(self.year) <= str(away["to"])[:4]
            if member.get("standing") == STANDING_FREE and not overlaps:
                serving.append(member)
        return serving


async def plan_screen(api: Api, user: SignedIn, branch_id: str, year: int) -> PlanScreen:
    base = f"/branches/{branch_id}"
    branch, plan, coverage, area = await asyncio.gather(
        branch_members(api, user, branch_id, today()),
        api.get("assignment", f"{base}/plans/{year}", user.token),
        optional(api.get("assignment", f"{base}/plans/{year}/coverage", user.token)),
        optional(api.get("assignment", f"{base}/households", user.token, {"year": year})),
    )
    return PlanScreen(branch, year, plan, coverage, area)


def labelled(text: str, labels: dict[str, str]) -> str:
    """A service's message with household ids said as the branch calls them."""
    return _TOKEN.sub(lambda found: labels.get(found.group(0), found.group(0)), text)


def _pair(pairs: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = pairs.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
