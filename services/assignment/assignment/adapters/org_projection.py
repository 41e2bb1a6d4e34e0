"""The org unit read model (`org_units`): each unit's kind, name, parent and path from the
root, and when it was dissolved or merged. A move rewrites the path of the unit and of every
unit below it."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent

from ..domain.events import (
    OrgUnitCreated,
    OrgUnitDissolved,
    OrgUnitMerged,
    OrgUnitMoved,
    OrgUnitRenamed,
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
