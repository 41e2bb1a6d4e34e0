"""The service's commands as typed objects, one module per area; each is handled by one
module of `application/handlers/` and authorised by one line of `permissions.py`."""

from .erasure import EraseMember
from .following import AssignFollowing, AssignMentor, SetVisitQuota
from .members import (
    AttendTemporarily,
    ConfirmMember,
    CorrectIdentity,
    ExemptMember,
    GiveRole,
    ImportMembers,
    MemberLeaves,
    RegisterMember,
    SuspendMember,
    TransferMember,
)
from .plans import (
    AdoptPlan,
    AssignDuties,
    AssignHouseholds,
    DefineDuties,
    DraftPlan,
    ImportPlanAssignments,
    RegisterHouseholds,
    SetHouseholdRange,
)
from .reports import (
    EscalateProblem,
    ReportEntry,
    ResolveProblem,
    ReviewEntry,
    ReviewReports,
    SubmitReports,
)
from .units import CreateUnit, DissolveUnit, MergeUnit, MoveUnit, RenameUnit

__all__ = [
    "AdoptPlan",
    "AssignDuties",
    "AssignFollowing",
    "AssignHouseholds",
    "AssignMentor",
    "AttendTemporarily",
    "ConfirmMember",
    "CorrectIdentity",
    "CreateUnit",
    "DefineDuties",
    "DissolveUnit",
    "DraftPlan",
    "EraseMember",
    "EscalateProblem",
    "ExemptMember",
    "GiveRole",
    "ImportMembers",
    "ImportPlanAssignments",
    "MemberLeaves",
    "MergeUnit",
    "MoveUnit",
    "RegisterHouseholds",
    "RegisterMember",
    "RenameUnit",
    "ReportEntry",
    "ResolveProblem",
    "ReviewEntry",
    "ReviewReports",
    "SetHouseholdRange",
    "SetVisitQuota",
    "SubmitReports",
    "SuspendMember",
    "TransferMember",
]
