"""The rating service's events: what people decided at year end (đánh giá, xếp loại chất
lượng), and the inputs they gave. The service proposes; these record what people did.

One stream per unit and year (`ratings-<unit>-<year>`): the unit's members, or its sub-units,
are one cohort, so the quota (excellent ≤ 20% of good) is checked inside one aggregate.

The models are defined by concern in the `rating_*` modules beside this one; this module
gathers them, and the registry, under the one name every producer and consumer imports.
"""

from __future__ import annotations

from chibo_kernel.events import EventRegistry

from .rating_cohorts import AllowanceGranted, CohortSet, UnitAppraised
from .rating_levels import (
    AppraisalRecorded,
    AppraisalRecordedV2,
    DecisionCancelled,
    DecisionCancelledV2,
    Level,
    LevelDecided,
    LevelDecidedV2,
    SelfAssessmentSubmitted,
    SubjectKind,
)
from .rating_member_records import (
    CommentRecorded,
    CommentSource,
    ConclusionKind,
    ConclusionRecorded,
    DisciplineDecided,
    DisciplineRecorded,
    LeaveKind,
    LeaveRecorded,
    Measure,
    RemovalDecided,
    RemovalProposed,
)
from .rating_notes import (
    AppraisalNoteRecorded,
    DecisionCancellationReasonRecorded,
    DecisionReasonsRecorded,
)

__all__ = [
    "REGISTRY",
    "AllowanceGranted",
    "AppraisalNoteRecorded",
    "AppraisalRecorded",
    "AppraisalRecordedV2",
    "CohortSet",
    "CommentRecorded",
    "CommentSource",
    "ConclusionKind",
    "ConclusionRecorded",
    "DecisionCancellationReasonRecorded",
    "DecisionCancelled",
    "DecisionCancelledV2",
    "DecisionReasonsRecorded",
    "DisciplineDecided",
    "DisciplineRecorded",
    "LeaveKind",
    "LeaveRecorded",
    "Level",
    "LevelDecided",
    "LevelDecidedV2",
    "Measure",
    "RemovalDecided",
    "RemovalProposed",
    "SelfAssessmentSubmitted",
    "SubjectKind",
    "UnitAppraised",
]

REGISTRY = EventRegistry(
    [
        DisciplineRecorded,
        DisciplineDecided,
        ConclusionRecorded,
        LeaveRecorded,
        CommentRecorded,
        AllowanceGranted,
        UnitAppraised,
        CohortSet,
        RemovalProposed,
        RemovalDecided,
        SelfAssessmentSubmitted,
        AppraisalRecorded,
        AppraisalRecordedV2,
        AppraisalNoteRecorded,
        LevelDecided,
        LevelDecidedV2,
        DecisionReasonsRecorded,
        DecisionCancelled,
        DecisionCancelledV2,
        DecisionCancellationReasonRecorded,
    ]
)
