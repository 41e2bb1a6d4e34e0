"""The facts statements of the assignment service's events: its organisation tree, members
(periods, standing, roles), plans and assignments, reports, problems, followings and visit
quotas. One table per source stream, so each reads beside the contracts it projects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from chibo_contracts import assignment as a
from chibo_kernel.keyring import ERASED_VI

from .fact_statements import Bulk, Statement, StatementTable

_CLOSE_PERIOD = "UPDATE member_periods SET to_date = $2 WHERE member_id = $1 AND to_date IS NULL"
_OPEN_PERIOD = "INSERT INTO member_periods VALUES ($1, $2, $3, NULL)"


def _unit_created(e: a.OrgUnitCreated) -> list[Statement]:
    sql = "INSERT INTO units VALUES ($1, $2, $3, $4, $5, true) ON CONFLICT DO NOTHING"
    return [(sql, (e.unit_id, e.kind, e.name, e.parent_id, e.path))]


def _unit_moved(e: a.OrgUnitMoved) -> list[Statement]:
    return [
        (
            "UPDATE units SET path = $2::text[] || path[cardinality(old.p) + 1:] FROM "
            "(SELECT path AS p FROM units WHERE unit_id = $1) old "
            "WHERE units.path[1:cardinality(old.p)] = old.p",
            (e.unit_id, e.path),
        ),
        ("UPDATE units SET parent_id = $2 WHERE unit_id = $1", (e.unit_id, e.to_parent_id)),
    ]


def _registered(
    e: a.MemberRegistered | a.MemberRegisteredV2 | a.MemberRegisteredV3,
) -> list[Statement]:
    """The membership period starts when the member began attending the branch (version 3;
    versions 1 and 2: the admission), so a member entered late owes no report and no meeting
    before it; the admission stays the member's, for the rules that weigh it."""
    return [
        (
            "INSERT INTO members VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            (e.member_id, shown_name(e.full_name), e.admission_date, e.status),
        ),
        (_OPEN_PERIOD, (e.member_id, e.branch_id, a.attending_since(e))),
    ]


def _renamed(e: a.MemberRenamed) -> list[Statement]:
    """A corrected name: read by every view at query time, so nothing is marked stale."""
    sql = "UPDATE members SET full_name = $2 WHERE member_id = $1"
    return [(sql, (e.member_id, shown_name(e.full_name)))]


def shown_name(name: str | None) -> str:
    """A sealed name whose key was destroyed (the member erased) opens as None."""
    return ERASED_VI if name is None else name


def _transferred(e: a.MemberTransferred) -> list[Statement]:
    return [
        (_CLOSE_PERIOD, (e.member_id, e.on - timedelta(days=1))),
        (_OPEN_PERIOD, (e.member_id, e.to_branch_id, e.on)),
    ]


def _standing(kind: str) -> Callable[[Any], list[Statement]]:
    def statements(
        e: a.MemberExempted | a.MemberExemptedV2 | a.MemberSuspended | a.MemberSuspendedV2,
    ) -> list[Statement]:
        sql = "INSERT INTO member_standing VALUES ($1, $2, $3, $4)"
        return [(sql, (e.member_id, kind, e.from_date, e.to_date))]

    return statements


def _left(e: a.MemberLeft | a.MemberLeftV2) -> list[Statement]:
    return [(_CLOSE_PERIOD, (e.member_id, e.on - timedelta(days=1)))]


def _report_submitted(e: a.ReportSubmitted | a.ReportSubmittedV2) -> list[Statement]:
    return [(_REPORT, (e.member_id, e.month, e.assignment, e.branch_id, e.late))]


def _report_reviewed(e: a.ReportReviewed | a.ReportReviewedV2) -> list[Statement]:
    sql = (
        "UPDATE reports SET evaluation = $4 WHERE member_id = $1 AND month = $2 AND assignment = $3"
    )
    return [(sql, (e.member_id, e.month, e.assignment, e.evaluation))]


def _problem_raised(e: a.ProblemRaised | a.ProblemRaisedV2) -> list[Statement]:
    sql = "INSERT INTO problems VALUES ($1, $2, $3, $4, 'open') ON CONFLICT DO NOTHING"
    return [(sql, (e.problem_id, e.member_id, e.branch_id, e.month))]


def _escalated(e: a.ProblemEscalated | a.ProblemEscalatedV2) -> list[Statement]:
    return [("UPDATE problems SET status = 'escalated' WHERE problem_id = $1", (e.problem_id,))]


def _resolved(e: a.ProblemResolved | a.ProblemResolvedV2) -> list[Statement]:
    return [("UPDATE problems SET status = 'resolved' WHERE problem_id = $1", (e.problem_id,))]


