"""The higher levels' read models: who follows which units (`followings`) and the visit
quotas per level, dated (`visit_quotas`)."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent

from ..domain.events import FollowingAssigned, VisitQuotaSet


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
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
