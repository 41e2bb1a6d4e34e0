"""The service's own read models (people's inputs and decisions), written inside the
append's transaction: a decision is visible to the next command the moment it is saved."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.contracts.rating import (
    AppraisalRecorded,
    DecisionCancelled,
    DisciplineRecorded,
    LevelDecided,
    SelfAssessmentSubmitted,
)
from chibo_kernel.store import per_event

from ..domain.evidence import DISCIPLINE_RANK


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case DisciplineRecorded():
            await conn.execute(
                "INSERT INTO disciplines VALUES ($1, $2, $3, $4, $5, $6, $7)",
                event.member_id,
                event.year,
                event.branch_id,
                event.measure,
                DISCIPLINE_RANK[event.measure],
                event.decided_on,
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
        case AppraisalRecorded():
            await conn.execute(
                "INSERT INTO appraisals VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id, year) "
                "DO UPDATE SET level = excluded.level, note = excluded.note",
                event.member_id,
                event.year,
                event.branch_id,
                event.level,
                event.note,
            )
        case LevelDecided():
            await conn.execute(
                "INSERT INTO decisions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                event.subject,
                event.subject_id,
                event.year,
                event.cohort_id,
                event.level,
                event.proposed_level,
                event.reasons,
                event.rule_set,
                event.decided_by,
                event.decided_on,
            )
        case DecisionCancelled():
            await conn.execute(
                "DELETE FROM decisions WHERE subject = $1 AND subject_id = $2 AND year = $3",
                event.subject,
                event.subject_id,
                event.year,
            )


project = per_event(apply)
