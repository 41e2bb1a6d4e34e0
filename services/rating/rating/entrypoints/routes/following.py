"""Higher committee members following units: branch meetings attended against the quota
valid for their level that year, counted only inside the caller's subtree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, disclose, reads_personal_data

from ...application import queries as q
from .. import schemas as s
from .columns import FOLLOWER_COLUMNS
from .params import Format, UnitPath, Year, download


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.get(
        "/units/{unit_id}/following/{year}",
        response_model=list[s.FollowerLine],
        dependencies=[authorised(bus, q.FollowingVisits)],
    )
    @reads_personal_data("supervision")
    async def following(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Higher committee members following units under this one: branch meetings attended
        against the quota that was valid for their level in that year. Only meetings of
        branches inside the caller's subtree are counted."""
        lines = [
            s.FollowerLine(
                follower_id=f.follower_id,
                level=f.level,
                units=f.units,
                visits=f.visits,
                outside_assignment=f.outside_assignment,
                quota=f.quota,
                quota_valid_from=f.quota_valid_from,
                met=f.met,
            )
            for f in await bus.run(q.FollowingVisits(unit_id, year))
        ]
        if format:
            disclose(lines)
            return download(
                [line.model_dump() for line in lines],
                FOLLOWER_COLUMNS,
                format,
                f"Dự sinh hoạt {unit_id} {year}",
            )
        return lines
