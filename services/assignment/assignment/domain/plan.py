"""A branch's yearly assignment plan (kế hoạch phân công nhiệm vụ).

Rules it keeps:
- a household has at most one responsible member at a time;
- the household range per member is the plan's policy (default 5-10): outside it the
  assignment stands but says so (`out_of_range`), never silently;
- a member who leaves the roster releases their households at once, as an event.

The commands are here; the plan's state, and the coverage read from it, are in `plan_state.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chibo_kernel.keyring import ERASED_VI

from .area import BranchArea
from .errors import TakenByOthers, refuse
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
from .plan_state import DEFAULT_RANGE, PlanState

DUTY_VI: dict[DutyKind, str] = {"group": "nhóm hộ", "route": "tuyến đường", "task": "nhiệm vụ"}


def plan_id(branch_id: str, year: int) -> str:
    return f"{branch_id}-{year}"


class Plan(PlanState):
    """The plan's commands, each checking its rule on the state before it emits."""

    category = "plan"

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

    def assign_duty(
        self, member_id: str, kind: DutyKind, target_id: str, *, area: BranchArea
    ) -> None:
        """A household group or a route has one responsible member; a task may be shared."""
        self._require_drafted()
        duty_vi = f"{DUTY_VI[kind]} {target_id}"
        if not area.has_duty(kind, target_id):
            raise refuse(
                "unknown_duty",
                f"no {kind} {target_id} in this branch's area",
                f"không có {duty_vi} trong địa bàn chi bộ",
            )
        key = f"{kind}:{target_id}"
        holders = self.duty_holders.get(key, set())
        if member_id in holders:
            return
        others = sorted(holders - {member_id})
        if kind != "task" and others:
            lead = ("already held by another member", "đã có đảng viên phụ trách")
            raise TakenByOthers("duty_taken", lead, [(f"{kind} {target_id}", duty_vi, others[0])])
        if kind == "group":
            taken = [
                (h, f"hộ {h}", self.holder[h])
                for h in sorted(area.groups[target_id])
                if self.holder.get(h, member_id) != member_id
            ]
            if taken:
                lead = (
                    "households of the group have another responsible member",
                    "hộ trong nhóm đã có đảng viên khác phụ trách",
                )
                raise TakenByOthers("households_taken", lead, taken)
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
        taken = [
            (h, h, held[h])
            for h in sorted(set(household_ids))
            if held.get(h, member_id) != member_id
        ]
        if taken:
            lead = ("households already have a responsible member", "hộ đã có đảng viên phụ trách")
            raise TakenByOthers("households_taken", lead, taken)
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
                f"member {mentor.full_name or ERASED_VI} is not on this branch's committee",
                f"đảng viên {mentor.full_name or ERASED_VI} không phải chi ủy viên của chi bộ này",
            )
        outsiders = sorted(
            m.full_name or ERASED_VI for m in mentees if m.branch_id != self.branch_id
        )
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

    def _require_drafted(self) -> None:
        if not self.exists:
            raise refuse("plan_unknown", "draft the plan first", "hãy lập kế hoạch trước")
