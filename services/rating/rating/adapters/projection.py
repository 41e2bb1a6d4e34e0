"""The service's own read models (people's inputs and decisions), written inside the
append's transaction: a decision is visible to the next command the moment it is saved. A
v1 event carries its text; a v2 one's comes from the private note appended right after it,
in the same transaction (and so in the same order on a rebuild)."""

from __future__ import annotations

import asyncpg

from chibo_contracts.rating import (
    AllowanceGranted,
    AppraisalNoteRecorded,
    AppraisalRecorded,
    AppraisalRecordedV2,
    CohortSet,
    CommentRecorded,
    ConclusionRecorded,
    DecisionCancellationReasonRecorded,
    DecisionCancelled,
    DecisionCancelledV2,
    DecisionReasonsRecorded,
    DisciplineDecided,
    DisciplineRecorded,
    LeaveRecorded,
    LevelDecided,
    LevelDecidedV2,
    RemovalDecided,
    RemovalProposed,
    SelfAssessmentSubmitted,
    UnitAppraised,
)
from chibo_kernel import DomainEvent
from chibo_kernel.store import per_event

from ..domain.member_file import leave_months
from ..domain.member_year import MEASURES
from .staleness import mark_inputs

DISCIPLINE_SQL = "INSERT INTO disciplines VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
# Texts beside a published event: they change no rating, so they mark nothing stale.
NOTES = (AppraisalNoteRecorded, DecisionReasonsRecorded, DecisionCancellationReasonRecorded)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case DisciplineRecorded():
            # First recorded without the facts the rules weigh: as the rules then read it.
            await conn.execute(
                DISCIPLINE_SQL,
                event.member_id,
                event.year,
                event.branch_id,
                event.measure,
                MEASURES.index(event.measure) + 1,
                event.decided_on,
                event.reason,
                event.year,
                True,
                False,
            )
        case DisciplineDecided():
            await conn.execute(
                DISCIPLINE_SQL,
                event.member_id,
                event.year,
                event.branch_id,
                event.measure,
                MEASURES.index(event.measure) + 1,
                event.decided_on,
                event.reason,
                event.violation_year,
                event.in_duties,
                event.self_reported_and_remedied,
            )
        case ConclusionRecorded():
            await conn.execute(
                "INSERT INTO conclusions VALUES ($1, $2, $3, $4, $5, $6, $7)",
                event.member_id,
                event.year,
                event.branch_id,
                event.kind,
                event.concluded_on,
                event.concluded_by,
                event.reason,
            )
        case LeaveRecorded():
            await conn.execute(
                "INSERT INTO leaves VALUES ($1, $2, $3, $4, $5, $6, $7)",
                event.member_id,
                event.year,
                event.branch_id,
                event.kind,
                event.from_date,
                event.to_date,
                leave_months(event.from_date, event.to_date),
            )
        case UnitAppraised():
            await conn.execute(
                "INSERT INTO unit_appraisals VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                "ON CONFLICT (unit_id, year) DO UPDATE SET points = excluded.points, "
                "level = excluded.level, targets_total = excluded.targets_total, "
                "targets_done = excluded.targets_done, "
                "targets_exceeded = excluded.targets_exceeded, "
                "disciplined = excluded.disciplined, appraised_by = excluded.appraised_by, "
                "note = excluded.note",
                event.unit_id,
                event.year,
                event.points,
                event.level,
                event.targets_total,
                event.targets_done,
                event.targets_exceeded,
                event.disciplined,
                event.appraised_by,
                event.note,
            )
        case CommentRecorded():
            await conn.execute(
                "INSERT INTO comments VALUES ($1, $2, $3, $4, $5, $6, $7)",
                event.member_id,
                event.year,
                event.branch_id,
                event.source,
                event.from_unit,
                event.comment,
                event.commented_on,
            )
        case CohortSet():
            await conn.execute(
                "INSERT INTO cohorts VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, year) "
                "DO UPDATE SET cohort_id = excluded.cohort_id, decided_by = excluded.decided_by, "
                "decided_on = excluded.decided_on",
                event.unit_id,
                event.year,
                event.cohort_id,
                event.decided_by,
                event.decided_on,
            )
        case RemovalProposed():
            await conn.execute(
                "INSERT INTO removals (member_id, year, branch_id, months, proposed_by, "
                "proposed_on) VALUES ($1, $2, $3, $4, $5, $6)",
                event.member_id,
                event.year,
                event.branch_id,
                event.months,
                event.proposed_by,
                event.proposed_on,
            )
        case RemovalDecided():
            await conn.execute(
                "UPDATE removals SET removed = $3, decided_by = $4, decided_on = $5, reason = $6 "
                "WHERE member_id = $1 AND year = $2",
                event.member_id,
                event.year,
                event.removed,
                event.decided_by,
                event.decided_on,
                event.reason,
            )
        case AllowanceGranted():
            await conn.execute(
                "INSERT INTO allowances VALUES ($1, $2, $3, $4, $5)",
                event.cohort_id,
                event.year,
                event.granted_by,
                event.granted_on,
                event.reason,
            )
        case SelfAssessmentSubmitted():
            await conn.execute(
                "INSERT INTO self_assessments VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                event.member_id,
                event.year,
                event.branch_id,
                event.general_points,
                event.task_points,
                event.tasks_total,
                event.tasks_on_time,
                event.tasks_exceeded,
                event.shortcomings_fixed,
                event.level,
            )
        case AppraisalRecorded() | AppraisalRecordedV2():
            await conn.execute(
                "INSERT INTO appraisals VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id, year) "
                "DO UPDATE SET level = excluded.level, note = excluded.note",
                event.member_id,
                event.year,
                event.branch_id,
                event.level,
                getattr(event, "note", ""),
            )
        case AppraisalNoteRecorded():
            await conn.execute(
                "UPDATE appraisals SET note = $3 WHERE member_id = $1 AND year = $2",
                event.member_id,
                event.year,
                event.note,
            )
        case LevelDecided() | LevelDecidedV2():
            await conn.execute(
                "INSERT INTO decisions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                event.subject,
                event.subject_id,
                event.year,
                event.cohort_id,
                event.level,
                event.proposed_level,
                getattr(event, "reasons", []),
                event.rule_set,
                event.decided_by,
                event.decided_on,
            )
        case DecisionReasonsRecorded():
            await conn.execute(
                "UPDATE decisions SET reasons = $4 "
                "WHERE subject = $1 AND subject_id = $2 AND year = $3",
                event.subject,
                event.subject_id,
                event.year,
                event.reasons,
            )
        case DecisionCancelled() | DecisionCancelledV2():
            await conn.execute(
                "DELETE FROM decisions WHERE subject = $1 AND subject_id = $2 AND year = $3",
                event.subject,
                event.subject_id,
                event.year,
            )
    if not isinstance(event, NOTES):
        await mark_inputs(conn, event)


project = per_event(apply)
