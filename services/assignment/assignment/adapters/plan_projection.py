"""The plan read models: `plans`, who holds which household (`plan_assignments`) and duty
(`plan_duties`), who mentors whom (`plan_mentors`), and what was released and why
(`released_households`, `released_duties`) until someone takes it up again."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent

from ..domain.events import (
    DutiesReleased,
    DutyAssigned,
    HouseholdsReleased,
    MemberAssigned,
    MentorAssigned,
    PlanAdopted,
    PlanDrafted,
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
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
        case MentorAssigned():
            await conn.executemany(
                "INSERT INTO plan_mentors VALUES ($1, $2, $3) ON CONFLICT (plan_id, member_id)"
                " DO UPDATE SET mentor_id = excluded.mentor_id",
                [(event.plan_id, m, event.mentor_id) for m in event.member_ids],
            )
        case PlanAdopted():
            await conn.execute(
                "UPDATE plans SET resolution_number = $2, adopted_on = $3 WHERE plan_id = $1",
                event.plan_id,
                event.resolution_number,
                event.adopted_on,
            )
