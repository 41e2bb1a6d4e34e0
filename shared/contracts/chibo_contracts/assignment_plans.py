"""The assignment service's events about what a branch gives its members to look after:
households, household groups, routes and tasks, and the yearly plan that hands them out.
Part of the published language gathered in `contracts.assignment`.

A household's label often names its head ("hộ ông Nguyễn Văn An"), so it is personal data
of that household; its id is the identifier it is known by everywhere else. No consumer
needs the label, so version 2 of the registration leaves it out, and the label goes in a
private companion appended with it to `area_private-<branch>`, sealed under a key of the
household's own. Version 1 stays so that the events already stored and published decode."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, PERSONAL

from .assignment_members import MemberId

ReleaseReason = Literal["transferred", "left", "exempted", "suspended", "reassigned"]
DutyKind = Literal["group", "route", "task"]
HouseholdIds = Annotated[list[str], IDENTIFIER]


class HouseholdRegistered(DomainEvent):
    # Superseded by v2: its label, often a person's name, went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.household_registered.v1"
    data_subject: ClassVar[str | None] = "household_id"
    branch_id: str
    household_id: Annotated[str, IDENTIFIER]
    label: Annotated[str, PERSONAL]


class HouseholdRegisteredV2(DomainEvent):
    """A household the branch follows, by its id; the label is in `HouseholdLabelRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.household_registered.v2"
    branch_id: str
    household_id: Annotated[str, IDENTIFIER]


def household_subject(branch_id: str, household_id: str) -> str:
    """A household's name in the keyring: its id is unique only within its branch."""
    return f"{branch_id}/{household_id}"


class HouseholdLabelRecorded(DomainEvent):
    """How the branch calls a household ("hộ ông ..."): never published, sealed under the
    key of `household_key` (`household_subject`), so erasing one household leaves another
    branch's alone."""

    event_type: ClassVar[str] = "chibo.assignment.household_label_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "household_key"
    branch_id: str
    household_id: Annotated[str, IDENTIFIER]
    household_key: Annotated[str, IDENTIFIER]
    label: Annotated[str, PERSONAL]


class HouseholdGroupDefined(DomainEvent):
    """Nhóm hộ: households followed together."""

    event_type: ClassVar[str] = "chibo.assignment.household_group_defined.v1"
    branch_id: str
    group_id: str
    name: str
    household_ids: HouseholdIds


class RouteDefined(DomainEvent):
    """Tuyến đường: a road or route a member looks after."""

    event_type: ClassVar[str] = "chibo.assignment.route_defined.v1"
    branch_id: str
    route_id: str
    name: str


class TaskDefined(DomainEvent):
    """A named task: propaganda, a campaign, a contribution to a construction."""

    event_type: ClassVar[str] = "chibo.assignment.task_defined.v1"
    branch_id: str
    task_id: str
    name: str


class PlanDrafted(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.plan_drafted.v1"
    plan_id: str
    branch_id: str
    year: int
    min_households: int
    max_households: int


class MemberAssigned(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_assigned.v1"
    plan_id: str
    branch_id: str
    member_id: MemberId
    household_ids: HouseholdIds
    out_of_range: bool  # allowed, but recorded: outside the plan's household range


class DutyAssigned(DomainEvent):
    """A member takes a household group or a route (one holder at a time) or a task."""

    event_type: ClassVar[str] = "chibo.assignment.duty_assigned.v1"
    plan_id: str
    branch_id: str
    member_id: MemberId
    kind: DutyKind
    target_id: str


class DutiesReleased(DomainEvent):
    """Groups, routes and tasks left without the member: a to-do, like released households."""

    event_type: ClassVar[str] = "chibo.assignment.duties_released.v1"
    plan_id: str
    branch_id: str
    member_id: MemberId
    duties: list[str]  # "<kind>:<id>"
    reason: ReleaseReason


class HouseholdsReleased(DomainEvent):
    """Households left without a responsible member: a to-do for the branch, never silent."""

    event_type: ClassVar[str] = "chibo.assignment.households_released.v1"
    plan_id: str
    branch_id: str
    member_id: MemberId
    household_ids: HouseholdIds
    reason: ReleaseReason


class PlanAdopted(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.plan_adopted.v1"
    plan_id: str
    branch_id: str
    resolution_number: str
    adopted_on: date


class MentorAssigned(DomainEvent):
    """Committee members guide members, young and new ones especially (hướng dẫn, giúp đỡ)."""

    event_type: ClassVar[str] = "chibo.assignment.mentor_assigned.v1"
    plan_id: str
    branch_id: str
    mentor_id: MemberId
    member_ids: Annotated[list[str], IDENTIFIER]
