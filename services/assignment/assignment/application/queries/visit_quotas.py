"""The visit quotas in force on a day, per committee level: the latest period started by
then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.clock import vietnam_today
from chibo_kernel.domain import Message

from .reads import Reads


@dataclass(frozen=True)
class VisitQuotas(Message[list[dict[str, object]]]):
    """On `on`; by default today."""

    province_id: str
    on: date | None = None


async def handle(query: VisitQuotas, reads: Reads) -> list[dict[str, object]]:
    rows = await reads.pool().fetch(
        "SELECT DISTINCT ON (level) level, meetings_per_year, valid_from FROM visit_quotas"
        " WHERE province_id = $1 AND valid_from <= $2 ORDER BY level, valid_from DESC",
        query.province_id,
        query.on or vietnam_today(),
    )
    return [dict(r) for r in rows]
