"""The branch area read models: `households`, and `duties` (household groups, routes and
tasks), which plans assign and coverage counts against. A household's label arrives in its
private companion, in the same append, after the registration."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.keyring import ERASED_VI

from ..domain.events import (
    HouseholdGroupDefined,
    HouseholdLabelRecorded,
    HouseholdRegistered,
    HouseholdRegisteredV2,
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
        case HouseholdRegisteredV2():
            await conn.execute(
                "INSERT INTO households VALUES ($1, $2, '')", event.branch_id, event.household_id
            )
        case HouseholdLabelRecorded():
            await conn.execute(
                "UPDATE households SET label = $3 WHERE branch_id = $1 AND household_id = $2",
                event.branch_id,
                event.household_id,
                ERASED_VI if event.label is None else event.label,
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
