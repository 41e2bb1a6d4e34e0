"""The service's own read models, written inside the append's transaction."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.store import per_event

from ..domain.events import (
    DutiesReleased,
    DutyAssigned,
    FollowingAssigned,
    HouseholdGroupDefined,
    HouseholdRegistered,
    HouseholdsReleased,
    MemberAssigned,
    MemberConfirmed,
    MemberExempted,
    MemberIdentityRecorded,
    MemberLeft,
    MemberRegistered,
    MemberRoleGiven,
    MemberSuspended,
    MemberTransferred,
    MentorAssigned,
    OrgUnitCreated,
    OrgUnitDissolved,
    OrgUnitMerged,
    OrgUnitMoved,
    OrgUnitRenamed,
    PlanAdopted,
    PlanDrafted,
    ProblemEscalated,
    ProblemRaised,
    ProblemResolved,
    ReportReviewed,
    ReportSubmitted,
    RouteDefined,
    TaskDefined,
    TemporaryAttendanceStarted,
    VisitQuotaSet,
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case OrgUnitCreated():
            await conn.execute(
                "INSERT INTO org_units VALUES ($1, $2, $3, $4, $5, NULL, NULL)",
                event.unit_id,
                event.kind,
                event.name,
                event.parent_id,
                event.path,
            )
        case OrgUnitRenamed():
            await conn.execute(
                "UPDATE org_units SET name = $2 WHERE unit_id = $1", event.unit_id, event.name
            )
        case OrgUnitMoved():
            old = await conn.fetchval(
                "SELECT path FROM org_units WHERE unit_id = $1", event.unit_id
            )
            await conn.execute(
                "UPDATE org_units SET path = $2::text[] || path[cardinality($1::text[]) + 1:]"
                " WHERE path[1:cardinality($1::text[])] = $1::text[]",
                old,
                event.path,
            )
            await conn.execute(
                "UPDATE org_units SET parent_id = $2 WHERE unit_id = $1",
                event.unit_id,
                event.to_parent_id,
            )
        case OrgUnitMerged():
            await conn.execute(
                "UPDATE org_units SET dissolved_on = $2, merged_into = $3 WHERE unit_id = $1",
                event.unit_id,
                event.valid_from,
                event.into_unit_id,
            )
        case OrgUnitDissolved():
            await conn.execute(
                "UPDATE org_units SET dissolved_on = $2 WHERE unit_id = $1",
                event.unit_id,
                event.valid_from,
            )
        case MemberRegistered():
            await conn.execute(
                "INSERT INTO members (member_id, full_name, branch_id, admission_date, status)"
                " VALUES ($1, $2, $3, $4, $5)",
                event.member_id,
                event.full_name,
                event.branch_id,
                event.admission_date,
                event.status,
            )
        case MemberIdentityRecorded():
            await conn.execute(
                "INSERT INTO member_cards VALUES ($1, $2, $3)",
                event.card_number,
                event.member_id,
                event.birth_date,
            )
        case MemberRoleGiven():
            await conn.execute(
                "UPDATE members SET roles = array_append(roles, $2) WHERE member_id = $1",
                event.member_id,
                event.role,
            )
        case MemberExempted():
            await conn.execute(
                "UPDATE members SET exempt_from = $2, exempt_to = $3 WHERE member_id = $1",
                event.member_id,
                event.from_date,
                event.to_date,
            )
        case MemberTransferred():
            await conn.execute(
                "UPDATE members SET branch_id = $2, roles = '{}' WHERE member_id = $1",
                event.member_id,
                event.to_branch_id,
            )
        case MemberSuspended():
            await conn.execute(
                "UPDATE members SET suspended_from = $2, suspended_to = $3 WHERE member_id = $1",
                event.member_id,
                event.from_date,
                event.to_date,
            )
        case MemberConfirmed():
            await conn.execute(
                "UPDATE members SET status = 'full' WHERE member_id = $1", event.member_id
            )
        case TemporaryAttendanceStarted():
            await conn.execute(
                "UPDATE members SET temporary_branch_id = $2, temporary_from = $3,"
                " temporary_to = $4 WHERE member_id = $1",
                event.member_id,
                event.host_branch_id,
                event.from_date,
                event.to_date,
            )
        case MemberLeft():
            await conn.execute(
                "UPDATE members SET left_on = $2, roles = '{}' WHERE member_id = $1",
                event.member_id,
                event.on,
            )
        case HouseholdRegistered():
            await conn.execute(
                "INSERT INTO households VALUES ($1, $2, $3)",
                event.branch_id,
                event.household_id,
                event.label,
            )
        case HouseholdGroupDefined():
            await conn.execute(
                "INSERT INTO duties VALUES ($1, 'group', $2, $3, $4)",
                event.branch_id,
                event.group_id,
                event.name,
                event.household_ids,
            )
        case RouteDefined():
            await conn.execute(
                "INSERT INTO duties VALUES ($1, 'route', $2, $3, NULL)",
                event.branch_id,
                event.route_id,
                event.name,
            )
        case TaskDefined():
            await conn.execute(
                "INSERT INTO duties VALUES ($1, 'task', $2, $3, NULL)",
                event.branch_id,
                event.task_id,
                event.name,
            )
        case DutyAssigned():
            await conn.execute(
                "INSERT INTO plan_duties VALUES ($1, $2, $3, $4)",
                event.plan_id,
                event.kind,
                event.target_id,
                event.member_id,
            )
            await conn.execute(
                "DELETE FROM released_duties WHERE plan_id = $1 AND duty = $2",
                event.plan_id,
                f"{event.kind}:{event.target_id}",
            )
        case DutiesReleased():
            for duty in event.duties:
                kind, _, target = duty.partition(":")
                await conn.execute(
                    "DELETE FROM plan_duties WHERE plan_id = $1 AND kind = $2 AND target_id = $3"
                    " AND member_id = $4",
                    event.plan_id,
                    kind,
                    target,
                    event.member_id,
                )
                await conn.execute(
                    "INSERT INTO released_duties VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    event.plan_id,
                    duty,
                    event.member_id,
                    event.reason,
                )
        case PlanDrafted():
            await conn.execute(
                "INSERT INTO plans (plan_id, branch_id, year, min_households, max_households)"
                " VALUES ($1, $2, $3, $4, $5)",
                event.plan_id,
                event.branch_id,
                event.year,
                event.min_households,
                event.max_households,
            )
        case MemberAssigned():
            await conn.executemany(
                "INSERT INTO plan_assignments VALUES ($1, $2, $3, $4)",
                [
                    (event.plan_id, h, event.member_id, event.out_of_range)
                    for h in event.household_ids
                ],
            )
            await conn.execute(
                "DELETE FROM released_households WHERE plan_id = $1 AND household_id = ANY($2)",
                event.plan_id,
                event.household_ids,
            )
        case HouseholdsReleased():
            await conn.execute(
                "DELETE FROM plan_assignments WHERE plan_id = $1 AND household_id = ANY($2)",
                event.plan_id,
                event.household_ids,
            )
            await conn.executemany(
                "INSERT INTO released_households VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (plan_id, household_id) DO UPDATE SET member_id = excluded.member_id,"
                " reason = excluded.reason",
                [(event.plan_id, h, event.member_id, event.reason) for h in event.household_ids],
            )
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
        case MentorAssigned():
            await conn.executemany(
                "INSERT INTO plan_mentors VALUES ($1, $2, $3) ON CONFLICT (plan_id, member_id)"
                " DO UPDATE SET mentor_id = excluded.mentor_id",
                [(event.plan_id, m, event.mentor_id) for m in event.member_ids],
            )
        case FollowingAssigned():
            await conn.executemany(
                "INSERT INTO followings VALUES ($1, $2, $3, $4)",
                [(event.follower_id, event.year, u, event.level) for u in event.unit_ids],
            )
        case VisitQuotaSet():
            await conn.execute(
                "INSERT INTO visit_quotas VALUES ($1, $2, $3, $4)",
                event.province_id,
                event.level,
                event.valid_from,
                event.meetings_per_year,
            )
        case PlanAdopted():
            await conn.execute(
                "UPDATE plans SET resolution_number = $2, adopted_on = $3 WHERE plan_id = $1",
                event.plan_id,
                event.resolution_number,
                event.adopted_on,
            )


project = per_event(apply)
