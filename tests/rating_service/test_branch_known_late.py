"""A branch rating learns of only after its meetings: in a rebuild the attendance stream may be
read ahead of the assignment stream, and a crashed instance's unacknowledged batch comes back
after later ones. The meetings' year is derived while the branch is still unknown (nothing
to prepare); once the branch and its members arrive the year is derived again, and the
prepared rows are those of a generation that read the same events in their first order."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from attendance_service.branch import BRANCH
from delivered import as_delivered
from rating_domain.builders import book as rule_book

from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.db import create_pool
from chibo_kernel.pool import LeanPool
from rating.adapters.facts_projection import FactsProjection
from rating.adapters.facts_schema import create_facts_schema
from rating.application.queries.derivation import derive_stale
from rating.migrations import upgrade

from .builders import consumed_world

DELIVERED_AT = datetime(2026, 1, 10, tzinfo=UTC)


async def consume(pool: LeanPool, schema: str, events: Sequence[DomainEvent]) -> None:
    """One batch, then every mark it left derived, as the generation's deriver does."""
    async with pool.acquire() as conn, conn.transaction():
        await FactsProjection(schema, rule_book().first_year).apply(
            conn, as_delivered(events, DELIVERED_AT)
        )
    while await derive_stale(pool, schema, rule_book()):
        pass


async def prepared(pool: LeanPool, schema: str) -> dict[str, list[Any]]:
    found = {}
    for table in ("member_ratings", "unit_ratings"):
        rows = await pool.fetch(f"SELECT * FROM {schema}.{table}")
        found[table] = sorted((tuple(r.values()) for r in rows), key=repr)
    return found


def is_the_branch(event: DomainEvent) -> bool:
    return isinstance(event, a.OrgUnitCreated) and event.unit_id == BRANCH


def about_members(event: DomainEvent) -> bool:
    return type(event).__module__ == a.__name__ and hasattr(event, "member_id")


async def test_a_branch_known_after_its_meetings_has_its_year_prepared_once_it_arrives(
    fresh_database: str,
) -> None:
    await asyncio.to_thread(upgrade, fresh_database)
    pool = await create_pool(fresh_database)
    try:
        world = consumed_world()
        late = [e for e in world if is_the_branch(e) or about_members(e)]
        first = [e for e in world if e not in late]
        async with pool.acquire() as conn:
            for schema in ("rm_1", "rm_2"):
                await create_facts_schema(conn, schema)
        await consume(pool, "rm_1", world)
        await consume(pool, "rm_2", first)  # the meetings, and the tree without the branch
        assert (await prepared(pool, "rm_2"))["member_ratings"] == []
        await consume(pool, "rm_2", late)

        in_order, late_branch = await prepared(pool, "rm_1"), await prepared(pool, "rm_2")
        assert in_order["member_ratings"], "the year is prepared when read in order"
        assert late_branch == in_order
    finally:
        await pool.close()
