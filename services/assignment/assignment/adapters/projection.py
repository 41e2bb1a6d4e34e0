"""The service's own read models, written inside the append's transaction.

Each group of read models is written by its own module. Every event belongs to exactly one
group, so offering it to each in turn writes it once, as a single match over all events did.
"""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.store import per_event

from . import (
    area_projection,
    erasure_projection,
    following_projection,
    member_projection,
    org_projection,
    plan_projection,
    report_projection,
)

_READ_MODELS = (
    org_projection.apply,
    member_projection.apply,
    area_projection.apply,
    plan_projection.apply,
    report_projection.apply,
    following_projection.apply,
    erasure_projection.apply,
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    for apply_to in _READ_MODELS:
        await apply_to(conn, event)


project = per_event(apply)
