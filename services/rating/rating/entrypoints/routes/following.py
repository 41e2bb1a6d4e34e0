"""Higher committee members following units: branch meetings attended against the quota
valid for their level that year, counted only inside the caller's subtree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter

from chibo_kernel.auth import Permission, current_principal
from chibo_kernel.http import guard
from chibo_kernel.pool import LeanPool

from ...application.evidence_query import facts
from ...application.read_models import ReadModels
from .. import schemas as s
from .columns import FOLLOWER_COLUMNS
from .params import Format, UnitPath, Year, download
from .places import Places


def add_routes(
    api: APIRouter, pool: Callable[[], LeanPool], read_models: ReadModels, places: Places
) -> None:
    read_unit = guard(Permission.READ, places.unit)

    @api.get(
        "/units/{unit_id}/following/{year}",
        response_model=list[s.FollowerLine],
        dependencies=[read_unit],
    )
    async def following(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Higher committee members following units under this one: branch meetings attended
        against the quota that was valid for their level in that year. Only meetings of
        branches inside the caller's subtree are counted."""
        principal = current_principal()
        scope = list(principal.scope) if principal else []
        async with facts(pool(), read_models.active_schema) as conn:
            rows = await conn.fetch(FOLLOWING_SQL, unit_id, year, date(year, 12, 31), scope)
        lines = [
            s.FollowerLine(**dict(r), met=None if r["quota"] is None else r["visits"] >= r["quota"])
            for r in rows
        ]
        if format:
            return download(
                [line.model_dump() for line in lines],
                FOLLOWER_COLUMNS,
                format,
                f"Dự sinh hoạt {unit_id} {year}",
            )
        return lines


FOLLOWING_SQL = """
WITH followers AS (
  SELECT f.follower_id, f.level, array_agg(f.unit_id ORDER BY f.unit_id) AS units,
         min(u.path[1]) AS province
    FROM followings f JOIN units u USING (unit_id)
   WHERE f.year = $2 AND $1 = ANY (u.path)
   GROUP BY f.follower_id, f.level),
-- The year's visits to branches inside the caller's subtree ($4; empty: the province).
visible AS (
  SELECT g.guest_id, g.within_assignment FROM guest_visits g
   WHERE g.guest_id IN (SELECT follower_id FROM followers)
     AND extract(year FROM g.held_on) = $2
     AND (cardinality($4::text[]) = 0
          OR EXISTS (SELECT 1 FROM units b WHERE b.unit_id = g.branch_id
                       AND b.path[1:cardinality($4::text[])] = $4::text[])))
SELECT fo.follower_id, fo.level, fo.units,
       (SELECT count(*) FROM visible g WHERE g.guest_id = fo.follower_id)::int AS visits,
       (SELECT count(*) FROM visible g WHERE g.guest_id = fo.follower_id
          AND NOT g.within_assignment)::int AS outside_assignment,
       q.meetings_per_year AS quota, q.valid_from AS quota_valid_from
  FROM followers fo
  LEFT JOIN LATERAL (SELECT meetings_per_year, valid_from FROM quotas
                      WHERE province_id = fo.province AND level = fo.level AND valid_from <= $3
                      ORDER BY valid_from DESC LIMIT 1) q ON true
 ORDER BY fo.level, fo.follower_id
"""
