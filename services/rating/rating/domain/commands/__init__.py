"""The service's commands as typed objects, one module per area; each is handled by one
module of `application/handlers/` and authorised by one line of `permissions.py`."""

from .decisions import AppraiseUnit, CancelDecision, Decide, GrantAllowance, SetCohort
from .member_inputs import (
    DecideRemoval,
    ProposeRemoval,
    RecordAppraisal,
    RecordComment,
    RecordConclusion,
    RecordDiscipline,
    RecordLeave,
    SubmitSelfAssessment,
)
from .operations import RebuildReadModels

__all__ = [
    "AppraiseUnit",
    "CancelDecision",
    "Decide",
    "DecideRemoval",
    "GrantAllowance",
    "ProposeRemoval",
    "RebuildReadModels",
    "RecordAppraisal",
    "RecordComment",
    "RecordConclusion",
    "RecordDiscipline",
    "RecordLeave",
    "SetCohort",
    "SubmitSelfAssessment",
]
