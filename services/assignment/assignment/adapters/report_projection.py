"""The monthly report read models: `reports` (one row per member and assignment each month)
and `problems` (status, and the level a problem was escalated to).

Since version 2 the public events carry no text: a review's comment and a problem's
description come from the private events appended after them in the same append, and
complete the row the public event wrote. Version 1 events still carry theirs."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent

from ..domain.events import (
    ProblemDescriptionRecorded,
    ProblemEscalated,
    ProblemEscalatedV2,
    ProblemRaised,
    ProblemRaisedV2,
    ProblemResolved,
    ProblemResolvedV2,
    ReportReviewed,
    ReportReviewedV2,
    ReportSubmitted,
    ReportSubmittedV2,
    ReviewCommentRecorded,
)

_REVIEW = (
    "UPDATE reports SET evaluation = $5, comment = coalesce($6, comment) WHERE branch_id = $1"
    " AND month = $2 AND member_id = $3 AND assignment = $4"
)
_COMMENT = (
    "UPDATE reports SET comment = $5 WHERE branch_id = $1 AND month = $2 AND member_id = $3"
    " AND assignment = $4"
)
_RAISED = (
    "INSERT INTO problems (problem_id, branch_id, member_id, month, description, status,"
    " raised_on) VALUES ($1, $2, $3, $4, $5, 'open', $6)"
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case ReportSubmitted() | ReportSubmittedV2():
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
        case ReportReviewed() | ReportReviewedV2():
            comment = event.comment if isinstance(event, ReportReviewed) else None
            where = (event.branch_id, event.month, event.member_id, event.assignment)
            await conn.execute(_REVIEW, *where, event.evaluation, comment)
        case ReviewCommentRecorded():
            where = (event.branch_id, event.month, event.member_id, event.assignment)
            await conn.execute(_COMMENT, *where, event.comment)
        case ProblemRaised() | ProblemRaisedV2():
            description = event.description if isinstance(event, ProblemRaised) else None
            await conn.execute(
                _RAISED,
                event.problem_id,
                event.branch_id,
                event.member_id,
                event.month,
                description,
                event.raised_on,
            )
        case ProblemDescriptionRecorded():
            await conn.execute(
                "UPDATE problems SET description = $2 WHERE problem_id = $1",
                event.problem_id,
                event.description,
            )
        case ProblemEscalated() | ProblemEscalatedV2():
            await conn.execute(
                "UPDATE problems SET status = 'escalated', escalated_to = $2 WHERE problem_id = $1",
                event.problem_id,
                event.to_unit_id,
            )
        case ProblemResolved() | ProblemResolvedV2():
            await conn.execute(
                "UPDATE problems SET status = 'resolved', closed_on = $2 WHERE problem_id = $1",
                event.problem_id,
                event.on,
            )
