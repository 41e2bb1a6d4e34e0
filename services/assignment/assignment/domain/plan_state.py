"""What a branch's yearly plan holds, as its events leave it: who holds which household,
duty and mentee, and how far that covers the branch.

The commands and the rules they keep are in `plan.py`. The state stands apart because
coverage is also measured on a plan filled straight from the read models, where no command
ever runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .area import BranchArea
from .events import (
    DutiesReleased,
    DutyAssigned,
    HouseholdsReleased,
    MemberAssigned,
    MentorAssigned,
    PlanAdopted,
    PlanDrafted,
)
from .plan_coverage import Coverage, RosterEntry

DEFAULT_RANGE = (5, 10)  # local policy seen in the seeds; a province can set its own


class PlanState(Aggregate):
    """Rebuilt from the plan's events; `Plan` adds the commands."""

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id = ""
        self.year = 0
        self.min_households, self.max_households = DEFAULT_RANGE
        self.holder: dict[str, str] = {}  # household -> member
        self.mentor_of: dict[str, str] = {}  # member -> committee member guiding them
        self.duty_holders: dict[str, set[str]] = {}  # "group:g1" -> members
        self.adopted = False

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
