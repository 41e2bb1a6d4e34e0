"""The assignment service's events: past-tense facts, one pinned versioned type each.

Public events carry identifiers and the facts consumers need (names, branches, dates that
rating uses). Card numbers and birth dates go in a private event that stays in this
service's store and is never published, in a `member_private-<id>` stream of its own so the
`member-<id>` stream keeps gap-free versions.

The models are defined by concern in the `assignment_*` modules beside this one; this module
gathers them, and the registry, under the one name every producer and consumer imports.
"""

from __future__ import annotations

from chibo_kernel.events import EventRegistry

from .assignment_higher_levels import (
    CommitteeLevel,
    FollowingAssigned,
    HouseholdRangeSet,
    VisitQuotaSet,
)
from .assignment_members import (
    MemberConfirmed,
    MemberExempted,
    MemberIdentityRecorded,
    MemberLeft,
    MemberRegistered,
    MemberRoleGiven,
    MemberStatus,
    MemberSuspended,
    MemberTransferred,
    Role,
    TemporaryAttendanceStarted,
)
from .assignment_plans import (
    DutiesReleased,
    DutyAssigned,
    DutyKind,
    HouseholdGroupDefined,
    HouseholdRegistered,
    HouseholdsReleased,
    MemberAssigned,
    MentorAssigned,
    PlanAdopted,
    PlanDrafted,
    ReleaseReason,
    RouteDefined,
    TaskDefined,
)
from .assignment_reports import (
    EnteredBy,
    Evaluation,
    ProblemEscalated,
    ProblemRaised,
    ProblemResolved,
    ReportReviewed,
    ReportSubmitted,
)
from .assignment_units import (
    OrgUnitCreated,
    OrgUnitDissolved,
    OrgUnitMerged,
    OrgUnitMoved,
    OrgUnitRenamed,
    UnitKind,
)

__all__ = [
    "REGISTRY",
    "CommitteeLevel",
    "DutiesReleased",
    "DutyAssigned",
    "DutyKind",
    "EnteredBy",
    "Evaluation",
    "FollowingAssigned",
    "HouseholdGroupDefined",
    "HouseholdRangeSet",
    "HouseholdRegistered",
    "HouseholdsReleased",
    "MemberAssigned",
    "MemberConfirmed",
    "MemberExempted",
    "MemberIdentityRecorded",
    "MemberLeft",
    "MemberRegistered",
    "MemberRoleGiven",
    "MemberStatus",
    "MemberSuspended",
    "MemberTransferred",
    "MentorAssigned",
    "OrgUnitCreated",
    "OrgUnitDissolved",
    "OrgUnitMerged",
    "OrgUnitMoved",
    "OrgUnitRenamed",
    "PlanAdopted",
    "PlanDrafted",
    "ProblemEscalated",
    "ProblemRaised",
    "ProblemResolved",
    "ReleaseReason",
    "ReportReviewed",
    "ReportSubmitted",
    "Role",
    "RouteDefined",
    "TaskDefined",
    "TemporaryAttendanceStarted",
    "UnitKind",
    "VisitQuotaSet",
]

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
