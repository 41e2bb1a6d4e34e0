"""The branch area read models: `households`, and `duties` (household groups, routes and
tasks), which plans assign and coverage counts against."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent

from ..domain.events import (
    HouseholdGroupDefined,
    HouseholdRegistered,
    RouteDefined,
    TaskDefined,
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
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
