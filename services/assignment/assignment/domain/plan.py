"""A branch's yearly assignment plan (kế hoạch phân công nhiệm vụ).

Rules it keeps:
- a household has at most one responsible member at a time;
- the household range per member is the plan's policy (default 5-10): outside it the
  assignment stands but says so (`out_of_range`), never silently;
- a member who leaves the roster releases their households at once, as an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .area import BranchArea
from .errors import refuse
from .events import (
    DutiesReleased,
    DutyAssigned,
    DutyKind,
    HouseholdsReleased,
    MemberAssigned,
    MentorAssigned,
    PlanAdopted,
    PlanDrafted,
    ReleaseReason,
)
from .member import Member

DEFAULT_RANGE = (5, 10)  # local policy seen in the seeds; a province can set its own


@dataclass(frozen=True)
class RosterEntry:
    """What coverage needs to know of a member of the branch on the day asked about."""

    member_id: str
    excluded: bool  # exempt or suspended on the day: no tasks
    on_committee: bool
    away: bool = False  # attending another branch temporarily on the day: no tasks here

    @property
    def holds_duties(self) -> bool:
        """May carry households and tasks here that day (`standing.py`); what any other
        member still holds covers nothing."""
        return not self.excluded and not self.away

    @property
    def needs_households(self) -> bool:
        # Committee members lead and guide the other members instead of holding households.
        return self.holds_duties and not self.on_committee


@dataclass(frozen=True)
class Coverage:
    assigned: int
    eligible: int
    members_without_households: list[str]
    households_held: int
    households_without_member: list[str]

    @property
    def members_text(self) -> str:
        """As the seeds say it: "37/37" eligible members with households."""
        return f"{self.assigned}/{self.eligible}"

    @property
    def households_text(self) -> str:
        total = self.households_held + len(self.households_without_member)
        return f"{self.households_held}/{total}"


def plan_id(branch_id: str, year: int) -> str:
    return f"{branch_id}-{year}"


class Plan(Aggregate):
    category = "plan"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id = ""
        self.year = 0
        self.min_households, self.max_households = DEFAULT_RANGE
        self.holder: dict[str, str] = {}  # household -> member
        self.mentor_of: dict[str, str] = {}  # member -> committee member guiding them
        self.duty_holders: dict[str, set[str]] = {}  # "group:g1" -> members
        self.adopted = False

    def draft(
        self, *, branch_id: str, year: int, household_range: tuple[int, int] = DEFAULT_RANGE
    ) -> None:
        if self.exists:
            raise refuse("plan_exists", "this plan is already drafted", "kế hoạch đã được lập")
        low, high = household_range
        if not 1 <= low <= high <= 100:
            raise refuse(
                "invalid_range",
                f"household range {low}-{high} must satisfy 1 <= min <= max <= 100",
                f"khoảng số hộ {low}-{high} phải thỏa 1 <= tối thiểu <= tối đa <= 100",
            )
        self._emit(
            PlanDrafted(
                plan_id=self.id,
                branch_id=branch_id,
                year=year,
                min_households=low,
                max_households=high,
            )
        )

    def households_of(self, member_id: str) -> list[str]:
        return sorted(h for h, m in self.holder.items() if m == member_id)

    def duties_of(self, member_id: str) -> list[str]:
        return sorted(d for d, members in self.duty_holders.items() if member_id in members)

    def _group_holders(self, area: BranchArea) -> dict[str, str]:
        """Household -> the member holding the group it belongs to."""
        held: dict[str, str] = {}
        for duty, members in self.duty_holders.items():
            kind, _, target = duty.partition(":")
            if kind == "group" and members and target in area.groups:
                for household in area.groups[target]:
                    held[household] = next(iter(members))
        return held

    def assign_duty(
        self, member_id: str, kind: DutyKind, target_id: str, *, area: BranchArea
    ) -> None:
        """A household group or a route has one responsible member; a task may be shared."""
        self._require_drafted()
        if not area.has_duty(kind, target_id):
            raise refuse(
                "unknown_duty",
                f"no {kind} {target_id} in this branch's area",
                f"không có {kind} {target_id} trong địa bàn chi bộ",
            )
        key = f"{kind}:{target_id}"
        holders = self.duty_holders.get(key, set())
        if member_id in holders:
            return
        others = sorted(holders - {member_id})
        if kind != "task" and others:
            raise refuse(
                "duty_taken",
                f"{kind} {target_id} already has a responsible member: {others[0]}",
                f"{kind} {target_id} đã có đảng viên phụ trách: {others[0]}",
            )
        if kind == "group":
            taken = sorted(
                f"{h} ({self.holder[h]})"
                for h in area.groups[target_id]
                if self.holder.get(h, member_id) != member_id
            )
            if taken:
                raise refuse(
                    "households_taken",
                    f"households of the group have another responsible member: {', '.join(taken)}",
                    f"hộ trong nhóm đã có đảng viên khác phụ trách: {', '.join(taken)}",
                )
        self._emit(
            DutyAssigned(
                plan_id=self.id,
                branch_id=self.branch_id,
                member_id=member_id,
                kind=kind,
                target_id=target_id,
            )
        )

    def assign(self, member_id: str, household_ids: Sequence[str], *, area: BranchArea) -> None:
        self._require_drafted()
        unknown = sorted(set(household_ids) - set(area.households))
        if unknown:
            raise refuse(
                "unknown_households",
                f"households not in this branch's area: {', '.join(unknown)}",
                f"hộ không thuộc địa bàn chi bộ: {', '.join(unknown)}",
            )
        held = {**self._group_holders(area), **self.holder}
        taken = sorted(
            f"{h} ({held[h]})" for h in household_ids if h in held and held[h] != member_id
        )
        if taken:
            raise refuse(
                "households_taken",
                f"households already have a responsible member: {', '.join(taken)}",
                f"hộ đã có đảng viên phụ trách: {', '.join(taken)}",
            )
        new = sorted(set(household_ids) - set(self.households_of(member_id)))
        if not new:
            return  # nothing changes: the member already holds all of them
        total = len(self.households_of(member_id)) + len(new)
        self._emit(
            MemberAssigned(
                plan_id=self.id,
                branch_id=self.branch_id,
                member_id=member_id,
                household_ids=new,
                out_of_range=not self.min_households <= total <= self.max_households,
            )
        )

    def release(self, member_id: str, reason: ReleaseReason) -> None:
        """Everything the member held becomes unassigned at once: households and duties."""
        duties = self.duties_of(member_id)
        if duties:
            self._emit(
                DutiesReleased(
                    plan_id=self.id,
                    branch_id=self.branch_id,
                    member_id=member_id,
                    duties=duties,
                    reason=reason,
                )
            )
        households = self.households_of(member_id)
        if households:
            self._emit(
                HouseholdsReleased(
                    plan_id=self.id,
                    branch_id=self.branch_id,
                    member_id=member_id,
                    household_ids=households,
                    reason=reason,
                )
            )

    def assign_mentor(self, mentor: Member, mentees: Sequence[Member]) -> None:
        """A committee member guides these members; a later assignment replaces an earlier."""
        self._require_drafted()
        if mentor.branch_id != self.branch_id or not mentor.on_committee:
            raise refuse(
                "not_on_committee",
                f"member {mentor.id} is not on this branch's committee",
                f"đảng viên {mentor.id} không phải chi ủy viên của chi bộ này",
            )
        outsiders = sorted(m.id for m in mentees if m.branch_id != self.branch_id)
        if outsiders or any(m.id == mentor.id for m in mentees) or not mentees:
            raise refuse(
                "invalid_mentees",
                f"mentees must be other members of this branch: {', '.join(outsiders)}",
                f"người được giúp đỡ phải là đảng viên khác của chi bộ: {', '.join(outsiders)}",
            )
        self._emit(
            MentorAssigned(
                plan_id=self.id,
                branch_id=self.branch_id,
                mentor_id=mentor.id,
                member_ids=sorted(m.id for m in mentees),
            )
        )

    def adopt(self, *, resolution_number: str, adopted_on: date) -> None:
        self._require_drafted()
        if self.adopted:
            raise refuse(
                "plan_adopted", "the plan is already adopted", "kế hoạch đã được thông qua"
            )
        if not resolution_number.strip():
            raise refuse(
                "resolution_required",
                "adoption needs the resolution number",
                "thông qua cần số nghị quyết",
            )
        self._emit(
            PlanAdopted(
                plan_id=self.id,
                branch_id=self.branch_id,
                resolution_number=resolution_number.strip(),
                adopted_on=adopted_on,
            )
        )

    def coverage(self, roster: Iterable[RosterEntry], area: BranchArea) -> Coverage:
        """Members count as assigned with households or any duty; households count as
        covered when held directly or through a held group, by a member who may hold
        duties that day: an exempt, suspended or away member covers nothing."""
        entries = list(roster)
        holders = set(self.holder.values()) | {
            m for members in self.duty_holders.values() for m in members
        }
        eligible = [r.member_id for r in entries if r.needs_households]
        without = sorted(m for m in eligible if m not in holders)
        idle = {r.member_id for r in entries if not r.holds_duties}
        held = [*self.holder.items(), *self._group_holders(area).items()]
        covered = {h for h, m in held if m not in idle} & set(area.households)
        return Coverage(
            assigned=len(eligible) - len(without),
            eligible=len(eligible),
            members_without_households=without,
            households_held=len(covered),
            households_without_member=sorted(set(area.households) - covered),
        )

    def _require_drafted(self) -> None:
        if not self.exists:
            raise refuse("plan_unknown", "draft the plan first", "hãy lập kế hoạch trước")

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case PlanDrafted():
                self.branch_id, self.year = event.branch_id, event.year
                self.min_households = event.min_households
                self.max_households = event.max_households
            case MemberAssigned():
                for household in event.household_ids:
                    self.holder[household] = event.member_id
            case HouseholdsReleased():
                for household in event.household_ids:
                    self.holder.pop(household, None)
            case DutyAssigned():
                self.duty_holders.setdefault(f"{event.kind}:{event.target_id}", set()).add(
                    event.member_id
                )
            case DutiesReleased():
                for duty in event.duties:
                    self.duty_holders.get(duty, set()).discard(event.member_id)
            case MentorAssigned():
                for member_id in event.member_ids:
                    self.mentor_of[member_id] = event.mentor_id
            case PlanAdopted():
                self.adopted = True
