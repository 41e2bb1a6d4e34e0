"""People's inputs about a page of members for a year, read into their evidence: what this
service records (discipline, conclusions, leave, self-assessments, appraisals, comments, the
removal procedure, decided levels) and, from the facts, the branches each attended
temporarily. One query per kind, apart from the tallies of `evidence.py`, which fold
the consumed reports and meetings month by month.
"""

from __future__ import annotations

import asyncpg

from chibo_kernel.keyring import ERASED_VI

from ...domain.member_year import Comment, Conclusion, DisciplineCase, SelfAssessment
from .scorecard import MemberEvidence


async def read_people_inputs(
    conn: asyncpg.Connection, found: dict[str, MemberEvidence], year: int
) -> None:
    ids = list(found)
    for row in await conn.fetch(
        "SELECT member_id, measure, decided_on, violation_year, in_duties, self_reported "
        "FROM disciplines WHERE year = $2 AND member_id = ANY ($1::text[]) "
        "ORDER BY member_id, decided_on",
        ids,
        year,
    ):
        found[row["member_id"]].disciplines.append(
            DisciplineCase(
                row["measure"],
                row["decided_on"],
                row["violation_year"],
                row["in_duties"],
                row["self_reported"],
            )
        )
    for row in await conn.fetch(
        "SELECT member_id, kind, concluded_on FROM conclusions "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) ORDER BY concluded_on",
        ids,
        year,
    ):
        found[row["member_id"]].conclusions.append(Conclusion(row["kind"], row["concluded_on"]))
    for row in await conn.fetch(
        "SELECT member_id, kind, sum(months)::int AS months FROM leaves "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) GROUP BY member_id, kind",
        ids,
        year,
    ):
        evidence = found[row["member_id"]]
        if row["kind"] == "sick":
            evidence.sick_leave_months = row["months"]
        else:
            evidence.maternity_leave_months = row["months"]
    for row in await conn.fetch(
        "SELECT * FROM self_assessments WHERE year = $2 AND member_id = ANY ($1::text[])", ids, year
    ):
        found[row["member_id"]].self_assessment = SelfAssessment(
            row["general_points"],
            row["task_points"],
            row["tasks_total"],
            row["tasks_on_time"],
            row["tasks_exceeded"],
            row["shortcomings_fixed"],
            row["level"],
        )
    for row in await conn.fetch(
        "SELECT member_id, level, note FROM appraisals "
        "WHERE year = $2 AND member_id = ANY ($1::text[])",
        ids,
        year,
    ):
        found[row["member_id"]].appraisal = row["level"]
        found[row["member_id"]].appraisal_note = row["note"] or ""
    for row in await conn.fetch(
        "SELECT DISTINCT member_id, host_branch_id FROM temporary_periods "
        "WHERE member_id = ANY ($1::text[]) AND from_date <= make_date($2, 12, 31) "
        "AND to_date >= make_date($2, 1, 1) ORDER BY member_id, host_branch_id",
        ids,
        year,
    ):
        found[row["member_id"]].temporary_hosts.append(row["host_branch_id"])
    for row in await conn.fetch(
        "SELECT member_id, source, from_unit, comment FROM comments "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) ORDER BY commented_on",
        ids,
        year,
    ):
        found[row["member_id"]].comments.append(
            Comment(row["source"], row["from_unit"], row["comment"] or ERASED_VI)
        )
    for row in await conn.fetch(
        "SELECT member_id, removed FROM removals WHERE year = $2 AND member_id = ANY ($1::text[])",
        ids,
        year,
    ):
        removed = row["removed"]
        found[row["member_id"]].removal_procedure = (
            "proposed" if removed is None else ("removed" if removed else "kept")
        )
    for row in await conn.fetch(
        "SELECT subject_id, level FROM decisions WHERE subject = 'member' AND year = $2 "
        "AND subject_id = ANY ($1::text[])",
        ids,
        year,
    ):
        found[row["subject_id"]].decided = row["level"]
