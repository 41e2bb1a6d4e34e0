"""The assignment service's events: past-tense facts, one pinned versioned type each.

Public events carry identifiers and the facts consumers need (names, branches, dates that
rating uses). Card numbers and birth dates go in a private event that stays in this
service's store and is never published, in a `member_private-<id>` stream of its own so the
`member-<id>` stream keeps gap-free versions.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from ..events import DomainEvent, EventRegistry

UnitKind = Literal["province", "district", "grassroots", "branch"]
MemberStatus = Literal["full", "probationary"]
Role = Literal["secretary", "deputy_secretary", "committee_member"]
ReleaseReason = Literal["transferred", "left", "exempted", "suspended", "reassigned"]
Evaluation = Literal["good", "fair", "weak"]  # tốt, khá, yếu: the meeting's review
EnteredBy = Literal["member", "secretary"]
CommitteeLevel = Literal["province", "district", "commune"]
DutyKind = Literal["group", "route", "task"]


class OrgUnitCreated(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.org_unit_created.v1"
    unit_id: str
    kind: UnitKind
    name: str
    parent_id: str | None
    path: list[str]  # ids from the province down to this unit
    valid_from: date


class OrgUnitRenamed(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.org_unit_renamed.v1"
    unit_id: str
    name: str
    valid_from: date


class OrgUnitMoved(DomainEvent):
    """The unit and everything under it now sit under another parent; earlier events keep
    the path they were filed under."""

    event_type: ClassVar[str] = "chibo.assignment.org_unit_moved.v1"
    unit_id: str
    from_parent_id: str
    to_parent_id: str
    path: list[str]  # the unit's new path
    valid_from: date


class OrgUnitMerged(DomainEvent):
    """Sáp nhập: the unit joins another of its kind and stops being active; its members,
    households and sub-units follow in the same command as their own events."""

    event_type: ClassVar[str] = "chibo.assignment.org_unit_merged.v1"
    unit_id: str
    into_unit_id: str
    valid_from: date


class OrgUnitDissolved(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.org_unit_dissolved.v1"
    unit_id: str
    valid_from: date
    reason: str


class MemberRegistered(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_registered.v1"
    member_id: str
    full_name: str
    branch_id: str
    admission_date: date
    status: MemberStatus


class MemberIdentityRecorded(DomainEvent):
    """Master data from the national member database; personal, so never published."""

    event_type: ClassVar[str] = "chibo.assignment.member_identity_recorded.v1"
    published: ClassVar[bool] = False
    member_id: str
    card_number: str
    birth_date: date


class MemberRoleGiven(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_role_given.v1"
    member_id: str
    branch_id: str
    role: Role
    since: date


class MemberExempted(DomainEvent):
    """Miễn công tác và sinh hoạt đảng: no tasks, not expected at meetings, not rated."""

    event_type: ClassVar[str] = "chibo.assignment.member_exempted.v1"
    member_id: str
    branch_id: str
    from_date: date
    to_date: date | None
    reason: str


class MemberTransferred(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_transferred.v1"
    member_id: str
    from_branch_id: str
    to_branch_id: str
    on: date


class MemberSuspended(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_suspended.v1"
    member_id: str
    branch_id: str
    from_date: date
    to_date: date | None
    reason: str


class MemberConfirmed(DomainEvent):
    """A probationary member recognised as a full member (công nhận đảng viên chính thức)."""

    event_type: ClassVar[str] = "chibo.assignment.member_confirmed.v1"
    member_id: str
    branch_id: str
    on: date


class TemporaryAttendanceStarted(DomainEvent):
    """Sinh hoạt tạm thời: full rights at the host branch except voting and standing."""

    event_type: ClassVar[str] = "chibo.assignment.temporary_attendance_started.v1"
    member_id: str
    home_branch_id: str
    host_branch_id: str
    from_date: date
    to_date: date


class MemberLeft(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_left.v1"
    member_id: str
    branch_id: str
    on: date
    reason: str


class HouseholdRegistered(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.household_registered.v1"
    branch_id: str
    household_id: str
    label: str


class HouseholdGroupDefined(DomainEvent):
    """Nhóm hộ: households followed together."""

    event_type: ClassVar[str] = "chibo.assignment.household_group_defined.v1"
    branch_id: str
    group_id: str
    name: str
    household_ids: list[str]


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
    member_id: str
    household_ids: list[str]
    out_of_range: bool  # allowed, but recorded: outside the plan's household range


class DutyAssigned(DomainEvent):
    """A member takes a household group or a route (one holder at a time) or a task."""

    event_type: ClassVar[str] = "chibo.assignment.duty_assigned.v1"
    plan_id: str
    branch_id: str
    member_id: str
    kind: DutyKind
    target_id: str


class DutiesReleased(DomainEvent):
    """Groups, routes and tasks left without the member: a to-do, like released households."""

    event_type: ClassVar[str] = "chibo.assignment.duties_released.v1"
    plan_id: str
    branch_id: str
    member_id: str
    duties: list[str]  # "<kind>:<id>"
    reason: ReleaseReason


class HouseholdsReleased(DomainEvent):
    """Households left without a responsible member: a to-do for the branch, never silent."""

    event_type: ClassVar[str] = "chibo.assignment.households_released.v1"
    plan_id: str
    branch_id: str
    member_id: str
    household_ids: list[str]
    reason: ReleaseReason


class PlanAdopted(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.plan_adopted.v1"
    plan_id: str
    branch_id: str
    resolution_number: str
    adopted_on: date


class ReportSubmitted(DomainEvent):
    """A member's monthly report on one assignment (báo cáo hằng tháng): one a month for
    each assignment held."""

    event_type: ClassVar[str] = "chibo.assignment.report_submitted.v1"
    branch_id: str
    month: str  # YYYY-MM
    member_id: str
    assignment: str  # "households", or the duty: "group:<id>", "route:<id>", "task:<id>"
    situation: str
    submitted_on: date
    entered_by: EnteredBy  # elderly members' reports are often entered by the secretary
    late: bool


class ReportReviewed(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.report_reviewed.v1"
    branch_id: str
    month: str
    member_id: str
    assignment: str
    evaluation: Evaluation
    comment: str
    reviewed_on: date


class ProblemRaised(DomainEvent):
    """Vấn đề nảy sinh: tracked until the branch resolves it or hands it up."""

    event_type: ClassVar[str] = "chibo.assignment.problem_raised.v1"
    problem_id: str
    branch_id: str
    member_id: str
    month: str
    description: str
    raised_on: date


class ProblemEscalated(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.problem_escalated.v1"
    problem_id: str
    branch_id: str
    to_unit_id: str
    on: date
    note: str


class ProblemResolved(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.problem_resolved.v1"
    problem_id: str
    branch_id: str
    on: date
    resolution: str


class MentorAssigned(DomainEvent):
    """Committee members guide members, young and new ones especially (hướng dẫn, giúp đỡ)."""

    event_type: ClassVar[str] = "chibo.assignment.mentor_assigned.v1"
    plan_id: str
    branch_id: str
    mentor_id: str
    member_ids: list[str]


class FollowingAssigned(DomainEvent):
    """A higher committee member is to follow these organisations this year and attend
    their branch meetings (cấp ủy viên cấp trên dự sinh hoạt chi bộ)."""

    event_type: ClassVar[str] = "chibo.assignment.following_assigned.v1"
    follower_id: str
    level: CommitteeLevel
    year: int
    unit_ids: list[str]


class VisitQuotaSet(DomainEvent):
    """How many branch meetings a year a committee member of a level must attend, in one
    province, from a date on: data with a validity period, never a constant."""

    event_type: ClassVar[str] = "chibo.assignment.visit_quota_set.v1"
    province_id: str
    level: CommitteeLevel
    meetings_per_year: int
    valid_from: date


class HouseholdRangeSet(DomainEvent):
    """A province's policy for how many households a member follows, from a date on; a
    branch's plan may set its own instead."""

    event_type: ClassVar[str] = "chibo.assignment.household_range_set.v1"
    province_id: str
    min_households: int
    max_households: int
    valid_from: date


REGISTRY = EventRegistry(
    [
        OrgUnitCreated,
        OrgUnitRenamed,
        OrgUnitMoved,
        OrgUnitMerged,
        OrgUnitDissolved,
        MemberRegistered,
        MemberIdentityRecorded,
        MemberRoleGiven,
        MemberExempted,
        MemberTransferred,
        MemberSuspended,
        MemberConfirmed,
        TemporaryAttendanceStarted,
        MemberLeft,
        HouseholdRegistered,
        HouseholdGroupDefined,
        RouteDefined,
        TaskDefined,
        PlanDrafted,
        MemberAssigned,
        DutyAssigned,
        DutiesReleased,
        HouseholdsReleased,
        PlanAdopted,
        ReportSubmitted,
        ReportReviewed,
        ProblemRaised,
        ProblemEscalated,
        ProblemResolved,
        MentorAssigned,
        FollowingAssigned,
        VisitQuotaSet,
        HouseholdRangeSet,
    ]
)