def _erased(e: a.MemberErased) -> list[Statement]:
    """The member's data erased: the name shows as erased, and the texts people wrote about
    them in this service's own tables (on the search path after the facts) go. Rows, levels
    and marks stay, so every roll-up stays as it was; nothing is marked stale."""
    member = (e.member_id,)
    return [
        ("UPDATE members SET full_name = $2 WHERE member_id = $1", (e.member_id, ERASED_VI)),
        ("UPDATE appraisals SET note = NULL WHERE member_id = $1", member),
        ("UPDATE comments SET comment = NULL WHERE member_id = $1", member),
        ("UPDATE disciplines SET reason = NULL WHERE member_id = $1", member),
        ("UPDATE conclusions SET reason = NULL WHERE member_id = $1", member),
        ("UPDATE removals SET reason = NULL WHERE member_id = $1", member),
        (
            "UPDATE decisions SET reasons = '{}' WHERE subject = 'member' AND subject_id = $1",
            member,
        ),
    ]


_REPORT = (
    "INSERT INTO reports VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT "
    "(member_id, month, assignment) DO UPDATE SET late = excluded.late"
)
# A branch's month of reports goes as one statement over arrays.
ASSIGNMENT_BULK: dict[str, Bulk] = {
    _REPORT: (
        "INSERT INTO reports SELECT m, mo, a, b, l, NULL FROM unnest($1::text[], $2::text[], "
        "$3::text[], $4::text[], $5::boolean[]) AS u(m, mo, a, b, l) ON CONFLICT "
        "(member_id, month, assignment) DO UPDATE SET late = excluded.late",
        3,
    ),
}

ASSIGNMENT_STATEMENTS: StatementTable = {
    a.OrgUnitCreated: _unit_created,
    a.OrgUnitRenamed: lambda e: [
        ("UPDATE units SET name = $2 WHERE unit_id = $1", (e.unit_id, e.name))
    ],
    a.OrgUnitMoved: _unit_moved,
    a.OrgUnitMerged: lambda e: [
        ("UPDATE units SET active = false WHERE unit_id = $1", (e.unit_id,))
    ],
    a.OrgUnitDissolved: lambda e: [
        ("UPDATE units SET active = false WHERE unit_id = $1", (e.unit_id,))
    ],
    a.MemberRegistered: _registered,
    a.MemberRegisteredV2: _registered,
    a.MemberRegisteredV3: _registered,
    a.MemberRenamed: _renamed,
    a.MemberTransferred: _transferred,
    a.MemberLeft: _left,
    a.MemberLeftV2: _left,
    a.TemporaryAttendanceStarted: lambda e: [
        (
            "INSERT INTO temporary_periods VALUES ($1, $2, $3, $4, $5)",
            (e.member_id, e.home_branch_id, e.host_branch_id, e.from_date, e.to_date),
        )
    ],
    a.MemberExempted: _standing("exempt"),
    a.MemberExemptedV2: _standing("exempt"),
    a.MemberSuspended: _standing("suspended"),
    a.MemberSuspendedV2: _standing("suspended"),
    a.MemberConfirmed: lambda e: [
        ("UPDATE members SET status = 'full' WHERE member_id = $1", (e.member_id,))
    ],
    a.MemberRoleGiven: lambda e: [
        (
            "INSERT INTO roles VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            (e.member_id, e.branch_id, e.role, e.since),
        )
    ],
    a.PlanDrafted: lambda e: [
        (
            "INSERT INTO plans VALUES ($1, $2, $3, NULL) ON CONFLICT DO NOTHING",
            (e.plan_id, e.branch_id, e.year),
        )
    ],
    a.PlanAdopted: lambda e: [
        ("UPDATE plans SET adopted_on = $2 WHERE plan_id = $1", (e.plan_id, e.adopted_on))
    ],
    a.MemberAssigned: lambda e: [
        (
            "INSERT INTO assignments VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            (e.plan_id, e.member_id, "households"),
        )
    ],
    a.DutyAssigned: lambda e: [
        (
            "INSERT INTO assignments VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            (e.plan_id, e.member_id, f"{e.kind}:{e.target_id}"),
        )
    ],
    # Version 2 of these events leaves the texts in the assignment service; none was used.
    a.ReportSubmitted: _report_submitted,
    a.ReportSubmittedV2: _report_submitted,
    a.ReportReviewed: _report_reviewed,
    a.ReportReviewedV2: _report_reviewed,
    a.ProblemRaised: _problem_raised,
    a.ProblemRaisedV2: _problem_raised,
    a.ProblemEscalated: _escalated,
    a.ProblemEscalatedV2: _escalated,
    a.ProblemResolved: _resolved,
    a.ProblemResolvedV2: _resolved,
    a.FollowingAssigned: lambda e: [
        (
            "INSERT INTO followings VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            (e.follower_id, e.year, e.level, unit),
        )
        for unit in e.unit_ids
    ],
    a.MemberErased: _erased,
    a.VisitQuotaSet: lambda e: [
        (
            "INSERT INTO quotas VALUES ($1, $2, $3, $4) ON CONFLICT (province_id, level, "
            "valid_from) DO UPDATE SET meetings_per_year = excluded.meetings_per_year",
            (e.province_id, e.level, e.valid_from, e.meetings_per_year),
        )
    ],
}
