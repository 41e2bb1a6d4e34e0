"""Answers of the reads the web app lists a branch with: its members on a day, the
organisation tree, its households with their holders, and a year's plan. People are named
by their names beside their ids; what a name reads once erased is "đã xóa"."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class TemporaryAttendance(View):
    """Sinh hoạt tạm thời at another branch, under way or to come."""

    branch_id: str
    branch_name: str | None
    from_: dt.date = Field(alias="from")
    to: dt.date


class BranchMember(View):
    member_id: str
    full_name: str
    card_number: str | None  # none once the member's data is erased
    admitted_on: dt.date
    status: Literal["official", "probationary"]
    roles: list[str]
    standing: Literal["active", "exempt", "suspended", "away", "left"]
    temporary_attendance: TemporaryAttendance | None
    committee: bool


class MembersView(View):
    branch_id: str
    branch_name: str
    on: dt.date
    members: list[BranchMember]


class OrgNode(View):
    unit_id: str
    name: str
    kind: str
    dissolved: bool
    children: list[OrgNode]


class UnitAbove(View):
    unit_id: str
    name: str
    kind: str


class OrgTreeView(View):
    roots: list[OrgNode]
    above: list[UnitAbove]  # above the caller's own root, nearest last


class Holder(View):
    member_id: str
    full_name: str


class HouseholdHeld(View):
    household_id: str
    label: str
    group_id: str | None  # the household group it belongs to, if any
    holder: Holder | None  # directly, or as the group's holder


class GroupHeld(View):
    group_id: str
    name: str
    household_ids: list[str]
    holder: Holder | None


class RouteHeld(View):
    route_id: str
    name: str
    holder: Holder | None


class TaskHeld(View):
    task_id: str
    name: str
    holders: list[Holder]  # a task may be shared


class HouseholdsView(View):
    branch_id: str
    year: int
    households: list[HouseholdHeld]
    groups: list[GroupHeld]
    routes: list[RouteHeld]
    tasks: list[TaskHeld]


class HouseholdRef(View):
    household_id: str
    label: str | None


class GroupRef(View):
    group_id: str
    name: str | None


class RouteRef(View):
    route_id: str
    name: str | None


class TaskRef(View):
    task_id: str
    name: str | None


class MemberAssignments(View):
    member_id: str
    full_name: str
    households: list[HouseholdRef]
    groups: list[GroupRef]
    routes: list[RouteRef]
    tasks: list[TaskRef]


class HouseholdRangeView(View):
    min: int
    max: int


class Adoption(View):
    resolution: str | None
    date: dt.date


class PlanView(View):
    branch_id: str
    year: int
    status: Literal["none", "draft", "adopted"]
    household_range: HouseholdRangeView | None
    assignments: list[MemberAssignments]
    adoption: Adoption | None
