"""The monthly report read models: `reports` (one row per member and assignment each month)
and `problems` (status, and the level a problem was escalated to)."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent

from ..domain.events import (
    ProblemEscalated,
    ProblemRaised,
    ProblemResolved,
    ReportReviewed,
    ReportSubmitted,
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case ReportSubmitted():
            await conn.execute(
                "INSERT INTO reports (branch_id, month, member_id, assignment, submitted_on,"
                " late, entered_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                event.branch_id,
                event.month,
                event.member_id,
                event.assignment,
                event.submitted_on,
                event.late,
                event.entered_by,
            )
        case ReportReviewed():
            await conn.execute(
                "UPDATE reports SET evaluation = $5, comment = $6 WHERE branch_id = $1"
                " AND month = $2 AND member_id = $3 AND assignment = $4",
                event.branch_id,
                event.month,
                event.member_id,
                event.assignment,
                event.evaluation,
                event.comment,
            )
        case ProblemRaised():
            await conn.execute(
                "INSERT INTO problems (problem_id, branch_id, member_id, month, description,"
                " status, raised_on) VALUES ($1, $2, $3, $4, $5, 'open', $6)",
                event.problem_id,
                event.branch_id,
                event.member_id,
                event.month,
                event.description,
                event.raised_on,
            )
        case ProblemEscalated():
            await conn.execute(
                "UPDATE problems SET status = 'escalated', escalated_to = $2 WHERE problem_id = $1",
                event.problem_id,
                event.to_unit_id,
            )
        case ProblemResolved():
            await conn.execute(
                "UPDATE problems SET status = 'resolved', closed_on = $2 WHERE problem_id = $1",
                event.problem_id,
                event.on,
            )
